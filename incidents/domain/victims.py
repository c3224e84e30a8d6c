"""Named victims (#18): the people behind an incident's numbers, each mention kept as the source wrote it.

A :class:`Victim` is one *mention* of a person by one source: the name as written (Arabic and/or Latin), age or
age group, sex, killed or injured, civilian or combatant, relationship notes ("her three children"), and the
source and sentence that name them. When several sources name the same person, each mention is kept and they
share a ``person_uid``: nothing is overwritten, and the person is counted once.

Counting rules (README, "Named victims"):

* the incident shows "14 killed, 9 named" (distinct persons named as killed);
* named victims are a floor for the incident's minimum: the incident's stored figures count at least the
  persons named as killed (and as injured), so totals, map, timeline and exports count them; the service
  re-derives the figures whenever the victims change (:func:`incidents.domain.figures.floor_named`). When more are
  named than *every* source's toll, the incident is flagged for review (a named list is evidence, but it may
  also hold a mistaken entry); figures an editor set by hand are not changed, but flagged when below the
  named count;
* children and women killed are taken from the named victims only where no source gives a count.

Pure logic: no storage, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from geodata.normalise import normalise
from incidents.domain import messages
from incidents.domain.figures import Figures, NamedCounts, derive_figures, floor_named
from incidents.domain.records import Incident, new_uid

AGE_GROUPS = ("child", "adult", "unknown")
SEXES = ("female", "male", "unknown")
OUTCOMES = ("killed", "injured")
STATUSES = ("civilian", "combatant", "unknown")
#: a person under this age is a child
CHILD_AGE_LIMIT = 18

#: What a source may say about a person beside the name: the fields a proposal read from a text fills.
PERSON_FIELDS = ("age", "age_group", "sex", "status", "outcome", "relation")
#: Fields a user sets (the rest are set by the system).
VICTIM_FIELDS = ("incident_uid", "name_ar", "name_en", "age", "age_group", "sex", "outcome", "status", "relation",
                 "source_name", "quote", "claim_uid", "person_uid", "withhold_name")
EDITABLE_FIELDS = tuple(f for f in VICTIM_FIELDS if f != "incident_uid")
NAME_FIELDS = ("name_ar", "name_en")


@dataclass(frozen=True)
class Victim:
    """One source's mention of a named person killed or injured in an incident."""

    incident_uid: str
    source_name: str
    quote: str
    name_ar: str | None = None
    name_en: str | None = None
    age: int | None = None
    age_group: str = "unknown"
    sex: str = "unknown"
    outcome: str = "killed"
    status: str = "unknown"
    relation: str | None = None
    claim_uid: str | None = None
    person_uid: str = ""  # mentions of one person share it; empty: a person of its own (its uid)
    withhold_name: bool = False
    uid: str = field(default_factory=new_uid)
    version: int = 1
    created_at: datetime | None = None
    created_by: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def person(self) -> str:
        """The id of the person this mention names (shared by every mention of them)."""
        return self.person_uid or self.uid

    @property
    def is_child(self) -> bool:
        """Under 18 by stated age, else by age group."""
        return self.age < CHILD_AGE_LIMIT if self.age is not None else self.age_group == "child"

    def to_dict(self) -> dict:
        """Return the user-set fields and the uid (as stored and exported)."""
        return {"uid": self.uid, **{name: getattr(self, name) for name in VICTIM_FIELDS}}


def age_group_of(age: int | None, stated: str = "unknown") -> str:
    """Return the age group: from the age when known (under 18: child), else the stated group."""
    if age is None:
        return stated
    return "child" if age < CHILD_AGE_LIMIT else "adult"


def complete(victim: Victim) -> Victim:
    """Return ``victim`` with text trimmed, empty names as None and the age group following the age."""
    def clean(value: str | None) -> str | None:
        return (value or "").strip() or None

    return replace(victim, name_ar=clean(victim.name_ar), name_en=clean(victim.name_en),
                   relation=clean(victim.relation), source_name=(victim.source_name or "").strip(),
                   quote=(victim.quote or "").strip(), age_group=age_group_of(victim.age, victim.age_group))


