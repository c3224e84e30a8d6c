"""Deterministic writers: same rows in, byte-identical files out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import mapping

from geodata.build.admin import PLACE_COLUMNS, PlaceRow


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "|".join(str(v).replace("|", "/") for v in value)
    if column in {"lat", "lon"}:
        return f"{float(value):.6f}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def places_csv(rows: list[PlaceRow]) -> str:
    """Render place rows as CSV text (UTF-8, ``\\n`` line ends, rows sorted by id).

    Parameters
    ----------
    rows : list of dict
        Rows with ``PLACE_COLUMNS`` keys; list values are joined with ``|``.

    Returns
    -------
    str
        The CSV document.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLACE_COLUMNS)
    for row in sorted(rows, key=lambda r: r["id"]):
        writer.writerow([_cell(column, row.get(column)) for column in PLACE_COLUMNS])
    return buffer.getvalue()


def _round(value: Any, ndigits: int) -> Any:
    if isinstance(value, float):
        rounded = round(value, ndigits)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, list | tuple):
        return [_round(v, ndigits) for v in value]
    return value


def geojson_text(frame: gpd.GeoDataFrame, name: str, ndigits: int) -> str:
    """Render a GeoDataFrame as a FeatureCollection with one feature per line.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Features in EPSG:4326, rows in the order to write.
    name : str
        Collection name.
    ndigits : int
        Decimal places kept in coordinates.

    Returns
    -------
    str
        GeoJSON text; Arabic is written as UTF-8, not escaped.
    """
    lines = []
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for _, row in frame.iterrows():
        geometry = mapping(row.geometry)
        feature = {
            "type": "Feature",
            "properties": {c: _json_value(row[c]) for c in columns},
            "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"], ndigits)},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    header = json.dumps({"type": "FeatureCollection", "name": name}, ensure_ascii=False)[:-1]
    return header + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def _json_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with ``\\n`` line ends, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
