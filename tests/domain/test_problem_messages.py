"""Every problem of a record or an imported row, the import's refusal and the importer's common file errors say
themselves in Arabic (issue: the Import page in the Arabic interface): the same values, the field by its Arabic
label, the values isolated; the English text (command line, logs, the tests of the messages) is unchanged."""

from __future__ import annotations

import ast
import copy
import pickle
import re
from datetime import date
from pathlib import Path

import pytest

from incidents.domain.errors import FIELD_PLACEHOLDERS, FileFormatError, ImportRejected, ValidationError
from incidents.domain.messages import field_label, row_label
from incidents.domain.records import Claim, Incident
from incidents.domain.validation import Problem, ProblemLine, check_claim, check_incident
from incidents.io.columns import row_to_incident

ROOT = Path(__file__).resolve().parents[2]
ARABIC = re.compile(r"[\u0600-\u06FF]")
TODAY = date(2024, 6, 1)
SOURCED = [Claim(source_name="Synthetic Monitor", quote="Synthetic sentence.")]


def _incident(**values: object) -> list[Problem]:
    return check_incident(Incident(claims=SOURCED, **values), TODAY)  # type: ignore[arg-type]


def _row(**cells: object) -> list[Problem]:
    return row_to_incident({"source_name": "Synthetic Monitor", "quote": "Synthetic sentence.", **cells})[1]


# (what breaks, its problems, the field, the English reason exactly as the command line prints it)
CASES = [
    ("no claim", lambda: check_incident(Incident(), TODAY), "source_name",
     "every incident needs at least one source (a claim)"),
    ("future", lambda: _incident(date_start=date(2030, 1, 2)), "date_start", "date 2030-01-02 is in the future"),
    ("before 1900", lambda: _incident(date_start=date(1850, 1, 2)), "date_start", "date 1850-01-02 is before 1900"),
    ("end before start", lambda: _incident(date_start=date(2019, 1, 5), date_end=date(2019, 1, 2)), "date_end",
     "date_end 2019-01-02 is before date_start 2019-01-05"),
    ("negative", lambda: _incident(killed_min=-3), "killed_min", "negative toll: -3"),
    ("huge toll", lambda: _incident(killed_max=2_000_000), "killed_max",
     "toll 2000000 is above 1,000,000, the most one record may state: check the cell (a typing or conversion error?)"),
    ("min above max", lambda: _incident(killed_min=9, killed_max=3), "killed_min", "killed_min 9 is above killed_max 3"),
    ("half a point", lambda: _incident(lat=35.3), "lon", "give both latitude and longitude, or neither"),
    ("outside", lambda: _incident(lat=51.5, lon=-0.1), "lat",
     "coordinates 51.5, -0.1 are outside the region (latitude 29–38.5, longitude 35–49: Syria and Iraq's Anbar and "
     "Ninawa)"),
    ("unknown code", lambda: _incident(event_type="zap"), "event_type",
     "'zap' is not a known event_type; expected one of "),
    ("figures rule", lambda: _incident(figures_rule="guess"), "figures_rule", "must be claims or editor; got 'guess'"),
    ("figures reason", lambda: _incident(figures_rule="editor"), "figures_reason",
     "figures set by an editor need a reason"),
    ("uid", lambda: _incident(uid="a b"), "uid", "not a plain identifier: 'a b' (expected 1–36 letters, digits and "
     "_ . : -, starting with a letter or digit)"),
    ("no source", lambda: check_claim(Claim(source_name="", quote="q"), "claims[0].", TODAY), "claims[0].source_name",
     "required: name the source of every claim"),
    ("no quote", lambda: check_claim(Claim(source_name="s", quote=" "), "claims[0].", TODAY), "claims[0].quote",
     "required: quote the sentence the figures come from"),
    ("published in the future", lambda: check_claim(Claim(source_name="s", quote="q", published=date(2031, 3, 4)),
                                                    today=TODAY), "published", "date 2031-03-04 is in the future"),
    ("not whole", lambda: _row(killed_min="many"), "killed_min", "not a whole number: 'many'"),
    ("not a date", lambda: _row(date_start="yesterday"), "date_start",
     "not a date: 'yesterday' (expected YYYY-MM-DD)"),
    ("impossible date", lambda: _row(date_start="2019-02-30"), "date_start", "impossible date: '2019-02-30'"),
    ("not a number", lambda: _row(lat="north", lon="40"), "lat", "not a number: 'north'"),
    ("not yes or no", lambda: _row(shared_toll="maybe"), "shared_toll", "not yes or no: 'maybe'"),
    ("too large", lambda: _row(killed_min="9999999999"), "killed_min",
     "number too large: 9999999999 (at most 2,147,483,647)"),
    ("unknown actor", lambda: _row(actor="martians"), "actor", "'martians' is not a known actor; expected one of "),
    ("unknown kind", lambda: _row(source_kind="rumour"), "source_kind",
     "'rumour' is not a known source_kind; expected one of "),
    ("claims not JSON", lambda: _row(claims="[{"), "claims", "not valid JSON (Expecting property name enclosed in "
     "double quotes at character 2)"),
    ("claims not a list", lambda: _row(claims="{}"), "claims", "expected a JSON list of objects"),
    ("unknown claim field", lambda: _row(claims='[{"zz": 1, "source_name": "A", "quote": "q"}]'), "claims[0].zz",
     "unknown claim field"),
    ("claim cell", lambda: _row(claims='[{"source_name": "A", "quote": "q", "killed_min": "x"}]'),
     "claims[0].killed_min", "not a whole number: 'x'"),
    ("extra not an object", lambda: _row(extra_json="[1]"), "extra_json", "expected a JSON object"),
    ("NUL in claims", lambda: _row(claims='[{"source_name": "A\\u0000", "quote": "q"}]'), "claims",
     "[0].source_name: character 2 is a NUL character (byte zero), which cannot be stored"),
    ("surrogate in extra", lambda: _row(extra_json='{"k": "\\ud800"}'), "extra_json",
     "k: character 1 is a lone UTF-16 surrogate (\\ud800, half of a character pair), which cannot be stored"),
    ("stamp", lambda: _row(created_at="soon"), "created_at",
     "not a date and time: 'soon' (expected YYYY-MM-DD HH:MM:SS)"),
    ("children range", lambda: _row(children_killed_min="5", children_killed_max="2"), "children_killed_min",
     "children_killed_min 5 is above children_killed_max 2"),
]


