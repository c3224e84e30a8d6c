"""The timeline page: incidents or killed per day/week/month stacked by actor, with the min–max band.

Rerun behaviour: dragging across the chart reruns the page once; the selection's callback has already set
the filter's dates, so the sidebar, caption, chart and list below all show the selected range.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from incidents.analysis import charts
from incidents.analysis.filters import Filter
from incidents.ui import cache, state
from incidents.ui.counting_view import page_counting, render_counted, render_cumulative
from incidents.ui.i18n import t
from incidents.ui.setup import Page
from incidents.ui.text import show_caption
from incidents.ui.widgets import display_rows, show_table

CHART_KEY = "timeline.chart"
FREQ_KEY = "timeline.freq"
MEASURE_KEY = "timeline.measure"
LIST_LIMIT = 500


DRAGS_KEY = "timeline.drags"


def chart_key(chosen: Filter) -> str:
    """The chart's widget key: a new one for each date range and each drag, so a drag's rectangle does not
    outlive it (the chart redrawn for the selected range starts without a selection)."""
    return f"{CHART_KEY}.{chosen.date_from or ''}.{chosen.date_to or ''}.{st.session_state.get(DRAGS_KEY, 0)}"


def on_range_selected(key: str) -> None:
    """Chart callback: set the filter's date range to what was dragged on chart ``key`` (whole days)."""
    chosen = charts.selected_range(st.session_state.get(key))
    if chosen is None:
        return
    start, end = chosen
    st.session_state[DRAGS_KEY] = st.session_state.get(DRAGS_KEY, 0) + 1
    state.set_dates(start.date(), end.date())


def clear_dates() -> None:
    """Button callback: remove the date range."""
    state.set_dates(None, None)


def render_timeline_page(page: Page) -> None:
    """Draw the timeline page."""
    lang = page.lang
    totals = cache.totals(page.url, page.version, page.effective)
    show_caption(page.caption(totals.incidents))
    counting = page_counting(page)
    render_counted(page, counting)
    left, right, third = st.columns([1, 1, 2])
    freq = left.segmented_control(t("per", lang), ["day", "week", "month"], default="month", required=True,
                                  format_func=lambda f: t(f"per_{f}", lang), key=FREQ_KEY, persist_state="session")
    measure = right.segmented_control(t("measure", lang), list(charts.MEASURES), default="killed", required=True,
                                      format_func=lambda m: t(f"measure_{m}", lang), key=MEASURE_KEY,
                                      persist_state="session")
    if page.chosen.date_from or page.chosen.date_to:
        third.button(t("clear_dates", lang), on_click=clear_dates, key="timeline.clear")
    by_actor, bands = cache.periods(page.url, page.version, page.effective, freq or "month", lang)
    if by_actor.empty and not counting.undated:
        st.info(t("no_incidents", lang))
        return
    cumulative = cache.cumulative(page.url, page.version, page.effective)
    timeline, undated = st.columns([9, 1]) if counting.undated else (st.container(), None)
    if len(by_actor):
        chart = charts.build_timeline(by_actor, bands, freq=freq or "month", figure=page.effective.figure,
                                      measure=measure or "killed", lang=lang)
        chart = charts.with_cumulative_band(chart, cumulative, lang=lang)
        key = chart_key(page.chosen)
        timeline.altair_chart(chart, key=key, on_select=partial(on_range_selected, key),
                              selection_mode=[charts.SELECTION], width="stretch")
    if undated is not None:  # counted, but with no place in time: a bin of their own
        undated.altair_chart(charts.build_undated_bin(counting.undated, counting.undated_killed,
                                                      measure=measure or "killed", lang=lang), width="stretch")
    st.caption(t("drag_hint", lang))
    render_cumulative(page, cumulative)
    render_spans_and_delays(page)
    render_selection_list(page, totals.incidents)


def render_spans_and_delays(page: Page) -> None:
    """Draw the date-range incidents and the report-delay chart side by side."""
    lang = page.lang
    spans, delays = cache.spans_and_delays(page.url, page.version, page.effective)
    left, right = st.columns([1.4, 1])
    with left:
        if len(spans):
            st.subheader(t("spans", lang))
            st.altair_chart(charts.build_spans(spans, lang=lang), width="stretch")
    with right:
        st.subheader(t("delays", lang))
        if delays["n"].sum():
            st.altair_chart(charts.build_delays(delays, lang=lang), width="stretch")
        else:
            st.caption(t("no_report_dates", lang))


def render_selection_list(page: Page, total: int) -> None:
    """List the incidents of the current view (newest first)."""
    lang = page.lang
    st.subheader(t("selection_list", lang))
    rows, count = cache.rows(page.url, page.version, page.effective, LIST_LIMIT)
    if rows.empty:
        return
    if count > len(rows):
        st.caption(t("table_cap", lang, shown=len(rows), total=count))
    show_table(display_rows(rows, lang).drop(columns=["uid", "killed_min"]), lang, height=360)
