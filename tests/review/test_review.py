"""incidents.services.review: report files, highlighted text (escaping), edits and their checks, similar stored incidents,
and saving drafts through the service (new incidents, claims attached, shared-toll groups)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.errors import PermissionDenied, ValidationError
from incidents.domain.records import Claim
from incidents.domain.users import User
from incidents.extract import extract_candidates
from incidents.extract.candidate import Candidate
from incidents.services import review, service
from incidents.services.query import load_frame

from .fake_places import FakeGazetteer, match

EDITOR = User("ed", "editor")
PUBLISHED = date(2018, 11, 18)
ENGLISH = "Seven civilians were killed in a coalition air strike on Hajin on Friday."
SHARED = "Coalition air strikes killed 15 civilians in Hajin and Al-Bu Khater on 17 November 2018."
ARABIC = "قتل 5 مدنيين بغارة لطيران التحالف الدولي على هجين يوم الجمعة."


def candidates(text: str, published: date | None = PUBLISHED, source: str | None = "Test agency") -> list[Candidate]:
    return extract_candidates(text, published, source, None, FakeGazetteer())


# -- report text ----------------------------------------------------------------------------------------------


def test_pasted_html_is_stripped_and_line_ends_unified():
    pasted = "<p>First line</p>\r\n<div>Second <b>line</b><script>alert(1)</script></div>"
    assert review.prepare_text(pasted) == "First line\n\nSecond line"  # each block ends its sentence
    assert review.prepare_text("  one\r\ntwo\r") == "one\ntwo"


@pytest.mark.parametrize(("data", "name", "expected"), [
    (ENGLISH.encode(), "report.txt", ENGLISH),
    ("قتل خمسة مدنيين في هجين".encode("cp1256"), "تقرير.TXT", "قتل خمسة مدنيين في هجين"),
    ("\ufeffنص".encode(), "bom.txt", "نص"),
    (b"<html><head><title>T</title><style>p{}</style></head><body><p>Seven killed</p>"
     b"<script>document.cookie</script><img src=x onerror=alert(1)></body></html>", "page.html", "Seven killed"),
    (b"<p>a</p><p>b</p>", "page.htm", "a\n\nb"),
])
def test_report_files_are_read_as_plain_text(data, name, expected):
    assert review.read_report_file(data, name) == expected


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"x", "report.pdf", "expected a .txt or .html file"),
    (b"x", "no-suffix", "expected a .txt or .html file"),
    (b"x" * (review.MAX_REPORT_BYTES + 1), "big.txt", "at most"),
    (b"  \n ", "empty.txt", "holds no text"),
    (b"<script>only()</script>", "empty.html", "holds no text"),
])
def test_unreadable_report_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(review.ReportFileError, match=message):
        review.read_report_file(data, name)


# -- highlighting ---------------------------------------------------------------------------------------------

ALLOWED_TAGS = {"div", "mark", "span", "br"}


def tags(markup: str) -> set[str]:
    return {m.lower() for m in re.findall(r"</?([A-Za-z][A-Za-z0-9]*)", markup)}


def visible(markup: str) -> str:
    """The text a browser shows (tags removed, <br> as newline, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup.replace("<br>", "\n")))


@pytest.mark.parametrize("payload", [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1)) ![x](http://evil.example/p.png)",
    "<b>bold</b> &lt;already&gt; &amp; $x$ :red[x] `code` **strong**",
])
def test_highlighted_html_escapes_report_text(payload):
    text = f"Seven civilians were killed {payload} in Hajin."
    at = text.index(payload)
    spans = {"killed_min": [(0, 15)], "place_text": [(at - 3, at + len(payload) + 4)], "quote": [(0, len(text))]}
    markup = review.build_highlighted_html(text, spans)
    assert tags(markup) <= ALLOWED_TAGS
    assert "onerror=" not in markup and "onload=" not in markup and "javascript:" not in markup
    assert "](" not in markup and "$" not in markup and "`" not in markup and "**" not in markup
    assert visible(markup) == text
    assert '<mark class="rv-m rv-killed rv-q" title="killed">Seven civilians</mark>' in markup


