"""Finding incidents that may be the same event, so that an editor decides: merge (keeping every claim) or
mark distinct. Nothing here merges anything.

Two incidents are a possible duplicate when

* they are at the same place, or at places at most :data:`NEARBY_KM` apart;
* their dates overlap or touch once each date's precision is allowed for (:data:`DATE_SLACK` days on each
  side: a date known only to the week may be three days off);
* they share the actor (not "unknown") or the event type (not "other").

Similar wording (in either language: the frame's ``search`` text holds every spelling of the place), the same
day, the same place and overlapping killed figures raise the score. Parts of one shared toll (same
``toll_group``) are different places by design and never paired; pairs already decided (merged or marked
distinct, table ``duplicate_decisions``) are not proposed again.

Speed: incidents are blocked into cells of about :data:`NEARBY_KM` (so a cell and its eight neighbours hold every
pair close enough) and, inside a neighbourhood, sorted by date; each incident is compared, with numpy, only to
those starting within its date window, and to at most :data:`MAX_NEIGHBOURS` of them (the nearest in time), so
even a crowd of look-alikes (one village, one day, thousands of rows) costs linear time. Python-level scoring
runs only for pairs that pass place, date and actor/type.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from sqlalchemy import select

from geodata.geo import haversine_km
from incidents.domain import messages
from incidents.storage import schema
from incidents.storage.store import Store

#: Places closer than this (km) count as "nearby".
NEARBY_KM = 5.0
#: Slack added to each side of a date range, by date precision (days).
DATE_SLACK = {"day": 1, "week": 3, "month": 7, "year": 30, "unknown": 0}
#: Pairs scoring below this are not proposed.
MIN_SCORE = 0.5
#: Wording at least this similar (0..1) is given as a reason.
WORDING_REASON = 0.6
#: Location precisions too coarse for "same place" to mean much (the score is lowered).
COARSE = ("district", "governorate")

_MAX_SLACK = max(DATE_SLACK.values())
_KM_PER_DEGREE = 111.2
#: Columns of the frame the finder reads.
COLUMNS = ("uid", "place_id", "lat", "lon", "date_start", "date_end", "date_precision", "actor", "event_type",
           "search", "toll_group", "killed_min", "killed_max", "location_precision")

#: reason code → (English, Arabic) text; ``{}`` takes the reason's detail.
REASON_TEXT = messages.table("duplicate_reasons")  # the catalogue's [duplicate_reasons]


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two incidents that may be one event, with the reasons.

    Attributes
    ----------
    uid_a, uid_b
        The two incidents (``uid_a`` is the first argument of :func:`score_pair`; for pairs of stored incidents
        the smaller uid). ``uid_a`` is empty for a candidate not yet stored.
    score
        0..1, higher is more alike.
    codes
        ``(code, detail)`` of each reason (keys of :data:`REASON_TEXT`).
    """

    uid_a: str
    uid_b: str
    score: float
    codes: tuple[tuple[str, str], ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons in English."""
        return self.describe("en")

    def describe(self, lang: str = "en") -> tuple[str, ...]:
        """Return the reasons as sentences in ``lang`` ("en" or "ar")."""
        index = 1 if lang == "ar" else 0
        return tuple(REASON_TEXT[code][index].format(detail) for code, detail in self.codes)

    @property
    def pair(self) -> tuple[str, str]:
        """The two uids, sorted (the key of ``duplicate_decisions``)."""
        first, second = sorted((self.uid_a, self.uid_b))
        return first, second


# -- one pair ---------------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    kind = type(value)  # fast paths first: called for every field of every compared pair
    if kind is str:
        return False
    if kind is float:
        return value != value
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float | np.floating):
        return bool(value != value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def _text(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _day(value: Any) -> float:
    """Return a date as a day number (NaN when missing).

    Dates, Timestamps, numpy datetimes and ISO text are accepted, and numbers are taken as day numbers already
    (proleptic Gregorian ordinals, as :meth:`datetime.date.toordinal`).
    """
    if _missing(value):
        return math.nan
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    if isinstance(value, date) and not isinstance(value, pd.Timestamp):
        return float(value.toordinal())
    return float(pd.Timestamp(value).toordinal())


def _place(a: Mapping, b: Mapping) -> tuple[str, str] | None:
    place_a, place_b = _text(a.get("place_id")), _text(b.get("place_id"))
    if place_a is not None and place_a == place_b:
        return "same_place", ""
    if _missing(a.get("lat")) or _missing(b.get("lat")):
        return None
    km = haversine_km(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"]))
    if km <= NEARBY_KM:
        return ("same_place", "") if km < 0.05 else ("nearby", f"{km:.1f}")
    return None


def date_window(start: Any, end: Any, precision: Any) -> tuple[float, float] | None:
    """Return the (first, last) day number an incident may have happened on, its precision allowed for.

    None when the start date is unknown.
    """
    first = _day(start)
    if math.isnan(first):
        return None
    last = _day(end)
    last = first if math.isnan(last) or last < first else last
    slack = DATE_SLACK.get(str(precision), 0)
    return first - slack, last + slack


def _dates(a: Mapping, b: Mapping) -> tuple[str, str] | None:
    window_a = date_window(a.get("date_start"), a.get("date_end"), a.get("date_precision"))
    window_b = date_window(b.get("date_start"), b.get("date_end"), b.get("date_precision"))
    if window_a is None or window_b is None or window_a[0] > window_b[1] or window_b[0] > window_a[1]:
        return None
    start_a, start_b = _day(a.get("date_start")), _day(b.get("date_start"))
    end_a, end_b = _day(a.get("date_end")), _day(b.get("date_end"))
    end_a, end_b = (start_a if math.isnan(end_a) else end_a), (start_b if math.isnan(end_b) else end_b)
    if start_a == start_b and end_a == end_b == start_a:
        return "same_day", ""
    if start_a <= end_b and start_b <= end_a:
        return "dates_overlap", ""
    return "dates_touch", ""


def _wording(a: Mapping, b: Mapping) -> float:
    left, right = str(_text(a.get("search")) or ""), str(_text(b.get("search")) or "")
    if not left.strip() or not right.strip():
        return 0.0
    return fuzz.token_set_ratio(left, right) / 100.0


def _killed(a: Mapping, b: Mapping) -> str | None:
    """Return "x / y" when both give killed figures and their ranges overlap."""
    def bounds(row: Mapping) -> tuple[float, float] | None:
        low, high = row.get("killed_min"), row.get("killed_max")
        if low is None or _missing(low):
            return None
        return float(low), (math.inf if high is None or _missing(high) else float(high))

    range_a, range_b = bounds(a), bounds(b)
    if range_a is None or range_b is None or range_a[0] > range_b[1] or range_b[0] > range_a[1]:
        return None
    return f"{_range_text(range_a)} / {_range_text(range_b)}"


def _range_text(bounds: tuple[float, float]) -> str:
    low, high = bounds
    if math.isinf(high):
        return f"{low:.0f}+"
    return f"{low:.0f}" if low == high else f"{low:.0f}–{high:.0f}"


def _shared_toll(a: Mapping, b: Mapping) -> bool:
    group_a = _text(a.get("toll_group"))
    return group_a is not None and group_a == _text(b.get("toll_group"))


def _same_code(a: Mapping, b: Mapping, column: str, vague: str) -> bool:
    value = _text(a.get(column))
    return value is not None and value != vague and value == _text(b.get(column))


def score_pair(a: Mapping, b: Mapping, undated: bool = False) -> PossibleDuplicate | None:
    """Return the pair as a possible duplicate with its reasons, or None if they are clearly different.

    Parameters
    ----------
    a, b
        Frame rows (``pandas.Series``) or mappings with the keys of :data:`COLUMNS` (missing keys count as
        unknown). Dates may be dates, Timestamps or ISO text.
    undated
        ``a`` is a report's candidate: when it has no date (a report without a publication date and relative
        dates only), the pair may still be proposed if the place, the actor and the event type are all the same
        (with "date_unknown" among the reasons). Two stored incidents always need dates that meet.
    """
    if _shared_toll(a, b):
        return None
    place, dates = _place(a, b), _dates(a, b)
    same_actor = _same_code(a, b, "actor", "unknown")
    same_type = _same_code(a, b, "event_type", "other")
    if dates is None and undated and date_window(a.get("date_start"), a.get("date_end"), a.get("date_precision")) \
            is None and same_actor and same_type:
        dates = ("date_unknown", "")
    if place is None or dates is None or not (same_actor or same_type):
        return None
    wording, killed = _wording(a, b), _killed(a, b)
    coarse = next((p for p in (_text(a.get("location_precision")), _text(b.get("location_precision")))
                   if p in COARSE), None)
    codes = [place, dates]
    codes += [("same_actor", "")] if same_actor else []
    codes += [("same_type", "")] if same_type else []
    codes += [("same_killed", killed)] if killed else []
    codes += [("wording", f"{wording:.0%}")] if wording >= WORDING_REASON else []
    codes += [("coarse", coarse)] if coarse else []
    score = (0.3 + 0.15 * same_actor + 0.15 * same_type + 0.1 * (place[0] == "same_place")
             + 0.1 * (dates[0] == "same_day") + 0.1 * bool(killed) + 0.2 * wording - 0.15 * bool(coarse))
    if score < MIN_SCORE:
        return None
    return PossibleDuplicate(str(a.get("uid") or ""), str(b.get("uid") or ""), round(min(score, 1.0), 3),
                             tuple(codes))


# -- the whole store --------------------------------------------------------------------------------------


class _Rows:
    """Column arrays of the frame, with one row built as a dict on demand (cheaper than ``frame.loc``).

    Dates are held as day numbers (see :func:`_day`), converted once for the whole column.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        dates = ("date_start", "date_end")
        size = len(frame)
        self.columns: dict[str, list] = {c: frame[c].to_numpy(dtype=object).tolist() if c in frame.columns
                                         else [None] * size for c in COLUMNS if c not in dates}
        for column in dates:
            self.columns[column] = ((_day_numbers(frame[column]) + _EPOCH_ORDINAL).tolist()
                                    if column in frame.columns else [math.nan] * size)
        self._built: dict[int, dict[str, Any]] = {}

    def __getitem__(self, position: int) -> dict[str, Any]:
        row = self._built.get(position)
        if row is None:
            row = {c: values[position] for c, values in self.columns.items()}
            self._built[position] = row
        return row


