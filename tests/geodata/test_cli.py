"""The command-line interface other tools call: output shape, encodings, errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.model import MATCH_KEYS, GeocodeResult

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


def test_batch_goes_on_past_a_name_with_a_number() -> None:
    """«Badia 24» once raised KeyError and stopped the batch: every line gets its answer."""
    names = ["Hajin", "Badia 24", "24", "٢٤", "Badia 24, Mayadin", "الشعفة"]
    results = _lines(_run(["geocode"], "\n".join(names) + "\n"))
    assert [r["query"] for r in results] == names
    assert results[0]["match"]["id"] == "wof:890449895"
    assert results[-1]["match"] is not None
    assert all("error" not in r for r in results)


class _FailingGazetteer:
    """Answers every name but one, on which it fails as a bug would."""

    def geocode(self, name: str, context: str | None = None) -> GeocodeResult:
        if name == "boom":
            raise KeyError("none")
        return GeocodeResult(query=name, match=None, candidates=[])


def test_a_line_that_fails_is_answered_with_an_error_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import geodata.gazetteer
    from geodata.cli import main

    monkeypatch.setattr(geodata.gazetteer, "load_gazetteer", lambda: _FailingGazetteer())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"first\nboom\nlast\n")))
    assert main(["geocode"]) == 0
    captured = capsys.readouterr()
    results = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["query"] for r in results] == ["first", "boom", "last"]
    assert results[1]["match"] is None and "KeyError" in results[1]["error"]
    assert "error" not in results[2]
    assert "continuing" in captured.err and "Traceback" not in captured.err


def test_context_option_lets_a_far_village_be_matched() -> None:
    """Without context a village far from Deir ez-Zor is offered as a candidate; --context points there."""
    plain, with_context = _lines(_run(["geocode", "تل التبن"])), _lines(_run(["geocode", "--context", "محافظة الحسكة", "تل التبن"]))
    assert plain[0]["match"] is None and plain[0]["candidates"][0]["admin1"] == "SY08"
    assert with_context[0]["match"]["admin1"] == "SY08"
