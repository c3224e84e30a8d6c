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
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import folium
import folium.plugins
import numpy as np
import pandas as pd
from jinja2.utils import htmlsafe_json_dumps

from incidents import taxonomy
from incidents.aggregate import actor_colour

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


class MapBuildError(ValueError):
    """A map could not be built from what was given (e.g. a location that is not two numbers)."""


# -- escaping ---------------------------------------------------------------------------------------------


_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def esc(value: object) -> str:
    """Return ``value`` as text safe inside HTML content and attributes, and inside a JS template literal.

    folium writes some tooltips into backtick strings (``bindTooltip(`<div>…</div>`)``), where a backtick or
    ``${`` would end the string or run code, so those are written as HTML entities too.
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


@dataclass(frozen=True)
class Assets:
    """Where the browser loads Leaflet and its plugins from (served by Streamlit's static serving)."""

    prefix: str = "/app/static"

    @property
    def js(self) -> list[tuple[str, str]]:
        """Leaflet's script."""
        return [("leaflet", f"{self.prefix}/leaflet/leaflet.js")]

    @property
    def css(self) -> list[tuple[str, str]]:
        """Leaflet's style sheet."""
        return [("leaflet_css", f"{self.prefix}/leaflet/leaflet.css")]

    @property
    def heat_js(self) -> list[tuple[str, str]]:
        """The heat-map plugin."""
        return [("leaflet-heat.js", f"{self.prefix}/leaflet-heat/leaflet-heat.js")]


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
                   focus: str | None = "SY09") -> folium.Map:
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
        Id of the governorate drawn brighter (the others are context); districts are labelled.
    """
    if tiles not in ("offline", "osm"):
        raise MapBuildError(f"tiles must be 'offline' or 'osm', instead got: {tiles!r}")
    fmap = folium.Map(location=list(DEFAULT_CENTER), zoom_start=DEFAULT_ZOOM, tiles=None, control_scale=True,
                      prefer_canvas=True, min_zoom=6, max_zoom=14)
    _localise(fmap, assets.js, assets.css)
    root: Any = fmap.get_root()
    root.header.add_child(folium.Element(
        "<style>.leaflet-container{background:#d9dcdf;font-family:'Source Sans Pro','DejaVu Sans',sans-serif}"
        ".leaflet-tooltip,.leaflet-popup-content{unicode-bidi:plaintext}"
        ".im-pop{max-height:260px;overflow-y:auto;min-width:220px}.im-pop ul{padding-inline-start:16px;margin:4px 0}"
        ".im-pop li{margin-bottom:3px}.im-muted{color:#666;font-size:11px}</style>"))
    if tiles == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=True, control=True,
                         show=True).add_to(fmap)
    for level in BOUNDARY_LEVELS:
        collection = boundaries.get(level)
        if collection and collection.get("features"):
            _boundary_layer(level, collection, lang, focus).add_to(fmap)
    for feature in (boundaries.get("district") or {}).get("features", []):
        _area_label(feature["properties"], lang).add_to(fmap)
    if tiles == "osm":
        folium.LayerControl(collapsed=True).add_to(fmap)
    if bounds is not None:
        fmap.fit_bounds([list(bounds[0]), list(bounds[1])])
    return fmap


_LEVEL_LABEL = {"governorate": ("Governorate", "محافظة"), "district": ("District", "منطقة"),
                "subdistrict": ("Sub-district", "ناحية")}


def _boundary_layer(level: str, collection: dict, lang: str, focus: str | None) -> folium.GeoJson:
    label_en, label_ar = _LEVEL_LABEL[level]
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        note = " <i>(approximate area)</i>" if props.get("approximate") else ""
        tip = (f'<div dir="auto">{esc(label_ar if lang == "ar" else label_en)}: '
               f'{bilingual(props.get("name_ar"), props.get("name_en"))}{note}</div>')
        style = _BOUNDARY_STYLE["focus" if level == "governorate" and props.get("id") == focus else level]
        features.append({**feature, "properties": {"tip": tip, "style": style}})
    layer = folium.GeoJson({"type": "FeatureCollection", "features": features}, name=f"{label_en} boundaries",
                           tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
                           control=False, interactive=level == "subdistrict")
    return layer


def _area_label(props: Mapping[str, Any], lang: str) -> folium.Marker:
    """A quiet text label (both names) at a point inside an admin area: orientation without tiles."""
    first, second = (props.get("name_ar"), props.get("name_en")) if lang == "ar" else \
        (props.get("name_en"), props.get("name_ar"))
    text = "<br>".join(f'<span dir="auto">{esc(n)}</span>' for n in (first, second) if n)
    html_label = (f'<div style="font-size:11px;color:#555;text-align:center;white-space:nowrap;'
                  f'transform:translate(-50%,-50%);text-shadow:0 0 3px #fff">{text}</div>')
    return folium.Marker(props["label_at"], icon=folium.DivIcon(html=html_label, icon_size=(0, 0)),
                         interactive=False)


# -- map data: features, heat points, choropleth, fitted to the budget ------------------------------------


@dataclass
class MapData:
    """What the data layers draw, already fitted to the payload budget."""

    places: dict  # FeatureCollection: one feature per place (points and areas)
    heat: list[list[float]]
    choropleth: dict
    popup_limit: int = 0
    dropped_places: int = 0
    notes: list[str] = field(default_factory=list)

    def size(self) -> int:
        """Return the bytes of JSON the data layers carry."""
        return len(dumps(self.places)) + len(dumps(self.heat)) + len(dumps(self.choropleth))


def dumps(value: object) -> str:
    """Return ``value`` serialised as folium embeds it in the page (Jinja's ``tojson``): what the payload
    budget measures. Non-ASCII and ``<>&'`` become ``\\uXXXX`` escapes there, so Arabic and markup count 6×."""
    return str(htmlsafe_json_dumps(value))


def radius(killed: float) -> float:
    """Return the circle radius in pixels for ``killed`` (area grows with the toll; 3 px for none)."""
    if not killed or killed <= 0:
        return 3.0
    return round(min(40.0, 4.0 + 2.0 * math.sqrt(float(killed))), 1)


def figures_text(low: int, high: int, best: int | None = None, open_max: int = 0) -> str:
    """Return "12", "12–20" or "12–20+" (open maximum), with "(best 15)" when it differs from both ends."""
    text = f"{low:,}" if low == high else f"{low:,}–{high:,}"
    if open_max:
        text += "+"
    if best is not None and best not in (low, high):
        text += f" (best {best:,})"
    return text


def tooltip_html(place: Mapping[Any, Any], lang: str = "en") -> str:
    """Return the escaped tooltip of a place: both names and its totals."""
    words = _WORDS[lang]
    killed = figures_text(int(place["killed_min"]), int(place["killed_max"]), int(place["killed_best"]),
                          int(place.get("open_max", 0)))
    area = f'<br><i>{esc(words["area"].format(p=_precision_label(place, lang)))}</i>' \
        if place.get("place_shape") == "area" else ""
    actor = taxonomy.label("actor", place.get("main_actor"), lang)
    return (f'<div dir="auto"><b>{bilingual(place.get("name_ar"), place.get("name_en"))}</b>{area}<br>'
            f'{esc(words["incidents"].format(n=int(place["n"])))} · {esc(words["killed"])} {_ltr(killed)}<br>'
            f'{esc(words["main_actor"])}: {esc(actor)}</div>')


def _precision_label(place: Mapping[Any, Any], lang: str) -> str:
    return taxonomy.label("location_precision", str(place.get("precision") or "unknown"), lang).lower()


def incident_line(row: Mapping[Any, Any], sources: Sequence[tuple[str, str | None]], lang: str = "en") -> str:
    """Return one escaped popup line: date, actor, type, killed min–max, grading, source links."""
    day = _date_text(row.get("date_start"))
    end = _date_text(row.get("date_end"))
    if end and end != day:
        day = f"{day} – {end}"
    killed_min = row.get("killed_min")
    low = 0 if killed_min is None or pd.isna(killed_min) else int(killed_min)
    high_value = row.get("killed_max_or_min")
    high = low if high_value is None or pd.isna(high_value) else int(high_value)
    killed = figures_text(low, high, None, int(bool(row.get("killed_open"))))
    links = ", ".join(_source_link(name, url) for name, url in sources[:4])
    if len(sources) > 4:
        links += f" +{len(sources) - 4}"
    words = _WORDS[lang]
    return (f'<li dir="auto">{_ltr(day)} · {esc(taxonomy.label("actor", _code(row.get("actor")), lang))} · '
            f'{esc(taxonomy.label("event_type", _code(row.get("event_type")), lang))} · '
            f'{esc(words["killed"])} {_ltr(killed)} · '
            f'{esc(taxonomy.label("grading", _code(row.get("grading")), lang))}'
            f'{"<br><span class=im-muted>" + links + "</span>" if links else ""}</li>')


def _code(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _date_text(value: object) -> str:
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def _source_link(name: str, url: str | None) -> str:
    link = safe_url(url)
    label = f'<span dir="auto">{esc(name) or "source"}</span>'
    if link is None:
        return label
    return f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer nofollow">{label}</a>'


def popup_html(place: Mapping[Any, Any], incidents: Sequence[Mapping[Any, Any]],
               sources_of: Callable[[str], Sequence[tuple[str, str | None]]], *, profile_url: str | None,
               lang: str = "en") -> str:
    """Return the escaped popup body of a place: its latest incidents, how many more, a profile link, its id.

    ``incidents`` are the latest few (already capped). The map shows the tooltip (names and totals) above
    this body, so the names are not sent twice.
    """
    words = _WORDS[lang]
    lines = "".join(incident_line(row, sources_of(str(row.get("uid"))), lang) for row in incidents)
    more = int(place["n"]) - len(incidents)
    more_text = f'<div class=im-muted>{esc(words["more"].format(n=more))}</div>' if more > 0 else ""
    link = (f'<div><a href="{esc(profile_url)}" target="_top">{esc(words["profile"])}</a></div>'
            if profile_url else "")
    return (f'<div class="im-pop" dir="auto">'
            f'{"<ul>" + lines + "</ul>" if lines else ""}{more_text}{link}'
            f'<div class=im-muted>{esc(words["place_id"])}: <span dir="ltr">{esc(place["place_key"])}</span>'
            f'</div></div>')


def place_id_from_popup(text: str | None) -> str | None:
    """Return the place key written at the end of a popup's visible text (what a map click returns)."""
    if not text:
        return None
    for label in {w["place_id"] for w in _WORDS.values()}:
        marker = f"{label}:"
        if marker in text:
            return text.rsplit(marker, 1)[1].strip().split()[0] if text.rsplit(marker, 1)[1].strip() else None
    return None


def place_style(place: Mapping[Any, Any], has_area: bool) -> dict:
    """Return the Leaflet style of a place: colour by main actor, radius by killed, areas hatched-looking."""
    colour = actor_colour(place.get("main_actor"))
    if place.get("place_shape") == "area" and has_area:
        return {"color": colour, "weight": 2, "dashArray": "6 4", "fill": True, "fillColor": colour,
                "fillOpacity": 0.12}
    style = {"radius": radius(place["killed"]), "color": "#222222", "weight": 1, "fill": True, "fillColor": colour,
             "fillOpacity": 0.75}
    if place.get("place_shape") == "area":  # an area we have no outline for: drawn hollow, never as a point
        style.update({"fillOpacity": 0.08, "color": colour, "weight": 2, "dashArray": "4 3"})
    return style


def place_features(places: pd.DataFrame, popups: Mapping[str, str], areas: Mapping[str, dict],
                   lang: str = "en") -> dict:
    """Return one GeoJSON feature per place: a point, or the admin area for coarse locations.

    Parameters
    ----------
    places
        :func:`incidents.aggregate.summarise_places` rows.
    popups
        place_key → popup HTML (already escaped); places without one get no popup text.
    areas
        P-code → GeoJSON geometry of admin units, for area places.
    """
    features: list[dict[str, Any]] = []
    for place in places.to_dict("records"):
        key = str(place["place_key"])
        geometry = areas.get(key) if place.get("place_shape") == "area" else None
        if geometry is None:
            if pd.isna(place.get("lat")) or pd.isna(place.get("lon")):
                continue
            geometry = {"type": "Point", "coordinates": [round(float(place["lon"]), 5),
                                                         round(float(place["lat"]), 5)]}
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "key": key, "tip": tooltip_html(place, lang), "pop": popups.get(key, ""),
            "style": place_style(place, has_area=geometry["type"] != "Point"),
        }})
    # Areas first so that points stay clickable above them.
    features.sort(key=lambda f: f["geometry"]["type"] == "Point")
    return {"type": "FeatureCollection", "features": features}


