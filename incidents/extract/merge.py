"""Merging a report's drafts into one draft per incident.

Reports repeat themselves: a headline, a lede and the detail name the same strike, often with the same toll.
Drafts are merged when they are about the same place (or the same group of places) and nothing they say
conflicts: compatible event types, dates that overlap, figures that agree (equal, one a hedge of the other
— 11 and "at least 11" — or one without a number). Different figures for one incident are only joined
when they are the same number; otherwise the drafts stay apart (two strikes on one town, days apart).

While the sentences are read, :func:`follow_up` links a sentence to the one before it: a claim or a sentence
referring back to "the strike" completes the last incident (its actor; figures that agree, or another source's
lower figure as a range), a sentence about "the town" with no other actor adds to the incident just told there,
and a sentence whose event refers back takes the actor of a siteless sentence right before it (U.S. jets struck a
depot in eastern Syria. The strike near Mayadeen killed nine). A draft telling of "another" strike is never
merged with one told before it, and cumulative counts (منذ، وبذلك، since, total) stay at area level.

Then orphan figures (a sentence with a toll but no site) complete the one draft stating the same number,
and drafts that only name an area (``ريف دير الزور``, the governorate) are folded into a compatible draft
about a named place, moved to the report's only named place when it has one, or kept at area precision
when they carry a toll.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from incidents.extract.assemble import Orphan, Reading
from incidents.extract.draft import Draft, Toll
from incidents.extract.places import same_site

_OUTCOMES = ("killed", "injured", "combined")
#: Returned when a draft without figures fits several incidents of its place: it adds nothing to any of them.
_AMBIGUOUS = Draft(places=[], coarse=True, quote=(0, 0), order=-1)
_CERTAINTY_ORDER = {"stated": 0, "suspected": 1, "contested": 2}


def merge_drafts(drafts: list[Draft], orphans: list[Orphan]) -> list[Draft]:
    """Return one draft per incident of the report, in text order.

    Parameters
    ----------
    drafts : list of Draft
        Sentence drafts, in text order.
    orphans : list of Orphan
        Figures of sentences without a site.

    Returns
    -------
    list of Draft
        Merged drafts.
    """
    specific = _merge_specific([d for d in drafts if not d.coarse])
    for orphan in orphans:
        _place_orphan(orphan, specific)
    coarse = _merge_all([d for d in drafts if d.coarse and d.has_figures], same_place=False)
    result = list(specific)
    for draft in coarse:
        _place_coarse(draft, specific, result)
    return sorted(result, key=lambda d: d.order)


def _merge_specific(drafts: list[Draft]) -> list[Draft]:
    """Merge drafts with figures first; then attach each draft without figures to the one incident it fits
    (it is dropped when it fits several incidents with different figures, and kept when it fits none)."""
    merged = _merge_all([d for d in drafts if d.has_figures])
    leftovers: list[Draft] = []
    for draft in (d for d in drafts if not d.has_figures):
        target = _best_target(draft, [m for m in merged if same_site(m.key, draft.key)])
        if target is None:
            leftovers.append(draft)
        elif target is not _AMBIGUOUS:
            absorb(target, draft)
    return merged + _merge_all(leftovers)


def _merge_all(drafts: list[Draft], same_place: bool = True) -> list[Draft]:
    merged: list[Draft] = []
    for draft in drafts:
        target = _best_target(draft, [m for m in merged if not same_place or same_site(m.key, draft.key)])
        if target is None:
            merged.append(draft)
        elif target is not _AMBIGUOUS:
            absorb(target, draft)
    return merged


def _best_target(draft: Draft, pool: list[Draft]) -> Draft | None:
    compatible = [m for m in pool if compatible_drafts(m, draft)]
    if not compatible:
        return None
    same_number = [m for m in compatible if _same_number(m.killed, draft.killed)]
    if same_number:
        return same_number[0]
    if draft.has_figures:
        with_figures = [m for m in compatible if m.has_figures]
        compatible = with_figures + [m for m in compatible if not m.has_figures]
    if len(compatible) > 1 and len({_toll_key(m) for m in compatible}) > 1 and not draft.has_figures:
        return _AMBIGUOUS
    return compatible[0]


def _toll_key(draft: Draft) -> tuple[object, ...]:
    return tuple((t.low, t.high) if t is not None else None for t in (draft.killed, draft.injured, draft.combined))


def _same_number(a: Toll | None, b: Toll | None) -> bool:
    return a is not None and b is not None and a.counted and b.counted and a.low == b.low and a.low is not None


# -- compatibility ----------------------------------------------------------------------------------------


def compatible_drafts(a: Draft, b: Draft) -> bool:
    """Tell whether two drafts can be one incident (place identity is checked by the caller)."""
    if any(x.another and (y.quote[0], y.order) < (x.quote[0], x.order) for x, y in ((a, b), (b, a))):
        return False  # "a second strike", "غارة أخرى": not the one told before it
    return _actors_agree(a, b) and _events_agree(a, b) and _dates_agree(a, b) and all(
        _tolls_agree(getattr(a, o), getattr(b, o)) for o in _OUTCOMES) and _killed_within(a, b)


def _actors_agree(a: Draft, b: Draft) -> bool:
    return a.actor is None or b.actor is None or a.actor == b.actor


def _events_agree(a: Draft, b: Draft) -> bool:
    if a.event is None or b.event is None or a.event == b.event or a.event_weak or b.event_weak:
        return True
    return a.event in b.event_types or b.event in a.event_types


def _dates_agree(a: Draft, b: Draft) -> bool:
    if not isinstance(a.date_start, date) or not isinstance(b.date_start, date):
        return True
    a_end = a.date_end if isinstance(a.date_end, date) else a.date_start
    b_end = b.date_end if isinstance(b.date_end, date) else b.date_start
    if _buried_after(a, a.date_start, b, b.date_start) or _buried_after(b, b.date_start, a, a.date_start):
        return True
    return a.date_start <= b_end and b.date_start <= a_end


def _buried_after(death: Draft, died: date, burial: Draft, buried: date) -> bool:
    """A funeral told after a death at its place is held on the day of the death or after it."""
    return burial.funeral and not death.funeral and death.order < burial.order and died <= buried


def _tolls_agree(a: Toll | None, b: Toll | None) -> bool:
    if a is None or b is None or not a.counted or not b.counted:
        return True
    if a.low == b.low and a.high == b.high:
        return True
    if a.kind == "vague" or b.kind == "vague":
        vague, other = (a, b) if a.kind == "vague" else (b, a)
        value = other.low if other.low is not None else other.high
        return value is not None and (vague.low or 0) <= value <= (vague.high or value)
    return a.low is not None and a.low == b.low


def _killed_within(a: Draft, b: Draft) -> bool:
    """Deaths stated in one draft cannot exceed a combined "killed and injured" total of the other."""
    for x, y in ((a, b), (b, a)):
        if x.killed is not None and y.combined is not None and x.killed.low is not None \
                and y.combined.high is not None and y.combined.kind != "vague" and x.killed.low > y.combined.high:
            return False
    return True


# -- absorbing --------------------------------------------------------------------------------------------


def absorb(target: Draft, other: Draft) -> None:
    """Merge ``other`` into ``target`` (target keeps its places and, unless it has no figures, its quote)."""
    if not other.coarse and other.evidence > target.evidence:
        target.quote, target.evidence = other.quote, other.evidence
        target.spans["quote"] = [other.quote]
        if other.attribution:
            target.attribution = other.attribution
            target.spans["attribution"] = list(other.spans.get("attribution", []))
    for outcome in _OUTCOMES:
        setattr(target, outcome, merge_tolls(getattr(target, outcome), getattr(other, outcome)))
    target.civilians = _merge_civilians(target.civilians, other.civilians)
    target.children = target.children if target.children is not None else other.children
    target.women = target.women if target.women is not None else other.women
    target.children_mentioned |= other.children_mentioned
    target.women_mentioned |= other.women_mentioned
    _merge_event(target, other)
    _merge_actor(target, other)
    _merge_date(target, other)
    target.attribution = target.attribution or other.attribution
    for name, spans in other.spans.items():
        if name in ("quote", "attribution"):
            continue
        for span in spans:
            target.add_span(name, span)
    target.notes.extend(n for n in other.notes if n not in target.notes)


def merge_tolls(a: Toll | None, b: Toll | None) -> Toll | None:
    """Join two statements of one figure: the precise one over a vague one, else the range covering both."""
    if a is None or b is None:
        return a or b
    if not b.counted or (b.kind == "vague" and a.counted and a.kind != "vague"):
        return a
    if not a.counted or (a.kind == "vague" and b.kind != "vague"):
        return b
    if a.low == b.low and a.high == b.high:
        return a
    if _bounds_join(a, b):
        return Toll(a.low if a.low is not None else b.low, a.high if a.high is not None else b.high, "range")
    low = min(x for x in (a.low, b.low) if x is not None) if a.low is not None and b.low is not None else None
    high = None if a.high is None or b.high is None else max(a.high, b.high)
    kind = "range" if high is not None and low != high else ("at_least" if high is None else "exact")
    return Toll(low, high, kind)


def _merge_civilians(a: str | None, b: str | None) -> str | None:
    if a is None or b is None or a == b:
        return a or b
    return "mixed"


def _merge_event(target: Draft, other: Draft) -> None:
    if other.event is not None and (target.event is None or (target.event_weak and not other.event_weak)):
        target.event, target.event_weak = other.event, other.event_weak
    target.event_types |= other.event_types


def _merge_actor(target: Draft, other: Draft) -> None:
    if other.actor is None:
        return
    if target.actor is None:
        target.actor = other.actor
        target.certainty = other.certainty
        return
    if other.actor != target.actor:
        target.actor_alternatives.add(other.actor)
        target.certainty = "contested"
        note = "sources in the text name different actors"
        if note not in target.notes:
            target.notes.append(note)
    elif _CERTAINTY_ORDER[other.certainty] > _CERTAINTY_ORDER[target.certainty]:
        target.certainty = other.certainty
    target.actor_alternatives |= other.actor_alternatives


def _merge_date(target: Draft, other: Draft) -> None:
    if not isinstance(other.date_start, date) or (other.funeral and isinstance(target.date_start, date)):
        target.date_seen |= other.date_seen
        target.day_month = target.day_month or other.day_month
        return
    if not isinstance(target.date_start, date):
        target.date_start, target.date_end, target.date_precision = other.date_start, other.date_end, \
            other.date_precision
        return
    target_days = _days(target)
    if _days(other) < target_days:
        target.date_start, target.date_end, target.date_precision = other.date_start, other.date_end, \
            other.date_precision


def _days(draft: Draft) -> int:
    if not isinstance(draft.date_start, date):
        return 10**6
    end = draft.date_end if isinstance(draft.date_end, date) else draft.date_start
    return (end - draft.date_start).days


# -- sentences that continue the previous one -------------------------------------------------------------


def follow_up(part: Reading, drafts: list[Draft], context: Draft | None, just_before: Sequence[Draft] = (),
              contexts: Sequence[Draft] = ()) -> None:
    """Link a sentence to the one before it when it refers back to its event.

    * A sentence without a site that refers back to an event or claims it (``وتبنى التنظيم التفجير``, died in
      the raids) completes the last draft: the actor it names, a precise event type, figures that agree; not when
      it is dated last month or last year (``مسؤولية الخلية عن اغتيال ... العام الماضي``: an earlier incident).
    * A sentence with a site whose event word refers back (the strike near Mayadeen killed nine), right after a
      violent sentence without a site (U.S. jets struck a depot in eastern Syria), takes that sentence's actor
      and event type when it names none.
    * A sentence referring back to events of a kind told earlier (In the latest killings, ...) takes the actor
      of that kind when the report names only one.
    * A sentence naming no actor that tells of the same kind of event as the sentence right before it
      (``شنت طائرات التحالف غارات على ريف دير الزور. وقتل سبعة مدنيين بغارة على بلدة هجين``, Russian jets pounded
      the area. Airstrikes killed six in al-Mayadin) takes that sentence's actor, when it names one only.
    """
    later = part.context
    if later is not None and later.separate:
        return
    if later is not None and later.breakdown_only:
        _share_of_the_dead(part, drafts, later)
        return
    if later is not None:
        _siteless_sentence(part, drafts, later)
    if drafts:
        _elaborations(part, drafts[-1])
    for draft in part.drafts:
        if not draft.separate:
            _actor_from_before(draft, drafts, context, just_before, contexts)


def _siteless_sentence(part: Reading, drafts: list[Draft], later: Draft) -> None:
    """A violent sentence without a site: another strike at the last site, or more of the last incident."""
    if later.another and not later.recalled and later.event is not None and not later.claimed \
            and any(not d.coarse for d in drafts):
        if not later.unknown_place:  # "a second strike on nearby X" (X unknown): not the last site, not its toll
            _another_at_last_site(part, drafts, later)  # "أما الغارة الثالثة فاستهدفت ...": a new strike there
    elif drafts and (later.definite or later.claimed) and not later.recalled:
        target = _join_pair(drafts) if later.both else drafts[-1]
        _continue(target, later, claimed=later.claimed, figures=not later.cumulative)


def _actor_from_before(draft: Draft, drafts: list[Draft], context: Draft | None, just_before: Sequence[Draft],
                       contexts: Sequence[Draft]) -> None:
    """The actor of a draft that names none, from the sentences before it (see :func:`follow_up`)."""
    if draft.actor is None and not draft.definite:
        _same_kind_actor(draft, [context] if context is not None else just_before)
    if not draft.definite or draft.actor is not None:
        return
    if context is not None and context.actor is not None:
        _continue(draft, context, claimed=False, forward=True)
    elif drafts and drafts[-1].actor is not None and (draft.event_weak or draft.event == drafts[-1].event):
        _continue(draft, drafts[-1], claimed=False, forward=True, figures=False)  # "كما طال القصف بلدة موحسن"
    else:
        _earlier_of_the_kind(draft, [*contexts, *drafts])


#: Kinds of violence that kill: a title naming one of them with its perpetrator may name the perpetrator of the
#: body's incidents of that kind (not an arrest, an abduction, or violence of no stated kind).
_KILLING_KINDS = frozenset({"air_strike", "shelling", "attack", "armed_clash", "remote_explosive", "suicide_bomb"})


def title_actor(drafts: Sequence[Draft], title: Reading) -> None:
    """A title line that names one perpetrator and one killing kind of violence (Coalition strikes kill civilians in
    eastern Syria, ``طيران التحالف يقصف ريف دير الزور``) names the perpetrator of the incidents the body tells of that
    same kind, stated in their own sentence, without naming one (noted). Incidents of no stated kind, of another
    kind, or told as separate (In a separate incident, ``في سياق آخر``) take nothing from the title; the title never
    sets an event type."""
    told = [*title.drafts, *([title.context] if title.context is not None else [])]
    actors = {d.actor for d in told if d.actor is not None and d.actor != "unknown"}
    if len(actors) != 1 or any(d.several_actors for d in told):
        return
    kinds = {k for d in told for k in (d.event, *d.event_types)} - {None, "other"}
    if len(kinds) != 1 or not kinds <= _KILLING_KINDS:  # "15 قتيلا بقصف جوي وتصفيات للنظام": whose is which?
        return
    source = next(d for d in told if d.actor in actors)
    for draft in drafts:
        if draft.actor is None and draft not in told and not draft.recalled and not draft.separate \
                and not draft.event_weak and draft.event in kinds:
            _continue(draft, source, claimed=False, forward=True, figures=False)
            draft.notes.append("actor: named in the report's title")


def _earlier_of_the_kind(draft: Draft, drafts: list[Draft]) -> None:
    """"In the latest killings, fighters beheaded 30 men": a sentence referring back to events of a kind told
    earlier takes the actor of the last such event, when the report names only one actor for that kind."""
    if draft.event is None or draft.event_weak or draft.another:
        return
    same = sorted((d for d in drafts if d.event == draft.event and d.actor is not None and d.actor != "unknown"),
                  key=lambda d: d.quote[0])
    if same and len({d.actor for d in same}) == 1 and not any(d.several_actors for d in same):
        _continue(draft, same[-1], claimed=False, forward=True, figures=False)
        draft.notes.append("actor: named for the same kind of event earlier in the report")


def _another_at_last_site(part: Reading, drafts: list[Draft], later: Draft) -> None:
    """A sentence without a site telling of another strike (``أما الغارة الثالثة فاستهدفت ...``, a third strike
    killed two): a new incident at the place of the last one told."""
    site = next(d for d in reversed(drafts) if not d.coarse)
    later.places, later.coarse = list(site.places), False
    later.spans["place_text"] = list(site.spans.get("place_text", []))
    later.notes.append("place: the site of the strike told before")
    part.drafts.append(later)
    part.orphans.clear()


def _join_pair(drafts: list[Draft]) -> Draft:
    """"وأسفرت الغارتان عن ...", both strikes killed ...: the second strike told before joins the first (one toll
    for both) and the joined draft is returned; else the last draft."""
    last = drafts[-1]
    if not last.another:
        return last
    first = next((d for d in reversed(drafts[:-1]) if same_site(d.key, last.key) and not d.has_figures), None)
    if first is None or last.has_figures:
        return last
    absorb(first, last)
    drafts.remove(last)
    first.notes.append("one toll for two strikes told apart")
    return first


def _share_of_the_dead(part: Reading, drafts: list[Draft], share: Draft) -> None:
    """"Among the dead were seven children", ``وبين القتلى أربع نساء``, in a sentence of its own: the children and
    women among the dead of the incident just told (when it has a toll they fit in and no such numbers yet)."""
    part.drafts[:] = [d for d in part.drafts if not d.breakdown_only]
    target = drafts[-1] if drafts else None
    if target is None or target.killed is None or target.children is not None or target.women is not None:
        return
    bound = target.killed.low if target.killed.low is not None else target.killed.high  # "up to 15"
    if bound is None or (share.children or 0) + (share.women or 0) > bound:
        return
    target.children, target.women = share.children, share.women
    target.children_mentioned |= share.children_mentioned
    target.women_mentioned |= share.women_mentioned
    for name in ("children_killed", "women_killed", "sentences"):
        for span in share.spans.get(name, []):
            target.add_span(name, span)


#: Events told as one side's campaign (air strikes, shelling): a sentence goes on with the actor before it. A
#: shooting or a bomb told next may be anyone's.
_CAMPAIGNS = frozenset({"air_strike", "shelling"})


def _same_kind_actor(draft: Draft, before: Sequence[Draft]) -> None:
    """Give ``draft`` the one actor of the sentence right before it when both tell of the same kind of event."""
    actors = {d.actor for d in before if d.actor is not None}
    if len(actors) != 1 or "unknown" in actors or draft.event not in _CAMPAIGNS or any(d.several_actors
                                                                                      for d in before):
        return
    source = next(d for d in before if d.actor is not None)
    if source.event == draft.event or (draft.event_weak and draft.event in source.event_types):
        _continue(draft, source, claimed=False, forward=True, figures=False)
        draft.notes.append("actor: named in the sentence before")
        if draft.date_start is None and not draft.date_seen and isinstance(source.date_start, date):
            draft.date_start, draft.date_end, draft.date_precision = source.date_start, source.date_end, \
                source.date_precision
            for span in source.spans.get("date_start", []):
                draft.add_span("date_start", span)


def _elaborations(part: Reading, previous: Draft) -> None:
    """A sentence about "the town" that names no other actor tells more of the incident just reported there
    (``... إنزال جوي في بلدة الصور`` then ``المروحيات حطت في أطراف البلدة ... ما أدى إلى مقتل شاب``)."""
    for draft in list(part.drafts):
        if draft.places and all(m.anaphor for m in draft.places) and draft.key == previous.key and not draft.another \
                and not draft.separate and draft.actor in (None, previous.actor) and _same_operation(previous, draft) \
                and all(
                    _tolls_agree(getattr(previous, o), getattr(draft, o)) for o in _OUTCOMES):
            absorb(previous, draft)
            part.drafts.remove(draft)


def _continue(target: Draft, other: Draft, claimed: bool, forward: bool = False, figures: bool = True) -> None:
    if other.actor is not None and (target.actor is None or claimed):
        target.actor, target.certainty = other.actor, other.certainty
        for span in other.spans.get("actor", []):
            target.add_span("actor", span)
    if other.event is not None and target.event_weak and not other.event_weak and (
            forward or target.event is None or not other.event_types or target.event in other.event_types):
        target.event, target.event_weak = other.event, False
    for outcome in _OUTCOMES if figures else ():
        mine, theirs = getattr(target, outcome), getattr(other, outcome)
        if theirs is None or not theirs.counted:
            continue
        if mine is None or _tolls_agree(mine, theirs) or _bounds_join(mine, theirs):
            setattr(target, outcome, merge_tolls(mine, theirs))
        elif _lower_estimate(mine, theirs):
            setattr(target, outcome, _span(mine, theirs))  # "at least 12" (ISIS), "nine" (SDF): 9–12
    for span in other.spans.get("sentences", []):
        target.add_span("sentences", span)


def _lower_estimate(mine: Toll, theirs: Toll) -> bool:
    """Another source's exact figure below an open-ended one ("at least 12" and "nine")."""
    return mine.high is None and mine.low is not None and theirs.kind == "exact" and theirs.low is not None \
        and theirs.low < mine.low


