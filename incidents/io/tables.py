"""Tables in and out: CSV and XLSX rows as dicts with their row numbers, and safe cell writing.

Row numbers follow spreadsheet numbering: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from incidents.domain.errors import FileFormatError
from incidents.io.text import decode_with_evidence

if TYPE_CHECKING:
    import pyarrow as pa

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

    Text whose leading apostrophes stand before a formula gets one more too ("'+963 local network" is written
    "''+963 local network"), so that :func:`unneutralise` takes off exactly what was added; other text keeps
    its apostrophes as they are ("'Ali", a quote opening with "''"). Numbers are left alone (a negative number
    is not a formula); only text cells are touched. Call it on the text exactly as it will be written, after any
    cleaning (see :func:`xlsx_cell`).
    """
    if isinstance(value, str) and looks_like_formula(value.lstrip("'")):
        return "'" + value
    return value


def unneutralise(value: object) -> object:
    """Undo :func:`neutralise` on a cell read back (one of our exports, or a researcher's own table): one
    apostrophe comes off where apostrophes stand before a formula, none elsewhere."""
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value.lstrip("'")):
        return value[1:]
    return value


@dataclass(frozen=True)
class Limits:
    """How much an import reads before refusing the file (README, "Security": limits)."""

    max_bytes: int = 100_000_000
    max_rows: int = 200_000
    max_cells: int = 10_000_000
    max_cell_chars: int = 100_000
    max_depth: int = 32
    max_xlsx_xml_bytes: int = 400_000_000


LIMITS = Limits()


@dataclass
class Table:
    """Rows of a table file as read: header, optional HXL hashtag row, rows with their numbers, encoding."""

    header: list[str]
    rows: list[tuple[int | str, dict]]
    hxl: list[str] | None = None
    encoding: str | None = None
    evidence: str | None = None


def check_size(data: bytes, name: str, limits: Limits = LIMITS) -> None:
    """Refuse a file larger than the import limit."""
    if len(data) > limits.max_bytes:
        raise FileFormatError.said("file_errors.too_big", name=name, size=f"{len(data) / 1e6:.0f}",
                                   most=f"{limits.max_bytes / 1e6:.0f}")


def _too_many(name: str, what: str, limit: int) -> FileFormatError:
    return FileFormatError.said(f"file_errors.too_many_{what}", name=name, most=f"{limit:,}")


def read_csv_rows(data: bytes, name: str = "file") -> tuple[list[str], list[tuple[int, dict]]]:
    """Return the header and ``(row number, row dict)`` pairs of a CSV file (see :func:`read_csv_table`)."""
    table = read_csv_table(data, name)
    return table.header, [(int(n), r) for n, r in table.rows]


def read_csv_table(data: bytes, name: str = "file", limits: Limits = LIMITS) -> Table:
    """Read a CSV file in any supported encoding, within ``limits``.

    The delimiter (comma, semicolon or tab) is detected. A line of HXL hashtags (cells starting with
    ``#``) right below the header is kept apart as the table's ``hxl`` row.
    """
    records = _csv_records(data, name, limits)
    header = records.header
    rows: list[tuple[int | str, dict]] = [(number, _row_dict(header, cells))
                                          for number, cells in zip(records.numbers, records.cells, strict=True)]
    return Table(header, rows, records.hxl, records.encoding, records.evidence)


@dataclass
class ColumnTable:
    """A CSV file read as columns (an import's fast path): header, row numbers, and each column's cells in row
    order (None where a short row has no cell), read exactly as :func:`read_csv_table` reads rows."""

    header: list[str]
    numbers: list[int]
    cells: list[list]  # the columns in header order
    hxl: list[str] | None = None
    encoding: str | None = None
    evidence: str | None = None

    @property
    def columns(self) -> dict[str, list]:
        """The columns by header (a repeated blank header: the last one, as in a row's dict)."""
        return dict(zip(self.header, self.cells, strict=True))

    def raw(self, index: int) -> dict:
        """Return row ``index`` as :func:`read_csv_table` gives it (header → cell; a short row's missing cells
        left out)."""
        row = {}
        for header, column in zip(self.header, self.cells, strict=True):
            if column[index] is None:
                break
            row[header] = column[index]
        return row


