"""export → import into an empty database → export gives the same file, on SQLite and PostgreSQL/PostGIS."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from incidents.domain.records import Claim
from incidents.domain.users import LOCAL_USER
from incidents.io.exporter import export_incidents
from incidents.services.importer import import_incidents, read_incidents
from incidents.services.service import create_incidents
from incidents.storage.store import Store


def _records(make):
    return [
        make(),
        make(uid="formula-and-arabic", description="=HYPERLINK(\"http://evil\") — قصف «التحالف» على البقعان",
             place_text="قرية البقعان", place_name_ar="البقعان", place_name_en="al-Buqaan", tags=("sample", "ar"),
             target="@civilians", claim=dict(quote="+40 مدنياً", language="ar", published=date(2018, 11, 18))),
        make(uid="two-sources", claims=[
            Claim(source_name="SANA", source_kind="state_media", quote="استشهد 20 مدنياً", killed_min=20,
                  killed_max=20, civilians="yes", language="ar", url="https://sana.sy/?p=1"),
            Claim(source_name="SOHR", source_kind="ngo", quote="more than 12 killed", killed_min=12,
                  killed_max=None, children_killed=4, language="en"),
        ]),
        make(uid="editor-figures", figures_rule="editor", figures_reason="hospital list", killed_min=7, killed_max=9,
             killed_best=8, lat=None, lon=None, place_id=None, location_precision="unknown", admin1=None,
             admin2=None, admin3=None, date_start=None, date_end=None, date_precision="unknown"),
        make(uid="district-level", location_precision="district", date_start=date(2019, 1, 1),
             date_end=date(2019, 1, 31), date_precision="month", grading="discounted", status="published",
             actor="isis", event_type="arrests", civilians="unknown", shared_toll=True, toll_group="g1"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "geojson", "xlsx"])
def test_export_import_export_is_identical(db_url, fresh_url, incident_factory, fmt, monkeypatch):
    # Stamps are the service's (issue #12): the file's are kept apart. Same clock and user, same file.
    monkeypatch.setattr("incidents.services.service.utcnow", lambda: datetime(2026, 1, 2, 3, 4, 5))
    first_store = Store.open(db_url, sample=False)
    create_incidents(first_store, LOCAL_USER, _records(incident_factory))
    first = export_incidents(first_store.list_incidents(), fmt)
    first_store.engine.dispose()

    second_store = Store.open(fresh_url(db_url), sample=False)
    import_incidents(second_store, LOCAL_USER, first, f"export.{fmt}")
    second = export_incidents(second_store.list_incidents(), fmt)
    second_store.engine.dispose()

    if fmt == "xlsx":  # the workbook's own metadata carries a save time: compare every cell instead
        assert _cells(first) == _cells(second)
    else:
        assert first == second
    assert len(read_incidents(second, f"again.{fmt}").valid) == 5


def _cells(data: bytes) -> dict:
    book = load_workbook(io.BytesIO(data))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def test_formulas_are_neutralised_in_every_spreadsheet_export(sqlite_store, incident_factory):
    create_incidents(sqlite_store, LOCAL_USER, _records(incident_factory))
    csv_text = export_incidents(sqlite_store.list_incidents(), "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text
    assert ",'@civilians," in csv_text
    cells = [c for rows in _cells(export_incidents(sqlite_store.list_incidents(), "xlsx")).values()
             for row in rows for c in row if isinstance(c, str)]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    for fmt in ("acled", "ucdp"):
        text = export_incidents(sqlite_store.list_incidents(), fmt).decode("utf-8-sig")
        assert ",=" not in text and ",@" not in text


def test_geojson_carries_claims_and_the_filter_description(sqlite_store, incident_factory):
    create_incidents(sqlite_store, LOCAL_USER, _records(incident_factory))
    data = json.loads(export_incidents(sqlite_store.list_incidents(), "geojson", about="coalition · 2018"))
    assert data["metadata"]["about"] == "coalition · 2018"
    assert data["metadata"]["description"][0] == "Incidents: coalition · 2018"
    two = next(f for f in data["features"] if f["id"] == "two-sources")
    assert [c["source_name"] for c in two["properties"]["claims"]] == ["SANA", "SOHR"]
    # figures derived by the stated rule: lowest minimum, open maximum since SOHR gave none
    assert (two["properties"]["killed_min"], two["properties"]["killed_max"]) == (12, None)
    unplaced = next(f for f in data["features"] if f["id"] == "editor-figures")
    assert unplaced["geometry"] is None


arabic_and_latin = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(description=arabic_and_latin, quote=arabic_and_latin.filter(lambda q: q.strip()))
def test_any_text_survives_storage_and_csv(tmp_path_factory, incident_factory, description, quote):
    folder = tmp_path_factory.mktemp("rt")
    store = Store.open(f"sqlite:///{folder / 'a.sqlite3'}", sample=False)
    incident = incident_factory(description=description or None, claim=dict(quote=quote))
    create_incidents(store, LOCAL_USER, [incident])
    exported = export_incidents(store.list_incidents(), "csv")
    back = read_incidents(exported, "x.csv").valid[0]
    assert back.description == (description.strip() or None)
    assert back.claims[0].quote == quote.strip()
    store.engine.dispose()
