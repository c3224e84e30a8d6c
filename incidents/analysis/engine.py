"""The query engine of one data version: the prepared incident frame and its claims in an in-process DuckDB.

Every summary the dashboard draws (totals, per place, per period, per admin unit, source counts, date spans,
report delays) is one ``GROUP BY`` query whose selection is ONE ``WHERE`` clause with bound parameters
(:func:`where_clause` compiles a :class:`~incidents.analysis.filters.Filter`). The engine replaced the hand-made
numpy group-bys (``aggregate.Numbers``, ``ClaimIndex``) after measuring both (bench, "Filter change").

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
from collections.abc import Callable, Sequence
from datetime import date

import duckdb
import numpy as np
import pandas as pd

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


def incident_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the columns of a (prepared) frame that the engine loads, one row per frame row (``row``)."""
    table = pd.DataFrame({"row": np.arange(len(frame), dtype=np.int32)})
    for column in _TEXT_COLUMNS:
        table[column] = _text(frame[column]) if column in frame.columns else pd.Categorical([None] * len(frame))
    for column in _NUMBER_COLUMNS:
        table[column] = frame[column].to_numpy(dtype="float64") if column in frame.columns else np.nan
    start = _dates(frame["date_start"])
    last = _dates(frame["date_last"]) if "date_last" in frame.columns else np.where(
        np.isnat(_dates(frame["date_end"])), start, _dates(frame["date_end"]))
    table["date_start"], table["date_end"], table["date_last"] = start, _dates(frame["date_end"]), last
    # the periods of the timeline, counted once here rather than per query: days and months since 1970
    undated = np.isnat(start)
    for name, unit in (("day", "datetime64[D]"), ("month", "datetime64[M]")):
        table[name] = pd.Series(np.where(undated, 0, start.astype(unit).astype(np.int64)), dtype="Int32").mask(undated)
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
    return table


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
    """Return the claims the engine loads: the frame ``row`` of each (-1: an incident not in the frame), its
    position ``pos`` in ``claims``, source name and kind, and URL."""
    rows = np.asarray(pd.Index(frame_uids).get_indexer(claims["incident_uid"]), dtype=np.int32)
    return pd.DataFrame({
        "row": rows, "pos": np.arange(len(claims), dtype=np.int32),
        "source_name": _text(claims["source_name"]), "source_kind": _text(claims["source_kind"]),
        "url": claims["url"].astype("string[pyarrow]").array})  # Arrow strings: no Python object per URL


