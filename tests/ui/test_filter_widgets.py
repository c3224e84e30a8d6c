"""The sidebar's filter widgets come from the declared table of filter fields: their order, their values and how
one more entry is handled."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from incidents.analysis.choices import Options
from incidents.analysis.filters import FILTER_FIELDS, Filter
from incidents.ui import sidebar, state
from tests.domain.test_filter_table import PRECISIONS, WIDER, Wider  # the filter with one more entry

from .conftest import ROOT

#: the sidebar as it was drawn by hand before the table (#16): the table keeps this order
SIDEBAR = ("figure", "include_drafts", "actors", "date_from", "date_to", "undated", "event_types", "districts",
           "subdistricts", "places", "gradings", "civilian_only", "min_killed", "source_kinds", "languages", "text",
           "statuses")


def test_the_widgets_are_the_table_in_sidebar_order():
    assert state.WIDGET_FIELDS == SIDEBAR == tuple(spec.name for spec in FILTER_FIELDS)
    assert {spec.widget for spec in FILTER_FIELDS} <= set(sidebar._WIDGETS)


def test_viewers_get_no_status_or_draft_widgets_and_the_dates_share_a_row():
    viewer = [spec.name for spec in sidebar.shown_fields(sees_unpublished=False)]
    assert viewer == [n for n in SIDEBAR if n not in ("statuses", "include_drafts")]
    rows = [tuple(spec.name for spec in row) for row in sidebar._rows(sidebar.shown_fields(True))]
    assert ("date_from", "date_to") in rows and all(len(row) == 1 for row in rows if row[0] != "date_from")


@pytest.mark.parametrize(("widgets", "expected"), [
    ({"actors": ["sdf", "isis"]}, Filter(actors=("sdf", "isis"))),
    ({"actors": None, "gradings": []}, Filter(gradings=())),
    ({"date_from": date(2019, 1, 1), "date_to": date(2018, 1, 1)},  # reversed by hand: put right
     Filter(date_from=date(2018, 1, 1), date_to=date(2019, 1, 1))),
    ({"date_from": "2018-01-01"}, Filter()),
    ({"civilian_only": 1, "undated": 0, "include_drafts": True}, Filter(civilian_only=True, include_drafts=True)),
    ({"min_killed": 4.0}, Filter(min_killed=4)),
    ({"min_killed": -3}, Filter()),
    ({"min_killed": None}, Filter()),
    ({"figure": "median"}, Filter()),  # not offered: the old choice stays
    ({"figure": "best"}, Filter(figure="best")),
    ({"text": "x" * 300}, Filter(text="x" * 200)),
    ({"text": None}, Filter()),
])
def test_widget_values_become_filter_values(widgets, expected):
    present = {state.widget_key(name): value for name, value in widgets.items()}
    assert state.filter_from_widgets(present, Filter()) == expected


def test_widget_values_round_trip():
    chosen = Filter(actors=("sdf",), date_from=date(2018, 1, 1), min_killed=3, text="hajin", figure="best",
                    undated=True, statuses=("draft",))
    widgets = {state.widget_key(n): state.to_widget(n, getattr(chosen, n)) for n in state.WIDGET_FIELDS}
    assert state.filter_from_widgets(widgets, Filter()) == chosen




def test_one_more_entry_gets_its_widget_value_and_its_choices():
    assert state.filter_from_widgets({state.widget_key("precisions"): ["week"]}, Wider(), WIDER) == Wider(
        precisions=("week",))
    offered = sidebar._offered(PRECISIONS, Wider(), Options(), "en")
    assert list(offered) == ["day", "week", "month", "year", "unknown"] and offered["week"] == "Week"


def test_choices_from_the_data_keep_what_the_filter_holds_and_follow_the_districts():
    options = Options(districts={"SY0901": "Deir ez-Zor"}, subdistricts={"SY090101": "a", "SY090201": "b"},
                      subdistrict_parent={"SY090101": "SY0901", "SY090201": "SY0902"}, languages=("ar", "en"))
    chosen = Filter(districts=("SY0902",), places=("wof:9",))
    field = {spec.name: spec for spec in FILTER_FIELDS}
    assert sidebar._offered(field["subdistricts"], chosen, options, "en") == {"SY090201": "b"}
    assert sidebar._offered(field["places"], chosen, options, "en") == {"wof:9": "wof:9"}
    assert sidebar._offered(field["districts"], chosen, options, "en") == {"SY0901": "Deir ez-Zor",
                                                                           "SY0902": "SY0902"}
    assert sidebar._offered(field["languages"], Filter(), options, "en") == {"ar": "", "en": ""}


def _widget_keys(node) -> list[str]:
    keys = []
    for child in getattr(node, "children", {}).values():
        key = getattr(child, "key", None)
        if isinstance(key, str) and key.startswith(state.WIDGET_PREFIX):
            keys.append(key.removeprefix(state.WIDGET_PREFIX))
        keys.extend(_widget_keys(child))
    return keys


def test_the_sidebar_draws_the_table_in_order(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _widget_keys(at.sidebar) == [*SIDEBAR, "reset"]
    assert at.sidebar.date_input[0].label == "From" and at.sidebar.date_input[1].label == "To"
