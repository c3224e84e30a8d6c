"""Report text as the extractor sees it: tokens with character spans, sentences, clauses, language, HTML.

Every token keeps its ``start``/``end`` offsets into the text as given, so that whatever the rules find can be
highlighted in the review UI and quoted exactly. Matching is done on ``Token.norm``: Arabic letter variants
folded (hamza forms, ta marbuta, alef maqsura), tashkeel and tatweel removed, Arabic-Indic digits made ASCII,
Latin lower-cased without diacritics (:func:`geodata.normalise.fold_arabic` / ``fold_latin``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import NamedTuple

from geodata.normalise import fold_arabic, fold_latin

# Letters, digits, Arabic marks and tatweel make up words; anything else separates them.
_TOKEN = re.compile(r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[A-Za-z]")
# A sentence ends at a full stop, question or exclamation mark followed by space (or a closing quote and
# space), at a line break, or at the end of the text.
_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"”’»)]*\s+|\n\s*")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\bMr|\bMrs|\bDr|\bSt|\bNo|\bGen|\bCol|\bLt|\bvs|\be\.g|\bi\.e)\.$")

#: Arabic proclitics (conjunctions, prepositions, the article after them) tried when a word is looked up.
CLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "لل", "ول", "وب", "وك", "فب", "فل", "و", "ف", "ب",
           "ل", "ك")


class Token(NamedTuple):
    """One word of the text.

    Attributes
    ----------
    text : str
        The word as written.
    norm : str
        Folded form used for matching.
    start, end : int
        Character offsets into the text.
    number : int
        Position in the text's token list.
    gap : str
        The characters between the previous token and this one (punctuation, spaces).
    """

    text: str
    norm: str
    start: int
    end: int
    number: int
    gap: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or a title line) of the text and its tokens (``first``..``last`` inclusive)."""

    start: int
    end: int
    first: int
    last: int

    def span(self) -> tuple[int, int]:
        """Return the sentence's ``(start, end)`` offsets."""
        return self.start, self.end


@lru_cache(maxsize=65536)
def normalise_word(word: str) -> str:
    """Return the folded form of one word (see the module docstring)."""
    return fold_latin(fold_arabic(word))


@lru_cache(maxsize=65536)
def word_keys(norm: str) -> tuple[str, ...]:
    """Return the lookup forms of a folded word: itself, without proclitics, each without the article ``ال``.

    Parameters
    ----------
    norm : str
        A folded word (``normalise_word``).

    Returns
    -------
    tuple of str
        Distinct forms, the word itself first. ``"والمدنيين"`` gives ``("والمدنيين", "المدنيين", "مدنيين", ...)``.
    """
    forms = [norm]
    if _ARABIC_LETTER.match(norm):
        for clitic in CLITICS:
            if norm.startswith(clitic) and len(norm) - len(clitic) >= 2:
                rest = norm[len(clitic):]
                forms.append(("ال" + rest) if clitic.endswith("ال") or clitic == "لل" else rest)
        forms.extend([f[2:] for f in forms if f.startswith("ال") and len(f) > 4])
        forms.extend(_without_pronoun(f) for f in list(forms) if len(f) >= 5)
    return tuple(f for f in dict.fromkeys(forms) if f)


