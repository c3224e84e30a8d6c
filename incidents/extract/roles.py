"""Who did it and what happened: actor and event-type evidence in a sentence.

Actor names come from the taxonomy (``incidents/data/taxonomy/actors.toml``): names, aliases and each entry's
extraction ``cues``, adjectives that name a perpetrator after an event noun (``قصف أمريكي``, Russian strike) and a
few short forms. The perpetrator is the actor in an agent's position: after an aircraft, weapon or event noun
(``طيران التحالف``، ``برصاص عناصر قسد``, Coalition's jets, SDF artillery), subject of a violent verb (``قتل تنظيم
داعش``, ``استهدفت القوة الصاروخية للحشد``), or named with "by"/``من قبل``. Actors named as victims (``مقتل 25
عنصراً للميليشيا``), targets (``تجمعاً لعناصر داعش``, ``بذريعة محاربة داعش``) or territory (``مناطق سيطرة داعش``)
are not perpetrators.

Event types come from the taxonomy's aliases and cues (``event_types.toml``) with a strength: *strong* words name
the kind of violence (غارة، قصف مدفعي، رمياً بالرصاص، مفخخة، اشتباكات، اعتقل, airstrike, executed); *weak* ones only
say that something violent happened (قصف، استهدف، هجوم، مجزرة، انفجار, targeted, attack) and are read with their
context: ``قصف`` by aircraft or by the coalition is an air strike, otherwise shelling. The weak readings, and the
aliases read only weakly, are the reserved table ``weak_readings`` of ``event_types.toml``
(:func:`incidents.domain.taxonomy.weak_readings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from incidents.domain import taxonomy
from incidents.extract.casualties import hypothetical, noun_of
from incidents.extract.lexicon import Hit, PhraseMatcher, has_word, load_lexicon, phrase_pairs, word_set
from incidents.extract.text import Token, strip_article

_WORDS = load_lexicon("roles")

#: Codes of the "weak" event readings, resolved from context.
BOMBARD, RAID, TARGET, MASSACRE, MISSILE = "~bombard", "~raid", "~target", "~massacre", "~missile"
#: Phrases that contain an event word but name no event ("fighting positions"): matched, then dropped.
IGNORED = "~ignored"

#: Actor codes whose display names are ordinary words ("Other", "جهة أخرى" as in "من جهة أخرى").
_GENERIC_NAMES = frozenset(_WORDS["generic_names"])
_STRONG = 2
_WEAK = 1
_AIRCRAFT = word_set(_WORDS["aircraft"])
_AGENT_LEADS = word_set(_WORDS["agent_leads"])
_AGENT_FOLLOWERS = word_set(_WORDS["agent_followers"])
_VIOLENT_VERBS = word_set(_WORDS["violent_verbs"])
_TARGET_LEADS = word_set(_WORDS["target_leads"])
_HEDGES = word_set(_WORDS["hedges"])
_SUPPORT = word_set(_WORDS["support"])
#: "مصدره مواقع قسد": the source of the fire is its perpetrator, even when it names positions.
_SOURCE_LEADS = word_set(_WORDS["source_leads"])
#: "قتيلين في صفوف قسد", casualties in the ranks of the SDF: the actor's own people are the victims.
_RANKS = word_set(_WORDS["ranks"])
_SUPPORT_AFTER = frozenset(_WORDS["support_after"])
_TARGET_FOLLOWERS = frozenset(_WORDS["target_followers"])
_CASUALTY_CONTEXT = word_set(_WORDS["casualty_context"])
_BODY_BEFORE_MEMBERS = word_set(_WORDS["body_before_members"])
_CONTESTED = word_set(_WORDS["contested"])
_UNCLAIMED = PhraseMatcher[str](phrase_pairs(_WORDS["unclaimed"]))


@dataclass(frozen=True, slots=True)
class EventWord:
    """An event word: tokens ``first``..``last``, its event code (or a weak reading) and strength."""

    first: int
    last: int
    code: str
    strength: int


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a sentence and how it is placed (``agent``, ``target``, ``plain``)."""

    first: int
    last: int
    code: str
    position: str