def heat_points(places: pd.DataFrame, max_points: int = HEAT_MAX_POINTS) -> list[list[float]]:
    """Return ``[lat, lon, weight]`` of the point places, summed on a grid so there are at most ``max_points``.

    The grid starts at 0.01° (about 1 km, finer than the heat map's blur) and doubles until the points fit;
    weights are the square root of killed (+1, so incidents without figures still show), scaled to 0..1.
    """
    points = places[(places["place_shape"] == "point") & places["lat"].notna() & places["lon"].notna()]
    if points.empty:
        return []
    lat = points["lat"].to_numpy(dtype="float64")
    lon = points["lon"].to_numpy(dtype="float64")
    weight = np.sqrt(points["killed"].clip(lower=0).to_numpy(dtype="float64") + 1.0)
    cell = 0.01
    while True:
        cells = pd.DataFrame({"y": np.floor(lat / cell), "x": np.floor(lon / cell), "w": weight,
                              "lat": lat * weight, "lon": lon * weight})
        grouped = cells.groupby(["y", "x"], sort=True).sum()
        if len(grouped) <= max_points:
            break
        cell *= 2
    total = grouped["w"].to_numpy()
    centre_lat, centre_lon = grouped["lat"].to_numpy() / total, grouped["lon"].to_numpy() / total
    scaled = total / total.max()
    return [[round(float(a), 4), round(float(b), 4), round(float(w), 3)]
            for a, b, w in zip(centre_lat, centre_lon, scaled, strict=True)]


