"""Collecting figures and writing them out: ``bench/RESULTS.md`` and the closing ``RESULT key=value`` line."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata

from bench.timing import Stats

#: Keys the RESULT line always carries ("na" when the run did not measure them).
REQUIRED_KEYS = ("map_bytes_1m", "filter_ms_1m", "server_ms_1m", "browser_update_s_1m", "first_map_s",
                 "session_first_map_s_10k", "server_ready_s_10k", "timeline_drag_s_10k", "browser_update_s_10k",
                 "rss_mb_1m", "payload_ratio_vs_markercluster_100k", "render_ratio_vs_markercluster_100k",
                 "geocode_per_s", "extract_ms_per_1000_words", "import_rows_per_s_sqlite",
                 "import_rows_per_s_postgresql")

#: (key, comparison, threshold, what the issue asks)
TARGETS = (
    ("server_ms_1m", "<=", 50.0, "1M: filter change → map and timeline data ≤ 50 ms on the server (#16)"),
    ("browser_update_s_1m", "<=", 0.6, "1M: the browser shows the new map ≤ 0.6 s after a filter change (#16)"),
    ("session_first_map_s_10k", "<=", 1.5, "10k, warm server: a new session's first map ≤ 1.5 s after the request"),
    ("server_ready_s_10k", "<=", 3.0, "10k: first page answered ≤ 3 s after make run starts the server"),
    ("timeline_drag_s_10k", "<=", 0.7, "10k: timeline drag → new selection drawn ≤ 0.7 s"),
    ("browser_update_s_10k", "<=", 0.5, "10k: filter change → new map ≤ 0.5 s"),
    ("rss_mb_1m", "<=", 1536.0, "1M: resident size of the dashboard ≤ 1.5 GB"),
    ("map_bytes_max", "<=", 300_000, "map payload ≤ 300 KB at any size"),
    ("payload_ratio_vs_markercluster_100k", ">=", 50.0, "100k: map payload ≥ 50× smaller than MarkerCluster"),
    ("render_ratio_vs_markercluster_100k", ">=", 20.0, "100k: data → drawn map ≥ 20× faster than MarkerCluster"),
    ("first_map_s", "<=", 3.0, "start to first map ≤ 3 s (process start, warm-up included)"),
    ("geocode_per_s", ">=", 5000.0, "geocoder ≥ 5,000 names/s"),
    ("extract_ms_per_1000_words", "<=", 200.0, "extraction ≤ 0.2 s per 1,000 words"),
    ("import_rows_per_s_sqlite", ">=", 20000.0, "import ≥ 20,000 rows/s into SQLite"),
)


def size_label(size: int) -> str:
    """Return the short label of a size: 10000 → "10k", 1000000 → "1m", 2500 → "2.5k"."""
    if size >= 1_000_000 and size % 100_000 == 0:
        return f"{size / 1_000_000:g}m"
    if size >= 1000 and size % 100 == 0:
        return f"{size / 1000:g}k"
    return str(size)


@dataclass
class Figure:
    """One measured figure."""

    section: str
    name: str
    size: int | None
    stats: Stats | None
    unit: str
    note: str = ""
    text: str | None = None  # a figure that is not a number (e.g. "skipped: …")


@dataclass
class Results:
    """Every figure, profile and note of one run."""

    figures: list[Figure] = field(default_factory=list)
    keys: dict[str, float | str] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, section: str, name: str, stats: Stats | float | None, unit: str, *, size: int | None = None,
            note: str = "", key: str | None = None) -> None:
        """Record a figure (``stats`` may be a single number); also a RESULT key from its median."""
        if isinstance(stats, int | float):
            stats = Stats((float(stats),))
        self.figures.append(Figure(section, name, size, stats, unit, note))
        if key is not None and stats is not None:
            self.keys[key] = stats.median

    def skip(self, section: str, name: str, why: str, *, size: int | None = None) -> None:
        """Record that a figure was not measured, and why."""
        self.figures.append(Figure(section, name, size, None, "", text=f"not measured: {why}"))

    def median(self, section: str, name: str, size: int | None = None) -> float | None:
        """Return the median of a recorded figure, or None."""
        for figure in self.figures:
            if figure.section == section and figure.name == name and figure.size == size and figure.stats:
                return figure.stats.median
        return None

    def result_line(self) -> str:
        """Return ``RESULT key=value ...`` with every required key, then the rest in recorded order."""
        keys = dict.fromkeys(REQUIRED_KEYS, "na") | {k: v for k, v in self.keys.items() if k in REQUIRED_KEYS}
        keys |= {k: v for k, v in self.keys.items() if k not in REQUIRED_KEYS}
        return "RESULT " + " ".join(f"{k}={_short(v)}" for k, v in keys.items())


def _short(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if math.isnan(value) or math.isinf(value):
        return "na"
    if abs(value) >= 100 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.3g}"


def _cell(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def machine_description() -> list[str]:
    """Return lines describing the machine and the libraries (what the figures were measured on)."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = []
    for package in ("pandas", "numpy", "pyarrow", "streamlit", "streamlit-folium", "folium", "SQLAlchemy",
                    "duckdb", "playwright"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return [f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory:.0f} GiB",
            f"- OS: {platform.platform()}; Python {platform.python_version()}",
            f"- Libraries: {', '.join(versions)}",
            f"- Browser: {_chromium_version()}; PostgreSQL: {_postgres_version()}"]


