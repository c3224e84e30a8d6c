"""Reading one sentence: its sites, figures, event, actor, date and attribution, as drafts.

A sentence yields drafts only when it reports violence (an event word or a casualty figure). Its sites are
grouped when coordinated (``قرى البو خاطر وباغوز فوقاني وهجين``); each figure goes to the nearest group (each
group takes at most one figure per outcome), and a group that receives no figure is split into its places.
Figures of a sentence without a site are kept as *orphans*: they may complete a draft of the same report
that states the same number (a lede and its detail).

A clause without a site that reports an event of its own (``..., فيما ردت طائرات التحالف بغارات``, clashes
erupted in Baghouz, as coalition jets struck) becomes a second draft at the sentence's site. A violent sentence
without a site also yields its facts as *context*, and every sentence records whether it refers back to an
event told before (``الغارة``، ``العملية``، the strike, the death toll, the same jets), claims one
(``تبنى التنظيم التفجير``) or tells of another of the same kind (``غارة أخرى``, a second strike): see
:func:`incidents.extract.merge.follow_up`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from incidents.extract.attribution import Attribution, find_attributions
from incidents.extract.casualties import (
    INJURED_WORDS,
    KILLED_WORDS,
    ORDINALS,
    Figure,
    after_first_ordinal,
    after_ordinal,
    conjoined_number,
    find_figures,
    funeral_sentence,
    noun_of,
    told_as_others,
)
from incidents.extract.dates import DateExpr, find_dates
from incidents.extract.draft import Draft, Toll
from incidents.extract.lexicon import PhraseMatcher, has_word, load_lexicon, phrase_pairs, word_set
from incidents.extract.places import (
    Gazetteer,
    PlaceMention,
    assign_roles,
    fallback_mentions,
    find_anaphors,
    in_governorate,
    joined,
    names_unknown_place,
    resolve_neighbourhoods,
)
from incidents.extract.roles import (
    BOMBARD,
    MASSACRE,
    MISSILE,
    RAID,
    TARGET,
    ActorMention,
    EventWord,
    actor_matcher,
    certainty_of,
    claims_responsibility,
    find_actors,
    find_event_words,
    has_aircraft,
    unclaimed,
)
from incidents.extract.text import Sentence, Token, strip_article, word_keys

_WORDS = load_lexicon("assemble")

_CLAUSE_WORDS = frozenset(_WORDS["clause_words"])
#: ", as coalition jets struck ...": "as" after a comma opens a clause, unless it starts a set phrase.
_NOT_AS_CLAUSE = frozenset(_WORDS["not_as_clause"])
_CLAUSE_PENALTY = 25
_AIR_ACTORS = frozenset(_WORDS["air_actors"])
_GROUND_ACTORS = frozenset(_WORDS["ground_actors"])
_NOT_PERPETRATOR = frozenset(_WORDS["not_perpetrator"])
_POSITION_SCORE = {"party": 13.0, "subject": 12.0, "agent": 10.0, "plain": 4.0, "speaker": 20.0}
_WEAK_CODES = frozenset({BOMBARD, RAID, TARGET, MASSACRE, MISSILE})


@dataclass
class SentenceFacts:
    """Everything found in one sentence, before drafts are built."""

    sentence: Sentence
    mentions: list[PlaceMention]
    figures: list[Figure]
    events: list[EventWord]
    actors: list[ActorMention]
    dates: list[DateExpr]
    attributions: list[Attribution]
    clauses: list[int] = field(default_factory=list)
    unclaimed: bool = False
    aircraft: bool = False
    definite: bool = False
    claimed: bool = False
    elaborated: bool = False  # a clause opens with a semicolon: it explains the one before
    another: bool = False  # "غارة أخرى", a second strike: not the event told before
    said_on: list[DateExpr] = field(default_factory=list)  # dates inside an attribution: when the source spoke


@dataclass
class Orphan:
    """A figure whose sentence names no site, with the sentence's event, actor and date."""

    figure: Figure
    draft: Draft


@dataclass
class Reading:
    """What a report's sentences yield: drafts and orphan figures.

    A violent sentence without a site also yields its facts as ``context``: a later sentence may say where it
    happened ("U.S. jets struck a depot ... The strike near Mayadeen killed nine"), or, when it refers back to
    an event or claims it (``تبنى التنظيم التفجير``, died in the raids), it completes the draft before it.
    """

    drafts: list[Draft] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    context: Draft | None = None


def read_sentence(text: str, tokens: Sequence[Token], sentence: Sentence, mentions: list[PlaceMention],
                  history: list[PlaceMention], published: date | None, gazetteer: Gazetteer | None = None) -> Reading:
    """Return the drafts and orphan figures of one sentence.

    Parameters
    ----------
    text : str
        The report text.
    tokens : sequence of Token
        The text's tokens.
    sentence : Sentence
        The sentence.
    mentions : list of PlaceMention
        The gazetteer's mentions inside the sentence.
    history : list of PlaceMention
        Specific sites of earlier sentences (for anaphors); this sentence's sites are appended.
    published : date or None
        Publication date, to resolve relative dates.
    gazetteer : Gazetteer, optional
        Used to look up names the mention finder missed when the sentence reports violence but names no site.

    Returns
    -------
    Reading
        Drafts in text order and orphan figures.
    """
    facts = _facts(tokens, sentence, mentions, history, published)
    if not _violent(facts) and not facts.claimed:
        return Reading()
    if _habitual(tokens, facts) or _topic_only(tokens, facts) or _accident(tokens, facts) \
            or _intercepted(tokens, facts):
        return Reading()
    sites = [m for m in facts.mentions if m.role == "site"]
    if gazetteer is not None and all(m.coarse for m in sites):
        taken = {i for m in facts.mentions for i in range(m.first, m.last + 1)}
        taken |= {i for a in facts.attributions for i in range(a.subject[0], a.subject[1] + 1)}
        found = fallback_mentions(gazetteer, tokens, sentence.first, sentence.last, taken)
        facts.mentions = sorted(facts.mentions + found, key=lambda m: m.first)
        sites = sorted(sites + found, key=lambda m: m.first)
    if sites and not any(in_governorate(m) for m in sites):
        return Reading()
    if _toll_across_governorates([m for m in facts.mentions if m.role in ("site", "unintroduced")], tokens, facts):
        return Reading()
    sites = [m for m in sites if in_governorate(m)]
    specific = _without_enclosing_cities([m for m in sites if not m.coarse])
    separate = _separate(tokens, sentence)
    if not sites:
        reading = _drafts(text, tokens, facts, [], coarse=True)
        reading.context = _context_draft(text, tokens, facts)
        for draft in (*reading.drafts, reading.context):
            draft.separate = separate
        return reading
    groups = _groups(specific or sites, tokens)
    reading = _drafts(text, tokens, facts, groups, coarse=not specific)
    goes_on = tokens[sentence.first].norm in _GOES_ON
    for draft in reading.drafts:
        draft.definite, draft.another, draft.goes_on = facts.definite, draft.another or facts.another, goes_on
        draft.separate = separate
    return reading