# -- the engine -------------------------------------------------------------------------------------------------


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
        self._has_search = False
        self._names = itertools.count()
        self.size = len(frame)
        self.actors = actor_slots(frame)
        self.places = len(frame["place_key"].cat.categories) if "place_key" in frame.columns else 0
        self._con = duckdb.connect()
        incidents = incident_table(frame)
        self._load("incidents", incidents)
        self._load_special(frame, incidents)
        self._load_claims(frame, claims)
        if "search" in frame.columns and search is None:
            self._add_search(frame["search"])

    def _load(self, name: str, table: pd.DataFrame) -> None:
        """Copy ``table`` into the database as table ``name`` (seen by every cursor)."""
        with self._lock:
            self._con.register("_loading", table)
            self._con.execute(f"CREATE TABLE {name} AS SELECT * FROM _loading")
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

    # -- running a query ------------------------------------------------------------------------------------

    def _cursor(self, where: Where) -> duckdb.DuckDBPyConnection:
        if not self._has_search and "search_code" in where[0]:
            self._add_search(self._search() if self._search is not None else _search_of(self.frame))
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
               f"SELECT s.row, s.place, s.actor_slot, s.admin3, s.day, s.month, s.civilians = 'yes' AS civilian, "
               f"p.combined IS NOT NULL AS covering, {raw}, {adjusted}, "
               "s.toll_code < 0 OR s.row = min(s.row) OVER (PARTITION BY s.toll_code) AS once, "
               "s.toll_code < 0 OR s.row = min(s.row) OVER (PARTITION BY s.toll_code, s.admin3) AS unit_once "
               "FROM s LEFT JOIN p ON p.combined = s.row")
        return sql, list(where[1])

    # -- totals -----------------------------------------------------------------------------------------------

    def totals(self, where: Where) -> Totals:
        """Return the headline figures of the selected incidents (:class:`~incidents.analysis.aggregate.Totals`)."""
        civ = "civilians = 'yes'"
        sums = ["n", *TOLL_COLUMNS, *(f"civ_{c}" for c in TOLL_COLUMNS[:3]), "open_max"]
        per_place = ", ".join([
            "place", "count(*) AS n", *(f"sum(coalesce({c}, 0)) AS {c}" for c in TOLL_COLUMNS),
            *(f"sum(CASE WHEN {civ} THEN coalesce({c}, 0) ELSE 0 END) AS civ_{c}" for c in TOLL_COLUMNS[:3]),
            "count(*) FILTER (WHERE killed_open) AS open_max", "min(date_start) AS first", "max(date_last) AS last"])
        # grouped by place first: counting the places takes no DISTINCT aggregate (a slower plan for every sum)
        outer = ", ".join([*(f"sum({c})" for c in sums), "count(*) FILTER (WHERE place >= 0)",
                           "sum(n) FILTER (WHERE place < 0)", "min(first)", "max(last)"])
        sql = (f"SELECT {outer} FROM (SELECT {per_place} FROM incidents WHERE ({where[0]}) AND summed "
               "GROUP BY place)")
        found = _one(self._run(sql, where[1], where))
        got = dict(zip([*sums, "places", "unmapped", "first", "last"], found, strict=True))
        if self.has_special:
            for name, value in self._total_corrections(where).items():
                got[name] = (got[name] or 0) + (value or 0)

        def whole(name: str) -> int:
            return int(round(float(got[name] or 0)))

        return Totals(
            incidents=whole("n"), killed_min=whole("killed_min"), killed_max=whole("killed_max_or_min"),
            killed_best=whole("killed_best_or_min"), open_max=whole("open_max"),
            civilians_min=whole("civ_killed_min"), civilians_max=whole("civ_killed_max_or_min"),
            civilians_best=whole("civ_killed_best_or_min"), children=whole("children_killed"),
            women=whole("women_killed"), places=whole("places"), unmapped=whole("unmapped"),
            first=_day(got["first"]), last=_day(got["last"]))

    def _total_corrections(self, where: Where) -> dict[str, float]:
        special, params = self._special(where)
        deltas = ", ".join([
            "-count(*) FILTER (WHERE covering) AS n",
            *(f"sum(CASE WHEN once THEN adj_{c} ELSE 0 END - raw_{c}) AS {c}" for c in TOLL_COLUMNS),
            *(f"sum(CASE WHEN civilian THEN (CASE WHEN once THEN adj_{c} ELSE 0 END) - raw_{c} ELSE 0 END) "
              f"AS civ_{c}" for c in TOLL_COLUMNS[:3])])
        cursor = self._run(f"WITH c AS ({special}) SELECT {deltas} FROM c", params, where)
        names = [d[0] for d in cursor.description]
        return dict(zip(names, _one(cursor), strict=True))

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

    def _cells(self, where: Where, keys: Sequence[str], once: str | None, extra: Sequence[str] = (),
               period: str | None = None) -> pd.DataFrame:
        """The selected rows grouped by ``keys``: ``n`` (records), ``rows`` (every selected row) and each toll
        column, corrected by the counting rules (``once``: the flag that says a shared toll counts; None: every
        member counts). ``period``: SQL of a ``period`` column to group by."""
        group = ", ".join(keys)
        table = "incidents" if period is None else f"(SELECT *, {period} AS period FROM incidents)"
        plain = ", ".join(["count(*) AS rows", *(f"sum(coalesce({c}, 0)) AS {c}" for c in TOLL_COLUMNS), *extra])
        sql = f"SELECT {group}, {plain} FROM {table} WHERE {where[0]} GROUP BY {group}"
        params = list(where[1])
        if self.has_special:
            special, special_params = self._special(where)
            if period is not None:
                special = f"SELECT *, {period} AS period FROM ({special})"
            counted = (lambda c: f"(CASE WHEN {once} THEN adj_{c} ELSE 0 END)") if once else (lambda c: f"adj_{c}")
            deltas = ", ".join(["-count(*) FILTER (WHERE covering) AS dn",
                                *(f"sum({counted(c)} - raw_{c}) AS d_{c}" for c in TOLL_COLUMNS)])
            sql = (f"WITH m AS ({sql}), sp AS ({special}), c AS (SELECT {group}, {deltas} FROM sp GROUP BY {group}) "
                   "SELECT m.*, coalesce(c.dn, 0) AS dn, "
                   + ", ".join(f"coalesce(c.d_{t}, 0) AS d_{t}" for t in TOLL_COLUMNS)
                   + f" FROM m LEFT JOIN c USING ({group})")
            params += special_params
        result = self._run(sql + f" ORDER BY {group}", params, where).df()
        result["n"] = result["rows"] + (result["dn"] if "dn" in result else 0)
        for column in TOLL_COLUMNS:
            if f"d_{column}" in result:
                result[column] = result[column] + result[f"d_{column}"]
        return result

    def summarise_places(self, where: Where, table: pd.DataFrame, figure: str = "min") -> pd.DataFrame:
        """Return one row per place of the selection, most killed first (see
        :func:`incidents.analysis.aggregate.summarise_places`)."""
        where = both(where, "summed AND place >= 0")
        cells = self._cells(where, ("place", "actor_slot"), None,
                            ("count(*) FILTER (WHERE killed_open) AS open_max", "min(date_start) AS first",
                             "max(date_start) AS last"))
        if not len(cells):
            return pd.DataFrame(columns=list(PLACE_COLUMNS))
        size, width = len(table), len(self.actors)
        bins = cells["place"].to_numpy(dtype=np.int64) * width + cells["actor_slot"].to_numpy(dtype=np.int64)

        def grid(column: str) -> np.ndarray:
            values = np.zeros(size * width)
            values[bins] = cells[column].to_numpy(dtype="float64")
            return values.reshape(size, width)

        counts = grid("n")
        result = table.copy()
        result["n"] = counts.sum(axis=1).astype("int64")
        for name, column in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                             ("killed_best", "killed_best_or_min"), ("children", "children_killed"),
                             ("women", "women_killed")):
            result[name] = grid(column).sum(axis=1).round().astype("int64")
        killed = grid(figure_column(figure))
        result["killed"] = killed.sum(axis=1).round().astype("int64")
        result["open_max"] = grid("open_max").sum(axis=1).astype("int64")
        result["first"], result["last"] = _date_range(cells, size)
        score = killed * (counts.max() + 1) + counts  # most killed, then most incidents
        result["main_actor"] = self.actors[score.argmax(axis=1)]
        result = result[(result["n"] > 0) | (result["killed"] > 0)]
        return result.sort_values(["killed", "n", "place_key"], ascending=[False, False, True],
                                  kind="stable").reset_index(drop=True)[list(PLACE_COLUMNS)]

    def summarise_admin(self, where: Where, column: str = "admin3", figure: str = "min") -> pd.DataFrame:
        """Return incidents and killed per admin unit of ``column`` (see
        :func:`incidents.analysis.aggregate.summarise_admin`)."""
        if column != "admin3":
            raise ValueError(f"the engine sums per admin3 unit; got {column!r}")
        where = both(where, "summed AND admin3 IS NOT NULL")
        cells = self._cells(where, ("admin3",), "unit_once")  # ordered as the frame's categories (ENUM order)
        cells = cells[cells["n"] > 0]
        result = pd.DataFrame({"pcode": cells["admin3"].astype(object).to_numpy(),
                               "n": cells["n"].to_numpy(dtype="int64")})
        for name, source in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                             ("killed", figure_column(figure))):
            result[name] = cells[source].to_numpy(dtype="float64").round().astype("int64")
        return result

    # -- per period -------------------------------------------------------------------------------------------

    def summarise_periods(self, where: Where, freq: str = "month", figure: str = "min",
                          lang: str = "en") -> pd.DataFrame:
        """Return incidents and killed per period and actor; incidents count at their start date (see
        :func:`incidents.analysis.aggregate.summarise_periods`)."""
        period = {"day": "day", "week": "CAST(floor((day + 3) / 7) AS INTEGER)",  # weeks: Monday to Sunday
                  "month": "month"}.get(freq)
        if period is None:
            raise ValueError(f"frequency must be one of day, week, month; got {freq!r}")
        where = both(where, "summed AND date_start IS NOT NULL")
        cells = self._cells(where, ("period", "actor_slot"), "once", period=period)
        if not len(cells):
            return pd.DataFrame(columns=PERIOD_COLUMNS)
        cells = cells.sort_values(["period", "actor_slot"], kind="stable")
        result = pd.DataFrame({
            "start": pd.to_datetime(period_days(cells["period"].to_numpy(dtype=np.int64), freq)),
            "actor": self.actors[cells["actor_slot"].to_numpy(dtype=np.int64)],
            "n": cells["n"].to_numpy(dtype="int64")})
        for name, column in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                             ("killed_best", "killed_best_or_min")):
            result[name] = cells[column].to_numpy(dtype="float64").round().astype("int64")
        result["killed"] = result[{"min": "killed_min", "max": "killed_max", "best": "killed_best"}[figure]]
        result["actor_label"] = [taxonomy.label("actor", c, lang) for c in result["actor"]]
        return result[PERIOD_COLUMNS]

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
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows) or not self.claims:
            return [[] for _ in rows]
        cursor = self._con.cursor()
        cursor.register("_wanted", pd.DataFrame({"row": np.unique(rows).astype(np.int32)}))
        found = cursor.execute("SELECT row, source_name::VARCHAR AS name, url FROM claims SEMI JOIN _wanted "
                               "USING (row) ORDER BY row, pos").fetchnumpy()
        claimed = np.asarray(found["row"], dtype=np.int64)
        pairs = [(name or "", url if isinstance(url, str) and url else None)
                 for name, url in zip(found["name"].tolist(), found["url"].tolist(), strict=True)]
        starts, ends = np.searchsorted(claimed, rows, "left"), np.searchsorted(claimed, rows, "right")
        return [pairs[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]

    def close(self) -> None:
        """Close the connection (the engine answers no more)."""
        self._con.close()


def _date_range(cells: pd.DataFrame, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Earliest ``first`` and latest ``last`` date per place of the cells (place × actor) of a summary."""
    places = cells["place"].to_numpy(dtype=np.int64)
    never, nat = np.iinfo(np.int64).max, np.iinfo(np.int64).min  # NaT is int64's minimum
    first = np.full(size, never)
    last = np.full(size, nat)
    starts = cells["first"].to_numpy(dtype="datetime64[us]").astype(np.int64)
    ends = cells["last"].to_numpy(dtype="datetime64[us]").astype(np.int64)
    np.minimum.at(first, places, np.where(starts == nat, never, starts))
    np.maximum.at(last, places, ends)
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
