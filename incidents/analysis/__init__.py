"""The read side: the incident frame, filters, aggregation, totals that count each death once,
and the map and chart builders. Pure over frames: no storage writes, no Streamlit."""
