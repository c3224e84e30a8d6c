"""The query engine: the filter's WHERE clause selects what ``Filter.mask`` selects, and the summaries follow it."""

from __future__ import annotations

import threading
from concurrent import futures
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.analysis import mapping
from incidents.analysis.aggregate import place_table, prepare_frame, summarise_totals
from incidents.analysis.engine import EVERYTHING, Engine, both, where_clause
from incidents.analysis.filters import DEFAULT_GRADINGS, Filter
from incidents.analysis.frame import CATEGORICAL, search_column
from incidents.domain import taxonomy

ACTORS = list(taxonomy.codes("actor"))
TYPES = list(taxonomy.codes("event_type"))
GRADINGS = list(taxonomy.codes("grading"))
STATUSES = list(taxonomy.codes("status"))
KINDS = list(taxonomy.codes("source_kind"))[:4]
WORDS = ["Hajin", "البوكمال", "Mayadin", "الشعفة", "market", "school"]
ADMIN3 = ["SY090201", "SY090203", "SY090301"]
PLACES = ["wof:890449895", "ocha:C5113", "SY090201"]


def varied_frame(size: int, seed: int) -> pd.DataFrame:
    """A prepared frame with missing values everywhere a filter looks: drafts, undated and open-ended incidents,
    no actor, no grading, no place, no claims, shared tolls and a cumulative record."""
    rng = np.random.default_rng(seed)

    def pick(values: list, missing: float = 0.15) -> list:
        return [None if rng.random() < missing else values[rng.integers(len(values))] for _ in range(size)]

    starts = pd.to_datetime([None if rng.random() < 0.2 else date(2016 + int(rng.integers(5)), 1 + int(rng.integers(12)),
                                                                   1 + int(rng.integers(28))) for _ in range(size)])
    ends = starts + pd.to_timedelta(rng.integers(0, 40, size), unit="D")
    ends = ends.where(rng.random(size) < 0.7, pd.NaT)
    killed_min = pd.Series(rng.integers(0, 30, size), dtype="float64").where(rng.random(size) < 0.85)
    killed_max = (killed_min + rng.integers(0, 20, size)).where(rng.random(size) < 0.7)
    tokens = ["", *(f"|{k}|" for k in KINDS), f"|{KINDS[0]}|{KINDS[1]}|"]
    frame = pd.DataFrame({
        "uid": [f"u{i}" for i in range(size)], "actor": pick(ACTORS), "event_type": pick(TYPES),
        "grading": pick(GRADINGS), "status": pick(STATUSES, 0.05), "civilians": pick(["yes", "no", "unknown"]),
        "date_start": starts, "date_end": ends, "date_precision": None, "location_precision": pick(["exact", "village"]),
        "actor_certainty": None, "admin1": "SY09", "admin2": pick(["SY0902", "SY0903"]), "admin3": pick(ADMIN3),
        "place_id": pick(PLACES, 0.3), "lat": 35.0, "lon": 40.5, "place_text": None,
        "place_name_ar": pick(["هجين", "الشعفة"]), "place_name_en": pick(["Hajin", "al-Shafa"]),
        "description": [" ".join(rng.choice(WORDS, 2)) for _ in range(size)], "quotes": "",
        "source_names": pick(["SANA", "SOHR"]), "killed_min": killed_min, "killed_max": killed_max,
        "killed_best": killed_min, "children_killed": np.nan, "women_killed": np.nan, "injured_min": np.nan,
        "injured_max": np.nan, "n_claims": 1, "source_kinds": [tokens[i] for i in rng.integers(len(tokens), size=size)],
        "languages": pick(["|ar|", "|en|", "|ar|en|"], 0.1),
        "first_published": starts + pd.to_timedelta(rng.integers(-2, 400, size), unit="D"),
        "toll_group": [f"g{i % 3}" if i % 7 == 0 else None for i in range(size)], "shared_toll": [i % 7 == 0 for i in range(size)],
        "record_kind": ["cumulative" if i == 5 else "incident" for i in range(size)], "covers": "[]",
    })
    frame["report_delay_days"] = (frame["first_published"] - frame["date_start"]).dt.days
    frame["killed_max_or_min"] = frame["killed_max"].fillna(frame["killed_min"])
    frame["killed_best_or_min"] = frame["killed_best"].fillna(frame["killed_min"])
    frame["search"] = search_column(frame)
    for column in CATEGORICAL:
        frame[column] = pd.Categorical(frame[column])
    return prepare_frame(frame)


FRAME = varied_frame(300, 16)
ENGINE = Engine(FRAME)


def subset(values: list) -> st.SearchStrategy:
    """Mostly no restriction (a filter narrows a few fields at a time), else up to three values."""
    return st.just(()) | st.just(()) | st.lists(st.sampled_from(values), unique=True, min_size=1, max_size=3).map(tuple)


def sometimes(strategy: st.SearchStrategy, default: object) -> st.SearchStrategy:
    return st.just(default) | st.just(default) | strategy


