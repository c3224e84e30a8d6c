"""The stated rule that derives an incident's figures from its claims."""

from __future__ import annotations

import pytest

from incidents.domain.figures import NamedCounts, derive_figures, disagreements
from incidents.domain.records import Claim


def claim(name="S", **figures) -> Claim:
    return Claim(source_name=name, quote="q", **figures)


@pytest.mark.parametrize(("claims", "expected"), [
    ([claim(killed_min=40, killed_max=40)], (40, 40, 40)),
    ([claim(killed_min=40, killed_max=40), claim(killed_min=35, killed_max=45)], (35, 45, 35)),
    ([claim(killed_min=20, killed_max=99), claim(killed_min=100, killed_max=None)], (20, None, 20)),  # "more than 100"
    ([claim(killed_min=7, killed_max=7), claim(killed_min=9, killed_max=9), claim(killed_min=12, killed_max=12)],
     (7, 12, 9)),
    ([claim(), claim()], (None, None, None)),  # "a number of": nothing stated, nothing invented
    ([claim(killed_min=None, killed_max=10)], (0, 10, None)),  # "up to 10"
])
def test_lowest_minimum_highest_maximum_and_middle_source_best(claims, expected):
    figures = derive_figures(claims)
    assert (figures.killed_min, figures.killed_max, figures.killed_best) == expected


def test_children_and_women_take_the_highest_stated_count_and_civilians_need_agreement():
    figures = derive_figures([claim(children_killed=3, civilians="yes"), claim(children_killed=5, women_killed=2),
                              claim(civilians="unknown")])
    assert (figures.children_killed, figures.women_killed, figures.civilians) == (5, 2, "yes")
    assert derive_figures([claim(civilians="yes"), claim(civilians="no")]).civilians == "unknown"


def test_disagreements_name_each_source_and_value():
    found = disagreements([claim("SANA", killed_min=40, killed_max=40, actor="coalition"),
                           claim("SOHR", killed_min=31, killed_max=31, actor="coalition")])
    assert found == {"killed_min": [("SANA", 40), ("SOHR", 31)], "killed_max": [("SANA", 40), ("SOHR", 31)]}


# -- named victims are a floor (#18) ----------------------------------------------------------------------


@pytest.mark.parametrize(("claims", "named", "expected"), [
    ([claim(killed_min=3, killed_max=3)], 5, (5, 5, 5)),  # sources say 3, five are named: 5 (flagged for review)
    ([claim(killed_min=3, killed_max=3), claim(killed_min=8, killed_max=10)], 5, (5, 10, 5)),
    ([claim(killed_min=14, killed_max=14)], 9, (14, 14, 14)),  # 14 killed, 9 named: nothing changes
    ([claim(killed_min=100, killed_max=None)], 120, (120, None, 120)),  # "more than 100" stays open
    ([claim(), claim()], 2, (2, None, 2)),  # no source counts: the named, and no maximum
    ([claim(killed_min=3, killed_max=3)], 0, (3, 3, 3)),
])
def test_named_killed_are_a_floor_for_minimum_best_and_a_closed_maximum(claims, named, expected):
    figures = derive_figures(claims, NamedCounts(killed=named))
    assert (figures.killed_min, figures.killed_max, figures.killed_best) == expected


def test_named_injured_raise_the_injured_figures_only():
    figures = derive_figures([claim(killed_min=3, killed_max=3, injured_min=1, injured_max=1)],
                             NamedCounts(injured=2))
    assert (figures.killed_min, figures.injured_min, figures.injured_max) == (3, 2, 2)


@pytest.mark.parametrize(("stated", "named", "expected"), [
    ({}, NamedCounts(killed=3, children_killed=2, women_killed=1), (2, 1)),  # no source counts: from the names
    ({"children_killed": 4}, NamedCounts(killed=3, children_killed=2, women_killed=1), (4, 1)),  # a source's count
    ({"children_killed": 1}, NamedCounts(killed=3, children_killed=2), (1, None)),  # kept as the source stated
    ({}, NamedCounts(killed=3), (None, None)),  # nobody named a child or a woman: still unknown, not 0
])
def test_children_and_women_from_names_only_where_no_source_counts(stated, named, expected):
    figures = derive_figures([claim(killed_min=5, killed_max=5, **stated)], named)
    assert (figures.children_killed, figures.women_killed) == expected