def choropleth_features(admin: pd.DataFrame, units: dict, lang: str = "en") -> dict:
    """Return sub-district (or other unit) polygons filled by killed, with escaped tooltips.

    ``admin`` comes from :func:`incidents.aggregate.summarise_admin`; ``units`` is the level's
    FeatureCollection. Units without incidents are drawn empty, so that zero is visibly zero.
    """
    by_code = {str(r["pcode"]): r for r in admin.to_dict("records")}
    breaks = _breaks([int(r["killed"]) for r in by_code.values()])
    words = _WORDS[lang]
    features = []
    for feature in units.get("features", []):
        props = feature["properties"]
        row = by_code.get(props["id"])
        killed = int(row["killed"]) if row else 0
        incidents = int(row["n"]) if row else 0
        colour = _CHOROPLETH[sum(killed > b for b in breaks)] if incidents else "#ffffff"
        figures = figures_text(int(row["killed_min"]), int(row["killed_max"])) if row else "0"
        note = f' <i>({esc(words["approximate"])})</i>' if props.get("approximate") else ""
        tip = (f'<div dir="auto"><b>{bilingual(props.get("name_ar"), props.get("name_en"))}</b>{note}<br>'
               f'{esc(words["incidents"].format(n=incidents))} · {esc(words["killed"])} {_ltr(figures)}</div>')
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
            "tip": tip, "style": {"color": "#555555", "weight": 0.7, "fillColor": colour, "fillOpacity": 0.7}}})
    return {"type": "FeatureCollection", "features": features}


