"""The query engine of one data version: the prepared incident frame and its claims in an in-process DuckDB.

Every summary the dashboard draws (totals, per place, per period, per admin unit, source counts, date spans,
report delays) is a ``GROUP BY`` query whose selection is ONE ``WHERE`` clause with bound parameters
(:func:`where_clause` compiles a :class:`~incidents.analysis.filters.Filter`). The engine replaced the hand-made
numpy group-bys (``aggregate.Numbers``, ``ClaimIndex``) after measuring both (bench, "Filter change").

The totals, the places, the admin units and the months of one selection are sums of the same *cells* (the rows
that share a place, an admin3 unit, an actor, a month and a civilian flag; numbered once per data version,
:class:`Cells`): ONE ``GROUP BY cell`` answers all four (:meth:`Engine.selection`), and the engine keeps the
result for the next summaries of the same selection, since a filter change asks for them in turn.

The counting rules (README, "How totals are counted"; :mod:`incidents.analysis.aggregate`) are kept exactly: a
cumulative record is never summed (``NOT summed``); a toll shared by several places counts once, at the first
selected member of its group (the lowest frame position: the frame is newest first); a combined record counts
only what it adds beyond its selected recorded parts, and is not one more incident when any part is selected.
The last two concern few rows, kept in a small ``special`` table: a summary adds them up as corrections of the
plain sums, and skips them when there are none.

The frame stays the source of the rows shown (tables, popups): the engine answers with frame positions
(column ``row``). One engine serves every session of a process: each query runs on its own cursor.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from incidents.analysis.aggregate import (
    CUMULATIVE_COLUMNS,
    DELAY_BINS,
    PERIOD_COLUMNS,
    PLACE_COLUMNS,
    TOLL_COLUMNS,
    Totals,
    combined_parts,
    period_days,
)
from incidents.analysis.filters import Filter, figure_column
from incidents.domain import taxonomy

#: A selection: SQL of a boolean expression over the ``incidents`` table, and its bound parameters.
Where = tuple[str, list]

EVERYTHING: Where = ("TRUE", [])

#: Text columns the filter compares (stored as DuckDB ENUMs: compared by code, not by string).
_TEXT_COLUMNS = ("actor", "event_type", "admin2", "admin3", "place_id", "place_key", "grading", "status",
                 "civilians", "source_kinds", "languages")
_NUMBER_COLUMNS = ("killed_min", "killed_max_or_min", "killed_best_or_min", "children_killed", "women_killed",
                   "report_delay_days")
_TOLL_SQL = {"killed_min": "killed_min", "killed_max_or_min": "killed_max", "killed_best_or_min": "killed_best",
             "children_killed": "children", "women_killed": "women"}


# -- the filter as SQL ------------------------------------------------------------------------------------------


def where_clause(chosen: Filter) -> Where:
    """Return ``chosen`` as one SQL boolean expression over the engine's ``incidents`` table, with its parameters:
    the filter table's own SQL (:meth:`~incidents.analysis.filters.Filter.where`), each word of the text search
    looked up in the engine's table of search texts (:data:`SEARCH_SQL`). Every value the user chose is a bound
    parameter."""
    return chosen.where(search=SEARCH_SQL)


#: One word of the text search: its key in the search text of the row. The search text is kept once per distinct
#: text (``search_texts``; rows that share place, description, quotes and sources share it) and each row holds the
#: code of its own (``search_code``): the strings are searched once each, and a million rows cost 4 MB, not a
#: copy of every row's text.
SEARCH_SQL = "search_code IN (SELECT code FROM search_texts WHERE contains(text, ?))"


def both(where: Where, sql: str, *params: object) -> Where:
    """Return ``where`` narrowed by one more condition ``sql`` (with its parameters)."""
    return f"({where[0]}) AND ({sql})", [*where[1], *params]


# -- the tables -------------------------------------------------------------------------------------------------


def _text(values: pd.Series) -> pd.Categorical:
    """A text column as a categorical of strings (an ENUM in DuckDB); missing values stay missing."""
    coded = values.array if isinstance(values.dtype, pd.CategoricalDtype) else pd.Categorical(values)
    categories = pd.Index([str(c) for c in coded.categories], dtype=object)  # an all-missing column: no strings
    return pd.Categorical.from_codes(np.asarray(coded.codes), categories=categories)


def _dates(values: pd.Series) -> np.ndarray:
    if not (isinstance(values.dtype, np.dtype) and values.dtype.kind == "M"):
        values = pd.to_datetime(values)
    return np.asarray(values.to_numpy(), dtype="datetime64[us]")


def incident_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, Cells]:
    """Return the columns of a (prepared) frame that the engine loads, one row per frame row (``row``), and what
    each value of its ``cell`` column stands for."""
    table = pd.DataFrame({"row": np.arange(len(frame), dtype=np.int32)})
    for column in _TEXT_COLUMNS:
        table[column] = _text(frame[column]) if column in frame.columns else pd.Categorical([None] * len(frame))
    for column in _NUMBER_COLUMNS:
        table[column] = frame[column].to_numpy(dtype="float64") if column in frame.columns else np.nan
    start = _dates(frame["date_start"])
    last = _dates(frame["date_last"]) if "date_last" in frame.columns else np.where(
        np.isnat(_dates(frame["date_end"])), start, _dates(frame["date_end"]))
    table["date_start"], table["date_end"], table["date_last"] = start, _dates(frame["date_end"]), last
    # the days of the timeline, counted once here rather than per query: days since 1970 (months: in the cells)
    undated = np.isnat(start)
    table["day"] = pd.Series(np.where(undated, 0, start.astype("datetime64[D]").astype(np.int64)),
                             dtype="Int32").mask(undated)
    table["first_published"] = _dates(frame["first_published"]) if "first_published" in frame.columns else start
    if "place_key" in frame.columns:
        table["place"] = frame["place_key"].cat.codes.to_numpy().astype(np.int32)
    else:
        table["place"] = np.full(len(frame), -1, dtype=np.int32)
    actor = frame["actor"].cat.codes.to_numpy().astype(np.int16) if isinstance(
        frame["actor"].dtype, pd.CategoricalDtype) else pd.Categorical(frame["actor"]).codes.astype(np.int16)
    table["actor_slot"] = np.where(actor < 0, len(actor_slots(frame)) - 1, actor).astype(np.int16)
    table["killed_open"] = frame["killed_open"].to_numpy().astype(bool) if "killed_open" in frame.columns else False
    kinds = record_kinds(frame)
    table["summed"] = kinds != "cumulative"
    table["cumulative"] = kinds == "cumulative"
    table["toll_code"] = (frame["toll_code"].to_numpy() if "toll_code" in frame.columns
                          else np.full(len(frame), -1)).astype(np.int32)
    months = np.where(undated, 0, start.astype("datetime64[M]").astype(np.int64))
    civilian = np.asarray(table["civilians"].array.codes) == _code(table["civilians"].array, "yes")
    table["cell"], cells = cell_codes(table["place"].to_numpy(), np.asarray(table["admin3"].array.codes),
                                      table["actor_slot"].to_numpy(), months, undated, civilian)
    return table, cells


@dataclass(frozen=True)
class Cells:
    """What each value of the incidents table's ``cell`` column stands for: the rows that share a place, an admin3
    unit, an actor, a month and whether the dead were civilians. Every summary of a selection (totals, per place,
    per admin unit, per month) is a sum of its cells, so one ``GROUP BY cell`` answers them all
    (:meth:`Engine.selection`)."""

    place: np.ndarray  # place code (-1: unmapped)
    admin3: np.ndarray  # admin3 code (-1: none)
    actor_slot: np.ndarray
    month: np.ndarray  # months since 1970 (where dated)
    dated: np.ndarray
    civilian: np.ndarray


def cell_codes(place: np.ndarray, admin3: np.ndarray, actor_slot: np.ndarray, month: np.ndarray,
               undated: np.ndarray, civilian: np.ndarray) -> tuple[np.ndarray, Cells]:
    """Number the combinations of place, admin3 unit, actor, month and civilian flag that occur; return each
    row's cell number and what each cell stands for."""
    dated = ~undated
    low = int(month[dated].min()) if dated.any() else 0
    parts = [(place.astype(np.int64) + 1, int(place.max(initial=-1)) + 2),
             (admin3.astype(np.int64) + 1, int(admin3.max(initial=-1)) + 2),
             (actor_slot.astype(np.int64), int(actor_slot.max(initial=0)) + 1),
             (np.where(dated, month - low + 1, 0), int(month.max(initial=low)) - low + 2),
             (civilian.astype(np.int64), 2)]
    key = np.zeros(len(place), dtype=np.int64)  # mixed radix: well within 64 bits for any gazetteer and decade
    for values, size in parts:
        key = key * size + values
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    cells = Cells(place=place[first].astype(np.int64), admin3=admin3[first].astype(np.int64),
                  actor_slot=actor_slot[first].astype(np.int64), month=month[first].astype(np.int64),
                  dated=dated[first], civilian=civilian[first])
    return inverse.astype(np.int32).reshape(-1), cells


