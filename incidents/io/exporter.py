"""Exporting incidents: the project's own CSV, GeoJSON, XLSX and GeoPackage, and ACLED/UCDP-shaped CSV.

Every text cell of a table (CSV, ACLED, UCDP, XLSX, GeoPackage) is neutralised against spreadsheet formulas
(a leading ``'`` when the text, as written, could read as a formula). Exports are deterministic: incidents sorted
by start date then id, claims in stored order, so export → import into an empty database → export gives the same
bytes.

What an export is and what its format keeps and loses is said by :func:`describe_export`, the one place those
lines are built for every format: inside the file where the format has room (GeoJSON ``metadata``, the XLSX
``about`` sheet, the GeoPackage ``about`` table), and beside it for the CSV tables, which stay plain tables
(:func:`csv_sidecar`, a CSV on the Web metadata file; or ``# `` lines on top when asked for).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from incidents.domain.errors import FileFormatError
from incidents.domain.records import CLAIM_FIELDS, Incident
from incidents.domain.users import User
from incidents.io import acled, ucdp
from incidents.io.columns import AUTHOR_FIELDS, COLUMNS, INCIDENT_COLUMNS, claim_to_json, incident_to_row
from incidents.io.tables import neutralise, write_csv, write_xlsx

FORMATS = ("csv", "geojson", "xlsx", "gpkg", "acled", "ucdp")
MEDIA_TYPES = {
    "csv": "text/csv", "acled": "text/csv", "ucdp": "text/csv", "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpkg": "application/geopackage+sqlite3",
}
EXTENSIONS = {"csv": "csv", "acled": "csv", "ucdp": "csv", "geojson": "geojson", "xlsx": "xlsx", "gpkg": "gpkg"}
#: Formats that are binary files (never written to a terminal).
BINARY_FORMATS = ("xlsx", "gpkg")
#: Formats that are plain CSV tables: their description goes beside them (:func:`csv_sidecar`).
CSV_FORMATS = ("csv", "acled", "ucdp")

#: HXL hashtags (https://hxlstandard.org) for the CSV export's optional second header row. Every ``#affected``
#: column holds a count (libhxl's validator checks it); ``civilians`` holds yes/no/unknown, hence ``#meta``.
HXL_TAGS = {
    "uid": "#event+id", "date_start": "#date+start", "date_end": "#date+end", "place_text": "#loc+name+reported",
    "place_name_ar": "#loc+name+i_ar", "place_name_en": "#loc+name+i_en", "place_id": "#loc+code",
    "lat": "#geo+lat", "lon": "#geo+lon", "admin1": "#adm1+code", "admin2": "#adm2+code", "admin3": "#adm3+code",
    "event_type": "#event+type", "actor": "#org+perpetrator", "target": "#org+target",
    "killed_min": "#affected+killed+min", "killed_max": "#affected+killed+max",
    "killed_best": "#affected+killed+best", "injured_min": "#affected+injured+min",
    "injured_max": "#affected+injured+max", "children_killed": "#affected+killed+children",
    "women_killed": "#affected+killed+f", "civilians": "#meta+civilians", "grading": "#status+grading",
    "status": "#status", "description": "#description", "source_name": "#meta+source",
    "source_url": "#meta+url", "quote": "#meta+quote",
}
_CLAIM_SHEET_COLUMNS = ("incident_uid", *(f for f in CLAIM_FIELDS if f != "incident_uid"))

#: What each format keeps and what it cannot hold, said in every export's description (and in README, "Exports").
FORMAT_NOTES: dict[str, tuple[str, str]] = {
    "csv": ("every field of every incident, its first source, and every claim as JSON in the column `claims` "
            "(which an import reads back whole)", "nothing"),
    "geojson": ("every field as feature properties, tags as a list, every claim as an object, a point where the "
                "coordinates are known (null geometry otherwise)", "nothing"),
    "xlsx": ("sheet `incidents` (the CSV's columns), sheet `claims` (one row per claim), sheet `about`",
             "control characters, which a workbook cannot store, are removed from text"),
    "gpkg": ("layer `incidents` (points, the CSV's columns), table `claims` (one row per claim), table `about`",
             "nothing the CSV keeps; the importer does not read GeoPackage files"),
    "acled": ("ACLED's columns: the incident id (`event_id_cnty`), event date and time precision, event and sub-event type, actor, target, admin "
              "names, place, coordinates and geo precision, source names, description, tags; `fatalities` is "
              "the minimum killed, blank when unknown (never 0)",
              "the range of the toll (maximum, best estimate), injured, children and women killed, the end of a "
              "date range, grading and review status, actor certainty, place ids and Arabic names, each claim's "
              "own figures and quotes"),
    "ucdp": ("UCDP GED's columns: low, best and high (minimum, best estimate, maximum; blank when unknown, never "
             "0), deaths split by civilians, the date range and its precision, where precision, side A and side "
             "B, source names, description",
             "injured, children and women killed, an open maximum (high is then the minimum), grading and review "
             "status, actor certainty, place ids and Arabic names, each claim's own figures and quotes"),
}


def shows_authors(user: User) -> bool:
    """Return whether an export for ``user`` may name who entered and changed each record.

    The rule of the history view (:func:`incidents.services.service.history`): names are for users who see unpublished
    records (editors and above, or viewers granted it); other viewers' exports leave them out.
    """
    return user.sees_unpublished


def describe_export(fmt: str, about: str | None = None, *, authors: bool = True, hxl: bool = False) -> list[str]:
    """Return the lines that say what an export holds: the selection, and what its format keeps and loses.

    The one place these lines are built, for every format (add a line here and every export says it).

    Parameters
    ----------
    fmt
        One of :data:`FORMATS`.
    about
        The selection in words (the filter's caption, e.g. "all actors · all dates · all gradings · 12
        incidents"); "selection not stated" when None.
    authors
        Whether the export names who entered and changed each record (:func:`shows_authors`).
    hxl
        Whether the CSV has a row of HXL hashtags under its header.
    """
    keeps, loses = FORMAT_NOTES[fmt]
    lines = [f"Incidents: {about or 'selection not stated'}",
             f"Format: {fmt}. Keeps {keeps}.", f"Cannot hold: {loses}."]
    if hxl and fmt == "csv":
        lines.append("Row 2 holds HXL hashtags (hxlstandard.org); `civilians` (yes/no/unknown) is tagged "
                     "#meta+civilians.")
    if not authors:
        lines.append("Who entered and changed each record is left out (" + ", ".join(AUTHOR_FIELDS) +
                     ", and each claim's created_by).")
    if fmt != "geojson":
        lines.append("Text that a spreadsheet could read as a formula starts with ' (an import removes it).")
    return lines


def sort_for_export(incidents: Sequence[Incident]) -> list[Incident]:
    """Return incidents in export order: undated last, then by start date and id."""
    return sorted(incidents, key=lambda i: (i.date_start is None, i.date_start or date.min, i.uid))


def export_incidents(incidents: Sequence[Incident], fmt: str, *, about: str | None = None, hxl: bool = False,
                     admin_name: Callable[[str], tuple[str, str]] | None = None, authors: bool = True,
                     comment_header: bool = False) -> bytes:
    """Return the file bytes of ``incidents`` in ``fmt``.

    Parameters
    ----------
    incidents
        What to export (with claims).
    fmt
        One of :data:`FORMATS`.
    about
        What this export is (the filter's caption), the first line of :func:`describe_export`; written into
        the file where the format has room (GeoJSON ``metadata``, XLSX sheet and GeoPackage table ``about``).
    hxl
        Add a row of HXL hashtags under the CSV header.
    admin_name
        ``pcode → (ar, en)`` for the admin names of ACLED/UCDP exports.
    authors
        Name who entered and changed each record (``created_by``, ``updated_by``, each claim's
        ``created_by``); pass :func:`shows_authors` of the reader.
    comment_header
        CSV formats only: start the file with the description as ``# `` lines (off by default: a plain table
        reads back with any CSV reader; the description goes in :func:`csv_sidecar` instead).
    """
    ordered = sort_for_export(incidents)
    lines = describe_export(fmt, about, authors=authors, hxl=hxl)
    if fmt in ("geojson", "xlsx", "gpkg"):
        writers = {"geojson": _geojson, "xlsx": _xlsx, "gpkg": _gpkg}
        return writers[fmt](ordered, lines, authors)
    if fmt == "csv":
        data = write_csv(_columns(authors), (incident_to_row(i, authors=authors) for i in ordered),
                         HXL_TAGS if hxl else None)
    elif fmt in ("acled", "ucdp"):
        module = acled if fmt == "acled" else ucdp
        names = admin_name or (lambda code: (code, code))
        data = write_csv(module.COLUMNS, [module.to_row(i, names) for i in ordered])
    else:
        raise FileFormatError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return _with_comment_header(data, lines) if comment_header else data


def csv_sidecar(fmt: str, file_name: str, about: str | None = None, *, authors: bool = True,
                hxl: bool = False) -> bytes:
    """Return the description of a CSV export as a CSV on the Web metadata file (``FILE-metadata.json``).

    Saved beside ``file_name`` as ``file_name + "-metadata.json"``, which is where CSVW tools look for it; the
    CSV itself stays a plain table. ``dc:description`` holds the lines of :func:`describe_export`.
    """
    columns = {"csv": _columns(authors), "acled": acled.COLUMNS, "ucdp": ucdp.COLUMNS}[fmt]
    lines = describe_export(fmt, about, authors=authors, hxl=hxl)
    document = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": file_name,
        "dc:title": "Deir ez-Zor Casualty Map: incidents",
        "dc:description": lines,
        "dialect": {"encoding": "utf-8", "header": True, "headerRowCount": 2 if hxl and fmt == "csv" else 1},
        "tableSchema": {"columns": [{"name": c, "titles": c} for c in columns]},
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def sidecar_name(file_name: str) -> str:
    """Return the name of the CSV on the Web metadata file of ``file_name``."""
    return f"{file_name}-metadata.json"


def _with_comment_header(data: bytes, lines: list[str]) -> bytes:
    bom = "\ufeff".encode()
    body = data[len(bom):] if data.startswith(bom) else data
    comments = "".join("# " + " ".join(str(neutralise(line)).splitlines()) + "\r\n" for line in lines)
    return bom + comments.encode("utf-8") + body


def _columns(authors: bool) -> tuple[str, ...]:
    return COLUMNS if authors else tuple(c for c in COLUMNS if c not in AUTHOR_FIELDS)


def _feature(incident: Incident, authors: bool) -> dict:
    row = incident_to_row(incident, authors=authors)
    props = {k: row[k] for k in INCIDENT_COLUMNS if k in row}
    props["tags"] = list(incident.tags)
    props["covers"] = list(incident.covers)
    props["claims"] = [claim_to_json(c, authors=authors) for c in incident.claims]
    geometry = None
    if incident.lat is not None and incident.lon is not None:
        geometry = {"type": "Point", "coordinates": [incident.lon, incident.lat]}
    return {"type": "Feature", "id": incident.uid, "geometry": geometry, "properties": props}


def _geojson(incidents: list[Incident], lines: list[str], authors: bool) -> bytes:
    collection: dict = {"type": "FeatureCollection"}
    collection["metadata"] = {"about": lines[0].removeprefix("Incidents: "), "description": lines}
    collection["features"] = [_feature(i, authors) for i in incidents]
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def _claim_rows(incidents: list[Incident], authors: bool) -> list[dict]:
    return [{**claim_to_json(c, authors=authors), "incident_uid": i.uid} for i in incidents for c in i.claims]


def _claim_columns(authors: bool) -> tuple[str, ...]:
    return _CLAIM_SHEET_COLUMNS if authors else tuple(c for c in _CLAIM_SHEET_COLUMNS if c not in AUTHOR_FIELDS)


def _xlsx(incidents: list[Incident], lines: list[str], authors: bool) -> bytes:
    sheets: dict[str, tuple[Sequence[str], list[dict]]] = {
        "incidents": (_columns(authors), [incident_to_row(i, authors=authors) for i in incidents]),
        "claims": (_claim_columns(authors), _claim_rows(incidents, authors)),
        "about": (("about",), [{"about": line} for line in lines]),
    }
    return write_xlsx(sheets)


def _gpkg(incidents: list[Incident], lines: list[str], authors: bool) -> bytes:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    rows = [incident_to_row(i, authors=authors) for i in incidents]
    frame = _neutralised(pd.DataFrame(rows, columns=list(_columns(authors))))
    points = [Point(i.lon, i.lat) if i.lat is not None and i.lon is not None else None for i in incidents]
    layer = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))
    claims = _neutralised(pd.DataFrame(_claim_rows(incidents, authors), columns=list(_claim_columns(authors))))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incidents.gpkg"
        layer.to_file(path, layer="incidents", driver="GPKG")
        _write_table(path, "claims", claims)
        _write_table(path, "about", _neutralised(pd.DataFrame({"about": lines})))
        return path.read_bytes()


def _neutralised(frame):
    """Return ``frame`` as objects, missing values as None, text cells neutralised (GeoPackage tables)."""
    from pandas.api.types import is_numeric_dtype

    values = frame.astype(object).where(frame.notna(), None)
    for column in values.columns:
        if not is_numeric_dtype(frame[column]):  # numbers are never formulas: only text columns are looked at
            values[column] = [neutralise(v) for v in values[column]]
    return values


def _write_table(path: Path, layer: str, frame) -> None:
    import pyogrio

    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", append=False)
