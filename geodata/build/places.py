"""Turn merged source records into rows of the bundled places table."""

from __future__ import annotations

from geodata.build.admin import PLACE_COLUMNS, PlaceRow
from geodata.build.merge import MergedPlace
from geodata.build.records import SourceRecord, dedupe

_ARABIC_ORDER = {"added": 0, "ocha": 1, "wof": 2, "gn": 3, "sa": 4, "extra": 5}
_LATIN_ORDER = {"added": 0, "wof": 1, "gn": 2, "ocha": 3, "sa": 4, "extra": 5}
_KIND_BY_FCODE = {"PPLC": "city", "PPLA": "city", "PPLX": "neighbourhood", "PPLH": "site"}


def decide_kind(records: list[SourceRecord]) -> str:
    """Choose the kind of a merged place.

    In order: a kind given by a curated row; WOF's neighbourhood/campus; a named site of the extra places; a name starting with
    مخيم/Camp (camp); GeoNames feature codes and population (PPLC/PPLA cities, PPLA2 a city from
    40,000 people and a town below, PPLA3 or 10,000+ people a town, 100,000+ a city); the kind of a
    Syrian Archive location (neighbourhood, site, camp); otherwise a village.
    """
    by_source = {r.source: r.kind for r in reversed(records) if r.kind}
    for source in ("added", "wof", "extra"):
        if by_source.get(source):
            return str(by_source[source])
    names = [n for r in records for n in (r.name_ar, r.name_en)]
    if any(n.startswith("مخيم") or n.lower().startswith("camp ") for n in names):
        return "camp"
    settled = _kind_from_codes(records)
    if settled:
        return settled
    return str(by_source.get("sa") or "village")


def _kind_from_codes(records: list[SourceRecord]) -> str | None:
    population = max((r.population or 0 for r in records), default=0)
    codes = {r.fcode for r in records if r.fcode}
    for code, kind in _KIND_BY_FCODE.items():
        if code in codes:
            return kind
    if "PPLA2" in codes:
        return "city" if population >= 40000 else "town"
    if "PPLA3" in codes or population >= 10000:
        return "city" if population >= 100000 else "town"
    return None


def _preferred(records: list[SourceRecord], attribute: str, order: dict[str, int]) -> str:
    for record in sorted(records, key=lambda r: (order.get(r.source, 9), r.id)):
        value = getattr(record, attribute)
        if value:
            return str(value)
    return ""


def _coordinate_record(records: list[SourceRecord]) -> SourceRecord:
    for record in records:
        if record.note.startswith("coordinates from added:"):
            return record
    return records[0]


def place_row(place: MergedPlace) -> PlaceRow:
    """Build the table row of one merged place (admin codes are filled later).

    Parameters
    ----------
    place : MergedPlace
        Records of one place, highest priority first.

    Returns
    -------
    dict
        Row with ``PLACE_COLUMNS`` keys.
    """
    records = place.records
    name_ar = _preferred(records, "name_ar", _ARABIC_ORDER)
    name_en = _preferred(records, "name_en", _LATIN_ORDER)
    names = dedupe([n for r in records for n in r.all_names()])
    coords = _coordinate_record(records)
    row: PlaceRow = {column: None for column in PLACE_COLUMNS}
    row.update(
        id=place.primary.id,
        name_ar=name_ar,
        name_en=name_en,
        alt_names=[n for n in names if n not in (name_ar, name_en)],
        lat=round(coords.lat, 6),
        lon=round(coords.lon, 6),
        kind=decide_kind(records),
        country=place.primary.country,
        pcode=next((r.pcode for r in records if r.pcode), None),
        geonames_id=next((r.geonames_id for r in records if r.geonames_id), None),
        wikidata_id=next((r.wikidata_id for r in records if r.wikidata_id), None),
        population=next((r.population for r in records if r.population), None),
        sources=sorted({r.source for r in records} | ({"added"} if len(place.ids) > len(records) else set())),
        source_ids=place.ids,
        coord_source=coords.id if not coords.note.startswith("coordinates from") else coords.extra_ids[0],
        note="; ".join(dedupe([r.note for r in records if r.note])),
    )
    return row


def sa_path(place: MergedPlace) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Syrian Archive admin path of a place (from its OCHA community record), if any."""
    for record in place.records:
        if record.sa_path_en or record.sa_path_ar:
            return record.sa_path_en, record.sa_path_ar
    return (), ()
