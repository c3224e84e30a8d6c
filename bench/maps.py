"""Map and timeline builds: the dashboard's map against folium's usual ways, on the same incidents.

The dashboard's map is built as the map page builds it (``map_view.map_layers`` → ``map_view.base_map`` +
``mapping.build_overlays``), and weighed twice: as a standalone HTML page (like
the baselines) and as what ``st_folium`` sends to the browser (map script + data-layer script + header).

Baselines, on the incidents of the default filter that have a point: a ``folium.CircleMarker`` per
incident, ``MarkerCluster`` with a ``folium.Marker`` per incident, and ``FastMarkerCluster``. Marker per
incident and MarkerCluster are capped (``--baseline-max``, 100k by default) because their build time grows
by about 0.5 ms per marker.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import numpy as np

from bench.data_bench import Loaded, page_for
from bench.results import Results, size_label
from bench.timing import once, repeat
from incidents.analysis import charts, mapping
from incidents.analysis.filters import Filter

SECTION_MAP = "Map and timeline builds"
SECTION_BASELINE = "Baselines: folium's usual ways (same incidents)"
BASELINES = ("marker_per_incident", "markercluster", "fastmarkercluster")
_FAST_CALLBACK = "function (row) { return L.marker(new L.LatLng(row[0], row[1])); }"


@dataclass(frozen=True)
class BuiltMap:
    """A map written to disk for the browser, with its build time and size."""

    name: str
    path: Path
    build_s: float
    html_bytes: int


def build_product_html(loaded: Loaded, chosen: Filter) -> tuple[str, int, int]:
    """Build the dashboard's map for ``chosen`` as the map page does (``incidents.ui.map_view``).

    Returns the standalone HTML (assets under ``/static``, served by the bench), the bytes ``st_folium``
    sends (map script, data-layer script, header, html), and the data layers' JSON bytes.
    """
    from incidents.ui import cache, folium_map, map_view

    page = page_for(loaded.store.url, loaded.version, chosen)
    data = map_view.map_layers(page)
    assets = map_view.assets()
    bounds = cache.boundaries()

    def fresh_base() -> Any:  # as cache.base_map builds it; a map takes its layers once, so one per use
        return mapping.build_base_map(bounds.levels, tiles=page.settings.tiles, assets=assets, bounds=bounds.bounds,
                                      lang=page.lang, labels=cache.map_labels(page.lang))

    fmap = fresh_base()
    for group in mapping.build_overlays(data, ["places"], assets):
        group.add_to(fmap)
    html = fmap.get_root().render().replace('"/app/static/', '"/static/')
    base = folium_map.render_base(fresh_base())
    layers = folium_map.render_layers(mapping.build_overlays(data, ["places"], assets))
    component = len(base.script) + len(layers.script) + len(base.header) + len(base.html)
    return html, component, data.size()


def measure_product_map(results: Results, loaded: Loaded, out_dir: Path, repeats: int) -> BuiltMap:
    """Time and weigh the dashboard's map of the default filter; save it for the browser."""
    import streamlit as st

    size = loaded.store.size
    chosen = Filter()

    def build() -> tuple[str, int, int]:
        st.cache_data.clear()
        return build_product_html(loaded, chosen)

    stats, (html, component, data_bytes) = repeat(build, repeats, budget_s=60)
    label = size_label(size)
    results.add(SECTION_MAP, "dashboard map: data → HTML (default filter)", stats.scaled(1000), "ms", size=size,
                note="filter, aggregate, popups, base + overlays rendered", key=f"map_build_ms_{label}")
    results.add(SECTION_MAP, "dashboard map: standalone HTML", len(html.encode()), "bytes", size=size,
                key=f"map_bytes_{label}")
    results.add(SECTION_MAP, "dashboard map: st_folium payload", component, "bytes", size=size,
                note="map script + data layers + header, sent on every rerun", key=f"st_folium_bytes_{label}")
    results.add(SECTION_MAP, "dashboard map: data layers JSON", data_bytes, "bytes", size=size,
                note="MapData.size()")
    path = out_dir / f"dashboard-{label}.html"
    path.write_text(html, encoding="utf-8")
    return BuiltMap("dashboard", path, stats.median, len(html.encode()))


