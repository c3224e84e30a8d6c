"""A page reduced to the sign-in: what a dashboard page does before it draws anything (for AppTest)."""

import streamlit as st

from incidents.services.settings import Settings
from incidents.storage.store import Store
from incidents.ui.auth import current_user, render_account_box

settings = Settings.from_env()
store = Store.open(settings.database_url, sample=False)
user = current_user(store, settings)
render_account_box(user, st.query_params.get("lang", "en"))
st.title("Protected content")
st.write(f"user={user.name} role={user.role}")
