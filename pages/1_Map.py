"""Map: one feature per place, sized by casualties and coloured by main actor; heat map and choropleth."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.map_view import render_map_page
from incidents.ui.setup import Page, run_page


def render(page: Page) -> None:
    """Draw the page's content (the sidebar follows: :func:`incidents.ui.setup.run_page`)."""
    st.title(t("map", page.lang))
    render_map_page(page)


run_page("map", render)
