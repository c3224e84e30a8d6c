"""Working on an incident in the dashboard: review and grade, edit with figures set by hand, add a claim,
history, conflicts and roles — every change through the service layer (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from incidents.domain.users import User
from incidents.services import service
from incidents.storage.store import Store

from .conftest import ROOT

TIMEOUT = 120


def open_incident(uid: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["incident"] = uid
    at.query_params["ui"] = lang
    at.switch_page("pages/3_Incidents.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def submit(at: AppTest, form_key: str) -> AppTest:
    """Click the Save button of the form whose widgets' keys start with ``form_key``."""
    buttons = [b for b in at.button if b.proto.form_id.endswith(form_key)]
    assert buttons, f"no form {form_key}; forms: {sorted({b.proto.form_id for b in at.button})}"
    buttons[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def stored(url: str, uid: str):
    store = Store.open(url, sample=False)
    try:
        return store.get_incident(uid)
    finally:
        store.engine.dispose()


def test_review_and_grade_a_draft_and_see_it_in_the_history(app_db):
    at = open_incident("draft-1")
    key = "edit-draft-1"
    at.selectbox(key=f"{key}-status").set_value("reviewed")
    at.selectbox(key=f"{key}-grading").set_value("fair")
    at.text_input(key=f"{key}-review-reason").set_value("two sources agree")
    submit(at, f"{key}-review")
    incident = stored(app_db, "draft-1")
    assert (incident.status, incident.grading, incident.version) == ("reviewed", "fair", 2)
    assert any("Saved: version 2." in s.value for s in at.success)
    history = [d.value for d in at.dataframe if "field" in d.value.columns][0]
    assert {"status", "grading"} <= set(history["field"])
    assert "two sources agree" in set(history["reason"])


def test_figures_set_by_hand_need_a_reason(app_db):
    at = open_incident("draft-1")
    key = "edit-draft-1"
    at.checkbox(key=f"{key}-byhand").check()
    at.number_input(key=f"{key}-killed_max").set_value(8)
    submit(at, f"{key}-edit")
    assert any("figures set by an editor need a reason" in e.value for e in at.error)
    assert stored(app_db, "draft-1").version == 1  # nothing written
    at.text_input(key=f"{key}-edit-reason").set_value("hospital list names eight")
    submit(at, f"{key}-edit")
    incident = stored(app_db, "draft-1")
    assert (incident.figures_rule, incident.killed_max, incident.figures_reason) == (
        "editor", 8, "hospital list names eight")


def test_a_rule_the_edit_breaks_is_said_in_the_interface_language(app_db):
    at = open_incident("draft-1", lang="ar")
    key = "edit-draft-1"
    at.checkbox(key=f"{key}-byhand").check()
    at.number_input(key=f"{key}-killed_max").set_value(8)
    submit(at, f"{key}-edit")
    errors = [e.value for e in at.error]
    assert any("سبب تحديد الأرقام" in e and "تحتاج إلى ذكر السبب" in e for e in errors), errors
    assert not any("need a reason" in e for e in errors), errors
    assert stored(app_db, "draft-1").version == 1  # nothing written


def test_add_a_claim_keeps_both_sources_and_rederives_figures(app_db):
    at = open_incident("draft-1")
    key = "claim-draft-1"
    at.text_input(key=f"{key}-name").set_value("Another source (synthetic)")
    at.text_area(key=f"{key}-quote").set_value("Nine people were killed.")
    at.number_input(key=f"{key}-killed_min").set_value(9)
    at.number_input(key=f"{key}-killed_max").set_value(9)
    submit(at, f"{key}-form")
    incident = stored(app_db, "draft-1")
    assert [c.source_name for c in incident.claims] == ["Test source (synthetic)", "Another source (synthetic)"]
    assert (incident.killed_min, incident.killed_max) == (5, 9)  # lowest minimum, highest maximum


def test_a_conflicting_edit_is_refused_and_shown(app_db):
    at = open_incident("draft-1")
    store = Store.open(app_db, sample=False)
    service.update_incident(store, User("colleague", "reviewer"), "draft-1", {"description": "checked"},
                            expected_version=1, reason="their edit")
    store.engine.dispose()
    key = "edit-draft-1"
    at.selectbox(key=f"{key}-grading").set_value("weak")
    submit(at, f"{key}-review")
    assert any("colleague changed this incident since you opened it" in e.value for e in at.error)
    assert stored(app_db, "draft-1").grading == "unassessed"  # nothing overwritten
    at.button(key="reload-draft-1").click()  # work from the colleague's version, then save again
    at.run()
    at.selectbox(key=f"{key}-grading").set_value("weak")
    submit(at, f"{key}-review")
    incident = stored(app_db, "draft-1")
    assert (incident.grading, incident.description, incident.version) == ("weak", "checked", 3)


def test_a_viewer_gets_no_write_controls(app_db, monkeypatch):
    from incidents.ui import setup

    monkeypatch.setattr(setup, "current_user", lambda store, settings: User(name="v", role="viewer"))
    at = open_incident("hajin-1")
    assert not [b for b in at.button if b.proto.form_id]
    assert any("cannot change records" in c.value for c in at.caption)


def test_an_editor_cannot_publish(app_db, monkeypatch):
    from incidents.ui import setup

    monkeypatch.setattr(setup, "current_user", lambda store, settings: User(name="ed", role="editor"))
    at = open_incident("draft-1")
    key = "edit-draft-1"
    at.selectbox(key=f"{key}-status").set_value("published")
    submit(at, f"{key}-review")
    assert any("may not publish incidents" in e.value for e in at.error)
    assert stored(app_db, "draft-1").status == "draft"


def test_a_refusal_is_said_in_the_interface_language(app_db, monkeypatch):
    from incidents.ui import setup

    monkeypatch.setattr(setup, "current_user", lambda store, settings: User(name="ed", role="editor"))
    at = open_incident("draft-1", lang="ar")
    key = "edit-draft-1"
    at.selectbox(key=f"{key}-status").set_value("published")
    submit(at, f"{key}-review")
    errors = [e.value for e in at.error]
    assert any("نشر الحوادث" in e and "مُراجِع" in e for e in errors), errors
    assert not any("may not" in e for e in errors), errors
    assert stored(app_db, "draft-1").status == "draft"


def test_an_admin_deletes_with_a_reason_and_the_record_is_kept(app_db):
    at = open_incident("draft-1")
    submit(at, "delete-draft-1-form")
    assert any("reason" in e.value for e in at.error)  # a delete needs a reason
    at.text_input(key="delete-draft-1-reason").set_value("entered twice")
    submit(at, "delete-draft-1-form")
    store = Store.open(app_db, sample=False)
    assert store.get_incident("draft-1", include_deleted=True).deleted_at is not None
    store.engine.dispose()


def test_an_editor_adds_a_spelling_and_a_place_with_its_source(app_db, monkeypatch):
    from incidents.ui import setup

    monkeypatch.setattr(setup, "current_user", lambda store, settings: User(name="ed", role="editor"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["place"] = "wof:890449895"
    at.switch_page("pages/4_Place.py")
    at.run()
    at.text_input(key="alias-wof:890449895-text").set_value("Hajeen")
    submit(at, "alias-wof:890449895")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/4_Place.py")
    at.run()
    at.text_input(key="add-place-ar").set_value("ظهرة علوني")
    at.text_input(key="add-place-en").set_value("Dhahrat Allouni")
    at.number_input(key="add-place-lat").set_value(34.5398)
    at.number_input(key="add-place-lon").set_value(40.9610)
    submit(at, "add-place")
    assert any("Name the public source" in e.value for e in at.error)
    at.text_input(key="add-place-origin").set_value("Test citation (synthetic)")
    submit(at, "add-place")
    store = Store.open(app_db, sample=False)
    assert service.load_place_aliases(store) == [("wof:890449895", "Hajeen")]
    added = service.load_places_added(store)
    assert [(p["name_en"], p["origin"], p["admin1"]) for p in added] == [
        ("Dhahrat Allouni", "Test citation (synthetic)", "SY09")]
    store.engine.dispose()
    # the added place has a profile (names in both scripts), and the new spelling shows on the old one
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["place"] = added[0]["id"]
    at.switch_page("pages/4_Place.py")
    at.run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    shown = " ".join(m.value for m in at.markdown)
    assert "ظهرة علوني" in shown and "Dhahrat Allouni" in shown
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["place"] = "wof:890449895"
    at.switch_page("pages/4_Place.py")
    at.run()
    assert "Hajeen" in " ".join(m.value for m in at.markdown)


def test_an_old_incident_opens_for_editing_and_an_old_shared_date_shows_the_page(app_db, incident_factory):
    """Records may hold dates from 1900 on (validation, import); the edit form's date widgets used to start at
    1990 and the sidebar's at 2000, so an incident of 1950 crashed its own page for an editor, and a shared link
    with ?from=1999-01-01 crashed every page."""
    from datetime import date

    store = Store.open(app_db, sample=False)
    try:
        service.create_incidents(store, User("setup", "admin"), [incident_factory(
            uid="old-1", date_start=date(1950, 6, 1), date_end=date(1950, 6, 1), place_text="Hajin")])
    finally:
        store.engine.dispose()
    at = open_incident("old-1")
    assert at.date_input(key="edit-old-1-start").value == date(1950, 6, 1)
    for params in ({"from": "1999-01-01"}, {"from": "1850-01-01", "to": "1899-12-31"}):
        shared = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        for name, value in params.items():
            shared.query_params[name] = value
        shared.run()
        assert not shared.exception, [e.value for e in shared.exception]
        assert shared.sidebar.date_input(key="flt.date_from").value == date.fromisoformat(params["from"])
