"""The map builder: one feature per place, areas for coarse locations, escaping, local assets, the budget.

Assertions are on ``to_dict()`` structure, feature dicts, or whitespace-stripped HTML substrings: never on
whole HTML (element ids are random).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from incidents.analysis import mapping
from incidents.analysis.aggregate import PLACE_COLUMNS
from incidents.domain import taxonomy

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.mark.parametrize("payload", PAYLOADS + ["</script><script>window.__pwned=7</script>", "a\u2028b"])
def test_layer_data_is_script_safe(payload):
    rows = places(place(name_ar=payload, name_en=payload))
    table = mapping.SourceTable()
    line = mapping.incident_row({"uid": "u1", "date_start": pd.Timestamp("2018-11-17"), "actor": "coalition",
                                 "event_type": "air_strike", "killed_min": 3.0, "killed_max_or_min": 5.0,
                                 "killed_open": False, "grading": "fair"}, [(payload, "javascript:alert(1)")], table)
    text = mapping.dumps(mapping.place_payload(rows, {"wof:1": [line]}, table.rows))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["a"] == [payload]  # the browser gets the text back exactly, to set as text
    assert table.rows == [[payload, None]]  # the javascript: link is dropped; the name stays as text


def test_incident_rows_index_vocabularies_and_share_sources():
    table = mapping.SourceTable()
    row = {"uid": "u1", "date_start": pd.Timestamp("2018-11-17"), "date_end": pd.Timestamp("2018-11-19"),
           "actor": "sdf", "event_type": "shelling", "killed_min": 3.0, "killed_max_or_min": float("nan"),
           "killed_open": True, "grading": "contested"}
    first = mapping.incident_row(row, [("Airwars", "https://airwars.org/x"), ("SOHR", None)], table)
    second = mapping.incident_row(row, [("Airwars", "https://airwars.org/x")], table)
    assert first == ["2018-11-17", "2018-11-19", 1, 1, 3, 3, 1, 3, [0, 1]]
    assert second[-1] == [0] and table.rows == [["Airwars", "https://airwars.org/x"], ["SOHR", None]]


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


# -- the places payload -----------------------------------------------------------------------------------


def test_one_entry_per_place_with_area_flag_radius_and_actor():
    rows = places(place(), place(place_key="SY090201", place_shape="area", precision="subdistrict", lat=34.83,
                                 lon=40.99, main_actor="isis", killed=400),
                  place(place_key="pt:1,2", lat=float("nan"), lon=float("nan"), main_actor=None, killed=0))
    payload = mapping.place_payload(rows)
    assert payload["k"] == ["wof:1", "SY090201", "pt:1,2"]
    assert payload["x"] == [0, 1, 0]  # the area is drawn as its sub-district, in the browser
    assert payload["p"][1] == list(taxonomy.codes("location_precision")).index("subdistrict")
    assert payload["r"] == [mapping.radius(4, 400), mapping.MAX_RADIUS, 3.0]  # scaled to the largest in view
    assert payload["f"] == [4, 400, 0]
    assert payload["m"] == [0, 2, list(taxonomy.codes("actor")).index("unknown")]
    assert payload["lat"][2] is None  # no point: the browser skips it rather than guess
    assert payload["L"] == [[], [], []] and payload["S"] == []


def test_radius_area_follows_killed_up_to_the_largest():
    assert mapping.radius(0, 100) == 3.0 and mapping.radius(100, 100) == mapping.MAX_RADIUS
    assert mapping.radius(1, 100) < mapping.radius(10, 100) < mapping.radius(100, 100)
    assert mapping.radius(25, 100) - 4 == pytest.approx((mapping.MAX_RADIUS - 4) / 2)  # a quarter: half radius


def test_heat_points_are_weighted_zero_to_one():
    rows = places(place(killed=0), place(place_key="wof:2", killed=99, lat=35.0, lon=40.0),
                  place(place_key="SY090201", place_shape="area"))
    heat = mapping.heat_points(rows)
    assert len(heat) == 2 and max(w for _, _, w in heat) == 1.0 and min(w for _, _, w in heat) > 0


def test_heat_points_are_bounded():
    rows = places(*[place(place_key=f"p{i}", lat=34 + i / 997, lon=40 + (i * 7 % 1000) / 500) for i in range(3000)])
    assert len(mapping.heat_points(rows, max_points=500)) <= 500


def test_choropleth_fills_units_by_killed_and_keeps_empty_units_white():
    admin = pd.DataFrame({"pcode": ["SY090201"], "n": [4], "killed_min": [10], "killed_max": [12],
                          "killed": [10]})
    payload = mapping.choropleth_payload(admin, ["SY090201", "SY090202"])
    assert payload["ids"] == ["SY090201", "SY090202"] and payload["n"] == [4, 0]
    assert payload["fill"][1] == "#ffffff" and payload["fill"][0] != "#ffffff"
    assert (payload["lo"], payload["hi"]) == ([10, 0], [12, 0])


def test_labels_follow_the_language():
    arabic = mapping.labels("ar", "/Place?place=")
    assert arabic["actors"][0] == "التحالف الدولي" and arabic["w"]["killed"] == "قتلى"
    assert arabic["colours"][0] == "#0072B2" and arabic["profile"] == "/Place?place="


def test_profile_prefix_carries_the_filter():
    assert mapping.profile_prefix("/Place", {"actor": "coalition", "from": "2018-01-01"}) == \
        "/Place?actor=coalition&from=2018-01-01&place="


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
                          name_ar="قرية الشهداء الكبيرة", name_en=f"Village number {i}") for i in range(count)])
    latest = pd.DataFrame([{"uid": f"u{i}-{j}", "place_key": f"ocha:C{i}", "date_start": pd.Timestamp("2018-01-01"),
                            "date_end": pd.Timestamp("2018-01-01"), "actor": "coalition", "event_type": "air_strike",
                            "killed_min": 1.0, "killed_max_or_min": 2.0, "killed_open": False, "grading": "fair"}
                           for i in range(count) for j in range(20)])
    return rows.sort_values("killed", ascending=False, kind="stable").reset_index(drop=True), latest


NO_ADMIN = pd.DataFrame(columns=["pcode", "n", "killed_min", "killed_max", "killed"])


def sources_of(uids: list[str]) -> list[list[tuple[str, str | None]]]:
    return [[("Syrian Observatory for Human Rights", "https://www.syriahr.com/en/" + uid), ("SANA", None)]
            for uid in uids]


def test_small_maps_get_full_popups():
    rows, latest = many_places(5)
    data = mapping.build_map_data(rows, latest, sources_of, admin=NO_ADMIN)
    assert data.popup_limit == 20 and data.dropped_places == 0 and data.count == 5
    assert [len(lines) for lines in data.places["L"]] == [20] * 5
    assert len(data.places["S"]) == 101  # one link per incident, one name without a link, each sent once


def test_popup_lines_are_made_only_for_the_places_the_budget_reaches():
    rows, latest = many_places(1500)
    asked: list[str] = []

    def counted(uids: list[str]) -> list[list[tuple[str, str | None]]]:
        asked.extend(uids)
        return sources_of(uids)

    data = mapping.build_map_data(rows, latest, counted, admin=NO_ADMIN, base_size=80_000)
    assert data.popup_limit == 3 and 0 < data.popup_places < len(rows)  # short lists for the most killed only
    places_asked = {uid.split("-")[0] for uid in asked}
    listed = {f"u{key.removeprefix('ocha:C')}" for key in data.places["k"][: data.popup_places]}
    assert listed <= places_asked  # every listed place's lines were made ...
    assert len(places_asked) < len(rows) / 2  # ... and far from every place's


@pytest.mark.parametrize("index", [slice(None), slice(None, None, -1), slice(-1, 0, -3), slice(-40, 5, -2),
                                   slice(5, 5), -1, 7, slice(-3, None)])
def test_popup_lines_read_in_any_order_are_each_places_lines(index):
    rows, latest = many_places(mapping.LINES_CHUNK * 3)  # converted in chunks
    whole = list(mapping.popup_lines(rows, latest, 5, sources_of, first=len(rows)))
    assert mapping.popup_lines(rows, latest, 5, sources_of)[index] == whole[index]


@pytest.mark.parametrize(("count", "all_drawn"), [(400, True), (1500, True), (20000, False)])
def test_payload_stays_within_budget_at_any_size(count, all_drawn):
    rows, latest = many_places(count)
    base = 80_000
    data = mapping.build_map_data(rows, latest, sources_of, admin=NO_ADMIN, base_size=base)
    assert data.size() + base + mapping.LAYER_OVERHEAD <= mapping.PAYLOAD_BUDGET
    assert (data.dropped_places == 0) is all_drawn  # 1,500 places (all of Deir ez-Zor and more) all drawn
    if not all_drawn:
        assert data.places["k"][:3] == ["ocha:C0", "ocha:C30", "ocha:C60"]  # the most killed are the ones kept


# -- folium objects ---------------------------------------------------------------------------------------


def boundaries() -> dict:
    unit = {"type": "Feature", "geometry": AREA, "properties": {"id": "SY09", "name_ar": "دير الزور",
                                                               "name_en": "Deir ez-Zor", "approximate": False}}
    return {"governorate": {"type": "FeatureCollection", "features": [unit]}}


def test_base_map_loads_leaflet_locally_and_no_tiles_offline():
    fmap = mapping.build_base_map(boundaries(), assets=mapping.Assets("/app/static"))
    html = fmap.get_root().render()
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "code.jquery" not in html
    assert "/app/static/incidents-map/incidents-map.bundle.js" in html and "/app/static/leaflet/leaflet.css" in html
    assert "IncidentsMap.registerArea(feature)" in html  # boundaries give their shapes to the data layers
    assert "tile.openstreetmap" not in html
    children = [c["name"] for c in fmap.to_dict()["children"].values()]
    assert "GeoJson" in children and "TileLayer" not in children


def test_the_bundle_is_its_parts_in_order():
    """``make bundle`` after changing Leaflet, the heat plugin or incidents-map.js; the licence headers stay."""
    bundle = (mapping.STATIC / mapping.BUNDLE).read_text(encoding="utf-8")
    assert bundle == mapping.bundle_text()
    assert bundle.index("Leaflet 1.9.4") < bundle.index("L.heatLayer") < bundle.index("root.IncidentsMap")
    assert "(c) 2010-2023 Vladimir Agafonkin" in bundle and "(c) 2014, Vladimir Agafonkin" in bundle


def test_the_bundle_drops_its_parts_source_map_comments_and_nothing_else():
    """Leaflet's ``//# sourceMappingURL=leaflet.js.map`` would sit mid-bundle, pointing at an unvendored file."""
    bundle = (mapping.STATIC / mapping.BUNDLE).read_text(encoding="utf-8")
    assert "sourceMappingURL" not in bundle
    parts = [(mapping.STATIC / part).read_text(encoding="utf-8") for part in mapping.BUNDLE_PARTS]
    assert "sourceMappingURL" in parts[0]  # Leaflet's own file keeps it (its map is simply not served)
    kept = [line for part in parts for line in part.splitlines() if "sourceMappingURL" not in line]
    assert [line for line in bundle.splitlines() if line.strip(";")] == [line for line in kept if line.strip(";")]


