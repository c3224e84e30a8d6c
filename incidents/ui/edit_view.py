"""Working on one incident in the dashboard: review and publish, grade, edit, add a claim, delete; its history.

Every change goes through :mod:`incidents.services.service` as the signed-in user, with the version the page was drawn
from (optimistic locking): the service decides what the role may do, records the change in the audit log, and
refuses a change to a record somebody else changed meanwhile — :func:`render_conflict` then shows both. Only the
controls the user's role allows are drawn; viewers see none.

Rerun behaviour: each panel is an ``st.form``, so typing reruns nothing; a submit writes and reruns the page,
whose caches follow the store's data version. The forms' keys name the incident, not its version, so a submit
survives the rerun it causes; the version the user is working from is kept apart (:data:`SEEN_PREFIX`) and only
moves on after the user's own save or an explicit reload, so another user's change in between is a conflict,
never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from incidents.domain import taxonomy
from incidents.domain.errors import ConflictError, IncidentsError
from incidents.domain.records import Claim, Incident
from incidents.domain.validation import EARLIEST_DATE
from incidents.services import service
from incidents.ui.history import render_conflict, render_history
from incidents.ui.i18n import CLAIM_FIELDS, t
from incidents.ui.setup import Page
from incidents.ui.text import show_error

DONE_KEY = "edit.done"  # the last change's confirmation, shown after the rerun it causes
SEEN_PREFIX = "edit.seen."  # + uid: the version of the record the user is working from



def render_editing(page: Page, incident: Incident) -> None:
    """Draw the panels the user's role allows for ``incident``, and its history."""
    lang, user = page.lang, page.user
    st.markdown(f"**{t('edit.work', lang)}**")
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(done)
    if not user.can("edit_draft"):
        st.caption(t("edit.viewer", lang))
        render_history(page.store, incident.uid, user, key=f"history-{incident.uid}", lang=lang)
        return
    seen_version(incident)  # pin the version this user now sees: their next save is checked against it
    names = ["review", "edit", "claim", "history"] + (["delete"] if user.can("delete") else [])
    tabs = dict(zip(names, st.tabs([t(f"edit.{n}", lang) for n in names]), strict=True))
    with tabs["review"]:
        _review_form(page, incident)
    with tabs["edit"]:
        _edit_form(page, incident)
    with tabs["claim"]:
        _claim_form(page, incident)
    with tabs["history"]:
        render_history(page.store, incident.uid, user, key=f"history-{incident.uid}", lang=lang)
    if "delete" in tabs:
        with tabs["delete"]:
            _delete_form(page, incident)


def _choice(label: str, vocabulary: str, current: str, lang: str, key: str) -> str:
    codes = list(taxonomy.codes(vocabulary))
    return st.selectbox(label, codes, index=codes.index(current) if current in codes else 0, key=key,
                        format_func=lambda c: taxonomy.label(vocabulary, c, lang))


def _apply(page: Page, incident: Incident, changes: dict, reason: str | None) -> None:
    """Save ``changes`` through the service; confirm, or show why not (conflict, role, rule)."""
    changes = {k: v for k, v in changes.items() if getattr(incident, k) != v}
    if not changes:
        st.info(t("edit.unchanged", page.lang))
        return
    _write(page, incident, lambda: service.update_incident(
        page.store, page.user, incident.uid, changes, expected_version=seen_version(incident),
        reason=reason or None, policy=service.load_policy(page.store, _policy(page))).version, changes)


def _write(page: Page, incident: Incident, action: Callable[[], int], changes: dict | None = None) -> None:
    """Run a write that returns the incident's new version; on a conflict show the other change and offer a
    reload (nothing is overwritten), on any other refusal show the message, else confirm."""
    try:
        version = action()
    except ConflictError as error:
        render_conflict(error, changes, page.lang)
        _offer_reload(page, incident)
        return
    except IncidentsError as error:
        show_error(error)
        return
    _confirm(page, incident.uid, version)


def _policy(page: Page) -> service.Policy:
    return service.Policy(four_eyes=page.settings.four_eyes)