_SEPARATE = PhraseMatcher[str](phrase_pairs(_WORDS["separate"]))


def _separate(tokens: Sequence[Token], sentence: Sentence) -> bool:
    """A sentence opening with "In a separate incident", ``في حادثة منفصلة``, ``في سياق آخر``: what it tells is not
    the incident told before it (no actor, event or date is carried over to it)."""
    first = sentence.first + (1 if tokens[sentence.first].norm in ("و", "and") else 0)
    return first <= sentence.last and _SEPARATE.match_at(tokens, first, sentence.last) is not None


#: Words opening a sentence that goes on with the account before it (``كما قصف ...``, Also, ...).
_GOES_ON = frozenset(_WORDS["goes_on"])


def _toll_across_governorates(sites: list[PlaceMention], tokens: Sequence[Token], facts: SentenceFacts) -> bool:
    """One toll over a list of places in several governorates (217 civilians in the eastern countryside of Deir
    Ezzor, al-Hasakah countryside, al-Raqqah city and Manbij): no part of it is Deir ez-Zor's alone."""
    if not any(f.outcome == "killed" and f.low is not None for f in facts.figures):
        return False
    return any(in_governorate(a) != in_governorate(b) and joined(a, b, tokens)
               for a, b in zip(sites, sites[1:], strict=False))


_HABITUAL = PhraseMatcher[str](phrase_pairs(_WORDS["habitual"]))


def _habitual(tokens: Sequence[Token], facts: SentenceFacts) -> bool:
    """``يستمر قتل المدنيين على مدار الساعة``, ISIS continues to kill civilians: a habit told without a toll or a
    date is no incident."""
    if facts.dates or any(f.low is not None or f.high is not None for f in facts.figures):
        return False
    first, last = facts.sentence.first, facts.sentence.last
    return bool(_HABITUAL.find(tokens, first, last))


_ACCIDENT = PhraseMatcher[str](phrase_pairs(_WORDS["accident"]))


def _accident(tokens: Sequence[Token], facts: SentenceFacts) -> bool:
    """``قضى طفل غرقاً في نهر الفرات``, killed in a traffic accident: a death by accident, with no word of violence
    in the sentence, is no incident."""
    if facts.events or facts.actors:
        return False
    return bool(_ACCIDENT.find(tokens, facts.sentence.first, facts.sentence.last))


_INTERCEPTION = word_set(_WORDS["interception"]["verbs"])


def _intercepted(tokens: Sequence[Token], facts: SentenceFacts) -> bool:
    """``اعترضت الدفاعات صاروخين فوق بلدة هجين``, air defences intercepted two drones over X: weapons named only as
    what was intercepted, with no toll, are no attack on the place."""
    if facts.figures or not facts.events:
        return False
    first = facts.sentence.first
    return all(any(has_word(tokens[i], _INTERCEPTION) for i in range(max(first, e.first - 3), e.first))
               for e in facts.events)


_TOPIC = PhraseMatcher[str](phrase_pairs(_WORDS["topic"]))


def _topic_only(tokens: Sequence[Token], facts: SentenceFacts) -> bool:
    """``وعن استهداف المجهولين للعسكريين في المدينة، التقى مراسلنا مصدراً``, Asked about the attacks in X, an
    official declined to comment: violence named only as the topic of what someone says or of a meeting (before the
    first comma, with no toll or date) is no account of an incident. A topic followed by what happened (``عن قصف
    الطائرات البلدة، فر الأهالي``) is one."""
    first, last = facts.sentence.first, facts.sentence.last
    lead = _TOPIC.match_at(tokens, first, last)
    if lead is None or facts.figures:
        return False
    end = _clause_end(tokens, lead.last + 1, last)
    if end >= last or not all(e.last <= end for e in facts.events) or not all(d.first > end for d in facts.dates):
        return False
    said = range(end + 1, _clause_end(tokens, end + 2, last) + 1)
    return any(has_word(tokens[i], _TOPIC_SPEECH) for i in said)


_TOPIC_SPEECH = word_set(_WORDS["topic_speech"]["speech"])


def _clause_end(tokens: Sequence[Token], start: int, last: int) -> int:
    """The last token before the first comma from ``start`` on (``last`` when there is none)."""
    return next((i - 1 for i in range(start, last + 1) if any(m in tokens[i].gap for m in (",", "،"))), last)


def _without_enclosing_cities(sites: list[PlaceMention]) -> list[PlaceMention]:
    """``داخل مدينة دير الزور ... حي الصناعة``: the neighbourhood is the site, its city only says where it is."""
    quarters = [m for m in sites if m.introduced or m.precision == "neighbourhood"]
    if not quarters:
        return sites
    areas = {str((m.match or {}).get("admin3")) for m in quarters}
    return [m for m in sites if m in quarters or m.anaphor or not m.match or m.match.get("kind") != "city"
            or str(m.match.get("admin3")) not in areas]


