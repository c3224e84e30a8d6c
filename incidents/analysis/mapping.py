"""The map builder: folium objects from per-place summaries, with every string escaped and every asset local.

Two parts, so that a filter change does not rebuild the map in the browser:

* :func:`build_base_map` — the Leaflet map with the bundled boundaries as its base (and OpenStreetMap
  tiles only when the installation asks for them). It depends on nothing the user filters, so the browser
  keeps it between reruns.
* :func:`build_overlays` — one :class:`folium.FeatureGroup` per data layer (places, heat map,
  choropleth), swapped in place by ``st_folium(feature_group_to_add=...)``.

The data layers are built from :class:`MapData`, which :func:`build_map_data` fits into a byte budget
(:data:`PAYLOAD_BUDGET`): popups list the latest incidents of each place, fewer when the map would grow too
large, and places beyond what the budget allows are left to the heat map, choropleth and table (the caption
says so). Report text is untrusted: every string that reaches HTML goes through :func:`esc`, and links
only keep http(s) URLs.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple, overload
from urllib.parse import urlencode, urlsplit

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from folium.utilities import JsCode

from incidents.analysis.aggregate import actor_colour
from incidents.analysis.engine import Engine, Where
from incidents.domain import messages, taxonomy
from incidents.domain.errors import IncidentsError
from incidents.domain.region import GOVERNORATE

#: Upper bound on the bytes of data the map sends to the browser (base boundaries + data layers).
PAYLOAD_BUDGET = 300_000
#: Popup list lengths tried in turn until the map fits the budget.
POPUP_LIMITS = (20, 10, 5, 3, 1, 0)
#: The heat layer is summed on a grid to at most this many points.
HEAT_MAX_POINTS = 2500
DEFAULT_CENTER = (35.0, 40.5)  # Deir ez-Zor governorate
DEFAULT_ZOOM = 8
LAYERS = ("places", "heat", "choropleth")
BOUNDARY_LEVELS = ("governorate", "district", "subdistrict")
_BOUNDARY_STYLE = {
    "governorate": {"color": "#8a8a8a", "weight": 1.2, "fillColor": "#ecebe6", "fillOpacity": 1.0},
    "focus": {"color": "#4a4a4a", "weight": 2.4, "fillColor": "#fbfaf5", "fillOpacity": 1.0},
    "district": {"color": "#7a7a7a", "weight": 1.4, "fill": False},
    "subdistrict": {"color": "#9a9a9a", "weight": 0.8, "dashArray": "3 3", "fill": False},
}
_CHOROPLETH = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")


class MapBuildError(IncidentsError, ValueError):
    """A map could not be built from what was given (e.g. a location that is not two numbers)."""


# -- escaping ---------------------------------------------------------------------------------------------


_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;"})


def esc(value: object) -> str:
    """Return ``value`` as text safe inside HTML content and attributes, and inside a JS template literal.

    folium writes some tooltips into backtick strings (``bindTooltip(`<div>…</div>`)``), where a backtick or
    ``${`` would end the string or run code, so those are written as HTML entities too. So is ``{``: folium
    (branca) compiles each element's rendered script as a Jinja template again, where ``{{ … }}`` from a
    report would be run on the server (see :func:`dumps`).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE)


def safe_url(url: object) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL, else None (no ``javascript:``, no ``data:``)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def _ltr(text: str) -> str:
    """Escaped ``text`` kept left-to-right inside right-to-left text (dates, "12–20")."""
    return f'<bdi dir="ltr">{esc(text)}</bdi>'


def bilingual(name_ar: object, name_en: object) -> str:
    """Return both names as escaped HTML, the Arabic one in a right-to-left span."""
    parts = []
    if isinstance(name_ar, str) and name_ar.strip():
        parts.append(f'<span dir="rtl" lang="ar">{esc(name_ar)}</span>')
    if isinstance(name_en, str) and name_en.strip():
        parts.append(f'<span dir="ltr" lang="en">{esc(name_en)}</span>')
    return " · ".join(parts) or "<i>unnamed place</i>"


# -- local assets -----------------------------------------------------------------------------------------


#: The scripts of every map, in the order they run, under ``static/``; served as one file (:data:`BUNDLE`).
BUNDLE_PARTS = ("leaflet/leaflet.js", "leaflet-heat/leaflet-heat.js", "incidents-map/incidents-map.js")
#: Leaflet, the heat-map plugin and the dashboard's layer script in one file (``make bundle`` writes it from
#: :data:`BUNDLE_PARTS`; a test checks it is their concatenation): streamlit-folium loads a map's scripts one
#: after another before it draws, so one file instead of three is two waits fewer for a new visitor (#16).
BUNDLE = "incidents-map/incidents-map.bundle.js"
BUNDLE_SEPARATOR = "\n;\n"


STATIC = Path(__file__).resolve().parents[2] / "static"


#: A part's source-map comment (``//# sourceMappingURL=leaflet.js.map``): in the bundle it would point the
#: browser's tools at a file beside the bundle that is not vendored.
SOURCE_MAP_COMMENT = re.compile(r"^//[#@] sourceMappingURL=.*(?:\n|$)", re.MULTILINE)


def bundle_text(static: Path = STATIC) -> str:
    """Return what :data:`BUNDLE` holds: the files of :data:`BUNDLE_PARTS` under ``static``, in order, each with its
    licence header and without its source-map comment, separated so that no part runs into the next."""
    return BUNDLE_SEPARATOR.join(SOURCE_MAP_COMMENT.sub("", static.joinpath(part).read_text(encoding="utf-8"))
                                 for part in BUNDLE_PARTS)


def write_bundle(static: Path = STATIC) -> Path:
    """Write :data:`BUNDLE` from its parts (``make bundle``); return its path."""
    path = static / BUNDLE
    path.write_text(bundle_text(static), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Assets:
    """Where the browser loads Leaflet and its plugins from (served by Streamlit's static serving)."""

    prefix: str = "/app/static"

    @property
    def js(self) -> list[tuple[str, str]]:
        """The one script of every map: Leaflet, the heat-map plugin and the layer script (:data:`BUNDLE`)."""
        return [("incidents-map-bundle", f"{self.prefix}/{BUNDLE}")]

    @property
    def css(self) -> list[tuple[str, str]]:
        """Leaflet's style sheet."""
        return [("leaflet_css", f"{self.prefix}/leaflet/leaflet.css")]

    @property
    def map_js(self) -> list[tuple[str, str]]:
        """The dashboard's own layer script (draws places and the choropleth from compact data): in the bundle."""
        return self.js

    @property
    def heat_js(self) -> list[tuple[str, str]]:
        """The heat-map plugin: in the bundle."""
        return self.js


def _localise(element: Any, js: list[tuple[str, str]], css: list[tuple[str, str]] | None = None) -> None:
    # Instance attributes shadow folium's class-level CDN lists; streamlit-folium and folium both read them.
    element.default_js = js
    element.default_css = css or []


# -- boundaries -------------------------------------------------------------------------------------------


def boundary_collection(frame: Any, ids: Iterable[str] | None = None, tolerance: float = 0.005,
                        grid: float = 1e-4) -> dict:
    """Return boundaries as a small GeoJSON FeatureCollection for the map.

    Parameters
    ----------
    frame
        GeoDataFrame with ``id``, ``name_ar``, ``name_en`` (and optionally ``approximate``), in EPSG:4326.
    ids
        Keep only these unit ids (P-codes); all when None.
    tolerance
        Simplification tolerance in degrees (shared edges are kept: coverage simplification).
    grid
        Coordinates are rounded to this grid (1e-4° ≈ 11 m).
    """
    import shapely

    if ids is not None:
        frame = frame[frame["id"].isin(list(ids))]
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geometry = frame.geometry.values
    if tolerance and len(frame):
        geometry = shapely.coverage_simplify(geometry, tolerance)
    geometry = shapely.set_precision(geometry, grid)
    features = []
    for row, geom in zip(frame.itertuples(index=False), geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        inside = geom.representative_point()
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": {
            "id": str(row.id), "name_ar": _text(getattr(row, "name_ar", "")),
            "name_en": _text(getattr(row, "name_en", "")),
            "approximate": bool(getattr(row, "approximate", False)),
            "label_at": [round(inside.y, 4), round(inside.x, 4)],
        }})
    return {"type": "FeatureCollection", "features": features}


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def collection_bounds(collection: dict) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` of a FeatureCollection, or None when empty."""
    lats: list[float] = []
    lons: list[float] = []

    def walk(coords: Any) -> None:
        if coords and isinstance(coords[0], int | float):
            lons.append(float(coords[0]))
            lats.append(float(coords[1]))
        else:
            for item in coords:
                walk(item)

    for feature in collection.get("features", []):
        walk(feature["geometry"]["coordinates"])
    if not lats:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


# -- the base map -----------------------------------------------------------------------------------------


def build_base_map(boundaries: Mapping[str, dict], *, tiles: str = "offline", assets: Assets = Assets(),
                   bounds: Sequence[Sequence[float]] | None = None, lang: str = "en",
                   focus: str | None = GOVERNORATE, settlements: pd.DataFrame | None = None,
                   labels: list[list] | None = None) -> folium.Map:
    """Return the base map: bundled boundaries (governorate, district, sub-district) and optional tiles.

    Parameters
    ----------
    boundaries
        Level name → FeatureCollection from :func:`boundary_collection`; missing levels are skipped.
    tiles
        "offline" (no tile server is ever contacted) or "osm" (OpenStreetMap tiles as a switchable layer,
        for installations that are online; the boundaries stay underneath).
    assets
        Where Leaflet is served from.
    bounds
        ``[[south, west], [north, east]]`` to fit; default Deir ez-Zor governorate.
    focus
        Id of the governorate drawn brighter (the others are context).
    settlements
        Gazetteer places to name on the map (see :func:`place_labels`): districts and sub-districts are named
        at their seat, towns from zoom 10 and villages from zoom 11, in the interface language.
    labels
        The name labels, when worked out already (:func:`place_labels` of ``boundaries``, ``settlements`` and
        ``lang``: the same for every map of a language); else worked out here from ``settlements``.
    """
    if tiles not in ("offline", "osm"):
        raise MapBuildError(f"tiles must be 'offline' or 'osm', instead got: {tiles!r}")
    fmap = folium.Map(location=list(DEFAULT_CENTER), zoom_start=DEFAULT_ZOOM, tiles=None, control_scale=True,
                      prefer_canvas=True, min_zoom=6, max_zoom=14, zoom_snap=0.25, zoom_delta=0.5)
    # The heat plugin comes with the map (in the bundle), whatever layers the first draw shows: streamlit-folium
    # loads scripts only when it first creates the map, and later swaps data layers without loading new ones, so
    # a plugin first needed after a switch of layers (or a rerun) would be missing (``L.heatLayer`` undefined).
    _localise(fmap, assets.js, assets.css)
    root: Any = fmap.get_root()
    root.header.add_child(folium.Element(
        "<style>.leaflet-container{background:#d9dcdf;font-family:'Source Sans Pro','DejaVu Sans',sans-serif}"
        ".leaflet-tooltip,.leaflet-popup-content{unicode-bidi:plaintext}"
        ".im-pop{max-height:260px;overflow-y:auto;min-width:220px}.im-pop ul{padding-inline-start:16px;margin:4px 0}"
        ".im-pop li{margin-bottom:3px}.im-muted{color:#666;font-size:11px}"
        ".im-area-label{font-size:11px;color:#555;text-align:center;white-space:nowrap;"
        "transform:translate(-50%,-50%);text-shadow:0 0 3px #fff,0 0 3px #fff}"
        ".im-area-label.district{font-size:12px;font-weight:600;color:#333}"
        ".im-area-label.subdistrict{font-style:italic;color:#666;font-size:10.5px}"
        ".im-area-label.town{font-size:11.5px;color:#222;font-weight:600}"
        ".im-area-label.village{font-size:10.5px;color:#333}"
        ".im-area-label.town,.im-area-label.village{transform:translate(5px,-50%);text-align:start}"
        ".im-dot{position:absolute;left:-7px;top:50%;width:4px;height:4px;margin-top:-2px;border-radius:50%;"
        "background:#555}</style>"))
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=True, control=True,
                         show=True).add_to(fmap)
    for level in BOUNDARY_LEVELS:
        collection = boundaries.get(level)
        if collection and collection.get("features"):
            _boundary_layer(level, collection, lang, focus).add_to(fmap)
    rows = labels if labels is not None else place_labels(boundaries, settlements, lang)
    if rows:
        _DataLayer("labels", rows, None, assets).add_to(fmap)
    if tiles == "osm":
        folium.LayerControl(collapsed=True).add_to(fmap)
    if bounds is not None:
        fmap.fit_bounds([list(bounds[0]), list(bounds[1])])
    return fmap


_LEVEL_LABEL = messages.table("map_levels")  # boundary level → (English, Arabic), from the catalogue


def _boundary_layer(level: str, collection: dict, lang: str, focus: str | None) -> folium.GeoJson:
    label_en, label_ar = _LEVEL_LABEL[level]
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        note = f' <i>({esc(messages.text("mapping.approximate", lang))})</i>' if props.get("approximate") else ""
        tip = (f'<div dir="auto">{esc(label_ar if lang == "ar" else label_en)}: '
               f'{bilingual(props.get("name_ar"), props.get("name_en"))}{note}</div>')
        style = _BOUNDARY_STYLE["focus" if level == "governorate" and props.get("id") == focus else level]
        features.append({**feature, "properties": {
            "id": props.get("id"), "name_ar": props.get("name_ar", ""), "name_en": props.get("name_en", ""),
            "approximate": bool(props.get("approximate")), "tip": tip, "style": style}})
    # Each boundary registers its shape, so that data layers draw areas without sending shapes again.
    layer = folium.GeoJson({"type": "FeatureCollection", "features": features}, name=f"{label_en} boundaries",
                           tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
                           control=False, interactive=level == "subdistrict",
                           on_each_feature=JsCode("function (feature, layer) { IncidentsMap.registerArea(feature); }"))
    return layer


#: Kind of name → (smallest zoom, largest zoom) at which it is shown: district names at their seat on the
#: overview, sub-district names one step closer, then towns, then villages (the offline map's orientation).
LABEL_ZOOMS = {"district": (0, 9.75), "subdistrict": (9, 10.75), "town": (10, 99), "village": (11, 99)}
_TOWNS = ("city", "town")
_VILLAGES = ("village", "neighbourhood")


def place_labels(boundaries: Mapping[str, dict], settlements: pd.DataFrame | None, lang: str = "en") -> list[list]:
    """Return the base map's name labels: ``[lat, lon, name, other name, kind, min zoom, max zoom]``.

    Parameters
    ----------
    boundaries
        Level → FeatureCollection (:func:`boundary_collection`); districts and sub-districts are named.
    settlements
        Gazetteer places (``id, name_ar, name_en, lat, lon, kind, admin2, admin3, population``); cities and
        towns are named from zoom 10, villages from zoom 11, by the interface language's name (the other one
        when it has none). None: areas only.
    lang
        Interface language: its name comes first.

    Notes
    -----
    An area's name sits at its seat, the most populous city or town inside it, so that "Abu Kamal" is on Abu
    Kamal town rather than on the middle of the district; an area without a known town is named at a point
    inside it (never outside, as a centroid of a crescent-shaped area could be).
    """
    towns = _settlements(settlements)
    rows = []
    for level, code_column in (("district", "admin2"), ("subdistrict", "admin3")):
        for feature in (boundaries.get(level) or {}).get("features", []):
            props = feature["properties"]
            seat = _seat(towns, code_column, str(props.get("id")))
            first, second = _ordered(props.get("name_ar"), props.get("name_en"), lang)
            rows.append([*(seat or props["label_at"]), first, second, level, *LABEL_ZOOMS[level]])
    for place in towns.itertuples(index=False):
        kind = "town" if place.kind in _TOWNS else "village"
        first, _second = _ordered(place.name_ar, place.name_en, lang)
        if first:
            rows.append([round(float(place.lat), 4), round(float(place.lon), 4), first, "", kind,  # type: ignore[arg-type]
                         *LABEL_ZOOMS[kind]])
    return rows


def _settlements(settlements: pd.DataFrame | None) -> pd.DataFrame:
    """Towns and villages with coordinates, population as a number (0 when unknown), largest first."""
    columns = ["id", "name_ar", "name_en", "lat", "lon", "kind", "admin2", "admin3", "population"]
    if settlements is None or settlements.empty:
        return pd.DataFrame(columns=columns)
    frame = settlements[settlements["kind"].isin(_TOWNS + _VILLAGES)][columns].copy()
    for column in ("lat", "lon", "population"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame["population"] = frame["population"].fillna(0)
    for column in ("name_ar", "name_en", "admin2", "admin3"):
        frame[column] = frame[column].fillna("").astype(str)
    frame = frame.dropna(subset=["lat", "lon"])
    frame["rank"] = frame["kind"].isin(_TOWNS).astype(int)
    return frame.sort_values(["rank", "population"], ascending=False).drop(columns="rank")


def _seat(towns: pd.DataFrame, column: str, code: str) -> list[float] | None:
    inside = towns[(towns[column] == code) & towns["kind"].isin(_TOWNS)]
    if inside.empty:
        return None
    seat = inside.iloc[0]
    return [round(float(seat["lat"]), 4), round(float(seat["lon"]), 4)]


def _ordered(name_ar: object, name_en: object, lang: str) -> tuple[str, str]:
    """The two names, the interface language's first (the other first when it has none)."""
    arabic, english = _text(name_ar), _text(name_en)
    first, second = (arabic, english) if lang == "ar" else (english, arabic)
    return (first, second) if first else (second, "")


# -- map data: compact layers, fitted to the budget ---------------------------------------------------------

#: Bytes of the layers' fixed parts (labels, the few lines of script per layer) reserved inside the budget.
LAYER_OVERHEAD = 8_000


def dumps(value: object) -> str:
    """Return ``value`` as JSON that is safe inside a ``<script>`` element, UTF-8 (Arabic at 2 bytes a letter).

    ``<``, ``>`` and ``&`` and the two JavaScript line separators are written as ``\\u`` escapes, so no string
    from a report can close the script or start markup. A ``{`` that opens a Jinja tag (``{{``, ``{%``, ``{#``;
    only ever inside a string, JSON's own braces are never followed by those) is written ``\\u007b``: folium
    (branca) renders an element's script and then compiles the result as a Jinja template once more, so a place
    or source name ``{{ 7*7 }}`` would be shown as 49, and worse, run on the server. Nothing else is escaped.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JINJA_OPEN.sub(r"\\u007b", text.translate(_SCRIPT_SAFE))


#: A brace opening a Jinja tag, expression or comment.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def payload_bytes(value: object) -> int:
    """Return the UTF-8 bytes of ``value`` as :func:`dumps` writes it (what the budget counts), without
    writing the escapes: each of ``<>&`` and each brace opening a Jinja tag grows by 5 bytes, each line
    separator by 3."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return len(text.encode("utf-8")) + _escapes_bytes(text)


def _escapes_bytes(text: str) -> int:
    """Return by how many bytes :func:`dumps`'s escapes lengthen ``text`` (JSON, or one string of it)."""
    grown = 5 * (text.count("<") + text.count(">") + text.count("&")) + 3 * (text.count("\u2028")
                                                                              + text.count("\u2029"))
    if "{" in text:
        grown += 5 * len(_JINJA_OPEN.findall(text))
    return grown


def text_bytes(value: str) -> int:
    """Return the UTF-8 bytes of the string ``value`` as :func:`dumps` writes it (quotes and escapes
    included), without encoding a payload: what :func:`payload_bytes` counts for a string."""
    quoted = _json_string(value)
    return (len(quoted) if quoted.isascii() else len(quoted.encode("utf-8"))) + _escapes_bytes(value)


_json_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # json's own (C) string writer


def _item_bytes(value: object) -> int:
    """Return the bytes of one item of a source row (a string, else as :func:`payload_bytes` counts it)."""
    if value is None:
        return 4  # null
    return text_bytes(value) if isinstance(value, str) else payload_bytes(value)


def _ints_bytes(values: list[int]) -> int:
    """Return the bytes of a JSON list of integers (``[1,12,-1]``; Python writes ", " between items)."""
    return len(str(values)) - max(len(values) - 1, 0)


def _list_bytes(sizes: int, count: int) -> int:
    """Return the bytes of a JSON list of ``count`` items whose bytes add up to ``sizes``."""
    return 2 + sizes + max(count - 1, 0)


@dataclass
class MapData:
    """What the data layers draw, fitted to the payload budget.

    ``places`` is columnar (one list per field, one item per place; see :func:`place_payload`), ``heat``
    a list of ``[lat, lon, weight]``, ``choropleth`` columnar per admin unit. Shapes of areas are not sent:
    the browser takes them from the base map's boundary layers (``IncidentsMap.registerArea``).
    """

    places: dict
    heat: list[list[float]]
    choropleth: dict
    labels: dict = field(default_factory=dict)
    popup_limit: int = 0  # how many incidents a popup lists at most
    popup_places: int = 0  # how many (most-killed) places have a list at all
    dropped_places: int = 0

    @property
    def count(self) -> int:
        """How many places are drawn."""
        return len(self.places.get("k", []))

    @property
    def largest(self) -> int:
        """Killed at the place drawn largest (the circle-size scale)."""
        return max((int(k) for k in self.places.get("f", [])), default=0)

    @property
    def actors(self) -> list[str]:
        """Codes of the actors whose colour is on the map (main actor of a drawn place), in vocabulary order."""
        present = set(self.places.get("m", []))
        return [code for code, index in _ACTORS.items() if index in present]

    @property
    def areas_drawn(self) -> bool:
        """Whether some place is drawn as a whole area (incidents located only to an admin unit)."""
        return any(self.places.get("x", []))

    def size_key(self) -> list[tuple[int, float]]:
        """Return (killed, radius in pixels at the opening view) of the circles a size key shows: the largest
        place and two rounder, smaller tolls (area proportional to killed, as :func:`radius` draws)."""
        largest = self.largest
        if largest <= 0:
            return []
        values = sorted({largest, *(_round_down(largest * share) for share in (0.25, 0.04))}, reverse=True)
        return [(v, round(max(3.0, radius(v, largest) * zoom_scale(DEFAULT_ZOOM)), 1)) for v in values if v > 0]

    def size(self) -> int:
        """Return the bytes of data the layers carry (without their fixed labels and script)."""
        return payload_bytes(self.places) + payload_bytes(self.heat) + payload_bytes(self.choropleth)


MAX_RADIUS = 26.0


def radius(killed: float, largest: float) -> float:
    """Return the circle radius in pixels for ``killed`` when the largest place in view has ``largest``.

    Circle *area* is proportional to the toll (square-root scale), the largest circle is
    :data:`MAX_RADIUS` pixels, and places with no figures get a 3-pixel dot. The legend states the scale.
    """
    if not killed or killed <= 0 or not largest or largest <= 0:
        return 3.0
    return round(4.0 + (MAX_RADIUS - 4.0) * math.sqrt(min(1.0, float(killed) / float(largest))), 1)


def radii(killed: np.ndarray, largest: float) -> list[float]:
    """Return :func:`radius` of each toll in ``killed`` (the same floats, computed at once)."""
    if largest <= 0:
        return [3.0] * len(killed)
    with np.errstate(invalid="ignore"):
        sized = 4.0 + (MAX_RADIUS - 4.0) * np.sqrt(np.minimum(1.0, killed / float(largest)))
    return [3.0 if small else r for r, small in zip(rounded(sized, 1), (~(killed > 0)).tolist(), strict=True)]


def zoom_scale(zoom: float) -> float:
    """Return the factor circles are drawn at, at ``zoom``: half size at the opening view (zoom 8, the governorate
    framed, where places 20 km apart are 40 pixels apart), full size from zoom 10. ``incidents-map.js`` applies
    the same factor."""
    return max(0.5, min(1.0, 0.5 + 0.25 * (zoom - 8)))


def _round_down(value: float) -> int:
    """``value`` rounded down to one significant digit (1, 2, 5 × a power of ten), at least 1."""
    if value < 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    return int(max(step for step in (1, 2, 5) if step * power <= value) * power)


def figures_text(low: int, high: int, best: int | None = None, open_max: int = 0, *, more: str = "{n}+",
                 best_text: str = " (best {n})") -> str:
    """Return "12", "12–20" or "12–20+" (open maximum), with "(best 15)" when it differs from both ends.

    ``more`` and ``best_text`` are the words for an open maximum and the best estimate (``{n}`` the figure):
    the Arabic interface writes "70 فأكثر", which reads right whatever direction a renderer gives the cell
    (a table's canvas shows "70+" as "+70" in a cell holding Arabic).
    """
    text = f"{low:,}" if low == high else f"{low:,}–{high:,}"
    if open_max:
        text = more.format(n=text)
    if best is not None and best not in (low, high):
        text += best_text.format(n=f"{best:,}")
    return text


def place_id_from_popup(text: str | None) -> str | None:
    """Return the place key written at the end of a popup's visible text (what a map click returns)."""
    if not text or "Place id:" not in text:
        return None
    rest = text.rsplit("Place id:", 1)[1].split()
    return rest[0] if rest else None


def _index(codes: Sequence[str]) -> dict[str, int]:
    return {code: i for i, code in enumerate(codes)}


_ACTORS = _index(taxonomy.codes("actor"))
_TYPES = _index(taxonomy.codes("event_type"))
_GRADINGS = _index(taxonomy.codes("grading"))
_PRECISIONS = _index(taxonomy.codes("location_precision"))


def _day(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float | np.floating) and math.isnan(value)):
        return ""
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def _int(value: Any) -> int:
    return 0 if value is None or (isinstance(value, float | np.floating) and math.isnan(value)) else int(value)


class SourceTable:
    """Source names and links, each sent once and referred to by index from the popup lines."""

    def __init__(self) -> None:
        self.rows: list[list[str | None]] = []
        self.sizes: list[int] = []  # the bytes of each row as :func:`payload_bytes` counts them
        self._seen: dict[tuple[str, str | None], int] = {}

    def index(self, name: str, url: str | None) -> int:
        """Return the index of (name, url), adding it; unsafe links are dropped here (shown as text)."""
        if (name, url) not in self._seen:
            link = safe_url(url)
            safe = self._seen.setdefault((name, link), len(self.rows))
            if safe == len(self.rows):
                self.rows.append([name, link])
                self.sizes.append(3 + _item_bytes(name) + _item_bytes(link))
            self._seen[(name, url)] = safe
        return self._seen[(name, url)]


def incident_row(row: Mapping[Any, Any], sources: Sequence[tuple[str, str | None]], table: SourceTable) -> list:
    """Return one popup line: [start, end, actor, type, killed min, killed max, open, grading, [sources]]."""
    low = _int(row.get("killed_min"))
    high_value = row.get("killed_max_or_min")
    high = low if high_value is None or pd.isna(high_value) else int(high_value)
    return [_day(row.get("date_start")), _day(row.get("date_end")), _ACTORS.get(str(row.get("actor")), -1),
            _TYPES.get(str(row.get("event_type")), -1), low, high, int(bool(row.get("killed_open"))),
            _GRADINGS.get(str(row.get("grading")), -1), [table.index(n, u) for n, u in sources[:5]]]


def place_payload(places: pd.DataFrame, lines: Mapping[str, list] | None = None,
                  sources: list | None = None) -> dict:
    """Return the places as columns: key, point, both names, totals, main actor, area flag, radius, lines.

    Parameters
    ----------
    places
        :func:`incidents.analysis.aggregate.summarise_places` rows (most killed first).
    lines
        place_key → popup lines (:func:`incident_row`); places without any get an empty list.
    sources
        The :class:`SourceTable` rows the lines refer to.
    """
    lines = lines or {}

    def text(column: str) -> list[str]:
        return [v if isinstance(v, str) else "" for v in places[column].tolist()]

    def number(column: str) -> list[int]:  # as _int: missing is 0, fractions cut toward zero
        return np.nan_to_num(places[column].to_numpy(dtype="float64", na_value=np.nan)).astype(np.int64).tolist()

    def coordinate(column: str) -> list[float | None]:
        values = places[column].to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(values).tolist()
        return [None if gone else v for v, gone in zip(rounded(values, 5), missing, strict=True)]

    keys = [str(k) for k in places["place_key"].tolist()]
    killed = number("killed")
    largest = max(killed, default=0)
    return {
        "k": keys, "lat": coordinate("lat"), "lon": coordinate("lon"), "a": text("name_ar"), "e": text("name_en"),
        "n": number("n"), "lo": number("killed_min"), "hi": number("killed_max"), "b": number("killed_best"),
        "f": killed,
        "o": number("open_max"),
        "m": [_ACTORS.get(str(a), _ACTORS["unknown"]) for a in places["main_actor"].tolist()],
        "x": [int(s == "area") for s in places["place_shape"].tolist()],
        "p": [_PRECISIONS.get(str(p), _PRECISIONS["unknown"]) for p in places["precision"].tolist()],
        "r": radii(np.array(killed, dtype="float64"), largest), "L": [lines.get(k, []) for k in keys],
        "S": sources or [],
    }


def heat_points(places: pd.DataFrame, max_points: int = HEAT_MAX_POINTS) -> list[list[float]]:
    """Return ``[lat, lon, weight]`` of the point places, summed on a grid so there are at most ``max_points``.

    The grid starts at 0.01° (about 1 km, finer than the heat map's blur) and doubles until the points fit;
    weights are the square root of killed (+1, so incidents without figures still show), scaled to 0..1.
    """
    point = ((places["place_shape"] == "point") & places["lat"].notna() & places["lon"].notna()).to_numpy(dtype=bool)
    if not point.any():
        return []
    lat = places["lat"].to_numpy(dtype="float64")[point]  # the three columns only: the places have twenty
    lon = places["lon"].to_numpy(dtype="float64")[point]
    weight = np.sqrt(places["killed"].clip(lower=0).to_numpy(dtype="float64", na_value=np.nan)[point] + 1.0)
    cell = 0.01
    while True:
        index = _grid_cells(lat, lon, cell)
        if index.max(initial=-1) + 1 <= max_points:
            break
        cell *= 2

    def summed(values: np.ndarray) -> np.ndarray:
        return np.bincount(index, weights=values)

    total = summed(weight)
    centre_lat, centre_lon = summed(lat * weight) / total, summed(lon * weight) / total
    scaled = total / total.max()
    return [list(point) for point in zip(rounded(centre_lat, 4), rounded(centre_lon, 4), rounded(scaled, 3),
                                         strict=True)]


def _grid_cells(lat: np.ndarray, lon: np.ndarray, cell: float) -> np.ndarray:
    """Number the grid cells of side ``cell`` degrees that hold the points, in (y, x) order; return each point's."""
    y, x = np.floor(lat / cell).astype(np.int64), np.floor(lon / cell).astype(np.int64)
    x = x - x.min(initial=0)
    key = (y - y.min(initial=0)) * (int(x.max(initial=0)) + 1) + x
    return np.unique(key, return_inverse=True)[1].reshape(-1)


def rounded(values: np.ndarray, digits: int) -> list[float]:
    """Return ``round(value, digits)`` of each value, as Python rounds it (to the float nearest the correctly
    rounded decimal), at numpy's speed.

    ``rint(value × 10^digits) / 10^digits`` is that float wherever the product is not within its own rounding
    error of a half (the division of two exact floats is correctly rounded); values near a half, huge or not
    finite are rounded by Python.
    """
    values = np.asarray(values, dtype="float64")
    scale = 10.0**digits
    with np.errstate(over="ignore", invalid="ignore"):  # huge and non-finite values: rounded by Python below
        scaled = values * scale
        result = (np.rint(scaled) / scale).tolist()
        doubtful = ~(np.abs(scaled) < 2.0**31) | (np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6)
    for index in np.flatnonzero(doubtful).tolist():
        result[index] = round(float(values[index]), digits)
    return result


def choropleth_payload(admin: pd.DataFrame, unit_ids: Sequence[str]) -> dict:
    """Return the choropleth's columns: unit ids, incidents, killed min and max, and fill colour.

    Units without incidents are kept (filled white), so that zero is visibly zero.
    """
    by_code = {str(r["pcode"]): r for r in admin.to_dict("records")}
    breaks = _breaks([int(r["killed"]) for r in by_code.values()])
    rows = [by_code.get(code) for code in unit_ids]
    return {
        "classes": choropleth_classes(breaks, max((int(r["killed"]) for r in by_code.values()), default=0)),
        "ids": list(unit_ids),
        "n": [int(r["n"]) if r else 0 for r in rows],
        "lo": [int(r["killed_min"]) if r else 0 for r in rows],
        "hi": [int(r["killed_max"]) if r else 0 for r in rows],
        "fill": [_CHOROPLETH[sum(int(r["killed"]) > b for b in breaks)] if r and int(r["n"]) else "#ffffff"
                 for r in rows],
    }


def choropleth_classes(breaks: Sequence[float], highest: int) -> list[list]:
    """Return the colour key of the choropleth: ``[lowest killed, highest killed, colour]`` per class in use
    (a unit falls in the first class whose upper break it does not exceed), and white for no incidents."""
    edges = [0, *breaks, max(highest, 0)]
    classes: list[list] = []
    for number, colour in enumerate(_CHOROPLETH):
        low = 0 if number == 0 else int(math.floor(edges[number])) + 1
        high = int(math.floor(edges[number + 1]))
        if high >= low and (not classes or low > classes[-1][1]):
            classes.append([low, high, colour])
    return classes


def _breaks(values: list[int], classes: int = len(_CHOROPLETH)) -> list[float]:
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return [0.0] * (classes - 1)
    return [float(np.quantile(positive, q)) for q in np.linspace(0, 1, classes + 1)[1:-1]]


def labels(lang: str = "en", profile: str | None = None) -> dict:
    """Return what the browser needs to write tooltips and popups: words, vocabulary labels, colours."""
    return {
        "w": _WORDS.get(lang, _WORDS["en"]),
        "actors": [taxonomy.label("actor", c, lang) for c in _ACTORS],
        "colours": [actor_colour(c) for c in _ACTORS],
        "types": [taxonomy.label("event_type", c, lang) for c in _TYPES],
        "gradings": [taxonomy.label("grading", c, lang) for c in _GRADINGS],
        "precisions": [taxonomy.label("location_precision", c, lang).lower() for c in _PRECISIONS],
        # an incident located only to the governorate is drawn as a neutral outline, never a tinted governorate
        "governorate": _PRECISIONS["governorate"],
        "profile": profile,
    }


#: Columns of the prepared frame that the map's popup lines read.
POPUP_COLUMNS = ["uid", "date_start", "date_end", "place_key", "actor", "event_type", "killed_min",
                 "killed_max_or_min", "killed_open", "grading"]


def build_selection_map_data(engine: Engine, where: Where, summary: pd.DataFrame, figure: str, *,
                             unit_ids: Sequence[str] = (), profile: str | None = None, lang: str = "en",
                             base_size: int = 0) -> MapData:
    """Return the map's data layers for the incidents of the engine's prepared frame that ``where`` selects.

    Parameters
    ----------
    engine, where
        The engine of the prepared frame (:class:`incidents.analysis.engine.Engine`) and the selection.
    summary, figure
        The selection's per-place summary (:meth:`~incidents.analysis.engine.Engine.summarise_places`) and the
        figure the totals use.
    unit_ids, profile, lang, base_size
        As :func:`build_map_data`.
    """
    frame = engine.frame
    row_of: dict[str, int] = {}
    # the newest incidents of each place are asked of the engine at once, for the longest lists the budget could
    # hold: the query runs (DuckDB, without the GIL) while the layers are built, and is rarely asked again
    counts = summary["n"].to_numpy(dtype="int64") if len(summary) else np.zeros(0, dtype="int64")
    upper = _longest(counts, PAYLOAD_BUDGET - base_size - LAYER_OVERHEAD)
    engine.ready(where)  # the search text built here: the worker only queries
    # no place selected: no popup lines, hence no query
    pending = _BACKGROUND.submit(engine.latest_rows, where, upper if len(summary) else 0)

    def latest(limit: int) -> pd.DataFrame:  # called once, for the longest list length that can fit the budget
        # a query not started (every worker busy with other sessions' maps) is run here rather than waited for
        rows = engine.latest_rows(where, limit) if limit > upper or pending.cancel() else pending.result()
        columns = frame.columns.get_indexer(pd.Index(POPUP_COLUMNS))
        table: pd.DataFrame = frame.iloc[rows, columns]  # only the columns needed (the first ``limit`` of each place)
        row_of.update(zip(table["uid"].astype(str).tolist(), rows.tolist(), strict=True))
        return table

    def sources_of(uids: Sequence[str]) -> list[list[tuple[str, str | None]]]:  # of the lines a popup lists
        return engine.sources(np.array([row_of[uid] for uid in uids], dtype=np.int64))

    try:
        admin = engine.summarise_admin(where, "admin3", figure)
        return build_map_data(summary, latest, sources_of, admin=admin, unit_ids=unit_ids, profile=profile,
                              lang=lang, base_size=base_size)
    finally:
        if not pending.cancel():  # a query not started never will (a cancelled one waits for no worker)
            futures.wait([pending])  # no query outlives the call


#: Runs the map's query of newest incidents beside the building of the layers. Made at import but costs nothing
#: until used: the executor starts its threads at the first submissions, one per query waiting, at most four;
#: shared by every session (a map whose query finds the workers busy runs it itself).
_BACKGROUND = futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="map-latest")


def build_map_data(places: pd.DataFrame, latest: pd.DataFrame | Callable[[int], pd.DataFrame],
                   sources_of: SourcesOf, *,
                   admin: pd.DataFrame, unit_ids: Sequence[str] = (), profile: str | None = None,
                   lang: str = "en", budget: int = PAYLOAD_BUDGET, base_size: int = 0) -> MapData:
    """Return the data layers for the places, with popup lists as long as the payload budget allows.

    Parameters
    ----------
    places
        Per-place summary (most killed first).
    latest
        The newest incidents of each place, newest first: a frame with at least ``POPUP_LIMITS[0]`` per
        place, or a function ``limit → frame`` (called once, for the longest list length that can fit).
    sources_of
        incident uids → [(source name, url)] of each (asked only for the incidents a popup may list).
    admin, unit_ids
        Per-unit totals (:func:`incidents.analysis.aggregate.summarise_admin`) and the choropleth's unit ids.
    profile
        URL prefix of the place profile; the place key is appended (None: no link).
    budget, base_size
        Byte budget of the whole map and what the base map already uses.

    Notes
    -----
    Every place gets the longest list of :data:`POPUP_LIMITS` that fits; if none does, the most-killed
    places get short lists and the others none (``popup_places`` says how many have one). When even the
    places without lists do not fit, the least-killed places are left out and counted in ``dropped_places``
    (the heat map, choropleth and table still hold them). The popup lines are built once, for the longest
    list that can fit, and shorter lists are cut from them.
    """
    bare_places = place_payload(places)
    data = MapData(places=bare_places, heat=heat_points(places), choropleth=choropleth_payload(admin, unit_ids),
                   labels=labels(lang, profile))
    room = budget - base_size - LAYER_OVERHEAD - payload_bytes(data.heat) - payload_bytes(data.choropleth)
    bare = payload_bytes(bare_places)
    if bare > room:
        return _drop_places(data, places, room)
    counts = places["n"].to_numpy(dtype="int64") if len(places) else np.zeros(0, dtype="int64")
    limits = _list_lengths(counts, room - bare)
    longest = _longest(counts, room - bare)
    frame = latest(longest) if callable(latest) else latest
    if limits and bare + _lists_floor(places, frame, limits[-1], sources_of) > room:
        limits = []  # not even the shortest lists fit every place: straight to short lists for the most killed
    reach = len(places) if limits else _reach(counts, _PARTIAL_LIMIT, room - bare)
    lines = popup_lines(places, frame, longest, sources_of, first=reach)
    for limit in limits:
        payload = _payload_with(bare_places, bare, lines, limit, room)
        if payload is not None:
            data.places, data.popup_limit, data.popup_places = payload, limit, len(places)
            return data
    return _partial_lists(data, lines, room, bare)


def _list_lengths(counts: np.ndarray, room: int) -> list[int]:
    """The list lengths of :data:`POPUP_LIMITS` that can fit in ``room`` bytes, at a low guess of a line's bytes
    (:data:`LINE_BYTES_GUESS`): the others are never built. ``counts``: each place's incidents."""
    return [lim for lim in POPUP_LIMITS if lim > 0 and int(np.minimum(counts, lim).sum()) * LINE_BYTES_GUESS <= room]


def _longest(counts: np.ndarray, room: int) -> int:
    """The longest lists whose lines are made (:func:`_list_lengths`; short lists for the most-killed places when
    none fits)."""
    return max([*_list_lengths(counts, room)[:1], _PARTIAL_LIMIT])


def _reach(counts: np.ndarray, limit: int, room: int) -> int:
    """How many places (most killed first) lists of ``limit`` lines can reach in ``room`` bytes, at the guess of
    :data:`LINE_BYTES_GUESS` a line, and one more: how many places' lines to convert first."""
    spent = np.cumsum(np.minimum(counts, limit)) * LINE_BYTES_GUESS
    return int(np.searchsorted(spent, room, side="right")) + 1


def _lists_floor(places: pd.DataFrame, latest: pd.DataFrame, limit: int, sources_of: SourcesOf) -> int:
    """A lower bound of the bytes that lists of ``limit`` lines for every place add to the places payload
    (:func:`_payload_with`), from each place's first ``limit`` rows of ``latest`` alone (about a row per place
    when ``limit`` is 1): each row's fields (:func:`_fields_floor`), its source numbers at one digit each,
    the commas between a place's rows, and no source table. Never above the real bytes, so a list length it rules
    out is one :func:`_payload_with` would have refused, after converting and numbering every place's lines
    (10-15 ms at 1M incidents for a date range whose lists of 1 miss the budget by a few kilobytes)."""
    if not len(latest) or not len(places) or limit <= 0:
        return 0
    codes, uniques = _place_codes(latest["place_key"])
    codes[codes < 0] = len(uniques)  # no place: a group of their own, which no place asks for
    order = np.argsort(codes, kind="stable")  # by place, each in the order of ``latest`` (newest first)
    counts = np.bincount(codes, minlength=len(uniques) + 1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    ranks = np.arange(len(order)) - starts[codes[order]]
    chosen = order[(ranks < limit) & (codes[order] < len(uniques))]  # a place's first ``limit`` rows
    rows = latest.iloc[chosen]
    claims = np.minimum([len(s) for s in sources_of(rows["uid"].astype(str).tolist())], 5)
    sizes = _fields_floor(rows) + np.where(claims > 0, 2 * claims + 1, 2)  # [0] [0,1] ... or []
    per_place = np.bincount(codes[chosen], weights=sizes, minlength=len(uniques))
    lines = np.bincount(codes[chosen], minlength=len(uniques))
    keys = np.array([str(k) for k in places["place_key"].tolist()], dtype=object)
    group = pd.Index(uniques, dtype=object).get_indexer(pd.Index(keys, dtype=object))
    group = group[group >= 0]
    return int(per_place[group].sum()) + int(np.maximum(lines[group] - 1, 0).sum())


#: The sources of incidents: their uids → [(source name, url)] of each.
SourcesOf = Callable[[list[str]], Sequence[Sequence[tuple[str, str | None]]]]

#: A low guess of one popup line's bytes, to skip list lengths that cannot fit without building them.
LINE_BYTES_GUESS = 40
_PARTIAL_LIMIT = 3


class Line(NamedTuple):  # a tuple: made for every incident a popup may list
    """One incident of a popup before its sources are numbered: the row of :func:`incident_row` without its
    last item, the incident's sources, and the bytes of the row without its list of source numbers (``size``:
    brackets and commas included)."""

    fields: Sequence
    sources: Sequence[tuple[str, str | None]]
    size: int


def popup_lines(places: pd.DataFrame, latest: pd.DataFrame, limit: int, sources_of: SourcesOf,
                first: int = 0) -> PopupLines:
    """Return the popup lines of every place (in the places' order), at most ``limit`` each, newest first.

    The same lines as :func:`incident_row` gives row by row, with the columns converted at once (dates are
    formatted by numpy, vocabulary codes looked up per category), the ``first`` places' at the first reading, the
    others in chunks as they are read (:class:`PopupLines`).
    """
    return PopupLines(places, latest, limit, sources_of, first)


class PopupLines(Sequence[list[Line]]):
    """The popup lines of each place (:func:`popup_lines`), converted the first time they are read: the ``first``
    places' at once, then chunks of at least :data:`LINES_CHUNK` places. When the budget gives lists only to the
    most-killed places, the lines of the others are never made (at 1M incidents, a few hundred places of 1,250
    get a list); each conversion costs a millisecond besides its lines, hence few, large chunks."""

    def __init__(self, places: pd.DataFrame, latest: pd.DataFrame, limit: int, sources_of: SourcesOf,
                 first: int = 0) -> None:
        self._latest, self._sources_of, self._chunk = latest, sources_of, max(first, LINES_CHUNK)
        self._keys = places["place_key"].astype(str).tolist()
        self._built: list[list[Line]] = []
        # each place's first ``limit`` rows of ``latest``, in its order: rows at order[starts[g]:ends[g]] for group g
        codes, uniques = _place_codes(latest["place_key"])
        codes[codes < 0] = len(uniques)  # no place: a group of their own, which no place asks for
        self._order = np.argsort(codes, kind="stable")
        counts = np.bincount(codes, minlength=len(uniques) + 1)
        self._starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self._ends = self._starts + np.minimum(counts, max(limit, 0))
        self._group = pd.Index(uniques, dtype=object).get_indexer(pd.Index(self._keys, dtype=object))

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> list[Line]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[Line]]: ...

    def __getitem__(self, index: int | slice) -> list[Line] | list[list[Line]]:
        wanted = range(len(self))[index]
        if isinstance(wanted, int):
            self._build_to(wanted + 1)
        elif len(wanted):  # the highest place asked for (a negative step asks for it first)
            self._build_to(max(wanted[0], wanted[-1]) + 1)
        return self._built[index]

    def __iter__(self) -> Iterator[list[Line]]:
        for number in range(len(self)):
            yield self[number]

    def _build_to(self, end: int) -> None:
        """Convert the lines of the places up to ``end`` (and the rest of their chunk)."""
        while len(self._built) < min(end, len(self)):
            first = len(self._built)
            self._built.extend(self._convert(range(first, min(first + self._chunk, len(self)))))
            self._chunk = max(LINES_CHUNK, len(self._built))  # the next chunk as large as all before it

    def _convert(self, numbers: range) -> list[list[Line]]:
        groups = self._group[numbers.start:numbers.stop]
        found = groups >= 0
        starts = np.where(found, self._starts[groups], 0)
        counts = np.where(found, self._ends[groups] - starts, 0)
        ends = np.cumsum(counts)
        if not len(ends) or not ends[-1]:
            return [[] for _ in numbers]
        # the rows of each place in turn: order[starts[i]:starts[i] + counts[i]] for the i-th place
        positions = self._order[np.repeat(starts - (ends - counts), counts) + np.arange(ends[-1])]
        rows = self._latest.iloc[positions]
        columns = _line_columns(rows)
        sources = self._sources_of(rows["uid"].astype(str).tolist())
        lines = list(map(Line, zip(*columns, strict=True), sources, _line_bytes(columns).tolist()))
        return [lines[end - count:end] for end, count in zip(ends.tolist(), counts.tolist(), strict=True)]


def _place_codes(keys: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Number the place keys of popup rows: each row's number (-1: none) and the keys numbered, as strings."""
    if isinstance(keys.dtype, pd.CategoricalDtype):  # the prepared frame's: numbered already
        return keys.cat.codes.to_numpy().astype(np.int64), pd.Index(keys.cat.categories.astype(str), dtype=object)
    codes, uniques = pd.factorize(pd.Index(keys.astype(str).tolist(), dtype=object))
    return np.asarray(codes, dtype=np.int64).copy(), pd.Index(uniques, dtype=object)


#: How many places' popup lines :class:`PopupLines` converts at a time.
LINES_CHUNK = 128


def _line_columns(latest: pd.DataFrame) -> list[list]:
    """The columns of :func:`incident_row` for every row of ``latest``: start, end, actor, type, killed min and
    max (the minimum when no maximum was given), open maximum, grading."""
    actor, kind, low, high, opened, grading = _number_columns(latest)
    return [_days(latest["date_start"]), _days(latest["date_end"]), actor, kind, low, high, opened, grading]


def _number_columns(latest: pd.DataFrame) -> list[list[int]]:
    """The integer columns of :func:`_line_columns`: actor, type, killed min and max, open maximum, grading."""
    low = np.nan_to_num(latest["killed_min"].to_numpy(dtype="float64")).astype(np.int64)
    high = latest["killed_max_or_min"].to_numpy(dtype="float64")
    high = np.where(np.isnan(high), low, np.nan_to_num(high)).astype(np.int64)
    flags = latest["killed_open"]
    opened = flags.to_numpy() if flags.dtype == bool else flags.fillna(False).astype(bool).to_numpy()
    return [_indices(latest["actor"], _ACTORS), _indices(latest["event_type"], _TYPES), low.tolist(), high.tolist(),
            opened.astype(int).tolist(), _indices(latest["grading"], _GRADINGS)]


def _fields_floor(latest: pd.DataFrame) -> np.ndarray:
    """A lower bound of :func:`_line_bytes` for each row of ``latest``, without writing its dates: a date numpy
    holds is at least ``"YYYY-MM-DD"`` (12 bytes; a missing one ``""``), other dates are written as
    :func:`_days` does. The integers are counted exactly."""
    size = 2 + 8 + _line_bytes(_number_columns(latest)) - (2 + 6)  # brackets and the 8 commas, once
    for column in ("date_start", "date_end"):
        values = latest[column]
        if values.dtype.kind == "M":
            size += np.where(np.isnat(values.to_numpy()), 2, 12)
        else:
            size += _line_bytes([_days(values)]) - 3
    return size


def _line_bytes(columns: list[list]) -> np.ndarray:
    """The bytes of each popup row written as JSON without its list of source numbers: ``[`` and ``]``,
    each field and the comma after it (dates as strings, the other fields as integers)."""
    size = np.full(len(columns[0]), 2 + len(columns), dtype=np.int64)
    for values in columns:
        if values and isinstance(values[0], str):
            if _PLAIN.fullmatch("".join(values)):  # dates: nothing to escape, 1 byte a letter, 2 quotes
                size += np.char.str_len(np.asarray(values, dtype=str)) + 2
            else:
                known = {value: text_bytes(value) for value in set(values)}
                size += np.array([known[value] for value in values], dtype=np.int64)
        elif values:
            size += _digits(np.asarray(values, dtype=np.int64))
    return size


def _digits(values: np.ndarray) -> np.ndarray:
    """The letters of each integer written in decimal (with its minus sign)."""
    return np.searchsorted(_POWERS, np.abs(values), side="right") + 1 + (values < 0)


_POWERS = 10 ** np.arange(1, 19, dtype=np.int64)


#: Text that JSON and :func:`dumps` write as it stands, one byte a letter: printable ASCII but for the quote,
#: the backslash, ``<>&`` and ``{`` (which :func:`dumps` escapes before a Jinja tag).
_PLAIN = re.compile(r"[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7a\x7c-\x7e]*")


def _days(values: pd.Series) -> list[str]:
    """Dates as ``YYYY-MM-DD`` ("" when missing), as :func:`_day` writes one."""
    if values.dtype.kind != "M":
        return [_day(v) for v in values.tolist()]
    days = values.to_numpy().astype("datetime64[D]")
    return np.where(np.isnat(days), "", np.datetime_as_string(days, unit="D")).tolist()


def _indices(values: pd.Series, index: Mapping[str, int]) -> list[int]:
    """Vocabulary positions of ``values`` (-1 for codes outside the vocabulary), looked up once per value."""
    uniques: Any  # a list of categories, or the Index factorize gives
    if isinstance(values.dtype, pd.CategoricalDtype):  # the prepared frame's: looked up per category
        uniques = [*values.cat.categories.tolist(), "None"]  # a missing value (code -1) is "None", as below
        codes = values.cat.codes.to_numpy()
    else:
        codes, uniques = pd.factorize(values.astype(object).fillna("None"))
    table = np.array([index.get(str(u), -1) for u in uniques], dtype=np.int64)
    return table[codes].tolist()  # code -1: the last entry


def _numbered(place_lines: list[Line], limit: int, table: SourceTable) -> tuple[list[list], int]:
    """The popup rows of one place (at most ``limit``), its sources numbered in ``table`` (in order of first
    use), and the bytes of the list of rows as :func:`payload_bytes` counts them."""
    rows, size = [], 0
    for line in place_lines[:limit]:
        numbers = [table.index(n, u) for n, u in line.sources[:5]]
        rows.append([*line.fields, numbers])
        size += line.size + _ints_bytes(numbers)
    return rows, _list_bytes(size, len(rows))


def _payload_with(bare: dict, bare_size: int, lines: Sequence[list[Line]], limit: int, room: int) -> dict | None:
    """The places payload (:func:`place_payload` without lines; ``bare_size`` its bytes) with up to ``limit``
    lines for every place, or None when its bytes as :func:`payload_bytes` counts them (the lists replace ``[]``
    in the bare payload) exceed ``room``: known as soon as the places measured so far exceed it, since each
    place only adds bytes."""
    table = SourceTable()
    rows, size, sources = [], bare_size, 0
    for place_lines in lines:
        before = len(table.rows)
        place_rows, place_size = _numbered(place_lines, limit, table)
        rows.append(place_rows)
        size += place_size - 2
        sources += sum(table.sizes[before:])
        if size + _list_bytes(sources, len(table.rows)) - 2 > room:
            return None
    return {**bare, "L": rows, "S": table.rows}


def _partial_lists(data: MapData, lines: Sequence[list[Line]], room: int, bare: int) -> MapData:
    """Give the most-killed places short lists, as many places as fit.

    Each place's lines (and the sources it is first to use) are measured once, most killed first, until the
    budget is spent (``bare``: the bytes of the places without lines). The places measured before the one that
    does not fit keep the rows and source numbers the walk gave them (a fresh table numbering the same lines in
    the same order numbers them alike), with the sources they use: their bytes are those counted, less one comma.
    """
    table = SourceTable()
    total = bare
    rows: list[list[list]] = []
    used = 0  # sources of the places that fit
    for place_lines in lines:
        before = len(table.rows)
        place_rows, size = _numbered(place_lines, _PARTIAL_LIMIT, table)
        total += size - 2  # "[]" is already in the bare payload
        total += sum(source + 1 for source in table.sizes[before:])
        if total > room:
            break
        rows.append(place_rows)
        used = len(table.rows)
    if rows:
        top = len(rows)
        data.places = {**data.places, "L": rows + [[] for _ in range(len(data.places["k"]) - top)],
                       "S": table.rows[:used]}
        data.popup_limit, data.popup_places = _PARTIAL_LIMIT, top
    return data


def _drop_places(data: MapData, places: pd.DataFrame, room: int) -> MapData:
    """Keep the most-killed places (without incident lists) that fit in ``room`` bytes."""
    low, high = 0, len(places)
    while low < high:  # the largest prefix that fits (sizes grow with the prefix)
        middle = (low + high + 1) // 2
        if payload_bytes(place_payload(places.iloc[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    data.places = place_payload(places.iloc[:low])
    data.dropped_places = len(places) - low
    data.popup_limit = 0
    return data


# -- overlays ---------------------------------------------------------------------------------------------


class _Rendered(Element):
    """Text already rendered by a template, written out as it is.

    branca wraps each rendered macro of an element in an ``Element(template=text)``, compiling the text as a
    Jinja template once more: for a data layer's hundreds of kilobytes of JSON that is about 40 ms per map
    (each rerun of a map page), and it reads any ``{{`` in the data as Jinja (:func:`dumps` escapes those too).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


class _PlainMacros(MacroElement):
    """A MacroElement whose rendered header, html and script go into the figure as :class:`_Rendered` text."""

    def render(self, **kwargs: object) -> None:  # type: ignore[override]  # as MacroElement.render: adds, returns nothing
        figure: Any = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Rendered(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _DataLayer(JSCSSMixin, _PlainMacros):
    """A layer drawn by ``static/incidents-map/incidents-map.js`` from compact data (one folium object)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = IncidentsMap.{{ this.kind }}({{ this._parent.get_name() }}, {{ this.data }},
            {{ this.labels }});
        {% endmacro %}
    """)

    def __init__(self, kind: str, data: object, labels_: dict | None, assets: Assets) -> None:
        super().__init__()
        self._name = "IncidentsLayer"
        self.kind = kind
        self.data = dumps(data)
        self.labels = dumps(labels_)
        _localise(self, assets.map_js)


def build_overlays(data: MapData, layers: Iterable[str] = ("places",), assets: Assets = Assets()) -> list:
    """Return one FeatureGroup per chosen data layer (``places``, ``heat``, ``choropleth``), bottom first."""
    chosen = set(layers)
    unknown = chosen - set(LAYERS)
    if unknown:
        raise MapBuildError(f"layers must be among {', '.join(LAYERS)}, instead got: {sorted(unknown)}")
    groups = []
    if "choropleth" in chosen and data.choropleth.get("ids"):
        group = folium.FeatureGroup(name="choropleth", control=False)
        _DataLayer("choropleth", data.choropleth, data.labels, assets).add_to(group)
        groups.append(group)
    if "heat" in chosen and data.heat:
        group = folium.FeatureGroup(name="heat", control=False)
        heat = folium.plugins.HeatMap(data.heat, radius=22, blur=18, min_opacity=0.35, max_zoom=11)
        _localise(heat, assets.heat_js)
        heat.add_to(group)
        groups.append(group)
    if "places" in chosen and data.count:
        group = folium.FeatureGroup(name="places", control=False)
        _DataLayer("places", data.places, data.labels, assets).add_to(group)
        groups.append(group)
    return groups


def profile_prefix(base: str, query: Mapping[str, str]) -> str:
    """Return the place-profile URL prefix carrying the filter's query string (the place key is appended)."""
    return f"{base}?{urlencode({**query, 'place': ''})}"


#: the popups' and tooltips' words, per language: the [mapping] table of the catalogue
_WORDS = {lang: messages.words("mapping", lang) for lang in ("en", "ar")}
