"""Named victims in and out of files (#18): a victims CSV joined to incidents by ``incident_uid``, or a
``victims`` sheet in an XLSX workbook.

Exports carry names only when the caller asks for them and may see them (the service decides:
:func:`incidents.services.victims_service.load_victims_of`); without names, the name, quote and relation cells are empty
and the ages, sexes and outcomes remain. Withheld names are never exported. Cells a spreadsheet could read as a
formula are neutralised (:func:`incidents.io.tables.neutralise`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from incidents.domain.errors import FileFormatError, ImportRejected
from incidents.domain.users import User, require
from incidents.domain.victims import Victim, check_victim, complete
from incidents.io.tables import read_csv_rows, read_xlsx_rows, write_csv
from incidents.storage.store import Store

#: Columns of the victims CSV and sheet, in order.
VICTIM_COLUMNS = ("incident_uid", "uid", "person_uid", "name_ar", "name_en", "age", "age_group", "sex", "outcome",
                  "status", "relation", "source_name", "quote", "claim_uid", "withhold_name")
SHEET = "victims"
_TRUE, _FALSE = {"1", "true", "yes", "y", "نعم"}, {"", "0", "false", "no", "n", "لا"}


def victim_row(victim: Victim) -> dict:
    """Return one row of the victims table (``withhold_name`` as yes/no)."""
    row = {name: getattr(victim, name) for name in VICTIM_COLUMNS}
    row["person_uid"] = victim.person
    row["withhold_name"] = "yes" if victim.withhold_name else "no"
    return row


def export_victims_csv(victims: Sequence[Victim]) -> bytes:
    """Return the victims CSV (UTF-8 with BOM) of mentions as the service gave them to the reader."""
    return write_csv(VICTIM_COLUMNS, [victim_row(v) for v in victims])


def with_victims_sheet(workbook: bytes, victims: Sequence[Victim]) -> bytes:
    """Return an XLSX export with a ``victims`` sheet added (same columns as the CSV)."""
    from openpyxl import load_workbook

    from incidents.io.tables import xlsx_cell

    book = load_workbook(io.BytesIO(workbook))
    sheet = book.create_sheet(title=SHEET)
    sheet.append(list(VICTIM_COLUMNS))
    for victim in victims:
        row = victim_row(victim)
        sheet.append([xlsx_cell(row[c]) for c in VICTIM_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class ParsedVictims:
    """The mentions read from a file, and what is wrong with the others (``row N, field: reason``)."""

    victims: list[Victim] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_victims(data: bytes, name: str) -> ParsedVictims:
    """Read a victims CSV, or the ``victims`` sheet of an XLSX workbook, writing nothing.

    Raises
    ------
    FileFormatError
        The file cannot be read, or lacks the ``incident_uid`` column or any name column.
    """
    if name.lower().endswith(".xlsx"):
        header, rows = read_xlsx_rows(data, name, sheet=SHEET)
    else:
        header, rows = read_csv_rows(data, name)
    columns = {h.strip().lower() for h in header}
    if "incident_uid" not in columns or not columns & {"name_ar", "name_en"}:
        raise FileFormatError(f"{name}: a victims table needs the columns incident_uid and name_ar or name_en; "
                              f"got {', '.join(header)}")
    parsed = ParsedVictims()
    for number, raw in rows:
        row = {str(k).strip().lower(): v for k, v in raw.items()}
        victim, problems = _victim_of(row)
        if problems:
            parsed.problems.extend(f"row {number}, {p}" for p in problems)
        elif victim is not None:
            parsed.victims.append(victim)
    return parsed


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _victim_of(row: dict) -> tuple[Victim | None, list[str]]:
    problems = []
    age: int | None = None
    if _text(row, "age"):
        try:
            age = int(float(_text(row, "age")))
        except ValueError:
            problems.append(f"age: a whole number of years; got {_text(row, 'age')!r}")
    withhold = _text(row, "withhold_name").lower()
    if withhold not in _TRUE | _FALSE:
        problems.append(f"withhold_name: yes or no; got {withhold!r}")
    if not _text(row, "incident_uid"):
        problems.append("incident_uid: the id of the incident this person belongs to is required")
    if problems:
        return None, problems
    values: dict[str, Any] = {k: _text(row, k) or None for k in ("name_ar", "name_en", "relation", "claim_uid")}
    optional: dict[str, Any] = {k: _text(row, k) for k in ("uid", "person_uid", "age_group", "sex", "outcome", "status") if _text(row, k)}
    victim = complete(Victim(incident_uid=_text(row, "incident_uid"), source_name=_text(row, "source_name"),
                             quote=_text(row, "quote"), age=age, withhold_name=withhold in _TRUE,
                             **values, **optional))
    return victim, check_victim(victim)


def is_victims_table(data: bytes, name: str) -> bool:
    """Whether a CSV file is a victims table (an ``incident_uid`` column and a name column, no incident id)."""
    if name.lower().endswith((".xlsx", ".geojson", ".json")):
        return False
    try:
        header, _ = read_csv_rows(data[:65536], name)
    except FileFormatError:
        return False
    columns = {h.strip().lower() for h in header}
    return "incident_uid" in columns and bool(columns & {"name_ar", "name_en"}) and "date_start" not in columns


def has_victims_sheet(data: bytes) -> bool:
    """Whether an XLSX workbook has a ``victims`` sheet."""
    from openpyxl import load_workbook

    try:
        return SHEET in load_workbook(io.BytesIO(data), read_only=True).sheetnames
    except Exception:  # noqa: BLE001 - not a workbook: no sheet
        return False


def import_victims_file(store: Store, user: User, data: bytes, name: str) -> list[Victim]:
    """Import a victims CSV or an XLSX ``victims`` sheet as ``user``: all rows or none.

    Raises
    ------
    ImportRejected
        A row is invalid or names an incident that is not stored; ``errors`` lists every problem.
    FileFormatError, PermissionDenied
    """
    from incidents.services.victims_service import add_victims

    require(user, "import")
    parsed = read_victims(data, name)
    known = store.existing_uids(v.incident_uid for v in parsed.victims)
    parsed.problems.extend(f"incident_uid: no stored incident {v.incident_uid!r} (for {v.name_en or v.name_ar})"
                           for v in parsed.victims if v.incident_uid not in known)
    if parsed.problems:
        raise ImportRejected(parsed.problems, total_rows=len(parsed.victims) + len(parsed.problems))
    return add_victims(store, user, parsed.victims, reason=f"import of {name}", action="import")