_EPOCH_ORDINAL = float(date(1970, 1, 1).toordinal())


def _day_numbers(series: pd.Series) -> np.ndarray:
    values = pd.to_datetime(series, errors="coerce")
    days = (values - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype="float64", na_value=np.nan)
    return days


@dataclass
class _Arrays:
    """Numeric columns of the dated incidents that have a place (coordinates or a place id), for the pre-filter."""

    positions: np.ndarray  # row positions in the frame
    lat: np.ndarray  # NaN when unmapped
    lon: np.ndarray
    place: np.ndarray  # place id or None
    first: np.ndarray  # window start (day number, slack included)
    last: np.ndarray  # window end
    start: np.ndarray  # start day (for sorting)
    actor: np.ndarray  # integer code; -1 for "unknown" (never a match)
    event: np.ndarray  # integer code; -1 for "other"

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Arrays:
        start = _day_numbers(frame["date_start"])
        end = _day_numbers(frame["date_end"]) if "date_end" in frame.columns else start.copy()
        end = np.where(np.isnan(end) | (end < start), start, end)
        slack = frame["date_precision"].astype(object).map(DATE_SLACK).fillna(0).to_numpy(dtype="float64")
        lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype="float64")
        lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype="float64")
        lon = np.where(np.isnan(lat), np.nan, lon)
        lat = np.where(np.isnan(lon), np.nan, lat)
        place = frame["place_id"].astype(object).where(frame["place_id"].notna(), None).to_numpy(dtype=object)
        keep = ~np.isnan(start) & (~np.isnan(lat) | (place != None))  # noqa: E711 - elementwise
        actor = _codes(frame["actor"], "unknown")
        event = _codes(frame["event_type"], "other")
        return cls(np.flatnonzero(keep), lat[keep], lon[keep], place[keep], (start - slack)[keep],
                   (end + slack)[keep], start[keep], actor[keep], event[keep])