@cache
def actor_matcher() -> PhraseMatcher[str]:
    """Return the matcher of actor names (taxonomy aliases plus the extraction's extra forms)."""
    entries: list[tuple[str, str]] = []
    for code, term in taxonomy.actors().items():
        names = (*term.aliases_en, *term.aliases_ar) if code in _GENERIC_NAMES else (
            term.name_en, term.name_ar, *term.aliases_en, *term.aliases_ar)
        entries.extend((name, code) for name in names)
    for code, term in taxonomy.actors().items():
        entries.extend((cue, code) for cue in term.cues)
    return PhraseMatcher(entries)


@cache
def event_matcher() -> PhraseMatcher[tuple[str, int]]:
    """Return the matcher of event words with their strength."""
    entries: list[tuple[str, tuple[str, int]]] = []
    for code, term in taxonomy.event_types().items():
        for name in (*term.aliases_en, *term.aliases_ar):
            entries.append((name, _alias_reading(code, name)))
    for code, term in taxonomy.event_types().items():
        entries.extend((cue, (code, _STRONG)) for cue in term.cues)
        entries.extend((cue, (code, _WEAK)) for cue in term.weak_cues)
    for code, cues in taxonomy.weak_readings().cues.items():
        entries.extend((cue, (code, _WEAK)) for cue in cues)
    return PhraseMatcher([(w, v) for w, v in entries if v[0]])


def _alias_reading(code: str, name: str) -> tuple[str, int]:
    weak_aliases = taxonomy.weak_readings().aliases
    if name in weak_aliases:
        return weak_aliases[name], _WEAK
    return code, _STRONG


def find_event_words(tokens: Sequence[Token], first: int, last: int) -> list[EventWord]:
    """Return the event words of tokens ``first``..``last``, skipping hypothetical ones (fear of shelling)."""
    words: list[EventWord] = []
    for hit in event_matcher().find(tokens, first, last):
        code, strength = hit.value
        if code != IGNORED and not hypothetical(tokens, hit.first, first):
            words.append(EventWord(hit.first, hit.last, code, strength))
    return words


def has_aircraft(tokens: Sequence[Token], first: int, last: int) -> bool:
    """Tell whether tokens ``first``..``last`` name aircraft or an air raid."""
    return any(has_word(tokens[i], _AIRCRAFT) for i in range(first, last + 1))


def find_actors(tokens: Sequence[Token], first: int, last: int, victims: Iterable[tuple[int, int]]) -> list[ActorMention]:
    """Return the actors named in tokens ``first``..``last`` with their position.

    Parameters
    ----------
    tokens : sequence of Token
        The text's tokens.
    first, last : int
        The sentence's token range.
    victims : iterable of (int, int)
        Token ranges of victim phrases; actors inside or right after them are victims, not perpetrators.

    Returns
    -------
    list of ActorMention
        In text order.
    """
    victim_ranges = list(victims)
    found: list[ActorMention] = []
    for hit in actor_matcher().find(tokens, first, last):
        if _crowd(tokens, hit, last):
            continue
        if found and (found[-1].last + 1 == hit.first or _possessive_between(tokens, found[-1].last, hit.first)):
            position = found[-1].position  # an apposition: «قوات سوريا الديمقراطية» (قسد); the regime's Military Security
        else:
            position = _position(tokens, hit, first, last, victim_ranges)
        found.append(ActorMention(hit.first, hit.last, hit.value, position))
    return found


def _possessive_between(tokens: Sequence[Token], before: int, start: int) -> bool:
    """"the regime's Military Security": an English possessive joins the two names into one."""
    return start == before + 2 and tokens[before + 1].norm == "s" and tokens[before + 1].gap in ("'", "’")


def _crowd(tokens: Sequence[Token], hit: Hit[str], last: int) -> bool:
    """``حشد من الأهالي``: a crowd, not the Hashd (the PMF is written with the article or in full)."""
    token = tokens[hit.first]
    return hit.first == hit.last and hit.value == "pmf" and "ال" not in token.norm[:3] \
        and hit.last + 1 <= last and tokens[hit.last + 1].norm in ("من", "of")


def _near_position(tokens: Sequence[Token], hit: Hit[str], first: int, after: Sequence[Token]) -> str | None:
    """A target noun right after the actor (an SDF patrol), a verb right before it (``قتل تنظيم داعش``,
    ``اعتقال دوريات قسد``), or an arrest a few words before (the people arrested)."""
    if any(t.norm in _TARGET_FOLLOWERS for t in after[:1]) and not _after_by(tokens, hit, first):
        return "target"  # not "shot dead by an SDF patrol": the patrol fired
    if hit.first - 1 >= first and has_word(tokens[hit.first - 1], _VIOLENT_VERBS | _ARREST_WORDS):
        return "subject"
    return "target" if _arrested(tokens, hit, first) else None


