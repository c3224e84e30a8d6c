"""The public gazetteer: geocoding, mentions, look-ups, search and boundaries."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geodata.core import ADMIN_KINDS, Core
from geodata.errors import DataFileError, InvalidPlaceError, UnknownLevelError
from geodata.index import NameEntry
from geodata.loading import (
    DATA_DIR,
    PLACE_FIELDS,
    PLACES_FILE,
    entries_for,
    place_from_row,
    read_name_entries,
    read_place_rows,
    read_town_neighbourhoods,
)
from geodata.model import GeocodeResult, Mention, Place, PlaceMatch
from geodata.normalise import name_keys, normalise
from geodata.resolve import Context, geocode, rank_name

if TYPE_CHECKING:  # pandas and geopandas are imported when a table is asked for: loading stays fast
    import geopandas as gpd
    import pandas as pd

__all__ = ["Gazetteer", "load_gazetteer"]

LEVELS: tuple[str, ...] = ("governorate", "district", "subdistrict")
RESULT_CACHE_SIZE = 8192


class Gazetteer:
    """Places of Syria and Iraq's Al-Anbar and Ninawa, with a bilingual geocoder.

    Build one with :func:`load_gazetteer` (cached); ``with_additions`` derives a new one that also
    knows user-added places and aliases. Instances are read-only and safe to share between threads.

    Parameters
    ----------
    core : Core
        Places and names index.
    data_dir : Path
        Folder of the bundled places table and boundaries.
    extra : list of Place
        User-added places (after the bundled ones in ``core``).
    """

    def __init__(self, core: Core, data_dir: Path = DATA_DIR, extra: tuple[Place, ...] = ()) -> None:
        self._core = core
        self._data_dir = data_dir
        self._extra = extra
        self._boundaries: dict[str, gpd.GeoDataFrame] = {}
        self._frame: pd.DataFrame | None = None
        self._lock = threading.Lock()
        # results are immutable but for their candidate list, copied on the way out
        self._geocode_cached = lru_cache(maxsize=RESULT_CACHE_SIZE)(lambda text, context: geocode(core, text, context))

    # ---------------------------------------------------------------- geocoding

    def geocode(self, text: str, context: str | None = None) -> GeocodeResult:
        """Geocode a place name or compound place string.

        Parameters
        ----------
        text : str
            Arabic or English: "البقعان", "Al Hamidiya neighbourhood, Deir Ezzor",
            "قرية البقعان بريف دير الزور الشرقي".
        context : str, optional
            A town, district or governorate that contains the place ("Abu Kamal", "دير الزور").

        Returns
        -------
        GeocodeResult
            ``match`` is the confident answer or ``None`` (ambiguous, unknown or below the
            confidence threshold); ``candidates`` lists the plausible places, best first.

        Examples
        --------
        >>> gaz = load_gazetteer()
        >>> gaz.geocode("الشعفة").match.name_en
        'Ash Sha`fah'
        """
        if not isinstance(text, str):
            raise TypeError(f"Expected a place name as str, got {type(text).__name__}: {text!r}")
        cached = self._geocode_cached(text, context)
        return GeocodeResult(query=cached.query, match=cached.match, candidates=list(cached.candidates))

    def clear_cache(self) -> None:
        """Forget remembered geocoding results (for cold-start measurements)."""
        self._geocode_cached.cache_clear()

    def find_mentions(self, text: str) -> list[Mention]:
        """Find place mentions in running Arabic or English text.

        Parameters
        ----------
        text : str
            A report or any text.

        Returns
        -------
        list of Mention
            Mentions in text order; ``start``/``end`` index the original string. Countryside
            phrases ("ريف دير الزور الشرقي", "Deir Ezzor eastern countryside") are mentions of
            the governorate or district.
        """
        from geodata.mentions import find_mentions

        return find_mentions(self._core, text)

    # ---------------------------------------------------------------- look-ups

    def get(self, place_id: str) -> Place | None:
        """Return the place with this id, or with this merged source id (``gn:174506``), else ``None``."""
        position = self._core.by_id.get(place_id)
        return self._core.places[position] if position is not None else None

    def admin_name(self, pcode: str | None) -> tuple[str, str]:
        """Return ``(name_ar, name_en)`` of an admin unit (``SY09``, ``SY0902``, ``wof:85672483``).

        Unknown or empty codes give ``("", "")`` so that a missing admin code never breaks a page.
        """
        place = self.get(pcode) if pcode else None
        return (place.name_ar, place.name_en) if place else ("", "")

    def nearby(self, lat: float, lon: float, km: float = 10, limit: int = 10) -> list[tuple[Place, float]]:
        """Places (not admin units) within ``km`` of a point, nearest first.

        Parameters
        ----------
        lat, lon : float
            The point in WGS84 degrees.
        km : float
            Radius in kilometres.
        limit : int
            Maximum number of places.

        Returns
        -------
        list of (Place, float)
            Places and their distances in km.
        """
        _check_point(lat, lon)
        distances = self._core.distances_from(lat, lon)
        order = np.argsort(distances, kind="stable")
        out: list[tuple[Place, float]] = []
        for position in order:
            if distances[position] > km or len(out) >= limit:
                break
            place = self._core.places[int(position)]
            if place.kind not in ADMIN_KINDS:
                out.append((place, round(float(distances[position]), 3)))
        return out

    def search(self, text: str, limit: int = 10) -> list[PlaceMatch]:
        """Free-text search across spelling variants, for a place picker.

        Parameters
        ----------
        text : str
            What the user typed (a prefix is enough from two letters).
        limit : int
            Maximum number of results.

        Returns
        -------
        list of PlaceMatch
            Best first; unlike ``geocode`` there is no confidence threshold.
        """
        if not normalise(text):
            return []
        candidates = rank_name(self._core, [(text, 1.0)], Context())
        seen = {c.position for c in candidates}
        results = [self._core.match(c.position, c.score) for c in candidates]
        if len(results) < limit:
            results += self._prefix_matches(text, seen, limit - len(results))
        return results[:limit]

    def _prefix_matches(self, text: str, seen: set[int], limit: int) -> list[PlaceMatch]:
        keys = name_keys(text)
        found: dict[int, float] = {}
        for prefix in {keys.full, keys.base}:
            for i in self._core.index.prefix_entries(prefix, limit):
                entry = self._core.index.entries[i]
                if entry.place not in seen:
                    score = 0.5 * len(prefix) / max(len(entry.keys.full), 1)
                    found[entry.place] = max(found.get(entry.place, 0.0), score)
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], -(self._core.places[kv[0]].population or 0), kv[0]))
        return [self._core.match(p, s) for p, s in ranked[:limit]]

    # ---------------------------------------------------------------- tables

    def places_frame(self) -> pd.DataFrame:
        """All places as a DataFrame of text columns (a copy: callers may change it freely).

        Columns are those of the bundled ``places.csv`` (``PLACE_FIELDS``); user-added places follow.
        """
        import pandas as pd

        with self._lock:
            if self._frame is None:
                path = self._data_dir / PLACES_FILE
                try:
                    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
                except (OSError, ValueError) as error:
                    raise DataFileError(f"Expected the places table at {path}; could not read it: {error}") from error
                if self._extra:
                    frame = pd.concat([frame, _frame_rows(list(self._extra))], ignore_index=True)
                self._frame = frame
            return self._frame.copy()

    def boundaries(self, level: str) -> gpd.GeoDataFrame:
        """Boundaries of one admin level, simplified for display (EPSG:4326).

        Parameters
        ----------
        level : {"governorate", "district", "subdistrict"}
            Sub-district areas are derived and approximate (``approximate`` column).

        Returns
        -------
        geopandas.GeoDataFrame
            Columns id, level, name_ar, name_en, admin1, admin2, country, source, approximate,
            method, geometry. A copy.
        """
        return self._load_boundaries(level, detail=False).copy()

    def _load_boundaries(self, level: str, detail: bool) -> gpd.GeoDataFrame:
        if level not in LEVELS:
            raise UnknownLevelError(f"Expected level to be one of {LEVELS}, got {level!r}")
        key = f"{level}_detail" if detail else level
        import geopandas as gpd

        with self._lock:
            if key not in self._boundaries:
                path = self._data_dir / "boundaries" / f"{key}.geojson"
                try:
                    frame = gpd.read_file(path)
                except Exception as error:  # pyogrio raises several types
                    raise DataFileError(f"Expected boundaries at {path}; could not read them: {error}") from error
                self._boundaries[key] = frame.set_crs(4326, allow_override=True)
            return self._boundaries[key]

    def locate(self, lat: float, lon: float) -> dict[str, str | None]:
        """Admin codes of a point: ``{"admin1", "admin2", "admin3"}`` (``None`` outside the coverage).

        Uses the detailed boundaries; sub-districts are the derived, approximate areas.
        """
        import shapely

        _check_point(lat, lon)
        point = shapely.Point(lon, lat)
        codes: dict[str, str | None] = {}
        for name, level in zip(("admin1", "admin2", "admin3"), LEVELS, strict=True):
            frame = self._load_boundaries(level, detail=True)
            hits = frame[frame.geometry.contains(point)]
            codes[name] = str(hits.iloc[0]["id"]) if len(hits) else None
        return codes

    # ---------------------------------------------------------------- additions

    def with_additions(self, places: list[dict[str, Any]], aliases: list[tuple[str, str]]) -> Gazetteer:
        """A gazetteer that also knows user-added places and aliases (this one is unchanged).

        Parameters
        ----------
        places : list of dict
            Each with ``name_ar`` and/or ``name_en``, ``lat``, ``lon``; optional ``id`` (default
            ``user:<n>``), ``kind`` (default ``village``), ``alt_names`` (list or ``|``-joined),
            ``admin1``/``admin2``/``admin3`` (derived from the boundaries when absent).
        aliases : list of (str, str)
            ``(alias, place_id)`` pairs: another spelling of an existing or added place. The
            reversed order ``(place_id, alias)`` is accepted when unambiguous.

        Returns
        -------
        Gazetteer
            A new gazetteer; user places carry ``sources == ("user",)``.
        """
        core = self._core
        new_places = [self._user_place(spec, n) for n, spec in enumerate(places, start=1)]
        all_places = list(core.places) + new_places
        by_id = {p.id: i for i, p in enumerate(all_places)}
        alias_entries = [self._alias_entry(pair, by_id) for pair in aliases]
        entries = [*core.index.entries, *entries_for(new_places, start=len(core.places)), *alias_entries]
        return Gazetteer(Core.create(all_places, entries, core.neighbourhoods), self._data_dir, (*self._extra, *new_places))

    def _user_place(self, spec: dict[str, Any], number: int) -> Place:
        try:
            lat, lon = float(spec["lat"]), float(spec["lon"])
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidPlaceError(f"Expected numeric 'lat' and 'lon' in user place, got {spec!r}") from error
        _check_point(lat, lon)
        name_ar, name_en = str(spec.get("name_ar") or ""), str(spec.get("name_en") or "")
        if not normalise(name_ar + " " + name_en):
            raise InvalidPlaceError(f"Expected a 'name_ar' or 'name_en' in user place, got {spec!r}")
        alts = spec.get("alt_names") or ()
        alts = tuple(a for a in (alts.split("|") if isinstance(alts, str) else alts) if a)
        admin = {k: spec.get(k) for k in ("admin1", "admin2", "admin3")}
        if not any(admin.values()):
            admin = self.locate(lat, lon)
        place_id = str(spec.get("id") or f"user:{number}")
        return Place(
            id=place_id, name_ar=name_ar, name_en=name_en, lat=lat, lon=lon, kind=str(spec.get("kind") or "village"),
            admin1=admin["admin1"], admin2=admin["admin2"], admin3=admin["admin3"], alt_names=alts,
            country=str(spec.get("country") or ("IQ" if str(admin["admin1"] or "").startswith("wof:") else "SY")),
            sources=("user",), source_ids=(place_id,), admin3_method="user" if spec.get("admin3") else "boundaries",
            coord_source=place_id,
        )

    @staticmethod
    def _alias_entry(pair: tuple[str, str], by_id: dict[str, int]) -> NameEntry:
        if len(pair) != 2:
            raise InvalidPlaceError(f"Expected an (alias, place_id) pair, got {pair!r}")
        alias, place_id = pair
        if place_id not in by_id and alias in by_id:
            alias, place_id = place_id, alias
        if place_id not in by_id:
            raise InvalidPlaceError(f"Expected an (alias, place_id) pair naming a known place, got {pair!r}")
        keys = name_keys(alias)
        if not keys.skeleton:
            raise InvalidPlaceError(f"Expected an alias with letters, got {alias!r}")
        return NameEntry(by_id[place_id], alias, keys)

    def without_names(self, names: Iterable[str]) -> Gazetteer:
        """A gazetteer whose index lacks these spellings, for every place (held-out evaluation).

        Parameters
        ----------
        names : iterable of str
            Spellings to remove, exactly as written; other spellings that normalise alike stay.
        """
        core = self._core
        drop = set(names)
        keep = [e for e in core.index.entries if e.name not in drop]
        return Gazetteer(Core.create(core.places, keep, core.neighbourhoods), self._data_dir, self._extra)

    def without_places(self, place_ids: Iterable[str]) -> Gazetteer:
        """A gazetteer whose index lacks every name of these places (the places stay, unnamed):
        how the geocoder answers names of places it does not know (evaluation).

        Parameters
        ----------
        place_ids : iterable of str
            Ids of the places to forget.
        """
        core = self._core
        drop = {core.by_id[pid] for pid in place_ids if pid in core.by_id}
        keep = [e for e in core.index.entries if e.place not in drop]
        return Gazetteer(Core.create(core.places, keep, core.neighbourhoods), self._data_dir, self._extra)

    def __len__(self) -> int:
        return len(self._core.places)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self)} places, {len(self._core.index)} names>"


def _frame_rows(places: list[Place]) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for place in places:
        data = place.to_dict()
        for key in ("alt_names", "sources", "source_ids"):
            data[key] = "|".join(data[key])
        rows.append({field: "" if data.get(field) is None else str(data.get(field)) for field in PLACE_FIELDS})
    return pd.DataFrame(rows, columns=list(PLACE_FIELDS))


def _check_point(lat: float, lon: float) -> None:
    if not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
        raise InvalidPlaceError(f"Expected (lat, lon) in degrees, got ({lat!r}, {lon!r})")


_CACHE: dict[str, Gazetteer] = {}
_CACHE_LOCK = threading.Lock()


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    """Load the bundled gazetteer (cached per data folder; later calls return the same object).

    Parameters
    ----------
    data_dir : Path, optional
        Folder with ``places.csv``, ``names.csv.gz`` and ``boundaries/``; defaults to the
        package's bundled data.

    Returns
    -------
    Gazetteer
    """
    folder = Path(data_dir) if data_dir else DATA_DIR
    key = str(folder.resolve())
    with _CACHE_LOCK:
        if key not in _CACHE:
            places = [place_from_row(row) for row in read_place_rows(folder)]
            by_id = {p.id: i for i, p in enumerate(places)}
            entries = read_name_entries(by_id, folder)
            neighbourhoods = read_town_neighbourhoods(by_id, folder)
            _CACHE[key] = Gazetteer(Core.create(places, entries, neighbourhoods), folder)
        return _CACHE[key]