def _span(a: Toll, b: Toll) -> Toll:
    values = [v for v in (a.low, a.high, b.low, b.high) if v is not None]
    return Toll(min(values), max(values), "range")


def _same_operation(previous: Draft, draft: Draft) -> bool:
    """Events that can be one incident: the same kind, or shooting during a raid, a clash or an abduction."""
    return _events_agree(previous, draft) or (draft.event == "attack" and previous.event in _OPERATIONS)


_OPERATIONS = frozenset({"arrests", "armed_clash", "abduction"})


def _bounds_join(a: Toll, b: Toll) -> bool:
    """"at least 9" from one source and "up to 15" from another: one range."""
    if a.high is None and b.low is None:
        low, high = a.low, b.high
    elif b.high is None and a.low is None:
        low, high = b.low, a.high
    else:
        return False
    return low is not None and high is not None and low <= high


# -- orphans and areas ------------------------------------------------------------------------------------


def _place_orphan(orphan: Orphan, drafts: list[Draft]) -> None:
    figure = orphan.figure
    if figure.outcome != "killed" or figure.low is None:
        return
    same = [d for d in drafts if d.killed is not None and d.killed.low == figure.low]
    if len(same) != 1:
        return
    target = same[0]
    target.killed = merge_tolls(target.killed, Toll(figure.low, figure.high, figure.kind))
    target.children = target.children if target.children is not None else figure.children
    target.women = target.women if target.women is not None else figure.women
    target.children_mentioned |= figure.children_mentioned
    target.women_mentioned |= figure.women_mentioned
    for span in orphan.draft.spans.get("killed_min", []):
        target.add_span("killed_min", span)