def _code(values: pd.Categorical, category: str) -> int:
    """The code of ``category`` in ``values`` (-2, which no row has, when it is not a category)."""
    found = values.categories.get_indexer(pd.Index([category]))[0]
    return int(found) if found >= 0 else -2


def actor_slots(frame: pd.DataFrame) -> np.ndarray:
    """The actor of each ``actor_slot``: the actor categories, then "unknown" (for a missing actor)."""
    categories = (frame["actor"].cat.categories if isinstance(frame["actor"].dtype, pd.CategoricalDtype)
                  else pd.Categorical(frame["actor"]).categories)
    return np.append(np.asarray(categories, dtype=object), "unknown")


def record_kinds(frame: pd.DataFrame) -> np.ndarray:
    """Each row's record kind as an object array ("incident" where the frame has no ``record_kind``)."""
    if "record_kind" not in frame.columns:
        return np.full(len(frame), "incident", dtype=object)
    return frame["record_kind"].astype(object).fillna("incident").to_numpy(dtype=object)


def claim_table(frame_uids: pd.Series, claims: pd.DataFrame) -> pd.DataFrame:
    """Return the claims the engine loads: the frame ``row`` of each (-1: an incident not in the frame),
    source name and kind (what :meth:`Engine.count_sources` groups by; the links are in
    :class:`ClaimSources`)."""
    rows = np.asarray(pd.Index(frame_uids).get_indexer(claims["incident_uid"]), dtype=np.int32)
    return pd.DataFrame({"row": rows, "source_name": _text(claims["source_name"]),
                         "source_kind": _text(claims["source_kind"])})


