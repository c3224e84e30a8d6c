"""Chart specs: the timeline's layers, selection and band; spans; delays; reading a dragged range."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from incidents.analysis import charts
from incidents.analysis.aggregate import PERIOD_COLUMNS, summarise_bands


def periods() -> pd.DataFrame:
    return pd.DataFrame([
        {"start": pd.Timestamp("2018-11-01"), "actor": "coalition", "actor_label": "US-led coalition", "n": 2,
         "killed_min": 5, "killed_max": 9, "killed_best": 6, "killed": 5},
        {"start": pd.Timestamp("2018-11-01"), "actor": "sdf", "actor_label": "Syrian Democratic Forces (SDF)",
         "n": 1, "killed_min": 1, "killed_max": 1, "killed_best": 1, "killed": 1},
        {"start": pd.Timestamp("2018-12-01"), "actor": "isis", "actor_label": "Islamic State (ISIS)", "n": 1,
         "killed_min": 2, "killed_max": 4, "killed_best": 2, "killed": 2},
    ], columns=PERIOD_COLUMNS)


def test_timeline_has_band_stacked_bars_and_interval_selection():
    spec = charts.build_timeline(periods(), summarise_bands(periods()), freq="month").to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "bar", "rule"]  # bars stack; a rect would overlap
    bars = spec["layer"][1]
    assert bars["encoding"]["y"]["stack"] == "zero"
    assert bars["encoding"]["color"]["field"] == "actor_label"
    params = spec["params"] if "params" in spec else bars["params"]
    assert params[0]["name"] == charts.SELECTION and params[0]["select"]["encodings"] == ["x"]
    band = spec["layer"][0]["encoding"]
    assert (band["y"]["field"], band["y2"]["field"]) == ("killed_min", "killed_max")


def test_timeline_colours_follow_the_map():
    spec = charts.build_timeline(periods(), summarise_bands(periods())).to_dict()
    scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["US-led coalition", "Syrian Democratic Forces (SDF)", "Islamic State (ISIS)"]
    assert scale["range"][0] == "#0072B2"


def test_incident_counts_have_no_band_and_can_be_unselectable():
    spec = charts.build_timeline(periods(), summarise_bands(periods()), measure="incidents",
                                 selectable=False).to_dict()
    assert spec["mark"]["type"] == "bar" and "params" not in spec
    assert spec["encoding"]["y"]["field"] == "n"


def test_arabic_labels():
    spec = charts.build_timeline(periods(), summarise_bands(periods()), lang="ar").to_dict()
    assert spec["layer"][1]["encoding"]["color"]["title"] == "الطرف"
    assert "التحالف الدولي" in spec["layer"][1]["encoding"]["color"]["scale"]["domain"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"measure": "deaths"}, "measure must be one of killed, incidents; got 'deaths'"),
    ({"freq": "year"}, "frequency must be one of day, week, month; got 'year'"),
])
def test_timeline_rejects_unknown_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        charts.build_timeline(periods(), summarise_bands(periods()), **kwargs)


def test_spans_and_delays_specs():
    spans = pd.DataFrame({"uid": ["a"], "date_start": [pd.Timestamp("2018-03-01")],
                          "date_end": [pd.Timestamp("2018-03-20")], "label": ["Hajin"], "actor": ["isis"],
                          "killed_min": [2.0], "killed_max": [4.0]})
    spec = charts.build_spans(spans).to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x2"]["field"] == "drawn_end"
    delays = pd.DataFrame({"delay": ["same day", "next day"], "order": [1, 2], "n": [3, 1]})
    assert charts.build_delays(delays).to_dict()["mark"]["type"] == "bar"


def _values(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_a_short_range_is_drawn_as_a_visible_bar_and_keeps_its_dates_in_the_tooltip():
    spans = pd.DataFrame({"uid": ["a", "b"], "date_start": pd.to_datetime(["2017-01-01", "2018-03-01"]),
                          "date_end": pd.to_datetime(["2019-01-01", "2018-03-03"]), "label": ["Hajin", "Susah"],
                          "actor": ["isis", "coalition"], "killed_min": [2.0, 1.0], "killed_max": [4.0, 1.0]})
    spec = charts.build_spans(spans).to_dict()
    rows = {row["uid"]: row for row in _values(spec)}
    axis_days = 730
    drawn = pd.Timestamp(rows["b"]["drawn_end"]) - pd.Timestamp(rows["b"]["date_start"])
    assert drawn.days >= axis_days * charts.MIN_SPAN_SHARE * 0.9  # a bar, not a dot
    assert pd.Timestamp(rows["b"]["date_end"]) == pd.Timestamp("2018-03-03")  # the tooltip's true end
    assert pd.Timestamp(rows["a"]["drawn_end"]) == pd.Timestamp("2019-01-01")


def test_one_month_is_one_bar_among_a_year_and_ticks_are_chosen_by_the_axis():
    one = periods().iloc[:1]
    spec = charts.build_timeline(one, summarise_bands(one), freq="month").to_dict()
    x = spec["layer"][1]["encoding"]["x"]
    first, last = (pd.Timestamp(d) for d in x["scale"]["domain"])
    assert (last - first).days >= 360  # twelve months on the axis, the month in the middle
    assert first < pd.Timestamp("2018-11-01") < pd.Timestamp("2018-12-01") < last
    # one tick per month at most, each labelled with its month and year: no "2018-11" on fifteen ticks
    assert x["axis"]["tickCount"]["interval"] == "month" and x["axis"]["format"] == "%b %Y"


@pytest.mark.parametrize(("domain", "interval", "step", "fmt"), [
    (["2012-01-01", "2024-01-01"], "year", 2, "%Y"),
    (["2017-10-01", "2019-04-01"], "month", 3, "%b %Y"),
    (["2018-10-01", "2018-12-31"], "week", 2, "%d %b %Y"),
    (["2018-11-01", "2018-11-20"], "day", 3, "%d %b %Y"),
])
def test_ticks_follow_the_span(domain, interval, step, fmt):
    axis = charts.time_axis("", domain).to_dict()
    assert (axis["tickCount"]["interval"], axis["tickCount"]["step"], axis["format"]) == (interval, step, fmt)


def test_delay_categories_in_arabic():
    delays = pd.DataFrame({"delay": ["same day", "over a year"], "order": [1, 6], "n": [3, 1]})
    names = [row["delay"] for row in _values(charts.build_delays(delays, lang="ar").to_dict())]
    assert names == ["في اليوم نفسه", "أكثر من سنة"]


@pytest.mark.parametrize(("state", "expected"), [
    ({"selection": {"when": {"start": [1541030400000, 1543622400000]}}},
     (pd.Timestamp("2018-11-01"), pd.Timestamp("2018-12-01"))),
    ({"selection": {"when": {"start": ["2018-12-01", "2018-11-01"]}}},  # reversed, ISO
     (pd.Timestamp("2018-11-01"), pd.Timestamp("2018-12-01"))),
    (SimpleNamespace(selection=SimpleNamespace(when={"start": [1541030400000.0, 1541116800000.0]})),
     (pd.Timestamp("2018-11-01"), pd.Timestamp("2018-11-02"))),
    (SimpleNamespace(selection={"when": {"start": [1541030400000.0, 1541116800000.0]}}),
     (pd.Timestamp("2018-11-01"), pd.Timestamp("2018-11-02"))),
    ({"selection": {"when": {}}}, None),  # cleared
    ({"selection": {"when": {"start": [1]}}}, None),
    ({"selection": {"when": {"start": ["not a date", "x"]}}}, None),
    ({"selection": {}}, None),
    (None, None),
])
def test_selected_range(state, expected):
    assert charts.selected_range(state) == expected


def test_cumulative_tolls_are_a_band_behind_the_timeline_that_keeps_its_selection():
    cumulative = pd.DataFrame({"date_start": [pd.Timestamp("2018-11-10")], "date_end": [pd.Timestamp("2018-11-17")],
                               "killed_min": [100.0], "killed_max": [float("nan")]})
    timeline = charts.build_timeline(periods(), summarise_bands(periods()), freq="month")
    spec = charts.with_cumulative_band(timeline, cumulative, lang="ar").to_dict()
    context = spec["layer"][0]
    assert context["mark"]["type"] == "rect" and "y" not in context["encoding"]  # full height: never a bar
    assert "حصيلة تراكمية" in context["encoding"]["tooltip"][0]["title"]
    assert [p["name"] for p in spec["params"]] == [charts.SELECTION]  # the drag selection is still there
    assert charts.with_cumulative_band(timeline, cumulative.iloc[:0]) is timeline


def test_undated_bin():
    spec = charts.build_undated_bin(3, 12, measure="killed", lang="en").to_dict()
    assert spec["title"] == "undated" and spec["mark"]["type"] == "bar"
    data = next(iter(spec["datasets"].values()))
    assert data[0]["value"] == 12 and data[0]["n"] == 3
    incidents = charts.build_undated_bin(3, 12, measure="incidents", lang="ar").to_dict()
    assert incidents["title"] == "بلا تاريخ" and next(iter(incidents["datasets"].values()))[0]["value"] == 3
def test_bars_take_their_labels_in_the_chart_language_whatever_the_periods_hold():
    spec = charts.build_timeline(periods(), summarise_bands(periods()), lang="ar").to_dict()
    labels = {row["actor_label"] for rows in spec["datasets"].values() for row in rows if "actor_label" in row}
    domain = spec["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert labels and labels <= set(domain)  # an English label would fall outside the scale: no bar drawn
