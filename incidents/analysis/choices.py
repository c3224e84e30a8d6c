"""What the sidebar's filter offers: the districts, sub-districts, places and source languages present in the
incident data, each labelled with its names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Options:
    """Choices offered by the sidebar: code → label, in display order."""

    districts: dict[str, str] = field(default_factory=dict)
    subdistricts: dict[str, str] = field(default_factory=dict)
    subdistrict_parent: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = ()


def admin_label(gazetteer: Any, code: str) -> str:
    """Return "English · Arabic" name of admin unit ``code`` (the code itself when unnamed or no gazetteer)."""
    if gazetteer is None:
        return code
    name_ar, name_en = gazetteer.admin_name(code)
    return " · ".join(n for n in (name_en, name_ar) if n) or code


def filter_options(frame: pd.DataFrame, places: pd.DataFrame, gazetteer: Any) -> Options:
    """Return the sidebar's choices for the prepared frame and its place table (:func:`aggregate.place_table`).

    Parameters
    ----------
    frame
        The prepared incident frame (``admin2``/``admin3`` categorical, ``languages`` pipe-joined).
    places
        Its place table: point places become the place choices, labelled in both scripts.
    gazetteer
        Names the districts and sub-districts (None: their codes).
    """
    districts = sorted(str(c) for c in frame["admin2"].cat.categories)
    subdistricts = sorted(str(c) for c in frame["admin3"].cat.categories)
    parents = {s: s[:6] for s in subdistricts}
    points = places[places["place_shape"] == "point"].dropna(subset=["place_key"])
    point_labels = {str(key): " · ".join(f"\u2068{n}\u2069" for n in (en, ar) if isinstance(n, str) and n) or str(key)
                    for key, en, ar in zip(points["place_key"], points["name_en"], points["name_ar"], strict=True)}
    tokens: set[str] = set()
    for value in frame["languages"].dropna().unique():
        tokens.update(t for t in str(value).split("|") if t)
    return Options(
        districts={c: admin_label(gazetteer, c) for c in districts},
        subdistricts={c: admin_label(gazetteer, c) for c in subdistricts},
        subdistrict_parent=parents,
        places=dict(sorted(point_labels.items(), key=lambda kv: kv[1].casefold())),
        languages=tuple(sorted(tokens)),
    )
