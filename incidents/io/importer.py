"""Importing incident files: read, parse every row, check every rule, locate places, then write all or none.

Formats: ``csv``, ``xlsx``, ``geojson`` (the project's own columns, or a hand-made table using the header
aliases of :mod:`incidents.io.columns`), ``acled``, ``ucdp``, ``airwars``; ``auto`` picks by file extension
and header. Nothing is written unless every row is valid, or ``skip_invalid`` is set, in which case the valid
rows are written and the rejected rows (original cells plus an ``error`` column) are returned for saving.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from incidents.errors import FileFormatError, ImportRejected
from incidents.io import acled, airwars, ucdp
from incidents.io.columns import canonical_header, row_to_incident
from incidents.io.tables import read_csv_rows, read_xlsx_rows, write_csv
from incidents.io.text import decode_text
from incidents.locate import Gazetteer, locate_incident
from incidents.records import Incident
from incidents.store import Store
from incidents.users import User
from incidents.validation import Problem, RowError

FORMATS = ("auto", "csv", "xlsx", "geojson", "acled", "ucdp", "airwars")
_EXTERNAL: dict[str, Callable[[dict], dict]] = {
    "acled": acled.from_row, "ucdp": ucdp.from_row, "airwars": airwars.from_row,
}


@dataclass
class ParsedRow:
    """One input row: where it was, its original cells, and what it became."""

    row: int | str
    raw: dict
    incident: Incident | None
    problems: list[Problem] = field(default_factory=list)

    def errors(self) -> list[RowError]:
        """Return this row's problems located at its row number."""
        return [p.at_row(self.row) for p in self.problems]


@dataclass
class ParsedFile:
    """A whole input file, parsed: its format, header and rows."""

    format: str
    header: list[str]
    rows: list[ParsedRow]
    unresolved: list[tuple[int | str, str]] = field(default_factory=list)  # (row, place text) not geocoded

    @property
    def errors(self) -> list[RowError]:
        """Every problem of every row, in row order."""
        return [e for r in self.rows for e in r.errors()]

    @property
    def valid(self) -> list[Incident]:
        """The incidents of the rows without problems."""
        return [r.incident for r in self.rows if r.incident is not None and not r.problems]


@dataclass
class ImportResult:
    """What an import did."""

    format: str
    total_rows: int
    written: list[str]
    rejected: list[RowError]
    unresolved: list[tuple[int | str, str]]
    rejected_csv: bytes | None = None

    def summary(self) -> str:
        """One line for the user."""
        text = f"{len(self.written)} of {self.total_rows} incident(s) imported ({self.format})"
        if self.rejected:
            text += f"; {len({e.row for e in self.rejected})} row(s) rejected"
        if self.unresolved:
            text += f"; {len(self.unresolved)} place name(s) could not be located"
        return text


# -- reading ----------------------------------------------------------------------------------------------


def detect_format(name: str, data: bytes) -> str:
    """Return the format of a file from its extension and, for tables, its header."""
    suffix = Path(name).suffix.lower()
    if suffix in (".geojson", ".json"):
        return "geojson"
    header = read_xlsx_rows(data, name)[0] if suffix == ".xlsx" else _csv_header(data, name)
    columns = {h.strip().lower() for h in header}
    for fmt, module in (("acled", acled), ("ucdp", ucdp), ("airwars", airwars)):
        if module.SIGNATURE <= columns:
            return fmt
    return "xlsx" if suffix == ".xlsx" else "csv"


def _csv_header(data: bytes, name: str) -> list[str]:
    text, _ = decode_text(data[:65536] if len(data) > 65536 else data, name)
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("# ")), "")
    return [c.strip().strip('"') for c in first.replace(";", ",").replace("\t", ",").split(",")]


def read_incidents(data: bytes, name: str, fmt: str = "auto") -> ParsedFile:
    """Parse a file into incidents and problems, writing nothing.

    Raises
    ------
    FileFormatError
        The file cannot be read at all as ``fmt`` (encoding, structure, unknown format).
    """
    if fmt not in FORMATS:
        raise FileFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    fmt = detect_format(name, data) if fmt == "auto" else fmt
    raw_rows: Sequence[tuple[int | str, dict]]
    if fmt == "geojson":
        header, raw_rows = _geojson_rows(data, name)
    elif name.lower().endswith(".xlsx") or fmt == "xlsx":
        header, raw_rows = read_xlsx_rows(data, name, sheet=_incident_sheet(data))
    else:
        header, raw_rows = read_csv_rows(_strip_comment_lines(data), name)
    convert = _EXTERNAL.get(fmt) or _renamer(header)
    rows = [_parse_row(number, raw, convert) for number, raw in raw_rows]
    _check_unique_uids(rows)
    return ParsedFile(format=fmt, header=header, rows=rows)


def _incident_sheet(data: bytes) -> str | None:
    from io import BytesIO

    from openpyxl import load_workbook

    try:
        names = load_workbook(BytesIO(data), read_only=True).sheetnames
    except Exception:  # noqa: BLE001 - reported properly by read_xlsx_rows
        return None
    return "incidents" if "incidents" in names else None


def _strip_comment_lines(data: bytes) -> bytes:
    """Drop the leading ``# ...`` lines our CSV exports carry (what was exported, under which filter)."""
    text, _ = decode_text(data)
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("# "):
        lines.pop(0)
    return "".join(lines).encode("utf-8")


def _renamer(header: Sequence[str]) -> Callable[[dict], dict]:
    """Return a function giving a row of this file our column names (the header is read once, not per row)."""
    names = {h: canonical_header(h) for h in header if h}

    def rename(raw: dict) -> dict:
        return {names.get(k) or canonical_header(k): v for k, v in raw.items() if k}

    return rename


