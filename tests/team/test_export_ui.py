"""The dashboard's export in a shared installation (#12): a viewer's file does not name who entered the records;
an editor's does."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from incidents.services import accounts, service
from incidents.storage.store import Store

REPO = Path(__file__).resolve().parents[2]
PASSWORDS = {"boss": "boss password 1", "ed": "editor password", "vi": "viewer password"}


@pytest.fixture
def team(sqlite_url, monkeypatch, incident_factory):
    """A shared installation with an admin, an editor and a viewer, and one published incident the editor entered."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INCIDENTS_AUTH", "shared")
    monkeypatch.setenv("INCIDENTS_TILES", "offline")
    store = Store.open(sqlite_url, sample=False)
    boss = accounts.add_user(store, None, "boss", "admin", PASSWORDS["boss"])
    editor = accounts.add_user(store, boss, "ed", "editor", PASSWORDS["ed"])
    accounts.add_user(store, boss, "vi", "viewer", PASSWORDS["vi"])
    (draft,) = service.create_incidents(store, editor, [incident_factory()])
    service.update_incident(store, boss, draft.uid, {"status": "published", "grading": "fair"},
                             expected_version=draft.version)
    yield store
    store.engine.dispose()



def export_as(name: str, fmt: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORDS[name])
    at.button(key="auth_submit").click().run()
    at.switch_page("pages/3_Incidents.py").run()
    at.segmented_control(key="export.format").set_value(fmt).run()
    at.button(key="export.prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("name, named", [("vi", False), ("ed", True)])
def test_the_dashboards_export_names_researchers_only_for_those_who_see_the_history(team, offered, name, named):
    export_as(name, "csv")
    table = pd.read_csv(io.BytesIO(offered["incidents.csv"]))
    assert len(table) == 1
    assert ("created_by" in table.columns) == named and ("updated_by" in table.columns) == named
    claims = json.loads(table["claims"][0])
    assert ("created_by" in claims[0]) == named
    export_as(name, "geojson")
    properties = json.loads(offered["incidents.geojson"])["features"][0]["properties"]
    assert ("created_by" in properties) == named and ("created_by" in properties["claims"][0]) == named
