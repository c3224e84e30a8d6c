"""The extractor interface and its rule-based implementation.

An :class:`Extractor` turns a :class:`Report` into candidates. :class:`RuleBasedExtractor` reads the report
sentence by sentence with the gazetteer and the taxonomies (:mod:`incidents.extract.assemble`), then merges
what the sentences say into one candidate per incident place (:mod:`incidents.extract.merge`). A statistical
extractor can take its place behind the same protocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Protocol

from incidents.domain.errors import IncidentsError
from incidents.domain.outlets import Outlet, outlet_for
from incidents.extract.assemble import Reading, read_sentence
from incidents.extract.attribution import guess_source_kind
from incidents.extract.candidate import Candidate
from incidents.extract.dates import find_dates, find_labelled_date, year_of_day
from incidents.extract.draft import Draft, Toll
from incidents.extract.merge import follow_up, merge_drafts, title_actor
from incidents.extract.named import attach_named, find_named_victims
from incidents.extract.places import Gazetteer, PlaceMention, read_mentions
from incidents.extract.roles import find_labelled_actors
from incidents.extract.text import (
    Sentence,
    Token,
    detect_language,
    related_content,
    related_section_start,
    split_sentences,
    tokenize,
)


class ExtractionError(IncidentsError):
    """A report cannot be read for incidents (no gazetteer available, unreadable input)."""


@dataclass(frozen=True)
class Report:
    """A report to extract incidents from.

    Attributes
    ----------
    text : str
        The text (plain text; HTML is stripped by the caller).
    published : date or None
        Publication date; relative dates stay unresolved without it.
    source, url : str or None
        Publisher's name and address, copied to each candidate's claim.
    """

    text: str
    published: date | None = None
    source: str | None = None
    url: str | None = None


class Extractor(Protocol):
    """Anything that proposes candidate incidents for a report."""

    def extract(self, report: Report) -> list[Candidate]:
        """Return candidates in text order."""
        ...


@cache
def default_gazetteer() -> Gazetteer:
    """Return the bundled gazetteer (loaded once per process)."""
    try:
        from geodata import load_gazetteer
    except ImportError as exc:  # pragma: no cover - geodata is part of the project
        raise ExtractionError(f"the place gazetteer (geodata) cannot be loaded: {exc}") from None
    return load_gazetteer()


class RuleBasedExtractor:
    """Rules over the gazetteer's place mentions and the taxonomies' names (see the package docstring).

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Object with ``find_mentions(text)``; the bundled ``geodata`` gazetteer by default.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer in use."""
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def extract(self, report: Report) -> list[Candidate]:
        """Return one candidate per incident place of ``report``, in text order."""
        text = report.text
        tokens = tokenize(text)
        mentions = read_mentions(self.gazetteer, text, tokens)
        reading = Reading()
        history: list[PlaceMention] = []
        end = related_section_start(text)
        context: Draft | None = None
        just_before: list[Draft] = []
        contexts: list[Draft] = []
        sentences = split_sentences(text, tokens)
        headline: list[Draft] = []
        title: Reading | None = None
        lede: list[Draft] = []
        lede_read = False
        for sentence in sentences:
            if sentence.start >= end or related_content(text, sentence):
                continue
            inside = [m for m in mentions if sentence.first <= m.first <= sentence.last]
            part = read_sentence(text, tokens, sentence, inside, history, report.published, self.gazetteer)
            part.drafts = [d for d in part.drafts if not d.tally]  # a tally over months sums incidents, is none
            if sentence is sentences[0] and is_headline(text, sentence):
                headline, title = [d for d in part.drafts if d.coarse], part
            elif not lede_read and (part.drafts or part.context is not None):
                lede, lede_read = list(part.drafts), True  # the first sentence of the body that tells of violence
            _resolve_told_days(part.drafts, reading.drafts, report.published)
            follow_up(part, reading.drafts, context, just_before, contexts)
            _carry_date(part.drafts, reading.drafts)
            reading.drafts.extend(part.drafts)
            reading.orphans.extend(part.orphans)
            context = part.context
            if context is not None:
                contexts.append(context)
            just_before = list(part.drafts)
        _drop_summaries(reading.drafts, headline)
        drafts = [d for d in merge_drafts(reading.drafts, reading.orphans) if not _recalled_period(d)]
        _body_after_abduction(drafts, text)
        if title is not None:
            title_actor(drafts, title)
        _apply_labels(drafts, tokens)
        _apply_report_span(drafts, tokens, split_sentences(text, tokens)[:1], report.published)
        _date_lede(drafts, lede, report.published)
        if report.published is None:
            _years_of_bare_days(drafts, report.url)
        candidates = _candidates(drafts, report, detect_language(text))
        attach_named(candidates, find_named_victims(text[:end]))
        return candidates


def is_headline(text: str, sentence: Sentence) -> bool:
    """Tell whether a sentence is a title line: a line of its own without a final full stop, with text after it."""
    line_end = text.find("\n", sentence.end)
    return text[sentence.end - 1:sentence.end] not in (".", "!", "?", "؟") and line_end >= 0 \
        and text[sentence.end:line_end].strip() == "" and text[line_end:].strip() != ""


def _recalled_period(draft: Draft) -> bool:
    """``شهدت معارك عنيفة ... حتى عام 2017``, fighting in 2017: a whole earlier year told without casualties is a
    period the report recalls, not an incident."""
    return draft.recalled and draft.date_precision == "year" and not draft.has_figures


#: "His body", ``جثته``, the body of the abducted man: a body found that refers back to someone told before.
_BODY_BACK = re.compile(r"جثت(?:ه|ها|هما|هم)\b|جثث(?:هم|هما|هن)\b|جثمان(?:ه|ها)\b|جث(?:ة|ه|ث) (?:ال)?(?:مختطف|مخطوف)"
                        r"|\b(?:his|her|their) bod(?:y|ies)\b|\bbod(?:y|ies) of the (?:abducted|kidnapped)", re.IGNORECASE)
#: How far (characters) after an abduction a body found is still taken for the abducted person's.
_BODY_REACH = 400


def _body_after_abduction(drafts: list[Draft], text: str) -> None:
    """"Gunmen abducted a teacher in X on Thursday. His body was found on Sunday near Y": one incident, the killing,
    at the place the body was found; its range starts at the abduction. The abduction (without a toll of its own)
    is folded into the killing told just after it whose sentence refers back to the body (his body, ``جثته``)."""
    for abduction in [d for d in drafts if d.killed is None]:
        killing = _killing_after(abduction, drafts, text)
        if killing is None:
            continue
        if isinstance(abduction.date_start, date) and isinstance(killing.date_start, date) \
                and abduction.date_start < killing.date_start:
            killing.date_end = killing.date_end if isinstance(killing.date_end, date) else killing.date_start
            killing.date_start, killing.date_precision = abduction.date_start, "week"
        if killing.actor in (None, "unknown") and abduction.actor not in (None, "unknown"):
            killing.actor = abduction.actor
            for span in abduction.spans.get("actor", []):
                killing.add_span("actor", span)
        killing.add_span("sentences", abduction.quote)
        killing.notes.append("abducted earlier, the body found later: one incident (the abduction's sentence is among the evidence)")
        drafts.remove(abduction)


_ABDUCTED = re.compile(r"اختطاف|خطف|مختطف|مخطوف|abduct|kidnap", re.IGNORECASE)


def _killing_after(abduction: Draft, drafts: list[Draft], text: str) -> Draft | None:
    """The killing an abduction ended in: a body referring back in the next sentences, or, in the abduction's own
    sentence at the same place, the body found "two days after his abduction" (``بعد يومين من اختطافه``)."""
    for draft in drafts:
        if draft is abduction or draft.killed is None:
            continue
        if abduction.event == "abduction" and 0 <= draft.quote[0] - abduction.quote[1] <= _BODY_REACH \
                and _BODY_BACK.search(text, draft.quote[0], draft.quote[1]):
            return draft
        if draft.quote == abduction.quote and draft.key == abduction.key and abduction.event in (
                "abduction", "attack", "other", None) and _ABDUCTED.search(text, draft.quote[0], draft.quote[1]):
            return draft
    return None


def _drop_summaries(drafts: list[Draft], headline: list[Draft]) -> None:
    """A title that only names the area (``15 قتيلا ... في دير الزور``, ISIS resurgence in Deir Ezzor | Civilian
    executed) sums up the incidents the body tells with their places: it is no incident of its own once the body
    reports casualties."""
    if headline and any(d.has_figures and d not in headline for d in drafts):
        drafts[:] = [d for d in drafts if d not in headline]


def _resolve_told_days(drafts: list[Draft], earlier: list[Draft], published: date | None = None) -> None:
    """"The same day", ``في اليوم التالي``, two days earlier: counted from the last dated incident told before (never
    later than the publication day: a report tells of no day after its own)."""
    told = [*earlier]
    for draft in drafts:
        before = next((d for d in reversed(told) if isinstance(d.date_start, date)), None)
        if before is not None and draft.date_start is None:
            _count_from(draft, before)
            if published is not None and isinstance(draft.date_end, date) and draft.date_end > published:
                draft.date_end = published
                draft.date_start = min(draft.date_start, published) if isinstance(draft.date_start, date) else None
        told.append(draft)


def _count_from(draft: Draft, before: Draft) -> None:
    """Date ``draft`` from the incident told before it: days after it, or a day of its month."""
    start = before.date_start
    if not isinstance(start, date):
        return
    if draft.after_told is not None:
        shift = timedelta(days=draft.after_told)
        end = before.date_end if isinstance(before.date_end, date) else start
        draft.date_start, draft.date_end = start + shift, end + shift
        draft.date_precision = before.date_precision
    elif draft.day_of_told_month is not None:
        try:
            day = start.replace(day=draft.day_of_told_month)
        except ValueError:
            return
        draft.date_start = draft.date_end = day
        draft.date_precision = "day"


def _carry_date(drafts: list[Draft], earlier: list[Draft]) -> None:
    """A sentence that goes on with the incident just told (``كما طال القصف بلدة موحسن``, "the town" again, a
    sentence opening with ``كما``, a second strike: ``غارة ثانية``) and gives no date of its own happened on that
    incident's date."""
    previous = earlier[-1] if earlier else None
    if previous is None or not isinstance(previous.date_start, date):
        return
    for draft in drafts:
        goes_on = draft.definite or draft.goes_on or (
            draft.places and all(m.anaphor for m in draft.places))
        if draft.date_start is None and not draft.date_seen and goes_on and not draft.separate:
            draft.date_start, draft.date_end = previous.date_start, previous.date_end
            draft.date_precision = previous.date_precision
            for span in previous.spans.get("date_start", []):
                draft.add_span("date_start", span)


