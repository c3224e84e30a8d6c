"""What the totals count, said under every total and chart (issue #11; README, "How totals are counted").

The sentence is :func:`incidents.analysis.counting.describe_totals` (the same the exports write); this module only shows
it, links to the possible duplicates when some are undecided, and lists the cumulative tolls shown as context.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from incidents.analysis.counting import Counting, describe_totals
from incidents.ui import cache
from incidents.ui.i18n import t
from incidents.ui.setup import PAGES, Page
from incidents.ui.text import html_text, isolate, ltr_runs

UNDATED_KEY = "counting.show_undated"


def page_counting(page: Page, chosen=None, place_key: str | None = None) -> Counting:
    """Return what the page's totals count (the effective filter unless ``chosen``; one place if given)."""
    return cache.counting(page.url, page.version, chosen if chosen is not None else page.effective,
                          not page.user.sees_unpublished, place_key)


def render_counted(page: Page, counting: Counting) -> None:
    """Show what the totals count and leave out; link to the duplicates page when pairs are undecided."""
    text = ltr_runs(describe_totals(counting, page.lang), page.lang == "ar")
    st.markdown(html_text(text, "div", "im-caption im-counted"), unsafe_allow_html=True)
    links = st.columns([1, 1, 2])
    if counting.duplicate_pairs or not counting.duplicates_checked:
        links[0].page_link(PAGES["duplicates"][0], label=t("see_duplicates", page.lang),
                           icon=":material/content_copy:")
    if counting.undated_outside:
        links[1].button(t("show_undated", page.lang), key=UNDATED_KEY, on_click=_show_undated)


def _show_undated() -> None:
    """Button callback: show the undated incidents (the date range is dropped, the undated filter set)."""
    from incidents.ui import state

    state.set_filter(state.current_filter().with_changes(date_from=None, date_to=None, undated=True))


def render_cumulative(page: Page, records: pd.DataFrame) -> None:
    """List the cumulative tolls of the view: context, never summed (the place profile, the timeline)."""
    if records.empty:
        return
    lang = page.lang
    lines = []
    for row in records.to_dict("records"):
        killed = "?" if pd.isna(row["killed_min"]) else f"{int(row['killed_min']):,}"
        if pd.isna(row["killed_max"]) and not pd.isna(row["killed_min"]):
            killed = t("or_more", lang, n=killed)
        elif not pd.isna(row["killed_max"]) and row["killed_max"] != row["killed_min"]:
            killed += f"–{int(row['killed_max']):,}"
        start = pd.Timestamp(row["date_start"]).date().isoformat() if pd.notna(row["date_start"]) else "…"
        end = pd.Timestamp(row["date_end"]).date().isoformat() if pd.notna(row["date_end"]) else "…"
        names = [n for n in (row["place_name_en"], row["place_name_ar"], row["place_text"]) if isinstance(n, str) and n]
        place = " · ".join(isolate(n) for n in dict.fromkeys(names[:2])) or "—"
        lines.append(ltr_runs(t("cumulative_line", lang, killed=killed, start=start, end=end, place=place),
                              lang == "ar"))
    st.markdown(html_text(t("cumulative_title", lang), "div", "im-muted"), unsafe_allow_html=True)
    st.markdown("".join(html_text(line, "div", "im-caption") for line in lines), unsafe_allow_html=True)
