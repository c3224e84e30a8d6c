"""Command line: ``python -m geodata geocode [NAME ...]`` and ``python -m geodata build``.

``geocode`` prints one JSON object per name and line::

    {"query": str, "match": null | PLACE, "candidates": [PLACE, ...]}

with PLACE = {"id", "name_ar", "name_en", "lat", "lon", "kind", "admin1", "admin2", "admin3",
"precision", "score"}. Without NAME arguments it reads one name per line from stdin (UTF-8 whatever
the locale) and answers each line as it arrives, so other programs can drive it through a pipe.
A line the geocoder fails on (a bug: it should answer any text) is answered with
``{"query", "match": null, "candidates": [], "error": str}`` and a line on stderr, and the lines
after it are still answered. Other errors are one line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from geodata.errors import GeodataError, UsageError

if TYPE_CHECKING:
    from geodata.gazetteer import Gazetteer

PROG = "python -m geodata"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and an exception, not usage text and exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{PROG} --help`)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Gazetteer and geocoder for Deir ez-Zor and Syria.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    geocode = commands.add_parser("geocode", help="geocode names given as arguments or one per line on stdin")
    geocode.add_argument("names", nargs="*", metavar="NAME", help="place names; read stdin when absent")
    geocode.add_argument("--context", help="a town, district or governorate containing the places")
    build = commands.add_parser("build", help="regenerate geodata/data from the staged sources")
    build.add_argument("--sources", type=Path, help="source folder (default ../shared/geodata-sources)")
    return parser


def _utf8_stdout() -> TextIO:
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors="replace", newline="\n")
        return stream
    return stream


def _stdin_lines() -> Iterable[str]:
    buffer = getattr(sys.stdin, "buffer", None)
    stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="replace", newline=None) if buffer else sys.stdin
    for line in stream:
        yield line.rstrip("\r\n")


def _run_geocode(names: Sequence[str], context: str | None) -> int:
    from geodata.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    out = _utf8_stdout()
    source: Iterable[str] = names if names else _stdin_lines()
    for name in source:
        out.write(json.dumps(_answer(gazetteer, name.strip(), context), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _answer(gazetteer: Gazetteer, name: str, context: str | None) -> dict[str, object]:
    """One line's answer; a line the geocoder fails on is answered with an ``error`` and the batch goes on."""
    try:
        return gazetteer.geocode(name, context=context).to_dict()
    except Exception as error:  # noqa: BLE001 - one bad line must not stop the lines after it
        message = f"internal error: {type(error).__name__}: {error}"
        print(f"geodata: {message} (line {name[:80]!r}; continuing)", file=sys.stderr)
        return {"query": name, "match": None, "candidates": [], "error": message}


def _run_build(sources: Path | None) -> int:
    from geodata.build import build

    report = build(sources)
    counts = ", ".join(f"{count} {level} areas" for level, count in report.boundaries.items())
    print(f"wrote {len(report.files)} files: {report.places} places, {counts}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status: 0 on success, 1 on a data or input error, 2 on a usage error, 130 when
        interrupted.
    """
    try:
        args = _parser().parse_args(argv)
        if args.command == "geocode":
            return _run_geocode(args.names, args.context)
        if args.command == "build":
            return _run_build(args.sources)
        raise UsageError(f"expected a command, geocode or build (see `{PROG} --help`)")
    except UsageError as error:
        print(f"geodata: error: {error}", file=sys.stderr)
        return 2
    except GeodataError as error:
        print(f"geodata: error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): stop quietly
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the CLI promises no tracebacks
        print(f"geodata: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
