"""Reviewing a report's candidate incidents before they become records (issue #4).

A documenter pastes or uploads a report; the extractor (:func:`incidents.extract.extract_candidates`) proposes
candidates with the character spans each value was read from. This module holds everything about the review
that needs no Streamlit:

* reading the report: an uploaded ``.txt``/``.html`` file or pasted text → the plain text the extractor and
  the highlighting both use (:func:`read_report_file`, :func:`prepare_text`);
* showing where each value was read: the text as escaped HTML with ``<mark>`` elements
  (:func:`build_highlighted_html`);
* the documenter's edits and their checks (:func:`apply_edits`, :func:`check_candidate`); a quote must stay
  an exact substring of the report;
* stored incidents a candidate may duplicate (:func:`find_similar`), so that the documenter chooses to
  attach it as a further claim or to save it as a new incident — nothing is merged silently;
* saving through :mod:`incidents.services.service` as the signed-in user: drafts, grading unassessed; candidates that
  share one toll over several places are created together under one new ``toll_group``
  (:func:`plan_save`, :func:`save_plan`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd

from incidents.analysis.search import search_key
from incidents.domain import messages
from incidents.domain.errors import FileFormatError, IncidentsError, ValidationError
from incidents.domain.records import CLAIM_FIGURES, GROUP_FIGURES, Claim, Incident, new_uid
from incidents.domain.users import User
from incidents.domain.validation import Problem, ProblemLine, check_incident
from incidents.domain.victims import Victim
from incidents.extract.candidate import Candidate
from incidents.extract.text import detect_language, html_to_text, looks_like_html
from incidents.io.text import decode_text
from incidents.services import service, victims_service
from incidents.services.dedupe import PossibleDuplicate, similar_to
from incidents.storage.store import Store

#: Largest report file accepted (bytes).
MAX_REPORT_BYTES = 2_000_000
#: File name endings of the report files accepted.
REPORT_SUFFIXES = (".txt", ".html", ".htm")


class ReportFileError(FileFormatError):
    """An uploaded report cannot be read as text (wrong kind, too large, undecodable)."""


class ReviewError(ValidationError):
    """Reviewed candidates break a rule; ``problems`` maps candidate position → what is wrong."""

    def __init__(self, problems: dict[int, list[str]]) -> None:
        self.problems = problems
        lines = [f"candidate {i + 1}: {'; '.join(p)}" for i, p in sorted(problems.items())]
        super().__init__("nothing was saved. " + " | ".join(lines))


# -- the report text ----------------------------------------------------------------------------------------


def prepare_text(text: str) -> str:
    """Return pasted report text as the extractor will read it: HTML stripped, line ends unified, trimmed."""
    unified = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(unified):
        unified = html_to_text(unified)
    return unified.strip()


def read_report_file(data: bytes, name: str) -> str:
    """Return the text of an uploaded report file (``.txt``, or ``.html`` with its tags stripped safely).

    Raises
    ------
    ReportFileError
        Another kind of file, more than :data:`MAX_REPORT_BYTES`, an encoding that cannot be read, or no text.
    """
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in REPORT_SUFFIXES:
        raise ReportFileError(f"expected a .txt or .html file; got {name!r}. Save the report as text or HTML, "
                              "or paste it")
    if len(data) > MAX_REPORT_BYTES:
        raise ReportFileError(f"{name} is {len(data):,} bytes; a report file may be at most {MAX_REPORT_BYTES:,}. "
                              "Paste the part that reports the incidents")
    try:
        text, _ = decode_text(data, name)
    except FileFormatError as error:
        raise ReportFileError(str(error)) from None
    if suffix in (".html", ".htm") or looks_like_html(text):
        text = html_to_text(text)
    text = prepare_text(text)
    if not text:
        raise ReportFileError(f"{name} holds no text")
    return text


# -- highlighting -------------------------------------------------------------------------------------------

#: span field → highlight class (fields of one kind share a colour)
FIELD_CLASSES = {
    "place_text": "place", "actor": "actor", "event_type": "event", "date_start": "date", "date_end": "date",
    "killed_min": "killed", "killed_max": "killed", "injured_min": "injured", "injured_max": "injured",
    "killed_or_injured": "combined", "civilians": "victims", "children_killed": "victims",
    "women_killed": "victims", "attribution": "source", "named_victims": "named",
}
#: highlight class → (English, Arabic) label, in legend order
MARK_LABELS = messages.table("review_marks")  # the catalogue's [review_marks] (incidents/data/messages.toml)
# Every character that means something to HTML or to Markdown is written as a numeric entity (as
# incidents.ui.text.md_escape does): the result is safe inside st.markdown(unsafe_allow_html=True) and st.html.
_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>$&:=\"'@%^]")


def escape_text(text: str) -> str:
    """Return ``text`` with every HTML and Markdown metacharacter as a numeric entity; newlines as ``<br>``."""
    escaped = _SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text)
    return escaped.replace("\n", "<br>")


def _valid_spans(text: str, spans: Mapping[str, Sequence[Sequence[int]]]) -> list[tuple[int, int, str]]:
    """Return (start, end, class) of every span that lies inside the text; bad spans are ignored."""
    out = []
    for name, pairs in spans.items():
        css = "quote" if name == "quote" else FIELD_CLASSES.get(name)
        if css is None:
            continue
        for pair in pairs:
            if len(pair) != 2:
                continue
            start, end = int(pair[0]), int(pair[1])
            if 0 <= start < end <= len(text):
                out.append((start, end, css))
    return out


def _segment(css: set[str], piece: str, lang: str) -> str:
    body = escape_text(piece)
    marks = sorted(css - {"quote"}, key=list(MARK_LABELS).index)
    if not marks:
        return f'<span class="rv-q">{body}</span>' if "quote" in css else body
    index = 1 if lang == "ar" else 0
    title = ", ".join(MARK_LABELS[m][index] for m in marks)
    classes = " ".join(["rv-m", *(f"rv-{m}" for m in marks), *(["rv-q"] if "quote" in css else [])])
    return f'<mark class="{classes}" title="{escape_text(title)}">{body}</mark>'


def build_highlighted_html(text: str, spans: Mapping[str, Sequence[Sequence[int]]], lang: str = "en") -> str:
    """Return the report as HTML, each extracted value inside ``<mark>`` and the quoted sentences underlined.

    Parameters
    ----------
    text
        The report exactly as the extractor read it (the spans index into it).
    spans
        Field → ``[(start, end), ...]`` (:attr:`Candidate.spans`). Overlapping spans are fine: the text is cut at
        every span boundary and each piece carries the classes of all spans covering it. Spans outside the
        text are ignored.
    lang
        Interface language of the tooltips ("en" or "ar").

    Returns
    -------
    str
        ``<div class="rv-text" dir="rtl" lang="ar">…</div>`` for Arabic text (``dir="auto"`` otherwise). Every
        character of the report is escaped (:func:`escape_text`); only this function's own tags are markup.
    """
    valid = _valid_spans(text, spans)
    cuts = sorted({0, len(text), *(s for s, _, _ in valid), *(e for _, e, _ in valid)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        css = {c for s, e, c in valid if s <= start and end <= e}
        pieces.append(_segment(css, text[start:end], lang))
    direction = 'dir="rtl" lang="ar"' if detect_language(text) == "ar" else 'dir="auto"'
    return f'<div class="rv-text" {direction}>{"".join(pieces)}</div>'


def legend_html(lang: str = "en") -> str:
    """Return the colour legend of the highlights (the module's own labels; nothing from a report)."""
    index = 1 if lang == "ar" else 0
    items = "".join(f'<mark class="rv-m rv-{css}">{escape_text(labels[index])}</mark> ' for css, labels
                    in MARK_LABELS.items() if css != "quote")
    quote = f'<span class="rv-q">{escape_text(MARK_LABELS["quote"][index])}</span>'
    return f'<div class="rv-legend" dir="auto">{items}{quote}</div>'


def sentence_at(text: str, position: int) -> tuple[int, int]:
    """Return the (start, end) of the line around ``position`` (for showing a span in context)."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    index = bisect.bisect_right(starts, position) - 1
    end = text.find("\n", starts[index])
    return starts[index], len(text) if end < 0 else end


# -- editing ------------------------------------------------------------------------------------------------

#: Candidate fields the documenter may edit.
EDITABLE = ("place", "place_text", "location_precision", "actor", "actor_certainty", "event_type", "date_start",
            "date_end", "date_precision", "killed_min", "killed_max", "injured_min", "injured_max", "civilians",
            "children_killed", "women_killed", "attribution", "quote", "source", "url", "published",
            "source_kind")
_COUNTS = CLAIM_FIGURES


def _count(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return int(value)


def apply_edits(candidate: Candidate, edits: Mapping[str, Any]) -> Candidate:
    """Return a copy of ``candidate`` with the documenter's ``edits`` (field → value) applied.

    Counts are made integers; an empty date precision follows the start date; the place's precision follows a
    newly chosen gazetteer place (``place`` is a ``PlaceMatch.to_dict()`` or None for "no known place").

    Raises
    ------
    ValidationError
        A field that is not one of :data:`EDITABLE`.
    """
    unknown = set(edits) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"these candidate fields cannot be edited: {', '.join(sorted(unknown))}; "
                              f"expected some of {', '.join(EDITABLE)}")
    values = dict(edits)
    for name in _COUNTS:
        if name in values:
            values[name] = _count(values[name])
    for name in ("attribution", "source", "url"):
        if name in values:
            values[name] = (values[name] or "").strip() or None
    if "place" in values and "location_precision" not in values:
        place = values["place"]
        values["location_precision"] = str(place.get("precision") or "village") if place else "unknown"
    edited = replace(candidate, **values)
    if edited.date_start is None:
        edited = replace(edited, date_end=None, date_precision="unknown")
    elif edited.date_precision == "unknown":
        edited = replace(edited, date_precision="day")
    return edited


def check_candidate(candidate: Candidate, text: str, today: date | None = None) -> list[str]:
    """Return what is wrong with a reviewed candidate (empty if nothing), each as a sentence for the user: "field:
    reason" in English, and each a :class:`~incidents.domain.validation.ProblemLine` that says itself in Arabic.

    The quote must be an exact substring of the report ``text``; a source must be named; children or women
    killed cannot exceed the most killed; and the record's own rules apply (:func:`check_incident`).
    """
    problems: list[str] = []
    quote = candidate.quote or ""
    if not quote.strip():
        problems.append(ProblemLine(Problem.said("quote", "problems.no_quote_copied")))
    elif quote not in text:
        shown = f"{quote[:60]}…" if len(quote) > 60 else quote
        problems.append(ProblemLine(Problem.said("quote", "problems.quote_not_in_report", quote=shown)))
    if not (candidate.source or "").strip():
        problems.append(ProblemLine(Problem.said("source", "problems.no_publisher")))
    for name in GROUP_FIGURES:
        value = getattr(candidate, name)
        if value is not None and candidate.killed_max is not None and value > candidate.killed_max:
            problems.append(ProblemLine(Problem.said(name, "problems.above_most_killed", value=value,
                                                     most=candidate.killed_max)))
    seen: set[str] = set()
    for problem in check_incident(candidate.to_incident(), today):
        message = ProblemLine(problem.renamed(problem.field.split(".", 1)[-1]))
        if message not in seen and not problem.field.endswith(("quote", "source_name")):
            seen.add(message)
            problems.append(message)
    return problems


# -- similar stored incidents ---------------------------------------------------------------------------

#: When a candidate has no date, it is compared as if it happened within this many days before publication.
UNDATED_WINDOW_DAYS = 7


def candidate_row(candidate: Candidate) -> dict[str, Any]:
    """Return a candidate as a frame-shaped mapping for :func:`incidents.services.dedupe.score_pair`.

    A candidate without a date but with a publication date is compared as if it happened in the
    :data:`UNDATED_WINDOW_DAYS` before publication (only for the comparison; nothing is stored).
    """
    place = candidate.place or {}
    start, end, precision = candidate.date_start, candidate.date_end, candidate.date_precision
    if start is None and candidate.published is not None:
        start, end, precision = candidate.published - timedelta(days=UNDATED_WINDOW_DAYS), candidate.published, \
            "day"
    names = " ".join(str(n) for n in (candidate.place_text, place.get("name_ar"), place.get("name_en")) if n)
    return {
        "uid": "", "place_id": place.get("id"), "lat": place.get("lat"), "lon": place.get("lon"),
        "date_start": start, "date_end": end or start, "date_precision": precision, "actor": candidate.actor,
        "event_type": candidate.event_type, "search": " " + search_key(f"{names} {candidate.quote}") + " ",
        "toll_group": None, "killed_min": candidate.killed_min, "killed_max": candidate.killed_max,
        "location_precision": candidate.location_precision,
    }


def find_similar(candidate: Candidate, frame: pd.DataFrame, limit: int = 5) -> list[PossibleDuplicate]:
    """Return stored incidents of ``frame`` the candidate may report again, best first (``uid_b`` is theirs)."""
    return similar_to(candidate_row(candidate), frame, limit)


# -- saving ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """What the documenter decided for one candidate: a new incident, or a further claim on a stored one.

    ``target_version`` is the version of the stored incident the documenter saw (the claim is refused if it
    changed since).
    """

    action: str  # "new" or "attach"
    target_uid: str | None = None
    target_version: int | None = None

    def __post_init__(self) -> None:
        if self.action not in ("new", "attach"):
            raise ValidationError(f"a candidate is saved as 'new' or 'attach'; got {self.action!r}")
        if self.action == "attach" and not self.target_uid:
            raise ValidationError("attaching a claim needs the stored incident's id")


@dataclass
class SavePlan:
    """What saving will write: new incidents (by candidate position) and claims to attach."""

    new: list[tuple[int, Incident]] = field(default_factory=list)
    attach: list[tuple[int, str, int | None, Claim]] = field(default_factory=list)
    named: dict[int, list[Victim]] = field(default_factory=dict)  # candidate position → its named victims (#18)


@dataclass
class SaveResult:
    """What was written: candidate position → incident uid, and failures (position → message)."""

    created: dict[int, str] = field(default_factory=dict)
    attached: dict[int, str] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)


def claim_of(candidate: Candidate) -> Claim:
    """Return the candidate's claim as it is attached to a stored incident (place as written in its note)."""
    claim = candidate.to_incident().claims[0]
    if candidate.place_text:
        where = f"place in this report: {candidate.place_text}"
        claim = replace(claim, note="; ".join(n for n in (claim.note, where) if n))
    return claim


def plan_save(candidates: Sequence[Candidate], choices: Mapping[int, Choice], text: str,
              today: date | None = None) -> SavePlan:
    """Check every chosen candidate and return what to write; nothing is written here.

    Parameters
    ----------
    candidates
        The reviewed (edited) candidates, in report order.
    choices
        Candidate position → :class:`Choice`; candidates without a choice are left out (not saved).
    text
        The report (each quote must be in it).

    Raises
    ------
    ReviewError
        Any chosen candidate breaks a rule; ``problems`` names each.
    """
    problems: dict[int, list[str]] = {}
    plan = SavePlan()
    groups: dict[str, str] = {}
    for index, choice in sorted(choices.items()):
        candidate = candidates[index]
        found = check_candidate(candidate, text, today)
        if choice.action == "attach" and candidate.shared_toll:
            found.append("its toll is shared with other places of the report: save the group as new incidents "
                         "(they keep one toll group), or drop it")
        if found:
            problems[index] = found
            continue
        if candidate.victims:
            plan.named[index] = named_victims_of(candidate, text)
        if choice.action == "attach":
            plan.attach.append((index, str(choice.target_uid), choice.target_version, claim_of(candidate)))
            continue
        group = groups.setdefault(candidate.group, f"toll-{new_uid()}") if candidate.group else None
        plan.new.append((index, replace(candidate, group=group).to_incident()))
    if problems:
        raise ReviewError(problems)
    return plan


def save_plan(store: Store, user: User, plan: SavePlan, reason: str | None = None) -> SaveResult:
    """Write a plan as ``user``: every new incident in one transaction, then each claim on its incident.

    A claim that cannot be attached (the incident changed since the documenter saw it, or the user's role does
    not allow it) is reported in ``failed`` and the others are still written; new incidents are all or nothing.

    Raises
    ------
    IncidentsError
        Creating the new incidents failed (permission, validation): nothing was written.
    """
    result = SaveResult()
    if plan.new:
        stored = service.create_incidents(store, user, [incident for _, incident in plan.new], reason=reason)
        result.created = {index: incident.uid for (index, _), incident in zip(plan.new, stored, strict=True)}
    for index, uid, version, claim in plan.attach:
        try:
            service.add_claim(store, user, uid, claim, reason=reason, expected_version=version)
        except IncidentsError as error:
            result.failed[index] = str(error)
        else:
            result.attached[index] = uid
    _save_named(store, user, plan, result, reason)
    return result


def named_victims_of(candidate: Candidate, text: str) -> list[Victim]:
    """Return the candidate's named persons as victim mentions (incident id filled in when saved); each quotes
    the line of the report that names them."""
    source = candidate.source or candidate.attribution or "unnamed source"
    return [Victim(incident_uid="", source_name=source, quote=text[slice(*sentence_at(text, v.span[0]))].strip(),
                   **v.victim_fields()) for v in candidate.victims]


def _save_named(store: Store, user: User, plan: SavePlan, result: SaveResult, reason: str | None) -> None:
    """Store the named victims of every saved candidate; a failure is reported with its candidate."""
    for index, victims in plan.named.items():
        uid = result.created.get(index) or result.attached.get(index)
        if uid is None:
            continue
        try:
            victims_service.add_victims(store, user, [replace(v, incident_uid=uid) for v in victims], reason=reason)
        except IncidentsError as error:
            result.failed[index] = f"named victims not saved: {error}"


def candidate_fields(candidate: Candidate) -> dict[str, Any]:
    """Return the candidate's editable values (field → value), as an editor starts from."""
    names = {f.name for f in fields(candidate)}
    return {name: getattr(candidate, name) for name in EDITABLE if name in names}
