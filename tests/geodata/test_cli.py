"""The command-line interface other tools call: output shape, encodings, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.model import MATCH_KEYS

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geodata", *args],
        input=stdin.encode("utf-8") if stdin is not None else None,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=120,
        check=False,
    )


def _lines(process: subprocess.CompletedProcess[bytes]) -> list[dict]:
    assert process.returncode == 0, process.stderr.decode()
    return [json.loads(line) for line in process.stdout.decode("utf-8").splitlines()]


def test_stdin_acceptance_in_c_locale() -> None:
    names = ["البقعان", "Al Buqan", "الشعفة", "Sha’fa", "البوبدران", "Baghuz Fawqani"]
    process = _run(["geocode"], "\n".join(names) + "\n", env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": ""})
    results = _lines(process)
    assert [r["query"] for r in results] == names
    for result in results:
        assert list(result) == ["query", "match", "candidates"]
        assert result["match"] is not None
        assert tuple(result["match"]) == MATCH_KEYS
        assert all(tuple(c) == MATCH_KEYS for c in result["candidates"])
    assert "البقعان" in process.stdout.decode("utf-8")  # ensure_ascii=False


def test_arguments_and_nulls() -> None:
    results = _lines(_run(["geocode", "Hajin", "Xqzvbnm"]))
    assert results[0]["match"]["id"] == "wof:890449895"
    assert results[0]["match"]["admin1"] == "SY09"
    assert results[1]["match"] is None


def test_blank_and_crlf_lines_keep_one_output_per_line() -> None:
    results = _lines(_run(["geocode"], "Hajin\r\n\r\nالشعفة\r\n"))
    assert [r["query"] for r in results] == ["Hajin", "", "الشعفة"]
    assert results[1]["match"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["geocode", "--bogus"], 2, "unrecognized arguments"),
        ([], 2, "expected a command"),
        (["teleport"], 2, "invalid choice"),
        (["build", "--sources", "/nonexistent/folder"], 1, "Expected a folder of geodata sources"),
    ],
)
def test_errors_are_one_line_without_traceback(args: list[str], code: int, message: str) -> None:
    process = _run(args)
    stderr = process.stderr.decode("utf-8")
    assert process.returncode == code
    assert message in stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
