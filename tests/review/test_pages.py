"""AppTest: the Add report page (paste, edit, save a draft; a duplicate proposal attached as a claim; viewers see no
controls) and the Possible duplicates page (merge keeps every claim; distinct hides the pair; roles).

The gazetteer is the small fake of :mod:`tests.review.fake_places` (the extraction is tested against the real one
elsewhere); everything else is the real page on a shared installation with sign-in, on SQLite.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from incidents.domain.users import User
from incidents.services import accounts, service
from incidents.storage import schema
from incidents.storage.store import Store
from incidents.ui import cache

from .fake_places import FakeGazetteer

REPO = Path(__file__).resolve().parents[2]
ADD, DUPLICATES = "pages/5_Add_report.py", "pages/6_Possible_duplicates.py"
PASSWORDS = {"boss": "boss password 1", "ed": "editor password", "rev": "reviewer password", "vi": "viewer password"}
WRITE_WORDS = ("save", "propose", "attach", "merge", "distinct", "drop", "apply", "add")
ENGLISH = "Seven civilians were killed in a coalition air strike on Hajin on Friday."
SETUP = User("setup", "admin", can_see_unpublished=True)


@pytest.fixture
def shared(sqlite_url, monkeypatch, incident_factory):
    """A shared installation on SQLite with an account of each role; the review pages use the fake gazetteer.

    It holds one incident far from the others in place and time (``store.unrelated``), which must never be
    proposed as a look-alike or a duplicate.
    """
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INCIDENTS_AUTH", "shared")
    fake = FakeGazetteer()
    monkeypatch.setattr(cache, "review_gazetteer", lambda store, url: fake)
    store = Store.open(sqlite_url, sample=False)
    boss = accounts.add_user(store, None, "boss", "admin", PASSWORDS["boss"])
    for name, role in (("ed", "editor"), ("rev", "reviewer"), ("vi", "viewer")):
        accounts.add_user(store, boss, name, role, PASSWORDS[name])
    (store.unrelated,) = service.create_incidents(store, SETUP, [incident_factory(
        place_id="t:busayra", place_text="Al-Busayrah", lat=35.15, lon=40.43, date_start=date(2015, 6, 1),
        date_end=date(2015, 6, 1), actor="isis", event_type="attack")])
    yield store
    store.engine.dispose()


def open_page(name: str, page: str) -> AppTest:
    """Sign in on the overview as ``name``, then open ``page`` (pages are reached from the entry script)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORDS[name])
    at.button(key="auth_submit").click().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def propose(at: AppTest, text: str, published: date | None = date(2018, 11, 18)) -> AppTest:
    at.text_area(key="rv.text").input(text)
    at.text_input(key="rv.source").input("Test agency")
    if published:
        at.date_input(key="rv.published").set_value(published)
    at.button(key="FormSubmitter:rv_input-Propose incidents").click().run()
    assert not at.exception, at.exception
    return at


def new_incidents(store: Store) -> list:
    """The stored incidents other than the fixture's unrelated one."""
    return [i for i in store.list_incidents() if i.uid != store.unrelated.uid]


def write_labels(at: AppTest) -> list[str]:
    labels = [b.label for b in at.button] + [w.label for w in at.text_input] + [w.label for w in at.text_area]
    return [x for x in labels if any(w in x.lower() for w in WRITE_WORDS)]


def texts(at: AppTest) -> str:
    return " ".join([m.value for m in at.markdown] + [e.value for e in at.error] + [s.value for s in at.success]
                    + [w.value for w in at.warning] + [i.value for i in at.info])


# -- Add report ---------------------------------------------------------------------------------------------


