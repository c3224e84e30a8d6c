"""Read the bundled files of ``geodata/data`` (and write the names index at build time)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from geodata.errors import DataFileError
from geodata.index import NameEntry
from geodata.model import Place
from geodata.normalise import NameKeys, name_keys

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = "places.csv"
NAMES_FILE = "names.tsv.gz"
#: Hand-curated: neighbourhoods of a town known by name from a cited source, without coordinates of their own.
TOWN_NEIGHBOURHOODS_FILE = "town_neighbourhoods.csv"
NAME_COLUMNS: tuple[str, ...] = ("id", "name", "script", "hint", "full", "skeleton", "phonetic", "roman", "words")


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split("|")) if value else ()


PLACE_FIELDS: tuple[str, ...] = (
    "id", "name_ar", "name_en", "alt_names", "lat", "lon", "kind", "country", "admin1", "admin2", "admin3",
    "admin3_method", "pcode", "geonames_id", "wikidata_id", "population", "sources", "source_ids",
    "coord_source", "note",
)


def _read_rows(path: Path, text: str | None = None) -> list[dict[str, str]]:
    if text is None:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    else:
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def read_place_rows(data_dir: Path = DATA_DIR, text: str | None = None) -> list[dict[str, str]]:
    """Read ``places.csv`` as dicts of text ("" for empty cells), or parse ``text`` if given."""
    path = data_dir / PLACES_FILE
    try:
        rows = _read_rows(path, text)
    except (OSError, csv.Error, UnicodeDecodeError) as error:
        raise DataFileError(f"Expected the bundled places table at {path}; could not read it: {error}") from error
    if rows and set(PLACE_FIELDS) - set(rows[0]):
        raise DataFileError(f"Expected columns {PLACE_FIELDS} in {path}; rebuild with `python -m geodata build`")
    return rows


def place_from_row(row: dict[str, str]) -> Place:
    """Turn one row of the places table into a ``Place``."""
    population = row["population"]
    return Place(
        id=row["id"],
        name_ar=row["name_ar"],
        name_en=row["name_en"],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        kind=row["kind"],
        admin1=row["admin1"] or None,
        admin2=row["admin2"] or None,
        admin3=row["admin3"] or None,
        pcode=row["pcode"] or None,
        geonames_id=row["geonames_id"] or None,
        alt_names=_split(row["alt_names"]),
        country=row["country"],
        population=int(population) if population else None,
        sources=_split(row["sources"]),
        source_ids=_split(row["source_ids"]),
        admin3_method=row["admin3_method"],
        coord_source=row["coord_source"],
    )


def entries_for(places: Iterable[Place], start: int = 0) -> Iterator[NameEntry]:
    """Compute the name entries of places (position numbering starts at ``start``)."""
    for offset, place in enumerate(places):
        for name in dict.fromkeys(place.names):
            keys = name_keys(name)
            if keys.skeleton:
                yield NameEntry(start + offset, name, keys)


def names_tsv_gz(places: list[Place]) -> bytes:
    """Render the precomputed names index as deterministic gzip bytes (mtime 0, no file name).

    One tab-separated line per name: the place id, the name and its keys (``NAME_COLUMNS``).
    Names never contain tabs or line breaks (the build cleans whitespace).
    """
    lines = ["\t".join(NAME_COLUMNS)]
    for entry in entries_for(places):
        k = entry.keys
        roman = k.roman if k.roman != k.base else ""
        fields = [
            places[entry.place].id, entry.name, k.script, k.hint or "", k.full, k.skeleton, k.phonetic, roman,
            str(k.words),
        ]
        lines.append("\t".join(f.replace("\t", " ") for f in fields))
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as handle:
        handle.write(raw)
    return out.getvalue()


def read_name_entries(by_id: dict[str, int], data_dir: Path = DATA_DIR) -> list[NameEntry]:
    """Read the precomputed names index.

    Parameters
    ----------
    by_id : dict
        Place id → position.
    data_dir : Path
        Folder with ``names.csv.gz``.

    Returns
    -------
    list of NameEntry
    """
    path = data_dir / NAMES_FILE
    try:
        with gzip.open(path, "rb") as handle:
            lines = handle.read().decode("utf-8").split("\n")
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise DataFileError(f"Expected the bundled names index at {path}; could not read it: {error}") from error
    if tuple(lines[0].split("\t")) != NAME_COLUMNS:
        raise DataFileError(f"Expected columns {NAME_COLUMNS} in {path}, got {lines[0]!r}")
    new = tuple.__new__  # NamedTuple construction without the keyword-argument overhead
    entries = []
    for line in lines[1:]:
        if not line:
            continue
        pid, name, script, hint, full, skeleton, phonetic, roman, words = line.split("\t")
        position = by_id.get(pid)
        if position is None:
            raise DataFileError(f"{path} names place {pid!r}, which {PLACES_FILE} lacks: rebuild with `python -m geodata build`")
        base = skeleton.split("~", 1)[0]
        keys = new(NameKeys, (full, skeleton, base, phonetic, script, hint or None, roman or base, int(words)))
        entries.append(new(NameEntry, (position, name, keys)))
    return entries


def read_town_neighbourhoods(by_id: dict[str, int], data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Neighbourhood names (their skeletons, generic words dropped) → position of the town they belong to.

    The file lists neighbourhoods a cited source names without coordinates (``town_neighbourhoods.csv``:
    ``name_ar``, ``alt_names``, ``town_id``, ``origin``): a string naming one is answered with its town at
    neighbourhood precision. A missing file gives an empty table.
    """
    path = data_dir / TOWN_NEIGHBOURHOODS_FILE
    if not path.is_file():
        return {}
    table: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                town = by_id.get(row["town_id"])
                if town is None:
                    raise DataFileError(f"Expected a known town_id in {path}, got {row['town_id']!r}")
                for name in (row["name_ar"], *_split(row.get("alt_names") or "")):
                    key = name_keys(name).base
                    if key:
                        table.setdefault(key, town)
    except (OSError, KeyError, csv.Error) as error:
        raise DataFileError(f"Expected the neighbourhoods table at {path}; could not read it: {error}") from error
    return table
