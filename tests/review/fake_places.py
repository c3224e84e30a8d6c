"""A tiny gazetteer for the review tests: a few places with made-up but plausible coordinates.

It has the three methods the review uses: ``find_mentions`` (the extractor), ``search`` (the place picker) and
``get``. Names are matched exactly (Arabic proclitics و، ب، ل، ف left outside the span, as the real finder does).
"""

from __future__ import annotations

import re

from geodata.model import GeocodeResult, Mention, PlaceMatch

# id, name_ar, name_en, lat, lon, other spellings. Hajin and Al-Bu Khater are ~3 km apart; the rest are far.
PLACES = (
    ("t:hajin", "هجين", "Hajin", 34.6927, 40.8270, ()),
    ("t:bukhater", "البو خاطر", "Al-Bu Khater", 34.7000, 40.8600, ()),
    ("t:shafa", "الشعفة", "Al-Shaafa", 34.6000, 40.8800, ("Shaafa",)),
    ("t:susa", "السوسة", "Al-Susah", 34.5200, 40.9200, ()),
    ("t:busayra", "البصيرة", "Al-Busayrah", 35.1500, 40.4300, ()),
    ("t:kishma", "الكشمة", "Al-Kishma", 34.5700, 40.9000, ()),
)


def match(place_id: str) -> PlaceMatch:
    """Return the PlaceMatch of one of :data:`PLACES`."""
    for pid, name_ar, name_en, lat, lon, _ in PLACES:
        if pid == place_id:
            return PlaceMatch(pid, name_ar, name_en, lat, lon, "town", "SY09", "SY0902", "SY090201", "village", 1.0)
    raise KeyError(place_id)


class FakeGazetteer:
    """Exact-name mention finder and substring search over :data:`PLACES`."""

    def __init__(self) -> None:
        names = [(name, pid) for pid, ar, en, *_, others in PLACES for name in (ar, en, *others)]
        names.sort(key=lambda item: -len(item[0]))
        self._patterns = []
        for name, pid in names:
            body = re.escape(name)
            if re.match("[\u0600-\u06ff]", name):
                pattern = re.compile(r"(?:(?<=[\s\W])|^)(?:[وبلف]{1,2}(?=" + body + "))?(" + body + r")(?![\u0621-\u064a])")
            else:
                pattern = re.compile(r"\b(" + body + r")\b", re.IGNORECASE)
            self._patterns.append((pattern, match(pid)))

    def find_mentions(self, text: str) -> list[Mention]:
        """Return non-overlapping mentions, longest names first."""
        taken: list[tuple[int, int]] = []
        found = []
        for pattern, place in self._patterns:
            for hit in pattern.finditer(text):
                start, end = hit.span(1)
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                found.append(Mention(start, end, text[start:end], GeocodeResult(text[start:end], place, [place])))
        return sorted(found, key=lambda m: m.start)

    def search(self, text: str, limit: int = 10) -> list[PlaceMatch]:
        """Return places whose names contain ``text`` (case-insensitive)."""
        wanted = text.strip().casefold()
        hits = [match(pid) for pid, ar, en, *_, others in PLACES
                if wanted and any(wanted in n.casefold() for n in (ar, en, *others))]
        return hits[:limit]

    def get(self, place_id: str):
        """Return the place's match, or None."""
        try:
            return match(place_id)
        except KeyError:
            return None
