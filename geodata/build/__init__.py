"""Build the bundled gazetteer and boundaries from the staged sources (``python -m geodata build``).

Only this subpackage reads the source folder; the product reads ``geodata/data``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geodata.build import boundaries as bnd
from geodata.build.admin import (
    AdminData,
    PlaceRow,
    admin_unit_places,
    assign_admin,
    load_admin,
    polygon_lookup,
)
from geodata.build.attribution import LICENSE_NOTES, attribution_markdown
from geodata.build.corrections import apply_corrections
from geodata.build.merge import merge_records
from geodata.build.output import geojson_text, places_csv, write_text
from geodata.build.places import place_row, sa_path
from geodata.build.records import SourceRecord
from geodata.build.sources import (
    EXTRA_PLACES_FILE,
    REQUIRED_FILES,
    check_sources,
    read_added,
    read_csv,
    read_extra_places,
    read_geonames,
    read_syrian_archive,
    read_wof_localities,
)
from geodata.loading import NAMES_FILE, names_tsv_gz, place_from_row, read_place_rows

__all__ = ["BuildReport", "build", "default_sources_dir", "generated_files"]

PLACES_FILE = "places.csv"
ADDED_FILE = "added_places.csv"


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote: file paths and counts."""

    files: tuple[Path, ...]
    places: int
    boundaries: dict[str, int]


def default_sources_dir() -> Path:
    """``../shared/geodata-sources`` relative to the repository root."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "geodata-sources"


def generated_files() -> tuple[str, ...]:
    """Paths (relative to ``geodata/data``) that ``build`` regenerates."""
    boundary_files = [f"boundaries/{level}{suffix}.geojson" for level in bnd.LEVELS for suffix in ("", "_detail")]
    notes = [f"LICENSES/{name}" for name in sorted(LICENSE_NOTES)]
    return (PLACES_FILE, NAMES_FILE, *boundary_files, "ATTRIBUTION.md", "manifest.json", *notes)


def _read_records(sources: Path, admin: AdminData, added_path: Path) -> tuple[list[SourceRecord], list[dict[str, str]]]:
    records = read_wof_localities(sources / "wof_sy_localities.csv", "SY")
    records += read_wof_localities(sources / "wof_iq_anbar_ninawa_localities.csv", "IQ")
    records += _geonames_in_scope(read_geonames(sources / "geonames_cities500_SY_IQ.csv"), admin)
    records += read_syrian_archive(sources / "syrianarchive_locations_SY.csv")
    extra, left_out = read_extra_places(sources / EXTRA_PLACES_FILE)
    records += extra
    records += read_added(added_path)
    return records, left_out


def _geonames_in_scope(records: list[SourceRecord], admin: AdminData) -> list[SourceRecord]:
    """Keep Syrian rows and the Iraqi rows inside Al-Anbar or Ninawa."""
    iraq = [r for r in records if r.country == "IQ"]
    labels = polygon_lookup(
        np.array([r.lat for r in iraq]), np.array([r.lon for r in iraq]), admin.iq_regions.geometry,
        list(admin.iq_regions["wof_id"]), tolerance_deg=0.0,
    )
    inside = {r.id for r, label in zip(iraq, labels, strict=True) if label is not None}
    return [r for r in records if r.country == "SY" or r.id in inside]


def _boundary_texts(admin: AdminData, crosswalk: dict[str, list[str]], rows: list[PlaceRow]) -> dict[str, str]:
    by_id = {r["id"]: r for r in rows}
    governorates = bnd.governorate_boundaries(admin, by_id)
    districts = bnd.district_boundaries(admin, crosswalk, by_id, rows)
    subdistricts = bnd.subdistrict_boundaries(districts, by_id, rows)
    texts = {}
    for level, items in zip(bnd.LEVELS, (governorates, districts, subdistricts), strict=True):
        display = bnd.simplify(items, bnd.DISPLAY_TOLERANCE_DEG[level], bnd.DISPLAY_GRID_DEG)
        detail = bnd.simplify(items, bnd.DETAIL_TOLERANCE_DEG, bnd.DETAIL_GRID_DEG)
        texts[f"boundaries/{level}.geojson"] = geojson_text(display, level, 4)
        texts[f"boundaries/{level}_detail.geojson"] = geojson_text(detail, f"{level}_detail", 5)
    return texts


def _manifest(sources: Path, rows: list[PlaceRow], counts: dict[str, int]) -> str:
    names = [*REQUIRED_FILES, *([EXTRA_PLACES_FILE] if (sources / EXTRA_PLACES_FILE).is_file() else [])]
    hashes = {name: hashlib.sha256((sources / name).read_bytes()).hexdigest() for name in names}
    manifest = {
        "generator": "python -m geodata build",
        "source_sha256": hashes,
        "places": len(rows),
        "boundaries": counts,
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def build_texts(sources: Path, data_dir: Path) -> dict[str, str | bytes]:
    """Compute every generated file's text without writing anything.

    Parameters
    ----------
    sources : Path
        Folder with the staged source files.
    data_dir : Path
        ``geodata/data``; its ``added_places.csv`` is read as an input.

    Returns
    -------
    dict
        Relative path → file text (bytes for the gzip names index).
    """
    check_sources(sources)
    admin = load_admin(sources)
    records, left_out = _read_records(sources, admin, data_dir / ADDED_FILE)
    merged = merge_records(records)
    rows = apply_corrections([place_row(m) for m in merged])
    crosswalk = assign_admin(rows, [sa_path(m) for m in merged], admin)
    rows = admin_unit_places(admin) + rows
    texts: dict[str, str | bytes] = dict(_boundary_texts(admin, crosswalk, rows))
    counts = {level: str(texts[f"boundaries/{level}.geojson"]).count('"type":"Feature"') for level in bnd.LEVELS}
    added = read_csv(data_dir / ADDED_FILE).fillna("").to_dict("records") if (data_dir / ADDED_FILE).is_file() else []
    texts[PLACES_FILE] = places_csv(rows)
    places = [place_from_row(r) for r in read_place_rows(data_dir, text=str(texts[PLACES_FILE]))]
    texts[NAMES_FILE] = names_tsv_gz(places)
    texts["ATTRIBUTION.md"] = attribution_markdown(rows, counts, added, left_out)
    texts["manifest.json"] = _manifest(sources, rows, counts)
    for name, text in LICENSE_NOTES.items():
        texts[f"LICENSES/{name}"] = text
    return texts


def build(sources: Path | None = None, data_dir: Path | None = None) -> BuildReport:
    """Regenerate the bundled files under ``geodata/data``.

    Parameters
    ----------
    sources : Path, optional
        Source folder; defaults to ``../shared/geodata-sources`` next to the repository.
    data_dir : Path, optional
        Output folder; defaults to the package's ``data`` folder.

    Returns
    -------
    BuildReport
        Files written and counts.
    """
    sources = sources or default_sources_dir()
    data_dir = data_dir or Path(__file__).resolve().parents[1] / "data"
    texts = build_texts(sources, data_dir)
    for name, content in texts.items():
        if isinstance(content, bytes):
            (data_dir / name).write_bytes(content)
        else:
            write_text(data_dir / name, content)
    counts = {level: str(texts[f"boundaries/{level}.geojson"]).count('"type":"Feature"') for level in bnd.LEVELS}
    places = str(texts[PLACES_FILE]).count("\n") - 1
    return BuildReport(files=tuple(data_dir / n for n in sorted(texts)), places=places, boundaries=counts)