@pytest.mark.parametrize(("lang", "note"), [("en", "(approximate area)"), ("ar", "(منطقة تقريبية)")])
def test_an_approximate_boundary_says_so_in_the_interface_language(lang, note):
    unit = {"type": "Feature", "geometry": AREA, "properties": {"id": "SY090100", "name_ar": "دير الزور",
                                                               "name_en": "Deir ez-Zor", "approximate": True,
                                                               "label_at": [35.3, 40.1]}}
    fmap = mapping.build_base_map({**boundaries(), "subdistrict": {"type": "FeatureCollection", "features": [unit]}},
                                  lang=lang)
    assert json.dumps(note)[1:-1] in fmap.get_root().render()  # inside the layer's JSON


def test_base_map_labels_districts_with_escaped_names():
    district = {"type": "Feature", "geometry": AREA, "properties": {
        "id": "SY0902", "name_ar": "البوكمال", "name_en": "<b>Abu Kamal</b>", "approximate": False,
        "label_at": [34.85, 40.95]}}
    fmap = mapping.build_base_map({**boundaries(), "district": {"type": "FeatureCollection",
                                                                "features": [district]}})
    html = fmap.get_root().render()
    assert "<b>Abu Kamal" not in html  # only ever inside JSON strings (\u003c) or as entities
    assert "IncidentsMap.labels(" in html
    assert '[[34.85,40.95,"\\u003cb\\u003eAbu Kamal\\u003c/b\\u003e","البوكمال","district",0,9.75]]' in html
    assert "Marker" not in [c["name"] for c in fmap.to_dict()["children"].values()]  # no marker objects


