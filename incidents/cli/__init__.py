"""The ``python -m incidents`` command line: a thin layer over the package's functions.

Each command group lives in its own module with a ``register(subparsers)`` function that adds its
sub-commands; every command's handler takes the parsed arguments and returns an exit status.
Errors of the package (:class:`incidents.domain.errors.IncidentsError`) and of the places package it reads
(:class:`geodata.errors.GeodataError`, e.g. a damaged bundled file) print one clear line and exit 2: no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from geodata.errors import GeodataError
from incidents.domain.errors import IncidentsError

COMMAND_MODULES = (
    "incidents.cli.store_cmds",
    "incidents.cli.io_cmds",
    "incidents.cli.extract_cmds",
    "incidents.cli.users_cmds",
    "incidents.cli.sample_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with the commands of every module of :data:`COMMAND_MODULES` registered.

    A command module that cannot be imported is a broken installation, not a missing feature: its error
    propagates, so that no command quietly disappears from the command line.
    """
    parser = argparse.ArgumentParser(prog="python -m incidents", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    _utf8_stdio()
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except (IncidentsError, GeodataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, the traceback on request
        if os.environ.get("INCIDENTS_DEBUG"):
            raise
        print(f"error: unexpected failure ({exc.__class__.__name__}: {exc}); nothing more was written. "
              "Run again with INCIDENTS_DEBUG=1 for the details and please report it.", file=sys.stderr)
        return 1


def _utf8_stdio() -> None:
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
