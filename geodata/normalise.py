"""Arabic and Latin place-name normalisation.

Every function here is pure and cheap. Three levels of key are produced for a name:

``normalise``
    The fuller normal form used for fuzzy scoring and display-independent comparison: Arabic
    letter variants folded (hamza forms, ta marbuta, alef maqsura, Persian letters), tashkeel and
    tatweel removed, Arabic-Indic digits made ASCII; Latin lower-cased with diacritics, apostrophes
    and ayn/hamza marks removed; punctuation turned into spaces. Articles and spaces are kept.
``skeleton``
    A compact per-script key for dictionary lookup: generic words (village, حي, ناحية ...) and
    articles (ال, al-, ash-, ez- ...) dropped, ``ابو``/``البو``/``Abu``/``Albu`` made one token,
    spaces removed, Latin spelling variants folded (ou/u, ee/i, q/k/g, kh/k, dh/d ...), doubled
    letters collapsed. Positional qualifiers (upper/lower, eastern/western ...) are kept as a
    canonical suffix so Upper and Lower Baghuz stay apart.
``phonetic_key``
    A cross-script consonant key: Arabic and Latin letters mapped to one consonant alphabet, vowels
    (and و/ي/ا, w/y) dropped. It blocks fuzzy candidates and lets an Arabic query reach a place that
    only has Latin names, and the other way round.

Attached Arabic prepositions and conjunctions (و، ب، ل، ف، ك، وال، بال، لل ...) are never stripped
blindly: ``clitic_variants`` proposes the stripped forms and the index decides which one exists
(باغوز starts with a real ب).
"""

from __future__ import annotations

import operator
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "NameKeys",
    "clear_caches",
    "clitic_variants",
    "fold_arabic",
    "fold_latin",
    "kind_hint",
    "load_words",
    "name_keys",
    "normalise",
    "phonetic_key",
    "script_of",
    "skeleton",
    "strip_generic",
]

# --------------------------------------------------------------------------------------------
# Character-level folding
# --------------------------------------------------------------------------------------------

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")
_INVISIBLES = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ې": "ي",
        "ي": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ک": "ك",  # Persian kaf
        "گ": "ك",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "ڤ": "ف",
        "ڨ": "ق",
        "ء": "",
        "ـ": "",  # tatweel
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "،": ",",
        "؛": ";",
        "؟": "?",
    }
)

# Latin marks for ayn and hamza, apostrophes and primes: removed, not turned into spaces.
_LATIN_MARKS = "'`´ʻʼʽʾʿˈˊˋ‘’‚‛′″\u02bc\u02be\u02bf"
_LATIN_FOLD = str.maketrans(
    {
        **{c: "" for c in _LATIN_MARKS},
        "ı": "i",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ə": "e",
        "ħ": "h",
        "þ": "th",
        "ŋ": "n",
    }
)

_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_NON_WORD = re.compile(r"[^\w]+")
_UNDERSCORE = re.compile("_+")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile("[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")


def fold_arabic(text: str) -> str:
    """Fold Arabic letter variants, remove tashkeel and tatweel, make digits ASCII.

    Parameters
    ----------
    text : str
        Any text; non-Arabic characters pass through unchanged.

    Returns
    -------
    str
        The text with أإآٱ→ا, ؤ→و, ئ→ي, ى→ي, ة→ه, ء removed, Persian letters mapped to their
        Arabic counterparts and Arabic-Indic digits made ASCII.

    Examples
    --------
    >>> fold_arabic("الشَّعْفَة")
    'الشعفه'
    """
    if _PRESENTATION_FORMS.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLES.sub("", text)
    text = _ARABIC_DIACRITICS.sub("", text)
    return text.translate(_ARABIC_FOLD)


def fold_latin(text: str) -> str:
    """Lower-case Latin text and remove diacritics, apostrophes and ayn/hamza marks.

    Parameters
    ----------
    text : str
        Any text; Arabic letters pass through unchanged.

    Returns
    -------
    str
        Lower-cased text without combining marks (ā→a, ḩ→h, ş→s) or apostrophe-like marks.

    Examples
    --------
    >>> fold_latin("Ash Sha‘fah")
    'ash shafah'
    """
    text = text.translate(_LATIN_FOLD).lower()
    if text.isascii():
        return text
    text = text.translate(_LATIN_LETTERS)
    if text.isascii():
        return text
    for _ in range(2):  # compatibility decomposition and lower-casing can each undo the other (ᴬ, İ)
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c) or _is_arabic_mark(c))
        text = unicodedata.normalize("NFC", stripped).translate(_LATIN_FOLD).lower()
        if text.isascii():
            break  # a second pass would change nothing
    return text


