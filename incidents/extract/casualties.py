"""Killed and injured figures in one sentence: who (civilians, children, women), how many, killed or injured.

Two kinds of evidence are found and then linked:

* **victim phrases**: a quantity and/or a noun for people (``40 مدنياً``, ``امرأتين وشاباً``, ``a child and a
  person``, ``عشرات القتلى والجرحى``, ``آخرون``), with their breakdown (``بينهم 9 أطفال و8 نساء``, mostly women
  and children) and hedges (``على الأقل``);
* **casualty words**: verbs and nouns of killing and injury (قتل، استشهد، مقتل، لقي حتفه، أصيب، جرح، killed,
  died, wounded), pairs of which make a combined total (``قتل وأصيب``, ``استشهاد وإصابة``, killed and injured).

A phrase whose noun already says the outcome (قتيلاً، جرحى، dead) needs no casualty word. A combined
"killed and injured" total is kept as ``combined`` and never read as deaths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from incidents.extract.lexicon import Hit, PhraseMatcher, has_word, load_lexicon, phrase_pairs, word_set
from incidents.extract.numbers import (
    Quantity,
    definite_number,
    find_quantities,
    is_another,
    may_be_number,
    post_modifier,
    read_number,
)
from incidents.extract.text import Token, has_article, normalise_word, strip_article, word_keys

_WORDS = load_lexicon("casualties")


@dataclass(frozen=True, slots=True)
class Noun:
    """A word for people: its role (outcome it states), group, civilian status and grammatical number."""

    role: str | None = None  # killed, injured, victim
    group: str | None = None  # child, woman, man
    civilian: str | None = None  # yes, no
    count: int | None = None  # 1 singular, 2 dual, None plural


def _nouns() -> dict[str, Noun]:
    table: dict[str, Noun] = {}
    for reading in _WORDS["nouns"]:
        noun = Noun(role=reading.get("role"), group=reading.get("group"), civilian=reading.get("civilian"),
                    count=reading.get("count"))
        table.update((strip_article(word), noun) for word in reading["words"])
    return table


NOUNS = _nouns()

_KILL_PHRASES = PhraseMatcher[str](phrase_pairs(_WORDS["kill_phrases"]))
#: Words of killing and of injury (:func:`incidents.extract.lexicon.has_word` sets).
KILLED_WORDS = word_set(_WORDS["killed"])
INJURED_WORDS = word_set(_WORDS["injured"])
_PAIR_JOINERS = frozenset(_WORDS["pair_joiners"])
_BREAKDOWN = PhraseMatcher[str](phrase_pairs(_WORDS["breakdown"]))
_HYPOTHETICAL = word_set(_WORDS["hypothetical"])
_TWO = frozenset(_WORDS["two"])
_PARTICIPLES = frozenset(_WORDS["participles"])
_ARMED_NOUNS = word_set(_WORDS["armed_nouns"])
_ARMED_ADJECTIVES = frozenset(_WORDS["armed_adjectives"])
_AUXILIARIES = frozenset(_WORDS["auxiliaries"])
_POSSESSIVES = frozenset(_WORDS["possessives"])
_PASSIVE_AUXILIARIES = frozenset(_WORDS["passive_auxiliaries"])
_ARTICLES = frozenset(_WORDS["articles"])
#: Words allowed between an English number and its noun: "two SDF fighters", "five Syrian soldiers".
_EN_ADJECTIVES = frozenset(_WORDS["en_adjectives"])
_OTHERS = word_set(_WORDS["others"])
_TOLL_LEADS = word_set(_WORDS["toll_leads"])
_FUNERAL_WORDS = word_set(_WORDS["funeral_words"])
_BODY_NOUNS = frozenset(_WORDS["funeral_bodies"])
_PARENT_NOUNS = frozenset(_WORDS["parent_nouns"])
_FUNERAL_DEATHS = word_set(_WORDS["funeral_deaths"]) | KILLED_WORDS
_NOT_PEOPLE_AFTER = word_set(_WORDS["not_people_after"])


@dataclass(slots=True)
class Figure:
    """One casualty figure found in a sentence.

    Attributes
    ----------
    outcome : str
        ``killed``, ``injured`` or ``combined`` (killed and injured together).
    low, high : int or None
        The number's bounds (``None`` when not stated).
    kind : str
        The quantity's wording (see :class:`incidents.extract.numbers.Quantity`).
    civilian : str or None
        ``yes``, ``no``, ``mixed`` or ``None`` (unstated).
    children, women : int or None
        Numbers of children and women among the victims, when a number is given.
    children_mentioned, women_mentioned : bool
        Children or women are mentioned without a number.
    first, last : int
        Token range of the victim phrase (breakdown included).
    word : tuple of int or None
        Token range of the casualty word it was linked to.
    elliptic : bool
        A number without a noun standing for the victims of the figure before it ("and three in Y").
    breakdown_only : bool
        Who was among the dead of an incident told before (Among the dead were seven children), no toll.
    """

    outcome: str
    low: int | None
    high: int | None
    kind: str
    civilian: str | None
    first: int
    last: int
    children: int | None = None
    women: int | None = None
    children_mentioned: bool = False
    women_mentioned: bool = False
    word: tuple[int, int] | None = None
    breakdown: list[tuple[int, int]] = field(default_factory=list)
    elliptic: bool = False
    breakdown_only: bool = False

    def spans(self, tokens: Sequence[Token]) -> list[tuple[int, int]]:
        """Return the character spans of the phrase and of its casualty word."""
        out = [(tokens[self.first].start, tokens[self.last].end)]
        if self.word is not None:
            out.append((tokens[self.word[0]].start, tokens[self.word[1]].end))
        return out

    @property
    def anchor(self) -> int:
        """Token index used to measure distances to places."""
        return self.first


@dataclass(slots=True)
class _Phrase:
    """A victim phrase before linking."""

    first: int
    last: int
    low: int | None
    high: int | None
    kind: str
    nouns: list[Noun]
    role: str | None
    civilian: str | None
    children: int | None = None
    women: int | None = None
    children_mentioned: bool = False
    women_mentioned: bool = False
    breakdown_last: int | None = None
    breakdown: list[tuple[int, int]] = field(default_factory=list)
    bare: bool = False  # a quantity with no noun after it
    noun_only: bool = False  # a noun counting itself (شاب، a child), no number written


@dataclass(frozen=True, slots=True)
class _Word:
    first: int
    last: int
    outcome: str


def noun_of(token: Token) -> Noun | None:
    """Return the people-noun reading of ``token`` (with or without proclitics and article), if any.

    An Arabic singular written in the accusative (``مدرّساً``, a teacher, as the object of a verb) is read as the
    singular when the lists do not give that form."""
    for key in word_keys(token.norm):
        noun = NOUNS.get(strip_article(key))
        if noun is not None:
            return noun
    if _accusative_ending(token):
        noun = NOUNS.get(strip_article(token.norm[:-1]))
        if noun is not None and noun.count == 1:
            return noun
    return None


def _accusative_ending(token: Token) -> bool:
    """An Arabic word ending in the accusative alif: with tanween (``مدرّساً``) or, as news often write it, without
    (``طبيبا``); not the hamza of a plural (``أبناء``, folded to ``ابنا``)."""
    return token.norm.endswith("ا") and token.text.endswith(("اً", "ًا", "ا")) and not token.norm.isascii()


def _accusative_singular(token: Token) -> bool:
    """A singular people noun in the accusative (``قيادياً``, ``طبيبا``): the object of a verb."""
    noun = noun_of(token)
    return _accusative_ending(token) and noun is not None and noun.count == 1


def _suffixed(bases: Iterable[str], suffixes: tuple[str, ...]) -> frozenset[str]:
    forms: set[str] = set()
    for base in bases:
        stem = normalise_word(base)
        stem = stem[:-1] + "ت" if stem.endswith("ه") else stem
        forms.update(stem + suffix for suffix in suffixes)
    return frozenset(forms)


#: Casualty nouns with "his/her" (one person) or "their two" (two) attached: ``ما أدى إلى وفاته``, ``مقتلهما``.
_PERSONAL = {
    **{form: ("killed", 1) for form in _suffixed(_WORDS["personal_bases_killed"], ("ه", "ها"))},
    **{form: ("killed", 2) for form in _suffixed(_WORDS["personal_bases_killed"], ("هما",))},
    **{form: ("injured", 1) for form in _suffixed(_WORDS["personal_bases_injured"], ("ه", "ها"))},
    **{form: ("injured", 2) for form in _suffixed(_WORDS["personal_bases_injured"], ("هما",))},
}


_EN_PERSONAL = PhraseMatcher[tuple[str, int]](
    (phrase, (group["outcome"], group["count"])) for group in _WORDS["en_personal"] for phrase in group["phrases"])


def _personal_figures(tokens: Sequence[Token], first: int, last: int, figures: list[Figure]) -> list[Figure]:
    """Figures read from a pronoun on the casualty noun, for outcomes the sentence gives no number for."""
    counted = {f.outcome for f in figures if f.low is not None or f.high is not None}
    found: list[Figure] = []
    for index in range(first, last + 1):
        keys = word_keys(tokens[index].norm)
        reading = next((_PERSONAL[k] for k in keys if k in _PERSONAL), None)
        if reading is None and tokens[index].norm.isascii():
            hit = _EN_PERSONAL.match_at(tokens, index, last)  # "which caused his immediate death"
            reading = hit.value if hit is not None else None
        if reading is None or reading[0] in counted or any(f.outcome == reading[0] for f in found):
            continue
        found.append(Figure(outcome=reading[0], low=reading[1], high=reading[1], kind="exact", civilian=None,
                            first=index, last=index, word=(index, index)))
    return found


def _add_personal_before(tokens: Sequence[Token], figures: list[Figure], first: int) -> None:
    """``ما أدى إلى مقتله ومقتل مرافقه``, his death and his escort's: a casualty noun with a pronoun right before
    "and the death of ..." adds its people to that figure."""
    for figure in figures:
        if figure.word is None or figure.low is None or figure.word[0] - 1 < first \
                or not tokens[figure.word[0]].norm.startswith("و"):
            continue
        index = figure.word[0] - 1
        reading = next((_PERSONAL[k] for k in word_keys(tokens[index].norm) if k in _PERSONAL), None)
        if reading is None or reading[0] != figure.outcome:
            continue
        figure.low += reading[1]
        figure.high = figure.high + reading[1] if figure.high is not None else None
        figure.first, figure.word = min(figure.first, index), (index, figure.word[1])


def find_figures(tokens: Sequence[Token], first: int, last: int, skip: frozenset[int] = frozenset(),
                 transparent: frozenset[int] = frozenset(), sites: frozenset[int] = frozenset(),
                 events: frozenset[int] = frozenset()) -> list[Figure]:
    """Return the casualty figures of tokens ``first``..``last`` (one sentence).

    Parameters
    ----------
    tokens : sequence of Token
        The text's tokens.
    first, last : int
        The sentence's token range.
    skip : frozenset of int
        Tokens that belong to dates or names and cannot be quantities of people.
    transparent : frozenset of int
        Tokens not counted in the distance between a casualty word and its phrase (the subject in
        ``قتلت قوات التحالف 13 مدنياً``, a date, a parenthetical attribution).
    sites : frozenset of int
        Tokens of the sentence's place names (the first in X and the second in Y: one of the dead at each).
    events : frozenset of int
        Tokens of the sentence's event words (in two strikes, the first in X and the second in Y: the ordinals
        count the strikes, and the dead are not shared out between the places).

    Returns
    -------
    list of Figure
        Linked figures in text order; phrases that no casualty word governs are left out.
    """
    words = _casualty_words(tokens, first, last)
    phrases = _victim_phrases(tokens, first, last, skip)
    context = _Context(tokens, phrases, words, transparent)
    figures = [figure for phrase in phrases if (figure := _link(context, phrase)) is not None]
    figures = [f for f in figures if not _breakdown_of_a_toll(tokens, f, figures, first)]
    _add_personal_before(tokens, figures, first)
    figures += _personal_figures(tokens, first, last, figures)
    figures += _elliptic_figures(context, figures, last)
    figures = _one_per_ordinal_place(tokens, figures, last, sites, events)
    counted = {f.outcome for f in figures if f.low is not None or f.high is not None}
    kept = sorted((f for f in figures if f.low is not None or f.high is not None or f.outcome not in counted),
                  key=lambda f: f.first)
    _late_breakdowns(tokens, kept, last, skip)
    kept = _ordinal_enumeration(tokens, kept, last, skip)
    share = _breakdown_of_the_dead(tokens, first, last, skip, kept)
    if share is not None:
        kept = sorted([f for f in kept if f.last < share.first or f.first > share.last] + [share],
                      key=lambda f: f.first)
    return kept


_THE_DEAD = word_set(_WORDS["the_dead"])


def _breakdown_of_a_toll(tokens: Sequence[Token], figure: Figure, figures: list[Figure], first: int) -> bool:
    """Seven civilians were killed, among them four children and a woman: people right after "among them" /
    ``بينهم`` are the breakdown of the death toll before them, not a toll of their own (the breakdown is read by
    :func:`_late_breakdowns`)."""
    if figure.outcome != "killed" or not any(f.outcome == "killed" and f.low is not None and f.last < figure.first
                                             for f in figures):
        return False
    for start in range(max(first, figure.first - 4), figure.first):
        lead = _BREAKDOWN.match_at(tokens, start, figure.first - 1)
        if lead is not None and lead.value == "among" and lead.last == figure.first - 1:
            return True
    return False


def _share_of_the_dead(tokens: Sequence[Token], index: int, last: int, skip: frozenset[int]) -> Figure | None:
    """``سبعة من القتلى أطفال``, seven of the dead were children: a number of the dead that are children or women."""
    if index in skip:
        return None
    number = read_number(tokens, index, last)
    if number is None or number[1] + 2 > last or tokens[number[1] + 1].norm not in ("من", "of"):
        return None
    position = number[1] + 2
    if position <= last and tokens[position].norm in ("the", "those"):
        position += 1
    if position > last or not has_word(tokens[position], _THE_DEAD):
        return None
    position += 1
    while position <= last and tokens[position].norm in _COPULAS:
        position += 1
    noun = noun_of(tokens[position]) if position <= last else None
    if noun is None or noun.group not in ("child", "woman"):
        return None
    value = number[0]
    return Figure(outcome="killed", low=None, high=None, kind="unknown", civilian="yes", first=index, last=position,
                  children=value if noun.group == "child" else None, women=value if noun.group == "woman" else None,
                  children_mentioned=noun.group == "child", women_mentioned=noun.group == "woman", breakdown_only=True)


#: Words between "among the dead" and the victims it lists (Among the dead were ..., ``كان بين القتلى``).
_COPULAS = frozenset({"were", "was", "are", "is", "كان", "كانوا"})


def _breakdown_of_the_dead(tokens: Sequence[Token], first: int, last: int, skip: frozenset[int],
                           figures: list[Figure]) -> Figure | None:
    """``وبين القتلى سبعة أطفال وأربع نساء``, Among the dead were seven children, The dead included two women: who
    was among the dead of an incident told before, with no toll of its own (``breakdown_only``)."""
    if not any(has_word(tokens[i], _THE_DEAD) for i in range(first, last + 1)):
        return None  # every such phrase names the dead
    for index in range(first, last + 1):
        part = _share_of_the_dead(tokens, index, last, skip)
        if part is not None:
            return None if any(f.outcome == "killed" and f.last < index for f in figures) else part
        lead = _BREAKDOWN.match_at(tokens, index, last)
        if lead is None or lead.value != "among" or lead.last == lead.first:
            continue
        if any(f.outcome == "killed" and f.last < index for f in figures):
            return None  # a toll told before it in the sentence: the breakdown is that toll's (see _late_breakdowns)
        start = lead.last + 1
        while start <= last and tokens[start].norm in _COPULAS:
            start += 1
        quantities = {q.first: q for q in find_quantities(tokens, start, last) if q.first not in skip}
        items = _breakdown_items(tokens, start, last, quantities)
        if not items:
            return None
        phrase = _Phrase(index, items[-1].last, None, None, "unknown", [], "killed", None)
        _apply_breakdown(phrase, items, counted=True)
        if phrase.children is None and phrase.women is None:
            return None
        return Figure(outcome="killed", low=None, high=None, kind="unknown", civilian=phrase.civilian, first=index,
                      last=items[-1].last, children=phrase.children, women=phrase.women,
                      children_mentioned=phrase.children_mentioned, women_mentioned=phrase.women_mentioned,
                      breakdown_only=True)
    return None


_PLACE_PREPOSITIONS = frozenset({"في", "in", "at", "on", "near", "قرب", "داخل"})


def _elliptic_figures(context: _Context, figures: list[Figure], last: int) -> list[Figure]:
    """``قتل مدنيان بقصف على الكشمة، وثلاثة بقصف على الجنينة``, two were killed in X and three in Y: a number
    without a noun, joined to a figure before it and followed by where (or how), counts the same victims again."""
    tokens = context.tokens
    taken = {f.first for f in figures}
    found: list[Figure] = []
    for phrase in context.phrases:
        before = [f for f in figures if f.last < phrase.first and f.low is not None]
        if _elided_people(tokens, phrase, before, taken, last):  # "and the second two civilians"
            found.append(Figure(outcome="killed", low=phrase.low, high=phrase.high, kind=phrase.kind,
                                civilian=phrase.civilian, first=phrase.first, last=phrase.last, children=phrase.children,
                                women=phrase.women, elliptic=True))
            continue
        others = len(phrase.nouns) == 1 and has_word(tokens[phrase.last], _OTHERS)  # "and two others in Y"
        if not (phrase.bare or others) or phrase.low is None or phrase.first in taken or not before \
                or phrase.last + 1 > last or phrase.first - before[-1].last > 10:
            continue
        following = tokens[phrase.last + 1]
        if after_ordinal(tokens, phrase.first, before[-1].last + 1):  # "and the second two", "والثانية اثنين"
            if _elided_toll(tokens, phrase.first, phrase.last, before[-1], last):
                found.append(Figure(outcome="killed", low=phrase.low, high=phrase.high, kind=phrase.kind,
                                    civilian=before[-1].civilian, first=phrase.first, last=phrase.last, elliptic=True))
            continue
        joined = conjoined_number(tokens[phrase.first]) or tokens[phrase.first - 1].norm == "and" \
            or ":" in tokens[phrase.first].gap  # "ثلاثة مدنيين: اثنان في هجين وواحد في الشعفة"
        told_of_a_place = any(t.norm in _PLACE_PREPOSITIONS or t.norm == "على" or any(m in t.gap for m in ",،:")
                              for t in tokens[before[-1].last + 1:phrase.first + 1])
        if not told_of_a_place:
            continue  # "خمسة أفراد من عائلة واحدة": no place between them
        placed = following.norm in _PLACE_PREPOSITIONS or (
            following.norm.startswith("ب") and not following.norm.isascii()
            and not any(w.first == phrase.last + 1 for w in context.words))
        if joined and placed and not any(m in following.gap for m in (".", ":", "؛", ";")):
            previous = before[-1]
            found.append(Figure(outcome=previous.outcome, low=phrase.low, high=phrase.high, kind=phrase.kind,
                                civilian=previous.civilian, first=phrase.first, last=phrase.last, elliptic=True))
    return found


#: Ordinals of strikes or attacks (the first, ``الثانية``), before the toll of each: the ordinal words that are not
#: parts of a number (``عشرة``).
ORDINALS = word_set(w for w in _WORDS["ordinal_words"] if w.startswith("ال") or w.isascii())
_ELIDED_BETWEEN = frozenset({"and", "the", "و"})


def after_ordinal(tokens: Sequence[Token], index: int, first: int) -> bool:
    """Tell whether an ordinal of a strike stands within three words before ``index`` (not before ``first``):
    the toll after it is that strike's (the first killed three, ``والثانية اثنين``)."""
    return _ordinal_before(tokens, index, first) is not None