def _found(make, field: str, english: str) -> Problem:
    problems = make()
    found = [p for p in problems if p.field == field and p.reason.startswith(english)]
    assert found, [(p.field, p.reason) for p in problems]
    return found[0]


@pytest.mark.parametrize(("make", "field", "english"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_says_itself_in_arabic_with_the_same_values(make, field, english):
    problem = _found(make, field, english)
    assert problem.key and problem.key.startswith("problems.")
    assert problem.localised("en") == problem.reason  # English: exactly what the command line prints
    arabic = problem.localised("ar")
    assert ARABIC.search(arabic) and arabic != problem.reason
    for name, value in problem.values:
        shown = field_label(str(value), "ar") if name in FIELD_PLACEHOLDERS else str(value)
        assert f"\u2068{shown}\u2069" in arabic, (name, value, arabic)  # every value, isolated
    assert "is not" not in arabic and "expected" not in arabic.replace("(expected", "")  # no English sentence left


def test_a_field_placeholder_is_named_by_its_arabic_label():
    problem = _found(lambda: _incident(killed_min=9, killed_max=3), "killed_min", "killed_min 9")
    assert "القتلى (أدنى)" in problem.localised("ar") and "القتلى (أقصى)" in problem.localised("ar")
    unknown = _found(lambda: _incident(event_type="zap"), "event_type", "'zap'")
    assert "نوع الحدث" in unknown.localised("ar") and "'zap'" in unknown.localised("ar")


def test_problems_stay_hashable_picklable_and_equal_by_field_and_reason():
    problem = _found(lambda: _incident(killed_min=-3), "killed_min", "negative toll")
    assert problem == Problem("killed_min", "negative toll: -3") and hash(problem) == hash(Problem(
        "killed_min", "negative toll: -3"))
    assert len({problem, Problem("killed_min", "negative toll: -3")}) == 1
    for again in (pickle.loads(pickle.dumps(problem)), copy.deepcopy(problem)):
        assert again.localised("ar") == problem.localised("ar")
    located = problem.at_row(7)
    assert str(located) == "row 7, field killed_min: negative toll: -3"
    assert located.localised("ar") == problem.localised("ar")
    assert pickle.loads(pickle.dumps(located)).localised("ar") == problem.localised("ar")
    renamed = problem.renamed("killed_min (column 'Dead')")
    assert renamed.reason == problem.reason and renamed.localised("ar") == problem.localised("ar")


def test_an_import_refusal_survives_pickling_with_every_row_error():
    """ImportRejected is rebuilt from its errors and row count (its constructor needs both): a worker pool or a
    test runner's report can carry it (it raised TypeError before)."""
    located = _found(lambda: _incident(killed_min=-3), "killed_min", "negative toll").at_row(7)
    refused = ImportRejected([located], total_rows=12)
    for again in (pickle.loads(pickle.dumps(refused)), copy.deepcopy(refused)):
        assert (again.errors, again.total_rows, str(again)) == (refused.errors, 12, str(refused))
        assert again.localised("ar") == refused.localised("ar")


def test_a_problem_line_is_english_text_that_says_itself_in_arabic():
    line = ProblemLine(_found(lambda: _incident(killed_min=-3), "killed_min", "negative toll"))
    assert line == "killed_min: negative toll: -3" and line.startswith("killed_min:")
    assert line.localised("ar").startswith("القتلى (أدنى): ")
    assert pickle.loads(pickle.dumps(line)).localised("ar") == line.localised("ar")


@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("killed_min", False, "القتلى (أدنى)"),
    ("killed_min", True, "القتلى (أدنى) — \u2068killed_min\u2069"),
    ("claims[1].quote", False, "الادعاء 2: الجملة المقتبسة"),
    ("date_start (column 'When')", True, "التاريخ (بداية) (العمود \u2068'When'\u2069)"),
    ("claims (column 'sources')", True, "الادعاءات (العمود \u2068'sources'\u2069)"),
    ("Folder colour", True, "Folder colour"),  # not a field of ours: as it came
])
def test_field_labels_in_arabic_keep_the_files_own_column(name, raw, expected):
    assert field_label(name, "ar", raw=raw) == expected
    assert field_label(name, "en", raw=raw) == name