def _ascii_letters() -> dict[int, str]:
    """Precomposed Latin letters whose decomposition without marks is ASCII (ā → a, ḩ → h, Ş → s):
    one translation instead of a decomposition, for the common case."""
    table: dict[int, str] = {}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LATIN_FOLD).lower()
        if base.isascii() and base.isalpha() and len(base) == 1:
            table[code] = base
    return table


_LATIN_LETTERS = _ascii_letters()


def _is_arabic_mark(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff"


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Return the fuller normal form of a name or phrase (both scripts).

    Parameters
    ----------
    text : str
        A place name or a phrase, Arabic, Latin or mixed.

    Returns
    -------
    str
        Folded text: Arabic letter variants and Latin diacritics folded, punctuation replaced by
        single spaces, no leading or trailing space. Idempotent.

    Examples
    --------
    >>> normalise("Dayr az-Zawr")
    'dayr az zawr'
    >>> normalise("دَيْر الزُّور")
    'دير الزور'
    """
    folded = fold_latin(text if text.isascii() else fold_arabic(text))  # ASCII holds nothing Arabic
    folded = _NON_WORD.sub(" ", folded)
    if "_" in folded:
        folded = _UNDERSCORE.sub(" ", folded)
    return " ".join(folded.split())


def script_of(text: str) -> str:
    """Tell which script a name is written in.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``"ar"`` when Arabic letters dominate, ``"latin"`` when Latin letters dominate, ``"none"``
        when there are no letters of either.
    """
    if not _LATIN_LETTER.search(text):
        return "ar" if _ARABIC_LETTER.search(text) else "none"
    if not _ARABIC_LETTER.search(text):
        return "latin"
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "ar" if arabic >= latin else "latin"


# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

#: Folder of the word lists (generic words, qualifiers, articles), one TOML file per theme.
WORDS_DIR = Path(__file__).resolve().parent / "data" / "words"


@cache
def load_words(theme: str) -> Mapping[str, Any]:
    """Return the word lists of ``geodata/data/words/<theme>.toml``, every entry in normal form (read once).

    ``theme`` is the file's name without ``.toml`` (``generic``, ``qualifiers``, ``articles``); see
    :func:`read_word_lists`.
    """
    return read_word_lists(WORDS_DIR / f"{theme}.toml", normalise)


def read_word_lists(path: Path, fold: Callable[[str], str]) -> Mapping[str, Any]:
    """Read a TOML file of word lists: its tables and arrays as dicts and tuples, each string inside an array
    passed through ``fold`` (a no-op for a well-formed file, which the tests check), keys and scalars as written.

    The one reader of word files: geodata's own (folded by :func:`normalise`) and the extractor's lexicon (folded
    by its word normaliser).
    """
    with open(path, "rb") as fh:
        return _folded(tomllib.load(fh), fold)


def _folded(value: Any, fold: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {key: _folded(item, fold) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(fold(item) if isinstance(item, str) else _folded(item, fold) for item in value)
    return value


def _labelled(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Entry → label of a table listing entries under their label."""
    return {entry: label for label, entries in table.items() for entry in entries}


_GENERIC = load_words("generic")
_ARTICLES = load_words("articles")
# Generic words and the kind of place they announce.
_GENERIC_AR = _labelled(_GENERIC["arabic"])
_GENERIC_LATIN = _labelled(_GENERIC["latin"])
# Countryside words announce an area but stay in the key: "ريف دمشق" is not "دمشق".
_COUNTRYSIDE_LATIN = frozenset(_GENERIC["countryside_latin"])
# "sub district" written as two words, "sub-district" after punctuation folding.
_TWO_WORD_GENERIC = {tuple(words.split()): kind for words, kind in _labelled(_GENERIC["two_words"]).items()}
# Positional qualifiers that tell apart neighbouring namesakes (Upper/Lower Baghuz ...).
_QUALIFIERS = _labelled(load_words("qualifiers")["qualifiers"])
_LATIN_ARTICLES = frozenset(_ARTICLES["latin_articles"])
_SUN_LETTERS = "tdrzsnl"
_ABU_LATIN = frozenset(_ARTICLES["abu_latin"])
_ABUL_LATIN = frozenset(_ARTICLES["abul_latin"])  # Abu + article fused
_ABU_ARABIC = frozenset(_ARTICLES["abu_arabic"])

# --------------------------------------------------------------------------------------------
# Tokens, generic words, qualifiers
# --------------------------------------------------------------------------------------------


def kind_hint(text: str) -> str | None:
    """Return the kind of place a generic word in ``text`` announces, if any.

    Parameters
    ----------
    text : str
        A place name or phrase ("قرية البقعان", "Hamidiya neighbourhood").

    Returns
    -------
    str or None
        One of ``village``, ``city``, ``neighbourhood``, ``subdistrict``, ``district``,
        ``governorate``, ``countryside``, ``camp``, ``site``; ``None`` when no generic word is present.
    """
    tokens = normalise(text).split()
    for first, second in zip(tokens, tokens[1:], strict=False):
        if (first, second) in _TWO_WORD_GENERIC:
            return _TWO_WORD_GENERIC[(first, second)]
    for token in tokens:
        hint = _GENERIC_AR.get(token) or _GENERIC_LATIN.get(token)
        if hint:
            return hint
    return None


def strip_generic(tokens: list[str]) -> list[str]:
    """Drop generic words (village, حي, ناحية ...) from a token list, keeping at least one token.

    Parameters
    ----------
    tokens : list of str
        Normalised tokens.

    Returns
    -------
    list of str
        The tokens without generic words; the input unchanged if nothing else would remain.
    """
    kept: list[str] = []
    skip_next = False
    for index, token in enumerate(tokens):
        if skip_next:
            skip_next = False
            continue
        nxt = tokens[index + 1] if index + 1 < len(tokens) else ""
        if (token, nxt) in _TWO_WORD_GENERIC:
            skip_next = True
            continue
        if token in _GENERIC_AR or token in _GENERIC_LATIN:
            continue
        kept.append(token)
    return kept or list(tokens)


def _qualifier(token: str) -> str | None:
    """The qualifier a word names, if any, as listed or with its doubled letters written once
    ("Sharqiyyah" is "Sharqiyah", "Gharbiyya" is "Gharbiya")."""
    found = _QUALIFIERS.get(token)
    if found is None and len(token) > 4 and _DOUBLED.search(token):
        found = _QUALIFIERS.get(_DOUBLED.sub(_FIRST, token))
    return found


def _split_qualifiers(tokens: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Separate positional qualifiers (upper, الشرقي ...) at either end of a name."""
    base = list(tokens)
    quals: list[str] = []
    while len(base) > 1 and (qual := _qualifier(base[-1])) is not None:
        quals.append(qual)
        base.pop()
    while len(base) > 1 and (qual := _qualifier(base[0])) is not None:
        quals.append(qual)
        base.pop(0)
    return base, tuple(sorted(set(quals)))


# --------------------------------------------------------------------------------------------
# Skeletons
# --------------------------------------------------------------------------------------------

_DOUBLED = re.compile(r"(.)\1+")
_DOUBLED_NOT_H = re.compile(r"([^aeiouh])\1+")
_FIRST = operator.methodcaller("group", 1)  # a callable replacement: faster than the template r"\1"


def _arabic_token(token: str) -> str:
    """Strip the article from one Arabic token and unify ابو/البو."""
    if token in _ABU_ARABIC:
        return "بو"
    if token.startswith("ال") and len(token) > 3:
        token = token[2:]
    if token.startswith("ابو") and len(token) > 4:
        return "بو" + token[3:]
    return token


def _arabic_pieces(tokens: list[str]) -> list[str]:
    return [_arabic_token(t) for t in tokens]


_LATIN_RULES_HEAD: tuple[tuple[str, str], ...] = (
    (r"dsch|tsch|dzh|dj", "j"),
    (r"^rh", "gh"),  # French for غ: Rharbi, Rhabra
    (r"gu(?=[eiy])", "g"),  # French: Seïgueur
    (r"sch|ch", "sh"),
    (r"kh|x", "\u0127"),  # ħ marks kh (خ), kept apart from q/k/g (ق ك): Bukhatir is not Buqatur
)
_LATIN_RULES_TAIL: tuple[tuple[str, str], ...] = (
    (r"ph", "f"),
    (r"dh|th|z", "z"),
    (r"w", "u"),
    (r"ou|oo|uu|o", "u"),
    (r"au", "u"),
    (r"ee|ie", "i"),  # Hajeen, Shaheel: a long i
    (r"ey|ei|ai|ay|ae", "ay"),  # Deir, Sweidan, Dair: a diphthong
    (r"ii|iy|yi", "i"),
    (r"aa|a+", "a"),
    (r"[ae]h$", "a"),
    (r"(?<=[aeiuy])h$", ""),
    (r"(?<=[^aeiuy])e$", ""),
    (r"e", "a"),
    (r"(?<=[^aeiuy])y$", "i"),
)
# Spelling rules of the romanisation, which keeps q, g and gh (ġ) apart: the weighted similarity
# (geodata.similarity) compares it, where a swap among them costs little but something. The
# skeleton folds them (and c, ck) into k.
_LATIN_FINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (*_LATIN_RULES_HEAD, ("gh", "\u0121"), ("c(?!h)|ck", "k"), *_LATIN_RULES_TAIL)
)
# French renderings write ة as a final é: Haddâdé (حدادة), Khilfé (خلفة), Debbabié (دبابية).
_FINAL_E_ACUTE = re.compile(r"(?<=\w)(?:é|ée|è)(?=$|[\s\-’'])")


_FUSED_AL = re.compile(r"^(al|el)(?![aeiouyl])[a-z]{3}")
_FUSED_SUN = re.compile(r"^[ae]([" + _SUN_LETTERS.replace("l", "") + r"])\1(?=[a-z]{2})")


def _latin_token(token: str, is_only: bool) -> str:
    """Strip fused articles and unify Abu/Albu in one Latin token ("Albukamal" → "bukamal")."""
    if token in _ABU_LATIN:
        return "bu"
    if _FUSED_AL.match(token):
        return token[2:]
    if is_only:
        return token  # "Assad", "Ezra" alone keep their doubled first letters
    if _FUSED_SUN.match(token):
        return token[2:]
    return token


def _latin_tokens_without_articles(tokens: list[str]) -> list[str]:
    """Drop article tokens (al, el, ash, ez ...) as long as another word remains."""
    words = [t for t in tokens if t not in _LATIN_ARTICLES]
    if not words:
        return tokens
    out: list[str] = []
    for token in words:
        if token in _ABUL_LATIN:
            out.append("bu")
        else:
            out.append(_latin_token(token, len(words) == 1))
    return out


def _latin_pieces(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Per-token Latin skeletons (articles dropped, spelling variants folded), and the same with
    q, g and gh kept apart (the romanisation): the skeleton is the romanisation with those
    folded into k (checked equal on every Latin name of the gazetteer)."""
    fine = [_fine_piece(token) for token in _latin_tokens_without_articles(tokens)]
    folded = [_DOUBLED_NOT_H.sub(_FIRST, p.translate(_FINE_TO_K)) if _HAS_FINE.search(p) else p for p in fine]
    return folded, fine


@lru_cache(maxsize=32768)
def _fine_piece(token: str) -> str:
    """The romanisation of one Latin word (the spelling rules applied in order)."""
    piece = _DOUBLED_NOT_H.sub(_FIRST, token)  # "Shheel": the h of sh and the h of ح stay apart
    for pattern, repl in _LATIN_FINE_RULES:
        piece = pattern.sub(repl, piece)
    return _DOUBLED_NOT_H.sub(_FIRST, piece)


def clear_caches() -> None:
    """Forget every remembered normal form and key (for cold-start measurements)."""
    normalise.cache_clear()
    name_keys.cache_clear()
    _fine_piece.cache_clear()


_FINE_TO_K = str.maketrans({"q": "k", "g": "k", "\u0121": "k"})
_HAS_FINE = re.compile("[qg\u0121]")


def skeleton(text: str) -> str:
    """Return the compact per-script lookup key of a name.

    Parameters
    ----------
    text : str
        A place name in Arabic or Latin script.

    Returns
    -------
    str
        The key (no spaces). Positional qualifiers become a ``~`` suffix, e.g. ``باغوز~up``.

    Examples
    --------
    >>> skeleton("البو بدران") == skeleton("البوبدران") == skeleton("أبو بدران")
    True
    >>> skeleton("Deir ez-Zor") == skeleton("Dayr az Zawr") == skeleton("Deir Ezzor")
    True
    """
    return name_keys(text).skeleton


# --------------------------------------------------------------------------------------------
# Cross-script phonetic key
# --------------------------------------------------------------------------------------------

_ARABIC_PHONETIC = str.maketrans(
    {
        "ب": "b",
        "ت": "t",
        "ث": "z",
        "ج": "j",
        "ح": "h",
        "خ": "c",
        "د": "d",
        "ذ": "z",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "x",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "ع": "",
        "غ": "k",
        "ف": "f",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "h",
        "و": "",
        "ي": "",
        "ا": "",
    }
)
_LATIN_PHONETIC = str.maketrans(
    {"a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "w": "", "p": "b", "v": "f", "g": "k", "\u0127": "c"}
)


_ARABIC_ROMAN = str.maketrans(
    {
        "ب": "b", "ت": "t", "ث": "z", "ج": "j", "ح": "h", "خ": "\u0127", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
        "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "\u0121", "ف": "f", "ق": "q",
        "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u", "ي": "i", "ا": "a",
    }
)
_CONSTRUCT_T = re.compile(r"(?<=[aiuy])t$")
_CONSTRUCT_BEFORE_QUALIFIER = re.compile(r"(?<=..[^y]a)t$")  # Tabiyet, Hawijat; not Bayt


def _arabic_phonetic(pieces: list[str]) -> str:
    """Token-final ه (mostly ة) is dropped: "حويجة صكر" and "Hwaijet Saker" meet."""
    stripped = [p[:-1] if len(p) > 1 and p.endswith("ه") else p for p in pieces]
    key = "".join(stripped).translate(_ARABIC_PHONETIC)
    return _DOUBLED.sub(_FIRST, "".join(c for c in key if c.isalnum()))


def _latin_phonetic(pieces: list[str]) -> str:
    """Consonants only; the construct ending -at/-et of a non-final word (ة) and final h dropped."""
    out = []
    for index, piece in enumerate(pieces):
        if index < len(pieces) - 1:
            piece = _CONSTRUCT_T.sub("", piece)
        piece = piece.replace("sh", "x")
        if len(piece) > 1 and piece.endswith("h"):
            piece = piece[:-1]
        out.append(piece.translate(_LATIN_PHONETIC))
    return _DOUBLED.sub(_FIRST, "".join(c for c in "".join(out) if c.isalnum()))


def _arabic_roman(pieces: list[str]) -> str:
    """A rough Latin rendering of an Arabic skeleton, comparable with Latin skeletons."""
    words = [(p[:-1] + "ا" if len(p) > 1 and p.endswith("ه") else p).translate(_ARABIC_ROMAN) for p in pieces]
    roman = _DOUBLED.sub(_FIRST, "".join(words))
    return roman.replace("ii", "i").replace("uu", "u")


def phonetic_key(text: str) -> str:
    """Return the cross-script consonant key of a name.

    Parameters
    ----------
    text : str
        A place name in Arabic or Latin script.

    Returns
    -------
    str
        Consonant classes only; equal for many Arabic spellings and their transliterations.

    Examples
    --------
    >>> phonetic_key("الشحيل") == phonetic_key("Al-Shuhayl") == phonetic_key("Shiheil") == "xhl"
    True
    """
    return name_keys(text).phonetic


# --------------------------------------------------------------------------------------------
# All keys at once
# --------------------------------------------------------------------------------------------


class NameKeys(NamedTuple):
    """The lookup keys of one name.

    Attributes
    ----------
    full : str
        Normal form (``normalise``).
    skeleton : str
        Per-script key, qualifiers as a ``~`` suffix.
    base : str
        The skeleton without qualifiers (equal to ``skeleton`` when there are none).
    phonetic : str
        Cross-script consonant key.
    roman : str
        A rough Latin rendering of the base skeleton that keeps q (ق), g and gh (غ, written ġ)
        apart from k (for Latin names the base skeleton built so): what the weighted similarity
        compares (``geodata.similarity``).
    words : int
        Number of words without articles (ابو/البو joined to the next word).
    script : str
        ``"ar"``, ``"latin"`` or ``"none"``.
    hint : str or None
        Kind announced by a generic word.
    """

    full: str
    skeleton: str
    base: str
    phonetic: str
    script: str
    hint: str | None
    roman: str = ""
    words: int = 1


@lru_cache(maxsize=131072)
def name_keys(text: str) -> NameKeys:
    """Compute every lookup key of a name in one pass.

    Parameters
    ----------
    text : str
        A place name in Arabic or Latin script (generic words allowed).

    Returns
    -------
    NameKeys
        The keys; empty strings when the name has no letters or digits.
    """
    full = normalise(text)
    script = script_of(full)
    tokens = full.split()
    if script == "latin" and ("é" in text or "è" in text):
        tokens = normalise(_FINAL_E_ACUTE.sub("a", text)).split()  # a final é is ة: Haddâdé, Khilfé
    hint = kind_hint(full) if tokens else None
    if hint is None and tokens and (tokens[0] == "ريف" or _COUNTRYSIDE_LATIN.intersection(tokens)):
        hint = "countryside"
    core = strip_generic(tokens)
    base_tokens, quals = _split_qualifiers(core)
    if script == "ar":
        pieces = _arabic_pieces(base_tokens)
        phon, roman = _arabic_phonetic(pieces), _arabic_roman(pieces)
    else:
        pieces, fine = _latin_pieces(base_tokens)
        if quals and pieces:
            # before a qualifier the last word is not final: its construct -at/-et is the ة of
            # "Tabiyeh Shamiyeh" written "Tabiyet Shamiyeh"
            pieces[-1], fine[-1] = _CONSTRUCT_BEFORE_QUALIFIER.sub("", pieces[-1]), _CONSTRUCT_BEFORE_QUALIFIER.sub("", fine[-1])
        phon, roman = _latin_phonetic(pieces), _DOUBLED.sub(_FIRST, "".join(fine))
    base = _DOUBLED.sub(_FIRST, "".join(pieces))
    skel = base + ("~" + ".".join(quals) if quals else "")
    words = max(1, sum(1 for p in pieces if p not in {"بو", "bu"}))
    return NameKeys(
        full=full, skeleton=skel, base=base, phonetic=phon, script=script, hint=hint, roman=roman or base,
        words=words,
    )


# --------------------------------------------------------------------------------------------
# Attached prepositions and conjunctions
# --------------------------------------------------------------------------------------------

# Longest first; each entry: (prefix, replacement). "لل" and "بال" keep the article.
_CLITICS: tuple[tuple[str, str], ...] = (
    ("وبال", "ال"),
    ("وكال", "ال"),
    ("وفال", "ال"),
    ("ولل", "ال"),
    ("فبال", "ال"),
    ("وال", "ال"),
    ("فال", "ال"),
    ("بال", "ال"),
    ("كال", "ال"),
    ("لل", "ال"),
    ("وب", ""),
    ("ول", ""),
    ("وك", ""),
    ("فب", ""),
    ("فل", ""),
    ("و", ""),
    ("ف", ""),
    ("ب", ""),
    ("ل", ""),
    ("ك", ""),
)


def clitic_variants(token: str) -> list[tuple[str, str]]:
    """Propose forms of an Arabic token without attached prepositions or conjunctions.

    Parameters
    ----------
    token : str
        One normalised Arabic word, e.g. ``"والبوبدران"`` or ``"بالشعفه"``.

    Returns
    -------
    list of tuple of (str, str)
        ``(prefix, stripped)`` pairs, longest prefix first. The original token is not included;
        a stripped form is proposed only if at least three letters remain. The caller checks
        which forms exist in the gazetteer (``باغوز`` must not lose its ``ب``).

    Examples
    --------
    >>> [stripped for _, stripped in clitic_variants("وبالشعفه")]
    ['الشعفه', 'بالشعفه']
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for prefix, repl in _CLITICS:
        if token.startswith(prefix) and len(token) - len(prefix) + len(repl) >= 3:
            stripped = repl + token[len(prefix) :]
            if stripped not in seen:
                seen.add(stripped)
                out.append((prefix, stripped))
    return out