filters = st.builds(
    Filter,
    actors=subset(ACTORS), event_types=subset(TYPES), districts=subset(["SY0902", "SY0903", "SY0999"]),
    subdistricts=subset(ADMIN3), places=subset([*PLACES, "nowhere"]),
    date_from=sometimes(st.dates(date(2015, 6, 1), date(2021, 6, 1)), None),
    date_to=sometimes(st.dates(date(2015, 6, 1), date(2021, 6, 1)), None),
    gradings=st.sampled_from([DEFAULT_GRADINGS, DEFAULT_GRADINGS, (), ("confirmed", "fair"), ("discounted",)]),
    civilian_only=sometimes(st.booleans(), False), min_killed=sometimes(st.integers(0, 40), 0),
    source_kinds=subset(KINDS), languages=subset(["ar", "en", "fr"]),
    text=sometimes(st.sampled_from(["hajin", "Shafa market", "مدرسة", "البوكمال x", "hajin school"]), ""),
    statuses=subset(STATUSES), figure=st.sampled_from(["min", "max", "best"]), include_drafts=st.booleans(),
    undated=sometimes(st.booleans(), False),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filters)
def test_the_where_clause_selects_exactly_what_the_mask_selects(chosen):
    assert ENGINE.mask(where_clause(chosen)).tolist() == chosen.mask(FRAME).tolist()


@settings(max_examples=60, deadline=None)
@given(filters)
def test_the_engine_totals_equal_the_one_off_summary_of_the_mask(chosen):
    assert ENGINE.totals(ENGINE.where(chosen)) == summarise_totals(FRAME, chosen.mask(FRAME))


@pytest.mark.parametrize("chosen", [Filter(), Filter(gradings=(), include_drafts=True), Filter(figure="max")])
def test_a_shared_toll_counts_once_in_the_totals_and_at_every_place(chosen):
    where = ENGINE.where(chosen)
    rows = ENGINE.positions(both(where, "summed"))
    chosen_rows = FRAME.iloc[rows]
    column = {"min": "killed_min", "max": "killed_max_or_min", "best": "killed_best_or_min"}[chosen.figure]
    shared = chosen_rows["toll_code"] >= 0
    once = chosen_rows[shared].drop_duplicates("toll_code")[column].fillna(0).sum()
    expected = chosen_rows[~shared][column].fillna(0).sum() + once
    assert ENGINE.totals(where).killed(chosen.figure) == round(expected)
    places = ENGINE.summarise_places(where, place_table(FRAME), chosen.figure)
    mapped = chosen_rows[chosen_rows["place_key"].notna()]
    assert places["killed"].sum() == round(mapped[column].fillna(0).sum())  # each place shows the whole toll


def test_the_cumulative_record_is_selected_but_never_summed():
    assert ENGINE.count(both(EVERYTHING, "cumulative")) == 1
    assert len(ENGINE.cumulative_records(EVERYTHING)) == 1
    totals = ENGINE.totals(EVERYTHING)
    assert totals.incidents == ENGINE.count(both(EVERYTHING, "summed"))


def test_the_where_clause_binds_what_the_user_typed():
    sql, params = where_clause(Filter(text="x'); DROP TABLE incidents; --", places=("a'b",)))
    assert "DROP" not in sql and "a'b" in params
    assert ENGINE.count((sql, params)) == 0 and ENGINE.count(EVERYTHING) == len(FRAME)


def test_an_empty_frame_answers_with_empty_summaries():
    engine = Engine(varied_frame(0, 1))
    where = engine.where(Filter(text="hajin", actors=("isis",)))
    assert engine.totals(where).incidents == 0 and engine.summarise_periods(where).empty
    assert engine.positions(where).tolist() == [] and engine.count_sources(where).empty


@pytest.mark.parametrize("chosen", [Filter(), Filter(actors=("isis", "sdf")), Filter(figure="max", gradings=(),
                                                                                     include_drafts=True)])
def test_one_selection_is_summed_once_and_its_summaries_add_up_its_rows(chosen):
    where = both(ENGINE.where(chosen), "toll_code < 0")  # no shared toll: each row counts as it stands
    assert ENGINE.selection(where) is ENGINE.selection(where)
    rows = FRAME.iloc[ENGINE.positions(both(where, "summed"))]
    column = {"min": "killed_min", "max": "killed_max_or_min", "best": "killed_best_or_min"}[chosen.figure]
    dated = rows[rows["date_start"].notna()]
    for freq in ("day", "week", "month"):
        periods = ENGINE.summarise_periods(where, freq, chosen.figure)
        assert periods["n"].sum() == len(dated)
        assert periods["killed"].sum() == round(dated[column].fillna(0).sum())
    admin = ENGINE.summarise_admin(where, "admin3", chosen.figure)
    assert admin["n"].sum() == rows["admin3"].notna().sum()
    assert admin["killed"].sum() == round(rows.loc[rows["admin3"].notna(), column].fillna(0).sum())
    totals = ENGINE.totals(where)
    assert totals.incidents == len(rows) and totals.unmapped == rows["place_key"].isna().sum()
    assert totals.civilians(chosen.figure) == round(rows.loc[rows["civilians"] == "yes", column].fillna(0).sum())