def test_an_editor_pastes_edits_and_saves_a_draft(shared):
    at = propose(open_page("ed", ADD), ENGLISH)
    page = texts(at)
    assert "1 candidate incident(s)" in page
    assert '<div class="rv-text" dir="auto">' in page and 'title="place">Hajin</mark>' in page
    assert at.radio(key="rv.1.en.0.action").options == ["Save as a new incident", "Drop it"]
    assert at.number_input(key="rv.1.en.0.killed_min").value == 7
    assert at.date_input(key="rv.1.en.0.date_start").value == date(2018, 11, 16)
    at.number_input(key="rv.1.en.0.killed_max").set_value(9).run()
    at.radio(key="rv.1.en.0.action").set_value("new").run()
    at.button(key="rv.1.save").click().run()
    assert not at.exception and not at.error
    assert "Saved: 1 new draft incident" in texts(at)
    (incident,) = new_incidents(shared)
    assert (incident.status, incident.grading, incident.created_by, incident.place_id) == ("draft", "unassessed",
                                                                                         "ed", "t:hajin")
    (claim,) = incident.claims
    assert (claim.killed_min, claim.killed_max, claim.quote, claim.source_name) == (7, 9, ENGLISH, "Test agency")
    assert not any(r.key == "rv.1.en.0.action" for r in at.radio)  # saved: no second save of the same candidate


def test_a_quote_that_is_not_in_the_report_is_refused(shared):
    at = propose(open_page("ed", ADD), ENGLISH)
    at.text_area(key="rv.1.en.0.quote").input("Seven civilians were killed in Hajin.").run()
    assert "must be copied exactly from the report" in texts(at)
    at.radio(key="rv.1.en.0.action").set_value("new").run()
    at.button(key="rv.1.save").click().run()
    assert any("Candidate 1" in e.value and "quote" in e.value for e in at.error)
    assert new_incidents(shared) == []


def test_the_place_is_changed_through_the_gazetteer_search(shared):
    at = propose(open_page("ed", ADD), ENGLISH)
    at.text_input(key="rv.1.en.0.place_q").input("Sus").run()
    picker = at.selectbox(key="rv.1.en.0.place_pick")
    assert picker.options == ["(unchanged)", "no known place", "Al-Susah · السوسة (town, SY090201 / SY0902)"]
    picker.set_value("t:susa").run()
    assert "Al&#45;Susah · السوسة" in texts(at)
    at.radio(key="rv.1.en.0.action").set_value("new").run()
    at.button(key="rv.1.save").click().run()
    (incident,) = new_incidents(shared)
    assert (incident.place_id, incident.place_text, incident.place_name_ar) == ("t:susa", "Hajin", "السوسة")


def test_a_look_alike_is_proposed_side_by_side_and_attached_as_a_claim(shared, incident_factory):
    (stored,) = service.create_incidents(shared, SETUP, [incident_factory(
        place_id="t:hajin", date_start=date(2018, 11, 16), date_end=date(2018, 11, 16))])
    at = propose(open_page("ed", ADD), ENGLISH)
    assert "This may be an incident already stored" in texts(at)
    assert at.selectbox(key="rv.1.focus").options == ["1 · Hajin"]
    assert at.dataframe[-1].value["≈"].tolist() == [1]  # the summary counts the look-alikes
    facts = at.dataframe[0].value
    assert list(facts.columns) == ["This report", f"Stored 2018-11-16 · Hajin · هجين · {stored.uid[:8]}"]
    assert facts.loc["Killed"].tolist() == ["7", "3"]
    claims = at.dataframe[1].value
    assert list(claims.columns) == ["1 · Test source (synthetic)", "2 · Test agency"]
    options = at.radio(key="rv.1.en.0.action").options
    assert options[0] == "Save as a new incident" and options[1].startswith("Attach as a claim to the stored")
    at.radio(key="rv.1.en.0.action").set_value(f"attach:{stored.uid}").run()
    at.button(key="rv.1.save").click().run()
    assert not at.exception and not at.error
    assert "1 claim(s) attached" in texts(at)
    assert new_incidents(shared) == [shared.get_incident(stored.uid)]
    after = shared.get_incident(stored.uid)
    assert [c.source_name for c in after.claims] == ["Test source (synthetic)", "Test agency"]
    assert (after.killed_min, after.killed_max) == (3, 7)  # both figures kept, side by side


