"""The Add report page: paste or upload a report, review the proposed incidents beside the text, save drafts.

The report's text is shown with every extracted value highlighted where it was read
(:func:`incidents.services.review.build_highlighted_html`: escaped, ``dir="rtl"`` for Arabic). Each candidate has its own
tab of editors (place through a gazetteer search showing Arabic and English names, actor and event type from
the taxonomies, dates, killed and injured minimum–maximum, civilians, children, women, attribution, quote) and a
decision: save as a new incident, attach as a further claim to a stored incident it looks like (shown side by
side with it), or drop. Nothing is decided by default, and nothing is merged silently. Saving writes drafts
through :mod:`incidents.services.service` as the signed-in user; viewers see a note and no controls.

State: the report being reviewed lives in ``st.session_state[STATE]`` (a :class:`ReviewState`); the editors'
widget keys carry the report's number (``rv.<n>.<candidate>.<field>``), so a new report starts from fresh widgets.
The latest edits are copied into the state on every run, so they survive a visit to another page.

Rerun behaviour: every editor reruns the script when it changes (the extraction is not repeated: it runs only
when "Propose incidents" is pressed); saving reruns once (``st.rerun``) to show the outcome.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

import pandas as pd
import streamlit as st

from incidents.analysis.mapping import safe_url
from incidents.domain import taxonomy
from incidents.domain.errors import IncidentsError
from incidents.domain.outlets import load_outlets
from incidents.domain.records import Incident
from incidents.domain.validation import EARLIEST_DATE
from incidents.extract import extract_candidates
from incidents.extract.candidate import Candidate
from incidents.services import review
from incidents.services.dedupe import PossibleDuplicate
from incidents.ui import cache, state
from incidents.ui.duplicates_view import (
    label_text,
    one_line,
    place_name,
    render_claims,
    render_side_by_side,
)
from incidents.ui.i18n import t
from incidents.ui.setup import Page
from incidents.ui.text import said, show_error, show_text
from incidents.ui.victims_view import named_label

log = logging.getLogger(__name__)

STATE = "rv.report"
NOTICE = "rv.notice"
FAILURES = "rv.failures"
_INPUT_KEYS = ("rv.text", "rv.source", "rv.url", "rv.published", "rv.kind")
_EARLIEST = EARLIEST_DATE

#: candidate field → (label key, vocabulary) of the choice editors
_CHOICES = (("actor", "actor", "actor"), ("actor_certainty", "certainty", "actor_certainty"),
            ("event_type", "event_type", "event_type"), ("date_precision", "precision", "date_precision"),
            ("civilians", "civilians", "civilians"))
_COUNTS = (("killed_min", "killed_min"), ("killed_max", "killed_max"), ("injured_min", "injured_min"),
           ("injured_max", "injured_max"), ("children_killed", "children"), ("women_killed", "women"))
_FIELDS = (*(c[0] for c in _CHOICES), *(c[0] for c in _COUNTS), "date_start", "date_end", "attribution", "quote")

REVIEW_CSS = """
<style>
.rv-text{border:1px solid #ddd;border-radius:6px;padding:10px 14px;max-height:75vh;overflow-y:auto;
  line-height:2;white-space:normal;unicode-bidi:plaintext;background:#fff}
.rv-text[dir=rtl]{text-align:right;font-size:1.05rem}
mark.rv-m{padding:0 2px;border-radius:3px;color:inherit}
.rv-place{background:#cfe3ff}.rv-actor{background:#ffd8a8}.rv-event{background:#e5d4ff}.rv-date{background:#c3f0c8}
.rv-killed{background:#ffb3b3}.rv-injured{background:#ffd6e7}.rv-combined{background:#ffc9a3}
.rv-victims{background:#b8f0ea}.rv-named{background:#f5c2f0}.rv-source{background:#e4e4e4}
.rv-q{text-decoration:underline dotted #777;text-underline-offset:4px}
.rv-legend{font-size:0.85rem;line-height:2}
</style>
"""


@dataclass
class ReviewState:
    """The report under review: its text, the candidates as extracted and as edited, and what became of them."""

    nonce: int
    text: str
    source: str
    candidates: list[Candidate]
    edited: list[Candidate] = field(default_factory=list)
    outcome: dict[int, str] = field(default_factory=dict)  # position → message shown instead of the editors
    actions: dict[int, str | None] = field(default_factory=dict)  # position → decision not yet saved
    focus: int | None = None  # the candidate whose editors were drawn in the last run
    lang: str = "en"  # the interface language of the last run (part of the editors' keys)
    opened: dict[int, str] = field(default_factory=dict)  # position → uid of the incident it went to

    def key(self, index: int, name: str) -> str:
        """Return the session key of a candidate's editor.

        The interface language is part of it: Streamlit keys a select box's value by its label, so after a switch
        of language the editors are drawn anew from the state rather than matched against labels in the other
        language.
        """
        return f"rv.{self.nonce}.{self.lang}.{index}.{name}"

    @property
    def open_positions(self) -> list[int]:
        """Positions of the candidates not yet saved or dropped."""
        return [i for i in range(len(self.candidates)) if i not in self.outcome]


def current_report() -> ReviewState | None:
    """Return the report under review in this session, if any.

    Checked by its shape, not its class: when Streamlit's file watcher reloads this module, the object kept in
    the session is an instance of the class as it was, and the documenter's work must not vanish.
    """
    kept = st.session_state.get(STATE)
    if all(hasattr(kept, name) for name in ("nonce", "text", "candidates", "edited", "outcome", "actions")):
        return cast(ReviewState, kept)
    return None


# -- the page ---------------------------------------------------------------------------------------------------


def render_add_report(page: Page) -> None:
    """Draw the Add report page for ``page.user`` (editors and above; a note for anyone else)."""
    lang = page.lang
    st.title(t("review.add_title", lang))
    if not page.user.can("create"):
        st.info(t("review.add_viewer", lang))
        return
    st.markdown(REVIEW_CSS, unsafe_allow_html=True)
    st.caption(t("review.add_intro", lang))
    if NOTICE in st.session_state:
        st.success(st.session_state.pop(NOTICE))
    for message in st.session_state.pop(FAILURES, []):
        show_error(message)
    with st.expander(t("review.report_text", lang), expanded=current_report() is None):
        _render_input(page)
    current = current_report()
    if current is not None:
        _render_review(page, current)


def _render_input(page: Page) -> None:
    lang = page.lang
    kinds = ["", *taxonomy.codes("source_kind")]
    with st.form("rv_input"):
        st.text_area(t("review.report_text", lang), height=220, key="rv.text")
        upload = st.file_uploader(t("review.upload", lang), type=["txt", "html", "htm"], key="rv.file")
        left, middle, right, last = st.columns([1.4, 1.4, 0.8, 1])
        left.text_input(t("review.source", lang), key="rv.source")
        middle.text_input(t("review.url", lang), key="rv.url")
        right.date_input(t("review.published", lang), value=None, min_value=_EARLIEST, max_value=date.today(),
                         help=t("review.published_help", lang), key="rv.published")
        last.selectbox(t("review.kind", lang), kinds, key="rv.kind",
                       format_func=lambda c: taxonomy.label("source_kind", c, lang) if c else t("review.kind_guess", lang))
        submitted = st.form_submit_button(t("review.propose", lang), type="primary")
    if submitted and _propose(page, upload):
        st.rerun()  # draw the review with the report panel folded


def _report_text(upload: Any) -> str:
    if upload is not None:
        return review.read_report_file(upload.getvalue(), upload.name)
    return review.prepare_text(st.session_state.get("rv.text") or "")


def _propose(page: Page, upload: Any) -> bool:
    """Read the report and extract its candidates into a new :class:`ReviewState`; False (and an error shown)
    when there is nothing to review."""
    lang, values = page.lang, st.session_state
    try:
        text = _report_text(upload)
    except IncidentsError as error:
        show_error(error)
        return False
    url = (values.get("rv.url") or "").strip()
    if not text:
        st.error(t("review.no_text", lang))
        return False
    if url and not safe_url(url):
        st.error(t("review.bad_url", lang))
        return False
    source = (values.get("rv.source") or "").strip()
    try:
        with st.spinner(t("proposing", lang), show_time=True):  # the gazetteer's first load takes a while
            gazetteer = cache.review_gazetteer(page.store, page.url)
            found = extract_candidates(text, values.get("rv.published"), source or None, url or None,
                                       gazetteer) if gazetteer is not None else None
    except Exception:  # noqa: BLE001 - any failure of the rules: say so, log the details
        log.exception("extraction failed")
        st.error(t("review.extract_failed", lang))
        return False
    if found is None:
        st.error(t("review.no_gazetteer", lang))
        return False
    kind = values.get("rv.kind")
    if kind:
        found = [replace(c, source_kind=kind) for c in found]
    previous = current_report()
    nonce = previous.nonce + 1 if previous is not None else 1
    values[STATE] = ReviewState(nonce=nonce, text=text, source=source, candidates=found, edited=list(found))
    return True


def _clear_report() -> None:
    """Button callback: forget the report under review and its inputs."""
    for key in [k for k in st.session_state if str(k).startswith("rv.")]:
        del st.session_state[key]


# -- reviewing -------------------------------------------------------------------------------------------------


def _render_review(page: Page, report: ReviewState) -> None:
    lang = page.lang
    if not report.candidates:
        st.warning(t("review.no_candidates", lang))
        st.button(t("review.new_report", lang), key="rv.again", on_click=_clear_report)
        return
    _collect(report)
    report.lang = lang
    stored = cache.with_search(page.url, page.version)  # wording counts in the look-alike score
    similar = {i: review.find_similar(report.edited[i], stored) for i in report.open_positions}
    st.info(t("review.n_candidates", lang, n=len(report.candidates)))
    focus = st.selectbox(t("review.candidate_pick", lang), list(range(len(report.candidates))),
                         key=f"rv.{report.nonce}.focus",
                         format_func=lambda i: _choice_label(report, i)) or 0
    _show(report, focus)
    left, right = st.columns([1, 1.15])
    with left:
        st.markdown(review.legend_html(lang), unsafe_allow_html=True)
        st.markdown(review.build_highlighted_html(report.text, _spans(report, focus), lang), unsafe_allow_html=True)
    with right:
        if focus in report.outcome:
            _render_outcome(report, focus, lang)
        else:
            _render_editor(page, report, focus, similar[focus])
    st.divider()
    _render_summary(report, similar, lang)
    _render_save(page, report)


def _collect(report: ReviewState) -> None:
    """Copy the editors of the candidate shown in the previous run into the review state.

    Only that candidate had editors (widgets) the user could change. Streamlit drops the values of widgets that
    are not drawn, so the state, not the widgets, holds every candidate's edits and decision.
    """
    shown = report.focus
    if shown is not None and shown in report.open_positions and report.key(shown, "quote") in st.session_state:
        report.edited[shown] = _edited(report, shown)
        report.actions[shown] = st.session_state.get(report.key(shown, "action"))


def _show(report: ReviewState, focus: int) -> None:
    """Give the candidate shown now its editors' values from the state, unless it was already shown."""
    if focus in report.open_positions and (focus != report.focus
                                           or report.key(focus, "quote") not in st.session_state):
        _seed(report, focus)
    report.focus = focus


def _seed(report: ReviewState, index: int) -> None:
    """Set a candidate's editors to its values in the review state (the latest edits and decision)."""
    edited, values = report.edited[index], st.session_state
    for name in _FIELDS:
        value = getattr(edited, name)
        values[report.key(index, name)] = value if value is not None or name in _DATES_AND_COUNTS else ""
    values[report.key(index, "place")] = edited.place
    values[report.key(index, "action")] = report.actions.get(index)
    original = report.candidates[index]
    values[report.key(index, "named")] = [i for i, v in enumerate(original.victims) if v in edited.victims]


_DATES_AND_COUNTS = {"date_start", "date_end", *(c[0] for c in _COUNTS)}


def _edited(report: ReviewState, index: int) -> Candidate:
    values = st.session_state
    original = report.candidates[index]
    edits: dict[str, Any] = {name: values.get(report.key(index, name)) for name in _FIELDS}
    place = values.get(report.key(index, "place"))
    edits["place"] = place
    if place == original.place:
        edits["location_precision"] = original.location_precision
    if place is not None and place != original.place:
        edits["place_text"] = original.place_text
    candidate = review.apply_edits(original, edits)
    kept = values.get(report.key(index, "named"))
    if kept is not None:  # the named victims the documenter keeps (#18)
        candidate = replace(candidate, victims=[original.victims[i] for i in kept if i < len(original.victims)])
    return candidate


def _spans(report: ReviewState, index: int) -> dict[str, list[tuple[int, int]]]:
    """The candidate's spans; the quote's follows the documenter's edit when it is found in the text."""
    candidate, original = report.edited[index], report.candidates[index]
    spans = dict(original.spans)
    position = report.text.find(candidate.quote) if candidate.quote else -1
    if candidate.quote != original.quote and position >= 0:
        spans["quote"] = [(position, position + len(candidate.quote))]
    return spans


def _choice_label(report: ReviewState, index: int) -> str:
    """The candidate selector's option: number and place, the same in both languages and fixed for the report
    (Streamlit keys a select box's value by its label, so a label that changed with an edit, a decision or the
    interface language would lose the user's place). Progress and look-alikes are in the summary table."""
    candidate = report.candidates[index]
    place = candidate.place or {}
    name = place.get("name_en") or place.get("name_ar") or candidate.place_text or "?"
    return one_line(f"{index + 1} · {name}")


def _render_summary(report: ReviewState, similar: dict[int, list[PossibleDuplicate]], lang: str) -> None:
    """Draw every candidate in one table: what it says and what was decided (plain-text cells)."""
    rows = []
    for index, candidate in enumerate(report.edited):
        place = candidate.place or {}
        killed = _figures(candidate.killed_min, candidate.killed_max)
        rows.append({
            "#": index + 1, t("review.place", lang): place.get("name_en") or candidate.place_text or "",
            t("review.date_start", lang): candidate.date_start.isoformat() if candidate.date_start else "",
            t("review.actor", lang): taxonomy.label("actor", candidate.actor, lang),
            t("review.event_type", lang): taxonomy.label("event_type", candidate.event_type, lang),
            t("review.f_killed", lang): killed, "≈": len(similar.get(index) or []),
            t("review.decision", lang): report.outcome.get(index) or _action_text(report.actions.get(index), lang),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"rv.{report.nonce}.summary")


def _figures(low: int | None, high: int | None) -> str:
    """Return a minimum–maximum as text: "7", "5–9", "100+" (no maximum stated), "≤9" or ""."""
    if low is None:
        return "" if high is None else f"≤{high}"
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


def _action_text(action: str | None, lang: str) -> str:
    if not action:
        return ""
    if action.startswith("attach:"):
        return t("review.opt_attach_short", lang, uid=action[7:15])
    return t("review.opt_" + action, lang)


def _render_outcome(report: ReviewState, index: int, lang: str) -> None:
    show_text(report.outcome[index])
    uid = report.opened.get(index)
    if uid and st.button(t("review.open", lang, uid=uid[:8]), key=report.key(index, "open")):
        state.set_page_param("incidents", "incident", uid)
        st.switch_page("pages/3_Incidents.py")


def _render_editor(page: Page, report: ReviewState, index: int, similar: list[PossibleDuplicate]) -> None:
    lang, candidate = page.lang, report.edited[index]
    _render_notes(report, index, lang)
    _render_place(page, report, index)
    _render_fields(report, index, lang)
    problems = review.check_candidate(candidate, report.text)
    if problems:
        show_error(f"{t('review.fix', lang)}: " + " · ".join(said(p, lang) for p in problems))
    if similar:
        _render_similar(page, candidate, similar, report.key(index, "similar"))
    _render_choice(page, report, index, similar)


def _render_notes(report: ReviewState, index: int, lang: str) -> None:
    candidate = report.edited[index]
    show_text(_source_line(candidate, lang), css="im-muted")
    if candidate.notes:
        show_text(f"{t('review.notes', lang)}: " + "; ".join(candidate.notes), css="im-muted")
    if candidate.shared_toll and candidate.group:
        others = [str(i + 1) for i, c in enumerate(report.candidates) if c.group == candidate.group and i != index]
        st.warning(t("review.shared", lang, others=", ".join(others)))  # candidate numbers only


def _source_line(candidate: Candidate, lang: str) -> str:
    """The proposed source kind, the publisher's outlet and who says it, named from the outlet list."""
    outlets = load_outlets()

    def name(code: str | None) -> str:
        outlet = outlets.get(code or "")
        return outlet.label(lang) if outlet is not None else "—"

    said = name(candidate.attributed_outlet) if candidate.attributed_outlet else candidate.attribution or "—"
    return t("review.proposed_source", lang, kind=taxonomy.label("source_kind", candidate.source_kind, lang),
              outlet=name(candidate.outlet), said=said)


def _admin_text(gazetteer: Any, place: dict, lang: str) -> str:
    """Return the place's sub-district and district by name (P-codes mean nothing to most documenters)."""
    names = []
    for level in ("admin3", "admin2"):
        code = place.get(level)
        if not code:
            continue
        name_ar, name_en = gazetteer.admin_name(code) if hasattr(gazetteer, "admin_name") else ("", "")
        names.append((name_ar if lang == "ar" else name_en) or name_en or name_ar or str(code))
    return " / ".join(names)


def _place_line(gazetteer: Any, place: dict | None, written: str | None, lang: str) -> str:
    if not place:
        return f"{t('review.place_none', lang)} ({t('review.as_written', lang)}: {written or '—'})"
    kind = taxonomy.label("location_precision", str(place.get("precision") or ""), lang) or place.get("kind") or ""
    return (f"{place.get('name_en') or ''} · {place.get('name_ar') or ''} — {kind}, "
            f"{_admin_text(gazetteer, place, lang)} ({t('review.as_written', lang)}: {written or '—'})")


def _render_place(page: Page, report: ReviewState, index: int) -> None:
    lang = page.lang
    place_key, hits_key = report.key(index, "place"), report.key(index, "place_hits")
    gazetteer = cache.review_gazetteer(page.store, page.url)
    st.markdown(f"**{t('review.place', lang)}**")
    show_text(_place_line(gazetteer, st.session_state.get(place_key), report.edited[index].place_text, lang))
    left, right = st.columns(2)
    query = left.text_input(t("review.place_search", lang), key=report.key(index, "place_q"))
    hits: dict[str, dict] = {}
    if gazetteer is not None and query.strip():
        hits = {m.id: m.to_dict() for m in gazetteer.search(query, limit=10)}
    st.session_state[hits_key] = hits
    labels = {pid: _pick_label(gazetteer, place, lang) for pid, place in hits.items()}
    labels |= {"": t("review.place_unchanged", lang), "-": t("review.place_none", lang)}
    right.selectbox(t("review.place_pick", lang), ["", "-", *hits], key=report.key(index, "place_pick"),
                    format_func=labels.__getitem__,
                    on_change=_on_place_pick, args=(report.key(index, "place_pick"), place_key, hits_key))


def _pick_label(gazetteer: Any, place: dict, lang: str) -> str:
    return one_line(f"{place.get('name_en') or '?'} · {place.get('name_ar') or ''} "
                    f"({place.get('kind')}, {_admin_text(gazetteer, place, lang)})")


def _on_place_pick(pick_key: str, place_key: str, hits_key: str) -> None:
    """Callback: set the candidate's place to the gazetteer entry picked, then reset the picker."""
    picked = st.session_state.get(pick_key)
    hits = st.session_state.get(hits_key) or {}
    if picked == "-":
        st.session_state[place_key] = None
    elif picked in hits:
        st.session_state[place_key] = hits[picked]
    st.session_state[pick_key] = ""


def _choice(column: Any, report: ReviewState, index: int, name: str, label: str, vocabulary: str, lang: str) -> None:
    codes: list[str] = list(taxonomy.codes(vocabulary))
    column.selectbox(t(f"review.{label}", lang), codes, key=report.key(index, name),
                     format_func=lambda c: taxonomy.label(vocabulary, str(c), lang))


def _count(column: Any, report: ReviewState, index: int, name: str, label: str, lang: str) -> None:
    column.number_input(t(f"review.{label}", lang), value=None, min_value=0, step=1, key=report.key(index, name))


def _render_fields(report: ReviewState, index: int, lang: str) -> None:
    for column, (name, label, vocabulary) in zip(st.columns(3), _CHOICES[:3], strict=True):
        _choice(column, report, index, name, label, vocabulary, lang)
    dates = st.columns(3)
    for column, name in zip(dates, ("date_start", "date_end"), strict=False):
        column.date_input(t(f"review.{name}", lang), value=None, min_value=_EARLIEST, max_value=date.today(),
                          key=report.key(index, name))
    _choice(dates[2], report, index, "date_precision", "precision", "date_precision", lang)
    for column, (name, label) in zip(st.columns(4), _COUNTS[:4], strict=True):
        _count(column, report, index, name, label, lang)
    victims = st.columns(3)
    _choice(victims[0], report, index, "civilians", "civilians", "civilians", lang)
    for column, (name, label) in zip(victims[1:], _COUNTS[4:], strict=True):
        _count(column, report, index, name, label, lang)
    st.text_input(t("review.attribution", lang), key=report.key(index, "attribution"))
    st.text_area(t("review.quote", lang), key=report.key(index, "quote"), height=110)
    _render_named(report, index, lang)


def _render_named(report: ReviewState, index: int, lang: str) -> None:
    """Let the documenter keep or drop each person the extractor found named (#18)."""
    found = report.candidates[index].victims
    if found:
        st.multiselect(t("named_keep", lang), options=list(range(len(found))), key=report.key(index, "named"),
                       format_func=lambda i: named_label(found[i], lang), help=t("named_keep_help", lang))


def _render_similar(page: Page, candidate: Candidate, similar: list[PossibleDuplicate], key: str) -> None:
    lang = page.lang
    st.warning(t("review.similar", lang))
    mine = candidate.to_incident()
    for number, pair in enumerate(similar):
        stored = cache.stored_incident(page.url, page.version, pair.uid_b)
        if stored is None:
            continue
        st.markdown(f"**{t('review.why', lang)}**: " + "; ".join(label_text(r) for r in pair.describe(lang)))
        columns = {t("review.this_report", lang): mine, _stored_label(stored, lang): stored}
        render_side_by_side(columns, lang, key=f"{key}.facts.{number}")
        st.caption(t("review.claims_note", lang))
        render_claims([*stored.claims, review.claim_of(candidate)], lang, key=f"{key}.claims.{number}",
                      quotes=False)


def _stored_label(incident: Incident, lang: str) -> str:
    day = incident.date_start.isoformat() if incident.date_start else "?"
    return t("review.stored", lang, date=day, place=place_name(incident)) + f" · {incident.uid[:8]}"


def _render_choice(page: Page, report: ReviewState, index: int, similar: list[PossibleDuplicate]) -> None:
    lang = page.lang
    targets = {p.uid_b: cache.stored_incident(page.url, page.version, p.uid_b) for p in similar}
    options = ["new", *(f"attach:{uid}" for uid, incident in targets.items() if incident is not None), "drop"]

    def label(option: str) -> str:
        if option.startswith("attach:"):
            incident = targets[option.split(":", 1)[1]]
            day = incident.date_start.isoformat() if incident and incident.date_start else "?"
            return label_text(t("review.opt_attach", lang, date=day, place=place_name(incident) if incident else "?",
                                 uid=option[7:15]))
        return t("review.opt_" + option, lang)

    key = report.key(index, "action")
    if st.session_state.get(key) not in options:  # e.g. attach to an incident no longer proposed after an edit
        st.session_state[key] = None
    choice = st.radio(t("review.decision", lang), options, index=None, format_func=label, key=key)
    if choice and choice.startswith("attach:"):
        incident = targets[choice.split(":", 1)[1]]
        if incident is not None and incident.status != "draft" and not page.user.can("edit_any"):
            st.warning(t("review.needs_reviewer", lang, status=taxonomy.label("status", incident.status, lang)))


# -- saving ------------------------------------------------------------------------------------------------


def _choices(page: Page, report: ReviewState) -> tuple[dict[int, review.Choice], list[int]]:
    """Return the decided candidates' choices (new or attach) and the positions of those dropped."""
    choices: dict[int, review.Choice] = {}
    dropped = []
    for index in report.open_positions:
        action = report.actions.get(index)
        if action == "new":
            choices[index] = review.Choice("new")
        elif isinstance(action, str) and action.startswith("attach:"):
            uid = action.split(":", 1)[1]
            stored = cache.stored_incident(page.url, page.version, uid)
            choices[index] = review.Choice("attach", uid, stored.version if stored is not None else None)
        elif action == "drop":
            dropped.append(index)
    return choices, dropped


def _render_save(page: Page, report: ReviewState) -> None:
    lang = page.lang
    choices, dropped = _choices(page, report)
    undecided = len(report.open_positions) - len(choices) - len(dropped)
    if undecided:
        st.caption(t("review.undecided", lang, n=undecided))
    left, right = st.columns([2, 1])
    clicked = left.button(t("review.save", lang, n=len(choices) + len(dropped)), type="primary", key=f"rv.{report.nonce}.save",
                          disabled=not (choices or dropped))
    right.button(t("review.new_report", lang), key=f"rv.{report.nonce}.again", on_click=_clear_report)
    if clicked:
        _save(page, report, choices, dropped)


def _save(page: Page, report: ReviewState, choices: dict[int, review.Choice], dropped: list[int]) -> None:
    lang = page.lang
    try:
        plan = review.plan_save(report.edited, choices, report.text)
        result = review.save_plan(page.store, page.user, plan, reason=f"entered from a report ({report.source})")
    except review.ReviewError as error:
        for index, problems in sorted(error.problems.items()):
            show_error(f"{t('review.candidate', lang, n=index + 1)}: " + "; ".join(said(p, lang) for p in problems))
        return
    except IncidentsError as error:
        show_error(error)
        return
    for index, uid in result.created.items():
        report.outcome[index], report.opened[index] = t("review.saved_new", lang, uid=uid), uid
    for index, uid in result.attached.items():
        report.outcome[index], report.opened[index] = t("review.saved_attach", lang, uid=uid), uid
    for index in dropped:
        report.outcome[index] = t("review.dropped", lang)
    failures = [f"{t('review.candidate', lang, n=index + 1)}: " + t("review.save_failed", lang, message=message)
                for index, message in sorted(result.failed.items())]
    if result.created or result.attached:
        cache.clear_after_write()
    st.session_state[NOTICE] = t("review.saved_summary", lang, new=len(result.created), attached=len(result.attached))
    st.session_state[FAILURES] = failures
    st.rerun()