def test_base_map_offers_osm_tiles_when_asked():
    fmap = mapping.build_base_map(boundaries(), tiles="osm")
    children = [c["name"] for c in fmap.to_dict()["children"].values()]
    assert "TileLayer" in children and "LayerControl" in children


def test_base_map_rejects_unknown_tiles():
    with pytest.raises(mapping.MapBuildError, match="tiles must be 'offline' or 'osm', instead got: 'google'"):
        mapping.build_base_map({}, tiles="google")


def test_overlays_one_layer_object_per_data_layer_with_local_scripts():
    rows = places(place(), place(place_key="wof:2", lat=35.0, lon=40.1))
    admin = pd.DataFrame({"pcode": ["SY090201"], "n": [4], "killed_min": [10], "killed_max": [12], "killed": [10]})
    data = mapping.build_map_data(rows, pd.DataFrame(columns=["place_key"]), sources_of, admin=admin,
                                  unit_ids=["SY090201"])
    groups = mapping.build_overlays(data, ["places", "heat", "choropleth"], mapping.Assets("/app/static"))
    names = [[c["name"] for c in g.to_dict()["children"].values()] for g in groups]
    assert names == [["IncidentsLayer"], ["HeatMap"], ["IncidentsLayer"]]  # one object per layer, no markers
    bundle = [("incidents-map-bundle", "/app/static/incidents-map/incidents-map.bundle.js")]
    assert [next(iter(g._children.values())).default_js for g in groups] == [bundle, bundle, bundle]


