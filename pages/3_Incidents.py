"""Incidents: the filtered incidents as a table, each with all its claims side by side; export."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.setup import Page, run_page
from incidents.ui.table_view import render_incidents_page
from incidents.ui.victims_view import render_person_search


def render(page: Page) -> None:
    """Draw the page's content (the sidebar follows: :func:`incidents.ui.setup.run_page`)."""
    st.title(t("incidents", page.lang))
    render_incidents_page(page)
    render_person_search(page)


run_page("incidents", render)
