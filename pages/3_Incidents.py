"""Incidents: the filtered incidents as a table, each with all its claims side by side; export."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.setup import setup_page
from incidents.ui.table_view import render_incidents_page
from incidents.ui.victims_view import render_person_search

page = setup_page("incidents")
st.title(t("incidents", page.lang))
render_incidents_page(page)
render_person_search(page)