def test_overlays_reject_unknown_layers():
    data = mapping.MapData(places={}, heat=[], choropleth={})
    with pytest.raises(mapping.MapBuildError, match=r"layers must be among places, heat, choropleth"):
        mapping.build_overlays(data, ["markers"])


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if "<" in p])
def test_rendered_map_keeps_payload_inert(payload):
    rows = places(place(name_en=payload, name_ar=payload))
    data = mapping.build_map_data(rows, pd.DataFrame(columns=["place_key"]), sources_of, admin=NO_ADMIN)
    fmap = mapping.build_base_map({})
    for group in mapping.build_overlays(data, ["places"]):
        group.add_to(fmap)
    html = fmap.get_root().render()
    assert payload not in html and "<img src=x" not in html and "<svg" not in html
    assert "IncidentsMap.places(" in html


def test_layer_script_never_parses_data_as_html():
    script = (ROOT / "static" / "incidents-map" / "incidents-map.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script, sink
    assert "textContent" in script and "safeUrl" in script


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_layer_script_is_valid_javascript():
    script = ROOT / "static" / "incidents-map" / "incidents-map.js"
    subprocess.run(["node", "--check", str(script)], check=True, capture_output=True)


@pytest.mark.parametrize("value", [
    {"t": "<script>x</script> & \u2028 \u2029 قُتل ثلاثة"}, [["a<b", 1, None], {"k": "&&>"}], "plain", [],
    {"t": "{{ 7*7 }} {%x%} {#c#} {{{", "u": [{}, {"v": "{"}]},
])
def test_payload_bytes_counts_the_bytes_dumps_writes(value):
    assert mapping.payload_bytes(value) == len(mapping.dumps(value).encode("utf-8"))


def _settlements() -> pd.DataFrame:
    rows = [("wof:890449891", "البوكمال", "Abu Kamal", "34.45", "40.91861", "town", "SY0902", "SY090200", "57572"),
            ("wof:890449895", "هجين", "Hajin", "34.6927", "40.827", "town", "SY0902", "SY090201", "29237"),
            ("wof:1", "الباغوز", "", "34.45", "40.94", "village", "SY0902", "SY090203", ""),
            ("SY0902", "البوكمال", "Abu Kamal", "34.54", "40.52", "district", "SY0902", "", "265142")]
    return pd.DataFrame(rows, columns=["id", "name_ar", "name_en", "lat", "lon", "kind", "admin2", "admin3",
                                       "population"])


def test_district_names_sit_at_their_seat_and_villages_show_closer_in():
    district = {"type": "Feature", "geometry": AREA, "properties": {
        "id": "SY0902", "name_ar": "البوكمال", "name_en": "Abu Kamal", "label_at": [34.85, 40.95]}}
    subdistrict = {"type": "Feature", "geometry": AREA, "properties": {
        "id": "SY090202", "name_ar": "الجلاء", "name_en": "Jalaa", "label_at": [34.64, 40.66]}}
    levels = {"district": {"features": [district]}, "subdistrict": {"features": [subdistrict]}}
    rows = mapping.place_labels(levels, _settlements(), "en")
    by_name = {(row[2], row[4]): row for row in rows}
    # Abu Kamal district at Abu Kamal town (the most populous), not at the middle of the area (the Hajin cluster)
    assert by_name[("Abu Kamal", "district")][:2] == [34.45, 40.9186]
    assert by_name[("Jalaa", "subdistrict")][:2] == [34.64, 40.66]  # no town inside: a point inside the area
    kinds = {(row[2], row[4]): row[5] for row in rows}
    assert kinds[("Hajin", "town")] == 10 and kinds[("الباغوز", "village")] == 11  # no English name: Arabic
    assert ("Abu Kamal", "district") in kinds and not any(row[4] == "district" and row[2] == "Hajin" for row in rows)
    arabic = {row[2] for row in mapping.place_labels(levels, _settlements(), "ar")}
    assert {"البوكمال", "هجين", "الباغوز", "الجلاء"} <= arabic and "Hajin" not in arabic


def test_circles_are_half_size_at_the_opening_view_and_full_size_closer_in():
    assert mapping.zoom_scale(mapping.DEFAULT_ZOOM) == 0.5 and mapping.zoom_scale(7) == 0.5
    assert mapping.zoom_scale(9) == 0.75 and mapping.zoom_scale(10) == mapping.zoom_scale(13) == 1.0
    assert "zoomScale" in (ROOT / "static" / "incidents-map" / "incidents-map.js").read_text()  # the same rule


def test_size_key_shows_the_largest_and_rounder_smaller_tolls():
    data = mapping.MapData(places={"f": [187, 20, 3], "m": [0, 0, 1], "x": [0, 0, 1]}, heat=[], choropleth={})
    key = data.size_key()
    assert [killed for killed, _ in key] == [187, 20, 5]
    assert key[0][1] == mapping.MAX_RADIUS * 0.5  # the largest circle at the opening view
    assert data.actors == list(taxonomy.codes("actor"))[:2] and data.areas_drawn


def test_base_map_frames_the_governorate_in_quarter_zoom_steps():
    fmap = mapping.build_base_map(boundaries(), bounds=[[34.0, 39.5], [36.3, 41.4]])
    assert fmap.options["zoom_snap"] == 0.25 and "zoomSnap\": 0.25" in fmap.get_root().render()
    assert "fitBounds" in fmap.get_root().render()


def test_a_governorate_level_incident_is_an_untinted_outline_and_not_a_painted_governorate():
    words = mapping.labels("ar")
    assert taxonomy.codes("location_precision")[words["governorate"]] == "governorate"
    script = (ROOT / "static" / "incidents-map" / "incidents-map.js").read_text()
    rule = re.search(r"if \(asArea && D\.p\[i\] === T\.governorate\) \{[^}]*return (\{[^}]*\})", script)
    assert rule, "no style of its own for a governorate-level incident"
    assert "fill: false" in rule.group(1) and "dashArray" in rule.group(1) and "colour" not in rule.group(1)


@pytest.mark.parametrize(("args", "kwargs", "shown"), [
    ((70, 70, None, 1), {}, "70+"),
    ((12, 20, None, 1), {}, "12–20+"),
    ((70, 70, None, 1), {"more": "{n} فأكثر"}, "70 فأكثر"),
    ((12, 20, 15), {"best_text": " (التقدير الأفضل {n})"}, "12–20 (التقدير الأفضل 15)"),
    ((1200, 1500, 1300), {}, "1,200–1,500 (best 1,300)"),
])
def test_figures_text_takes_the_words_of_the_interface(args, kwargs, shown):
    assert mapping.figures_text(*args, **kwargs) == shown


HOSTILE = ["قُتل ثلاثة مدنيين", '"quoted" \\ back\\slash', "<script>alert(1)</script> & more",
           "a\u2028b\u2029c", "tab\tnew\nline\x01\x1f", "emoji 🕊️ and ZWJ 👨‍👩‍👧", "", "`${x}`",
           "{{ 7*7 }} {% if 1 %}x{% endif %} {# c #} {{{", "{", "a{"]


#: Jinja that folium (branca) would run when it compiles a rendered element's script once more
TEMPLATE_INJECTION = "{{ cycler.__init__.__globals__.os.getcwd() }} {{ 7*7 }} {% if 1 %}ran{% endif %} {# c #}"


def test_report_text_on_the_map_is_never_run_as_a_template():
    """A place or source name from a report reaches folium in a data layer (JSON) and in tooltips (HTML);
    branca compiles each rendered script as a Jinja template again, so it must reach that pass inert."""
    import os

    fmap = folium.Map(tiles=None)
    data = {"name": TEMPLATE_INJECTION, "popup": mapping.esc(TEMPLATE_INJECTION)}
    mapping._DataLayer("places", data, None, mapping.Assets()).add_to(fmap)
    folium.CircleMarker([35.0, 40.0], tooltip=mapping.bilingual(TEMPLATE_INJECTION, TEMPLATE_INJECTION)).add_to(fmap)
    page = fmap.get_root().render()
    assert os.getcwd() not in page
    assert "&#123;&#123; cycler" in page  # the tooltip, as entities the browser shows as braces
    line = next(line for line in page.splitlines() if "IncidentsMap.places(" in line)
    sent = json.loads(line[line.index("{"):line.rindex("}") + 1])
    assert sent["name"] == TEMPLATE_INJECTION  # the browser gets the text as it came
    assert html.unescape(sent["popup"]) == TEMPLATE_INJECTION


@pytest.mark.parametrize("text", HOSTILE)
def test_text_bytes_counts_the_bytes_dumps_writes_for_a_string(text):
    assert mapping.text_bytes(text) == len(mapping.dumps(text).encode("utf-8")) == mapping.payload_bytes(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_bytes_counts_the_bytes_dumps_writes_for_any_text(text):
    assert mapping.text_bytes(text) == len(mapping.dumps(text).encode("utf-8"))


def hostile_sources(uids: list[str]) -> list[list[tuple[str, str | None]]]:
    return [hostile_source(uid) for uid in uids]


def hostile_source(uid: str) -> list[tuple[str, str | None]]:
    number = int(uid.split("-")[1])
    return [(HOSTILE[number % len(HOSTILE)], f"https://example.org/{uid}?q=<b>&x=\"1\""),
            (HOSTILE[(number + 3) % len(HOSTILE)], "javascript:alert(1)"), ("SANA", None)][: 1 + number % 3]


def room_for(data: mapping.MapData, places_bytes: int) -> int:
    """The budget whose room for the places is exactly ``places_bytes``."""
    return places_bytes + mapping.LAYER_OVERHEAD + mapping.payload_bytes(data.heat) + mapping.payload_bytes(
        data.choropleth)


@pytest.mark.parametrize("dates_as_text", [False, True])
def test_the_budget_counts_popup_lists_to_the_byte(dates_as_text):
    rows, latest = many_places(30)
    rows["name_ar"], rows["name_en"] = HOSTILE[0], HOSTILE[2]
    latest.loc[::7, "date_end"] = pd.NaT
    latest.loc[::5, "killed_min"] = 1234567.0
    if dates_as_text:  # not dates: written as they come (the first ten letters)
        latest["date_start"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(latest))]
    full = mapping.build_map_data(rows, latest, hostile_sources, admin=NO_ADMIN)
    assert full.popup_limit == 20 and full.popup_places == 30
    exact = mapping.payload_bytes(full.places)
    fits = mapping.build_map_data(rows, latest, hostile_sources, admin=NO_ADMIN, budget=room_for(full, exact))
    assert (fits.popup_limit, mapping.dumps(fits.places)) == (20, mapping.dumps(full.places))
    short = mapping.build_map_data(rows, latest, hostile_sources, admin=NO_ADMIN,
                                   budget=room_for(full, exact - 1))
    assert short.popup_limit < 20


@pytest.mark.parametrize("spare", [0, 1, 500, 2_000, 6_000, 12_000, 25_000, 60_000])
def test_popup_lists_cut_to_the_budget_still_fit_it(spare):
    rows, latest = many_places(300)
    bare = mapping.payload_bytes(mapping.place_payload(rows))  # the places without lists
    budget = room_for(mapping.build_map_data(rows, latest, hostile_sources, admin=NO_ADMIN), bare) + spare
    data = mapping.build_map_data(rows, latest, hostile_sources, admin=NO_ADMIN, budget=budget)
    assert data.dropped_places == 0 and mapping.payload_bytes(data.places) <= budget - room_for(data, 0)
    listed = [len(lines) for lines in data.places["L"]][: data.popup_places]
    assert listed == [data.popup_limit] * data.popup_places


def test_lists_that_cannot_fit_every_place_are_ruled_out_before_any_line_is_numbered(monkeypatch):
    """Lists of 1 pass the low guess of a line's bytes, but the floor of their bytes (each place's newest row)
    is over the room: short lists for the most killed come straight away, the same as after a refused walk."""
    rows, latest = many_places(1500)
    bare = mapping.payload_bytes(mapping.place_payload(rows))
    budget = room_for(mapping.build_map_data(rows, latest, sources_of, admin=NO_ADMIN), bare + 63_000)
    assert mapping._list_lengths(rows["n"].to_numpy(), 63_000) == [1]  # the guess lets lists of 1 through
    walked = mapping.build_map_data(rows, latest, sources_of, admin=NO_ADMIN, budget=budget)
    monkeypatch.setattr(mapping, "_lists_floor", lambda *args: 0)  # no floor: the walk refuses them
    unbounded = mapping.build_map_data(rows, latest, sources_of, admin=NO_ADMIN, budget=budget)
    monkeypatch.undo()
    monkeypatch.setattr(mapping, "_payload_with", lambda *args: pytest.fail("lists of 1 for every place tried"))
    bounded = mapping.build_map_data(rows, latest, sources_of, admin=NO_ADMIN, budget=budget)
    assert (bounded.popup_limit, 0 < bounded.popup_places < len(rows)) == (3, True)
    assert mapping.dumps(bounded.places) == mapping.dumps(unbounded.places) == mapping.dumps(walked.places)


_DATES = st.sampled_from([pd.Timestamp("2018-01-01"), pd.Timestamp("1999-12-31"), pd.NaT])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), _DATES, _DATES, st.integers(-3, 10**7) | st.none(),
                          st.integers(0, 10**6) | st.none(), st.booleans(), st.sampled_from(["coalition", "x<y"])),
                min_size=1, max_size=60),
       st.sampled_from([1, 3, 5, 10, 20]), st.booleans(), st.randoms(use_true_random=False))