def test_an_editor_cannot_attach_to_a_published_incident_and_is_told_what_to_do(shared, incident_factory):
    (stored,) = service.create_incidents(shared, SETUP, [incident_factory(
        place_id="t:hajin", status="published", date_start=date(2018, 11, 16), date_end=date(2018, 11, 16))])
    at = propose(open_page("ed", ADD), ENGLISH)
    at.radio(key="rv.1.en.0.action").set_value(f"attach:{stored.uid}").run()
    assert any("needs the reviewer role" in w.value and "Save the candidate as a new draft" in w.value
               for w in at.warning)
    at.button(key="rv.1.save").click().run()
    assert any("Candidate 1" in e.value and "Not saved" in e.value and "reviewer role" in e.value for e in at.error)
    assert len(shared.get_incident(stored.uid).claims) == 1
    at.radio(key="rv.1.en.0.action").set_value("new").run()  # the candidate is still there to decide again
    at.button(key="rv.1.save").click().run()
    assert len(new_incidents(shared)) == 2 and not at.error


def test_moving_between_candidates_keeps_edits_and_a_shared_toll_is_saved_together(shared):
    text = "Coalition air strikes killed 15 civilians in Hajin and Al-Bu Khater on 17 November 2018."
    at = propose(open_page("ed", ADD), text)
    assert at.selectbox(key="rv.1.focus").options == ["1 · Hajin", "2 · Al-Bu Khater"]
    assert any("One toll for several places: candidates 2 share" in w.value for w in at.warning)
    at.number_input(key="rv.1.en.0.injured_min").set_value(4).run()
    at.radio(key="rv.1.en.0.action").set_value("new").run()
    at.selectbox(key="rv.1.focus").set_value(1).run()
    assert not any(r.key == "rv.1.en.0.action" for r in at.radio)  # one candidate's editors at a time
    assert 'title="place">Al&#45;Bu Khater</mark>' in texts(at)  # the text follows the chosen candidate
    at.radio(key="rv.1.en.1.action").set_value("new").run()
    at.selectbox(key="rv.1.focus").set_value(0).run()
    assert at.number_input(key="rv.1.en.0.injured_min").value == 4
    assert at.radio(key="rv.1.en.0.action").value == "new"
    summary = at.dataframe[0].value
    assert summary["What to do with this candidate"].tolist() == ["Save as a new incident"] * 2
    at.button(key="rv.1.save").click().run()
    assert not at.exception and not at.error
    stored = new_incidents(shared)
    assert sorted(i.place_id for i in stored) == ["t:bukhater", "t:hajin"]
    assert len({i.toll_group for i in stored}) == 1 and all(i.shared_toll for i in stored)
    assert {i.place_id: i.injured_min for i in stored} == {"t:hajin": 4, "t:bukhater": None}


def test_switching_to_arabic_keeps_the_edits_and_decisions(shared):
    at = propose(open_page("ed", ADD), ENGLISH)
    at.number_input(key="rv.1.en.0.killed_max").set_value(9).run()
    at.selectbox(key="rv.1.en.0.actor").set_value("russia").run()
    at.radio(key="rv.1.en.0.action").set_value("new").run()
    at.sidebar.button_group(key="ui.lang").set_value("ar").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["إضافة تقرير"]
    assert at.number_input(key="rv.1.ar.0.killed_max").value == 9
    assert at.selectbox(key="rv.1.ar.0.actor").value == "russia"
    assert at.radio(key="rv.1.ar.0.action").value == "new"
    assert '<div class="rv-text" dir="auto">' in texts(at) and 'title="المكان">Hajin</mark>' in texts(at)
    at.button(key="rv.1.save").click().run()
    (incident,) = new_incidents(shared)
    assert (incident.actor, incident.killed_max) == ("russia", 9)


def test_a_viewer_sees_no_write_controls_on_the_add_report_page(shared):
    at = open_page("vi", ADD)
    assert any("needs the editor role" in i.value for i in at.info)
    assert not at.text_area and write_labels(at) == []


# -- Possible duplicates ------------------------------------------------------------------------------------


@pytest.fixture
def look_alikes(shared, incident_factory):
    """Two drafts at Hajin on the same day by the same actor (a pair), and one far away."""
    return service.create_incidents(shared, SETUP, [
        incident_factory(place_id="t:hajin", claim={"source_name": "Source A", "quote": "Words of A."}),
        incident_factory(place_id="t:hajin", claim={"source_name": "Source B", "quote": "Words of B.",
                                                    "killed_min": 5, "killed_max": 6}),
        incident_factory(place_id="t:busayra", place_text="Al-Busayrah", lat=35.15, lon=40.43),
    ])


