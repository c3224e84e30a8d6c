"""Incident records of violence against civilians in Deir ez-Zor: records, storage, import/export,
extraction from reports, filters, aggregation, and the map and chart builders. ``incidents.ui`` is the
only part that imports Streamlit."""