def _after_by(tokens: Sequence[Token], hit: Hit[str], first: int) -> bool:
    """"by an SDF patrol", "by the ISIS cell": the actor is the agent of an English passive."""
    index = hit.first - 1
    if index >= first and tokens[index].norm in ("a", "an", "the"):
        index -= 1
    return index >= first and tokens[index].norm == "by"


def _arrested(tokens: Sequence[Token], hit: Hit[str], first: int) -> bool:
    """"القبض على خلية تابعة لتنظيم داعش", arrested five ISIS suspects: the people arrested are not the actor."""
    return any(has_word(tokens[i], _ARREST_WORDS) for i in range(max(first, hit.first - 8), hit.first - 1))


def _counted_group(tokens: Sequence[Token], hit: Hit[str], first: int, last: int) -> bool:
    """``six ISIS suspects``, ``two SDF fighters``: a number, the actor, then a noun for people."""
    if hit.first - 1 < first or hit.last + 1 > last or not tokens[hit.first - 1].norm.isascii():
        return False
    from incidents.extract.numbers import may_be_number

    return may_be_number(tokens[hit.first - 1]) and noun_of(tokens[hit.last + 1]) is not None


def _position(tokens: Sequence[Token], hit: Hit[str], first: int, last: int,
              victims: list[tuple[int, int]]) -> str:
    if any(a <= hit.first <= b or _right_after(tokens, b, hit.first) for a, b in victims) \
            or _member_victim(tokens, hit, first, last):
        return "victim"
    if _supporting(tokens, hit, first, last):
        return "supporter"
    if _counted_group(tokens, hit, first, last):
        return "victim"
    exposure = _exposure_position(tokens, hit, first, last)
    if exposure is not None:
        return exposure
    lead = _lead_position(tokens[max(first, hit.first - 3):hit.first])
    if lead is not None:
        return lead
    before = [tokens[i] for i in range(max(first, hit.first - 2), hit.first)]
    after = [tokens[i] for i in range(hit.last + 1, min(last, hit.last + 2) + 1)]
    near = _near_position(tokens, hit, first, after)
    if near is not None:
        return near
    if any(t.norm in ("بين", "between") for t in before):
        return "party"
    if any(has_word(t, _AGENT_LEADS) or has_word(t, _VIOLENT_VERBS) for t in before):
        return "agent"
    if any(t.norm in _TARGET_FOLLOWERS for t in after):
        return "target"
    if any(has_word(t, _VIOLENT_VERBS) for t in after):
        return "subject"
    if any(has_word(t, _AGENT_FOLLOWERS) for t in after):
        return "agent"
    return "plain"


_STATIONED = frozenset(_WORDS["stationed"])
#: "was subjected to": its subject is what was hit (``تعرضت دورية لقسد لهجوم``).
_EXPOSED = word_set(_WORDS["exposed"])
_ARREST_WORDS = word_set(_WORDS["arrest_words"])
_OBJECTS = word_set(_WORDS["objects"])
_OWNED_WEAPONS = word_set(_WORDS["owned_weapons"])
_OBJECT_LEADS = frozenset(_WORDS["object_leads"])


_EXPOSURE_ATTACKS = word_set(_WORDS["exposure_attacks"])


def _exposure_position(tokens: Sequence[Token], hit: Hit[str], first: int, last: int) -> str | None:
    """After "was subjected to" (``تعرض``) or "where ... are stationed", the actor was hit (``target``), unless it
    is named as the attack's source (``agent``)."""
    if _source_of_exposure(tokens, hit, first):
        return "agent"
    if any(has_word(t, _EXPOSED) for t in tokens[max(first, hit.first - 8):hit.first]) or _stationed(tokens, hit, first, last):
        return "target"  # "تعرّض مبنى جهاز الأمن الداخلي «الأسايش» لانفجار": what was hit, not who struck
    return None


