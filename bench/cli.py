"""``python -m bench``: every benchmark of issue #6 in one run, written to ``bench/RESULTS.md``.

For each size: bench stores (generated once, reused while the generator is unchanged) → loading → one
filter change on the server → map and timeline builds → folium baselines on the same incidents → browser
render of the saved maps → AppTest reruns → the real dashboard in chromium. Then import, geocoder and
extractor speed. The last line of stdout is ``RESULT key=value ...``.

``--quick`` is the CI smoke run (small sizes, two repetitions, under two minutes): figures are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import gc
import shlex
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import app_bench, browser, data_bench, io_bench, maps, quality_speed, stores, synth
from bench.results import Results, size_label, write_markdown
from bench.stores import BenchStore
from bench.timing import Stats

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RESULTS = ROOT / "bench" / "RESULTS.md"
QUICK_RESULTS = stores.OUT_DIR / "RESULTS-quick.md"
SECTION_STORES = "Bench stores (synthetic data)"
SECTION_RENDER = "Browser: saved maps drawn (chromium)"
SECTION_RATIOS = "Ratios against folium's MarkerCluster"
STAGES = ("load", "filter", "maps", "baselines", "render", "apptest", "browser", "import", "geocode", "extract")

INTRO = [
    "Figures of `python -m bench` (see `bench/__init__.py`). All data is synthetic and labelled so: source "
    "\"SYNTHETIC benchmark data (source NN)\", tag \"synthetic\", a description saying it is not a real event; "
    "places are real gazetteer places (Deir ez-Zor governorate 88 %, its neighbours near the border 12 %), "
    "with week/month/year date ranges (17 %) and sub-district/district locations (12 %).",
    "Medians are quoted; min and max show the spread of repeated runs. The machine has two cores shared with "
    "other work, so single figures can wander by tens of percent between runs.",
]


@dataclass
class Options:
    """What to run."""

    sizes: tuple[int, ...]
    repeats: int
    quick: bool
    seed: int
    postgres: bool
    baseline_max: int
    import_rows: int
    skip: frozenset[str]
    results_path: Path
    browser_timeout: float
    geocode_limit: int | None


def parse_args(argv: list[str] | None = None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated incident counts (default 10000,100000,1000000)")
    parser.add_argument("--quick", action="store_true", help="CI smoke run: small sizes, fewer repeats")
    parser.add_argument("--repeats", type=int, help="repetitions per figure (default 5; quick 2)")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--baseline-max", type=int,
                        help="largest size for marker-per-incident and MarkerCluster (default 100000; quick 1000)")
    parser.add_argument("--import-rows", type=int, help="rows of the import CSV (default 20000; quick 1000)")
    parser.add_argument("--skip", default="", help=f"comma-separated stages to skip: {','.join(STAGES)}")
    parser.add_argument("--results", type=Path, help="where to write the Markdown results")
    parser.add_argument("--browser-timeout", type=float, default=1800.0, help="seconds to wait for a map")
    args = parser.parse_args(argv)
    quick = bool(args.quick)
    sizes = args.sizes or ("1000,3000" if quick else "10000,100000,1000000")
    return Options(
        sizes=tuple(sorted(int(s) for s in sizes.split(",") if s.strip())), repeats=args.repeats or (2 if quick else 5),
        quick=quick, seed=args.seed, postgres=not args.no_postgres and stores.postgres_reachable(),
        baseline_max=args.baseline_max if args.baseline_max is not None else (1000 if quick else 100_000),
        import_rows=args.import_rows or (500 if quick else 20_000),
        skip=frozenset(s.strip() for s in args.skip.split(",") if s.strip()),
        results_path=args.results or (QUICK_RESULTS if quick else DEFAULT_RESULTS),
        browser_timeout=args.browser_timeout, geocode_limit=200 if quick else None)


def log(message: str) -> None:
    """Print a progress line to stderr (stdout ends with the RESULT line)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def stage(options: Options, name: str, results: Results, fn: Callable[[], object]) -> None:
    """Run one stage unless skipped; a failure is recorded, logged and does not stop the run."""
    if name in options.skip:
        return
    try:
        fn()
    except Exception as error:  # noqa: BLE001 - one broken stage must not lose the others' figures
        log(f"{name} failed: {type(error).__name__}: {error}")
        results.notes.append(f"Stage `{name}` failed: {type(error).__name__}: {str(error).splitlines()[0][:300]}")


# -- per size -------------------------------------------------------------------------------------------------


