"""``extract`` and ``ingest``: candidate incidents from reports (issue #4).

    python -m incidents extract [--published YYYY-MM-DD] [--source NAME] [--url URL] FILE
    python -m incidents ingest [--dry-run] [--database URL] [--user NAME] DIR

``extract`` prints the candidates of one report as a JSON array with exactly the keys of
:data:`incidents.extract.CLI_KEYS`. FILE ``-`` reads standard input; ``.html``/``.htm`` files (and HTML on
standard input) are reduced to their visible text first.

``ingest`` reads a folder of reports listed in a manifest (``manifest.csv`` with columns ``file, source, url,
published``, or ``manifest.json``: a list of objects with those keys) and stores every candidate as a draft
incident with one claim, all in one transaction: if any report cannot be read or any candidate breaks a rule of
the record, nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from incidents.cli.common import acting_user, add_store_options, open_store, read_input, write_output
from incidents.domain.errors import FileFormatError
from incidents.extract import Candidate, extract_candidates
from incidents.extract.text import html_to_text, looks_like_html
from incidents.io.text import decode_text

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
#: The largest report file ``extract``/``ingest`` read (extraction takes about a minute per megabyte of text).
MAX_REPORT_BYTES = 2_000_000
#: The most text (after HTML is reduced to its visible text) one report may hold.
MAX_REPORT_CHARS = 300_000


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` command."""
    cmd = subparsers.add_parser("extract", help="propose candidate incidents from a report (JSON on standard output)")
    cmd.add_argument("file", metavar="FILE", help="the report: text or HTML (- for standard input)")
    cmd.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                     help="publication date; relative dates (yesterday, أمس) stay empty without it")
    cmd.add_argument("--source", metavar="NAME", help="the publisher's name (kept on each claim)")
    cmd.add_argument("--url", metavar="URL", help="the report's address (kept on each claim)")
    cmd.set_defaults(handler=run_extract)

    ingest = subparsers.add_parser("ingest", help="extract every report of a folder (with a manifest) and store the "
                                   "candidates as draft incidents")
    ingest.add_argument("dir", metavar="DIR", help="folder with manifest.csv or manifest.json and the reports")
    ingest.add_argument("--dry-run", action="store_true", help="extract and check, but write nothing")
    add_store_options(ingest, writes=True)
    ingest.set_defaults(handler=run_ingest)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _optional_date(value: str | None, where: str) -> date | None:
    if value is None or not str(value).strip():
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise FileFormatError(f"{where}: published must be YYYY-MM-DD; got {value!r}") from None


def read_report_text(path: str) -> str:
    """Return the text of a report file (``-``: standard input), HTML reduced to its visible text.

    Raises
    ------
    incidents.domain.errors.FileFormatError
        The bytes are not text in a known encoding.
    """
    data, name = read_input(path, limit=MAX_REPORT_BYTES)
    text, _ = decode_text(data, name)
    if path.lower().endswith(_HTML_SUFFIXES) or looks_like_html(text):
        text = html_to_text(text)
    if len(text) > MAX_REPORT_CHARS:
        raise FileFormatError(f"{name}: {len(text):,} characters of text; a report may hold at most "
                              f"{MAX_REPORT_CHARS:,} (extraction takes about a minute per megabyte): split it into "
                              "its articles")
    return text


def run_extract(args: argparse.Namespace) -> int:
    """Print the candidates of one report as a JSON array."""
    text = read_report_text(args.file)
    candidates = extract_candidates(text, published=args.published, source=args.source, url=args.url)
    payload = json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2) + "\n"
    write_output(payload.encode("utf-8"), None)
    return 0


# -- ingest -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestEntry:
    """One report of an ingest folder."""

    file: Path
    source: str | None
    url: str | None
    published: date | None


def read_manifest(folder: Path) -> list[ManifestEntry]:
    """Return the reports listed in ``folder/manifest.csv`` or ``folder/manifest.json``.

    Raises
    ------
    FileFormatError
        No manifest, a row without ``file``, a file that does not exist or lies outside the folder (an absolute
        path, ``..``, or a symbolic link pointing out), or a bad ``published`` date.
    """
    rows = _manifest_rows(folder)
    entries = []
    for number, row in enumerate(rows, start=2):
        where = f"manifest row {number}"
        name = (row.get("file") or "").strip()
        if not name:
            raise FileFormatError(f"{where}: the column 'file' is empty; name the report file")
        path = inside_folder(folder, name, where)
        if not path.is_file():
            raise FileFormatError(f"{where}: no such file {name!r} in {folder}")
        entries.append(ManifestEntry(path, (row.get("source") or "").strip() or None,
                                     (row.get("url") or "").strip() or None,
                                     _optional_date(row.get("published"), where)))
    return entries


def inside_folder(folder: Path, name: str, where: str) -> Path:
    """Return ``folder/name`` resolved, if it lies inside ``folder`` (symbolic links followed); else refuse.

    Raises
    ------
    FileFormatError
        ``name`` is absolute, climbs out with ``..``, or leads out through a symbolic link.
    """
    if Path(name).is_absolute() or Path(name).drive:
        raise FileFormatError(f"{where}: {name!r} is an absolute path; name a file inside {folder}")
    root = folder.resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(root):
        raise FileFormatError(f"{where}: {name!r} leads outside {folder} (.. or a symbolic link); ingest reads "
                              "only the files inside its folder")
    return path


def _manifest_rows(folder: Path) -> list[dict]:
    if not folder.is_dir():
        raise FileFormatError(f"no such folder: {folder}")
    csv_path = inside_folder(folder, "manifest.csv", "manifest.csv")
    json_path = inside_folder(folder, "manifest.json", "manifest.json")
    if csv_path.is_file():
        text, _ = decode_text(csv_path.read_bytes(), csv_path.name)
        return list(csv.DictReader(io.StringIO(text)))
    if json_path.is_file():
        try:
            rows = json.loads(json_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise FileFormatError(f"{json_path.name}: not valid JSON ({exc})") from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise FileFormatError(f"{json_path.name}: expected a list of objects with file, source, url, published")
        return rows
    raise FileFormatError(f"{folder} has no manifest.csv or manifest.json (columns: file, source, url, published)")


def extract_folder(entries: list[ManifestEntry]) -> list[tuple[ManifestEntry, list[Candidate]]]:
    """Return each manifest entry with the candidates of its report."""
    results = []
    for entry in entries:
        text = read_report_text(str(entry.file))
        results.append((entry, extract_candidates(text, published=entry.published, source=entry.source,
                                                  url=entry.url)))
    return results


def run_ingest(args: argparse.Namespace) -> int:
    """Extract the reports of a folder and store the candidates as draft incidents (all or nothing)."""
    from incidents.services import service

    results = extract_folder(read_manifest(Path(args.dir)))
    incidents = [c.to_incident() for _, found in results for c in found]
    for entry, found in results:
        print(f"{entry.file.name}: {len(found)} candidate(s)")
    if args.dry_run:
        print(f"dry run: {len(incidents)} draft incident(s) would be stored")
        return 0
    store, settings = open_store(args)
    user = acting_user(store, settings, args.user)
    stored = service.create_incidents(store, user, incidents, reason=f"ingested from {args.dir}",
                                      policy=service.load_policy(store))
    print(f"stored {len(stored)} draft incident(s) from {len(results)} report(s)")
    return 0
