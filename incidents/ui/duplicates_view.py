"""Possible duplicates: pairs of stored incidents that may be one event, side by side, for a decision.

A reviewer merges a pair (every claim moves to the incident kept; :func:`incidents.services.service.merge_incidents`) or
marks it distinct (:func:`incidents.services.service.mark_distinct`); both are recorded in ``duplicate_decisions`` and the
audit log, and a decided pair is not proposed again. Editors compare the pairs but see no decision controls;
viewers see a note only (the pairs include unpublished records).

This module also holds the side-by-side tables that the Add report page reuses to compare a candidate with a stored
incident; the review pages' labels are the [review] table of the one catalogue (incidents/data/messages.toml).

Rerun behaviour: choosing a pair reruns the script; a decision writes, clears the derived caches and reruns
once (``st.rerun``) so the list is recomputed for the new data version.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from incidents.analysis.mapping import figures_text
from incidents.domain import taxonomy
from incidents.domain.errors import IncidentsError
from incidents.domain.records import Claim, Incident
from incidents.services import service
from incidents.services.dedupe import PossibleDuplicate
from incidents.ui import cache
from incidents.ui.detail_view import claims_table, highlight, source_line
from incidents.ui.i18n import t
from incidents.ui.setup import Page
from incidents.ui.text import md_plain, show_error, show_names, show_text

#: How many pairs the page lists at most (the best first).
PAIR_LIMIT = 200
NOTICE = "dup.notice"

def one_line(text: object) -> str:
    """Return ``text`` on one line (for select-box options, which Streamlit shows as plain text)."""
    return " ".join(str(text or "").split())


def label_text(text: object) -> str:
    """Return ``text`` safe as a widget label, tab label or radio option (which Streamlit renders as Markdown):
    Markdown characters backslash-escaped, one line. Not for select-box options (plain text: use
    :func:`one_line`)."""
    return md_plain(one_line(text))


# -- an incident's facts, side by side ---------------------------------------------------------------------


def _range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"{low}+"
    return figures_text(low or 0, high, None, 0)


def _dates(incident: Incident) -> str:
    if incident.date_start is None:
        return "?"
    text = incident.date_start.isoformat()
    if incident.date_end and incident.date_end != incident.date_start:
        text += f" – {incident.date_end.isoformat()}"
    return text


def place_name(incident: Incident) -> str:
    """Return an incident's place as one line: English · Arabic names, else the place as written."""
    names = [n for n in (incident.place_name_en, incident.place_name_ar) if n]
    return " · ".join(names) or incident.place_text or "?"


def incident_facts(incident: Incident, lang: str) -> list[str]:
    """Return the incident's facts as display text, in the order of :data:`FACT_KEYS`."""
    sources = "; ".join(dict.fromkeys(c.source_name for c in incident.claims))
    return [
        f"{_dates(incident)} ({taxonomy.label('date_precision', incident.date_precision, lang)})",
        f"{place_name(incident)} ({taxonomy.label('location_precision', incident.location_precision, lang)})",
        f"{taxonomy.label('actor', incident.actor, lang)} "
        f"({taxonomy.label('actor_certainty', incident.actor_certainty, lang)})",
        taxonomy.label("event_type", incident.event_type, lang),
        _range(incident.killed_min, incident.killed_max),
        _range(incident.injured_min, incident.injured_max),
        taxonomy.label("civilians", incident.civilians, lang),
        "" if incident.children_killed is None else str(incident.children_killed),
        "" if incident.women_killed is None else str(incident.women_killed),
        taxonomy.label("status", incident.status, lang),
        taxonomy.label("grading", incident.grading, lang),
        str(len(incident.claims)),
        sources,
        incident.uid if incident.created_at else "",
    ]


FACT_KEYS = ("f_date", "f_place", "f_actor", "f_type", "f_killed", "f_injured", "f_civilians", "f_children",
             "f_women", "f_status", "f_grading", "f_claims", "f_sources", "f_id")


def facts_table(columns: dict[str, Incident], lang: str) -> pd.DataFrame:
    """Return incidents' facts side by side: one column per incident (plain text cells), one row per fact."""
    index = [t(f"review.{k}", lang) for k in FACT_KEYS]
    return pd.DataFrame({name: incident_facts(incident, lang) for name, incident in columns.items()}, index=index)