def test_arabic_text_runs_right_to_left_and_english_follows_its_content():
    assert review.build_highlighted_html(ARABIC, {}).startswith('<div class="rv-text" dir="rtl" lang="ar">')
    assert review.build_highlighted_html(ENGLISH, {}).startswith('<div class="rv-text" dir="auto">')


def test_overlapping_spans_mark_each_piece_with_every_field():
    text = "abcdefghij"
    markup = review.build_highlighted_html(text, {"actor": [(0, 6)], "event_type": [(3, 9)]})
    assert markup == ('<div class="rv-text" dir="auto"><mark class="rv-m rv-actor" title="actor">abc</mark>'
                      '<mark class="rv-m rv-actor rv-event" title="actor, event type">def</mark>'
                      '<mark class="rv-m rv-event" title="event type">ghi</mark>j</div>')


def test_spans_outside_the_text_and_unknown_fields_are_ignored():
    markup = review.build_highlighted_html("abc", {"actor": [(2, 9), (-1, 1), (2, 2)], "secret": [(0, 3)]})
    assert markup == '<div class="rv-text" dir="auto">abc</div>'


def test_tooltips_follow_the_interface_language():
    markup = review.build_highlighted_html("abc", {"killed_min": [(0, 3)]}, lang="ar")
    assert 'title="القتلى"' in markup


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab <>&\"'`*[]()!$\n:=هجين")), min_size=1, max_size=40),
       spans=st.lists(st.tuples(st.sampled_from(["actor", "killed_min", "quote", "place_text"]),
                                st.integers(-2, 45), st.integers(-2, 45)), max_size=6))
def test_any_text_and_spans_round_trip_to_the_same_visible_text(text, spans):
    grouped: dict[str, list[tuple[int, int]]] = {}
    for name, start, end in spans:
        grouped.setdefault(name, []).append((start, end))
    markup = review.build_highlighted_html(text, grouped)
    assert visible(markup) == text
    assert tags(markup) <= ALLOWED_TAGS


def test_the_extractors_spans_point_at_the_values():
    (candidate,) = candidates(ENGLISH)
    markup = review.build_highlighted_html(ENGLISH, candidate.spans)
    assert '<mark class="rv-m rv-place rv-q" title="place">Hajin</mark>' in markup
    assert 'title="actor">coalition</mark>' in markup


# -- edits and checks -----------------------------------------------------------------------------------------


def test_edits_are_applied_and_counts_made_integers():
    (candidate,) = candidates(ENGLISH)
    edited = review.apply_edits(candidate, {"killed_max": 9.0, "attribution": "  ", "actor": "russia"})
    assert (edited.killed_min, edited.killed_max, edited.attribution, edited.actor) == (7, 9, None, "russia")
    assert candidate.killed_max == 7  # the original is not changed


def test_a_new_place_brings_its_precision_and_no_place_means_unknown():
    (candidate,) = candidates(ENGLISH)
    chosen = review.apply_edits(candidate, {"place": match("t:susa").to_dict()})
    assert (chosen.place["id"], chosen.location_precision) == ("t:susa", "village")
    assert review.apply_edits(candidate, {"place": None}).location_precision == "unknown"


def test_dates_and_their_precision_stay_consistent():
    (candidate,) = candidates(ENGLISH, published=None)
    assert candidate.date_start is None
    dated = review.apply_edits(candidate, {"date_start": date(2018, 11, 16)})
    assert dated.date_precision == "day"
    undated = review.apply_edits(dated, {"date_start": None})
    assert (undated.date_end, undated.date_precision) == (None, "unknown")


def test_only_editable_fields_may_be_edited():
    (candidate,) = candidates(ENGLISH)
    with pytest.raises(ValidationError, match="cannot be edited: spans"):
        review.apply_edits(candidate, {"spans": {}})