@dataclass(frozen=True)
class ClaimSources:
    """The source name and link of every claim, grouped by frame row (built once per data version): the
    claims of row ``r`` are items ``offsets[r]:offsets[r + 1]``, in claim order. A popup's sources are then
    read without a query: a scan of every claim cost 40 ms at 1M incidents, the look-up costs what the
    popups hold."""

    offsets: np.ndarray  # per frame row, and one past the last
    names: np.ndarray  # codes into ``labels`` (-1: no name, the last label)
    labels: np.ndarray  # the source names, then ""
    urls: pa.Array  # strings (null: no link)

    @classmethod
    def of(cls, rows: np.ndarray, claims: pd.DataFrame, size: int) -> ClaimSources:
        """Index ``claims`` (``source_name``, ``url``), whose frame rows are ``rows`` (-1: not in the
        frame), for a frame of ``size`` rows."""
        order = np.argsort(rows, kind="stable")  # by row, then claim order
        order = order[rows[order] >= 0]
        offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[order], minlength=size), out=offsets[1:])
        names = _text(claims["source_name"])
        urls = pa.array(claims["url"], type=pa.string(), from_pandas=True)
        return cls(offsets=offsets, names=np.asarray(names.codes, dtype=np.int32)[order],
                   labels=np.append(np.asarray(names.categories, dtype=object), ""),
                   urls=urls.take(pa.array(order, type=pa.int64())))

    def of_rows(self, rows: np.ndarray) -> list[list[tuple[str, str | None]]]:
        """Return the (source name, URL) of each claim of each frame row in ``rows`` (positions), in claim
        order; a missing name is "", an empty or missing link None."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        items = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        names = self.labels[self.names[items]].tolist()
        urls = self.urls.take(pa.array(items, type=pa.int64())).to_pylist()
        pairs = [(name, url or None) for name, url in zip(names, urls, strict=True)]
        bounds = np.cumsum(lengths).tolist()
        return [pairs[end - length:end] for end, length in zip(bounds, lengths.tolist(), strict=True)]


# -- the engine -------------------------------------------------------------------------------------------------

#: How the incidents table is stored: by actor, then start date. A filter on actors then reads only their
#: stretch of the table (DuckDB skips the row groups whose actors none is chosen), and the rows a selection sums
#: arrive grouped by actor and month, so the ``GROUP BY cell`` updates a few hundred cells at a time instead of
#: jumping across all of them: the selection query took 40 % less CPU at 1M incidents (bench, issue #16).
CLUSTER_ORDER = "actor_slot, date_start, place"


class Engine:
    """An in-process DuckDB over one data version's prepared frame and claims (read-only).

    Parameters
    ----------
    frame
        The prepared frame (:func:`incidents.analysis.frame.prepare_frame`); its positions are the ``row``
        every answer speaks of.
    claims
        Its claim table (``incident_uid``, ``source_name``, ``source_kind``, ``url``), or None.
    search
        Gives the frame's search text (:func:`incidents.analysis.frame.search_column`), asked for the first time a
        filter searches text (it is costly to build); None: the frame's own ``search`` column, else built here.
    """

    def __init__(self, frame: pd.DataFrame, claims: pd.DataFrame | None = None,
                 search: Callable[[], pd.Series] | None = None) -> None:
        self.frame = frame
        self._search = search
        self._lock = threading.Lock()
        self._selections: OrderedDict[tuple[str, str], Selection] = OrderedDict()
        self._has_search = False
        self._names = itertools.count()
        self.size = len(frame)
        self.actors = actor_slots(frame)
        self.places = len(frame["place_key"].cat.categories) if "place_key" in frame.columns else 0
        # the allocator's own threads hand freed memory back to the system (the plain tables that
        # a checkpoint compresses)
        self._con = duckdb.connect(config={"allocator_background_threads": True})
        incidents, self.cells = incident_table(frame)
        self._admin3 = np.asarray(incidents["admin3"].array.categories, dtype=object)
        self.bins = Bins.of(self.cells, self.places, len(self._admin3), len(self.actors))
        self._load("incidents", incidents, order=CLUSTER_ORDER)
        self._load_special(frame, incidents)
        del incidents
        self._load_claims(frame, claims)
        self._compress()
        if "search" in frame.columns and search is None:
            self._add_search(frame["search"])

    def _compress(self) -> None:
        """Store the tables compressed (a checkpoint compresses an in-memory database too): the incidents
        take a fifth of the memory (codes, flags, days and tolls compress well) and are scanned as fast."""
        self._con.execute("CHECKPOINT")

    def _load(self, name: str, table: pd.DataFrame, order: str | None = None) -> None:
        """Copy ``table`` into the database as table ``name`` (seen by every cursor), its rows stored in the SQL
        ``order`` when given (no answer depends on it: each query orders by ``row`` where order matters)."""
        with self._lock:
            self._con.register("_loading", table)
            self._con.execute(f"CREATE TABLE {name} AS SELECT * FROM _loading"
                              + (f" ORDER BY {order}" if order else ""))
            self._con.unregister("_loading")

    def _load_special(self, frame: pd.DataFrame, incidents: pd.DataFrame) -> None:
        """The few rows the counting rules single out: shared tolls, combined records and their parts."""
        combined = combined_parts(frame, record_kinds(frame))
        pairs = pd.DataFrame({"combined": np.array([row for row, parts in combined for _ in parts], dtype=np.int32),
                              "part": np.concatenate([parts for _, parts in combined] or [np.zeros(0)]
                                                     ).astype(np.int32)})
        special = np.zeros(len(frame), dtype=bool)
        special[incidents["toll_code"].to_numpy() >= 0] = True
        special[[row for row, _ in combined]] = True
        special[pairs["part"].to_numpy()] = True
        self._load("parts", pairs)
        self._special_rows = np.flatnonzero(special)
        self._con.execute("CREATE TABLE special AS SELECT * FROM incidents WHERE row IN (SELECT unnest(?))",
                          [self._special_rows.astype(int).tolist()])
        self.has_special = bool(len(self._special_rows))

    def _load_claims(self, frame: pd.DataFrame, claims: pd.DataFrame | None) -> None:
        if claims is None or not len(claims):
            claims = pd.DataFrame({c: pd.Series([], dtype=object)
                                   for c in ("incident_uid", "source_name", "source_kind", "url")})
        table = claim_table(frame["uid"], claims)
        self._load("claims", table)
        self._sources = ClaimSources.of(table["row"].to_numpy(), claims, self.size)
        self.claims = len(claims)

    def _add_search(self, search: pd.Series) -> None:
        coded = _text(search)
        texts = pd.DataFrame({"code": np.arange(len(coded.categories), dtype=np.int32),
                              "text": pd.array(np.asarray(coded.categories, dtype=object), dtype="string[pyarrow]")})
        codes = pd.DataFrame({"row": np.arange(self.size, dtype=np.int32),
                              "code": np.asarray(coded.codes, dtype=np.int32)})  # -1: no text, found by no word
        with self._lock:
            if self._has_search:
                return
            con = self._con.cursor()
            con.register("_texts", texts)
            con.register("_codes", codes)
            con.execute("CREATE TABLE search_texts AS SELECT * FROM _texts")
            for name in ("incidents", "special"):
                con.execute(f"ALTER TABLE {name} ADD COLUMN search_code INTEGER")
                con.execute(f"UPDATE {name} SET search_code = _codes.code FROM _codes WHERE {name}.row = _codes.row")
            con.unregister("_texts")
            con.unregister("_codes")
            self._has_search = True
            try:
                self._compress()  # the search texts too
            except duckdb.Error:  # another query holds a transaction: the texts stay plain, and correct
                pass

    # -- running a query ------------------------------------------------------------------------------------

    def ready(self, where: Where) -> None:
        """Make what a query of ``where`` reads exist now, on the calling thread: the search text when it searches
        text (its builder may be the interface's, which must not run in a worker thread)."""
        if not self._has_search and "search_code" in where[0]:
            self._add_search(self._search() if self._search is not None else _search_of(self.frame))

    def _cursor(self, where: Where) -> duckdb.DuckDBPyConnection:
        self.ready(where)
        return self._con.cursor()

    def _run(self, sql: str, params: Sequence, where: Where) -> duckdb.DuckDBPyConnection:
        return self._cursor(where).execute(sql, list(params))

    def where(self, chosen: Filter, place_key: str | None = None) -> Where:
        """Return the selection of ``chosen`` (and of one place when ``place_key``)."""
        where = where_clause(chosen)
        return where if place_key is None else both(where, "place_key = ?", place_key)

    def where_rows(self, mask: np.ndarray | None) -> Where:
        """Return the selection of the frame rows ``mask`` holds (None: every row). Registers a table per call:
        for one-off engines (scripts, tests), not for a dashboard's engine."""
        if mask is None:
            return EVERYTHING
        name = f"_rows_{next(self._names)}"
        self._load(name, pd.DataFrame({"row": np.flatnonzero(np.asarray(mask, dtype=bool)).astype(np.int32)}))
        return f"row IN (SELECT row FROM {name})", []

    # -- rows -------------------------------------------------------------------------------------------------

    def positions(self, where: Where, limit: int | None = None) -> np.ndarray:
        """Return the frame positions of the selected rows, in frame order (the first ``limit`` when given)."""
        sql = f"SELECT row FROM incidents WHERE {where[0]} ORDER BY row"
        params = list(where[1])
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return _rows(self._run(sql, params, where))

    def mask(self, where: Where) -> np.ndarray:
        """Return the boolean mask of the selected rows over the frame."""
        mask = np.zeros(self.size, dtype=bool)
        mask[_rows(self._run(f"SELECT row FROM incidents WHERE {where[0]}", where[1], where))] = True
        return mask

    def count(self, where: Where) -> int:
        """Return how many rows are selected."""
        return int(_one(self._run(f"SELECT count(*) FROM incidents WHERE {where[0]}", where[1], where))[0])

    def latest_rows(self, where: Where, limit: int) -> np.ndarray:
        """Return the positions of at most ``limit`` newest selected incidents of each place, in frame order."""
        if limit <= 0:
            return np.zeros(0, dtype=np.int64)
        sql = (f"SELECT unnest(min(row, ?)) AS row FROM incidents WHERE ({where[0]}) AND summed AND place >= 0 "
               "GROUP BY place")
        return np.sort(_rows(self._run(sql, [int(limit), *where[1]], where)))

    # -- the counting rules' corrections ----------------------------------------------------------------------

    def _special(self, where: Where) -> tuple[str, list]:
        """SQL of the selected special rows with their tolls as counted: ``raw_*`` as stored (missing: 0),
        ``adj_*`` less what the selected recorded parts hold (combined records), ``covering`` (a combined record
        whose parts are selected: not one more incident), ``once`` (counts a shared toll: first selected member
        of its group) and ``unit_once`` (the same within an admin unit)."""
        raw = ", ".join(f"coalesce(s.{c}, 0) AS raw_{c}" for c in TOLL_COLUMNS)
        sums = ", ".join(f"sum(coalesce(s.{c}, 0)) AS {c}" for c in TOLL_COLUMNS)
        adjusted = ", ".join(
            f"CASE WHEN p.combined IS NULL THEN coalesce(s.{c}, 0) ELSE greatest(0, coalesce(s.{c}, 0) - p.{c}) END "
            f"AS adj_{c}" for c in TOLL_COLUMNS)
        sql = (f"WITH s AS (SELECT * FROM special WHERE ({where[0]}) AND summed), "
               f"p AS (SELECT parts.combined, {sums} FROM parts JOIN s ON s.row = parts.part GROUP BY parts.combined) "
               f"SELECT s.row, s.cell, s.place, s.actor_slot, s.admin3, s.day, "
               f"p.combined IS NOT NULL AS covering, {raw}, {adjusted}, "
               "s.toll_code < 0 OR s.row = min(s.row) OVER (PARTITION BY s.toll_code) AS once, "
               "s.toll_code < 0 OR s.row = min(s.row) OVER (PARTITION BY s.toll_code, s.admin3) AS unit_once "
               "FROM s LEFT JOIN p ON p.combined = s.row")
        return sql, list(where[1])

    # -- one selection, summed once ----------------------------------------------------------------------------

    def selection(self, where: Where) -> Selection:
        """Return the sums of the selection ``where``: totals, per place and actor, per admin3 unit, per month and
        actor, all from ONE query (``GROUP BY cell``, :class:`Cells`) and kept for the next summaries of the same
        selection (a filter change asks for its totals, places, map and timeline in turn)."""
        key = (where[0], repr(where[1]))
        with self._lock:
            found = self._selections.get(key)
            if found is not None:
                self._selections.move_to_end(key)
                return found
        found = self._select(where)
        with self._lock:
            self._selections[key] = found
            while len(self._selections) > SELECTIONS_KEPT:
                self._selections.popitem(last=False)
        return found

    def _select(self, where: Where) -> Selection:
        plain = self._sums(where, "cell")
        corrections = self._corrections(where, "cell", SUMMARIES)
        return Selection.of(plain, corrections, self.cells, self.bins)

    def _sums(self, where: Where, key: str) -> dict[str, np.ndarray]:
        """The selected summed rows grouped by the integer SQL ``key``: ``key``, ``rows``, each toll column's sum
        (0 when none is known), ``open_max`` (rows whose maximum is open), ``first`` and ``last`` start dates and
        ``last_end`` (the latest end)."""
        aggregates = ", ".join(["count(*) AS rows", *(f"sum({c}) AS {c}" for c in TOLL_COLUMNS),
                                "count(*) FILTER (WHERE killed_open) AS open_max", "min(date_start) AS first",
                                "max(date_start) AS last", "max(date_last) AS last_end"])
        sql = f"SELECT {key} AS key, {aggregates} FROM incidents WHERE ({where[0]}) AND summed GROUP BY ALL"
        return _filled(self._run(sql, where[1], where).fetchnumpy())

    def _corrections(self, where: Where, key: str, summaries: Sequence[Summary]) -> dict[str, dict[str, np.ndarray]]:
        """The counting rules' corrections of the plain sums of each summary (:data:`SUMMARIES`), grouped by the
        integer SQL ``key``: ``dn`` (a combined record whose parts are selected is not one more incident) and each
        toll column's change. One query over the small ``special`` table; none when the frame has no special rows."""
        if not self.has_special:
            return {}
        queries, params = [], []
        for number, summary in enumerate(summaries):
            special, special_params = self._special(both(where, summary.rows))
            counted = [f"(CASE WHEN {summary.once} THEN adj_{c} ELSE 0 END)" if summary.once else f"adj_{c}"
                       for c in TOLL_COLUMNS]
            deltas = ", ".join(["-count(*) FILTER (WHERE covering) AS dn",
                                *(f"sum({n} - raw_{c}) AS {c}" for n, c in zip(counted, TOLL_COLUMNS, strict=True))])
            queries.append(f"SELECT {number} AS summary, {key} AS key, {deltas} FROM ({special}) GROUP BY ALL")
            params += special_params
        found = _filled(self._run(" UNION ALL ".join(queries), params, where).fetchnumpy())
        which = found.pop("summary")
        return {summary.name: {name: values[which == number] for name, values in found.items()}
                for number, summary in enumerate(summaries)}

    # -- totals -----------------------------------------------------------------------------------------------

    def totals(self, where: Where) -> Totals:
        """Return the headline figures of the selected incidents (:class:`~incidents.analysis.aggregate.Totals`)."""
        return self.selection(where).totals

    def count_killed(self, where: Where, figure: str = "min") -> tuple[int, int]:
        """Return (incidents, killed under ``figure``) of the selection, counted as the totals count them."""
        totals = self.totals(where)
        return totals.incidents, totals.killed(figure)

    def combined(self, where: Where, figure: str = "min") -> tuple[int, int, int]:
        """Return the selected combined records counted with selected parts: how many, how many parts, and their
        toll (under ``figure``) beyond those parts."""
        if not self.has_special:
            return 0, 0, 0
        column = figure_column(figure)
        sql = (f"WITH s AS (SELECT row, {column} AS toll FROM special WHERE ({where[0]}) AND summed) "
               "SELECT parts.combined, count(*), any_value(c.toll), sum(coalesce(p.toll, 0)) FROM parts "
               "JOIN s c ON c.row = parts.combined JOIN s p ON p.row = parts.part GROUP BY parts.combined")
        found = self._run(sql, where[1], where).fetchall()
        extra = sum(max(0, round(float(toll or 0) - float(parts))) for _, _, toll, parts in found)
        return len(found), sum(int(n) for _, n, _, _ in found), extra

    # -- per place --------------------------------------------------------------------------------------------

    def summarise_places(self, where: Where, table: pd.DataFrame, figure: str = "min") -> pd.DataFrame:
        """Return one row per place of the selection, most killed first (see
        :func:`incidents.analysis.aggregate.summarise_places`)."""
        found = self.selection(where)
        counts = found.place_n
        if not counts.any() and not found.place_tolls[figure_column(figure)].any():
            return pd.DataFrame(columns=list(PLACE_COLUMNS))
        killed = found.place_tolls[figure_column(figure)]
        figures = {name: found.place_tolls[column].sum(axis=1).round().astype("int64")
                   for name, column in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                                        ("killed_best", "killed_best_or_min"), ("children", "children_killed"),
                                        ("women", "women_killed"))}
        figures["n"] = counts.sum(axis=1).astype("int64")
        figures["killed"] = killed.sum(axis=1).round().astype("int64")
        figures["open_max"] = found.place_open.sum(axis=1).astype("int64")
        score = killed * (counts.max() + 1) + counts  # most killed, then most incidents
        keep = np.flatnonzero((figures["n"] > 0) | (figures["killed"] > 0))
        keys = table["place_key"].to_numpy(dtype=object)[keep]
        order = keep[np.lexsort((np.unique(keys, return_inverse=True)[1], -figures["n"][keep],
                                 -figures["killed"][keep]))]
        # each column's array taken at once (no frame of the taken rows, whose columns would be copied again)
        columns: dict[str, Any] = {name: table[name].array.take(order) for name in table.columns
                                   if name in PLACE_COLUMNS}
        columns.update({name: values[order] for name, values in figures.items()})
        columns["first"], columns["last"] = found.place_first[order], found.place_last[order]
        columns["main_actor"] = self.actors[score.argmax(axis=1)[order]]
        return pd.DataFrame({name: columns[name] for name in PLACE_COLUMNS})  # one frame, not a column at a time

    def summarise_admin(self, where: Where, column: str = "admin3", figure: str = "min") -> pd.DataFrame:
        """Return incidents and killed per admin unit of ``column`` (see
        :func:`incidents.analysis.aggregate.summarise_admin`)."""
        if column != "admin3":
            raise ValueError(f"the engine sums per admin3 unit; got {column!r}")
        found = self.selection(where).admin
        keep = np.flatnonzero(found.n > 0)  # in the order of the frame's categories
        result = pd.DataFrame({"pcode": np.asarray(self._admin3, dtype=object)[found.keys[keep]],
                               "n": found.n[keep].astype("int64")})
        for name, source in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                             ("killed", figure_column(figure))):
            result[name] = found.tolls[source][keep].round().astype("int64")
        return result

    # -- per period -------------------------------------------------------------------------------------------

    def summarise_periods(self, where: Where, freq: str = "month", figure: str = "min",
                          lang: str = "en") -> pd.DataFrame:
        """Return incidents and killed per period and actor; incidents count at their start date (see
        :func:`incidents.analysis.aggregate.summarise_periods`)."""
        found = self._periods(where, freq)
        if not len(found.keys):
            return pd.DataFrame(columns=PERIOD_COLUMNS)
        width = len(self.actors)
        periods, actors = found.keys // width, found.keys % width
        columns: dict[str, Any] = {"start": pd.to_datetime(period_days(periods, freq)), "actor": self.actors[actors],
                                   "n": found.n.astype("int64")}
        for name, column in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                             ("killed_best", "killed_best_or_min")):
            columns[name] = found.tolls[column].round().astype("int64")
        columns["killed"] = columns[{"min": "killed_min", "max": "killed_max", "best": "killed_best"}[figure]]
        labels = np.array([taxonomy.label("actor", c, lang) for c in self.actors], dtype=object)
        columns["actor_label"] = labels[actors].tolist()
        return pd.DataFrame({name: columns[name] for name in PERIOD_COLUMNS})

    def _periods(self, where: Where, freq: str) -> Sums:
        """The period × actor sums of the selection (key: period × actors + actor slot): months from the selection's
        cells, days and weeks from a query of their own."""
        if freq == "month":
            return self.selection(where).months
        period = {"day": "day", "week": "CAST(floor((day + 3) / 7) AS INTEGER)"}.get(freq)  # weeks: Monday to Sunday
        if period is None:
            raise ValueError(f"frequency must be one of day, week, month; got {freq!r}")
        key = f"({period}) * {len(self.actors)} + actor_slot"
        plain = self._sums(both(where, "date_start IS NOT NULL"), key)
        fixes = self._corrections(where, key, SUMMARIES[3:]).get("periods", _no_fixes())
        return Sums.of(plain["key"], plain, fixes["key"], fixes)

    # -- lists beside the charts ------------------------------------------------------------------------------

    def date_spans(self, where: Where, limit: int = 150) -> pd.DataFrame:
        """Return the selected incidents known only to a date range (end after start), most killed first."""
        sql = (f"SELECT row FROM incidents WHERE ({where[0]}) AND date_end > date_start "
               "ORDER BY coalesce(killed_max_or_min, 0) DESC, row LIMIT ?")
        positions = _rows(self._run(sql, [*where[1], int(limit)], where))
        rows = self.frame.iloc[positions]
        label = rows["place_name_en"].fillna(rows["place_text"]).fillna(rows["uid"]).astype(str)
        return pd.DataFrame({"uid": rows["uid"].to_numpy(), "date_start": rows["date_start"].to_numpy(),
                             "date_end": rows["date_end"].to_numpy(), "label": label.to_numpy(),
                             "actor": rows["actor"].astype(object).to_numpy(),
                             "killed_min": rows["killed_min"].to_numpy(),
                             "killed_max": rows["killed_max_or_min"].to_numpy()})

    def summarise_delays(self, where: Where) -> pd.DataFrame:
        """Return how many selected incidents were first reported how long after they began, in readable bins."""
        bins = []
        for index, (_, low, high) in enumerate(DELAY_BINS):
            last = index == len(DELAY_BINS) - 1
            tests = ([] if low == -np.inf else [f"d >= {low}"]) + ([] if high == np.inf else
                                                                   [f"d {'<=' if last else '<'} {high}"])
            bins.append(f"count(*) FILTER (WHERE {' AND '.join(tests) or 'TRUE'})")
        sql = (f"SELECT {', '.join(bins)} FROM (SELECT report_delay_days AS d FROM incidents WHERE ({where[0]}) "
               "AND first_published IS NOT NULL AND report_delay_days IS NOT NULL AND NOT isnan(report_delay_days))")
        counts = _one(self._run(sql, where[1], where))
        return pd.DataFrame({"delay": [name for name, _, _ in DELAY_BINS], "order": range(len(DELAY_BINS)),
                             "n": np.asarray(counts, dtype=int)})

    def cumulative_records(self, where: Where) -> pd.DataFrame:
        """Return the selected cumulative records (context: never summed), oldest first."""
        if "record_kind" not in self.frame.columns:
            return pd.DataFrame(columns=CUMULATIVE_COLUMNS)
        sql = f"SELECT row FROM incidents WHERE ({where[0]}) AND cumulative ORDER BY date_start NULLS LAST, row"
        positions = _rows(self._run(sql, where[1], where))
        return self.frame.iloc[positions].reindex(columns=CUMULATIVE_COLUMNS).reset_index(drop=True)

    # -- claims -----------------------------------------------------------------------------------------------

    def count_sources(self, where: Where, top: int = 25) -> pd.DataFrame:
        """Return how many selected incidents each source reported, most first (the ``top`` sources); columns
        ``source``, ``kind`` (a code, "" when unknown) and ``incidents``."""
        if not self.claims:
            return pd.DataFrame(columns=["source", "kind", "incidents"])
        sql = ("SELECT source_name::VARCHAR AS source, source_kind::VARCHAR AS kind, count(DISTINCT row) AS incidents "
               f"FROM claims WHERE row IN (SELECT row FROM incidents WHERE {where[0]}) GROUP BY ALL "
               "ORDER BY incidents DESC, source NULLS LAST, kind NULLS LAST LIMIT ?")
        table = self._run(sql, [*where[1], int(top)], where).df()
        table["source"] = table["source"].astype(object).where(table["source"].notna(), None)
        table["kind"] = [k if isinstance(k, str) else "" for k in table["kind"]]
        table["incidents"] = table["incidents"].astype("int64")
        return table

    def sources(self, rows: np.ndarray) -> list[list[tuple[str, str | None]]]:
        """Return the (source name, URL) of each claim of each frame row in ``rows`` (positions), in order."""
        return self._sources.of_rows(rows)

    def close(self) -> None:
        """Close the connection (the engine answers no more)."""
        self._con.close()


