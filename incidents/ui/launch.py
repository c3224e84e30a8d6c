"""``python -m incidents.ui.launch``: start the dashboard warm (what ``make run`` and the deployment units run).

``streamlit run app.py`` loads nothing until the first visitor arrives: that visitor then waits for the
libraries to import, the gazetteer and boundaries to load and the incident data to be prepared. This launcher
starts the same server (same command-line options after ``run app.py``) and, as soon as its runtime exists,
warms in a background thread what every first page needs, in the order a page needs it:

1. the page modules and the libraries they import (pandas, folium, altair, streamlit-folium);
2. the store (opened and migrated; a new embedded database gets the real sample), the gazetteer and the map's
   boundaries;
3. the current data version's prepared incident data;
4. the default view of the two kinds of visitor (everything, and published records only): totals, per-place
   summary, the map's data layers and the monthly timeline.

The caches warmed are the dashboard's own (:mod:`incidents.ui.cache`: ``st.cache_resource`` and global
``st.cache_data`` are shared by every session of the process), so a visitor who arrives during the warm-up
waits for the same work instead of doing it twice. A failure of the warm-up is logged and costs nothing but
the warm start: the first visitor then loads what is missing as before.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger("incidents.launch")

#: Warm-up steps, logged with their durations (``warm: gazetteer 1.23 s``).
Step = tuple[str, Callable[[], object]]


def warm_steps() -> list[Step]:
    """Return the warm-up steps, in the order a first page needs them."""
    return [("libraries", _import_pages), ("store", _store), ("gazetteer", _gazetteer),
            ("boundaries", _boundaries), ("data", _data), ("default views", _default_views)]


def _import_pages() -> None:
    """The page modules and what they import, except Streamlit components (they register only when imported
    during a page's run: see :mod:`incidents.ui.folium_map`)."""
    import incidents.ui.map_view  # noqa: F401 - folium
    import incidents.ui.overview  # noqa: F401
    import incidents.ui.table_view  # noqa: F401
    import incidents.ui.timeline_view  # noqa: F401 - altair


def _store() -> None:
    from incidents.ui import cache

    cache.get_store(cache.get_settings().database_url)


def _gazetteer() -> None:
    from incidents.ui import cache

    cache.get_gazetteer()


def _boundaries() -> None:
    from incidents.ui import cache

    cache.boundaries()


def _data() -> None:
    from incidents.ui import cache

    url = cache.get_settings().database_url
    cache.current_data(cache.get_store(url), url)


def _default_views() -> None:
    """What the overview and the map page show a visitor who arrives with no filter (totals, what they count,
    the possible duplicates, the monthly timeline, the newest incidents, the sources, the map's layers), for a
    user who sees every record and for a viewer (published records only)."""
    from incidents.analysis.filters import Filter
    from incidents.domain.users import LOCAL_USER, User
    from incidents.services.query import visible_filter
    from incidents.ui import cache, map_view, overview

    url = cache.get_settings().database_url
    version = cache.get_store(url).data_version()
    chosen = Filter()
    for user in (LOCAL_USER, User(name="viewer", role="viewer")):
        effective = visible_filter(user, chosen)
        cache.totals(url, version, effective)
        cache.counting(url, version, effective, not user.sees_unpublished)
        cache.places(url, version, effective)
        cache.periods(url, version, effective, "month", "en")
        cache.timeline_svg(url, version, effective, "en")
        cache.rows(url, version, effective, overview.LATEST)
        cache.source_counts(url, version, effective)
        map_view.layers_of(url, version, chosen, effective, "en")
    cache.attribution()


def warm(steps: list[Step] | None = None, ready: Callable[[], bool] | None = None,
         poll_s: float = 0.05, timeout_s: float = 120.0) -> dict[str, float]:
    """Wait until ``ready()`` (the Streamlit runtime exists), then run the warm-up steps; return their seconds.

    A step that fails is logged and skipped; the steps after it still run (each loads what it needs).
    """
    ready = ready or _runtime_exists
    deadline = time.monotonic() + timeout_s
    while not ready():
        if time.monotonic() > deadline:
            log.warning("warm: the server did not start within %.0f s; nothing warmed", timeout_s)
            return {}
        time.sleep(poll_s)  # waiting for a condition (the runtime), checked every poll_s
    _quiet_outside_sessions()  # after the server has read its configuration, which sets every logger's level
    took: dict[str, float] = {}
    for name, step in steps if steps is not None else warm_steps():
        start = time.perf_counter()
        try:
            step()
        except Exception:  # noqa: BLE001 - a failed warm-up must not stop the server
            log.exception("warm: %s failed; the first visitor will load it", name)
            continue
        took[name] = time.perf_counter() - start
        log.info("warm: %s %.2f s", name, took[name])
    log.info("warm: ready (%.2f s)", sum(took.values()))
    return took


def _runtime_exists() -> bool:
    from streamlit import runtime

    return runtime.exists()


def main(argv: list[str] | None = None) -> None:
    """Start the warm-up thread, then ``streamlit run app.py`` with the options ``argv``."""
    _log_to_stderr()
    threading.Thread(target=warm, name="incidents-warm", daemon=True).start()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", "app.py", *(sys.argv[1:] if argv is None else argv)]
    streamlit_main(prog_name="streamlit")


def _log_to_stderr() -> None:
    """The warm-up's own lines (``warm: data 0.42 s``) on stderr, beside the server's."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def _quiet_outside_sessions() -> None:
    """The warm-up runs cached functions outside any session: Streamlit warns about the missing session
    context once per element (the spinners); those warnings say nothing here."""
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.caching.cache_data_api", "streamlit.elements.spinner"):
        logging.getLogger(name).setLevel(logging.ERROR)


if __name__ == "__main__":
    main()
