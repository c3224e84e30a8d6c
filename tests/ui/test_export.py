"""The incidents page's export (#17): each format's download button offers a file that reads back, a CSV stays a
plain table with its description offered beside it, and a spinner shows while the file is built."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import streamlit
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from .conftest import ROOT


@pytest.fixture
def spinners(monkeypatch) -> list[str]:
    """The text of every spinner the page showed."""
    shown: list[str] = []
    original = streamlit.spinner

    def record(text="", *args, **kwargs):
        shown.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(streamlit, "spinner", record)
    return shown


def prepare(fmt: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page("pages/3_Incidents.py").run()
    at.segmented_control(key="export.format").set_value(fmt).run()
    at.button(key="export.prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_filtered_csv_download_is_a_plain_table_with_its_description_beside_it(app_db, offered, spinners):
    at = prepare("csv", {"actor": "coalition"})
    assert [b.label for b in at.download_button] == ["Download CSV",
                                                     "Download its description (CSV on the Web metadata)"]
    table = pd.read_csv(io.BytesIO(offered["incidents.csv"]))
    assert list(table.columns[:2]) == ["uid", "date_start"] and set(table["actor"]) == {"coalition"}
    about = json.loads(offered["incidents.csv-metadata.json"])
    assert about["url"] == "incidents.csv" and about["dc:description"][0].startswith("Incidents: US-led coalition")
    assert any(text.startswith("Building the CSV file of") for text in spinners)


@pytest.mark.parametrize("fmt", ["geojson", "xlsx"])
def test_other_formats_download_and_carry_their_description(app_db, offered, spinners, fmt):
    at = prepare(fmt)
    assert [b.label for b in at.download_button] == [f"Download {fmt.upper()}"]
    data = offered[f"incidents.{fmt}"]
    if fmt == "geojson":
        document = json.loads(data)
        assert document["features"] and document["metadata"]["description"][0].startswith("Incidents: all actors")
    else:
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames == ["incidents", "claims", "about"]
    assert any(text.startswith(f"Building the {fmt.upper()} file of") for text in spinners)
