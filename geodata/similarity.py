"""Weighted spelling similarity of place names, computed as one Levenshtein distance.

Transliterations and Arabic spellings of one name differ in predictable ways: vowels and long
vowels come and go, letters of a class are swapped (ق/ك, ت/ط, س/ص, ه/ح, ذ/ظ/ض/د; q/k/g, th/dh/z/d,
kh/h, sh/s), while a consonant of another class makes another name. A weighted edit distance
says so, but a Python edit distance is slow. Here each name is written as a *code* in which a
consonant takes three characters (its loose class twice, then the letter itself) and a vowel one:

    ق → "KKق"   ك → "KKك"   ر → "RRر"   ا → "a"

so that rapidfuzz's plain Levenshtein distance between two codes costs 1 for a vowel (inserted,
dropped or changed) or a swap inside a class, and 3 for a consonant of another class or one
inserted or dropped. Normalised by the longer code it is a similarity in 0..1, and
``rapidfuzz.process.extract`` ranks whole candidate lists with it in C.

Three codes exist for a name:

``arabic_code``
    Arabic names, compared with Arabic names: from the skeleton, letters kept (ق and ك differ by 1).
``roman_code``
    Latin names, compared with Latin names: from the romanisation (the skeleton with q, g and gh
    kept apart from k, as one class).
``consonant_code``
    Any name compared across scripts: the roman form without vowels (Arabic writes no short
    vowels, so vowels say little across scripts).
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from geodata.normalise import NameKeys

__all__ = ["Codes", "arabic_code", "code_similarity", "codes", "consonant_code", "roman_code", "similarity"]


def _block(loose: str, letter: str) -> str:
    return loose * 2 + letter


# Arabic letters by swap class. ع is a light consonant: "ʕa" (one from ا, two from nothing).
_ARABIC_CLASSES = {
    "B": "ب", "T": "تطث", "J": "ج", "H": "حه", "X": "خ", "D": "دذضظ", "Z": "ز", "R": "ر", "S": "سص",
    "Š": "ش", "G": "غ", "F": "ف", "K": "قك", "L": "ل", "M": "م", "N": "ن",
}
_ARABIC_CODE = str.maketrans(
    {
        **{letter: _block(loose, letter) for loose, letters in _ARABIC_CLASSES.items() for letter in letters},
        "ا": "a", "و": "u", "ي": "i", "ع": "ʕa", "ء": "", " ": "", "~": "",
    }
)
# Romanised skeletons (Latin names, and the rough rendering of Arabic names): "sh" is one letter.
_ROMAN_CLASSES = {
    "B": "bp", "T": "t", "J": "j", "H": "hħ", "D": "dz", "R": "r", "S": "sx", "F": "fv", "L": "l",
    "M": "m", "N": "n", "K": "kqg\u0121",
}
_ROMAN_VOWELS = {"a": "a", "e": "a", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u"}
_ROMAN_CODE = str.maketrans(
    {
        **{letter: _block(loose, letter) for loose, letters in _ROMAN_CLASSES.items() for letter in letters},
        **_ROMAN_VOWELS,
        " ": "",
        "~": "",
    }
)
_CONSONANT_CODE = str.maketrans(
    {
        **{letter: _block(loose, letter) for loose, letters in _ROMAN_CLASSES.items() for letter in letters},
        **{vowel: "" for vowel in _ROMAN_VOWELS},
        " ": "",
        "~": "",
    }
)


def arabic_code(base: str) -> str:
    """Code of an Arabic skeleton; a final ه (mostly ة) is a vowel, "a".

    Examples
    --------
    >>> arabic_code("محكان")
    'MMمHHحKKكaNNن'
    """
    if len(base) > 1 and base.endswith("ه"):
        base = base[:-1] + "ا"
    return base.translate(_ARABIC_CODE)


def _roman(roman: str) -> str:
    return roman.replace("sh", "x")


def roman_code(roman: str) -> str:
    """Code of a romanised skeleton ("sh" one consonant; e, y, o, w as a, i, u)."""
    return _roman(roman).translate(_ROMAN_CODE)


def consonant_code(roman: str) -> str:
    """Code of a romanised skeleton without its vowels, for comparisons across scripts."""
    return _roman(roman).translate(_CONSONANT_CODE)


class Codes(NamedTuple):
    """What the similarity of one name needs: ``own`` code to compare within its script
    (``arabic_code`` of the skeleton, ``roman_code`` of the romanisation), ``roman`` and
    ``consonants`` codes across scripts, whether it ends in a nisba (-iyya), and how many
    consonants its phonetic key has."""

    own: str
    roman: str
    consonants: str
    nisba: bool
    length: int


def codes(keys: NameKeys) -> Codes:
    """Every code of a name."""
    roman = roman_code(keys.roman)
    own = arabic_code(keys.base) if keys.script == "ar" else roman
    nisba = keys.roman.endswith(("ia", "ya", "iat", "yat"))
    return Codes(own, roman, consonant_code(keys.roman), nisba, len(keys.phonetic))


def code_similarity(a: str, b: str) -> float:
    """1 - weighted edit distance / the longer code's length."""
    return float(Levenshtein.normalized_similarity(a, b))


def similarity(query: NameKeys, entry: NameKeys) -> float:
    """Weighted spelling similarity of two names (0..1): their own codes within a script, their
    consonant codes across scripts."""
    if query.script == entry.script:
        return code_similarity(codes(query).own, codes(entry).own)
    return code_similarity(consonant_code(query.roman), consonant_code(entry.roman))