@pytest.mark.parametrize(("edits", "problem"), [
    ({}, None),
    ({"quote": "Seven civilians were killed"}, None),  # a shorter exact substring is fine
    ({"quote": "Seven civilians were killed in Hajin."}, "quote: must be copied exactly from the report"),
    ({"quote": "seven civilians were killed"}, "quote: must be copied exactly"),  # case matters
    ({"quote": "   "}, "quote: copy the sentence"),
    ({"source": ""}, "source: name the publisher"),
    ({"killed_min": 9, "killed_max": 3}, "killed_min: killed_min 9 is above killed_max 3"),
    ({"children_killed": 8}, "children_killed: 8 is more than the most killed (7)"),
    ({"date_start": date(2018, 11, 20), "date_end": date(2018, 11, 19)}, "date_end: date_end 2018-11-19 is before"),
    ({"actor": "martians"}, "actor: 'martians' is not a known actor"),
])
def test_check_candidate(edits, problem):
    (candidate,) = candidates(ENGLISH)
    problems = review.check_candidate(review.apply_edits(candidate, edits), ENGLISH)
    if problem is None:
        assert problems == []
    else:
        assert any(p.startswith(problem) for p in problems), problems
        assert len(problems) == len(set(problems))


@pytest.mark.parametrize(("edits", "arabic"), [
    ({"quote": "   "}, "الجملة المقتبسة: انسخ الجملة"),
    ({"quote": "Seven civilians were killed in Hajin."}, "الجملة المقتبسة: يجب نسخها من التقرير حرفياً"),
    ({"source": ""}, "المصدر: اذكر الجهة التي نشرت التقرير"),
    ({"children_killed": 8}, "الأطفال القتلى: \u20688\u2069 أكثر من الحد الأقصى للقتلى (\u20687\u2069)"),
    ({"killed_min": 9, "killed_max": 3}, "القتلى (أدنى): القيمة \u20689\u2069"),
    ({"actor": "martians"}, "الطرف: القيمة \u2068'martians'\u2069"),
])
def test_check_candidate_says_each_problem_in_arabic_too(edits, arabic):
    (candidate,) = candidates(ENGLISH)
    problems = review.check_candidate(review.apply_edits(candidate, edits), ENGLISH)
    assert any(p.localised("ar").startswith(arabic) for p in problems), [p.localised("ar") for p in problems]


# -- similar stored incidents -----------------------------------------------------------------------------------


def test_an_undated_candidate_is_compared_within_the_week_before_publication():
    (candidate,) = candidates(ENGLISH, published=None)
    row = review.candidate_row(replace(candidate, published=PUBLISHED))
    assert (row["date_start"], row["date_end"]) == (date(2018, 11, 11), PUBLISHED)
    assert review.candidate_row(candidate)["date_start"] is None


def test_find_similar_proposes_the_stored_incident_at_the_same_place_and_time(sqlite_store, incident_factory):
    same, _, _ = service.create_incidents(sqlite_store, EDITOR, [
        incident_factory(place_id="t:hajin", date_start=date(2018, 11, 16), date_end=date(2018, 11, 16)),
        incident_factory(place_id="t:hajin", date_start=date(2018, 6, 1), date_end=date(2018, 6, 1)),
        incident_factory(place_id="t:busayra", place_text="Al-Busayrah", lat=35.15, lon=40.43,
                         date_start=date(2018, 11, 16), date_end=date(2018, 11, 16)),
    ])
    (candidate,) = candidates(ENGLISH)
    found = review.find_similar(candidate, load_frame(sqlite_store))
    assert [p.uid_b for p in found] == [same.uid]
    assert found[0].reasons[:4] == ("same place", "same day", "same actor", "same event type")


# -- saving -----------------------------------------------------------------------------------------------------


def test_new_candidates_are_saved_as_drafts_by_the_signed_in_user(sqlite_store):
    (candidate,) = candidates(ENGLISH)
    plan = review.plan_save([candidate], {0: review.Choice("new")}, ENGLISH)
    result = review.save_plan(sqlite_store, EDITOR, plan, reason="entered from a report")
    (uid,) = result.created.values()
    stored = sqlite_store.get_incident(uid)
    assert (stored.status, stored.grading, stored.created_by, stored.place_id) == ("draft", "unassessed", "ed",
                                                                                 "t:hajin")
    (claim,) = stored.claims
    assert (claim.source_name, claim.quote, claim.killed_min, claim.published) == ("Test agency", ENGLISH, 7,
                                                                                   PUBLISHED)


