"""Smoke test of the benchmark harness: the quick mode runs on a tiny store and ends with a full RESULT line.

Figures are printed, never asserted (timings belong to ``bench/RESULTS.md``, not to tests); this only checks
that every stage ran and reported the keys the issue asks for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.results import REQUIRED_KEYS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_mode_ends_with_the_result_line(tmp_path):
    results = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--sizes", "400", "--no-postgres", "--repeats", "1",
         "--skip", "render,browser,geocode,extract", "--import-rows", "100", "--results", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("RESULT ")
    pairs = dict(item.split("=", 1) for item in last.split()[1:])
    assert set(REQUIRED_KEYS) <= set(pairs)
    for key in ("filter_ms_400", "server_ms_400", "map_bytes_400", "timeline_bytes_400", "import_rows_per_s_sqlite",
                "markercluster_bytes_400", "payload_ratio_vs_markercluster_400", "apptest_rerun_s_400"):
        assert pairs.get(key, "na") != "na", f"{key} missing from: {last}"
        float(pairs[key])
    text = results.read_text(encoding="utf-8")
    assert "## Targets of issue #6" in text and "SYNTHETIC" in text
