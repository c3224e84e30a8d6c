"""The column-wise import (#13, speed) stores exactly what the row-by-row import stores, on SQLite and PostgreSQL.

One varied file — Arabic and English headers, ranges, partial dates, contested actors, several sources in a
row, extra columns, gradings an editor may not set, duplicate codes and bad rows — goes through both paths into
two new stores; every stored incident and claim is compared field by field (matched by the row of the file its
audit entry names), and so are the rejected rows, the unplaced names and a re-import of the same file.
"""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from incidents.domain.users import User
from incidents.services import service
from incidents.services.importer import ImportOptions, import_incidents, read_incidents
from incidents.storage import schema
from incidents.storage.store import Store
from tests.conftest import _reset_pg
from tests.io.test_mapping_import import FakeGazetteer

EDITOR = User("editor-paths", "editor")
HEADER = ["incident_code", "تاريخ الحادثة", "date_range_end", "location_en", "location_ar", "Latitude", "Longitude",
          "belligerent", "القتلى الأدنى", "القتلى الأعلى", "children_killed_min", "children_killed_max", "civilians",
          "sources", "source_name", "quote", "grading", "tags", "Researcher note"]
PLACES = [("Hajin", "هجين", "", ""), ("Al-Mayadin", "الميادين", "35.0139", "40.4536"), ("", "الباغوز", "", ""),
          ("Xyzzy Farms", "مزارع زيزي", "", ""), ("Abu Kamal", "", "34.4505", "40.9186")]
ACTORS = ["coalition", "Russian Military", "التحالف الدولي", "Russian Military, U.S.-led Coalition", "", "SDF"]


def _row(n: int) -> list[str]:
    """Row ``n`` of the file: mostly clean rows, every few rows something only the row parser reads or a fault."""
    en, ar, lat, lon = PLACES[n % len(PLACES)]
    day = f"2017-{1 + n % 12:02d}-{1 + n % 27:02d}"
    end = f"2017-{1 + n % 12:02d}-{5 + n % 20:02d}" if n % 4 == 1 else ""
    low, high = str(n % 9), str(n % 9 + n % 3)
    cells = [f"DZ-{n:03d}", day, end, en, ar, lat, lon, ACTORS[n % len(ACTORS)], low, high, "", "",
             ["yes", "", "no"][n % 3], "", f"Synthetic Monitor {'ABC'[n % 3]}", f"A synthetic sentence {n}.",
             "", "synthetic" if n % 2 else "synthetic;test", "note" if n % 5 == 0 else ""]
    faults = {
        7: {1: "2017-10"},  # a month: expanded by the row parser
        11: {10: "1", 11: "3"},  # children as a range (extra)
        13: {13: "Monitor A <https://example.org/a/13>; Paper B <https://example.com/b/13>", 14: "", 15: ""},
        17: {8: "lots"},  # unreadable toll
        19: {1: "2017-02-30"},  # impossible date
        23: {8: "9", 9: "2"},  # min above max
        29: {5: "51.5", 6: "-0.12"},  # outside the region
        31: {16: "reliable"},  # a grading an editor may not set
        37: {0: "DZ-002"},  # a code used by an earlier row
        41: {7: "martians"},  # unknown actor
        43: {14: "", 15: ""},  # no source at all
    }
    for column, value in faults.get(n % 47, {}).items():
        cells[column] = value
    return cells


