"""The data of a version is taken out of the garbage collector's view once loaded, and freed once replaced (#16)."""

from __future__ import annotations

import gc
import weakref

import pytest
import streamlit as st

from incidents.ui import cache


@pytest.fixture
def fresh(app_db, monkeypatch):
    """The seeded database with no frame snapshots; every cache and the collector's frozen set restored after."""
    monkeypatch.setenv("INCIDENTS_CACHE_DIR", "off")
    st.cache_resource.clear()
    st.cache_data.clear()
    threshold = gc.get_threshold()
    yield app_db
    st.cache_resource.clear()
    st.cache_data.clear()
    gc.set_threshold(*threshold)
    gc.unfreeze()  # what the tests froze (the gazetteer froze once per process: it stays collectable now)
    gc.collect()


def _tracked(obj: object) -> bool:
    """Whether ``obj`` is in one of the collector's generations (False: frozen, or never tracked)."""
    return any(o is obj for o in gc.get_objects())


def test_a_loaded_version_is_frozen(fresh):
    """After a load, the version's objects are no longer walked by full collections (they are frozen)."""
    data = cache.get_data(fresh, 1)
    assert gc.is_tracked(data.options) or gc.is_tracked(data)
    assert not _tracked(data)  # frozen: out of every generation
    assert gc.get_freeze_count() > 0


def test_the_young_are_collected_less_often_once_data_loaded(fresh):
    """After a load, the youngest generation is collected every YOUNG_COLLECTION new objects (not 700), older
    generations as before; a collector switched off (threshold 0) stays off."""
    gc.set_threshold(700, 10, 10)
    cache.get_data(fresh, 1)
    assert gc.get_threshold() == (cache.YOUNG_COLLECTION, 10, 10)
    gc.set_threshold(0, 10, 10)
    cache.get_data(fresh, 2)
    assert gc.get_threshold() == (0, 10, 10)


def test_a_replaced_version_is_freed_even_in_a_cycle(fresh):
    """A version pushed out of the cache (two are kept) is freed by the next load, though it was frozen and its
    frame sits in a reference cycle (which reference counting alone never frees)."""
    first = cache.get_data(fresh, 1)
    first.frame.attrs["cycle"] = first.frame  # the frame refers to itself: only the cycle collector frees it
    gone = weakref.ref(first.frame)
    del first
    cache.get_data(fresh, 2)
    cache.get_data(fresh, 3)  # version 1 leaves the cache
    gc.collect()  # an ordinary collection never frees frozen objects: the load must have unfrozen them
    assert gone() is None


def test_a_cache_hit_settles_nothing(fresh, monkeypatch):
    """Only a load freezes: a filter change (the data read from the cache) costs the collector nothing."""
    cache.get_data(fresh, 1)
    calls = []
    monkeypatch.setattr(cache, "_settle_after_load", lambda **kw: calls.append(kw))
    cache.get_data(fresh, 1)
    assert calls == []
    cache.get_data(fresh, 2)
    assert calls == [{"replaced": True}]


def test_a_load_whose_run_was_stopped_is_settled_by_the_next_call(fresh, monkeypatch):
    """A rerun or stop lands where the loading spinner ends, after the version is cached: the load was never
    settled and every later call was a cache hit (review of #16). The next call settles it."""
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    loader = cache._get_data

    def stopped_after_loading(*args):
        loader(*args)
        raise StopException()

    gc.set_threshold(700, 10, 10)
    settle = cache._settle_loads
    monkeypatch.setattr(cache, "_get_data", stopped_after_loading)
    monkeypatch.setattr(cache, "_settle_loads", lambda: None)  # the stopped call itself settles nothing
    with pytest.raises(StopException):
        cache.get_data(fresh, 1)
    assert gc.get_threshold() == (700, 10, 10)
    monkeypatch.setattr(cache, "_get_data", loader)
    monkeypatch.setattr(cache, "_settle_loads", settle)
    fresh_again = cache.get_data(fresh, 1)  # a cache hit
    assert gc.get_threshold()[0] == cache.YOUNG_COLLECTION and not _tracked(fresh_again)
    threshold = gc.get_threshold()
    cache.get_data(fresh, 1)  # settled once: nothing more
    assert gc.get_threshold() == threshold