def _cells(arrays: _Arrays) -> dict[tuple[int, int], np.ndarray]:
    """Group mapped incidents (indexes into ``arrays``) by a grid cell at least NEARBY_KM wide both ways."""
    mapped = np.flatnonzero(~np.isnan(arrays.lat))
    if not len(mapped):
        return {}
    lat_step = NEARBY_KM / _KM_PER_DEGREE
    widest = min(80.0, float(np.max(np.abs(arrays.lat[mapped]))))
    lon_step = lat_step / math.cos(math.radians(widest))
    rows = np.floor(arrays.lat[mapped] / lat_step).astype(np.int64)
    cols = np.floor(arrays.lon[mapped] / lon_step).astype(np.int64)
    groups = _groups(mapped, rows * (1 << 32) + cols)
    return {(int(rows[first]), int(cols[first])): members for first, members in groups}


def _groups(indexes: np.ndarray, keys: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Split ``indexes`` by equal ``keys``: [(position in ``keys`` of the group's first member, members)]."""
    order = np.argsort(keys, kind="stable")
    breaks = np.flatnonzero(np.diff(keys[order]) != 0) + 1
    return [(int(chunk[0]), indexes[chunk]) for chunk in np.split(order, breaks)]


def _codes(values: pd.Series, vague: str) -> np.ndarray:
    """Return the column as integer codes, -1 for missing and for the ``vague`` value (which never matches)."""
    text = values.astype(object).where(values.notna(), vague).astype(str)
    codes, _ = pd.factorize(text)
    return np.where(text.to_numpy() == vague, -1, codes).astype(np.int64)


_CHUNK = 4096  # members compared at once (bounds the memory of one step in a crowded neighbourhood)
#: In a crowd (many incidents at one place within one date window), each incident is compared with at most this
#: many others, the nearest in time after it: the work stays linear in the number of incidents (a file of
#: 200,000 rows in one village on one day costs 200,000 × this, not 200,000²).
MAX_NEIGHBOURS = 10


def _near_in_time(arrays: _Arrays, members: np.ndarray, window: np.ndarray,
                  spatial: bool) -> Iterator[tuple[int, int]]:
    """Yield (i, j) indexes into ``arrays``: i from ``members`` (which ``window`` contains), j from ``window``
    after i in the order (start day, index) and within i's date window, at most :data:`MAX_NEIGHBOURS` of them,
    close enough in space when ``spatial`` and sharing actor or event type. Vectorised: each step lays out
    every (i, j) of a chunk of members, then filters them. The order is total and the same in every
    neighbourhood, so each pair is found once, from its earlier member."""
    order_key = arrays.start * float(len(arrays.start) + 1) + np.arange(len(arrays.start), dtype="float64")
    window = window[np.argsort(order_key[window], kind="stable")]
    keys, starts = order_key[window], arrays.start[window]
    for chunk in range(0, len(members), _CHUNK):
        mine = members[chunk:chunk + _CHUNK]
        lo = np.searchsorted(keys, order_key[mine], side="right")
        hi = np.searchsorted(starts, arrays.last[mine] + _MAX_SLACK, side="right")
        counts = np.clip(hi - lo, 0, MAX_NEIGHBOURS)
        if not counts.sum():
            continue
        i = np.repeat(mine, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        j = window[np.repeat(lo, counts) + offsets]
        keep = arrays.first[j] <= arrays.last[i]
        keep &= ((arrays.actor[i] == arrays.actor[j]) & (arrays.actor[i] >= 0)) | (
            (arrays.event[i] == arrays.event[j]) & (arrays.event[i] >= 0))
        if spatial:
            dlat = np.radians(arrays.lat[j] - arrays.lat[i])
            dlon = np.radians(arrays.lon[j] - arrays.lon[i]) * np.cos(np.radians(arrays.lat[i]))
            keep &= np.hypot(dlat, dlon) * 6371.0 <= NEARBY_KM * 1.01
        yield from zip(i[keep].tolist(), j[keep].tolist(), strict=True)


def candidate_pairs(frame: pd.DataFrame) -> Iterator[tuple[int, int]]:
    """Yield pairs of row positions worth scoring (each unordered pair at least once).

    Dated incidents at nearby coordinates (neighbouring grid cells) or with the same place id, with overlapping
    date windows and the same actor or event type.
    """
    arrays = _Arrays.of(frame)
    cells = _cells(arrays)
    for (ci, cj), members in cells.items():
        around = [cells[key] for key in ((ci + di, cj + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1))
                  if key in cells]
        for i, j in _near_in_time(arrays, members, np.concatenate(around), spatial=True):
            yield int(arrays.positions[i]), int(arrays.positions[j])
    named = np.flatnonzero(arrays.place != None)  # noqa: E711 - elementwise
    place_codes, _ = pd.factorize(arrays.place[named])
    for _, members in _groups(named, np.asarray(place_codes, dtype=np.int64)) if len(named) else ():
        if len(members) > 1:
            for i, j in _near_in_time(arrays, members, members, spatial=False):
                yield int(arrays.positions[i]), int(arrays.positions[j])


def find_possible_duplicates(frame: pd.DataFrame, decided: set[tuple[str, str]] | None = None,
                             limit: int = 200) -> list[PossibleDuplicate]:
    """Return possible duplicate pairs among the incidents of ``frame``, best first.

    Parameters
    ----------
    frame
        The incident frame (:func:`incidents.analysis.frame.build_frame`), any row order.
    decided
        Pairs (sorted uid tuples) an editor already merged or marked distinct: not proposed again.
    limit
        At most this many pairs.
    """
    decided = decided or set()
    rows = _Rows(frame)
    found: dict[tuple[str, str], PossibleDuplicate] = {}
    for left, right in candidate_pairs(frame):
        a, b = rows[left], rows[right]
        key = tuple(sorted((str(a["uid"]), str(b["uid"]))))
        if key in found or key in decided:
            continue
        first, second = (a, b) if str(a["uid"]) <= str(b["uid"]) else (b, a)
        pair = score_pair(first, second)
        if pair is not None:
            found[(key[0], key[1])] = pair
    return sorted(found.values(), key=lambda p: (-p.score, p.uid_a, p.uid_b))[:limit]


def similar_to(candidate: Mapping, frame: pd.DataFrame, limit: int = 5) -> list[PossibleDuplicate]:
    """Return stored incidents that a candidate (a frame-shaped mapping; uid may be empty) may duplicate.

    ``uid_a`` of each result is the candidate's uid, ``uid_b`` the stored incident's; best first.
    """
    if frame.empty:
        return []
    place_id = _text(candidate.get("place_id"))
    near = np.zeros(len(frame), dtype=bool)
    if place_id is not None:
        near |= (frame["place_id"].astype(object) == place_id).to_numpy()
    if not _missing(candidate.get("lat")) and not _missing(candidate.get("lon")):
        box = NEARBY_KM / _KM_PER_DEGREE * 1.5
        lat, lon = float(candidate["lat"]), float(candidate["lon"])
        lats = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype="float64")
        lons = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype="float64")
        near |= (np.abs(lats - lat) < box) & (np.abs(lons - lon) < box / math.cos(math.radians(lat)))
    rows = _Rows(frame)
    pairs = (score_pair(candidate, rows[int(p)], undated=True) for p in np.flatnonzero(near))
    return sorted((p for p in pairs if p is not None), key=lambda p: (-p.score, p.uid_b))[:limit]


def load_decided_pairs(store: Store) -> set[tuple[str, str]]:
    """Return every pair (sorted uids) an editor merged or marked distinct (table ``duplicate_decisions``)."""
    table = schema.duplicate_decisions
    with store.engine.connect() as conn:
        return {(r.uid_a, r.uid_b) for r in conn.execute(select(table.c.uid_a, table.c.uid_b))}