def after_first_ordinal(tokens: Sequence[Token], index: int, first: int) -> bool:
    """Tell whether the ordinal before ``index`` (see :func:`after_ordinal`) is "the first" (the first three,
    ``الأولى ثلاثة``): the strikes' tolls are then counted from the first, and a toll before them may be their sum."""
    ordinal = _ordinal_before(tokens, index, first)
    return ordinal is not None and has_word(tokens[ordinal], _FIRST_ORDINALS)


def told_as_others(tokens: Sequence[Token], figure: Figure) -> bool:
    """Tell whether a toll says its dead are others (``ثلاثة آخرين``, three others): more dead than those before."""
    return any(has_word(t, _OTHERS) for t in tokens[figure.first:figure.last + 2])


def _ordinal_before(tokens: Sequence[Token], index: int, first: int) -> int | None:
    return next((i for i in range(index - 1, max(first, index - 3) - 1, -1) if has_word(tokens[i], ORDINALS)), None)


_FIRST_ORDINALS = word_set(_WORDS["first_ordinals"])


def _elided_toll(tokens: Sequence[Token], first: int, last: int, previous: Figure, end: int) -> bool:
    """"Killed three civilians and the second two", ``قتلت ثلاثة مدنيين والثانية اثنين``: a number right after an
    ordinal is a death toll with its verb elided only when it follows a death toll with nothing but its people,
    "and" and the ordinal between (no verb of its own: "the second destroyed 4 houses" is no toll), and no noun of
    things comes after it (the second 4 houses)."""
    if previous.outcome != "killed" or first - 1 <= previous.last or not has_word(tokens[first - 1], ORDINALS):
        return False
    if not all(t.norm in _ELIDED_BETWEEN or noun_of(t) is not None for t in tokens[previous.last + 1:first - 1]):
        return False
    if last + 1 > end:
        return True
    following = tokens[last + 1]
    return any(m in following.gap for m in ",،.;؛:") or noun_of(following) is not None \
        or following.norm in _PLACE_PREPOSITIONS or following.norm in _ELIDED_BETWEEN or following.norm == "على" \
        or (following.norm.startswith("ب") and not following.norm.isascii())


