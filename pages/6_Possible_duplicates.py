"""Possible duplicates: stored incidents that may be one event, side by side; merge (keeping every claim) or mark
distinct."""

from incidents.ui.duplicates_view import render_duplicates_page
from incidents.ui.setup import run_page

run_page("duplicates", render_duplicates_page)
