"""The overview (app.py): headline figures, a small map and timeline, the latest incidents, sources."""

from __future__ import annotations

import streamlit as st

from incidents.domain import taxonomy
from incidents.ui import cache
from incidents.ui.counting_view import page_counting, render_counted
from incidents.ui.i18n import t
from incidents.ui.map_view import render_small_map
from incidents.ui.setup import PAGES, Page
from incidents.ui.text import show_caption
from incidents.ui.widgets import display_rows, render_totals, show_static_table


def render_overview(page: Page) -> None:
    """Draw the overview of the page's filter.

    The browser reveals newly loaded elements in batches: each element still waiting for its part of Streamlit's
    front end (a data grid, the sidebar's widgets: see :func:`incidents.ui.setup.run_page`) held the map's frame
    back with it (#16). So the lists below the map are light static tables. (Sending the chart after the lists
    made no difference that could be measured: it follows the map either way.) A new visitor's first run ends after
    the head and the map (:meth:`incidents.ui.setup.Page.end_first_run`): the rest follows once the map is drawn."""
    lang = page.lang
    st.title(t("app_title", lang))
    head = st.container()  # filled after the map is sent: the browser starts loading the map first
    left, right = st.columns([1.1, 1])
    with left:
        render_small_map(page)
        st.page_link(PAGES["map"][0], label=t("map", lang), icon=":material/map:")
    with head:
        totals = cache.totals(page.url, page.version, page.effective)
        show_caption(page.caption(totals.incidents))
        render_totals(totals, page.effective.figure, lang)
        render_counted(page, page_counting(page))
        if totals.incidents == 0:
            st.info(t("no_incidents", lang))
    page.end_first_run()  # a new visitor's first run ends here: the rest follows at once (#16)
    with right:
        render_small_timeline(page)
    render_latest(page)
    render_sources(page)


def render_small_timeline(page: Page) -> None:
    """Draw the monthly timeline of the filter by actor (static SVG: :mod:`incidents.analysis.svg_timeline`), and the
    link to the timeline page."""
    lang = page.lang
    chart = cache.timeline_svg(page.url, page.version, page.effective, lang)
    if chart:
        st.markdown(chart, unsafe_allow_html=True)  # built from escaped text (see svg_timeline)
    st.page_link(PAGES["timeline"][0], label=t("timeline", lang), icon=":material/timeline:")


#: How many of the newest incidents the overview lists.
LATEST = 10


def render_latest(page: Page, limit: int = LATEST) -> None:
    """Draw the newest incidents of the filter."""
    lang = page.lang
    st.subheader(t("latest", lang))
    rows, _total = cache.rows(page.url, page.version, page.effective, limit)
    if rows.empty:
        return
    show_static_table(display_rows(rows, lang).drop(columns=["uid", "killed_min"]), lang)
    st.page_link(PAGES["incidents"][0], label=t("incidents", lang), icon=":material/table_rows:")


def render_sources(page: Page) -> None:
    """Draw who the figures rest on (source names and kinds of the filtered incidents) and the attribution."""
    lang = page.lang
    st.subheader(t("sources", lang))
    counts = cache.source_counts(page.url, page.version, page.effective)
    if len(counts):
        counts = counts.assign(kind=[taxonomy.label("source_kind", k, lang) if k else "" for k in counts["kind"]])
        labels = {"source": t("src_name", lang), "kind": t("source_kinds", lang), "incidents": t("src_records", lang)}
        show_static_table(counts[list(labels)], lang, labels)
    text = cache.attribution()
    if text:
        with st.expander(t("geo_attribution", lang)):
            st.markdown(text)  # a file of this repository, not report text
