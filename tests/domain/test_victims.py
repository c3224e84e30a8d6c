"""Pure rules of named victims (#18): validation, age groups, privacy masking, counting, name matching."""

from __future__ import annotations

from dataclasses import replace

import pytest

from incidents.domain.records import Claim, Incident
from incidents.domain.victims import (
    Victim,
    age_group_of,
    check_victim,
    count_named,
    describe_named,
    masked,
    matches_name,
    name_key,
    shown_name,
    summarise_named,
)


def _victim(**overrides) -> Victim:
    values = dict(incident_uid="i1", source_name="S", quote="written for the test", name_en="Ahmad Saleh",
                  name_ar="أحمد صالح", outcome="killed")
    return Victim(**{**values, **overrides})


def _incident(*tolls: tuple[int | None, int | None], children: int | None = None) -> Incident:
    claims = [Claim(source_name=f"S{n}", quote="q", killed_min=lo, killed_max=hi, children_killed=children)
              for n, (lo, hi) in enumerate(tolls)]
    lows = [lo for lo, _ in tolls if lo is not None]
    highs = [hi for _, hi in tolls if hi is not None]
    return Incident(claims=claims, killed_min=min(lows) if lows else None,
                    killed_max=max(highs) if highs and len(highs) == len(tolls) else None, children_killed=children)


@pytest.mark.parametrize("age, stated, expected", [(7, "unknown", "child"), (17, "adult", "child"), (18, "unknown", "adult"),
                                                   (None, "child", "child"), (None, "unknown", "unknown")])
def test_age_group_follows_the_age(age, stated, expected):
    assert age_group_of(age, stated) == expected


@pytest.mark.parametrize("overrides, field", [({"name_en": None, "name_ar": "  "}, "name"), ({"age": -1}, "age"),
                                              ({"age": 7, "age_group": "adult"}, "age_group"), ({"sex": "x"}, "sex"),
                                              ({"status": "soldier"}, "status"), ({"source_name": ""}, "source_name")])
def test_check_names_the_field(overrides, field):
    problems = check_victim(_victim(**overrides))
    assert problems and problems[0].startswith(field)


def test_nine_named_of_fourteen_killed():
    victims = [_victim(name_en=f"Person {n}") for n in range(9)]
    incident = _incident((14, 14))
    summary = summarise_named(incident, victims)
    assert describe_named(incident, summary) == "14 killed, 9 named"
    assert describe_named(incident, summary, "ar") == "14 قتيلاً، 9 منهم بالاسم"
    assert not summary.raised and not summary.exceeds_sources


def test_named_list_is_a_floor_and_flags_when_longer_than_every_toll():
    victims = [_victim(name_en=f"P{n}") for n in range(6)]
    incident = _incident((3, 4), (2, 5))
    summary = summarise_named(incident, victims)
    assert summary.killed_min == 6 and summary.raised and summary.exceeds_sources
    assert describe_named(incident, summary).startswith("6 killed")


def test_not_flagged_when_within_a_toll_or_a_toll_is_open():
    victims = [_victim(name_en=f"P{n}") for n in range(4)]
    assert not summarise_named(_incident((3, 3), (4, 6)), victims).exceeds_sources
    open_ended = summarise_named(_incident((3, None)), victims)
    assert open_ended.raised and not open_ended.exceeds_sources


def test_mentions_of_one_person_count_once_and_injured_are_apart():
    first = _victim(uid="a")
    victims = [first, _victim(uid="b", person_uid="a", source_name="T"), _victim(uid="c", outcome="injured")]
    summary = summarise_named(_incident((5, 5)), victims)
    assert (summary.killed_named, summary.injured_named) == (1, 1)


def test_count_named_counts_each_person_once():
    victims = [_victim(uid="a", age=7), _victim(uid="b", person_uid="a", age=7, source_name="T"),
               _victim(uid="c", sex="female", age=30), _victim(uid="d", person_uid="c", outcome="injured"),
               _victim(uid="e", outcome="injured"), _victim(uid="f", sex="female", age_group="child")]
    counts = count_named(victims)
    assert (counts.killed, counts.injured, counts.children_killed, counts.women_killed) == (3, 1, 2, 1)


def test_editor_figures_are_shown_as_set_and_flagged_below_the_named():
    victims = [_victim(uid=str(n)) for n in range(4)]
    incident = replace(_incident((5, 5)), figures_rule="editor", figures_reason="r", killed_min=2, killed_max=2)
    summary = summarise_named(incident, victims)
    assert summary.below_named and summary.killed_min == 2 and not summary.raised
    assert not summarise_named(replace(incident, killed_min=4), victims).below_named


def test_children_and_women_derive_from_names_only_where_no_source_counts():
    victims = [_victim(uid="a", age=7), _victim(uid="b", sex="female", age=30), _victim(uid="c", sex="female",
                                                                                      age_group="child")]
    derived = summarise_named(_incident((5, 5)), victims)
    assert (derived.children_killed, derived.women_killed) == (2, 1)
    assert derived.children_from_names and derived.women_from_names
    stated = summarise_named(_incident((5, 5), children=4), victims)
    assert stated.children_killed == 4 and not stated.children_from_names


def test_masking_removes_names_and_withheld_always():
    victims = [_victim(uid="a"), _victim(uid="b", withhold_name=True)]
    open_list = masked(victims, names_visible=True)
    assert open_list[0].name_en == "Ahmad Saleh" and open_list[1].name_en is None and open_list[1].quote == ""
    assert [shown_name(v) for v in open_list] == ["Ahmad Saleh / أحمد صالح", "name withheld"]
    assert shown_name(open_list[1], "ar") == "الاسم محجوب"
    assert all(v.name_ar is None for v in masked(victims, names_visible=False))


@pytest.mark.parametrize("query, found", [("أحمد", True), ("احمد صالح", True), ("أَحْمَد", True), ("ahmad", True),
                                          ("Saleh", True), ("صالح أحمد", True), ("محمد", False), ("", False)])
def test_name_matching_folds_arabic_variants(query, found):
    assert matches_name(query, name_key(_victim())) is found


def test_article_is_ignored_both_scripts():
    key = name_key(_victim(name_en="Fatima al-Hassan", name_ar="فاطمة الحسن"))
    assert matches_name("fatima hassan", key) and matches_name("فاطمه حسن", key)
