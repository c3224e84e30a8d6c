"""Named victims in the dashboard (#18, AppTest): the incident's list with its counting line, the form, the
place profile, the person search, and what a viewer sees."""

from __future__ import annotations

from html import unescape

import pytest

from incidents.domain.users import LOCAL_USER
from incidents.domain.victims import Victim
from incidents.services.victims_service import add_victim, load_victims
from incidents.storage.store import Store

from .test_pages import new_app, run


def _add(url: str, uid: str, **values) -> None:
    store = Store.open(url, sample=False)
    try:
        defaults = {"source_name": "Test source (synthetic)", "quote": "A sentence written for this test names her."}
        add_victim(store, LOCAL_USER, Victim(incident_uid=uid, **{**defaults, **values}))
    finally:
        store.engine.dispose()


@pytest.fixture
def with_victim(app_db):
    _add(app_db, "hajin-1", name_ar="فاطمة الحسن", name_en="Fatima al-Hassan", age=34, sex="female",
         relation="<b>mother</b> of three")
    return app_db


def _texts(at) -> str:
    return unescape(" ".join([m.value for m in at.markdown] + [c.value for c in at.caption]))


def test_detail_shows_named_victims_with_the_counting_line(with_victim):
    at = run(new_app({"incident": "hajin-1"}), "pages/3_Incidents.py")
    assert not at.exception
    assert "3 killed, 1 named" in _texts(at)
    assert "women killed" in _texts(at)  # derived from the names: no source counts women
    tables = [d.value for d in at.dataframe if "Name" in d.value.columns]
    assert tables and tables[0].iloc[0]["Name"] == "Fatima al-Hassan / فاطمة الحسن"
    assert tables[0].iloc[0]["Relationship notes"] == "<b>mother</b> of three"  # a cell: shown as text


def test_add_a_victim_through_the_form(app_db):
    at = run(new_app({"incident": "hajin-1"}), "pages/3_Incidents.py")
    form = "add_victim_hajin-1"
    inputs = [w for w in at.text_input if w.proto.form_id == form]
    inputs[0].set_value("عمر الخليل")
    [w for w in at.text_area if w.proto.form_id == form][0].set_value("A sentence written for this test.")
    [w for w in at.number_input if w.proto.form_id == form][0].set_value(9)
    [b for b in at.button if b.proto.form_id == form][0].click()
    at.run()
    assert not at.exception
    store = Store.open(app_db, sample=False)
    try:
        (victim,) = load_victims(store, LOCAL_USER, "hajin-1").victims
    finally:
        store.engine.dispose()
    assert (victim.name_ar, victim.age, victim.age_group) == ("عمر الخليل", 9, "child")
    assert "3 killed, 1 named" in _texts(at)


def test_place_profile_lists_the_named_victims(with_victim):
    at = run(new_app({"place": "wof:890449895"}), "pages/4_Place.py")
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Name" in d.value.columns]
    assert tables and "Fatima al-Hassan / فاطمة الحسن" in set(tables[0]["Name"])


def test_person_search_finds_spelling_variants(with_victim):
    at = run(new_app(), "pages/3_Incidents.py")
    at.text_input(key="person_search").set_value("فاطمه حسن")
    at.run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "id" in d.value.columns and "Name" in d.value.columns]
    assert tables and list(tables[0]["id"]) == ["hajin-1"]


def test_a_viewer_sees_no_names_and_cannot_search(with_victim, monkeypatch):
    from incidents.ui import setup

    monkeypatch.setattr(setup, "current_user", lambda store, settings: setup.User(name="v", role="viewer"))
    at = run(new_app({"incident": "hajin-1"}), "pages/3_Incidents.py")
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Name" in d.value.columns]
    assert tables and list(tables[0]["Name"]) == ["name hidden"]
    assert "Fatima" not in _texts(at) and "فاطمة" not in _texts(at)
    assert "person_search" not in [w.key for w in at.text_input]
    assert not [f for f in at.button if f.proto.form_id == "add_victim_hajin-1"]