def _breaks(values: list[int], classes: int = len(_CHOROPLETH)) -> list[float]:
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return [0.0] * (classes - 1)
    return [float(np.quantile(positive, q)) for q in np.linspace(0, 1, classes + 1)[1:-1]]


def build_map_data(places: pd.DataFrame, latest: pd.DataFrame,
                   sources_of: Callable[[str], Sequence[tuple[str, str | None]]], *,
                   areas: Mapping[str, dict], admin: pd.DataFrame, units: dict,
                   profile_url: Callable[[str], str] | None = None, lang: str = "en",
                   budget: int = PAYLOAD_BUDGET, base_size: int = 0) -> MapData:
    """Return the data layers for the places, with popup lists as long as the payload budget allows.

    Parameters
    ----------
    places
        Per-place summary (most killed first).
    latest
        The newest incidents of each place (at least ``POPUP_LIMITS[0]`` per place), newest first.
    sources_of
        incident uid → [(source name, url)].
    areas
        P-code → geometry for area places; ``units`` the choropleth's FeatureCollection.
    profile_url
        place_key → URL of the place's profile page (None: no link).
    budget, base_size
        Byte budget of the whole map and what the base map already uses.

    Notes
    -----
    The popup list length is chosen from :data:`POPUP_LIMITS` by estimating each list's bytes from a
    sample of lines, then checked on the built features (at most a few builds, whatever the size). When
    even lists of none do not fit, the least-killed places are left out and counted in ``dropped_places``.
    """
    heat = heat_points(places)
    choropleth = choropleth_features(admin, units, lang) if units else {"type": "FeatureCollection",
                                                                         "features": []}
    room = budget - base_size - len(dumps(heat)) - len(dumps(choropleth))
    records = places.to_dict("records")
    keys = [str(p["place_key"]) for p in records]
    keyed = latest.assign(place_key=latest["place_key"].astype(str)) if len(latest) else latest
    rank = keyed.groupby("place_key", sort=False).cumcount().to_numpy() if len(keyed) else np.zeros(0, int)

    def rows_up_to(limit: int) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for row in keyed[rank < limit].to_dict("records") if limit > 0 else []:
            grouped.setdefault(row["place_key"], []).append(row)
        return grouped

    def build(limit: int) -> dict:
        chosen = rows_up_to(limit)
        popups = {key: popup_html(place, chosen.get(key, []), sources_of,
                                  profile_url=profile_url(key) if profile_url else None, lang=lang)
                  for key, place in zip(keys, records, strict=True)}
        return place_features(places, popups, areas, lang)

    data = MapData(places=build(0), heat=heat, choropleth=choropleth)
    spare = room - len(dumps(data.places))
    if spare < 0:
        return _drop_places(data, room)
    line_bytes = _line_bytes(rows_up_to(3), sources_of, lang)
    for limit in (lim for lim in POPUP_LIMITS if lim > 0):
        if int((rank < limit).sum()) * line_bytes * 1.1 > spare:
            continue
        collection = build(limit)
        if len(dumps(collection)) <= room:
            data.places, data.popup_limit = collection, limit
            return data
    return data


