"""A tiny stand-in for ``geodata.Gazetteer.find_mentions``: a handful of places, exact names only.

It mimics the real objects' shape (``Mention`` with ``start``/``end``/``surface``/``result``; ``result.match`` and
``result.candidates`` with ``to_dict()``) so that the extraction rules can be tested without the bundled data.
Attached Arabic proclitics (و، ب، ل، ف) are left outside the span, as the real finder does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geodata.model import GeocodeResult, Mention, PlaceMatch

# id, name_ar, name_en, kind, precision, admin1, other spellings
PLACES: tuple[tuple[str, str, str, str, str, str, tuple[str, ...]], ...] = (
    ("t:shafa", "الشعفة", "Al-Shaafa", "town", "village", "SY09", ("Shaafa", "al-Shaafa", "Ash Sha'fah")),
    ("t:hajin", "هجين", "Hajin", "town", "village", "SY09", ()),
    ("t:susa", "السوسة", "Al-Susa", "town", "village", "SY09", ("Al Sousa", "Sousse", "al Soussa")),
    ("t:baghuz", "الباغوز", "Al-Baghuz", "town", "village", "SY09", ("Baghuz",)),
    ("t:buqaan", "البقعان", "Al-Buqaan", "village", "village", "SY09", ()),
    ("t:dhiban", "ذيبان", "Dhiban", "town", "village", "SY09", ()),
    ("t:jnaineh", "الجنينة", "Al-Jnaineh", "village", "village", "SY09", ()),
    ("t:kishma", "الكشمة", "Al-Kishma", "village", "village", "SY09", ()),
    ("t:busayra", "البصيرة", "Al-Busayrah", "town", "village", "SY09", ()),
    ("t:alloni", "ظهرة علوني", "Dahrat Alouni", "village", "village", "SY09", ()),
    ("t:qamishli", "القامشلي", "Qamishli", "city", "village", "SY08", ()),
    ("t:mayadin", "الميادين", "Al-Mayadin", "city", "village", "SY09", ("Mayadin",)),
    ("t:dez", "دير الزور", "Deir ez-Zor", "city", "village", "SY09", ("Deir Ezzor",)),
    ("SY09", "ريف دير الزور", "Deir ez-Zor countryside", "governorate", "governorate", "SY09",
     ("ريف دير الزور الشرقي", "ريف دير الزور الجنوبي الشرقي", "Deir Ezzor countryside", "eastern Deir Ezzor")),
)


@dataclass
class FakeGazetteer:
    """Exact-name mention finder over :data:`PLACES` (or the places given)."""

    places: tuple[tuple[str, str, str, str, str, str, tuple[str, ...]], ...] = PLACES
    _patterns: list[tuple[re.Pattern[str], PlaceMatch]] = field(default_factory=list)

    def __post_init__(self) -> None:
        names: list[tuple[str, PlaceMatch]] = []
        for pid, name_ar, name_en, kind, precision, admin1, others in self.places:
            match = PlaceMatch(pid, name_ar, name_en, 35.0, 40.5, kind, admin1, None, None, precision, 1.0)
            names.extend((name, match) for name in (name_ar, name_en, *others))
        names.sort(key=lambda item: -len(item[0]))
        for name, match in names:
            body = re.escape(name)
            if re.match("[\u0600-\u06ff]", name):
                pattern = re.compile(r"(?:(?<=[\s\W])|^)(?:[وبلف]{1,2}(?=" + body + "))?(" + body + r")(?![\u0621-\u064a])")
            else:
                pattern = re.compile(r"\b(" + body + r")\b", re.IGNORECASE)
            self._patterns.append((pattern, match))

    def geocode(self, text: str, context: str | None = None) -> GeocodeResult:
        """Exact look-up of a whole name (case-insensitive)."""
        for pattern, match in self._patterns:
            hit = pattern.fullmatch(text.strip())
            if hit is not None:
                return GeocodeResult(text, match, [match])
        return GeocodeResult(text, None, [])

    def find_mentions(self, text: str) -> list[Mention]:
        """Return non-overlapping mentions, longest names first."""
        taken: list[tuple[int, int]] = []
        found: list[Mention] = []
        for pattern, match in self._patterns:
            for hit in pattern.finditer(text):
                start, end = hit.span(1)
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                found.append(Mention(start, end, text[start:end], GeocodeResult(text[start:end], match, [match])))
        return sorted(found, key=lambda m: m.start)


class SilentFinder(FakeGazetteer):
    """A gazetteer whose mention finder finds nothing (its geocoder still works): tests the fallback."""

    def find_mentions(self, text: str) -> list[Mention]:
        """Return no mentions."""
        return []