def _context_draft(text: str, tokens: Sequence[Token], facts: SentenceFacts) -> Draft:
    """The facts of a violent sentence that names no site, anchored at its event word (or its start)."""
    event = facts.events[0] if facts.events else None
    first = event.first if event is not None else facts.sentence.first
    anchor = PlaceMention(tokens[first].start, tokens[first].end, "", None, None, first, first, coarse=True)
    figures = []
    for outcome in ("killed", "injured", "combined"):
        figures.extend([f for f in facts.figures if f.outcome == outcome][:1])
    draft = _draft(text, tokens, facts, [anchor], figures, True)
    draft.definite, draft.claimed, draft.another = facts.definite, facts.claimed, facts.another
    draft.unknown_place = names_unknown_place(tokens, facts.sentence.first, facts.sentence.last)
    draft.both = any(has_word(tokens[i], _BOTH) for i in range(facts.sentence.first, facts.sentence.last + 1)) or \
        bool(_BOTH_PHRASES.find(tokens, facts.sentence.first, facts.sentence.last))
    chosen = _best_actor(facts, (first, first), event)
    if chosen is not None and _listed_with_others(facts, chosen) and not draft.claimed:
        draft.actor = None  # "by warplanes of every kind, Russian, the regime's and the coalition's": no one of them
        draft.several_actors = True
    return draft


#: "وأسفرت الغارتان عن ...", both strikes killed ...: one toll for the two events told before.
_BOTH = word_set(_WORDS["both_events"])
_BOTH_PHRASES = PhraseMatcher[str](phrase_pairs(_WORDS["both_phrases"]))


def _listed_with_others(facts: SentenceFacts, actor: ActorMention) -> bool:
    """The actor is one of a list of perpetrators (``الروسي والأسدي وطيران التحالف``, Russian and regime jets)."""
    named = [a for a in facts.actors if a.position not in _NOT_PERPETRATOR and a.code != "unknown"]
    return any(other.code != actor.code and (0 < other.first - actor.last <= 3 or 0 < actor.first - other.last <= 3)
               for other in named)


_CUMULATIVE = word_set(_WORDS["cumulative"])
_LONG_PERIODS = PhraseMatcher[str]([(phrase, phrase) for phrase in _WORDS["long_periods"]])


# -- facts ------------------------------------------------------------------------------------------------


def _facts(tokens: Sequence[Token], sentence: Sentence, mentions: list[PlaceMention], history: list[PlaceMention],
           published: date | None) -> SentenceFacts:
    first, last = sentence.first, sentence.last
    attributions = find_attributions(tokens, first, last)
    masked = [a.subject for a in attributions]
    mentions = resolve_neighbourhoods(mentions, tokens, first, last, history)
    assign_roles(mentions, tokens, first, masked)
    history.extend(m for m in mentions if m.role == "site" and not m.coarse)
    anaphors = find_anaphors(tokens, first, last, mentions, history)
    places = sorted(mentions + anaphors, key=lambda m: m.first)
    in_subject = {i for a, b in masked for i in range(a, b + 1)}
    found_dates = find_dates(tokens, first, last, published)
    dates = [d for d in found_dates if d.first not in in_subject]
    skip = frozenset(in_subject | {i for d in dates for i in range(d.first, d.last + 1)}
                     | {i for m in places if m.role != "unintroduced" for i in range(m.first, m.last + 1)})
    transparent = frozenset({i for h in actor_matcher().find(tokens, first, last) for i in range(h.first, h.last + 1)}
                            | {i for a in attributions for i in range(a.first, a.last + 1)}
                            | {i for d in dates for i in range(d.first, d.last + 1)}
                            | {i for i in range(first, last + 1) if has_word(tokens[i], ORDINALS)})  # the first strike
    sites = frozenset(i for m in places if m.role == "site" for i in range(m.first, m.last + 1))
    events = [e for e in find_event_words(tokens, first, last) if e.first not in in_subject]
    figures = find_figures(tokens, first, last, skip, transparent, sites,
                           frozenset(i for e in events for i in range(e.first, e.last + 1)))
    victims = [(f.first, f.last) for f in figures]
    found = find_actors(tokens, first, last, victims)
    actors = [a for a in found if a.first not in in_subject]
    claimed = claims_responsibility(tokens, first, last) and not unclaimed(tokens, first, last)
    if claimed or not any(a.position not in _NOT_PERPETRATOR for a in actors):
        # "The coalition said it struck ...", "ISIS claimed responsibility for ..."
        actors += [_as_speaker(a) for a in found if a.first in in_subject]
    facts = SentenceFacts(sentence, places, figures, events, actors, dates, attributions)
    facts.said_on = [d for d in found_dates if d.first in in_subject and d.start is not None and not d.spanning]
    facts.claimed = claimed
    facts.definite = any(_definite_event(tokens, e, first) for e in events) or _back_reference(tokens, first, last)
    facts.another = any(another_event(tokens, i, first) for i in range(first, last + 1))
    facts.clauses = _clauses(tokens, first, last)
    facts.elaborated = any(m in tokens[i].gap for i in range(first + 1, last + 1) for m in ("؛", ";"))
    facts.unclaimed = unclaimed(tokens, first, last)
    facts.aircraft = has_aircraft(tokens, first, last)
    return facts


_BACK_REFERENCES = frozenset(_WORDS["back_references"])


def _definite_event(tokens: Sequence[Token], event: EventWord, first: int) -> bool:
    """An event word that refers back (``الغارة``، ``التفجير``، the strike, this attack), not one that opens a
    new account (``غارة``, a strike)."""
    token = tokens[event.first]
    if token.norm.isascii():
        return event.first > first and tokens[event.first - 1].norm in _BACK_REFERENCES
    keys = word_keys(token.norm)
    return keys[0].startswith("ال") or any(k.startswith("ال") for k in keys[1:2])