def seen_version(incident: Incident) -> int:
    """Return the version of ``incident`` the user is working from (the one first shown to them)."""
    return int(st.session_state.setdefault(SEEN_PREFIX + incident.uid, incident.version))


def _start_over(uid: str, version: int) -> None:
    """Work from ``version`` now: forget the forms' values so they are drawn again from the record."""
    st.session_state[SEEN_PREFIX + uid] = version
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith((f"edit-{uid}", f"claim-{uid}",
                                                                                      f"delete-{uid}"))]:
        del st.session_state[key]


def _offer_reload(page: Page, incident: Incident) -> None:
    st.button(t("edit.reload", page.lang), key=f"reload-{incident.uid}", on_click=_start_over,
              args=(incident.uid, incident.version))


def _confirm(page: Page, uid: str, version: int) -> None:
    _start_over(uid, version)
    st.session_state[DONE_KEY] = t("edit.saved", page.lang, v=version)
    st.rerun()


def _review_form(page: Page, incident: Incident) -> None:
    lang, key = page.lang, f"edit-{incident.uid}"
    with st.form(f"{key}-review"):
        status = _choice(t("edit.status", lang), "status", incident.status, lang, f"{key}-status")
        grading = _choice(t("edit.grading", lang), "grading", incident.grading, lang, f"{key}-grading")
        reason = st.text_input(t("edit.reason", lang), key=f"{key}-review-reason")
        submitted = st.form_submit_button(t("edit.save", lang))
    if submitted:  # outside the form: the outcome may offer buttons of its own
        _apply(page, incident, {"status": status, "grading": grading}, reason)


def _edit_form(page: Page, incident: Incident) -> None:
    lang, key = page.lang, f"edit-{incident.uid}"
    with st.form(f"{key}-edit"):
        changes = _record_fields(incident, lang, key)
        changes |= _figure_fields(incident, lang, key)
        reason = st.text_input(t("edit.reason", lang), key=f"{key}-edit-reason")
        submitted = st.form_submit_button(t("edit.save", lang))
    if submitted:
        _apply(page, incident, changes, reason)


def _record_fields(incident: Incident, lang: str, key: str) -> dict:
    left, right = st.columns(2)
    with left:
        actor = _choice(t("claim_fields.actor", lang), "actor", incident.actor, lang, f"{key}-actor")
        certainty = _choice(t("edit.certainty", lang), "actor_certainty", incident.actor_certainty, lang,
                            f"{key}-certainty")
        event_type = _choice(t("claim_fields.event_type", lang), "event_type", incident.event_type, lang, f"{key}-type")
        civilians = _choice(t("claim_fields.civilians", lang), "civilians", incident.civilians, lang, f"{key}-civ")
    with right:
        start = st.date_input(t("claim_fields.date_start", lang), value=incident.date_start, key=f"{key}-start",
                              min_value=EARLIEST_DATE, max_value=_last_day(incident.date_start))
        end = st.date_input(t("claim_fields.date_end", lang), value=incident.date_end, key=f"{key}-end",
                            min_value=EARLIEST_DATE, max_value=_last_day(incident.date_end))
        precision = _choice(t("edit.date_precision", lang), "date_precision", incident.date_precision, lang,
                            f"{key}-precision")
        target = st.text_input(t("edit.target", lang), value=incident.target or "", key=f"{key}-target")
    description = st.text_area(t("edit.description", lang), value=incident.description or "", key=f"{key}-desc")
    tags = st.text_input(t("edit.tags", lang), value="; ".join(incident.tags), key=f"{key}-tags")
    return {"actor": actor, "actor_certainty": certainty, "event_type": event_type, "civilians": civilians,
            "date_start": start, "date_end": end, "date_precision": precision, "target": target.strip() or None,
            "description": description.strip() or None,
            "tags": tuple(t.strip() for t in tags.split(";") if t.strip())}


_FIGURES = ("killed_min", "killed_max", "killed_best", "injured_min", "injured_max", "children_killed",
            "women_killed")