def _apply_report_span(drafts: list[Draft], tokens: list[Token], title: list[Sentence], published: date | None) -> None:
    """A round-up's title gives the period it covers ("... خلال الساعات الـ24 الماضية", in the past week): incidents
    the sentences leave undated fall in it."""
    spans = [d for s in title for d in find_dates(tokens, s.first, s.last, published) if d.spanning and d.start]
    if not spans:
        return
    period = spans[0]
    for draft in drafts:
        if draft.date_start is None and not draft.date_seen:
            draft.date_start, draft.date_end, draft.date_precision = period.start, period.end, period.precision
            draft.add_span("date_start", period.span(tokens))
            draft.notes.append("date: the period the report's title covers")


#: The widest span of days a lede can sum up.
_LEDE_DAYS = 10


def _date_lede(drafts: list[Draft], lede: list[Draft], published: date | None) -> None:
    """A report's first sentence without a date: a toll over an area (``قتل 15 مدنياً بقصف جوي على بلدات جنوب
    مدينة دير الزور`` before the strikes of Wednesday and Thursday) sums up the incidents the report goes on to tell
    and happened over their days when they fall within ten days; else the lede is the news of the publication day or
    the day before (noted)."""
    if published is None:
        return
    ledes, kept = {id(d) for d in lede}, {id(d) for d in drafts}
    told = [d for d in drafts if id(d) not in ledes and isinstance(d.date_start, date) and not d.recalled]
    starts = [d.date_start for d in told if isinstance(d.date_start, date)]
    ends = [d.date_end if isinstance(d.date_end, date) else d.date_start for d in told]
    span = (min(starts), max(e for e in ends if isinstance(e, date))) if starts else None
    for draft in lede:
        if id(draft) not in kept or draft.date_start is not None or draft.date_seen:
            continue
        summary = draft.killed is not None and (draft.coarse or all(m.match is None for m in draft.places))
        if summary and span is not None and (span[1] - span[0]).days <= _LEDE_DAYS and span[1] <= published:
            draft.date_start, draft.date_end = span
            draft.notes.append("date: the days of the incidents the report goes on to tell")
        else:  # as for a source's words (see assemble._set_said_on): the day it published them or the day before
            draft.date_start, draft.date_end = published - timedelta(days=1), published
            draft.notes.append("date: the report's first sentence gives none; the publication day or the day before")
        draft.date_precision = "day"