#: How many selections an engine keeps summed (each a few hundred kilobytes: the grids of places × actors).
SELECTIONS_KEPT = 8


@dataclass(frozen=True)
class Summary:
    """How one summary counts the counting rules' special rows: the selected rows it sums (``rows``, SQL) and the
    flag under which a shared toll counts (``once``; None: at every member, as each place shows its whole toll)."""

    name: str
    rows: str
    once: str | None


SUMMARIES = (Summary("totals", "TRUE", "once"), Summary("places", "place >= 0", None),
             Summary("admin", "admin3 IS NOT NULL", "unit_once"), Summary("periods", "date_start IS NOT NULL", "once"))


@dataclass(frozen=True)
class Sums:
    """Incidents ``n`` and each toll column summed per key (ascending), as the counting rules count them."""

    keys: np.ndarray
    n: np.ndarray
    tolls: dict[str, np.ndarray]

    @classmethod
    def of(cls, keys: np.ndarray, plain: dict[str, np.ndarray], fix_keys: np.ndarray,
           fixes: dict[str, np.ndarray], size: int | None = None) -> Sums:
        """Add up the plain sums (``rows`` and toll columns) and their corrections (``dn`` and toll columns) per
        key: every key in ``range(size)`` when given, else the keys that occur."""
        every = np.concatenate([keys, fix_keys])
        if size is None:
            unique, index = np.unique(every, return_inverse=True)
        else:
            unique, index = np.arange(size), every
        count = len(unique)

        def add(name: str, fix: str) -> np.ndarray:
            weights = np.concatenate([plain[name], fixes[fix]]).astype("float64")
            return np.bincount(index, weights=weights, minlength=count)

        return cls(unique, add("rows", "dn"), {c: add(c, c) for c in TOLL_COLUMNS})


