"""``import`` and ``export``: incident files in and out of the store."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from incidents.analysis.counting import describe_totals_bilingual
from incidents.analysis.filters import FIGURES, Filter
from incidents.cli.common import acting_user, add_store_options, open_store, read_input, write_output
from incidents.domain import taxonomy
from incidents.domain.errors import ImportRejected, IncidentsError
from incidents.domain.locate import Gazetteer
from incidents.io import exporter
from incidents.services import importer, victims_io
from incidents.services.backup import refuse_database_file
from incidents.services.query import count_selection, select_incidents


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` and ``export`` commands."""
    imp = subparsers.add_parser("import", help="import incidents from a file (all rows or none)")
    imp.add_argument("file", metavar="FILE", help="the file to import (- for standard input)")
    imp.add_argument("--format", default="auto", choices=importer.FORMATS)
    imp.add_argument("--skip-invalid", action="store_true",
                     help="write the valid rows and set the rejected ones aside (see --rejected)")
    imp.add_argument("--rejected", metavar="FILE", help="where --skip-invalid writes the rejected rows "
                     "(default: FILE.rejected.csv)")
    imp.add_argument("--no-geocode", action="store_true", help="do not look up place names without coordinates")
    mapping = imp.add_argument_group("column mapping (README, \"Import\")")
    mapping.add_argument("--show-mapping", action="store_true",
                         help="print the column mapping (as a mapping file) and the first rows as they will be "
                         "stored; write nothing")
    mapping.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                         help="map a column to a field (or to extra, or ignore); repeatable")
    mapping.add_argument("--mapping", metavar="FILE", help="a saved mapping file (JSON) to start from")
    mapping.add_argument("--save-mapping", metavar="FILE", help="write the mapping used to FILE, for next time")
    mapping.add_argument("--keep-unmapped", action="store_true",
                         help="keep columns that map to no field in each incident's extra data")
    mapping.add_argument("--source", metavar="NAME", help="name of the table's own id space (default: the "
                         "mapping file's, else 'table'; acled/ucdp/airwars for those formats)")
    area = imp.add_argument_group("area (ACLED, UCDP, HXL and tables with country/governorate columns)")
    area.add_argument("--country", help="keep rows of this country only (others are reported and skipped)")
    area.add_argument("--governorate", help="keep rows of this governorate only, e.g. 'Deir ez-Zor'")
    area.add_argument("--include-outside", action="store_true", help="import rows outside the area too")
    imp.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                     help="a progress line on standard error (auto: when it is a terminal)")
    add_store_options(imp, writes=True)
    imp.set_defaults(handler=run_import)

    exp = subparsers.add_parser("export", help="export incidents (standard output by default)")
    exp.add_argument("--format", default="csv", choices=exporter.FORMATS)
    exp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    exp.add_argument("--hxl", action="store_true", help="CSV: add a row of HXL hashtags under the header")
    exp.add_argument("--comment-header", action="store_true",
                     help="CSV, ACLED, UCDP: start the file with '# ' lines saying what it holds (the file is then "
                     "no longer a plain table; with -o the description is always written beside the file as "
                     "FILE-metadata.json)")
    exp.add_argument("--victims", metavar="FILE",
                     help="also write the named victims of the exported incidents: a CSV to FILE (XLSX: a victims "
                     "sheet as well); without --victim-names the names are left out")
    exp.add_argument("--victim-names", action="store_true",
                     help="include victims' names (editors and above, or viewers an admin allowed)")
    add_filter_options(exp)
    add_store_options(exp, writes=True)
    exp.set_defaults(handler=run_export)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Add the dashboard's filters as options (lists are comma-separated or repeated)."""
    group = parser.add_argument_group("filters (the dashboard's)")
    for option, help_text in (("actor", "actor codes: " + ", ".join(taxonomy.codes("actor"))),
                              ("event-type", "event types: " + ", ".join(taxonomy.codes("event_type"))),
                              ("district", "district (admin2) P-codes"), ("subdistrict", "sub-district P-codes"),
                              ("place", "gazetteer place ids"),
                              ("grading", "gradings (default: all): " + ", ".join(taxonomy.codes("grading"))),
                              ("source-kind", "source kinds: " + ", ".join(taxonomy.codes("source_kind"))),
                              ("language", "languages of the sources, e.g. ar, en"),
                              ("status", "statuses: " + ", ".join(taxonomy.codes("status")))):
        group.add_argument(f"--{option}", action="append", default=[], metavar="CODE", help=help_text)
    group.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD")
    group.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD")
    group.add_argument("--civilian-only", action="store_true")
    group.add_argument("--min-killed", type=int, default=0)
    group.add_argument("--text", default="", help="free text, matched across spelling variants")
    group.add_argument("--figure", choices=FIGURES, default="min", help="figure --min-killed compares")
    group.add_argument("--no-drafts", action="store_true",
                       help="leave drafts out, as the dashboard's totals do by default")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _codes(values: list[str], vocabulary: str | None) -> tuple[str, ...]:
    codes = tuple(c.strip() for v in values for c in v.split(",") if c.strip())
    if vocabulary:
        for code in codes:
            taxonomy.check_code(vocabulary, code)
    return codes


