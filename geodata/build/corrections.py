"""Corrections of source data errors, applied to the merged rows at the build, each with its reason.

A correction never invents a name or a point: it chooses among the names the sources give for the
place, and records why in the row's ``note`` (shown in the places table).
"""

from __future__ import annotations

from dataclasses import dataclass

from geodata.build.admin import PlaceRow

__all__ = ["CORRECTIONS", "NameCorrection", "apply_corrections"]


@dataclass(frozen=True)
class NameCorrection:
    """Make one of a place's own names its preferred name in one script.

    Attributes
    ----------
    place_id : str
        Id of the merged place.
    name_ar : str
        The preferred Arabic name to use; it must be one of the place's names.
    reason : str
        Why, recorded in the row's note.
    """

    place_id: str
    name_ar: str
    reason: str


CORRECTIONS: tuple[NameCorrection, ...] = (
    NameCorrection(
        place_id="wof:1343552889",
        name_ar="الكشمة",
        reason=(
            "preferred Arabic name set to الكشمة (was الكشكية): the WOF/GeoNames 168535 record names this point "
            "Al Kashmah with name_ara الكشمة and carries الكشكية only as a variant (SOURCES.md, 'Known quirks'); "
            "the merge had taken the Arabic name of the OCHA community C5172 (Kishkiyeh) joined to it, giving the "
            "mismatched label الكشكية / Al Kashmah. الكشكية stays an alternate name, as OCHA gives it here"
        ),
    ),
)


def apply_corrections(rows: list[PlaceRow], corrections: tuple[NameCorrection, ...] = CORRECTIONS) -> list[PlaceRow]:
    """Apply ``corrections`` to the rows (in place) and return them.

    Raises
    ------
    ValueError
        When a correction names a place the build no longer produces, or a name the place does
        not have: the sources changed and the correction must be reviewed.
    """
    by_id = {row["id"]: row for row in rows}
    for correction in corrections:
        row = by_id.get(correction.place_id)
        if row is None:
            raise ValueError(f"Correction for {correction.place_id}: no such place in the build; review it")
        names = [row["name_ar"], *row["alt_names"]]
        if correction.name_ar not in names:
            raise ValueError(f"Correction for {correction.place_id}: {correction.name_ar!r} is not one of its names {names}")
        old = row["name_ar"]
        row["name_ar"] = correction.name_ar
        row["alt_names"] = [n for n in [*row["alt_names"], old] if n and n != correction.name_ar]
        row["note"] = "; ".join(n for n in (row["note"], f"correction: {correction.reason}") if n)
    return rows
