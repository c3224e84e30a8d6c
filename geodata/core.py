"""The in-memory gazetteer: places, their names index, coordinates and region tiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geodata.geo import haversine_km, haversine_many
from geodata.index import NameEntry, NameIndex
from geodata.model import Place, PlaceMatch

__all__ = ["ADMIN_KINDS", "POPULATED_KINDS", "Core", "far_from_home", "precision_of", "prominence", "region_tier"]

ADMIN_KINDS = frozenset({"governorate", "district", "subdistrict"})
POPULATED_KINDS = frozenset({"city", "town", "village"})
ANBAR_ID = "wof:85672483"

#: Deir ez-Zor first, then the governorates that border it (Al-Hasakeh, Ar-Raqqa, Homs, Al-Anbar).
_TIERS: dict[str, int] = {"SY09": 0, "SY08": 1, "SY11": 1, "SY04": 1, ANBAR_ID: 1}
#: Grid step (degrees, about 15 km) of the "near Deir ez-Zor" test: a place outside the governorate
#: is near when its cell or a neighbouring cell holds a place of Deir ez-Zor.
NEAR_CELL_DEG = 0.15


def far_from_home(places: list[Place], tiers: list[int]) -> list[bool]:
    """True for places outside Deir ez-Zor governorate and not just across its border (about 15-30 km).

    A report about Deir ez-Zor that names such a place by a name shared with a place of Deir ez-Zor, or
    with no context pointing there, most likely means another place: the geocoder offers it as a
    candidate, never as a confident match (``geodata.resolve.decide``).
    """

    def cell(place: Place) -> tuple[int, int]:
        return int(place.lat // NEAR_CELL_DEG), int(place.lon // NEAR_CELL_DEG)

    home = {cell(p) for p, tier in zip(places, tiers, strict=True) if tier == 0}
    near = {(a + da, b + db) for a, b in home for da in (-1, 0, 1) for db in (-1, 0, 1)}
    return [tier != 0 and cell(p) not in near for p, tier in zip(places, tiers, strict=True)]


def region_tier(place: Place) -> int:
    """0 for Deir ez-Zor governorate, 1 for its neighbours, 2 elsewhere."""
    return _TIERS.get(place.admin1 or "", 2)


def precision_of(kind: str) -> str:
    """Precision of a match to a place of this kind (sites and camps are ``exact``)."""
    if kind in {"site", "camp"}:
        return "exact"
    if kind == "neighbourhood":
        return "neighbourhood"
    if kind in ADMIN_KINDS:
        return kind
    return "village"


_BASE_PROMINENCE = {"city": 1.0, "town": 0.85, "camp": 0.6, "neighbourhood": 0.5, "site": 0.4, "village": 0.45}


def prominence(place: Place) -> float:
    """How likely a report means this place rather than a namesake (0..1).

    Cities first, then towns; communities on the OCHA list, GeoNames cities500 rows (500+ people
    or admin seats) and curated places before hamlets only one gazetteer knows.
    """
    if place.kind in ADMIN_KINDS:
        return 0.9
    value = _BASE_PROMINENCE.get(place.kind, 0.45)
    listed = (place.pcode or "").startswith("C") or "gn" in place.sources or "added" in place.sources
    return min(1.0, value + (0.3 if listed else 0.0))


@dataclass
class Core:
    """Places, names and coordinates, shared by every query.

    Attributes
    ----------
    places : list of Place
        All places (index = position).
    index : NameIndex
        Every name of every place.
    by_id : dict
        Place id (and every merged source id) → position.
    lats, lons : numpy.ndarray
        Coordinates by position.
    tiers, prominence : list
        Region tier (``region_tier``) and ``prominence`` by position.
    far : list of bool
        ``far_from_home`` by position.
    neighbourhoods : dict
        Skeleton of a neighbourhood name known without coordinates → position of its town
        (``loading.read_town_neighbourhoods``).
    order : list of int
        Rank of each position among equally scored candidates: Deir ez-Zor first, then
        prominence, population, id.
    """

    places: list[Place]
    index: NameIndex
    by_id: dict[str, int]
    lats: np.ndarray
    lons: np.ndarray
    tiers: list[int]
    prominence: list[float]
    order: list[int]
    far: list[bool] = field(default_factory=list)
    neighbourhoods: dict[str, int] = field(default_factory=dict)
    _match_fields: dict[int, tuple[Any, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def create(
        cls, places: list[Place], entries: Iterable[NameEntry], neighbourhoods: dict[str, int] | None = None
    ) -> Core:
        """Build the core from places and name entries (entries refer to place positions)."""
        by_id: dict[str, int] = {}
        for i, place in enumerate(places):
            for source_id in place.source_ids:
                by_id.setdefault(source_id, i)
        for i, place in enumerate(places):
            by_id[place.id] = i
        lats = np.array([p.lat for p in places], dtype=float)
        lons = np.array([p.lon for p in places], dtype=float)
        tiers = [region_tier(p) for p in places]
        index = NameIndex(entries, place_order=tiers)
        weights = [prominence(p) for p in places]
        ranked = sorted(range(len(places)), key=lambda i: (tiers[i], -weights[i], -(places[i].population or 0), places[i].id))
        order = [0] * len(places)
        for rank, position in enumerate(ranked):
            order[position] = rank
        return cls(
            places=places, index=index, by_id=by_id, lats=lats, lons=lons, tiers=tiers, prominence=weights, order=order,
            far=far_from_home(places, tiers), neighbourhoods=dict(neighbourhoods or {}),
        )

    def distance_km(self, a: int, b: int) -> float:
        """Distance between two places by position."""
        pa, pb = self.places[a], self.places[b]
        return haversine_km(pa.lat, pa.lon, pb.lat, pb.lon)

    def distances_from(self, lat: float, lon: float) -> np.ndarray:
        """Distances in km from a point to every place."""
        return haversine_many(lat, lon, self.lats, self.lons)

    def contains(self, outer: int, inner: int) -> bool:
        """True if place ``outer`` is an admin unit containing place ``inner``."""
        unit = self.places[outer]
        if unit.kind not in ADMIN_KINDS or outer == inner:
            return False
        other = self.places[inner]
        return unit.id in (other.admin1, other.admin2, other.admin3)

    def match(self, position: int, score: float, precision: str | None = None) -> PlaceMatch:
        """A ``PlaceMatch`` for the place at ``position``."""
        fields = self._match_fields.get(position)
        if fields is None:
            p = self.places[position]
            fields = (p.id, p.name_ar, p.name_en, p.lat, p.lon, p.kind, p.admin1, p.admin2, p.admin3, precision_of(p.kind))
            self._match_fields[position] = fields
        score = 0.0 if score < 0.0 else 1.0 if score > 1.0 else score
        f = fields
        return PlaceMatch(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], precision or f[9], round(score, 3))
