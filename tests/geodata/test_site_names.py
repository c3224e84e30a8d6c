"""Oil and gas fields go by their name without their product (#14, round four): texts written for these tests."""

from __future__ import annotations

import pytest

from geodata import Gazetteer
from geodata.build.sources import field_names

OMAR = "extra:enwiki:Al-Omar_field"
CONOCO = "extra:arwiki:حقل_كونيكو_للغاز"


@pytest.mark.parametrize(("names", "expected"), [
    (["حقل العمر النفطي", "Al-Omar field"], ["حقل العمر", "Al-Omar oil field", "Al-Omar gas field"]),
    (["حقل التيم للغاز", "Al-Taim gas plant"], ["حقل التيم", "Al-Taim field", "Al-Taim oil field", "Al-Taim gas field"]),
    (["مطار دير الزور", "Deir ez-Zor Airport"], []),  # not a field
])
def test_the_names_of_a_field_without_its_product(names: list[str], expected: list[str]) -> None:
    assert field_names(names) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("انفجرت عبوة ناسفة قرب حقل العمر شرق دير الزور.", OMAR),
    ("انفجرت عبوة ناسفة قرب حقل العمر النفطي.", OMAR),
    ("هاجم مسلحون حاجزاً قرب حقل كونيكو أمس.", CONOCO),
    # in English the site words follow the name in lower case, and a field named after a man is no person
    ("An IED went off near the al-Omar oil field on Friday.", OMAR),
    ("Rockets fell near the Omar field.", OMAR),
    ("Gunmen attacked a checkpoint near the Conoco gas field.", CONOCO),
])
def test_a_field_named_in_running_text(gaz: Gazetteer, text: str, expected: str) -> None:
    found = [m.result.match.id for m in gaz.find_mentions(text) if m.result.match]
    assert found[0] == expected


def test_a_man_named_like_a_field_is_still_no_place(gaz: Gazetteer) -> None:
    assert gaz.find_mentions("Omar Hamada was killed on Friday.") == []


def test_the_arabic_name_of_a_field_is_its_short_name(gaz: Gazetteer) -> None:
    assert gaz.geocode("Al-Omar oil field").match.name_ar == "حقل العمر"