def read_csv_columns(data: bytes, name: str = "file", limits: Limits = LIMITS) -> ColumnTable:
    """Read a CSV file as :func:`read_csv_table` does, but return its cells column by column (no dict per row).

    A well-formed file is parsed by pyarrow's CSV reader (every cell kept as text); anything it might read
    otherwise than Python's ``csv`` module — blank lines, a quote inside an unquoted cell, a row longer or
    shorter than the header, a NUL, a cell or a file over the limits — is read by the same reader as
    :func:`read_csv_table`, so both give the same rows with the same numbers and refusals.
    """
    check_size(data, name, limits)
    decoded = decode_with_evidence(data, name)
    fast = _arrow_columns(decoded.text, limits, _utf8_bytes(data, decoded.encoding)) if decoded.text.strip() else None
    if fast is not None:
        header, numbers, columns, hxl = fast
        _check_header(header, name)
        return ColumnTable(header, numbers, columns, hxl, decoded.encoding, decoded.evidence)
    records = _csv_records(data, name, limits)
    width = len(records.header)
    cells: list[list[str | None]] = [*records.cells]  # type: ignore[list-item]
    if not all(map(width.__eq__, map(len, cells))):  # short or long rows: padded with None, cut to the header
        cells = [c if len(c) == width else (c + [None] * (width - len(c)))[:width] for c in cells]
    transposed = [list(column) for column in zip(*cells, strict=True)] if cells else [[] for _ in records.header]
    return ColumnTable(records.header, records.numbers, _unquoted(transposed), records.hxl,
                       records.encoding, records.evidence)


def _utf8_bytes(data: bytes, encoding: str) -> bytes | None:
    """The UTF-8 bytes of ``data`` decoded as ``encoding`` without encoding the text again, when they are ``data``
    itself (a UTF-8 file, after its byte-order mark if any); None otherwise."""
    if encoding == "utf-8":
        return data
    if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):]
    return None


def _unquoted(columns: list[list]) -> list[list]:
    """The columns, our exports' formula guard undone as :func:`read_csv_table` undoes it."""
    return [[unneutralise(v) for v in values] if _any_quoted(values) else values for values in columns]


#: A quote followed by something else than a delimiter, a line end or another quote (it opens a cell, or is
#: stray inside one: :func:`_stray_quote` tells them apart by what comes before it). Searched in the UTF-8 bytes:
#: these characters are ASCII, and no byte of another character's encoding is.
_QUOTE_INSIDE = {d: re.compile(b'"(?![' + re.escape(d.encode()) + b'\r\n"])') for d in (",", ";", "\t")}


def _stray_quote(data: bytes, delimiter: str) -> bool:
    """Whether a quote stands between two other characters (``ab"c``, ``"ab"c``): Python's reader keeps such a
    quote as text, other readers may not."""
    bounds = (ord(delimiter), ord("\r"), ord("\n"), ord('"'))
    return any(match.start() and data[match.start() - 1] not in bounds
               for match in _QUOTE_INSIDE[delimiter].finditer(data))


