"""Kinds of failure found on real place strings (issue #10), each checked with strings written here.

The real strings (Airwars' location fields) are only read by ``bench/geocode_eval.py``; these tests
use other spellings of the same kinds: twin villages of Deir ez-Zor, one Arabic name transliterated
differently by two sources, qualifiers with doubled letters, word lists in normal form, a cheap import.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import geodata.normalise as normalise_module
from geodata import Gazetteer
from geodata.normalise import kind_hint, name_keys, normalise

# Two villages of Deir ez-Zor called الصبحة / Sabha: one on the OCHA list near al-Busayrah, one
# known to GeoNames north-west of Deir ez-Zor, about 20 km apart.
SABHA_BUSAYRAH = "ocha:C5120"
SABHA_NORTH_WEST = "wof:1259604613"
# Two villages called الكشمة (Abu Kamal district and al-Mayadin district), 37 km apart.
KASHMAH_ABU_KAMAL = "wof:1343552889"
KASHMAH_MAYADIN = "wof:1343949645"


@pytest.mark.parametrize(
    ("query", "twins"),
    [
        ("Sabhah", {SABHA_BUSAYRAH, SABHA_NORTH_WEST}),
        ("al-Subhah village", {SABHA_BUSAYRAH, SABHA_NORTH_WEST}),
        ("الكشمة", {KASHMAH_ABU_KAMAL, KASHMAH_MAYADIN}),
        ("Kashmah", {KASHMAH_ABU_KAMAL, KASHMAH_MAYADIN}),
    ],
)
def test_twin_villages_of_deir_ez_zor_are_offered_not_guessed(gaz: Gazetteer, query: str, twins: set[str]) -> None:
    """Without context, a name two far-apart villages of Deir ez-Zor bear is unresolved, both offered."""
    result = gaz.geocode(query)
    assert result.match is None
    assert twins <= {c.id for c in result.candidates}


@pytest.mark.parametrize(
    ("query", "context", "expected"),
    [
        ("Sabhah", "al-Busayrah", SABHA_BUSAYRAH),
        ("Sabhah, Busayrah", None, SABHA_BUSAYRAH),
        ("الكشمة", "الميادين", KASHMAH_MAYADIN),
        ("الكشمة", "البوكمال", KASHMAH_ABU_KAMAL),
        ("قرية الكشمة في ريف الميادين", None, KASHMAH_MAYADIN),
    ],
)
def test_context_picks_among_twins(gaz: Gazetteer, query: str, context: str | None, expected: str) -> None:
    result = gaz.geocode(query, context=context)
    assert result.match is not None and result.match.id == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # الشحيل (a town on the OCHA list) and شهيل (a hamlet) are both "Shahil" in Latin letters
        ("Shuhail", "wof:1344254011"),
        # الشعفة and شعفا likewise
        ("Ash Shaafa", "wof:1242669227"),
    ],
)
def test_names_written_differently_in_arabic_are_not_twins(gaz: Gazetteer, query: str, expected: str) -> None:
    result = gaz.geocode(query)
    assert result.match is not None and result.match.id == expected


@pytest.mark.parametrize("query", ["Tayba", "al-Taibah", "Al Tayyiba"])
def test_latin_spelling_of_a_namesake_reaches_the_deir_ez_zor_village(gaz: Gazetteer, query: str) -> None:
    """OCHA writes the al-Mayadin village الطيبة "Tiba"; its namesakes elsewhere are "At Tayyibah":
    a spelling close to the namesakes' reaches the Deir ez-Zor village through the Arabic name."""
    result = gaz.geocode(query)
    assert result.match is not None and result.match.id == "ocha:C5193"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gharibah Sharqiyyah", "ocha:C5158"),
        ("Gharibeh Gharbiyyeh", "ocha:C5159"),
    ],
)
def test_qualifier_with_doubled_letters(gaz: Gazetteer, query: str, expected: str) -> None:
    """"Sharqiyyah" is the qualifier "Sharqiyah" (east), not a second word of the name."""
    assert name_keys(query).skeleton == name_keys(query.replace("yy", "y")).skeleton
    result = gaz.geocode(query)
    assert result.match is not None and result.match.id == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [("أحياء الميادين", "neighbourhood"), ("بلدية البوكمال", "village"), ("احياء دير الزور", "neighbourhood")],
)
def test_generic_words_with_hamza_or_ta_marbuta(text: str, kind: str) -> None:
    assert kind_hint(text) == kind


@pytest.mark.parametrize(
    "words",
    [
        normalise_module._GENERIC_AR,
        normalise_module._GENERIC_LATIN,
        normalise_module._QUALIFIERS,
        normalise_module._LATIN_ARTICLES,
        normalise_module._ABU_ARABIC,
        normalise_module._ABU_LATIN,
        normalise_module._ABUL_LATIN,
        normalise_module._COUNTRYSIDE_LATIN,
    ],
)
def test_word_lists_are_in_normal_form(words: object) -> None:
    """These lists are looked up with normalised tokens: an entry not in normal form never matches."""
    assert isinstance(words, (dict, frozenset, set))
    assert [w for w in words if normalise(w) != w] == []


def test_import_is_cheap() -> None:
    """``import geodata`` and its normaliser load neither the gazetteer modules nor numpy/rapidfuzz."""
    code = (
        "import sys, geodata, geodata.normalise; "
        "heavy = [m for m in ('numpy', 'rapidfuzz', 'geodata.gazetteer', 'geodata.core') if m in sys.modules]; "
        "print(','.join(heavy)); "
        "from geodata import load_gazetteer, Gazetteer; assert callable(load_gazetteer) and Gazetteer"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("query", ["Abu Hardoob", "Abo Hardub", "ابو حردوب"])
def test_village_not_made_ambiguous_by_a_town_carrying_its_name(gaz: Gazetteer, query: str) -> None:
    """GeoNames lists the village's name among Hajin's alternates; the build drops it (with its reason)."""
    result = gaz.geocode(query)
    assert result.match is not None and result.match.id == "wof:1209436289"
    hajin = gaz.get("wof:890449895")
    assert hajin is not None and "Abu Hardub" not in hajin.alt_names


def test_alias_removal_reason_is_in_the_places_table() -> None:
    import csv

    from geodata.loading import DATA_DIR, PLACES_FILE

    with (DATA_DIR / PLACES_FILE).open(encoding="utf-8", newline="") as handle:
        hajin = next(row for row in csv.DictReader(handle) if row["id"] == "wof:890449895")
    assert "Abu Hardub" not in hajin["alt_names"].split("|")
    assert "Abu Hardub" in hajin["note"] and "C5195" in hajin["note"]


def test_alias_removal_checks_its_names() -> None:
    from geodata.build.corrections import AliasRemoval, apply_corrections

    row = {"id": "x:1", "name_ar": "س", "alt_names": ["A", "B"], "note": ""}
    done = apply_corrections([row], corrections=(), removals=(AliasRemoval("x:1", ("B",), "B is y's name"),))  # type: ignore[list-item]
    assert done[0]["alt_names"] == ["A"] and "B is y's name" in done[0]["note"]
    with pytest.raises(ValueError, match="not among"):
        apply_corrections([row], corrections=(), removals=(AliasRemoval("x:1", ("C",), "why"),))  # type: ignore[list-item]
