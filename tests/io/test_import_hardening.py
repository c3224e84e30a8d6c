"""Bad input to the importers (#12, items 10, 11 and 13): a clear refusal naming the row or the file, never a crash.

Includes the property-based test: arbitrary bytes and random CSV / GeoJSON / XLSX structures give a clean refusal
(:class:`~incidents.domain.errors.IncidentsError`) or a clean parse, never another exception.
"""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from incidents.domain.errors import FileFormatError, ImportRejected, IncidentsError
from incidents.domain.users import LOCAL_USER
from incidents.io.tables import Limits
from incidents.io.text import decode_with_evidence
from incidents.services.importer import ImportOptions, import_incidents, read_incidents
from incidents.storage.store import Store

HEADER = "date_start,place_text,killed_min,killed_max,source_name,quote\n"
GOOD = "2018-11-17,Hajin,3,5,Synthetic Monitor A,A synthetic sentence.\n"


@pytest.fixture
def store(db_url):
    opened = Store.open(db_url, sample=False)
    yield opened
    opened.engine.dispose()


# -- encodings and NUL -----------------------------------------------------------------------------------


def test_latin1_is_not_read_as_windows_1256_and_the_evidence_is_given():
    data = (HEADER + "2018-11-17,Hajin,3,5,Señora Pérez,Dijo que murió.\n").encode("latin-1")
    parsed = read_incidents(data, "latin.csv")
    assert parsed.valid[0].claims[0].source_name == "Señora Pérez"
    assert parsed.encoding == "windows-1252"
    assert "not UTF-8 (byte 0xF1" in parsed.encoding_evidence and "stand alone between Latin letters" in \
        parsed.encoding_evidence


def test_windows_1256_arabic_is_still_read_as_arabic():
    decoded = decode_with_evidence("المكان,هجين\n".encode("cp1256"))
    assert decoded.text == "المكان,هجين\n" and decoded.encoding == "windows-1256"
    assert "look like Arabic words" in decoded.evidence


@pytest.mark.parametrize(("data", "name", "message"), [
    ((HEADER + "2018-11-17,Haj\x00in,3,5,S,q\n").encode(), "nul.csv", "nul.csv: line 2 holds a NUL character"),
    ((HEADER + "2018-11-17,Hajin,3,5,S,q\n").encode("utf-16"), None, None),
    (json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "place_text": "Haj\u0000in", "source_name": "S", "quote": "q"}}]}).encode(), "nul.geojson",
     "nul.geojson: feature 1: properties.place_text: character 4 is a NUL character"),
])
def test_nul_characters_are_refused_before_anything_is_stored(store, data, name, message):
    if message is None:  # UTF-16 has zero bytes but no NUL character: it is read
        assert read_incidents(data, "utf16.csv").valid[0].place_text == "Hajin"
        return
    with pytest.raises(FileFormatError, match=message):
        import_incidents(store, LOCAL_USER, data, name)
    assert store.count_incidents() == 0


def _geojson(properties: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"source_name": "S", "quote": "q", **properties}}]}).encode()


@pytest.mark.parametrize(("properties", "message"), [
    ({"place_text": "Haj\ud800in"}, r"feature 1: properties.place_text: character 4 is a lone UTF-16 surrogate "
                                     r"\(\\ud800"),
    ({"claims": [{"source_name": "A"}, {"source_name": "B", "quote": "x\udfff"}]},
     r"feature 1: properties.claims\[1\].quote: character 2 is a lone UTF-16 surrogate \(\\udfff"),
    ({"extra": {"k\ud83d": 1}}, r"properties.extra.k\\ud83d \(the key\): character 2 is a lone"),
    ({"claims": [{"source_name": "A", "note": "nul\u0000"}]}, r"properties.claims\[0\].note: character 4 is a NUL"),
])
def test_text_no_database_can_store_is_refused_naming_the_feature_and_field(store, properties, message):
    """A JSON escape can make a lone surrogate (half of a UTF-16 pair) or a NUL anywhere in a feature: the import
    names the feature and the field instead of failing with an encoding error (it used to: "unexpected failure")."""
    with pytest.raises(FileFormatError, match=message):
        import_incidents(store, LOCAL_USER, _geojson(properties), "odd.geojson")
    assert store.count_incidents() == 0


def test_a_surrogate_in_the_geometry_is_refused_naming_the_feature(store):
    """The coordinates are copied into the row after the properties are checked: they are checked too (a lone
    surrogate there crashed the rejected-rows file with skip_invalid)."""
    data = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "Point", "coordinates": ["\ud800", 34.6]}, "properties": {"source_name": "S", "quote": "q"}}]}).encode()
    for skip in (False, True):
        with pytest.raises(FileFormatError, match=r"feature 1: geometry.coordinates\[0\]: character 1 is a lone"):
            import_incidents(store, LOCAL_USER, data, "geo.geojson", skip_invalid=skip)
    assert store.count_incidents() == 0


