"""Place profile: one village or town — names, admin path, coordinates, its incidents, nearby places."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.place_view import render_place_page
from incidents.ui.setup import setup_page

page = setup_page("place")
st.title(t("place", page.lang))
render_place_page(page)