def measure_timeline(results: Results, loaded: Loaded, repeats: int) -> None:
    """Time the timeline's data and Altair spec, and weigh the spec."""
    import streamlit as st

    from incidents.ui import cache

    url, version, size = loaded.store.url, loaded.version, loaded.store.size

    def build() -> str:
        st.cache_data.clear()
        by_actor, bands = cache.periods(url, version, Filter(), "month", "en")
        return charts.build_timeline(by_actor, bands, freq="month").to_json()

    stats, spec = repeat(build, repeats, budget_s=30)
    label = size_label(size)
    results.add(SECTION_MAP, "timeline: data + Altair spec (default filter)", stats.scaled(1000), "ms", size=size,
                key=f"timeline_ms_{label}")
    results.add(SECTION_MAP, "timeline: spec JSON", len(spec.encode()), "bytes", size=size,
                key=f"timeline_bytes_{label}")


# -- baselines ------------------------------------------------------------------------------------------------


def baseline_points(loaded: Loaded) -> np.ndarray:
    """Return (lat, lon) of every incident of the default filter that has a point."""
    frame = loaded.data.frame
    keep = Filter().mask(frame) & frame["lat"].notna().to_numpy() & frame["lon"].notna().to_numpy()
    return np.column_stack([frame["lat"].to_numpy()[keep], frame["lon"].to_numpy()[keep]])


def build_baseline(kind: str, points: np.ndarray) -> str:
    """Return the standalone HTML of one of folium's usual maps of ``points``."""
    fmap = folium.Map(location=list(mapping.DEFAULT_CENTER), zoom_start=mapping.DEFAULT_ZOOM, tiles=None)
    fmap.options["maxZoom"] = 18  # MarkerCluster refuses a map without one (tiles would set it; none here)
    if kind == "marker_per_incident":
        for lat, lon in points.tolist():
            folium.CircleMarker([lat, lon], radius=4, weight=1, fill=True).add_to(fmap)
    elif kind == "markercluster":
        cluster = folium.plugins.MarkerCluster().add_to(fmap)
        for lat, lon in points.tolist():
            folium.Marker([lat, lon]).add_to(cluster)
    elif kind == "fastmarkercluster":
        # plain Leaflet markers (the default callback needs the awesome-markers plugin from a CDN)
        folium.plugins.FastMarkerCluster(points.tolist(), callback=_FAST_CALLBACK).add_to(fmap)
    else:
        raise ValueError(f"baseline must be one of {', '.join(BASELINES)}; got {kind!r}")
    return fmap.get_root().render()


def measure_baselines(results: Results, loaded: Loaded, out_dir: Path, repeats: int,
                      cap: int) -> list[BuiltMap]:
    """Build each baseline on the same incidents (capped at ``cap`` points); return the saved maps."""
    logging.getLogger("folium").setLevel(logging.ERROR)
    size = loaded.store.size
    points = baseline_points(loaded)
    built = []
    for kind in BASELINES:
        if kind != "fastmarkercluster" and size > cap:
            results.skip(SECTION_BASELINE, f"{kind}: build", f"capped at {cap:,} incidents", size=size)
            continue
        runs = 1 if size > 50_000 else repeats
        stats, html = repeat(functools.partial(build_baseline, kind, points), runs, budget_s=150)
        label = size_label(size)
        results.add(SECTION_BASELINE, f"{kind}: build (data → HTML)", stats, "s", size=size,
                    note=f"{len(points):,} markers", key=f"{kind}_build_s_{label}")
        results.add(SECTION_BASELINE, f"{kind}: HTML", len(html.encode()), "bytes", size=size,
                    key=f"{kind}_bytes_{label}")
        path = out_dir / f"{kind}-{label}.html"
        path.write_text(html, encoding="utf-8")
        built.append(BuiltMap(kind, path, stats.median, len(html.encode())))
        del html
    return built


def time_one_build(kind: str, points: np.ndarray) -> float:
    """Return the seconds of one baseline build (for quick checks)."""
    return once(lambda: build_baseline(kind, points))[0]
