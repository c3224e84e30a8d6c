"""Aggregation of the filtered frame: where incidents are drawn, totals, per place, per period, delays."""

from __future__ import annotations

from datetime import date
from functools import partial

import numpy as np
import pandas as pd
import pytest

from incidents.analysis import aggregate as agg
from incidents.analysis.engine import Engine
from incidents.analysis.filters import Filter
from incidents.analysis.frame import build_frame, empty_frame
from incidents.domain.records import Claim
from incidents.domain.users import LOCAL_USER
from incidents.services.service import add_claim, create_incidents


@pytest.fixture
def frame(sqlite_store, incident_factory):
    make = partial(incident_factory, status="published")
    second = Claim(source_name="Other source", quote="Twelve were killed.", killed_min=12, killed_max=12)
    create_incidents(sqlite_store, LOCAL_USER, [
        make(uid="p1", actor="coalition", place_id="wof:890449895", date_start=date(2018, 11, 17),
             date_end=date(2018, 11, 17), claim=dict(killed_min=3, killed_max=5)),
        make(uid="p2", actor="sdf", place_id="wof:890449895", date_start=date(2018, 11, 20),
             date_end=date(2018, 11, 20), claim=dict(killed_min=1, killed_max=1)),
        make(uid="p3", actor="sdf", place_id="wof:890449895", date_start=date(2018, 11, 21),
             date_end=date(2018, 11, 21), claim=dict(killed_min=1, killed_max=1)),
        make(uid="pt", actor="isis", place_id=None, lat=34.4528, lon=40.9389, date_start=date(2019, 1, 5),
             date_end=date(2019, 1, 5), claim=dict(killed_min=10, killed_max=None, children_killed=4)),
        make(uid="ar", actor="isis", location_precision="subdistrict", admin3="SY090201", place_id="SY090201",
             lat=34.83, lon=40.99, date_start=date(2018, 3, 1), date_end=date(2018, 3, 20),
             claim=dict(killed_min=2, killed_max=4, civilians="no")),
        make(uid="no", actor="government", place_id=None, lat=None, lon=None, location_precision="unknown",
             admin1=None, admin2=None, admin3=None, date_start=date(2017, 6, 1), date_end=date(2017, 6, 1),
             claim=dict(killed_min=20, killed_max=20)),
        make(uid="two", actor="coalition", place_id="ocha:C5113", lat=35.28, lon=40.53,
             date_start=date(2017, 6, 3), date_end=date(2017, 6, 3), claim=dict(killed_min=7, killed_max=9)),
    ])
    add_claim(sqlite_store, LOCAL_USER, "two", second)
    return agg.prepare_frame(build_frame(sqlite_store.load_incident_table(), sqlite_store.load_claim_table()))


def by_uid(frame: pd.DataFrame, column: str) -> dict:
    return dict(zip(frame["uid"], frame[column].astype(object), strict=True))


def test_place_keys_draw_areas_as_areas_points_as_points_and_skip_the_unknown(frame):
    keys = by_uid(frame, "place_key")
    shapes = by_uid(frame, "place_shape")
    assert keys["p1"] == keys["p2"] == "wof:890449895" and shapes["p1"] == "point"
    assert keys["pt"] == "pt:34.4528,40.9389" and shapes["pt"] == "point"
    assert keys["ar"] == "SY090201" and shapes["ar"] == "area"  # never a point at the centroid
    assert pd.isna(keys["no"]) and pd.isna(shapes["no"])


def test_frame_is_newest_first_and_marks_open_maxima(frame):
    assert list(frame["uid"][:2]) == ["pt", "p3"]
    assert by_uid(frame, "killed_open") == {"pt": True, **{u: False for u in frame["uid"] if u != "pt"}}


def test_totals_count_figures_band_places_and_unmapped(frame):
    totals = agg.summarise_totals(frame, Filter(gradings=()).mask(frame))
    assert totals.incidents == 7
    assert (totals.killed_min, totals.killed_max) == (3 + 1 + 1 + 10 + 2 + 20 + 7, 5 + 1 + 1 + 10 + 4 + 20 + 12)
    assert totals.open_max == 1
    assert totals.children == 4
    assert totals.places == 4 and totals.unmapped == 1
    assert (totals.first, totals.last) == (date(2017, 6, 1), date(2019, 1, 5))
    assert totals.civilians_min == totals.killed_min - 2  # the sub-district incident's dead were not civilians
    assert totals.civilians("max") == totals.killed_max - 4


def test_date_span_ignores_undated_incidents(sqlite_store, incident_factory):
    create_incidents(sqlite_store, LOCAL_USER, [
        incident_factory(uid="dated"), incident_factory(uid="undated", date_start=None, date_end=None,
                                                        date_precision="unknown")])
    frame = agg.prepare_frame(build_frame(sqlite_store.load_incident_table(), sqlite_store.load_claim_table()))
    totals = agg.summarise_totals(frame)
    assert (totals.first, totals.last) == (date(2018, 11, 17), date(2018, 11, 17))


