"""Dates: relative wording resolved against the publication date (or left unresolved), absolute dates."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract.dates import find_dates, find_labelled_date
from incidents.extract.text import tokenize

SATURDAY = date(2018, 11, 24)  # a Saturday


def _dates(text: str, published: date | None) -> list[tuple[date | None, date | None, str]]:
    tokens = tokenize(text)
    return [(d.start, d.end, d.precision) for d in find_dates(tokens, 0, len(tokens) - 1, published)]


def _d(day: int, month: int = 11, year: int = 2018) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("قصف الطيران اليوم القرية", _d(24), _d(24), "day"),
    ("قصف الطيران صباح اليوم القرية", _d(24), _d(24), "day"),
    ("استشهد أمس 11 مدنياً", _d(23), _d(23), "day"),
    ("مساء أمس", _d(23), _d(23), "day"),
    ("البارحة", _d(23), _d(23), "day"),
    ("أول أمس", _d(22), _d(22), "day"),
    ("قبل يومين", _d(22), _d(22), "day"),
    ("قبل 3 أيام", _d(21), _d(21), "day"),
    ("فجر اليوم (السبت)", _d(24), _d(24), "day"),
    ("اليوم السبت", _d(24), _d(24), "day"),
    ("أمس الجمعة", _d(23), _d(23), "day"),
    ("أمس السبت", _d(23), _d(24), "day"),  # the weekday contradicts "yesterday": both kept as a range
    ("مساء الخميس", _d(22), _d(22), "day"),
    ("يوم الجمعة", _d(23), _d(23), "day"),
    ("الأحد الماضي", _d(18), _d(18), "day"),
    ("السبت الماضي", _d(17), _d(17), "day"),
    ("يومي الخميس والجمعة", _d(22), _d(23), "day"),
    ("منذ مساء الجمعة", _d(23), _d(24), "day"),
    ("الأسبوع الماضي", _d(17), _d(24), "week"),
    ("خلال الأسبوع الماضي", _d(17), _d(24), "week"),
    ("الشهر الماضي", _d(1, 10), _d(31, 10), "month"),
    ("yesterday", _d(23), _d(23), "day"),
    ("on Thursday", _d(22), _d(22), "day"),
    ("last Saturday", _d(17), _d(17), "day"),
    ("last week", _d(17), _d(24), "week"),
    ("two days ago", _d(22), _d(22), "day"),
    ("3 days ago", _d(21), _d(21), "day"),
    ("over the past couple of days", _d(22), _d(24), "day"),
    ("this morning", _d(24), _d(24), "day"),
])
def test_relative_dates_with_publication_date(text: str, start: date, end: date, precision: str) -> None:
    assert _dates(text, SATURDAY)[0] == (start, end, precision)


@pytest.mark.parametrize("text", [
    "اليوم", "أمس", "فجر اليوم (السبت)", "منذ مساء الجمعة", "الأسبوع الماضي", "قبل يومين", "yesterday",
    "on Friday", "last week", "10 أيلول الماضي",
])
def test_relative_dates_without_publication_date_stay_unresolved(text: str) -> None:
    found = _dates(text, None)
    assert found and found[0] == (None, None, "unknown")


@pytest.mark.parametrize(("text", "expected"), [
    ("18 نوفمبر 2018", _d(18)),
    ("18 تشرين الثاني 2018", _d(18)),
    ("3 كانون الثاني 2019", date(2019, 1, 3)),
    ("12 شباط 2019", date(2019, 2, 12)),
    ("5 آذار 2019", date(2019, 3, 5)),
    ("20 نيسان 2018", date(2018, 4, 20)),
    ("7 أيار 2018", date(2018, 5, 7)),
    ("1 حزيران 2018", date(2018, 6, 1)),
    ("9 تموز 2018", date(2018, 7, 9)),
    ("27 آب 2018", date(2018, 8, 27)),
    ("10 أيلول 2018", date(2018, 9, 10)),
    ("٢٠ تشرين الأول ٢٠١٨", date(2018, 10, 20)),
    ("15 كانون الأول 2018", date(2018, 12, 15)),
    ("السبت 20 أكتوبر 2018", date(2018, 10, 20)),
    ("October 18, 2017", date(2017, 10, 18)),
    ("on 18 October 2017", date(2017, 10, 18)),
    ("24-11-2018", _d(24)),
    ("2018-11-24", _d(24)),
    ("24/11/2018", _d(24)),
    ("2019.03.30", date(2019, 3, 30)),
    ("on the 12th of June 2019", date(2019, 6, 12)),
    ("June 12th, 2019", date(2019, 6, 12)),
])
def test_absolute_dates(text: str, expected: date) -> None:
    found = [d for d in _dates(text, None) if d[0] is not None]
    assert found[0] == (expected, expected, "day")


def test_day_and_month_take_the_year_before_publication() -> None:
    assert _dates("10 أيلول الماضي", SATURDAY)[0] == (_d(10, 9), _d(10, 9), "day")
    assert _dates("on December 30", date(2019, 1, 2))[0] == (_d(30, 12), _d(30, 12), "day")


def test_month_and_year_give_a_month() -> None:
    assert _dates("في نوفمبر 2018", None)[0] == (_d(1), _d(30), "month")


@pytest.mark.parametrize("text", ["أحد المراكز الأمنية", "The planes may return", "قبل ساعات"])
def test_not_dates(text: str) -> None:
    assert _dates(text, SATURDAY) == []


def test_labelled_incident_date() -> None:
    tokens = tokenize("CS0001\nIncident date\n\nAugust 27, 2018\n\nA child was killed.")
    labelled = find_labelled_date(tokens)
    assert labelled is not None and labelled.start == date(2018, 8, 27)
