"""Qualifiers around place names in the strings researchers write: read, not resolved.

A location field rarely holds a bare name. It says where inside a place ("Al Soussa: Al Boubadran",
"home of … in al Aaliyya neighbourhood"), what stands there ("al-Hikma street, Al Mayadin",
"معبر الخنيفيس النهري", "Ice factory"), how far and which way ("1 km east of Al Shaafa town",
"70 km northwest of Deir al-Zour"), how close ("near Hajin", "قريب من الميادين"), or names two places
("between X and Y", "X and Y", "X or Y", "السوسة و الباغوز"). This module turns such a string into a
``Phrase``: the place text(s) to resolve and what the qualifier allows to claim (``geodata.resolve``
resolves them). Everything here is pure text work; nothing is looked up.

>>> read_phrase("near Hajin, Syria")
Phrase(kind='near', places=('Hajin, Syria',), km=None, precision='subdistrict')
>>> read_phrase("Between Hajin and al-Susa").places
('Hajin', 'al-Susa')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Phrase", "read_phrase", "tidy"]

#: Longer strings are not read for qualifiers (no location field is this long; it bounds the regex work).
MAX_PHRASE_CHARS = 300
#: How far (km) from a named place a "N km east of X" place may lie and still be answered by X.
NEAR_ENOUGH_KM = 5.0


@dataclass(frozen=True)
class Phrase:
    """A place string read into place texts and a qualifier.

    Attributes
    ----------
    kind : str
        ``plain`` (a name, possibly compound: resolve as it is), ``near`` ("near X"), ``distance``
        ("N km east of X"), ``pair`` ("X and Y", "between X and Y"), ``either`` ("X or Y"),
        ``site`` (a site named after its place: "X river crossing", "مخيم X", "desert of X") or
        ``inside`` (a named spot inside a place: "X, al-Hikma street", "مشفى عائشة البوكمال").
    places : tuple of str
        The place texts, each resolvable as a (possibly compound) place string.
    km : float or None
        The distance of a ``distance`` phrase.
    precision : str or None
        The precision the qualifier allows at best (``None``: the place's own).
    strict : bool
        The place text is a guess from the wording (the one word after "مشفى", which may be the
        town or the hospital's own name): accept only a place whose name matches (nearly) exactly.
    """

    kind: str
    places: tuple[str, ...]
    km: float | None = None
    precision: str | None = None
    strict: bool = False


# ------------------------------------------------------------------------------------ tidying

_STRAY_EDGES = " \t.,،;؛:-–—_|*\"'«»“”‘’?؟!"
_GLUED_HAYY = re.compile(r"(?<=[\u0621-\u064a]{3})(حي|الحي)(?=\s+\S)")
_SPACES = re.compile(r"\s+")
_LEADING_CLITIC_HAYY = re.compile(r"^(?:وب|ب|و|في\s*)((?:حي|حارة)\s)")
_TOWN_THEN_HAYY = re.compile(r"^(\S.*?)\s+((?:حي|حارة)\s+\S.*)$")


def _balance_brackets(text: str) -> str:
    """Drop unmatched closing brackets and unclosed opening ones ("الباغوز فوقاني)")."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            if depth == 0:
                continue
            depth -= 1
        out.append(char)
    result = "".join(out)
    while depth > 0:  # unclosed: drop the last opening bracket
        index = max(result.rfind("("), result.rfind("["))
        result = result[:index] + " " + result[index + 1 :]
        depth -= 1
    return result


def _undouble(text: str) -> str:
    """A name written twice ("السوسة السوسة", "الباغوزالباغوز") is written once."""
    squeezed = text.replace(" ", "")
    half = len(squeezed) // 2
    if len(squeezed) >= 6 and len(squeezed) % 2 == 0 and squeezed[:half] == squeezed[half:]:
        words = text.split()
        if len(words) % 2 == 0 and words[: len(words) // 2] == words[len(words) // 2 :]:
            return " ".join(words[: len(words) // 2])
        return text[: len(text) // 2] if " " not in text else text
    return text


def tidy(text: str) -> str:
    """Remove what a typist left around a place string; keep everything that carries meaning.

    Stray punctuation at the ends, unmatched brackets, repeated spaces, a name typed twice, and
    ``حي`` glued to the word before it are cleaned; "X: Y" (a place, then a spot inside it) is
    rewritten "Y, X" so that the most specific part comes first, as in every other compound string
    (and "X حي Y", a town and then its neighbourhood, "حي Y, X").

    Examples
    --------
    >>> tidy(".السوسة")
    'السوسة'
    >>> tidy("Al Soussa: Al Boubadran")
    'Al Boubadran, Al Soussa'
    """
    text = _SPACES.sub(" ", text).strip(_STRAY_EDGES)
    if "(" in text or ")" in text or "[" in text or "]" in text:
        text = _balance_brackets(text).strip(_STRAY_EDGES)
    if "حي" in text or "حارة" in text:
        text = _LEADING_CLITIC_HAYY.sub(r"\1", text)  # "بحي العمال" is "حي العمال"
        text = _GLUED_HAYY.sub(r" \1", text)
        town_first = _TOWN_THEN_HAYY.match(text)
        if town_first and not any(c in text for c in ":,،"):
            text = f"{town_first.group(2)}, {town_first.group(1)}"  # "هجين حي الجامع" → "حي الجامع, هجين"
    if ":" in text:
        head, _, tail = text.partition(":")
        head, tail = head.strip(_STRAY_EDGES), tail.strip(_STRAY_EDGES)
        if head and tail:
            text = f"{tail}, {head}"
        else:
            text = head or tail
    return _undouble(_SPACES.sub(" ", text).strip())


# ------------------------------------------------------------------------------------ words

_DIRECTIONS = (
    r"north(?:\s*-?\s*(?:east|west))?|south(?:\s*-?\s*(?:east|west))?|east|west"
    r"|(?:ال)?(?:شمال|جنوب)(?:\s*(?:ال)?(?:شرق|غرب)(?:ي)?)?(?:ي)?|(?:ال)?شرق(?:ي)?|(?:ال)?غرب(?:ي)?"
)
_NUMBER = r"(\d+(?:[.,]\d+)?|[٠-٩]+(?:[.,٫][٠-٩]+)?)"
_KM = r"(?:km|kms|kilomet(?:er|re)s?|كم|كيلو(?:\s*متر(?:ات)?)?|كيلومتر(?:ات)?)"
_DISTANCE = re.compile(
    rf"^(?:about|approximately|approx\.?|around|some|nearly|حوالي|نحو|على\s+بعد|بعد)?\s*{_NUMBER}\s*{_KM}\s*"
    rf"(?:to\s+the\s+)?(?:{_DIRECTIONS})?\s*(?:of|from|من|عن)?\s+(.+)$",
    re.IGNORECASE,
)
_NEAR = re.compile(
    r"^(?:near(?:by)?|close\s+to|next\s+to|around|outside|on\s+the\s+outskirts\s+of|outskirts\s+of|vicinity\s+of|"
    r"in\s+the\s+vicinity\s+of|surroundings\s+of|بالقرب\s+من|قريب\s+من|قريبة\s+من|قرب|بجانب|جانب|محيط|اطراف|ضواحي|"
    r"اطراف\s+مدينة|اطراف\s+بلدة|اطراف\s+قرية)\s+(.+)$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    r"^(?:.*?\s)?(?:between|linking|connecting|بين|يربط|يصل)\s+(.+?)\s+(?:and|&|with|و)\s*(.+)$", re.IGNORECASE
)
_PAIR = re.compile(r"^(.+?)\s+(?:and|&|و)\s+(.+)$", re.IGNORECASE)
_PAIR_GLUED_AR = re.compile(r"^(.+?)\s+و(ال\S+.*)$")
_EITHER = re.compile(r"^(.+?)\s+(?:or|أو|او)\s+(.+)$", re.IGNORECASE)

#: Sites named after the place they stand at (the name is the place): "X river crossing", "مخيم X".
_SITE_WORDS_EN = (
    r"(?:river\s+|water\s+|border\s+)?crossings?|ferry|checkpoints?|camps?|bridge|airport|air\s*base|airbase|"
    r"oil\s+fields?|gas\s+fields?|fields?|desert|badia|area|areas|surroundings|vicinity"
)
_SITE_EN = re.compile(
    rf"^(?:the\s+)?(.+?)\s+(?:military\s+|main\s+|old\s+|new\s+)?(?:{_SITE_WORDS_EN})(?:\s+(?:area|region))?$",
    re.IGNORECASE,
)
_SITE_OF_EN = re.compile(
    r"^(?:the\s+)?(?:desert|badia|farms|fields?|area|surroundings|vicinity|crossing|camp)\s+"
    r"(?:of|near|around)\s+(.+)$",
    re.IGNORECASE,
)
_SITE_AR = re.compile(
    r"^(?:معبر|معابر|عبارة|حاجز|مخيم|جسر|مطار|بادية|باديه|صحراء|مزارع|حقول|سهل)(?:\s+(?:مائي|نهري|مائية))?"
    r"\s+(?:في\s+|بين\s+|ب)?(.+?)(?:\s+(?:النهري|المائي|النفطي|الحدودي|العسكري))?$"
)
#: Spots with their own name, inside a place: their words are not a place ("Ice factory", "شارع الاربعين").
_SPOT_WORDS_EN = (
    r"streets?|st\.?|road|rd\.?|avenue|highway|mosque|moque|masjid|church|school|university|college|hospital|"
    r"clinic|medical\s+clinic|bakery|bakeries|market|souq|mall|factory|plant|building|buildings|home|homes|house|"
    r"houses|residence|residences|cafe|internet\s+cafe|shop|shops|store|bank|station|office|headquarters|hq|square|"
    r"roundabout|cemetery|graveyard|prison|court|stadium|garage|bus\s+station|well|wells|locations|centre|"
    r"center|central|farm"
)
_SPOT_EN = re.compile(rf"\b(?:{_SPOT_WORDS_EN})\b", re.IGNORECASE)
_SPOT_AR_WORDS = (
    "شارع", "طريق", "جامع", "مسجد", "مدرسة", "مدرسه", "مشفى", "مستشفى", "مستوصف", "فرن", "سوق", "معمل", "مصنع",
    "مبنى", "منزل", "منازل", "بيت", "بيوت", "مقهى", "محل", "محلات", "مصرف", "بنك", "محطة", "محطه", "دوار", "ساحة",
    "ساحه", "مقبرة", "مقبره", "سجن", "ملعب", "كراج", "مقر", "دائرة", "مجمع", "صالة", "مزرعة", "مزرعه",
)
_SPOT_AR = re.compile(r"(?:^|\s)(?:و|ب|ال)?(?:" + "|".join(_SPOT_AR_WORDS) + r")(?=\s|$)")
_HOME_OF_IN = re.compile(r"^(?:the\s+)?(?:home|house|homes|houses|residence)s?\s+of\s+.+?\s+in\s+(.+)$", re.IGNORECASE)
_NUMBERED_AREA = re.compile(r"^(?:badia|بادية|باديه|sector|قطاع|point|نقطة|نقطه)?\s*[\d٠-٩]+$", re.IGNORECASE)
_ISIS_AREAS = re.compile(r"سيطرة|under\s+(?:isis|isil|is)\s+control|isis[-\s]held", re.IGNORECASE)


_TRIGGER_CHARS = re.compile(r"[,،;؛|:()\[\]0-9٠-٩]")
_TRIGGER_WORDS = frozenset(
    """and or & between linking connecting with near nearby close next around outside outskirts vicinity surroundings
    environs km kms kilometer kilometers kilometre kilometres home homes house houses residence residences desert
    badia area areas region field fields crossing crossings ferry checkpoint checkpoints camp camps bridge airport
    airbase base street streets st st. road rd rd. avenue highway mosque moque masjid church school university
    college hospital clinic bakery bakeries market souq mall factory plant building buildings cafe shop shops store
    bank station office headquarters hq square roundabout cemetery graveyard prison court stadium garage well wells
    locations centre center central farm sector point isis isil control
    و او أو بين يربط يصل قرب بالقرب قريب قريبة بجانب جانب محيط اطراف أطراف ضواحي كم كيلو كيلومتر كيلومترات
    معبر معابر عبارة حاجز مخيم جسر مطار بادية باديه صحراء مزارع حقول سهل قطاع نقطة نقطه سيطرة حوالي نحو""".split()
    + list(_SPOT_AR_WORDS)
)
_ARABIC_PREFIXES = ("وال", "بال", "ال", "و", "ب")


def _might_qualify(text: str) -> bool:
    """Cheap test (no regex over alternatives) that a string may hold a qualifier: most names do not."""
    if _TRIGGER_CHARS.search(text):
        return True
    for word in text.lower().split():
        if word in _TRIGGER_WORDS:
            return True
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and (prefix == "وال" or word[len(prefix) :] in _TRIGGER_WORDS):
                return True
    return False


def _arabic_digits(text: str) -> str:
    return text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789."))


# ------------------------------------------------------------------------------------ parts


def _parts(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[,،;؛|\n]\s*", text) if p.strip()]


_NEIGHBOURHOOD = re.compile(r"(?:^|\s)(?:حي|حارة|حاره)\s|\b(?:neighbou?rhoods?|quarter|district)\b", re.IGNORECASE)
_BRACKETED = re.compile(r"[(\[][^)\]]*[)\]]")


def _is_spot_only(part: str) -> bool:
    """A part that names no place: a spot with its own name ("Ice factory", "شارع الاربعين",
    "Mosque and internet cafe", "Badia 24", "multiple locations"). Bracketed text is a remark
    on the part ("Hajin (the old market)" names Hajin)."""
    part = _BRACKETED.sub(" ", part).strip()
    if _NEIGHBOURHOOD.search(part):
        return False  # "حي الجامع", "al-Souq neighbourhood": a neighbourhood named after a spot
    if _NUMBERED_AREA.match(part.strip()) or _ISIS_AREAS.search(part):
        return True
    return bool(_SPOT_EN.search(part) or _SPOT_AR.search(part))


_PREPOSITION = re.compile(r"\s(in|at|inside|near|between|في|داخل|قرب|بين)\s", re.IGNORECASE)


def _spot_place(part: str) -> str | None:
    """The place a spot phrase names, if any: after a preposition ("Medical clinic in Al Bubadran",
    "منزل الواوي في مراط"), before an Arabic spot word ("الميادين شارع الاربعين" → "الميادين"), or the
    last word after a spot word and its own name ("مشفى عائشة البوكمال" → "البوكمال")."""
    preposition = _PREPOSITION.search(part)
    if preposition:
        keep = preposition.group(1).lower() in {"near", "between", "قرب", "بين"}
        return part[preposition.start(1) if keep else preposition.end() :].strip() or None
    match = _SPOT_AR.search(part)
    if match is None:
        return None
    before = part[: match.start()].strip()
    if before:
        return before
    words = part[match.end() :].split()
    return words[-1] if words else None


def _qualified(part: str) -> Phrase | None:
    """Read one part's qualifier (near, distance, between, pair, either, site), if it has one."""
    home = _HOME_OF_IN.match(part)
    if home and not _HOME_OF_IN.match(home.group(1)):
        return _qualified(home.group(1)) or Phrase("inside", (home.group(1),), precision="neighbourhood")
    distance = _DISTANCE.match(_arabic_digits(part))
    if distance:
        km = float(distance.group(1).replace(",", "."))
        return Phrase("distance", (distance.group(2).strip(),), km=km)
    near = _NEAR.match(part)
    if near:
        return Phrase("near", (near.group(1).strip(),), precision="subdistrict")
    between = _BETWEEN.match(part)
    if between:
        return Phrase("pair", (between.group(1).strip(), between.group(2).strip()))
    either = _EITHER.match(part)
    if either:
        return Phrase("either", (either.group(1).strip(), either.group(2).strip()))
    pair = _PAIR.match(part) or _PAIR_GLUED_AR.match(part)
    if pair and not _is_spot_only(pair.group(1)):
        return Phrase("pair", (pair.group(1).strip(), pair.group(2).strip()))
    return _site(part)


def _site(part: str) -> Phrase | None:
    for pattern in (_SITE_OF_EN, _SITE_AR, _SITE_EN):
        match = pattern.match(part)
        if match and match.group(1).strip():
            inner = match.group(1).strip()
            wide = re.search(r"desert|badia|بادية|باديه|صحراء|area|سهل", part, re.IGNORECASE)
            return Phrase("site", (inner,), precision="subdistrict" if wide else "village")
    return None


def read_phrase(text: str) -> Phrase:
    """Read a tidied place string (see ``tidy``) into a ``Phrase``.

    Parts naming only a spot ("Ice factory", "al-Hikma street", "Badia 24") are dropped, or give
    the place they name ("منزل الواوي في مراط" → "مراط"); the first remaining part is read for a
    qualifier, and the other parts follow it as its containers.

    Parameters
    ----------
    text : str
        A place string, e.g. "Badia 24, 1km east of Al Shaafa town", "Hatla and Salihiya",
        "Abu Kamal, Aisha Hospital", "معبر الخنيفيس النهري".

    Returns
    -------
    Phrase
        ``kind == "plain"`` with the text unchanged when no qualifier applies; ``kind == "none"``
        when the string names no place at all ("Commercial Bank").
    """
    if len(text) > MAX_PHRASE_CHARS or not _might_qualify(text):
        return Phrase("plain", (text,))  # a location field is short: a long text is not read for qualifiers
    kept: list[str] = []
    dropped = strict = False
    for part in _parts(text):
        if _is_spot_only(part):
            dropped = True
            inner = _spot_place(part)
            strict = strict or (inner is not None and len(inner.split()) == 1 and not kept)
            if inner and not _is_spot_only(inner):
                kept.append(inner)
            elif inner:
                kept.extend(p for p in (_spot_place(inner),) if p)
        else:
            kept.append(part)
    if not kept:
        return Phrase("none", ())
    head, rest = kept[0], kept[1:]
    qualified = _qualified(head)
    if qualified is None:
        if not dropped:
            return Phrase("plain", (text,))
        return Phrase("inside", (", ".join(kept),), precision="neighbourhood", strict=strict and len(kept) == 1)
    places = tuple(", ".join([place, *rest]) for place in qualified.places)
    if dropped and qualified.kind == "plain":
        return Phrase("inside", places, precision="neighbourhood")
    return Phrase(qualified.kind, places, qualified.km, qualified.precision)
