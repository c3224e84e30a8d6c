"""Named victims in the interface (#18): the incident's list, the place profile's list, the person search, the
editing form and the admin's privacy switch.

Every list comes from :mod:`incidents.services.victims_service`, which checks who may see names and audits each read;
this module only draws what it is given. Names and notes are report text: always escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from incidents.domain.errors import IncidentsError
from incidents.domain.records import Incident
from incidents.domain.users import User
from incidents.domain.victims import (
    AGE_GROUPS,
    OUTCOMES,
    SEXES,
    STATUSES,
    Victim,
    describe_named,
    shown_name,
    summarise_named,
)
from incidents.extract.named import NamedVictim
from incidents.services.victims_io import export_victims_csv
from incidents.services.victims_service import (
    NamedFlag,
    add_victim,
    delete_victim,
    flag_named_lists,
    link_mentions,
    load_victims,
    load_victims_of,
    may_see_names,
    search_people,
    set_viewers_see_names,
    victim_history,
    viewers_see_names,
    withhold_name,
)
from incidents.storage.store import Store
from incidents.ui import cache
from incidents.ui.i18n import t
from incidents.ui.setup import Page
from incidents.ui.text import md_escape, show_caption, show_error, show_text

_VALUES = {"age_group": AGE_GROUPS, "sex": SEXES, "outcome": OUTCOMES, "status": STATUSES}


def value_label(name: str, value: str, lang: str) -> str:
    """Return the label of a victim field's code (``sex`` ``female`` → "female" / "أنثى")."""
    return t(f"v_{name}_{value}", lang)


def named_label(victim: NamedVictim, lang: str) -> str:
    """One line for a proposed person: name, age, sex, relation (plain text; widgets show it as text)."""
    parts = [victim.name]
    if victim.age is not None:
        parts.append(t("v_age_years", lang, age=victim.age))
    parts.append(value_label("age_group", victim.age_group, lang))
    parts.append(value_label("sex", victim.sex, lang))
    if victim.relation:
        parts.append(victim.relation)
    return " · ".join(parts)


def victims_table(victims: Sequence[Victim], names_visible: bool, lang: str) -> pd.DataFrame:
    """Return one row per mention: name as shown, age, group, sex, killed/injured, status, relation, source."""
    rows = [{
        t("v_name", lang): shown_name(v, lang, names_visible=names_visible),
        t("v_age", lang): "" if v.age is None else str(v.age),
        t("v_age_group", lang): value_label("age_group", v.age_group, lang),
        t("v_sex", lang): value_label("sex", v.sex, lang),
        t("v_outcome", lang): value_label("outcome", v.outcome, lang),
        t("v_status", lang): value_label("status", v.status, lang),
        t("v_relation", lang): v.relation or "",
        t("v_source", lang): v.source_name,
        t("v_person", lang): v.person[:8],
    } for v in victims]
    return pd.DataFrame(rows)


def render_victims(page: Page, incident: Incident) -> None:
    """Draw the incident's named victims with the counting line ("14 killed, 9 named"); editors may add,
    withhold and remove entries."""
    lang = page.lang
    try:
        listed = load_victims(page.store, page.user, incident.uid)
    except IncidentsError as error:
        show_error(error)
        return
    st.markdown(f"**{md_escape(t('victims', lang))}**")
    summary = summarise_named(incident, listed.victims)
    show_text(describe_named(incident, summary, lang))
    if summary.exceeds_sources:
        st.warning(t("v_exceeds", lang, named=summary.killed_named))
    if summary.below_named:
        st.warning(t("v_below_named", lang, named=summary.killed_named, figure=incident.killed_min or 0))
    if summary.children_from_names or summary.women_from_names:
        show_caption(t("v_derived", lang, children=summary.children_killed or 0, women=summary.women_killed or 0))
    if listed.victims:
        if not listed.names_visible:
            show_caption(t("v_names_hidden", lang))
        st.dataframe(victims_table(listed.victims, listed.names_visible, lang), hide_index=True, width="stretch")
    else:
        show_caption(t("v_none", lang))
    if page.user.can("edit_draft") and (incident.status == "draft" or page.user.can("edit_any")):
        _render_editing(page, incident)


def _render_editing(page: Page, incident: Incident) -> None:
    lang = page.lang
    with st.expander(t("v_edit", lang)):
        _render_add_form(page, incident)
        entries = load_victims(page.store, page.user, incident.uid, purpose="edit", for_edit=True).victims
        for victim in entries:
            _render_entry_actions(page, victim, entries)
        _render_history(page, incident)


def _render_history(page: Page, incident: Incident) -> None:
    """Who added, changed, withheld or read this incident's named victims, and when."""
    entries = victim_history(page.store, page.user, incident.uid)
    if entries:
        st.markdown(f"**{md_escape(t('v_history', page.lang))}**")
        rows = [{"at": e["at"], "who": e["user_name"], "action": e["action"], "entry": e["entity_uid"][:8],
                 "fields": ", ".join(sorted(e["changes"]))} for e in reversed(entries)]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _render_add_form(page: Page, incident: Incident) -> None:
    lang = page.lang
    with st.form(f"add_victim_{incident.uid}", clear_on_submit=True):
        left, right = st.columns(2)
        name_ar = left.text_input(t("v_name_ar", lang))
        name_en = right.text_input(t("v_name_en", lang))
        age = left.number_input(t("v_age", lang), min_value=0, max_value=120, value=None, step=1)
        choices: dict[str, Any] = {name: _code_box(right, name, lang) for name in ("age_group", "sex", "outcome",
                                                                                 "status")}
        relation = st.text_input(t("v_relation", lang))
        sources = [c.source_name for c in incident.claims] or [""]
        source = st.selectbox(t("v_source", lang), sources)
        quote = st.text_area(t("v_quote", lang), height=80)
        withhold = st.checkbox(t("v_withhold", lang))
        if st.form_submit_button(t("v_add", lang)):
            victim = Victim(incident_uid=incident.uid, source_name=source, quote=quote, name_ar=name_ar,
                            name_en=name_en, age=None if age is None else int(age), relation=relation,
                            withhold_name=withhold, **choices)
            _write(lambda: add_victim(page.store, page.user, victim))


