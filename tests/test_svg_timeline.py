"""The overview's static timeline (incidents.analysis.svg_timeline): what it draws, in a few kilobytes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from incidents.analysis import aggregate, svg_timeline
from incidents.analysis.aggregate import actor_colour


def periods(months: int = 3, actors: tuple[str, ...] = ("coalition", "isis"), killed: int = 10) -> pd.DataFrame:
    """Synthetic monthly summaries: each actor ``killed`` (minimum) in each month, maximum half as much again."""
    starts = pd.date_range("2017-01-01", periods=months, freq="MS")
    rows = [{"start": s, "actor": a, "actor_label": a, "n": 2, "killed_min": killed, "killed_max": killed * 3 // 2,
             "killed_best": killed, "killed": killed} for s in starts for a in actors]
    return pd.DataFrame(rows, columns=aggregate.PERIOD_COLUMNS)


def chart(data: pd.DataFrame, **kwargs) -> str:
    return svg_timeline.build_timeline_svg(data, aggregate.summarise_bands(data), **kwargs)


def test_bars_are_stacked_by_actor_in_their_colours_under_the_band():
    out = chart(periods())
    paths = re.findall(r'<path d="([^"]+)" fill="(#[0-9A-Fa-f]{6})"', out)
    assert [colour for _d, colour in paths] == ["#333333", actor_colour("coalition"), actor_colour("isis")]
    coalition, isis = paths[1][0], paths[2][0]
    assert coalition.count("M") == isis.count("M") == 3  # one rectangle per month
    # isis sits on top of the coalition: its rectangles' bottoms are the coalition's tops
    tops = re.findall(r"M\d+ (\d+)h", coalition)
    bottoms = re.findall(r"V(\d+)h", isis)
    assert tops == bottoms
    assert "US-led coalition" in out and "Islamic State" in out  # the legend, in the interface language


def test_each_month_tells_its_figures_on_hover_each_named():
    out = chart(periods(months=1))
    assert ("<title>2017-01 · Killed (minimum): 20 · All actors: minimum–maximum 20–30 · Incidents: 4</title>"
            in out)


@pytest.mark.parametrize(("figure", "lang", "title"), [
    ("min", "en", "Killed (minimum)"), ("max", "en", "Killed (maximum)"), ("best", "en", "Killed (best estimate)"),
    ("min", "ar", "القتلى (الحد الأدنى)"), ("best", "ar", "القتلى (التقدير الأفضل)")])
def test_the_chart_says_in_visible_text_which_figure_it_stacks(figure, lang, title):
    out = chart(periods(months=1), figure=figure, lang=lang)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", out)
    assert title in texts  # the value axis's title, drawn (not only an aria-label)
    assert f": {title}:" not in out and f"· {title}: " in out  # the tooltips name it too


@pytest.mark.parametrize(("lang", "band"), [("en", "All actors: minimum–maximum"),
                                            ("ar", "كل الأطراف: الحد الأدنى–الأقصى")])
def test_the_legend_explains_the_grey_band(lang, band):
    legend = chart(periods(months=1), lang=lang).split("</svg></div>", 1)[1]
    assert band in legend and "stroke-dasharray" in legend  # the band's key, dashed like the band


def test_arabic_legend_and_tooltips():
    out = chart(periods(months=1), lang="ar")
    assert "القتلى" in out and 'dir="auto"' in out


def test_arabic_tooltips_read_right_to_left_and_the_axis_stays_left_to_right():
    out = chart(periods(months=1), lang="ar")
    tips = re.findall(r"<title>([^<]*)</title>", out)
    assert tips and all(t.startswith("\u2067") and t.endswith("\u2069") for t in tips)  # right-to-left isolates
    assert '<g fill="transparent" direction="rtl">' in out
    assert out.startswith('<div dir="ltr"')  # the chart itself (its ticks) is not flipped
    english = chart(periods(months=1))
    assert "\u2067" not in english and 'direction="rtl"' not in english


@pytest.mark.parametrize("data", [periods(0), periods(1, actors=())])
def test_nothing_to_draw_gives_nothing(data):
    assert chart(data) == ""


def test_years_of_months_stay_a_few_kilobytes():
    data = periods(months=13 * 12, actors=("coalition", "sdf", "isis", "pmf", "government", "russia", "turkey",
                                           "unknown", "other"), killed=7)
    data["killed"] = np.arange(len(data)) % 50
    out = chart(data)
    assert len(out.encode()) < 60_000
    assert out.count("<title>") == 13 * 12


def test_an_actor_the_taxonomy_lacks_is_keyed_in_the_legend_as_stacked():
    data = periods(months=1, actors=("coalition", "militia<x>"))
    out = chart(data)
    legend = out.split("</svg></div>", 1)[1]
    assert "<bdi>militia&lt;x&gt;</bdi>" in legend and "<x>" not in out  # its code, escaped, in its own direction
    colours = re.findall(r'<path d="[^"]+" fill="(#[0-9A-Fa-f]{6})"', out)
    assert colours[-1] == actor_colour("militia<x>")  # stacked last, in the colour its key shows
    assert f"background:{actor_colour('militia<x>')}" in legend


def axis_labels(out: str) -> list[str]:
    return re.findall(r'<text x="[^"]+" y="[^"]+" text-anchor="middle" fill="#555">([^<]*)</text>', out)


@pytest.mark.parametrize(("first", "months", "lang", "labels"), [
    # Jul–Sep 2017 (widened to a year): months, 2017 among them (it showed only "2018" at the right edge)
    ("2017-07-01", 3, "en", ["Mar 2017", "May 2017", "Jul 2017", "Sep 2017", "Nov 2017", "Jan 2018"]),
    ("2017-07-01", 3, "ar", ["2017-03", "2017-05", "2017-07", "2017-09", "2017-11", "2018-01"]),
    ("2015-01-01", 30, "en", ["Jan 2015", "May 2015", "Sep 2015", "Jan 2016", "May 2016", "Sep 2016", "Jan 2017",
                              "May 2017"]),
    ("2005-01-01", 156, "en", ["2006", "2008", "2010", "2012", "2014", "2016", "2018"]),
])
def test_the_time_axis_labels_months_for_short_spans_and_years_for_long(first, months, lang, labels):
    data = periods(months)
    data["start"] = pd.date_range(first, periods=months, freq="MS").repeat(2)
    assert axis_labels(chart(data, lang=lang)) == labels


@pytest.mark.parametrize(("lang", "summary"), [
    ("en", "Monthly timeline, 2017-01 to 2017-03: Killed (minimum), 70 in all in 12 incidents; most in 2017-02 (30)."),
    ("ar", "الخط الزمني الشهري، من 2017-01 إلى 2017-03: القتلى (الحد الأدنى)، المجموع 70 في 12 حادثة؛ وأعلاه في "
           "2017-02 (30)."),
])
def test_screen_readers_get_a_summary_of_what_the_chart_shows(lang, summary):
    data = periods(months=3)
    data.loc[data["start"] == "2017-02-01", "killed"] = 15
    out = chart(data, lang=lang)
    assert 'role="img"' in out
    desc = re.findall(r"<desc>([^<]*)</desc>", out)
    assert len(desc) == 1 and desc[0].startswith(summary)


HOSTILE = ["<script>alert(1)</script>", "</title><script>x()</script>", "a & b &amp; c", "\"' onmouseover=\"x()",
           "{{ fig }} {0} {", "</svg><img src=x onerror=alert(1)>", "قوات <b>مجهولة</b> & \"غيرها\""]
ELEMENTS = {"div", "svg", "desc", "line", "text", "path", "g", "rect", "title", "span", "b", "bdi"}


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_actor_codes_and_labels_come_out_as_text(hostile, lang):
    data = periods(months=2, actors=("coalition", hostile))
    data["actor_label"] = hostile  # labels are re-made from the taxonomy, but must be harmless if used
    out = chart(data, lang=lang)
    tree = ET.fromstring(f"<root>{out}</root>")  # well-formed: no tag or attribute was opened or closed by the text
    assert {element.tag.split("}")[-1] for element in tree.iter()} - {"root"} <= ELEMENTS
    assert all(not name.startswith("on") for element in tree.iter() for name in element.attrib)
    assert hostile in "".join(tree.itertext())  # shown as the text it is (the unknown actor's key)


@pytest.mark.parametrize("killed", [10, 4_000, 300_000])
def test_long_value_labels_stay_inside_the_left_edge(killed):
    out = chart(periods(months=1, killed=killed))
    ticks = re.findall(r'<text x="([\d.]+)" y="[^"]+" text-anchor="end" fill="#555">([^<]*)</text>', out)
    assert ticks and all(float(x) >= 15 * len(label) for x, label in ticks)  # each label's width fits left of it


def test_on_a_narrow_column_the_chart_scrolls_rather_than_shrinking_its_text_away():
    out = chart(periods(months=1))
    font = float(re.search(r"font:(\d+)px", out)[1]) / 2  # drawing units are half pixels
    least = float(re.search(r"min-width:(\d+)px", out)[1])
    assert font * least / (svg_timeline.WIDTH / 2) >= 9  # the smallest the text is drawn, in pixels
    assert out.startswith('<div dir="ltr" style="overflow-x:auto">')