#: A report's address that gives its year and month as a date-shaped path (``/2019/09/``, ``/2020/01/05/``,
#: ``/2019-09-17/``); a year alone (/news/2018/) or a slug opening with a number (/2019/10-civilians-killed/) gives
#: nothing.
_URL_MONTH = re.compile(r"/(20\d\d)([/-])(0[1-9]|1[0-2])(?:/|$|\2(?:0[1-9]|[12]\d|3[01])(?:/|$|[^\d]))")
#: The first year of the conflict: an address's year before it (or after this year) is no report's date.
_FIRST_YEAR = 2011


def _years_of_bare_days(drafts: list[Draft], url: str | None) -> None:
    """Without a publication date, a day and month without a year (``في 18 أيلول``, on 17 September) take the
    year the report's address gives (``/2019/09/``: that month or before it), else the year of the report's
    other dates when they all fall in one year (noted)."""
    bare = [d for d in drafts if d.date_start is None and d.day_month is not None]
    if not bare:
        return
    latest, origin = _url_month(url), "the report's address"
    if latest is None:
        years = {d.date_start.year for d in drafts if isinstance(d.date_start, date)}
        latest, origin = ((years.pop(), 12), "the report's other dates") if len(years) == 1 else (None, "")
    if latest is None:
        return
    for draft in bare:
        assert draft.day_month is not None
        day = year_of_day(draft.day_month, latest)
        if day is not None:
            draft.date_start = draft.date_end = day
            draft.date_precision = "day"
            draft.notes.append(f"date: the year from {origin}")


