"""The map drawn from a base map rendered once sends the component what ``st_folium`` sends (#16)."""

from __future__ import annotations

import re

import folium
import pytest
import streamlit_folium

from incidents.analysis import mapping
from incidents.ui import folium_map
from tests.test_mapping import boundaries, many_places, sources_of


def sent(monkeypatch: pytest.MonkeyPatch, draw) -> dict:
    """Return the arguments ``draw()`` passes to streamlit-folium's component (random element ids made alike)."""
    seen: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: seen.update(kwargs))
    draw()
    seen.pop("on_change")
    return {k: re.sub(r"_[0-9a-f]{32}", "_ID", v) if isinstance(v, str) else v for k, v in seen.items()}


def overlays(layers: list[str]) -> list[folium.FeatureGroup]:
    rows, latest = many_places(40)
    data = mapping.build_map_data(rows, latest, sources_of, admin=rows.iloc[:0], profile="/Place?place=")
    return mapping.build_overlays(data, layers)


def base() -> folium.Map:
    return mapping.build_base_map(boundaries(), assets=mapping.Assets("/app/static"))


@pytest.mark.parametrize(("layers", "returned", "center"), [
    (["places"], ["last_object_clicked_popup"], None),
    (["places", "heat"], [], None),
    ([], [], (35.3, 40.1)),
])
def test_draw_map_sends_what_st_folium_sends(monkeypatch, layers, returned, center):
    expected = sent(monkeypatch, lambda: streamlit_folium.st_folium(
        base(), key="m", height=300, use_container_width=True, returned_objects=returned,
        feature_group_to_add=overlays(layers), center=center))
    rendered = folium_map.render_base(base())
    got = sent(monkeypatch, lambda: folium_map.draw_map(rendered, folium_map.render_layers(overlays(layers)), key="m",
                                                        height=300, returned_objects=returned, center=center))
    assert got == expected
    assert "IncidentsMap.places" in got["feature_group"] if "places" in layers else got["feature_group"] == ""


def test_a_base_map_rendered_once_serves_every_run(monkeypatch):
    rendered = folium_map.render_base(base())
    places, heat = (folium_map.render_layers(overlays(chosen)) for chosen in (["places"], ["heat"]))
    first = sent(monkeypatch, lambda: folium_map.draw_map(rendered, places, key="m", height=300))
    again = sent(monkeypatch, lambda: folium_map.draw_map(rendered, heat, key="m", height=300))
    assert first["key"] == again["key"] and first["script"] == again["script"]  # the browser keeps the map
    assert first["feature_group"] != again["feature_group"]  # and swaps the data layers


def test_every_map_loads_one_script_with_leaflet_the_heat_plugin_and_the_layers():
    js, css = folium_map.links([base(), *overlays(["places", "heat"])])
    assert js == ["/app/static/incidents-map/incidents-map.bundle.js"]
    assert css == ["/app/static/leaflet/leaflet.css"]


def test_the_private_streamlit_folium_functions_used_are_pinned_and_named_at_the_pin():
    """folium_map calls streamlit-folium's private functions: the pin is exact and its comment names each one."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    used = set(re.findall(r"\bsf\.(_\w+)", (root / "incidents/ui/folium_map.py").read_text(encoding="utf-8")))
    lines = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pin = next(i for i, line in enumerate(lines) if line.startswith("streamlit-folium"))
    assert re.fullmatch(r"streamlit-folium==[\d.]+", lines[pin])
    comment = " ".join(line for line in lines[:pin] if line.startswith("#"))
    assert used and all(name in comment for name in used), sorted(used)
    assert all(callable(getattr(streamlit_folium, name)) for name in used)