def test_a_surrogate_in_a_json_cell_of_a_csv_is_a_row_error_naming_the_field(store):
    data = (b"date_start,place_text,killed_min,source_name,quote,claims,extra\n"
            b'2018-11-17,Hajin,3,S,q,"[{""source_name"": ""A \\ud800""}]",\n'
            b'2018-11-18,Hajin,3,S,q,,"{""k"": ""\\udc00""}"\n')
    with pytest.raises(ImportRejected) as caught:
        import_incidents(store, LOCAL_USER, data, "cells.csv")
    reasons = {(e.row, e.field.split(" ")[0]): e.reason for e in caught.value.errors}
    assert "[0].source_name: character 3 is a lone UTF-16 surrogate" in reasons[(2, "claims")]
    assert "k: character 1 is a lone UTF-16 surrogate" in reasons[(3, "extra_json")]
    assert store.count_incidents() == 0


# -- structures that used to crash ---------------------------------------------------------------------------


@pytest.mark.parametrize(("document", "message"), [
    ({"type": "FeatureCollection", "features": [1]}, "feature 1 is int, not a GeoJSON Feature object"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": [1, 2]}]},
     "feature 1: 'properties' must be an object, not list"),
    ({"type": "FeatureCollection", "features": {"a": 1}}, "'features' must be a list"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[
        [[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}]}, "properties nested more than 32 levels deep"),
])
def test_odd_geojson_is_refused_with_the_feature_named(document, message):
    with pytest.raises(FileFormatError, match=message.replace("(", r"\(")):
        read_incidents(json.dumps(document).encode(), "odd.geojson")


def test_json_nested_beyond_the_interpreter_is_refused():
    with pytest.raises(FileFormatError, match="nested too deeply"):
        read_incidents(b"[" * 100_000 + b"]" * 100_000, "deep.geojson")


def test_a_huge_field_is_refused_naming_the_row():
    data = (HEADER + GOOD + "2018-11-17,Hajin,3,5,S,\"" + "x" * 2_000_000 + "\"\n").encode()
    with pytest.raises(FileFormatError, match=r"huge.csv: row 3 cannot be read: a cell is longer than"):
        read_incidents(data, "huge.csv")


def test_a_toll_beyond_a_database_integer_is_a_row_error(store):
    data = (HEADER + "2018-11-17,Hajin,9223372036854775808,9223372036854775809,S,q\n").encode()
    with pytest.raises(ImportRejected) as caught:
        import_incidents(store, LOCAL_USER, data, "big.csv")
    assert [str(e) for e in caught.value.errors][0] == (
        "row 2, field killed_min: number too large: 9223372036854775808 (at most 2,147,483,647)")


# -- XLSX ------------------------------------------------------------------------------------------------


def _workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_dimension(data: bytes, ref: str) -> bytes:
    """Rewrite the sheet's <dimension> (as some tools write it, understating the rows)."""
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index("<dimension ref=\"") + len("<dimension ref=\"")
                content = (text[:start] + ref + text[text.index("\"", start):]).encode()
            new.writestr(info, content)
    return target.getvalue()


def test_xlsx_rows_are_read_whatever_the_dimension_says():
    header = HEADER.strip().split(",")
    rows = [header] + [["2018-11-17", f"Place {n}", 1, 2, "Synthetic Monitor A", "A synthetic sentence."]
                       for n in range(30)]
    data = _with_dimension(_workbook(rows), "A1:F2")
    assert len(read_incidents(data, "short.xlsx").valid) == 30


def test_an_xlsx_that_expands_to_too_many_rows_is_refused_before_its_cells_are_parsed():
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(1, 20001))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>{rows}</sheetData></worksheet>')
    data = _with_sheet(_workbook([["a"]]), sheet)
    started = time.perf_counter()
    with pytest.raises(FileFormatError, match="more than 10,000 rows, the import limit"):
        read_incidents(data, "bomb.xlsx", options=ImportOptions(limits=Limits(max_rows=10_000)))
    assert time.perf_counter() - started < 5  # refused from the row count, not after parsing 20,000 rows


def _with_sheet(data: bytes, sheet: str) -> bytes:
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = sheet.encode() if info.filename == "xl/worksheets/sheet1.xml" else old.read(info.filename)
            new.writestr(info, content)
    return target.getvalue()


