"""The dashboard's pages in Streamlit's AppTest and in chromium, on a bench store.

AppTest runs ``pages/1_Map.py`` in this process with ``DATABASE_URL`` pointing at the bench store: a first
run (the frame is already loaded in this process), then a rerun after each change of the sidebar's actor filter (the map component is built and
serialised as in the browser; AppTest only cannot draw it). The browser part starts the real server
(:class:`bench.browser.Dashboard`) and measures start → first map on the overview, then filter changes on
the map page.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import browser
from bench.data_bench import quiet_streamlit
from bench.results import Results, size_label
from bench.stores import BenchStore
from bench.timing import Stats, once
from incidents.domain import taxonomy

SECTION_APP = "The running dashboard"
ROOT = Path(__file__).resolve().parents[1]
MAP_PAGE = "pages/1_Map.py"
ACTOR_WIDGET = "flt.actors"
#: Actors added one after another to the filter: each addition is one filter change.
ACTOR_SEQUENCE = ("coalition", "isis", "russia", "government", "sdf", "pmf")


@contextmanager
def database(url: str) -> Any:
    """Point ``DATABASE_URL`` at ``url`` (local mode) for the duration."""
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "INCIDENTS_AUTH")}
    os.environ.update(DATABASE_URL=url, INCIDENTS_AUTH="local")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def measure_apptest(results: Results, bstore: BenchStore, repeats: int) -> None:
    """Time the map page's cold run and its reruns after filter changes, in AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from incidents.ui import setup

    quiet_streamlit()
    st.cache_data.clear()  # the loaded frame (cache_resource) is kept: its cold load is measured elsewhere
    size = bstore.size
    # The first run's pause leaves a browser time to draw the map (#16); AppTest draws nothing, so it is not timed.
    setup.FIRST_RUN_PAUSE_S = 0
    with database(bstore.url):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
        app.switch_page(MAP_PAGE)  # from the entry script, as a user opening the map page (page links need it)
        cold, _ = once(app.run)
        if app.exception:
            results.skip(SECTION_APP, "AppTest: map page", f"the page raised: {app.exception[0].message}", size=size)
            return
        results.add(SECTION_APP, "AppTest: map page, first run", cold, "s", size=size,
                    note="data already loaded in this process (cold load: cache.get_data above); a new "
                    "session's two runs (head and map, then the whole page), without the pause between them")
        chosen: list[str] = []
        times = []
        for actor in ACTOR_SEQUENCE[:max(1, repeats)]:
            chosen.append(actor)
            widget = app.sidebar.multiselect(key=ACTOR_WIDGET).set_value(list(chosen))
            elapsed, _ = once(widget.run)
            times.append(elapsed)
    results.add(SECTION_APP, "AppTest: map page rerun after a filter change", Stats(tuple(times)), "s", size=size,
                note="actor added to the filter; cache misses", key=f"apptest_rerun_s_{size_label(size)}")


def measure_browser(results: Results, bstore: BenchStore, repeats: int, out_dir: Path, timeout_s: float) -> None:
    """Start the dashboard (as ``make run`` does: warm start) and drive it in chromium.

    Figures: process start → first page answered; process start → first map drawn (overview); on the warm
    server, a new visitor's page request → first map; a filter change on the map page → map redrawn; a drag
    across the timeline → the page drawn for the selected range; the server's resident size at the end.
    """
    size, label = bstore.size, size_label(bstore.size)
    dashboard = browser.Dashboard(bstore.url, out_dir / f"streamlit-{label}.log")
    with browser.chromium() as context:
        try:
            dashboard.start()
            ready = dashboard.wait_ready(timeout_s)
            results.add(SECTION_APP, "browser: process start → first page answered", ready, "s", size=size,
                        note="the launcher of make run (warm start) on an existing database",
                        key=f"server_ready_s_{label}")
            first, page = browser.first_map(dashboard, context, "/", timeout_s)
            results.add(SECTION_APP, "browser: process start → first map drawn", first, "s", size=size,
                        note="overview page requested as soon as the server answers; includes the warm-up",
                        key=f"first_map_s_{label}")
            warm = dashboard.wait_warm(timeout_s)
            results.add(SECTION_APP, "server: process start → warm-up finished", warm, "s", size=size,
                        note="libraries, store, gazetteer, boundaries, data, default views")
            sessions = [browser.session_first_map(context.browser, dashboard.base_url, "/", timeout_s)
                        for _ in range(max(3, repeats))]
            results.add(SECTION_APP, "browser: new visitor on a warm server → first map drawn", Stats(tuple(sessions)),
                        "s", size=size, note="new browser context (no cache), overview page",
                        key=f"session_first_map_s_{label}")
            measure_filter_changes(results, dashboard, page, size, repeats, timeout_s, out_dir)
            measure_timeline_drags(results, dashboard, page, size, repeats, timeout_s)
            results.add(SECTION_APP, "server: resident size after the runs above", dashboard.rss_mb(), "MB",
                        size=size, note="VmRSS of the dashboard process", key=f"rss_mb_{label}")
        finally:
            dashboard.stop()


def measure_filter_changes(results: Results, dashboard: browser.Dashboard, page: Any, size: int, repeats: int,
                           timeout_s: float, out_dir: Path) -> None:
    """Add actors to the filter on the map page, one at a time; time each until the map redrew."""
    label = size_label(size)
    page.goto(dashboard.base_url + "/Map", wait_until="domcontentloaded")
    browser.wait_for_layers(page, timeout_s)
    times = [browser.filter_change(page, taxonomy.label("actor", code, "en"))
             for code in ACTOR_SEQUENCE[:max(1, repeats)]]
    results.add(SECTION_APP, "browser: filter change → map redrawn", Stats(tuple(times)), "s", size=size,
                note="actor added in the sidebar (map page)", key=f"browser_update_s_{label}")
    page.screenshot(path=str(out_dir / f"map-page-{label}.png"))


#: Where each drag starts and ends, as shares of the timeline's width.
DRAGS = ((0.55, 0.95), (0.2, 0.6), (0.4, 0.8), (0.1, 0.9), (0.6, 0.9))


def measure_timeline_drags(results: Results, dashboard: browser.Dashboard, page: Any, size: int, repeats: int,
                           timeout_s: float) -> None:
    """Drag across the timeline (a new session: no filter), taking the range off between drags; time each drag
    until the page is drawn for the selected range."""
    page.goto(dashboard.base_url + "/Timeline", wait_until="domcontentloaded")
    times = []
    for share in DRAGS[:max(1, repeats)]:
        times.append(browser.timeline_drag(page, share, timeout_s))
        page.get_by_role("button", name="Clear the date range").click()
        page.wait_for_function("() => { const c = document.querySelector('.im-caption');"
                               " return c && !/\\d{4}-\\d\\d-\\d\\d/.test(c.innerText); }",
                               timeout=timeout_s * 1000)
    results.add(SECTION_APP, "browser: timeline drag → selection drawn", Stats(tuple(times)), "s", size=size,
                note="mouse release → caption, chart and list drawn for the range", key=f"timeline_drag_s_{size_label(size)}")
