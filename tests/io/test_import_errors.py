"""Bad input: every rejected row is reported with row number, field and reason; nothing is written."""

from __future__ import annotations

import pytest

from incidents.domain.errors import FileFormatError, ImportRejected, PermissionDenied
from incidents.domain.users import LOCAL_USER, User
from incidents.services.importer import import_incidents, read_incidents

HEADER = "date_start,place_text,lat,lon,actor,event_type,killed_min,killed_max,source_name,quote\n"
GOOD = "2018-11-17,Hajin,34.69,40.83,coalition,air_strike,3,5,SANA,Synthetic sentence.\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("utf-8")


@pytest.mark.parametrize(("row", "expected"), [
    ("2018-02-30,Hajin,34.69,40.83,coalition,air_strike,3,5,SANA,q\n",
     "row 3, field date_start: impossible date: '2018-02-30'"),
    ("17th of Nov,Hajin,34.69,40.83,coalition,air_strike,3,5,SANA,q\n",
     "row 3, field date_start: not a date: '17th of Nov' (expected YYYY-MM-DD)"),
    ("2018-11-17,Hajin,34.69,40.83,coalition,air_strike,-4,5,SANA,q\n",
     "row 3, field killed_min: negative toll: -4"),
    ("2018-11-17,Hajin,34.69,40.83,coalition,air_strike,9,5,SANA,q\n",
     "row 3, field killed_min: killed_min 9 is above killed_max 5"),
    ("2018-11-17,Hajin,34.69,40.83,coalition,air_strike,three,5,SANA,q\n",
     "row 3, field killed_min: not a whole number: 'three'"),
    ("2018-11-17,London,51.5,-0.12,coalition,air_strike,3,5,SANA,q\n",
     "row 3, field lat: coordinates 51.5, -0.12 are outside the region "
     "(latitude 29–38.5, longitude 35–49: Syria and Iraq's Anbar and Ninawa)"),
    ("2018-11-17,Hajin,34.69,north,coalition,air_strike,3,5,SANA,q\n",
     "row 3, field lon: not a number: 'north'"),
    ("2018-11-17,Hajin,34.69,40.83,martians,air_strike,3,5,SANA,q\n",
     "row 3, field actor: 'martians' is not a known actor; expected one of coalition, sdf, isis, pmf, government, "
     "russia, turkey, unknown, other"),
    ("2018-11-17,Hajin,34.69,40.83,coalition,air_strike,3,5,,q\n",
     "row 3, field source_name: required: name the source of every claim"),
    ("2099-01-01,Hajin,34.69,40.83,coalition,air_strike,3,5,SANA,q\n",
     "row 3, field date_start: date 2099-01-01 is in the future"),
])
def test_each_bad_row_is_reported_exactly(sqlite_store, row, expected):
    data = _csv(GOOD, row)
    with pytest.raises(ImportRejected) as caught:
        import_incidents(sqlite_store, LOCAL_USER, data, "bad.csv")
    assert [str(e) for e in caught.value.errors] == [expected]
    assert sqlite_store.count_incidents() == 0  # all or nothing: the good row is not written either


def test_every_rejected_row_is_listed_not_just_the_first(sqlite_store):
    data = _csv(GOOD, "2018-02-30,Hajin,34.69,40.83,coalition,air_strike,-1,5,SANA,q\n", GOOD,
                "2018-11-17,Hajin,34.69,40.83,coalition,air_strike,7,2,SANA,q\n")
    with pytest.raises(ImportRejected) as caught:
        import_incidents(sqlite_store, LOCAL_USER, data, "bad.csv")
    assert [(e.row, e.field) for e in caught.value.errors] == [
        (3, "date_start"), (3, "killed_min"), (5, "killed_min")]
    assert "3 problem(s) in 4 row(s); nothing was written" in str(caught.value)


def test_skip_invalid_writes_valid_rows_and_returns_rejected_ones(sqlite_store):
    data = _csv(GOOD, "2018-11-17,Hajin,34.69,40.83,coalition,air_strike,-1,5,SANA,q\n", GOOD)
    result = import_incidents(sqlite_store, LOCAL_USER, data, "bad.csv", skip_invalid=True)
    assert sqlite_store.count_incidents() == 2
    assert [str(e) for e in result.rejected] == ["row 3, field killed_min: negative toll: -1"]
    rejected = result.rejected_csv.decode("utf-8-sig").splitlines()
    assert rejected[0].endswith(",error")
    assert rejected[1].startswith("2018-11-17,Hajin") and rejected[1].endswith("killed_min: negative toll: -1")


def test_duplicate_ids_in_a_file_are_rejected_and_a_stored_id_is_unchanged_on_reimport(sqlite_store):
    header = "uid," + HEADER
    line = "abc-1," + GOOD
    data = (header + line + line).encode()
    with pytest.raises(ImportRejected) as caught:
        import_incidents(sqlite_store, LOCAL_USER, data, "dup.csv")
    assert [str(e) for e in caught.value.errors] == ["row 3, field uid: the id 'abc-1' is also used by row 2"]
    import_incidents(sqlite_store, LOCAL_USER, (header + line).encode(), "one.csv")
    again = import_incidents(sqlite_store, LOCAL_USER, (header + line).encode(), "one.csv")
    assert again.summary().startswith("0 new, 0 updated, 1 unchanged, 0 rejected of 1 row(s)")
    assert sqlite_store.count_incidents() == 1


@pytest.mark.parametrize(("data", "message"), [
    (b"", "bad.csv: the file is empty"),
    (b"a,a\n1,2\n", "bad.csv: column 'a' appears twice in the header"),
    (HEADER.encode() + b"2018-11-17,Hajin,34.69,40.83,coalition,air_strike,3,5,SANA,q,extra,cells\n",
     "bad.csv: row 2 has 12 cells but the header has 10"),
])
def test_unreadable_files_say_why(sqlite_store, data, message):
    with pytest.raises(FileFormatError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        import_incidents(sqlite_store, LOCAL_USER, data, "bad.csv")


def test_broken_geojson_and_workbook_say_why():
    with pytest.raises(FileFormatError, match=r"x.geojson: not valid JSON"):
        read_incidents(b"{not json", "x.geojson")
    with pytest.raises(FileFormatError, match=r"x.geojson: expected a GeoJSON FeatureCollection"):
        read_incidents(b'{"type": "Feature"}', "x.geojson")
    with pytest.raises(FileFormatError, match=r"x.xlsx: not a readable .xlsx workbook"):
        read_incidents(b"PK\x03\x04garbage", "x.xlsx", "xlsx")


def test_a_viewer_cannot_import(sqlite_store):
    with pytest.raises(PermissionDenied):
        import_incidents(sqlite_store, User("vera", "viewer"), _csv(GOOD), "ok.csv")
    assert sqlite_store.count_incidents() == 0


def test_a_covers_cell_that_is_not_a_list_of_ids_is_refused_by_name(sqlite_store):
    # "[]" typed into a spreadsheet's covers column was stored as a covered incident with the uid "[]"
    header = HEADER.rstrip("\n") + ",record_kind,covers\n"
    good = GOOD.rstrip("\n") + ",incident,\n"
    bad = GOOD.rstrip("\n") + ",combined,[]\n"
    with pytest.raises(ImportRejected) as caught:
        import_incidents(sqlite_store, LOCAL_USER, (header + good + bad).encode("utf-8"), "bad.csv")
    assert [(e.row, e.field) for e in caught.value.errors] == [(3, "covers")]
    assert "not a plain identifier: '[]'" in str(caught.value.errors[0])
    assert sqlite_store.count_incidents() == 0
