"""Timeline: incidents and killed per day, week or month, stacked by actor, with the min–max band."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.setup import Page, run_page
from incidents.ui.timeline_view import render_timeline_page


def render(page: Page) -> None:
    """Draw the page's content (the sidebar follows: :func:`incidents.ui.setup.run_page`)."""
    st.title(t("timeline", page.lang))
    render_timeline_page(page)


run_page("timeline", render)
