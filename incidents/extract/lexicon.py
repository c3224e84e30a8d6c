"""Finding listed words and phrases in tokenised text, across Arabic clitics, articles and spelling variants.

A :class:`PhraseMatcher` is built from ``(phrase, value)`` pairs. Phrases are folded and split like report
text; Arabic words are compared without the article, and the first word of a phrase may carry proclitics in the
text (``وبطيران التحالف`` matches ``طيران التحالف``). Short all-capital Latin phrases (``IS``, ``SDF``) only match
with the same capitals, so the English verb "is" never reads as the Islamic State.

The extractor's word lists live in ``incidents/data/lexicon/<theme>.toml`` (one file per theme) and are read once by
:func:`load_lexicon`, which puts every entry in normal form (:func:`normal_form`). In those files table keys are
labels (a list's name, the value a group of phrases stands for) and every string inside an array is an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from geodata.normalise import read_word_lists
from incidents.extract.text import Token, normalise_word, strip_article, tokenize, word_keys

V = TypeVar("V")


class Spanning(Protocol):
    """Anything read from tokens that says which token it ends on."""

    @property
    def last(self) -> int:
        """Index of the last token read (inclusive)."""
        ...


S = TypeVar("S", bound=Spanning)


def scan_spans(first: int, last: int, read_at: Callable[[int], S | None]) -> list[S]:
    """Return what ``read_at`` reads in tokens ``first``..``last``, left to right, without overlaps.

    Parameters
    ----------
    first, last : int
        Inclusive token range (usually one sentence).
    read_at : callable
        Reads the longest item starting at a token index, or returns None; after an item the scan goes on
        from the token after its ``last``, else from the next token.

    Returns
    -------
    list
        The items read, in text order.
    """
    found: list[S] = []
    index = first
    while index <= last:
        item = read_at(index)
        if item is None:
            index += 1
            continue
        found.append(item)
        index = item.last + 1
    return found

#: Folder of the extractor's word lists, one TOML file per theme.
LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"


@dataclass(slots=True)
class Hit(Generic[V]):
    """A phrase found in the text: tokens ``first``..``last`` (inclusive) and the phrase's value."""

    first: int
    last: int
    value: V
    phrase: str

    def span(self, tokens: Sequence[Token]) -> tuple[int, int]:
        """Return the character span of the hit."""
        return tokens[self.first].start, tokens[self.last].end


@dataclass(slots=True)
class _Node(Generic[V]):
    children: dict[str, _Node[V]] = field(default_factory=dict)
    entries: list[tuple[V, str, tuple[str, ...] | None]] = field(default_factory=list)


def phrase_key(word: str) -> str:
    """Return the key a word of a listed phrase is stored under (folded, without the Arabic article)."""
    return strip_article(normalise_word(word))


def _exact_case(phrase: str) -> tuple[str, ...] | None:
    words = [t.text for t in tokenize(phrase)]
    if all(w.isascii() and w.isupper() and len(w) <= 6 for w in words) and len("".join(words)) <= 6:
        return tuple(words)
    return None


