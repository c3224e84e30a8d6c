"""Join records of the same place across sources by distance and normalised name.

Rules (deterministic: pairs are processed in order of distance, then ids):

* WOF records superseded by another WOF record join it; records sharing a GeoNames id within
  10 km join (WOF keeps two records for some towns, GeoNames rows repeat WOF ones).
* Otherwise two records join when they are within reach (1.5 km for two records of the same
  source, 3 km across sources, 6 km when either is a town of 50,000+ or an admin seat) and one
  name of each has the same skeleton, or the same phonetic key with similar skeletons.
* A merged place never holds two OCHA community codes or two GeoNames ids: those are distinct
  places by their own sources' account (Baghuz and Baghuz Fawqani stay apart).
* Hand-curated rows with ``overrides`` correct the coordinates of a source record instead of
  adding a place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from geodata.build.records import SourceRecord, dedupe
from geodata.geo import GridIndex, haversine_km
from geodata.normalise import NameKeys, name_keys

_CITY_CODES = frozenset({"PPLC", "PPLA", "PPLA2"})


@dataclass
class MergedPlace:
    """A group of source records describing one place; ``records[0]`` gives id and coordinates."""

    records: list[SourceRecord]
    ids: list[str] = field(default_factory=list)

    @property
    def primary(self) -> SourceRecord:
        """The record of highest priority (lowest rank, then id)."""
        return self.records[0]


class _UnionFind:
    """Union-find over record indices that refuses unions joining two distinct codes."""

    def __init__(self, records: list[SourceRecord]) -> None:
        self.parent = list(range(len(records)))
        self.codes: list[set[str]] = [_exclusive_codes(r) for r in records]

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def can_union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        return not _conflict(self.codes[ra], self.codes[rb])

    def union(self, a: int, b: int) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        self.parent[rb] = ra
        self.codes[ra] |= self.codes[rb]


def _exclusive_codes(record: SourceRecord) -> set[str]:
    codes = set()
    if record.pcode and record.pcode.startswith("C"):
        codes.add(f"ocha:{record.pcode}")
    if record.geonames_id:
        codes.add(f"gn:{record.geonames_id}")
    return codes


def _conflict(first: set[str], second: set[str]) -> bool:
    for prefix in ("ocha:", "gn:"):
        a = {c for c in first if c.startswith(prefix)}
        b = {c for c in second if c.startswith(prefix)}
        if a and b and a != b:
            return True
    return False


def _keys(record: SourceRecord) -> list[NameKeys]:
    return [k for k in (name_keys(n) for n in record.all_names()) if k.skeleton]


def names_match(first: list[NameKeys], second: list[NameKeys], distance_km: float) -> bool:
    """Tell whether two records' names denote the same place.

    Parameters
    ----------
    first, second : list of NameKeys
        Keys of every name of each record.
    distance_km : float
        Distance between the records; cross-script phonetic matches need 2 km or less.

    Returns
    -------
    bool
    """
    for a in first:
        for b in second:
            if a.script == b.script:
                if a.skeleton == b.skeleton:
                    return True
                if _similar_same_script(a, b):
                    return True
            elif distance_km <= 2.0 and _similar_cross_script(a, b):
                return True
    return False


def _similar_same_script(a: NameKeys, b: NameKeys) -> bool:
    if len(a.phonetic) < 3 or a.phonetic != b.phonetic:
        return False
    if ("~" in a.skeleton) != ("~" in b.skeleton):
        return False
    return fuzz.ratio(a.skeleton, b.skeleton) >= 75


def _similar_cross_script(a: NameKeys, b: NameKeys) -> bool:
    if ("~" in a.skeleton) != ("~" in b.skeleton):
        return False
    return len(a.phonetic) >= 3 and a.phonetic == b.phonetic


def _reach_km(a: SourceRecord, b: SourceRecord) -> float:
    if a.source == b.source:
        return 1.5
    big = any((r.population or 0) >= 50000 or (r.fcode or "") in _CITY_CODES for r in (a, b))
    return 6.0 if big else 3.0


def apply_overrides(records: list[SourceRecord]) -> list[SourceRecord]:
    """Move curated coordinates onto the records they correct and drop the override rows.

    Parameters
    ----------
    records : list of SourceRecord
        All records, including ``added`` rows.

    Returns
    -------
    list of SourceRecord
        The records without override rows; corrected records carry the curated point, the
        curated names, and a note citing the origin and the replaced point.
    """
    by_id = {r.id: r for r in records}
    kept = []
    for record in records:
        target = by_id.get(record.overrides or "")
        if record.overrides and target is None:
            raise ValueError(f"added place {record.id} overrides {record.overrides}, which no source has")
        if target is None:
            kept.append(record)
            continue
        target.note = (
            f"coordinates from {record.id} ({record.note}); "
            f"{target.id} gave {target.lat:.6f},{target.lon:.6f}"
        )
        target.lat, target.lon = record.lat, record.lon
        target.names_ar = dedupe([*target.names_ar, *record.names_ar])
        target.names_latin = dedupe([*target.names_latin, *record.names_latin])
        target.extra_ids.append(record.id)
        target.kind = record.kind or target.kind
    return kept


def _gn_and_superseded_pairs(records: list[SourceRecord]) -> list[tuple[float, int, int]]:
    index_of = {r.id: i for i, r in enumerate(records)}
    pairs = []
    by_gn: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        if record.superseded_by and f"wof:{record.superseded_by}" in index_of:
            pairs.append((0.0, i, index_of[f"wof:{record.superseded_by}"]))
        if record.geonames_id and record.source in {"wof", "gn"}:
            by_gn.setdefault(record.geonames_id, []).append(i)
    for members in by_gn.values():
        for j in members[1:]:
            d = haversine_km(records[members[0]].lat, records[members[0]].lon, records[j].lat, records[j].lon)
            if d <= 10.0:
                pairs.append((d, members[0], j))
    return pairs


def _name_pairs(records: list[SourceRecord]) -> list[tuple[float, int, int]]:
    grid = GridIndex(0.1)
    grid.extend((i, r.lat, r.lon) for i, r in enumerate(records))
    keys = [_keys(r) for r in records]
    pairs = []
    for i, record in enumerate(records):
        for j, distance in grid.near(record.lat, record.lon, 6.0):
            if not isinstance(j, int) or j <= i:
                continue
            other = records[j]
            if distance > _reach_km(record, other):
                continue
            if names_match(keys[i], keys[j], distance):
                pairs.append((distance, i, j))
    return pairs


def merge_records(records: list[SourceRecord]) -> list[MergedPlace]:
    """Group records of the same place.

    Parameters
    ----------
    records : list of SourceRecord
        Every locality record of every source (admin units are handled separately).

    Returns
    -------
    list of MergedPlace
        One entry per place, records ordered by priority, sorted by primary id.
    """
    records = sorted(apply_overrides(records), key=lambda r: r.id)
    union = _UnionFind(records)
    pairs = sorted(_gn_and_superseded_pairs(records)) + sorted(_name_pairs(records))
    for _, i, j in pairs:
        if union.can_union(i, j):
            union.union(i, j)
    groups: dict[int, list[SourceRecord]] = {}
    for i, record in enumerate(records):
        groups.setdefault(union.find(i), []).append(record)
    merged = []
    for members in groups.values():
        members.sort(key=_priority)
        ids = dedupe([i for r in members for i in (r.id, *r.extra_ids)])
        merged.append(MergedPlace(records=members, ids=ids))
    return sorted(merged, key=lambda m: m.primary.id)


def _priority(record: SourceRecord) -> tuple[int, int, str]:
    superseded = 1 if record.superseded_by else 0
    return (record.rank, superseded, record.id)
