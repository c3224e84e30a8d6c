"""Value objects returned by the gazetteer: places, matches, geocoding results, mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["PRECISIONS", "GeocodeResult", "Mention", "Place", "PlaceMatch"]

#: Allowed values of ``PlaceMatch.precision``, most precise first.
PRECISIONS: tuple[str, ...] = (
    "exact",
    "neighbourhood",
    "village",
    "subdistrict",
    "district",
    "governorate",
    "unknown",
)

MATCH_KEYS: tuple[str, ...] = (
    "id",
    "name_ar",
    "name_en",
    "lat",
    "lon",
    "kind",
    "admin1",
    "admin2",
    "admin3",
    "precision",
    "score",
)


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry.

    Attributes
    ----------
    id : str
        Stable id, prefixed by source (``wof:890449895``, ``ocha:C5185``, ``gn:174506``); admin
        units use their OCHA P-code (``SY09``, ``SY0902``, ``SY090201``).
    name_ar, name_en : str
        Preferred Arabic and English names ("" when unknown).
    lat, lon : float
        WGS84 coordinates.
    kind : str
        city, town, village, neighbourhood, camp, site, subdistrict, district or governorate.
    admin1, admin2, admin3 : str or None
        Containing governorate, district and sub-district (OCHA P-codes in Syria; the gazetteer
        id of the Iraqi admin unit in Iraq).
    pcode : str or None
        The place's own OCHA P-code (community ``C…`` code or admin P-code).
    geonames_id : str or None
        GeoNames id where known.
    alt_names : tuple of str
        Every other known spelling, Arabic and Latin.
    country : str
        ISO code, ``SY`` or ``IQ``.
    population : int or None
        Population where a source gives one.
    sources : tuple of str
        Sources the entry was merged from (``wof``, ``ocha``, ``gn``, ``opensyria``, ``sa``, ``added``, ``user``).
    source_ids : tuple of str
        Every source id merged into the entry.
    admin3_method : str
        How ``admin3`` was derived: ``admin_unit``, ``sa_path``, ``nearest_seed`` or "".
    coord_source : str
        The source id whose coordinates were kept.
    """

    id: str
    name_ar: str
    name_en: str
    lat: float
    lon: float
    kind: str
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    pcode: str | None = None
    geonames_id: str | None = None
    alt_names: tuple[str, ...] = ()
    country: str = "SY"
    population: int | None = None
    sources: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    admin3_method: str = ""
    coord_source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """All names of the place: preferred Arabic, preferred English, then alternates."""
        first = tuple(n for n in (self.name_ar, self.name_en) if n)
        return first + tuple(n for n in self.alt_names if n not in first)

    @property
    def label(self) -> str:
        """A short bilingual label, e.g. ``"Hajin / هجين"``."""
        return " / ".join(n for n in (self.name_en, self.name_ar) if n) or self.id

    def to_dict(self) -> dict[str, Any]:
        """Return the place as a JSON-serialisable dict (tuples become lists)."""
        return {
            "id": self.id,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "lat": self.lat,
            "lon": self.lon,
            "kind": self.kind,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "admin3": self.admin3,
            "pcode": self.pcode,
            "geonames_id": self.geonames_id,
            "alt_names": list(self.alt_names),
            "country": self.country,
            "population": self.population,
            "sources": list(self.sources),
            "source_ids": list(self.source_ids),
            "admin3_method": self.admin3_method,
            "coord_source": self.coord_source,
        }


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place proposed for a query, with how precisely and how confidently it answers it.

    Attributes
    ----------
    id, name_ar, name_en, lat, lon, kind, admin1, admin2, admin3
        As in :class:`Place`.
    precision : str
        One of :data:`PRECISIONS`: ``exact`` (a site or camp), ``neighbourhood``, ``village``
        (any populated place), ``subdistrict``, ``district``, ``governorate``, ``unknown``. It is
        lowered when only a containing place or area could be found, or when the string says the place
        is near it ("near X", "between X and Y": ``subdistrict``). A town matched for a neighbourhood
        or spot of it the gazetteer lacks carries ``neighbourhood``: the point is the town's, the
        place a neighbourhood of it.
    score : float
        Confidence in 0..1.
    """

    id: str
    name_ar: str
    name_en: str
    lat: float
    lon: float
    kind: str
    admin1: str | None
    admin2: str | None
    admin3: str | None
    precision: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the keys of the CLI's PLACE object."""
        return {key: getattr(self, key) for key in MATCH_KEYS}


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """The answer to one geocoding query.

    Attributes
    ----------
    query : str
        The text as given.
    match : PlaceMatch or None
        The confident answer; ``None`` when nothing is confident enough (never a silent guess).
    candidates : list of PlaceMatch
        Every plausible place, best first (includes ``match`` when there is one).
    """

    query: str
    match: PlaceMatch | None
    candidates: list[PlaceMatch] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"query", "match", "candidates"}`` ready for ``json.dumps``."""
        return {
            "query": self.query,
            "match": self.match.to_dict() if self.match else None,
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A place mention found in running text.

    Attributes
    ----------
    start, end : int
        Character offsets into the original text (``text[start:end] == surface``).
    surface : str
        The mention as written, including attached prepositions only when they are part of the
        name (``والبوبدران`` yields the span of ``البوبدران``).
    result : GeocodeResult
        Geocoding of the mention in the context of the whole text.
    """

    start: int
    end: int
    surface: str
    result: GeocodeResult

    def to_dict(self) -> dict[str, Any]:
        """Return the mention as a JSON-serialisable dict."""
        return {"start": self.start, "end": self.end, "surface": self.surface, "result": self.result.to_dict()}