def _elided_people(tokens: Sequence[Token], phrase: _Phrase, before: list[Figure], taken: set[int], last: int) -> bool:
    """"The first strike killed a child and the second two civilians", ``والثانية مدنيين اثنين``: people counted
    right after an ordinal, with no word of their own, after a death toll are the next strike's toll."""
    return not phrase.bare and bool(phrase.nouns) and phrase.role is None and phrase.low is not None \
        and phrase.first not in taken and bool(before) and phrase.first - 1 > before[-1].last \
        and _elided_toll(tokens, phrase.first, phrase.last, before[-1], last)


def conjoined_number(token: Token) -> bool:
    """``وثلاثة``, ``و3``, ``وآخر``: a number after the conjunction ``و`` (not ``واحدة``, "one")."""
    rest = token.norm[1:]
    if token.norm[:1] != "و" or not rest or token.norm in ("واحد", "واحده", "واحدا"):
        return False
    return rest[0].isdigit() or may_be_number(token._replace(norm=rest)) or is_another(token)


def _late_breakdowns(tokens: Sequence[Token], figures: list[Figure], last: int, skip: frozenset[int]) -> None:
    """A breakdown further on in the sentence (``ارتفعت إلى تسعة حصيلة القتلى جراء ... أمس، بينهم طفل وثلاث
    نساء``, seven were killed in the town yesterday, among them five children) belongs to the killed figure before it
    when no other figure comes between."""
    for number, figure in enumerate(figures):
        if figure.outcome != "killed" or figure.children is not None or figure.women is not None \
                or figure.breakdown or figure.low is None:
            continue
        end = figures[number + 1].first - 1 if number + 1 < len(figures) else last
        lead = _late_lead(tokens, figure.last + 1, end)
        if lead is None:
            _late_part(tokens, figure, end, skip)
            continue
        quantities = {q.first: q for q in find_quantities(tokens, lead.last + 1, end) if q.first not in skip}
        items = _breakdown_items(tokens, lead.last + 1, end, quantities)
        if not items:
            continue
        phrase = _Phrase(figure.first, figure.last, figure.low, figure.high, figure.kind, [], "killed",
                         figure.civilian)
        _apply_breakdown(phrase, items, counted=True)
        if (phrase.children or 0) + (phrase.women or 0) > figure.low:
            continue
        figure.children, figure.women = phrase.children, phrase.women
        figure.children_mentioned |= phrase.children_mentioned
        figure.women_mentioned |= phrase.women_mentioned
        figure.breakdown.append((lead.first, items[-1].last))


_ENUMERATION_ORDINALS = word_set(_WORDS["enumeration_ordinals"])


def _ordinal_enumeration(tokens: Sequence[Token], figures: list[Figure], last: int,
                         skip: frozenset[int]) -> list[Figure]:
    """``قتل شخصان، الأول طفل والثانية امرأة``, two were killed, the first a child and the second a woman: a list by
    ordinals after a comma that adds up to the death toll before it names its dead. Its items are parts of the
    toll, not tolls of their own (they are dropped from the figures)."""
    for figure in figures:
        if figure.outcome != "killed" or figure.low is None or figure.low != figure.high \
                or figure.children is not None or figure.women is not None:
            continue
        start = next((i for i in range(figure.last + 1, last + 1) if any(m in tokens[i].gap for m in (",", "،", ":"))
                      and _ordinal_at(tokens, i, last) is not None), None)
        if start is None:
            continue
        quantities = {q.first: q for q in find_quantities(tokens, start, last) if q.first not in skip}
        items = _ordinal_items(tokens, start, last, quantities)
        if len(items) < 2 or sum(item.low or 0 for item in items) != figure.low:
            continue
        parts = _Phrase(start, items[-1].last, None, None, "unknown", [], "killed", None)
        for item in items:
            _record_group(parts, item.nouns[0], item.low or 0)
        figure.children, figure.women = parts.children, parts.women
        figure.breakdown.append((start, items[-1].last))
        return [f for f in figures if f is figure or not start <= f.first <= items[-1].last]
    return figures


def _one_per_ordinal_place(tokens: Sequence[Token], figures: list[Figure], last: int,
                           sites: frozenset[int], events: frozenset[int]) -> list[Figure]:
    """``قتل طفلان، الأول في بلدة هجين والثاني في بلدة الشعفة``, two children were killed, the first in X and the
    second in Y: as many ordinals, each followed by where, as the dead: one of them at each place (the total gives
    way to its parts).

    Not when the ordinals may count something else: events counted between the toll and them (in two strikes, the
    first in X...), or Arabic ordinals whose gender is not the dead's (``قتل مدنيان في غارتين، الأولى في...``): how
    many died where is then not said."""
    for figure in figures:
        if figure.outcome != "killed" or figure.low is None or figure.low != figure.high or figure.low < 2:
            continue
        ordinals = [i for i in range(figure.last + 1, last) if has_word(tokens[i], _ENUMERATION_ORDINALS)
                    and tokens[i + 1].norm in _PLACE_PREPOSITIONS and not sites.isdisjoint(range(i + 2, i + 5))]
        if len(ordinals) != figure.low or _counted_events(tokens, events, figure.last + 1, ordinals[0]) \
                or not _ordinals_agree(tokens, ordinals, feminine=figure.women == figure.low):
            continue
        children = 1 if figure.children == figure.low else None
        women = 1 if figure.women == figure.low else None
        parts = [Figure(outcome="killed", low=1, high=1, kind="exact", civilian=figure.civilian, first=i, last=i,
                        children=children, women=women, elliptic=True) for i in ordinals]
        return [f for f in figures if f is not figure] + parts
    return figures


_FEMININE_ORDINALS = word_set(_WORDS["feminine_ordinals"])


def _counted_events(tokens: Sequence[Token], events: frozenset[int], start: int, end: int) -> bool:
    """An event word between ``start`` and ``end`` that is counted: after a number (two strikes, ثلاث غارات), or
    dual or plural (strikes, غارتين، غارات)."""
    for index in events.intersection(range(start, end)):
        word = tokens[index].norm
        if index > 0 and may_be_number(tokens[index - 1]) or word.isascii() and word.endswith("s") \
                or not word.isascii() and any(k.endswith(("ين", "ان", "ات")) for k in word_keys(word)):
            return True
    return False


def _ordinals_agree(tokens: Sequence[Token], ordinals: list[int], feminine: bool) -> bool:
    """Arabic ordinals of the dead take their gender: ``الأول``/``الثاني`` for men or mixed, ``الأولى``/``الثانية``
    for women (English ordinals have none)."""
    return all(tokens[i].norm.isascii() or has_word(tokens[i], _FEMININE_ORDINALS) == feminine for i in ordinals)


def _ordinal_at(tokens: Sequence[Token], index: int, last: int) -> int | None:
    """The index of an enumerating ordinal at ``index`` (``الأول``, ``والثانية``, the first, and the second)."""
    for position in range(index, min(index + 2, last) + 1):
        if has_word(tokens[position], _ENUMERATION_ORDINALS):
            return position
        if tokens[position].norm not in ("and", "the"):
            return None
    return None


def _ordinal_items(tokens: Sequence[Token], position: int, last: int,
                   quantities: dict[int, Quantity]) -> list[_Phrase]:
    """The victims after each ordinal of an enumeration, each a single noun phrase with its count."""
    items: list[_Phrase] = []
    while position <= last:
        ordinal = _ordinal_at(tokens, position, last)
        if ordinal is None or ordinal + 1 > last:
            break
        item = _phrase_at(tokens, ordinal + 1, last, quantities)
        if item is None or not item.nouns or item.low is None or item.low != item.high \
                or item.role not in (None, "killed"):
            break
        items.append(item)
        position = item.last + 1
    return items


def _late_part(tokens: Sequence[Token], figure: Figure, end: int, skip: frozenset[int]) -> None:
    """Five people were killed in Hajin, three of them women; ``قتل مدنيان بقصف على البلدة، أحدهما طفل``: a part of
    the dead named after a comma further on."""
    for index in range(figure.last + 1, end + 1):
        if index in skip or not any(m in tokens[index].gap for m in (",", "،")):
            continue
        quantities = {q.first: q for q in find_quantities(tokens, index, min(end, index + 2)) if q.first not in skip}
        part = _read_part(tokens, index, end, quantities)
        if part is not None and part[2].group in ("child", "woman") and figure.low is not None \
                and _part_fits(tokens, index, part[0], figure.low):
            count, head, noun = part
            figure.children = count if noun.group == "child" else None
            figure.women = count if noun.group == "woman" else None
            figure.breakdown.append((index, head))
            return