def _url_month(url: str | None) -> tuple[int, int] | None:
    """The (year, month) a report's address gives, in a plausible range (2011 to this year)."""
    month = _URL_MONTH.search(url) if url else None
    if month is None or not _FIRST_YEAR <= int(month.group(1)) <= date.today().year:
        return None
    return int(month.group(1)), int(month.group(3))


def _apply_labels(drafts: list[Draft], tokens: list[Token]) -> None:
    """Incident pages label the date and the suspected belligerents: they fill what the sentences leave open."""
    labelled = find_labelled_date(tokens)
    belligerents = find_labelled_actors(tokens)
    page = Draft(places=[], coarse=True, quote=(0, 0), order=-1, date_start=labelled.start if labelled else None,
                 date_end=labelled.end if labelled else None, date_precision="day")
    for draft in drafts:
        if labelled is not None and draft.date_start is None and (draft.after_told or draft.day_of_told_month):
            _count_from(draft, page)  # "A second strike ... the following day"
        if labelled is not None and draft.date_start is None:
            draft.date_start, draft.date_end, draft.date_precision = labelled.start, labelled.end, "day"
            draft.add_span("date_start", labelled.span(tokens))
        if belligerents and draft.actor is None:
            draft.actor = belligerents[0][0]
            others = {code for code, _ in belligerents[1:] if code != draft.actor}
            draft.certainty = "contested" if others else "suspected"
            draft.actor_alternatives |= others
            draft.add_span("actor", belligerents[0][1])