def _file(rows: int = 120, changed: bool = False) -> bytes:
    """The file; ``changed``: as a later version of it, where some rows quote their source anew or move."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(rows):
        cells = _row(n)
        if changed and n % 10 == 3:
            cells[15] = f"A corrected synthetic sentence {n}."  # a new claim beside the first
        if changed and n % 10 == 6:
            cells[3], cells[5], cells[6] = "Hajin", "34.69", "40.83"  # the place is corrected
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


OPTIONS = {"keep_unmapped": True}


def _import(url: str, data: bytes, rowwise: bool):
    store = Store.open(url, sample=False)
    result = import_incidents(store, EDITOR, data, "paths.csv", skip_invalid=True, gazetteer=FakeGazetteer(),
                              options=ImportOptions(fmt="csv", rowwise=rowwise, **OPTIONS))
    return store, result


def _stored_by_row(store: Store) -> dict:
    """Every stored incident and its claims, keyed by the row its audit entry names, without ids and stamps."""
    with store.engine.connect() as conn:
        entries = conn.execute(select(schema.audit_log.c.entity_uid, schema.audit_log.c.changes).where(
            schema.audit_log.c.entity == "incident")).all()
    row_of = {uid: found["row"][1] for uid, changes in entries if "row" in (found := json.loads(changes))}
    generated = {}
    for incident in store.list_incidents():
        record = incident.to_dict()
        for name in ("created_at", "updated_at", "uid"):  # the file has no ids: each path draws its own
            record.pop(name)
        for claim in record["claims"]:
            for name in ("uid", "incident_uid", "created_at"):
                claim.pop(name)
        generated[row_of[incident.uid]] = record
    return generated


def _run(url: str, data: bytes, rowwise: bool) -> dict:
    """Import ``data`` into the empty database at ``url``, then again; return what each step gave."""
    store, result = _import(url, data, rowwise)
    try:
        stored = _stored_by_row(store)
        again = import_incidents(store, EDITOR, data, "paths.csv", skip_invalid=True, gazetteer=FakeGazetteer(),
                                 options=ImportOptions(fmt="csv", rowwise=rowwise, **OPTIONS))
        later = import_incidents(store, EDITOR, _file(changed=True), "paths.csv", skip_invalid=True,
                                 gazetteer=FakeGazetteer(), options=ImportOptions(fmt="csv", rowwise=rowwise, **OPTIONS))
        stored_later = _stored_by_row(store)
    finally:
        store.engine.dispose()
    return {"summary": result.summary(), "new": len(result.new),
            "rejected": [(e.row, e.field, e.reason) for e in result.rejected], "rejected_csv": result.rejected_csv,
            "unresolved": result.unresolved, "stored": stored, "again": again.summary(),
            "again_counts": (len(again.new), len(again.updated), len(again.unchanged)),
            "later": later.summary(), "later_updated": len(later.updated), "stored_later": stored_later}


def test_the_column_path_reads_most_rows_of_a_clean_file_as_columns():
    parsed = read_incidents(_file(), "paths.csv", options=ImportOptions(fmt="csv", **OPTIONS), keep_columns=True)
    assert parsed.clean is not None and len(parsed.clean) > 50
    assert parsed.total_rows == 120


def test_both_paths_store_the_same_incidents_claims_and_report_the_same_rows(db_url, tmp_path):
    data = _file()
    slow = _run(db_url, data, rowwise=True)
    if db_url.startswith("sqlite"):
        fast_url = f"sqlite:///{tmp_path / 'columns.sqlite3'}"
    else:
        _reset_pg(db_url)
        fast_url = db_url
    fast = _run(fast_url, data, rowwise=False)
    assert {e[0] for e in fast["rejected"]} >= {19, 21, 25, 31, 33, 39, 43, 45}
    assert fast["new"] == len(fast["stored"]) > 80
    for row in slow["stored"]:
        assert fast["stored"].get(row) == slow["stored"][row], f"row {row}"
    assert fast == slow
    assert fast["again_counts"] == (0, 0, fast["new"])
    assert fast["later_updated"] > 10  # a later version of the file updates the rows it changed, on both paths


def test_an_import_writes_one_entry_for_the_file_and_a_small_one_per_incident(sqlite_url):
    data = _file(30)
    store, result = _import(sqlite_url, data, rowwise=False)
    with store.engine.connect() as conn:
        entries = [dict(e) for e in conn.execute(select(schema.audit_log)).mappings()]
    batch = [e for e in entries if e["entity"] == "import"]
    assert len(batch) == 1
    changes = json.loads(batch[0]["changes"])
    assert changes["file"] == [None, "paths.csv"] and len(changes["sha256"][1]) == 64
    assert changes["new"] == [None, len(result.new)] and changes["rows"] == [None, 30]
    assert changes["mapping"][1]["columns"]["تاريخ الحادثة"] == "date_start"
    first = service.history(store, result.new[0], EDITOR)
    assert [e["action"] for e in first] == ["import", "import"]
    pointer = next(e for e in first if e["entity"] == "incident")["changes"]
    assert pointer == {"batch": [None, batch[0]["entity_uid"]], "row": [None, 2], "version": [None, 1]}
    store.engine.dispose()