_BACK_NOUNS = frozenset(_WORDS["back_nouns"])
_EN_BACK_NOUNS = frozenset(_WORDS["en_back_nouns"])
_EN_LATEST = frozenset(_WORDS["en_latest"])
_AGAIN = frozenset(_WORDS["again"])
_AGAIN_AR = frozenset(_WORDS["again_ar"])
_AR_EVENT_NOUNS = frozenset(_WORDS["ar_event_nouns"])
_SAME = frozenset(_WORDS["same"])


def _back_reference(tokens: Sequence[Token], first: int, last: int) -> bool:
    """Words that point back to an incident already told: ``العملية``, ``الحصيلة``, the operation, the death toll,
    ``الطائرات ذاتها``, the same jets."""
    for index in range(first, last + 1):
        token = tokens[index]
        before = tokens[index - 1].norm if index > first else ""
        if token.norm in _SAME and index > first and _refers_to_event(tokens, index, first, last):
            return True
        if any(k in _BACK_NOUNS for k in word_keys(token.norm)[:2]):
            return True
        if token.norm in _EN_BACK_NOUNS and before in _BACK_REFERENCES | {"death"}:
            return True
        if token.norm in _EN_BACK_NOUNS and before in _EN_LATEST and index - 2 >= first \
                and tokens[index - 2].norm in _BACK_REFERENCES:  # "in the latest killings"
            return True
        if another_event(tokens, index, first):
            return True
    return False


def _refers_to_event(tokens: Sequence[Token], index: int, first: int, last: int) -> bool:
    """``الطائرات ذاتها``, the same jets: "same" about aircraft, forces or an event, not a day or a town."""
    near = [tokens[index - 1]] + ([tokens[index + 1]] if index + 1 <= last else [])
    return any(has_aircraft(tokens, t.number, t.number) or t.norm in _SAME_EVENT for t in near)


_SAME_EVENT = frozenset(_WORDS["same_event"])


def another_event(tokens: Sequence[Token], index: int, first: int) -> bool:
    """``غارة أخرى``, a second strike: another event like one told before (same kind, not the same event)."""
    token = tokens[index]
    if index <= first:
        return False
    before = tokens[index - 1].norm
    return (token.norm in _EN_BACK_NOUNS and before in _AGAIN) or (
        strip_article(token.norm) in _AGAIN_AR and strip_article(before) in _AR_EVENT_NOUNS)  # "الغارة الثالثة"


def _as_speaker(actor: ActorMention) -> ActorMention:
    """An actor that reports its own action (the coalition said it carried out strikes)."""
    return ActorMention(actor.first, actor.last, actor.code, "speaker")


def _clauses(tokens: Sequence[Token], first: int, last: int) -> list[int]:
    """Return the clause number of each token of the sentence (``فيما``, while, ``؛`` start a new clause)."""
    numbers: list[int] = []
    clause = 0
    for index in range(first, last + 1):
        token = tokens[index]
        if index > first and (token.norm in _CLAUSE_WORDS or any(m in token.gap for m in ("؛", ";"))
                              or (token.norm == "في" and index + 1 <= last and tokens[index + 1].norm == "حين")
                              or _as_clause(tokens, index, last)):
            clause += 1
        numbers.append(clause)
    return numbers


def _as_clause(tokens: Sequence[Token], index: int, last: int) -> bool:
    token = tokens[index]
    return token.norm == "as" and "," in token.gap and index < last and tokens[index + 1].norm not in _NOT_AS_CLAUSE


def _violent(facts: SentenceFacts) -> bool:
    """A sentence reports violence if it has a figure, an explicit event word, or a weak one other than aircraft."""
    return bool(facts.figures) or any(e.strength >= 2 or e.code != "air_strike" for e in facts.events)


# -- grouping and distances -------------------------------------------------------------------------------