def _candidates(drafts: list[Draft], report: Report, language: str) -> list[Candidate]:
    out: list[Candidate] = []
    groups = 0
    for draft in drafts:
        group = None
        if len(draft.places) > 1:
            groups += 1
            group = f"g{groups}"
        for mention in draft.places:
            out.append(_candidate(draft, mention, group, report, language))
    return out


def _candidate(draft: Draft, mention: PlaceMention, group: str | None, report: Report, language: str) -> Candidate:
    killed, injured, combined = draft.killed, draft.injured, draft.combined
    text = report.text
    spans = _spans(draft, mention, group)
    candidate = Candidate(
        place_text=mention.surface or None, place=mention.match, actor=draft.actor or "unknown",
        event_type=draft.event or "other", date_start=_as_date(draft.date_start), date_end=_as_date(draft.date_end),
        date_precision=draft.date_precision if _as_date(draft.date_start) else "unknown",
        killed_min=_low(killed), killed_max=_high(killed), injured_min=_low(injured), injured_max=_high(injured),
        civilians={"yes": "yes", "no": "no"}.get(draft.civilians or "", "unknown"),
        children_killed=draft.children if killed is not None else None,
        women_killed=draft.women if killed is not None else None, attribution=draft.attribution,
        quote=text[draft.quote[0]:draft.quote[1]], group=group, shared_toll=group is not None,
        actor_certainty=draft.certainty, killed_or_injured_min=_low(combined), killed_or_injured_max=_high(combined),
        location_precision=mention.precision, language=language, source=report.source, url=report.url,
        published=report.published, source_kind=guess_source_kind(report.source, report.url, draft.attribution),
        outlet=_code(outlet_for(report.source) or outlet_for(report.url)), attributed_outlet=_code(
            outlet_for(draft.attribution)), spans=spans, notes=_notes(draft),
    )
    return candidate


#: Fields read from the same words as another field.
_SAME_SPANS = (("killed_max", "killed_min"), ("injured_max", "injured_min"), ("date_end", "date_start"),
               ("killed_or_injured_max", "killed_or_injured_min"), ("place", "place_text"))


def _spans(draft: Draft, mention: PlaceMention, group: str | None) -> dict[str, list[tuple[int, int]]]:
    spans = {name: list(values) for name, values in draft.spans.items()}
    if group is not None:
        spans["place_text"] = [(mention.start, mention.end)]
    for name, source in _SAME_SPANS:
        if source in spans:
            spans[name] = list(spans[source])
    return spans


def _code(outlet: Outlet | None) -> str | None:
    return outlet.code if outlet is not None else None


def _as_date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _low(toll: Toll | None) -> int | None:
    return toll.low if toll is not None else None


def _high(toll: Toll | None) -> int | None:
    return toll.high if toll is not None else None


def _notes(draft: Draft) -> list[str]:
    notes = list(draft.notes)
    if draft.combined is not None:
        notes.append(f"killed and injured given together: {_describe(draft.combined)}")
    for name, toll in (("killed", draft.killed), ("injured", draft.injured)):
        if toll is not None and not toll.counted:
            notes.append(f"{name} mentioned without a number")
    if draft.children_mentioned and draft.children is None:
        notes.append("children among the victims (no number)")
    if draft.women_mentioned and draft.women is None:
        notes.append("women among the victims (no number)")
    if draft.actor_alternatives:
        notes.append("other actors named: " + ", ".join(sorted(draft.actor_alternatives)))
    return notes


def _describe(toll: Toll) -> str:
    if not toll.counted:
        return "no number"
    if toll.high is None:
        return f"at least {toll.low}"
    if toll.low is None:
        return f"up to {toll.high}"
    return str(toll.low) if toll.low == toll.high else f"{toll.low}–{toll.high}"