def _figure_fields(incident: Incident, lang: str, key: str) -> dict:
    by_hand = st.checkbox(t("edit.by_hand", lang), value=incident.figures_rule == "editor", key=f"{key}-byhand")
    columns = st.columns(len(_FIGURES))
    values = {}
    for column, name in zip(columns, _FIGURES, strict=True):
        with column:
            values[name] = st.number_input(_figure_label(name, lang), min_value=0, step=1, value=getattr(incident, name),
                                           key=f"{key}-{name}")
    if not by_hand:
        return {"figures_rule": "claims"} if incident.figures_rule == "editor" else {}
    return {name: None if value is None else int(value) for name, value in values.items()}


def _figure_label(name: str, lang: str) -> str:
    """Return the label of figure field ``name``: a claim's field's own, else the edit form's (``killed_best``)."""
    return t(f"claim_fields.{name}" if name in CLAIM_FIELDS else f"edit.{name}", lang)


def _claim_form(page: Page, incident: Incident) -> None:
    lang, key = page.lang, f"claim-{incident.uid}"
    with st.form(f"{key}-form", clear_on_submit=False):
        left, right = st.columns(2)
        with left:
            name = st.text_input(t("edit.source_name", lang), key=f"{key}-name")
            kind = _choice(t("claim_fields.source_kind", lang), "source_kind", "other", lang, f"{key}-kind")
            url = st.text_input(t("edit.url", lang), key=f"{key}-url")
            language = st.text_input(t("edit.language", lang), key=f"{key}-lang")
            published = st.date_input(t("claim_fields.published", lang), value=None, key=f"{key}-published",
                                      min_value=EARLIEST_DATE, max_value=date.today())
        with right:
            figures = {n: st.number_input(_figure_label(n, lang), min_value=0, step=1, value=None, key=f"{key}-{n}")
                       for n in _FIGURES if n != "killed_best"}
            civilians = _choice(t("claim_fields.civilians", lang), "civilians", "unknown", lang, f"{key}-civ")
        quote = st.text_area(t("edit.quote", lang), key=f"{key}-quote")
        attribution = st.text_input(t("edit.attribution", lang), key=f"{key}-attribution")
        reason = st.text_input(t("edit.reason", lang), key=f"{key}-reason")
        submitted = st.form_submit_button(t("edit.save", lang))
    if submitted:
        counts = {n: None if v is None else int(v) for n, v in figures.items()}
        claim = Claim(source_name=name.strip(), quote=quote.strip(), source_kind=kind, url=url.strip() or None,
                      language=language.strip() or None, published=published, civilians=civilians,
                      attribution=attribution.strip() or None, killed_min=counts["killed_min"],
                      killed_max=counts["killed_max"], injured_min=counts["injured_min"],
                      injured_max=counts["injured_max"], children_killed=counts["children_killed"],
                      women_killed=counts["women_killed"])
        _add_claim(page, incident, claim, reason)


def _add_claim(page: Page, incident: Incident, claim: Claim, reason: str) -> None:
    _write(page, incident, lambda: service.add_claim(page.store, page.user, incident.uid, claim,
                                                     reason=reason or None,
                                                     expected_version=seen_version(incident)).version)


def _delete_form(page: Page, incident: Incident) -> None:
    lang, key = page.lang, f"delete-{incident.uid}"
    st.caption(t("edit.delete_note", lang))
    with st.form(f"{key}-form"):
        reason = st.text_input(t("edit.reason", lang), key=f"{key}-reason")
        submitted = st.form_submit_button(t("edit.delete", lang))
    if not submitted:
        return

    def delete() -> int:
        service.delete_incident(page.store, page.user, incident.uid, reason=reason,
                                expected_version=seen_version(incident))
        return seen_version(incident) + 1

    _write(page, incident, delete)


def _last_day(value: date | None) -> date:
    """The last day a record's date widget offers: today, or the record's own day if it is later (a record stored
    on a server whose day is ahead of this one's must still open)."""
    return max(date.today(), value) if value else date.today()