def _arrow_columns(text: str, limits: Limits, encoded: bytes | None = None,
                   ) -> tuple[list[str], list[int], list[list], list[str] | None] | None:
    """Parse a well-formed CSV text with pyarrow: (header, row numbers, columns, HXL row), our exports' formula
    guard undone (:func:`_unquoted`), or None when the text holds anything Python's reader might read otherwise
    (the caller then reads it with that reader).

    ``encoded`` is the text's UTF-8 bytes when the caller has them (a UTF-8 file: its own bytes, not encoded again).
    A blank line inside the text needs no reader of its own: pyarrow reads it as a row of empty cells, which is
    skipped below with its number counted, as Python's reader skips its empty row (only a blank first line, a
    header Python's reader reads as empty, is left to that reader).
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    dialect = _sniff(text)
    delimiter = dialect.delimiter
    try:
        data = text.encode("utf-8") if encoded is None else encoded
    except UnicodeError:
        return None
    if b"\x00" in data or data[:1] in (b"\r", b"\n") or _stray_quote(data, delimiter):
        return None
    try:
        names = [f"c{i}" for i in range(len(_first_row(text, dialect)))]
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(use_threads=False, column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (csv.Error, StopIteration, UnicodeError, pa.ArrowException):
        return None
    limit = csv.field_size_limit()
    if table.num_rows - 1 > limits.max_rows or (table.num_rows - 1) * len(names) > limits.max_cells or any(
            (pc.max(pc.utf8_length(column)).as_py() or 0) > limit for column in table.columns):
        return None
    cells = [_python_cells(column) for column in table.columns]
    header = [h.strip() for h in (column[0] for column in cells)]
    # a blank row (every cell blank) is skipped as Python's reader skips it: only rows whose first cell is blank
    # are looked at whole
    blank = {index for index, first in enumerate(map(str.strip, cells[0])) if index and not first
             and not "".join(column[index] for column in cells).strip()}
    hxl = None
    if table.num_rows > 1 and 1 not in blank and _is_hxl([column[1] for column in cells]):
        hxl = [column[1].strip() for column in cells]
        blank.add(1)
    if not blank:
        numbers, columns = list(range(2, table.num_rows + 1)), [column[1:] for column in cells]
    else:
        kept = [index for index in range(1, table.num_rows) if index not in blank]
        numbers, columns = [index + 1 for index in kept], [list(map(column.__getitem__, kept)) for column in cells]
    # our exports' formula guard undone as read_csv_table undoes it, in the columns with a cell starting with '
    quoted = [pc.any(pc.starts_with(column.slice(1), "'")).as_py() for column in table.columns]
    return header, numbers, [list(map(unneutralise, c)) if q else c for c, q in zip(columns, quoted, strict=True)], hxl


def _first_row(text: str, dialect: type[csv.Dialect] | csv.Dialect) -> list[str]:
    """The first row as Python's reader reads it, from the start of the text when the row ends there (a reader
    over the whole text first copies all of it)."""
    for size in (65536, len(text)):
        rows = csv.reader(io.StringIO(text[:size], newline=""), dialect)
        first = next(rows)
        try:
            if size >= len(text) or next(rows, None) is not None:  # a second row began: the first one is whole
                return first
        except csv.Error:
            continue
    raise AssertionError("unreachable: the last try reads the whole text")


def _python_cells(column: pa.ChunkedArray) -> list[str]:
    """An Arrow column of text (no nulls) as a list of Python strings; a column of few distinct values (most
    are) through its dictionary, so that each distinct text becomes one Python object shared by its cells."""
    import numpy as np

    encoded = column.combine_chunks().dictionary_encode()
    if len(encoded.dictionary) * 4 > len(column) or encoded.null_count:
        return column.to_pylist()
    distinct = np.array(encoded.dictionary.to_pylist(), dtype=object)
    return distinct[encoded.indices.to_numpy()].tolist()


def _any_quoted(cells: list) -> bool:
    """Whether a cell of a column starts with ``'`` (checked on the joined column at C speed; a cell holding a
    new line followed by ``'`` only sends the column to the exact check)."""
    joined = "\n".join(filter(None, cells))
    return (joined.startswith("'") or "\n'" in joined) and any(map(_QUOTED, filter(None, cells)))


@dataclass
class _Records:
    header: list[str]
    numbers: list[int]
    cells: list[list[str]]
    hxl: list[str] | None
    encoding: str | None
    evidence: str | None


