"""Reading qualifiers around place names (pure text work): strings written for these tests."""

from __future__ import annotations

import pytest

from geodata.phrases import Phrase, read_phrase, tidy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (".هجين", "هجين"),  # stray punctuation
        ("Hajin,", "Hajin"),
        ("الشعفة)", "الشعفة"),  # an unmatched bracket
        ("(Hajin", "Hajin"),
        ("Hajin (old market)", "Hajin (old market)"),  # a matched one is kept
        ("هجين هجين", "هجين"),  # typed twice
        ("هجينهجين", "هجين"),
        ("  Abu   Kamal  ", "Abu Kamal"),
        ("هجينحي الجامع", "حي الجامع, هجين"),  # حي glued to the town before it
        ("هجين حي الجامع", "حي الجامع, هجين"),  # a town, then its neighbourhood
        ("بحي الجامع", "حي الجامع"),  # a preposition glued to حي
        ("Hajin: al-Souq neighbourhood", "al-Souq neighbourhood, Hajin"),  # X: Y → Y, X
        ("هجين: حي الجامع", "حي الجامع, هجين"),
        (":Hajin", "Hajin"),
        ("Hajin:", "Hajin"),
        ("", ""),
    ],
)
def test_tidy(text: str, expected: str) -> None:
    assert tidy(text) == expected


@pytest.mark.parametrize(
    ("text", "kind", "places"),
    [
        # plain names and compound strings the compound parser handles as they are
        ("Hajin", "plain", ("Hajin",)),
        ("حي الجامع في هجين", "plain", ("حي الجامع في هجين",)),
        ("Hajin (old market)", "plain", ("Hajin (old market)",)),
        # near
        ("near Dhiban", "near", ("Dhiban",)),
        ("on the outskirts of Hajin", "near", ("Hajin",)),
        ("قرب ذيبان", "near", ("ذيبان",)),
        ("بالقرب من بلدة ذيبان", "near", ("بلدة ذيبان",)),
        # distance and direction
        ("2 km south of Hajin", "distance", ("Hajin",)),
        ("about 40 kilometres west of Hajin", "distance", ("Hajin",)),
        ("3km NORTH-EAST of Hajin", "distance", ("Hajin",)),
        ("٣ كم شرق هجين", "distance", ("هجين",)),
        # two places
        ("between Hajin and al-Susa", "pair", ("Hajin", "al-Susa")),
        ("the road between Hajin and al-Susa", "pair", ("Hajin", "al-Susa")),
        ("بين هجين والسوسة", "pair", ("هجين", "السوسة")),
        ("Hajin and al-Susa", "pair", ("Hajin", "al-Susa")),
        ("هجين و السوسة", "pair", ("هجين", "السوسة")),
        ("Hajin or al-Susa", "either", ("Hajin", "al-Susa")),
        ("هجين أو السوسة", "either", ("هجين", "السوسة")),
        # sites named after their place
        ("Hajin river crossing", "site", ("Hajin",)),
        ("Hajin checkpoint, Abu Kamal countryside", "site", ("Hajin, Abu Kamal countryside",)),
        ("desert of Hajin town", "site", ("Hajin town",)),
        ("معبر هجين النهري", "site", ("هجين",)),
        ("مخيم هجين", "site", ("هجين",)),
        ("بادية هجين", "site", ("هجين",)),
        # spots inside a place: the spot's own name is not a place
        ("Hajin, al-Nour street", "inside", ("Hajin",)),
        ("Bakery, Hajin", "inside", ("Hajin",)),
        ("Hajin: Omar bin al-Khattab mosque, al-Hal neighbourhood", "inside", ("al-Hal neighbourhood, Hajin",)),
        ("Hajin, al-Souq neighbourhood", "plain", ("Hajin, al-Souq neighbourhood",)),
        ("home of a teacher in al-Jamia neighbourhood, Hajin", "inside", ("al-Jamia neighbourhood, Hajin",)),
        ("School in Hajin", "inside", ("Hajin",)),
        ("مدرسة الفتح في هجين", "inside", ("هجين",)),
        ("هجين شارع النور", "inside", ("هجين",)),
        ("مستوصف النور هجين", "inside", ("هجين",)),
        ("Sugar factory, between Hajin and al-Susa", "pair", ("Hajin", "al-Susa")),
        ("Badia 17, 2 km east of Hajin", "distance", ("Hajin",)),
        # no place at all
        ("Cement factory", "none", ()),
        ("Badia 17", "none", ()),
    ],
)
def test_read_phrase(text: str, kind: str, places: tuple[str, ...]) -> None:
    phrase = read_phrase(tidy(text))
    assert (phrase.kind, phrase.places) == (kind, places)


def test_distance_and_precisions() -> None:
    assert read_phrase("2.5 km south of Hajin").km == 2.5
    assert read_phrase("٣ كم شرق هجين").km == 3.0
    assert read_phrase("near Hajin").precision == "subdistrict"
    assert read_phrase("desert of Hajin").precision == "subdistrict"
    assert read_phrase("Hajin river crossing").precision == "village"
    assert read_phrase("Hajin, al-Nour street").precision == "neighbourhood"


def test_a_single_word_after_a_spot_word_is_a_guess() -> None:
    """«مستشفى الأمل» may be a hospital called al-Amal: the word is tried as a place, strictly."""
    assert read_phrase("مستشفى الأمل") == Phrase("inside", ("الأمل",), precision="neighbourhood", strict=True)
