"""Map: one feature per place, sized by casualties and coloured by main actor; heat map and choropleth."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.map_view import render_map_page
from incidents.ui.setup import setup_page

page = setup_page("map")
st.title(t("map", page.lang))
render_map_page(page)
