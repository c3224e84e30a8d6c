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

from incidents.analysis.frame import AREA_LEVELS, prepare_frame  # noqa: F401 - re-exported: callers prepare through here

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


# -- the counting rules' inputs --------------------------------------------------------------------------

#: The toll columns summed by the summaries (missing figures count as 0).
TOLL_COLUMNS = ("killed_min", "killed_max_or_min", "killed_best_or_min", "children_killed", "women_killed")


def _engine(frame: pd.DataFrame, claims: pd.DataFrame | None = None):  # noqa: ANN202 - engine imports this module
    """A one-off :class:`incidents.analysis.engine.Engine` over ``frame`` (the summaries below, for scripts and
    tests; the dashboard keeps one engine per data version)."""
    from incidents.analysis.engine import Engine

    return Engine(frame, claims)


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


def combined_parts(frame: pd.DataFrame, kinds: np.ndarray) -> tuple[tuple[int, np.ndarray], ...]:
    """The combined records of the frame (few) with the rows of the recorded incidents each covers."""
    rows = np.flatnonzero(kinds == "combined")
    if not len(rows) or "covers" not in frame.columns:
        return ()
    index = pd.Index(frame["uid"].astype(str))
    combined = set(rows.tolist())

    def covered(row: int) -> np.ndarray:
        found = index.get_indexer(pd.Index(covered_uids(frame["covers"].iat[row]), dtype=object))
        return found[found >= 0]

    return tuple((row, _recorded_parts(row, covered, combined)) for row in rows.tolist())


def _recorded_parts(row: int, covered: Callable[[int], np.ndarray], combined: set[int]) -> np.ndarray:
    """The recorded incidents under combined record ``row``: those it covers, and those under a combined record
    it covers (stored before such links were refused, :mod:`incidents.domain.coverage`), each once; a loop of
    combined records ends where it closes."""
    parts: set[int] = set()
    seen, todo = {row}, [row]
    while todo:
        for found in covered(todo.pop()).tolist():
            if found not in combined:
                parts.add(found)
            elif found not in seen:
                seen.add(found)
                todo.append(found)
    return np.array(sorted(parts), dtype=np.int64)


# -- totals -------------------------------------------------------------------------------------------------


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


def summarise_totals(frame: pd.DataFrame, mask: np.ndarray | None = None) -> Totals:
    """Return the :class:`Totals` of the rows of the prepared ``frame`` selected by ``mask`` (None: every row)."""
    engine = _engine(frame)
    return engine.totals(engine.where_rows(mask))


# -- per place ----------------------------------------------------------------------------------------------

PLACE_COLUMNS = ("place_key", "place_shape", "precision", "n", "killed_min", "killed_max", "killed_best",
                 "killed", "open_max", "children", "women", "first", "last", "lat", "lon", "name_ar", "name_en",
                 "admin1", "admin2", "admin3", "main_actor")

