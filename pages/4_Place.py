"""Place profile: one village or town — names, admin path, coordinates, its incidents, nearby places."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.place_view import render_place_page
from incidents.ui.setup import Page, run_page


def render(page: Page) -> None:
    """Draw the page's content (the sidebar follows: :func:`incidents.ui.setup.run_page`)."""
    st.title(t("place", page.lang))
    render_place_page(page)


run_page("place", render)
