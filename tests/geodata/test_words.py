"""The normaliser's word lists (geodata/data/words/*.toml): every entry already in normal form."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodata.normalise import WORDS_DIR, kind_hint, load_words, normalise

FILES = sorted(WORDS_DIR.glob("*.toml"))


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


def test_there_are_word_files() -> None:
    assert {path.stem for path in FILES} == {"generic", "qualifiers", "articles"}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_entry_is_in_normal_form(path: Path) -> None:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    wrong = [(where, entry, normalise(entry)) for where, entry in _entries(raw, path.stem) if normalise(entry) != entry]
    assert not wrong, f"entries not in normal form (where, as written, normal form): {wrong}"


@pytest.mark.parametrize("entry", ["أحياء", "بلدية", "Sharqi", "ech-Cheikh"])
def test_a_non_normal_entry_is_caught(entry: str) -> None:
    assert normalise(entry) != entry


def test_the_loader_reads_once_and_the_generic_words_work() -> None:
    assert load_words("generic") is load_words("generic")
    assert kind_hint("أحياء الميادين") == "neighbourhood"
    assert kind_hint("بلدية الميادين") == "village"
    assert kind_hint("Hajin sub-district") == "subdistrict"
