"""Summaries of the filtered incident frame: totals, one row per place, one row per period, delays.

Everything here is pure pandas/numpy over the frame of :mod:`incidents.frame` once it has passed through
:func:`prepare_frame` (done once per data version at the UI edge). Aggregating per place *before* anything
is drawn is what keeps the map the same size whether the filter selects ten incidents or a million.

Where an incident is drawn
--------------------------
An incident located only to a sub-district, district or governorate is an *area* incident: it is keyed on
that admin unit's P-code and drawn as the unit's outline, never as a false point at its centroid. Others
are keyed on their gazetteer place id, or on their rounded coordinates when they have no place id.
Incidents with neither are *unmapped*: counted, listed in the table, never drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from incidents import taxonomy
from incidents.filters import figure_column

#: location precision → the admin column that locates such an incident
AREA_LEVELS = {"subdistrict": "admin3", "district": "admin2", "governorate": "admin1"}
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


# -- preparing the frame (once per data version) -----------------------------------------------------------


def prepare_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` sorted newest first, with ``place_key``, ``place_shape`` and ``killed_open`` added.

    Parameters
    ----------
    frame
        The incident frame (:func:`incidents.frame.build_frame`); not modified.

    Returns
    -------
    pandas.DataFrame
        A new frame. ``place_key`` (categorical) is where the incident is drawn: an admin P-code for area
        incidents, the gazetteer place id, or ``pt:lat,lon``; missing for unmapped incidents.
        ``place_shape`` is "area", "point" or missing. ``killed_open`` marks incidents whose maximum is
        open (a source said "more than N").
    """
    out = frame.sort_values(["date_start", "uid"], ascending=[False, True], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    keys, shapes = _place_keys(out)
    out["place_key"] = pd.Categorical(keys)
    out["place_shape"] = pd.Categorical(shapes, categories=["point", "area"])
    out["killed_open"] = (out["killed_max"].isna() & out["killed_min"].notna()).to_numpy()
    shared = out["shared_toll"].fillna(False).astype(bool) & out["toll_group"].notna()
    out["toll_code"] = np.where(shared, pd.factorize(out["toll_group"].where(shared))[0], -1)
    for column in ("admin1", "admin2", "admin3"):  # categorical: the filter's isin and grouping are faster
        out[column] = pd.Categorical(out[column])
    return out


def _place_keys(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(frame)
    keys = np.full(n, None, dtype=object)
    shapes = np.full(n, None, dtype=object)
    precision = frame["location_precision"].astype(object).to_numpy()
    has_point = (frame["lat"].notna() & frame["lon"].notna()).to_numpy()
    rounded = frame["lat"].round(4).astype(str) + "," + frame["lon"].round(4).astype(str)
    point_keys = np.where(frame["place_id"].notna(), frame["place_id"].astype(object), "pt:" + rounded)
    point_rows = has_point | frame["place_id"].notna().to_numpy()
    keys[point_rows] = point_keys[point_rows]
    shapes[point_rows] = "point"
    for level, column in AREA_LEVELS.items():
        codes = frame[column].to_numpy(dtype=object)
        rows = (precision == level) & pd.notna(codes)
        keys[rows] = codes[rows]
        shapes[rows] = "area"
    return keys, shapes


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


# -- totals -------------------------------------------------------------------------------------------------


def _positions(frame: pd.DataFrame, mask: np.ndarray | None) -> np.ndarray:
    """Return the row positions that ``mask`` selects (all rows when None): ``take`` beats boolean indexing."""
    return np.arange(len(frame)) if mask is None else np.flatnonzero(mask)


def _values(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    return np.asarray(frame[column], dtype="float64").take(rows)


def _counted(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Which of ``rows`` count towards a sum of tolls: a toll shared by several places (one figure the report
    gave for all of them) counts once, at the first selected member of its group; every other row counts."""
    if "toll_code" not in frame.columns:
        return np.ones(len(rows), dtype=bool)
    codes = frame["toll_code"].to_numpy().take(rows)
    counted = codes < 0
    shared = np.flatnonzero(~counted)
    if len(shared):
        _, first = np.unique(codes[shared], return_index=True)
        counted[shared[first]] = True
    return counted


def _toll_values(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    """Toll values of ``rows`` with the repeats of shared tolls zeroed (see :func:`_counted`)."""
    return np.where(_counted(frame, rows), _values(frame, column, rows), np.nan)


def _codes(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    return frame[column].cat.codes.to_numpy().take(rows)


def _total(values: np.ndarray) -> int:
    return int(round(float(np.nansum(values)))) if len(values) else 0


def _day(value: np.datetime64) -> date | None:
    return None if np.isnat(value) else pd.Timestamp(value).date()


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
    """Return the :class:`Totals` of the rows of the prepared ``frame`` selected by ``mask``."""
    rows = _positions(frame, mask)
    civilian = (frame["civilians"] == "yes").to_numpy().take(rows)
    killed_min, killed_max = _toll_values(frame, "killed_min", rows), _toll_values(frame, "killed_max_or_min", rows)
    codes = _codes(frame, "place_key", rows)
    starts = frame["date_start"].to_numpy().take(rows)
    ends = frame["date_end"].to_numpy().take(rows)
    ends = np.where(np.isnat(ends), starts, ends)
    starts, ends = starts[~np.isnat(starts)], ends[~np.isnat(ends)]  # min/max of a NaT is NaT
    return Totals(
        incidents=len(rows),
        killed_min=_total(killed_min), killed_max=_total(killed_max),
        killed_best=_total(_toll_values(frame, "killed_best_or_min", rows)),
        open_max=int(frame["killed_open"].to_numpy().take(rows).sum()),
        civilians_min=_total(killed_min[civilian]), civilians_max=_total(killed_max[civilian]),
        civilians_best=_total(_toll_values(frame, "killed_best_or_min", rows)[civilian]),
        children=_total(_toll_values(frame, "children_killed", rows)),
        women=_total(_toll_values(frame, "women_killed", rows)),
        places=int(np.count_nonzero(np.bincount(codes[codes >= 0]))) if (codes >= 0).any() else 0,
        unmapped=int((codes < 0).sum()),
        first=_day(np.min(starts)) if len(starts) else None,
        last=_day(np.max(ends)) if len(ends) else None,
    )


# -- per place ----------------------------------------------------------------------------------------------

PLACE_COLUMNS = ("place_key", "place_shape", "precision", "n", "killed_min", "killed_max", "killed_best",
                 "killed", "open_max", "children", "women", "first", "last", "lat", "lon", "name_ar", "name_en",
                 "admin1", "admin2", "admin3", "main_actor")
_PLACE_SUMS = {"killed_min": "killed_min", "killed_max": "killed_max_or_min", "killed_best": "killed_best_or_min",
               "children": "children_killed", "women": "women_killed"}


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
        places without figures: the actor of most incidents). Unmapped incidents are left out.
    """
    rows = _positions(frame, mask)
    codes = _codes(frame, "place_key", rows)
    rows, codes = rows[codes >= 0], codes[codes >= 0]
    if len(rows) == 0:
        return pd.DataFrame(columns=list(PLACE_COLUMNS))
    size = len(table)
    result = table.copy()
    result["n"] = np.bincount(codes, minlength=size)
    for name, column in {**_PLACE_SUMS, "killed": figure_column(figure)}.items():
        weights = np.nan_to_num(_values(frame, column, rows))
        result[name] = np.bincount(codes, weights=weights, minlength=size).round().astype("int64")
    result["open_max"] = np.bincount(codes, weights=frame["killed_open"].to_numpy().take(rows),
                                     minlength=size).astype("int64")
    result["first"], result["last"] = _date_range(frame, rows, codes, size)
    result["main_actor"] = _main_actor(frame, rows, codes, size, figure)
    result = result[result["n"] > 0]
    return result.sort_values(["killed", "n", "place_key"], ascending=[False, False, True],
                              kind="stable").reset_index(drop=True)[list(PLACE_COLUMNS)]


_NAT = np.iinfo(np.int64).min


def _date_range(frame: pd.DataFrame, rows: np.ndarray, codes: np.ndarray, size: int) -> tuple[pd.Series, pd.Series]:
    days = frame["date_start"].to_numpy(dtype="datetime64[s]").astype("int64").take(rows)
    known = days != _NAT
    first = np.full(size, np.iinfo(np.int64).max)
    last = np.full(size, _NAT)
    np.minimum.at(first, codes[known], days[known])
    np.maximum.at(last, codes[known], days[known])
    first_dates = pd.to_datetime(pd.Series(first).where(first != np.iinfo(np.int64).max), unit="s")
    last_dates = pd.to_datetime(pd.Series(last).where(last != _NAT), unit="s")
    return first_dates, last_dates


def _main_actor(frame: pd.DataFrame, rows: np.ndarray, codes: np.ndarray, size: int, figure: str) -> np.ndarray:
    """Return per place code the actor with most killed (then most incidents), by one 2-D bincount."""
    categories = frame["actor"].cat.categories
    labels = np.append(np.asarray(categories, dtype=object), "unknown")
    actor_codes = _codes(frame, "actor", rows).astype(np.int64)
    actor_codes = np.where(actor_codes < 0, len(labels) - 1, actor_codes)
    cells = codes.astype(np.int64) * len(labels) + actor_codes
    killed = np.nan_to_num(_values(frame, figure_column(figure), rows))
    killed_sum = np.bincount(cells, weights=killed, minlength=size * len(labels))
    counts = np.bincount(cells, minlength=size * len(labels)).astype("float64")
    score = (killed_sum * (counts.max() + 1) + counts).reshape(size, len(labels))
    return labels[score.argmax(axis=1)]


def latest_by_place(frame: pd.DataFrame, mask: np.ndarray | None, limit: int,
                    columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return at most ``limit`` newest selected incidents of each place (the frame is newest first)."""
    positions = _positions(frame, mask)
    codes = _codes(frame, "place_key", positions)
    positions, codes = positions[codes >= 0], codes[codes >= 0]
    chosen = list(columns) if columns is not None else list(frame.columns)
    if limit <= 0 or len(positions) == 0:
        return frame.iloc[0:0][chosen]
    rank = pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy()
    return frame.iloc[positions[rank < limit]][chosen]


def summarise_admin(frame: pd.DataFrame, mask: np.ndarray | None, column: str = "admin3",
                    figure: str = "min") -> pd.DataFrame:
    """Return incidents and killed per admin unit (``admin3`` by default), for the choropleth.

    Every selected incident with that admin code counts, whatever its location precision.
    """
    rows = _positions(frame, mask)
    codes = _codes(frame, column, rows)
    rows, codes = rows[codes >= 0], codes[codes >= 0]
    size = len(frame[column].cat.categories)
    result = pd.DataFrame({"pcode": np.asarray(frame[column].cat.categories, dtype=object),
                           "n": np.bincount(codes, minlength=size)})
    for name, source in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                         ("killed", figure_column(figure))):
        weights = np.nan_to_num(_values(frame, source, rows))
        result[name] = np.bincount(codes, weights=weights, minlength=size).round().astype("int64")
    return result[result["n"] > 0].reset_index(drop=True)


# -- per period ---------------------------------------------------------------------------------------------


def period_start(dates: pd.Series | np.ndarray, freq: str) -> np.ndarray:
    """Return the first day of the day / week (Monday) / month of each date, as ``datetime64[D]``."""
    days = np.asarray(dates).astype("datetime64[D]")
    if freq == "day":
        return days
    if freq == "week":
        weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday (Monday = 0)
        return days - weekday.astype("timedelta64[D]")
    if freq == "month":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}; got {freq!r}")


PERIOD_COLUMNS = ["start", "actor", "actor_label", "n", "killed_min", "killed_max", "killed_best", "killed"]


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
    rows = _positions(frame, mask)
    starts = frame["date_start"].to_numpy().take(rows)
    rows, starts = rows[~np.isnat(starts)], starts[~np.isnat(starts)]
    if len(rows) == 0:
        return pd.DataFrame(columns=PERIOD_COLUMNS)
    labels = np.append(np.asarray(frame["actor"].cat.categories, dtype=object), "unknown")
    actor = _codes(frame, "actor", rows).astype(np.int64)
    actor = np.where(actor < 0, len(labels) - 1, actor)
    days = period_start(starts, freq).astype("int64")
    origin = int(days.min())
    cells = (days - origin) * len(labels) + actor  # bounded: periods in the span × actors; no sort needed
    size = int(cells.max()) + 1
    counts = np.bincount(cells, minlength=size)
    used = np.flatnonzero(counts)
    result = pd.DataFrame({
        "start": pd.to_datetime((used // len(labels) + origin).astype("datetime64[D]")),
        "actor": labels[used % len(labels)], "n": counts[used]})
    for name, column in (("killed_min", "killed_min"), ("killed_max", "killed_max_or_min"),
                         ("killed_best", "killed_best_or_min"), ("killed", figure_column(figure))):
        weights = np.nan_to_num(_toll_values(frame, column, rows))
        result[name] = np.bincount(cells, weights=weights, minlength=size)[used].round().astype("int64")
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
