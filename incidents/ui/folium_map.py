"""Drawing a folium map with streamlit-folium's component, its base map rendered once per kind.

``st_folium(fmap, feature_group_to_add=...)`` renders the whole folium map to HTML and script on every run: for
our base map (boundaries, names; the same for every filter) that is about 70 ms of templates, JSON and bounds per
run and per map (#16). :func:`render_base` does that work once (the result is cached per language and kind of map
in :func:`incidents.ui.cache.base_map`), and :func:`draw_map` sends the component what ``st_folium`` would send:
the cached base map plus the data layers of this run (rendered once per filter and layer choice:
:func:`incidents.ui.cache.map_layers`). ``tests/ui/test_folium_map.py`` checks the two agree.

streamlit-folium is imported on first use: a component registers itself with the server only when it is imported
during a page's run (imported by the warm-up thread, it would stay unregistered and every map frame would answer 404).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st


@dataclass(frozen=True)
class RenderedMap:
    """A base map as the component receives it (what ``st_folium`` works out from a :class:`folium.Map`)."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: tuple[tuple[float | None, float | None], tuple[float | None, float | None]]
    zoom: object
    js_links: tuple[str, ...]
    css_links: tuple[str, ...]


def links(elements: Iterable[Any]) -> tuple[list[str], list[str]]:
    """Return the script and style-sheet links of ``elements`` and everything below them, in order, each once (as
    ``st_folium`` collects them)."""
    js: list[str] = []
    css: list[str] = []

    def walk(element: Any) -> None:
        if isinstance(element, folium.elements.JSCSSMixin):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    for element in elements:
        walk(element)
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def render_base(fmap: folium.Map) -> RenderedMap:
    """Render ``fmap`` as ``st_folium`` does before it adds any data layer."""
    import streamlit_folium as sf

    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    try:
        south_west, north_east = fmap.get_bounds()
    except AttributeError:
        south_west, north_east = [None, None], [None, None]
    js, css = links([fmap])
    return RenderedMap(script=script, header=header, html=html, map_id=sf.get_full_id(fmap),
                       bounds=((south_west[0], south_west[1]), (north_east[0], north_east[1])),
                       zoom=fmap.options.get("zoom"), js_links=tuple(js), css_links=tuple(css))


def _defaults(base: RenderedMap, returned_objects: Sequence[str]) -> dict:
    """The component's value before the user does anything (``st_folium``'s defaults, only those returned)."""
    (south, west), (north, east) = base.bounds
    every = {"last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
             "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
             "last_active_drawing": None,
             "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
             "zoom": base.zoom, "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
             "selected_tags": None, "last_geocoder_result": None}
    return {k: v for k, v in every.items() if k in returned_objects}


@dataclass(frozen=True)
class RenderedLayers:
    """Data layers as the component receives them: their script (``feature_group``) and the links they need."""

    script: str
    js_links: tuple[str, ...] = ()
    css_links: tuple[str, ...] = ()


def render_layers(overlays: Sequence[folium.FeatureGroup]) -> RenderedLayers:
    """Render data layers as ``st_folium(feature_group_to_add=overlays)`` does (the script names the map
    ``map_div``, whatever map they are drawn on)."""
    import streamlit_folium as sf

    holder = folium.Map(tiles=None)
    script = "".join(sf._get_feature_group_string(group, map=holder, idx=i) for i, group in enumerate(overlays))
    js, css = links(overlays)
    return RenderedLayers(script=script, js_links=tuple(js), css_links=tuple(css))


def draw_map(base: RenderedMap, layers: RenderedLayers, *, key: str, height: int,
             returned_objects: Sequence[str] = (), center: Sequence[float] | None = None,
             zoom: int | None = None) -> Any:
    """Draw the base map with its data ``layers`` (:func:`render_layers`), the full width of the column; return what
    the map returns (``returned_objects`` of ``st_folium``'s result, None before the map has answered).

    As ``st_folium(..., use_container_width=True, feature_group_to_add=overlays)`` of the map ``base`` was rendered
    from: the browser keeps the map and swaps only the data layers when ``base`` is the same as on the last run.
    """
    import streamlit_folium as sf

    hash_key = sf.generate_js_hash(base.script, key, False)
    on_change: Callable[[], None] = lambda: st.session_state.__setitem__(key, st.session_state.get(hash_key, {}))  # noqa: E731
    return sf._component_func(
        script=base.script, header=base.header, html=base.html, id=base.map_id, key=hash_key, height=height,
        width=None, returned_objects=list(returned_objects), default=_defaults(base, returned_objects), zoom=zoom,
        center=center, feature_group=layers.script, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(dict.fromkeys([*base.css_links, *layers.css_links])),
        js_links=list(dict.fromkeys([*base.js_links, *layers.js_links])), on_change=on_change, wrap_longitude=False)
