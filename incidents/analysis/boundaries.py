"""The administrative boundaries the map draws: Deir ez-Zor's districts and sub-districts, the governorates around
it, and its towns and villages, simplified from the bundled gazetteer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from incidents.analysis import mapping
from incidents.domain.region import GOVERNORATE

#: How far around the governorate neighbouring governorates are drawn (degrees).
NEIGHBOURHOOD_DEGREES = 0.6


@dataclass(frozen=True)
class Boundaries:
    """The bundled boundaries prepared for the map (read-only)."""

    levels: dict[str, dict]  # level → FeatureCollection (base map)
    areas: dict[str, dict]  # P-code → geometry, for incidents located to an admin unit
    bounds: list[list[float]] | None
    size: int  # bytes of JSON the base map carries
    settlements: pd.DataFrame | None = None  # the governorate's towns and villages, named on the base map


#: No boundaries (no gazetteer, or its boundary files cannot be read): the map shows no outlines.
NO_BOUNDARIES = Boundaries(levels={}, areas={}, bounds=None, size=0)


def build_boundaries(gazetteer: Any) -> Boundaries:
    """Return the governorate's districts and sub-districts and the surrounding governorates, simplified.

    Parameters
    ----------
    gazetteer
        A :class:`geodata.Gazetteer` (its boundaries and places).

    Raises
    ------
    geodata.errors.GeodataError
        A boundary file cannot be read.
    """
    levels = _levels(gazetteer)
    areas = {f["properties"]["id"]: f["geometry"] for level in ("district", "subdistrict")
             for f in levels[level]["features"]}
    areas.update({f["properties"]["id"]: f["geometry"] for f in levels["governorate"]["features"]
                  if f["properties"]["id"] == GOVERNORATE})
    bounds = mapping.collection_bounds(
        {"features": [f for f in levels["governorate"]["features"] if f["properties"]["id"] == GOVERNORATE]})
    places = gazetteer.places_frame()
    settlements = places[places["admin1"] == GOVERNORATE].reset_index(drop=True)
    # What the base map really weighs in the page (boundaries, labels, Leaflet set-up), English labels.
    size = len(mapping.build_base_map(levels, bounds=bounds, settlements=settlements).get_root().render()
               .encode("utf-8"))
    return Boundaries(levels=levels, areas=areas, bounds=bounds, size=size, settlements=settlements)


def _levels(gazetteer: Any) -> dict[str, dict]:
    """Level → simplified FeatureCollection: the governorates near ours, then our districts and sub-districts."""
    governorates = gazetteer.boundaries("governorate")
    home = governorates[governorates["id"] == GOVERNORATE]
    if len(home):
        west, south, east, north = home.total_bounds
        margin = NEIGHBOURHOOD_DEGREES
        near = governorates.cx[west - margin:east + margin, south - margin:north + margin]
    else:
        near = governorates
    levels = {"governorate": mapping.boundary_collection(near, tolerance=0.01)}
    for level in ("district", "subdistrict"):
        frame = gazetteer.boundaries(level)
        levels[level] = mapping.boundary_collection(frame[frame["admin1"] == GOVERNORATE], tolerance=0.004)
    return levels


def unit_ids(boundaries: Boundaries) -> list[str]:
    """Return the P-codes of the sub-districts drawn (the choropleth's units)."""
    return [f["properties"]["id"] for f in boundaries.levels.get("subdistrict", {}).get("features", [])]