def _late_lead(tokens: Sequence[Token], start: int, end: int) -> Hit[str] | None:
    """An "among them" / ``بينهم`` after a comma between ``start`` and ``end``."""
    for index in range(start, end + 1):
        if not any(m in tokens[index].gap for m in (",", "،")):
            continue
        lead = _BREAKDOWN.match_at(tokens, index, end)
        if lead is not None and lead.value == "among":
            return lead
    return None


@dataclass(frozen=True, slots=True)
class _Context:
    tokens: Sequence[Token]
    phrases: list[_Phrase]
    words: list[_Word]
    transparent: frozenset[int]

    def gap(self, left: int, right: int) -> int:
        """Tokens strictly between ``left`` and ``right`` that count as distance."""
        return sum(1 for i in range(left + 1, right) if i not in self.transparent) + 1


# -- casualty words ---------------------------------------------------------------------------------------


def _casualty_words(tokens: Sequence[Token], first: int, last: int) -> list[_Word]:
    found: list[_Word] = []
    index = first
    while index <= last:
        hit = _KILL_PHRASES.match_at(tokens, index, last)
        if hit is not None:
            found.append(_Word(index, hit.last, hit.value))
            index = hit.last + 1
            continue
        outcome = _word_outcome(tokens, index) or _split_kill_verb(tokens, index, last) \
            or _found_killed(tokens, index, first)
        if outcome is not None and not hypothetical(tokens, index, first):
            found.append(_Word(index, index, outcome))
        index += 1
    return _pair_words(tokens, found)


_SPLIT_KILL_VERBS = word_set(_WORDS["split_kill_verbs"])
_SPLIT_KILL_OBJECTS = word_set(_WORDS["split_kill_objects"])


_FOUND_KILLED = frozenset(_WORDS["found_killed"])
_FINDING_VERBS = word_set(_WORDS["finding_verbs"])


def _found_killed(tokens: Sequence[Token], index: int, first: int) -> str | None:
    """``عثر على رجل مقتولاً``: the indefinite participle (no article) as the state of someone found, a few words
    after a verb of finding; ``ذوو المقتول``, ``تشييع المقتول`` are no new death."""
    if tokens[index].norm not in _FOUND_KILLED:
        return None
    return "killed" if any(has_word(t, _FINDING_VERBS) for t in tokens[max(first, index - 6):index]) else None


def _split_kill_verb(tokens: Sequence[Token], index: int, last: int) -> str | None:
    """``فارق طفل الحياة``, ``لفظ الجريح أنفاسه``: a verb of dying whose object comes after its subject."""
    if not has_word(tokens[index], _SPLIT_KILL_VERBS):
        return None
    following = tokens[index + 2:min(last, index + 3) + 1]
    return "killed" if any(has_word(t, _SPLIT_KILL_OBJECTS) for t in following) else None


def _word_outcome(tokens: Sequence[Token], index: int) -> str | None:
    token = tokens[index]
    if noun_of(token) is not None and not (token.norm in _PARTICIPLES and not _nominal(tokens, index)):
        return None
    if has_word(token, KILLED_WORDS):
        return "killed"
    if has_word(token, INJURED_WORDS):
        return "injured"
    return None


def _armed_adjective(tokens: Sequence[Token], index: int) -> bool:
    """``بهجوم مسلح``, ``بالهجوم المسلح``: «مسلح» right after an attack noun says "armed", it counts no gunman;
    an adjective agrees with its noun, so after a definite noun an indefinite «مسلحاً» is the object (``قتلت قوات
    النظام خلال الهجوم مسلحاً``)."""
    return index > 0 and strip_article(tokens[index].norm) in _ARMED_ADJECTIVES \
        and has_word(tokens[index - 1], _ARMED_NOUNS) \
        and has_article(tokens[index - 1].norm) == has_article(tokens[index].norm)


def _nominal(tokens: Sequence[Token], index: int) -> bool:
    """English "wounded"/"injured" used as a noun: after "the", "of", "and dead", or a number."""
    if index == 0:
        return False
    before = tokens[index - 1].norm
    if before in ("the", "of") or before.isdigit():
        return True
    pair = noun_of(tokens[index - 2]) if before in ("and", "or") and index > 1 else None
    return pair is not None and pair.role in ("killed", "injured")


def hypothetical(tokens: Sequence[Token], index: int, first: int) -> bool:
    """Tell whether one of the three words before token ``index`` (not before ``first``) makes it hypothetical
    (fear of shelling, a defused mine, without casualties); ``دون`` of an age (``أطفال دون العاشرة بقصف``) is not."""
    return any(has_word(tokens[i], _HYPOTHETICAL) and skip_age(tokens, i, index - 1) == i
               for i in range(max(first, index - 3), index))


def _pair_words(tokens: Sequence[Token], words: list[_Word]) -> list[_Word]:
    """Join "killed and injured" (قتل وأصيب، استشهاد وإصابة) into one combined word."""
    out: list[_Word] = []
    for word in words:
        if out and _pairs(tokens, out[-1], word):
            out[-1] = _Word(out[-1].first, word.last, "combined")
        else:
            out.append(word)
    return out


def _pairs(tokens: Sequence[Token], left: _Word, right: _Word) -> bool:
    if {left.outcome, right.outcome} != {"killed", "injured"}:
        return False
    gap = right.first - left.last
    joined = gap == 1 and tokens[right.first].norm[:1] == "و" or (
        gap == 2 and tokens[left.last + 1].norm in _PAIR_JOINERS)
    after = tokens[right.last + 1] if right.last + 1 < len(tokens) else None
    # "لقي ثلاثة عمال مصرعهم وجرح اثنان": each word has its own count
    counted = after is not None and (has_word(after, _OTHERS) or may_be_number(after))
    return joined and not counted and not tokens[left.last].norm.endswith(("هم", "هما", "هن"))


# -- victim phrases ---------------------------------------------------------------------------------------


def _victim_phrases(tokens: Sequence[Token], first: int, last: int, skip: frozenset[int]) -> list[_Phrase]:
    quantities = {q.first: q for q in find_quantities(tokens, first, last) if q.first not in skip}
    phrases: list[_Phrase] = []
    index = first
    while index <= last:
        phrase = _phrase_at(tokens, index, last, quantities) if index not in skip else None
        if phrase is None:
            index += 1
            continue
        phrase = _extend(tokens, phrase, last, quantities)
        phrases.append(phrase)
        index = max(phrase.last, phrase.breakdown_last or phrase.last) + 1
    return phrases


_FAMILY = word_set(_WORDS["family"])
_FAMILY_LINKS = word_set(_WORDS["family_links"])


def _family_phrase(tokens: Sequence[Token], index: int, last: int, quantities: dict[int, Quantity]) -> _Phrase | None:
    """``a family of six``, ``عائلة مؤلفة من ستة أشخاص``: the family counts its members."""
    head = index + 1 if tokens[index].norm in ("a", "an") and index + 1 <= last else index
    if not has_word(tokens[head], _FAMILY):
        return None
    position = head + 1
    while position <= last and position - head <= 2 and has_word(tokens[position], _FAMILY_LINKS):
        position += 1
    quantity = quantities.get(position)
    if position == head + 1 or quantity is None or quantity.low is None:
        return None
    end = quantity.last
    noun = noun_of(tokens[end + 1]) if end + 1 <= last else None
    if noun is not None and noun.role is None:
        end += 1
    return _Phrase(index, end, quantity.low, quantity.high, quantity.kind, [Noun(civilian=None)], None, None)


def _phrase_at(tokens: Sequence[Token], index: int, last: int, quantities: dict[int, Quantity]) -> _Phrase | None:
    family = _family_phrase(tokens, index, last, quantities)
    if family is not None:
        return family
    body = _body_phrase(tokens, index, last, quantities)
    if body is not None:
        return body
    quantity = quantities.get(index)
    if quantity is None and tokens[index].norm in _POSSESSIVES:  # "and her two daughters"
        quantity = quantities.get(index + 1)
    if quantity is not None:
        return _counted_phrase(tokens, quantity, last)
    article = tokens[index].norm in _ARTICLES and index + 1 <= last
    head = _skip_modifiers(tokens, index + 1, last) if article else index
    noun = noun_of(tokens[head]) if head <= last else None
    if noun is None or (not article and tokens[index].norm in _PARTICIPLES and not _nominal(tokens, index)) \
            or _armed_adjective(tokens, head):
        return None
    if head + 1 <= last and has_word(tokens[head + 1], _FAMILY):  # "a displaced family": how many is not said
        return _Phrase(index, head + 1, None, None, "unknown", [noun], noun.role, noun.civilian, bare=False,
                       noun_only=True)
    count = 1 if article else _bare_count(tokens, head, noun)
    counted_after = definite_number(tokens[head + 1]) if count is None and head + 1 <= last else None
    if counted_after is not None:  # "وأطفالها الأربعة", the children and their number after them
        return _Phrase(index, head + 1, counted_after, counted_after, "exact", [noun], noun.role, noun.civilian)
    owned = _counted_after_owner(tokens, head, last) if count is None else None
    if owned is not None:  # "أبناء الشيخ الثلاثة": the sheikh's three sons, the sheikh not among them
        return _Phrase(index, owned[1], owned[0], owned[0], "exact", [noun], noun.role, noun.civilian)
    if count is None and _owner_after(tokens, head, last):  # "أبناء الشيخ": the sons, how many not said
        return _Phrase(index, head + 1, None, None, "unknown", [noun], noun.role, noun.civilian, bare=False,
                       noun_only=True)
    postposed = _postposed_number(tokens, head, last) if count is None else None
    if postposed is not None:  # "أطفال ثلاثة", "مدنيين خمسة": the number after its noun
        return _Phrase(index, postposed[1], postposed[0], postposed[0], "exact", [noun], noun.role, noun.civilian)
    phrase = _Phrase(index, head, count, count, "exact" if count else "unknown", [noun], noun.role,
                     noun.civilian, bare=False, noun_only=True)
    if head + 1 <= last and tokens[head + 1].norm in _TWO:
        phrase.low = phrase.high = 2
        phrase.kind, phrase.last = "exact", head + 1
    return phrase