def filter_from_args(args: argparse.Namespace) -> Filter:
    """Return the :class:`Filter` the export options describe."""
    return Filter(
        actors=_codes(args.actor, "actor"), event_types=_codes(args.event_type, "event_type"),
        districts=_codes(args.district, None), subdistricts=_codes(args.subdistrict, None),
        places=_codes(args.place, None), gradings=_codes(args.grading, "grading"),
        source_kinds=_codes(args.source_kind, "source_kind"), languages=_codes(args.language, None),
        statuses=_codes(args.status, "status"), date_from=args.date_from, date_to=args.date_to,
        civilian_only=args.civilian_only, min_killed=args.min_killed, text=args.text, figure=args.figure,
        include_drafts=not getattr(args, "no_drafts", False),
    )


def run_export(args: argparse.Namespace) -> int:
    """Export the incidents that pass the filters; describe the export inside the file or beside it."""
    from geodata import load_gazetteer

    _refuse_binary_on_terminal(args.format, args.output)
    if args.comment_header and args.format not in exporter.CSV_FORMATS:
        raise IncidentsError(f"--comment-header is for the CSV formats ({', '.join(exporter.CSV_FORMATS)}); "
                             f"--format {args.format} carries its description inside the file")
    store, settings = open_store(args)
    refuse_database_file(store, args.output)
    user = acting_user(store, settings, args.user)
    chosen = filter_from_args(args)
    gazetteer = load_gazetteer()
    incidents = select_incidents(store, user, chosen, gazetteer)
    counted = describe_totals_bilingual(count_selection(store, user, chosen, gazetteer))  # what it counts
    about = f"{chosen.caption(len(incidents))} · {counted}"
    authors = exporter.shows_authors(user)
    data = exporter.export_incidents(incidents, args.format, about=about, hxl=args.hxl,
                                     admin_name=gazetteer.admin_name, authors=authors,
                                     comment_header=args.comment_header)
    if args.victims:
        data = _export_victims(store, user, [i.uid for i in incidents], args, data)
    write_output(data, args.output)
    if args.format in exporter.CSV_FORMATS and args.output not in (None, "-"):
        output = Path(args.output)
        sidecar = output.with_name(exporter.sidecar_name(output.name))
        sidecar.write_bytes(exporter.csv_sidecar(args.format, output.name, about, authors=authors, hxl=args.hxl))
        print(f"described in {sidecar}", file=sys.stderr)
    return 0


def _export_victims(store, user, uids: list[str], args: argparse.Namespace, data: bytes) -> bytes:
    """Write the victims CSV (audited; names only when asked for and allowed); return the XLSX with its sheet."""
    from incidents.services.victims_service import load_victims_of

    victims = load_victims_of(store, user, uids, purpose="export", include_names=args.victim_names).victims
    Path(args.victims).write_bytes(victims_io.export_victims_csv(victims))
    print(f"{len(victims)} named victim(s) written to {args.victims}", file=sys.stderr)
    return victims_io.with_victims_sheet(data, victims) if args.format == "xlsx" else data


def _refuse_binary_on_terminal(fmt: str, output: str | None) -> None:
    """Refuse to write a binary format to a terminal (it would fill the screen with bytes)."""
    if fmt in exporter.BINARY_FORMATS and output in (None, "-") and sys.stdout.isatty():
        raise IncidentsError(f"--format {fmt} writes a binary file, which a terminal cannot show: name the file "
                             f"with -o FILE.{exporter.EXTENSIONS[fmt]} (or redirect standard output to a file)")


def _print_possible_duplicates(pairs: list) -> None:
    if not pairs:
        return
    print(f"{len(pairs)} imported incident(s) may duplicate stored ones (nothing was merged; decide on the "
          "Possible duplicates page):")
    for pair in pairs:
        print(f"  {pair.uid_a} ~ {pair.uid_b} (score {pair.score:.2f}: {', '.join(pair.reasons)})")


def import_options(args: argparse.Namespace) -> importer.ImportOptions:
    """Return the import options the command line asks for."""
    from incidents.io.mapping import parse_map_options

    mapping_text = None
    if args.mapping:
        mapping_text = read_input(args.mapping)[0].decode("utf-8-sig", errors="replace")
    area = importer.Area(args.country, args.governorate) if (args.country or args.governorate) else None
    return importer.ImportOptions(
        fmt=args.format, mapping_text=mapping_text, changes=tuple(parse_map_options(args.map).items()),
        keep_unmapped=True if args.keep_unmapped else None, source=args.source, area=area,
        include_outside=args.include_outside,
    )


