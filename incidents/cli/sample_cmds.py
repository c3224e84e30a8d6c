"""``sample-build``: rebuild the bundled sample incidents from the annotated development reports."""

from __future__ import annotations

import argparse
from pathlib import Path

from incidents.domain.errors import IncidentsError
from incidents.services.sample import SAMPLE_PATH

DEFAULT_REPORTS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev-reports"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sample-build`` command."""
    cmd = subparsers.add_parser("sample-build", help="rebuild incidents/data/sample_incidents.geojson (build step)")
    cmd.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help="folder of annotated reports")
    cmd.add_argument("-o", "--output", type=Path, default=SAMPLE_PATH)
    cmd.set_defaults(handler=run_sample_build)


def run_sample_build(args: argparse.Namespace) -> int:
    """Write the sample file; print how many incidents it holds."""
    from geodata import load_gazetteer
    from incidents.io.exporter import export_incidents
    from incidents.services.sample_build import build_sample

    if not args.reports.is_dir():
        raise IncidentsError(f"no folder of reports at {args.reports}")
    incidents = build_sample(args.reports, load_gazetteer())
    about = ("Sample incidents of real published reports (annotated development set); sources named, "
             "sentences quoted. Rebuilt by `python -m incidents sample-build`.")
    args.output.write_bytes(export_incidents(incidents, "geojson", about=about))
    print(f"{len(incidents)} sample incidents written to {args.output}")
    return 0
