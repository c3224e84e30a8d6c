"""Finding incidents that may be the same event, so that an editor decides: merge (keeping every claim) or
mark distinct. Nothing here merges anything.

Two incidents are a possible duplicate when they are at the same or a nearby place, their dates overlap or touch
once each date's precision is allowed for, and they share the actor or the event type; similar wording (in either
language) raises the score. Pairs already decided are not proposed again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

#: Places closer than this (km) count as "nearby".
NEARBY_KM = 5.0
#: Slack added to each side of a date range, by date precision (days).
DATE_SLACK = {"day": 1, "week": 3, "month": 7, "year": 30, "unknown": 0}
#: Pairs scoring below this are not proposed.
MIN_SCORE = 0.5


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two incidents that may be one event, with the reasons."""

    uid_a: str
    uid_b: str
    score: float
    reasons: tuple[str, ...]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _same_place(a: pd.Series, b: pd.Series) -> str | None:
    if isinstance(a["place_id"], str) and a["place_id"] == b["place_id"]:
        return "same place"
    if pd.notna(a["lat"]) and pd.notna(b["lat"]):
        km = _km(a["lat"], a["lon"], b["lat"], b["lon"])
        if km <= NEARBY_KM:
            return f"{km:.1f} km apart"
    return None


def _dates_touch(a: pd.Series, b: pd.Series) -> str | None:
    if pd.isna(a["date_start"]) or pd.isna(b["date_start"]):
        return None
    slack_a = pd.Timedelta(days=DATE_SLACK.get(str(a["date_precision"]), 0))
    slack_b = pd.Timedelta(days=DATE_SLACK.get(str(b["date_precision"]), 0))
    a_start, a_end = a["date_start"] - slack_a, _end(a) + slack_a
    b_start, b_end = b["date_start"] - slack_b, _end(b) + slack_b
    if a_start <= b_end and b_start <= a_end:
        return "same day" if a["date_start"] == b["date_start"] else "overlapping dates"
    return None


def _end(row: pd.Series) -> pd.Timestamp:
    return row["date_end"] if pd.notna(row["date_end"]) else row["date_start"]


def _wording(a: pd.Series, b: pd.Series) -> float:
    left, right = str(a.get("search") or ""), str(b.get("search") or "")
    if not left.strip() or not right.strip():
        return 0.0
    return fuzz.token_set_ratio(left, right) / 100.0


def score_pair(a: pd.Series, b: pd.Series) -> PossibleDuplicate | None:
    """Return the pair as a possible duplicate with its reasons, or None if they are clearly different."""
    place, dates = _same_place(a, b), _dates_touch(a, b)
    same_actor = a["actor"] == b["actor"] and a["actor"] != "unknown"
    same_type = a["event_type"] == b["event_type"]
    if place is None or dates is None or not (same_actor or same_type):
        return None
    wording = _wording(a, b)
    reasons = [place, dates]
    reasons += ["same actor"] if same_actor else []
    reasons += ["same event type"] if same_type else []
    if wording >= 0.6:
        reasons.append(f"similar wording ({wording:.0%})")
    score = 0.3 + 0.15 * same_actor + 0.15 * same_type + 0.1 * (place == "same place") + 0.1 * (
        dates == "same day") + 0.2 * wording
    if score < MIN_SCORE:
        return None
    return PossibleDuplicate(str(a["uid"]), str(b["uid"]), round(min(score, 1.0), 3), tuple(reasons))


_MAX_SLACK = pd.Timedelta(days=2 * max(DATE_SLACK.values()))
_CELL = 0.05  # degrees (~5 km): a cell and its neighbours hold every pair closer than NEARBY_KM


def _candidate_pairs(frame: pd.DataFrame) -> Iterable[tuple[int, int]]:
    """Yield index pairs worth scoring: placed and dated incidents in neighbouring cells, close in time.

    Each cell's incidents are sorted by start date and swept, so the work grows with the number of incidents
    close in space and time, not with the square of the whole table.
    """
    placed = frame[frame["lat"].notna() & frame["date_start"].notna()]
    cell_i = np.floor(placed["lat"].to_numpy() / _CELL).astype(int)
    cell_j = np.floor(placed["lon"].to_numpy() / _CELL).astype(int)
    by_cell: dict[tuple[int, int], list[int]] = {}
    for index, i, j in zip(placed.index, cell_i, cell_j, strict=True):
        by_cell.setdefault((i, j), []).append(index)
    starts = placed["date_start"]
    ends = placed["date_end"].fillna(placed["date_start"])
    for (i, j), members in by_cell.items():
        neighbours = [n for di in (-1, 0, 1) for dj in (-1, 0, 1) for n in by_cell.get((i + di, j + dj), [])]
        window = sorted(neighbours, key=lambda n: starts[n])
        for left in members:
            for right in window:
                if starts[right] > ends[left] + _MAX_SLACK:
                    break
                if right != left and starts[right] >= starts[left] - _MAX_SLACK and (left < right):
                    yield left, right


def find_possible_duplicates(frame: pd.DataFrame, decided: set[tuple[str, str]] | None = None,
                             limit: int = 200) -> list[PossibleDuplicate]:
    """Return possible duplicate pairs among the incidents of ``frame``, best first.

    Parameters
    ----------
    frame
        The incident frame (:func:`incidents.frame.build_frame`).
    decided
        Pairs (sorted uid tuples) an editor already merged or marked distinct: not proposed again.
    limit
        At most this many pairs.
    """
    decided = decided or set()
    found: dict[tuple[str, str], PossibleDuplicate] = {}
    for left, right in _candidate_pairs(frame):
        a, b = frame.loc[left], frame.loc[right]
        first, second = sorted((str(a["uid"]), str(b["uid"])))
        if (first, second) in found or (first, second) in decided:
            continue
        pair = score_pair(a, b)
        if pair is not None:
            found[(first, second)] = pair
    return sorted(found.values(), key=lambda p: -p.score)[:limit]


def similar_to(candidate: pd.Series, frame: pd.DataFrame, limit: int = 5) -> list[PossibleDuplicate]:
    """Return stored incidents that the candidate (a frame-shaped row, uid may be empty) may duplicate."""
    if pd.isna(candidate.get("lat")):
        near = frame[frame["place_id"] == candidate.get("place_id")] if candidate.get("place_id") else frame.iloc[0:0]
    else:
        box = (frame["lat"] - candidate["lat"]).abs().lt(0.1) & (frame["lon"] - candidate["lon"]).abs().lt(0.1)
        near = frame[box]
    pairs = [score_pair(candidate, row) for _, row in near.iterrows()]
    return sorted((p for p in pairs if p is not None), key=lambda p: -p.score)[:limit]