def _chromium_version() -> str:
    try:
        out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20)
        return out.stdout.strip() or "chromium (version unknown)"
    except (OSError, subprocess.SubprocessError):
        return "no chromium"


def _postgres_version() -> str:
    try:
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
                             capture_output=True, text=True, timeout=20)
        return out.stdout.strip() or "unreachable"
    except (OSError, subprocess.SubprocessError):
        return "unreachable"


def _figure_rows(figures: list[Figure]) -> list[str]:
    rows = ["| figure | size | median | min | max | runs | unit | note |", "|---|---:|---:|---:|---:|---:|---|---|"]
    for f in figures:
        size = f"{f.size:,}" if f.size is not None else ""
        if f.stats is None:
            rows.append(f"| {f.name} | {size} | {f.text} | | | | | {f.note} |")
            continue
        s = f.stats
        rows.append(f"| {f.name} | {size} | {_cell(s.median, f.unit)} | {_cell(s.min, f.unit)} | "
                    f"{_cell(s.max, f.unit)} | {s.n} | {f.unit} | {f.note} |")
    return rows


def target_rows(keys: dict[str, float | str]) -> list[str]:
    """Return the Markdown table of the issue's targets against the measured keys."""
    rows = ["| target | measured | met |", "|---|---:|---|"]
    for key, op, threshold, text in TARGETS:
        value = keys.get(key)
        if not isinstance(value, int | float) or math.isnan(value):
            rows.append(f"| {text} | not measured | – |")
            continue
        met = value <= threshold if op == "<=" else value >= threshold
        rows.append(f"| {text} | {_short(value)} (`{key}`) | {'yes' if met else '**no**'} |")
    return rows


def write_markdown(results: Results, command: str, intro: list[str]) -> str:
    """Return the whole RESULTS.md text."""
    lines = ["# Benchmark results", "", *intro, "",
             f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`.", "", "## Machine", "",
             *machine_description(), "", "## Targets of issue #6", "", *target_rows(results.keys), ""]
    sections = list(dict.fromkeys(f.section for f in results.figures))
    for section in sections:
        lines += [f"## {section}", "", *_figure_rows([f for f in results.figures if f.section == section]), ""]
    if results.notes:
        lines += ["## Notes", "", *[f"- {n}" for n in results.notes], ""]
    for title, text in results.profiles.items():
        lines += [f"## Profile: {title}", "", "```", text, "```", ""]
    lines += ["## RESULT line", "", "```", results.result_line(), "```", ""]
    return "\n".join(lines)
