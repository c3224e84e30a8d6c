"""The declared table of filter fields: one entry per Filter attribute, complete, and enough to add a filter."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import pandas as pd
import pytest

from incidents.analysis import filters
from incidents.analysis.choices import Options
from incidents.analysis.filters import (
    FILTER_FIELDS,
    Caption,
    Filter,
    FilterField,
    describe_of,
    field_named,
    filter_of_query,
    mask_of,
    query_of,
    where_of,
)
from incidents.analysis.frame import empty_frame, prepare_frame
from incidents.domain import messages, taxonomy

NAMES = [spec.name for spec in FILTER_FIELDS]
_PYTHON_TYPES = {"tuple": tuple, "date": type(None), "bool": bool, "count": int, "text": str, "choice": str}


def test_every_filter_attribute_has_exactly_one_entry_and_every_entry_an_attribute():
    assert sorted(NAMES) == sorted(f.name for f in fields(Filter))
    assert len(set(NAMES)) == len(NAMES)


def test_url_keys_are_unique_and_leave_the_page_parameters_alone():
    keys = [spec.query for spec in FILTER_FIELDS]
    assert len(set(keys)) == len(keys)
    assert not set(keys) & {"ui", "place", "incident"}  # the language and the pages' own parameters


@pytest.mark.parametrize("spec", FILTER_FIELDS, ids=NAMES)
def test_each_entry_is_complete(spec: FilterField):
    assert spec.kind in filters._MASKS and spec.kind in filters._WHERES
    assert spec.caption.style in filters._DESCRIBERS
    assert isinstance(getattr(Filter(), spec.name), _PYTHON_TYPES[spec.value_type])
    assert spec.columns and set(spec.columns) <= set(prepare_frame(empty_frame()).columns)
    if spec.vocabulary is not None:
        assert taxonomy.codes(spec.vocabulary)
    elif spec.value_type == "tuple":  # codes offered by the data: the sidebar's Options attribute of that name
        assert spec.name in {f.name for f in fields(Options)}
    if spec.kind in ("flag", "admits"):
        assert spec.value
    if spec.kind == "choice":
        assert getattr(Filter(), spec.name) in spec.choices


@pytest.mark.parametrize("spec", FILTER_FIELDS, ids=NAMES)
def test_each_entry_has_its_words_in_both_languages(spec: FilterField):
    keys = [spec.label, *([spec.help] if spec.help else []),
            *(f"{spec.option_words}{choice}" for choice in spec.choices if spec.option_words)]
    for key in keys:
        assert messages.has(key), key
        assert all(messages.text(key, lang) for lang in ("en", "ar")), key
    if spec.caption.words:
        assert all(messages.words("filters", lang)[spec.caption.words] for lang in ("en", "ar"))


def test_fields_of_one_caption_part_are_described_alike():
    for part in filters._caption_parts(FILTER_FIELDS):
        assert len({(spec.caption.style, spec.caption.words, spec.caption.always) for spec in part}) == 1, part


def test_field_named_says_what_is_declared():
    assert field_named("places").query == "in"
    with pytest.raises(KeyError, match="declared: figure, include_drafts"):
        field_named("weather")


@pytest.mark.parametrize(("chosen", "lang", "expected"), [
    (Filter(actors=("isis",), date_to=date(2019, 3, 23), event_types=("shelling", "air_strike"),
            districts=("SY0901",), places=("wof:1", "wof:2"), gradings=(), civilian_only=True, min_killed=5,
            source_kinds=("ngo",), languages=("ar", "en"), text="  هجين  ", statuses=("draft", "reviewed"),
            include_drafts=True, undated=True, figure="best"), "en",
     "Islamic State (ISIS) · … – 2019-03-23 · Shelling, artillery, missile attack, Air/drone strike · 3 area(s) · "
     "all gradings · civilian harm only · ≥ 5 killed · NGO / monitor · language: ar, en · Draft, Reviewed · "
     "undated only · “هجين” · totals: best estimate"),
    (Filter(include_drafts=True, gradings=("confirmed",), figure="max"), "en",
     "all actors · all dates · Confirmed · drafts counted · totals: maximum"),
    (Filter(include_drafts=True, gradings=("confirmed",), figure="max"), "ar",
     "كل الأطراف · كل التواريخ · مؤكد · المسودات محسوبة · الأرقام: الحد الأقصى"),
    (Filter(languages=("ar", "en")), "ar", "كل الأطراف · كل التواريخ · اللغة: ar، en"),
    (Filter(date_from=date(2018, 1, 1), text="   "), "ar", "كل الأطراف · 2018-01-01 – …"),
])
def test_every_field_is_described_in_its_place(chosen, lang, expected):
    assert chosen.describe(lang) == expected


# -- adding a filter is one entry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wider(Filter):
    """A filter with one more attribute, as a new filter would add it."""

    precisions: tuple[str, ...] = ()


PRECISIONS = FilterField(name="precisions", query="prec", kind="codes", columns=("date_precision",),
                         vocabulary="date_precision", widget="multiselect", label="precision",
                         caption=Caption(15, "codes"))
WIDER = (*FILTER_FIELDS, PRECISIONS)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"uid": ["a", "b", "c"], "status": ["reviewed"] * 3, "grading": ["fair"] * 3,
                         "date_precision": pd.Categorical(["day", "week", None])})


def test_one_more_entry_narrows_rows_in_pandas_and_in_sql(frame):
    chosen = Wider(precisions=("week", "month"))
    assert list(frame["uid"][mask_of(chosen, frame, table=WIDER)]) == ["b"]
    sql, params = where_of(chosen, WIDER)
    assert sql.endswith('("date_precision" IN (?, ?))') and params[-2:] == ["week", "month"]
    assert list(mask_of(Wider(), frame, table=WIDER)) == [True, True, True]


def test_one_more_entry_is_described_and_travels_in_the_url():
    chosen = Wider(precisions=("week",))
    assert describe_of(chosen, "en", WIDER) == "all actors · all dates · Week"
    assert describe_of(chosen, "ar", WIDER).endswith(taxonomy.label("date_precision", "week", "ar"))
    assert query_of(chosen, WIDER) == {"prec": "week"}
    assert filter_of_query(Wider, {"prec": "week,fortnight", "actor": "sdf"}, WIDER) == Wider(
        precisions=("week",), actors=("sdf",))
