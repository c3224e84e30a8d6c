"""The incidents page: the filtered incidents as a sortable table, the export, and the selected incident.

Rerun behaviour: selecting a row reruns the page once (its callback stores the incident id, which also goes
to the URL as ``?incident=``); sorting and the table's own search run in the browser without a rerun.
"""

from __future__ import annotations

import streamlit as st

from incidents.analysis.counting import describe_totals_bilingual
from incidents.io.exporter import (
    CSV_FORMATS,
    EXTENSIONS,
    MEDIA_TYPES,
    csv_sidecar,
    shows_authors,
    sidecar_name,
)
from incidents.ui import cache, state
from incidents.ui.counting_view import page_counting, render_counted
from incidents.ui.detail_view import render_detail
from incidents.ui.i18n import t
from incidents.ui.setup import Page
from incidents.ui.text import show_caption
from incidents.ui.widgets import display_rows, show_table

TABLE_KEY = "incidents.table"
SHOWN_KEY = "incidents.shown_uids"
FORMAT_KEY = "export.format"
TABLE_LIMIT = 5000
EXPORT_FORMATS = ("csv", "geojson", "xlsx")


def on_row_selected() -> None:
    """Table callback: open the selected incident (kept as the page parameter ``incident``)."""
    selection = st.session_state.get(TABLE_KEY)
    shown = st.session_state.get(SHOWN_KEY) or []
    chosen = getattr(getattr(selection, "selection", None), "rows", None)
    if chosen is None and isinstance(selection, dict):
        chosen = selection.get("selection", {}).get("rows")
    if chosen and 0 <= chosen[0] < len(shown):
        state.set_page_param("incidents", "incident", shown[chosen[0]])


def close_detail() -> None:
    """Button callback: close the incident view."""
    state.set_page_param("incidents", "incident", None)


def render_incidents_page(page: Page) -> None:
    """Draw the incidents page."""
    lang = page.lang
    rows, total = cache.rows(page.url, page.version, page.effective, TABLE_LIMIT)
    show_caption(page.caption(total))
    render_counted(page, page_counting(page))
    uid = page.params.get("incident")
    if uid:
        render_detail(page, uid)
        st.button(t("close", lang), on_click=close_detail, key="incidents.close")
        st.divider()
    if rows.empty:
        st.info(t("no_incidents", lang))
        return
    if total > len(rows):
        st.caption(t("table_cap", lang, shown=len(rows), total=total))
    table = display_rows(rows, lang)
    st.session_state[SHOWN_KEY] = table["uid"].tolist()
    show_table(table, lang, height=460, key=TABLE_KEY, on_select=on_row_selected, selection_mode="single-row")
    st.caption(t("select_hint", lang))
    render_export(page, total)


def render_export(page: Page, total: int) -> None:
    """Draw the export: every filtered incident with its claims, described in the file (or beside a CSV).

    A spinner shows while the file is built; viewers' files do not name who entered the records
    (:func:`incidents.io.exporter.shows_authors`).
    """
    lang = page.lang
    if not page.user.can("export") or total == 0:
        return
    st.subheader(t("export", lang))
    fmt = st.segmented_control(t("format", lang), list(EXPORT_FORMATS), default="csv", required=True,
                               format_func=str.upper, key=FORMAT_KEY, persist_state="session") or "csv"
    if st.button(t("prepare_export", lang, fmt=fmt.upper()), key="export.prepare"):
        about = f"{page.chosen.caption(total, lang)} · {describe_totals_bilingual(page_counting(page))}"
        authors = shows_authors(page.user)
        with st.spinner(t("export_building", lang, fmt=fmt.upper(), n=total)):
            payload = cache.export_bytes(page.url, page.version, page.effective, fmt, about, authors)
        file_name = f"incidents.{EXTENSIONS[fmt]}"
        st.download_button(t("download", lang, fmt=fmt.upper()), data=payload, mime=MEDIA_TYPES[fmt],
                           file_name=file_name, key="export.download", on_click="ignore", type="primary")
        if fmt in CSV_FORMATS:
            st.download_button(t("download_about", lang), data=csv_sidecar(fmt, file_name, about, authors=authors),
                               mime="application/csvm+json", file_name=sidecar_name(file_name),
                               key="export.download_about", on_click="ignore")
    from incidents.ui.victims_view import render_victims_export  # named victims, audited (#18)

    render_victims_export(page)
