"""Timeline: incidents and killed per day, week or month, stacked by actor, with the min–max band."""

import streamlit as st

from incidents.ui.i18n import t
from incidents.ui.setup import setup_page
from incidents.ui.timeline_view import render_timeline_page

page = setup_page("timeline")
st.title(t("timeline", page.lang))
render_timeline_page(page)
