"""A small database of synthetic incidents for the page tests (report-like text, hostile payloads included)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from incidents.domain.records import Claim
from incidents.domain.users import LOCAL_USER
from incidents.services.service import create_incidents
from incidents.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD_DESCRIPTION = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> '
                       '[click](javascript:window.__pwned=4) ![x](http://198.51.100.7/x.png) :red[alarm] $x^2$')
PAYLOAD_QUOTE = '<img src=x onerror="window.__pwned=3"> قُتل ثلاثة مدنيين'


def seed(url: str, make) -> Store:
    """Create a store at ``url`` holding the page-test incidents (no sample data); return it."""
    store = Store.open(url, sample=False)
    second = Claim(source_name="Second source (synthetic)", quote="Twelve people were killed.", killed_min=12,
                   killed_max=12, url="https://example.org/report", source_kind="ngo", language="en")
    items = [
        make(uid="hajin-1", status="published", grading="confirmed", place_id="wof:890449895",
             claim=dict(killed_min=3, killed_max=3, language="ar", source_kind="local_network")),
        make(uid="baghuz-1", status="published", grading="fair", actor="sdf", event_type="shelling",
             place_id=None, place_text="Baghuz", place_name_en="Al-Baghuz Fawqani", place_name_ar="الباغوز فوقاني",
             lat=34.4528, lon=40.9389, date_start=date(2019, 1, 5), date_end=date(2019, 1, 5),
             claim=dict(killed_min=10, killed_max=15, language="en", source_kind="ngo")),
        make(uid="payload-1", status="published", grading="weak", actor="isis", event_type="attack",
             location_precision="subdistrict", place_id=None, lat=None, lon=None, place_name_en=None,
             place_name_ar=None, place_text="Hajin sub-district", admin3="SY090201", date_start=date(2018, 3, 1),
             date_end=date(2018, 3, 20), date_precision="month", description=PAYLOAD_DESCRIPTION,
             claim=dict(quote=PAYLOAD_QUOTE, killed_min=2, killed_max=None, url="javascript:window.__pwned=5",
                        source_name='<b onmouseover="window.__pwned=6">Source</b>')),
        make(uid="hajin-2", status="published", grading="contested", place_id="wof:890449895",
             date_start=date(2018, 11, 20), date_end=date(2018, 11, 20),
             claim=dict(killed_min=7, killed_max=9, url="https://example.org/first", source_kind="state_media")),
        make(uid="mayadin-1", status="published", grading="discounted", actor="government", place_id=None,
             place_text="Mayadin", place_name_en="Al-Mayadin", place_name_ar="الميادين", lat=35.0197, lon=40.4516,
             admin2="SY0903", admin3="SY090300", date_start=date(2017, 6, 1), date_end=date(2017, 6, 1),
             claim=dict(killed_min=20, killed_max=20)),
        make(uid="draft-1", status="draft", actor="russia", place_id=None, place_text="Deir ez-Zor",
             place_name_en="Deir ez-Zor", place_name_ar="دير الزور", lat=35.3359, lon=40.1408, admin2="SY0901",
             admin3="SY090100", date_start=date(2017, 10, 1), date_end=date(2017, 10, 1),
             claim=dict(killed_min=5, killed_max=6)),
    ]
    items[3].claims.append(second)
    create_incidents(store, LOCAL_USER, items)
    return store


@pytest.fixture
def app_db(tmp_path, monkeypatch, incident_factory) -> str:
    """URL of a seeded SQLite database, set as DATABASE_URL for the app (local mode)."""
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    seed(url, incident_factory).engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INCIDENTS_AUTH", "local")
    monkeypatch.setenv("INCIDENTS_TILES", "offline")
    return url