def check_victim(victim: Victim) -> list[str]:
    """Return what is wrong with ``victim`` (empty if nothing), each as a sentence naming the field."""
    problems = []
    if not (victim.name_ar or "").strip() and not (victim.name_en or "").strip():
        problems.append("name: give the name as the source writes it (Arabic, Latin or both)")
    if victim.age is not None and (not isinstance(victim.age, int) or isinstance(victim.age, bool)
                                   or not 0 <= victim.age <= 120):
        problems.append(f"age: a whole number of years from 0 to 120; got {victim.age!r}")
    for name, allowed in (("age_group", AGE_GROUPS), ("sex", SEXES), ("outcome", OUTCOMES),
                          ("status", STATUSES)):
        if getattr(victim, name) not in allowed:
            problems.append(f"{name}: one of {', '.join(allowed)}; got {getattr(victim, name)!r}")
    if victim.age is not None and victim.age_group != "unknown" and victim.age_group != age_group_of(victim.age):
        problems.append(f"age_group: {victim.age_group!r} contradicts age {victim.age}")
    if not (victim.source_name or "").strip():
        problems.append("source_name: name the source that names this person")
    if not (victim.quote or "").strip():
        problems.append("quote: give the sentence that names this person")
    for name in ("name_ar", "name_en", "relation"):
        if len(getattr(victim, name) or "") > 300:
            problems.append(f"{name}: at most 300 characters")
    return problems


# -- privacy ----------------------------------------------------------------------------------------------


def shown_name(victim: Victim, lang: str = "en", *, names_visible: bool = True) -> str:
    """Return the name to show: "name withheld" at a family's request, "name hidden" to readers without
    access to names, else the name as written (Arabic first in Arabic, Latin first in English)."""
    if victim.withhold_name:
        return messages.text("v_name_withheld", lang)
    if not names_visible:
        return messages.text("v_name_hidden", lang)
    names = [victim.name_ar, victim.name_en] if lang == "ar" else [victim.name_en, victim.name_ar]
    return " / ".join(n for n in names if n)


def without_names(victim: Victim) -> Victim:
    """Return the mention with its names (and the quote and relation, which may repeat them) removed."""
    return replace(victim, name_ar=None, name_en=None, quote="", relation=None)


def masked(victims: Iterable[Victim], names_visible: bool) -> list[Victim]:
    """Return the mentions as a reader may receive them: withheld names always removed, others removed when
    the reader may not see names."""
    return [without_names(v) if v.withhold_name or not names_visible else v for v in victims]


# -- people and counting ----------------------------------------------------------------------------------


def people(victims: Iterable[Victim]) -> dict[str, list[Victim]]:
    """Group mentions by person (in first-mention order)."""
    grouped: dict[str, list[Victim]] = {}
    for victim in victims:
        grouped.setdefault(victim.person, []).append(victim)
    return grouped


def _person_killed(mentions: Sequence[Victim]) -> bool:
    return any(m.outcome == "killed" for m in mentions)


def _person_child(mentions: Sequence[Victim]) -> bool:
    return any(m.is_child for m in mentions)


def _person_woman(mentions: Sequence[Victim]) -> bool:
    return any(m.sex == "female" for m in mentions) and not _person_child(mentions)


def count_named(victims: Iterable[Victim]) -> NamedCounts:
    """Count the distinct persons ``victims`` name (mentions sharing a ``person_uid`` are one person): killed,
    injured only, and of the killed the children and the women (adult females)."""
    persons = list(people(victims).values())
    killed = [p for p in persons if _person_killed(p)]
    return NamedCounts(killed=len(killed), injured=len(persons) - len(killed),
                       children_killed=sum(_person_child(p) for p in killed),
                       women_killed=sum(_person_woman(p) for p in killed))


