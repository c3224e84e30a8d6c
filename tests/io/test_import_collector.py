"""An import pauses Python's cyclic garbage collector while it runs and leaves it as it found it, whatever
happens (the pause is a speed measure: #13)."""

from __future__ import annotations

import gc

import pytest

from incidents.domain.errors import ImportRejected
from incidents.domain.users import User
from incidents.services.importer import ImportOptions, import_incidents
from incidents.storage.store import Store

EDITOR = User("editor-gc", "editor")
GOOD = (
    "date_start,place_text,killed_min,source_name,quote\n2018-11-17,Hajin,3,Synthetic Monitor A,A sentence.\n"
)
BAD = GOOD + "2018-02-30,Hajin,x,Synthetic Monitor A,A sentence.\n"


@pytest.fixture
def store(sqlite_url):
    opened = Store.open(sqlite_url, sample=False)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def collector_restored():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def _import(store: Store, text: str, seen: list[bool]):
    return import_incidents(
        store,
        EDITOR,
        text.encode(),
        "gc.csv",
        options=ImportOptions(fmt="csv"),
        progress=lambda fraction, what: seen.append(gc.isenabled()),
    )


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_during_an_import_and_left_as_it_was(store, collector_restored, enabled):
    gc.enable() if enabled else gc.disable()
    seen: list[bool] = []
    result = _import(store, GOOD, seen)
    assert len(result.new) == 1
    assert seen and not any(seen)  # paused at every step the progress callback reports
    assert gc.isenabled() is enabled


def test_the_collector_is_switched_back_on_when_an_import_is_refused(store, collector_restored):
    gc.enable()
    with pytest.raises(ImportRejected):
        _import(store, BAD, [])
    assert gc.isenabled()
    assert store.count_incidents() == 0


def test_overlapping_imports_restore_the_collector_only_when_the_last_one_ends(collector_restored):
    """Two sessions of the dashboard import at once (threads of one process): the first to end must not switch
    the collector back on under the other, and the last to end must."""
    from incidents.services.importer import paused_cyclic_gc

    gc.enable()
    first, second = paused_cyclic_gc(), paused_cyclic_gc()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