def _csv_records(data: bytes, name: str, limits: Limits) -> _Records:
    """Read the header, the HXL row and each non-blank record with its row number."""
    check_size(data, name, limits)
    decoded = decode_with_evidence(data, name)
    text = decoded.text
    if not text.strip():
        raise FileFormatError.said("file_errors.empty", name=name)
    reader = csv.reader(io.StringIO(text, newline=""), _sniff(text))
    header = [h.strip() for h in _next_row(reader, name, 1) or []]
    _check_header(header, name)
    numbers: list[int] = []
    records: list[list[str]] = []
    hxl = None
    cells_read = 0
    for number in itertools.count(2):
        cells = _next_row(reader, name, number)
        if cells is None:
            break
        if not "".join(cells).strip():  # a blank row (as any(c.strip() for c in cells), at C speed)
            continue
        if number == 2 and _is_hxl(cells):
            hxl = [c.strip() for c in cells]
            continue
        if len(cells) > len(header) and "".join(cells[len(header):]).strip():
            raise FileFormatError.said("file_errors.extra_cells", name=name, number=number, cells=len(cells),
                                       columns=len(header))
        cells_read += len(header)
        if len(records) >= limits.max_rows or cells_read > limits.max_cells:
            raise _too_many(name, "rows" if len(records) >= limits.max_rows else "cells",
                            limits.max_rows if len(records) >= limits.max_rows else limits.max_cells)
        numbers.append(number)
        records.append(cells)
    return _Records(header, numbers, records, hxl, decoded.encoding, decoded.evidence)


def _row_dict(header: list[str], cells: list[str]) -> dict:
    """The row as header → cell, undoing our exports' formula guard on the few cells that carry it."""
    row: dict[str, object] = dict(zip(header, cells, strict=False))
    if any(map(_QUOTED, cells)):  # rare: checked for the whole row at C speed first
        for name, cell in row.items():
            if isinstance(cell, str) and cell[:1] == "'":
                row[name] = unneutralise(cell)
    return row


_QUOTED = operator.methodcaller("startswith", "'")


def _next_row(reader, name: str, number: int) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FileFormatError.said("file_errors.cell_too_long", name=name, number=number,
                                       most=f"{csv.field_size_limit():,}") from None
        raise FileFormatError.said("file_errors.row_unreadable", name=name, number=number, detail=str(exc)) from None


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = text[:text.find("\n") if "\n" in text else len(text)]
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
        raise FileFormatError.said("file_errors.no_header", name=name)
    seen = set()
    for column in header:
        if column and column in seen:
            raise FileFormatError.said("file_errors.header_twice", name=name, column=repr(column))
        seen.add(column)


