"""Bundled boundaries: governorates, districts, and derived (approximate) sub-districts.

* Governorates: OCHA COD-AB admin1 polygons for Syria, WOF regions for Al-Anbar and Ninawa.
* Districts: WOF county polygons carrying OCHA admin2 P-codes through the crosswalk; a WOF county
  that holds two OCHA districts (Banyas: Baniyas + Qadmous) is split by the Voronoi rule below
  and flagged approximate.
* Sub-districts (Syria only): no polygon source was available, so each district polygon is cut
  into Voronoi cells around "seeds" (places whose sub-district the Syrian Archive/OCHA path gives,
  plus OpenSyria's sub-district centroids) and the cells are dissolved by sub-district. These
  areas are **approximate and derived**; every feature says so in its properties.

Two versions are written: a display version (coverage-simplified, light enough for a web map) and a
``detail`` version used for point-in-polygon look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geodata.build.admin import AdminData, PlaceRow

LEVELS: tuple[str, ...] = ("governorate", "district", "subdistrict")
DISPLAY_TOLERANCE_DEG: dict[str, float] = {"governorate": 0.006, "district": 0.005, "subdistrict": 0.004}
DETAIL_TOLERANCE_DEG = 0.0008
DISPLAY_GRID_DEG = 1e-4
DETAIL_GRID_DEG = 1e-5

VORONOI_METHOD = (
    "Derived: Voronoi cells around places whose sub-district the Syrian Archive/OCHA community list "
    "gives and OpenSyria sub-district centroids, clipped to the district polygon. Approximate."
)
BOUNDARY_COLUMNS: tuple[str, ...] = (
    "id",
    "level",
    "name_ar",
    "name_en",
    "admin1",
    "admin2",
    "country",
    "source",
    "approximate",
    "method",
)


@dataclass
class Boundary:
    """One boundary feature before writing."""

    id: str
    level: str
    name_ar: str
    name_en: str
    admin1: str | None
    admin2: str | None
    country: str
    source: str
    approximate: bool
    method: str
    geometry: BaseGeometry

    def properties(self) -> dict[str, Any]:
        """Properties in ``BOUNDARY_COLUMNS`` order."""
        return {column: getattr(self, column) for column in BOUNDARY_COLUMNS}


def _names(places: dict[str, PlaceRow], unit_id: str) -> tuple[str, str]:
    row = places.get(unit_id)
    return (row["name_ar"], row["name_en"]) if row else ("", "")


def governorate_boundaries(admin: AdminData, places: dict[str, PlaceRow]) -> list[Boundary]:
    """OCHA governorates (Syria) and WOF regions (Al-Anbar, Ninawa)."""
    out = []
    for _, unit in admin.adm1.iterrows():
        name_ar, name_en = _names(places, unit["pcode"])
        out.append(
            Boundary(unit["pcode"], "governorate", unit["name_ar"] or name_ar, unit["name_en"] or name_en,
                     unit["pcode"], None, "SY", "OCHA COD-AB admin1 v02 (2020-12-17)", False, "source polygon",
                     unit.geometry)
        )
    for _, unit in admin.iq_regions.iterrows():
        unit_id = f"wof:{unit['wof_id']}"
        name_ar, name_en = _names(places, unit_id)
        out.append(
            Boundary(unit_id, "governorate", name_ar, name_en, unit_id, None, "IQ",
                     "Who's On First region (Mesoshapes)", False, "source polygon", unit.geometry)
        )
    return out


def _voronoi_split(
    polygon: BaseGeometry, seeds: list[tuple[float, float, str]]
) -> dict[str, BaseGeometry]:
    """Cut ``polygon`` into Voronoi cells of the seeds and dissolve them by label."""
    labels = sorted({s[2] for s in seeds})
    if len(labels) == 1:
        return {labels[0]: polygon}
    unique: dict[tuple[float, float], str] = {}
    for lat, lon, label in sorted(seeds):
        unique.setdefault((round(lon, 6), round(lat, 6)), label)
    points = shapely.multipoints(list(unique))
    extent = shapely.box(*shapely.bounds(polygon)).buffer(1.0)
    cells = shapely.voronoi_polygons(points, extend_to=extent, ordered=True)
    pieces: dict[str, list[BaseGeometry]] = {}
    for cell, label in zip(shapely.get_parts(cells), unique.values(), strict=True):
        part = shapely.intersection(cell, polygon)
        if not part.is_empty:
            pieces.setdefault(label, []).append(part)
    return {label: shapely.union_all(parts) for label, parts in sorted(pieces.items())}


def _seed_points(places: list[PlaceRow], key: str, within: str, parent_key: str) -> list[tuple[float, float, str]]:
    seeds = []
    for row in places:
        if row.get(parent_key) != within or not row.get(key):
            continue
        if row["kind"] in {"district", "subdistrict"} or row.get("admin3_method") == "sa_path":
            seeds.append((float(row["lat"]), float(row["lon"]), str(row[key])))
    return seeds


def district_boundaries(
    admin: AdminData, crosswalk: dict[str, list[str]], places: dict[str, PlaceRow], rows: list[PlaceRow]
) -> list[Boundary]:
    """WOF counties with OCHA P-codes (Syria) or WOF ids (Iraq)."""
    out = []
    for _, county in admin.counties.iterrows():
        geometry = county.geometry
        if county["country"] == "IQ":
            unit_id = f"wof:{county['wof_id']}"
            row = places.get(unit_id, {})
            out.append(Boundary(unit_id, "district", row.get("name_ar", ""), row.get("name_en", ""),
                                row.get("admin1"), unit_id, "IQ", "Who's On First county (Mesoshapes ESOC)",
                                False, "source polygon", geometry))
            continue
        codes = crosswalk.get(str(county["wof_id"]), [])
        parts = _split_county(geometry, codes, rows)
        for code, part in parts.items():
            name_ar, name_en = _names(places, code)
            approximate = len(parts) > 1
            out.append(Boundary(code, "district", name_ar, name_en, code[:4], code, "SY",
                                "Who's On First county (Mesoshapes AOTM) + OCHA P-code crosswalk", approximate,
                                VORONOI_METHOD.replace("sub-district", "district") if approximate else "source polygon",
                                part))
    return _dissolve_same_id(out)


def _split_county(geometry: BaseGeometry, codes: list[str], rows: list[PlaceRow]) -> dict[str, BaseGeometry]:
    if len(codes) <= 1:
        return {codes[0]: geometry} if codes else {}
    seeds = [
        (float(r["lat"]), float(r["lon"]), str(r["admin2"]))
        for r in rows
        if r.get("admin2") in codes and (r["kind"] in {"district", "subdistrict"} or r.get("admin3_method") == "sa_path")
    ]
    return _voronoi_split(geometry, seeds)


def _dissolve_same_id(boundaries: list[Boundary]) -> list[Boundary]:
    """WOF has two "Rural Damascus" counties; join features that ended up with one id."""
    by_id: dict[str, Boundary] = {}
    for boundary in boundaries:
        if boundary.id in by_id:
            kept = by_id[boundary.id]
            kept.geometry = shapely.union_all([kept.geometry, boundary.geometry])
        else:
            by_id[boundary.id] = boundary
    return [by_id[k] for k in sorted(by_id)]


def subdistrict_boundaries(districts: list[Boundary], places: dict[str, PlaceRow], rows: list[PlaceRow]) -> list[Boundary]:
    """Approximate sub-district areas of Syria (Voronoi of seeds within each district polygon)."""
    out = []
    for district in districts:
        if district.country != "SY":
            continue
        seeds = _seed_points(rows, "admin3", district.id, "admin2")
        if not seeds:
            continue
        for code, part in _voronoi_split(district.geometry, seeds).items():
            name_ar, name_en = _names(places, code)
            out.append(Boundary(code, "subdistrict", name_ar, name_en, code[:4], code[:6], "SY",
                                "derived (see method)", True, VORONOI_METHOD, part))
    return sorted(out, key=lambda b: b.id)


def simplify(boundaries: list[Boundary], tolerance: float, grid: float) -> gpd.GeoDataFrame:
    """Coverage-simplify the boundaries of one level and snap them to a coordinate grid.

    Parameters
    ----------
    boundaries : list of Boundary
        Features of one level (they should form a coverage: no overlaps).
    tolerance : float
        Simplification tolerance in degrees.
    grid : float
        Precision grid in degrees (coordinates are rounded to it, validity kept).

    Returns
    -------
    geopandas.GeoDataFrame
        Properties in ``BOUNDARY_COLUMNS`` order, EPSG:4326.
    """
    geoms = np.array([shapely.make_valid(b.geometry) for b in boundaries], dtype=object)
    geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
    simplified = shapely.coverage_simplify(geoms, tolerance)
    snapped = shapely.set_precision(simplified, grid)
    frame = pd.DataFrame([b.properties() for b in boundaries], columns=list(BOUNDARY_COLUMNS))
    return gpd.GeoDataFrame(frame, geometry=[_polygonal(g) for g in snapped], crs=4326)


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts of a geometry (make_valid can return lines too)."""
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in {"Polygon", "MultiPolygon"}]
    return shapely.union_all(parts) if parts else shapely.Polygon()