def test_rows_and_features_are_named_in_either_language():
    assert (row_label(3), row_label("feature 4"), row_label("x")) == ("row 3", "feature 4", "x")
    assert (row_label(3, "ar"), row_label("feature 4", "ar")) == ("الصف 3", "العنصر 4")


def test_the_import_refusal_is_unchanged_in_english_and_said_in_arabic():
    errors = [_found(lambda: _incident(killed_min=-3), "killed_min", "negative").at_row(2)]
    rejected = ImportRejected(errors, 5)
    assert str(rejected) == ("1 problem(s) in 5 row(s); nothing was written. Fix the rows below, or use "
                             "--skip-invalid to write the valid rows and set the rejected ones aside.")
    arabic = rejected.localised("ar")
    assert ARABIC.search(arabic) and "\u20681\u2069" in arabic and "\u20685\u2069" in arabic


def test_a_validation_error_of_problems_lists_them_in_either_language():
    problems = _incident(killed_min=-3, lat=35.3)
    error = ValidationError.of(problems, "problems.incident_uid", uid="abc")
    assert str(error) == "incident abc: killed_min: negative toll: -3; lon: give both latitude and longitude, or neither"
    arabic = error.localised("ar")
    assert arabic.startswith("الحادثة \u2068abc\u2069: القتلى (أدنى): حصيلة سالبة")
    assert "خط الطول: اذكر خط العرض وخط الطول معاً" in arabic
    again = pickle.loads(pickle.dumps(error))
    assert again.localised("ar") == arabic and str(again) == str(error)


def _file_error(data: bytes, name: str, fmt: str = "auto") -> FileFormatError:
    from incidents.services import importer

    with pytest.raises(FileFormatError) as caught:
        importer.read_incidents(data, name, fmt)
    return caught.value


