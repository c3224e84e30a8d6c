"""Split a compound place string into the place asked for and the places that contain it.

"Al Hamidiya neighbourhood, Deir Ezzor" → target "Al Hamidiya neighbourhood", container "Deir Ezzor".
"قرية البقعان بريف دير الزور الشرقي" → target "قرية البقعان", area "ريف دير الزور الشرقي".
"Al Shaheel / Al-Shuhail (al-Shuhayl)" → target "Al Shaheel", alternatives "Al-Shuhail", "al-Shuhayl".

Countryside phrases ("ريف دير الزور الشرقي", "eastern Deir ez-Zor countryside", "rural Hama") are
recognised and reduced to the name of the town or area whose countryside is meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.normalise import normalise

__all__ = ["Area", "ParsedQuery", "parse_area", "parse_query"]

_DIRECTION_WORDS_AR = {
    "الشرقي": "e",
    "الغربي": "w",
    "الشمالي": "n",
    "الجنوبي": "s",
    "شرقي": "e",
    "غربي": "w",
    "شمالي": "n",
    "جنوبي": "s",
    "شرق": "e",
    "غرب": "w",
    "شمال": "n",
    "جنوب": "s",
}
_DIRECTION_WORDS_EN = {
    "eastern": "e",
    "western": "w",
    "northern": "n",
    "southern": "s",
    "east": "e",
    "west": "w",
    "north": "n",
    "south": "s",
}

_SEPARATORS = re.compile(
    r"\s*[,،;؛|\n]\s*"
    r"|\s+-\s+"
    r"|\s+(?:في|فى|قرب|بالقرب\s+من|ضمن|داخل|بين)\s+"
    r"|\s+(?=(?:ب|في\s*)(?:ريف|مدينة|مدينه|بلدة|بلده|قرية|قريه|منطقة|منطقه|ناحية|ناحيه|محافظة|محافظه|بادية|باديه|حي)\b)"
    r"|\s+(?=(?:شرق|غرب|شمال|جنوب|شرقي|غربي|شمالي|جنوبي)\s+\S)"
    r"|\s+(?:in|near|outside|inside|within)\s+"
    r"|\s+at\s+(?![tTţṭŢṬ])"  # "Safirah at Tahtaniyah": at before a t is the Arabic article
    r"|\s+(?=(?:east|west|north|south)\s+of\s)"
    r"|\s+and\s+",
    re.IGNORECASE,
)
_PARENS = re.compile(r"[(\[]([^)\]]*)[)\]]")
_SLASH = re.compile(r"\s*/\s*")
# A plain name has none of these: no need to split it.
_NEEDS_SPLIT = re.compile(
    r"[,،;؛|\n()\[\]/]|\s-\s|\s(?:في|فى|قرب|بالقرب|ضمن|داخل|بين|in|near|outside|inside|at|within|and|east|west|north|south)\s"
    r"|\s(?:ب|في\s*)?(?:ريف|مدينة|مدينه|بلدة|بلده|قرية|قريه|منطقة|منطقه|ناحية|ناحيه|محافظة|محافظه|بادية|باديه|حي)"
    r"|\s(?:شرق|غرب|شمال|جنوب|شرقي|غربي|شمالي|جنوبي)\s",
    re.IGNORECASE,
)
# Sites that take the name of their town: airport, border crossing, hospital, prison.
_SITE_AR = re.compile(
    r"^\s*(?:مطار|المطار|معبر|مشفى|مستشفى|سجن)(?:\s+(?:العسكري|الزراعي|الوطني|الحدودي))?\s+(?:ب|في\s+)?(.+)$"
)
_SITE_EN = re.compile(
    r"^\s*(?:the\s+)?(.+?)\s+(?:military\s+)?(?:airport|air\s*base|airbase|border\s+crossing|crossing|hospital|prison)\s*$",
    re.IGNORECASE,
)
_BRACKET_TOKEN = re.compile("\x00(\\d+)\x00")
_LEADING_ARTICLE_EN = re.compile(r"^(?:the|of|in|at|near|from)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Area:
    """A countryside or direction phrase: the name whose surroundings are meant.

    Attributes
    ----------
    name : str
        The town or unit named ("دير الزور", "Deir ez-Zor").
    direction : str or None
        ``e``, ``w``, ``n``, ``s`` when a direction is given.
    kind : str
        ``countryside`` ("ريف X", "X countryside", "rural X") or ``direction`` ("شرق X", "east of X").
    """

    name: str
    direction: str | None
    kind: str


@dataclass(frozen=True)
class ParsedQuery:
    """A compound query split into parts.

    Attributes
    ----------
    target : str
        The most specific part (first part), generic words kept for their kind hint.
    alternatives : tuple of str
        Other spellings of the target (after "/").
    bracketed : tuple of str
        Text in brackets: another spelling, a containing place or a description.
    containers : tuple of str
        Later parts: places or areas that contain or locate the target.
    area : Area or None
        Set when the target itself is a countryside/direction phrase.
    """

    target: str
    alternatives: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    area: Area | None = None
    bracketed: tuple[str, ...] = ()


def _strip_direction_ar(tokens: list[str]) -> tuple[list[str], str | None]:
    direction = None
    if tokens and tokens[-1] in _DIRECTION_WORDS_AR:
        direction = _DIRECTION_WORDS_AR[tokens[-1]]
        tokens = tokens[:-1]
    return tokens, direction


def parse_area(text: str) -> Area | None:
    """Recognise a countryside or direction phrase.

    Parameters
    ----------
    text : str
        One part of a query, e.g. "ريف دير الزور الشرقي", "بريف البوكمال", "شرق دير الزور",
        "Deir Ezzor eastern countryside", "eastern countryside of Deir ez-Zor", "rural Raqqa",
        "east of Deir Ezzor".

    Returns
    -------
    Area or None
        The area, or ``None`` when the text is not such a phrase.
    """
    tokens = normalise(text).split()
    if not tokens:
        return None
    if tokens[0] in {"بريف", "ريف", "وريف", "لريف", "فريف", "بادية", "باديه", "ببادية", "ببادیه", "بباديه"}:
        rest, direction = _strip_direction_ar(tokens[1:])
        if rest and rest[0] in _DIRECTION_WORDS_AR:
            direction, rest = _DIRECTION_WORDS_AR[rest[0]], rest[1:]
        return Area(" ".join(rest), direction, "countryside") if rest else None
    if tokens[0] in _DIRECTION_WORDS_AR and len(tokens) > 1 and not tokens[0].startswith("ال"):
        return Area(" ".join(tokens[1:]), _DIRECTION_WORDS_AR[tokens[0]], "direction")
    return _parse_area_en(tokens)


_COUNTRYSIDE_EN = frozenset({"countryside", "rural", "outskirts", "suburbs", "desert", "badia", "province"})
_AREA_FILLERS_EN = frozenset({"of", "s", "area", "areas", "region"})


def _parse_area_en(tokens: list[str]) -> Area | None:
    words = [t for t in tokens if t != "the"]
    direction = None
    if words and words[0] in _DIRECTION_WORDS_EN and len(words) > 2 and words[1] == "of":
        return Area(" ".join(words[2:]), _DIRECTION_WORDS_EN[words[0]], "direction")
    if _COUNTRYSIDE_EN.isdisjoint(words):
        return None
    kept = []
    for word in words:
        if word in _DIRECTION_WORDS_EN:
            direction = _DIRECTION_WORDS_EN[word]
        elif word not in _COUNTRYSIDE_EN and word not in _AREA_FILLERS_EN:
            kept.append(word)
    return Area(" ".join(kept), direction, "countryside") if kept else None


def _split_alternatives(part: str) -> tuple[str, list[str], list[str]]:
    """Split one part into (main spelling, slash alternatives, bracketed texts)."""
    inner = [p.strip() for m in _PARENS.findall(part) for p in _SLASH.split(m) if p.strip()]
    outer = _PARENS.sub(" ", part).strip()
    pieces = [p.strip() for p in _SLASH.split(outer) if p.strip()]
    if not pieces:
        return (inner[0], [], inner[1:]) if inner else ("", [], [])
    return pieces[0], pieces[1:], inner


def _site_town(target: str) -> tuple[str, ...]:
    """"مطار دير الزور", "Abu Kamal border crossing": a site named after its town, which contains it."""
    arabic = _SITE_AR.match(target)
    if arabic and arabic.group(1).strip():
        return (arabic.group(1).strip(),)
    latin = _SITE_EN.match(target)
    if latin and latin.group(1).strip():
        return (latin.group(1).strip(),)
    return ()


def parse_query(text: str) -> ParsedQuery:
    """Split a compound place string.

    Parameters
    ----------
    text : str
        What the user or a report wrote, e.g. "حي الشيخ ياسين في مدينة دير الزور",
        "Al Hamidiya neighbourhood, Deir Ezzor", "Hajin (mosque in the town centre)".

    Returns
    -------
    ParsedQuery
        The target, its alternative spellings, the containing parts and, when the target is a
        countryside or direction phrase, its ``Area``.
    """
    if not _NEEDS_SPLIT.search(text):
        target = text.strip()
        return ParsedQuery(target=target, containers=_site_town(target), area=parse_area(target))
    brackets: list[str] = []

    def protect(match: re.Match[str]) -> str:
        brackets.append(match.group(1))
        return f"(\x00{len(brackets) - 1}\x00)"

    protected = _PARENS.sub(protect, text)
    parts = [p.strip() for p in _SEPARATORS.split(protected) if p and p.strip()]
    parts = [_BRACKET_TOKEN.sub(lambda m: brackets[int(m.group(1))], p) for p in parts]
    parts = [_LEADING_ARTICLE_EN.sub("", p) for p in parts]
    if not parts:
        return ParsedQuery(target="")
    target, alternatives, bracketed = _split_alternatives(parts[0])
    containers: list[str] = []
    for part in parts[1:]:
        main, alts, inner = _split_alternatives(part)
        containers.extend(p for p in (main, *alts) if p)
        bracketed.extend(inner)
    if not containers:
        containers = list(_site_town(target))
    return ParsedQuery(
        target=target,
        alternatives=tuple(alternatives),
        containers=tuple(containers),
        area=parse_area(target),
        bracketed=tuple(bracketed),
    )