def test_the_floor_of_popup_lists_is_never_above_their_bytes(lines, limit, dates_as_text, rng):
    """:func:`mapping._lists_floor` never counts more than the lists of ``limit`` lines add to the places payload,
    whatever the rows hold (missing dates and tolls, huge tolls, dates as text, unknown codes, escapes, no
    sources or many, rows of places not drawn, places without rows)."""
    latest = pd.DataFrame([{"uid": f"u{i}-{i * 7 % 11}", "place_key": f"p{key}", "date_start": start,
                            "date_end": end, "actor": actor, "event_type": "air_strike", "killed_min": low,
                            "killed_max_or_min": high, "killed_open": opened, "grading": "fair"}
                           for i, (key, start, end, low, high, opened, actor) in enumerate(lines)])
    if dates_as_text:
        latest["date_start"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(latest))]
    keys = [f"p{key}" for key in range(6)]  # p6's rows belong to no place drawn; some places have no rows
    rng.shuffle(keys)
    rows = places(*[place(place_key=key, name_en=f"Place {key}") for key in keys])

    def sources(uids: list[str]) -> list[list[tuple[str, str | None]]]:
        return [hostile_source(uid) * (int(uid.split("-")[1]) % 4) for uid in uids]  # 0 to 9 sources

    bare = mapping.place_payload(rows)
    lines_of = mapping.popup_lines(rows, latest, limit, sources, first=len(rows))
    payload = mapping._payload_with(bare, mapping.payload_bytes(bare), lines_of, limit, room=10**9)
    assert payload is not None
    added = mapping.payload_bytes(payload) - mapping.payload_bytes(bare)
    assert 0 <= mapping._lists_floor(rows, latest, limit, sources) <= added