def different_rows(table: pd.DataFrame) -> set[str]:
    """Return the facts (row labels) on which the columns differ (status, claims and id left aside)."""
    ignored = {table.index[i] for i in (9, 11, 12, 13) if i < len(table.index)}
    return {str(label) for label, row in table.iterrows() if label not in ignored and row.nunique() > 1}


def _height(table: pd.DataFrame) -> int:
    """Pixels that show every row of a small table without an inner scroll bar."""
    return 35 * (len(table) + 1) + 3


def _even_columns(table: pd.DataFrame) -> dict:
    """Give every column the same width (long source names would otherwise push the others out of view)."""
    return {str(name): st.column_config.TextColumn(width="medium") for name in table.columns}


def render_side_by_side(columns: dict[str, Incident], lang: str, key: str) -> None:
    """Draw incidents' facts side by side, rows that differ highlighted."""
    table = facts_table(columns, lang)
    st.dataframe(highlight(table, different_rows(table)), width="stretch", key=key, height=_height(table),
                 column_config=_even_columns(table))


def render_claims(claims: Sequence[Claim], lang: str, key: str, quotes: bool = True) -> None:
    """Draw claims side by side (disputed fields highlighted) and, below, each source with its quote."""
    if not claims:
        return
    table, disputed = claims_table(list(claims), lang)
    st.dataframe(highlight(table, disputed), width="stretch", key=key, height=_height(table),
                 column_config=_even_columns(table))
    if quotes:
        for claim in claims:
            st.markdown(source_line(claim), unsafe_allow_html=True)
            show_text(claim.quote, css="im-quote")


# -- the duplicates page -----------------------------------------------------------------------------------


_LRM = "\u200e"  # left-to-right mark: keeps dates and numbers after an Arabic name in their order


def _pair_label(number: int, pair: PossibleDuplicate, a: str, b: str) -> str:
    return one_line(f"{number}. {pair.score:.2f} · {a}{_LRM} ↔ {b}{_LRM}")


def _summaries(page: Page, pairs: list[PossibleDuplicate]) -> dict[str, str]:
    """Return uid → "date · place" of every incident in ``pairs``, from the cached frame (no query per pair)."""
    frame = page.data.frame
    uids = {uid for pair in pairs for uid in (pair.uid_a, pair.uid_b)}
    rows = frame[frame["uid"].isin(uids).to_numpy()]
    out = {}
    for uid, start, end, name_en, name_ar, written in zip(
            rows["uid"], rows["date_start"], rows["date_end"], rows["place_name_en"], rows["place_name_ar"],
            rows["place_text"], strict=True):
        day = "?" if pd.isna(start) else f"{start:%Y-%m-%d}"
        if not pd.isna(end) and end != start:
            day += f" – {end:%Y-%m-%d}"
        names = " · ".join(str(n) for n in (name_en, name_ar) if isinstance(n, str) and n)
        out[str(uid)] = f"{day} · {names or (written if isinstance(written, str) else '?')}"
    return out


_STATUS_RANK = {"draft": 0, "reviewed": 1, "published": 2}


def default_keep(a: Incident, b: Incident) -> str:
    """Return "A" or "B": the incident to keep by default — the further along in review (a published record
    must not vanish into a draft), then the one with more claims, then the one entered first."""
    def rank(incident: Incident) -> tuple:
        created = incident.created_at.isoformat() if incident.created_at else "9999"
        return (-_STATUS_RANK.get(incident.status, 0), -len(incident.claims), created, incident.uid)

    return "A" if rank(a) <= rank(b) else "B"


def _pairs_table(pairs: list[PossibleDuplicate], summaries: dict[str, str], lang: str) -> pd.DataFrame:
    rows = []
    for number, pair in enumerate(pairs, start=1):
        rows.append({"#": number, t("review.score", lang): pair.score, "A": summaries.get(pair.uid_a, pair.uid_a),
                     "B": summaries.get(pair.uid_b, pair.uid_b), t("review.reasons", lang): "; ".join(pair.describe(lang))})
    return pd.DataFrame(rows)


