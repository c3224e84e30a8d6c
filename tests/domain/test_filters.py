"""The filter value: applying, describing and the URL round trip."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.analysis.filters import DEFAULT_GRADINGS, Filter
from incidents.analysis.frame import build_frame, empty_frame
from incidents.domain import taxonomy
from incidents.domain.users import LOCAL_USER
from incidents.services.service import create_incidents


@pytest.fixture
def frame(sqlite_store, incident_factory):
    make = partial(incident_factory, status="reviewed")
    create_incidents(sqlite_store, LOCAL_USER, [
        make(uid="a", actor="coalition", date_start=date(2018, 11, 17), date_end=date(2018, 11, 17),
             claim=dict(killed_min=40, killed_max=40, source_kind="state_media", language="ar",
                        quote="وقتلت 40 مدنياً في قرية البقعان")),
        make(uid="b", actor="sdf", event_type="shelling", date_start=date(2018, 12, 1), date_end=date(2018, 12, 7),
             date_precision="week", civilians="unknown", claim=dict(killed_min=2, killed_max=9, civilians="unknown",
                                                                   source_kind="ngo", language="en")),
        make(uid="c", actor="isis", grading="discounted", place_text="الشعفة", place_name_ar="الشعفة",
             place_name_en="al-Shafa", admin3="SY090203", description="Execution in al-Sha'fa"),
        make(uid="d", actor="coalition", date_start=None, date_end=None, date_precision="unknown"),
    ])
    return build_frame(sqlite_store.load_incident_table(), sqlite_store.load_claim_table())


def uids(frame, chosen: Filter) -> list[str]:
    return sorted(chosen.apply(frame)["uid"])


@pytest.mark.parametrize(("chosen", "expected"), [
    (Filter(), ["a", "b", "d"]),  # discounted excluded by default
    (Filter(gradings=()), ["a", "b", "c", "d"]),
    (Filter(actors=("coalition",)), ["a", "d"]),
    (Filter(actors=("coalition", "sdf")), ["a", "b", "d"]),
    (Filter(date_from=date(2018, 12, 5)), ["b"]),  # a week-long incident overlapping the start counts
    (Filter(date_to=date(2018, 11, 30)), ["a"]),  # undated incidents drop out once dates are set
    (Filter(event_types=("shelling",)), ["b"]),
    (Filter(min_killed=5), ["a"]),
    (Filter(min_killed=5, figure="max"), ["a", "b"]),
    (Filter(civilian_only=True), ["a", "d"]),
    (Filter(source_kinds=("ngo",)), ["b"]),
    (Filter(languages=("ar",)), ["a"]),
    (Filter(subdistricts=("SY090203",), gradings=()), ["c"]),
    (Filter(text="البقعان"), ["a"]),
    (Filter(text="بقعان"), ["a"]),  # without the article
    (Filter(text="shaafa", gradings=()), ["c"]),  # a Latin spelling variant
    (Filter(text="الشعفه", gradings=()), ["c"]),  # ta marbuta written as ha
])
def test_filters_select_the_right_incidents(frame, chosen, expected):
    assert uids(frame, chosen) == expected


def test_caption_says_what_is_shown():
    chosen = Filter(actors=("coalition", "sdf"), date_from=date(2018, 9, 10), date_to=date(2019, 3, 23))
    assert chosen.caption(214) == "US-led coalition, Syrian Democratic Forces (SDF) · 2018-09-10 – 2019-03-23 · 214 incidents"
    assert Filter().caption(1) == "all actors · all dates · 1 incident"


filters = st.builds(
    Filter,
    actors=st.lists(st.sampled_from(taxonomy.codes("actor")), unique=True).map(tuple),
    date_from=st.none() | st.dates(date(2011, 1, 1), date(2025, 1, 1)),
    gradings=st.sampled_from([DEFAULT_GRADINGS, (), ("confirmed", "fair")]),
    civilian_only=st.booleans(), min_killed=st.integers(0, 500),
    text=st.text(alphabet="abc البقعان", max_size=12).map(str.strip), figure=st.sampled_from(["min", "max", "best"]),
)


@given(filters)
def test_url_round_trip(chosen):
    assert Filter.from_query(chosen.to_query()) == chosen


def test_unknown_codes_and_bad_values_in_a_url_are_ignored():
    got = Filter.from_query({"actor": "coalition,martians", "from": "2018-13-01", "min": "x", "fig": "median"})
    assert got == Filter(actors=("coalition",))


def test_filters_work_on_an_empty_frame():
    empty = empty_frame()
    chosen = Filter(actors=("sdf",), text="hajin", date_from=date(2018, 1, 1), source_kinds=("ngo",), min_killed=3)
    assert chosen.apply(empty).empty


def test_filters_on_a_prepared_frame_give_the_same_incidents(frame):
    """The dashboard filters the prepared frame (categorical columns, ``date_last``, categorical search text)."""
    from incidents.analysis.aggregate import prepare_frame
    from incidents.analysis.frame import search_column

    prepared = prepare_frame(frame.assign(search=search_column(frame)))
    for chosen in (Filter(), Filter(actors=("coalition",)), Filter(date_from=date(2018, 12, 5)),
                   Filter(text="shaafa", gradings=()), Filter(subdistricts=("SY090203",), gradings=()),
                   Filter(source_kinds=("ngo",)), Filter(civilian_only=True)):
        assert sorted(prepared["uid"][chosen.mask(prepared)]) == uids(frame, chosen), chosen


def test_an_all_missing_categorical_column_and_text_dates_do_not_break_the_mask(frame):
    odd = frame.assign(admin3=pd.Series([None] * len(frame), index=frame.index, dtype="category"),
                       date_start=frame["date_start"].dt.strftime("%Y-%m-%d").astype(object))
    assert list(Filter(subdistricts=("SY090203",), gradings=()).mask(odd)) == [False] * len(odd)
    assert sorted(odd["uid"][Filter(date_to=date(2018, 11, 30)).mask(odd)]) == ["a"]


def test_a_filters_repr_names_every_field_and_value():
    """The dashboard's caches key a filter by its repr (incidents.ui.cache): every field must show in it."""
    import dataclasses

    chosen = Filter(actors=("isis",), date_from=date(2018, 1, 2), min_killed=3, text="Hajin")
    shown = repr(chosen)
    assert all(f"{field.name}=" in shown for field in dataclasses.fields(Filter))
    assert repr(Filter(actors=("isis",))) != repr(Filter(actors=("sdf",)))
