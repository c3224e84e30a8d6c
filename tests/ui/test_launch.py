"""The warm start (issue #16): ``make run`` loads what the first page needs before the first visitor."""

from __future__ import annotations

import logging
import threading

import pytest
import streamlit as st

from incidents.analysis.filters import Filter
from incidents.domain.users import LOCAL_USER, User
from incidents.services.query import visible_filter
from incidents.ui import cache, launch


def test_warm_waits_for_the_server_then_runs_every_step_in_order():
    started = threading.Event()
    done: list[str] = []
    checks = []

    def ready() -> bool:
        checks.append(1)
        if len(checks) == 3:  # the runtime appears after two looks
            started.set()
        return started.is_set()

    took = launch.warm([("a", lambda: done.append("a")), ("b", lambda: done.append("b"))], ready=ready, poll_s=0)
    assert done == ["a", "b"]
    assert list(took) == ["a", "b"]
    assert len(checks) == 3


def test_a_failed_step_is_logged_and_the_later_steps_still_run(caplog):
    done: list[str] = []

    def broken() -> None:
        raise OSError("gazetteer file unreadable")

    with caplog.at_level(logging.ERROR, logger="incidents.launch"):
        took = launch.warm([("gazetteer", broken), ("data", lambda: done.append("data"))], ready=lambda: True)
    assert done == ["data"]
    assert "gazetteer" not in took and "data" in took
    assert "warm: gazetteer failed" in caplog.text


def test_warm_gives_up_when_the_server_never_starts(caplog):
    done: list[str] = []
    with caplog.at_level(logging.WARNING, logger="incidents.launch"):
        took = launch.warm([("a", lambda: done.append("a"))], ready=lambda: False, poll_s=0, timeout_s=0)
    assert took == {} and done == []
    assert "nothing warmed" in caplog.text


def test_the_warm_up_fills_the_caches_the_pages_read(app_db, monkeypatch):
    """After the warm-up, the data and the default views come from the cache: the store is not read again."""
    st.cache_resource.clear()
    st.cache_data.clear()
    took = launch.warm(ready=lambda: True)
    assert list(took) == [name for name, _ in launch.warm_steps()]  # every step ran, none failed
    store = cache.get_store(app_db)

    def refuse(*args, **kwargs):
        raise AssertionError("the store was read again after the warm-up")

    monkeypatch.setattr(store, "load_incident_table", refuse)
    monkeypatch.setattr(store, "load_claim_table", refuse)
    version = store.data_version()
    data = cache.current_data(store, app_db)
    assert len(data.frame) == 6
    viewer = visible_filter(User(name="viewer", role="viewer"), Filter())
    assert cache.totals(app_db, version, visible_filter(LOCAL_USER, Filter())).incidents == 4  # no draft, no discounted
    assert cache.totals(app_db, version, viewer).incidents == 4  # the same four are published


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The stores of this module's databases are not left open in the process-wide caches."""
    yield
    st.cache_data.clear()
    cache.get_store.clear()


def test_the_warm_up_imports_no_streamlit_component():
    """A component imported outside a page's run never registers (its frame answers 404): the warm-up's
    imports must leave streamlit-folium to the first page."""
    import subprocess
    import sys

    code = ("import sys; from incidents.ui import launch; launch._import_pages(); "
            "print('streamlit_folium' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=launch_root())
    assert out.stdout.strip().splitlines()[-1] == "False"


def launch_root():
    from pathlib import Path

    return Path(launch.__file__).resolve().parents[2]
