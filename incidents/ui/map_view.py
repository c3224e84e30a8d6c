"""The map views: the full map page and the small map of the overview and detail views.

Rerun behaviour: the base map (boundaries, tiles) is the same for every filter: it is rendered once per kind
(:func:`incidents.ui.cache.base_map`), and the browser keeps the Leaflet map and only swaps the data layers
(:func:`incidents.ui.folium_map.draw_map`, as ``st_folium(feature_group_to_add=...)``). Only a click
on a place reruns the script (``returned_objects=["last_object_clicked_popup"]``); panning and zooming do
not. The small maps return nothing at all.
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st

from incidents.analysis import mapping
from incidents.analysis.filters import Filter
from incidents.ui import cache
from incidents.ui.counting_view import page_counting, render_counted
from incidents.ui.folium_map import RenderedLayers, RenderedMap, draw_map, render_layers
from incidents.ui.i18n import t
from incidents.ui.setup import PAGES, Page
from incidents.ui.text import show_caption, show_names
from incidents.ui.widgets import display_rows, render_legend, show_table

MAP_KEY = "incident_map"
LAYERS_KEY = "map.layers"


def assets() -> mapping.Assets:
    """Return where the browser loads Leaflet from (Streamlit's static folder, under any base path)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return mapping.Assets(prefix=f"/{base}/app/static" if base else "/app/static")


def _page_url(page: str) -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    stem = PAGES[page][0].rsplit("/", 1)[-1].removesuffix(".py").split("_", 1)[-1]
    return f"/{base}/{stem}" if base else f"/{stem}"


def base_map(page: Page) -> RenderedMap:
    """Return the base map, rendered once per language and kind (boundaries as the base; OSM tiles only when
    ``INCIDENTS_TILES=osm``). What it is built from is loaded first, in the page's run, where the spinners of a
    first load belong (a cached function's elements are replayed on later runs)."""
    cache.boundaries()
    cache.map_labels(page.lang)
    return cache.base_map(page.lang, page.settings.tiles, assets().prefix)


def map_layers(page: Page) -> mapping.MapData:
    """Return the data layers of the page's filter (cached on filter, data version and language)."""
    return layers_of(page.url, page.version, page.chosen, page.effective, page.lang)


def layers_of(url: str, version: int, chosen: Filter, effective: Filter, lang: str) -> mapping.MapData:
    """Return the data layers of ``effective`` (the filter ``chosen`` narrowed to what the user may see); their
    popups link to the place profile under ``chosen``, in ``lang``."""
    return cache.map_data(url, version, effective, lang, _profile(chosen, lang))


def _profile(chosen: Filter, lang: str) -> str:
    query = dict(chosen.to_query(), **({"ui": lang} if lang != "en" else {}))
    return mapping.profile_prefix(_page_url("place"), query)


def rendered_layers(page: Page, layers: list[str] | tuple[str, ...]) -> RenderedLayers:
    """Return the chosen data layers of the page's filter, rendered for the map component (cached). The layers'
    data is worked out here first, in the page's run, where its spinner belongs (a cached function's elements are
    replayed on later runs)."""
    map_layers(page)
    return cache.map_layers(page.url, page.version, page.effective, page.lang, _profile(page.chosen, page.lang),
                            tuple(layers), assets().prefix)


def render_map_page(page: Page) -> None:
    """Draw the map page: layer choice, the map, the legend, notes, and the clicked place's incidents."""
    lang = page.lang
    render_map_heading(page)
    labels = {"places": t("layer_places", lang), "heat": t("layer_heat", lang),
              "choropleth": t("layer_choropleth", lang)}
    chosen = st.pills(t("layers", lang), options=list(labels), format_func=labels.__getitem__,
                      selection_mode="multi", default=["places"], key=LAYERS_KEY, persist_state="session")
    data = map_layers(page)
    result = draw_map(base_map(page), rendered_layers(page, chosen or []), key=MAP_KEY, height=620,
                      returned_objects=["last_object_clicked_popup"])
    page.end_first_run()  # a new visitor's first run ends with the map: the rest follows at once (#16)
    render_legend(lang, data, chosen or [])
    _render_notes(data, lang)
    clicked = mapping.place_id_from_popup((result or {}).get("last_object_clicked_popup"))
    _render_clicked(page, clicked)


def render_map_heading(page: Page) -> None:
    """Draw the caption of the page's filter and what its totals count (the lines above the map)."""
    totals = cache.totals(page.url, page.version, page.effective)
    show_caption(page.caption(totals.incidents))
    render_counted(page, page_counting(page))


def _render_notes(data: mapping.MapData, lang: str) -> None:
    notes = [t("approx_note", lang)]
    if data.count and data.popup_places and data.popup_places < data.count:
        notes.append(t("popup_top", lang, n=data.popup_limit, places=data.popup_places))
    elif data.count and data.popup_limit and data.popup_limit < mapping.POPUP_LIMITS[0]:
        notes.append(t("popup_cap", lang, n=data.popup_limit))
    elif data.count and not data.popup_limit:
        notes.append(t("no_popup_lists", lang))
    if data.dropped_places:
        notes.append(t("dropped", lang, n=data.dropped_places))
    st.caption(" ".join(notes))


def _render_clicked(page: Page, key: str | None) -> None:
    lang = page.lang
    if not key:
        st.caption(t("click_hint", lang))
        return
    places = cache.places(page.url, page.version, page.effective)
    found = places[places["place_key"] == key]
    if found.empty:
        return
    place = found.iloc[0]
    st.subheader(t("clicked", lang))
    show_names(place["name_ar"], place["name_en"], "h4")
    rows, _totals, _by_actor, _bands = cache.place_view(page.url, page.version, page.effective, key)
    if len(rows):
        show_table(display_rows(rows, lang).drop(columns=["place", "killed_min", "uid"]), lang, compact=True)
    # The profile is the place page's own parameter, not the sidebar's place filter: later pages stay as they are.
    st.page_link(PAGES["place"][0], label=t("open_profile", lang), icon=":material/location_on:",
                 query_params={**page.chosen.to_query(), "place": key})


def render_small_map(page: Page, height: int = 380, key: str = "overview_map") -> None:
    """Draw a non-interactive map of the filtered places (the overview's)."""
    draw_map(base_map(page), rendered_layers(page, ["places"]), key=key, height=height)


def render_point_map(page: Page, lat: float | None, lon: float | None, area: dict | None = None,
                     nearby: pd.DataFrame | None = None, key: str = "point_map", height: int = 300) -> None:
    """Draw a small map centred on one incident or place (its area outline when it has only an area)."""
    group = folium.FeatureGroup(name="here", control=False)
    center, zoom = None, None
    if area is not None:
        folium.GeoJson({"type": "Feature", "geometry": area, "properties": {}},
                       style_function=lambda _f: {"color": "#b2182b", "weight": 2, "dashArray": "6 4",
                                                  "fillOpacity": 0.1}).add_to(group)
        box = mapping.collection_bounds({"features": [{"geometry": area}]})
        if box:
            center, zoom = ((box[0][0] + box[1][0]) / 2, (box[0][1] + box[1][1]) / 2), 9
    elif lat is not None and lon is not None and pd.notna(lat) and pd.notna(lon):
        folium.CircleMarker([float(lat), float(lon)], radius=8, color="#b2182b", fill=True,
                            fill_opacity=0.8).add_to(group)
        center, zoom = (float(lat), float(lon)), 11
    if nearby is not None:
        for row in nearby.to_dict("records"):
            folium.CircleMarker([float(row["lat"]), float(row["lon"])], radius=4, color="#555555", fill=True,
                                fill_opacity=0.6, tooltip=mapping.bilingual(row["name_ar"], row["name_en"])).add_to(group)
    draw_map(base_map(page), render_layers([group]), key=key, height=height, center=center, zoom=zoom)
