"""The extractor's word lists (incidents/data/lexicon/*.toml): every entry already in normal form."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from incidents.extract.lexicon import LEXICON_DIR, load_lexicon, normal_form

FILES = sorted(LEXICON_DIR.glob("*.toml"))


def _entries(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every string inside an array (an entry), with where it is; keys and scalar values are labels."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _entries(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield where, item
            else:
                yield from _entries(item, where)


def test_there_are_lexicon_files() -> None:
    assert {path.stem for path in FILES} >= {"casualties", "dates", "numbers", "places", "roles", "attribution"}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_entry_is_in_normal_form(path: Path) -> None:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    wrong = [(where, entry, normal_form(entry)) for where, entry in _entries(raw, path.stem)
             if normal_form(entry) != entry]
    assert not wrong, f"entries not in normal form (where, as written, normal form): {wrong}"


@pytest.mark.parametrize("entry", ["أحياء", "بلدية", "إعدام", "Killed", "مدنيًا", "قتلى  "])
def test_a_non_normal_entry_is_caught(entry: str) -> None:
    assert normal_form(entry) != entry


def test_the_loader_normalises_and_reads_once() -> None:
    casualties = load_lexicon("casualties")
    assert casualties is load_lexicon("casualties")
    assert "اعدام" in casualties["killed"] and "إعدام" not in casualties["killed"]
    assert all(isinstance(words, tuple) for words in casualties.values() if not isinstance(words, dict))


def test_no_people_noun_has_two_readings() -> None:
    # a word in two entries takes the last one's reading silently (والده: his father, read as a mother)
    from incidents.extract.text import strip_article

    readings: dict[str, set[tuple[object, ...]]] = {}
    for entry in load_lexicon("casualties")["nouns"]:
        reading = tuple(entry.get(k) for k in ("role", "group", "civilian", "count"))
        for word in entry["words"]:
            readings.setdefault(strip_article(word), set()).add(reading)
    assert {w: r for w, r in readings.items() if len(r) > 1} == {}
