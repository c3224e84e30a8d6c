"""The incident history as the detail view shows it, behind the sign-in (for AppTest)."""

import os

import streamlit as st

from incidents.services.settings import Settings
from incidents.storage.store import Store
from incidents.ui.auth import current_user, render_account_box
from incidents.ui.history import render_history

settings = Settings.from_env()
store = Store.open(settings.database_url, sample=False)
user = current_user(store, settings)
render_account_box(user)
st.title("Incident")
render_history(store, os.environ["TEST_INCIDENT_UID"], user)
