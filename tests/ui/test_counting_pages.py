"""Every view says what its totals count (issue #11): overview, map, timeline, place profile and the export, in
English and Arabic; drafts switched in and out; undated incidents found; duplicates linked; a merge changes the
totals at once (AppTest)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from incidents.domain.records import Incident
from incidents.domain.users import LOCAL_USER
from incidents.services import service
from incidents.storage.store import Store

from .test_pages import metric, new_app, plain, run

DEFAULT = "22 killed (minimum) in 4 reviewed or published incidents; not counted: 5 in 1 draft, 20 in 1 discounted incident"
DEFAULT_AR = "22 قتيلاً (الحد الأدنى) في 4 حادثة مراجَعة أو منشورة؛ غير محسوب: 5 في 1 مسودة، 20 في 1 حادثة مستبعدة"


def counted(at) -> str:
    found = [m.value for m in at.markdown if "im-counted" in m.value]
    assert found, "no sentence saying what the totals count"
    return plain(unescape(re.sub(r"<[^>]+>", "", found[0])))


def add(url: str, *items: Incident) -> None:
    store = Store.open(url, sample=False)
    try:
        service.create_incidents(store, LOCAL_USER, list(items))
    finally:
        store.engine.dispose()


@pytest.mark.parametrize("page", [None, "pages/1_Map.py", "pages/2_Timeline.py", "pages/3_Incidents.py"])
def test_the_views_say_what_they_count_in_english_and_arabic(app_db, page):
    assert counted(run(new_app(), page)) == DEFAULT
    assert counted(run(new_app({"ui": "ar"}), page)) == DEFAULT_AR


def test_the_place_profile_says_what_it_counts(app_db):
    at = run(new_app({"place": "wof:890449895"}), "pages/4_Place.py")
    assert counted(at) == "10 killed (minimum) in 2 reviewed or published incidents"
    at = run(new_app({"place": "wof:890449895", "ui": "ar"}), "pages/4_Place.py")
    assert counted(at) == "10 قتيلاً (الحد الأدنى) في 2 حادثة مراجَعة أو منشورة"


def test_the_assumptions_switch_counts_drafts(app_db):
    at = run(new_app())
    at.toggle(key="flt.include_drafts").set_value(True)
    run(at)
    assert metric(at, "Incidents") == "5" and metric(at, "Killed (minimum)") == "27"
    assert counted(at).startswith("27 killed (minimum) in 5 draft, reviewed or published incidents")
    assert at.query_params["drafts"] in ("1", ["1"])


def test_viewers_have_no_drafts_switch_and_hear_nothing_of_drafts(app_db, monkeypatch):
    from incidents.ui import setup

    monkeypatch.setattr(setup, "current_user", lambda store, settings: setup.User(name="v", role="viewer"))
    at = run(new_app())
    assert "flt.include_drafts" not in [w.key for w in at.toggle]
    assert counted(at) == "22 killed (minimum) in 4 published incidents; not counted: 20 in 1 discounted incident"


def test_undated_incidents_are_counted_binned_and_found(app_db, incident_factory):
    add(app_db, incident_factory(uid="undated-1", status="reviewed", date_start=None, date_end=None,
                                 date_precision="unknown", claim=dict(killed_min=4, killed_max=4)))
    at = run(new_app(), "pages/2_Timeline.py")
    assert counted(at).startswith("26 killed (minimum) in 5 reviewed or published incidents (1 of them undated)")
    charts = at.get("vega_lite_chart")
    assert any("undated" in str(c.proto.spec) for c in charts)  # the undated bin beside the timeline
    at = run(new_app({"from": "2018-01-01"}), "pages/2_Timeline.py")
    assert counted(at).endswith("1 undated incident is outside any date filter")
    at.button(key="counting.show_undated").click()
    run(at)
    assert counted(at) == "4 killed (minimum) in 1 reviewed or published incident (1 of them undated)"
    assert at.query_params["undated"] in ("1", ["1"]) and "from" not in at.query_params


def test_duplicates_are_linked_and_a_merge_changes_the_totals_at_once(app_db, incident_factory):
    add(app_db, incident_factory(uid="hajin-copy", status="published", place_id="wof:890449895",
                                 claim=dict(killed_min=3, killed_max=3, quote="Three killed in Hajin (test).")))
    at = run(new_app())
    assert metric(at, "Killed (minimum)") == "25"
    assert "1 undecided possible duplicate pair may count up to 3 twice" in counted(at)
    assert "Decide the possible duplicates" in [link.proto.label for link in at.get("page_link")]
    store = Store.open(app_db, sample=False)
    service.merge_incidents(store, LOCAL_USER, "hajin-1", "hajin-copy", reason="same strike")
    store.engine.dispose()
    run(at)
    assert metric(at, "Killed (minimum)") == "22" and "duplicate" not in counted(at)


def test_a_combined_toll_is_not_added_on_top_of_its_parts(app_db, incident_factory):
    combined = incident_factory(uid="both", status="published", record_kind="combined",
                                covers=("hajin-1", "hajin-2"), place_id="wof:890449895",
                                claim=dict(killed_min=30, killed_max=30, quote="30 killed in both strikes (test)."))
    add(app_db, combined)
    at = run(new_app())
    assert metric(at, "Incidents") == "4" and metric(at, "Killed (minimum)") == "42"  # 22 - (3 + 7) + 30
    assert "1 combined toll counted once with 2 recorded parts" in counted(at)


def test_cumulative_tolls_are_context_on_the_timeline_and_the_place_profile(app_db, incident_factory):
    week = incident_factory(uid="week", status="published", record_kind="cumulative", place_id="wof:890449895",
                            date_start=date(2018, 11, 14), date_end=date(2018, 11, 21), date_precision="week",
                            claim=dict(killed_min=100, killed_max=None, quote="More than 100 killed this week (test)."))
    add(app_db, week)
    at = run(new_app(), "pages/2_Timeline.py")
    assert metric_free_killed(at) and "1 cumulative toll shown as context, not summed" in counted(at)
    assert any("Cumulative toll (context, not summed)" in str(c.proto.spec) for c in at.get("vega_lite_chart"))
    at = run(new_app({"place": "wof:890449895"}), "pages/4_Place.py")
    assert metric(at, "Killed (minimum)") == "10"
    lines = plain(unescape(" ".join(m.value for m in at.markdown)))
    assert "100+ killed over 2018-11-14 – 2018-11-21" in lines


def metric_free_killed(at) -> bool:
    """The timeline page shows no headline metric; its sentence holds the total."""
    return counted(at).startswith("22 killed (minimum) in 4 ")


def test_the_export_header_says_what_it_counts_in_both_languages(app_db, monkeypatch):
    from incidents.ui import cache

    written: list[str] = []

    def capture(incidents, fmt, about=None, **_):
        written.append(about or "")
        return b"x"

    monkeypatch.setattr(cache, "export_incidents", capture)
    at = run(new_app(), "pages/3_Incidents.py")
    at.button(key="export.prepare").click()
    run(at)
    assert written and DEFAULT in plain(written[0]) and DEFAULT_AR in plain(written[0])


def test_claims_text_stays_escaped_in_the_sentence(app_db):
    at = run(new_app({"q": "<b>x</b>"}))
    assert "<b>" not in " ".join(m.value for m in at.markdown if "im-counted" in m.value)



def test_a_combined_record_shows_its_kind_and_links_to_its_parts(app_db, incident_factory):
    add(app_db, incident_factory(uid="both", status="published", record_kind="combined",
                                 covers=("hajin-1", "hajin-2"), place_id="wof:890449895",
                                 claim=dict(killed_min=30, killed_max=30, quote="30 killed in both strikes (test).")))
    at = run(new_app({"incident": "both"}), "pages/3_Incidents.py")
    html = unescape(" ".join(m.value for m in at.markdown))
    assert "Several events sharing one toll" in html
    assert {"1 · hajin-1", "2 · hajin-2"} <= {link.proto.label for link in at.get("page_link")}
