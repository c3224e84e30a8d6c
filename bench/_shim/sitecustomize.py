"""Bench shim, put on ``PYTHONPATH`` only by ``bench.browser`` when it starts ``streamlit run app.py``.

With ``BENCH_FRAME_BUILDER=proposed`` the dashboard process builds its incident frame with the proposed
vectorised builder (:mod:`bench.fastframe`, checked to give the same frame) instead of
``incidents.frame.build_frame``, whose per-row Python makes a 1M-incident cold start take tens of minutes.
Nothing else changes. Without that variable this module does nothing.
"""

import os

if os.environ.get("BENCH_FRAME_BUILDER") == "proposed":
    import incidents.frame
    from bench import fastframe

    incidents.frame.build_frame = fastframe.build_frame  # type: ignore[assignment]
