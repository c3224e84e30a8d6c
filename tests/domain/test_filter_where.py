"""``Filter.where()`` selects in SQL exactly the rows ``Filter.mask()`` selects in pandas (DuckDB, like the engine).

The frame is built here with the prepared frame's dtypes (categorical codes, token and search columns, dates in
seconds with ``date_last``), with missing values in every column a filter reads. The SQL table holds the same rows
with categorical columns as VARCHAR and the dates as TIMESTAMP, or as DATE.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.analysis.filters import DEFAULT_GRADINGS, FIGURES, Filter
from incidents.analysis.search import search_key
from incidents.domain import taxonomy

ROWS = 240
DISTRICTS = ("SY0901", "SY0902", "SY0903")
SUBDISTRICTS = ("SY090101", "SY090201", "SY090203")
PLACES = ("wof:1", "wof:2", "p'3")
LANGUAGES = ("ar", "en", "ku", "e")  # "e" is inside "en": tokens must match whole
WORDS = ("البقعان", "بقعان", "hajin", "هجين", "shaafa", "الشعفه", "قرية", "civilians", "strike", "؟", "a",
         "x'y", "%", "_")
CATEGORICAL = ("actor", "event_type", "admin2", "admin3", "grading", "status", "civilians", "source_kinds",
               "languages", "search")


def _pick(rng: np.random.Generator, values, missing: float = 0.1) -> list:
    return [None if rng.random() < missing else values[rng.integers(len(values))] for _ in range(ROWS)]


def _tokens(rng: np.random.Generator, values) -> list:
    out = []
    for _ in range(ROWS):
        chosen = sorted({values[i] for i in rng.integers(len(values), size=rng.integers(0, 3))})
        out.append(None if not chosen and rng.random() < 0.5 else f"|{'|'.join(chosen)}|" if chosen else "||")
    return out


def _days(rng: np.random.Generator) -> pd.Series:
    days = pd.Series(pd.to_datetime("2017-01-01") + pd.to_timedelta(rng.integers(0, 1200, ROWS), unit="D"))
    return days.where(rng.random(ROWS) > 0.12).astype("datetime64[s]")


def _killed(rng: np.random.Generator) -> np.ndarray:
    return np.where(rng.random(ROWS) < 0.15, np.nan, rng.integers(0, 60, ROWS).astype(float))


def build_test_frame(seed: int = 16) -> pd.DataFrame:
    """A prepared-like frame with every value a filter tells apart, NULLs included."""
    rng = np.random.default_rng(seed)
    start = _days(rng)
    end = (start + pd.to_timedelta(rng.integers(0, 20, ROWS), unit="D")).where(rng.random(ROWS) > 0.4)
    sentences = [" ".join(WORDS[i] for i in rng.integers(len(WORDS), size=3)) for _ in range(ROWS)]
    frame = pd.DataFrame({
        "uid": [f"u{i:03d}" for i in range(ROWS)],
        "actor": _pick(rng, taxonomy.codes("actor")), "event_type": _pick(rng, taxonomy.codes("event_type")),
        "admin2": _pick(rng, DISTRICTS, 0.3), "admin3": _pick(rng, SUBDISTRICTS, 0.3),
        "place_id": pd.Series(_pick(rng, PLACES, 0.3), dtype=object),
        "grading": _pick(rng, taxonomy.codes("grading")), "status": _pick(rng, taxonomy.codes("status"), 0.05),
        "civilians": _pick(rng, taxonomy.codes("civilians")),
        "date_start": start, "date_end": end.astype("datetime64[s]"),
        "killed_min": _killed(rng), "killed_max_or_min": _killed(rng), "killed_best_or_min": _killed(rng),
        "source_kinds": _tokens(rng, taxonomy.codes("source_kind")), "languages": _tokens(rng, LANGUAGES),
        "search": [None if rng.random() < 0.05 else search_key(s) for s in sentences],
    })
    frame["date_last"] = frame["date_end"].fillna(frame["date_start"])
    for column in CATEGORICAL:
        frame[column] = pd.Categorical(frame[column])
    return frame


FRAME = build_test_frame()
#: days the frame holds, so that random bounds often fall on a row's first or last day (bounds are inclusive)
FRAME_DAYS = sorted({d.date() for c in ("date_start", "date_last") for d in FRAME[c].dropna()})


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return FRAME


@pytest.fixture(scope="module", params=["TIMESTAMP", "DATE"])
def connection(request, frame):
    """An in-memory DuckDB table ``incidents`` holding ``frame``; dates as TIMESTAMP or DATE."""
    con = duckdb.connect()
    plain = frame.astype({c: object for c in CATEGORICAL})  # VARCHAR columns, as in the engine
    con.register("frame_view", plain)
    dates = ", ".join(f'CAST("{c}" AS {request.param}) AS "{c}"' for c in ("date_start", "date_end", "date_last"))
    con.execute(f"CREATE TABLE incidents AS SELECT * REPLACE ({dates}) FROM frame_view")  # noqa: S608 — test names
    con.unregister("frame_view")
    yield con
    con.close()


def selected_by_sql(con, chosen: Filter) -> list[str]:
    sql, params = chosen.where()
    rows = con.execute(f"SELECT uid FROM incidents WHERE {sql} ORDER BY uid", params).fetchall()  # noqa: S608
    return [uid for (uid,) in rows]


def selected_by_mask(frame: pd.DataFrame, chosen: Filter) -> list[str]:
    return sorted(frame["uid"][chosen.mask(frame)])


def subsets(values) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(list(values)), unique=True, max_size=3).map(tuple)


def days() -> st.SearchStrategy[date | None]:
    return st.none() | st.sampled_from(FRAME_DAYS) | st.dates(date(2016, 12, 1), date(2020, 6, 1))


filters = st.builds(
    Filter,
    actors=subsets((*taxonomy.codes("actor"), "martians")), date_from=days(), date_to=days(),
    event_types=subsets(taxonomy.codes("event_type")), districts=subsets(DISTRICTS),
    subdistricts=subsets(SUBDISTRICTS), places=subsets((*PLACES, "wof:9")),
    gradings=st.sampled_from([DEFAULT_GRADINGS, ()]) | subsets(taxonomy.codes("grading")),
    civilian_only=st.booleans(), min_killed=st.sampled_from([0, 0, 1, 5, 30, 59, 61, -1]),
    source_kinds=subsets(taxonomy.codes("source_kind")), languages=subsets((*LANGUAGES, "fr")),
    text=st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join) | st.sampled_from(["", "  ", "؟ ؟"]),
    statuses=subsets(taxonomy.codes("status")), figure=st.sampled_from(FIGURES), include_drafts=st.booleans(),
    undated=st.booleans(),
)


@pytest.mark.parametrize("chosen", [
    Filter(),
    Filter(gradings=(), include_drafts=True),  # no condition at all
    Filter(gradings=(), statuses=("draft",)),  # drafts named: they count
    Filter(statuses=("reviewed",), include_drafts=True),
    Filter(actors=("coalition", "martians"), gradings=()),
    Filter(date_from=date(2018, 1, 1)),
    Filter(date_to=date(2018, 1, 1)),
    Filter(date_from=date(2018, 6, 1), date_to=date(2018, 1, 1)),  # reversed: nothing
    Filter(date_from=FRAME_DAYS[5], date_to=FRAME_DAYS[5]),  # one day, on a row's first or last day
    Filter(date_from=FRAME_DAYS[-1]),
    Filter(date_to=FRAME_DAYS[0]),
    Filter(undated=True, gradings=()),
    Filter(undated=True, date_from=date(2018, 1, 1)),  # undated rows fail any range
    Filter(min_killed=30, figure="best"),
    Filter(min_killed=30, figure="max", gradings=(), include_drafts=True),
    Filter(min_killed=-1),
    Filter(languages=("e",)),  # not inside "en"
    Filter(languages=("en", "ku")),
    Filter(source_kinds=("state_media",)),  # "_" is no wildcard
    Filter(text="%"),  # nor is "%"
    Filter(text="البقعان هجين"),
    Filter(text="x'y"),
    Filter(text="؟"),  # no search key: no restriction
    Filter(civilian_only=True, places=("p'3",)),
    Filter(districts=("SY0901",), subdistricts=("SY090203",), places=("wof:1",)),
], ids=repr)
def test_where_selects_what_the_mask_selects(frame, connection, chosen):
    assert selected_by_sql(connection, chosen) == selected_by_mask(frame, chosen)


@settings(max_examples=300, deadline=None)
@given(chosen=filters)
def test_where_selects_what_the_mask_selects_for_any_filter(frame, connection, chosen):
    assert selected_by_sql(connection, chosen) == selected_by_mask(frame, chosen)


def test_the_test_frame_is_varied(frame):
    """The frames above would prove little if the filters all selected nothing or everything."""
    sizes = {len(selected_by_mask(frame, f)) for f in (Filter(), Filter(text="hajin"), Filter(languages=("e",)),
                                                       Filter(undated=True), Filter(min_killed=30))}
    assert 0 < min(sizes) and max(sizes) < ROWS
    assert frame[list(CATEGORICAL)].isna().any().all()


def test_values_are_parameters_never_sql_text():
    hostile = "x'); DROP TABLE incidents; --"
    chosen = Filter(actors=(hostile,), places=(hostile,), languages=(hostile,), text=hostile, min_killed=7,
                    date_from=date(2018, 1, 2))
    sql, params = chosen.where()
    assert "DROP" not in sql.upper() and "'" not in sql and "2018" not in sql and "7" not in sql
    assert hostile in params and f"|{hostile}|" in params and date(2018, 1, 2) in params and 7 in params
    assert sql.count("?") == len(params)


def test_a_filter_that_restricts_nothing_is_true():
    assert Filter(gradings=(), include_drafts=True).where() == ("TRUE", [])
    assert Filter(actors=("sdf",), gradings=(), include_drafts=True).where() == ('("actor" IN (?))', ["sdf"])