ROUNDING = [0.125, 2.675, 1.000005, -0.5, 0.5, 2.5, 0.05, 0.15, 0.35, -1e-9, 1e300, 40.123455, 34.999995, 0.0,
            -0.0, float("nan"), float("inf")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False) | st.floats(-200, 200) | st.sampled_from(ROUNDING), max_size=40),
       st.sampled_from([1, 3, 4, 5]))
def test_rounded_rounds_as_python_rounds(values, digits):
    expected = [round(v, digits) for v in values]
    found = mapping.rounded(np.array(values, dtype="float64"), digits)
    assert [repr(v) for v in found] == [repr(v) for v in expected]


def test_radii_are_the_radius_of_each_toll():
    killed = [0, 1, 5, 10, 99, 100, -3, 7, 250]
    for largest in (0, 1, 100, 250):
        expected = [mapping.radius(k, largest) for k in killed]
        assert mapping.radii(np.array(killed, dtype="float64"), largest) == expected


def test_a_base_map_takes_its_labels_worked_out_already(monkeypatch):
    """The dashboard works the labels out once per language (``cache.map_labels``) and passes them in."""
    rows = [[35.0, 40.0, "Test town (synthetic)", "", "town", 10, 99]]
    monkeypatch.setattr(mapping, "place_labels", lambda *args, **kwargs: pytest.fail("labels worked out again"))
    page = mapping.build_base_map({}, labels=rows).get_root().render()
    line = next(line for line in page.splitlines() if "IncidentsMap.labels(" in line)
    assert mapping.dumps(rows) in line