@dataclass(frozen=True)
class NamedSummary:
    """What an incident's named victims add to its figures."""

    killed_named: int
    injured_named: int
    killed_min: int | None  # the incident's minimum (under the rule "claims", at least the named count)
    raised: bool  # the named count, not a source, sets the minimum
    exceeds_sources: bool  # more persons named as killed than any source's toll: review it
    children_killed: int | None  # the sources' count, else the named children (None: nothing known)
    women_killed: int | None
    children_from_names: bool
    women_from_names: bool
    below_named: bool = False  # figures set by an editor, below the named count: review them


def summarise_named(incident: Incident, victims: Sequence[Victim]) -> NamedSummary:
    """Apply the counting rules of named victims to ``incident`` (see the module docstring).

    Under the rule "claims" the stored figures already honour the floor (the service re-derives them whenever
    the claims or the victims change); figures an editor set by hand are shown as set, and flagged
    (``below_named``) when fewer killed than the persons named.
    """
    counts = count_named(victims)
    sources = derive_figures(incident.claims) if incident.claims else Figures()
    by_rule = incident.figures_rule != "editor"
    shown = floor_named(incident_figures(incident), counts) if by_rule else incident_figures(incident)
    tolls = [c.killed_max if c.killed_max is not None else c.killed_min for c in incident.claims]
    stated = [n for n in tolls if n is not None]
    open_ended = any(c.killed_min is not None and c.killed_max is None for c in incident.claims)
    named = counts.killed
    return NamedSummary(
        killed_named=named, injured_named=counts.injured, killed_min=shown.killed_min,
        raised=by_rule and named > 0 and (sources.killed_min is None or named > sources.killed_min),
        exceeds_sources=named > 0 and not open_ended and named > max(stated, default=0),
        children_killed=shown.children_killed, women_killed=shown.women_killed,
        children_from_names=by_rule and sources.children_killed is None and counts.children_killed > 0,
        women_from_names=by_rule and sources.women_killed is None and counts.women_killed > 0,
        below_named=not by_rule and named > (incident.killed_min or 0),
    )


def incident_figures(incident: Incident) -> Figures:
    """Return the figures stored on ``incident``."""
    return Figures(**{name: getattr(incident, name) for name in Figures.__dataclass_fields__})


def describe_named(incident: Incident, summary: NamedSummary, lang: str = "en") -> str:
    """Return "14 killed, 9 named" (the incident's killed figure and how many of them are named)."""
    low, high = summary.killed_min, incident.killed_max
    if low is None:
        killed = "?"
    elif high is None and incident.killed_min is not None and not summary.raised:
        killed = f"{low}+"
    elif high is None or high <= low:
        killed = str(low)
    else:
        killed = f"{low}–{high}"
    if lang == "ar":
        return f"{killed} قتيلاً، {summary.killed_named} منهم بالاسم"
    return f"{killed} killed, {summary.killed_named} named"


# -- search -----------------------------------------------------------------------------------------------

_ARTICLES = ("al", "el", "ال")


def name_tokens(name: str | None) -> tuple[str, ...]:
    """Return a name's search tokens: the places' normal form (:func:`geodata.normalise.normalise`: Arabic
    letter variants and Latin diacritics folded), with the article (al-, el-, ال) dropped from each word."""
    tokens = []
    for token in normalise(name or "").split():
        for article in _ARTICLES:
            if token.startswith(article) and len(token) > len(article) + 1:
                token = token[len(article):]
                break
        if token not in _ARTICLES:
            tokens.append(token)
    return tuple(tokens)


def name_key(victim: Victim) -> str:
    """Return the normalised name text stored for search: both scripts' tokens, space-joined."""
    return " ".join((*name_tokens(victim.name_ar), *name_tokens(victim.name_en)))


def matches_name(query: str, key: str) -> bool:
    """Whether every word of ``query`` begins a word of a stored name ``key`` (:func:`name_key`)."""
    wanted = name_tokens(query)
    words = key.split()
    return bool(wanted) and all(any(w.startswith(q) for w in words) for q in wanted)