def prepare(options: Options, results: Results, size: int, places) -> dict[str, BenchStore]:
    """Return the bench stores of ``size`` (generated and written if needed), recording the timings."""
    prepared: dict[str, BenchStore] = {}
    data = None
    for backend in ("sqlite", "postgresql") if options.postgres else ("sqlite",):
        url = stores.sqlite_url(size) if backend == "sqlite" else stores.pg_url(f"incidents_bench_{size}")
        if data is None and not stores._stamped(url, stores.stamp(size, options.seed)):
            start = time.perf_counter()
            data = synth.generate(size, options.seed, places)
            results.add(SECTION_STORES, "generate (vectorised)", time.perf_counter() - start, "s", size=size,
                        note=f"{len(data.claims):,} claims")
        prepared[backend] = stores.prepare_store(backend, size, options.seed, data=data, places=places)
        written = prepared[backend].write_s
        if written is not None:
            note = "executemany, one transaction" if backend == "sqlite" else "COPY"
            results.add(SECTION_STORES, f"write ({backend})", written, "s", size=size, note=note)
    return prepared


def measure_size(options: Options, results: Results, size: int, places, first: bool, last: bool) -> None:
    """Run every per-size stage for ``size`` incidents."""
    log(f"size {size:,}: stores")
    prepared = prepare(options, results, size, places)
    sqlite = prepared["sqlite"]
    if "load" not in options.skip:
        log(f"size {size:,}: loading")
        incidents, claims = data_bench.measure_reads(results, sqlite, options.repeats)
        if "postgresql" in prepared:
            stage(options, "load", results, lambda: data_bench.measure_reads(results, prepared["postgresql"],
                                                                                options.repeats))
        if first:
            data_bench.profile_product_builder(results, incidents, claims, min(size, 2000))
        prepared_frame = data_bench.measure_builders(results, size, incidents, claims, options.repeats)
        data_bench.measure_parquet(results, size, prepared_frame, options.repeats)
        del incidents, claims, prepared_frame
        gc.collect()
    log(f"size {size:,}: dashboard data")
    loaded = data_bench.load_dashboard_data(results, sqlite)
    measure_server(options, results, loaded, last)
    measure_maps(options, results, loaded)
    del loaded
    gc.collect()
    if options.quick and not last:
        return  # the smoke run starts the dashboard once, at its largest size
    log(f"size {size:,}: AppTest")
    stage(options, "apptest", results, lambda: app_bench.measure_apptest(results, sqlite, options.repeats))
    gc.collect()
    log(f"size {size:,}: browser")
    stage(options, "browser", results, lambda: app_bench.measure_browser(
        results, sqlite, options.repeats, stores.OUT_DIR, options.browser_timeout))


def measure_server(options: Options, results: Results, loaded: data_bench.Loaded, last: bool) -> None:
    """Filter-change figures on the loaded data (profiled at the largest size)."""
    if "filter" in options.skip:
        return
    log(f"size {loaded.store.size:,}: filter change")
    data_bench.measure_interaction(results, loaded, options.repeats)
    data_bench.measure_selection(results, loaded, options.repeats)
    data_bench.measure_text_filter(results, loaded, options.repeats)
    stage(options, "filter", results, lambda: data_bench.measure_duckdb(results, loaded, options.repeats))
    if last:
        data_bench.profile_interaction(results, loaded)


def measure_maps(options: Options, results: Results, loaded: data_bench.Loaded) -> None:
    """Map/timeline builds, baselines, and their render in chromium."""
    out = stores.OUT_DIR / "maps"
    out.mkdir(parents=True, exist_ok=True)
    built: list[maps.BuiltMap] = []
    if "maps" not in options.skip:
        log(f"size {loaded.store.size:,}: map and timeline")
        built.append(maps.measure_product_map(results, loaded, out, options.repeats))
        maps.measure_timeline(results, loaded, options.repeats)
    if "baselines" not in options.skip:
        log(f"size {loaded.store.size:,}: baselines")
        built += maps.measure_baselines(results, loaded, out, options.repeats, options.baseline_max)
    if "render" not in options.skip and built:
        log(f"size {loaded.store.size:,}: render saved maps")
        stage(options, "render", results, lambda: render_saved(options, results, loaded.store.size, built))
    ratios(results, loaded.store.size)