def test_totals_of_nothing_are_zero(frame):
    totals = agg.summarise_totals(frame, np.zeros(len(frame), dtype=bool))
    assert (totals.incidents, totals.killed_min, totals.places, totals.first) == (0, 0, 0, None)


@pytest.mark.parametrize(("figure", "main_actor"), [
    ("min", "coalition"),  # coalition 3 killed vs SDF 1 + 1
    ("max", "coalition"),
])
def test_places_aggregate_one_row_per_place_with_main_actor(frame, figure, main_actor):
    table = agg.place_table(frame)
    places = agg.summarise_places(frame, None, table, figure).set_index("place_key")
    assert set(places.index) == {"wof:890449895", "pt:34.4528,40.9389", "SY090201", "ocha:C5113"}
    hajin = places.loc["wof:890449895"]
    assert (hajin["n"], hajin["killed_min"], hajin["killed_max"]) == (3, 5, 7)
    assert hajin["main_actor"] == main_actor
    assert hajin["first"] == pd.Timestamp("2018-11-17") and hajin["last"] == pd.Timestamp("2018-11-21")
    assert places.loc["SY090201", "place_shape"] == "area"


def test_main_actor_falls_back_to_most_incidents_when_nobody_gave_figures(sqlite_store, incident_factory):
    make = incident_factory
    create_incidents(sqlite_store, LOCAL_USER, [
        make(uid=f"x{i}", actor="sdf" if i else "isis", claim=dict(killed_min=None, killed_max=None))
        for i in range(3)])
    frame = agg.prepare_frame(build_frame(sqlite_store.load_incident_table(), sqlite_store.load_claim_table()))
    places = agg.summarise_places(frame, None, agg.place_table(frame))
    assert list(places["main_actor"]) == ["sdf"]


def test_places_use_gazetteer_names_when_given(frame):
    table = agg.place_table(frame, lambda key: ("هجين", "Hajin (gazetteer)") if key == "wof:890449895" else None)
    row = table[table["place_key"] == "wof:890449895"].iloc[0]
    assert (row["name_ar"], row["name_en"]) == ("هجين", "Hajin (gazetteer)")


def test_latest_rows_caps_each_place_newest_first(frame):
    latest = frame.iloc[agg.latest_rows(frame, None, 2)]
    hajin = latest[latest["place_key"] == "wof:890449895"]["uid"].tolist()
    assert hajin == ["p3", "p2"]
    assert len(agg.latest_rows(frame, None, 0)) == 0


@pytest.mark.parametrize(("freq", "uids", "start"), [
    ("day", ["p3"], "2018-11-21"),
    ("week", ["p2", "p3"], "2018-11-19"),  # a Tuesday and a Wednesday → their Monday
    ("week", ["p1"], "2018-11-12"),  # a Saturday → the Monday before
    ("month", ["p1", "p2", "p3"], "2018-11-01"),
])
def test_periods_start_on_the_day_the_monday_or_the_first(frame, freq, uids, start):
    periods = agg.summarise_periods(frame, frame["uid"].isin(uids).to_numpy(), freq)
    assert periods["start"].unique().tolist() == [pd.Timestamp(start)]


def test_periods_reject_an_unknown_frequency(frame):
    with pytest.raises(ValueError, match="frequency must be one of day, week, month; got 'year'"):
        agg.summarise_periods(frame, None, "year")


def test_periods_per_actor_and_band(frame):
    periods = agg.summarise_periods(frame, None, "month", "max")
    november = periods[periods["start"] == pd.Timestamp("2018-11-01")].set_index("actor")
    assert november.loc["coalition", "killed"] == 5 and november.loc["sdf", "n"] == 2
    assert november.loc["sdf", "actor_label"] == "Syrian Democratic Forces (SDF)"
    bands = agg.summarise_bands(periods).set_index("start")
    assert (bands.loc[pd.Timestamp("2018-11-01"), "killed_min"], bands.loc[pd.Timestamp("2018-11-01"),
                                                                          "killed_max"]) == (5, 7)


@pytest.mark.parametrize("freq", ["day", "week", "month"])
@pytest.mark.parametrize("shuffled", [False, True])
def test_bands_are_the_periods_summed_per_start_in_start_order(frame, freq, shuffled):
    periods = agg.summarise_periods(frame, None, freq, "max")
    if shuffled:
        periods = periods.sample(frac=1, random_state=3).reset_index(drop=True)
    columns = ["n", "killed_min", "killed_max", "killed_best", "killed"]
    expected = periods.groupby("start", sort=True)[columns].sum().reset_index()
    pd.testing.assert_frame_equal(agg.summarise_bands(periods), expected, check_exact=True)