def summarise_places(frame: pd.DataFrame, mask: np.ndarray | None, table: pd.DataFrame,
                     figure: str = "min") -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PLACE_COLUMNS`. ``main_actor`` is the actor with the most killed there (ties and
        places without figures: the actor of most incidents). Unmapped incidents are left out. (The work is
        :meth:`incidents.analysis.engine.Engine.summarise_places`.)
    """
    engine = _engine(frame)
    return engine.summarise_places(engine.where_rows(mask), table, figure)


def latest_rows(frame: pd.DataFrame, mask: np.ndarray | None, limit: int) -> np.ndarray:
    """Return the positions of at most ``limit`` newest selected incidents of each place, in frame order."""
    engine = _engine(frame)
    return engine.latest_rows(engine.where_rows(mask), limit)


def summarise_admin(frame: pd.DataFrame, mask: np.ndarray | None, column: str = "admin3",
                    figure: str = "min") -> pd.DataFrame:
    """Return incidents and killed per admin unit (``admin3``), for the choropleth.

    Every selected incident with that admin code counts, whatever its location precision; a toll shared by
    several places counts once in each unit that holds some of them.
    """
    engine = _engine(frame)
    return engine.summarise_admin(engine.where_rows(mask), column, figure)


# -- per period ---------------------------------------------------------------------------------------------


PERIOD_COLUMNS = ["start", "actor", "actor_label", "n", "killed_min", "killed_max", "killed_best", "killed"]


def period_days(periods: np.ndarray, freq: str) -> np.ndarray:
    """The first day (``datetime64[D]``) of period numbers: days, weeks (Monday to Sunday; week ``w`` starts on
    day ``7w - 3``, 1970-01-01 being a Thursday) or months since 1970."""
    if freq == "week":
        return (periods * 7 - 3).astype("datetime64[D]")
    if freq == "month":
        return periods.astype("datetime64[M]").astype("datetime64[D]")
    return periods.astype("datetime64[D]")


def summarise_periods(frame: pd.DataFrame, mask: np.ndarray | None, freq: str = "month",
                      figure: str = "min", lang: str = "en") -> pd.DataFrame:
    """Return incidents and killed per period and actor; incidents count at their start date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PERIOD_COLUMNS`: ``start`` (datetime), ``actor`` (code), ``actor_label``, ``n``,
        ``killed_min``, ``killed_max``, ``killed_best`` and ``killed`` (the chosen figure). Undated incidents
        are left out.
    """
    engine = _engine(frame)
    return engine.summarise_periods(engine.where_rows(mask), freq, figure, lang)


def summarise_bands(periods: pd.DataFrame) -> pd.DataFrame:
    """Return per-period totals over all actors (the min–max band of the timeline)."""
    columns = ["start", "n", "killed_min", "killed_max", "killed_best", "killed"]
    if periods.empty:
        return pd.DataFrame(columns=columns)
    # summed in numpy: the same frame as ``groupby("start").sum()`` for whole-number sums, a fifth of the time
    starts = periods["start"].to_numpy()
    order = np.argsort(starts, kind="stable")
    ordered = starts[order]
    firsts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return pd.DataFrame({"start": ordered[firsts],
                         **{c: np.add.reduceat(periods[c].to_numpy()[order], firsts) for c in columns[1:]}})


def date_spans(frame: pd.DataFrame, mask: np.ndarray | None, limit: int = 150) -> pd.DataFrame:
    """Return the selected incidents known only to a date range (end after start), most killed first."""
    engine = _engine(frame)
    return engine.date_spans(engine.where_rows(mask), limit)


CUMULATIVE_COLUMNS = ["uid", "date_start", "date_end", "place_key", "place_name_en", "place_name_ar", "place_text",
                      "admin2", "admin3", "killed_min", "killed_max", "killed_open", "description"]


def cumulative_records(frame: pd.DataFrame, mask: np.ndarray | None) -> pd.DataFrame:
    """Return the selected cumulative records (a toll over a period, shown as context, never summed), oldest
    first; columns :data:`CUMULATIVE_COLUMNS` (``killed_max`` missing when open)."""
    engine = _engine(frame)
    return engine.cumulative_records(engine.where_rows(mask))


DELAY_BINS = (("before the date", -np.inf, -0.5), ("same day", -0.5, 0.5), ("next day", 0.5, 1.5),
              ("2–7 days", 1.5, 7.5), ("8–30 days", 7.5, 30.5), ("1–12 months", 30.5, 365.5),
              ("over a year", 365.5, np.inf))


def summarise_delays(frame: pd.DataFrame, mask: np.ndarray | None) -> pd.DataFrame:
    """Return how many selected incidents were first reported how long after they began, in readable bins."""
    engine = _engine(frame)
    return engine.summarise_delays(engine.where_rows(mask))


def count_sources(frame: pd.DataFrame, claims: pd.DataFrame, mask: np.ndarray | None, top: int = 25) -> pd.DataFrame:
    """Return how many selected incidents of ``frame`` each source of ``claims`` reported, most first (the ``top``
    sources); columns ``source``, ``kind`` (a code, "" when unknown) and ``incidents`` (distinct incidents)."""
    engine = _engine(frame, claims)
    return engine.count_sources(engine.where_rows(mask), top)
