"""Readers for the staged source files (see SOURCES.md): each returns ``SourceRecord`` rows.

Only the build reads these files; the product reads the bundled output in ``geodata/data``.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
from rapidfuzz import fuzz

from geodata.build.records import (
    SourceRecord,
    clean_name,
    dedupe,
    is_arabic_name,
    is_latin_name,
    split_names,
    to_id,
    to_int,
)
from geodata.errors import SourcesNotFoundError
from geodata.normalise import phonetic_key

REQUIRED_FILES: tuple[str, ...] = (
    "wof_sy_localities.csv",
    "wof_iq_anbar_ninawa_localities.csv",
    "wof_admin_regions_counties_SY_IQ.geojson",
    "ocha_cod_ab_syr_admin1.geojson",
    "ocha_cod_ab_syr_admin0.geojson",
    "geonames_cities500_SY_IQ.csv",
    "opensyria_adm1_governorates.csv",
    "opensyria_adm2_districts.csv",
    "opensyria_adm3_subdistricts.csv",
    "syrianarchive_locations_SY.csv",
)

#: Source priority: lower ranks give the id and the coordinates of a merged place.
RANKS: dict[str, int] = {"added": 0, "wof": 1, "ocha": 2, "gn": 3, "sa": 4, "extra": 5}

#: Named sites of Deir ez-Zor (airports, bridge, oil fields, border crossing ...): optional, merged when staged.
EXTRA_PLACES_FILE = "extra_places_deir_ez_zor.csv"
#: Licences whose share-alike terms the bundle (GPL-3.0-or-later as a whole) cannot honour: such rows
#: are left out and counted in the attribution (OpenStreetMap's ODbL asks a derived database to be ODbL).
EXCLUDED_LICENCES: tuple[str, ...] = ("ODbL",)


def check_sources(folder: Path) -> None:
    """Raise ``SourcesNotFoundError`` naming the first required file missing from ``folder``."""
    if not folder.is_dir():
        raise SourcesNotFoundError(f"Expected a folder of geodata sources, got {folder}: not a directory")
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise SourcesNotFoundError(f"Expected {name} in {folder}; it is missing")


def read_csv(path: Path) -> pd.DataFrame:
    """Read a source CSV with every column as string (no type guessing)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    """Read a source GeoJSON file in EPSG:4326 (id-like columns stay strings)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Could not parse column")
        frame = gpd.read_file(path)
    return frame.set_crs(4326, allow_override=True)


# --------------------------------------------------------------------------------------------
# Who's On First localities
# --------------------------------------------------------------------------------------------


def _wof_names(row: pd.Series) -> tuple[list[str], list[str]]:
    arabic = [n for n in split_names(row.get("names_ar")) if is_arabic_name(n)]
    for extra in (row.get("name_ara"),):
        name = clean_name(extra)
        if is_arabic_name(name):
            arabic.append(name)
    latin = [clean_name(row.get("name_eng")), clean_name(row.get("name")), *split_names(row.get("names_latin"))]
    return dedupe(arabic), dedupe([n for n in latin if is_latin_name(n)])


def _wof_kind(placetype: str) -> str | None:
    return {"neighbourhood": "neighbourhood", "campus": "site"}.get(placetype)


def read_wof_localities(path: Path, country: str) -> list[SourceRecord]:
    """Read a WOF localities file (Syria or Iraq) into records.

    Parameters
    ----------
    path : Path
        ``wof_sy_localities.csv`` or ``wof_iq_anbar_ninawa_localities.csv``.
    country : str
        ``"SY"`` or ``"IQ"``.

    Returns
    -------
    list of SourceRecord
    """
    records = []
    for _, row in read_csv(path).iterrows():
        arabic, latin = _wof_names(row)
        latin_pref = clean_name(row.get("name_eng")) or clean_name(row.get("name"))
        records.append(
            SourceRecord(
                id=f"wof:{row['wof_id']}",
                source="wof",
                name_ar=arabic[0] if arabic else "",
                name_en=latin_pref if is_latin_name(latin_pref) else (latin[0] if latin else ""),
                names_ar=arabic,
                names_latin=latin,
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                kind=_wof_kind(str(row["placetype"])),
                country=country,
                geonames_id=to_id(row.get("geonames_id")),
                wikidata_id=to_id(row.get("wikidata_id")),
                population=to_int(row.get("population")),
                fcode=to_id(row.get("gn_fcode")),
                region_hint=to_id(row.get("wof_region_id")),
                superseded_by=to_id(row.get("superseded_by")),
                rank=RANKS["wof"],
            )
        )
    return records


# --------------------------------------------------------------------------------------------
# GeoNames cities500
# --------------------------------------------------------------------------------------------


def read_geonames(path: Path) -> list[SourceRecord]:
    """Read GeoNames cities500 rows (SY and IQ) into records; Iraq is filtered later by polygon."""
    records = []
    for _, row in read_csv(path).iterrows():
        alternates = split_names(row.get("alternatenames"), sep=",")
        arabic = dedupe([n for n in alternates if is_arabic_name(n)])
        latin = dedupe(
            [n for n in [clean_name(row["name"]), clean_name(row.get("asciiname")), *alternates] if is_latin_name(n)]
        )
        records.append(
            SourceRecord(
                id=f"gn:{row['geonameid']}",
                source="gn",
                name_ar=arabic[0] if arabic else "",
                name_en=clean_name(row["name"]),
                names_ar=arabic,
                names_latin=latin,
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                country=str(row["country_code"]),
                geonames_id=str(row["geonameid"]),
                population=to_int(row.get("population")),
                fcode=to_id(row.get("feature_code")),
                rank=RANKS["gn"],
            )
        )
    return records


# --------------------------------------------------------------------------------------------
# Syrian Archive / OCHA community list
# --------------------------------------------------------------------------------------------

_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")
_SITE_WORDS_AR = (
    "جامع",
    "مسجد",
    "مشفى",
    "مستشفى",
    "دوار",
    "ساحه",
    "ساحة",
    "سوق",
    "حاجز",
    "مطار",
    "معبر",
    "جسر",
    "طريق",
    "مدرسة",
    "مدرسه",
    "قلعة",
    "سجن",
    "فرع",
    "ملعب",
    "جامعة",
    "حقل",
    "معمل",
    "مفرق",
    "كراج",
    "كتيبة",
    "اللواء",
    "الفوج",
    "مقر",
)


def _split_sa_english(name_en: str, path: tuple[str, ...]) -> tuple[str, list[str]]:
    """Split "Hurriyeh (Abu Kamal)" into the name and alternates; admin disambiguators are dropped."""
    match = _PAREN.search(name_en)
    if not match:
        return name_en, [name_en]
    base = clean_name(_PAREN.sub(" ", name_en))
    inner = clean_name(match.group(1))
    alts = [base]
    is_admin = any(inner.lower() == part.lower() for part in path)
    if inner and not is_admin and fuzz.ratio(phonetic_key(inner), phonetic_key(base)) >= 75:
        alts.append(inner)
    return base, alts


def _split_sa_arabic(name_ar: str) -> tuple[str, list[str]]:
    """Split "ابين- عفرين" / "جروان_أبو الهبال" into the name and the full string."""
    parts = [clean_name(p) for p in re.split(r"[-_]", name_ar) if clean_name(p)]
    if len(parts) <= 1:
        return name_ar, [name_ar]
    return parts[0], [parts[0], clean_name(name_ar.replace("_", " ").replace("-", " "))]


def _old_name(value: object) -> list[str]:
    """Syrian Archive's older name "دير الزور : البوعمر" gives the alternate "البوعمر"."""
    text = clean_name(value)
    if ":" not in text:
        return []
    name = clean_name(text.split(":", 1)[1])
    return [name] if is_arabic_name(name) else []