def _counted_after_owner(tokens: Sequence[Token], head: int, last: int) -> tuple[int, int] | None:
    """``أبناء الشيخ الثلاثة``, ``أطفال أبو محمد الأربعة``: a plural Arabic noun, its owner (one or two words, the
    second part of an idafa) and a definite number agreeing with the noun: the number counts the noun, the owner is
    no victim. Return (value, last token) or ``None``."""
    if tokens[head].norm.isascii():
        return None
    for owner_words in (1, 2):
        position = head + owner_words + 1
        if position > last or any(any(m in tokens[i].gap for m in _STOPS) for i in range(head + 1, position + 1)):
            return None
        if any(may_be_number(tokens[i]) for i in range(head + 1, position)):
            return None
        value = definite_number(tokens[position])
        if value is not None:
            return value, position
    return None


def _owner_after(tokens: Sequence[Token], head: int, last: int) -> bool:
    """``أبناء الشيخ``: a plural Arabic noun right before a definite noun of a person is the first part of an idafa;
    the person after it owns the noun and is no victim of its own."""
    position = head + 1
    if position > last or tokens[head].norm.isascii() or any(m in tokens[position].gap for m in _STOPS):
        return False
    word = tokens[position].norm
    return word.startswith("ال") and definite_number(tokens[position]) is None and noun_of(tokens[position]) is not None


_AFTER_POSTPOSED = frozenset(_WORDS["after_postposed_number"])
_STOPS = (",", "،", ".", ":", ";", "؛", "(", ")", "-", "–", "—")


def _postposed_number(tokens: Sequence[Token], head: int, last: int) -> tuple[int, int] | None:
    """``أطفال ثلاثة``, ``نساء أربع``: a number word from three on right after a plural Arabic noun counts it, unless
    the word after the number is what the number counts (``أهالي ثلاث قرى``). Return (value, last token)."""
    position = head + 1
    if position > last or tokens[head].norm.isascii() or any(m in tokens[position].gap for m in _STOPS):
        return None
    word = tokens[position].norm
    if word[:1] in ("و", "ب", "ل", "ف") or word[:1].isdigit() or not may_be_number(tokens[position]):
        return None
    number = read_number(tokens, position, last)
    if number is None or number[0] < 3:
        return None
    if number[1] < last:
        following = tokens[number[1] + 1]
        if not (any(m in following.gap for m in _STOPS) or following.norm in _AFTER_POSTPOSED
                or following.norm[:1] in ("و", "ب", "ل", "ف")):
            return None
    return number


_BODY = frozenset(_WORDS["body_words"])
_FOUND = frozenset(_WORDS["found_words"])
_FOUND_WHERE = frozenset(_WORDS["found_where"])
_FOUND_NOT_WHERE = frozenset(_WORDS["found_not_where"])
_FINDINGS = frozenset(_WORDS["findings"])
_A_BODY = Noun(role="killed", count=1)


def _body_phrase(tokens: Sequence[Token], index: int, last: int, quantities: dict[int, Quantity]) -> _Phrase | None:
    """"The body of a man", "a body was found in X", "found the body": one dead (or the people of "the body of").

    "A governing body", "the body of the report" are no one: "body" counts the dead only with a person after "of"
    or as what was found somewhere ("an oversight body was found to have...", "the body has found no..." are
    findings about an organisation)."""
    head = index + 1 if tokens[index].norm in ("a", "the") and index + 1 <= last else index
    if tokens[head].norm not in _BODY or head == index and index > 0 and tokens[index - 1].norm in ("a", "the"):
        return None
    if head + 2 <= last and tokens[head + 1].norm == "of":
        person = _phrase_at(tokens, head + 2, last, quantities)
        if person is not None and person.nouns and person.role is None and person.low is not None:
            return _Phrase(index, person.last, person.low, person.high, person.kind, person.nouns, "killed",
                           person.civilian)
    found_before = index > 0 and any(t.norm in _FOUND for t in tokens[max(0, index - 2):index])
    if found_before and _found_where(tokens, head + 1, last) or _body_was_found(tokens, head, last):
        return _Phrase(index, head, 1, 1, "exact", [_A_BODY], "killed", None)
    return None


def _body_was_found(tokens: Sequence[Token], head: int, last: int) -> bool:
    """"A body was found in X", "the body of Ahmad al-Hamad, a teacher, has been found near Y": "body" right before
    the passive of a finding verb, or "the body of" a name (no article) and that passive a few words on."""
    if head + 2 <= last and tokens[head + 1].norm == "of" and tokens[head + 2].norm not in ("the", "a", "an"):
        window = range(head + 3, min(last, head + 12))
    else:
        window = range(head + 1, min(last, head + 3))
    return any(tokens[i].norm in ("was", "were", "been") and tokens[i + 1].norm in _FOUND
               and _found_where(tokens, i + 2, last) for i in window)


def _found_where(tokens: Sequence[Token], position: int, last: int) -> bool:
    """What follows a body found is where, when or how (in X, near Y, on Friday, dead, the end of the clause), not
    what an organisation was found to be (to have, that, guilty, responsible, in breach of)."""
    if position > last or any(m in tokens[position].gap for m in _STOPS):
        return True
    if tokens[position].norm == "by":  # "found by residents near X", not "found by the court to have"
        return not any(t.norm in _FINDINGS for t in tokens[position + 1:min(last, position + 5) + 1])
    if tokens[position].norm not in _FOUND_WHERE:
        return False
    return position == last or tokens[position + 1].norm not in _FOUND_NOT_WHERE


def _bare_count(tokens: Sequence[Token], index: int, noun: Noun) -> int | None:
    """A noun without a number: dual 2, singular 1, plural unknown; "بين قتيل وجريح" is no count."""
    if index > 0 and tokens[index - 1].norm == "بين":
        return None
    return noun.count


def _counted_phrase(tokens: Sequence[Token], quantity: Quantity, last: int) -> _Phrase | None:
    position = quantity.last + 1
    if position <= last and tokens[position].norm in ("من", "of"):
        position += 1
        if position <= last and tokens[position].norm in _ARTICLES | {"the"}:
            position += 1
    position = _skip_modifiers(tokens, position, last)
    noun = noun_of(tokens[position]) if position <= last and not _broken(tokens[quantity.last + 1]) else None
    if noun is None:
        if position <= last and has_word(tokens[position], _NOT_PEOPLE_AFTER):
            return None
        if quantity.low is not None and quantity.low >= 1900:
            return None
        return _Phrase(quantity.first, quantity.last, quantity.low, quantity.high, quantity.kind, [], None, None,
                       bare=True)
    return _Phrase(quantity.first, position, quantity.low, quantity.high, quantity.kind, [noun], noun.role,
                   noun.civilian)


def _broken(token: Token) -> bool:
    """A dash, colon or bracket between a number and a word: "Deir Ezzor 24 — Members of ..." is no count."""
    return any(mark in token.gap for mark in ("—", "–", ":", "(", ")", "|"))


def _skip_modifiers(tokens: Sequence[Token], position: int, last: int) -> int:
    """Skip up to two English modifiers between a number and its noun (two SDF fighters, five Syrian soldiers)."""
    for skipped in range(3):
        index = position + skipped
        if index > last or noun_of(tokens[index]) is not None:
            return index if index <= last and skipped and noun_of(tokens[index]) is not None else position
        text = tokens[index].text
        if not text.isascii() or not (text.isupper() or tokens[index].norm in _EN_ADJECTIVES):
            return position
    return position


def _extend(tokens: Sequence[Token], phrase: _Phrase, last: int, quantities: dict[int, Quantity]) -> _Phrase:
    """Read what follows the head: a role pair, adjectives, a hedge, an enumeration and a breakdown."""
    _absorb_role_pair(tokens, phrase, last)
    _absorb_count_after_role(tokens, phrase, last, quantities)
    _absorb_adjectives(tokens, phrase, last)
    _absorb_role_noun(tokens, phrase, last)
    _absorb_hedge(tokens, phrase, last)
    _absorb_enumeration(tokens, phrase, last, quantities)
    _absorb_hedge(tokens, phrase, last)
    _absorb_breakdown(tokens, phrase, last, quantities)
    return phrase


def _absorb_role_pair(tokens: Sequence[Token], phrase: _Phrase, last: int) -> None:
    """``قتيل وجريح``, ``القتلى والجرحى``, dead and wounded: one number for both outcomes."""
    position = phrase.last + 1
    if position <= last and tokens[position].norm in ("and", "or", "او"):
        position += 1
    elif position <= last and not tokens[position].norm.startswith("و"):
        return
    noun = noun_of(tokens[position]) if position <= last else None
    if noun is not None and phrase.role in ("killed", "injured") and noun.role in ("killed", "injured") \
            and noun.role != phrase.role:
        phrase.role = "combined"
        phrase.last = position


def _absorb_adjectives(tokens: Sequence[Token], phrase: _Phrase, last: int) -> None:
    """``مواطناً مدنياً``, ``القتلى والجرحى المدنيين``: a following civilian adjective."""
    position = phrase.last + 1
    if position <= last:
        noun = noun_of(tokens[position])
        if noun is not None and noun.civilian == "yes" and noun.group is None and noun.role is None \
                and not tokens[position].norm.startswith("و") and not _cases_differ(tokens, phrase.last, position) \
                and not _numbers_differ(phrase, noun):
            phrase.civilian = "yes"
            phrase.last = position


def _numbers_differ(phrase: _Phrase, noun: Noun) -> bool:
    """``قتل مسلحون ابنه``: a plural and a singular after it are subject and object, not a noun and its adjective."""
    return noun.count == 1 and bool(phrase.nouns) and phrase.nouns[-1].count is None and phrase.low is None


def _cases_differ(tokens: Sequence[Token], head: int, following: int) -> bool:
    """``قتل مسلحون طبيباً``: a nominative plural (``-ون``) and an accusative (``-اً``) are subject and object, not a
    noun and its adjective."""
    return tokens[head].norm.endswith("ون") and _accusative_singular(tokens[following])


def _absorb_count_after_role(tokens: Sequence[Token], phrase: _Phrase, last: int,
                             quantities: dict[int, Quantity]) -> None:
    """``جثث 4 مدنيين``, the bodies of 4 civilians: a number-less outcome noun counted by what follows."""
    if phrase.role not in ("killed", "injured") or phrase.low is not None or phrase.high is not None:
        return
    position = phrase.last + 1
    if position <= last and tokens[position].norm in ("of", "لـ", "ل"):
        position += 1
    following = _phrase_at(tokens, position, last, quantities) if position <= last else None
    if following is None or following.bare or following.role is not None or following.low is None:
        return
    phrase.low, phrase.high, phrase.kind = following.low, following.high, following.kind
    phrase.nouns[:0] = following.nouns  # the bodies of two women: the women are counted
    phrase.civilian = following.civilian
    phrase.last = following.last


