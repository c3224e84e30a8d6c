"""The possible-duplicate finder: place, date precision, actor/type, wording, decided pairs, and that its blocking by
space and time finds exactly the pairs a brute-force comparison finds."""

from __future__ import annotations

import itertools
import random
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from incidents.domain.users import User
from incidents.services import dedupe, service
from incidents.services.dedupe import (
    MAX_NEIGHBOURS,
    candidate_pairs,
    find_possible_duplicates,
    score_pair,
    similar_to,
)
from incidents.services.query import load_frame

HAJIN = dict(place_id="t:hajin", lat=34.6927, lon=40.8270)
BU_KHATER = dict(place_id="t:bukhater", lat=34.7000, lon=40.8600)  # ~3.1 km from Hajin
SHAAFA = dict(place_id="t:shafa", lat=34.6000, lon=40.8800)  # ~11.4 km from Hajin
BASE = dict(uid="a", **HAJIN, date_start=pd.Timestamp("2018-11-17"), date_end=pd.Timestamp("2018-11-17"),
            date_precision="day", actor="coalition", event_type="air_strike", search=" hjn kssf tahaluf ",
            toll_group=None, killed_min=5.0, killed_max=5.0, location_precision="village")


def row(**changes) -> dict:
    """A frame-shaped row: BASE with ``changes``."""
    values = {**BASE, "uid": "b", **changes}
    for name in ("date_start", "date_end"):
        if isinstance(values[name], str):
            values[name] = pd.Timestamp(values[name])
    return values


def codes(pair) -> list[str]:
    return [code for code, _ in pair.codes]


@pytest.mark.parametrize(("changes", "expected"), [
    # place
    ({}, ["same_place", "same_day", "same_actor", "same_type", "same_killed", "wording"]),
    (BU_KHATER, ["nearby", "same_day", "same_actor", "same_type", "same_killed", "wording"]),
    (SHAAFA, None),  # 11 km: not nearby
    (dict(place_id=None, lat=None, lon=None), None),  # unmapped
    (dict(place_id="t:hajin", lat=None, lon=None), ["same_place", "same_day", "same_actor", "same_type",
                                                    "same_killed", "wording"]),
    # dates, allowing for precision (day: 1 day of slack on each side)
    (dict(date_start="2018-11-18", date_end="2018-11-18"), ["same_place", "dates_touch", "same_actor",
                                                          "same_type", "same_killed", "wording"]),
    (dict(date_start="2018-11-19", date_end="2018-11-19"), ["same_place", "dates_touch", "same_actor",
                                                          "same_type", "same_killed", "wording"]),
    (dict(date_start="2018-11-20", date_end="2018-11-20"), None),
    (dict(date_start="2018-11-21", date_end="2018-11-21", date_precision="week"),
     ["same_place", "dates_touch", "same_actor", "same_type", "same_killed", "wording"]),
    (dict(date_start="2018-11-23", date_end="2018-11-23", date_precision="week"), None),
    (dict(date_start="2018-11-01", date_end="2018-11-30", date_precision="month"),
     ["same_place", "dates_overlap", "same_actor", "same_type", "same_killed", "wording"]),
    (dict(date_start=None, date_end=None, date_precision="unknown"), None),
    # actor and type: one is enough; "unknown" and "other" are not a match
    (dict(actor="russia"), ["same_place", "same_day", "same_type", "same_killed", "wording"]),
    (dict(event_type="shelling"), ["same_place", "same_day", "same_actor", "same_killed", "wording"]),
    (dict(actor="russia", event_type="shelling"), None),
    # figures and wording
    (dict(killed_min=40.0, killed_max=40.0, search=" dyfrnt wrds ntrly "), ["same_place", "same_day",
                                                                              "same_actor", "same_type"]),
    (dict(killed_min=3.0, killed_max=None), ["same_place", "same_day", "same_actor", "same_type", "same_killed",
                                             "wording"]),
    # parts of one shared toll are different places by design
    (dict(toll_group="toll-1"), ["same_place", "same_day", "same_actor", "same_type", "same_killed", "wording"]),
])
def test_score_pair_reasons(changes, expected):
    pair = score_pair(BASE, row(**changes))
    assert (codes(pair) if pair else None) == expected


