"""Look-ups, search, tables and boundaries of the bundled gazetteer."""

from __future__ import annotations

import time

import pytest

from geodata import Gazetteer, InvalidPlaceError, UnknownLevelError, load_gazetteer
from geodata.loading import PLACE_FIELDS


def test_load_is_cached_and_fast(gaz: Gazetteer) -> None:
    start = time.perf_counter()
    assert load_gazetteer() is gaz
    assert time.perf_counter() - start < 0.05


@pytest.mark.parametrize(
    ("place_id", "name_en"),
    [
        ("wof:890449895", "Hajin"),
        ("gn:174506", "Hajin"),  # a merged source id reaches the same place
        ("ocha:C5175", "Hajin"),
        ("ocha:C5185", "Bubadran"),
        ("SY09", "Deir-ez-Zor"),
        ("SY0902", "Abu Kamal"),
        ("SY090201", "Hajin"),
    ],
)
def test_get(gaz: Gazetteer, place_id: str, name_en: str) -> None:
    place = gaz.get(place_id)
    assert place is not None and place.name_en == name_en


def test_get_unknown(gaz: Gazetteer) -> None:
    assert gaz.get("wof:0") is None


def test_place_admin_codes_and_provenance(gaz: Gazetteer) -> None:
    hajin = gaz.get("wof:890449895")
    assert hajin is not None
    assert (hajin.admin1, hajin.admin2, hajin.admin3) == ("SY09", "SY0902", "SY090201")
    assert hajin.admin3_method == "sa_path"
    assert {"wof", "gn", "ocha"} <= set(hajin.sources)
    assert hajin.geonames_id == "174506" and hajin.pcode == "C5175"
    bubadran = gaz.get("ocha:C5185")
    assert bubadran is not None and bubadran.coord_source == "added:bubadran"


@pytest.mark.parametrize(
    ("code", "names"),
    [("SY09", ("دير الزور", "Deir-ez-Zor")), ("SY0902", ("البوكمال", "Abu Kamal")), (None, ("", "")), ("XX", ("", ""))],
)
def test_admin_name(gaz: Gazetteer, code: str | None, names: tuple[str, str]) -> None:
    assert gaz.admin_name(code) == names


def test_nearby(gaz: Gazetteer) -> None:
    found = gaz.nearby(34.6927, 40.827, km=5, limit=5)
    assert found[0][0].name_en == "Hajin" and found[0][1] < 0.5
    assert all(km <= 5 for _, km in found)
    assert [km for _, km in found] == sorted(km for _, km in found)
    assert all(place.kind not in {"governorate", "district", "subdistrict"} for place, _ in found)


def test_nearby_rejects_bad_points(gaz: Gazetteer) -> None:
    with pytest.raises(InvalidPlaceError, match="Expected"):
        gaz.nearby(100, 40)


@pytest.mark.parametrize(("text", "expected"), [("هجين", "Hajin"), ("Shaafa", "Ash Sha`fah"), ("Bukam", "Abu Kamal")])
def test_search(gaz: Gazetteer, text: str, expected: str) -> None:
    results = gaz.search(text, limit=10)
    assert expected in [r.name_en for r in results]
    assert len(results) <= 10


def test_search_empty(gaz: Gazetteer) -> None:
    assert gaz.search("  ") == []


def test_places_frame_is_a_copy(gaz: Gazetteer) -> None:
    frame = gaz.places_frame()
    assert tuple(frame.columns) == PLACE_FIELDS
    assert len(frame) == len(gaz)
    frame.loc[:, "name_en"] = "changed"
    assert gaz.places_frame()["name_en"].iloc[0] != "changed"


@pytest.mark.parametrize(("level", "count"), [("governorate", 16), ("district", 79), ("subdistrict", 270)])
def test_boundaries(gaz: Gazetteer, level: str, count: int) -> None:
    frame = gaz.boundaries(level)
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert len(frame) >= count - 5
    assert frame.geometry.is_valid.all()
    if level == "subdistrict":
        assert frame["approximate"].all()
    if level == "governorate":
        assert "SY09" in set(frame["id"])


def test_boundaries_unknown_level(gaz: Gazetteer) -> None:
    with pytest.raises(UnknownLevelError, match="governorate"):
        gaz.boundaries("province")


def test_locate(gaz: Gazetteer) -> None:
    codes = gaz.locate(34.6927, 40.827)
    assert codes["admin1"] == "SY09" and codes["admin2"] == "SY0902"
    assert gaz.locate(0.0, 0.0) == {"admin1": None, "admin2": None, "admin3": None}


def test_with_additions(gaz: Gazetteer) -> None:
    added = gaz.with_additions(
        [{"id": "db:17", "name_ar": "الحوامة", "name_en": "al-Hawamah", "lat": 34.69, "lon": 40.83, "kind": "neighbourhood"}],
        [("Hawameh", "db:17"), ("wof:890449895", "حجين")],  # either order
    )
    match = added.geocode("حي الحوامة").match
    assert match is not None and match.id == "db:17" and match.admin1 == "SY09"
    assert added.geocode("Hawameh").match is not None
    assert added.geocode("حجين").match is not None and added.geocode("حجين").match.id == "wof:890449895"
    assert gaz.geocode("الحوامة").match is None or gaz.geocode("الحوامة").match.id != "db:17"
    assert added.get("db:17") is not None and added.get("db:17").sources == ("user",)
    assert len(added.places_frame()) == len(gaz) + 1


@pytest.mark.parametrize(
    ("places", "aliases"),
    [
        ([{"name_en": "X", "lat": "north", "lon": 40}], []),
        ([{"lat": 34.0, "lon": 40.0}], []),
        ([], [("alias", "no:such:id")]),
        ([], [("only-one",)]),
    ],
)
def test_with_additions_rejects_bad_input(gaz: Gazetteer, places: list, aliases: list) -> None:
    with pytest.raises(InvalidPlaceError, match="Expected"):
        gaz.with_additions(places, aliases)


def test_query_keys_taken_from_the_index_are_the_computed_ones(gaz: Gazetteer) -> None:
    from geodata.normalise import clear_caches, name_keys

    index = gaz._core.index
    names = [entry.name for entry in index.entries[::997]] + ["Haddâdé", "Hajīn", "البو بدران", "Nowhere at all"]
    clear_caches()
    assert all(index.keys_of(name) == name_keys(name) for name in names)