def test_a_shared_toll_is_saved_together_under_one_new_toll_group(sqlite_store):
    group = candidates(SHARED)
    assert [c.group for c in group] == ["g1", "g1"]
    plan = review.plan_save(group, {0: review.Choice("new"), 1: review.Choice("new")}, SHARED)
    result = review.save_plan(sqlite_store, EDITOR, plan)
    stored = [sqlite_store.get_incident(uid) for uid in result.created.values()]
    assert {i.place_id for i in stored} == {"t:hajin", "t:bukhater"}
    assert len({i.toll_group for i in stored}) == 1 and stored[0].toll_group.startswith("toll-")
    assert all(i.shared_toll for i in stored)
    again = review.plan_save(group, {0: review.Choice("new")}, SHARED)
    assert again.new[0][1].toll_group != stored[0].toll_group  # a group id is never reused across reports


def test_attaching_adds_a_claim_and_keeps_conflicting_figures_side_by_side(sqlite_store, incident_factory):
    (stored,) = service.create_incidents(sqlite_store, EDITOR, [incident_factory(place_id="t:hajin")])
    (candidate,) = candidates(ENGLISH)
    plan = review.plan_save([candidate], {0: review.Choice("attach", stored.uid, stored.version)}, ENGLISH)
    result = review.save_plan(sqlite_store, EDITOR, plan)
    assert result.attached == {0: stored.uid} and not result.created
    after = sqlite_store.get_incident(stored.uid)
    assert [c.killed_min for c in after.claims] == [3, 7]
    assert (after.killed_min, after.killed_max) == (3, 7)
    assert after.claims[1].note == "place in this report: Hajin"
    assert sqlite_store.count_incidents() == 1


def test_a_claim_on_an_incident_changed_meanwhile_is_refused_and_reported(sqlite_store, incident_factory):
    (stored,) = service.create_incidents(sqlite_store, EDITOR, [incident_factory()])
    service.add_claim(sqlite_store, EDITOR, stored.uid, Claim(source_name="Other", quote="Other words."))
    (candidate,) = candidates(ENGLISH)
    plan = review.plan_save([candidate], {0: review.Choice("attach", stored.uid, stored.version)}, ENGLISH)
    result = review.save_plan(sqlite_store, EDITOR, plan)
    assert not result.attached and "changed this incident since you opened it" in result.failed[0]
    assert len(sqlite_store.get_incident(stored.uid).claims) == 2


def test_a_shared_toll_cannot_be_attached_to_one_incident(sqlite_store, incident_factory):
    group = candidates(SHARED)
    with pytest.raises(review.ReviewError) as caught:
        review.plan_save(group, {0: review.Choice("attach", "some-uid", 1)}, SHARED)
    assert "shared with other places" in caught.value.problems[0][0]


def test_nothing_is_saved_when_any_chosen_candidate_is_wrong(sqlite_store):
    first, second = candidates(ENGLISH + " " + "Three civilians were killed in an ISIS attack on Al-Susah.")
    bad = replace(second, quote="words that are not in the report")
    with pytest.raises(review.ReviewError) as caught:
        review.plan_save([first, bad], {0: review.Choice("new"), 1: review.Choice("new")}, ENGLISH)
    assert list(caught.value.problems) == [1] and "candidate 2: quote" in str(caught.value)
    assert sqlite_store.count_incidents() == 0


def test_undecided_candidates_are_left_out():
    first, second = candidates(ENGLISH + " " + "Three civilians were killed in an ISIS attack on Al-Susah.")
    plan = review.plan_save([first, second], {1: review.Choice("new")}, ENGLISH + " " +
                            "Three civilians were killed in an ISIS attack on Al-Susah.")
    assert [index for index, _ in plan.new] == [1]


def test_a_viewer_cannot_save(sqlite_store):
    (candidate,) = candidates(ENGLISH)
    plan = review.plan_save([candidate], {0: review.Choice("new")}, ENGLISH)
    with pytest.raises(PermissionDenied):
        review.save_plan(sqlite_store, User("vi", "viewer"), plan)
    assert sqlite_store.count_incidents() == 0


@pytest.mark.parametrize(("action", "uid"), [("merge", None), ("attach", None), ("attach", "")])
def test_choices_are_checked(action, uid):
    with pytest.raises(ValidationError):
        review.Choice(action, uid)
