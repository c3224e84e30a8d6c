"""Putting incidents on the map with the gazetteer: fill place, coordinates and admin codes.

The gazetteer is passed in (``geodata.load_gazetteer()`` at the edges); this module only applies its answers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from geodata.geo import haversine_km
from incidents.domain.records import Incident

#: How far a stated point may lie from the named place for the place id to be attached, in km.
SAME_PLACE_KM = 5.0
#: How far the nearest gazetteer place may be for its admin codes to be used, in km.
ADMIN_FROM_NEAREST_KM = 15.0


class Gazetteer(Protocol):
    """What this module needs of ``geodata.Gazetteer``."""

    def geocode(self, text: str, context: str | None = None) -> Any: ...
    def get(self, place_id: str) -> Any: ...
    def nearby(self, lat: float, lon: float, km: float = 10, limit: int = 10) -> list: ...


def apply_place(incident: Incident, place: Any, precision: str | None = None) -> Incident:
    """Return ``incident`` placed at gazetteer ``place`` (a PlaceMatch or Place): id, names, point, admin codes.

    ``precision`` (else the match's own, else "village") becomes the location precision.
    """
    return replace(
        incident,
        place_id=place.id, place_name_ar=place.name_ar or incident.place_name_ar,
        place_name_en=place.name_en or incident.place_name_en, lat=place.lat, lon=place.lon,
        admin1=place.admin1, admin2=place.admin2, admin3=place.admin3,
        location_precision=precision or getattr(place, "precision", None) or "village",
    )


def locate_incident(incident: Incident, gazetteer: Gazetteer) -> tuple[Incident, bool]:
    """Fill what the gazetteer knows about the incident's place; return it and whether it is placed.

    * a known ``place_id`` fills missing names, point and admin codes;
    * a place name without coordinates is geocoded (no match: left unplaced, never guessed);
    * coordinates without admin codes take those of the nearest gazetteer place.
    """
    if incident.place_id and incident.lat is not None:
        return _fill_admin(incident, gazetteer), True
    if incident.place_id and (known := gazetteer.get(incident.place_id)) is not None:
        precision = incident.location_precision if incident.location_precision != "unknown" else None
        return apply_place(incident, known, precision), True
    if incident.lat is not None and incident.lon is not None:
        return _attach_named_place(_fill_admin(incident, gazetteer), gazetteer), True
    if incident.place_text:
        match = gazetteer.geocode(incident.place_text).match
        if match is not None:
            return apply_place(incident, match), True
    return incident, False


def _fill_admin(incident: Incident, gazetteer: Gazetteer) -> Incident:
    if incident.admin1 or incident.lat is None or incident.lon is None:
        return incident
    near = gazetteer.nearby(incident.lat, incident.lon, km=ADMIN_FROM_NEAREST_KM, limit=1)
    if not near:
        return incident
    place, _km = near[0]
    return replace(incident, admin1=place.admin1, admin2=place.admin2, admin3=place.admin3)


def _attach_named_place(incident: Incident, gazetteer: Gazetteer) -> Incident:
    if incident.place_id or not incident.place_text or incident.lat is None or incident.lon is None:
        return incident
    match = gazetteer.geocode(incident.place_text).match
    if match is None or haversine_km(incident.lat, incident.lon, match.lat, match.lon) > SAME_PLACE_KM:
        return incident
    return replace(incident, place_id=match.id, place_name_ar=incident.place_name_ar or match.name_ar,
                   place_name_en=incident.place_name_en or match.name_en)