def _groups(sites: list[PlaceMention], tokens: Sequence[Token]) -> list[list[PlaceMention]]:
    groups: list[list[PlaceMention]] = []
    for mention in sites:
        if groups and not mention.anaphor and not groups[-1][-1].anaphor and joined(groups[-1][-1], mention, tokens):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def _distance(facts: SentenceFacts, a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens between two ranges, plus a penalty per clause boundary crossed."""
    if a[1] < b[0]:
        gap = b[0] - a[1]
    elif b[1] < a[0]:
        gap = a[0] - b[1]
    else:
        gap = 0
    offset = facts.sentence.first
    clause_a = facts.clauses[a[0] - offset] if 0 <= a[0] - offset < len(facts.clauses) else 0
    clause_b = facts.clauses[b[0] - offset] if 0 <= b[0] - offset < len(facts.clauses) else 0
    return gap + _CLAUSE_PENALTY * abs(clause_a - clause_b)


def _clause_of(facts: SentenceFacts, index: int) -> int:
    offset = index - facts.sentence.first
    return facts.clauses[offset] if 0 <= offset < len(facts.clauses) else 0


def _clause_range(facts: SentenceFacts, index: int) -> tuple[int, int]:
    """Return the first and last token of the clause holding token ``index``."""
    clause = _clause_of(facts, index)
    offset = facts.sentence.first
    members = [offset + i for i, c in enumerate(facts.clauses) if c == clause]
    return (members[0], members[-1]) if members else (facts.sentence.first, facts.sentence.last)


def _group_range(group: list[PlaceMention]) -> tuple[int, int]:
    return group[0].first, group[-1].last


#: "and three in Y" tells of a place after it: a group before such a figure is this much farther.
_BACKWARD = 10


def _joined_verb(token: Token) -> bool:
    """``وقتل``, ``وأصيب``: a casualty verb with the conjunction attached."""
    rest = token.norm[1:]
    return token.norm.startswith("و") and len(rest) > 2 and any(
        has_word(token._replace(norm=rest), words) for words in (KILLED_WORDS, INJURED_WORDS))


def _joined_figure(tokens: Sequence[Token], figure: Figure) -> bool:
    """A figure joined to what comes before it (``ومدنيان في الشعفة``, and three in Y, ``وآخر في``), or told by a
    verb joined to it (``، وقتل اثنان آخران بقصف على Y``)."""
    token = tokens[figure.first]
    if figure.elliptic or (figure.first > 0 and tokens[figure.first - 1].norm == "and"):
        return True
    if figure.word is not None and figure.word[1] < figure.first and _joined_verb(tokens[figure.word[0]]):
        return True
    if conjoined_number(token):
        return True
    return token.norm.startswith("و") and len(token.norm) > 2 and noun_of(token._replace(norm=token.norm[1:])) \
        is not None  # "ومدنيان في الشعفة"


def _assign_figures(facts: SentenceFacts, groups: list[list[PlaceMention]], tokens: Sequence[Token]) -> tuple[dict[int, list[Figure]],
                                                                                       list[Figure]]:
    """Give each figure to the nearest group; a group takes one figure per outcome (not a figure nearer to "last
    year" than to the group). Return (by group, orphans)."""
    pairs = sorted(
        (_distance(facts, (f.first, f.last), _group_range(g)) + (_BACKWARD if g[-1].last < f.first
                                                                 and _joined_figure(tokens, f) else 0), fi, gi)
        for fi, f in enumerate(facts.figures) for gi, g in enumerate(groups)
    )
    by_group: dict[int, list[Figure]] = {i: [] for i in range(len(groups))}
    placed: set[int] = set()
    recalled = [(d.first, d.last) for d in facts.dates if d.recalled]
    for distance, fi, gi in pairs:
        figure = facts.figures[fi]
        if fi in placed or any(f.outcome == figure.outcome for f in by_group[gi]):
            continue
        if any(_told_apart(facts, tokens, groups[gi], figure, span, distance) for span in recalled):
            continue  # "..., وأكد البيان مسؤولية الخلية عن اغتيال فلان العام الماضي": an earlier incident's toll
        by_group[gi].append(figure)
        placed.add(fi)
    orphans = [f for i, f in enumerate(facts.figures) if i not in placed]
    return by_group, orphans


def _told_apart(facts: SentenceFacts, tokens: Sequence[Token], group: list[PlaceMention], figure: Figure,
                span: tuple[int, int], distance: int) -> bool:
    """A figure after a comma that follows the site, nearer to a later "last year" than to the site: the toll of an
    earlier incident the sentence goes on to recall, not the site's."""
    site_last = group[-1].last
    if not site_last < figure.first <= figure.last < span[0]:
        return False
    if _distance(facts, (figure.first, figure.last), span) >= distance:
        return False
    return any(m in tokens[i].gap for i in range(site_last + 1, figure.first + 1) for m in ("،", ",", ";", "؛"))


# -- drafts -----------------------------------------------------------------------------------------------


def _drafts(text: str, tokens: Sequence[Token], facts: SentenceFacts, groups: list[list[PlaceMention]],
            coarse: bool) -> Reading:
    reading = Reading()
    strikes = _tolls_of_strikes(facts, tokens, groups)
    if strikes:
        for order, (figure, own) in enumerate(strikes):
            draft = _draft(text, tokens, facts, groups[0], own, coarse, anchor=(figure.first, figure.last))
            draft.order, draft.another = draft.order + order, order > 0
            reading.drafts.append(draft)
        return reading
    satellites = _satellites(facts, tokens, groups)
    main = _restrict(facts, lambda clause: clause not in satellites) if satellites else facts
    by_group, orphans = _assign_figures(main, groups, tokens)
    for index, group in enumerate(groups):
        figures = by_group[index]
        nil = not figures and len(group) > 1 and _nil_toll(facts, tokens, group)
        untold = not figures and len(group) > 1 and _toll_said(facts, tokens, group, "untold")
        members = [group] if figures or len(group) == 1 or _between(group, tokens) or nil or untold \
            else [[m] for m in group]
        group_facts = _without_recalled_dates_of_others(main, groups, index)
        for places in members:
            reading.drafts.append(_draft(text, tokens, group_facts, places, figures, coarse))
            if nil:
                reading.drafts[-1].notes.append("the text reports no casualties")
    for clause in satellites:
        reading.drafts.append(_satellite_draft(text, tokens, facts, groups, clause, coarse))
    for figure in orphans:
        if figure.outcome == "killed" and figure.low is not None:
            anchor = [PlaceMention(tokens[figure.first].start, tokens[figure.last].end, "", None, None, figure.first,
                                   figure.last, coarse=True)]
            reading.orphans.append(Orphan(figure, _draft(text, tokens, facts, anchor, [figure], True)))
    return reading


def _without_recalled_dates_of_others(facts: SentenceFacts, groups: list[list[PlaceMention]],
                                      index: int) -> SentenceFacts:
    """``قتل 15 مدنياً في هجين، وهي الثانية بعد مجزرة الشعفة الشهر الماضي``: a recalled date (last month, last
    year) nearer to another site of the sentence dates that site's earlier incident, not this one."""
    if len(groups) < 2 or not any(d.recalled for d in facts.dates):
        return facts

    def nearest(expr: DateExpr) -> int:
        return min(range(len(groups)), key=lambda gi: _distance(facts, (expr.first, expr.last),
                                                                _group_range(groups[gi])))

    kept = [d for d in facts.dates if not d.recalled or nearest(d) == index]
    return facts if len(kept) == len(facts.dates) else replace(facts, dates=kept)


def _tolls_of_strikes(facts: SentenceFacts, tokens: Sequence[Token],
                      groups: list[list[PlaceMention]]) -> list[tuple[Figure, list[Figure]]]:
    """"The first strike killed three and the second two", ``قتلت الغارة الأولى ثلاثة مدنيين والثانية اثنين``: at
    one place, two or more death tolls each after an ordinal of a strike are the tolls of as many incidents. The
    first toll may come without an ordinal ("A strike killed a child, and a second strike killed two"), unless it is
    the sum of the others (five killed, the first three and the second two). Return each toll with the figures of
    its own part of the sentence (from its ordinal's toll to the next: the wounded of the first strike stay with the
    first)."""
    if len(groups) != 1:
        return []
    killed = sorted((f for f in facts.figures if f.outcome == "killed" and f.low is not None), key=lambda f: f.first)
    first = facts.sentence.first
    if len(killed) < 2 or not all(after_ordinal(tokens, f.first, first) for f in killed[1:]):
        return []
    if _sum_of_the_strikes(tokens, killed, first):
        return []
    bounds = [first, *(f.first for f in killed[1:]), facts.sentence.last + 1]
    return [(toll, [f for f in facts.figures if bounds[i] <= f.first < bounds[i + 1]])
            for i, toll in enumerate(killed)]


def _sum_of_the_strikes(tokens: Sequence[Token], killed: list[Figure], first: int) -> bool:
    """A first toll without an ordinal is the sum of the strikes' tolls after it (five killed, the first three and
    the second two) when it equals their sum and they are counted from the first; not when they start at the second
    (a strike killed three, and a second strike killed three) or say their dead are others (``ثلاثة آخرين``)."""
    if after_ordinal(tokens, killed[0].first, first) or killed[0].low != sum(f.low or 0 for f in killed[1:]):
        return False
    return after_first_ordinal(tokens, killed[1].first, first) and not any(told_as_others(tokens, f)
                                                                           for f in killed[1:])


_NIL_TOLL = PhraseMatcher[str](phrase_pairs(_WORDS["nil_toll"]))


def _nil_toll(facts: SentenceFacts, tokens: Sequence[Token], group: list[PlaceMention]) -> bool:
    """``لم تسجل إصابات في قصف طال مدينة الميادين وبلدة الشحيل``: "no casualties" in the group's clause is the
    group's one toll (nil), as a figure would be; the places stay one record."""
    return _toll_said(facts, tokens, group, "nil")


def _toll_said(facts: SentenceFacts, tokens: Sequence[Token], group: list[PlaceMention], kind: str) -> bool:
    """A phrase of ``kind`` (``nil``: no casualties; ``untold``: without giving a toll) in the group's clause."""
    clause = _clause_of(facts, group[0].first)
    return any(hit.value == kind and _clause_of(facts, hit.first) == clause
               for hit in _NIL_TOLL.find(tokens, facts.sentence.first, facts.sentence.last))


def _between(group: list[PlaceMention], tokens: Sequence[Token]) -> bool:
    """``بين بلدتي الطابية وخشام``, the road between X and Y: one place named by two villages."""
    lead = group[0].first
    return len(group) == 2 and any(tokens[i].norm in ("بين", "between") for i in range(max(0, lead - 3), lead))


def _satellites(facts: SentenceFacts, tokens: Sequence[Token], groups: list[list[PlaceMention]]) -> list[int]:
    """Clauses without a site that report an event of their own (``..., فيما ردت طائرات التحالف بغارات``, clashes
    erupted in Baghouz as coalition jets struck): another event at the sentence's site, with its own facts."""
    if not groups or not facts.clauses or max(facts.clauses) == 0 or facts.elaborated:
        return []
    site_clauses = {_clause_of(facts, m.first) for group in groups for m in group}
    events = {_clause_event(facts, tokens, c) for c in site_clauses}
    actors = {a.code for a in facts.actors if _clause_of(facts, a.first) in site_clauses
              and a.position not in _NOT_PERPETRATOR}
    found = []
    for clause in sorted(set(facts.clauses) - site_clauses):
        event = _clause_event(facts, tokens, clause)
        own = {a.code for a in facts.actors if _clause_of(facts, a.first) == clause
               and a.position not in _NOT_PERPETRATOR}
        start = _clause_range(facts, next(i for i, c in enumerate(facts.clauses) if c == clause) + facts.sentence.first)[0]
        placed = any(_clause_of(facts, m.first) == clause for m in facts.mentions) or clause > 0 and any(
            start <= a.first <= start + 3 for a in facts.attributions)  # "، في حين ذكرت تقارير": another account
        if event is not None and not placed and (event not in events or (own and own.isdisjoint(actors))):
            found.append(clause)
    return found


def _clause_event(facts: SentenceFacts, tokens: Sequence[Token], clause: int) -> str | None:
    words = [e for e in facts.events if _clause_of(facts, e.first) == clause]
    if not words:
        return None
    best = max(words, key=lambda e: e.strength)
    return _event_code(best, has_aircraft(tokens, *_clause_range(facts, best.first)), None, False)[0]


def _restrict(facts: SentenceFacts, keep: Callable[[int], bool]) -> SentenceFacts:
    """The facts of some clauses only (actors speaking for the whole sentence are kept)."""
    return replace(facts, figures=[f for f in facts.figures if keep(_clause_of(facts, f.first))],
                   events=[e for e in facts.events if keep(_clause_of(facts, e.first))],
                   actors=[a for a in facts.actors if a.position == "speaker" or keep(_clause_of(facts, a.first))])


def _satellite_draft(text: str, tokens: Sequence[Token], facts: SentenceFacts, groups: list[list[PlaceMention]],
                     clause: int, coarse: bool) -> Draft:
    span = _clause_range(facts, next(i for i, c in enumerate(facts.clauses) if c == clause) + facts.sentence.first)
    group = min(groups, key=lambda g: _distance(facts, _group_range(g), span) - _CLAUSE_PENALTY * abs(
        _clause_of(facts, g[0].first) - clause))
    sub = _restrict(facts, lambda c: c == clause)
    figures = [next(f for f in sub.figures if f.outcome == o) for o in ("killed", "injured", "combined")
               if any(f.outcome == o for f in sub.figures)]
    return _draft(text, tokens, sub, group, figures, coarse, anchor=span)


def _draft(text: str, tokens: Sequence[Token], facts: SentenceFacts, places: list[PlaceMention],
           figures: list[Figure], coarse: bool, anchor: tuple[int, int] | None = None) -> Draft:
    sentence = facts.sentence
    draft = Draft(places=places, coarse=coarse, quote=(sentence.start, sentence.end), order=places[0].start)
    for mention in places:
        draft.add_span("place_text", (mention.start, mention.end))
    draft.add_span("quote", (sentence.start, sentence.end))
    draft.add_span("sentences", (sentence.start, sentence.end))
    anchor = anchor or (places[0].first, places[-1].last)
    _set_figures(draft, tokens, figures)
    event = _set_event(draft, tokens, facts, anchor, figures)
    _set_actor(draft, tokens, facts, anchor, event)
    _set_date(draft, tokens, facts, anchor)
    if facts.attributions:
        attribution = facts.attributions[0]
        draft.attribution = attribution.text(text, tokens)
        draft.add_span("attribution", attribution.span(tokens))
    draft.evidence = _evidence(draft, text[sentence.start:sentence.end])
    draft.cumulative = any(has_word(tokens[i], _CUMULATIVE) for i in range(sentence.first, sentence.last + 1))
    draft.tally = draft.cumulative and draft.has_figures and _long_period(tokens, sentence.first, sentence.last)
    draft.funeral = funeral_sentence(tokens, sentence.first, sentence.last)
    if draft.funeral:
        _end_at_the_burial(draft)
    return draft


#: Days before a burial that the death it follows is looked for (the wounded may die days after the attack).
FUNERAL_DAYS = 7


def _end_at_the_burial(draft: Draft) -> None:
    """A funeral sentence's date is the burial's: the death was that day or before it, so the range ends there."""
    end = draft.date_end if isinstance(draft.date_end, date) else draft.date_start
    if isinstance(end, date) and draft.date_precision in ("day", "week"):
        start = draft.date_start if isinstance(draft.date_start, date) else end
        draft.date_start, draft.date_end = min(start, end - timedelta(days=FUNERAL_DAYS)), end
        draft.date_precision = "week"


def _long_period(tokens: Sequence[Token], first: int, last: int) -> bool:
    """``منذ مطلع العام``, since the start of the year, a monthly tally: the sentence counts over a long period."""
    return any(_LONG_PERIODS.match_at(tokens, i, last) is not None for i in range(first, last + 1))


def _evidence(draft: Draft, sentence: str) -> float:
    """Score a sentence as the quote of its draft: facts it states, and a full sentence over a headline."""
    stated = (draft.killed, draft.injured, draft.combined, draft.actor, draft.date_start, draft.attribution)
    score = sum(1.0 for value in stated if value is not None) + (0.0 if draft.coarse else 1.0)
    score += 0.5 if not draft.event_weak else 0.0
    return score + (1.0 if sentence.rstrip()[-1:] in ".!؟?»\"”" else 0.0)


def _set_figures(draft: Draft, tokens: Sequence[Token], figures: list[Figure]) -> None:
    for figure in figures:
        toll = Toll(figure.low, figure.high, figure.kind)
        setattr(draft, figure.outcome, toll)
        name = {"killed": "killed_min", "injured": "injured_min", "combined": "killed_or_injured_min"}[figure.outcome]
        for span in figure.spans(tokens):
            draft.add_span(name, span)
        if figure.outcome == "killed":
            draft.breakdown_only = figure.breakdown_only
            draft.children, draft.women = figure.children, figure.women
            draft.children_mentioned, draft.women_mentioned = figure.children_mentioned, figure.women_mentioned
            _group_spans(draft, tokens, figure)
    main = next((f for o in ("killed", "combined", "injured") for f in figures if f.outcome == o), None)
    if main is not None:
        draft.civilians = main.civilian
        draft.add_span("civilians", (tokens[main.first].start, tokens[main.last].end))


def _group_spans(draft: Draft, tokens: Sequence[Token], figure: Figure) -> None:
    """Where the numbers of children and women among the killed were read (the breakdown, else the toll)."""
    ranges = figure.breakdown or [(figure.first, figure.last)]
    for name, value in (("children_killed", figure.children), ("women_killed", figure.women)):
        if value is not None:
            for first, last in ranges:
                draft.add_span(name, (tokens[first].start, tokens[last].end))


def _set_event(draft: Draft, tokens: Sequence[Token], facts: SentenceFacts, anchor: tuple[int, int],
               figures: list[Figure]) -> EventWord | None:
    ranked = sorted(facts.events, key=lambda e: _distance(facts, (e.first, e.last), anchor) + _vagueness(e))
    chosen = ranked[0] if ranked else None
    around = (chosen.first, chosen.last) if chosen is not None else anchor
    clause_aircraft = has_aircraft(tokens, *_clause_range(facts, anchor[0]))
    near_aircraft = has_aircraft(tokens, max(facts.sentence.first, around[0] - 3), min(facts.sentence.last,
                                                                                        around[1] + 3))
    actor = _best_actor(facts, anchor, chosen)
    code, weak = _event_code(chosen, clause_aircraft, actor.code if actor else None, bool(figures))
    if code == "other" and chosen is not None and _targets_a_post(tokens, chosen, facts.sentence.last):
        code = "attack"
    draft.event, draft.event_weak = code, weak
    near = [e for e in facts.events if _distance(facts, (e.first, e.last), around) <= 3]
    draft.event_types = {c for e in near if (c := _event_code(e, clause_aircraft, actor.code if actor else None,
                                                              True)[0])}
    if near_aircraft:
        draft.event_types.add("air_strike")
    if chosen is not None:
        draft.add_span("event_type", (tokens[chosen.first].start, tokens[chosen.last].end))
    return chosen


_GROUND_POSTS = word_set(_WORDS["ground_posts"])
_OWNED_POSTS = word_set(_WORDS["owned_posts"])
_POST_OWNERS = word_set(_WORDS["post_owners"])


def _targets_a_post(tokens: Sequence[Token], word: EventWord, last: int) -> bool:
    """``استهدفت خلايا داعش حاجزاً لقسد``, targeted a checkpoint: a targeting word whose object, within four words,
    is a post, checkpoint or patrol tells of a ground attack, even without a toll (a point or a headquarters only
    when a force owns it: not ``نقطة طبية``)."""
    return word.code == TARGET and any(_military_post(tokens, i, last)
                                       for i in range(word.last + 1, min(last, word.last + 4) + 1))


def _military_post(tokens: Sequence[Token], index: int, last: int) -> bool:
    if has_word(tokens[index], _GROUND_POSTS):
        return True
    owners = list(tokens[max(0, index - 1):index]) + list(tokens[index + 1:min(last, index + 2) + 1])  # SDF post, post of
    return has_word(tokens[index], _OWNED_POSTS) and any(has_word(t, _POST_OWNERS) for t in owners)


def _vagueness(word: EventWord) -> int:
    """How little an event word says of the kind of violence, in words of distance: a weak word yields to a strong
    one, and a targeting verb (استهدف, hit) to a weapon named with it (rockets hit the field: shelling)."""
    return 0 if word.strength >= 2 else 12 if word.code == TARGET else 8


def _event_code(word: EventWord | None, aircraft: bool, actor: str | None, casualties: bool) -> tuple[str | None, bool]:
    """Return (event code, read from context only?) for the chosen event word.

    Explicit words decide; a weak word (قصف، استهدف، rockets, strike) with aircraft in the sentence is an air
    strike; with only the actor to go on (the coalition bombs from the air) the reading is marked weak.
    """
    if word is not None and word.strength >= 2 and word.code not in _WEAK_CODES:
        return word.code, False
    if aircraft:
        return "air_strike", False
    if word is not None and word.code not in _WEAK_CODES and word.code != "air_strike":
        return word.code, True
    if actor in _AIR_ACTORS and (word is None or word.code != MISSILE):
        return "air_strike", True
    if word is not None and word.code == MISSILE:
        return "shelling", False
    if word is None:
        # killed by a named ground force with no weapon named (a checkpoint, gunmen): an attack
        return ("attack" if casualties and actor in _GROUND_ACTORS else "other" if casualties else None), True
    if word.code == BOMBARD:
        return "shelling", True
    if word.code == RAID:
        return "arrests", True
    if word.code == MASSACRE:  # a massacre is a killing, even when the sentence gives no toll
        return "attack", True
    if word.code == TARGET:
        return ("attack" if casualties else "other"), True
    return word.code, True


def _best_actor(facts: SentenceFacts, anchor: tuple[int, int], event: EventWord | None) -> ActorMention | None:
    best: tuple[float, ActorMention] | None = None
    clause = _clause_of(facts, anchor[0])
    for actor in facts.actors:
        if actor.position in _NOT_PERPETRATOR or (_clause_of(facts, actor.first) != clause
                                                       and actor.position != "speaker"):
            continue
        distance = _distance(facts, (actor.first, actor.last), anchor)
        if event is not None:
            distance = min(distance, _distance(facts, (actor.first, actor.last), (event.first, event.last)))
        score = _POSITION_SCORE.get(actor.position, 4.0) - distance / 4
        if best is None or score > best[0]:
            best = (score, actor)
    return best[1] if best else None


def _set_actor(draft: Draft, tokens: Sequence[Token], facts: SentenceFacts, anchor: tuple[int, int],
               event: EventWord | None) -> None:
    actor = _best_actor(facts, anchor, event)
    first, last = facts.sentence.first, facts.sentence.last
    if actor is None:
        draft.certainty = certainty_of(tokens, first, last, None)
        if facts.unclaimed:
            draft.actor = "unknown"
        return
    draft.actor = actor.code
    draft.certainty = certainty_of(tokens, first, last, actor)
    draft.add_span("actor", (tokens[actor.first].start, tokens[actor.last].end))
    others = {a.code for a in facts.actors if a.position not in _NOT_PERPETRATOR and a.code != actor.code}
    draft.several_actors = bool(others)
    if draft.certainty == "contested":
        draft.actor_alternatives |= others


def _set_date(draft: Draft, tokens: Sequence[Token], facts: SentenceFacts, anchor: tuple[int, int]) -> None:
    if not facts.dates:
        _set_said_on(draft, tokens, facts)
        return
    chosen = min(facts.dates, key=lambda d: _distance(facts, (d.first, d.last), anchor))
    draft.date_start, draft.date_end = chosen.start, chosen.end
    draft.date_precision = chosen.precision if chosen.start is not None else "unknown"
    draft.date_seen, draft.recalled = True, chosen.recalled
    draft.after_told, draft.day_of_told_month = chosen.after_told, chosen.day_of_told_month
    draft.day_month = chosen.day_month
    draft.add_span("date_start", chosen.span(tokens))
    reference = next((d for d in facts.dates if d is not chosen and d.start is not None and d.after_told is None), None)
    if chosen.after_told is not None and reference is not None and reference.start is not None:
        # "claimed on Sunday a bombing that killed 12 a day earlier": counted from the sentence's own date; but
        # "found on Sunday, a week after they were abducted": the day before is the sentence's own, the later
        # phrase dates the earlier event
        later_phrase = chosen.after_told > 0 and reference.last < chosen.first < chosen.last < facts.sentence.last \
            and any(m in tokens[chosen.first].gap for m in (",", "،"))
        shift = timedelta(days=0 if later_phrase else chosen.after_told)
        draft.date_start = reference.start + shift
        draft.date_end = (reference.end or reference.start) + shift
        draft.date_precision = reference.precision
        draft.after_told = None


def _set_said_on(draft: Draft, tokens: Sequence[Token], facts: SentenceFacts) -> None:
    """``وقال الناشطون الخميس إن ...``, SOHR said on Saturday that ...: the day the source spoke is the only date;
    the incident was that day or shortly before (the day before is kept in the range)."""
    if not facts.said_on:
        return
    said = facts.said_on[0]
    assert said.start is not None
    draft.date_start, draft.date_end = said.start - timedelta(days=1), said.end or said.start
    draft.date_precision = "day"
    draft.date_seen = True
    draft.notes.append("date: the day the source spoke; the incident may be the day before")
    draft.add_span("date_start", said.span(tokens))