def _sa_path(value: object) -> tuple[str, ...]:
    return tuple(p for p in split_names(value) if p)


def _community_record(row: pd.Series) -> SourceRecord:
    path_en = _sa_path(row.get("admin_path_en"))
    path_ar = _sa_path(row.get("admin_path_ar"))
    name_en, alts_en = _split_sa_english(clean_name(row["name_en"]), path_en)
    name_ar, alts_ar = _split_sa_arabic(clean_name(row["name_ar"]))
    arabic = dedupe([n for n in [*alts_ar, *_old_name(row.get("old_sa_name"))] if is_arabic_name(n)])
    latin = dedupe([n for n in alts_en if is_latin_name(n)])
    code = str(row["ocha_pcode"])
    is_community = code.startswith("C")
    return SourceRecord(
        id=f"ocha:{code}" if is_community else f"sa:{row['sa_id']}",
        source="ocha" if is_community else "sa",
        name_ar=name_ar if is_arabic_name(name_ar) else (arabic[0] if arabic else ""),
        name_en=name_en if is_latin_name(name_en) else "",
        names_ar=arabic,
        names_latin=latin,
        lat=float(row["latitude"]),
        lon=float(row["longitude"]),
        pcode=code if is_community else None,
        sa_path_en=path_en,
        sa_path_ar=path_ar,
        rank=RANKS["ocha"] if is_community else RANKS["sa"],
    )