def _source_of_exposure(tokens: Sequence[Token], hit: Hit[str], first: int) -> bool:
    """``تعرضت البلدة لقصف من قوات النظام``, ``لقصف مدفعي من قبل قوات النظام``, ``على يد``: the force named as the
    source of the attack something "was subjected to" struck; it was not hit."""
    if hit.first - 2 < first:
        return False
    lead, before = tokens[hit.first - 1].norm, tokens[hit.first - 2].norm
    if (lead, before) in (("قبل", "من"), ("يد", "علي")):
        return True
    return lead == "من" and any(has_word(t, _EXPOSURE_ATTACKS) for t in tokens[max(first, hit.first - 3):hit.first - 1])


def _stationed(tokens: Sequence[Token], hit: Hit[str], first: int, last: int) -> bool:
    """"where US troops are stationed": the force stationed at the site where the fire fell was hit, it did not
    strike. Only after "where" (the place of the fire): "ISIS fighters who were stationed in al-Shaafa fired
    rockets" tells of the actor itself."""
    lead = [t.norm for t in tokens[max(first, hit.first - 2):hit.first]]
    if not lead or not (lead[-1] == "where" or lead[-2:] == ["where", "the"]):
        return False
    return any(tokens[i].norm in _STATIONED and tokens[i - 1].norm in ("are", "were", "is", "was")
               for i in range(hit.last + 2, min(last, hit.last + 3) + 1))


def _struck_object(before: Sequence[Token]) -> bool:
    """``انفجار عبوة بدورية لقسد``, ``هجوم على حاجز لقسد``: the actor owns what was hit."""
    for position, token in enumerate(before):
        if not has_word(token, _OBJECTS):
            continue
        attached = token.norm.startswith("ب") and strip_article(token.norm[1:]) in _OBJECTS
        previous = before[position - 1].norm if position > 0 else ""
        if attached or previous in _OBJECT_LEADS or previous.startswith(("استهدف", "استهداف")):
            return True
    return False


def _lead_position(before: Sequence[Token]) -> str | None:
    """The position the three words before an actor decide: aircraft or a source of fire (agent), the ranks
    of the victims (``في صفوف``), or a target (``مواقع``, ``against``)."""
    if any(has_word(t, _AIRCRAFT) or has_word(t, _SOURCE_LEADS) for t in before):
        return "agent"
    if before and has_word(before[-1], _OWNED_WEAPONS):
        return "agent"  # "سيارة مفخخة لداعش": the weapon right before the actor is the actor's
    if any(has_word(t, _RANKS) for t in before[-2:]):
        return "victim"
    if any(has_word(t, _TARGET_LEADS) for t in before) or _struck_object(before):
        return "target"
    return None


def _supporting(tokens: Sequence[Token], hit: Hit[str], first: int, last: int) -> bool:
    """``بدعم من التحالف``, ``المدعومة روسياً``, Russian-backed, backed by the coalition: a backer, not the perpetrator."""
    before = tokens[max(first, hit.first - 3):hit.first]
    after = tokens[hit.last + 1:min(last, hit.last + 1) + 1]
    # "Russian-backed government forces": the hyphenated word names the backer, not the forces after it
    leads = [t for t in before if has_word(t, _SUPPORT) and t.gap != "-"]
    return bool(leads) or any(t.norm in _SUPPORT_AFTER for t in after)


def _right_after(tokens: Sequence[Token], phrase_last: int, index: int) -> bool:
    """An actor named right after a victim phrase belongs to it (``25 عنصراً للميليشيا``, ``قيادياً في قسد``, members
    of ISIS)."""
    if index == phrase_last + 1:
        return True
    if index == phrase_last + 3 and tokens[phrase_last + 1].norm in ("من", "of") \
            and has_word(tokens[phrase_last + 2], _GROUP_WORDS):  # "عشرة عناصر من ميليشيا الدفاع الوطني"
        return True
    # "عنصراً في قسد", a member of the SDF: the force the victim served in
    return index == phrase_last + 2 and tokens[phrase_last + 1].norm in ("من", "of", "in", "ل", "في")


_GROUP_WORDS = word_set(_WORDS["group_words"])
_CARRYING = word_set(_WORDS["carrying"])
_CARRIER_ATTACKS = word_set(_WORDS["carrier_attacks"])


