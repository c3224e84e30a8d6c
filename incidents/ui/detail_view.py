"""One incident in full: figures with their band, description, every claim side by side, sources, map.

Fields on which the sources disagree (:func:`incidents.domain.figures.disagreements`) are highlighted; nothing is
reconciled away. All report text is shown escaped (:mod:`incidents.ui.text`).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from incidents.analysis.aggregate import AREA_LEVELS
from incidents.analysis.mapping import esc, safe_url
from incidents.domain import taxonomy
from incidents.domain.errors import NotFound
from incidents.domain.figures import disagreements
from incidents.domain.records import Claim, Incident
from incidents.ui import cache
from incidents.ui.i18n import CLAIM_FIELDS, t
from incidents.ui.map_view import render_point_map
from incidents.ui.setup import Page
from incidents.ui.text import bidi_html, html_text, ltr_runs, md_escape, show_names, show_text
from incidents.ui.widgets import figures

#: claim field → (English, Arabic) row label, in display order (kept in the message catalogue)
CLAIM_ROWS = CLAIM_FIELDS
_VOCABULARY = {"source_kind": "source_kind", "actor": "actor", "actor_certainty": "actor_certainty",
               "event_type": "event_type", "civilians": "civilians"}
HIGHLIGHT = "background-color: #ffe08a"


#: Fields whose values are facts about the incident: sources that differ on them disagree (the others describe
#: the source itself: its kind, language, date, who it quotes, a note).
COMPARED = ("actor", "actor_certainty", "event_type", "date_start", "date_end", "killed_min", "killed_max",
            "injured_min", "injured_max", "civilians", "children_killed", "women_killed")


def claim_value(claim: Claim, name: str, lang: str) -> str:
    """Return a claim's field as display text (codes as labels; missing as an empty string; a maximum no source
    gave, over a stated minimum, as "70+ (no maximum)")."""
    value = getattr(claim, name)
    if name in ("killed_max", "injured_max") and value is None:
        low = getattr(claim, name.replace("_max", "_min"))
        return t("open_cell", lang, n=f"{low:,}") if low is not None else ""
    if value is None or value == "":
        return ""
    if name in _VOCABULARY:
        return taxonomy.label(_VOCABULARY[name], str(value), lang)
    return str(value)


def claims_table(claims: list[Claim], lang: str) -> tuple[pd.DataFrame, set[str]]:
    """Return the claims side by side (one column per source, one row per field) and the disputed fields.

    Row labels are the field names' display labels; the second value is the set of those labels whose
    values differ between sources.
    """
    index = 1 if lang == "ar" else 0
    columns = {}
    for number, claim in enumerate(claims, start=1):
        columns[f"{number} · {claim.source_name}"] = [claim_value(claim, n, lang) for n in CLAIM_ROWS]
    table = pd.DataFrame(columns, index=[labels[index] for labels in CLAIM_ROWS.values()])
    table = table[(table != "").any(axis=1)]  # fields no source stated are left out
    return table, disputed_rows(table, claims, lang)


def disputed_rows(table: pd.DataFrame, claims: list[Claim], lang: str) -> set[str]:
    """Return the row labels on which the sources disagree, as the duplicates page marks them: any difference
    in what the table shows ("70" against "70+ (no maximum)", "Unknown" or nothing against "Yes"), on the fields
    that are facts about the incident, and every field :func:`incidents.domain.figures.disagreements` names."""
    if len(claims) < 2:
        return set()
    index = 1 if lang == "ar" else 0
    compared = {CLAIM_ROWS[name][index] for name in COMPARED}
    differ = {str(label) for label, row in table.iterrows() if label in compared and row.nunique() > 1}
    return differ | {CLAIM_ROWS[name][index] for name in disagreements(claims) if name in CLAIM_ROWS}


def highlight(table: pd.DataFrame, disputed: set[str]) -> object:
    """Return a Styler that marks the disputed rows."""
    return table.style.apply(lambda row: [HIGHLIGHT if row.name in disputed else "" for _ in row], axis=1)


def load_visible(page: Page, uid: str) -> Incident | None:
    """Return the incident if it exists and the user may see it (viewers: published only)."""
    try:
        incident = page.store.get_incident(uid)
    except NotFound:
        return None
    if not page.user.sees_unpublished and incident.status != "published":
        return None
    return incident


def render_detail(page: Page, uid: str) -> None:
    """Draw incident ``uid``, or say that there is none the user may see."""
    lang = page.lang
    incident = load_visible(page, uid)
    if incident is None:
        st.warning(t("not_found", lang))
        return
    st.subheader(t("detail", lang))
    show_names(incident.place_name_ar, incident.place_name_en or incident.place_text, "h3")
    left, right = st.columns([1.5, 1])
    with left:
        _render_summary(incident, lang)
        if incident.description:
            st.markdown(f"**{t('description', lang)}**")
            show_text(incident.description)
    with right:
        area = None
        if incident.location_precision in AREA_LEVELS:
            code = getattr(incident, AREA_LEVELS[incident.location_precision])
            area = cache.boundaries().areas.get(code) if code else None
        render_point_map(page, incident.lat, incident.lon, area, key="detail_map", height=260)
    if incident.claims:
        st.markdown(f"**{t('claims', lang)}**")
        table, disputed = claims_table(incident.claims, lang)
        st.dataframe(highlight(table, disputed), width="stretch")
        if disputed:
            st.caption(t("disagree", lang))
        _render_quotes(incident.claims, lang)
    from incidents.ui.edit_view import render_editing  # review, edit, add a claim, history (by role)
    from incidents.ui.victims_view import render_victims  # named victims (#18)

    render_victims(page, incident)
    render_editing(page, incident)


def _render_summary(incident: Incident, lang: str) -> None:
    day = incident.date_start.isoformat() if incident.date_start else t("undated", lang)
    if incident.date_end and incident.date_end != incident.date_start:
        day += f" – {incident.date_end.isoformat()}"
    killed = t("not_stated", lang) if incident.killed_min is None else figures(
        incident.killed_min, incident.killed_max if incident.killed_max is not None else incident.killed_min,
        incident.killed_best, int(incident.killed_max is None), lang)
    facts = [
        (t("f_date", lang), f"{day} ({taxonomy.label('date_precision', incident.date_precision, lang)})"),
        (t("f_actor", lang), f"{taxonomy.label('actor', incident.actor, lang)} "
                             f"({taxonomy.label('actor_certainty', incident.actor_certainty, lang)})"),
        (t("f_type", lang), taxonomy.label("event_type", incident.event_type, lang)),
        (t("f_killed", lang), killed),
        *([(t("f_injured", lang), figures(incident.injured_min, incident.injured_max
                                           if incident.injured_max is not None else incident.injured_min, lang=lang))]
          if incident.injured_min is not None else []),
        (t("f_civilians", lang), taxonomy.label("civilians", incident.civilians, lang)),
        (t("f_grading", lang), taxonomy.label("grading", incident.grading, lang)),
        (t("f_status", lang), taxonomy.label("status", incident.status, lang)),
        (t("f_location", lang), f"{incident.place_text or ''} — "
                                f"{taxonomy.label('location_precision', incident.location_precision, lang)}"),
    ]
    if incident.record_kind != "incident":  # what the toll covers (README, "How totals are counted")
        facts.insert(0, (t("f_kind", lang), taxonomy.label("record_kind", incident.record_kind, lang)))
    facts += extra_facts(incident, lang)
    # dates and ranges keep their order inside Arabic text ("2018-12-02", not "02-12-2018")
    lines = "".join(f"<div dir=\"auto\"><b>{md_escape(k)}</b>: {bidi_html(md_escape(ltr_runs(v, lang == 'ar')))}</div>"
                    for k, v in facts)
    st.markdown(lines, unsafe_allow_html=True)
    _render_covers(incident, lang)
    if incident.figures_rule == "editor" and incident.figures_reason:
        show_text(t("figures_by_editor", lang, reason=incident.figures_reason), css="im-muted")
    _render_other_columns(incident, lang)


#: Extra data an import keeps under its own name (shown as labelled facts; every other key is a column of the file).
_RANGES = ("children_killed", "women_killed", "men_killed")
_KNOWN_EXTRA = ("actors", "location_accuracy", "men_killed", *(f"{k}_{end}" for k in _RANGES for end in ("min", "max")))


def extra_facts(incident: Incident, lang: str) -> list[tuple[str, str]]:
    """Return what an import kept in ``incident.extra`` as (label, text) facts: every suspected belligerent of a
    contested attribution, the children/women/men ranges as the file gave them, its stated location accuracy.
    Values are plain text (the caller escapes them)."""
    extra = incident.extra or {}
    facts = []
    actors = extra.get("actors")
    if isinstance(actors, list) and actors:
        names = ", ".join(taxonomy.label("actor", str(code), lang) for code in actors)
        certainty = taxonomy.label("actor_certainty", incident.actor_certainty, lang)
        facts.append((t("x_actors", lang, certainty=certainty), names))
    for kind in _RANGES:
        text = _range_text(extra.get(f"{kind}_min"), extra.get(f"{kind}_max"), lang)
        if text is None and kind == "men_killed" and _count(extra.get("men_killed")) is not None:
            text = f"{_count(extra.get('men_killed')):,}"
        if text is not None:
            facts.append((t(f"x_{kind}", lang), text))
    if extra.get("location_accuracy") not in (None, ""):
        facts.append((t("x_location_accuracy", lang), str(extra["location_accuracy"])))
    return facts


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _range_text(low: object, high: object, lang: str) -> str | None:
    """A range from a file: "3–5", "3" (both ends equal), "3+ (no maximum)", "up to 5"; None when neither end."""
    low, high = _count(low), _count(high)
    if low is None and high is None:
        return None
    if high is None:
        return t("open_cell", lang, n=f"{low:,}")
    if low is None:
        return t("x_up_to", lang, n=f"{high:,}")
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def other_columns(incident: Incident) -> list[tuple[str, str]]:
    """Return the imported file's other kept columns as (column, value) text, in the order they were kept (lists
    and objects as JSON)."""
    rows = []
    for key, value in (incident.extra or {}).items():
        if key in _KNOWN_EXTRA or value in (None, ""):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        rows.append((str(key), text))
    return rows


def other_columns_html(rows: list[tuple[str, str]], lang: str) -> str:
    """Return the other columns as a small HTML table, every cell escaped (:func:`incidents.ui.text.html_text`)."""
    head = f"<tr><th>{md_escape(t('x_column', lang))}</th><th>{md_escape(t('x_value', lang))}</th></tr>"
    body = "".join(f"<tr><td>{html_text(key)}</td><td>{html_text(value)}</td></tr>" for key, value in rows)
    return f'<table class="im-extra">{head}{body}</table>'


def _render_other_columns(incident: Incident, lang: str) -> None:
    rows = other_columns(incident)
    if rows:
        st.markdown(f"**{md_escape(t('x_other', lang))}**")
        st.markdown(other_columns_html(rows, lang), unsafe_allow_html=True)


def _render_covers(incident: Incident, lang: str) -> None:
    """Link a combined or cumulative record to the recorded incidents it covers."""
    if not incident.covers:
        return
    st.caption(t("covers", lang, n=len(incident.covers)))
    for number, uid in enumerate(incident.covers, start=1):
        st.page_link("pages/3_Incidents.py", label=f"{number} · {uid[:8]}", query_params={"incident": uid})


def source_line(claim: Claim) -> str:
    """Return the escaped HTML of a claim's source: name (linked when its URL is http/https) and date."""
    name = html_text(claim.source_name)
    link = safe_url(claim.url)
    if link:
        name = f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer nofollow">{name}</a>'
    published = f" · {md_escape(claim.published.isoformat())}" if claim.published else ""
    return f"<div>{name}{published}</div>"


def _render_quotes(claims: list[Claim], lang: str) -> None:
    for claim in claims:
        st.markdown(source_line(claim), unsafe_allow_html=True)
        show_text(claim.quote, css="im-quote")
