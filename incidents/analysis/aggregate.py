"""Summaries of the filtered incident frame: totals, one row per place, one row per period, delays.

Everything here is pure pandas/numpy over the frame of :mod:`incidents.analysis.frame` once it has passed through
:func:`prepare_frame` (done once per data version at the UI edge). Aggregating per place *before* anything
is drawn is what keeps the map the same size whether the filter selects ten incidents or a million.

Where an incident is drawn
--------------------------
An incident located only to a sub-district, district or governorate is an *area* incident: it is keyed on
that admin unit's P-code and drawn as the unit's outline, never as a false point at its centroid. Others
are keyed on their gazetteer place id, or on their rounded coordinates when they have no place id.
Incidents with neither are *unmapped*: counted, listed in the table, never drawn.

What is added up (README, "How totals are counted")
---------------------------------------------------
A toll is counted once. A toll shared by several places counts once (at the first selected member of its
group). A *combined* record (one toll a report gave for several events, ``record_kind == "combined"``) counts
only what it adds beyond its recorded parts (``covers``) that are selected too: the group counts the larger of
the combined toll and the sum of its parts. A *cumulative* record (a toll over a period) is context: never
summed, never counted as an incident (:func:`cumulative_records` lists them for the timeline and the place
profile).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from incidents.analysis.filters import figure_column
from incidents.analysis.frame import AREA_LEVELS, prepare_frame  # noqa: F401 - re-exported: callers prepare through here
from incidents.domain import taxonomy

#: the boundary level of each area precision (geodata's level names)
AREA_BOUNDARY_LEVEL = {"subdistrict": "subdistrict", "district": "district", "governorate": "governorate"}
FREQUENCIES = {"day": "D", "week": "W", "month": "M"}

#: One colour per actor code (colour-blind-safe Okabe–Ito order, then greys); same on map and charts.
ACTOR_COLOURS = {
    "coalition": "#0072B2", "sdf": "#E69F00", "isis": "#000000", "pmf": "#009E73", "government": "#D55E00",
    "russia": "#CC79A7", "turkey": "#56B4E9", "unknown": "#999999", "other": "#7f6a4f",
}
_FALLBACK_COLOUR = "#666666"


def actor_colour(code: str | None) -> str:
    """Return the display colour of actor ``code`` (grey for codes without one)."""
    return ACTOR_COLOURS.get(str(code), _FALLBACK_COLOUR)


def place_table(frame: pd.DataFrame,
                names: Callable[[str], tuple[str, str] | None] | None = None) -> pd.DataFrame:
    """Return one row per ``place_key`` category of a prepared frame: where and what the place is.

    Parameters
    ----------
    frame
        Prepared frame (:func:`prepare_frame`).
    names
        ``place_key → (name_ar, name_en)`` from the gazetteer, preferred over the names incidents carry.

    Returns
    -------
    pandas.DataFrame
        Indexed by category code (aligned with ``frame["place_key"].cat.codes``), with ``place_key``,
        ``place_shape``, ``precision``, ``lat``, ``lon``, ``name_ar``, ``name_en``, ``admin1..3`` taken from
        the place's newest incident.
    """
    codes = frame["place_key"].cat.codes.to_numpy()
    categories = frame["place_key"].cat.categories
    valid = np.flatnonzero(codes >= 0)
    present, first = np.unique(codes[valid], return_index=True)
    rows = frame.iloc[valid[first]]
    table = pd.DataFrame({
        "place_key": np.asarray(categories[present], dtype=object),
        "place_shape": rows["place_shape"].astype(object).to_numpy(),
        "precision": rows["location_precision"].astype(object).to_numpy(),
        "lat": rows["lat"].to_numpy(), "lon": rows["lon"].to_numpy(),
        "name_ar": rows["place_name_ar"].astype(object).to_numpy(),
        "name_en": rows["place_name_en"].astype(object).to_numpy(),
        "admin1": rows["admin1"].astype(object).to_numpy(), "admin2": rows["admin2"].astype(object).to_numpy(),
        "admin3": rows["admin3"].astype(object).to_numpy(),
    }, index=pd.Index(present, name="code"))
    if names is not None:
        found = [names(str(k)) for k in table["place_key"]]
        table["name_ar"] = [f[0] if f and f[0] else a for f, a in zip(found, table["name_ar"], strict=True)]
        table["name_en"] = [f[1] if f and f[1] else e for f, e in zip(found, table["name_en"], strict=True)]
    return table.reindex(pd.RangeIndex(len(categories), name="code"))


# -- the numbers every summary reads, once per data version -----------------------------------------------

#: The toll columns summed by the summaries (missing figures count as 0).
TOLL_COLUMNS = ("killed_min", "killed_max_or_min", "killed_best_or_min", "children_killed", "women_killed")
_NAT = np.iinfo(np.int64).min


@dataclass(frozen=True, eq=False)
class Numbers:
    """The columns of a prepared frame that the summaries add up, as plain arrays (read-only).

    Extracted once per data version (:func:`numbers_of`; the dashboard keeps them beside the frame), so that
    a filter change adds up arrays instead of converting frame columns again. Every summary takes them as
    ``numbers=``; without them it extracts its own (the same figures, slower on big frames).
    """

    place: np.ndarray  # place_key category codes; -1: unmapped
    actor: np.ndarray  # actor category codes; a missing actor takes the last slot ("unknown")
    actors: np.ndarray  # actor codes of those slots: the categories, then "unknown"
    cell: np.ndarray  # place * len(actors) + actor (-1: unmapped): one bin per place and actor
    tolls: dict[str, np.ndarray]  # TOLL_COLUMNS → float64, missing as 0
    open: np.ndarray  # killed_open as 0/1
    civilian: np.ndarray  # the sources agree the dead were civilians
    start: np.ndarray  # date_start in seconds since 1970 (_NAT: undated)
    last: np.ndarray  # date_last in seconds
    day: np.ndarray  # date_start in days since 1970 (_NAT: undated)
    month: np.ndarray  # date_start in months since 1970-01
    toll_code: np.ndarray  # shared toll group (-1: the incident's own toll)
    shared: np.ndarray  # positions of the rows with a shared toll (few or none)
    latest: np.ndarray  # row positions grouped by place (unmapped first), newest first within a place
    summed: np.ndarray  # rows whose toll is summed: every record but cumulative ones
    combined: tuple[tuple[int, np.ndarray], ...] = ()  # (row of a combined record, rows of its recorded parts)

    def __len__(self) -> int:
        return len(self.place)


def numbers_of(frame: pd.DataFrame) -> Numbers:
    """Return the :class:`Numbers` of a prepared frame (about 0.1 s per million incidents)."""
    place = frame["place_key"].cat.codes.to_numpy().astype(np.intp)  # bincount's own index type: no casts
    actors = np.append(np.asarray(frame["actor"].cat.categories, dtype=object), "unknown")
    actor = frame["actor"].cat.codes.to_numpy().astype(np.intp)
    actor = np.where(actor < 0, len(actors) - 1, actor)
    start = _seconds(frame["date_start"])
    day = np.where(start == _NAT, _NAT, start // 86_400)
    month = np.asarray(frame["date_start"].to_numpy().astype("datetime64[M]"), dtype=np.int64)
    toll_code = frame["toll_code"].to_numpy() if "toll_code" in frame.columns else np.full(len(frame), -1)
    last = frame["date_last"] if "date_last" in frame.columns else frame["date_end"].fillna(frame["date_start"])
    kinds = _record_kinds(frame)
    return Numbers(
        place=place, actor=actor, actors=actors, cell=np.where(place < 0, -1, place * len(actors) + actor),
        tolls={c: np.nan_to_num(frame[c].to_numpy(dtype="float64")) for c in TOLL_COLUMNS},
        open=frame["killed_open"].to_numpy().astype(np.float64), civilian=(frame["civilians"] == "yes").to_numpy(),
        start=start, last=_seconds(last), day=day, month=month, toll_code=toll_code,
        shared=np.flatnonzero(toll_code >= 0), latest=np.argsort(place, kind="stable"),
        summed=kinds != "cumulative", combined=_combined_parts(frame, kinds))


def _record_kinds(frame: pd.DataFrame) -> np.ndarray:
    """Each row's record kind as an object array ("incident" where the frame has no ``record_kind``)."""
    if "record_kind" not in frame.columns:
        return np.full(len(frame), "incident", dtype=object)
    return frame["record_kind"].astype(object).fillna("incident").to_numpy(dtype=object)