def _without_pronoun(word: str) -> str:
    """``غاراته`` → ``غارات``, ``قصفها`` → ``قصف``: attached pronouns (not a final ه, which is also ة)."""
    for suffix in ("هما", "ها", "هم", "هن"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    if word.endswith("اته"):
        return word[:-1]
    return ""


def strip_article(norm: str) -> str:
    """Return a folded Arabic word without its article (``الشعفه`` → ``شعفه``); other words unchanged."""
    return norm[2:] if norm.startswith("ال") and len(norm) > 4 else norm


def has_article(norm: str) -> bool:
    """Tell whether a folded Arabic word carries the article, with or without proclitics (``الهجوم``,
    ``بالهجوم``), not ``هجوم``."""
    return any(key.startswith("ال") for key in word_keys(norm))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with their offsets and folded forms.

    Parameters
    ----------
    text : str
        The report text.

    Returns
    -------
    list of Token
        In text order; ``Token.number`` is the position in this list.
    """
    tokens: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        norm = normalise_word(word)
        if not norm:
            previous_end = match.end()
            continue
        tokens.append(Token(word, norm, match.start(), match.end(), len(tokens), text[previous_end:match.start()]))
        previous_end = match.end()
    return tokens


def split_sentences(text: str, tokens: list[Token]) -> list[Sentence]:
    """Split ``text`` into sentences and title lines, each with its range of tokens.

    Parameters
    ----------
    text : str
        The report text.
    tokens : list of Token
        ``tokenize(text)``.

    Returns
    -------
    list of Sentence
        Sentences with at least one token, trimmed of surrounding spaces.
    """
    bounds = _sentence_bounds(text)
    sentences: list[Sentence] = []
    index = 0
    for start, end in bounds:
        while index < len(tokens) and tokens[index].end <= start:
            index += 1
        first = index
        while index < len(tokens) and tokens[index].start < end:
            index += 1
        if index > first:
            sentences.append(Sentence(start, end, first, index - 1))
    return sentences


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if "\n" not in match.group() and _ABBREVIATION.search(text[max(0, match.start() - 8):match.start()]):
            continue
        if _runs_on(text, match):
            continue
        _add_trimmed(text, start, match.start(), bounds)
        start = match.end()
    _add_trimmed(text, start, len(text), bounds)
    return bounds


#: A line of running prose: a sentence ends inside it, and it has more words than a title.
_PROSE_LINE = re.compile(r"[.!?؟]\s+\S")
_PROSE_WORDS = 10


def _runs_on(text: str, match: re.Match[str]) -> bool:
    """A single line break inside a sentence of running prose (a copied page wrapped ``... قيادي في مجلس`` /
    ``"دير الزور العسكري" التابع ...``, a commander / of the SDF): the line ends on a word, is prose, not a title (a
    sentence ends inside it and it is longer than a title), and the next line goes on with a word
    (in Latin script a lower-case one). A blank line, or a line that ends in punctuation, still ends the sentence;
    so does each block of a web page (:func:`html_to_text` separates them by a blank line)."""
    if match.group().count("\n") != 1 or match.start() == 0 or not text[match.start() - 1].isalnum():
        return False
    line = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
    following = text[match.end():match.end() + 2].lstrip("\"«“")[:1]  # a word, or a quoted name
    if not following or not following.isalpha() or (following.isascii() and not following.islower()):
        return False
    return len(line.split()) > _PROSE_WORDS and _PROSE_LINE.search(line) is not None


def _add_trimmed(text: str, start: int, end: int, bounds: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        bounds.append((start + lead, start + lead + len(stripped)))


def detect_language(text: str) -> str:
    """Return ``"ar"`` when Arabic letters outnumber Latin ones, else ``"en"``.

    Parameters
    ----------
    text : str
        The report text.

    Returns
    -------
    str
        ``"ar"`` or ``"en"`` (the two languages the rules know).
    """
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "ar" if arabic >= latin and arabic > 0 else "en"


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML page, with line breaks at block elements."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section",
                         "header", "footer", "blockquote", "title", "td", "th", "ul", "ol", "table", "figcaption"})
    _HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML document, block elements separated by a blank line (each ends a sentence).

    Parameters
    ----------
    markup : str
        HTML (a whole page or a fragment).

    Returns
    -------
    str
        Text without tags, scripts or styles; entities decoded; runs of spaces collapsed; empty blocks removed.
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    raw = html.unescape("".join(parser.parts))
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.splitlines())
    return "\n\n".join(line for line in lines if line)


def looks_like_html(text: str) -> bool:
    """Tell whether ``text`` is HTML markup rather than plain text (several tags present)."""
    return len(re.findall(r"</?(?:p|div|br|span|a|html|body|article|h\d|li)\b[^>]*>", text[:20000], re.I)) >= 2


_RELATED_LINE = re.compile(
    r"^\s*(?:اقرأ\s+أيضا[ًا]?|اقرأ\s+ايضا|إقرأ\s+أيضا[ًا]?|read\s+(?:also|more)|see\s+also|related\s*:)", re.I)
_RELATED_HEADING = re.compile(
    r"^\s*(?:مقالات\s+ذات\s+صلة|أخبار\s+ذات\s+صلة|مواضيع\s+ذات\s+صلة|اقرأ\s+أيضا[ًا]?|إقرأ\s+أيضا[ًا]?|"
    r"الأكثر\s+قراءة|related\s+(?:articles|posts|news|stories)|check\s+also|read\s+(?:also|more)|"
    r"you\s+may\s+also\s+like|more\s+from|latest\s+news|آخر\s+الأخبار)\s*:?\s*$", re.I)


def related_content(text: str, sentence: Sentence) -> bool:
    """Tell whether a sentence is a link to another article ("اقرأ أيضاً: ...", Read also: ...)."""
    return bool(_RELATED_LINE.match(text[sentence.start:sentence.end]))


def related_section_start(text: str) -> int:
    """Return where a "related articles" section begins (a heading line alone), or the text's length."""
    position = 0
    for line in text.splitlines(keepends=True):
        if _RELATED_HEADING.match(line.strip()) and position > 0:
            return position
        position += len(line)
    return len(text)
