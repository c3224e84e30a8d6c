"""Geocoding: from a (possibly compound) place string to a confident match or only candidates.

Scoring of a candidate place::

    score = name score × kind factor × context factor × prominence factor

* name score: how the query reaches one of the place's names (``index.name_score``);
* kind factor: agreement with a generic word in the query (قرية, حي, ناحية, camp, district ...);
  admin units are slightly behind a town of the same name when the query gives no kind;
* context factor: inside an admin unit named in the query or in ``context`` (bonus), far from a
  town named there (penalty);
* prominence factor: towns and OCHA-listed communities before hamlets known to one source.

Decision: the best candidate is the match when its score reaches ``THRESHOLD`` and no rival is
left. A rival is a candidate scoring within ``MARGIN`` of the best, more than ``SAME_PLACE_KM``
away, not an admin unit containing it (or contained by it), and of comparable prominence. Among
rivals, Deir ez-Zor governorate (then its neighbours) wins a tie; otherwise ``match`` is ``None``
and every candidate is returned.

Deir ez-Zor first: before the decision, a namesake outside the governorate that a Deir ez-Zor
candidate matches about as well is dropped (``_home_first``); a village far from Deir ez-Zor is never
the match unless the context points at it (``_far_guess``): it stays a candidate.

Qualified strings ("near X", "2 km east of X", "X and Y", "X, al-Hikma street" ...) are read by
``geodata.phrases``; their place texts are geocoded as above and the qualifier sets the precision.

``THRESHOLD`` (0.70) was checked on held-out spellings that the scored evaluation does not use
(``bench/geocode_eval.py --set tuning --calibrate``) and on one half of the scored set (half A),
then confirmed on the other half: below 0.70 confidently wrong answers rise on half A (0.9 % at
0.70, 1.4 % at 0.68, 2.8 % at 0.66) and names of places the index does not know are matched to
other places fast (about 2-3 points more per 0.02); above it, wrong answers stay flat while about
1 point of recall goes per 0.02. It is the lowest threshold at which the wrong answers reach
their floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from geodata.core import ADMIN_KINDS, POPULATED_KINDS, Core
from geodata.geo import haversine_km
from geodata.index import GOOD_ENOUGH
from geodata.model import PRECISIONS, GeocodeResult, Place, PlaceMatch
from geodata.normalise import (
    NameKeys,
    clitic_variants,
    fold_arabic,
    fold_latin,
    kind_hint,
    name_keys,
    normalise,
    script_of,
)
from geodata.phrases import NEAR_ENOUGH_KM, Phrase, read_phrase, tidy
from geodata.query import Area, ParsedQuery, parse_area, parse_query

__all__ = ["THRESHOLD", "Candidate", "Context", "geocode", "rank_name"]

THRESHOLD = 0.7
MARGIN = 0.08
SAME_PLACE_KM = 5.0
PROMINENCE_GAP = 0.2
NAME_TIE = 0.06  # a name matched by its normal form (1.0) ties one matched by its skeleton (0.95)
#: A name matched (nearly) exactly is not made ambiguous by a clearly worse-matching namesake.
CLEAR_NAME = 0.9
CLEAR_GAP = 0.06
TIE_FACTOR = 0.95
PROMINENCE_NAME_SLACK = 0.05
MAX_CANDIDATES = 10
CANDIDATE_FLOOR = 0.45
CANDIDATE_SPREAD = 0.35
CLITIC_PENALTY = 0.97
ALTERNATIVE_PENALTY = 0.97
FALLBACK_FACTOR = 0.85
#: An exact match scoring this much leaves no room for a phonetic rival (those score 0.9 at most).
SKIP_PHONETIC = 0.98
#: A name matched by its skeleton scores this (``index.SKELETON_SCORE``).
EXACT_NAME = 0.95
NEIGHBOURHOOD_RADIUS_KM = 8.0
#: A namesake outside Deir ez-Zor stays a contender only when its name matches this much better ...
NAMESAKE_SLACK = 0.1
#: ... than a Deir ez-Zor candidate whose name matches at least this well (a loose spelling match in
#: Deir ez-Zor pushes nothing aside: it competes, and a tie leaves the string unresolved).
HOME_NAME = 0.85
#: Two villages of Deir ez-Zor whose names match the query about as well (``TWIN_NAME``) and that lie
#: farther apart than this (km) are twins: without context neither is the answer, both are offered.
#: (Two sources' points of one village differ by a few km; twins farther apart are other villages.)
TWIN_KM = 8.0
TWIN_NAME = 0.06
#: A Latin query matching a namesake's name this well also reaches the Deir ez-Zor villages written in
#: Arabic as that namesake is, at this factor (``_bridge_by_arabic_name``).
BRIDGE_FROM = 0.9
BRIDGE_FACTOR = 0.95
#: Two places of "X and Y" farther apart than this (km) have no common area to answer with.
PAIR_KM = 15.0
#: A match through a qualifier ("near X", a pair) is a little less certain than the name itself.
QUALIFIED_FACTOR = 0.95
MAX_PHRASE_DEPTH = 2
#: A town answered for one of its neighbourhoods known without coordinates (as a containing place).
NEIGHBOURHOOD_TOWN_SCORE = 0.75
#: A place guessed from the wording ("مشفى الميادين") must match by its name at least this well.
STRICT_SCORE = 0.9
#: Kinds matched wherever they are (a report may name Homs, Raqqa or Khan Shaykhun without context).
SETTLED_ANYWHERE = ADMIN_KINDS | {"city", "town"}

_KIND_FACTORS: dict[str, dict[str, float]] = {
    "village": {"city": 1.0, "town": 1.0, "village": 1.0, "neighbourhood": 0.9, "camp": 0.9, "site": 0.85},
    "city": {"city": 1.0, "town": 1.0, "village": 0.95, "neighbourhood": 0.85},
    "neighbourhood": {"neighbourhood": 1.0, "site": 0.95, "camp": 0.9, "village": 0.85, "town": 0.85, "city": 0.8},
    "subdistrict": {"subdistrict": 1.0},
    "district": {"district": 1.0, "neighbourhood": 0.95, "subdistrict": 0.85},
    "governorate": {"governorate": 1.0},
    "camp": {"camp": 1.0, "site": 0.9, "town": 0.9, "village": 0.9, "city": 0.9},
    "site": {"site": 1.0, "camp": 0.95, "neighbourhood": 0.9},
    "countryside": {"governorate": 1.0, "district": 1.0, "subdistrict": 1.0},
}
#: Region factor: Deir ez-Zor, its neighbours, elsewhere (a namesake far away needs a better name match).
_TIER_FACTOR = (1.0, 0.95, 0.85)


class Candidate(NamedTuple):
    """A scored place for one query."""

    position: int
    score: float
    name_score: float
    prominence: float


@dataclass
class Context:
    """What the rest of a compound query (or the ``context`` argument) says about the place.

    Attributes
    ----------
    admin : set of str
        Admin units the place should be in.
    points : list of (lat, lon, radius_km)
        Towns the place should be near.
    fallback : Candidate or None
        The most specific containing place, returned with lowered precision when the target
        itself cannot be resolved.
    regions : set of str
        Governorates of the places named (no bonus or penalty): a place far from Deir ez-Zor in
        one of them is one the context points at (``decide``).
    """

    admin: set[str] = field(default_factory=set)
    points: list[tuple[float, float, float]] = field(default_factory=list)
    fallback: Candidate | None = None
    regions: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        """True when the context constrains nothing."""
        return not self.admin and not self.points


def _kind_factor(kind: str, hint: str | None) -> float:
    if hint is None:
        return 0.9 if kind in ADMIN_KINDS else 1.0
    return _KIND_FACTORS.get(hint, {}).get(kind, 0.75)


def _context_factor(place: Place, context: Context, hint: str | None) -> float:
    if context.empty:
        return 1.0
    factor = 1.0
    if context.admin:
        inside = bool(context.admin.intersection((place.id, place.admin1, place.admin2, place.admin3)))
        factor *= 1.05 if inside else 0.75
    if context.points:
        # a neighbourhood must lie in the town named with it, not merely in its countryside
        cap = NEIGHBOURHOOD_RADIUS_KM if hint == "neighbourhood" else None
        near = any(
            haversine_km(lat, lon, place.lat, place.lon) <= (min(radius, cap) if cap else radius)
            for lat, lon, radius in context.points
        )
        factor *= 1.05 if near else (0.6 if cap else 0.8)
    return factor


# --------------------------------------------------------------------------------------------
# Name variants
# --------------------------------------------------------------------------------------------


def _variants(core: Core, text: str) -> list[tuple[NameKeys, float]]:
    """The query's keys, plus forms without attached Arabic prepositions/conjunctions whose
    first word some name starts with (والشعفة → الشعفة; باغوز keeps its ب)."""
    keys = core.index.keys_of(text)
    out = [(keys, 1.0)]
    if keys.script != "ar":
        return out
    tokens = keys.full.split()
    if not tokens:
        return out
    for _, stripped in clitic_variants(tokens[0]):
        if core.index.knows_word(stripped) or core.index.knows_word(stripped[2:] if stripped.startswith("ال") else "ال" + stripped):
            out.append((name_keys(" ".join([stripped, *tokens[1:]])), CLITIC_PENALTY))
    out.extend((name_keys(joined), CLITIC_PENALTY) for joined in _split_fused_article(core, tokens))
    return out


def _split_fused_article(core: Core, tokens: list[str]) -> list[str]:
    """"ديرالزور" written without its space: try "دير الزور" when that first word is known."""
    if len(tokens) != 1 or "ال" not in tokens[0][2:]:
        return []
    word = tokens[0]
    at = word.find("ال", 2)
    first, rest = word[:at], word[at:]
    return [f"{first} {rest}"] if len(rest) > 3 and core.index.knows_word(first) else []


def _score(core: Core, position: int, name: float, hint: str | None, context: Context) -> Candidate:
    place = core.places[position]
    weight = core.prominence[position]
    final = (
        name
        * _kind_factor(place.kind, hint)
        * _context_factor(place, context, hint)
        * (0.85 + 0.15 * weight)
        * _TIER_FACTOR[core.tiers[position]]
    )
    return Candidate(position, min(1.0, final), name, weight)


def rank_name(
    core: Core, texts: list[tuple[str, float]], context: Context, hint: str | None = None, fuzzy: bool = True
) -> list[Candidate]:
    """Score and sort candidate places for one name (with alternatives).

    Look-up stages run in order (exact keys, phonetic shortlist, fuzzy shortlist); the phonetic
    stage is skipped when an exact match already scores too high for any phonetic match to rival
    it, the fuzzy stage when a name already matches well.

    Parameters
    ----------
    core : Core
        The gazetteer.
    texts : list of (str, float)
        Spellings and their penalty factors.
    context : Context
        Constraints from the rest of the query.
    hint : str, optional
        Kind announced by the query; defaults to the generic word found in the spelling.
    fuzzy : bool
        Allow fuzzy candidates.

    Returns
    -------
    list of Candidate
        Best first (ties: Deir ez-Zor first, then prominence, population, id).
    """
    variants = [(keys, penalty * extra) for text, penalty in texts for keys, extra in _variants(core, text)]
    seen: dict[int, set[int]] = {i: set() for i in range(len(variants))}
    names: dict[int, tuple[float, str | None]] = {}
    for stage in ("exact", "phonetic", "fuzzy"):
        if stage == "phonetic" and context.empty and _best_score(core, names, hint, context) >= SKIP_PHONETIC:
            break  # (without context no factor exceeds 1: _best_score looks only at names that could)
        if stage == "fuzzy" and (not fuzzy or max((n for n, _ in names.values()), default=0.0) >= GOOD_ENOUGH):
            break
        # after a name of Deir ez-Zor matched by its normal form or skeleton, a transliteration cannot
        # rival it; after one elsewhere, a Deir ez-Zor place written in the other script may
        other_script = max((n for p, (n, _) in names.items() if core.tiers[p] == 0), default=0.0) < EXACT_NAME
        for number, (keys, penalty) in enumerate(variants):
            if stage == "fuzzy" and penalty < 1.0:
                continue
            for position, hit in core.index.stage_hits(keys, stage, seen[number], other_script).items():
                score = hit.score * penalty
                if position not in names or score > names[position][0]:
                    names[position] = (score, keys.hint)
    _bridge_by_arabic_name(core, names)
    candidates = [_score(core, position, name, hint or found, context) for position, (name, found) in names.items()]
    order = core.order
    # score, then Deir ez-Zor first, prominence, population, id (Core.order)
    return sorted(candidates, key=lambda c: (-round(c.score, 6), order[c.position]))


def _bridge_by_arabic_name(core: Core, names: dict[int, tuple[float, str | None]]) -> None:
    """Reach the villages of Deir ez-Zor written in Arabic like a namesake whose name the query matched.

    Sources transliterate one Arabic name differently ("Tiba" for a village of al-Mayadin,
    "At Tayyibah" for its namesakes elsewhere, both الطيبة): a Latin query matching the namesake's
    transliteration well (``BRIDGE_FROM``) names the Deir ez-Zor village as much, scored as the
    namesake times ``BRIDGE_FACTOR`` and how well the Arabic names agree. Only when no place of
    Deir ez-Zor already matches well (``HOME_NAME``), and only Deir ez-Zor villages are reached:
    the Deir ez-Zor-first rule then decides among them (``decide``).
    """
    tiers, places = core.tiers, core.places
    if not names or max((n for p, (n, _) in names.items() if tiers[p] == 0), default=0.0) >= HOME_NAME:
        return
    sources = [(p, n, h) for p, (n, h) in names.items() if n >= BRIDGE_FROM and tiers[p] != 0 and places[p].name_ar]
    index = core.index
    for position, score, hint in sources:
        arabic = name_keys(places[position].name_ar)
        for i in index.exact_entries(arabic):
            entry = index.entries[i]
            if tiers[entry.place] != 0 or entry.keys.script != "ar":
                continue
            bridged = score * BRIDGE_FACTOR * (1.0 if entry.keys.full == arabic.full else EXACT_NAME)
            if entry.place not in names or bridged > names[entry.place][0]:
                names[entry.place] = (bridged, hint)


def _best_score(core: Core, names: dict[int, tuple[float, str | None]], hint: str | None, context: Context) -> float:
    """The best candidate score among names scoring ``SKIP_PHONETIC`` or more (0 if none)."""
    return max(
        (_score(core, p, n, hint or h, context).score for p, (n, h) in names.items() if n >= SKIP_PHONETIC),
        default=0.0,
    )


# --------------------------------------------------------------------------------------------
# Decision
# --------------------------------------------------------------------------------------------


def _related(core: Core, a: int, b: int) -> bool:
    return core.contains(a, b) or core.contains(b, a) or core.distance_km(a, b) <= SAME_PLACE_KM


def _rivals(core: Core, best: Candidate, others: list[Candidate]) -> list[Candidate]:
    """Close candidates elsewhere.

    A much less prominent namesake (a hamlet one gazetteer knows, against a community on the OCHA
    list or a town) is not a rival of a Deir ez-Zor place or of a town anywhere, unless it lies in
    a preferred region or its name matches clearly better: reports name the communities and towns.
    Between villages outside Deir ez-Zor every namesake counts.
    """
    best_tier = core.tiers[best.position]
    settled = best_tier == 0 or core.places[best.position].kind in {"city", "town"}
    clear = best.name_score >= CLEAR_NAME
    return [
        c
        for c in others
        if c.score >= best.score - MARGIN
        and not (clear and c.name_score < best.name_score - CLEAR_GAP and core.tiers[c.position] >= best_tier)
        and (
            c.prominence >= best.prominence - PROMINENCE_GAP
            or not settled
            or core.tiers[c.position] < best_tier
            or c.name_score > best.name_score + PROMINENCE_NAME_SLACK
            or _home_twin(core, best, c)
        )
        and not _related(core, best.position, c.position)
    ]


def _home_twin(core: Core, best: Candidate, other: Candidate) -> bool:
    """Two villages of Deir ez-Zor bearing the name about equally well, ``TWIN_KM`` or more apart.

    However much better known one of them is (on the OCHA list, the other known to one source),
    a report naming a village of Deir ez-Zor may mean either: without context the string stays
    unresolved and both are offered, rather than confidently placing it in the wrong village.
    A city or a town still wins over a village of its name, and so does the better-known village
    when the two are written differently in Arabic (الشحيل and شهيل are both "Shahil" in Latin
    letters, but not one name).
    """
    places = core.places
    a, b = places[best.position], places[other.position]
    return (
        core.tiers[best.position] == 0
        and core.tiers[other.position] == 0
        and a.kind not in SETTLED_ANYWHERE
        and b.kind not in ADMIN_KINDS
        and other.name_score >= best.name_score - TWIN_NAME
        and _same_arabic_name(a, b)
        and core.distance_km(best.position, other.position) > TWIN_KM
    )


def _same_arabic_name(a: Place, b: Place) -> bool:
    """True unless both places have an Arabic name and the two differ (article and spelling of ة aside)."""
    if not a.name_ar or not b.name_ar:
        return True
    return name_keys(a.name_ar).skeleton == name_keys(b.name_ar).skeleton


def _prefer_populated(core: Core, best: Candidate, candidates: list[Candidate]) -> Candidate:
    """A town inside an admin unit of the same name answers a plain name better than the unit."""
    if core.places[best.position].kind not in ADMIN_KINDS:
        return best
    for candidate in candidates:
        if (
            candidate.score >= best.score - 0.1
            and core.places[candidate.position].kind in POPULATED_KINDS
            and core.contains(best.position, candidate.position)
            and candidate.name_score >= 0.75
        ):
            return candidate
    return best


def _in_context(core: Core, position: int, context: Context | None) -> bool:
    """True when the context (the rest of the query, ``--context``, a report's other places) points
    at this place: it lies in an admin unit named there or near a town named there."""
    if context is None or (context.empty and not context.regions):
        return False
    place = core.places[position]
    if (context.admin | context.regions).intersection((place.id, place.admin1, place.admin2, place.admin3)):
        return True
    return any(haversine_km(lat, lon, place.lat, place.lon) <= radius for lat, lon, radius in context.points)


def _home_first(core: Core, candidates: list[Candidate], context: Context | None) -> list[Candidate]:
    """Deir ez-Zor first: drop the namesakes elsewhere that a Deir ez-Zor candidate matches about as well.

    Only a Deir ez-Zor candidate whose name matches well (``HOME_NAME``: the name, not a loose
    spelling) pushes namesakes aside; one that does not is left to compete, and a tie leaves the
    string unresolved with both offered. A place outside the governorate stays when its name matches
    clearly better (``NAMESAKE_SLACK``), when it is a city, a town or an admin unit, or when the
    context points at it.
    """
    tiers = core.tiers
    home = [
        c.name_score for c in candidates if tiers[c.position] == 0 and c.score >= THRESHOLD and c.name_score >= HOME_NAME
    ]
    if not home or all(tiers[c.position] == 0 for c in candidates):
        return candidates
    floor = max(home) + NAMESAKE_SLACK
    return [
        c
        for c in candidates
        if tiers[c.position] == 0
        or c.name_score > floor
        or core.places[c.position].kind in SETTLED_ANYWHERE
        or _in_context(core, c.position, context)
    ]


def _far_guess(core: Core, chosen: Candidate, context: Context | None) -> bool:
    """A village far from Deir ez-Zor that nothing in the context points at: offered, never matched."""
    position = chosen.position
    return (
        core.far[position]
        and core.places[position].kind not in SETTLED_ANYWHERE
        and not _in_context(core, position, context)
    )


def decide(core: Core, candidates: list[Candidate], context: Context | None = None) -> tuple[Candidate | None, bool]:
    """Pick the confident match among sorted candidates.

    Parameters
    ----------
    core : Core
        The gazetteer.
    candidates : list of Candidate
        Sorted best first (``rank_name``).
    context : Context, optional
        What the rest of the query or the text says: a far place it points at may be matched.

    Returns
    -------
    (Candidate or None, bool)
        The match (``None`` below threshold, when rivals remain, or when only a far namesake
        matches) and whether a tie was broken by the Deir ez-Zor preference.
    """
    if not candidates or candidates[0].score < THRESHOLD:
        return None, False
    candidates = _home_first(core, candidates, context)
    best = _prefer_populated(core, candidates[0], candidates[1:])
    rivals = _rivals(core, best, [c for c in candidates if c is not best])
    if not rivals:
        return (None, False) if _far_guess(core, best, context) else (best, False)
    # "otherwise tied": Deir ez-Zor (then its neighbours) settles a tie only between candidates
    # whose names match about as well as the best-matching one
    group = [best, *rivals]
    best_name = max(c.name_score for c in group)
    eligible = [c for c in group if c.name_score >= best_name - NAME_TIE]
    top_tier = min(core.tiers[c.position] for c in eligible)
    chosen = next(c for c in group if c in eligible and core.tiers[c.position] == top_tier)
    contenders = [c for c in group if c is not chosen and core.tiers[c.position] <= top_tier]
    if all(_related(core, chosen.position, c.position) for c in contenders) and not _far_guess(core, chosen, context):
        return (chosen, True) if chosen.score * TIE_FACTOR >= THRESHOLD else (None, False)
    return None, False


# --------------------------------------------------------------------------------------------
# Context and areas
# --------------------------------------------------------------------------------------------

_RADIUS_KM = {"city": 30.0, "town": 20.0, "village": 12.0, "neighbourhood": 8.0, "camp": 10.0, "site": 10.0}


def _add_to_context(core: Core, context: Context, candidate: Candidate, area_level: bool) -> None:
    place = core.places[candidate.position]
    context.regions.update(r for r in (place.admin1, place.id if place.kind == "governorate" else None) if r)
    if place.kind in ADMIN_KINDS:
        context.admin.add(place.id)
    else:
        context.points.append((place.lat, place.lon, _RADIUS_KM.get(place.kind, 12.0)))
        if area_level and place.admin1:
            context.admin.add(place.admin1)
    if context.fallback is None or _more_specific(core, candidate, context.fallback):
        context.fallback = candidate


def _more_specific(core: Core, a: Candidate, b: Candidate) -> bool:
    order = ["site", "camp", "neighbourhood", "village", "town", "city", "subdistrict", "district", "governorate"]
    rank = {kind: i for i, kind in enumerate(order)}
    return rank.get(core.places[a.position].kind, 3) < rank.get(core.places[b.position].kind, 3)


def build_context(core: Core, parts: list[str]) -> Context:
    """Resolve the containing parts of a query (and the ``context`` argument) into constraints.

    Parts are looked up without the fuzzy stage: a context read by a guess would mislead the target.
    """
    context = Context()
    for part in parts:
        area = parse_area(part)
        if area is not None and not _exact_admin_name(core, part):
            unit = resolve_area(core, area, Context())
            if unit is not None:
                _add_to_context(core, context, unit, area_level=True)
            continue
        candidates = rank_name(core, [(part, 1.0)], Context(), fuzzy=False)
        match, _ = decide(core, candidates)
        if match is not None:
            _add_to_context(core, context, match, area_level=False)
    return context


def _exact_admin_name(core: Core, text: str) -> bool:
    """True when the whole phrase is itself an admin unit's name (ريف دمشق is a governorate)."""
    full = normalise(text)
    return any(core.places[e.place].kind in ADMIN_KINDS for e in core.index.full_entries(full))


def resolve_area(core: Core, area: Area, context: Context) -> Candidate | None:
    """The admin unit meant by a countryside/direction phrase ("ريف البوكمال" → Abu Kamal district).

    The largest admin unit named like the area and containing the named town wins: the
    countryside of a governorate capital is the governorate, of a district seat the district,
    of any other village its sub-district.
    """
    candidates = rank_name(core, [(area.name, 1.0)], context, hint=None)
    best, _ = decide(core, candidates)
    if best is None:
        return None
    place = core.places[best.position]
    if place.kind in ADMIN_KINDS:
        return _largest_namesake(core, best, candidates)
    units = [c for c in candidates if c.score >= best.score - 0.15 and core.contains(c.position, best.position)]
    if units:
        return _largest_namesake(core, units[0], units)
    unit = core.by_id.get(place.admin3 or place.admin2 or place.admin1 or "")
    return Candidate(unit, best.score * 0.9, best.name_score, 0.9) if unit is not None else None


def _largest_namesake(core: Core, best: Candidate, candidates: list[Candidate]) -> Candidate:
    order = {"governorate": 0, "district": 1, "subdistrict": 2}
    units = [c for c in candidates if core.places[c.position].kind in ADMIN_KINDS and c.score >= best.score - 0.15]
    units = [c for c in units if c.position == best.position or _related(core, c.position, best.position)]
    units.sort(key=lambda c: (order[core.places[c.position].kind], -c.score))
    return units[0] if units else best


# --------------------------------------------------------------------------------------------
# Geocoding
# --------------------------------------------------------------------------------------------


def _matches(core: Core, candidates: list[Candidate]) -> list[PlaceMatch]:
    """The candidates worth showing: at most ``MAX_CANDIDATES``, none far below the best."""
    if not candidates:
        return []
    floor = max(CANDIDATE_FLOOR, candidates[0].score - CANDIDATE_SPREAD)
    return [core.match(c.position, c.score) for c in candidates[:MAX_CANDIDATES] if c.score >= floor]


def _context_parts(context: str | None) -> list[str]:
    if not context or not context.strip():
        return []
    parsed = parse_query(context)
    return [p for p in (parsed.target, *parsed.containers) if p]


def _fallback(core: Core, context: Context, target: str = "") -> PlaceMatch | None:
    """The most specific containing place, when the target itself is not found.

    Its precision says what it stands for: an admin unit's level; ``neighbourhood`` for a place
    inside a town or for a town standing for a neighbourhood, site or camp of it the gazetteer
    lacks ("حي الثورة، الميادين"); otherwise ``village``.
    """
    if context.fallback is None:
        return None
    fallback = context.fallback
    score = min(fallback.score, 0.9) * FALLBACK_FACTOR
    place = core.places[fallback.position]
    precision = place.kind if place.kind in ADMIN_KINDS else "village"
    inside = kind_hint(target) in {"neighbourhood", "site", "camp"}
    if place.kind in {"neighbourhood", "site", "camp"} or (inside and place.kind in POPULATED_KINDS):
        precision = "neighbourhood"
    return core.match(fallback.position, score, precision)


def geocode(core: Core, text: str, context: str | None = None, depth: int = 0) -> GeocodeResult:
    """Geocode one place string.

    The string is tidied and read for qualifiers (``geodata.phrases``): a spot inside a place, a
    site named after one, "near X", "N km east of X", "X and Y", "between X and Y", "X or Y". The
    place texts are resolved, and the answer is the most specific place the qualifier allows,
    with the precision it allows.

    Parameters
    ----------
    core : Core
        The gazetteer.
    text : str
        A name or compound string ("قرية البقعان بريف دير الزور الشرقي", "Al Soussa: Al Boubadran").
    context : str, optional
        Extra location context: a town, district or governorate name.
    depth : int
        Nesting of qualified phrases (a place text of a phrase is geocoded again, at most twice).

    Returns
    -------
    GeocodeResult
        ``match`` is ``None`` unless one answer is confident; ``candidates`` lists the others.
    """
    tidied = tidy(text)
    if depth < MAX_PHRASE_DEPTH and tidied:
        phrase = read_phrase(tidied)
        if phrase.kind != "plain" and not _is_a_name(core, tidied):
            return _resolve_phrase(core, text, phrase, context, depth)
    return _geocode_compound(core, text, tidied, context)


def _resolve_phrase(core: Core, query: str, phrase: Phrase, context: str | None, depth: int) -> GeocodeResult:
    """Resolve the place texts of a qualified phrase and apply what its qualifier allows."""
    if phrase.kind == "site":
        whole = _geocode_compound(core, query, tidy(query), context)
        if whole.match is not None and whole.match.kind in ("site", "camp"):
            return whole  # a known site ("Deir ez-Zor military airport") rather than its town
    results = [geocode(core, place, context, depth + 1) for place in phrase.places]
    if phrase.kind in ("pair", "either"):
        return _pair(core, query, phrase, results)
    if not results:
        return GeocodeResult(query=query, match=None, candidates=[])
    result = results[0]
    if phrase.kind == "distance" and (phrase.km or 0.0) > NEAR_ENOUGH_KM:
        # the place is that far from the named one: offered, not matched
        return GeocodeResult(query=query, match=None, candidates=_coarse_candidates(result, "subdistrict"))
    precision = phrase.precision
    if phrase.kind == "distance":
        precision = "village" if (phrase.km or 0.0) <= 1.0 else "subdistrict"
    found = result.match
    if found is not None and phrase.strict and found.score < STRICT_SCORE:
        found = None
    # a site or spot of the place is not located itself: as certain as a containing place (_fallback)
    factor = FALLBACK_FACTOR if phrase.kind in ("site", "inside") else QUALIFIED_FACTOR
    match = _qualify(core, found, precision, factor) if found else None
    candidates = [match, *[c for c in result.candidates if match is None or c.id != match.id]] if match else result.candidates
    return GeocodeResult(query=query, match=match, candidates=candidates[:MAX_CANDIDATES])


def _pair(core: Core, query: str, phrase: Phrase, results: list[GeocodeResult]) -> GeocodeResult:
    """"X and Y", "between X and Y", "X or Y": the first place found, with the precision of the pair's area.

    Both found and within ``SAME_PLACE_KM``: the first, at its own precision; within ``PAIR_KM``:
    the first, at sub-district precision (the area between them); farther apart: no match, both
    offered. Only one found: that one (at sub-district precision for a pair, whose other place is
    unknown).
    """
    matches = [r.match for r in results if r.match is not None]
    seen: set[str] = set()
    candidates: list[PlaceMatch] = []
    for result in results:
        for candidate in [result.match] if result.match else result.candidates[:3]:
            if candidate is not None and candidate.id not in seen:
                seen.add(candidate.id)
                candidates.append(candidate)
    if not matches:
        return GeocodeResult(query=query, match=None, candidates=candidates[:MAX_CANDIDATES])
    first = matches[0]
    if len(matches) == 1:
        precision = None if phrase.kind == "either" else "subdistrict"
    else:
        apart = haversine_km(first.lat, first.lon, matches[1].lat, matches[1].lon)
        if apart > PAIR_KM:
            return GeocodeResult(query=query, match=None, candidates=candidates[:MAX_CANDIDATES])
        precision = None if apart <= SAME_PLACE_KM else "subdistrict"
    match = _qualify(core, first, precision, QUALIFIED_FACTOR)
    return GeocodeResult(query=query, match=match, candidates=[match, *[c for c in candidates if c.id != match.id]][:MAX_CANDIDATES])


def _qualify(core: Core, match: PlaceMatch, precision: str | None, factor: float = 1.0) -> PlaceMatch:
    """The match with the precision a qualifier allows.

    ``neighbourhood`` (a spot inside the place) refines a populated place's precision, as the
    place named is certain and the spot lies in it; any other qualifier can only make a match
    coarser (``near X`` is not X).
    """
    if precision is None:
        new = match.precision
    elif precision == "neighbourhood":
        new = "neighbourhood" if match.precision in ("village", "neighbourhood") else match.precision
    else:
        new = max(match.precision, precision, key=PRECISIONS.index)
    return replace(match, precision=new, score=round(match.score * factor, 3))


def _coarse_candidates(result: GeocodeResult, precision: str) -> list[PlaceMatch]:
    found = [result.match] if result.match else []
    found += [c for c in result.candidates if not found or c.id != found[0].id]
    return [replace(c, precision=max(c.precision, precision, key=PRECISIONS.index)) for c in found][:MAX_CANDIDATES]


def _geocode_compound(core: Core, query: str, text: str, context: str | None) -> GeocodeResult:
    """Geocode a (tidied) compound string: target, alternatives, containers (``parse_query``)."""
    parsed = parse_query(text)
    if (parsed.containers or parsed.alternatives or parsed.bracketed) and _is_a_name(core, text):
        parsed = ParsedQuery(target=text.strip())
    ctx = build_context(core, [*parsed.containers, *_context_parts(context)])
    if not normalise(parsed.target):
        fallback = _fallback(core, ctx)
        return GeocodeResult(query=query, match=fallback, candidates=[fallback] if fallback else [])
    if parsed.area is not None and not _exact_admin_name(core, parsed.target):
        unit = resolve_area(core, parsed.area, ctx)
        if unit is not None:
            match = core.match(unit.position, unit.score * 0.95)
            return GeocodeResult(query=query, match=match, candidates=[match])
    texts = [(parsed.target, 1.0), *[(a, ALTERNATIVE_PENALTY) for a in parsed.alternatives]]
    result = _resolve_texts(core, query, texts, _with_brackets(core, ctx, parsed.bracketed))
    if result.match is None and parsed.bracketed:
        texts += [(b, ALTERNATIVE_PENALTY) for b in parsed.bracketed]
        result = _resolve_texts(core, query, texts, ctx)
    if result.match is None and ctx.fallback is None:
        town = _town_of_neighbourhood(core, parsed.target)
        if town is not None:
            return GeocodeResult(query=query, match=town, candidates=[town, *result.candidates][:MAX_CANDIDATES])
    if result.match is None:
        fallback = _fallback(core, ctx, parsed.target)
        candidates = [fallback, *result.candidates] if fallback else result.candidates
        return GeocodeResult(query=query, match=fallback, candidates=candidates[:MAX_CANDIDATES])
    return result


def _town_of_neighbourhood(core: Core, target: str) -> PlaceMatch | None:
    """"حي العمال", "al-Huweika neighbourhood": a neighbourhood a cited source names without coordinates
    (``Core.neighbourhoods``) gives its town at neighbourhood precision, when the string says it is a
    neighbourhood and names no town."""
    keys = name_keys(target)
    if keys.hint != "neighbourhood":
        return None
    town = core.neighbourhoods.get(keys.base)
    return core.match(town, NEIGHBOURHOOD_TOWN_SCORE, "neighbourhood") if town is not None else None


def _is_a_name(core: Core, text: str) -> bool:
    """A place whose name reads like a compound string ("Ḩimş - Ḩamāh", a village of Deir ez-Zor):
    written as the gazetteer writes it, punctuation included, it is that name, not two places."""
    written = " ".join(fold_latin(fold_arabic(text)).split())
    return any(" ".join(fold_latin(fold_arabic(e.name)).split()) == written for e in core.index.full_entries(normalise(text)))


def _with_brackets(core: Core, context: Context, bracketed: tuple[str, ...]) -> Context:
    """Bracketed text naming a known place ("Hurriyeh (Abu Kamal)") adds to the context."""
    if not bracketed:
        return context
    extra = build_context(core, list(bracketed))
    return Context(
        admin=context.admin | extra.admin, points=context.points + extra.points, fallback=context.fallback,
        regions=context.regions | extra.regions,
    )


def _resolve_texts(core: Core, query: str, texts: list[tuple[str, float]], context: Context) -> GeocodeResult:
    candidates = rank_name(core, texts, context)
    best, tie_broken = decide(core, candidates, context)
    if best is None:
        return GeocodeResult(query=query, match=None, candidates=_matches(core, candidates))
    match = core.match(best.position, best.score * (TIE_FACTOR if tie_broken else 1.0))
    ordered = [best, *[c for c in candidates if c is not best]]
    return GeocodeResult(query=query, match=match, candidates=_matches(core, ordered))


def is_populated(place: Place) -> bool:
    """True for cities, towns and villages."""
    return place.kind in POPULATED_KINDS


def script(text: str) -> str:
    """Script of a query (re-exported for callers that branch on it)."""
    return script_of(text)