def test_a_data_layer_is_written_once_rendered_not_compiled_again(monkeypatch):
    """branca would compile a layer's rendered script (hundreds of kilobytes of JSON) as a template once more."""
    import jinja2

    fmap = folium.Map(tiles=None)
    mapping._DataLayer("places", {"name": "Hajin"}, None, mapping.Assets()).add_to(fmap)
    compiled: list[str] = []
    original = jinja2.Environment.from_string

    def spy(self, source, *args, **kwargs):
        compiled.append(str(source))
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "from_string", spy)
    page = fmap.get_root().render()
    assert '{"name":"Hajin"}' in page
    assert not [source for source in compiled if "IncidentsMap.places(" in source]


@pytest.mark.parametrize("texts", [["2019-03-01", "2019-{{", "{%x"], ["{#", "a{{b"], ["2019-03-01"]])
def test_popup_line_sizes_count_what_dumps_writes_for_any_text(texts):
    """The popup rows' sizes take text without escapes at one byte a letter: never a brace that opens a Jinja
    tag, which dumps writes as \\u007b."""
    columns = [texts, list(range(len(texts)))]
    rows = [list(row) for row in zip(*columns, strict=True)]
    expected = [len(mapping.dumps(row).encode("utf-8")) + 1 for row in rows]  # and the comma before the sources
    assert mapping._line_bytes(columns).tolist() == expected
