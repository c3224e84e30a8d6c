"""Exporting incidents: the project's own CSV, GeoJSON, XLSX and GeoPackage, and ACLED/UCDP-shaped CSV.

Every text cell is neutralised against spreadsheet formulas (a leading ``'`` before = + - @). Exports are
deterministic: incidents sorted by start date then id, claims in stored order, so export → import into an empty
database → export gives the same bytes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from incidents.errors import FileFormatError
from incidents.io import acled, ucdp
from incidents.io.columns import COLUMNS, INCIDENT_COLUMNS, claim_to_json, incident_to_row
from incidents.io.tables import neutralise, write_csv, write_xlsx
from incidents.records import CLAIM_FIELDS, Incident

FORMATS = ("csv", "geojson", "xlsx", "gpkg", "acled", "ucdp")
MEDIA_TYPES = {
    "csv": "text/csv", "acled": "text/csv", "ucdp": "text/csv", "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpkg": "application/geopackage+sqlite3",
}
EXTENSIONS = {"csv": "csv", "acled": "csv", "ucdp": "csv", "geojson": "geojson", "xlsx": "xlsx", "gpkg": "gpkg"}

#: HXL hashtags (https://hxlstandard.org) for the CSV export's optional second header row.
HXL_TAGS = {
    "uid": "#event+id", "date_start": "#date+start", "date_end": "#date+end", "place_text": "#loc+name+reported",
    "place_name_ar": "#loc+name+i_ar", "place_name_en": "#loc+name+i_en", "place_id": "#loc+code",
    "lat": "#geo+lat", "lon": "#geo+lon", "admin1": "#adm1+code", "admin2": "#adm2+code", "admin3": "#adm3+code",
    "event_type": "#event+type", "actor": "#org+perpetrator", "target": "#org+target",
    "killed_min": "#affected+killed+min", "killed_max": "#affected+killed+max",
    "killed_best": "#affected+killed+best", "injured_min": "#affected+injured+min",
    "injured_max": "#affected+injured+max", "children_killed": "#affected+killed+children",
    "women_killed": "#affected+killed+f", "civilians": "#affected+civilians", "grading": "#status+grading",
    "status": "#status", "description": "#description", "source_name": "#meta+source",
    "source_url": "#meta+url", "quote": "#meta+quote",
}
_CLAIM_SHEET_COLUMNS = ("incident_uid", *(f for f in CLAIM_FIELDS if f != "incident_uid"))


def sort_for_export(incidents: Sequence[Incident]) -> list[Incident]:
    """Return incidents in export order: undated last, then by start date and id."""
    return sorted(incidents, key=lambda i: (i.date_start is None, i.date_start or date.min, i.uid))


def export_incidents(incidents: Sequence[Incident], fmt: str, *, about: str | None = None, hxl: bool = False,
                     admin_name: Callable[[str], tuple[str, str]] | None = None) -> bytes:
    """Return the file bytes of ``incidents`` in ``fmt``.

    Parameters
    ----------
    incidents
        What to export (with claims).
    fmt
        One of :data:`FORMATS`.
    about
        What this export is (e.g. the filter's description); written into the file where the format allows:
        a leading ``# `` line in CSV, a ``metadata`` member in GeoJSON, an "about" sheet in XLSX and GeoPackage.
    hxl
        Add a row of HXL hashtags under the CSV header.
    admin_name
        ``pcode → (ar, en)`` for the admin names of ACLED/UCDP exports.
    """
    ordered = sort_for_export(incidents)
    writers = {"csv": _csv, "geojson": _geojson, "xlsx": _xlsx, "gpkg": _gpkg}
    if fmt in writers:
        return writers[fmt](ordered, about, hxl)
    if fmt in ("acled", "ucdp"):
        module = acled if fmt == "acled" else ucdp
        names = admin_name or (lambda code: (code, code))
        return write_csv(module.COLUMNS, [module.to_row(i, names) for i in ordered])
    raise FileFormatError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _csv(incidents: list[Incident], about: str | None, hxl: bool) -> bytes:
    body = write_csv(COLUMNS, (incident_to_row(i) for i in incidents), HXL_TAGS if hxl else None)
    if not about:
        return body
    comment = "# " + " ".join(str(neutralise(about)).splitlines()) + "\r\n"
    return "\ufeff".encode() + comment.encode("utf-8") + body[len("\ufeff".encode()):]


def _feature(incident: Incident) -> dict:
    row = incident_to_row(incident)
    props = {k: row[k] for k in INCIDENT_COLUMNS}
    props["tags"] = list(incident.tags)
    props["covers"] = list(incident.covers)
    props["claims"] = [claim_to_json(c) for c in incident.claims]
    geometry = None
    if incident.lat is not None and incident.lon is not None:
        geometry = {"type": "Point", "coordinates": [incident.lon, incident.lat]}
    return {"type": "Feature", "id": incident.uid, "geometry": geometry, "properties": props}


def _geojson(incidents: list[Incident], about: str | None, _hxl: bool) -> bytes:
    collection: dict = {"type": "FeatureCollection"}
    if about:
        collection["metadata"] = {"about": about}
    collection["features"] = [_feature(i) for i in incidents]
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def _claim_rows(incidents: list[Incident]) -> list[dict]:
    return [{**claim_to_json(c), "incident_uid": i.uid} for i in incidents for c in i.claims]


def _xlsx(incidents: list[Incident], about: str | None, _hxl: bool) -> bytes:
    sheets: dict[str, tuple[Sequence[str], list[dict]]] = {
        "incidents": (COLUMNS, [incident_to_row(i) for i in incidents]),
        "claims": (_CLAIM_SHEET_COLUMNS, _claim_rows(incidents)),
    }
    if about:
        sheets["about"] = (("about",), [{"about": about}])
    return write_xlsx(sheets)


def _gpkg(incidents: list[Incident], about: str | None, _hxl: bool) -> bytes:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    rows = [incident_to_row(i) for i in incidents]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    points = [Point(i.lon, i.lat) if i.lat is not None and i.lon is not None else None for i in incidents]
    layer = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))
    claims = pd.DataFrame(_claim_rows(incidents), columns=list(_CLAIM_SHEET_COLUMNS))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incidents.gpkg"
        layer.to_file(path, layer="incidents", driver="GPKG")
        _write_table(path, "claims", claims.astype(object).where(claims.notna(), None))
        if about:
            _write_table(path, "about", pd.DataFrame({"about": [about]}))
        return path.read_bytes()


def _write_table(path: Path, layer: str, frame) -> None:
    import pyogrio

    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", append=False)
