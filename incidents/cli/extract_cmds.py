"""``extract``: candidate incidents from one report, as JSON (issue #4).

    python -m incidents extract [--published YYYY-MM-DD] [--source NAME] [--url URL] FILE

FILE ``-`` reads standard input; ``.html``/``.htm`` files (and HTML on standard input) are reduced to their
visible text first. The output is a JSON array of candidates with exactly the keys of
:data:`incidents.extract.CLI_KEYS`.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from incidents.cli.common import read_input, write_output
from incidents.extract import extract_candidates
from incidents.extract.text import html_to_text, looks_like_html
from incidents.io.text import decode_text

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` command."""
    cmd = subparsers.add_parser("extract", help="propose candidate incidents from a report (JSON on standard output)")
    cmd.add_argument("file", metavar="FILE", help="the report: text or HTML (- for standard input)")
    cmd.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                     help="publication date; relative dates (yesterday, أمس) stay empty without it")
    cmd.add_argument("--source", metavar="NAME", help="the publisher's name (kept on each claim)")
    cmd.add_argument("--url", metavar="URL", help="the report's address (kept on each claim)")
    cmd.set_defaults(handler=run_extract)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def read_report_text(path: str) -> str:
    """Return the text of a report file (``-``: standard input), HTML reduced to its visible text.

    Raises
    ------
    incidents.errors.FileFormatError
        The bytes are not text in a known encoding.
    """
    data, name = read_input(path)
    text, _ = decode_text(data, name)
    if path.lower().endswith(_HTML_SUFFIXES) or looks_like_html(text):
        return html_to_text(text)
    return text


def run_extract(args: argparse.Namespace) -> int:
    """Print the candidates of one report as a JSON array."""
    text = read_report_text(args.file)
    candidates = extract_candidates(text, published=args.published, source=args.source, url=args.url)
    payload = json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2) + "\n"
    write_output(payload.encode("utf-8"), None)
    return 0