def read_xlsx_rows(data: bytes, name: str = "file", sheet: str | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """Return the header and ``(row number, row dict)`` pairs of the first (or named) sheet of an XLSX file."""
    table = read_xlsx_table(data, name, sheet)
    return table.header, [(int(n), r) for n, r in table.rows]


def csv_header(data: bytes, name: str = "file", sample: int = 65536) -> list[str]:
    """Return the header of a CSV file read as :func:`read_csv_table` reads it (delimiter detected, quoted cells
    whole), from its first ``sample`` bytes, after the ``# `` lines our exports may carry on top; [] if it cannot
    be read (:func:`read_csv_table` then says why)."""
    try:
        text = decode_with_evidence(data[:sample], name).text
    except FileFormatError:
        return []
    lines = text.splitlines(keepends=True)
    while lines and (not lines[0].strip() or lines[0].startswith("# ")):
        lines.pop(0)
    body = "".join(lines)
    try:
        first = next(csv.reader(io.StringIO(body, newline=""), _sniff(body)), [])
    except csv.Error:
        return []
    return [cell.strip() for cell in first]


def xlsx_header(data: bytes) -> list[str]:
    """Return the first row of the incidents (or first) sheet of a workbook, or [] if it cannot be read."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book["incidents"] if "incidents" in book.sheetnames else book[book.sheetnames[0]]
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    except Exception:  # noqa: BLE001 - reported properly by read_xlsx_table
        return []
    return [str(h).strip() if h is not None else "" for h in first]


def sheet_names(data: bytes) -> list[str]:
    """Return the sheet names of an XLSX workbook (empty if it cannot be opened)."""
    from openpyxl import load_workbook

    try:
        return list(load_workbook(io.BytesIO(data), read_only=True).sheetnames)
    except Exception:  # noqa: BLE001 - reported properly by read_xlsx_table
        return []


def read_xlsx_table(data: bytes, name: str = "file", sheet: str | None = None, limits: Limits = LIMITS) -> Table:
    """Read the first (or named) sheet of an XLSX workbook, every row whatever its ``<dimension>`` says."""
    from openpyxl import load_workbook

    check_size(data, name, limits)
    _check_xlsx_expansion(data, name, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise FileFormatError.said("file_errors.not_xlsx", name=name, detail=exc.__class__.__name__) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise FileFormatError.said("file_errors.no_sheet", name=name, sheet=repr(sheet),
                                   sheets=", ".join(book.sheetnames))
    worksheet = book[sheet or book.sheetnames[0]]
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # the stored <dimension> may understate the rows: read them all
    try:
        return _xlsx_rows(worksheet.iter_rows(values_only=True), name, limits)
    except FileFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken sheet inside a readable workbook
        raise FileFormatError.said("file_errors.sheet_unreadable", name=name, detail=exc.__class__.__name__) from None


def _xlsx_rows(rows_iter, name: str, limits: Limits) -> Table:
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows_iter)]
    except StopIteration:
        raise FileFormatError.said("file_errors.empty_sheet", name=name) from None
    while header and not header[-1]:
        header.pop()
    _check_header(header, name)
    rows: list[tuple[int | str, dict]] = []
    hxl = None
    for number, cells in enumerate(rows_iter, start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if number == 2 and _is_hxl([str(c) for c in cells if c is not None]):
            hxl = ["" if c is None else str(c).strip() for c in cells]
            continue
        if len(rows) >= limits.max_rows or len(rows) * len(header) > limits.max_cells:
            raise _too_many(name, "rows", limits.max_rows)
        rows.append((number, {h: unneutralise(c) for h, c in zip(header, cells, strict=False) if h}))
    return Table(header, rows, hxl)


def _check_xlsx_expansion(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a workbook whose sheets expand beyond the limits (a 21 MB file can hold a million rows): the
    sheets' XML is streamed and its ``<row`` elements counted before any cell is parsed."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
            size = sum(i.file_size for i in archive.infolist() if i.filename.startswith("xl/"))
            if size > limits.max_xlsx_xml_bytes:
                raise FileFormatError.said("file_errors.workbook_too_big", name=name, size=f"{size / 1e6:.0f}",
                                           most=f"{limits.max_xlsx_xml_bytes / 1e6:.0f}")
            for info in sheets:
                if _count_rows(archive, info, limits.max_rows + 2) > limits.max_rows + 1:
                    raise _too_many(name, "rows", limits.max_rows)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return  # not a usable zip: load_workbook says so


def _count_rows(archive, info, stop: int) -> int:
    """Count ``<row`` elements in a sheet's XML, streaming, up to ``stop``."""
    count = 0
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            count += block.count(b"<row ") + block.count(b"<row>")
            tail = block[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")  # counted again with the next chunk
            if count >= stop:
                return count
    return count + tail.count(b"<row ") + tail.count(b"<row>")


def write_csv(header: Sequence[str], rows: Iterable[dict], hxl: dict[str, str] | None = None) -> bytes:
    """Return CSV bytes (UTF-8 with BOM, so spreadsheet programs read Arabic right), formulas neutralised.

    ``hxl`` maps columns to HXL hashtags, written as a second header row.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])  # an imported file's own header comes back in rejected rows
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
        sheet.append([xlsx_cell(h) for h in header])
        for row in rows:
            sheet.append([xlsx_cell(row.get(h)) for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_cell(value: object) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses to store
    return neutralise(value)  # after cleaning: "\x01=HYPERLINK(…)" is "=HYPERLINK(…)" once cleaned
