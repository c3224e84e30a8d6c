"""Administrative units as places, and admin1/admin2/admin3 codes for every place.

Syria: admin1 is the OCHA governorate polygon containing the point. admin2 and admin3 come from the
Syrian Archive admin path when the place has one ("Hajin | Abu Kamal" → SY0902, SY090201), else
admin2 from the WOF county polygon and its OCHA crosswalk, and admin3 from the nearest "seed" in the
district: a place whose sub-district the Syrian Archive path gives, or a sub-district centroid
(method ``nearest_seed``; the same rule draws the derived sub-district areas). Iraq: admin1 and
admin2 are the WOF region and county containing the point, identified by their WOF ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.build.records import (
    clean_name,
    dedupe,
    is_arabic_name,
    is_latin_name,
    split_names,
    to_id,
    to_int,
)
from geodata.build.sources import read_csv, read_geojson
from geodata.geo import haversine_many
from geodata.normalise import name_keys

#: Columns of the bundled places table, in order.
PLACE_COLUMNS: tuple[str, ...] = (
    "id",
    "name_ar",
    "name_en",
    "alt_names",
    "lat",
    "lon",
    "kind",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "admin3_method",
    "pcode",
    "geonames_id",
    "wikidata_id",
    "population",
    "sources",
    "source_ids",
    "coord_source",
    "note",
)

PlaceRow = dict[str, Any]


@dataclass
class AdminData:
    """Admin polygons and tables used to build admin places and assign admin codes."""

    adm1: gpd.GeoDataFrame  # OCHA governorates: pcode, name_ar, name_en, center_lat, center_lon
    counties: gpd.GeoDataFrame  # WOF counties SY+IQ: wof_id, country, pcodes, names
    iq_regions: gpd.GeoDataFrame  # WOF regions Al-Anbar, Ninawa
    sy_regions: gpd.GeoDataFrame  # WOF regions of Syria (names only)
    os_adm1: pd.DataFrame
    os_adm2: pd.DataFrame
    os_adm3: pd.DataFrame


def load_admin(folder: Path) -> AdminData:
    """Read the admin polygons and OpenSyria tables from the sources folder."""
    ocha = read_geojson(folder / "ocha_cod_ab_syr_admin1.geojson")
    adm1 = gpd.GeoDataFrame(
        {
            "pcode": ocha["adm1_pcode"],
            "name_en": ocha["adm1_name"],
            "name_ar": ocha["adm1_name1"],
            "center_lat": ocha["center_lat"].astype(float),
            "center_lon": ocha["center_lon"].astype(float),
        },
        geometry=ocha.geometry,
        crs=4326,
    ).sort_values("pcode", ignore_index=True)
    wof = read_geojson(folder / "wof_admin_regions_counties_SY_IQ.geojson")
    wof["wof_id"] = wof["wof_id"].astype(str)
    wof["pcodes"] = wof["ocha_adm2_pcode_by_centroid"].fillna("").map(lambda v: [p for p in str(v).split("|") if p])
    counties = wof[wof["placetype"] == "county"].sort_values("wof_id", ignore_index=True)
    regions = wof[wof["placetype"] == "region"]
    return AdminData(
        adm1=adm1,
        counties=counties,
        iq_regions=regions[regions["country"] == "IQ"].sort_values("wof_id", ignore_index=True),
        sy_regions=regions[regions["country"] == "SY"].sort_values("wof_id", ignore_index=True),
        os_adm1=read_csv(folder / "opensyria_adm1_governorates.csv"),
        os_adm2=read_csv(folder / "opensyria_adm2_districts.csv"),
        os_adm3=read_csv(folder / "opensyria_adm3_subdistricts.csv"),
    )


# --------------------------------------------------------------------------------------------
# Admin units as places
# --------------------------------------------------------------------------------------------


def _names(*groups: list[str]) -> tuple[list[str], list[str]]:
    names = dedupe([clean_name(n) for group in groups for n in group])
    return [n for n in names if is_arabic_name(n)], [n for n in names if is_latin_name(n)]


def _admin_row(
    unit_id: str, kind: str, arabic: list[str], latin: list[str], lat: float, lon: float, **extra: Any
) -> PlaceRow:
    row: PlaceRow = {column: None for column in PLACE_COLUMNS}
    row.update(
        id=unit_id,
        name_ar=arabic[0] if arabic else "",
        name_en=latin[0] if latin else "",
        alt_names=[n for n in [*arabic[1:], *latin[1:]]],
        lat=lat,
        lon=lon,
        kind=kind,
        admin3_method="admin_unit",
    )
    row.update(extra)
    return row


def _wof_names(frame: pd.DataFrame) -> list[str]:
    out: list[str] = []
    for _, unit in frame.iterrows():
        out += [clean_name(unit.get("name_eng")), clean_name(unit.get("name")), clean_name(unit.get("name_ara"))]
        out += split_names(unit.get("names_ar")) + split_names(unit.get("names_latin"))
    return out


def _opensyria_names(row: pd.Series) -> list[str]:
    return [row["name_ar"], row["name_en"], *split_names(row.get("aliases_ar")), *split_names(row.get("aliases_en"))]


def _governorate_rows(admin: AdminData) -> list[PlaceRow]:
    rows = []
    for _, unit in admin.os_adm1.iterrows():
        pcode = unit["ocha_pcode"]
        ocha = admin.adm1[admin.adm1["pcode"] == pcode].iloc[0]
        wof = admin.sy_regions[admin.sy_regions["geonames_id"].astype(str) == str(unit["geonames_id"])]
        arabic, latin = _names([ocha["name_ar"], ocha["name_en"]], _opensyria_names(unit), _wof_names(wof))
        ids = [f"opensyria:{unit['id']}", *[f"wof:{w}" for w in wof["wof_id"]]]
        rows.append(
            _admin_row(
                pcode, "governorate", arabic, latin, float(ocha["center_lat"]), float(ocha["center_lon"]),
                country="SY", admin1=pcode, pcode=pcode, geonames_id=to_id(unit["geonames_id"]),
                wikidata_id=to_id(unit.get("wikidata_id")), population=to_int(unit.get("population")),
                sources=["ocha", "opensyria", *(["wof"] if len(wof) else [])], source_ids=ids,
                coord_source="ocha_admin1_center",
            )
        )
    return rows


def _parent_pcodes(admin: AdminData) -> tuple[dict[str, str], dict[str, str]]:
    gov = dict(zip(admin.os_adm1["id"], admin.os_adm1["ocha_pcode"], strict=True))
    dist = dict(zip(admin.os_adm2["id"], admin.os_adm2["ocha_pcode"], strict=True))
    return gov, dist


def _district_rows(admin: AdminData) -> list[PlaceRow]:
    gov, _ = _parent_pcodes(admin)
    one_to_one = admin.counties[admin.counties["pcodes"].map(len) == 1]
    rows = []
    for _, unit in admin.os_adm2.iterrows():
        pcode = unit["ocha_pcode"]
        wof = one_to_one[one_to_one["pcodes"].map(lambda p, code=pcode: p == [code])]
        arabic, latin = _names(_opensyria_names(unit), _wof_names(wof))
        ids = [f"opensyria:{unit['id']}", *[f"wof:{w}" for w in wof["wof_id"]]]
        rows.append(
            _admin_row(
                pcode, "district", arabic, latin, float(unit["centroid_lat"]), float(unit["centroid_lon"]),
                country="SY", admin1=gov[unit["governorate_id"]], admin2=pcode, pcode=pcode,
                geonames_id=to_id(unit["geonames_id"]), wikidata_id=to_id(unit.get("wikidata_id")),
                population=to_int(unit.get("population")),
                sources=["opensyria", *(["wof"] if len(wof) else [])], source_ids=ids,
                coord_source="opensyria_centroid",
            )
        )
    return rows


def _subdistrict_rows(admin: AdminData) -> list[PlaceRow]:
    gov, dist = _parent_pcodes(admin)
    rows = []
    for _, unit in admin.os_adm3.iterrows():
        pcode = unit["ocha_pcode"]
        arabic, latin = _names(_opensyria_names(unit))
        rows.append(
            _admin_row(
                pcode, "subdistrict", arabic, latin, float(unit["centroid_lat"]), float(unit["centroid_lon"]),
                country="SY", admin1=gov[unit["governorate_id"]], admin2=dist[unit["district_id"]], admin3=pcode,
                pcode=pcode, geonames_id=to_id(unit["geonames_id"]), wikidata_id=to_id(unit.get("wikidata_id")),
                population=to_int(unit.get("population")), sources=["opensyria"],
                source_ids=[f"opensyria:{unit['id']}"], coord_source="opensyria_centroid",
            )
        )
    return rows


def _iraq_rows(admin: AdminData) -> list[PlaceRow]:
    rows = []
    region_of = {}
    for _, unit in admin.iq_regions.iterrows():
        region_of[str(unit["wof_region_id"])] = f"wof:{unit['wof_id']}"
    units = pd.concat([admin.iq_regions, admin.counties[admin.counties["country"] == "IQ"]])
    for _, unit in units.iterrows():
        unit_id = f"wof:{unit['wof_id']}"
        point = unit.geometry.representative_point()
        arabic, latin = _names(_wof_names(pd.DataFrame([unit])))
        is_region = unit["placetype"] == "region"
        rows.append(
            _admin_row(
                unit_id, "governorate" if is_region else "district", arabic, latin,
                round(point.y, 6), round(point.x, 6), country="IQ",
                admin1=unit_id if is_region else region_of.get(str(unit["wof_region_id"])),
                admin2=None if is_region else unit_id, admin3_method="admin_unit",
                geonames_id=to_id(unit.get("geonames_id")), wikidata_id=to_id(unit.get("wikidata_id")),
                sources=["wof"], source_ids=[unit_id], coord_source="wof_polygon_point",
            )
        )
    return rows


def admin_unit_places(admin: AdminData) -> list[PlaceRow]:
    """Return governorates, districts and sub-districts (Syria) and Iraqi regions/counties as places.

    Parameters
    ----------
    admin : AdminData
        Loaded admin sources.

    Returns
    -------
    list of dict
        Place rows with ``PLACE_COLUMNS`` keys; ids are OCHA P-codes (Syria) or WOF ids (Iraq).
    """
    return _governorate_rows(admin) + _district_rows(admin) + _subdistrict_rows(admin) + _iraq_rows(admin)


# --------------------------------------------------------------------------------------------
# Point-in-polygon
# --------------------------------------------------------------------------------------------


def polygon_lookup(
    lats: np.ndarray, lons: np.ndarray, geoms: gpd.GeoSeries, labels: list[Any], tolerance_deg: float = 0.03
) -> list[Any]:
    """Label each point with the polygon containing it, else the nearest within ``tolerance_deg``.

    Where polygons overlap, the first label in ``labels`` order wins; points farther than the
    tolerance from every polygon get ``None``.
    """
    points = np.asarray(shapely.points(lons, lats), dtype=object)
    tree = shapely.STRtree(np.asarray(geoms.values))
    found: list[Any] = [None] * len(points)
    point_idx, geom_idx = tree.query(points, predicate="intersects")
    for p, g in sorted(zip(point_idx.tolist(), geom_idx.tolist(), strict=True)):
        if found[p] is None:
            found[p] = labels[g]
    missing = [i for i, label in enumerate(found) if label is None]
    if missing and tolerance_deg > 0:
        near_p, near_g = tree.query_nearest(points[missing], max_distance=tolerance_deg, all_matches=False)
        for p, g in zip(near_p.tolist(), near_g.tolist(), strict=True):
            found[missing[p]] = labels[g]
    return found


# --------------------------------------------------------------------------------------------
# Syrian Archive admin paths
# --------------------------------------------------------------------------------------------


class PathResolver:
    """Resolve Syrian Archive admin paths ("Hajin | Abu Kamal") to OCHA district and sub-district codes."""

    def __init__(self, admin: AdminData) -> None:
        gov, dist = _parent_pcodes(admin)
        self.districts: dict[str, list[str]] = {}
        for _, unit in admin.os_adm2.iterrows():
            for name in _opensyria_names(unit):
                self.districts.setdefault(_key(name), []).append(unit["ocha_pcode"])
        self.subdistricts: dict[tuple[str, str], str] = {}
        for _, unit in admin.os_adm3.iterrows():
            for name in _opensyria_names(unit):
                self.subdistricts.setdefault((dist[unit["district_id"]], _key(name)), unit["ocha_pcode"])
        del gov

    def resolve(self, path: tuple[str, ...], admin1: str | None) -> tuple[str | None, str | None]:
        """Return ``(admin2, admin3)`` for a path within ``admin1`` (either may be ``None``)."""
        for d_index in range(len(path) - 1, -1, -1):
            options = sorted(set(self.districts.get(_key(path[d_index]), [])))
            if admin1:
                options = [o for o in options if o.startswith(admin1)]
            if len(options) != 1:
                continue
            admin2 = options[0]
            for s_index in range(d_index - 1, -1, -1):
                admin3 = self.subdistricts.get((admin2, _key(path[s_index])))
                if admin3:
                    return admin2, admin3
            return admin2, self.subdistricts.get((admin2, _key(path[d_index])))
        return None, None


def _key(name: object) -> str:
    return name_keys(clean_name(name)).skeleton


# --------------------------------------------------------------------------------------------
# Assignment
# --------------------------------------------------------------------------------------------


def _nearest_label(lat: float, lon: float, seeds: list[tuple[float, float, str]]) -> str | None:
    if not seeds:
        return None
    array = np.array([(s[0], s[1]) for s in seeds])
    distances = haversine_many(lat, lon, array[:, 0], array[:, 1])
    return seeds[int(np.argmin(distances))][2]


def _county_crosswalk(admin: AdminData, rows: list[PlaceRow], county_ids: list[str | None]) -> dict[str, list[str]]:
    """Crosswalk WOF county → OCHA admin2 codes, filling empty ones by the majority SA-path district."""
    crosswalk = {str(w): list(p) for w, p in zip(admin.counties["wof_id"], admin.counties["pcodes"], strict=True)}
    votes: dict[str, Counter[str]] = {}
    for row, county in zip(rows, county_ids, strict=True):
        if county and row.get("_path_admin2"):
            votes.setdefault(county, Counter())[row["_path_admin2"]] += 1
    for county, codes in crosswalk.items():
        if not codes and county in votes:
            crosswalk[county] = [votes[county].most_common(1)[0][0]]
    return crosswalk


def _seeds(rows: list[PlaceRow], admin: AdminData) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Seeds for nearest-seed admin2 (per governorate) and admin3 (per district)."""
    by_gov: dict[str, list[Any]] = {}
    by_dist: dict[str, list[Any]] = {}
    gov, dist = _parent_pcodes(admin)
    for _, unit in admin.os_adm2.iterrows():
        by_gov.setdefault(gov[unit["governorate_id"]], []).append(
            (float(unit["centroid_lat"]), float(unit["centroid_lon"]), unit["ocha_pcode"])
        )
    for _, unit in admin.os_adm3.iterrows():
        by_dist.setdefault(dist[unit["district_id"]], []).append(
            (float(unit["centroid_lat"]), float(unit["centroid_lon"]), unit["ocha_pcode"])
        )
    for row in rows:
        if row.get("_path_admin2") and row.get("admin1"):
            by_gov.setdefault(row["admin1"], []).append((row["lat"], row["lon"], row["_path_admin2"]))
        if row.get("_path_admin3"):
            by_dist.setdefault(row["_path_admin2"], []).append((row["lat"], row["lon"], row["_path_admin3"]))
    return by_gov, by_dist