def _absorb_role_noun(tokens: Sequence[Token], phrase: _Phrase, last: int) -> None:
    """``29 مدنياً ضحية``, ``11 مدنياً قتلى``: a counted phrase followed by a noun stating the outcome."""
    position = phrase.last + 1
    if phrase.role is not None or phrase.low is None or position > last or tokens[position].norm.startswith("و"):
        return
    noun = noun_of(tokens[position])
    if noun is not None and noun.role is not None:
        phrase.role = "killed" if noun.role == "victim" else noun.role
        phrase.last = position


def _absorb_hedge(tokens: Sequence[Token], phrase: _Phrase, last: int) -> None:
    hedge = post_modifier(tokens, phrase.last + 1, last)
    if hedge is None:
        return
    kind, end = hedge
    value = phrase.low if phrase.low is not None else phrase.high
    if phrase.kind == "exact" and kind == "at_least":
        phrase.low, phrase.high, phrase.kind = value, None, "at_least"
    elif phrase.kind == "exact":
        phrase.kind = kind
    phrase.last = end


def _absorb_enumeration(tokens: Sequence[Token], phrase: _Phrase, last: int,
                        quantities: dict[int, Quantity]) -> None:
    """``امرأتين وشاباً``, ``ثلاث سيدات وخمسة أطفال``, a man and two women, a man, his wife and their two children:
    one toll, summed. Items after a comma join only a list whose first item has no number written and that ends
    with "and" (in "a child, a resident of the town, was killed" the comma opens a description), and that is no
    apposition (:func:`_apposition`)."""
    head_count = phrase.low
    pending: list[_Phrase] = []  # items after commas, added once an "and" item closes the list
    while phrase.nouns and phrase.low is not None and phrase.kind == "exact":
        end = pending[-1].last if pending else phrase.last
        position = _skip_parent_description(tokens, _skip_group(tokens, skip_age(tokens, end + 1, last), last), last)
        comma = False
        if position <= last and tokens[position].norm == "and":
            position += 1
        elif position <= last and tokens[position].norm.startswith("و"):
            pass
        elif position <= last and phrase.noun_only and any(m in tokens[position].gap for m in (",", "،")):
            comma = True
        else:
            break
        following = _phrase_at(tokens, position, last, quantities)
        if following is None or not following.nouns or following.low is None or following.kind != "exact" \
                or following.role not in (None, phrase.role):
            break
        pending.append(following)
        if comma:
            continue
        if len(pending) > 1 and _apposition(tokens, phrase.nouns[0], pending, last):
            phrase.last = following.last  # "a woman, a mother and a teacher, was killed": one woman
            break
        for item in pending:
            phrase.low += item.low or 0
            phrase.nouns.extend(item.nouns)
            _record_group(phrase, item.nouns[0], item.low or 0)
            phrase.civilian = _combine_civilian(phrase.civilian, item.civilian)
        phrase.high, phrase.last = phrase.low, following.last
        pending = []
    if pending and _apposition(tokens, phrase.nouns[0], pending, last):
        phrase.last = pending[-1].last  # "a child, a resident of Hajin, was killed": the child, described
    if phrase.nouns and head_count is not None and (len(phrase.nouns) > 1 or phrase.kind in ("exact", "about",
                                                                                               "at_least")):
        _record_group(phrase, phrase.nouns[0], head_count)


_EN_PLURAL_VERBS = frozenset(_WORDS["en_plural_verbs"])
_COMMAS = (",", "،")


def _skip_parent_description(tokens: Sequence[Token], position: int, last: int) -> int:
    """"A man, a father of five, and his son", ``رجل، وهو أب لخمسة أطفال، وابنه``: a parent's description between
    commas says who the victim before it is (its number counts no one); the list goes on after it. Return the
    position after the description, or ``position`` when there is none."""
    if position > last or not any(m in tokens[position].gap for m in _COMMAS):
        return position
    index = position
    if tokens[index].norm in ("وهو", "وهي", "a", "an"):
        index += 1
    if index > last or strip_article(tokens[index].norm) not in _PARENT_NOUNS:
        return position
    index += 1
    if index <= last and tokens[index].norm == "of":
        index += 1
    if index > last or not may_be_number(tokens[index]):
        return position
    index += 1
    if index <= last and noun_of(tokens[index]) is not None and not any(m in tokens[index].gap for m in _COMMAS):
        index += 1
    return index if index <= last and any(m in tokens[index].gap for m in _COMMAS) else position
_ARABIC_POSSESSIVE = re.compile("(?:[^ة]ه|ها|هما|هم|هن)$")
_HARAKAT = re.compile("[\u064b-\u0652\u0640]")


def _apposition(tokens: Sequence[Token], head: Noun, items: list[_Phrase], last: int) -> bool:
    """``امرأة، أم وزوجة``, a man, a father and a farmer, died: what a single victim is, between commas, not more
    victims. The items are one person's when none is a relative of someone (his wife, ``زوجته``) or counted (two
    children), and none is of another kind (a man, a woman and a child); an English plural verb after them (were)
    makes them a list all the same."""
    if head.count != 1 or any(_possessed(tokens, item) or item.low != 1 for item in items):
        return False
    if any(item.nouns[0].group not in (None, head.group) or item.nouns[0].count != 1
           or None not in (item.nouns[0].civilian, head.civilian) and item.nouns[0].civilian != head.civilian
           for item in items):
        return False
    after = items[-1].last + 1
    return after > last or tokens[after].norm not in _EN_PLURAL_VERBS


def _possessed(tokens: Sequence[Token], item: _Phrase) -> bool:
    """"his wife", "their two children", ``زوجته``, ``أطفالهما``: a relative of someone named before."""
    if tokens[item.first].norm in _POSSESSIVES:
        return True
    word = _HARAKAT.sub("", tokens[item.last].text)
    return not word.isascii() and bool(_ARABIC_POSSESSIVE.search(word))


_AGE_LEADS = frozenset(_WORDS["age_leads"])
_AGE_WORDS = frozenset(_WORDS["age_words"])
_BETWEEN = frozenset(_WORDS["between"])
_ORDINAL_WORDS = frozenset(_WORDS["ordinal_words"])


def skip_age(tokens: Sequence[Token], position: int, last: int) -> int:
    """Skip an age after a victim noun (``دون الثامنة عشرة``, ``في الثانية عشرة من عمره``, ``تتراوح أعمارهم بين 3
    و12 عاماً``, under the age of 18, aged 12): its numbers count no one, and the enumeration goes on after it.
    Return the position after the age, or ``position`` when there is none."""
    if position > last:
        return position
    lead = tokens[position].norm
    if lead not in _AGE_LEADS and not (lead == "في" and position + 1 <= last and (
            tokens[position + 1].norm in _ORDINAL_WORDS or may_be_number(tokens[position + 1]))):
        return position
    end, numbered, between = position, False, lead in _BETWEEN
    for index in range(position + 1, min(last, position + 8) + 1):
        token = tokens[index]
        if index > position + 1 and any(m in token.gap for m in ("،", ",", ".", ";", "؛")):
            break
        is_number = may_be_number(token) or token.norm in _ORDINAL_WORDS or token.norm.isdigit()
        if is_number and _counts_people(tokens, index + 1, last):
            break  # "... وخمسة أطفال", "and two women": the enumeration goes on
        joined = token.norm == "and" and (between or index + 1 <= last and may_be_number(tokens[index + 1]))
        if token.norm.startswith("و") and not token.norm[1:2].isdigit() and not is_number:
            break  # "وامرأتان"
        if not (is_number or joined or token.norm in _AGE_WORDS):
            break
        between |= token.norm in _BETWEEN
        if joined:
            continue  # a joining "and" ends the age only with the number after it
        numbered |= is_number
        end = index
    return end + 1 if numbered else position


def _counts_people(tokens: Sequence[Token], index: int, last: int) -> bool:
    """A number right before a people noun counts it (``خمسة أطفال``); not before ``وامرأتان`` (a new item)."""
    return index <= last and not tokens[index].norm.startswith("و") and noun_of(tokens[index]) is not None


def _skip_group(tokens: Sequence[Token], position: int, last: int) -> int:
    """Skip a short "of the SDF" (``من قسد``, ``قيادي في داعش ومرافقه``) between two enumerated victims:
    ``عنصرين من قسد ومسلح``."""
    if position > last or "،" in tokens[position].gap:
        return position
    if tokens[position].norm in ("في", "in") and position + 1 <= last:
        from incidents.extract.roles import actor_matcher  # roles reads figures: imported here

        if actor_matcher().match_at(tokens, position + 1, last) is None:
            return position
    elif tokens[position].norm not in ("من", "of"):
        return position
    for index in range(position + 1, min(last, position + 4) + 1):
        token = tokens[index]
        if any(m in token.gap for m in ("،", ",", ".")):
            return position
        if token.norm.startswith("و") or token.norm == "and":
            return index
        if may_be_number(token) or noun_of(token) is not None:
            return position
    return position


def _record_group(phrase: _Phrase, noun: Noun, count: int) -> None:
    if noun.group == "child":
        phrase.children = (phrase.children or 0) + count
    elif noun.group == "woman":
        phrase.women = (phrase.women or 0) + count


def _combine_civilian(left: str | None, right: str | None) -> str | None:
    values = {v for v in (left, right) if v is not None}
    if not values:
        return None
    if values == {"yes"} or values == {"no"}:
        return values.pop()
    return "mixed"


def _absorb_breakdown(tokens: Sequence[Token], phrase: _Phrase, last: int, quantities: dict[int, Quantity]) -> None:
    """``بينهم 9 أطفال و8 نساء``, including two children, mostly women and children."""
    position = _skip_breakdown_filler(tokens, phrase.last + 1, last)
    lead = _BREAKDOWN.match_at(tokens, position, last) if position <= last else None
    if lead is None:
        _absorb_of_them(tokens, phrase, phrase.last + 1, last, quantities)
        _absorb_apposition(tokens, phrase, phrase.last + 1, last, quantities)
        return
    position = lead.last + 1
    if position <= last and tokens[position].norm in ("من", "of"):
        position += 1
    items = _breakdown_items(tokens, position, last, quantities)
    if not items:
        return
    phrase.breakdown.append((lead.first, items[-1].last))
    phrase.breakdown_last = items[-1].last
    _apply_breakdown(phrase, items, counted=lead.value == "among")


