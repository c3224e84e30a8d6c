"""Quantities as reports write them: digits, number words, ranges, hedges and vague amounts, in both languages.

A :class:`Quantity` is a minimum and a maximum, either of which may be unknown, and the kind of wording it came
from. The rules follow the annotation guide of the evaluation set:

=====================================  ==========================  ==========
wording                                 (low, high)                 kind
=====================================  ==========================  ==========
``15``, ``١٥``, ``خمسة عشر``, fifteen   (15, 15)                   exact
نحو / حوالي / about 15                  (15, 15)                   about
على الأقل / ما لا يقل عن / at least 15  (15, None)                 at_least
أكثر من / more than / over 15           (15, None)                 more_than
up to / ما يصل إلى 15                   (None, 15)                 up_to
two to four, 2-4, بين 2 و4              (2, 4)                     range
عشرات / dozens                          (20, 99)                   vague
مئات / hundreds                         (100, 999)                 vague
عدد من / a number of / several / آخرون   (None, None)               unknown
=====================================  ==========================  ==========
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from incidents.extract.lexicon import PhraseMatcher
from incidents.extract.text import Token, normalise_word, strip_article, word_keys

_AR_UNITS = {
    "واحد": 1, "واحده": 1, "احد": 1, "احدي": 1,
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
}
_AR_TEN = {"عشر": 10, "عشره": 10}
_AR_TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
    "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
_AR_HUNDRED = {"مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200, "مئتي": 200,
               "مائتي": 200}
_AR_THOUSAND = {"الف": 1000, "الفا": 1000, "الفان": 2000, "الفين": 2000, "الاف": 1000, "لاف": 1000}
_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_SCALE = {"hundred": 100, "thousand": 1000}
for _unit, _value in list(_AR_UNITS.items()):
    if 3 <= _value <= 9:
        for _h in ("مئه", "مائه"):
            _AR_HUNDRED[_unit.removesuffix("ه") + _h] = _value * 100


def _folded(table: dict[str, int]) -> dict[str, int]:
    """Key a table written in plain Arabic spelling by folded forms (``مائة`` → ``مايه``)."""
    return {normalise_word(word.replace("ه", "ة") if word.endswith("ه") else word): value
            for word, value in table.items()} | table


_AR_UNITS, _AR_TEN, _AR_TENS = _folded(_AR_UNITS), _folded(_AR_TEN), _folded(_AR_TENS)
_AR_HUNDRED, _AR_THOUSAND = _folded(_AR_HUNDRED), _folded(_AR_THOUSAND)

#: Vague amounts and their range.
_VAGUE = {
    "عشرات": (20, 99), "مئات": (100, 999), "dozens": (20, 99), "scores": (20, 99), "tens": (20, 99),
    "hundreds": (100, 999), "thousands": (1000, 9999),
}
_VAGUE = {normalise_word(word): value for word, value in _VAGUE.items()}
_PRE_MODIFIERS = PhraseMatcher[str]([
    *((p, "at_least") for p in ("ما لا يقل عن", "لا يقل عن", "at least", "no fewer than", "no less than",
                                "not less than")),
    *((p, "more_than") for p in ("أكثر من", "ما يزيد عن", "ما يزيد على", "يزيد عن", "يزيد على", "أزيد من",
                                 "ما يربو على", "يربو على", "more than", "over", "upwards of", "in excess of")),
    *((p, "about") for p in ("نحو", "حوالي", "حوالى", "قرابة", "زهاء", "ما يقارب", "يقارب", "ما يناهز", "يناهز",
                             "تقريبا", "about", "around", "nearly", "almost", "approximately", "roughly", "some",
                             "an estimated", "estimated", "close to", "approx")),
    *((p, "up_to") for p in ("up to", "as many as", "ما يصل إلى", "يصل إلى")),
])
_POST_MODIFIERS = PhraseMatcher[str]([
    ("على الأقل", "at_least"), ("at least", "at_least"), ("or more", "at_least"), ("فأكثر", "at_least"),
    ("وأكثر", "at_least"), ("تقريبا", "about"),
])
_UNKNOWN_AMOUNTS = PhraseMatcher[str]([
    *((p, "unknown") for p in ("عدد من", "عددا من", "عدد كبير من", "العديد من", "عدة", "بعض", "a number of",
                               "several", "many", "numerous", "a few", "few", "some of", "المزيد من")),
])
_ANOTHER = frozenset({"اخر", "اخرا", "اخري", "another"})
_RANGE_JOINERS = frozenset({"to", "الي", "او", "or"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number expression: tokens ``first``..``last`` (inclusive), its bounds and the kind of wording.

    Attributes
    ----------
    first, last : int
        Token indices of the whole expression, modifiers included.
    low, high : int or None
        Minimum and maximum; ``None`` when the text gives no bound.
    kind : str
        ``exact``, ``about``, ``at_least``, ``more_than``, ``up_to``, ``range``, ``vague`` or ``unknown``.
    """

    first: int
    last: int
    low: int | None
    high: int | None
    kind: str

    def with_modifier(self, kind: str, first: int | None = None, last: int | None = None) -> Quantity:
        """Return the quantity re-read under a hedge (``at_least``, ``more_than``, ``about``, ``up_to``)."""
        value = self.low if self.low is not None else self.high
        bounds = {"at_least": (value, None), "more_than": (value, None), "about": (self.low, self.high),
                  "up_to": (None, self.high)}
        if self.kind not in ("exact", "about") or kind not in bounds:
            return replace(self, first=self.first if first is None else first,
                           last=self.last if last is None else last)
        low, high = bounds[kind]
        return Quantity(self.first if first is None else first, self.last if last is None else last, low, high, kind)

    @property
    def value(self) -> int | None:
        """The single number stated, when there is one (``exact`` or ``about``)."""
        return self.low if self.kind in ("exact", "about") else None