def _admin2_from_county(row: PlaceRow, codes: list[str], gov_seeds: list[Any]) -> str | None:
    codes = [c for c in codes if row.get("admin1") and c.startswith(row["admin1"])]
    if len(codes) == 1:
        return codes[0]
    if codes:
        return _nearest_label(row["lat"], row["lon"], [s for s in gov_seeds if s[2] in codes])
    return None


SaPath = tuple[tuple[str, ...], tuple[str, ...]]


def assign_admin(rows: list[PlaceRow], paths: list[SaPath], admin: AdminData) -> dict[str, list[str]]:
    """Fill admin1, admin2, admin3 and admin3_method of locality rows in place.

    Parameters
    ----------
    rows : list of dict
        Locality rows (not admin units) with ``lat``, ``lon``, ``country``.
    paths : list of (tuple of str, tuple of str)
        Syrian Archive admin path per row, English and Arabic parts (empty tuples when none).
    admin : AdminData
        Loaded admin sources.

    Returns
    -------
    dict
        The WOF county → OCHA admin2 crosswalk used (empty entries filled by majority vote).
    """
    lats = np.array([r["lat"] for r in rows])
    lons = np.array([r["lon"] for r in rows])
    adm1 = polygon_lookup(lats, lons, admin.adm1.geometry, list(admin.adm1["pcode"]))
    regions = polygon_lookup(lats, lons, admin.iq_regions.geometry, [f"wof:{w}" for w in admin.iq_regions["wof_id"]])
    county_ids = polygon_lookup(lats, lons, admin.counties.geometry, [str(w) for w in admin.counties["wof_id"]])
    resolver = PathResolver(admin)
    for row, sy, iq, path in zip(rows, adm1, regions, paths, strict=True):
        row["admin1"] = sy if row["country"] == "SY" else iq
        if row["country"] == "SY" and (path[0] or path[1]):
            row["_path_admin2"], row["_path_admin3"] = _resolve_path(resolver, path, row["admin1"])
    crosswalk = _county_crosswalk(admin, rows, county_ids)
    gov_seeds, dist_seeds = _seeds(rows, admin)
    for row, county in zip(rows, county_ids, strict=True):
        if row["country"] == "IQ":
            _assign_iraq(row, county, admin)
        elif row["admin1"]:
            _assign_syria(row, crosswalk.get(county or "", []), gov_seeds, dist_seeds)
        for key in ("_path_admin2", "_path_admin3"):
            row.pop(key, None)
    return crosswalk