class PhraseMatcher(Generic[V]):
    """Longest-match lookup of listed phrases in token sequences.

    Parameters
    ----------
    entries : iterable of (str, value)
        Phrases as written (Arabic or English) and the value each stands for.
    keep_articles : bool
        Compare Arabic words with their article (``اليوم`` "today" is not ``يوم`` "day"); proclitics are still
        allowed on the first word.
    """

    def __init__(self, entries: Iterable[tuple[str, V]], keep_articles: bool = False) -> None:
        self._root: _Node[V] = _Node()
        self._keep = keep_articles
        for phrase, value in entries:
            self.add(phrase, value)

    def add(self, phrase: str, value: V) -> None:
        """Add one phrase."""
        words = [t.text for t in tokenize(phrase)]
        if not words:
            return
        node = self._root
        for word in words:
            node = node.children.setdefault(self._key(word), _Node())
        node.entries.append((value, phrase, _exact_case(phrase)))

    def first_words(self) -> frozenset[str]:
        """Return the keys a phrase can start with (for cheap pre-tests)."""
        return frozenset(self._root.children)

    def _key(self, word: str) -> str:
        return normalise_word(word) if self._keep else phrase_key(word)

    def match_at(self, tokens: Sequence[Token], index: int, last: int) -> Hit[V] | None:
        """Return the longest phrase starting at token ``index`` and ending at or before ``last``."""
        best: Hit[V] | None = None
        keys = word_keys(tokens[index].norm) if self._keep else bare_keys(tokens[index].norm)
        children = self._root.children
        for key in keys:
            if key not in children:
                continue
            node = self._root.children.get(key)
            if node is not None:
                best = _longer(best, self._walk(node, tokens, index, last))
        return best

    def _walk(self, node: _Node[V], tokens: Sequence[Token], index: int, last: int) -> Hit[V] | None:
        best = _entry_hit(node, tokens, index, index)
        position = index
        while position < last:
            position += 1
            token = tokens[position]
            node_next = node.children.get(token.norm) if self._keep else (
                node.children.get(strip_article(token.norm)) or node.children.get(token.norm))
            if node_next is None:
                break
            node = node_next
            best = _longer(best, _entry_hit(node, tokens, index, position))
        return best

    def find(self, tokens: Sequence[Token], first: int = 0, last: int | None = None) -> list[Hit[V]]:
        """Return non-overlapping longest matches in tokens ``first``..``last``, left to right."""
        end = len(tokens) - 1 if last is None else last
        return scan_spans(first, end, lambda index: self.match_at(tokens, index, end))

    def lookup(self, token: Token) -> V | None:
        """Return the value of a one-word phrase matching ``token``, if any."""
        hit = self.match_at([token], 0, 0)
        return hit.value if hit else None


@lru_cache(maxsize=65536)
def bare_keys(norm: str) -> tuple[str, ...]:
    """Return the lookup forms of a folded word without proclitics and without the article (cached)."""
    return tuple(dict.fromkeys(strip_article(k) for k in word_keys(norm)))


def _entry_hit(node: _Node[V], tokens: Sequence[Token], first: int, last: int) -> Hit[V] | None:
    for value, phrase, exact in node.entries:
        if exact is None or tuple(t.text for t in tokens[first:last + 1]) == exact:
            return Hit(first, last, value, phrase)
    return None


def _longer(current: Hit[V] | None, other: Hit[V] | None) -> Hit[V] | None:
    if other is None:
        return current
    if current is None or other.last > current.last:
        return other
    return current


def word_set(words: Iterable[str]) -> frozenset[str]:
    """Return the folded, article-less forms of ``words`` for one-word membership tests (see :func:`has_word`)."""
    return frozenset(phrase_key(w) for w in words)


def has_word(token: Token, words: frozenset[str]) -> bool:
    """Tell whether ``token`` (with or without proclitics and article) is one of ``words`` (:func:`word_set`)."""
    return any(k in words for k in bare_keys(token.norm))


def normal_form(entry: str) -> str:
    """Return a listed word or phrase in normal form: each word folded (:func:`normalise_word`), one space between."""
    return " ".join(normalise_word(word) for word in entry.split())


@cache
def load_lexicon(theme: str) -> Mapping[str, Any]:
    """Return the word lists of ``incidents/data/lexicon/<theme>.toml``, every entry in normal form (read once).

    ``theme`` is the file's name without ``.toml`` (``casualties``, ``places`` ...); each string inside an array is
    passed through :func:`normal_form` (see :func:`geodata.normalise.read_word_lists`).
    """
    return read_word_lists(LEXICON_DIR / f"{theme}.toml", normal_form)


def phrase_pairs(table: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """Return ``(phrase, value)`` pairs of a lexicon table that lists phrases under the value they stand for."""
    return [(phrase, value) for value, phrases in table.items() for phrase in phrases]
