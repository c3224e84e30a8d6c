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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from incidents.extract.lexicon import PhraseMatcher, load_lexicon, phrase_pairs, scan_spans
from incidents.extract.text import Token, strip_article, word_keys

_WORDS = load_lexicon("numbers")


def _valued(table: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Word → value of a lexicon table listing number words under their value."""
    return {word: int(value) for value, words in table.items() for word in words}


_AR_UNITS, _AR_TEN, _AR_TENS = _valued(_WORDS["ar_units"]), _valued(_WORDS["ar_ten"]), _valued(_WORDS["ar_tens"])
_AR_HUNDRED, _AR_THOUSAND = _valued(_WORDS["ar_hundred"]), _valued(_WORDS["ar_thousand"])
_EN_UNITS, _EN_TENS, _EN_SCALE = _valued(_WORDS["en_units"]), _valued(_WORDS["en_tens"]), _valued(_WORDS["en_scale"])
for _unit, _value in list(_AR_UNITS.items()):
    if 3 <= _value <= 9:
        for _h in ("ميه", "مايه"):  # ثلاثمئة, ثلاثمائة
            _AR_HUNDRED[_unit.removesuffix("ه") + _h] = _value * 100

#: Vague amounts and their range.
_VAGUE = {word: (int(low), int(high)) for span, words in _WORDS["vague"].items()
          for low, high in [span.split("-")] for word in words}
_PRE_MODIFIERS = PhraseMatcher[str](phrase_pairs(_WORDS["pre_modifiers"]))
_POST_MODIFIERS = PhraseMatcher[str](phrase_pairs(_WORDS["post_modifiers"]))
_UNKNOWN_AMOUNTS = PhraseMatcher[str](phrase_pairs(_WORDS["unknown_amounts"]))
_ANOTHER = frozenset(_WORDS["another"])
_RANGE_JOINERS = frozenset(_WORDS["range_joiners"])


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


def definite_number(token: Token) -> int | None:
    """A number word or digits with the article after a noun (``أطفالها الثلاثة``, ``الأطفال الـ3``): its value."""
    word = token.norm
    if not word.startswith("ال") or len(word) < 3:
        return None
    rest = word[2:]
    value = int(rest) if rest.isdigit() and rest.isascii() else (
        _AR_UNITS.get(rest) or _AR_TEN.get(rest) or _AR_TENS.get(rest))
    # from three on: "الأحد" and "الاثنين" are also weekdays, and one or two are said with the noun itself
    return value if value is not None and value >= 3 else None


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
    return scan_spans(first, last, lambda index: _quantity_at(tokens, index, last))


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
    if is_another(tokens[index]):  # "وأصيب آخر", "and wounded another", "وآخر في الشعفة": one more person
        return Quantity(index, index, 1, 1, "exact")
    return None


def is_another(token: Token) -> bool:
    """``آخر``, ``وآخر``, another: one more person (not ``الآخر``, "the other")."""
    word = token.norm
    return word in _ANOTHER or (word[:1] == "و" and word[1:] in _ANOTHER)


def post_modifier(tokens: Sequence[Token], index: int, last: int) -> tuple[str, int] | None:
    """Return ``(kind, last index)`` of a hedge written after a number or its noun (``على الأقل``, at least)."""
    if index > last:
        return None
    hit = _POST_MODIFIERS.match_at(tokens, index, last)
    return (hit.value, hit.last) if hit else None