def _carrier_attacked(tokens: Sequence[Token], carrying: int, first: int) -> bool:
    """The vehicle before a carrying verb (``سيارة تقل``) is the object of an attack in the four words before it."""
    return any(has_word(tokens[i], _CARRIER_ATTACKS) for i in range(max(first, carrying - 5), carrying - 1))


def _carried_members(tokens: Sequence[Token], hit: Hit[str], first: int, last: int) -> bool:
    """"a strike on a car carrying ISIS members": the force named between a carrying verb and a people noun, in a
    car that was attacked, is the victims'."""
    return hit.first - 1 >= first and hit.last + 1 <= last and has_word(tokens[hit.first - 1], _CARRYING) \
        and noun_of(tokens[hit.last + 1]) is not None and _carrier_attacked(tokens, hit.first - 1, first)


def _member_victim(tokens: Sequence[Token], hit: Hit[str], first: int, last: int) -> bool:
    """``عناصر من قسد سقطوا``, ``قتلى لقسد``, members of the SDF were killed: the actor's people are victims."""
    if _carried_members(tokens, hit, first, last):
        return True
    lead = [i for i in range(max(first, hit.first - 2), hit.first) if noun_of(tokens[i]) is not None
            and (i == hit.first - 1 or tokens[i + 1].norm in ("من", "of", "ل", "in", "في"))]
    if not lead:
        return False
    if lead[0] - 1 >= first and has_word(tokens[lead[0] - 1], _AGENT_LEADS):
        return False  # "برصاص عناصر مجلس دير الزور العسكري": the fire of the actor's members
    noun = noun_of(tokens[lead[0]])
    if noun is not None and noun.role in ("killed", "injured", "victim"):
        return True
    after = range(hit.last + 1, min(last, hit.last + 5) + 1)
    before = range(max(first, lead[0] - 3), lead[0])
    if lead[0] - 1 >= first and has_word(tokens[lead[0] - 1], _CARRYING) and _carrier_attacked(tokens, lead[0] - 1,
                                                                                                 first):
        return True  # "استهدف مسلحون سيارة تقل قيادياً في قسد": the people carried were hit
    return any(has_word(tokens[i], _CASUALTY_CONTEXT) for i in (*after, *before)) \
        or any(has_word(tokens[i], _BODY_BEFORE_MEMBERS) for i in before)


def certainty_of(tokens: Sequence[Token], first: int, last: int, actor: ActorMention | None) -> str:
    """Return ``stated``, ``suspected`` or ``contested`` from hedges around the actor and in the sentence."""
    if any(has_word(tokens[i], _CONTESTED) for i in range(first, last + 1)):
        return "contested"
    if actor is None:
        return "stated"
    window = range(max(first, actor.first - 8), min(last, actor.last + 3) + 1)
    return "suspected" if any(has_word(tokens[i], _HEDGES) for i in window) else "stated"


_BELLIGERENT_LABELS = PhraseMatcher[str](phrase_pairs(_WORDS["belligerent_labels"]))


def find_labelled_actors(tokens: Sequence[Token]) -> list[tuple[str, tuple[int, int]]]:
    """Return the actors listed under a "Suspected belligerents" label (incident pages), with their spans."""
    for index, token in enumerate(tokens):
        if token.norm not in ("suspected", "belligerent", "belligerents", "الجهه", "الجهات"):
            continue
        hit = _BELLIGERENT_LABELS.match_at(tokens, index, min(len(tokens) - 1, index + 3))
        if hit is None:
            continue
        last = min(len(tokens) - 1, hit.last + 12)
        found = actor_matcher().find(tokens, hit.last + 1, last)
        return [(h.value, (tokens[h.first].start, tokens[h.last].end)) for h in found]
    return []


_CLAIMS = PhraseMatcher[str](phrase_pairs(_WORDS["claims"]))


def claims_responsibility(tokens: Sequence[Token], first: int, last: int) -> bool:
    """Tell whether the sentence says someone claimed the attack (``تبنى تنظيم داعش``, ISIS claimed responsibility)."""
    return bool(_CLAIMS.find(tokens, first, last))


def unclaimed(tokens: Sequence[Token], first: int, last: int) -> bool:
    """Tell whether the sentence says nobody claimed the attack (``لم تتبنَّ أي جهة``, no group claimed)."""
    return bool(_UNCLAIMED.find(tokens, first, last))