def _resolve_path(resolver: PathResolver, path: SaPath, admin1: str | None) -> tuple[str | None, str | None]:
    english, arabic = path
    admin2, admin3 = resolver.resolve(english, admin1)
    if admin2 is None or admin3 is None:
        admin2_ar, admin3_ar = resolver.resolve(arabic, admin1)
        if admin2 is None or admin2 == admin2_ar:
            admin2, admin3 = admin2_ar or admin2, admin3_ar or admin3
    return admin2, admin3


def _assign_iraq(row: PlaceRow, county: str | None, admin: AdminData) -> None:
    iq_counties = set(admin.counties.loc[admin.counties["country"] == "IQ", "wof_id"].astype(str))
    row["admin2"] = f"wof:{county}" if county in iq_counties else None
    row["admin3"] = None
    row["admin3_method"] = ""


def _assign_syria(
    row: PlaceRow, county_codes: list[str], gov_seeds: dict[str, list[Any]], dist_seeds: dict[str, list[Any]]
) -> None:
    path2, path3 = row.get("_path_admin2"), row.get("_path_admin3")
    seeds1 = gov_seeds.get(row["admin1"], [])
    admin2 = path2 or _admin2_from_county(row, county_codes, seeds1)
    if admin2 is None:
        admin2 = _nearest_label(row["lat"], row["lon"], seeds1)
    row["admin2"] = admin2
    if path3 and path2 == admin2:
        row["admin3"], row["admin3_method"] = path3, "sa_path"
        return
    row["admin3"] = _nearest_label(row["lat"], row["lon"], dist_seeds.get(admin2 or "", []))
    row["admin3_method"] = "nearest_seed" if row["admin3"] else ""
