"""Weighted spelling similarity: codes, the costs they encode, and the name scores built on them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.index import FUZZY_CAP, ROMAN_MISMATCH_SCORE, SKELETON_SCORE, name_score
from geodata.normalise import name_keys
from geodata.similarity import arabic_code, code_similarity, codes, consonant_code, roman_code


def _similarity(a: str, b: str) -> float:
    return code_similarity(codes(name_keys(a)).own, codes(name_keys(b)).own)


@pytest.mark.parametrize(
    ("query", "variant", "other"),
    [
        ("محقن", "محكان", "مرقان"),  # ق/ك and a long vowel cost less than another consonant
        ("الصالحيه", "السالحية", "الصالحين"),  # ص/س swapped, not the nisba ending
        ("Rubaydah", "Rabida", "Rubaynah"),  # vowels cost less than a consonant
        ("Shuhayl", "Shiheil", "Shuhaym"),
        ("Qasr", "Kasr", "Nasr"),  # q/k: one class
    ],
)
def test_swaps_inside_a_class_and_vowels_cost_less_than_a_consonant(query: str, variant: str, other: str) -> None:
    assert _similarity(query, variant) > _similarity(query, other)


def test_a_consonant_weighs_three_vowels() -> None:
    assert arabic_code("قرا") == "KKقRRرa"
    assert roman_code("kiran") == "KKkiRRraNNn"
    assert consonant_code("kiran") == "KKkRRrNNn"


def test_codes_across_scripts_compare_consonants() -> None:
    arabic, latin = codes(name_keys("ربيضة")), codes(name_keys("Rubaydah"))
    assert arabic.consonants == latin.consonants
    assert code_similarity(arabic.consonants, codes(name_keys("Rabud")).consonants) == 1.0  # same consonants
    assert not arabic.nisba and codes(name_keys("Shamasiyah")).nisba


@pytest.mark.parametrize(
    ("query", "name", "score"),
    [
        ("Hajin", "Hajīn", 1.0),  # same normal form
        ("Hajeen", "Hajin", SKELETON_SCORE),  # same skeleton
        ("Ghiran", "Qiran", ROMAN_MISMATCH_SCORE),  # same skeleton, gh and q differ
    ],
)
def test_exact_levels(query: str, name: str, score: float) -> None:
    assert name_score(name_keys(query), name_keys(name)) == pytest.approx(score)


@pytest.mark.parametrize(
    ("query", "name"),
    [("Rabida", "Rubaydah"), ("Moueïjel", "Mu`ayjil"), ("محقن", "محكان"), ("بانوكيه", "Banukiyah")],
)
def test_fuzzy_matches_score_below_exact_ones(query: str, name: str) -> None:
    score = name_score(name_keys(query), name_keys(name))
    assert 0.55 <= score <= FUZZY_CAP


def test_a_nisba_on_one_side_makes_another_name() -> None:
    plain = name_score(name_keys("حلب"), name_keys("حلبا"))
    nisba = name_score(name_keys("حلب"), name_keys("حلبية"))
    assert nisba < plain


@given(st.text(alphabet="abdefghiklmnoqrstuwyz '-", min_size=1, max_size=16))
@settings(max_examples=200, deadline=None)
def test_similarity_is_symmetric_and_bounded(text: str) -> None:
    keys = name_keys(text)
    other = name_keys("Tall " + text)
    forward = name_score(keys, other)
    assert 0.0 <= forward <= 1.0
    assert code_similarity(codes(keys).own, codes(other).own) == code_similarity(codes(other).own, codes(keys).own)
