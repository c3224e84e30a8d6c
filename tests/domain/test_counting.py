"""The counting rules (README, "How totals are counted"): a toll counted once, combined tolls never added on top
of their recorded parts, cumulative tolls never summed, drafts left out by default, undecided duplicates and
undated incidents said in the caption — in English and Arabic."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from incidents.analysis import aggregate as agg
from incidents.analysis.counting import count_totals, describe_totals
from incidents.analysis.filters import Filter
from incidents.analysis.frame import build_frame
from incidents.domain.records import Claim
from incidents.domain.users import LOCAL_USER
from incidents.services import dedupe, service
from incidents.services.service import create_incidents

SUSA = dict(place_text="al-Susa", place_name_en="Al-Susah", place_name_ar="السوسة", lat=34.437, lon=40.989,
            admin3="SY090202", actor="coalition", event_type="air_strike")


def prepared(store):
    return agg.prepare_frame(build_frame(store.load_incident_table(), store.load_claim_table()))


def susa_records(make, combined_claims=((70, 70), (70, None)), parts=(18, 14)):
    """Two strikes on al-Susa's mosques recorded on their own, and the combined toll two reports gave."""
    items = [make(uid=f"susa-{i}", date_start=date(2018, 11, 9 + i), date_end=date(2018, 11, 9 + i),
                  claim=dict(killed_min=k, killed_max=k, quote=f"{k} killed in the strike (test sentence)."), **SUSA)
             for i, k in enumerate(parts)]
    claims = [Claim(source_name=f"Report {n} (synthetic)", quote=f"{lo}{'+' if hi is None else ''} killed in the "
                    "two mosque strikes (test sentence).", killed_min=lo, killed_max=hi, civilians="yes")
              for n, (lo, hi) in enumerate(combined_claims)]
    combined = make(uid="susa-both", record_kind="combined", covers=tuple(i.uid for i in items),
                    date_start=date(2018, 11, 9), date_end=date(2018, 11, 10), **SUSA)
    combined.claims = claims
    return [*items, combined]


@pytest.fixture
def make(incident_factory):
    return partial(incident_factory, status="published")


def test_al_susa_counts_70_not_172(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, susa_records(make))
    frame = prepared(sqlite_store)
    totals = agg.summarise_totals(frame, Filter().mask(frame))
    assert (totals.killed_min, totals.killed_best, totals.killed_max) == (70, 70, 70)
    assert totals.incidents == 2  # the combined record is not one more incident
    places = agg.summarise_places(frame, Filter().mask(frame), agg.place_table(frame))
    assert places["killed_min"].sum() == 70
    months = agg.summarise_periods(frame, Filter().mask(frame), "month")
    assert months["killed_min"].sum() == 70 and months["n"].sum() == 2
    text = describe_totals(count_totals(frame, Filter()))
    assert text.startswith("70 killed (minimum) in 2 reviewed or published incidents")
    assert "1 combined toll counted once with 2 recorded parts" in text and "+38 beyond them" in text


def test_parts_larger_than_the_combined_toll_count_as_parts(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, susa_records(make, combined_claims=((30, 30),), parts=(18, 14)))
    frame = prepared(sqlite_store)
    assert agg.summarise_totals(frame, Filter().mask(frame)).killed_min == 32


def test_a_combined_toll_whose_parts_are_filtered_out_counts_in_full(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, susa_records(make))
    frame = prepared(sqlite_store)
    chosen = Filter(date_from=date(2018, 11, 10))  # the second strike and the combined record
    assert agg.summarise_totals(frame, chosen.mask(frame)).killed_min == 70
    alone = Filter(date_from=date(2018, 11, 10), text="mosque")  # the combined record alone
    assert agg.summarise_totals(frame, alone.mask(frame)).killed_min == 70


def test_cumulative_tolls_are_context_never_summed(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, [
        make(uid="one", claim=dict(killed_min=5, killed_max=5)),
        make(uid="week", record_kind="cumulative", date_start=date(2018, 11, 10), date_end=date(2018, 11, 17),
             date_precision="week", covers=("one",), claim=dict(killed_min=100, killed_max=None)),
    ])
    frame = prepared(sqlite_store)
    mask = Filter().mask(frame)
    totals = agg.summarise_totals(frame, mask)
    assert (totals.incidents, totals.killed_min) == (1, 5)
    assert agg.summarise_periods(frame, mask, "week")["killed_min"].sum() == 5
    context = agg.cumulative_records(frame, mask)
    assert list(context["uid"]) == ["week"] and list(context["killed_min"]) == [100]
    assert "1 cumulative toll shown as context, not summed" in describe_totals(count_totals(frame, Filter()))


def test_a_draft_does_not_move_the_default_totals(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, [make(uid="massacre", claim=dict(killed_min=40, killed_max=40))])
    before = count_totals(prepared(sqlite_store), Filter())
    create_incidents(sqlite_store, LOCAL_USER, [make(uid="draft", status="draft",
                                                     claim=dict(killed_min=53, killed_max=53))])
    frame = prepared(sqlite_store)
    after = count_totals(frame, Filter())
    assert (after.killed, after.incidents) == (before.killed, before.incidents) == (40, 1)
    assert "not counted: 53 in 1 draft" in describe_totals(after)
    assert "غير محسوب: 53 في 1 مسودة" in describe_totals(after, "ar")
    with_drafts = count_totals(frame, Filter(include_drafts=True))
    assert (with_drafts.killed, with_drafts.incidents) == (93, 2)
    assert describe_totals(with_drafts).startswith("93 killed (minimum) in 2 draft, reviewed or published incidents")
    readers = count_totals(frame, Filter(statuses=("published",)))  # viewers: drafts are not theirs to see
    assert readers.drafts.incidents == 0 and "draft" not in describe_totals(readers)


