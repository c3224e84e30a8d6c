"""The extraction scorer's own rules: gold dates, the date-in-range test and children/women counts."""

from __future__ import annotations

from datetime import date

import pytest

from bench.extract_eval import count_hits, date_in_range, gold_dates, score_report
from incidents.extract import Candidate


def _candidate(start: date | None, end: date | None = None, children: int | None = None,
               women: int | None = None) -> Candidate:
    return Candidate(place_text="هجين", place=None, date_start=start, date_end=end, children_killed=children,
                     women_killed=women)


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),
    ("2019-03-29", (date(2019, 3, 29), date(2019, 3, 29))),
    ("2019-03-28/2019-03-30", (date(2019, 3, 28), date(2019, 3, 30))),
    ("2022-01", (date(2022, 1, 1), date(2022, 1, 31))),
    ("2017", (date(2017, 1, 1), date(2017, 12, 31))),
])
def test_gold_dates(value: str | None, expected: tuple[date, date] | None) -> None:
    assert gold_dates({"date": value}) == expected


@pytest.mark.parametrize(("start", "end", "right"), [
    (date(2019, 3, 29), None, True),
    (date(2019, 3, 23), date(2019, 3, 30), True),      # a week holding the day
    (date(2019, 3, 1), date(2019, 3, 30), False),      # a month is too wide to count for a day
    (date(2019, 3, 30), None, False),
    (None, None, False),                               # no date proposed is a miss
])
def test_date_in_range(start: date | None, end: date | None, right: bool) -> None:
    assert date_in_range(_candidate(start, end), (date(2019, 3, 29), date(2019, 3, 29))) is right


def test_a_month_counts_for_a_month() -> None:
    month = (date(2022, 1, 1), date(2022, 1, 31))
    assert date_in_range(_candidate(date(2022, 1, 1), date(2022, 1, 31)), month)


def test_count_hits_only_where_the_gold_gives_a_number() -> None:
    assert count_hits(_candidate(None, children=2, women=1), {"children": 2, "women": None}) == (1, 1)
    assert count_hits(_candidate(None, children=None, women=1), {"children": 3, "women": 1}) == (2, 1)


def test_score_report_counts_dates_only_with_a_publication_date() -> None:
    report = {"id": "t", "text": "x", "published": None,
              "gold": [{"place_ar": "هجين", "date": "2019-03-29", "killed": 1, "killed_min": 1, "killed_max": 1}]}
    scores = score_report(report, [_candidate(date(2019, 3, 29))], frozenset())
    assert (scores.matched, scores.dated, scores.dated_any, scores.date_any_in_range) == (1, 0, 1, 1)
