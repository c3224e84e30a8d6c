"""What an import keeps in an incident's extra data, on the incident's page: every suspected belligerent of a
contested attribution, the children/women/men ranges, and the file's other columns, escaped (AppTest)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from incidents.domain.records import Claim, Incident
from incidents.domain.users import LOCAL_USER
from incidents.services.service import create_incidents
from incidents.storage.store import Store
from incidents.ui.detail_view import extra_facts, other_columns, other_columns_html

from .conftest import ROOT

HOSTILE = '<img src=x onerror="window.__pwned=9">'
EXTRA = {"actors": ["russia", "coalition"], "children_killed_min": 3, "children_killed_max": 5,
         "women_killed_min": 2, "women_killed_max": None, "men_killed_min": None, "men_killed_max": 4,
         "location_accuracy": "Within a 1km radius", "Strike type": HOSTILE, "Airwars grade": "Fair",
         "links": ["a", "b"]}


def imported(**changes) -> Incident:
    values = dict(uid="imported-1", date_start=date(2017, 9, 25), date_end=date(2017, 9, 25), date_precision="day",
                  place_text="Al-Shafah", lat=34.85, lon=40.83, location_precision="village", actor="russia",
                  actor_certainty="contested", status="published", external_source="airwars",
                  external_id="CS123", extra=dict(EXTRA),
                  claims=[Claim(source_name="Airwars (synthetic test row)", quote="Three children among the dead.",
                                killed_min=7, killed_max=9)])
    return Incident(**(values | changes))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_extra_facts_name_every_actor_and_each_range(lang):
    facts = dict(extra_facts(imported(), lang))
    actors = next(v for k, v in facts.items() if k.startswith("Suspected belligerents" if lang == "en" else "الأطراف"))
    assert len(actors.split(", ")) == 2
    texts = set(facts.values())
    assert "3–5" in texts
    assert ("2+ (no maximum)" if lang == "en" else "2 فأكثر (بلا حد أقصى)") in texts
    assert ("up to 4" if lang == "en" else "حتى 4") in texts
    assert "Within a 1km radius" in texts


def test_other_columns_are_the_rest_escaped_in_the_table():
    rows = other_columns(imported())
    assert rows == [("Strike type", HOSTILE), ("Airwars grade", "Fair"), ("links", '["a", "b"]')]
    html = other_columns_html(rows, "en")
    assert "<img" not in html and "&#60;img" in html


def test_an_incident_without_extra_shows_none_of_it():
    plain = imported(extra={}, actor_certainty="stated")
    assert extra_facts(plain, "en") == [] and other_columns(plain) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_incident_page_shows_what_the_import_kept(app_db, lang):
    store = Store.open(app_db, sample=False)
    try:
        create_incidents(store, LOCAL_USER, [imported()])
    finally:
        store.engine.dispose()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["incident"] = "imported-1"
    if lang == "ar":
        at.query_params["ui"] = "ar"
    at.switch_page("pages/3_Incidents.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(m.value for m in at.markdown)
    assert ("Suspected belligerents" if lang == "en" else "الأطراف المشتبه بها") in shown
    assert "3–5" in shown
    assert ("Other columns from the imported file" if lang == "en" else "أعمدة أخرى من الملف المستورد") in shown
    assert "Airwars grade" in shown and "Fair" in shown
    assert "&#60;img" in shown and "<img" not in shown
