"""Every cache of the dashboard, in one module.

* ``st.cache_resource``: the store (engine), the gazetteer, the boundaries prepared for the map, and the
  prepared incident frame of one data version with its query engine (:class:`Data`;
  :class:`incidents.analysis.engine.Engine`: the frame and its claims in an in-process DuckDB). The frame is shared by every session and
  **never mutated** (views take copies of the few rows they show); keying it on ``store.data_version()``
  makes every process rebuild it after any write, and ``max_entries=2`` lets sessions still on the old
  version finish. It is a resource, not ``cache_data``, because copying a million-row frame on every
  access would cost more than the whole rerun.
* ``st.cache_data``: everything derived from (database URL, data version, effective filter[, options]): totals,
  per-place and per-period summaries, the map's data layers, the table's rows — each one query of the engine,
  the filter its WHERE clause (no step waits for another's selection mask). The filter is a frozen
  dataclass of tuples and dates, so it is the cache key as it is; outputs are small.

Only this module reads the environment (``Settings.from_env``) and the gazetteer.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from geodata.errors import GeodataError
from incidents.analysis import aggregate, mapping, snapshot, svg_timeline
from incidents.analysis import counting as counting_rules
from incidents.analysis.boundaries import NO_BOUNDARIES, Boundaries, build_boundaries, unit_ids
from incidents.analysis.choices import Options, filter_options
from incidents.analysis.engine import Engine
from incidents.analysis.filters import Filter
from incidents.analysis.frame import build_frame, search_column
from incidents.io.exporter import export_incidents
from incidents.services.sample import open_with_sample
from incidents.services.settings import Settings
from incidents.storage.store import Store
from incidents.ui import folium_map
from incidents.ui.i18n import t

log = logging.getLogger(__name__)

_TTL = 3600

#: How the cached functions below key their filter: by its ``repr`` (a frozen dataclass of tuples, dates and strings:
#: the same filter, the same text), not by Streamlit's walk through a copy of every field (milliseconds a call, and
#: a filter change makes a dozen).
_FILTER_KEY: dict[Any, Callable[[Any], Any]] = {Filter: repr}


def get_settings() -> Settings:
    """Return the installation's settings (environment read on each call: cheap, and tests change it)."""
    return Settings.from_env()


def _language() -> str:
    """The interface language of this session ("en" outside a session)."""
    from incidents.ui.state import LANG_KEY

    try:
        lang = st.session_state.get(LANG_KEY, "en")
    except Exception:  # noqa: BLE001 - no session (a cached function called from a script or test)
        return "en"
    return lang if lang in ("en", "ar") else "en"


