"""Overview: where and when people were killed, by whom and on whose word, for the current filter.

Run with ``streamlit run app.py``; the other views are in ``pages/``.
"""

from incidents.ui.overview import render_overview
from incidents.ui.setup import run_page

run_page("overview", render_overview)
