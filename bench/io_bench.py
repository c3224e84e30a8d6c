"""The product's import path, timed: a synthetic CSV through ``import_incidents`` into SQLite and PostgreSQL.

The CSV has the project's own columns with one source per row (``source_name`` "SYNTHETIC benchmark data
…", its quote), the way a hand-made table or an export of another installation arrives. Each repetition
imports into a new, empty store (sample data off) as the local administrator, with the gazetteer when it
loads (the dashboard's import page passes it).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from bench import stores, synth
from bench.results import Results
from bench.timing import Stats, once, profile
from incidents.domain.users import LOCAL_USER
from incidents.io.columns import INCIDENT_COLUMNS, SOURCE_COLUMNS
from incidents.services.importer import ImportOptions, import_incidents
from incidents.storage.store import Store

SECTION_IMPORT = "Import, geocoding, extraction"


def import_csv(rows: int, seed: int = 7) -> bytes:
    """Return ``rows`` synthetic incidents as a CSV in the project's columns (one source per row)."""
    data = synth.generate(rows, seed)
    incidents = data.incidents.copy()
    first = data.claims.drop_duplicates("incident_id").set_index("incident_id")
    incidents["source_name"] = incidents["id"].map(first["source_name"])
    incidents["source_kind"] = incidents["id"].map(first["source_kind"])
    incidents["source_language"] = incidents["id"].map(first["language"])
    incidents["source_published"] = pd.to_datetime(incidents["id"].map(first["published"])).dt.strftime("%Y-%m-%d")
    incidents["quote"] = incidents["id"].map(first["quote"])
    incidents["source_url"] = None
    incidents["tags"] = synth.SYNTHETIC_TAG
    incidents["covers"] = None  # the frame stores a JSON list ("[]"); the CSV format lists uids with ";"
    incidents["status"] = "draft"
    for column in ("date_start", "date_end"):
        incidents[column] = pd.to_datetime(incidents[column]).dt.strftime("%Y-%m-%d")
    for column in ("killed_min", "killed_max", "killed_best", "injured_min", "injured_max", "children_killed",
                   "women_killed"):
        incidents[column] = incidents[column].astype("Int64")
    columns = [c for c in (*INCIDENT_COLUMNS, *SOURCE_COLUMNS) if c in incidents.columns and c not in
               ("version", "created_at", "updated_at", "created_by", "updated_by")]
    out = io.StringIO()
    incidents[columns].to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL)
    return out.getvalue().encode("utf-8")


def _gazetteer() -> Any:
    try:
        from geodata import load_gazetteer

        return load_gazetteer()
    except Exception:  # noqa: BLE001 - an unusable gazetteer: import without locating
        return None


def _fresh_store(backend: str, folder: Path) -> tuple[Store, str | None]:
    if backend == "sqlite":
        return Store.open(f"sqlite:///{folder / f'import-{uuid.uuid4().hex[:8]}.sqlite3'}", sample=False), None
    name = f"incidents_bench_import_{uuid.uuid4().hex[:8]}"
    return Store.open(stores.create_pg_database(name, fresh=True), sample=False), name


def _import_once(backend: str, data: bytes, gazetteer: Any, folder: Path,
                 rowwise: bool = False) -> tuple[float, float, float, float, float]:
    """Import ``data`` into a new store, then again (every row unchanged); return (wall seconds, CPU seconds of
    this process, load average) of the first import and (wall, CPU seconds) of the second."""
    store, pg_name = _fresh_store(backend, folder)
    options = ImportOptions(fmt="csv", rowwise=rowwise)
    try:
        cpu = time.process_time()
        elapsed, result = once(lambda: import_incidents(store, LOCAL_USER, data, "bench-import.csv", fmt="csv",
                                                        gazetteer=gazetteer, options=options))
        cpu = time.process_time() - cpu
        if result.rejected:
            raise RuntimeError(f"bench import rejected rows: {result.rejected[:3]}")
        if len(result.new) != result.total_rows:
            raise RuntimeError(f"bench import stored {len(result.new)} incidents: {result.summary()}")
        load = os.getloadavg()[0]
        again_cpu = time.process_time()
        again_elapsed, again = once(lambda: import_incidents(store, LOCAL_USER, data, "bench-import.csv", fmt="csv",
                                                             gazetteer=gazetteer, options=options))
        again_cpu = time.process_time() - again_cpu
        if len(again.unchanged) != again.total_rows:
            raise RuntimeError(f"bench re-import changed rows: {again.summary()}")
        return elapsed, cpu, load, again_elapsed, again_cpu
    finally:
        store.engine.dispose()
        if pg_name:
            stores.drop_pg_database(pg_name)


def measure_import(results: Results, rows: int, repeats: int, backends: tuple[str, ...]) -> None:
    """Time ``import_incidents`` of a ``rows``-row CSV on each backend, column-wise (the product's path) and
    row by row (the reference path, for comparison), and its re-import (every row unchanged); profile the
    column-wise path once on SQLite."""
    data = import_csv(rows)
    gazetteer = _gazetteer()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for backend in backends:
            for rowwise, label, suffix in ((False, "column-wise", ""), (True, "row-wise", "_rowwise")):
                runs = [_import_once(backend, data, gazetteer, folder, rowwise) for _ in range(max(1, repeats))]
                load = f"load {min(r[2] for r in runs):.1f}–{max(r[2] for r in runs):.1f}"
                note = f"{len(data) / 1e6:.1f} MB CSV; gazetteer {'on' if gazetteer else 'off'}; {load}"
                results.add(SECTION_IMPORT, f"import_incidents ({backend}, {label})",
                            Stats(tuple(r[0] for r in runs)).inverted(rows), "rows/s", size=rows, note=note,
                            key=f"import_rows_per_s_{backend}{suffix}")
                results.add(SECTION_IMPORT, f"import_incidents ({backend}, {label}), per CPU second",
                            Stats(tuple(r[1] for r in runs)).inverted(rows), "rows/CPU s", size=rows,
                            note=f"CPU time of the importing process only (the database server's is not counted); "
                                 f"{load}", key=f"import_rows_per_cpu_s_{backend}{suffix}")
                results.add(SECTION_IMPORT, f"import_incidents again, every row unchanged ({backend}, {label})",
                            Stats(tuple(r[3] for r in runs)).inverted(rows), "rows/s", size=rows,
                            note=f"the same file into the store it just filled; {load}",
                            key=f"reimport_rows_per_s_{backend}{suffix}")
                results.add(SECTION_IMPORT, f"import_incidents again ({backend}, {label}), per CPU second",
                            Stats(tuple(r[4] for r in runs)).inverted(rows), "rows/CPU s", size=rows,
                            note=f"CPU time of the importing process only; {load}",
                            key=f"reimport_rows_per_cpu_s_{backend}{suffix}")
        store, _ = _fresh_store("sqlite", folder)
        try:
            text, _ = profile(lambda: import_incidents(store, LOCAL_USER, data, "bench-import.csv", fmt="csv",
                                                       gazetteer=gazetteer), top=22)
            results.profiles[f"import_incidents of {rows:,} rows into SQLite (cProfile, cumulative)"] = text
        finally:
            store.engine.dispose()
