"""The outlet list: who publishes or states what, read from ``incidents/data/outlets.toml``.

An outlet (SANA, Step News, SOHR, Reuters, the SDF's media centre ...) has a stable code, English and Arabic
names and aliases, a source kind (a code of the ``source_kind`` vocabulary), a country, its languages and its web
domains. One list serves the sample build, the extractor's proposal of the source kind and who said it, and
imports.

>>> outlet_for("نقلت وكالة «سانا» عن مصادر أهلية").code
'sana'
>>> outlet_for("https://www.syriahr.com/en/12345/").source_kind
'ngo'

Names are matched after :func:`geodata.normalise.normalise` (Arabic letter variants, diacritics, punctuation and
case folded) as whole words; an Arabic name also matches after a proclitic (و، ف، ب، ل، ك: ``وسانا``,
``لوكالة ستيب``, ``للمرصد السوري``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from geodata.normalise import normalise
from incidents.domain.errors import FileFormatError, UnknownCodeError

V = TypeVar("V")

OUTLETS_FILE = Path(__file__).parents[1] / "data" / "outlets.toml"

_REQUIRED = ("name_en", "name_ar", "source_kind")
_KNOWN = frozenset((*_REQUIRED, "aliases_en", "aliases_ar", "country", "languages", "domains", "note"))
# Arabic proclitics before a name: conjunction, then preposition (وبـ، فلـ، ك).
_PROCLITIC = "(?:[وف]?[بلك]?)"
_RELAY = re.compile(r"\b(?:relaying|carrying|citing|quoting|via)\b|نقلا\s+عن|نقلاً\s+عن", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class Outlet:
    """One outlet, agency, monitor or official body.

    Attributes
    ----------
    code : str
        Stable identifier (the table name in ``outlets.toml``).
    name_en, name_ar : str
        Display names.
    source_kind : str
        A code of the ``source_kind`` vocabulary (``state_media``, ``opposition_media``, ``local_network``,
        ``ngo``, ``official``, ``other``).
    country : str or None
        ISO 3166 code of where it is based.
    languages : tuple of str
        ISO 639-1 codes of its editions, main one first.
    domains : tuple of str
        Web domains (lower case, no ``www.``); sub-domains match too.
    aliases_en, aliases_ar : tuple of str
        Other spellings reports use.
    note : str or None
        Why the kind was chosen, when it is not obvious.
    """

    code: str
    name_en: str
    name_ar: str
    source_kind: str
    country: str | None = None
    languages: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...] = ()
    note: str | None = None

    def label(self, lang: str = "en") -> str:
        """Return the name in ``lang`` ("en" or "ar")."""
        return self.name_ar if lang == "ar" else self.name_en

    def names(self) -> tuple[str, ...]:
        """Return every name the outlet is matched by: both names, then the aliases."""
        return tuple(dict.fromkeys((self.name_en, self.name_ar, *self.aliases_en, *self.aliases_ar)))

    def matches_domain(self, host: str) -> bool:
        """Tell whether ``host`` (lower case) is one of the outlet's domains or a sub-domain of one."""
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


@cache
def load_outlets(path: Path = OUTLETS_FILE) -> dict[str, Outlet]:
    """Read and check the outlet list, code → outlet, in file order.

    Parameters
    ----------
    path : Path, optional
        The TOML file (``incidents/data/outlets.toml`` by default).

    Returns
    -------
    dict of str to Outlet

    Raises
    ------
    FileFormatError
        The file is not TOML, an entry lacks a required field, has an unknown field, or two outlets share a name.
    UnknownCodeError
        An entry's ``source_kind`` is not in the ``source_kind`` vocabulary.
    """
    try:
        with open(path, "rb") as fh:
            tables = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(f"{path.name}: not valid TOML ({exc})") from exc
    outlets = {code: _outlet(path.name, code, entry) for code, entry in tables.items()}
    _check_unique_names(path.name, outlets.values())
    return outlets


def _outlet(file: str, code: str, entry: object) -> Outlet:
    if not isinstance(entry, dict):
        raise FileFormatError(f"{file}: {code!r} should be a table of fields, got {entry!r}")
    missing = [key for key in _REQUIRED if not entry.get(key)]
    unknown = sorted(set(entry) - _KNOWN)
    if missing or unknown:
        raise FileFormatError(f"{file}: outlet {code!r} lacks {missing} / has unknown fields {unknown}; "
                              f"expected fields {sorted(_KNOWN)}")
    kind = entry["source_kind"]
    if kind not in _source_kinds():
        raise UnknownCodeError(f"{file}: outlet {code!r} has source_kind {kind!r}; expected one of "
                               f"{sorted(_source_kinds())}")
    return Outlet(
        code=code, name_en=entry["name_en"], name_ar=entry["name_ar"], source_kind=kind,
        country=entry.get("country") or None, languages=tuple(entry.get("languages", ())),
        domains=tuple(d.lower().removeprefix("www.") for d in entry.get("domains", ())),
        aliases_en=tuple(entry.get("aliases_en", ())), aliases_ar=tuple(entry.get("aliases_ar", ())),
        note=entry.get("note") or None,
    )


def _source_kinds() -> frozenset[str]:
    from incidents.domain import taxonomy

    return frozenset(taxonomy.vocabulary("source_kind"))