def decisions(store: Store) -> list[tuple[str, str, str, str]]:
    table = schema.duplicate_decisions
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table.c.uid_a, table.c.uid_b, table.c.decision,
                                                      table.c.decided_by))]


def test_a_reviewer_merges_a_pair_and_every_claim_is_kept(shared, look_alikes):
    a, b, _ = look_alikes
    at = open_page("rev", DUPLICATES)
    assert "1 pair(s) to decide." in texts(at)
    assert "same place; same day; same actor; same event type" in texts(at).replace("&#59;", ";")
    first, second = sorted((a, b), key=lambda i: i.uid)  # the pair's A and B
    killed = {a.uid: "3", b.uid: "5–6"}
    assert at.dataframe[1].value.loc["Killed"].tolist() == [killed[first.uid], killed[second.uid]]
    at.button(key="dup.merge").click().run()
    assert any("Give a reason" in e.value for e in at.error) and len(new_incidents(shared)) == 3
    keep_key = next(r.key for r in at.radio if r.key.startswith("dup.keep."))
    reason_key = next(w.key for w in at.text_input if w.key.startswith("dup.reason."))
    at.radio(key=keep_key).set_value("A").run()
    at.text_input(key=reason_key).input("same strike, two sources").run()
    at.button(key="dup.merge").click().run()
    assert not at.exception and not at.error
    kept = shared.get_incident(first.uid)
    assert sorted(c.source_name for c in kept.claims) == ["Source A", "Source B"]
    assert len(new_incidents(shared)) == 2
    assert decisions(shared) == [(first.uid, second.uid, "merged", "rev")]
    assert "No possible duplicates" in texts(at) and "Merged" in texts(at)


def test_marking_a_pair_distinct_hides_it_and_is_recorded(shared, look_alikes):
    a, b, _ = look_alikes
    at = open_page("rev", DUPLICATES)
    reason_key = next(w.key for w in at.text_input if w.key.startswith("dup.reason."))
    at.text_input(key=reason_key).input("different streets").run()
    at.button(key="dup.distinct").click().run()
    assert not at.exception and not at.error
    assert "No possible duplicates" in texts(at)
    first, second = sorted((a.uid, b.uid))
    assert decisions(shared) == [(first, second, "distinct", "rev")]
    entries = service.history(shared, a.uid)
    assert entries[-1]["action"] == "mark_distinct" and entries[-1]["reason"] == "different streets"
    assert len(new_incidents(shared)) == 3
    at = open_page("rev", DUPLICATES)  # a new session: still not proposed
    assert "No possible duplicates" in texts(at)


def test_the_published_incident_is_kept_by_default_and_keeping_a_draft_is_warned(shared, incident_factory):
    draft, published = service.create_incidents(shared, SETUP, [
        incident_factory(place_id="t:hajin"), incident_factory(place_id="t:hajin", status="published")])
    at = open_page("rev", DUPLICATES)
    keep = next(r for r in at.radio if r.key.startswith("dup.keep."))
    a_is_published = min(draft.uid, published.uid) == published.uid
    assert keep.value == ("A" if a_is_published else "B") and not at.warning
    keep.set_value("B" if a_is_published else "A").run()
    assert any("no longer see it until it is published again" in w.value for w in at.warning)


def test_an_editor_compares_pairs_but_cannot_decide(shared, look_alikes):
    at = open_page("ed", DUPLICATES)
    assert "1 pair(s) to decide." in texts(at)
    assert any("need the reviewer role" in i.value for i in at.info)
    assert not [b for b in at.button if b.key in ("dup.merge", "dup.distinct")]


def test_a_viewer_sees_a_note_only_on_the_duplicates_page(shared, look_alikes):
    at = open_page("vi", DUPLICATES)
    assert any("for editors and reviewers" in i.value for i in at.info)
    assert not at.dataframe and write_labels(at) == []