def _digits(token: Token) -> int | None:
    word = token.norm[1:] if token.norm[:1] == "و" else token.norm
    return int(word) if word.isdigit() and word.isascii() and len(word) <= 7 else None


def _bare_keys(token: Token) -> tuple[str, ...]:
    return tuple(dict.fromkeys(strip_article(k) for k in word_keys(token.norm)))


def _arabic_word(token: Token, first: bool) -> tuple[str, int] | None:
    """Return (class, value) of an Arabic number word; later words of a number must carry ``و`` or be scale."""
    conjoined = (token.norm[1:],) if token.norm.startswith("و") else ()
    prefixed = (token.norm[1:],) if token.norm[:1] in ("و", "ب", "ل", "ف") else ()
    forms = (token.norm, *prefixed) if first else (token.norm, *conjoined)
    for form in forms:
        joined = form in conjoined
        for table, cls in ((_AR_UNITS, "unit"), (_AR_TENS, "tens"), (_AR_TEN, "ten"), (_AR_HUNDRED, "hundred"),
                           (_AR_THOUSAND, "thousand")):
            if form in table and (first or joined or cls in ("ten", "hundred", "thousand")):
                return cls, table[form]
    return None


def _english_word(token: Token) -> tuple[str, int] | None:
    word = token.norm
    if word in _EN_UNITS:
        return "unit", _EN_UNITS[word]
    if word in _EN_TENS:
        return "tens", _EN_TENS[word]
    if word in _EN_SCALE:
        return ("hundred" if word == "hundred" else "thousand"), _EN_SCALE[word]
    return None


def _number_word(token: Token, first: bool) -> tuple[str, int] | None:
    if token.norm.isascii():
        return _english_word(token)
    return _arabic_word(token, first)


def _read_words(tokens: Sequence[Token], index: int, last: int) -> tuple[int, int] | None:
    """Read a number written in words from ``index``; return (value, last token index)."""
    total = current = 0
    position = index
    end = -1
    while position <= last:
        word = _number_word(tokens[position], position == index)
        if word is None:
            if tokens[position].norm == "and" and end >= 0 and current >= 100:
                position += 1
                continue
            break
        cls, value = word
        current, total = _combine(cls, value, current, total)
        end = position
        position += 1
    if end < 0 or (total + current) == 0:
        return None
    return total + current, end


def _combine(cls: str, value: int, current: int, total: int) -> tuple[int, int]:
    if cls == "ten" and 0 < current < 10:
        return current + 10, total
    if cls == "hundred" and value == 100:
        return (current or 1) * 100, total
    if cls == "thousand":
        return 0, total + (current or 1) * value
    return current + value, total


def _read_digits(tokens: Sequence[Token], index: int, last: int) -> tuple[int, int] | None:
    value = _digits(tokens[index])
    if value is None:
        return None
    end = index
    while end + 1 <= last and tokens[end + 1].gap == "," and len(tokens[end + 1].norm) == 3 \
            and tokens[end + 1].norm.isdigit():
        value = value * 1000 + int(tokens[end + 1].norm)
        end += 1
    if end + 1 <= last and _bare_keys(tokens[end + 1])[-1] in ("الاف", "لاف", "الف", "thousand"):
        value *= 1000
        end += 1
    return value, end


_NUMBER_WORDS = frozenset({*_AR_UNITS, *_AR_TEN, *_AR_TENS, *_AR_HUNDRED, *_AR_THOUSAND, *_EN_UNITS, *_EN_TENS,
                           *_EN_SCALE})


def may_be_number(token: Token) -> bool:
    """Cheap test: is the word digits or a number word (possibly after و، ب، ل، ف)?"""
    word = token.norm
    if word[:1].isdigit() or word in _NUMBER_WORDS:
        return True
    return word[:1] in ("و", "ب", "ل", "ف") and (word[1:2].isdigit() or word[1:] in _NUMBER_WORDS)