@dataclass(frozen=True)
class Bins:
    """Where each cell (:class:`Cells`) is summed by each summary of a selection (worked out once per data version):
    its bin in the places × actors grid, in the admin3 units, in the months × actors. A cell outside a summary
    (unmapped, in no unit, undated) goes to one more bin past the end, which the summary drops, so a selection is
    summed by ``np.bincount`` over its cells without picking them out first."""

    places: int
    units: int
    width: int  # actor slots
    grid: np.ndarray  # place × width + actor slot (places × width: unmapped)
    unit: np.ndarray  # admin3 code (units: none)
    month: np.ndarray  # month bin (len(month_keys): undated)
    month_keys: np.ndarray  # each month bin's key: months since 1970 × width + actor slot

    @classmethod
    def of(cls, cells: Cells, places: int, units: int, width: int) -> Bins:
        """The bins of ``cells`` for ``places`` places, ``units`` admin3 units and ``width`` actor slots."""
        grid = np.where(cells.place >= 0, cells.place * width + cells.actor_slot, places * width)
        unit = np.where(cells.admin3 >= 0, cells.admin3, units)
        keys = _month_keys(cells, np.arange(len(cells.place)), width)
        month_keys, month = np.unique(keys[cells.dated], return_inverse=True)
        bins = np.full(len(keys), len(month_keys), dtype=np.int64)
        bins[cells.dated] = month.reshape(-1)
        return cls(places=places, units=units, width=width, grid=grid.astype(np.int64), unit=unit.astype(np.int64),
                   month=bins, month_keys=month_keys.astype(np.int64))


