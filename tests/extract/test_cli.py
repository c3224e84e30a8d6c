"""The ``extract`` and ``ingest`` commands, run as other tools run them (subprocess, bundled gazetteer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from incidents.extract import CLI_KEYS
from incidents.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # each command loads the bundled gazetteer
PLACE_KEYS = {"id", "name_ar", "name_en", "lat", "lon", "kind", "admin1", "admin2", "admin3", "precision", "score"}
REPORT = "قتل 3 مدنيين أمس بغارة جوية لطيران التحالف الدولي على بلدة هجين بريف دير الزور الشرقي.\n"


def run(args: list[str], stdin: bytes | None = None, db: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "INCIDENTS_AUTH": "local"}
    if db:
        env["DATABASE_URL"] = db
    return subprocess.run([sys.executable, "-m", "incidents", *args], input=stdin, capture_output=True, env=env,
                          cwd=ROOT, timeout=180)


def _candidates(done: subprocess.CompletedProcess) -> list[dict]:
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert isinstance(data, list)
    for candidate in data:
        assert tuple(candidate) == CLI_KEYS
        assert candidate["place"] is None or set(candidate["place"]) == PLACE_KEYS
    return data


def test_extract_prints_the_candidates_as_json(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    [candidate] = _candidates(run(["extract", "--published", "2018-11-24", "--source", "SANA", str(report)]))
    assert candidate["place_text"] == "هجين"
    assert candidate["place"]["admin1"] == "SY09"
    assert (candidate["actor"], candidate["event_type"]) == ("coalition", "air_strike")
    assert (candidate["date_start"], candidate["date_precision"]) == ("2018-11-23", "day")
    assert (candidate["killed_min"], candidate["killed_max"], candidate["civilians"]) == (3, 3, "yes")
    assert candidate["quote"] in REPORT


@pytest.mark.parametrize(("args", "stdin", "name"), [
    (["extract", "-"], REPORT.encode("utf-8"), "stdin"),
    (["extract", "-"], REPORT.encode("utf-16"), "utf-16 stdin"),
    (["extract", "{html}"], None, "html file"),
])
def test_extract_reads_stdin_and_html(tmp_path: Path, args: list[str], stdin: bytes | None, name: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><script>x=1</script><p>{REPORT}</p></body></html>", encoding="utf-8")
    args = [a.replace("{html}", str(page)) for a in args]
    [candidate] = _candidates(run(args, stdin=stdin))
    assert candidate["date_start"] is None and candidate["date_precision"] == "unknown", name


def test_extract_of_a_text_without_incidents_is_an_empty_list() -> None:
    assert _candidates(run(["extract", "-"], stdin=b"Weather: sunny over the Euphrates.")) == []


@pytest.mark.parametrize(("args", "message"), [
    (["extract", "--published", "24/11/2018", "-"], "not a date"),
    (["extract", "no-such-report.txt"], "error: no such file"),
])
def test_extract_errors_are_one_line(args: list[str], message: str) -> None:
    done = run(args, stdin=b"")
    assert done.returncode == 2
    assert message in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()


def test_ingest_stores_drafts_all_or_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.html").write_text("<p>أعدم تنظيم داعش شابين رمياً بالرصاص في بلدة الشعفة.</p>", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,source,url,published\na.txt,SANA,https://example.org/a,2018-11-24\n"
                                         "b.html,Step News,,\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'ingest.sqlite3'}"
    dry = run(["ingest", "--dry-run", str(folder)], db=db)
    assert dry.returncode == 0, dry.stderr.decode()
    assert "2 draft incident(s) would be stored" in dry.stdout.decode()
    done = run(["ingest", "--empty", str(folder)], db=db)
    assert done.returncode == 0, done.stderr.decode()
    assert "stored 2 draft incident(s) from 2 report(s)" in done.stdout.decode()
    store = Store.open(db, sample=False)
    try:
        stored = store.list_incidents()
    finally:
        store.engine.dispose()
    assert sorted((i.place_text, i.status, i.grading, i.claims[0].source_name) for i in stored) == [
        ("الشعفة", "draft", "unassessed", "Step News"), ("هجين", "draft", "unassessed", "SANA")]


def test_ingest_without_manifest_says_what_is_expected(tmp_path: Path) -> None:
    done = run(["ingest", str(tmp_path)])
    assert done.returncode == 2
    assert "manifest.csv or manifest.json" in done.stderr.decode()