def read_number(tokens: Sequence[Token], index: int, last: int) -> tuple[int, int] | None:
    """Read a number (digits or words) starting at token ``index``.

    Parameters
    ----------
    tokens : sequence of Token
        The text's tokens.
    index, last : int
        Where to start and the last token that may belong to the number.

    Returns
    -------
    tuple of (int, int) or None
        The value and the index of its last token; ``None`` when no number starts here.
    """
    if not may_be_number(tokens[index]):
        return None
    return _read_digits(tokens, index, last) or _read_words(tokens, index, last)


def _read_range(tokens: Sequence[Token], first: tuple[int, int], last: int) -> tuple[int, int, int] | None:
    """After a number, read ``-Y``, ``to Y``, ``or Y``, ``إلى Y`` or ``أو Y``; return (low, high, last index)."""
    value, end = first
    if end + 1 > last:
        return None
    after = tokens[end + 1]
    second: tuple[int, int] | None = None
    if after.gap.strip() in ("-", "–") and _digits(after) is not None:
        second = _read_digits(tokens, end + 1, last)
    elif after.norm in _RANGE_JOINERS and end + 2 <= last:
        second = read_number(tokens, end + 2, last)
    if second is None or second[0] <= value:
        return None
    return value, second[0], second[1]


def find_quantities(tokens: Sequence[Token], first: int, last: int) -> list[Quantity]:
    """Return the quantity expressions in tokens ``first``..``last``, left to right.

    Parameters
    ----------
    tokens : sequence of Token
        The text's tokens.
    first, last : int
        Inclusive token range to search (usually one sentence).

    Returns
    -------
    list of Quantity
        Non-overlapping, in text order. Bare numbers inside dates are included; callers decide from the
        following noun whether a quantity counts people.
    """
    found: list[Quantity] = []
    index = first
    while index <= last:
        quantity = _quantity_at(tokens, index, last)
        if quantity is None:
            index += 1
            continue
        found.append(quantity)
        index = quantity.last + 1
    return found


def _quantity_at(tokens: Sequence[Token], index: int, last: int) -> Quantity | None:
    modifier = _PRE_MODIFIERS.match_at(tokens, index, last)
    if modifier is not None and modifier.last + 1 <= last:
        core = _core_at(tokens, modifier.last + 1, last)
        if core is not None:
            return core.with_modifier(modifier.value, first=index)
    return _core_at(tokens, index, last)


def _core_at(tokens: Sequence[Token], index: int, last: int) -> Quantity | None:
    between = _between_at(tokens, index, last)
    if between is not None:
        return between
    number = read_number(tokens, index, last)
    if number is not None:
        ranged = _read_range(tokens, number, last)
        if ranged is not None:
            return Quantity(index, ranged[2], ranged[0], ranged[1], "range")
        return Quantity(index, number[1], number[0], number[0], "exact")
    return _vague_at(tokens, index, last)


def _between_at(tokens: Sequence[Token], index: int, last: int) -> Quantity | None:
    """``between X and Y`` / ``بين X و Y`` / ``من X إلى Y``."""
    if tokens[index].norm not in ("between", "بين", "من") or index + 1 > last:
        return None
    first = read_number(tokens, index + 1, last)
    if first is None or first[1] + 1 > last:
        return None
    joiner = tokens[first[1] + 1]
    if tokens[index].norm == "من" and joiner.norm != "الي":
        return None
    start = first[1] + 2 if joiner.norm in ("and", "و", "الي") else first[1] + 1
    if joiner.norm not in ("and", "و", "الي") and not joiner.norm.startswith("و"):
        return None
    second = read_number(tokens, start, last) if start <= last else None
    if second is None and joiner.norm.startswith("و") and joiner.norm[1:].isdigit():
        second = (int(joiner.norm[1:]), first[1] + 1)
    if second is None or second[0] <= first[0]:
        return None
    return Quantity(index, second[1], first[0], second[0], "range")


def _vague_at(tokens: Sequence[Token], index: int, last: int) -> Quantity | None:
    for key in _bare_keys(tokens[index]):
        if key in _VAGUE:
            low, high = _VAGUE[key]
            return Quantity(index, index, low, high, "vague")
    if tokens[index].norm == "several" and index + 1 <= last and tokens[index + 1].norm == "dozen":
        return Quantity(index, index + 1, 20, 99, "vague")
    if tokens[index].norm == "dozen" or (tokens[index].norm == "a" and index + 1 <= last
                                         and tokens[index + 1].norm == "dozen"):
        return Quantity(index, index + (tokens[index].norm == "a"), 12, 12, "exact")
    hit = _UNKNOWN_AMOUNTS.match_at(tokens, index, last)
    if hit is not None:
        return Quantity(index, hit.last, None, None, "unknown")
    if tokens[index].norm in _ANOTHER:  # "وأصيب آخر", "and wounded another": one more person
        return Quantity(index, index, 1, 1, "exact")
    return None


def post_modifier(tokens: Sequence[Token], index: int, last: int) -> tuple[str, int] | None:
    """Return ``(kind, last index)`` of a hedge written after a number or its noun (``على الأقل``, at least)."""
    if index > last:
        return None
    hit = _POST_MODIFIERS.match_at(tokens, index, last)
    return (hit.value, hit.last) if hit else None