def render_duplicates_page(page: Page) -> None:
    """Draw the possible duplicates of the store and, for the chosen pair, both incidents and the decision."""
    lang = page.lang
    st.title(t("review.dup_title", lang))
    if not page.user.sees_unpublished:
        st.info(t("review.dup_viewer", lang))
        return
    st.caption(t("review.dup_intro", lang))
    if NOTICE in st.session_state:
        st.success(st.session_state.pop(NOTICE))
    found = cache.possible_duplicates(page.url, page.version, False, PAIR_LIMIT)
    summaries = _summaries(page, found)
    pairs = [p for p in found if p.uid_a in summaries and p.uid_b in summaries]
    if not pairs:
        st.info(t("review.dup_none", lang))
        return
    st.markdown(t("review.dup_count", lang, n=len(pairs)))
    if len(found) >= PAIR_LIMIT:
        st.caption(t("review.dup_cap", lang, n=PAIR_LIMIT))
    st.dataframe(_pairs_table(pairs, summaries, lang), hide_index=True, width="stretch", key="dup.table")
    labels = {i: _pair_label(i + 1, p, summaries[p.uid_a], summaries[p.uid_b]) for i, p in enumerate(pairs)}
    # keyed on the data version: after a decision the list changes, and the select box must not keep a label
    # (Streamlit keys its value by label) of a pair that is gone
    chosen = st.selectbox(t("review.dup_pick", lang), list(labels), format_func=labels.__getitem__,
                          key=f"dup.pick.{page.version}")
    pair = pairs[chosen or 0]
    a = cache.stored_incident(page.url, page.version, pair.uid_a)
    b = cache.stored_incident(page.url, page.version, pair.uid_b)
    if a is None or b is None:
        st.warning(t("review.gone", lang))
        return
    _render_pair(page, pair, a, b)


def _render_pair(page: Page, pair: PossibleDuplicate, a: Incident, b: Incident) -> None:
    lang = page.lang
    st.markdown(f"**{t('review.reasons', lang)}**: " + "; ".join(label_text(r) for r in pair.describe(lang)))
    render_side_by_side({f"A · {place_name(a)}": a, f"B · {place_name(b)}": b}, lang, key="dup.facts")
    left, right = st.columns(2)
    for column, name, incident in ((left, "A", a), (right, "B", b)):
        with column:
            show_names(incident.place_name_ar, f"{name} · {incident.place_name_en or incident.place_text or ''}",
                       "h4")
            render_claims(incident.claims, lang, key=f"dup.claims.{name}")
    if not page.user.can("merge"):
        st.info(t("review.need_reviewer", lang))
        return
    _render_decision(page, a, b)


def _render_decision(page: Page, a: Incident, b: Incident) -> None:
    lang = page.lang
    pair_key = f"{a.uid[:8]}.{b.uid[:8]}.{page.version}"
    keep = st.radio(t("review.keep", lang), ["A", "B"], horizontal=True, help=t("review.keep_help", lang),
                    index=["A", "B"].index(default_keep(a, b)), key=f"dup.keep.{pair_key}",
                    format_func=lambda x: f"{x} · {label_text(place_name(a if x == 'A' else b))}")
    kept, other = (a, b) if keep == "A" else (b, a)
    if _STATUS_RANK.get(kept.status, 0) < _STATUS_RANK.get(other.status, 0):
        st.warning(t("review.keep_lower", lang, kept=taxonomy.label("status", kept.status, lang),
                      other=taxonomy.label("status", other.status, lang)))
    reason = st.text_input(t("review.reason", lang), key=f"dup.reason.{pair_key}")
    merge, distinct = st.columns(2)
    if merge.button(t("review.merge", lang), key="dup.merge", type="primary"):
        if not reason.strip():
            st.error(t("review.reason_needed", lang))
            return
        _decide(lambda: service.merge_incidents(page.store, page.user, kept.uid, other.uid, reason=reason.strip(),
                                                keep_version=kept.version, other_version=other.version),
                t("review.merged", lang, other=other.uid, keep=kept.uid))
    if distinct.button(t("review.distinct", lang), key="dup.distinct"):
        _decide(lambda: service.mark_distinct(page.store, page.user, a.uid, b.uid, reason=reason.strip() or None),
                t("review.marked", lang))


def _decide(action, message: str) -> None:
    try:
        action()
    except IncidentsError as error:
        show_error(error)
        return
    cache.clear_after_write()
    st.session_state[NOTICE] = message
    st.rerun()
