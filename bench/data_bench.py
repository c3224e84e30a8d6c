"""Server-side figures: loading a store into the prepared frame, and one filter change on it.

Loading is measured step by step on the product's path (``Store.load_incident_table`` /
``load_claim_table`` → ``incidents.analysis.frame.build_frame`` → ``aggregate.prepare_frame`` → ``place_table`` →
the query engine ``incidents.analysis.engine.Engine``), and the Parquet copy of the prepared frame that the dashboard
keeps per data version (what a restart reads).

A filter change is measured through the dashboard's own cached functions (:mod:`incidents.ui.cache`:
``selection``, ``totals``, ``places``, ``periods``; the map page's ``map_view.map_layers``) with their ``st.cache_data`` entries cleared before each
repetition, so every figure is a cache miss of the real code; the per-step breakdown comes from the same
calls in order: each is a query of the engine (DuckDB). A minimal DuckDB query and a minimal numpy bincount of the
same filter and per-place group-by are timed for comparison.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.results import Results, size_label
from bench.stores import BenchStore
from bench.timing import Stats, once, profile, repeat
from incidents.analysis import aggregate, snapshot
from incidents.analysis.engine import Engine
from incidents.analysis.filters import Filter
from incidents.analysis.frame import build_frame, search_column
from incidents.services.settings import Settings
from incidents.storage.store import Store

SECTION_LOAD = "Loading: store → prepared frame"
SECTION_FILTER = "Filter change: server side"

#: The filter changes a user makes, in turn (each repetition takes the next: no cache can answer).
INTERACTIONS = (
    Filter(actors=("coalition",)),
    Filter(actors=("isis",), date_from=date(2017, 1, 1), date_to=date(2019, 12, 31)),
    Filter(event_types=("air_strike",), civilian_only=True),
    Filter(actors=("russia", "government"), min_killed=2),
    Filter(date_from=date(2018, 9, 10), date_to=date(2019, 3, 23)),
    Filter(actors=("sdf",), figure="max"),
)


def quiet_streamlit() -> None:
    """Silence Streamlit's "no runtime" warnings: the bench calls cached functions outside a server."""
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.state"):
        logging.getLogger(name).setLevel(logging.ERROR)


@dataclass
class Loaded:
    """The dashboard's data of one bench store, as the running app would hold it."""

    store: BenchStore
    version: int
    data: Any  # incidents.ui.cache.Data


# -- loading ------------------------------------------------------------------------------------------------


