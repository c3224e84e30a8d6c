"""Place mentions of a report and the role each plays in its sentence.

The gazetteer (``geodata``) finds the mentions; this module decides which of them are incident sites:

* **site**: where something happened (``قصف على بلدة الشعفة``, strikes on Hajin);
* **qualifier**: a place that only locates the previous one (``هجين بريف دير الزور الشرقي``, ``قرب هجين``, near
  Al-Hassan Mosque, a junction or road after the site);
* **origin**: a victim's home town or where people came from (``من أبناء بلدة الجنينة``, ``المنحدرة من``,
  displaced from), never the site;
* **destination**: where people were taken (``اقتادهم إلى ... قرية الكشمة``);
* **source**: part of a source's name (``موقع الشعفة الرسمي``, Deir Ezzor 24).

A mention is **coarse** when it names an area rather than a settlement: countryside phrases, districts,
the governorate, and a governorate's namesake capital written without "city" (``في دير الزور``). Anaphors
(``البلدة نفسها``, ``على البلدة``, the city) are resolved to the last site named before them.

The gazetteer is any object with ``find_mentions(text)`` returning objects with ``start``, ``end``,
``surface`` and ``result`` (``match`` and ``candidates``, each with ``to_dict()``), as
:class:`geodata.Gazetteer` does; tests pass a small fake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from incidents.extract.dates import names_calendar
from incidents.extract.lexicon import PhraseMatcher, has_word, load_lexicon, phrase_pairs, word_set
from incidents.extract.numbers import is_another, may_be_number
from incidents.extract.text import Token, normalise_word, strip_article, word_keys

_WORDS = load_lexicon("places")

#: Governorate P-code of Deir ez-Zor (OCHA).
DEIR_EZ_ZOR = "SY09"
_SETTLEMENT_PRECISIONS = frozenset(_WORDS["settlement_precisions"])
#: Capitals that share their governorate's name: alone ("في دير الزور") they stand for the governorate.
_NAMESAKE_CAPITALS = frozenset(strip_article(name) for name in _WORDS["namesake_capitals"])
_CITY_WORDS = word_set(_WORDS["city_words"])
#: First words of countryside, direction and outskirts phrases: the phrase itself says it names a place.
_AREA_LEADS = word_set(_WORDS["area_leads"])
_AREA_WORDS = word_set(_WORDS["area_words"])
_SETTLEMENT_WORDS = word_set(_WORDS["settlement_words"])
_AREA_NAMING = word_set(_WORDS["area_naming"])
_COUNTRYSIDE_WORDS = word_set(_WORDS["countryside_words"])

_ORIGIN = PhraseMatcher[str](phrase_pairs(_WORDS["origin"]))
_WEAK_ORIGIN_WORDS = frozenset(_WORDS["weak_origin_words"])
_PARTITIVE_ORIGIN = PhraseMatcher[str]([(phrase, phrase) for phrase in _WORDS["origin"]["partitive_origin"]])
_DESTINATION = frozenset(_WORDS["destination"])
_MOVEMENT_STEMS = ("اقتاد", "نقل", "ترحيل", "هرب", "نزح")
_MOVEMENT = word_set(_WORDS["movement"])
_RELATIONAL = PhraseMatcher[str](phrase_pairs(_WORDS["relational"]))
_SUBSITE = word_set(_WORDS["subsite"])
_GENERIC = word_set(_WORDS["generic"])
_ANAPHORS = PhraseMatcher[str](phrase_pairs(_WORDS["anaphors"]), keep_articles=True)
#: Words after which a name is a place being located: prepositions, settlement words, targeting verbs.
_LEADS = word_set(_WORDS["leads"])
_LEAD_WORDS = frozenset(_WORDS["lead_words"])
_ANAPHOR_LEADS = word_set(_WORDS["anaphor_leads"])


class Gazetteer(Protocol):
    """What the extractor needs from a gazetteer (``geodata.Gazetteer`` provides it)."""

    def find_mentions(self, text: str) -> Sequence[Any]:
        """Return place mentions with ``start``, ``end``, ``surface`` and ``result``."""
        ...


@dataclass(slots=True)
class PlaceMention:
    """A place mention and what the rules make of it.

    Attributes
    ----------
    start, end : int
        Character span in the text (for anaphors: the span of the anaphoric words).
    surface : str
        The mention as written (for anaphors: the antecedent's surface).
    match : dict or None
        The gazetteer's confident match (``PlaceMatch.to_dict()``), or ``None``.
    admin1 : str or None
        Governorate of the match, or of every candidate when they agree.
    first, last : int
        Token range.
    coarse : bool
        Names an area (countryside, district, governorate), not a settlement.
    role : str
        ``site``, ``qualifier``, ``origin``, ``destination`` or ``source``.
    key : str
        Identity used to merge candidates: the place id, else the folded surface.
    anaphor : bool
        Stands for an earlier mention (``البلدة نفسها``).
    """

    start: int
    end: int
    surface: str
    match: dict | None
    admin1: str | None
    first: int
    last: int
    coarse: bool
    role: str = "site"
    key: str = ""
    anaphor: bool = False
    weak_origin: bool = False
    qualifiers: list[tuple[int, int]] = field(default_factory=list)
    introduced: bool = False  # named as a place by the words around it (a neighbourhood)

    @property
    def precision(self) -> str:
        """Location precision of the match (``village``, ``subdistrict`` ...), ``unknown`` without one."""
        return str(self.match.get("precision") or "unknown") if self.match else "unknown"


def read_mentions(gazetteer: Gazetteer, text: str, tokens: Sequence[Token]) -> list[PlaceMention]:
    """Ask the gazetteer for the place mentions of ``text`` and attach them to tokens.

    Parameters
    ----------
    gazetteer : Gazetteer
        Object with ``find_mentions``.
    text : str
        The report text.
    tokens : sequence of Token
        ``tokenize(text)``.

    Returns
    -------
    list of PlaceMention
        Mentions covering at least one token, in text order, all with role ``site`` for now.
    """
    mentions: list[PlaceMention] = []
    starts = [t.start for t in tokens]
    for raw in gazetteer.find_mentions(text):
        first, last = _token_range(tokens, starts, int(raw.start), int(raw.end))
        if first > last:
            continue
        match = _outskirts_match(gazetteer, str(raw.surface))
        if match is None:
            match = raw.result.match.to_dict() if raw.result.match is not None else None
        if match is None and all(has_word(t, _GENERIC) for t in tokens[first:last + 1]):
            continue  # "جزيرة", "the area": a common word, not a name
        mention = PlaceMention(int(raw.start), int(raw.end), str(raw.surface), match, _admin1(raw.result), first,
                               last, coarse=False)
        mention.coarse = _is_coarse(mention, tokens)
        mention.key = str(match["id"]) if match else strip_article(normalise_word(mention.surface))
        mentions.append(_unnamed_settlements(_qualified(mention, gazetteer, text, tokens), text, tokens))
    return mentions


#: Second words of names that tell namesakes apart (غريبة شرقية, Gharibah Sharqiyyah, الباغوز تحتاني).
_QUALIFIER_WORDS = frozenset(_WORDS["qualifier_words"])
_QUALIFIER_WORDS_EN = frozenset(_WORDS["qualifier_words_en"])


def _qualified(mention: PlaceMention, gazetteer: Gazetteer, text: str, tokens: Sequence[Token]) -> PlaceMention:
    """A name cut short before the word that tells it from its namesakes (``Gharibah`` of Gharibah Sharqiyyah):
    the whole name is looked up; when the gazetteer does not know it, an English name keeps no match (the short
    name is another village)."""
    following = mention.last + 1
    if following >= len(tokens) or any(m in tokens[following].gap for m in ("،", ",", ".", "(", "\n", "-")):
        return mention
    word = tokens[following]
    english = word.norm in _QUALIFIER_WORDS_EN
    if not english and word.norm not in _QUALIFIER_WORDS:
        return mention
    geocode = getattr(gazetteer, "geocode", None)
    result = geocode(text[mention.start:word.end]) if geocode is not None else None
    match = getattr(result, "match", None)
    if match is not None and match.precision in _SETTLEMENT_PRECISIONS and match.score >= 0.85:
        data = dict(match.to_dict())
        return replace(mention, end=word.end, surface=text[mention.start:word.end], match=data,
                       admin1=match.admin1, last=following, key=str(data["id"]))
    if not english:
        return mention
    surface = text[mention.start:word.end]
    return replace(mention, end=word.end, surface=surface, match=None, last=following,
                   key=strip_article(normalise_word(surface)), introduced=True)


_UNNAMED_LEADS = word_set(_WORDS["unnamed_leads"])
_REFERENCE_WORDS = word_set(_WORDS["reference_words"])


def _unnamed_settlements(mention: PlaceMention, text: str, tokens: Sequence[Token]) -> PlaceMention:
    """``بلدات جنوب مدينة دير الزور``, villages east of Hajin: unnamed settlements located from a named place. The
    named place is only a reference; the site is the region the whole phrase names (no point of its own)."""
    for start in range(max(1, mention.first - 5), mention.first):
        hit = _RELATIONAL.match_at(tokens, start, mention.first - 1)
        if hit is not None and all(has_word(t, _REFERENCE_WORDS) for t in tokens[hit.last + 1:mention.first]):
            break
    else:
        return mention
    lead = tokens[start - 1]
    if not has_word(lead, _UNNAMED_LEADS) or any(m in tokens[start].gap for m in ("،", ",", "(", ".", "\n")):
        return mention
    key = next(k for k in word_keys(lead.norm) if strip_article(k) in _UNNAMED_LEADS)
    begin = lead.start + (len(lead.norm) - len(key) if len(lead.text) == len(lead.norm) else 0)
    surface = text[begin:mention.end]
    admin1 = mention.admin1 or (mention.match or {}).get("admin1")
    return PlaceMention(begin, mention.end, surface, None, admin1, start - 1, mention.last, coarse=True,
                        key=normalise_word(surface), introduced=True)


_OUTSKIRTS = ("the outskirts of ", "outskirts of ", "the edge of ", "edge of ", "the vicinity of ", "vicinity of ",
              "the desert of ", "desert of ", "the badia of ", "badia of ", "اطراف ", "محيط ", "ضواحي ", "باديه ")


def _outskirts_match(gazetteer: Gazetteer, surface: str) -> dict | None:
    """The outskirts of a town are the town, not its sub-district: geocode the name itself when possible."""
    folded = normalise_word(surface).lower()
    prefix = next((p for p in _OUTSKIRTS if folded.startswith(p)), None)
    geocode = getattr(gazetteer, "geocode", None)
    if prefix is None or geocode is None:
        return None
    result = geocode(surface[len(prefix):].strip())
    match = getattr(result, "match", None)
    if match is None or match.precision not in _SETTLEMENT_PRECISIONS:
        return None
    return dict(match.to_dict())


def _token_range(tokens: Sequence[Token], starts: list[int], start: int, end: int) -> tuple[int, int]:
    from bisect import bisect_left, bisect_right

    first = bisect_right(starts, start) - 1
    if first < 0 or tokens[first].end <= start:
        first += 1
    last = bisect_left(starts, end) - 1
    return first, last


def _admin1(result: Any) -> str | None:
    if result.match is not None:
        return result.match.admin1
    governorates = {c.admin1 for c in result.candidates}
    return governorates.pop() if len(governorates) == 1 else None


def _is_coarse(mention: PlaceMention, tokens: Sequence[Token]) -> bool:
    if mention.match is None:
        return any(has_word(tokens[i], _COUNTRYSIDE_WORDS) for i in range(mention.first, mention.last + 1))
    if mention.precision not in _SETTLEMENT_PRECISIONS:
        return True
    names = {strip_article(normalise_word(str(mention.match.get(k) or ""))) for k in ("name_ar", "name_en")}
    if names & _NAMESAKE_CAPITALS and mention.match.get("kind") == "city":
        before = tokens[mention.first - 1] if mention.first > 0 else None
        return not (before is not None and has_word(before, _CITY_WORDS))
    return False


def in_governorate(mention: PlaceMention, governorate: str = DEIR_EZ_ZOR) -> bool:
    """Tell whether a mention lies in the governorate (unknown governorates are kept, to be reviewed)."""
    return mention.admin1 is None or mention.admin1 == governorate


# -- roles ------------------------------------------------------------------------------------------------


def assign_roles(mentions: list[PlaceMention], tokens: Sequence[Token], first: int,
                 masked: Sequence[tuple[int, int]]) -> None:
    """Set the role of each mention of one sentence (tokens ``first``..``last``), in place.

    Parameters
    ----------
    mentions : list of PlaceMention
        The sentence's mentions, in text order.
    tokens : sequence of Token
        The text's tokens.
    first : int
        First token of the sentence.
    masked : sequence of (int, int)
        Token ranges of source names (attribution subjects).
    """
    previous: PlaceMention | None = None
    named = frozenset(i for m in mentions for i in range(m.first, m.last + 1))
    for mention in mentions:
        mention.role = _role_of(mention, previous, tokens, first, masked, named)
        if mention.role == "site" and not mention.introduced and not _introduced(mention, previous, tokens):
            mention.role = "unintroduced"
        if mention.role == "qualifier" and previous is not None:
            previous.qualifiers.append((mention.start, mention.end))
        else:
            previous = mention
    _demote_weak_origins(mentions)
    _demote_sub_areas(mentions, tokens)


def _role_of(mention: PlaceMention, previous: PlaceMention | None, tokens: Sequence[Token], first: int,
             masked: Sequence[tuple[int, int]], named: frozenset[int] = frozenset()) -> str:
    if any(a <= mention.first and mention.last <= b for a, b in masked) or _tribe(mention, tokens, first):
        return "source"
    if previous is not None and previous.role in ("origin", "destination") and (
            _adjacent(previous, mention, tokens) or _listed_after(previous, mention, tokens)):
        return previous.role
    if previous is not None and _qualifies(previous, mention, tokens):
        return "qualifier"
    if _partitive_origin(mention, tokens, first):
        mention.weak_origin = True
        return "site"
    if _preceded_by(_ORIGIN, mention, tokens, first, 4, named):
        return "origin"
    if _is_destination(mention, tokens, first):
        return "destination"
    if _weak_origin(mention, tokens, first):
        mention.weak_origin = True
    return "site"


_TRIBE_WORDS = word_set(_WORDS["tribe_words"])


def _tribe(mention: PlaceMention, tokens: Sequence[Token], first: int) -> bool:
    """``عشيرة البكير``, the Sheitaat tribe: a tribe named like its villages is not a place."""
    before = tokens[mention.first - 1] if mention.first - 1 >= first else None
    after = tokens[mention.last + 1] if mention.last + 1 < len(tokens) else None
    return (before is not None and has_word(before, _TRIBE_WORDS)) or (
        after is not None and after.norm in ("tribe", "clan") and not any(m in after.gap for m in (",", ".")))


def _introduced(mention: PlaceMention, previous: PlaceMention | None, tokens: Sequence[Token]) -> bool:
    """Tell whether a name stands where a place is named: after a preposition, a settlement word or a targeting
    verb (``على بلدة الشعفة``, ``بالشعفة``, ``استهدفت الشعفة``, the town of Hajin), or in a list after one.

    Report text is full of words that are also the name of some village (شبه، جيب، حقل، سبعة); without such a
    lead a name is not taken for an incident site. A name the gazetteer could not settle on (no match) needs a
    settlement word before it.
    """
    token = tokens[mention.first]
    attached = token.start < mention.start
    lead = tokens[mention.first - 1] if mention.first > 0 else None
    if lead is not None and lead.norm == "the" and mention.first > 1:
        lead = tokens[mention.first - 2]  # near the al-Omar oil field, at the Deir ez-Zor airport
    listed = previous is not None and previous.role == "site" and not previous.coarse and (
        joined(previous, mention, tokens) or _listed_after(previous, mention, tokens))
    conjoined = attached and normalise_word(token.text[:mention.start - token.start]) == "و"
    if mention.match is None:  # "منطقة أبو خشب": an area word names a place the gazetteer cannot settle on
        return (lead is not None and (has_word(lead, _SETTLEMENT_WORDS) or has_word(lead, _AREA_NAMING))) or (
            listed and conjoined)
    if conjoined and _in_list(mention, tokens):
        return True
    if listed or has_word(token, _AREA_LEADS):
        return True
    if attached:
        prefix = normalise_word(token.text[:mention.start - token.start])
        if prefix.endswith(("ب", "ل", "بال", "لل")) and not prefix.startswith("و"):
            return float(mention.match.get("score") or 0) >= 0.9 or mention.surface.startswith("ال")
        if prefix.startswith("و") and lead is not None and has_word(lead, _LEADS):
            return True
    if lead is not None and (has_word(lead, _LEADS) or lead.norm in _LEAD_WORDS):
        return True
    if mention.first > 1 and has_word(tokens[mention.first - 2], _AREA_WORDS):
        return True
    # a confident name opening a sentence or a headline ("Hajin: five killed", "هجين.. مقتل")
    opening = lead is None or any(mark in token.gap for mark in ("\n", ".", ":", "؛"))
    return opening and not attached and float(mention.match.get("score") or 0) >= 0.9


def _in_list(mention: PlaceMention, tokens: Sequence[Token]) -> bool:
    """``على قرى البو خاطر وباغوز فوقاني``: a ``و``-joined name in a list opened by a settlement word or a
    preposition a few words back (the first names of the list may be unknown to the gazetteer)."""
    if any(m in tokens[mention.first].gap for m in (".", ":", "\n", "؛")):
        return False
    for index in range(mention.first - 1, max(-1, mention.first - 5), -1):
        token = tokens[index]
        if has_word(token, _SETTLEMENT_WORDS) or has_word(token, _LEADS):
            return True
        if any(m in token.gap for m in ("،", ",", ".", ":", "\n", "؛")):
            return False
    return False


def _listed_after(previous: PlaceMention, mention: PlaceMention, tokens: Sequence[Token]) -> bool:
    """``قرى البو خاطر وباغوز فوقاني``: a ``و``-joined name one unknown word after a listed site."""
    token = tokens[mention.first]
    conjoined = token.start < mention.start and normalise_word(token.text[:mention.start - token.start]) == "و"
    return conjoined and mention.first - previous.last == 2 and not any(
        m in token.gap or m in tokens[mention.first - 1].gap for m in ("،", ",", ".", ":", "\n"))


def _preceded_by(matcher: PhraseMatcher[str], mention: PlaceMention, tokens: Sequence[Token], first: int,
                 reach: int, named: frozenset[int] = frozenset()) -> bool:
    """A phrase of ``matcher`` ends shortly before the mention, with no comma and no other place in between."""
    for start in range(max(first, mention.first - reach - 3), mention.first):
        hit = matcher.match_at(tokens, start, mention.first - 1)
        if hit is None or any(i in named for i in range(hit.last + 1, mention.first)):
            continue
        between = tokens[hit.last + 1:mention.first]
        loose = sum(1 for t in between if not _generic(t))
        if loose <= 2 and not any(any(m in t.gap for m in ("،", ",", ".", ":")) for t in between) \
                and not _located_apart(between):
            return True
    return False


def _partitive_origin(mention: PlaceMention, tokens: Sequence[Token], first: int) -> bool:
    """``ثلاثة من أبناء بلدة ذيبان``, three residents of Dhiban: a count or a noun of people, then "of the sons of"
    and the place (only settlement words between): the victims are the town's; it is their site unless the sentence
    names another (:func:`_demote_weak_origins`)."""
    from incidents.extract.casualties import noun_of

    for start in range(max(first + 1, mention.first - 5), mention.first):
        hit = _PARTITIVE_ORIGIN.match_at(tokens, start, mention.first - 1)
        if hit is None or any(not _generic(t) for t in tokens[hit.last + 1:mention.first]):
            continue
        if any(any(m in t.gap for m in ("،", ",", ".", ":")) for t in tokens[start:mention.first]):
            continue
        before = tokens[start - 1]
        return may_be_number(before) or noun_of(before) is not None
    return False


def _located_apart(between: Sequence[Token]) -> bool:
    """``مسلحين من أبناء العشائر في بلدة ذيبان``, tribesmen in Dhiban: a word and then "in" between a phrase and the
    place: the place locates what the sentence tells, it is not where the people come from; so does "in" right
    after the phrase (``قتل مسلحون ابنه في مدينة الميادين``, his son in Mayadin, not a son of Mayadin)."""
    return any(t.norm in ("في", "in", "at") and (i == 0 or any(not _generic(b) for b in between[:i]))
               for i, t in enumerate(between))


def _generic(token: Token) -> bool:
    return has_word(token, _GENERIC) or token.norm in ("من", "of", "the")


def _is_destination(mention: PlaceMention, tokens: Sequence[Token], first: int) -> bool:
    window = range(max(first, mention.first - 7), mention.first)
    lead = [i for i in window if tokens[i].norm in _DESTINATION or tokens[i].norm == "to"]
    if not lead or any(m in tokens[i].gap for i in range(lead[-1] + 1, mention.first + 1) for m in ("،", ",")):
        return False
    movement = range(max(first, lead[0] - 8), lead[0] + 1)
    return any(has_word(tokens[i], _MOVEMENT) or _movement_stem(tokens[i]) for i in movement)


def _movement_stem(token: Token) -> bool:
    """``واقتادوهم``, ``نقلوه``: verbs of taking people somewhere, with any ending."""
    return any(stem in key and len(key) <= len(stem) + 4 for key in word_keys(token.norm)[:2] for stem in _MOVEMENT_STEMS)


def _weak_origin(mention: PlaceMention, tokens: Sequence[Token], first: int) -> bool:
    """``15 شاباً من السوسة``, civilians of Al Sousa: people "from/of" a place (site only if no other)."""
    from incidents.extract.casualties import noun_of

    index = mention.first - 1
    while index >= first and has_word(tokens[index], _GENERIC) and (
            tokens[index].norm not in _WEAK_ORIGIN_WORDS or _settlement_of(tokens, index, first)):
        index -= 1
    if index < first + 1 or tokens[index].norm not in _WEAK_ORIGIN_WORDS:
        return False
    return noun_of(tokens[index - 1]) is not None or has_word(tokens[index - 1], _HOUSEHOLDS)


def _settlement_of(tokens: Sequence[Token], index: int, first: int) -> bool:
    """The "of" of "the town of X": part of the name's phrase, not "people of X"."""
    return tokens[index].norm == "of" and index - 1 >= first and has_word(tokens[index - 1], _SETTLEMENT_WORDS)


def joined(left: PlaceMention, right: PlaceMention, tokens: Sequence[Token]) -> bool:
    """Tell whether two mentions are coordinated (``قرى البو خاطر وباغوز فوقاني``, X and Y, X، Y)."""
    if right.first <= left.last:
        return False
    between = _outside_brackets(tokens[left.last + 1:right.first], tokens[right.first])
    gaps = [t.gap for t in (*between, tokens[right.first])]
    if any(any(m in gap for m in ("؛", ";", ".", ":", "\n")) for gap in gaps):
        return False
    if len(between) > 4 or not all(_generic(t) or t.norm in ("و", "and", "or", "او") for t in between):
        return False
    token = tokens[right.first]
    conjoined = token.start < right.start and normalise_word(token.text[:right.start - token.start]) == "و"
    words = {t.norm for t in between}
    return conjoined or bool(words & {"و", "and", "or", "او"}) or any("،" in g or "," in g for g in gaps) \
        or any(t.norm.startswith("و") for t in between)


def _outside_brackets(between: Sequence[Token], right: Token) -> list[Token]:
    """The words between two names without a bracketed aside (``الميادين (42كم جنوب المدينة) وبلدة الشحيل``)."""
    if not between or "(" not in between[0].gap:
        return list(between)
    for index, token in enumerate((*between[1:], right), start=1):
        if ")" in token.gap:
            return list(between[index:])
    return list(between)


def _adjacent(left: PlaceMention, right: PlaceMention, tokens: Sequence[Token]) -> bool:
    """Names next to each other in a list, with or without a conjunction (``بينها الشعفة الباغوز والسوسة``)."""
    between = tokens[left.last + 1:right.first]
    gaps = [t.gap for t in (*between, tokens[right.first])]
    if right.first <= left.last or any(any(m in gap for m in ("؛", ";", ".", ":", "\n")) for gap in gaps):
        return False
    return len(between) <= 3 and all(_generic(t) or t.norm in ("و", "and", "or", "او") for t in between)


def _qualifies(previous: PlaceMention, mention: PlaceMention, tokens: Sequence[Token]) -> bool:
    """Tell whether ``mention`` locates ``previous`` (``هجين بريف دير الزور``, X near Y, junction of Y)."""
    gap = mention.first - previous.last - 1
    if gap < 0 or gap > 5:
        return False
    between = tokens[previous.last + 1:mention.first]
    if mention.coarse and not joined(previous, mention, tokens):
        return gap <= 3 or _has_relational(tokens, previous.last + 1, mention.first)
    if _bracketed_reference(previous, mention, tokens, between):
        return True
    comma = any(m in t.gap for t in (*between, tokens[mention.first]) for m in ("،", ","))
    if comma and previous.role == "site" and not previous.coarse and _appositive(tokens, between, mention):
        return True  # "al-Kishma, east of Dhiban", ``الكشمة، في ريف ذيبان``
    if not comma and previous.role == "site" and not previous.coarse and not previous.weak_origin \
            and _within_named(tokens, between):
        return True  # "قرية الحوايج في مدينة الشحيل", X التابعة لبلدة Y, the village of X in the town of Y
    named = mention.first > 0 and has_word(tokens[mention.first - 1], _SETTLEMENT_WORDS)
    closed = any(")" in t.gap for t in (*between, tokens[mention.first]))  # "X (5 km south of Y) and Z"
    if between and not comma and not closed and previous.role == "site" and not previous.coarse \
            and _has_relational(tokens, previous.last + 1, mention.first) \
            and not between[0].norm.startswith("و"):
        return True  # "قرية الطيبة قرب مدينة الميادين", X near the town of Y
    if comma or named:
        return False
    if _has_relational(tokens, previous.last + 1, mention.first):
        return True
    if _contained(previous, mention, tokens, between):
        return True
    return any(has_word(t, _SUBSITE) for t in between) and not previous.coarse


_HOUSEHOLDS = word_set(_WORDS["origin_households"])
_WITHIN = frozenset(_WORDS["within"])
_WITHIN_FILLERS = word_set(_WORDS["within_fillers"])
_DISTANCE_WORDS = word_set(_WORDS["distance_words"])


def _within_named(tokens: Sequence[Token], between: Sequence[Token]) -> bool:
    """The words between two names say the first lies within the second, named with its settlement word:
    ``في مدينة``، ``التابعة لبلدة``، ``التابعة لـ``، in the town of."""
    words = list(between)
    while words and (has_word(words[-1], _SETTLEMENT_WORDS) or words[-1].norm in ("the", "of", "ل")
                     or has_word(words[-1], _COUNTRYSIDE_WORDS) or has_word(words[-1], _WITHIN_FILLERS)):
        words.pop()
    return len(words) == 1 and words[0].norm in _WITHIN and len(between) > 1  # not "وفي": a second place


def _appositive(tokens: Sequence[Token], between: Sequence[Token], mention: PlaceMention) -> bool:
    """A phrase set off by a comma right after a site says where the site lies: al-Kishma, east of Dhiban; X, a
    village in the countryside of Y; ``الكشمة، شرقي ذيبان``; ``الكشمة، في ريف ذيبان``."""
    if not between or not any(m in between[0].gap for m in ("،", ",")) or any(
            m in t.gap for t in (*between[1:], tokens[mention.first]) for m in ("،", ",", ".", ":", "\n")):
        return False
    words = list(between)
    while words and (words[0].norm in ("a", "an") or has_word(words[0], _SETTLEMENT_WORDS)):
        words.pop(0)
    if not words or words[0].norm.startswith("و") or words[0].norm == "and":
        return False
    hit = _RELATIONAL.match_at(tokens, words[0].number, mention.first - 1)
    if hit is not None:
        return all(_generic(t) for t in tokens[hit.last + 1:mention.first])
    return len(words) > 1 and _within_named(tokens, words)


def _bracketed_reference(previous: PlaceMention, mention: PlaceMention, tokens: Sequence[Token],
                         between: Sequence[Token]) -> bool:
    """``بلدة خشام (15كم جنوب شرق مدينة دير الزور)``: a distance in brackets after a site locates it."""
    if not between or "(" not in between[0].gap or any(")" in t.gap for t in (*between[1:], tokens[mention.first])):
        return False
    return any(t.norm[:1].isdigit() or has_word(t, _DISTANCE_WORDS) for t in between)


def _contained(previous: PlaceMention, mention: PlaceMention, tokens: Sequence[Token], between: Sequence[Token]) -> bool:
    """``X in Y``, ``X في Y``, ``X بY``: a place right after another, introduced by "in", contains it."""
    from incidents.extract.casualties import noun_of

    if len(between) > 2 or previous.coarse or any(may_be_number(t) or is_another(t) or noun_of(t) is not None
                                                  for t in between):
        return False  # "X وثلاثة في Y", "X ومدنيان في Y", "X وآخر في Y": a count told of a second place
    words = [t.norm for t in between]
    token = tokens[mention.first]
    attached_in = token.start < mention.start and normalise_word(token.text[:mention.start - token.start]) == "ب"
    return (bool(words) and words[-1] in ("in", "في", "at")) or (not words and attached_in)


def _has_relational(tokens: Sequence[Token], start: int, end: int) -> bool:
    return any(_RELATIONAL.match_at(tokens, i, end - 1) is not None for i in range(start, end))


def _demote_sub_areas(mentions: list[PlaceMention], tokens: Sequence[Token]) -> None:
    """A name only an area word introduces and the gazetteer cannot settle on (``منطقة الحصية``) is part of the
    town the sentence names (``على مدينة الشعفة ... ومنطقة الحصية``): a site of its own only when it is alone."""
    named = [m for m in mentions if m.role == "site" and not m.coarse and m.match is not None]
    for mention in mentions:
        lead = tokens[mention.first - 1] if mention.first > 0 else None
        if named and mention.role == "site" and mention.match is None and not mention.introduced \
                and lead is not None and has_word(lead, _AREA_NAMING):
            mention.role = "unintroduced"


def _demote_weak_origins(mentions: list[PlaceMention]) -> None:
    """People "from" a place are located there only when the sentence names no other site."""
    sites = [m for m in mentions if m.role == "site" and not m.coarse and not m.weak_origin]
    if not sites:
        return
    site_keys = {m.key for m in sites}
    for mention in mentions:
        if mention.role == "site" and mention.weak_origin and mention.key not in site_keys:
            mention.role = "origin"


# -- anaphors ---------------------------------------------------------------------------------------------


def find_anaphors(tokens: Sequence[Token], first: int, last: int, mentions: list[PlaceMention],
                  history: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Return mentions standing for an earlier site (``البلدة نفسها``, ``على البلدة``, the same town).

    Parameters
    ----------
    tokens : sequence of Token
        The text's tokens.
    first, last : int
        The sentence's token range.
    mentions : list of PlaceMention
        The sentence's own mentions (their tokens are not anaphors).
    history : sequence of PlaceMention
        Specific sites named so far in the report, this sentence's included, in text order.

    Returns
    -------
    list of PlaceMention
        Copies of the antecedents, spanning the anaphoric words, with ``anaphor`` set.
    """
    taken = {i for m in mentions for i in range(m.first, m.last + 1)}
    found: list[PlaceMention] = []
    index = first
    while index <= last:
        hit = _ANAPHORS.match_at(tokens, index, last)
        if hit is None or index in taken or not _definite(tokens[index]) \
                or not _anaphoric(hit.value, tokens, index, hit.last, last, taken):
            index += 1
            continue
        antecedent = _antecedent(mentions, history, index, city="مدينه" in hit.phrase or "city" in hit.phrase
                                 or "المدينة" in hit.phrase)
        if antecedent is not None:
            found.append(replace(antecedent, start=tokens[index].start, end=tokens[hit.last].end, first=index,
                                 last=hit.last, role="site", anaphor=True, qualifiers=[]))
        index = hit.last + 1
    return found


def _antecedent(mentions: Sequence[PlaceMention], history: Sequence[PlaceMention], index: int,
                city: bool = False) -> PlaceMention | None:
    """The place an anaphor at token ``index`` stands for: the last settlement named before it in its sentence,
    even a home town (``ثلاثة شبان من أبناء بلدة القورية ... في الساحة العامة للبلدة``), else the last site;
    "the city" prefers the last city."""
    same = [m for m in mentions if m.last < index and not m.coarse and m.role in ("site", "origin")]
    earlier = [m for m in history if m.last < index]
    if city:
        cities = [m for m in (*earlier, *same) if m.match and m.match.get("kind") == "city"]
        if cities:
            return cities[-1]
    if same:
        return same[-1]
    return earlier[-1] if earlier else None


# -- neighbourhoods ---------------------------------------------------------------------------------------

_NEIGHBOURHOOD_AR = word_set(_WORDS["neighbourhood_ar"])
_NEIGHBOURHOOD_EN = frozenset(_WORDS["neighbourhood_en"])
_NAME_STOP = frozenset(_WORDS["name_stop"])


def resolve_neighbourhoods(mentions: list[PlaceMention], tokens: Sequence[Token], first: int, last: int,
                           history: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Neighbourhoods the gazetteer does not know (``حي هرابش``, ``أحياء الكنامات والحميدية``, the al-Rashdiya
    neighbourhood of Deir Ezzor city) are placed at their city: a city named right after them, else one named before
    them in the sentence, else the last city of the report. Their key is the city's and their name: two
    neighbourhoods of one city are two sites (:func:`same_site`)."""
    out = list(mentions)
    for index in range(first, last + 1):
        span = _neighbourhood_name(tokens, index, first, last)
        if span is None or any(m.first <= span[0] <= m.last and m.match and m.admin1 == DEIR_EZ_ZOR
                               and m.precision == "neighbourhood" for m in out):
            continue
        city = _city_for(out, history, span)
        if city is None:
            continue
        out = [m for m in out if m.last < span[0] or m.first > span[1]]
        surface = " ".join(t.text for t in tokens[span[0]:span[1] + 1])
        key = f"{city.key}{QUARTER}{strip_article(normalise_word(tokens[span[0]].text))}"
        out.append(PlaceMention(tokens[span[0]].start, tokens[span[1]].end, surface, city.match, city.admin1,
                                span[0], span[1], coarse=False, key=key, introduced=True))
    return sorted(out, key=lambda m: m.first)


#: Joins a city's key and a neighbourhood's name in the key of a neighbourhood mention.
QUARTER = "#"


def same_site(a: frozenset[str], b: frozenset[str]) -> bool:
    """Tell whether two place keys can be one incident's: the same places, or a city and one of its
    neighbourhoods (two different neighbourhoods of a city are not one site)."""
    if a == b:
        return True
    city_a = frozenset(k.split(QUARTER)[0] for k in a)
    city_b = frozenset(k.split(QUARTER)[0] for k in b)
    return (city_a == a and city_a == city_b) or (city_b == b and city_a == city_b)


_NEIGHBOURHOODS_AR = word_set(_WORDS["neighbourhoods_ar"])


def _neighbourhood_name(tokens: Sequence[Token], index: int, first: int, last: int) -> tuple[int, int] | None:
    token = tokens[index]
    if has_word(token, _NEIGHBOURHOOD_AR) and index + 1 <= last and tokens[index + 1].norm not in _NAME_STOP \
            and not tokens[index + 1].norm.isascii():
        end = index + 1
        if end + 1 <= last and _same_phrase(tokens[end + 1]) and tokens[end + 1].norm.startswith("ال") \
                and not any(m in tokens[end + 1].gap for m in ("،", ","))and tokens[end + 1].norm not in _NAME_STOP:
            end += 1
        return index + 1, end
    if has_word(token, _NEIGHBOURHOODS_AR) and not _definite(token) and index + 1 <= last \
            and tokens[index + 1].norm.startswith("ال"):  # not "الأحياء الشرقية للمدينة"
        end = index + 1  # "أحياء الكنامات والحميدية والحويقة": the list of names joined by و
        while end + 1 <= last and tokens[end + 1].norm.startswith("وال") and _same_phrase(tokens[end + 1]):
            end += 1
        return index + 1, end
    if token.norm in _NEIGHBOURHOOD_EN and index - 1 >= first and tokens[index - 1].text[:1].isupper():
        start = index - 1
        if start - 1 >= first and tokens[start - 1].norm in _EN_NAME_ARTICLES and tokens[start].gap == "-":
            start -= 1
        return start, index - 1
    return None


def _city_for(mentions: Sequence[PlaceMention], history: Sequence[PlaceMention],
              span: tuple[int, int]) -> PlaceMention | None:
    """A city named within a few words after a neighbourhood, else the last one before it in its sentence, else
    the last city site of the report."""
    cities = [m for m in mentions if m.match and m.match.get("kind") == "city" and m.admin1 == DEIR_EZ_ZOR]
    after = next((m for m in cities if span[1] < m.first <= span[1] + 5), None)
    if after is not None:
        return after
    before = [m for m in cities if m.last < span[0]]
    if before:
        return before[-1]
    earlier = [m for m in history if m.match and m.match.get("kind") == "city"]
    return earlier[-1] if earlier else None


def _definite(token: Token) -> bool:
    """``البلدة``/``بالبلدة``/the town, not ``بلدة``/``ومدينة`` (which introduce a name)."""
    return token.norm in ("the", "نفس") or any(k.startswith("ال") for k in word_keys(token.norm))


def _anaphoric(kind: str, tokens: Sequence[Token], index: int, end: int, last: int, taken: set[int]) -> bool:
    if kind == "same":
        return True
    following = tokens[end + 1] if end + 1 <= last else None
    if following is not None and (end + 1 in taken or following.norm == "of"):
        return False
    lead = tokens[index - 1] if index > 0 else None
    attached = tokens[index].norm[:1] in ("ب", "ف", "ل", "و") and not tokens[index].norm.startswith("ال")
    # "سوق البلدة", the town's market: a part of the town named before
    return attached or (lead is not None and (has_word(lead, _ANAPHOR_LEADS) or has_word(lead, _SUBSITE)))


# -- fallback when the mention finder saw nothing ---------------------------------------------------------

_FALLBACK_AR_LEADS = word_set(_WORDS["fallback_ar_leads"])
_FALLBACK_EN_LEADS = frozenset(_WORDS["fallback_en_leads"])
_FALLBACK_EN_SKIP = frozenset(_WORDS["fallback_en_skip"])
_FALLBACK_MIN_SCORE = 0.85
#: A settlement word right after the name ("al Subha village") is evidence enough for a slightly weaker match.
_FALLBACK_NAMED_SCORE = 0.8
#: Second words that only tell one namesake from another (الباغوز تحتاني): the first word alone is tried too.
_NAME_QUALIFIERS = frozenset(_WORDS["name_qualifiers"])
_EN_NAME_ARTICLES = frozenset(_WORDS["en_name_articles"])


_UNKNOWN_NAME_LEADS = frozenset({"on", "in", "at", "near", "nearby", "outside"})
_UNKNOWN_NAME_SKIP = frozenset({"nearby", "the", "village", "town", "of"})


def names_unknown_place(tokens: Sequence[Token], first: int, last: int) -> bool:
    """Tell whether a sentence in which no place was found still names one (``في قرية X``, on nearby al Shaafah): a
    settlement word before a word that is no anaphor, or a capitalised name after "on"/"near"."""
    for index in range(first, last):
        token, following = tokens[index], tokens[index + 1]
        if not token.norm.isascii():
            if has_word(token, _FALLBACK_AR_LEADS) and not token.norm.startswith("ال") \
                    and not _generic(following) and not any(m in following.gap for m in (",", "،", ".")):
                return True
            continue
        if token.norm not in _UNKNOWN_NAME_LEADS:
            continue
        position = index + 1
        while position <= last and (tokens[position].norm in _UNKNOWN_NAME_SKIP
                                    or tokens[position].norm in _EN_NAME_ARTICLES):
            position += 1
        if position <= last and tokens[position].text[:1].isupper() and tokens[position].text.isascii() \
                and not names_calendar(tokens[position]):
            return True
    return False


def fallback_mentions(gazetteer: Gazetteer, tokens: Sequence[Token], first: int, last: int,
                      taken: set[int]) -> list[PlaceMention]:
    """Look up names the mention finder missed, in a sentence that reports violence but names no site.

    Only words after a settlement word (``بلدة X``) or, in English, capitalised words after a locative preposition
    (in the Baghuz camp, on Al Shaheel) are tried, through the gazetteer's ``geocode``; a name is kept only when
    the match is confident, a settlement, and in Deir ez-Zor governorate.
    """
    geocode = getattr(gazetteer, "geocode", None)
    if geocode is None:
        return []
    found: list[PlaceMention] = []
    for start, end in _fallback_spans(tokens, first, last, taken):
        named = end + 1 <= last and has_word(tokens[end + 1], _SETTLEMENT_WORDS)
        match = _fallback_match(geocode, tokens, start, end, _FALLBACK_NAMED_SCORE if named else _FALLBACK_MIN_SCORE)
        if match is None and end > start and tokens[end].norm in _NAME_QUALIFIERS:
            end -= 1
            match = _fallback_match(geocode, tokens, start, end, _FALLBACK_MIN_SCORE)
        if match is None:
            continue
        surface = " ".join(t.text for t in tokens[start:end + 1])
        data = dict(match.to_dict())
        found.append(PlaceMention(tokens[start].start, tokens[end].end, surface, data, match.admin1, start, end,
                                  coarse=False, key=str(data["id"])))
    return found


def _fallback_match(geocode: Any, tokens: Sequence[Token], start: int, end: int, minimum: float) -> Any:
    """The gazetteer's confident settlement in Deir ez-Zor for tokens ``start``..``end``, or ``None``."""
    match = getattr(geocode(" ".join(t.text for t in tokens[start:end + 1])), "match", None)
    if match is None or match.precision not in _SETTLEMENT_PRECISIONS or match.admin1 != DEIR_EZ_ZOR \
            or match.score < minimum:
        return None
    return match


def _fallback_spans(tokens: Sequence[Token], first: int, last: int, taken: set[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for index in range(first, last):
        lead = tokens[index]
        start = index + 1
        arabic_name = start not in taken and not tokens[start].norm.isascii()
        if arabic_name and (has_word(lead, _FALLBACK_AR_LEADS) or _qualified_name(tokens, lead, start, last, taken)):
            spans.append((start, start + (1 if start + 1 <= last and start + 1 not in taken
                                          and _same_phrase(tokens[start + 1]) else 0)))
        elif lead.norm in _FALLBACK_EN_LEADS:
            while start <= last and tokens[start].norm in _FALLBACK_EN_SKIP:
                start += 1
            end = start
            while end <= last and end not in taken and end - start < 3 and (
                    tokens[end].text[:1].isupper() or (end == start and tokens[end].norm in _EN_NAME_ARTICLES)):
                end += 1
            if end > start and start not in taken and not (end <= last and tokens[end].norm in ("tribe", "clan")):
                spans.append((start, end - 1))
    return spans


def _qualified_name(tokens: Sequence[Token], lead: Token, start: int, last: int, taken: set[int]) -> bool:
    """``في الباغوز تحتاني``: a preposition, a name and a word that tells namesakes apart."""
    return lead.norm in ("في", "وفي", "على") and start + 1 <= last and start + 1 not in taken \
        and tokens[start + 1].norm in _NAME_QUALIFIERS


def _same_phrase(token: Token) -> bool:
    """A second word of a two-word Arabic name (``سويدان جزيرة``): no punctuation before it, not a preposition."""
    return not any(m in token.gap for m in ("،", ",", ".", ":")) and token.norm not in ("في", "على", "من", "الى")