_OF_THEM = PhraseMatcher[str](phrase_pairs(_WORDS["of_them"]))


def _absorb_of_them(tokens: Sequence[Token], phrase: _Phrase, position: int, last: int,
                    quantities: dict[int, Quantity]) -> None:
    """``قتل عشرة مدنيين، ستة منهم أطفال``, ten civilians, six of them children, ``مدنيان، أحدهما طفل``, one of them a
    child: a part of the victims and who they are. The part belongs to the toll (it is no toll of its own); it
    counts children or women when it names them."""
    part = _read_part(tokens, position, last, quantities)
    if part is None or phrase.low is None or part[0] > phrase.low:
        return
    count, head, noun = part
    if noun.group in ("child", "woman") and _part_fits(tokens, position, count, phrase.low):
        _record_group(phrase, noun, count)
    phrase.breakdown.append((position, head))
    phrase.breakdown_last = head


def _read_part(tokens: Sequence[Token], position: int, last: int,
               quantities: dict[int, Quantity]) -> tuple[int, int, Noun] | None:
    """"six of them children", ``أحدهما طفل``: the part's count, the index of its noun and the noun."""
    part = _part_of_them(tokens, position, last, quantities)
    if part is None:
        return None
    count, head = part
    if head <= last and tokens[head].norm in ("were", "are", "was", "is", "هم", "هو", "هي", "كان", "كانت"):
        head += 1
    if head <= last and tokens[head].norm in ("a", "an"):
        head += 1
    noun = noun_of(tokens[head]) if head <= last else None
    return (count, head, noun) if noun is not None else None


_ONE_OF_THEM = frozenset(_WORDS["one_of_them"])
_ONE_OF_TWO = frozenset(w for w in _ONE_OF_THEM if w.endswith("هما"))


def _part_fits(tokens: Sequence[Token], position: int, count: int, toll: int) -> bool:
    """A part "of them" at ``position`` is a part of a ``toll`` of several, no larger than it; ``أحدهما`` (one of
    the two) is a part of a toll of two only (``قتل مدني، أحدهما طفل`` names no child of the toll)."""
    return 2 <= toll and count <= toll and (tokens[position].norm not in _ONE_OF_TWO or toll == 2)


def _part_of_them(tokens: Sequence[Token], position: int, last: int,
                  quantities: dict[int, Quantity]) -> tuple[int, int] | None:
    """"six of them", ``ستة منهم``, ``أحدهما``: the part's count and the index after it."""
    if position > last:
        return None
    if tokens[position].norm in _ONE_OF_THEM:
        return 1, position + 1
    quantity = quantities.get(position)
    if quantity is None or quantity.low is None or quantity.low != quantity.high or quantity.last + 1 > last:
        return None
    of = _OF_THEM.match_at(tokens, quantity.last + 1, last)
    return (quantity.low, of.last + 1) if of is not None else None


def _absorb_apposition(tokens: Sequence[Token], phrase: _Phrase, position: int, last: int,
                       quantities: dict[int, Quantity]) -> None:
    """Three civilians, a man and his two children: a list after a comma that adds up to the toll names them."""
    if position > last or not any(m in tokens[position].gap for m in (",", "،")) or phrase.low is None \
            or phrase.low != phrase.high or phrase.children is not None or phrase.women is not None:
        return
    listed = _phrase_at(tokens, position, last, quantities)
    if listed is None or not listed.nouns or listed.role is not None:
        return
    _absorb_enumeration(tokens, listed, last, quantities)
    if listed.low != phrase.low or len(listed.nouns) < 2:
        return
    phrase.children, phrase.women = listed.children, listed.women
    phrase.children_mentioned |= listed.children is not None
    phrase.women_mentioned |= listed.women is not None
    phrase.breakdown.append((listed.first, listed.last))
    phrase.breakdown_last = listed.last


def _skip_breakdown_filler(tokens: Sequence[Token], position: int, last: int) -> int:
    """Skip a short "of one family" / "من عائلة واحدة" between a toll and its breakdown."""
    for offset in range(0, 5):
        index = position + offset
        if index > last or has_word(tokens[index], KILLED_WORDS) or has_word(tokens[index], INJURED_WORDS):
            break
        if _BREAKDOWN.match_at(tokens, index, last) is not None:
            return index
        if noun_of(tokens[index]) is not None or (may_be_number(tokens[index]) and index + 1 <= last
                                                  and _OF_THEM.match_at(tokens, index + 1, last) is not None):
            break
    return position


def _breakdown_items(tokens: Sequence[Token], position: int, last: int,
                     quantities: dict[int, Quantity]) -> list[_Phrase]:
    items: list[_Phrase] = []
    while position <= last:
        item = _phrase_at(tokens, position, last, quantities)
        if item is None or not item.nouns:
            break
        items.append(item)
        position = skip_age(tokens, item.last + 1, last)
        if position <= last and tokens[position].norm == "and":
            position += 1
        elif position > last or not (tokens[position].norm.startswith("و") or tokens[position].gap.strip() == ","):
            break
    return items


def _apply_breakdown(phrase: _Phrase, items: list[_Phrase], counted: bool) -> None:
    civilians = {item.nouns[0].civilian for item in items}
    if "no" in civilians and ("yes" in civilians or phrase.civilian == "yes"):
        phrase.civilian = "mixed"
    elif phrase.civilian is None and civilians == {"yes"}:
        phrase.civilian = "yes"
    for item in items:
        group = item.nouns[0].group
        numbered = counted and item.low is not None and item.kind == "exact" and item.low == item.high
        if group == "child":
            phrase.children = item.low if numbered else phrase.children
            phrase.children_mentioned = True
        elif group == "woman":
            phrase.women = item.low if numbered else phrase.women
            phrase.women_mentioned = True


# -- linking ----------------------------------------------------------------------------------------------


def _link(context: _Context, phrase: _Phrase) -> Figure | None:
    tokens = context.tokens
    if _one_of_the_dead(tokens, phrase) or _children_of_a_parent(tokens, phrase) or _owner_of(context, phrase) \
            or _their_bodies(context, phrase):
        return None
    if phrase.role is None and _carried_body(context, phrase) and _death_told_after(tokens, phrase.last):
        return _figure(phrase, "killed", None)  # "جثمان شاب قتلته قسد": the person carried, killed
    if phrase.role in ("killed", "injured", "combined"):
        if hypothetical(tokens, phrase.first, max(0, phrase.first - 3)) or _funeral(context, phrase):
            return None
        return _figure(phrase, phrase.role, _word_before(context, phrase, 3))
    word = _governing_word(context, phrase)
    if word is None:
        return _toll_figure(context, phrase)
    if phrase.bare and word.last < phrase.first and context.gap(word.last, phrase.first) > 1 and not all(
            has_word(t, _TOLL_LEADS) for t in tokens[word.last + 1:phrase.first]):  # "put the death toll at nine"
        return None
    if phrase.bare and word.first > phrase.last and word.first - phrase.last > 3:
        return None
    return _figure(phrase, word.outcome, word)


def _their_bodies(context: _Context, phrase: _Phrase) -> bool:
    """"executed three shepherds and dumped their bodies": bodies with a pronoun after people counted before in the
    sentence are theirs, no toll of their own ("his body was found" alone still counts)."""
    tokens = context.tokens
    return phrase.role == "killed" and tokens[phrase.first].norm in _POSSESSIVES and any(
        p.last < phrase.first and p.low is not None and p.role is None for p in context.phrases)


def _owner_of(context: _Context, phrase: _Phrase) -> bool:
    """``ثلاثة أطفال لأم``, three children of a mother: a person joined by «ل» right after a phrase is whose they
    are, not one more victim."""
    token = context.tokens[phrase.first]
    return phrase.noun_only and token.norm.startswith("ل") and not token.norm.startswith("ال") and any(
        p.last == phrase.first - 1 and p.nouns for p in context.phrases if p is not phrase)


def _children_of_a_parent(tokens: Sequence[Token], phrase: _Phrase) -> bool:
    """"a mother of three", ``أم لثلاثة أطفال``: a number after a parent and "of" or «ل» describes the parent."""
    first = phrase.first
    if first >= 2 and tokens[first - 1].norm == "of":
        return tokens[first - 2].norm in _PARENT_NOUNS
    return first >= 1 and tokens[first].norm.startswith("ل") and strip_article(tokens[first - 1].norm) in _PARENT_NOUNS


def _one_of_the_dead(tokens: Sequence[Token], phrase: _Phrase) -> bool:
    """"named one of the victims as a farmer", ``أحد الضحايا مزارع``: one of a toll told before is no new death,
    unless it is told dying (``قتل أحد الضحايا``, one of the victims was reportedly killed) or the phrase owns the
    person (one of the victims' brothers)."""
    if phrase.role not in ("killed", "victim") or phrase.last == phrase.first:
        return False
    lead, after = tokens[phrase.first].norm, tokens[phrase.first + 1].norm
    if not ((lead == "one" and after == "of") or (lead in ("احد", "احدي") and after.startswith("ال"))):
        return False
    return not (_dies_after(tokens, phrase.last) or _possessive_after(tokens, phrase.last)
                or (phrase.first > 0 and has_word(tokens[phrase.first - 1], KILLED_WORDS)))


def _dies_after(tokens: Sequence[Token], last: int) -> bool:
    """A word of death after the phrase, past auxiliaries (one of the victims was reportedly killed)."""
    index = last + 1
    while index < len(tokens) and tokens[index].norm in _AUXILIARIES:
        index += 1
    return index < len(tokens) and index <= last + 4 and has_word(tokens[index], KILLED_WORDS)


def _possessive_after(tokens: Sequence[Token], last: int) -> bool:
    """"one of the victims' brothers", "one of the victim's sons": the person counted is another."""
    if last + 1 >= len(tokens):
        return False
    following = tokens[last + 1]
    return following.gap.startswith("'") or (following.norm == "s" and following.gap == "'")


