"""The one message catalogue (incidents/data/messages.toml): its lookup, and that no code keeps its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from incidents.domain import messages

ROOT = Path(__file__).parents[2]
ARABIC = re.compile(r"[\u0600-\u06FF]")
#: The totals' sentence (its English takes plural placeholders the Arabic does not; see analysis/counting.py).
#: Extraction's word lists are report vocabulary, not interface text.
NOT_INTERFACE_TEXT = ("incidents/analysis/counting.py", "incidents/extract/")


@pytest.mark.parametrize(("key", "lang", "values", "expected"), [
    ("map", "ar", {}, "الخريطة"),
    ("map", "en", {}, "Map"),
    ("map", "fr", {}, "Map"),  # any other language is English
    ("review.merge", "en", {}, "Merge, keeping every claim"),
    ("review.dup_count", "ar", {"n": 3}, "3 زوج بانتظار القرار."),
    ("claim_fields.killed_min", "en", {}, messages.table("claim_fields")["killed_min"][0]),
    ("duplicate_reasons.nearby", "en", {}, "{} km apart"),  # no values: returned as written
])
def test_text_looks_a_key_up_in_its_table(key, lang, values, expected):
    assert messages.text(key, lang, **values) == expected


def test_has_and_unknown_keys():
    assert messages.has("map") and messages.has("review.merge")
    assert not messages.has("merge") and not messages.has("review.map") and not messages.has("nope.map")
    with pytest.raises(KeyError):
        messages.text("review.no_such_key")


def test_the_ui_and_the_lower_layers_read_the_same_catalogue():
    from incidents.analysis import charts, filters, mapping
    from incidents.services import dedupe
    from incidents.ui import i18n

    assert i18n.CATALOGUE is messages.catalogue() and i18n.t is messages.text
    assert filters._ALL["ar"] == messages.words("filters", "ar")
    assert mapping._WORDS["en"] == messages.words("mapping", "en")
    assert charts._WORDS["ar"]["killed"] == messages.text("charts.killed", "ar")
    assert dedupe.REASON_TEXT is messages.table("duplicate_reasons")


def _bilingual_literals(path: Path) -> list[int]:
    """Lines of ``path`` holding an ("English", "Arabic") pair or an {"ar": Arabic text} entry."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            english, arabic = (e.value for e in node.elts)
            if ARABIC.search(arabic) and not ARABIC.search(english) and re.search("[A-Za-z]", english):
                found.append(node.lineno)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "ar" and any(
                        isinstance(c, ast.Constant) and isinstance(c.value, str) and ARABIC.search(c.value)
                        and c.value != "العربية" for c in ast.walk(value)):
                    found.append(node.lineno)
    return found


def test_interface_text_in_both_languages_lives_only_in_the_catalogue():
    sources = [*ROOT.glob("incidents/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    relative = [p.relative_to(ROOT).as_posix() for p in sources]
    found = {name: lines for path, name in zip(sources, relative, strict=True)
             if not name.startswith(NOT_INTERFACE_TEXT) and (lines := _bilingual_literals(path))}
    assert not found, f"bilingual text written in code (put it in incidents/data/messages.toml): {found}"