def _parse_row(number: int | str, raw: dict, convert: Callable[[dict], dict]) -> ParsedRow:
    incident, problems = row_to_incident(convert(raw))
    return ParsedRow(row=number, raw=raw, incident=incident, problems=problems)


def _check_unique_uids(rows: list[ParsedRow]) -> None:
    first_seen: dict[str, int | str] = {}
    for parsed in rows:
        if parsed.incident is None:
            continue
        uid = parsed.incident.uid
        if uid in first_seen:
            parsed.problems.append(Problem("uid", f"the id {uid!r} is also used by {_where(first_seen[uid])}"))
        else:
            first_seen[uid] = parsed.row


def _where(row: int | str) -> str:
    return f"row {row}" if isinstance(row, int) else str(row)


def _geojson_rows(data: bytes, name: str) -> tuple[list[str], list[tuple[int | str, dict]]]:
    text, _ = decode_text(data, name)
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{name}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise FileFormatError(f"{name}: expected a GeoJSON FeatureCollection")
    rows: list[tuple[int | str, dict]] = []
    header: dict[str, None] = {}
    for index, feature in enumerate(collection.get("features") or [], start=1):
        props = dict(feature.get("properties") or {})
        if isinstance(props.get("claims"), list):
            props["claims"] = json.dumps(props["claims"], ensure_ascii=False)
        for name in ("tags", "covers"):
            if isinstance(props.get(name), list):
                props[name] = ";".join(str(v) for v in props[name])
        props.update(_point(feature.get("geometry"), props))
        header.update(dict.fromkeys(props))
        rows.append((f"feature {index}", props))
    return list(header), rows


def _point(geometry: dict | None, props: dict) -> dict:
    if not geometry or geometry.get("type") != "Point":
        return {}
    coords = geometry.get("coordinates") or []
    if len(coords) < 2:
        return {}
    return {"lon": props.get("lon", coords[0]), "lat": props.get("lat", coords[1])}


# -- locating and writing ---------------------------------------------------------------------------------


def locate_all(parsed: ParsedFile, gazetteer: Gazetteer) -> None:
    """Fill places from the gazetteer for every valid row; list the place names it could not resolve."""
    for row in parsed.rows:
        if row.incident is None or row.problems:
            continue
        located, placed = locate_incident(row.incident, gazetteer)
        row.incident = located
        if not placed and located.place_text:
            parsed.unresolved.append((row.row, located.place_text))


def check_against_store(parsed: ParsedFile, store: Store) -> None:
    """Add a problem to every row whose id is already stored."""
    stored = store.existing_uids(r.incident.uid for r in parsed.rows if r.incident is not None)
    for row in parsed.rows:
        if row.incident is not None and row.incident.uid in stored:
            row.problems.append(Problem("uid", f"an incident with id {row.incident.uid!r} is already stored"))


def check_entry_rights(parsed: ParsedFile, store: Store, user: User) -> None:
    """Add a problem to every row holding a grading or status ``user`` could not set in the dashboard."""
    from incidents.service import entry_problems, load_policy

    policy = load_policy(store)
    for row in parsed.rows:
        if row.incident is not None:
            row.problems += entry_problems(user, row.incident, policy)


def rejected_rows_csv(parsed: ParsedFile) -> bytes:
    """Return the rejected rows with their original cells and an ``error`` column, as CSV."""
    header = [*parsed.header, "error"]
    rows = [{**r.raw, "error": "; ".join(f"{p.field}: {p.reason}" for p in r.problems)}
            for r in parsed.rows if r.problems]
    return write_csv(header, rows)


def import_incidents(store: Store, user: User, data: bytes, name: str, *, fmt: str = "auto",
                     skip_invalid: bool = False, gazetteer: Gazetteer | None = None) -> ImportResult:
    """Import a file into ``store`` as ``user``: all rows or none, unless ``skip_invalid``.

    Raises
    ------
    ImportRejected
        Some rows are invalid and ``skip_invalid`` is False; its ``errors`` list every problem.
    FileFormatError, PermissionDenied
    """
    from incidents.service import create_incidents
    from incidents.users import require

    require(user, "import")
    parsed = read_incidents(data, name, fmt)
    check_against_store(parsed, store)
    check_entry_rights(parsed, store, user)
    if gazetteer is not None:
        locate_all(parsed, gazetteer)
    errors = parsed.errors
    if errors and not skip_invalid:
        raise ImportRejected(errors, total_rows=len(parsed.rows))
    written = create_incidents(store, user, parsed.valid, action="import", reason=f"import of {name}",
                               checked=True)
    return ImportResult(
        format=parsed.format, total_rows=len(parsed.rows), written=[i.uid for i in written], rejected=errors,
        unresolved=parsed.unresolved, rejected_csv=rejected_rows_csv(parsed) if errors else None,
    )


def possible_duplicates_of(store: Store, written: Sequence[str], limit: int = 50) -> list:
    """Return stored incidents that newly imported ones may duplicate (the Possible duplicates check).

    Only pairs of one imported and one earlier incident are returned, best first; nothing is merged. An editor
    decides on the Possible duplicates page.
    """
    from incidents.dedupe import find_possible_duplicates, load_decided_pairs
    from incidents.query import load_frame

    new = set(written)
    if not new:
        return []
    pairs = find_possible_duplicates(load_frame(store), load_decided_pairs(store), limit=1_000_000)
    crossing = [p for p in pairs if (p.uid_a in new) != (p.uid_b in new)]
    return crossing[:limit]