def test_discounted_incidents_are_said_to_be_left_out(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, [make(uid="a", claim=dict(killed_min=4, killed_max=4)),
                                                make(uid="b", grading="discounted", claim=dict(killed_min=9,
                                                                                                killed_max=9))])
    text = describe_totals(count_totals(prepared(sqlite_store), Filter()))
    assert text == "4 killed (minimum) in 1 reviewed or published incident; not counted: 9 in 1 discounted incident"


def test_undated_incidents_are_counted_in_the_caption(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, [
        make(uid="dated", claim=dict(killed_min=4, killed_max=4)),
        make(uid="undated", date_start=None, date_end=None, date_precision="unknown",
             claim=dict(killed_min=6, killed_max=6)),
    ])
    frame = prepared(sqlite_store)
    counting = count_totals(frame, Filter())
    assert (counting.killed, counting.undated) == (10, 1)
    assert describe_totals(counting).startswith("10 killed (minimum) in 2 reviewed or published incidents "
                                                "(1 of them undated)")
    dated = count_totals(frame, Filter(date_from=date(2018, 1, 1)))
    assert dated.killed == 4
    assert describe_totals(dated).endswith("1 undated incident is outside any date filter")
    assert "1 حادثة بلا تاريخ خارج أي تصفية بالتاريخ" in describe_totals(dated, "ar")
    assert list(frame["uid"][Filter(undated=True).mask(frame)]) == ["undated"]  # the filter that finds them


def test_undecided_duplicates_are_said_and_a_merge_changes_the_totals(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, [
        make(uid="first", claim=dict(killed_min=40, killed_max=40, quote="40 killed in Hajin (test sentence).")),
        make(uid="second", claim=dict(killed_min=53, killed_max=53, quote="53 killed in Hajin (test sentence).")),
    ])
    frame = prepared(sqlite_store)
    pairs = [p.pair for p in dedupe.find_possible_duplicates(frame, dedupe.load_decided_pairs(sqlite_store))]
    assert pairs == [("first", "second")]
    counting = count_totals(frame, Filter(), duplicates=pairs)
    assert counting.killed == 93
    assert "1 undecided possible duplicate pair may count up to 40 twice" in describe_totals(counting)
    assert "لم يُبتّ فيها" in describe_totals(counting, "ar")
    service.merge_incidents(sqlite_store, LOCAL_USER, "first", "second", reason="same massacre")
    frame = prepared(sqlite_store)
    pairs = [p.pair for p in dedupe.find_possible_duplicates(frame, dedupe.load_decided_pairs(sqlite_store))]
    merged = count_totals(frame, Filter(), duplicates=pairs)
    assert (merged.killed, merged.incidents, merged.duplicate_pairs) == (40, 1, 0)  # lowest minimum of both
    assert "duplicate" not in describe_totals(merged)


def test_not_the_same_takes_the_pair_out_of_the_caption(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, [make(uid="first"), make(uid="second")])
    frame = prepared(sqlite_store)
    assert dedupe.find_possible_duplicates(frame, dedupe.load_decided_pairs(sqlite_store))
    service.mark_distinct(sqlite_store, LOCAL_USER, "first", "second", reason="two strikes")
    pairs = [p.pair for p in dedupe.find_possible_duplicates(frame, dedupe.load_decided_pairs(sqlite_store))]
    counting = count_totals(frame, Filter(), duplicates=pairs)
    assert (counting.killed, counting.duplicate_pairs) == (6, 0) and "duplicate" not in describe_totals(counting)


def test_a_merge_repoints_the_links_of_a_combined_record(sqlite_store, make):
    records = susa_records(make)
    extra = make(uid="susa-copy", date_start=date(2018, 11, 9), date_end=date(2018, 11, 9), **SUSA,
                 claim=dict(killed_min=18, killed_max=18))
    create_incidents(sqlite_store, LOCAL_USER, [*records, extra])
    service.merge_incidents(sqlite_store, LOCAL_USER, "susa-copy", "susa-0", reason="same strike")
    assert sqlite_store.get_incident("susa-both").covers == ("susa-copy", "susa-1")
    frame = prepared(sqlite_store)
    assert agg.summarise_totals(frame, Filter().mask(frame)).killed_min == 70


def test_a_store_too_large_to_search_for_duplicates_says_so(sqlite_store, make):
    create_incidents(sqlite_store, LOCAL_USER, [make(uid="one")])
    text = describe_totals(count_totals(prepared(sqlite_store), Filter(), duplicates=None))
    assert text.endswith("possible duplicates not looked for in a store this size (see the Possible duplicates page)")


def test_the_caption_names_the_figure_and_gradings():
    from incidents.analysis.counting import Counting

    counting = Counting(figure="max", killed=12, incidents=3, statuses=("published",), gradings=("confirmed",))
    assert describe_totals(counting) == "12 killed (maximum) in 3 published incidents graded Confirmed"
    assert describe_totals(counting, "ar") == "12 قتيلاً (الحد الأقصى) في 3 حادثة منشورة بتقييم مؤكد"