def render_saved(options: Options, results: Results, size: int, built: list[maps.BuiltMap]) -> None:
    """Draw each saved map in chromium (CDN URLs pointed at local copies)."""
    assets = browser.local_assets()
    with browser.file_server() as base, browser.chromium() as context:
        for item in built:
            html = item.path.read_text(encoding="utf-8")
            item.path.write_text(browser.localise_html(html, assets), encoding="utf-8")
            runs = 1 if item.html_bytes > 5_000_000 else options.repeats
            url = f"{base}/{item.path.relative_to(ROOT)}"
            timeout = 30 + 30 * item.html_bytes / 1e6
            stats = Stats(tuple(browser.render_time(context, url, timeout) for _ in range(max(1, runs))))
            results.add(SECTION_RENDER, f"{item.name}: page load → map drawn", stats, "s", size=size,
                        note=f"{item.html_bytes / 1e6:.2f} MB page", key=f"{item.name}_render_s_{size_label(size)}")


def ratios(results: Results, size: int) -> None:
    """Payload and data → drawn-map ratios of MarkerCluster against the dashboard's map, where both exist."""
    label = size_label(size)
    keys = results.keys
    needed = (f"markercluster_bytes_{label}", f"map_bytes_{label}", f"markercluster_build_s_{label}",
              f"map_build_ms_{label}")
    if not all(isinstance(keys.get(k), float) for k in needed):
        return
    payload = float(keys[needed[0]]) / float(keys[needed[1]])
    results.add(SECTION_RATIOS, "payload: MarkerCluster HTML / dashboard map HTML", payload, "×", size=size,
                key=f"payload_ratio_vs_markercluster_{label}")
    ours_render = keys.get(f"dashboard_render_s_{label}")
    theirs_render = keys.get(f"markercluster_render_s_{label}")
    if isinstance(ours_render, float) and isinstance(theirs_render, float):
        ours = float(keys[needed[3]]) / 1000 + ours_render
        theirs = float(keys[needed[2]]) + theirs_render
        results.add(SECTION_RATIOS, "data → drawn map: MarkerCluster / dashboard", theirs / ours, "×", size=size,
                    note=f"{theirs:.2f} s against {ours:.2f} s (build + browser)",
                    key=f"render_ratio_vs_markercluster_{label}")
        results.add(SECTION_RATIOS, "browser only: MarkerCluster / dashboard", theirs_render / ours_render, "×",
                    size=size)


# -- the whole run --------------------------------------------------------------------------------------------


def measure_once_per_run(options: Options, results: Results) -> None:
    """Import, geocoder and extractor figures."""
    backends = ("sqlite", "postgresql") if options.postgres else ("sqlite",)
    log("import")
    stage(options, "import", results, lambda: io_bench.measure_import(
        results, options.import_rows, min(options.repeats, 3), backends))
    log("geocoder")
    stage(options, "geocode", results, lambda: quality_speed.measure_geocoder(
        results, options.repeats, options.geocode_limit))
    log("extractor")
    stage(options, "extract", results, lambda: quality_speed.measure_extractor(
        results, 1 if options.quick else min(options.repeats, 3)))


def headline_keys(options: Options, results: Results) -> None:
    """Fill the RESULT keys that summarise several figures."""
    keys = results.keys
    first = [k for k in keys if k.startswith("first_map_s_")]
    if first:
        keys["first_map_s"] = keys[f"first_map_s_{size_label(options.sizes[0])}"] \
            if f"first_map_s_{size_label(options.sizes[0])}" in keys else keys[first[0]]
    sizes = [v for k, v in keys.items() if k.startswith("map_bytes_") and isinstance(v, float)]
    if sizes:
        keys["map_bytes_max"] = max(sizes)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; print the RESULT line last; write the Markdown results."""
    options = parse_args(argv)
    data_bench.quiet_streamlit()
    results = Results()
    command = "python -m bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    if not options.postgres:
        results.notes.append("PostgreSQL not reachable (or --no-postgres): SQLite figures only.")
    places = synth.load_places()
    options.results_path.parent.mkdir(parents=True, exist_ok=True)
    for index, size in enumerate(options.sizes):
        measure_size(options, results, size, places, first=index == 0, last=index == len(options.sizes) - 1)
        options.results_path.write_text(write_markdown(results, command.strip(), INTRO), encoding="utf-8")
    measure_once_per_run(options, results)
    headline_keys(options, results)
    options.results_path.write_text(write_markdown(results, command.strip(), INTRO), encoding="utf-8")
    log(f"results written to {options.results_path}")
    print(results.result_line(), flush=True)
    return 0
