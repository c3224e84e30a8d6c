"""Corrections of source data errors, applied to the merged rows at the build, each with its reason.

A correction never invents a name or a point: it chooses among the names the sources give for the
place, and records why in the row's ``note`` (shown in the places table).
"""

from __future__ import annotations

from dataclasses import dataclass

from geodata.build.admin import PlaceRow

__all__ = ["ALIAS_REMOVALS", "CORRECTIONS", "AliasRemoval", "NameCorrection", "apply_corrections"]


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


@dataclass(frozen=True)
class AliasRemoval:
    """Drop alternate names a source gives a place when they are another place's own name.

    Attributes
    ----------
    place_id : str
        Id of the merged place.
    names : tuple of str
        Alternate names to drop; each must be one of the place's alternate names.
    reason : str
        Why, naming the other place and the sources, recorded in the row's note.
    """

    place_id: str
    names: tuple[str, ...]
    reason: str


ALIAS_REMOVALS: tuple[AliasRemoval, ...] = (
    AliasRemoval(
        place_id="wof:890449895",
        names=("Abu Hardub", "Abū Ḩardūb"),
        reason=(
            "alternate names Abu Hardub / Abū Ḩardūb dropped from Hajin: GeoNames cities500 174506 (Hajin) lists "
            "them among its alternates, but they are the name of the separate village Abu Hardub (أبو حردوب), "
            "about 20 km north-west, in OCHA's community list (C5195) and in WOF/GeoNames (174504); kept on "
            "Hajin they made every spelling of that village ambiguous with the town. Hajin's own old name Abu "
            "Hardan (Abū Ḩardān) stays"
        ),
    ),
)


def apply_corrections(
    rows: list[PlaceRow],
    corrections: tuple[NameCorrection, ...] = CORRECTIONS,
    removals: tuple[AliasRemoval, ...] = ALIAS_REMOVALS,
) -> list[PlaceRow]:
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
    for removal in removals:
        row = by_id.get(removal.place_id)
        if row is None:
            raise ValueError(f"Alias removal for {removal.place_id}: no such place in the build; review it")
        missing = [n for n in removal.names if n not in row["alt_names"]]
        if missing:
            raise ValueError(f"Alias removal for {removal.place_id}: {missing} not among {row['alt_names']}")
        row["alt_names"] = [n for n in row["alt_names"] if n not in removal.names]
        row["note"] = "; ".join(n for n in (row["note"], f"correction: {removal.reason}") if n)
    return rows