def _sa_location_kind(container: str, name: str) -> str | None:
    if name.startswith("مخيم") or "camp" in name.lower():
        return "camp"
    if any(word in name for word in _SITE_WORDS_AR) or re.search(r"mosque|hospital|airport|checkpoint|road|square|roundabout|market|mall", name, re.I):
        return "site"
    if name.startswith("حي ") or container.startswith("مدينة"):
        return "neighbourhood"
    return None


def _location_record(row: pd.Series) -> SourceRecord:
    """Syrian Archive's own locations ("ريف دير الزور : شيتات"): name after the colon."""
    raw_ar = clean_name(row["name_ar"])
    container, _, name_ar = raw_ar.rpartition(":") if ":" in raw_ar else ("", "", raw_ar)
    name_ar = clean_name(name_ar)
    raw_en = clean_name(row["name_en"])
    name_en = clean_name(raw_en.split(":", 1)[1]) if ":" in raw_en else raw_en
    name_en = re.sub(r"\s+(mantiqah|nahiyah)$", "", name_en, flags=re.I)
    arabic = dedupe([n for n in [name_ar, *_old_name(row.get("old_sa_name"))] if is_arabic_name(n)])
    return SourceRecord(
        id=f"sa:{row['sa_id']}",
        source="sa",
        name_ar=arabic[0] if arabic else "",
        name_en=name_en if is_latin_name(name_en) else "",
        names_ar=arabic,
        names_latin=[name_en] if is_latin_name(name_en) else [],
        lat=float(row["latitude"]),
        lon=float(row["longitude"]),
        kind=_sa_location_kind(clean_name(container), name_ar or name_en),
        rank=RANKS["sa"],
        note=f"Syrian Archive location under {clean_name(container)}" if container else "",
    )


def read_syrian_archive(path: Path) -> list[SourceRecord]:
    """Read the Syrian Archive location directory.

    Community rows (OCHA ``C…`` codes) become ``ocha:`` records with their admin path; Syrian
    Archive's own locations (``sa_loc_only``) become ``sa:`` records. Rows without coordinates are
    skipped: a gazetteer entry must be mappable.
    """
    frame = read_csv(path)
    frame = frame[frame["latitude"].notna() & frame["longitude"].notna()]
    records = []
    for _, row in frame.iterrows():
        if str(row.get("sa_loc_only")).upper() == "TRUE":
            records.append(_location_record(row))
        else:
            records.append(_community_record(row))
    return [r for r in records if r.name_ar or r.name_en]


# --------------------------------------------------------------------------------------------
# Hand-curated additions
# --------------------------------------------------------------------------------------------

ADDED_COLUMNS: tuple[str, ...] = (
    "id",
    "name_ar",
    "name_en",
    "alt_names",
    "lat",
    "lon",
    "kind",
    "overrides",
    "origin",
    "note",
)


def read_added(path: Path) -> list[SourceRecord]:
    """Read ``added_places.csv``: places the sources lack, or corrected coordinates, each cited.

    A row whose ``overrides`` names a source id replaces that record's coordinates (the original
    point is kept in the note); other rows add a place with id ``added:<id>``.
    """
    if not path.is_file():
        return []
    frame = read_csv(path)
    missing = [c for c in ADDED_COLUMNS if c not in frame.columns]
    if missing:
        raise SourcesNotFoundError(f"Expected columns {list(ADDED_COLUMNS)} in {path}, missing {missing}")
    records = []
    for _, row in frame.iterrows():
        names = split_names(row.get("alt_names"))
        arabic = dedupe([clean_name(row["name_ar"]), *[n for n in names if is_arabic_name(n)]])
        latin = dedupe([clean_name(row["name_en"]), *[n for n in names if is_latin_name(n)]])
        records.append(
            SourceRecord(
                id=f"added:{row['id']}",
                source="added",
                name_ar=clean_name(row["name_ar"]),
                name_en=clean_name(row["name_en"]),
                names_ar=[n for n in arabic if n],
                names_latin=[n for n in latin if n],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                kind=clean_name(row.get("kind")) or None,
                overrides=to_id(row.get("overrides")),
                rank=RANKS["added"],
                note=clean_name(row.get("origin")),
            )
        )
    return records


