"""The map builder: one feature per place, areas for coarse locations, escaping, local assets, the budget.

Assertions are on ``to_dict()`` structure, feature dicts, or whitespace-stripped HTML substrings: never on
whole HTML (element ids are random).
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from incidents import mapping
from incidents.aggregate import PLACE_COLUMNS

PAYLOADS = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">',
            '`${window.__pwned=3}`', '"><svg onload=alert(1)>']


def place(**values) -> dict:
    row = {c: None for c in PLACE_COLUMNS}
    row.update(place_key="wof:1", place_shape="point", precision="village", n=3, killed_min=4, killed_max=9,
               killed_best=5, killed=4, open_max=0, children=0, women=0, lat=34.69, lon=40.83, name_ar="هجين",
               name_en="Hajin", admin1="SY09", admin2="SY0902", admin3="SY090201", main_actor="coalition")
    row.update(values)
    return row


def places(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(PLACE_COLUMNS))


AREA = {"type": "Polygon", "coordinates": [[[40.9, 34.8], [41.0, 34.8], [41.0, 34.9], [40.9, 34.9], [40.9, 34.8]]]}


def stripped(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- escaping ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_esc_leaves_no_markup_and_no_template_breakout(payload):
    escaped = mapping.esc(payload)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert "`" not in escaped and "${" not in escaped


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.org/a?b=1", True),
    ("http://sana.sy/?p=1", True),
    ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False),
    (" javascript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("//evil.example/x", False),
    ("example.org/report", False),
    ("", False),
    (None, False),
])
def test_safe_url_keeps_only_absolute_http_links(url, kept):
    assert (mapping.safe_url(url) is not None) is kept


@pytest.mark.parametrize("payload", PAYLOADS)
def test_popup_and_tooltip_escape_report_text(payload):
    row = place(name_ar=payload, name_en=payload)
    incident = {"uid": "u1", "date_start": pd.Timestamp("2018-11-17"), "date_end": pd.Timestamp("2018-11-17"),
                "actor": "coalition", "event_type": "air_strike", "killed_min": 3.0, "killed_max_or_min": 5.0,
                "killed_open": False, "grading": "fair"}
    popup = mapping.popup_html(row, [incident], lambda uid: [(payload, "javascript:alert(1)")],
                               profile_url="/Place?place=wof%3A1", lang="en")
    for html in (popup, mapping.tooltip_html(row)):
        assert "<script" not in html and "<img" not in html and "<svg" not in html and "${" not in html
        assert mapping.esc(payload) in html
    assert "javascript:" not in popup  # the unsafe link is shown as text, not linked
    assert 'dir="rtl"' in mapping.tooltip_html(row) and 'dir="auto"' in popup


def test_popup_lists_incidents_sources_and_how_many_more():
    incident = {"uid": "u1", "date_start": pd.Timestamp("2018-11-17"), "date_end": pd.Timestamp("2018-11-19"),
                "actor": "coalition", "event_type": "air_strike", "killed_min": 3.0, "killed_max_or_min": 3.0,
                "killed_open": True, "grading": "fair"}
    popup = mapping.popup_html(place(n=25), [incident], lambda uid: [("Airwars", "https://airwars.org/x")],
                               profile_url="/Place?place=wof%3A1")
    text = stripped(re.sub(r"<[^>]+>", "", popup))
    assert "2018-11-17–2018-11-19" in text
    assert "US-ledcoalition·Air/dronestrike" in text
    assert "killed3+" in text  # an open maximum is shown as a floor
    assert "24more" in text
    markup = stripped(popup)
    assert '<ahref="https://airwars.org/x"target="_blank"rel="noopenernoreferrernofollow">' in markup
    assert '<bdidir="ltr">2018-11-17–2018-11-19</bdi>' in markup  # dates keep their order in Arabic text
    assert 'href="/Place?place=wof%3A1"target="_top"' in markup
    assert mapping.place_id_from_popup(re.sub(r"<[^>]+>", " ", popup)) == "wof:1"


@pytest.mark.parametrize(("text", "key"), [
    ("Hajin … Place id: wof:890449895", "wof:890449895"),
    ("Place id: pt:34.4528,40.9389\n", "pt:34.4528,40.9389"),
    ("no marker here", None),
    ("", None),
    (None, None),
])
def test_place_id_from_popup(text, key):
    assert mapping.place_id_from_popup(text) == key


@pytest.mark.parametrize(("low", "high", "best", "open_max", "text"), [
    (3, 3, None, 0, "3"),
    (3, 9, None, 0, "3–9"),
    (3, 9, 5, 0, "3–9 (best 5)"),
    (3, 9, 3, 0, "3–9"),
    (1200, 1500, None, 2, "1,200–1,500+"),
])
def test_figures_text(low, high, best, open_max, text):
    assert mapping.figures_text(low, high, best, open_max) == text


# -- features ---------------------------------------------------------------------------------------------


def test_one_feature_per_place_point_or_area():
    rows = places(place(), place(place_key="SY090201", place_shape="area", precision="subdistrict", lat=34.83,
                                 lon=40.99, main_actor="isis"),
                  place(place_key="SY090299", place_shape="area", precision="subdistrict", lat=34.5, lon=40.5))
    features = mapping.place_features(rows, {"wof:1": "<b>x</b>"}, {"SY090201": AREA})["features"]
    by_key = {f["properties"]["key"]: f for f in features}
    assert len(features) == 3
    assert by_key["wof:1"]["geometry"]["type"] == "Point"
    assert by_key["SY090201"]["geometry"] == AREA  # drawn as the sub-district, not a point
    assert by_key["SY090201"]["properties"]["style"]["dashArray"]
    # an area without an outline is drawn as a hollow dashed circle, still never a solid point
    hollow = by_key["SY090299"]["properties"]["style"]
    assert hollow["dashArray"] and hollow["fillOpacity"] < 0.2
    assert features[0]["geometry"]["type"] == "Polygon"  # areas below points, so points stay clickable
    assert "located only to the sub-district" in by_key["SY090201"]["properties"]["tip"]


def test_style_colour_by_main_actor_and_radius_by_killed():
    small = mapping.place_style(place(killed=0), has_area=False)
    big = mapping.place_style(place(killed=400, main_actor="sdf"), has_area=False)
    assert small["radius"] == 3.0 and big["radius"] == 40.0
    assert big["fillColor"] == "#E69F00" and big["fill"] is True
    assert mapping.radius(1) < mapping.radius(10) < mapping.radius(100)


def test_places_without_coordinates_are_skipped():
    rows = places(place(lat=float("nan"), lon=float("nan")))
    assert mapping.place_features(rows, {}, {})["features"] == []


def test_heat_points_are_weighted_zero_to_one():
    rows = places(place(killed=0), place(place_key="wof:2", killed=99, lat=35.0, lon=40.0),
                  place(place_key="SY090201", place_shape="area"))
    heat = mapping.heat_points(rows)
    assert len(heat) == 2 and max(w for _, _, w in heat) == 1.0 and min(w for _, _, w in heat) > 0


def test_choropleth_fills_units_by_killed_and_keeps_empty_units_white():
    units = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": AREA, "properties": {"id": "SY090201", "name_ar": "هجين",
                                                           "name_en": "Hajin", "approximate": True}},
        {"type": "Feature", "geometry": AREA, "properties": {"id": "SY090202", "name_ar": "", "name_en": "Jalaa",
                                                           "approximate": True}}]}
    admin = pd.DataFrame({"pcode": ["SY090201"], "n": [4], "killed_min": [10], "killed_max": [12],
                          "killed": [10]})
    features = mapping.choropleth_features(admin, units)["features"]
    fills = [f["properties"]["style"]["fillColor"] for f in features]
    assert fills[1] == "#ffffff" and fills[0] != "#ffffff"
    assert "approximate area" in features[0]["properties"]["tip"] and "10–12" in features[0]["properties"]["tip"]


def test_boundary_collection_simplifies_filters_and_keeps_names():
    frame = gpd.GeoDataFrame({"id": ["A", "B"], "name_ar": ["أ", "ب"], "name_en": ["A", "B"],
                              "approximate": [False, True]},
                             geometry=[box(40, 34, 41, 35), box(41, 34, 42, 35)], crs=4326)
    collection = mapping.boundary_collection(frame, ids=["B"])
    props = [f["properties"] for f in collection["features"]]
    assert [{k: v for k, v in p.items() if k != "label_at"} for p in props] == [
        {"id": "B", "name_ar": "ب", "name_en": "B", "approximate": True}]
    lat, lon = props[0]["label_at"]
    assert 34 < lat < 35 and 41 < lon < 42  # a point inside the area, for its label
    assert mapping.collection_bounds(collection) == [[34.0, 41.0], [35.0, 42.0]]
    assert mapping.collection_bounds({"features": []}) is None


# -- budget -----------------------------------------------------------------------------------------------


def many_places(count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = places(*[place(place_key=f"ocha:C{i}", n=30, killed=30 - i % 30, lat=34 + i / 5000, lon=40 + i / 5000,
                          name_ar="قرية " * 3, name_en=f"Village number {i}") for i in range(count)])
    latest = pd.DataFrame([{"uid": f"u{i}-{j}", "place_key": f"ocha:C{i}", "date_start": pd.Timestamp("2018-01-01"),
                            "date_end": pd.Timestamp("2018-01-01"), "actor": "coalition", "event_type": "air_strike",
                            "killed_min": 1.0, "killed_max_or_min": 2.0, "killed_open": False, "grading": "fair"}
                           for i in range(count) for j in range(20)])
    return rows.sort_values("killed", ascending=False, kind="stable").reset_index(drop=True), latest


EMPTY = {"type": "FeatureCollection", "features": []}


def test_small_maps_get_full_popups():
    rows, latest = many_places(5)
    data = mapping.build_map_data(rows, latest, lambda uid: [("Src", "https://e.org")], areas={},
                                  admin=pd.DataFrame(columns=["pcode", "n", "killed_min", "killed_max", "killed"]),
                                  units=EMPTY)
    assert data.popup_limit == 20 and data.dropped_places == 0
    assert len(data.places["features"]) == 5


@pytest.mark.parametrize("count", [400, 3000, 20000])
def test_payload_stays_within_budget_at_any_size(count):
    rows, latest = many_places(count)
    data = mapping.build_map_data(rows, latest, lambda uid: [("Src", "https://e.org")], areas={},
                                  admin=pd.DataFrame(columns=["pcode", "n", "killed_min", "killed_max", "killed"]),
                                  units=EMPTY, base_size=40_000)
    assert data.size() + 40_000 <= mapping.PAYLOAD_BUDGET
    assert data.popup_limit < 20
    if count == 20000:
        assert data.dropped_places > 0
        kept = [f["properties"]["key"] for f in data.places["features"]]
        assert kept[:3] == ["ocha:C0", "ocha:C30", "ocha:C60"]  # the most killed are the ones kept


# -- folium objects ---------------------------------------------------------------------------------------


def boundaries() -> dict:
    unit = {"type": "Feature", "geometry": AREA, "properties": {"id": "SY09", "name_ar": "دير الزور",
                                                               "name_en": "Deir ez-Zor", "approximate": False}}
    return {"governorate": {"type": "FeatureCollection", "features": [unit]}}


def test_base_map_loads_leaflet_locally_and_no_tiles_offline():
    fmap = mapping.build_base_map(boundaries(), assets=mapping.Assets("/app/static"))
    html = fmap.get_root().render()
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "code.jquery" not in html
    assert "/app/static/leaflet/leaflet.js" in html
    assert "tile.openstreetmap" not in html
    children = [c["name"] for c in fmap.to_dict()["children"].values()]
    assert "GeoJson" in children and "TileLayer" not in children


def test_base_map_labels_districts_with_escaped_names():
    district = {"type": "Feature", "geometry": AREA, "properties": {
        "id": "SY0902", "name_ar": "البوكمال", "name_en": "<b>Abu Kamal</b>", "approximate": False,
        "label_at": [34.85, 40.95]}}
    fmap = mapping.build_base_map({**boundaries(), "district": {"type": "FeatureCollection",
                                                                "features": [district]}})
    html = fmap.get_root().render().replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
    assert "<b>Abu Kamal" not in html  # not even once JSON escapes are decoded
    assert html.count("&lt;b&gt;Abu Kamal&lt;/b&gt;") == 2  # in the boundary tooltip and in the label
    marker = next(c for c in fmap._children.values() if type(c).__name__ == "Marker")
    assert marker.location == [34.85, 40.95]


def test_base_map_offers_osm_tiles_when_asked():
    fmap = mapping.build_base_map(boundaries(), tiles="osm")
    children = [c["name"] for c in fmap.to_dict()["children"].values()]
    assert "TileLayer" in children and "LayerControl" in children


def test_base_map_rejects_unknown_tiles():
    with pytest.raises(mapping.MapBuildError, match="tiles must be 'offline' or 'osm', instead got: 'google'"):
        mapping.build_base_map({}, tiles="google")


def test_overlays_one_geojson_layer_for_places_and_local_heat_plugin():
    rows = places(place(), place(place_key="wof:2", lat=35.0, lon=40.1))
    data = mapping.build_map_data(rows, pd.DataFrame(columns=["place_key"]), lambda uid: [], areas={},
                                  admin=pd.DataFrame(columns=["pcode", "n", "killed_min", "killed_max", "killed"]),
                                  units=EMPTY)
    groups = mapping.build_overlays(data, ["places", "heat"], mapping.Assets("/app/static"))
    names = [[c["name"] for c in g.to_dict()["children"].values()] for g in groups]
    assert names == [["HeatMap"], ["GeoJson"]]  # one layer for all places: no marker objects
    heat = next(iter(groups[0]._children.values()))
    assert heat.default_js == [("leaflet-heat.js", "/app/static/leaflet-heat/leaflet-heat.js")]
    geojson = next(iter(groups[1]._children.values()))
    assert len(geojson.data["features"]) == 2


def test_overlays_reject_unknown_layers():
    data = mapping.MapData(places=EMPTY, heat=[], choropleth=EMPTY)
    with pytest.raises(mapping.MapBuildError, match=r"layers must be among places, heat, choropleth"):
        mapping.build_overlays(data, ["markers"])


def test_rendered_overlay_keeps_payload_escaped():
    payload = '<img src=x onerror="window.__pwned=1">'
    rows = places(place(name_en=payload))
    data = mapping.build_map_data(rows, pd.DataFrame(columns=["place_key"]), lambda uid: [], areas={},
                                  admin=pd.DataFrame(columns=["pcode", "n", "killed_min", "killed_max", "killed"]),
                                  units=EMPTY)
    fmap = mapping.build_base_map({})
    for group in mapping.build_overlays(data, ["places"]):
        group.add_to(fmap)
    html = fmap.get_root().render()
    assert "<img src=x" not in html and 'onerror="window' not in html