@pytest.mark.parametrize(("data", "name", "english"), [
    (b"  \n", "empty.csv", "empty.csv: the file is empty"),
    (b"{not json", "bad.geojson", "bad.geojson: not valid JSON (Expecting property name enclosed in double quotes, "
                                  "line 1)"),
    (b'{"type": "Feature"}', "one.geojson", "one.geojson: expected a GeoJSON FeatureCollection"),
    (b"a,b\n1,2\x00\n", "nul.csv", "nul.csv: line 2 holds a NUL character (byte zero); such bytes cannot be stored. "
                                    "Remove them (or save the file again as UTF-8 text) and try again"),
    (b"a,a\n1,2\n", "twice.csv", "twice.csv: column 'a' appears twice in the header"),
    (b"a,b\n1,2,3\n", "wide.csv", "wide.csv: row 2 has 3 cells but the header has 2"),
    (b"PK\x03\x04 not a workbook", "book.xlsx", "book.xlsx: not a readable .xlsx workbook"),
    (b'{"type": "FeatureCollection", "features": [3]}', "f.geojson",
     "f.geojson: feature 1 is int, not a GeoJSON Feature object"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"a": "x\\u0000"}}]}',
     "nul.geojson", "nul.geojson: feature 1: properties.a: character 2 is a NUL character (byte zero), which cannot "
                    "be stored; remove it and try again"),
    (b'{"type": "FeatureCollection", "features": "none"}', "list.geojson",
     "list.geojson: 'features' must be a list of GeoJSON Feature objects"),
    (b"Case no.,Dead\nC-1,4\n", "own.csv", "own.csv: no field for column(s) 'Case no.'. Map each one (--map "
     "'COLUMN=FIELD', or correct it on the Import page), keep them in the incident's extra data (--keep-unmapped), "
     "or leave them out on purpose (--map 'COLUMN=ignore'); nothing is dropped silently"),
])
def test_the_common_file_errors_are_unchanged_in_english_and_said_in_arabic(data, name, english):
    error = _file_error(data, name)
    assert str(error).startswith(english) and error.localised("en") == str(error)
    arabic = error.localised("ar")
    assert error.key and ARABIC.search(arabic) and f"\u2068{name}\u2069" in arabic
    for name_, value in error.values.items():
        shown = row_label(value, "ar") if name_ == "row" else value
        assert f"\u2068{shown}\u2069" in arabic


def test_too_many_rows_and_a_missing_mapped_column_are_said_in_arabic():
    from incidents.io.mapping import MappingError, load_mapping
    from incidents.io.tables import Limits
    from incidents.services import importer

    small = importer.ImportOptions(limits=Limits(max_rows=2))
    with pytest.raises(FileFormatError) as caught:
        importer.read_incidents(b"a\n1\n2\n3\n", "rows.csv", "csv", small)
    assert str(caught.value) == "rows.csv: more than 2 rows, the import limit; split the file and import the parts"
    assert "حد الاستيراد" in caught.value.localised("ar")
    with pytest.raises(MappingError) as missing:
        load_mapping('{"columns": {"When": "date_start"}}', ["Date"], name="map.json")
    assert str(missing.value) == "map.json: the table has no column 'When'; its columns are: Date"
    assert "لا يوجد في الجدول العمود \u2068'When'\u2069" in missing.value.localised("ar")


# -- nothing said in English only ---------------------------------------------------------------------------

CONVERTED = ("incidents/domain/validation.py", "incidents/io/columns.py", "incidents/io/text.py",
             "incidents/services/importer.py", "incidents/services/review.py", "incidents/domain/coverage.py")


@pytest.mark.parametrize("path", CONVERTED)
def test_no_problem_is_written_in_english_only(path):
    """A ``Problem(...)`` built from its English text alone would show English in the Arabic interface: every
    problem of these modules is ``Problem.said`` (or renamed from one)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    direct = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
              and isinstance(node.func, ast.Name) and node.func.id == "Problem"]
    assert not direct, f"{path}: Problem(...) said in English only at lines {direct}"