def test_withhold_a_name_from_the_detail(with_victim):
    at = run(new_app({"incident": "hajin-1"}), "pages/3_Incidents.py")
    (button,) = [b for b in at.button if b.key and b.key.startswith("withhold_")]
    button.click()
    at.run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Name" in d.value.columns]
    assert list(tables[0]["Name"]) == ["name withheld"]
    assert "Fatima al-Hassan / فاطمة الحسن" not in set(tables[0]["Name"])


def test_link_two_mentions_of_one_person(with_victim):
    _add(with_victim, "hajin-1", name_ar="فاطمه حسن", sex="female", source_name="Other source (synthetic)")
    store = Store.open(with_victim, sample=False)
    try:
        first, second = load_victims(store, LOCAL_USER, "hajin-1").victims
    finally:
        store.engine.dispose()
    at = run(new_app({"incident": "hajin-1"}), "pages/3_Incidents.py")
    at.selectbox(key=f"link_{second.uid}").set_value(first.uid)
    at.run()
    assert not at.exception
    assert "3 killed, 1 named" in _texts(at)  # two mentions, one person
    store = Store.open(with_victim, sample=False)
    try:
        assert {v.person for v in load_victims(store, LOCAL_USER, "hajin-1").victims} == {first.uid}
    finally:
        store.engine.dispose()


def test_arabic_detail_and_place_profile(with_victim):
    at = run(new_app({"incident": "hajin-1", "ui": "ar"}), "pages/3_Incidents.py")
    assert not at.exception
    assert "3 قتيلاً، 1 منهم بالاسم" in _texts(at)
    tables = [d.value for d in at.dataframe if "الاسم" in d.value.columns]
    assert tables and tables[0].iloc[0]["الاسم"] == "فاطمة الحسن / Fatima al-Hassan"
    assert tables[0].iloc[0]["الجنس"] == "أنثى"
    at = run(new_app({"place": "wof:890449895", "ui": "ar"}), "pages/4_Place.py")
    assert not at.exception and [d for d in at.dataframe if "الاسم" in d.value.columns]


def test_the_incidents_page_lists_named_lists_to_review(with_victim):
    for name in ("Person One", "Person Two", "Person Three"):  # hajin-1's source gives 3 killed
        _add(with_victim, "hajin-1", name_en=name)
    at = run(new_app(), "pages/3_Incidents.py")
    assert not at.exception
    assert any("To review: 1 incident(s)" in w.value and "4 > 3" in w.value for w in at.warning)


def test_figures_set_by_hand_below_the_named_are_flagged_in_the_detail_and_the_list(with_victim):
    from incidents.services.service import update_incident

    store = Store.open(with_victim, sample=False)
    try:
        version = store.get_incident("hajin-1").version
        update_incident(store, LOCAL_USER, "hajin-1", {"killed_min": 1, "killed_max": 1}, expected_version=version,
                        reason="one strike of two (written for the test)")
    finally:
        store.engine.dispose()
    _add(with_victim, "hajin-1", name_en="Person Two")  # two named killed, one killed set by hand
    at = run(new_app({"incident": "hajin-1"}), "pages/3_Incidents.py")
    assert not at.exception
    assert any("set by hand (1 killed at least), below the 2 people named" in w.value for w in at.warning)
    assert any("figures set by hand below the people named" in w.value and "2 > 1" in w.value for w in at.warning)


def test_a_refused_victim_is_reported_with_its_name_escaped(app_db):
    at = run(new_app({"incident": "hajin-1"}), "pages/3_Incidents.py")
    form = "add_victim_hajin-1"
    [w for w in at.text_input if w.proto.form_id == form][0].set_value("[x](http://198.51.100.7/l) :red[alarm]")
    [b for b in at.button if b.proto.form_id == form][0].click()  # no quote: refused, naming the victim
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("quote" in e for e in errors), errors
    assert not any("](" in e.replace("\\](", "") or ":red[" in e.replace("\\:red\\[", "") for e in errors), errors