@dataclass(frozen=True)
class Selection:
    """The sums of one selection (:meth:`Engine.selection`): its totals, per place and actor (grids of places ×
    actors), per admin3 unit and per month and actor."""

    totals: Totals
    place_n: np.ndarray
    place_tolls: dict[str, np.ndarray]
    place_open: np.ndarray
    place_first: np.ndarray  # per place
    place_last: np.ndarray
    admin: Sums
    months: Sums

    @classmethod
    def of(cls, plain: dict[str, np.ndarray], corrections: dict[str, dict[str, np.ndarray]], cells: Cells,
           bins: Bins) -> Selection:
        """Sum the selected cells (``plain``: one row per cell, :meth:`Engine._sums`) with the corrections of each
        summary (:meth:`Engine._corrections`), each summary by its :class:`Bins`."""
        fixes = {summary.name: corrections.get(summary.name, _no_fixes()) for summary in SUMMARIES}
        cell = plain["key"]
        places, width = bins.places, bins.width
        grid = bins.grid[cell]
        plain_places = _binned(grid, plain, places * width + 1)
        present = plain_places.n[:-1].reshape(places, width).sum(axis=1) > 0  # cells selected: before corrections
        unmapped = int(round(float(plain_places.n[-1])))
        by_place = _fixed(plain_places, bins.grid[fixes["places"]["key"]], fixes["places"])
        mapped = grid < places * width
        first, last = _date_range(cells.place[cell[mapped]], plain["first"][mapped], plain["last"][mapped], places)
        admin = _fixed(_binned(bins.unit[cell], plain, bins.units + 1),
                       bins.unit[fixes["admin"]["key"]], fixes["admin"])
        return cls(
            totals=_totals(plain, fixes["totals"], cells, places=int(present.sum()), unmapped=unmapped),
            place_n=by_place.n[:-1].reshape(places, width),
            place_tolls={c: values[:-1].reshape(places, width) for c, values in by_place.tolls.items()},
            place_open=np.bincount(grid, weights=plain["open_max"],
                                   minlength=places * width + 1)[:-1].reshape(places, width),
            place_first=first, place_last=last,
            admin=Sums(np.arange(bins.units), admin.n[:-1], {c: v[:-1] for c, v in admin.tolls.items()}),
            months=_months(bins, plain, fixes["periods"]))


