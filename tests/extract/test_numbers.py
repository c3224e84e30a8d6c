"""Quantities: digits (Western and Arabic-Indic), number words, ranges, hedges and vague amounts."""

from __future__ import annotations

import pytest

from incidents.extract.numbers import find_quantities
from incidents.extract.text import tokenize


def _first(text: str) -> tuple[int | None, int | None, str] | None:
    tokens = tokenize(text)
    found = find_quantities(tokens, 0, len(tokens) - 1)
    return (found[0].low, found[0].high, found[0].kind) if found else None


@pytest.mark.parametrize(("text", "expected"), [
    ("15 مدنياً", (15, 15, "exact")),
    ("١٥ مدنياً", (15, 15, "exact")),
    ("٢٠٠ شخص", (200, 200, "exact")),
    ("ثلاثة مدنيين", (3, 3, "exact")),
    ("ثلاث نساء", (3, 3, "exact")),
    ("ثمانية أطفال", (8, 8, "exact")),
    ("عشرة أشخاص", (10, 10, "exact")),
    ("أحد عشر مدنياً", (11, 11, "exact")),
    ("إحدى عشرة امرأة", (11, 11, "exact")),
    ("اثنا عشر شخصاً", (12, 12, "exact")),
    ("سبعة عشر شخصًا", (17, 17, "exact")),
    ("عشرون مدنياً", (20, 20, "exact")),
    ("خمسة وعشرون عنصراً", (25, 25, "exact")),
    ("مئة مدني", (100, 100, "exact")),
    ("مائة قتيل", (100, 100, "exact")),
    ("ثلاثمائة شخص", (300, 300, "exact")),
    ("10 آلاف شخص", (10000, 10000, "exact")),
    ("seven civilians", (7, 7, "exact")),
    ("twenty-one people", (21, 21, "exact")),
    ("one hundred and twenty people", (120, 120, "exact")),
    ("a dozen people", (12, 12, "exact")),
])
def test_exact_numbers(text: str, expected: tuple[int, int, str]) -> None:
    assert _first(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ما لا يقل عن 11 مدنياً", (11, None, "at_least")),
    ("at least 11 civilians", (11, None, "at_least")),
    ("أكثر من 100 مدني", (100, None, "more_than")),
    ("more than 100 civilians", (100, None, "more_than")),
    ("over 70 civilians", (70, None, "more_than")),
    ("نحو 25 عنصراً", (25, 25, "about")),
    ("حوالي ٤٠ مصاباً", (40, 40, "about")),
    ("about 40 people", (40, 40, "about")),
    ("up to seven civilians", (None, 7, "up_to")),
    ("two to four civilians", (2, 4, "range")),
    ("3-5 civilians", (3, 5, "range")),
    ("between 3 and 5 civilians", (3, 5, "range")),
    ("بين 3 و5 مدنيين", (3, 5, "range")),
    ("من 3 إلى 5 مدنيين", (3, 5, "range")),
])
def test_hedged_and_ranged_numbers(text: str, expected: tuple[int | None, int | None, str]) -> None:
    assert _first(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("عشرات المدنيين", (20, 99, "vague")),
    ("العشرات", (20, 99, "vague")),
    ("dozens of civilians", (20, 99, "vague")),
    ("مئات العائلات", (100, 999, "vague")),
    ("عدد من المدنيين", (None, None, "unknown")),
    ("a number of civilians", (None, None, "unknown")),
    ("several civilians", (None, None, "unknown")),
    ("بعض المدنيين", (None, None, "unknown")),
])
def test_vague_amounts(text: str, expected: tuple[int | None, int | None, str]) -> None:
    assert _first(text) == expected


@pytest.mark.parametrize("text", ["الأحد الماضي", "في يوم الثلاثاء", "the town"])
def test_words_that_are_not_numbers(text: str) -> None:
    assert _first(text) is None