def test_periods_of_nothing_are_empty_with_columns(frame):
    empty = agg.summarise_periods(frame, np.zeros(len(frame), dtype=bool))
    assert list(empty.columns) == agg.PERIOD_COLUMNS and empty.empty
    assert agg.summarise_bands(empty).empty


def test_admin_totals_count_every_incident_with_the_code(frame):
    admin = agg.summarise_admin(frame, None, "admin3").set_index("pcode")
    assert admin.loc["SY090201", "n"] == 6  # the fixtures' default admin3, point and area incidents alike


def test_date_spans_and_delays(frame):
    spans = agg.date_spans(frame, None)
    assert spans["uid"].tolist() == ["ar"]
    delays = agg.summarise_delays(frame, None)
    assert delays["n"].sum() == 0  # the synthetic claims carry no publication date
    assert list(delays["delay"])[:3] == ["before the date", "same day", "next day"]


def test_empty_frame_prepares_and_summarises():
    frame = agg.prepare_frame(empty_frame())
    assert agg.summarise_totals(frame).incidents == 0
    assert agg.summarise_places(frame, None, agg.place_table(frame)).empty
    assert agg.summarise_periods(frame, None).empty


def test_actor_colours_are_distinct_and_cover_the_taxonomy():
    from incidents.domain import taxonomy

    assert set(taxonomy.codes("actor")) <= set(agg.ACTOR_COLOURS)
    assert len(set(agg.ACTOR_COLOURS.values())) == len(agg.ACTOR_COLOURS)
    assert agg.actor_colour("no-such-actor") == "#666666"


def test_a_toll_shared_by_several_places_counts_once_in_totals_and_timeline(sqlite_store, incident_factory):
    make = incident_factory
    shared = dict(toll_group="g-1", shared_toll=True, date_start=date(2018, 2, 25), date_end=date(2018, 2, 25),
                  claim=dict(killed_min=29, killed_max=None, children_killed=5))
    create_incidents(sqlite_store, LOCAL_USER, [
        make(uid="s1", place_id="wof:1", lat=34.57, lon=40.93, **shared),
        make(uid="s2", place_id="wof:2", lat=34.53, lon=40.96, **shared),
        make(uid="own", place_id="wof:3", lat=34.69, lon=40.83, date_start=date(2018, 2, 25),
             date_end=date(2018, 2, 25), claim=dict(killed_min=3, killed_max=3)),
    ])
    frame = agg.prepare_frame(build_frame(sqlite_store.load_incident_table(), sqlite_store.load_claim_table()))
    totals = agg.summarise_totals(frame)
    assert (totals.incidents, totals.killed_min, totals.children, totals.places) == (3, 32, 5, 3)
    only_second = (frame["uid"] == "s2").to_numpy()
    assert agg.summarise_totals(frame, only_second).killed_min == 29  # any one member carries the toll
    periods = agg.summarise_periods(frame, None, "month")
    assert periods["killed_min"].sum() == 32 and periods["n"].sum() == 3
    admin = agg.summarise_admin(frame, None, "admin3").set_index("pcode")
    assert (admin.loc["SY090201", "n"], admin.loc["SY090201", "killed_min"]) == (3, 32)  # one unit: toll once


def test_the_engine_finds_each_rows_sources_in_claim_order():
    frame = pd.DataFrame({"uid": ["a", "b", "c"], "actor": ["isis", "sdf", "isis"],
                          "date_start": pd.to_datetime(["2018-01-01", None, "2018-01-03"]), "date_end": pd.NaT,
                          "killed_min": 1.0, "killed_max": 2.0})
    claims = pd.DataFrame({"incident_uid": ["b", "x", "a", "b", "c"],  # "x": an incident not in the frame
                           "source_name": ["SANA", "Other", "SOHR", "Deir Ezzor 24", "SANA"],
                           "source_kind": ["state_media", None, "ngo", None, "state_media"],
                           "url": ["https://sana.sy/1", None, "", "https://deirezzor24.net/2", None]})
    engine = Engine(frame, claims)
    assert engine.sources(np.array([1, 0, 2])) == [
        [("SANA", "https://sana.sy/1"), ("Deir Ezzor 24", "https://deirezzor24.net/2")],
        [("SOHR", None)], [("SANA", None)]]
    assert engine.sources(np.array([], dtype=np.int64)) == []
    counts = engine.count_sources(engine.where_rows(np.array([False, True, False])))
    assert counts.to_dict("records") == [{"source": "Deir Ezzor 24", "kind": "", "incidents": 1},
                                         {"source": "SANA", "kind": "state_media", "incidents": 1}]
