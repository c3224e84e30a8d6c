"""Combined records' links (``covers``) stay plain groups, so a total counts each death once: a combined record
covers recorded incidents only, an incident is a part of one combined record, no record covers itself. Refused on
create, edit, merge and import; links stored before the rule are read so that a loop or a nest cannot hide a group."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from incidents.analysis import aggregate as agg
from incidents.analysis.counting import count_totals, describe_totals
from incidents.analysis.filters import Filter
from incidents.analysis.frame import build_frame
from incidents.domain.coverage import Link, coverage_problems
from incidents.domain.errors import ImportRejected, ValidationError
from incidents.domain.users import LOCAL_USER
from incidents.services import service
from incidents.services.importer import import_incidents


def test_plain_groups_have_no_problems():
    stored = {"p-1": Link("p-1", "incident"), "p-2": Link("p-2", "incident")}
    assert coverage_problems([Link("a-1", "combined", ("p-1", "p-2"))], stored) == {}
    assert coverage_problems([Link("p-3", "incident")], stored) == {}
    assert coverage_problems([Link("c-1", "cumulative", ("a-1", "p-1"))], {"a-1": Link("a-1", "combined")}) == {}


@pytest.mark.parametrize(("incoming", "stored", "blamed", "words"), [
    ([Link("c-1", "combined", ("a-1", "p-3"))], {"a-1": Link("a-1", "combined", ("p-1",))}, {"c-1"},
     "covers a-1, itself a combined record"),
    ([Link("a-1", "combined", ("p-1",))], {"c-1": Link("c-1", "combined", ("a-1",))}, {"a-1"},
     "covered by combined record c-1"),
    ([Link("a-1", "combined", ("b-1",)), Link("b-1", "combined", ("a-1",))], {}, {"a-1", "b-1"},
     "itself a combined record"),
    ([Link("b-1", "combined", ("p-1", "p-2"))], {"a-1": Link("a-1", "combined", ("p-1",))}, {"b-1"},
     "p-1 is already covered by combined record a-1"),
    ([Link("a-1", "combined", ("a-1", "p-1"))], {}, {"a-1"}, "a-1 covers itself"),
])
def test_links_that_would_count_a_death_twice_are_refused(incoming, stored, blamed, words):
    problems = coverage_problems(incoming, stored)
    assert set(problems) == blamed
    assert any(words in p.reason for found in problems.values() for p in found)


def test_a_stored_record_is_not_blamed_for_its_own_links():
    stored = {"a-1": Link("a-1", "combined", ("p-1",)), "b-1": Link("b-1", "combined", ("p-1",))}
    assert coverage_problems([Link("p-1", "incident")], stored) == {}


@pytest.fixture
def make(incident_factory):
    return partial(incident_factory, status="published", date_start=date(2018, 11, 9), date_end=date(2018, 11, 9))


def _records(make, *specs):
    return [make(uid=uid, record_kind=kind, covers=tuple(covers), claim=dict(killed_min=k, killed_max=k))
            for uid, kind, k, covers in specs]


def test_creating_a_nested_combined_record_is_refused_and_nothing_written(empty_store, make):
    with pytest.raises(ValidationError, match="covers a-1, itself a combined record"):
        service.create_incidents(empty_store, LOCAL_USER, _records(
            make, ("p-1", "incident", 18, ()), ("a-1", "combined", 20, ("p-1",)), ("c-1", "combined", 100, ("a-1",))))
    assert empty_store.count_incidents() == 0


def test_an_edit_cannot_make_a_combined_record_cover_another(empty_store, make):
    service.create_incidents(empty_store, LOCAL_USER, _records(
        make, ("p-1", "incident", 18, ()), ("a-1", "combined", 20, ("p-1",)), ("b-1", "combined", 30, ())))
    with pytest.raises(ValidationError, match="p-1 is already covered by combined record a-1"):
        service.update_incident(empty_store, LOCAL_USER, "b-1", {"covers": ("p-1",)}, expected_version=1)
    assert empty_store.get_incident("b-1").covers == ()


def test_a_merge_that_would_nest_combined_records_is_refused_and_nothing_merged(empty_store, make):
    """Merging a part of combined record B into combined record A made B cover A (the audit's case: 120 killed in
    2 incidents became 4 killed in 0 incidents)."""
    service.create_incidents(empty_store, LOCAL_USER, _records(
        make, ("p-1", "incident", 18, ()), ("p-2", "incident", 14, ()), ("a-1", "combined", 70, ("p-1",)),
        ("b-1", "combined", 50, ("p-2",))))
    with pytest.raises(ValidationError, match="would break the links of combined records"):
        service.merge_incidents(empty_store, LOCAL_USER, "a-1", "p-2", reason="same")
    assert empty_store.get_incident("b-1").covers == ("p-2",)
    assert empty_store.get_incident("p-2").deleted_at is None


def test_an_import_names_the_row_whose_links_are_refused(empty_store):
    data = (b"uid,date_start,place_text,killed_min,source_name,quote,record_kind,covers\n"
            b"p-1,2018-11-09,Hajin,18,S,q,incident,\n"
            b"a-1,2018-11-09,Hajin,20,S,q,combined,p-1\n"
            b"c-1,2018-11-09,Hajin,100,S,q,combined,a-1\n")
    with pytest.raises(ImportRejected) as caught:
        import_incidents(empty_store, LOCAL_USER, data, "links.csv")
    rows = {(e.row, e.field.split(" ")[0]) for e in caught.value.errors}
    assert (3, "record_kind") in rows and (4, "covers") in rows
    assert empty_store.count_incidents() == 0


def _store_without_checks(store, records):
    """Write records as a release before the rule could have (links stored as they are)."""
    prepared = [service.prepare_new(r, LOCAL_USER) for r in records]
    with store.engine.begin() as conn:
        service._insert_with_audit(store, conn, LOCAL_USER, prepared, "create", None, None)
    assert store.get_incident(records[-1].uid).covers == records[-1].covers


def _totals(store):
    frame = agg.prepare_frame(build_frame(store.load_incident_table(), store.load_claim_table()))
    return count_totals(frame, Filter())


def test_links_stored_before_the_rule_count_the_group_once(sqlite_store, make):
    _store_without_checks(sqlite_store, _records(
        make, ("p-1", "incident", 18, ()), ("p-2", "incident", 14, ()), ("a-1", "combined", 20, ("p-1", "p-2")),
        ("p-3", "incident", 20, ()), ("c-1", "combined", 100, ("a-1", "p-3"))))
    assert _totals(sqlite_store).killed == 100  # was 112: C less A's stored 20 instead of its parts' 32


def test_a_loop_of_combined_records_stored_before_the_rule_still_counts(sqlite_store, make):
    _store_without_checks(sqlite_store, _records(
        make, ("a-1", "combined", 70, ("b-1",)), ("b-1", "combined", 50, ("a-1",))))
    text = describe_totals(_totals(sqlite_store))
    assert text.startswith("120 killed (minimum) in 2 "), text  # was "20 killed … in 0 … incidents"


def test_refused_links_are_said_in_arabic_too(sqlite_store, make):
    with pytest.raises(ValidationError) as caught:
        service.create_incidents(sqlite_store, LOCAL_USER, _records(
            make, ("p-1", "incident", 18, ()), ("a-1", "combined", 20, ("p-1",)), ("c-1", "combined", 100, ("a-1",))))
    arabic = caught.value.localised("ar")
    assert "روابط سجلات الحصائل المشتركة" in arabic and "وهو نفسه سجل حصيلة مشتركة" in arabic and "a-1" in arabic
    assert "count a death twice" in str(caught.value)



def _import(store, text: str, **options):
    return import_incidents(store, LOCAL_USER, text.encode(), "links.csv", **options)


HEAD = "uid,date_start,place_text,killed_min,source_name,quote"


def test_an_import_updating_a_stored_record_is_judged_on_the_record_it_leaves(empty_store, make):
    """A file with a covers column and no record_kind column updates stored combined c-1 to cover combined a-1:
    the row read alone looks like a plain incident (the review's case 1a)."""
    service.create_incidents(empty_store, LOCAL_USER, _records(
        make, ("p-1", "incident", 18, ()), ("p-2", "incident", 14, ()), ("a-1", "combined", 30, ("p-1",)),
        ("c-1", "combined", 40, ("p-2",))))
    with pytest.raises(ValidationError, match="c-1 covers a-1, itself a combined record"):
        _import(empty_store, f"{HEAD},covers\nc-1,2018-11-09,Hajin,40,S,q,a-1\n")
    assert empty_store.get_incident("c-1").covers == ("p-2",)


def test_an_import_row_matched_by_its_external_id_is_judged_as_that_record(empty_store, make):
    """Rows without uids matched by their external id: re-importing an unchanged combined row is no new combined
    record (it was refused as one), and turning a covered incident into a combined record is refused (1b, 1c)."""
    ext = "external_source,external_id"
    first = (f"date_start,place_text,killed_min,source_name,quote,record_kind,covers,{ext}\n"
             "2018-11-09,Hajin,18,S,q,incident,,t,1\n")
    _import(empty_store, first)
    (part,) = [i.uid for i in empty_store.list_incidents()]
    combined = first + f"2018-11-09,Hajin,30,S,q,combined,{part},t,2\n"
    assert len(_import(empty_store, combined).new) == 1
    assert _import(empty_store, combined).unchanged  # the same file again: nothing new, nothing refused
    turned = combined.replace("18,S,q,incident,,t,1", "18,S,q,combined,x-9,t,1")
    with pytest.raises(ValidationError, match="covered by combined record"):
        _import(empty_store, turned)
    assert empty_store.get_incident(part).record_kind == "incident"


def test_restoring_a_combined_record_whose_part_another_now_covers_is_refused(empty_store, make):
    service.create_incidents(empty_store, LOCAL_USER, _records(
        make, ("p-1", "incident", 18, ()), ("a-1", "combined", 30, ("p-1",))))
    service.delete_incident(empty_store, LOCAL_USER, "a-1", reason="wrong")
    service.create_incidents(empty_store, LOCAL_USER, _records(make, ("b-1", "combined", 40, ("p-1",))))
    with pytest.raises(ValidationError, match="p-1 is already covered by combined record b-1"):
        service.restore_incident(empty_store, LOCAL_USER, "a-1", reason="it was right")
    assert empty_store.get_incident("a-1", include_deleted=True).deleted_at is not None


def test_links_broken_before_the_rule_do_not_block_other_writes(sqlite_store, make):
    """a-1 and b-1 both cover p-10 (stored before the rule): merging p-2 into p-1, or adding a plain incident, is
    not refused for a fault that is not theirs (the merge check matched p-1 inside p-10)."""
    _store_without_checks(sqlite_store, _records(
        make, ("p-1", "incident", 5, ()), ("p-2", "incident", 5, ()), ("p-10", "incident", 18, ()),
        ("a-1", "combined", 30, ("p-10",)), ("b-1", "combined", 40, ("p-10",))))
    service.merge_incidents(sqlite_store, LOCAL_USER, "p-1", "p-2", reason="same")
    service.create_incidents(sqlite_store, LOCAL_USER, _records(make, ("p-3", "incident", 2, ())))
    with pytest.raises(ValidationError, match="p-10 is already covered"):
        service.create_incidents(sqlite_store, LOCAL_USER, _records(make, ("c-1", "combined", 9, ("p-10",))))
