"""Round four of the extractor (#14): kinds of failure left after round three.

Each case is a short text written for the test, one per kind of failure.
"""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract import Candidate, extract_candidates

from .fake_gazetteer import FakeGazetteer

GAZ = FakeGazetteer()


def _extract(text: str, published: date | None = None, url: str | None = None) -> list[Candidate]:
    return extract_candidates(text, published=published, url=url, gazetteer=GAZ)


# -- a day without its year, in a report without a publication date -------------------------------------------


@pytest.mark.parametrize(("text", "url", "day"), [
    # the report's address gives its year and month: the day is of that month or before it
    ("وفي 18 أيلول/سبتمبر، قتل مدنيان بانفجار عبوة ناسفة في بلدة ذيبان.", "https://example.org/ar/2019/09/a.html",
     date(2019, 9, 18)),
    ("On 30 December, a car bomb killed three people in Hajin.", "https://example.org/2020/01/05/hajin-bomb",
     date(2019, 12, 30)),
    ("قتل ثلاثة مدنيين بقصف على بلدة هجين في 12 آذار.", "https://example.org/news/2018/bombing.html",
     date(2018, 3, 12)),
])
def test_a_day_without_a_year_takes_the_year_of_the_report_s_address(text: str, url: str, day: date) -> None:
    [candidate] = _extract(text, url=url)
    assert (candidate.date_start, candidate.date_end) == (day, day)
    assert any("address" in note for note in candidate.notes)


@pytest.mark.parametrize("text", [
    "قتل مدنيان بقصف على بلدة هجين في 22.5.2017. وفي 24 أيار قتل ثلاثة مدنيين بغارة على بلدة الشعفة.",
    "Shelling killed two civilians in Hajin on 22 May 2017. On 24 May an air strike killed three in al-Shaafa.",
])
def test_a_day_without_a_year_takes_the_one_year_of_the_report_s_other_dates(text: str) -> None:
    dated = [(c.place_text, c.date_start) for c in _extract(text, url="https://example.org/?p=6769")]
    assert dated[1][1] == date(2017, 5, 24)


@pytest.mark.parametrize(("text", "published"), [
    # no year anywhere: the day stays undated
    ("وفي 18 أيلول، قتل مدنيان بانفجار عبوة ناسفة في بلدة ذيبان.", None),
    # a publication date decides, whatever the address says
    ("وفي 18 أيلول، قتل مدنيان بانفجار عبوة ناسفة في بلدة ذيبان.", date(2021, 10, 1)),
])
def test_the_year_of_a_bare_day_is_never_guessed(text: str, published: date | None) -> None:
    [candidate] = _extract(text, published=published, url="https://example.org/?p=17")
    assert candidate.date_start == (date(2021, 9, 18) if published else None)


def test_a_publication_date_decides_over_the_address() -> None:
    [candidate] = _extract("وفي 18 أيلول، قتل مدنيان بانفجار عبوة ناسفة في بلدة ذيبان.", date(2021, 10, 1),
                           "https://example.org/2019/09/x")
    assert candidate.date_start == date(2021, 9, 18)
