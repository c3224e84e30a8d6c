"""The Streamlit edge: page setup, cached data, filter state, sidebar and the views of each page.

This package, ``app.py`` and ``pages/`` are the only code that imports Streamlit. Everything they show is
computed by the domain modules (:mod:`incidents.analysis.filters`, :mod:`incidents.analysis.aggregate`,
:mod:`incidents.analysis.mapping`, :mod:`incidents.analysis.charts`) and cached in :mod:`incidents.ui.cache`.
"""
