"""The interface's text in English and Arabic, read from the one catalogue ``incidents/data/messages.toml``.

Every word the product shows or exports about its records — page labels, the filter and the totals in words, the
map's popups, the charts' axes, the reasons two incidents may be one — is an entry there: ``key = [English,
Arabic]`` in a table. The UI reaches it through :mod:`incidents.ui.i18n`; the read side (analysis) and the services
below the UI read it here, so that no layer keeps its own bilingual dict. Report text is never translated.

>>> text("map", "ar")
'الخريطة'
>>> text("review.dup_count", "en", n=3)
'3 pair(s) to decide.'
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).parents[1] / "data" / "messages.toml"

#: The table of keys written without a table name (``text("map")`` is ``labels.map``).
DEFAULT_TABLE = "labels"

Entry = tuple[str, str]


@cache
def catalogue() -> dict[str, dict[str, Entry]]:
    """Return the catalogue: table name → key → (English, Arabic), in the file's order (read once)."""
    with open(CATALOGUE_PATH, "rb") as fh:
        tables = tomllib.load(fh)
    return {name: {key: (english, arabic) for key, (english, arabic) in entries.items()}
            for name, entries in tables.items()}


def _split(key: str) -> tuple[str, str]:
    table, dot, name = key.partition(".")
    return (table, name) if dot and table in catalogue() else (DEFAULT_TABLE, key)


def has(key: str) -> bool:
    """Whether the catalogue holds ``key`` ("key" in [labels] or "table.key")."""
    table, name = _split(key)
    return name in catalogue()[table]


def text(key: str, lang: str = "en", **values: object) -> str:
    """Return entry ``key`` in ``lang`` ("en" or "ar"; anything else is English), formatted with ``values``.

    Parameters
    ----------
    key
        A key of the [labels] table, or ``"table.key"`` for the other tables (``"review.merge"``).
    lang
        The interface language.
    **values
        The entry's placeholders (``{n}``, ``{fmt}``…); without any, the text is returned as written.

    Raises
    ------
    KeyError
        No entry ``key``.
    """
    table, name = _split(key)
    english, arabic = catalogue()[table][name]
    chosen = arabic if lang == "ar" else english
    return chosen.format(**values) if values else chosen


def table(name: str) -> dict[str, Entry]:
    """Return table ``name`` of the catalogue: key → (English, Arabic)."""
    return catalogue()[name]


def words(name: str, lang: str = "en") -> dict[str, str]:
    """Return table ``name`` in one language, key → text ("ar", or English for anything else)."""
    index = 1 if lang == "ar" else 0
    return {key: entry[index] for key, entry in catalogue()[name].items()}


_COLUMN = re.compile(r"^(?P<field>.+?) \(column (?P<column>.+)\)$")
_CLAIM_FIELD = re.compile(r"^claims\[(?P<index>\d+)\]\.(?P<field>.+)$")


def field_label(name: str, lang: str = "en", *, raw: bool = False) -> str:
    """Return how a problem names field ``name`` in ``lang``: English keeps the name as the code wrote it
    (``killed_min``, ``claims[0].quote``, ``date_start (column 'When')``); Arabic gives its [fields] label ("الادعاء
    1: الجملة المقتبسة"), the file's own column beside it ("التاريخ (بداية) (العمود 'When')"), and with ``raw`` the
    field's own name too when the file did not name it otherwise (so that the user finds the column of the file).

    A name the catalogue does not know is shown as it came.
    """
    if lang != "ar":
        return name
    if match := _COLUMN.match(name):
        return text("problems.with_column", lang, field=field_label(match["field"], lang),
                    column=_isolate(match["column"]))
    if match := _CLAIM_FIELD.match(name):
        inner = field_label(match["field"], lang)
        return text("problems.in_claim", lang, n=int(match["index"]) + 1, field=inner)
    labels = catalogue()["fields"]
    if name not in labels:
        return name
    label = labels[name][1]
    return text("problems.with_name", lang, field=label, name=_isolate(name)) if raw else label


def row_label(row: int | str, lang: str = "en") -> str:
    """Return how a message names a row of an input file: "row 3" (spreadsheet numbering) or, for GeoJSON, "feature
    3"; in Arabic "الصف 3", "العنصر 3". Anything else is shown as it came."""
    if isinstance(row, int):
        return text("problems.row", lang, n=row)
    if (match := re.fullmatch(r"feature (\d+)", row)) is not None:
        return text("problems.feature", lang, n=match[1])
    return row


def _isolate(value: object) -> str:
    return f"\u2068{value}\u2069"