def test_unknown_actor_and_other_type_do_not_pair():
    a = row(uid="a", actor="unknown", event_type="other")
    assert score_pair(a, row(actor="unknown", event_type="other")) is None


def test_parts_of_one_shared_toll_are_never_paired():
    assert score_pair(row(uid="a", toll_group="toll-1"), row(toll_group="toll-1")) is None


def test_coarse_locations_are_said_and_score_lower():
    fine = score_pair(BASE, row())
    coarse = score_pair(BASE, row(location_precision="district"))
    assert ("coarse", "district") in coarse.codes and coarse.score < fine.score


def test_reasons_in_both_languages():
    pair = score_pair(BASE, row(**BU_KHATER))
    assert pair.reasons[0] == "3.1 km apart"
    assert pair.describe("ar")[0] == "على بعد 3.1 كم"


def test_same_place_scores_above_nearby_and_same_day_above_touching():
    same = score_pair(BASE, row(search=""))
    nearby = score_pair(BASE, row(search="", **BU_KHATER))
    touching = score_pair(BASE, row(search="", date_start="2018-11-18", date_end="2018-11-18"))
    assert same.score > nearby.score and same.score > touching.score


def frame_of(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def test_decided_pairs_are_not_proposed_again():
    frame = frame_of([row(uid="a"), row(uid="b"), row(uid="c", **SHAAFA)])
    assert [p.pair for p in find_possible_duplicates(frame)] == [("a", "b")]
    assert find_possible_duplicates(frame, decided={("a", "b")}) == []


def test_pairs_are_best_first_and_capped():
    frame = frame_of([row(uid="a"), row(uid="b"), row(uid="c", **BU_KHATER, search="")])
    pairs = find_possible_duplicates(frame)
    assert [p.pair for p in pairs] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert [p.pair for p in find_possible_duplicates(frame, limit=1)] == [("a", "b")]


def test_similar_to_a_candidate_without_uid():
    frame = frame_of([row(uid="x"), row(uid="far", **SHAAFA), row(uid="other", actor="isis", event_type="attack")])
    found = similar_to({**BASE, "uid": ""}, frame)
    assert [(p.uid_a, p.uid_b) for p in found] == [("", "x")]


def _random_frame(seed: int, size: int) -> pd.DataFrame:
    """Incidents crowded into a small area and a few months, with every precision and some long ranges."""
    rng = random.Random(seed)
    rows = []
    for n in range(size):
        start = date(2018, 9, 1) + timedelta(days=rng.randrange(120))
        precision = rng.choice(["day", "day", "day", "week", "month", "year", "unknown"])
        length = rng.choice([0, 0, 0, 2, 6, 29, 200])
        rows.append(dict(
            uid=f"u{n:04d}", place_id=rng.choice([None, "t:hajin", "t:susa"]),
            lat=34.60 + rng.random() * 0.25, lon=40.70 + rng.random() * 0.30,
            date_start=pd.Timestamp(start), date_end=pd.Timestamp(start + timedelta(days=length)),
            date_precision=precision, actor=rng.choice(["coalition", "isis", "unknown"]),
            event_type=rng.choice(["air_strike", "attack", "other"]), search=rng.choice(["", " hjn ", " ssh "]),
            toll_group=rng.choice([None, None, "toll-1"]), killed_min=float(rng.randrange(5)), killed_max=None,
            location_precision="village"))
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_blocking_finds_exactly_what_comparing_every_pair_finds(seed, monkeypatch):
    monkeypatch.setattr("incidents.services.dedupe.MAX_NEIGHBOURS", 10**9)  # the crowd cap is tested on its own
    frame = _random_frame(seed, 260)
    placed = frame.dropna(subset=["lat", "date_start"]).to_dict("records")
    expected = set()
    for a, b in itertools.combinations(placed, 2):
        first, second = sorted((a, b), key=lambda r: r["uid"])
        if score_pair(first, second) is not None:
            expected.add((first["uid"], second["uid"]))
    found = {p.pair for p in find_possible_duplicates(frame, limit=10**6)}
    assert found == expected and expected


def test_pairs_just_under_the_nearby_distance_east_west_are_found():
    # 4.9 km due east at 35°N is 0.0538° of longitude: more than a 0.05° cell (the first version's blind spot)
    frame = frame_of([row(uid="a", place_id=None, lat=35.0, lon=40.0),
                      row(uid="b", place_id=None, lat=35.0, lon=40.0 + 0.0538)])
    assert [p.pair for p in find_possible_duplicates(frame)] == [("a", "b")]


def test_a_long_date_range_pairs_with_a_day_inside_it():
    frame = frame_of([row(uid="a", date_start="2018-01-01", date_end="2018-12-31", date_precision="year"),
                      row(uid="b", date_start="2018-11-17", date_end="2018-11-17")])
    assert [p.pair for p in find_possible_duplicates(frame)] == [("a", "b")]


def test_load_decided_pairs_reads_the_decisions_table(sqlite_store, incident_factory):
    reviewer = User("rev", "reviewer")
    a, b = service.create_incidents(sqlite_store, reviewer, [incident_factory(), incident_factory()])
    service.mark_distinct(sqlite_store, reviewer, b.uid, a.uid, reason="two strikes, different streets")
    assert dedupe.load_decided_pairs(sqlite_store) == {tuple(sorted((a.uid, b.uid)))}
    frame = load_frame(sqlite_store)
    assert find_possible_duplicates(frame) != []
    assert find_possible_duplicates(frame, dedupe.load_decided_pairs(sqlite_store)) == []


@pytest.mark.slow
def test_a_big_store_is_searched_quickly():
    rng = np.random.default_rng(7)
    size = 100_000
    starts = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 13 * 365, size), unit="D")
    frame = pd.DataFrame({
        "uid": [f"u{n:06d}" for n in range(size)], "place_id": None,
        "lat": 34.4 + rng.random(size) * 1.6, "lon": 39.8 + rng.random(size) * 1.8,
        "date_start": starts, "date_end": starts, "date_precision": rng.choice(["day", "week", "month"], size),
        "actor": rng.choice(["coalition", "isis", "sdf", "government", "russia"], size),
        "event_type": rng.choice(["air_strike", "shelling", "attack", "armed_clash"], size),
        "search": "", "toll_group": None, "killed_min": rng.integers(0, 10, size).astype(float), "killed_max": None,
        "location_precision": "village"})
    began = time.perf_counter()
    pairs = find_possible_duplicates(frame)
    elapsed = time.perf_counter() - began
    assert len(pairs) == 200 and elapsed < 30, elapsed


def test_an_undated_candidate_is_proposed_only_with_same_place_actor_and_type():
    frame = frame_of([row(uid="x"), row(uid="other-type", event_type="shelling"), row(uid="far", **SHAAFA)])
    undated = {**BASE, "uid": "", "date_start": None, "date_end": None, "date_precision": "unknown"}
    found = similar_to(undated, frame)
    assert [p.uid_b for p in found] == ["x"]
    assert "date_unknown" in codes(found[0])
    # two stored incidents still need dates that meet
    assert score_pair(undated, row(uid="x")) is None


def test_a_crowd_in_one_village_costs_linear_work():
    """Issue #12 (13): rows sharing one village and one day were compared every one with every other."""
    size = 5000
    frame = pd.DataFrame([{**BASE, "uid": f"c{n:05d}", "search": ""} for n in range(size)])
    pairs = list(candidate_pairs(frame))
    assert len(pairs) <= size * MAX_NEIGHBOURS * 2  # one pass by coordinates, one by place id
    assert len({tuple(sorted(p)) for p in pairs}) >= size - 1  # ... and every row is still compared
    assert len(find_possible_duplicates(frame, limit=10)) == 10
