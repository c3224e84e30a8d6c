"""Who says it inside the text, and what kind of source a name stands for.

Attributions are read as a reporting verb and its subject (``نقلت وكالة سانا عن مصادر أهلية``، ``ذكرت مصادر
معارضة``، ``مصادر أهلية أفادت``, SOHR said, A single source, the Smart News Agency, reported) or a prepositional
phrase (``بحسب``، ``وفق``، ``نقلاً عن``, according to). The subject's span is also returned so that place names
inside it (``موقع الشعفة الرسمي``, Deir Ezzor 24) are not taken for incident sites.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from incidents.domain.outlets import outlet_for, source_kind_for
from incidents.extract.lexicon import (
    PhraseMatcher,
    has_word,
    load_lexicon,
    phrase_pairs,
    scan_spans,
    word_set,
)
from incidents.extract.text import Token

_WORDS = load_lexicon("attribution")

_VERBS = word_set(_WORDS["verbs"])
_EN_VERBS = frozenset(_WORDS["en_verbs"])
_PREPOSITIONS = PhraseMatcher[str](phrase_pairs(_WORDS["prepositions"]))
_SOURCE_NOUNS = word_set(_WORDS["source_nouns"])
_CAUSE_WORDS = word_set(_WORDS["cause_words"])
_STOP = frozenset(_WORDS["stop"])
_EN_FILLER = frozenset(_WORDS["en_filler"])


@dataclass(frozen=True, slots=True)
class Attribution:
    """A reported-speech attribution inside a sentence.

    Attributes
    ----------
    first, last : int
        Token range of the whole attribution (verb or preposition and its subject).
    subject : tuple of int
        Token range of the subject (the source named).
    """

    first: int
    last: int
    subject: tuple[int, int]

    def text(self, text: str, tokens: Sequence[Token]) -> str:
        """Return the attribution as written."""
        return text[tokens[self.first].start:tokens[self.last].end]

    def span(self, tokens: Sequence[Token]) -> tuple[int, int]:
        """Return the character span of the attribution."""
        return tokens[self.first].start, tokens[self.last].end


def find_attributions(tokens: Sequence[Token], first: int, last: int) -> list[Attribution]:
    """Return the attributions of tokens ``first``..``last`` (one sentence), in text order."""
    return scan_spans(first, last, lambda index: _attribution_at(tokens, index, first, last))


def _attribution_at(tokens: Sequence[Token], index: int, first: int, last: int) -> Attribution | None:
    preposition = _PREPOSITIONS.match_at(tokens, index, last)
    if preposition is not None:
        return _subject_after(tokens, index, preposition.last + 1, last)
    token = tokens[index]
    if token.norm in _EN_VERBS:
        return _subject_before(tokens, index, first)
    if not token.norm.isascii() and has_word(token, _VERBS):
        return _arabic_attribution(tokens, index, first, last)
    return None


def _arabic_attribution(tokens: Sequence[Token], verb: int, first: int, last: int) -> Attribution | None:
    """VSO (``ذكرت مصادر معارضة``) or SVO (``مصادر أهلية أفادت``, ``مصادر حقوقية قالت لوكالة ...``)."""
    after = _subject_after(tokens, verb, verb + 1, last)
    before = _subject_before(tokens, verb, first)
    if before is None:
        return after
    told = verb + 1 <= last and tokens[verb + 1].norm.startswith("ل")
    if after is not None and told:
        return Attribution(before.first, after.last, before.subject)
    return before if after is None or told else after


def _subject_after(tokens: Sequence[Token], lead: int, start: int, last: int) -> Attribution | None:
    end = start - 1
    limit = min(last, start + 11)
    position = start
    while position <= limit:
        token = tokens[position]
        if position > start and _boundary(token) and not _named_in_brackets(tokens, position):
            break
        if token.norm in _STOP or _people_number(tokens, position, last) or _reported_fact(token):
            break
        end = position
        position += 1
    if end < start or not _has_source_noun(tokens, start, end):
        return None
    return Attribution(lead, end, (start, end))


def _reported_fact(token: Token) -> bool:
    """A word that starts what is reported, not who reports it (``باستشهاد``, ``جراء``, killed)."""
    from incidents.extract.casualties import INJURED_WORDS, KILLED_WORDS

    return has_word(token, KILLED_WORDS) or has_word(token, INJURED_WORDS) or has_word(token, _CAUSE_WORDS)


def _people_number(tokens: Sequence[Token], index: int, last: int) -> bool:
    from incidents.extract.casualties import noun_of

    return tokens[index].norm.isdigit() and index + 1 <= last and noun_of(tokens[index + 1]) is not None


def _named_in_brackets(tokens: Sequence[Token], index: int) -> bool:
    """``وكالة (سانا)``, ``the agency (SANA)``: a name in brackets right after a source noun belongs to the subject."""
    return tokens[index].gap.strip() == "(" and has_word(tokens[index - 1], _SOURCE_NOUNS)


def _boundary(token: Token) -> bool:
    gap = token.gap
    if any(dash in gap for dash in ("- ", " -", "–", "—")):
        return True
    return any(mark in gap for mark in ("،", ",", ":", "؛", ";", "\n", ".", "(")) and "«" not in gap


def _subject_before(tokens: Sequence[Token], verb: int, first: int) -> Attribution | None:
    """The subject before a reporting verb, back to the previous comma (an apposition before the verb is kept:
    "A single source, the Smart News Agency, reported")."""
    if verb - 1 < first:
        return None
    start = verb - 1
    while start - 1 >= first and verb - start < 8 and not _boundary(tokens[start]):
        start -= 1
    end = verb - 1
    while end >= start and tokens[end].norm in _EN_FILLER:
        end -= 1
    if end < start or not (_has_source_noun(tokens, start, end) or _capitalised(tokens, start, end)):
        return None
    return Attribution(start, verb, (start, end))


def _has_source_noun(tokens: Sequence[Token], start: int, end: int) -> bool:
    """A source noun (مصادر، وكالة, activists) or a listed outlet's name (سمارت، Reuters) among the words."""
    if any(has_word(tokens[i], _SOURCE_NOUNS) for i in range(start, end + 1)):
        return True
    return outlet_for(" ".join(t.text for t in tokens[start:end + 1])) is not None


def _capitalised(tokens: Sequence[Token], start: int, end: int) -> bool:
    words = [t.text for t in tokens[start:end + 1] if t.text.isascii() and t.text.isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= max(1, len(words) // 2)


def guess_source_kind(*names: str | None) -> str:
    """Return the source kind (a code of the ``source_kind`` vocabulary) the first of ``names`` that tells one
    points to, read from the outlet list and the kind's own words (:func:`incidents.domain.outlets.source_kind_for`);
    ``other`` when none does.

    Parameters
    ----------
    *names : str or None
        A source name (e.g. the publisher) and attributions, most telling first.

    Returns
    -------
    str
        A code of the ``source_kind`` vocabulary.
    """
    for name in names:
        kind = source_kind_for(name)
        if kind is not None:
            return kind
    return "other"
