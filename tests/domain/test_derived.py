"""What the dashboard's caches hold is built by pure functions of the package (the cache module only caches
them): the base map's boundaries, the sidebar's choices, the source counts and the map's data layers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from incidents.analysis import aggregate, mapping
from incidents.analysis.boundaries import build_boundaries, unit_ids
from incidents.analysis.choices import filter_options
from incidents.analysis.engine import EVERYTHING, Engine
from incidents.analysis.frame import build_frame
from incidents.domain.region import GOVERNORATE
from incidents.domain.users import LOCAL_USER
from incidents.services.service import create_incidents

CLAIM_COLUMNS = ["incident_uid", "source_name", "url", "source_kind", "language", "published"]


@pytest.fixture
def prepared(sqlite_store, incident_factory):
    """The prepared frame, its place table, claims and engine of three synthetic incidents."""
    create_incidents(sqlite_store, LOCAL_USER, [
        incident_factory(uid="a", claim=dict(source_name="Source one (synthetic)", source_kind="ngo", language="en")),
        incident_factory(uid="b", date_start=date(2018, 11, 20), date_end=date(2018, 11, 20),
                         claim=dict(source_name="Source one (synthetic)", source_kind="ngo", language="ar")),
        incident_factory(uid="c", place_text="Baghuz", place_name_en="Al-Baghuz", place_name_ar="الباغوز",
                         lat=34.4528, lon=40.9389, admin2="SY0903", admin3="SY090301",
                         claim=dict(source_name="Source two (synthetic)", source_kind="local_network")),
    ])
    claims = sqlite_store.load_claim_table()
    frame = aggregate.prepare_frame(build_frame(sqlite_store.load_incident_table(), claims, with_search=False))
    sources = claims[CLAIM_COLUMNS].copy()
    return frame, aggregate.place_table(frame), sources, Engine(frame, sources)


def test_source_counts_count_distinct_selected_incidents_per_source(prepared):
    frame, _, claims, engine = prepared
    everything = engine.count_sources(EVERYTHING)
    assert everything.to_dict("records") == [{"source": "Source one (synthetic)", "kind": "ngo", "incidents": 2},
                                            {"source": "Source two (synthetic)", "kind": "local_network", "incidents": 1}]
    only_c = engine.count_sources(engine.where_rows((frame["uid"] == "c").to_numpy()))
    assert only_c["source"].tolist() == ["Source two (synthetic)"]
    assert aggregate.count_sources(frame, claims.iloc[0:0], np.ones(len(frame), dtype=bool)).empty
    assert aggregate.count_sources(frame, claims, None).equals(everything)


def test_the_filter_offers_the_areas_places_and_languages_in_the_data(prepared):
    frame, places, _, _ = prepared

    class Names:
        def admin_name(self, code):
            return ("هجين", "Hajin") if code == "SY090201" else ("", "")

    options = filter_options(frame, places, Names())
    assert options.districts == {"SY0902": "SY0902", "SY0903": "SY0903"}  # unnamed: the code
    assert options.subdistricts["SY090201"] == "Hajin · هجين"
    assert options.subdistrict_parent == {"SY090201": "SY0902", "SY090301": "SY0903"}
    assert options.languages == ("ar", "en")
    assert len(options.places) == 2 and filter_options(frame, places, None).districts["SY0903"] == "SY0903"


def test_the_map_layers_of_a_selection_list_its_places_and_sources(prepared):
    frame, places, _, engine = prepared
    where = engine.where_rows((frame["uid"] != "c").to_numpy())
    summary = engine.summarise_places(where, places, "min")
    data = mapping.build_selection_map_data(engine, where, summary, "min", lang="en")
    assert len(data.places["k"]) == 1 and data.popup_limit > 0
    assert "Source one (synthetic)" in str(data.places) and "Source two" not in str(data.places)


def test_the_boundaries_are_the_governorates_districts_and_subdistricts():
    from geodata import load_gazetteer

    drawn = build_boundaries(load_gazetteer())
    assert set(drawn.levels) == {"governorate", "district", "subdistrict"}
    assert GOVERNORATE in drawn.areas and all(code.startswith(GOVERNORATE) for code in unit_ids(drawn))
    (south, west), (north, east) = drawn.bounds
    assert 34 < south < north < 37 and 39 < west < east < 42 and drawn.size > 0
    assert set(drawn.settlements["admin1"]) == {GOVERNORATE}