def _spinning(key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Show the catalogue's spinner ``key`` in the interface language while the wrapped cached function runs.

    A cached function's own ``show_spinner`` text is fixed when the module is imported, in one language; this
    wrapper asks for the words at each call. ``st.spinner`` waits half a second before showing, so a cache hit
    shows nothing.
    """
    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with st.spinner(t(key, _language())):
                return function(*args, **kwargs)
        return run
    return wrap


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    """Return the store at ``url`` (opened and migrated once per process; a new database gets the sample)."""
    return open_with_sample(url)


@_spinning("spin_gazetteer")
@st.cache_resource(show_spinner=False)
def get_gazetteer() -> Any:
    """Return the bundled gazetteer, or None if it cannot be loaded (the dashboard then shows no outlines)."""
    try:
        from geodata import load_gazetteer

        gazetteer = load_gazetteer()
    except Exception:  # noqa: BLE001 - a broken gazetteer must not take the dashboard down
        log.exception("gazetteer unavailable: maps show no boundaries, places keep the names incidents carry")
        return None
    _exempt_from_garbage_collection()
    return gazetteer


def _exempt_from_garbage_collection() -> None:
    """Move every object alive now (the libraries' modules and the gazetteer: about 450,000 objects that live as
    long as the process) out of the garbage collector's view. Each full collection walked them all, 0.15–0.2 s
    at random moments of a rerun; objects made later are collected as usual (``gc.freeze``)."""
    global _FROZEN  # noqa: PLW0603 - once per process: a cleared resource cache must not freeze again
    if _FROZEN:
        return
    gc.collect()
    gc.freeze()
    _FROZEN = True


_FROZEN = False


# -- the incident data of one version -----------------------------------------------------------------------


@dataclass(frozen=True)
class Data:
    """The prepared frame of one data version and what is derived from it once (read-only)."""

    version: int
    frame: pd.DataFrame
    places: pd.DataFrame  # aggregate.place_table
    engine: Engine  # the frame and its claims in DuckDB: every selection and summary is a query
    options: Options


def _names(gazetteer: Any) -> Callable[[str], tuple[str, str] | None] | None:
    if gazetteer is None:
        return None

    def names(key: str) -> tuple[str, str] | None:
        place = gazetteer.get(key)
        return (place.name_ar, place.name_en) if place is not None else None

    return names


def _variants(gazetteer: Any) -> Callable[[str], str] | None:
    if gazetteer is None:
        return None

    @cache
    def variants(place_id: str) -> str:
        place = gazetteer.get(place_id)
        return " ".join(place.names) if place is not None else ""

    return variants


def get_data(url: str, version: int) -> Data:
    """Return the prepared incident data of the store at ``url`` for data version ``version``."""
    try:
        return _get_data(url, version, get_settings().cache_dir)
    finally:  # also when the run was stopped after the load (the spinner's end is where a rerun lands)
        _settle_loads()


def _settle_loads() -> None:
    """Settle the loads not settled yet (:func:`_settle_after_load`), whichever call made them: one thread at a
    time, and never twice for one load."""
    with _LOADS_LOCK:
        done, loaded = _LOADS
        if loaded == done:
            return
        _settle_after_load(replaced=done > 0 or loaded > 1)
        _LOADS[0] = loaded


def _settle_after_load(*, replaced: bool) -> None:
    """Take what is alive after a data version loaded out of the garbage collector's view (``gc.freeze``).

    What lives as long as the version (the frame's columns, the engine, the options) and what the pages imported
    since the gazetteer was frozen stay in the collector's oldest generation otherwise, and every full collection
    walks them all: tens of milliseconds every few filter changes (issue #16). Frozen objects are never collected,
    so when a version loads after another (``replaced``: the cache may have pushed an older one out, and any
    object frozen since may be garbage now), everything is unfrozen, collected and frozen again (a full walk, a few
    tenths of a second beside a load of seconds): a version pushed out of the cache is freed then, even when its
    objects hold reference cycles, and what else was frozen and died since is freed at the next load. The first
    load collects only what is not frozen yet (the gazetteer froze as it loaded). Whatever else is alive at that
    moment (open sessions' objects, a map being built) is frozen too: its cyclic garbage waits for the next load,
    at most one such snapshot (on a deployment nobody writes to, until the process restarts).

    The youngest generation is then collected every :data:`YOUNG_COLLECTION` new objects rather than Python's 700:
    a filter change makes some ten thousand lists and tuples (popup lines, payload columns) and almost none of
    them in a reference cycle, and each collection of the young walked those still being built (2–3 ms of every
    change at 1M incidents, measured; memory held by cyclic garbage meanwhile: at most that many small objects)."""
    if replaced:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
    young, *older = gc.get_threshold()
    if 0 < young < YOUNG_COLLECTION:  # 0: collection switched off by whoever runs us; left so
        gc.set_threshold(YOUNG_COLLECTION, *older)


#: New container objects between two collections of the youngest generation, once data has loaded.
YOUNG_COLLECTION = 20_000


#: How many data versions this process has settled and loaded (changed by :func:`_settle_loads` and the cached
#: loader, under ``_LOADS_LOCK`` for the loader's count too: two loads of different stores may run at once).
_LOADS = [0, 0]
_LOADS_LOCK = threading.Lock()


@_spinning("spin_incidents")
@st.cache_resource(max_entries=2, show_spinner=False)
def _get_data(url: str, version: int, folder: Path) -> Data:
    """The prepared data (see :func:`get_data`), its frame snapshots kept in ``folder``."""
    with _LOADS_LOCK:
        _LOADS[1] += 1
    store = get_store(url)
    gazetteer = get_gazetteer()
    loaded: dict[str, pd.DataFrame] = {}

    def claims() -> pd.DataFrame:
        if "claims" not in loaded:
            loaded["claims"] = store.load_claim_table()
        return loaded["claims"]

    def build_incidents() -> pd.DataFrame:
        return aggregate.prepare_frame(build_frame(store.load_incident_table(), claims(), with_search=False))

    def build_sources() -> pd.DataFrame:
        table = claims()
        columns = ["incident_uid", "source_name", "url", "source_kind", "language", "published"]
        return table[columns].copy() if len(table) else pd.DataFrame(columns=columns)

    frame = snapshot.load_or_build(folder, url, version, build_incidents, "frame")
    sources = snapshot.load_or_build(folder, url, version, build_sources, "sources")
    places = aggregate.place_table(frame, _names(gazetteer))
    engine = Engine(frame, sources, search=lambda: get_search(url, version))
    return Data(version=version, frame=frame, places=places, engine=engine,  # the claims live in the engine only
                options=filter_options(frame, places, gazetteer))


@_spinning("spin_search")
@st.cache_resource(max_entries=2, show_spinner=False)
def get_search(url: str, version: int) -> pd.Series:
    """Return the search text of the prepared frame (built the first time somebody searches: it is the costly
    part of loading a big store)."""
    return search_column(get_data(url, version).frame, _variants(get_gazetteer()))


def with_search(url: str, version: int) -> pd.DataFrame:
    """Return the prepared frame with its ``search`` column (a shallow copy; the cached frame is untouched)."""
    return get_data(url, version).frame.assign(search=get_search(url, version))


def current_data(store: Store, url: str) -> Data:
    """Return the data of the store's current version (one small query per rerun to read the version)."""
    return get_data(url, store.data_version())


# -- derived from (url, version, filter) ------------------------------------------------------------------


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def totals(url: str, version: int, chosen: Filter) -> aggregate.Totals:
    """Return the headline figures of the filtered incidents."""
    engine = get_data(url, version).engine
    return engine.totals(engine.where(chosen))


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def places(url: str, version: int, chosen: Filter) -> pd.DataFrame:
    """Return the per-place summary of the filtered incidents (totals under ``chosen.figure``)."""
    data = get_data(url, version)
    return data.engine.summarise_places(data.engine.where(chosen), data.places, chosen.figure)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def periods(url: str, version: int, chosen: Filter, freq: str, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the per-period, per-actor summary and the per-period band of the filtered incidents."""
    engine = get_data(url, version).engine
    by_actor = engine.summarise_periods(engine.where(chosen), freq, chosen.figure, lang)
    return by_actor, aggregate.summarise_bands(by_actor)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def spans_and_delays(url: str, version: int, chosen: Filter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the date-range incidents and the report-delay bins of the filtered incidents."""
    engine = get_data(url, version).engine
    where = engine.where(chosen)
    return engine.date_spans(where), engine.summarise_delays(where)


TABLE_COLUMNS = ["uid", "date_start", "date_end", "place_key", "place_name_en", "place_name_ar", "place_text",
                 "actor", "event_type", "killed_min", "killed_max_or_min", "killed_best_or_min", "killed_open",
                 "civilians", "children_killed", "women_killed", "grading", "status", "n_claims", "source_names",
                 "description", "location_precision", "injured_min", "injured_max"]


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def rows(url: str, version: int, chosen: Filter, limit: int) -> tuple[pd.DataFrame, int]:
    """Return the newest ``limit`` filtered incidents (table columns) and how many there are in all."""
    data = get_data(url, version)
    where = data.engine.where(chosen)
    return table_rows(data, data.engine.positions(where, limit)), data.engine.count(where)


def table_rows(data: Data, positions: np.ndarray) -> pd.DataFrame:
    """Return the table columns of the incidents at ``positions``; an incident located only to an area (the
    governorate, a district) and naming no place of its own takes the area's names, so its Place cell is not
    empty."""
    table = data.frame.iloc[positions][TABLE_COLUMNS].reset_index(drop=True)
    unnamed = table["place_name_en"].isna() & table["place_name_ar"].isna() & table["place_key"].notna()
    if not unnamed.any():
        return table
    names = data.places.drop_duplicates("place_key").set_index("place_key")
    for column, source in (("place_name_en", "name_en"), ("place_name_ar", "name_ar")):
        filled = table.loc[unnamed, "place_key"].map(names[source])
        table[column] = table[column].astype(object)
        table.loc[unnamed, column] = filled.where(filled.notna(), None)
    return table


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def selected_uids(url: str, version: int, chosen: Filter) -> list[str]:
    """Return the ids of every filtered incident, newest first (what an export holds)."""
    data = get_data(url, version)
    return data.frame["uid"].to_numpy()[data.engine.positions(data.engine.where(chosen))].tolist()


# -- the map --------------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def map_labels(lang: str) -> list[list]:
    """Return the base map's name labels in ``lang`` (:func:`incidents.analysis.mapping.place_labels`), worked
    out once per language: the boundaries and the gazetteer's towns are fixed for the process."""
    bounds = boundaries()
    return mapping.place_labels(bounds.levels, bounds.settlements, lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def base_map(lang: str, tiles: str, prefix: str) -> folium_map.RenderedMap:
    """Return the base map (boundaries, names; :func:`incidents.analysis.mapping.build_base_map`) rendered for the
    component (:func:`incidents.ui.folium_map.render_base`), once per language, tiles and asset prefix: it depends on nothing the user filters. Only called during a page's run (it imports streamlit-folium)."""
    bounds = boundaries()
    fmap = mapping.build_base_map(bounds.levels, tiles=tiles, assets=mapping.Assets(prefix=prefix), bounds=bounds.bounds,
                                  lang=lang, labels=map_labels(lang))
    return folium_map.render_base(fmap)


@st.cache_resource(show_spinner=False)
def boundaries() -> Boundaries:
    """Return the boundaries the map draws (:func:`incidents.analysis.boundaries.build_boundaries`); none when the gazetteer
    or its boundary files cannot be read: the map then shows no outlines, as without a gazetteer."""
    gazetteer = get_gazetteer()
    if gazetteer is None:
        return NO_BOUNDARIES
    try:
        return build_boundaries(gazetteer)
    except GeodataError:
        log.exception("boundaries unavailable: maps show no outlines")
        return NO_BOUNDARIES


@_spinning("spin_map")
@st.cache_data(max_entries=16, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def map_data(url: str, version: int, chosen: Filter, lang: str, profile: str | None) -> mapping.MapData:
    """Return the map's data layers for the filtered incidents, fitted to the payload budget."""
    engine = get_data(url, version).engine
    base = boundaries()
    return mapping.build_selection_map_data(
        engine, engine.where(chosen), places(url, version, chosen), chosen.figure, unit_ids=unit_ids(base),
        profile=profile, lang=lang, base_size=base.size)


@st.cache_data(max_entries=16, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def map_layers(url: str, version: int, chosen: Filter, lang: str, profile: str | None, layers: tuple[str, ...],
               prefix: str) -> folium_map.RenderedLayers:
    """Return the chosen data layers of :func:`map_data` rendered for the component (escaped JSON in script: about
    70 ms at the payload budget, spent once per filter and layer choice). Only called during a page's run."""
    data = map_data(url, version, chosen, lang, profile)
    return folium_map.render_layers(mapping.build_overlays(data, layers, mapping.Assets(prefix=prefix)))


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def timeline_svg(url: str, version: int, chosen: Filter, lang: str) -> str:
    """Return the overview's monthly timeline as SVG (:func:`incidents.analysis.svg_timeline.build_timeline_svg`)."""
    by_actor, bands = periods(url, version, chosen, "month", lang)
    return svg_timeline.build_timeline_svg(by_actor, bands, figure=chosen.figure, lang=lang, height=300)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def source_counts(url: str, version: int, chosen: Filter) -> pd.DataFrame:
    """Return how many filtered incidents each source reported, most first (top 25)."""
    engine = get_data(url, version).engine
    return engine.count_sources(engine.where(chosen))


@st.cache_data(max_entries=4, ttl=600, show_spinner=False, hash_funcs=_FILTER_KEY)  # the page shows its own spinner
def export_bytes(url: str, version: int, chosen: Filter, fmt: str, about: str, authors: bool = True) -> bytes:
    """Return the export file of every filtered incident (with claims) in ``fmt``, ``about`` written in;
    without who entered and changed the records unless ``authors``."""
    uids = selected_uids(url, version, chosen)
    return export_incidents(get_store(url).list_incidents(uids), fmt, about=about, authors=authors)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def place_view(url: str, version: int, chosen: Filter, place_key: str, limit: int = 1000
               ) -> tuple[pd.DataFrame, aggregate.Totals, pd.DataFrame, pd.DataFrame]:
    """Return one place's filtered incidents (newest ``limit``), totals, and monthly periods and band."""
    data = get_data(url, version)
    where = data.engine.where(chosen, place_key)
    by_actor = data.engine.summarise_periods(where, "month", chosen.figure)
    return (table_rows(data, data.engine.positions(where, limit)),
            data.engine.totals(where), by_actor, aggregate.summarise_bands(by_actor))


# -- what the totals count (issue #11) --------------------------------------------------------------------------

#: At most this many undecided possible duplicate pairs are looked for (the duplicates page's own limit).
DUPLICATE_LIMIT = 200


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def counting(url: str, version: int, chosen: Filter, published_only: bool, place_key: str | None = None
             ) -> counting_rules.Counting:
    """Return what the totals of ``chosen`` count and leave out (in one place's incidents when ``place_key``),
    with the store's undecided possible duplicates (``published_only``: among published incidents)."""
    data = get_data(url, version)
    checked = len(data.frame) <= counting_rules.DUPLICATE_CHECK_MAX
    pairs = possible_duplicates(url, version, published_only, DUPLICATE_LIMIT) if checked else []
    return counting_rules.count_totals(
        data.engine, chosen, duplicates=[p.pair for p in pairs] if checked else None,
        duplicates_capped=len(pairs) >= DUPLICATE_LIMIT, place_key=place_key,
        totals=totals(url, version, chosen) if place_key is None else None)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False, hash_funcs=_FILTER_KEY)
def cumulative(url: str, version: int, chosen: Filter, place_key: str | None = None) -> pd.DataFrame:
    """Return the filtered cumulative records (context: never summed), in one place when ``place_key``."""
    engine = get_data(url, version).engine
    return engine.cumulative_records(engine.where(chosen, place_key))


ATTRIBUTION = Path(__file__).resolve().parents[2] / "geodata" / "data" / "ATTRIBUTION.md"


@st.cache_data(show_spinner=False)
def attribution() -> str:
    """Return the bundled geographic data's attribution text (Markdown; empty if the file is missing)."""
    return ATTRIBUTION.read_text(encoding="utf-8") if ATTRIBUTION.exists() else ""


def clear_after_write() -> None:
    """Drop derived data after a write in this process (other processes follow the data version)."""
    st.cache_data.clear()


# -- report review and possible duplicates (issue #4) -------------------------------------------------------
# Added by the review engineer (pages 5_Add_report and 6_Possible_duplicates); kept here so that every cache of
# the dashboard stays in this one module.


def review_gazetteer(store: Store, url: str) -> Any:
    """Return the gazetteer with the places and aliases users added to this database (None if unavailable).

    The additions are two small queries per run; the derived gazetteer is rebuilt only when they change.
    """
    from incidents.services import service

    places = service.load_places_added(store)
    aliases = service.load_place_aliases(store)
    if not places and not aliases:
        return get_gazetteer()
    return _gazetteer_with(url, json.dumps([places, aliases], default=str, sort_keys=True, ensure_ascii=False))


@_spinning("spin_added_places")
@st.cache_resource(max_entries=2, show_spinner=False)
def _gazetteer_with(url: str, additions: str) -> Any:
    base = get_gazetteer()
    if base is None:
        return None
    places, aliases = json.loads(additions)
    try:
        return base.with_additions(places, [tuple(pair) for pair in aliases])
    except Exception:  # noqa: BLE001 - a bad added place must not take the review page down
        log.exception("places added by users could not be added to the gazetteer; using the bundled one")
        return base


def possible_duplicates(url: str, version: int, published_only: bool, limit: int) -> list:
    """Return the possible duplicate pairs of the store (best ``limit``), decided pairs left out.

    ``published_only`` restricts them to published incidents (for readers who see only those).
    """
    from incidents.services.dedupe import PossibleDuplicate

    rows = _possible_duplicates(url, version, published_only, limit)
    return [PossibleDuplicate(a, b, score, tuple(tuple(c) for c in codes)) for a, b, score, codes in rows]


# Cached as plain tuples and dicts, not the package's dataclasses: st.cache_data pickles its values, and a class
# reloaded by Streamlit's file watcher no longer pickles ("not the same object").
@_spinning("spin_duplicates")
@st.cache_data(max_entries=8, ttl=_TTL, show_spinner=False)
def _possible_duplicates(url: str, version: int, published_only: bool, limit: int) -> list[tuple]:
    from incidents.services import dedupe

    frame = with_search(url, version)  # the finder compares wording
    if published_only:
        frame = frame[(frame["status"] == "published").to_numpy()]
    pairs = dedupe.find_possible_duplicates(frame, dedupe.load_decided_pairs(get_store(url)), limit=limit)
    return [(p.uid_a, p.uid_b, p.score, p.codes) for p in pairs]


def stored_incident(url: str, version: int, uid: str) -> Any:
    """Return stored incident ``uid`` with its claims (None if there is none or it was deleted or merged)."""
    from incidents.domain.records import Claim, Incident

    data = _stored_incident(url, version, uid)
    if data is None:
        return None
    return Incident(**{**data, "tags": tuple(data["tags"]), "claims": [Claim(**c) for c in data["claims"]]})


@st.cache_data(max_entries=256, ttl=_TTL, show_spinner=False)
def _stored_incident(url: str, version: int, uid: str) -> dict | None:
    from incidents.domain.errors import NotFound

    try:
        return get_store(url).get_incident(uid).to_dict()
    except NotFound:
        return None
