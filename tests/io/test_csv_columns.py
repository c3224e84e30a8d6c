"""Reading a CSV file column by column (pyarrow's reader for well-formed files) gives exactly the rows, row
numbers, HXL row and refusals of the row reader (Python's ``csv``), whatever the file holds."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.domain.errors import FileFormatError
from incidents.io.tables import Limits, _arrow_columns, read_csv_columns, read_csv_table

PIECES = ["a", "ب", "12", " ", "", ",", ";", '"', '""', "\n", "\r\n", "\r", "'", "'=1+1", "#tag", "\t", "\x1c", "x\x00"]
cell = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)


def _outcome(read, data: bytes, limits: Limits):
    try:
        table = read(data, "random.csv", limits)
    except FileFormatError as error:
        return ("refused", str(error))
    if hasattr(table, "columns"):
        rows = [(number, table.raw(at)) for at, number in enumerate(table.numbers)]
    else:
        rows = [(number, {k: v for k, v in row.items() if v is not None}) for number, row in table.rows]
    return (table.header, table.hxl, rows)


@st.composite
def raw_text(draw):
    """Cells joined by a delimiter as they come: well-formed or not."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    lines = draw(st.lists(st.lists(cell, min_size=0, max_size=4), min_size=1, max_size=6))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return end.join(delimiter.join(line) for line in lines)


@st.composite
def written_text(draw):
    """A table written by Python's csv writer (quoted as needed), sometimes with an HXL row or blank rows."""
    header = draw(st.lists(st.sampled_from(["date", "place", "killed", "source", "quote", ""]), min_size=1,
                           max_size=4, unique=True))
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=6))
    if draw(st.booleans()):
        rows.insert(0, [f"#{h or 'x'}" for h in header])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(raw_text(), written_text()), st.sampled_from([Limits(), Limits(max_rows=2), Limits(max_cells=5)]))
def test_the_column_reader_reads_any_csv_as_the_row_reader_does(text, limits):
    data = text.encode("utf-8")
    assert _outcome(read_csv_columns, data, limits) == _outcome(read_csv_table, data, limits)


def test_a_long_well_formed_file_is_read_the_same_by_both_readers():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "place", "quote"])
    writer.writerows([["2018-11-17", "هجين, دير الزور" if n % 3 else "Hajin", f'said "{n}",\nthen more'] for n in range(500)])
    data = out.getvalue().encode("utf-8")
    assert _arrow_columns(out.getvalue(), Limits()) is not None  # the fast reader takes it
    assert _outcome(read_csv_columns, data, Limits()) == _outcome(read_csv_table, data, Limits())


@pytest.mark.parametrize("width", [65_530, 65_535, 65_536, 65_540, 70_000])
def test_a_header_longer_than_the_first_look_is_read_whole(width):
    # the fast reader takes the first row from the start of the text when it ends there: a header row that
    # ends near or past that point (here a quoted header cell holding a line break) is read whole all the same
    header = ["date", '"' + "x" * (width - 20) + '\nend"', "'=1+1"]
    text = ",".join(header) + "\n2018-11-17,Hajin,'=2\n2018-11-18,,b\n"
    data = text.encode("utf-8")
    assert _arrow_columns(text, Limits()) is not None
    outcome = _outcome(read_csv_columns, data, Limits())
    assert outcome == _outcome(read_csv_table, data, Limits())
    assert len(outcome[0]) == 3 and outcome[0][2] == "'=1+1"  # the header keeps its quote; cells lose it


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_blank_lines_inside_a_file_are_skipped_by_the_fast_reader_with_their_numbers_counted(end):
    text = end.join(["date,place", "2018-11-17,Hajin", "", "2018-11-18,هجين", " , ", "", "2018-11-19,Mayadin", "", ""])
    data = text.encode("utf-8")
    assert _arrow_columns(text, Limits()) is not None  # pyarrow reads it: no second reader for a blank line
    outcome = _outcome(read_csv_columns, data, Limits())
    assert outcome == _outcome(read_csv_table, data, Limits())
    assert [number for number, _ in outcome[2]] == [2, 4, 7]


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_a_utf8_file_is_read_from_its_own_bytes_with_or_without_a_byte_order_mark(prefix):
    data = prefix + "date,place\n2018-11-17,هجين\n".encode()
    table = read_csv_columns(data, "bom.csv", Limits())
    assert table.header == ["date", "place"] and table.columns["place"] == ["هجين"]
    assert _outcome(read_csv_columns, data, Limits()) == _outcome(read_csv_table, data, Limits())