# --------------------------------------------------------------------------------------------
# Extra named sites (SOURCES-extra-places.md)
# --------------------------------------------------------------------------------------------


def _extra_id(source_id: str) -> str:
    """``ourairports:5304 ident=OSDZ`` → ``extra:ourairports:5304`` (first id of the row, no spaces)."""
    first = source_id.split(";")[0].split()[0] if source_id.strip() else "row"
    return f"extra:{first}"


#: What an oil or gas field's name says of its product, after the name: "حقل العمر النفطي", "Conoco gas plant".
_FIELD_PRODUCT_AR = re.compile(r"^(حقل\s+\S.*?)\s+(?:النفطي|النفطية|الغازي|للغاز|للنفط)$")
_FIELD_PRODUCT_EN = re.compile(r"^(.+?)\s+(?:(?:oil|gas)\s+)?(?:field|plant)$", re.IGNORECASE)


def field_names(names: list[str]) -> list[str]:
    """The names an oil or gas field goes by, from the names a source gives it.

    Reports name a field without its product as often as with it: "حقل العمر" for "حقل العمر النفطي", "the
    Conoco field" or "the Conoco oil field" for the "Conoco gas plant". The short Arabic form comes first (it is
    the place's Arabic name, as "Al-Omar field" is its English one); the names given are not repeated.
    """
    out: list[str] = []
    for name in names:
        if (arabic := _FIELD_PRODUCT_AR.match(name)) is not None:
            out.append(arabic.group(1))
        elif (latin := _FIELD_PRODUCT_EN.match(name)) is not None and is_latin_name(name):
            out.extend(f"{latin.group(1)} {tail}" for tail in ("field", "oil field", "gas field"))
    return [n for n in dedupe(out) if n not in names]


def read_extra_places(path: Path) -> tuple[list[SourceRecord], list[dict[str, str]]]:
    """Read the extra named sites of Deir ez-Zor (airports, a bridge, oil fields, a border crossing).

    Every row becomes a ``site`` with its origin and licence in the note; rows under a licence of
    ``EXCLUDED_LICENCES`` are left out. A missing file gives nothing (the file is optional).

    Returns
    -------
    (list of SourceRecord, list of dict)
        The records, and the rows left out (``name``, ``source_id``, ``licence``) for the attribution.
    """
    if not path.is_file():
        return [], []
    records: list[SourceRecord] = []
    skipped: list[dict[str, str]] = []
    for _, row in read_csv(path).fillna("").iterrows():
        licence = clean_name(row.get("licence"))
        name_ar, name_en = clean_name(row.get("name_ar")), clean_name(row.get("name_en"))
        if licence.startswith(EXCLUDED_LICENCES):
            skipped.append({"name": name_en or name_ar, "source_id": str(row["source_id"]), "licence": licence})
            continue
        alts = split_names(row.get("alt_names"))
        if clean_name(row.get("kind")) == "oil_field":
            short = field_names([name_ar, name_en, *alts])
            alts = [name_ar, *alts, *short]
            name_ar = next((n for n in short if is_arabic_name(n)), name_ar)
        records.append(
            SourceRecord(
                id=_extra_id(str(row["source_id"])),
                source="extra",
                name_ar=name_ar if is_arabic_name(name_ar) else "",
                name_en=name_en if is_latin_name(name_en) else "",
                names_ar=dedupe([n for n in [name_ar, *alts] if is_arabic_name(n)]),
                names_latin=dedupe([n for n in [name_en, *alts] if is_latin_name(n)]),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                kind="site",
                rank=RANKS["extra"],
                note=f"{clean_name(row.get('kind'))} from {clean_name(row.get('source'))}; licence: {licence}",
            )
        )
    return records, skipped
