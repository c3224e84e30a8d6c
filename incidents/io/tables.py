"""Tables in and out: CSV and XLSX rows as dicts with their row numbers, and safe cell writing.

Row numbers follow spreadsheet numbering: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence

from incidents.errors import FileFormatError
from incidents.io.text import decode_text

#: A cell starting with one of these is read by spreadsheet programs as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Return whether a spreadsheet program could read ``text`` as a formula.

    Leading white space, control and format characters (which a spreadsheet or a cleaning step may drop,
    e.g. ``"\x01=HYPERLINK(…)"``) are looked through.
    """
    if text.startswith(FORMULA_PREFIXES):
        return True
    if text[:1].isalnum():  # most cells: a letter or digit first, nothing to look through
        return False
    start = 0
    while start < len(text) and (text[start].isspace() or unicodedata.category(text[start]) in ("Cc", "Cf")):
        start += 1
    return text[start:].startswith(FORMULA_PREFIXES)


def neutralise(value: object) -> object:
    """Return ``value`` safe to open in a spreadsheet: text that could read as a formula gets a leading ``'``.

    Numbers are left alone (a negative number is not a formula); only text cells are touched. Call it on the
    text exactly as it will be written, after any cleaning (see :func:`_xlsx_cell`).
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def unneutralise(value: object) -> object:
    """Undo :func:`neutralise` on a cell read back from one of our exports."""
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value


def read_csv_rows(data: bytes, name: str = "file") -> tuple[list[str], list[tuple[int, dict]]]:
    """Return the header and ``(row number, row dict)`` pairs of a CSV file in any supported encoding.

    The delimiter (comma, semicolon or tab) is detected. A line of HXL hashtags (cells starting with
    ``#``) right below the header is skipped.
    """
    text, _encoding = decode_text(data, name)
    if not text.strip():
        raise FileFormatError(f"{name}: the file is empty")
    dialect = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [h.strip() for h in next(reader)]
    _check_header(header, name)
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if number == 2 and _is_hxl(cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise FileFormatError(f"{name}: row {number} has {len(cells)} cells but the header has {len(header)}")
        rows.append((number, {h: unneutralise(c) for h, c in zip(header, cells, strict=False)}))
    return header, rows


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = text.splitlines()[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])

    class Detected(csv.excel):
        pass

    Detected.delimiter = delimiter
    return Detected


def _is_hxl(cells: Sequence[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def _check_header(header: list[str], name: str) -> None:
    if not any(header):
        raise FileFormatError(f"{name}: the first row must be a header naming the columns")
    seen = set()
    for column in header:
        if column and column in seen:
            raise FileFormatError(f"{name}: column {column!r} appears twice in the header")
        seen.add(column)


def read_xlsx_rows(data: bytes, name: str = "file", sheet: str | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """Return the header and ``(row number, row dict)`` pairs of the first (or named) sheet of an XLSX file."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise FileFormatError(f"{name}: not a readable .xlsx workbook ({exc.__class__.__name__})") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise FileFormatError(f"{name}: no sheet named {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    rows_iter = book[sheet or book.sheetnames[0]].iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows_iter)]
    except StopIteration:
        raise FileFormatError(f"{name}: the sheet is empty") from None
    _check_header(header, name)
    rows = []
    for number, cells in enumerate(rows_iter, start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if number == 2 and _is_hxl([str(c) for c in cells if c is not None]):
            continue
        rows.append((number, {h: unneutralise(c) for h, c in zip(header, cells, strict=False) if h}))
    return header, rows


def write_csv(header: Sequence[str], rows: Iterable[dict], hxl: dict[str, str] | None = None) -> bytes:
    """Return CSV bytes (UTF-8 with BOM, so spreadsheet programs read Arabic right), formulas neutralised.

    ``hxl`` maps columns to HXL hashtags, written as a second header row.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    if hxl:
        writer.writerow([hxl.get(h, "") for h in header])
    for row in rows:
        writer.writerow(["" if row.get(h) is None else neutralise(row.get(h)) for h in header])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(sheets: dict[str, tuple[Sequence[str], list[dict]]]) -> bytes:
    """Return an XLSX workbook with one sheet per entry (name → (header, rows)), formulas neutralised,
    sheets right-to-left aware (Arabic cells are stored as text and displayed by the spreadsheet)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([_xlsx_cell(row.get(h)) for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: object) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses to store
    return neutralise(value)  # after cleaning: "\x01=HYPERLINK(…)" is "=HYPERLINK(…)" once cleaned
