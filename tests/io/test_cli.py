"""The import and export commands, run as users run them."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ..conftest import run_incidents_in_process

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], db: str, stdin: bytes | None = None, process: bool = False) -> subprocess.CompletedProcess:
    """Run ``python -m incidents ARGS`` on ``db``: in this process (``run_incidents_in_process`` in
    tests/conftest.py), or as a real process with ``process`` (the entry point, a terminal)."""
    env = {**os.environ, "DATABASE_URL": db, "INCIDENTS_AUTH": "local"}
    if not process:
        return run_incidents_in_process(args, env=env, stdin=stdin)
    return subprocess.run([sys.executable, "-m", "incidents", *args], input=stdin, capture_output=True, env=env,
                          cwd=ROOT, timeout=120)


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_export_from_a_new_database_holds_the_sample(db):
    done = run(["export", "--format", "geojson"], db)
    assert done.returncode == 0, done.stderr.decode()
    features = json.loads(done.stdout)["features"]
    assert len(features) >= 30 and all(f["properties"]["claims"] for f in features)


def test_a_filtered_csv_is_a_plain_table_described_beside_it(db, tmp_path):
    out = tmp_path / "isis.csv"
    done = run(["export", "--format", "csv", "--actor", "isis", "--event-type", "arrests", "-o", str(out)], db)
    assert done.returncode == 0, done.stderr.decode()
    table = pd.read_csv(out)  # pandas' defaults: the header is the first line
    assert list(table.columns[:2]) == ["uid", "date_start"] and len(table) == 2
    assert set(table["actor"]) == {"isis"} and set(table["event_type"]) == {"arrests"}
    sidecar = json.loads((tmp_path / "isis.csv-metadata.json").read_text(encoding="utf-8"))
    assert sidecar["url"] == "isis.csv"
    assert sidecar["dc:description"][0].startswith("Incidents: Islamic State (ISIS) · all dates · Arrests / detention")


def test_the_comment_header_is_asked_for(db):
    done = run(["export", "--format", "csv", "--actor", "isis", "--event-type", "arrests", "--comment-header"], db)
    first, *rest = done.stdout.decode("utf-8-sig").splitlines()
    assert first.startswith("# Incidents: Islamic State (ISIS) · all dates · Arrests / detention")
    header = next(line for line in rest if not line.startswith("# "))
    assert header.startswith("uid,date_start")
    refused = run(["export", "--format", "geojson", "--comment-header"], db)
    assert refused.returncode == 2 and "--comment-header is for the CSV formats" in refused.stderr.decode()


def test_an_unfiltered_export_is_described_as_all_gradings(db):
    done = run(["export", "--format", "geojson"], db)
    metadata = json.loads(done.stdout)["metadata"]
    assert metadata["about"].startswith("all actors · all dates · all gradings · ")
    assert "no grading" not in done.stdout.decode()


@pytest.mark.parametrize("fmt", ["gpkg", "xlsx"])
def test_binary_formats_are_not_written_to_a_terminal(db, fmt):
    leader, follower = pty.openpty()
    try:
        env = {**os.environ, "DATABASE_URL": db, "INCIDENTS_AUTH": "local"}
        done = subprocess.run([sys.executable, "-m", "incidents", "export", "--format", fmt], stdout=follower,
                              stderr=subprocess.PIPE, env=env, cwd=ROOT, timeout=120)
        shown = _drain(leader)
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert done.stderr.decode() == (f"error: --format {fmt} writes a binary file, which a terminal cannot show: "
                                    f"name the file with -o FILE.{fmt} (or redirect standard output to a file)\n")
    assert shown == b""
    piped = run(["export", "--format", fmt], db)  # redirected: written as asked
    assert piped.returncode == 0 and piped.stdout.startswith(b"SQLite format 3" if fmt == "gpkg" else b"PK")


def _drain(fd: int) -> bytes:
    data = b""
    while select.select([fd], [], [], 0)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def test_the_export_header_says_what_it_counts_in_english_and_arabic(db):
    done = run(["export", "--format", "geojson", "--no-drafts"], db)
    assert done.returncode == 0, done.stderr.decode()
    about = json.loads(done.stdout)["metadata"]["about"]
    assert "killed (minimum) in" in about and "reviewed or published incident" in about  # drafts left out
    assert "قتيلاً (الحد الأدنى)" in about and "مراجَعة أو منشورة" in about
    everything = json.loads(run(["export", "--format", "geojson"], db).stdout)["metadata"]["about"]
    assert "draft, reviewed or published incident" in everything  # a full export holds the drafts too


def test_import_geocodes_names_and_lists_those_it_cannot_place(db, tmp_path):
    source = tmp_path / "new.csv"
    source.write_text("date,place,actor,type,killed,source,quote\n"
                      "2019-02-01,الشعفة,coalition,airstrike,4,Test source (synthetic),Synthetic sentence one.\n"
                      "2019-02-02,Xyzzy Nowhere,isis,shelling,1,Test source (synthetic),Synthetic sentence two.\n",
                      encoding="utf-8")
    done = run(["import", str(source), "--empty"], db)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert "2 new, 0 updated, 0 unchanged, 0 rejected of 2 row(s) (csv); 1 place name(s) could not be located" in out
    assert "not located: row 3: Xyzzy Nowhere" in out
    exported = json.loads(run(["export", "--format", "geojson"], db).stdout)["features"]
    placed = next(f for f in exported if f["properties"]["place_text"] == "الشعفة")
    assert placed["properties"]["admin1"] == "SY09" and placed["geometry"]["type"] == "Point"


@pytest.mark.parametrize(("mode", "shown"), [("always", True), ("never", False), ("auto", False)])
def test_import_shows_a_progress_line_on_standard_error_when_asked_or_on_a_terminal(db, tmp_path, mode, shown):
    source = tmp_path / "new.csv"
    source.write_text("date,place,killed,source,quote\n" + "".join(
        f"2019-02-{1 + n % 27:02d},Hajin,{n % 5},Test source (synthetic),Synthetic sentence {n}.\n"
        for n in range(40)), encoding="utf-8")
    done = run(["import", str(source), "--empty", "--no-geocode", "--progress", mode], db)
    assert done.returncode == 0, done.stderr.decode()
    err = done.stderr.decode()
    assert ("importing: 100% done" in err) is shown and ("importing:   0% reading" in err) is shown
    if shown:  # one line, redrawn in place, ended when the import is done
        assert err.count("\n") == 1 and err.count("\r") >= 4
    assert "40 new" in done.stdout.decode()


def test_a_rejected_import_exits_2_names_every_row_and_writes_nothing(db, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("date,place,killed_min,killed_max,source,quote\n2019-02-30,Hajin,1,2,S,q\n"
                      "2019-02-01,Hajin,5,2,S,q\n", encoding="utf-8")
    done = run(["import", str(source), "--empty"], db)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "error: 2 problem(s) in 2 row(s); nothing was written. Fix the rows below, or use --skip-invalid to "
        "write the valid rows and set the rejected ones aside.",
        "  row 2, field date_start (column 'date'): impossible date: '2019-02-30'",
        "  row 3, field killed_min: killed_min 5 is above killed_max 2",
    ]
    assert json.loads(run(["export", "--format", "geojson"], db).stdout)["features"] == []


def test_skip_invalid_writes_the_rejected_rows_to_a_file(db, tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_text("date,place,killed,source,quote\n2019-02-01,Hajin,2,S,q\n2019-02-01,Hajin,-2,S,q\n",
                      encoding="utf-8")
    done = run(["import", str(source), "--empty", "--skip-invalid"], db)
    assert done.returncode == 1
    rejected = (tmp_path / "mixed.csv.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejected == ["date,place,killed,source,quote,error",
                        "2019-02-01,Hajin,'-2,S,q,killed_min: negative toll: -2; killed_max: negative toll: -2"]


def test_errors_are_one_line_without_traceback(db):
    done = run(["import", "/no/such/file.csv"], db, process=True)
    assert done.returncode == 2
    assert done.stderr.decode() == "error: no such file: /no/such/file.csv\n"
    done = run(["export", "--actor", "martians"], db)
    assert done.returncode == 2 and "Traceback" not in done.stderr.decode()
    assert "actor must be one of coalition" in done.stderr.decode()


def test_import_names_the_stored_incidents_it_may_duplicate_and_merges_nothing(db, tmp_path):
    source = tmp_path / "again.csv"
    source.write_text("date,place,actor,type,killed,source,quote\n"
                      "2018-11-17,البقعان,coalition,airstrike,38,Test source (synthetic),Synthetic sentence.\n",
                      encoding="utf-8")
    done = run(["import", str(source)], db)  # a new database: the sample holds al-Buqaan, 2018-11-17
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert "may duplicate stored ones (nothing was merged" in out
    assert "same place, same day, same actor, same event type" in out
    features = json.loads(run(["export", "--format", "geojson"], db).stdout)["features"]
    assert sum(f["properties"]["place_text"] == "البقعان" for f in features) >= 3  # both sample records + ours


UNUSUAL_CSV = ("Case no.,Day of the strike,القرية,Dead,Reported by,What they wrote,Folder colour\n"
               "C-1,2019-02-01,الشعفة,4,Synthetic Monitor A,Synthetic sentence one.,blue\n")


def test_show_mapping_then_a_saved_mapping_file_imports_an_unusual_table(db, tmp_path):
    source = tmp_path / "own.csv"
    source.write_text(UNUSUAL_CSV, encoding="utf-8")
    shown = run(["import", str(source), "--show-mapping"], db)
    out = shown.stdout.decode()
    assert shown.returncode == 2
    assert "  القرية -> place_text" in out and "  Dead -> killed" in out
    assert "Folder colour -> NOT MAPPED" in out and "no field for column(s)" in shown.stderr.decode()
    mapping = tmp_path / "own.mapping.json"
    saved = run(["import", str(source), "--map", "Case no.=external_id", "--map", "Day of the strike=date_start",
                 "--map", "Reported by=source_name", "--map", "What they wrote=quote", "--map", "Folder colour=extra",
                 "--show-mapping"], db)
    assert saved.returncode == 0, saved.stderr.decode()
    assert "first rows as they will be stored:" in saved.stdout.decode()
    assert "date=2019-02-01" in saved.stdout.decode() and 'extra={"Folder colour": "blue"}' in saved.stdout.decode()
    done = run(["import", str(source), "--map", "Case no.=external_id", "--map", "Day of the strike=date_start",
                "--map", "Reported by=source_name", "--map", "What they wrote=quote", "--map",
                "Folder colour=extra", "--save-mapping", str(mapping), "--empty"], db)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(mapping.read_text(encoding="utf-8"))["columns"]["Case no."] == "external_id"
    again = run(["import", str(source), "--mapping", str(mapping)], db)
    assert again.returncode == 0, again.stderr.decode()
    assert again.stdout.decode().startswith("0 new, 0 updated, 1 unchanged, 0 rejected of 1 row(s) (csv)")


def test_an_unknown_column_stops_the_import_with_what_to_do(db, tmp_path):
    source = tmp_path / "own.csv"
    source.write_text(UNUSUAL_CSV, encoding="utf-8")
    done = run(["import", str(source), "--empty"], db)
    assert done.returncode == 2
    assert "no field for column(s) 'Case no.'" in done.stderr.decode() and "Traceback" not in done.stderr.decode()