claim_lists = st.lists(st.tuples(st.sampled_from(["u0", "u1", "u2", "u7", "gone"]),
                                 st.sampled_from(["SANA", "المرصد", "", None]),
                                 st.sampled_from(["https://a.example/1", "", None, "javascript:x"])),
                       max_size=30)


@settings(max_examples=80, deadline=None)
@given(claim_lists, st.lists(st.integers(0, 9), max_size=12))
def test_the_sources_of_rows_are_each_rows_claims_in_claim_order(claims, rows):
    frame = FRAME.head(10)
    table = pd.DataFrame(claims, columns=["incident_uid", "source_name", "url"]).assign(source_kind=None)
    engine = Engine(frame, table)
    uids = frame["uid"].tolist()
    expected = [[(name or "", url or None) for uid, name, url in claims if uid == uids[row]] for row in rows]
    assert engine.sources(np.array(rows, dtype=np.int64)) == expected


def test_the_engine_keeps_its_tables_compressed_and_its_search_texts_once_searched():
    engine = Engine(varied_frame(200, 3))

    def plain(table: str) -> list:
        sql = (f"SELECT column_name FROM pragma_storage_info('{table}') "
               "WHERE segment_type <> 'VALIDITY' AND compression = 'Uncompressed'")
        return engine._con.execute(sql).fetchall()

    assert plain("incidents") == [] and plain("claims") == []
    assert engine.count(engine.where(Filter(text="hajin"))) > 0
    assert plain("search_texts") == [] and plain("incidents") == []


# -- the map's query of newest incidents, asked of a worker thread (incidents.analysis.mapping) ------------------

class Recording(futures.ThreadPoolExecutor):
    """A pool that keeps the futures it hands out and, with ``started``, returns only once the task runs."""

    def __init__(self, started: bool = True) -> None:
        super().__init__(max_workers=1)
        self.futures: list[futures.Future] = []
        self.started = started

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        running = threading.Event()

        def run():
            running.set()
            return fn(*args, **kwargs)

        future = super().submit(run)
        self.futures.append(future)
        if self.started:
            running.wait()
        return future


def map_of(engine: Engine, chosen: Filter) -> mapping.MapData:
    summary = ENGINE.summarise_places(ENGINE.where(chosen), place_table(FRAME), chosen.figure)  # another engine's
    return mapping.build_selection_map_data(engine, where_clause(chosen), summary, chosen.figure)


def test_the_search_text_is_built_once_on_the_calling_thread_never_in_the_worker():
    threads = []

    def search() -> pd.Series:
        threads.append(threading.current_thread())
        return FRAME["search"]

    data = map_of(Engine(FRAME, search=search), Filter(text="market"))
    assert threads == [threading.current_thread()]
    assert data.places == map_of(ENGINE, Filter(text="market")).places


class Failed(Exception):
    """Raised by the test's query of newest incidents."""


def test_a_failed_query_of_newest_incidents_reaches_the_caller_and_none_outlives_the_call(monkeypatch):
    pool = Recording()
    monkeypatch.setattr(mapping, "_BACKGROUND", pool)
    engine = Engine(FRAME)
    monkeypatch.setattr(engine, "latest_rows", lambda where, limit: (_ for _ in ()).throw(Failed("worker")))
    with pytest.raises(Failed, match="worker"):
        map_of(engine, Filter())
    assert pool.futures and all(future.done() for future in pool.futures)


def test_no_query_of_newest_incidents_outlives_a_call_that_fails_elsewhere(monkeypatch):
    pool = Recording()
    monkeypatch.setattr(mapping, "_BACKGROUND", pool)
    engine = Engine(FRAME)
    monkeypatch.setattr(engine, "summarise_admin", lambda *args: (_ for _ in ()).throw(Failed("main")))
    with pytest.raises(Failed, match="main"):
        map_of(engine, Filter())
    assert pool.futures and all(future.done() for future in pool.futures)


def test_a_map_whose_query_waits_for_a_busy_pool_runs_it_itself(monkeypatch):
    pool, release, threads = Recording(), threading.Event(), []
    busy = pool.submit(release.wait, 60)  # every worker busy (another session's map)
    pool.started = False
    monkeypatch.setattr(mapping, "_BACKGROUND", pool)
    engine = Engine(FRAME)
    rows = engine.latest_rows
    monkeypatch.setattr(engine, "latest_rows",
                        lambda where, limit: threads.append(threading.current_thread()) or rows(where, limit))
    try:
        data = map_of(engine, Filter())
        assert not busy.done()  # the map did not wait for the other session's query
    finally:
        release.set()
    assert threads == [threading.current_thread()]
    assert data.places == map_of(ENGINE, Filter()).places


def test_a_selection_of_no_place_asks_for_no_newest_incidents(monkeypatch):
    engine, asked = Engine(FRAME), []
    run = engine._run
    monkeypatch.setattr(engine, "_run", lambda sql, params, where: asked.append(sql) or run(sql, params, where))
    data = map_of(engine, Filter(text="no-such-word"))
    assert data.count == 0 and asked and not [sql for sql in asked if "min(row" in sql]