def _funeral(context: _Context, phrase: _Phrase) -> bool:
    """``شيّع أهالي البلدة جثمانه``, ``جثمان الشاب``, ``تشييع جثامين الضحايا``: a body carried at a funeral (the
    phrase, or the person named right after the body noun) is no new death; "جثمان طفل قتل بقصف", "جثامين خمسة
    مدنيين قضوا بقصف" keep the killing told after it (counted on the person named, when one is)."""
    tokens = context.tokens
    bodies = _funeral_bodies(tokens, phrase)
    if not bodies:
        return False
    if any(p.first == bodies[-1] + 1 and p.role is None and p.nouns for p in context.phrases):
        return True  # the person named after the body carries the death, if one is told
    return not _death_told_after(tokens, phrase.last)


_FUNERAL_DATES = PhraseMatcher[str]([(phrase, phrase) for phrase in _WORDS["funeral_dates"]])


def funeral_sentence(tokens: Sequence[Token], first: int, last: int) -> bool:
    """Tell whether tokens ``first..last`` tell of a funeral (``شيع أهالي البلدة جثمان``, ``شيّع ... شاباً قضى``,
    buried a young man who died of wounds): a funeral word with a body noun in the eight words after it, or with a
    noun of a person in the four words after it."""
    for index in range(first, last + 1):
        funeral = has_word(tokens[index], _FUNERAL_WORDS) or _FUNERAL_DATES.match_at(tokens, index, last) is not None
        if not funeral:
            continue
        after = tokens[index + 1:min(last, index + 8) + 1]
        if any(strip_article(key) in _BODY_NOUNS for t in after for key in word_keys(t.norm)) \
                or any(noun_of(t) is not None for t in after[:4]):
            return True
    return False


def _carried_body(context: _Context, phrase: _Phrase) -> bool:
    """The person named right after a body noun carried at a funeral (``جثمان شاب``)."""
    bodies = _funeral_bodies(context.tokens, phrase)
    return bool(bodies) and bodies[-1] == phrase.first - 1


def _funeral_bodies(tokens: Sequence[Token], phrase: _Phrase) -> list[int]:
    """Body nouns in the phrase or right before it, with a funeral word in the eight words before them."""
    bodies = [i for i in range(max(0, phrase.first - 1), phrase.last + 1)
              if any(strip_article(key) in _BODY_NOUNS for key in word_keys(tokens[i].norm))]
    if not bodies or not any(has_word(tokens[i], _FUNERAL_WORDS) for i in range(max(0, bodies[0] - 8), bodies[0])):
        return []
    return bodies


def _death_told_after(tokens: Sequence[Token], last: int) -> bool:
    """``جثامين خمسة مدنيين قضوا بقصف``, ``جثمان شاب قتلته قسد``: a verb of death within three words after the
    body (past the person named after it) tells the death in the funeral sentence."""
    return any(has_word(t, _FUNERAL_DEATHS) for t in tokens[last + 1:last + 4])


def _governing_word(context: _Context, phrase: _Phrase) -> _Word | None:
    passive = _passive_word(context, phrase)
    if passive is not None:  # "... were killed and three others were injured"
        return passive
    before = _word_before(context, phrase, 4)
    if before is None and _accusative_object(context.tokens, phrase):
        before = _word_before(context, phrase, 8)
        if before is not None and _clause_break(context.tokens, before.last + 1, phrase.first):
            before = None
    if before is not None and context.gap(before.last, phrase.first) <= 2:
        return before
    if phrase.bare:
        if before is not None and context.gap(before.last, phrase.first) == 1:
            return before
        after = _word_after(context, phrase, 3)  # "at least 5 were killed", "5 قتلوا"
        between = context.tokens[phrase.last + 1:after.first] if after is not None else []
        return after if after is not None and all(t.norm in _AUXILIARIES for t in between) else None
    after = _word_after(context, phrase, 5 if phrase.noun_only and not _passive_ahead(context, phrase) else 14)
    if after is not None and not (phrase.noun_only and _toll_word(context.tokens, after)):
        return after
    if before is not None:
        return before
    if phrase.role == "victim":
        return _Word(phrase.first, phrase.last, "killed")
    return None


def _accusative_object(tokens: Sequence[Token], phrase: _Phrase) -> bool:
    """``اغتال مسلحون يستقلون دراجة نارية قيادياً``: a single victim written in the accusative (``-اً``) is the
    object of a verb that may stand further back, past its subject and what the subject rode or carried."""
    word = tokens[phrase.last]
    return phrase.noun_only and phrase.low == 1 and _accusative_singular(word)


def _clause_break(tokens: Sequence[Token], start: int, end: int) -> bool:
    """``قتل مسلحون شاباً وتركوا طفلاً``: a verb joined by «و» between a far verb and an accusative starts a new
    clause, whose verb (not the far one) governs the object."""
    return any(_joined_verb_form(tokens[i]) for i in range(start, end))


def _joined_verb_form(token: Token) -> bool:
    """``وتركت``, ``وأصابوا``, ``وألقوا``: «و» and a past verb (a plural ``-وا`` or feminine ``-ت`` ending), which
    the lexicon need not know."""
    rest = token.norm[1:]
    if not token.norm.startswith("و") or len(rest) < 3 or rest.startswith("ال") or noun_of(token) is not None:
        return False
    return rest.endswith("وا") or (rest.endswith("ت") and not rest.endswith("ات")) \
        or any(has_word(token, words) for words in (KILLED_WORDS, INJURED_WORDS))


def _passive_ahead(context: _Context, phrase: _Phrase) -> bool:
    """"A young man named by local sources as X was reportedly killed": an English passive ends the subject."""
    for word in context.words:
        if phrase.last < word.first <= phrase.last + 14:
            before = [t.norm for t in context.tokens[max(0, word.first - 2):word.first]]
            return any(b in ("was", "were") for b in before)
    return False


def _toll_word(tokens: Sequence[Token], word: _Word) -> bool:
    return any(bare_key in ("toll", "حصيله") for t in tokens[word.first:word.last + 1] for bare_key in word_keys(t.norm))


def _passive_word(context: _Context, phrase: _Phrase) -> _Word | None:
    """An English passive right after the phrase: "three others were injured", "two children have died"."""
    after = _word_after(context, phrase, 3)
    if after is None:
        return None
    # "three others, including a woman, were wounded": the verb after the breakdown is the phrase's own
    between = context.tokens[max(phrase.last, phrase.breakdown_last or phrase.last) + 1:after.first]
    if between and all(t.norm in _AUXILIARIES for t in between) and between[0].norm in _PASSIVE_AUXILIARIES:
        return after
    return None


def _word_before(context: _Context, phrase: _Phrase, reach: int) -> _Word | None:
    candidates = [w for w in context.words if w.last < phrase.first and context.gap(w.last, phrase.first) <= reach]
    if not candidates:
        return None
    word = candidates[-1]
    if any(_is_people_number(context.tokens, i) for i in range(word.last + 1, phrase.first)):
        return None
    return word


def _word_after(context: _Context, phrase: _Phrase, reach: int) -> _Word | None:
    end = max(phrase.last, phrase.breakdown_last or phrase.last)
    following = [w for w in context.words if w.first > end and w.first - end <= reach]
    if not following:
        return None
    word = following[0]
    blocked = any(p.first > end and p.first < word.first and p.low is not None and not p.breakdown_last
                  and p is not phrase and p.nouns for p in context.phrases)
    # "اعتقال أحد المطلوبين، أسفرت عن مقتل عنصرين": the word has its own victims right after it
    blocked = blocked or any(word.last < p.first <= word.last + 2 and p.nouns and p.low is not None
                             and p.role in (None, word.outcome) and not _joined_after(context.tokens, word.last, p.first)
                             for p in context.phrases)
    return None if blocked else word


def _joined_after(tokens: Sequence[Token], end: int, start: int) -> bool:
    """A phrase joined to what precedes it (``and another wounded``, ``وأصيب آخر``)."""
    return any(t.norm in ("and", "و") for t in tokens[end + 1:start]) or tokens[start].norm.startswith("و")


def _is_people_number(tokens: Sequence[Token], index: int) -> bool:
    return tokens[index].norm.isdigit() and index + 1 < len(tokens) and noun_of(tokens[index + 1]) is not None


def _toll_figure(context: _Context, phrase: _Phrase) -> Figure | None:
    """``ارتفع عدد القتلى إلى 20``, the death toll rose to 20, ``ارتفعت حصيلة القتلى ... إلى 25 شخصاً``: a number
    after a toll noun or word; ``يرتفع إلى 97 عدد الذين اغتالتهم``: the count named right after the number."""
    tokens = context.tokens
    if phrase.role is not None or phrase.first < 2 or not has_word(tokens[phrase.first - 1], _TOLL_LEADS):
        return None
    window = range(max(0, phrase.first - 12), phrase.first - 1)
    far = range(max(0, phrase.first - 24), phrase.first - 1)
    if any(has_word(tokens[i], _TOLL_NOUNS) for i in far):  # "ارتفعت حصيلة القتلى جراء ... إلى 25 شخصاً"
        window = far
    for index in window:
        noun = noun_of(tokens[index])
        if noun is not None and noun.role in ("killed", "injured", "victim"):
            return _figure(phrase, "killed" if noun.role == "victim" else noun.role, None, bare_ok=True)
    for word in context.words:
        if word.last in window:
            return _figure(phrase, word.outcome, word)
    following = [w for w in context.words if phrase.last < w.first <= phrase.last + 5]
    if phrase.bare and following and any(has_word(t, _COUNT_WORDS)
                                         for t in tokens[phrase.last + 1:following[0].first]):
        return _figure(phrase, following[0].outcome, following[0])
    return None


_COUNT_WORDS = word_set(_WORDS["count_words"])
_TOLL_NOUNS = word_set(_WORDS["toll_nouns"])


def _figure(phrase: _Phrase, outcome: str, word: _Word | None, bare_ok: bool = False) -> Figure | None:
    if phrase.bare and word is None and not bare_ok:
        return None
    civilian = phrase.civilian
    if civilian is None and (phrase.children or phrase.women or phrase.children_mentioned or phrase.women_mentioned):
        civilian = "yes"
    return Figure(
        outcome=outcome, low=phrase.low, high=phrase.high, kind=phrase.kind, civilian=civilian,
        first=phrase.first, last=phrase.last, children=phrase.children, women=phrase.women,
        children_mentioned=phrase.children_mentioned or phrase.children is not None,
        women_mentioned=phrase.women_mentioned or phrase.women is not None,
        word=(word.first, word.last) if word is not None else None, breakdown=list(phrase.breakdown),
    )