@pytest.mark.parametrize(("limits", "message"), [
    (Limits(max_bytes=100), "over the import limit of 0 MB"),
    (Limits(max_rows=1), "more than 1 rows, the import limit"),
])
def test_size_and_row_limits_refuse_the_file_with_what_to_do(limits, message):
    with pytest.raises(FileFormatError, match=message):
        read_incidents((HEADER + GOOD * 3).encode(), "many.csv", options=ImportOptions(limits=limits))


# -- the property-based test -----------------------------------------------------------------------------

CELL = st.one_of(st.text(max_size=12), st.sampled_from(["2018-11-17", "34.69", "40.83", "3", "-1", "coalition",
                                                       "Hajin", "", "=1+1", "#loc+name", "\x00", "\ufeff"]))
HEADERS = st.lists(st.one_of(st.sampled_from(["date_start", "place_text", "killed", "source_name", "quote", "lat",
                                              "lon", "actor", "sources", "claims", "extra", "uid", "#", ""]),
                             st.text(max_size=8)), min_size=1, max_size=6)


def _clean(parse) -> None:
    try:
        parse()
    except IncidentsError:
        pass  # a clean refusal, with a message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.xlsx", "x.geojson", "x.json", "x.txt"]))
def test_arbitrary_bytes_are_refused_or_read_never_a_crash(data, name):
    _clean(lambda: read_incidents(data, name, options=ImportOptions(keep_unmapped=True)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HEADERS, st.lists(st.lists(CELL, max_size=7), max_size=5), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-16", "cp1256", "latin-1"]))
def test_random_csv_tables_are_refused_or_read_never_a_crash(header, rows, delimiter, encoding):
    text = "\n".join(delimiter.join(cells) for cells in [header, *rows])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    _clean(lambda: read_incidents(data, "x.csv", options=ImportOptions(keep_unmapped=True)))


JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON, st.fixed_dictionaries({"type": st.just("FeatureCollection"), "features": st.one_of(
    JSON, st.lists(st.one_of(JSON, st.fixed_dictionaries({
        "type": st.just("Feature"), "properties": st.one_of(JSON, st.dictionaries(
            st.sampled_from(["date_start", "place_text", "killed", "source_name", "quote", "claims", "tags"]), JSON)),
        "geometry": JSON})), max_size=3))})))
def test_random_geojson_structures_are_refused_or_read_never_a_crash(document):
    data = json.dumps(document, allow_nan=True).encode()
    _clean(lambda: read_incidents(data, "x.geojson", options=ImportOptions(keep_unmapped=True)))


XLSX_CELL = st.one_of(st.none(), st.integers(-10, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                      st.booleans(), st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
                      st.sampled_from(["2018-11-17", "Hajin", "coalition", "3"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(XLSX_CELL, max_size=6), min_size=0, max_size=5), HEADERS)
def test_random_xlsx_sheets_are_refused_or_read_never_a_crash(rows, header):
    header = [h.replace("\x00", "") for h in header]
    try:
        data = _workbook([header, *rows])
    except Exception:  # noqa: BLE001 - openpyxl refuses some header text: not a workbook we can make
        return
    _clean(lambda: read_incidents(data, "x.xlsx", options=ImportOptions(keep_unmapped=True)))


@pytest.mark.parametrize(("data", "expected"), [
    (b'"Date, local",event_id_cnty,notes\n2019-01-01,SYR1,x\n', ["Date, local", "event_id_cnty", "notes"]),
    (b"event_id_cnty;event_date;notes\nSYR1;2019-01-01;a, b\n", ["event_id_cnty", "event_date", "notes"]),
    (b"event_id_cnty\tevent_date\n", ["event_id_cnty", "event_date"]),
    (b"\xef\xbb\xbf# exported by a test\n# filter: all\nuid,place_text\n", ["uid", "place_text"]),
    (b'"a ""quoted"" name",b\n', ['a "quoted" name', "b"]),
])
def test_the_header_a_format_is_detected_from_is_read_as_the_table_is(data, expected):
    from incidents.io.tables import csv_header
    from incidents.services.importer import detect_format, read_table

    assert csv_header(data, "t.csv") == expected
    if not data.lstrip(b"\xef\xbb\xbf").startswith(b"#"):
        assert read_table(data, "t.csv", "csv").header == expected  # one reader: the same header both ways
    assert detect_format("t.csv", data) in ("csv", "acled")


def test_an_acled_header_with_a_quoted_comma_is_still_acled():
    from incidents.services.importer import detect_format

    header = ('"notes, as given",event_id_cnty,event_date,event_type,sub_event_type,actor1,country,admin1,location,'
              'latitude,longitude,fatalities,source\n')
    assert detect_format("export.csv", header.encode()) == "acled"