def _check_unique_names(file: str, outlets: Iterable[Outlet]) -> None:
    owner: dict[str, str] = {}
    for outlet in outlets:
        for name in outlet.names():
            key = normalise(name)
            if owner.get(key, outlet.code) != outlet.code:
                raise FileFormatError(f"{file}: the name {name!r} of {outlet.code!r} is also a name of "
                                      f"{owner[key]!r}; a name must point to one outlet")
            owner[key] = outlet.code


@dataclass(frozen=True)
class OutletMention:
    """An outlet named inside a text: the outlet and the character span of its name (in the normalised text)."""

    outlet: Outlet
    start: int
    end: int


def outlet_for(name_or_url: str | None) -> Outlet | None:
    """Return the outlet a source name, an attribution or a URL points to.

    A URL (or a bare domain) is matched by its host; anything else by the outlet names it contains, the first
    named one winning ("Smart News Agency, republished by microsyria.com" → Smart News; "Shaam News Network,
    citing Furat Post" → Shaam).

    Parameters
    ----------
    name_or_url : str or None
        A publisher's name, an attribution as written ("SANA citing local sources", "قال المرصد السوري"),
        or the report's address.

    Returns
    -------
    Outlet or None
        ``None`` when nothing in the text names a listed outlet.
    """
    if not name_or_url or not name_or_url.strip():
        return None
    host = _host(name_or_url)
    if host is not None:
        return outlet_for_host(host)
    mentions = outlets_in(name_or_url)
    return mentions[0].outlet if mentions else None


def outlet_for_host(host: str) -> Outlet | None:
    """Return the outlet whose domain ``host`` is (or is a sub-domain of); ``None`` if none."""
    host = host.lower().removeprefix("www.")
    for outlet in load_outlets().values():
        if outlet.matches_domain(host):
            return outlet
    return None


def _host(text: str) -> str | None:
    """The host of a URL or a bare domain; ``None`` for anything else."""
    text = text.strip()
    if "://" in text:
        return (urlsplit(text).hostname or "").lower() or None
    candidate = text.lower().split("/")[0]
    if " " not in text and _DOMAIN.match(candidate):
        return candidate
    return None


def outlets_in(text: str) -> list[OutletMention]:
    """Return the outlets named in ``text``, in text order, the longest name winning where names overlap.

    Offsets are into ``normalise(text)``, not ``text``: the function tells which outlets are named and in
    what order.
    """
    names = _by_name()
    return [OutletMention(names[name], start, end) for name, start, end in _find(_name_pattern(), normalise(text))]


def source_kind_for(text: str | None) -> str | None:
    """Return the source kind a name or an attribution points to: the kind of the first outlet it names, else the
    kind its words name without naming an outlet (``مصادر معارضة``, activists, a statement: the aliases of the
    ``source_kind`` vocabulary); ``None`` when it says nothing about the kind (local sources, eyewitnesses).
    A source relayed or cited ("Syria News, relaying SANA", "شبكة شام نقلاً عن فرات بوست") gives the kind when it
    has one ("SANA citing local sources" stays SANA's).

    >>> source_kind_for("قال ناشطون محليون")
    'local_network'
    """
    if not text:
        return None
    relay = _RELAY.search(text)
    if relay is not None:  # "Syria News, relaying SANA": the words are the relayed source's, when it has a kind
        kind = source_kind_for(text[relay.end():])
        if kind is not None:
            return kind
        text = text[:relay.start()]
    outlet = outlet_for(text)
    if outlet is not None:
        return outlet.source_kind
    found = _find(_kind_pattern(), normalise(text))
    return _kind_words()[found[0][0]] if found else None


def _find(pattern: re.Pattern[str], folded: str) -> list[tuple[str, int, int]]:
    """Non-overlapping ``(name, start, end)`` hits of a names pattern, in text order."""
    found: list[tuple[str, int, int]] = []
    taken_until = -1
    for match in pattern.finditer(folded):
        start = match.start("name")
        if start >= taken_until:
            found.append((match.group("name"), start, match.end("name")))
            taken_until = match.end("name")
    return found


@cache
def _by_name() -> dict[str, Outlet]:
    """Normalised name → outlet."""
    return _with_article_forms({normalise(name): outlet for outlet in load_outlets().values()
                                for name in outlet.names()})


@cache
def _kind_words() -> dict[str, str]:
    """Normalised alias of a source kind → its code."""
    from incidents.domain import taxonomy

    words = {normalise(alias): code for code, term in taxonomy.vocabulary("source_kind").items()
             for alias in (*term.aliases_en, *term.aliases_ar)}
    return _with_article_forms(words)


def _with_article_forms(keys: dict[str, V]) -> dict[str, V]:
    """Add the form an Arabic name with the article takes after ل (المرصد → للمرصد: ل + لمرصد)."""
    extra = {"ل" + key[1:]: value for key, value in keys.items() if key.startswith("ال")}
    return {**extra, **keys}


@cache
def _name_pattern() -> re.Pattern[str]:
    return _pattern(tuple(_by_name()))


@cache
def _kind_pattern() -> re.Pattern[str]:
    return _pattern(tuple(_kind_words()))


def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every name, longest first, whole words, Arabic names after an optional proclitic."""
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True) if name)
    if not alternatives:
        return re.compile(r"(?!)(?P<name>)")  # no names: never matches
    return re.compile(f"(?<!\\w){_PROCLITIC}(?P<name>{alternatives})(?!\\w)")