def _progress_line(mode: str):
    if mode == "never" or (mode == "auto" and not sys.stderr.isatty()):
        return None

    def show(fraction: float, what: str) -> None:
        end = "\n" if fraction >= 1.0 else ""
        print(f"\rimporting: {fraction:4.0%} {what:<40}", end=end, file=sys.stderr, flush=True)

    return show


def show_mapping(data: bytes, name: str, options: importer.ImportOptions, gazetteer: Gazetteer | None = None) -> int:
    """Print the mapping (as a mapping file) and the first rows as they will be stored; exit 2 if unusable."""
    fmt = options.fmt if options.fmt != "auto" else importer.detect_format(name, data)
    table = importer.read_table(data, name, fmt, options.limits)
    mapping = importer.resolve_mapping(table, fmt, options, name)
    print(f"format: {fmt}" + (f"; encoding: {table.encoding} ({table.evidence})" if table.encoding else ""))
    if mapping is None:
        print(f"{fmt} columns are read as that format; the mapping does not apply")
    else:
        print("\n".join("  " + line for line in mapping.describe()))
        print("mapping file:")
        print(mapping.to_json(), end="")
        try:
            importer.check_mapping(mapping, name)
        except IncidentsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    parsed = importer.read_incidents(data, name, fmt, options)
    print("first rows as they will be stored:")
    for row in importer.preview_rows(parsed, gazetteer=gazetteer):
        print("  " + "; ".join(f"{k}={v}" for k, v in row.items() if v not in (None, "")))
    return 0


def _import_victims(store, user, data: bytes, name: str) -> int:
    """Import the named victims of a file (all or none); print what happened; 0 on success, 2 if refused."""
    try:
        written = victims_io.import_victims_file(store, user, data, name)
    except ImportRejected as rejected:
        print(f"error: named victims: {rejected}", file=sys.stderr)
        for error in rejected.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    print(f"imported {len(written)} named victim(s)")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import a file; print what happened; exit 1 if rows were rejected."""
    data, name = read_input(args.file)
    options = import_options(args)
    gazetteer = None
    if not args.no_geocode:
        from geodata import load_gazetteer

        gazetteer = load_gazetteer()
    if args.show_mapping:
        return show_mapping(data, name, options, gazetteer)
    if args.save_mapping:
        _save_mapping(data, name, options, args.save_mapping)
    store, settings = open_store(args)
    user = acting_user(store, settings, args.user)
    if victims_io.is_victims_table(data, name):  # a victims CSV joined by incident id (#18)
        return _import_victims(store, user, data, name)
    try:
        result = importer.import_incidents(store, user, data, name, fmt=args.format, skip_invalid=args.skip_invalid,
                                           gazetteer=gazetteer, options=options,
                                           progress=_progress_line(args.progress))
    except ImportRejected as rejected:
        print(f"error: {rejected}", file=sys.stderr)
        for error in rejected.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    _print_result(result)
    if name.lower().endswith(".xlsx") and victims_io.has_victims_sheet(data) and _import_victims(store, user, data, name):
        return 2
    _print_possible_duplicates(importer.possible_duplicates_of(store, result.new))
    if result.rejected_csv is not None:
        target = args.rejected or (args.file + ".rejected.csv" if args.file != "-" else "rejected.csv")
        with open(target, "wb") as fh:
            fh.write(result.rejected_csv)
        for error in result.rejected:
            print(f"  rejected: {error}", file=sys.stderr)
        print(f"rejected rows written to {target}", file=sys.stderr)
        return 1
    return 0


def _save_mapping(data: bytes, name: str, options: importer.ImportOptions, path: str) -> None:
    fmt = options.fmt if options.fmt != "auto" else importer.detect_format(name, data)
    mapping = importer.resolve_mapping(importer.read_table(data, name, fmt, options.limits), fmt, options, name)
    if mapping is not None:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(mapping.to_json())


def _print_result(result: importer.ImportResult) -> None:
    print(result.summary())
    if result.encoding_evidence and not result.encoding_evidence.startswith(("valid UTF-8", "byte-order mark")):
        print(f"  encoding: {result.encoding_evidence}")
    for row, text in result.unresolved:
        print(f"  not located: {'row ' + str(row) if isinstance(row, int) else row}: {text}")
    for row, where in result.outside:
        print(f"  outside the area: {'row ' + str(row) if isinstance(row, int) else row}: {where}")
    for row, uid in result.deleted:
        print(f"  skipped: {'row ' + str(row) if isinstance(row, int) else row} matches deleted incident {uid}; "
              "restore it first")