def _code_box(column: Any, name: str, lang: str) -> str:
    options: list[str] = list(_VALUES[name])
    return str(column.selectbox(t(f"v_{name}", lang), options, format_func=lambda v: value_label(name, v, lang)))


def _render_entry_actions(page: Page, victim: Victim, entries: Sequence[Victim]) -> None:
    """One entry of the editing list: its name (withheld ones too: editors keep the record right), withhold or
    show, remove, and link it to another mention of the same person."""
    lang = page.lang
    label = _edit_label(victim)
    cols = st.columns([3, 1, 1, 2])
    cols[0].markdown(md_escape(label) + (f" ({md_escape(t('v_withheld_mark', lang))})" if victim.withhold_name
                                         else ""))
    toggle = t("v_show_name", lang) if victim.withhold_name else t("v_withhold", lang)
    if cols[1].button(toggle, key=f"withhold_{victim.uid}"):
        _write(lambda: withhold_name(page.store, page.user, victim.uid, not victim.withhold_name,
                                     expected_version=victim.version, reason="family's request"))
    if cols[2].button(t("v_remove", lang), key=f"remove_{victim.uid}"):
        _write(lambda: delete_victim(page.store, page.user, victim.uid, expected_version=victim.version))
    others = {v.uid: v for v in entries if v.person != victim.person}
    if others:
        target = cols[3].selectbox(t("v_same_as", lang), [None, *others], key=f"link_{victim.uid}",
                                   format_func=lambda u: "—" if u is None else _edit_label(others[u]))
        if target is not None:
            _write(lambda: link_mentions(page.store, page.user, victim.uid, target, expected_version=victim.version))


def _edit_label(victim: Victim) -> str:
    return f"{victim.name_ar or victim.name_en or ''} · {victim.source_name}"


def _write(action) -> None:
    try:
        action()
    except IncidentsError as error:
        show_error(error)
        return
    cache.clear_after_write()
    st.rerun()


def render_place_victims(page: Page, incident_uids: Sequence[str]) -> None:
    """Draw the named victims of a place's incidents (names only for users allowed to see them)."""
    if not incident_uids:
        return
    lang = page.lang
    names = may_see_names(page.store, page.user)
    listed = load_victims_of(page.store, page.user, list(incident_uids), purpose="place", include_names=names)
    if not listed.victims:
        return
    st.subheader(t("victims", lang))
    if not names:
        show_caption(t("v_names_hidden", lang))
    st.dataframe(victims_table(listed.victims, names, lang), hide_index=True, width="stretch")


def render_person_search(page: Page) -> None:
    """Draw the person search: a name (any spelling) → the incidents naming that person."""
    lang = page.lang
    st.subheader(t("v_search", lang))
    if not may_see_names(page.store, page.user):
        st.info(t("v_search_denied", lang))
        return
    _render_flags(flag_named_lists(page.store, page.user), lang)
    query = st.text_input(t("v_search_name", lang), key="person_search")
    if not query.strip():
        return
    hits = search_people(page.store, page.user, query)
    if not hits:
        st.info(t("v_search_none", lang))
        return
    rows = [{t("v_name", lang): shown_name(h.victim, lang), t("v_outcome", lang):
             value_label("outcome", h.victim.outcome, lang), t("f_date", lang): h.day.isoformat() if h.day else "",
             t("f_location", lang): h.place, t("v_source", lang): h.victim.source_name, "id": h.incident_uid}
            for h in hits]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _render_flags(flags: Sequence[NamedFlag], lang: str) -> None:
    """Incidents whose named victims ask for a review of their figures, by reason (counts only, no names)."""
    for reason, key in (("exceeds_sources", "v_flags"), ("editor_below_named", "v_flags_editor")):
        listed = [f for f in flags if f.reason == reason]
        if listed:
            st.warning(t(key, lang, n=len(listed)) + " " + "; ".join(
                f"{md_escape(f.place)} ({md_escape(f.incident_uid[:8])}): {f.killed_named} > {f.figure}"
                for f in listed[:20]))


def render_victims_export(page: Page) -> None:
    """Offer the named victims of the filtered incidents as a CSV (names only when asked for and allowed);
    each preparation is audited."""
    lang = page.lang
    names = may_see_names(page.store, page.user) and st.checkbox(t("v_export_names", lang), key="export.victim_names")
    if st.button(t("v_export", lang), key="export.victims"):
        uids = [str(u) for u in cache.selected_uids(page.url, page.version, page.effective)]
        victims = load_victims_of(page.store, page.user, uids, purpose="export", include_names=names).victims
        st.download_button(t("v_download", lang, n=len(victims)), data=export_victims_csv(victims),
                           file_name="victims.csv", mime="text/csv", key="export.victims_download", on_click="ignore")


def render_names_setting(store: Store, admin: User, lang: str = "en") -> None:
    """Draw the admin's switch: may viewers see victims' names? (stored in the database, audited)"""
    current = viewers_see_names(store)
    wanted = st.toggle(t("v_viewers_see", lang), value=current, help=t("v_viewers_see_help", lang),
                       key="viewers_see_names")
    if wanted != current:
        _write(lambda: set_viewers_see_names(store, admin, wanted, reason="set on the admin page"))


__all__ = ["named_label", "render_names_setting", "render_person_search", "render_place_victims",
           "render_victims", "victims_table"]
