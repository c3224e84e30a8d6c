"""The closed vocabularies of the record, read from the TOML data files in ``incidents/data/taxonomy``.

Actors and event types carry English and Arabic names, aliases as reports write them, and their ACLED/UCDP
equivalents; ``vocabularies.toml`` holds grading, status, precisions, civilian status and source kinds.

Beside its aliases (which imports resolve, :func:`resolve`), an entry may list extraction cues: further forms
the extractor reads in report text (adjectives, short forms, inflections), kept apart so that an import column
holding a bare "US" or "hit" is not taken for a code. ``event_types.toml`` also holds the reserved table
``weak_readings`` (not an event type): words that only say something violent happened (:func:`weak_readings`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from incidents.domain.errors import UnknownCodeError

TAXONOMY_DIR = Path(__file__).parents[1] / "data" / "taxonomy"


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable code and its names."""

    code: str
    name_en: str
    name_ar: str
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...] = ()
    extra: tuple[tuple[str, object], ...] = ()
    cues: tuple[str, ...] = ()  # extraction cues, read in report text only (not by :func:`resolve`)
    weak_cues: tuple[str, ...] = ()  # cues that only hint at this entry (an event type read with its context)

    def get(self, key: str, default: object = None) -> object:
        """Return an extra attribute of the term (e.g. ``acled_event_type``)."""
        return dict(self.extra).get(key, default)

    def label(self, lang: str = "en") -> str:
        """Return the name in ``lang`` ("en" or "ar")."""
        return self.name_ar if lang == "ar" else self.name_en


#: Key of ``event_types.toml``'s reserved table (the extractor's weak readings), skipped as an entry.
WEAK_READINGS = "weak_readings"


@dataclass(frozen=True)
class WeakReadings:
    """The extractor's weak event readings, from the reserved table of ``event_types.toml``.

    Attributes
    ----------
    aliases : dict of str to str
        Event-type aliases too general to name an event alone → the reading each gets instead: ``""`` none (only
        context), an event type's code (that type, weakly) or ``~name``, a reading of ``cues``.
    cues : dict of str to tuple of str
        Reading ``~name`` → the words that express it, as reports write them.
    """

    aliases: dict[str, str]
    cues: dict[str, tuple[str, ...]]


def _read_terms(table: dict) -> dict[str, Term]:
    terms = {}
    for code, entry in table.items():
        if code == WEAK_READINGS:
            continue
        known = {"name_en", "name_ar", "aliases_en", "aliases_ar", "cues", "weak_cues"}
        terms[code] = Term(
            code=code,
            name_en=entry["name_en"],
            name_ar=entry["name_ar"],
            aliases_en=tuple(entry.get("aliases_en", ())),
            aliases_ar=tuple(entry.get("aliases_ar", ())),
            extra=tuple((k, v) for k, v in entry.items() if k not in known),
            cues=tuple(entry.get("cues", ())),
            weak_cues=tuple(entry.get("weak_cues", ())),
        )
    return terms


@cache
def _load(name: str) -> dict:
    with open(TAXONOMY_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def actors() -> dict[str, Term]:
    """Return the actor taxonomy, code → term, in file order."""
    return _read_terms(_load("actors"))


@cache
def event_types() -> dict[str, Term]:
    """Return the event-type taxonomy, code → term, in file order."""
    return _read_terms(_load("event_types"))


@cache
def weak_readings() -> WeakReadings:
    """Return the extractor's weak event readings (the reserved table of ``event_types.toml``), as written."""
    table = _load("event_types").get(WEAK_READINGS, {})
    return WeakReadings(aliases=dict(table.get("aliases", {})),
                        cues={f"~{name}": tuple(words) for name, words in table.get("cues", {}).items()})


@cache
def vocabulary(name: str) -> dict[str, Term]:
    """Return one closed vocabulary of ``vocabularies.toml`` (grading, status, date_precision, ...)."""
    tables = _load("vocabularies")
    if name not in tables:
        raise UnknownCodeError(f"No vocabulary named {name!r}; expected one of {sorted(tables)}")
    return _read_terms(tables[name])


def codes(name: str) -> tuple[str, ...]:
    """Return the codes of ``actor``, ``event_type`` or a vocabulary of ``vocabularies.toml``."""
    return tuple(_table(name))


def _table(name: str) -> dict[str, Term]:
    if name == "actor":
        return actors()
    if name == "event_type":
        return event_types()
    return vocabulary(name)


def check_code(name: str, value: str) -> str:
    """Return ``value`` if it is a code of vocabulary ``name``; raise :class:`UnknownCodeError` otherwise."""
    table = _table(name)
    if value not in table:
        raise UnknownCodeError(f"{name} must be one of {', '.join(table)}; got {value!r}")
    return value


def label(name: str, code: str | None, lang: str = "en") -> str:
    """Return the display name of ``code`` in vocabulary ``name``; unknown codes are returned unchanged."""
    if code is None:
        return ""
    term = _table(name).get(code)
    return term.label(lang) if term else str(code)


def resolve(name: str, value: str) -> str | None:
    """Map a code, an English or Arabic name or an exact alias (case-insensitive) to its code, else None.

    This is the lookup used by imports, where a column may hold "US-led coalition" or "airstrike".
    Free-text matching inside reports belongs to the extractor.
    """
    return _lookup(name).get(value.strip().casefold())


@cache
def _lookup(name: str) -> dict[str, str]:
    """Casefolded code, names and aliases → code for vocabulary ``name`` (the first entry wins a clash)."""
    table: dict[str, str] = {}
    for code, term in _table(name).items():
        for text in (code, term.name_en, term.name_ar, *term.aliases_en, *term.aliases_ar):
            table.setdefault(text.casefold(), code)
    return table
