"""The uniform record every source row is turned into before merging, and name filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geodata.normalise import script_of

# Letters of Kurdish, Persian and Urdu that Arabic place names do not use: names holding them are
# spellings in those languages (قامشلۆ), kept out of the Arabic alternates.
_NON_ARABIC_LANG = re.compile("[\u06c6\u06d5\u06ce\u06b5\u0695\u06ca\u06cb\u0698\u06be\u06c1\u06d2\u0679\u0688\u0691]")
_ARABIC_ONLY = re.compile(r"^[\u0600-\u06ff\u0750-\u077f\s\-_'.()]+$")
_LATIN_ONLY = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff\u02b0-\u02ff\u2018\u2019'`\-.,()/&0-9]+$")
_HAS_UPPER = re.compile(r"[A-Z\u00c0-\u00de\u0100-\u024f\u1e00-\u1eff]")


def clean_name(name: object) -> str:
    """Return a trimmed name with single spaces, or "" for empty/NaN values."""
    if not isinstance(name, str):
        return ""
    return " ".join(name.replace("\u00a0", " ").split()).strip(" -_,")


def is_arabic_name(name: str) -> bool:
    """True for a name in Arabic script that is not Kurdish, Persian or Urdu."""
    return bool(name) and bool(_ARABIC_ONLY.match(name)) and not _NON_ARABIC_LANG.search(name)


def is_latin_name(name: str) -> bool:
    """True for a usable Latin-script name.

    All-lowercase strings such as GeoNames' ``hjyn`` (a letter-by-letter key of هجين) are refused:
    they are machine transliterations, not spellings anyone writes.
    """
    if not name or not _LATIN_ONLY.match(name) or script_of(name) != "latin":
        return False
    return bool(_HAS_UPPER.search(name))


def split_names(value: object, sep: str = "|") -> list[str]:
    """Split a joined names field into clean, non-empty names (order kept)."""
    if not isinstance(value, str):
        return []
    return [n for n in (clean_name(part) for part in value.split(sep)) if n]


@dataclass
class SourceRecord:
    """One row of one source, in the shape the merge understands.

    Attributes
    ----------
    id : str
        Source id with prefix (``wof:…``, ``ocha:C…``, ``gn:…``, ``sa:…``, ``added:…``).
    source : str
        Source key: ``wof``, ``ocha`` (Syrian Archive/OCHA community list), ``sa`` (Syrian
        Archive's own locations), ``gn``, ``added``.
    name_ar, name_en : str
        Preferred names.
    names_ar, names_latin : list of str
        Every usable name in each script (preferred names included).
    lat, lon : float
        Coordinates.
    kind : str or None
        Kind when the source says it; otherwise decided later.
    country : str
        ``SY`` or ``IQ``.
    pcode, geonames_id, wikidata_id : str or None
        Concordances.
    population : int or None
    fcode : str or None
        GeoNames feature code.
    sa_path_en, sa_path_ar : tuple of str
        Syrian Archive admin path (sub-district first), empty for other sources.
    region_hint : str or None
        Source's own governorate id (WOF region id), used for Iraq.
    superseded_by : str or None
        WOF record this one was replaced by.
    overrides : str or None
        For hand-curated rows: the source id whose coordinates this row corrects.
    rank : int
        Source priority for ids and coordinates (lower wins).
    note : str
        Free text kept for the record (e.g. an overridden coordinate).
    """

    id: str
    source: str
    name_ar: str
    name_en: str
    names_ar: list[str]
    names_latin: list[str]
    lat: float
    lon: float
    kind: str | None = None
    country: str = "SY"
    pcode: str | None = None
    geonames_id: str | None = None
    wikidata_id: str | None = None
    population: int | None = None
    fcode: str | None = None
    sa_path_en: tuple[str, ...] = ()
    sa_path_ar: tuple[str, ...] = ()
    region_hint: str | None = None
    superseded_by: str | None = None
    overrides: str | None = None
    rank: int = 9
    note: str = ""
    extra_ids: list[str] = field(default_factory=list)

    def all_names(self) -> list[str]:
        """Arabic names then Latin names, without duplicates."""
        seen: dict[str, None] = {}
        for name in [self.name_ar, *self.names_ar, self.name_en, *self.names_latin]:
            if name:
                seen.setdefault(name, None)
        return list(seen)


def dedupe(names: list[str]) -> list[str]:
    """Drop empty and repeated names, keeping the first occurrence."""
    return list(dict.fromkeys(n for n in names if n))


def to_int(value: object) -> int | None:
    """Parse a population-like value; ``None`` for empty, zero or unparsable values."""
    try:
        number = int(float(str(value)))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def to_id(value: object) -> str | None:
    """Return an id-like value as a string without a trailing ``.0``; ``None`` if empty or 0."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text if text and text not in {"0", "-1", "nan"} else None
