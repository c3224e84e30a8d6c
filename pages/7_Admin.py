"""Admin: accounts, the audit log (view and export), deleted incidents (restore), the four-eyes rule, backups.

The page has no incident filters: it is set up as a plain page (sign-in, navigation), and only admins see
more than a note. Every write is checked again by the service layer.
"""

from __future__ import annotations

import streamlit as st

from incidents.ui import state
from incidents.ui.admin_view import render_admin
from incidents.ui.i18n import t
from incidents.ui.setup import setup_plain_page

settings, store, user = setup_plain_page("Admin")
lang = state.language()
st.title(t("admin", lang))
render_admin(store, user, settings.four_eyes, lang)