def _binned(index: np.ndarray, plain: dict[str, np.ndarray], size: int) -> Sums:
    """Incidents and tolls of the selected cells summed per bin (``index``: each cell's bin, ``size`` bins)."""
    def add(name: str) -> np.ndarray:
        return np.bincount(index, weights=plain[name], minlength=size)

    return Sums(np.arange(size), add("rows"), {c: add(c) for c in TOLL_COLUMNS})


def _fixed(sums: Sums, index: np.ndarray, fixes: dict[str, np.ndarray]) -> Sums:
    """``sums`` with the counting rules' corrections of one summary added (``index``: each correction's bin)."""
    if not len(index):
        return sums
    size = len(sums.n)

    def add(values: np.ndarray, name: str) -> np.ndarray:
        return values + np.bincount(index, weights=fixes[name], minlength=size)

    return Sums(sums.keys, add(sums.n, "dn"), {c: add(v, c) for c, v in sums.tolls.items()})


def _months(bins: Bins, plain: dict[str, np.ndarray], fixes: dict[str, np.ndarray]) -> Sums:
    """The month × actor sums of the selected cells and their corrections, for the months × actors that occur."""
    size = len(bins.month_keys) + 1
    month = bins.month[plain["key"]]
    fix_month = bins.month[fixes["key"]]
    found = _fixed(_binned(month, plain, size), fix_month, fixes)
    occurs = np.bincount(month, minlength=size)[:-1] > 0
    occurs[fix_month[fix_month < size - 1]] = True
    keep = np.flatnonzero(occurs)
    return Sums(bins.month_keys[keep], found.n[keep], {c: v[keep] for c, v in found.tolls.items()})