def covered_uids(value: object) -> tuple[str, ...]:
    """Return the uids a record's ``covers`` holds (stored as a JSON list; a tuple or list as it is)."""
    if isinstance(value, tuple | list | np.ndarray):
        return tuple(str(v) for v in value)
    if not isinstance(value, str) or not value.strip():
        return ()
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = [u for u in value.split(";") if u.strip()]
    return tuple(str(v) for v in parsed) if isinstance(parsed, list) else ()


def _combined_parts(frame: pd.DataFrame, kinds: np.ndarray) -> tuple[tuple[int, np.ndarray], ...]:
    """The combined records of the frame (few) with the rows of the recorded incidents each covers."""
    rows = np.flatnonzero(kinds == "combined")
    if not len(rows) or "covers" not in frame.columns:
        return ()
    index = pd.Index(frame["uid"].astype(str))
    result = []
    for row in rows.tolist():
        found = index.get_indexer(pd.Index(covered_uids(frame["covers"].iat[row]), dtype=object))
        result.append((row, np.unique(found[(found >= 0) & (found != row)])))
    return tuple(result)


def _seconds(dates: pd.Series) -> np.ndarray:
    return np.asarray(dates.to_numpy(dtype="datetime64[s]").astype(np.int64))


def _selected(numbers: Numbers, mask: np.ndarray | None) -> np.ndarray:
    """The rows of ``mask`` that summaries add up: cumulative records are context, never summed."""
    selected = np.ones(len(numbers), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    return selected & numbers.summed


def _tolls(numbers: Numbers, selected: np.ndarray) -> dict[str, np.ndarray]:
    """The toll columns as summed over ``selected``: a selected combined record keeps only what its toll adds
    beyond its selected parts (the group counts the larger of the combined toll and the sum of its parts)."""
    active = [(row, parts[selected[parts]]) for row, parts in numbers.combined if selected[row]]
    active = [(row, parts) for row, parts in active if len(parts)]
    if not active:
        return numbers.tolls
    tolls = {name: values.copy() for name, values in numbers.tolls.items()}
    for name, values in tolls.items():
        for row, parts in active:
            values[row] = max(0.0, float(numbers.tolls[name][row]) - float(numbers.tolls[name][parts].sum()))
    return tolls


def _records(numbers: Numbers, selected: np.ndarray) -> np.ndarray:
    """The selected rows counted as incidents: a combined record whose parts are selected is not one more."""
    covering = [row for row, parts in numbers.combined if selected[row] and selected[parts].any()]
    if not covering:
        return selected
    records = selected.copy()
    records[covering] = False
    return records


def _counting(numbers: Numbers, selected: np.ndarray, within: np.ndarray | None = None) -> np.ndarray:
    """The selected rows that count towards a sum of tolls: a toll shared by several places (one figure the
    report gave for all of them) counts once, at the first selected member of its group — once per bin of
    ``within`` (e.g. the admin unit) when given."""
    if not len(numbers.shared):
        return selected
    rows = numbers.shared[selected[numbers.shared]]
    keys = numbers.toll_code[rows] if within is None else np.stack([numbers.toll_code[rows], within[rows]], axis=1)
    _, first = np.unique(keys, axis=0 if within is not None else None, return_index=True)
    counting = selected.copy()
    counting[rows] = False
    counting[rows[first]] = True
    return counting


def _binned(bins: np.ndarray, size: int, rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Sums of ``weights`` (counts without) per bin ``0..size-1`` over the rows at positions ``rows``; ``bins``
    are those rows' bins already. Only the selected rows are read: a narrow filter adds up little."""
    return np.bincount(bins, weights=None if weights is None else weights[rows], minlength=size)


# -- claims of the frame's rows ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ClaimIndex:
    """Where each incident's claims are in a claim table, and their sources: built once per data version, so
    that the sources of a few thousand rows (popups) or of a selection (source counts) are found without
    scanning every claim."""

    rows: np.ndarray  # frame row of each claim (-1: an incident not in the frame)
    order: np.ndarray  # claim positions grouped by frame row
    offsets: np.ndarray  # row r's claims are order[offsets[r]:offsets[r + 1]]
    name_codes: np.ndarray  # each claim's source name, as a position in ``names``
    names: np.ndarray  # the distinct source names
    urls: pd.api.extensions.ExtensionArray  # each claim's URL (Arrow strings: no million Python objects for the
    # garbage collector to walk through on every full collection)

    def selected(self, mask: np.ndarray) -> np.ndarray:
        """Return a boolean array over the claim table: the claims of the rows ``mask`` selects."""
        return (self.rows >= 0) & np.append(np.asarray(mask, dtype=bool), False)[self.rows]

    def sources(self, rows: np.ndarray) -> list[list[tuple[str, str | None]]]:
        """Return the (source name, URL) of each claim of each frame row in ``rows`` (positions), in order."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = self.offsets[rows]
        counts = self.offsets[rows + 1] - starts
        ends = np.cumsum(counts)
        claims = self.order[np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(starts - (ends - counts), counts)]
        names = self.names[self.name_codes[claims]].tolist()
        urls = [u if isinstance(u, str) and u else None for u in self.urls.take(claims).tolist()]
        pairs = list(zip(names, urls, strict=True))
        return [pairs[end - count : end] for end, count in zip(ends.tolist(), counts.tolist(), strict=True)]


def claim_index(frame_uids: pd.Series, claims: pd.DataFrame) -> ClaimIndex:
    """Return the :class:`ClaimIndex` of a claim table (``incident_uid``, ``source_name``, ``url``) over a
    frame's ``uid``."""
    rows = np.asarray(pd.Index(frame_uids).get_indexer(claims["incident_uid"]), dtype=np.int64)  # uids are unique
    counts = np.bincount(rows[rows >= 0], minlength=len(frame_uids))
    order = np.argsort(np.where(rows >= 0, rows, len(frame_uids)), kind="stable")[: int(counts.sum())]
    name_codes, names = pd.factorize(claims["source_name"].fillna("").astype(str))
    return ClaimIndex(rows=rows, order=order, offsets=np.concatenate([[0], np.cumsum(counts)]),
                      name_codes=np.asarray(name_codes), names=np.asarray(names, dtype=object),
                      urls=claims["url"].astype("string[pyarrow]").array)


# -- totals -------------------------------------------------------------------------------------------------


def _positions(frame: pd.DataFrame, mask: np.ndarray | None) -> np.ndarray:
    """Return the row positions that ``mask`` selects (all rows when None): ``take`` beats boolean indexing."""
    return np.arange(len(frame)) if mask is None else np.flatnonzero(mask)


def _values(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    return np.asarray(frame[column], dtype="float64").take(rows)


def _total(weights: np.ndarray, values: np.ndarray) -> int:
    return int(round(float(np.dot(weights, values))))


def _date(seconds: int) -> date | None:
    return None if seconds == _NAT else pd.Timestamp(seconds, unit="s").date()


@dataclass(frozen=True)
class Totals:
    """The headline figures of a selection of incidents."""

    incidents: int
    killed_min: int
    killed_max: int
    killed_best: int
    open_max: int  # incidents whose maximum is open: the maximum total is then a floor
    civilians_min: int  # killed in incidents whose sources agree the dead were civilians
    civilians_max: int
    civilians_best: int
    children: int
    women: int
    places: int
    unmapped: int
    first: date | None
    last: date | None

    def killed(self, figure: str) -> int:
        """Return the total under ``figure`` ("min", "max" or "best")."""
        return {"min": self.killed_min, "max": self.killed_max, "best": self.killed_best}[figure]

    def civilians(self, figure: str) -> int:
        """Return the civilians killed under ``figure`` ("min", "max" or "best")."""
        return {"min": self.civilians_min, "max": self.civilians_max, "best": self.civilians_best}[figure]


def summarise_totals(frame: pd.DataFrame, mask: np.ndarray | None = None, numbers: Numbers | None = None) -> Totals:
    """Return the :class:`Totals` of the rows of the prepared ``frame`` selected by ``mask``."""
    numbers = numbers_of(frame) if numbers is None else numbers
    selected = _selected(numbers, mask)
    weights = _counting(numbers, selected).astype(np.float64)
    civilian = weights * numbers.civilian
    tolls = _tolls(numbers, selected)
    places = numbers.place[selected]
    starts, lasts = numbers.start[selected], numbers.last[selected]
    starts, lasts = starts[starts != _NAT], lasts[lasts != _NAT]  # min/max of a NaT is NaT
    return Totals(
        incidents=int(np.count_nonzero(_records(numbers, selected))),
        killed_min=_total(weights, tolls["killed_min"]), killed_max=_total(weights, tolls["killed_max_or_min"]),
        killed_best=_total(weights, tolls["killed_best_or_min"]), open_max=int(np.dot(selected, numbers.open)),
        civilians_min=_total(civilian, tolls["killed_min"]), civilians_max=_total(civilian, tolls["killed_max_or_min"]),
        civilians_best=_total(civilian, tolls["killed_best_or_min"]),
        children=_total(weights, tolls["children_killed"]), women=_total(weights, tolls["women_killed"]),
        places=int(np.count_nonzero(np.bincount(places[places >= 0]))) if (places >= 0).any() else 0,
        unmapped=int((places < 0).sum()),
        first=_date(int(starts.min())) if len(starts) else None,
        last=_date(int(lasts.max())) if len(lasts) else None,
    )


def count_killed(numbers: Numbers, mask: np.ndarray, figure: str = "min") -> tuple[int, int]:
    """Return (incidents, killed under ``figure``) of the rows ``mask`` selects, counted as the totals count
    them (a cheaper :func:`summarise_totals` for the groups a caption says were left out)."""
    selected = _selected(numbers, mask)
    weights = _counting(numbers, selected).astype(np.float64)
    killed = _total(weights, _tolls(numbers, selected)[figure_column(figure)])
    return int(np.count_nonzero(_records(numbers, selected))), killed


# -- per place ----------------------------------------------------------------------------------------------

PLACE_COLUMNS = ("place_key", "place_shape", "precision", "n", "killed_min", "killed_max", "killed_best",
                 "killed", "open_max", "children", "women", "first", "last", "lat", "lon", "name_ar", "name_en",
                 "admin1", "admin2", "admin3", "main_actor")
_PLACE_SUMS = {"killed_min": "killed_min", "killed_max": "killed_max_or_min", "killed_best": "killed_best_or_min",
               "children": "children_killed", "women": "women_killed"}


def summarise_places(frame: pd.DataFrame, mask: np.ndarray | None, table: pd.DataFrame,
                     figure: str = "min", numbers: Numbers | None = None) -> pd.DataFrame:
    """Return one row per place of the selected incidents, most killed first.

    Parameters
    ----------
    frame
        Prepared frame (:func:`prepare_frame`).
    mask
        Boolean selection (``Filter.mask``); None selects every row.
    table
        :func:`place_table` of the same frame.
    figure
        Which figure ``killed`` (and the ordering and the main actor) uses: "min", "max" or "best".
    numbers
        :func:`numbers_of` the frame, if already at hand.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PLACE_COLUMNS`. ``main_actor`` is the actor with the most killed there (ties and
        places without figures: the actor of most incidents). Unmapped incidents are left out.
    """
    numbers = numbers_of(frame) if numbers is None else numbers
    selected = _selected(numbers, mask) & (numbers.place >= 0)
    if not selected.any():
        return pd.DataFrame(columns=list(PLACE_COLUMNS))
    size, width = len(table), len(numbers.actors)
    rows = np.flatnonzero(selected)
    cells = numbers.cell[rows]  # one bin per place and actor
    records = _records(numbers, selected)
    counts = (_binned(cells, size * width, rows) if records is selected else
              _binned(numbers.cell[records], size * width, np.flatnonzero(records))).reshape(size, width)
    result = table.copy()
    result["n"] = counts.sum(axis=1)
    per_actor = {}
    tolls = _tolls(numbers, selected)
    for name, column in _PLACE_SUMS.items():
        per_actor[column] = _binned(cells, size * width, rows, tolls[column]).reshape(size, width)
        result[name] = per_actor[column].sum(axis=1).round().astype("int64")
    killed = per_actor[figure_column(figure)]
    result["killed"] = killed.sum(axis=1).round().astype("int64")
    result["open_max"] = _binned(cells, size * width, rows, numbers.open).reshape(size, width).sum(axis=1).astype("int64")
    result["first"], result["last"] = _date_range(numbers, rows, size)
    score = killed * (counts.max() + 1) + counts  # most killed, then most incidents
    result["main_actor"] = numbers.actors[score.argmax(axis=1)]
    result = result[(result["n"] > 0) | (result["killed"] > 0)]
    return result.sort_values(["killed", "n", "place_key"], ascending=[False, False, True],
                              kind="stable").reset_index(drop=True)[list(PLACE_COLUMNS)]


def _date_range(numbers: Numbers, rows: np.ndarray, size: int) -> tuple[pd.Series, pd.Series]:
    """Earliest and latest start date per place of the rows at ``rows`` (``ufunc.at``: 2–3 ms per million rows
    with numpy 2)."""
    starts = numbers.start[rows]
    dated = starts != _NAT
    places, starts = numbers.place[rows][dated], starts[dated]
    first = np.full(size + 1, np.iinfo(np.int64).max)
    last = np.full(size + 1, _NAT)
    np.minimum.at(first, places, starts)
    np.maximum.at(last, places, starts)
    first_dates = pd.to_datetime(pd.Series(first[:size]).where(first[:size] != np.iinfo(np.int64).max), unit="s")
    last_dates = pd.to_datetime(pd.Series(last[:size]).where(last[:size] != _NAT), unit="s")
    return first_dates, last_dates


def latest_rows(frame: pd.DataFrame, mask: np.ndarray | None, limit: int,
                numbers: Numbers | None = None) -> np.ndarray:
    """Return the positions of at most ``limit`` newest selected incidents of each place, in frame order."""
    numbers = numbers_of(frame) if numbers is None else numbers
    order = numbers.latest  # grouped by place, newest first within each place
    rows = order[_selected(numbers, mask)[order] & (numbers.place[order] >= 0)]
    if limit <= 0 or not len(rows):
        return rows[:0]
    places = numbers.place[rows]
    starts = np.flatnonzero(np.r_[True, places[1:] != places[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.append(starts, len(rows))))
    return np.sort(rows[rank < limit])


def summarise_admin(frame: pd.DataFrame, mask: np.ndarray | None, column: str = "admin3",
                    figure: str = "min", numbers: Numbers | None = None) -> pd.DataFrame:
    """Return incidents and killed per admin unit (``admin3`` by default), for the choropleth.

    Every selected incident with that admin code counts, whatever its location precision; a toll shared by
    several places counts once in each unit that holds some of them.
    """
    numbers = numbers_of(frame) if numbers is None else numbers
    codes = frame[column].cat.codes.to_numpy().astype(np.intp)
    size = len(frame[column].cat.categories)
    selected = _selected(numbers, mask) & (codes >= 0)
    records = np.flatnonzero(_records(numbers, selected))
    result = pd.DataFrame({"pcode": np.asarray(frame[column].cat.categories, dtype=object),
                           "n": _binned(codes[records], size, records)})
    rows = np.flatnonzero(selected)
    tolls = _tolls(numbers, selected)
    counting = _counting(numbers, selected, codes)
    if counting is not selected:
        rows = np.flatnonzero(counting)  # repeats of a shared toll within a unit add nothing
    units = codes[rows]
    sums: dict[str, np.ndarray] = {}
    for name, source in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                         ("killed", figure_column(figure))):
        if source not in sums:
            sums[source] = _binned(units, size, rows, tolls[source])
        result[name] = sums[source].round().astype("int64")
    return result[result["n"] > 0].reset_index(drop=True)


# -- per period ---------------------------------------------------------------------------------------------


PERIOD_COLUMNS = ["start", "actor", "actor_label", "n", "killed_min", "killed_max", "killed_best", "killed"]


def _periods(numbers: Numbers, freq: str) -> np.ndarray:
    """Period number of every row: days, weeks (Monday to Sunday) or months since 1970."""
    if freq == "day":
        return numbers.day
    if freq == "week":
        return (numbers.day + 3) // 7  # 1970-01-01 was a Thursday: week w starts on day 7w - 3
    if freq == "month":
        return numbers.month
    raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}; got {freq!r}")


def _period_days(periods: np.ndarray, freq: str) -> np.ndarray:
    """The first day (``datetime64[D]``) of period numbers of :func:`_periods`."""
    if freq == "week":
        return (periods * 7 - 3).astype("datetime64[D]")
    if freq == "month":
        return periods.astype("datetime64[M]").astype("datetime64[D]")
    return periods.astype("datetime64[D]")


def summarise_periods(frame: pd.DataFrame, mask: np.ndarray | None, freq: str = "month",
                      figure: str = "min", lang: str = "en", numbers: Numbers | None = None) -> pd.DataFrame:
    """Return incidents and killed per period and actor; incidents count at their start date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PERIOD_COLUMNS`: ``start`` (datetime), ``actor`` (code), ``actor_label``, ``n``,
        ``killed_min``, ``killed_max``, ``killed_best`` and ``killed`` (the chosen figure). Undated incidents
        are left out.
    """
    numbers = numbers_of(frame) if numbers is None else numbers
    periods = _periods(numbers, freq)
    selected = _selected(numbers, mask) & (numbers.day != _NAT)
    if not selected.any():
        return pd.DataFrame(columns=PERIOD_COLUMNS)
    width = len(numbers.actors)
    chosen = periods[selected]
    origin = int(chosen.min())
    size = (int(chosen.max()) - origin + 1) * width  # bounded: periods in the span × actors; no sort needed
    rows = np.flatnonzero(selected)
    counts = _binned((periods[rows] - origin) * width + numbers.actor[rows], size, rows)
    used = np.flatnonzero(counts)  # a period may hold only a combined record's toll beyond its parts
    records = _records(numbers, selected)
    if records is not selected:
        kept = np.flatnonzero(records)
        counts = _binned((periods[kept] - origin) * width + numbers.actor[kept], size, kept)
    tolls = _tolls(numbers, selected)
    result = pd.DataFrame({
        "start": pd.to_datetime(_period_days(used // width + origin, freq)),
        "actor": numbers.actors[used % width], "n": counts[used]})
    counting = _counting(numbers, selected)
    if counting is not selected:
        rows = np.flatnonzero(counting)  # repeats of a shared toll add nothing
    cells = (periods[rows] - origin) * width + numbers.actor[rows]
    for name, column in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                         ("killed_best", "killed_best_or_min")):
        result[name] = _binned(cells, size, rows, tolls[column])[used].round().astype("int64")
    result["killed"] = result[{"min": "killed_min", "max": "killed_max", "best": "killed_best"}[figure]]
    result["actor_label"] = [taxonomy.label("actor", c, lang) for c in result["actor"]]
    return result[PERIOD_COLUMNS]


def summarise_bands(periods: pd.DataFrame) -> pd.DataFrame:
    """Return per-period totals over all actors (the min–max band of the timeline)."""
    columns = ["start", "n", "killed_min", "killed_max", "killed_best", "killed"]
    if periods.empty:
        return pd.DataFrame(columns=columns)
    return periods.groupby("start", sort=True)[columns[1:]].sum().reset_index()


def date_spans(frame: pd.DataFrame, mask: np.ndarray | None, limit: int = 150) -> pd.DataFrame:
    """Return the selected incidents known only to a date range (end after start), most killed first."""
    positions = _positions(frame, mask)
    starts = frame["date_start"].to_numpy().take(positions)
    ends = frame["date_end"].to_numpy().take(positions)
    positions = positions[~np.isnat(ends) & ~np.isnat(starts) & (ends > starts)]
    killed = np.nan_to_num(_values(frame, "killed_max_or_min", positions))
    positions = positions[np.argsort(-killed, kind="stable")[:limit]]
    rows = frame.iloc[positions]
    label = rows["place_name_en"].fillna(rows["place_text"]).fillna(rows["uid"]).astype(str)
    return pd.DataFrame({"uid": rows["uid"].to_numpy(), "date_start": rows["date_start"].to_numpy(),
                         "date_end": rows["date_end"].to_numpy(), "label": label.to_numpy(),
                         "actor": rows["actor"].astype(object).to_numpy(),
                         "killed_min": rows["killed_min"].to_numpy(),
                         "killed_max": rows["killed_max_or_min"].to_numpy()})


CUMULATIVE_COLUMNS = ["uid", "date_start", "date_end", "place_key", "place_name_en", "place_name_ar", "place_text",
                      "admin2", "admin3", "killed_min", "killed_max", "killed_open", "description"]


def cumulative_records(frame: pd.DataFrame, mask: np.ndarray | None) -> pd.DataFrame:
    """Return the selected cumulative records (a toll over a period, shown as context, never summed), oldest
    first; columns :data:`CUMULATIVE_COLUMNS` (``killed_max`` missing when open)."""
    if "record_kind" not in frame.columns:
        return pd.DataFrame(columns=CUMULATIVE_COLUMNS)
    keep = (frame["record_kind"].astype(object) == "cumulative").to_numpy()
    if mask is not None:
        keep = keep & np.asarray(mask, dtype=bool)
    rows = frame[keep]
    rows = rows.sort_values("date_start", na_position="last", kind="stable")
    return rows.reindex(columns=CUMULATIVE_COLUMNS).reset_index(drop=True)


DELAY_BINS = (("before the date", -np.inf, -0.5), ("same day", -0.5, 0.5), ("next day", 0.5, 1.5),
              ("2–7 days", 1.5, 7.5), ("8–30 days", 7.5, 30.5), ("1–12 months", 30.5, 365.5),
              ("over a year", 365.5, np.inf))


def summarise_delays(frame: pd.DataFrame, mask: np.ndarray | None) -> pd.DataFrame:
    """Return how many selected incidents were first reported how long after they began, in readable bins."""
    rows = _positions(frame, mask)
    delays = _values(frame, "report_delay_days", rows)
    known = ~np.isnat(frame["first_published"].to_numpy().take(rows))
    delays = delays[known]
    edges = [low for _, low, _ in DELAY_BINS] + [DELAY_BINS[-1][2]]
    counts, _ = np.histogram(delays[~np.isnan(delays)], bins=edges)
    return pd.DataFrame({"delay": [name for name, _, _ in DELAY_BINS], "order": range(len(DELAY_BINS)),
                         "n": counts.astype(int)})


def count_sources(claims: pd.DataFrame, claim_index: ClaimIndex, mask: np.ndarray, top: int = 25) -> pd.DataFrame:
    """Return how many selected incidents each source reported, most first (the ``top`` sources).

    Parameters
    ----------
    claims
        The claim table of the prepared frame (``incident_uid``, ``source_name``, ``source_kind``, ...).
    claim_index
        Where each frame row's claims are in ``claims``.
    mask
        The selected rows of the frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``kind`` (a code, "" when unknown) and ``incidents`` (distinct incidents).
    """
    if claims.empty:
        return pd.DataFrame(columns=["source", "kind", "incidents"])
    chosen_claims = claims[claim_index.selected(mask)]
    counts = chosen_claims.groupby(["source_name", "source_kind"], dropna=False)["incident_uid"].nunique()
    table = counts.sort_values(ascending=False).head(top).reset_index()
    table.columns = ["source", "kind", "incidents"]
    table["kind"] = [k if isinstance(k, str) else "" for k in table["kind"]]  # a code: labelled in the page's language
    return table
