"""Small geometry helpers: great-circle distance and a grid index for near-point queries."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres between two WGS84 points.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float
        Coordinates in degrees.

    Returns
    -------
    float
        Distance in km.

    Examples
    --------
    >>> round(haversine_km(34.5, 40.9, 34.6, 40.9), 1)
    11.1
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_many(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Vectorised ``haversine_km`` from one point to arrays of points.

    Parameters
    ----------
    lat, lon : float
        The origin in degrees.
    lats, lons : numpy.ndarray
        Arrays of latitudes and longitudes in degrees.

    Returns
    -------
    numpy.ndarray
        Distances in km.
    """
    phi1 = np.radians(lat)
    phi2 = np.radians(lats)
    dphi = phi2 - phi1
    dlmb = np.radians(lons - lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


class GridIndex:
    """Bucket points in square cells of ``cell_deg`` degrees for fast near-point candidate search.

    Parameters
    ----------
    cell_deg : float
        Cell size in degrees (0.1° is about 11 km north-south).
    """

    def __init__(self, cell_deg: float = 0.1) -> None:
        self.cell_deg = cell_deg
        self._cells: dict[tuple[int, int], list[tuple[Hashable, float, float]]] = defaultdict(list)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self.cell_deg), math.floor(lon / self.cell_deg))

    def add(self, key: Hashable, lat: float, lon: float) -> None:
        """Add a point under ``key``."""
        self._cells[self._cell(lat, lon)].append((key, lat, lon))

    def extend(self, items: Iterable[tuple[Hashable, float, float]]) -> None:
        """Add many ``(key, lat, lon)`` points."""
        for key, lat, lon in items:
            self.add(key, lat, lon)

    def near(self, lat: float, lon: float, km: float) -> Iterator[tuple[Hashable, float]]:
        """Yield ``(key, distance_km)`` for points within ``km`` of ``(lat, lon)``."""
        # 85 km per degree is below a degree of longitude everywhere south of 40°N.
        reach = max(1, math.ceil(km / (85.0 * self.cell_deg)))
        row, col = self._cell(lat, lon)
        for drow in range(-reach, reach + 1):
            for dcol in range(-reach, reach + 1):
                for key, plat, plon in self._cells.get((row + drow, col + dcol), ()):
                    distance = haversine_km(lat, lon, plat, plon)
                    if distance <= km:
                        yield key, distance