def _month_keys(cells: Cells, cell: np.ndarray, width: int) -> np.ndarray:
    return cells.month[cell] * width + cells.actor_slot[cell]


def _totals(plain: dict[str, np.ndarray], fixes: dict[str, np.ndarray], cells: Cells, *, places: int,
            unmapped: int) -> Totals:
    """The headline figures of the selected cells and the totals' corrections (``places``: how many places hold
    selected incidents, ``unmapped``: how many selected incidents have no place)."""
    cell, fixed = plain["key"], fixes["key"]
    civilian, fixed_civilian = cells.civilian[cell], cells.civilian[fixed]

    def whole(value: float) -> int:
        return int(round(float(value)))

    def toll(column: str) -> int:
        return whole(plain[column].sum() + fixes[column].sum())

    def civilians(column: str) -> int:
        return whole(plain[column][civilian].sum() + fixes[column][fixed_civilian].sum())

    starts, ends = plain["first"], plain["last_end"]
    return Totals(
        incidents=whole(plain["rows"].sum() + fixes["dn"].sum()), killed_min=toll("killed_min"),
        killed_max=toll("killed_max_or_min"), killed_best=toll("killed_best_or_min"),
        open_max=whole(plain["open_max"].sum()), civilians_min=civilians("killed_min"),
        civilians_max=civilians("killed_max_or_min"), civilians_best=civilians("killed_best_or_min"),
        children=toll("children_killed"), women=toll("women_killed"), places=places, unmapped=unmapped,
        first=_day(starts[~np.isnat(starts)].min()) if (~np.isnat(starts)).any() else None,
        last=_day(ends[~np.isnat(ends)].max()) if (~np.isnat(ends)).any() else None)


def _no_fixes() -> dict[str, np.ndarray]:
    """No corrections (a frame without special rows)."""
    return {"key": np.zeros(0, dtype=np.int64), "dn": np.zeros(0), **{c: np.zeros(0) for c in TOLL_COLUMNS}}


def _filled(found: dict[str, Any]) -> dict[str, np.ndarray]:
    """A query's columns with missing sums as 0 and missing dates as NaT (plain arrays, not masked ones)."""
    filled = {}
    for name, values in found.items():
        if isinstance(values, np.ma.MaskedArray):
            values = values.filled(np.datetime64("NaT") if values.dtype.kind == "M" else 0)
        filled[name] = np.asarray(values)
    return filled


def _date_range(places: np.ndarray, starts: np.ndarray, ends: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Earliest start and latest start per place (NaT where a place has no dated row), from per-cell dates."""
    never, nat = np.iinfo(np.int64).max, np.iinfo(np.int64).min  # NaT is int64's minimum
    first = np.full(size, never)
    last = np.full(size, nat)
    starts = starts.astype("datetime64[us]").astype(np.int64)
    np.minimum.at(first, places, np.where(starts == nat, never, starts))
    np.maximum.at(last, places, ends.astype("datetime64[us]").astype(np.int64))
    first[first == never] = nat
    return first.astype("datetime64[us]"), last.astype("datetime64[us]")


def _day(value: object) -> date | None:
    if value is None or value is pd.NaT:
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]  # a datetime from DuckDB


def _rows(cursor: duckdb.DuckDBPyConnection) -> np.ndarray:
    """The ``row`` column of a query's answer, as frame positions."""
    return np.asarray(cursor.fetchnumpy()["row"], dtype=np.int64)


def _one(cursor: duckdb.DuckDBPyConnection) -> tuple:
    """The one row of an aggregate query's answer."""
    found = cursor.fetchone()
    if found is None:  # an aggregate without GROUP BY always answers one row
        raise RuntimeError("the engine's aggregate query answered no row")
    return found


def _search_of(frame: pd.DataFrame) -> pd.Series:
    from incidents.analysis.frame import search_column

    return search_column(frame)