def _line_bytes(by_place: Mapping[str, list[dict]], sources_of: Callable[[str], Sequence[tuple[str, str | None]]],
                lang: str, sample: int = 200) -> float:
    """Return the mean payload bytes of one popup line, measured on up to ``sample`` lines."""
    rows = [row for group in by_place.values() for row in group[:3]][:sample]
    if not rows:
        return 0.0
    return sum(len(dumps(incident_line(r, sources_of(str(r.get("uid"))), lang))) for r in rows) / len(rows)


def _drop_places(data: MapData, room: int) -> MapData:
    """Keep the most-killed places (without incident lists) whose features fit in ``room`` bytes."""
    features = data.places["features"]
    wrapper = len(dumps({"type": "FeatureCollection", "features": []}))
    sizes = np.cumsum([len(dumps(f)) + 2 for f in features])
    keep = int(np.searchsorted(sizes, max(0, room - wrapper), side="right")) if len(sizes) else 0
    data.places = {"type": "FeatureCollection", "features": features[:keep]}
    data.dropped_places = len(features) - keep
    data.popup_limit = 0
    return data


# -- overlays ---------------------------------------------------------------------------------------------


def build_overlays(data: MapData, layers: Iterable[str] = ("places",), assets: Assets = Assets()) -> list:
    """Return one FeatureGroup per chosen data layer (``places``, ``heat``, ``choropleth``), bottom first."""
    chosen = set(layers)
    unknown = chosen - set(LAYERS)
    if unknown:
        raise MapBuildError(f"layers must be among {', '.join(LAYERS)}, instead got: {sorted(unknown)}")
    groups = []
    if "choropleth" in chosen and data.choropleth["features"]:
        group = folium.FeatureGroup(name="choropleth", control=False)
        folium.GeoJson(data.choropleth, name="choropleth",
                       tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)).add_to(group)
        groups.append(group)
    if "heat" in chosen and data.heat:
        group = folium.FeatureGroup(name="heat", control=False)
        heat = folium.plugins.HeatMap(data.heat, radius=22, blur=18, min_opacity=0.35, max_zoom=11)
        _localise(heat, assets.heat_js)
        heat.add_to(group)
        groups.append(group)
    if "places" in chosen and data.places["features"]:
        group = folium.FeatureGroup(name="places", control=False)
        folium.GeoJson(data.places, name="places", marker=folium.CircleMarker(),
                       tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=False),
                       popup=folium.GeoJsonPopup(fields=["tip", "pop"], labels=False, max_width=360)).add_to(group)
        groups.append(group)
    return groups


def profile_link(base: str, place_key: str, query: Mapping[str, str]) -> str:
    """Return the URL of a place's profile page carrying the filter's query string."""
    return f"{base}?{urlencode({**query, 'place': place_key})}"


_WORDS = {
    "en": {"incidents": "{n:,} incident(s)", "killed": "killed", "main_actor": "main actor",
           "area": "located only to the {p}: drawn as that area", "more": "… and {n:,} more: see the place profile",
           "profile": "Open the place profile", "place_id": "Place id", "approximate": "approximate area"},
    "ar": {"incidents": "{n:,} حادثة", "killed": "قتلى", "main_actor": "الطرف الرئيسي",
           "area": "الموقع معروف على مستوى {p} فقط: مرسوم كمنطقة", "more": "… و{n:,} أخرى: انظر صفحة المكان",
           "profile": "افتح صفحة المكان", "place_id": "Place id", "approximate": "منطقة تقريبية"},
}