def _place_coarse(draft: Draft, specific: list[Draft], result: list[Draft]) -> None:
    """Fold an area-only draft into a named place's draft, move it there, keep it at area level, or drop it.
    A cumulative count (``وبذلك ترتفع حصيلة ... منذ مطلع العام``) is never one incident's: it stays at area level."""
    if draft.cumulative and draft.has_figures:
        result.append(draft)
        return
    target = _best_target(draft, specific)
    if target is _AMBIGUOUS:
        return
    counted = any(t is not None and t.counted for t in (draft.killed, draft.combined, draft.injured))
    keys = {d.key for d in specific}
    if target is not None and counted and target.killed is None and draft.killed is not None and len(keys) > 1:
        target = None  # a headline toll over several named places ("15 killed in Deir ez-Zor") is no one place's
    if target is not None and not counted and None not in (target.event, draft.event) and target.event != draft.event:
        return  # "raids and arrests almost daily in the governorate": no figures, another event, no one incident's
    if target is not None:
        absorb(target, draft)
        return
    if counted and len(keys) == 1 and all(len(k) == 1 for k in keys) and _dates_agree(draft, specific[0]):
        # not a toll dated apart from the named place's incident ("قتل خلال الشهر الماضي أكثر من 20")
        draft.places = list(specific[0].places)
        draft.coarse = False
        draft.notes.append("the sentence names only the area; placed at the report's only named place")
        result.append(draft)
    elif counted or not specific:
        result.append(draft)