def _read(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    return store.load_incident_table(), store.load_claim_table()


def measure_reads(results: Results, bstore: BenchStore, repeats: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Time reading both tables from ``bstore``; return the last tables read."""
    store = Store.open(bstore.url, sample=False)
    try:
        inc_stats, incidents = repeat(store.load_incident_table, repeats, budget_s=120)
        claim_stats, claims = repeat(store.load_claim_table, repeats, budget_s=120)
    finally:
        store.engine.dispose()
    label = f"({bstore.backend})"
    results.add(SECTION_LOAD, f"read incidents table {label}", inc_stats, "s", size=bstore.size,
                note="Store.load_incident_table (pandas.read_sql)")
    results.add(SECTION_LOAD, f"read claims table {label}", claim_stats, "s", size=bstore.size,
                note="Store.load_claim_table")
    return incidents, claims


def measure_builders(results: Results, size: int, incidents: pd.DataFrame, claims: pd.DataFrame,
                     repeats: int) -> pd.DataFrame:
    """Time the frame builder, prepare_frame and place_table; return the prepared frame."""
    stats, frame = repeat(lambda: build_frame(incidents, claims, with_search=False), repeats, budget_s=120)
    results.add(SECTION_LOAD, "build_frame", stats, "s", size=size,
                note="incidents.analysis.frame.build_frame, search text left for the first search (as the dashboard)")
    stats, _ = repeat(lambda: search_column(frame), repeats, budget_s=120)
    results.add(SECTION_LOAD, "search_column (first text search)", stats, "s", size=size)
    stats, prepared = repeat(lambda: aggregate.prepare_frame(frame), repeats, budget_s=60)
    results.add(SECTION_LOAD, "aggregate.prepare_frame", stats, "s", size=size)
    stats, _ = repeat(lambda: aggregate.place_table(prepared), repeats, budget_s=30)
    results.add(SECTION_LOAD, "aggregate.place_table", stats, "s", size=size)
    stats, _ = repeat(lambda: Engine(prepared, claims).close(), repeats, budget_s=60)
    results.add(SECTION_LOAD, "engine.Engine (frame and claims into DuckDB)", stats, "s", size=size)
    return prepared


def measure_parquet(results: Results, size: int, prepared: pd.DataFrame, repeats: int) -> None:
    """Time writing and reading the prepared frame as Parquet (a persistent start-up cache)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "frame.parquet"
        stats, _ = repeat(lambda: prepared.to_parquet(path, index=False), repeats, budget_s=60)
        results.add(SECTION_LOAD, "prepared frame → Parquet (write)", stats, "s", size=size)
        stats, _ = repeat(lambda: pd.read_parquet(path), repeats, budget_s=60)
        results.add(SECTION_LOAD, "prepared frame ← Parquet (read)", stats, "s", size=size,
                    note=f"{path.stat().st_size / 1e6:.1f} MB file")


def profile_product_builder(results: Results, incidents: pd.DataFrame, claims: pd.DataFrame, rows: int) -> None:
    """Profile the product's ``build_frame`` on ``rows`` incidents (cProfile, top functions)."""
    head = incidents.head(rows)
    text, _ = profile(lambda: build_frame(head, claims[claims["incident_uid"].isin(set(head["uid"]))]), top=18)
    results.profiles[f"incidents.analysis.frame.build_frame on {rows:,} incidents (cProfile, cumulative)"] = text


# -- the dashboard's data, as the app holds it --------------------------------------------------------------


def load_dashboard_data(results: Results, bstore: BenchStore) -> Loaded:
    """Load the store through ``incidents.ui.cache.get_data`` (timed once, cold) and keep it."""
    import streamlit as st

    from incidents.ui import cache

    quiet_streamlit()
    st.cache_resource.clear()
    st.cache_data.clear()
    store = cache.get_store(bstore.url)
    version = store.data_version()
    folder = Settings.from_env().cache_dir
    for name in ("frame", "sources"):  # cold means cold: no snapshot of an earlier run is read
        if folder is not None:
            snapshot.snapshot_path(folder, bstore.url, version, name).unlink(missing_ok=True)
    elapsed, data = once(lambda: cache.get_data(bstore.url, version))
    results.add(SECTION_LOAD, "cache.get_data, cold", elapsed, "s", size=bstore.size,
                note="the dashboard's whole load: read, build, prepare, place table, options, snapshot written",
                key=f"load_s_{size_label(bstore.size)}")
    return Loaded(store=bstore, version=version, data=data)


# -- one filter change ----------------------------------------------------------------------------------------


def page_for(url: str, version: int, chosen: Filter) -> Any:
    """Return a stand-in for the dashboard's ``Page`` (what ``incidents.ui.map_view`` reads of it)."""
    from types import SimpleNamespace

    from incidents.services.settings import Settings

    return SimpleNamespace(name="map", url=url, version=version, chosen=chosen, effective=chosen, lang="en",
                           settings=Settings(database_url=url), params={})


def _steps(url: str, version: int, chosen: Filter) -> dict[str, float]:
    """Run what the map page and the timeline compute after a filter change; return seconds per step.

    Each step is its own query of the engine with the filter as its WHERE clause: no step computes a selection
    mask for the others (the mask of every row, :meth:`incidents.analysis.engine.Engine.mask`, serves only scripts and is
    timed apart by :func:`measure_selection`).
    """
    from incidents.ui import cache, map_view

    page = page_for(url, version, chosen)
    steps: dict[str, Callable[[], Any]] = {
        "totals": lambda: cache.totals(url, version, chosen),
        "places (per-place summary)": lambda: cache.places(url, version, chosen),
        "map data (map_view.map_layers)": lambda: map_view.map_layers(page),
        "periods (timeline data)": lambda: cache.periods(url, version, chosen, "month", "en"),
    }
    return {name: once(step)[0] for name, step in steps.items()}


def measure_interaction(results: Results, loaded: Loaded, repeats: int) -> None:
    """Time one filter change through the dashboard's cached functions (cache misses), step by step."""
    import streamlit as st

    url, version, size = loaded.store.url, loaded.version, loaded.store.size
    _steps(url, version, Filter())  # warm-up: boundaries and other one-off resources
    runs = []
    for i in range(max(1, repeats)):
        st.cache_data.clear()
        runs.append(_steps(url, version, INTERACTIONS[i % len(INTERACTIONS)]))
    label = size_label(size)
    for name in runs[0]:
        results.add(SECTION_FILTER, name, Stats(tuple(r[name] for r in runs)).scaled(1000), "ms", size=size)
    filter_ms = Stats(tuple(r["places (per-place summary)"] for r in runs))
    results.add(SECTION_FILTER, "filter + per-place aggregation", filter_ms.scaled(1000), "ms", size=size,
                note="places: one query, the filter its WHERE clause", key=f"filter_ms_{label}")
    total = Stats(tuple(sum(r.values()) for r in runs))
    results.add(SECTION_FILTER, "server total: map and timeline data", total.scaled(1000), "ms", size=size,
                note="all steps above", key=f"server_ms_{label}")


def measure_selection(results: Results, loaded: Loaded, repeats: int) -> None:
    """Time the mask of every selected row (the engine's ``mask``: not on a page's path since the engine, #16)."""
    engine = loaded.data.engine

    def run(i: int) -> float:
        return once(lambda: engine.mask(engine.where(INTERACTIONS[i % len(INTERACTIONS)])))[0]

    runs = Stats(tuple(run(i) for i in range(max(1, repeats))))
    results.add(SECTION_FILTER, "selection mask of every row (Engine.mask; no page needs it)", runs.scaled(1000),
                "ms", size=loaded.store.size)


def profile_interaction(results: Results, loaded: Loaded) -> None:
    """Profile one filter change (cache miss) through the dashboard's cached functions."""
    import streamlit as st

    st.cache_data.clear()
    text, _ = profile(lambda: _steps(loaded.store.url, loaded.version, INTERACTIONS[0]), top=22)
    results.profiles[f"one filter change at {loaded.store.size:,} incidents (cProfile, cumulative)"] = text


def measure_text_filter(results: Results, loaded: Loaded, repeats: int) -> None:
    """Time the free-text filter (substring search in the ``search`` column), as the dashboard runs it: the search
    text is built the first time somebody searches (timed apart), then every search scans it."""

    engine = loaded.data.engine
    elapsed, _ = once(lambda: engine.count(engine.where(Filter(text="Hajin"))))
    results.add(SECTION_FILTER, "text search: first search builds the search text (cache.get_search, into the engine)",
                elapsed, "s", size=loaded.store.size)
    words = ("Hajin", "البوكمال", "Mayadin", "الشعفة")
    stats, _ = repeat(lambda: engine.mask(engine.where(Filter(text=words[int(time.time()) % len(words)]))), repeats,
                      budget_s=20)
    results.add(SECTION_FILTER, "text search filter (engine mask, one word)", stats.scaled(1000), "ms",
                size=loaded.store.size)


# -- DuckDB, the same question ----------------------------------------------------------------------------------


def measure_duckdb(results: Results, loaded: Loaded, repeats: int) -> None:
    """Time filter + per-place group-by in DuckDB over the prepared frame's columns (engine comparison)."""
    try:
        import duckdb
    except ImportError:
        results.skip(SECTION_FILTER, "DuckDB filter + group-by", "duckdb not installed", size=loaded.store.size)
        return
    frame = loaded.data.frame
    table = pd.DataFrame({
        "place": frame["place_key"].cat.codes.to_numpy(), "actor": frame["actor"].astype(str).to_numpy(),
        "grading": frame["grading"].astype(str).to_numpy(), "date_start": frame["date_start"].to_numpy(),
        "killed_min": frame["killed_min"].to_numpy(), "killed_max": frame["killed_max_or_min"].to_numpy()})
    con = duckdb.connect()
    con.register("incidents", table)
    sql = ("SELECT place, count(*) AS n, sum(killed_min) AS killed_min, sum(killed_max) AS killed_max, "
           "min(date_start) AS first, max(date_start) AS last FROM incidents WHERE place >= 0 AND actor IN "
           "('coalition') AND grading <> 'discounted' GROUP BY place")
    stats, _ = repeat(lambda: con.execute(sql).fetchnumpy(), repeats, budget_s=20)
    results.add(SECTION_FILTER, "DuckDB: same filter + group-by per place", stats.scaled(1000), "ms",
                size=loaded.store.size, note="in-process, over the frame's columns")
    codes = table["place"].to_numpy()

    def pandas_same() -> np.ndarray:
        keep = (codes >= 0) & (table["actor"].to_numpy() == "coalition") & (table["grading"].to_numpy() != "discounted")
        return np.bincount(codes[keep], weights=np.nan_to_num(table["killed_min"].to_numpy()[keep]))

    stats, _ = repeat(pandas_same, repeats, budget_s=20)
    results.add(SECTION_FILTER, "numpy: same filter + bincount per place", stats.scaled(1000), "ms",
                size=loaded.store.size, note="the product's approach, minimal")
    con.close()
