"""Round seven of the extractor (#14): kinds of failure left from round six, and others found with ``heldout6``.

Each case is a short text written for the test, one kind of failure per test, with negative cases (things that
must not count) beside the positive ones.
"""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract import Candidate, extract_candidates

from .fake_gazetteer import FakeGazetteer

GAZ = FakeGazetteer()
PUBLISHED = date(2021, 6, 20)  # a Sunday


def _extract(text: str) -> list[Candidate]:
    return extract_candidates(text, published=PUBLISHED, gazetteer=GAZ)


# -- "three of the sons of town X": the victims are the town's, the town is the site --------------------------------


@pytest.mark.parametrize(("text", "killed"), [
    ("قتل ثلاثة من أبناء بلدة ذيبان برصاص مسلحين مجهولين أمس.", 3),
    ("قُتل شابان من أهالي بلدة ذيبان برصاص مسلحين مجهولين أمس.", 2),
    ("Three residents of Dhiban were shot dead by gunmen on Saturday.", 3),
])
def test_people_of_a_town_killed_are_placed_at_the_town(text: str, killed: int) -> None:
    [candidate] = _extract(text)
    assert candidate.place_text in ("ذيبان", "Dhiban")
    assert (candidate.killed_min, candidate.killed_max) == (killed, killed)


@pytest.mark.parametrize("text", [
    "قتل ثلاثة شبان من أبناء بلدة ذيبان بقصف على مدينة الميادين أمس.",
    "قتل شاب من أبناء بلدة ذيبان في مدينة الميادين أمس.",
])
def test_beside_another_site_the_town_stays_a_home_town(text: str) -> None:
    # negative: a victim's home town is not the site when the sentence names where it happened
    [candidate] = _extract(text)
    assert candidate.place_text == "الميادين"


# -- Iran-backed militiamen are the government side, as the actor taxonomy files them ---------------------------------


@pytest.mark.parametrize("text", [
    "A shepherd was shot dead by Iranian militiamen near Dhiban on Saturday.",
    "A young man was killed by Iran-backed militiamen in Dhiban on Saturday.",  # passed before: regression
    "قتل شاب برصاص مسلحين من ميليشيات إيرانية في بلدة ذيبان يوم السبت.",  # passed before: regression
])
def test_iranian_militiamen_are_the_government_side(text: str) -> None:
    [candidate] = _extract(text)
    assert candidate.actor == "government"


@pytest.mark.parametrize(("text", "actor"), [
    ("Iranian militiamen were killed in a coalition strike on Hajin on Saturday.", "coalition"),
    ("Two Iranian militiamen were killed by ISIS in Hajin on Saturday.", "isis"),
])
def test_iranian_militiamen_killed_are_victims_not_the_actor(text: str, actor: str) -> None:
    # negative: the adjective leaves the people noun after it to the victims
    [candidate] = _extract(text)
    assert candidate.actor == actor


def test_a_shepherd_in_the_short_form_is_a_victim() -> None:
    [candidate] = _extract("قتل راع برصاص الميليشيات الإيرانية قرب بلدة ذيبان يوم السبت.")
    assert (candidate.killed_min, candidate.killed_max) == (1, 1)
