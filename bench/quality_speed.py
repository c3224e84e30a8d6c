"""Speed of the geocoder and the extractor, through the evaluation scripts' own functions.

* Geocoder: ``bench.geocode_eval`` builds its labelled queries (held-out real spellings of the gazetteer's
  places, and the dev reports' gold place names) and times ``Gazetteer.geocode`` over them with cold
  normalisation caches; the bench keeps its names-per-second figure for each repetition.
* Extractor: ``incidents.extract.extract_candidates`` on each development report's text, as
  ``bench/extract_eval.py`` calls it (reports read at run time from ``shared/eval/dev-reports``; nothing is
  copied); words are whitespace-separated tokens.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench.results import Results
from bench.timing import Stats, once

SECTION_QUALITY = "Import, geocoding, extraction"


def dev_reports_dir() -> Path | None:
    """Return the development reports' folder (``BENCH_DEV_REPORTS`` or the shared folder), if present."""
    explicit = os.environ.get("BENCH_DEV_REPORTS")
    candidates = [Path(explicit)] if explicit else []
    root = Path(__file__).resolve().parents[1]
    candidates += [root.parent / "shared" / "eval" / "dev-reports", Path("/work/shared/eval/dev-reports")]
    return next((c for c in candidates if c.is_dir()), None)


def measure_geocoder(results: Results, repeats: int, limit: int | None = None) -> None:
    """Time the geocoder over the evaluation's labelled queries (names per second)."""
    try:
        from bench import geocode_eval
        from geodata import load_gazetteer

        gazetteer = load_gazetteer()
    except Exception as error:  # noqa: BLE001 - report why instead of failing the whole run
        results.skip(SECTION_QUALITY, "geocoder", f"gazetteer unavailable ({type(error).__name__}: {error})")
        return
    cases = geocode_eval.held_out_cases(gazetteer)
    folder = dev_reports_dir()
    if folder is not None:
        cases += geocode_eval.dev_report_cases(folder)
    cases = cases[:limit] if limit else cases
    rates = [geocode_eval.evaluate(gazetteer, cases, repeats=1)[1] for _ in range(max(1, repeats))]
    results.add(SECTION_QUALITY, "geocoder: Gazetteer.geocode", Stats(tuple(rates)), "names/s", size=len(cases),
                note="geocode_eval's queries, cold normalisation caches", key="geocode_per_s")


def _extract(report: dict) -> tuple[float, int]:
    """Extract one report as the evaluation does (publication date only if printed); return (s, words)."""
    from datetime import date

    from incidents.extract import extract_candidates

    published = date.fromisoformat(report["published"]) if report.get("published") else None
    elapsed, _ = once(lambda: extract_candidates(report["text"], published=published,
                                                 source=report.get("source_name"), url=report.get("url")))
    return elapsed, len(report["text"].split())


def measure_extractor(results: Results, repeats: int) -> None:
    """Time ``extract_candidates`` over the development reports (milliseconds per 1,000 words)."""
    folder = dev_reports_dir()
    if folder is None:
        results.skip(SECTION_QUALITY, "extractor", "no development reports folder")
        return
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    try:
        _extract(reports[0])  # loads the gazetteer and lexicons once, as a running service has them
    except Exception as error:  # noqa: BLE001 - report why instead of failing the whole run
        results.skip(SECTION_QUALITY, "extractor", f"extraction failed ({type(error).__name__}: {error})")
        return
    values = []
    words = 0
    for _ in range(max(1, repeats)):
        timed = [_extract(r) for r in reports]
        seconds, words = sum(t for t, _ in timed), sum(w for _, w in timed)
        values.append(seconds * 1000 / (words / 1000) if words else float("nan"))
    results.add(SECTION_QUALITY, "extractor: extract_candidates", Stats(tuple(values)), "ms/1000 words",
                size=words, note=f"{len(reports)} development reports (read at run time)",
                key="extract_ms_per_1000_words")
