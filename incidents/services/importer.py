"""Importing incident files: read, map the columns, parse every row, check every rule, locate places, then
write all or none — new incidents created, ones imported before updated, the rest left unchanged.

Formats: ``csv``, ``xlsx``, ``geojson`` (the project's own columns, or any table through a column mapping, see
:mod:`incidents.io.mapping`), ``acled``, ``ucdp``, ``airwars`` (a mapping preset); ``auto`` picks by file
extension and header. Nothing is written unless every row is valid, or ``skip_invalid`` is set, in which case
the valid rows are written and the rejected rows (original cells plus an ``error`` column) are returned.

Idempotency (README, "Import"): a row with the same uid as a stored incident (an export of this project), or
the same external code from the same source (ACLED ``event_id_cnty``, UCDP ``id``, an Airwars code, a table's
own id column), updates that incident instead of adding another; re-importing an unchanged file changes nothing.
"""

from __future__ import annotations

import gc
import json
import operator
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incidents.domain.errors import FileFormatError, ImportRejected, say
from incidents.domain.locate import Gazetteer, apply_place, locate_incident
from incidents.domain.records import Incident, copy_with
from incidents.domain.users import User
from incidents.domain.validation import Problem, ProblemLine, RowError
from incidents.io import acled, airwars, ucdp
from incidents.io.columns import ParsedRow, row_to_incident
from incidents.io.fast import CleanRows, parse_columns, parse_columnwise, parse_rowwise
from incidents.io.mapping import (
    DEFAULT_SOURCE,
    EXTRA,
    IGNORE,
    ColumnMapping,
    MappingError,
    compile_mapping,
    load_mapping,
    propose_mapping,
)
from incidents.io.tables import (
    LIMITS,
    ColumnTable,
    Limits,
    Table,
    check_size,
    csv_header,
    read_csv_columns,
    read_csv_table,
    read_xlsx_table,
    sheet_names,
    write_csv,
    xlsx_header,
)
from incidents.io.text import decode_with_evidence, unstorable_said
from incidents.storage.store import Store

FORMATS = ("auto", "csv", "xlsx", "geojson", "acled", "ucdp", "airwars")
_EXTERNAL: dict[str, Callable[[dict], dict]] = {"acled": acled.from_row, "ucdp": ucdp.from_row}
#: Fields of the record each mapped field fills (for what a re-import may change on a stored incident).
_FILLS = {
    "killed": (), "injured": (), "location_accuracy": ("location_precision",),
    "actor": ("actor", "actor_certainty", "extra"), "children_killed_min": ("extra",), "children_killed_max": ("extra",),
    "women_killed_min": ("extra",), "women_killed_max": ("extra",), "men_killed": ("extra",),
    "men_killed_min": ("extra",), "men_killed_max": ("extra",), "sources": (), "claims": (), "extra_json": ("extra",),
}
_PLACE_FIELDS = ("place_id", "place_text", "place_name_ar", "place_name_en", "lat", "lon", "location_precision",
                 "admin1", "admin2", "admin3")


@dataclass(frozen=True)
class Area:
    """The area an ACLED/UCDP/HXL import keeps: a country and, optionally, a governorate (as the file names
    them; compared without case, spaces or punctuation)."""

    country: str | None = None
    governorate: str | None = None

    def contains(self, country: str | None, governorate: str | None) -> bool:
        """Return whether a row's country and governorate (either may be unknown) are inside the area."""
        return (_same_name(self.country, country) and _same_name(self.governorate, governorate))

    def describe(self) -> str:
        """Return the area as words."""
        return ", ".join(p for p in (self.governorate, self.country) if p) or "anywhere"


def _same_name(wanted: str | None, given: str | None) -> bool:
    if not wanted:
        return True
    if not given:
        return False

    def key(text: str) -> str:
        return "".join(ch for ch in text.casefold() if ch.isalnum())

    return key(wanted) in key(given) or key(given) in key(wanted)


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file: its format, the column mapping and its corrections, the area, the limits."""

    fmt: str = "auto"
    mapping_text: str | None = None  # a saved mapping file's text
    changes: tuple[tuple[str, str | None], ...] = ()  # header → field corrections (``--map``)
    keep_unmapped: bool | None = None
    source: str | None = None  # the table's id space (overrides the mapping file's)
    area: Area | None = None
    include_outside: bool = False
    limits: Limits = LIMITS
    rowwise: bool = False  # parse row by row (the reference path; the bench compares both)


@dataclass
class ParsedFile:
    """A whole input file, parsed: its format, header, mapping and rows."""

    format: str
    header: list[str]
    rows: list[ParsedRow]  # every row, or (an import's column path) those not in ``clean``
    mapping: ColumnMapping | None = None
    fields: frozenset[str] = frozenset()  # fields of the record the file fills
    encoding: str | None = None
    encoding_evidence: str | None = None
    unresolved: list[tuple[int | str, str]] = field(default_factory=list)  # (row, place text) not geocoded
    outside: list[tuple[int | str, str]] = field(default_factory=list)  # (row, where) outside the chosen area
    not_read: list[str] = field(default_factory=list)  # columns a fixed format (ACLED, UCDP) does not read
    #: the rows that passed every column check, kept as columns (:func:`read_incidents` with ``keep_columns``)
    clean: CleanRows | None = None
    raw_row: Callable[[int], dict] | None = None  # a clean row's original cells, by its position in the file

    @property
    def total_rows(self) -> int:
        """How many rows the file has (outside the chosen area left out)."""
        return len(self.rows) + (len(self.clean) if self.clean is not None else 0)

    @property
    def errors(self) -> list[RowError]:
        """Every problem of every row, in row order."""
        return [e for r in self.rows for e in r.errors()]

    @property
    def valid(self) -> list[Incident]:
        """The incidents of the rows without problems (those in ``rows``: not the clean rows kept as columns)."""
        return [r.incident for r in self.rows if r.incident is not None and not r.problems]


@dataclass
class ImportResult:
    """What an import did."""

    format: str
    total_rows: int
    written: list[str]  # new and updated incidents
    rejected: list[RowError]
    unresolved: list[tuple[int | str, str]]
    rejected_csv: bytes | None = None
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    outside: list[tuple[int | str, str]] = field(default_factory=list)
    encoding_evidence: str | None = None
    deleted: list[tuple[int | str, str]] = field(default_factory=list)  # (row, uid of the deleted incident it matches)

    def summary(self, lang: str = "en") -> str:
        """One line for the user, in ``lang``: new / updated / unchanged / rejected."""
        rejected_rows = len({e.row for e in self.rejected})
        text = say("import.summary", lang, {"new": len(self.new), "updated": len(self.updated),
                                            "unchanged": len(self.unchanged), "rejected": rejected_rows,
                                            "rows": self.total_rows, "fmt": self.format})
        for key, listed in (("outside", self.outside), ("deleted", self.deleted), ("unresolved", self.unresolved)):
            if listed:
                text += say(f"import.summary_{key}", lang, {"n": len(listed)})
        return text


# -- reading ----------------------------------------------------------------------------------------------


def detect_format(name: str, data: bytes) -> str:
    """Return the format of a file from its extension and, for tables, its header."""
    suffix = Path(name).suffix.lower()
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix == ".xlsx":
        header = xlsx_header(data)
    else:
        header = csv_header(data, name)
    columns = {h.strip().lower() for h in header}
    for fmt, module in (("acled", acled), ("ucdp", ucdp)):
        if module.SIGNATURE <= columns:
            return fmt
    if airwars.matches(columns):
        return "airwars"
    return "xlsx" if suffix == ".xlsx" else "csv"


def read_table(data: bytes, name: str, fmt: str, limits: Limits = LIMITS) -> Table:
    """Read a file's rows as they are, before any mapping (CSV, XLSX or GeoJSON)."""
    check_size(data, name, limits)
    if fmt == "geojson":
        return _geojson_table(data, name, limits)
    if name.lower().endswith(".xlsx") or fmt == "xlsx":
        sheets = sheet_names(data)
        return read_xlsx_table(data, name, sheet="incidents" if "incidents" in sheets else None, limits=limits)
    return read_csv_table(_strip_comment_lines(data, name), name, limits)


def _strip_comment_lines(data: bytes, name: str) -> bytes:
    """Drop the leading ``# ...`` lines our CSV exports carry (what was exported, under which filter)."""
    if not (data.startswith(b"# ") or data.startswith(b"\xef\xbb\xbf# ")):
        return data
    text = decode_with_evidence(data, name).text
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("# "):
        lines.pop(0)
    return "".join(lines).encode("utf-8")


def resolve_mapping(table: Table | ColumnTable, fmt: str, options: ImportOptions, name: str = "file") -> ColumnMapping | None:
    """Return the column mapping of a table: proposed, then corrected by the mapping file and ``--map``
    options (None for ACLED and UCDP, whose columns are fixed)."""
    if fmt in _EXTERNAL:
        return None
    default_source = airwars.SOURCE if fmt == "airwars" else DEFAULT_SOURCE
    if options.mapping_text is not None:
        mapping = load_mapping(options.mapping_text, table.header, table.hxl)
        if mapping.source == DEFAULT_SOURCE and default_source != DEFAULT_SOURCE:
            mapping = mapping.with_changes({}, source=default_source)
    else:
        mapping = propose_mapping(table.header, table.hxl, default_source)
    return mapping.with_changes(dict(options.changes), source=options.source, keep_unmapped=options.keep_unmapped)


def check_mapping(mapping: ColumnMapping, name: str) -> None:
    """Refuse a mapping that leaves a column unmapped (unless kept in extra) or maps two columns to one field."""
    if mapping.unmapped and not mapping.keep_unmapped:
        raise MappingError.said("file_errors.unmapped", name=name,
                                columns=", ".join(repr(h) for h in mapping.unmapped))
    for target, headers in mapping.duplicates().items():
        raise MappingError.said("file_errors.mapped_twice", name=name, columns=", ".join(repr(h) for h in headers),
                                target=target)


def read_incidents(data: bytes, name: str, fmt: str = "auto", options: ImportOptions | None = None,
                   progress: Callable[[float, str], None] | None = None, *, keep_columns: bool = False) -> ParsedFile:
    """Parse a file into incidents and problems, writing nothing.

    Parameters
    ----------
    keep_columns
        Keep the rows that pass every column check as columns (``ParsedFile.clean``, an import's fast path)
        instead of one incident object per row in ``ParsedFile.rows``.

    Raises
    ------
    FileFormatError
        The file cannot be read at all as ``fmt`` (encoding, structure, limits, unknown format), or its
        mapping leaves a column without a field (:class:`~incidents.io.mapping.MappingError`).
    """
    options = options or ImportOptions(fmt=fmt)
    fmt = options.fmt if options.fmt != "auto" else fmt
    if fmt not in FORMATS:
        raise FileFormatError.said("file_errors.unknown_format", value=repr(fmt), allowed=", ".join(FORMATS))
    fmt = detect_format(name, data) if fmt == "auto" else fmt
    if fmt == "csv" and not options.rowwise and options.area is None and not name.lower().endswith(".xlsx"):
        parsed = _read_csv_columns(data, name, options, progress)
        if not keep_columns:
            _unpack_clean(parsed)
        return parsed
    table = read_table(data, name, fmt, options.limits)
    mapping = resolve_mapping(table, fmt, options, name)
    if mapping is not None:
        check_mapping(mapping, name)
    parsed = ParsedFile(format=fmt, header=table.header, rows=[], mapping=mapping, encoding=table.encoding,
                        encoding_evidence=table.evidence)
    convert = _converter(fmt, mapping)
    rows = _inside_area(parsed, [(number, raw, convert(raw)) for number, raw in table.rows], options)
    parse = parse_rowwise if options.rowwise else parse_columnwise
    parsed.rows = parse(rows, fmt in _EXTERNAL or fmt == "airwars", progress)
    parsed.fields = frozenset(_record_fields(mapping, rows))
    if mapping is not None:
        _name_columns(parsed.rows, mapping)
    if mapping is None:
        known = set(_module_columns(fmt))
        parsed.not_read = [h for h in table.header if h and h not in known]
    _check_unique_keys(parsed.rows)
    return parsed


def _read_csv_columns(data: bytes, name: str, options: ImportOptions,
                      progress: Callable[[float, str], None] | None) -> ParsedFile:
    """A CSV file column by column: cells renamed by the mapping, whole columns checked, and only the rows a
    column check flags parsed one by one (each problem named as the row parser names it)."""
    table = read_csv_columns(_strip_comment_lines(data, name), name, options.limits)
    mapping = resolve_mapping(table, "csv", options, name)
    assert mapping is not None  # a CSV table always has one (only ACLED and UCDP have none)
    check_mapping(mapping, name)
    parsed = ParsedFile(format="csv", header=table.header, rows=[], mapping=mapping, encoding=table.encoding,
                        encoding_evidence=table.evidence, raw_row=table.raw)
    columns = _mapped_columns(table, mapping)
    clean, slow = parse_columns(columns, table.numbers)
    if progress:
        progress(0.5, "columns checked")
    rows = [(table.numbers[i], table.raw(i), {k: v[i] for k, v in columns.items()
                                              if k != "__extra__" or v[i] is not None}) for i in slow]
    parsed.rows = parse_rowwise(rows)
    parsed.clean = clean
    parsed.fields = frozenset(_record_fields(mapping, rows))
    _name_columns(parsed.rows, mapping)
    _check_unique_keys(parsed.rows, parsed)
    if progress:
        progress(1.0, f"{parsed.total_rows:,} rows parsed ({len(slow):,} one by one)")
    return parsed


def _mapped_columns(table: ColumnTable, mapping: ColumnMapping) -> dict[str, list]:
    """The table's columns under their fields' names, with what the row converter adds (:func:`_converter`)."""
    size = len(table.numbers)
    by_header = table.columns
    columns = {target: by_header.get(header, [None] * size) for header, target in mapping.columns
               if target not in (None, EXTRA, IGNORE)}
    columns["__source__"] = [mapping.source] * size
    kept = mapping.kept_in_extra
    if kept:
        cells = [by_header.get(h, [None] * size) for h in kept]
        columns["__extra__"] = [{h: v for h, v in zip(kept, values, strict=True) if v not in (None, "")} or None
                                for values in zip(*cells, strict=True)]
    if not mapping.fields & {"quote", "description", "claims"}:
        columns["__row_text__"] = [row_text(table.raw(i)) for i in range(size)]
    return columns


def _unpack_clean(parsed: ParsedFile) -> None:
    """Give every clean row its incident object, in ``parsed.rows`` in file order (what a preview reads)."""
    clean, raw_row = parsed.clean, parsed.raw_row
    if clean is None or raw_row is None:
        return
    built = [ParsedRow(row=number, raw=raw_row(index), incident=clean.incident_at(at), problems=[])
             for at, (index, number) in enumerate(zip(clean.index, clean.numbers, strict=True))]
    parsed.rows = _in_file_order(parsed.rows + built)
    parsed.clean = None


def _in_file_order(rows: list[ParsedRow]) -> list[ParsedRow]:
    return sorted(rows, key=lambda r: r.row if isinstance(r.row, int) else 0)


def _module_columns(fmt: str) -> tuple[str, ...]:
    return {"acled": acled.COLUMNS, "ucdp": ucdp.COLUMNS}.get(fmt, ())


def _converter(fmt: str, mapping: ColumnMapping | None) -> Callable[[dict], dict]:
    """Return a function giving a raw row our field names (the mapping is applied once per row)."""
    if mapping is None:
        return _EXTERNAL[fmt]
    source = mapping.source
    preset = fmt == "airwars"
    needs_text = not mapping.fields & {"quote", "description", "claims"}
    rename = compile_mapping(mapping)

    def convert(raw: dict) -> dict:
        row = rename(raw)
        row["__source__"] = source
        if needs_text:
            row["__row_text__"] = row_text(raw)
        if preset:
            airwars.complete_row(row)
        return row

    return convert


def row_text(raw: dict, limit: int = 1000) -> str:
    """Return a row's cells as ``column: value`` text: the quote of a claim built from a table without one."""
    text = "; ".join(f"{k}: {v}" for k, v in raw.items() if k and v not in (None, "") and k != "sources")
    return ("Table row — " + text)[:limit]


def _inside_area(parsed: ParsedFile, rows: list[tuple[int | str, dict, dict]],
                 options: ImportOptions) -> list[tuple[int | str, dict, dict]]:
    """Drop (and report) rows outside the chosen area, unless asked to keep them."""
    area = options.area
    kept = []
    for number, raw, row in rows:
        where = row.pop("__area__", None)
        if area is not None and not area.contains(*(where := where or _hxl_area(raw))):
            parsed.outside.append((number, ", ".join(w for w in where if w) or "no country or governorate given"))
            if not options.include_outside:
                continue
        kept.append((number, raw, row))
    return kept


def _hxl_area(raw: dict) -> tuple[str | None, str | None]:
    """Country and governorate of a plain or HXL table row (columns country/#country, admin1/governorate)."""
    lowered = {str(k).strip().casefold(): v for k, v in raw.items() if isinstance(v, str)}
    country = next((lowered[k] for k in ("country", "#country", "#country+name", "country_name") if k in lowered),
                   None)
    region = next((lowered[k] for k in ("admin1", "governorate", "province", "adm1_name", "#adm1+name")
                   if k in lowered), None)
    return country, region


def _record_fields(mapping: ColumnMapping | None, rows: Sequence[tuple[int | str, dict, dict]]) -> set[str]:
    """The record's fields a file fills (what a re-import may change on an incident it made before)."""
    if mapping is not None:
        given = mapping.fields
    else:
        given = {k for _, _, row in rows[:1] for k in row if not k.startswith("__")}
    fields: set[str] = {"extra"}
    for name in given:
        fields.update(_FILLS.get(name, (name,)))
    if fields & {"place_text", "place_name_en", "place_name_ar", "place_id", "lat", "lon"}:
        fields.update(_PLACE_FIELDS)
    return fields


def _name_columns(rows: list[ParsedRow], mapping: ColumnMapping) -> None:
    """Name the file's own column beside each problem's field when they differ ("date_start (column 'When')")."""
    columns = {t: h for h, t in mapping.columns if t and h != t}
    if not columns:
        return
    for parsed in rows:
        parsed.problems = [p.renamed(f"{p.field} (column {columns[p.field]!r})") if p.field in columns
                           else p for p in parsed.problems]


def _row_keys(rows: list[ParsedRow], clean: CleanRows | None) -> list[tuple[int | str, str, tuple[str, str] | None,
                                                                            int]]:
    """(row, uid, (source, code) or None, which) of every parsed incident in file order; ``which`` is the row's
    place in ``rows``, or ``-1 - place`` among the clean rows. Empty when nothing can repeat (clean rows only,
    each with its own id, no codes: the usual clean file)."""
    keyed: list[tuple[int | str, str, tuple[str, str] | None, int]] = []
    for at, parsed_row in enumerate(rows):
        incident = parsed_row.incident
        if incident is not None:
            code = (incident.external_source or "", incident.external_id) if incident.external_id else None
            keyed.append((parsed_row.row, incident.uid, code, at))
    if clean is None or not len(clean):
        return keyed
    columns = clean.incident
    if not keyed and len(set(columns["uid"])) == len(clean) and not any(columns["external_id"]):
        return []
    for at, (number, uid, source, code) in enumerate(zip(clean.numbers, columns["uid"], columns["external_source"],
                                                         columns["external_id"], strict=True)):
        keyed.append((number, uid, (source or "", code) if code else None, -1 - at))
    keyed.sort(key=lambda k: k[0] if isinstance(k[0], int) else 0)
    return keyed


def _check_unique_keys(rows: list[ParsedRow], parsed: ParsedFile | None = None) -> None:
    """A uid or an external code used by an earlier row is a problem of every later row using it (clean rows of
    ``parsed`` included: such a row leaves the columns with its problem)."""
    keyed = _row_keys(rows, parsed.clean if parsed is not None else None)
    flagged: dict[int, list[Problem]] = {}
    first_uid: dict[str, int | str] = {}
    first_code: dict[tuple[str, str], int | str] = {}
    for number, uid, code, which in keyed:
        if uid in first_uid:
            flagged.setdefault(which, []).append(Problem.said("uid", "problems.uid_repeated", uid=repr(uid),
                                                              row=first_uid[uid]))
        else:
            first_uid[uid] = number
        if code is not None:
            if code in first_code:
                flagged.setdefault(which, []).append(Problem.said(
                    "external_id", "problems.code_repeated", code=repr(code[1]), row=first_code[code]))
            else:
                first_code[code] = number
    for which, problems in flagged.items():
        if which >= 0:
            rows[which].problems.extend(problems)
    if parsed is not None and any(which < 0 for which in flagged):
        _reject_clean(parsed, {-1 - which: problems for which, problems in flagged.items() if which < 0})


def _reject_clean(parsed: ParsedFile, problems: dict[int, list[Problem]]) -> None:
    """Move clean rows (by their place among the clean rows) to ``parsed.rows`` with their problems."""
    clean, raw_row = parsed.clean, parsed.raw_row
    if clean is None or raw_row is None or not problems:
        return
    moved = [ParsedRow(row=clean.numbers[at], raw=raw_row(clean.index[at]), incident=clean.incident_at(at),
                       problems=list(found)) for at, found in problems.items()]
    parsed.rows = _in_file_order(parsed.rows + moved)
    parsed.clean = clean.select([at not in problems for at in range(len(clean))])


def _where(row: int | str) -> str:
    return f"row {row}" if isinstance(row, int) else str(row)


def _geojson_table(data: bytes, name: str, limits: Limits) -> Table:
    decoded = decode_with_evidence(data, name)
    try:
        collection = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        raise FileFormatError.said("file_errors.not_json", name=name, detail=exc.msg, line=exc.lineno) from None
    except RecursionError:
        raise FileFormatError.said("file_errors.too_deep", name=name, most=limits.max_depth) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise FileFormatError.said("file_errors.not_feature_collection", name=name)
    features = collection.get("features") or []
    if not isinstance(features, list):
        raise FileFormatError.said("file_errors.features_not_list", name=name)
    if len(features) > limits.max_rows:
        raise FileFormatError.said("file_errors.too_many_features", name=name, most=f"{limits.max_rows:,}")
    rows: list[tuple[int | str, dict]] = []
    header: dict[str, None] = {}
    for index, feature in enumerate(features, start=1):
        props = _feature_properties(feature, f"feature {index}", name, limits)
        header.update(dict.fromkeys(props))
        rows.append((f"feature {index}", props))
    return Table(list(header), rows, None, decoded.encoding, decoded.evidence)


def _feature_properties(feature: object, where: str, name: str, limits: Limits) -> dict:
    if not isinstance(feature, dict):
        raise FileFormatError.said("file_errors.feature_not_object", name=name, row=where, kind=type(feature).__name__)
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise FileFormatError.said("file_errors.properties_not_object", name=name, row=where,
                                   kind=type(props).__name__)
    if _depth(props, limits.max_depth) > limits.max_depth:
        raise FileFormatError.said("file_errors.properties_too_deep", name=name, row=where, most=limits.max_depth)
    props = {str(k): v for k, v in props.items()}
    if found := unstorable_said(props, "properties") or unstorable_said(feature.get("geometry"), "geometry"):
        key, values = found
        raise FileFormatError.said(key.replace("problems.", "file_errors.feature_"), name=name, row=where, **values)
    if isinstance(props.get("claims"), list):
        props["claims"] = json.dumps(props["claims"], ensure_ascii=False)
    for listed in ("tags", "covers"):
        if isinstance(props.get(listed), list):
            props[listed] = ";".join(str(t) for t in props[listed])
    for key, value in props.items():
        if isinstance(value, dict | list):
            props[key] = json.dumps(value, ensure_ascii=False)
    props.update(_point(feature.get("geometry"), props))
    return props


def _depth(value: object, limit: int, level: int = 0) -> int:
    if level > limit or not isinstance(value, dict | list):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(v, limit, level + 1) for v in items), default=level + 1)


def _point(geometry: object, props: dict) -> dict:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return {}
    coords = geometry.get("coordinates") or []
    if not isinstance(coords, list) or len(coords) < 2:
        return {}
    return {"lon": props.get("lon", coords[0]), "lat": props.get("lat", coords[1])}


# -- preview ----------------------------------------------------------------------------------------------

#: Columns of the preview: each row as it will be stored.
PREVIEW_COLUMNS = ("row", "code", "date", "date_precision", "place", "lat", "lon", "location_precision", "actor",
                   "actor_certainty", "killed", "children_killed", "civilians", "sources", "extra", "problems")


def preview_rows(parsed: ParsedFile, limit: int = 5, gazetteer: Gazetteer | None = None, lang: str = "en",
                 ) -> list[dict]:
    """Return the first ``limit`` rows as they will be stored (one dict per row, keys :data:`PREVIEW_COLUMNS`),
    placed by ``gazetteer`` when given (as the import will place them); a row's problems said in ``lang``."""
    head = ParsedFile(format=parsed.format, header=parsed.header,
                      rows=[ParsedRow(r.row, r.raw, r.incident, list(r.problems)) for r in parsed.rows[:limit]])
    if gazetteer is not None:
        locate_all(head, gazetteer)
    return [_preview_row(row, lang) for row in head.rows]


def _preview_row(row: ParsedRow, lang: str = "en") -> dict:
    problems = "; ".join(ProblemLine(p).localised(lang) for p in row.problems)
    incident = row.incident
    if incident is None:
        return {"row": _where(row.row), "problems": problems}
    dates = incident.date_start.isoformat() if incident.date_start else ""
    if incident.date_end and incident.date_end != incident.date_start:
        dates += f" – {incident.date_end.isoformat()}"
    killed = "" if incident.killed_min is None and incident.killed_max is None else (
        f"{incident.killed_min}" if incident.killed_min == incident.killed_max
        else f"{incident.killed_min if incident.killed_min is not None else '?'}–"
             f"{incident.killed_max if incident.killed_max is not None else '?'}")
    actors = incident.extra.get("actors") or [incident.actor]
    return {
        "row": _where(row.row),
        "code": f"{incident.external_source}:{incident.external_id}" if incident.external_id else "",
        "date": dates, "date_precision": incident.date_precision, "place": incident.place_text or "",
        "lat": incident.lat, "lon": incident.lon, "location_precision": incident.location_precision,
        "actor": ", ".join(actors), "actor_certainty": incident.actor_certainty, "killed": killed,
        "children_killed": incident.children_killed, "civilians": incident.civilians,
        "sources": " | ".join(f"{c.source_name} <{c.url}>" if c.url else c.source_name for c in incident.claims),
        "extra": json.dumps(incident.extra, ensure_ascii=False, sort_keys=True) if incident.extra else "",
        "problems": problems,
    }


# -- locating and writing ---------------------------------------------------------------------------------


def locate_all(parsed: ParsedFile, gazetteer: Gazetteer) -> None:
    """Fill places from the gazetteer for every valid row; list the place names it could not resolve.

    Rows with the same place cells are located once (clean rows kept as columns too).
    """
    answers: dict[tuple, tuple[dict, bool]] = {}
    gazetteer = _RememberingGazetteer(gazetteer)
    for row in parsed.rows:
        incident = row.incident
        if incident is None or row.problems:
            continue
        key = _PLACE_KEY(incident)
        if key not in answers:
            answers[key] = _locate_one(incident, gazetteer)
        changes, placed = answers[key]
        if changes:
            row.incident = copy_with(incident, **changes)
        if not placed and (incident.place_text or incident.place_name_en or incident.place_name_ar):
            parsed.unresolved.append((row.row, incident.place_text or incident.place_name_en or ""))
    if parsed.clean is not None and len(parsed.clean):
        _locate_clean(parsed, parsed.clean, gazetteer, answers)


_PLACE_KEY = operator.attrgetter(*_PLACE_FIELDS)


def _locate_clean(parsed: ParsedFile, clean: CleanRows, gazetteer: Gazetteer,
                  answers: dict[tuple, tuple[dict, bool]]) -> None:
    """Locate the clean rows: each distinct place once, its changes written into the columns."""
    columns = clean.incident
    keys = list(zip(*(columns[name] for name in _PLACE_FIELDS), strict=True))
    distinct = set(keys)
    for key in distinct:
        if key not in answers:  # the locator reads the place fields only
            # a record of the place fields only (with a blank uid: a random one per place costs a system call)
            answers[key] = _locate_one(Incident(uid="", **dict(zip(_PLACE_FIELDS, key, strict=True))), gazetteer)
    found = list(map(answers.__getitem__, keys))  # each row's (changes, placed): a row's key hashed once
    changed = {name for key in distinct for name in answers[key][0]}
    for name in changed:
        columns[name] = [changes.get(name, value) for (changes, _), value in zip(found, columns[name], strict=True)]
    unresolved = [(number, text or en or "") for number, (_, placed), text, en, ar in zip(
        clean.numbers, found, columns["place_text"], columns["place_name_en"], columns["place_name_ar"], strict=True)
        if not placed and (text or en or ar)]
    if unresolved:
        parsed.unresolved = sorted(parsed.unresolved + unresolved,
                                   key=lambda u: u[0] if isinstance(u[0], int) else 0)


class _RememberingGazetteer:
    """The gazetteer, asked once per distinct place name during one import (rows share villages)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._geocoded: dict[str, Any] = {}

    def geocode(self, text: str, context: str | None = None) -> Any:
        if context is not None:
            return self._gazetteer.geocode(text, context)
        if text not in self._geocoded:
            self._geocoded[text] = self._gazetteer.geocode(text)
        return self._geocoded[text]

    def get(self, place_id: str) -> Any:
        return self._gazetteer.get(place_id)

    def nearby(self, lat: float, lon: float, km: float = 10, limit: int = 10) -> list:
        return self._gazetteer.nearby(lat, lon, km=km, limit=limit)


def _locate_one(incident: Incident, gazetteer: Gazetteer) -> tuple[dict, bool]:
    located, placed = locate_incident(incident, gazetteer)
    if not placed and incident.lat is None:
        for name in (incident.place_name_en, incident.place_name_ar):
            match = gazetteer.geocode(name).match if name and name != incident.place_text else None
            if match is not None:
                located, placed = apply_place(incident, match), True
                break
    changes = {k: getattr(located, k) for k in _PLACE_FIELDS if getattr(located, k) != getattr(incident, k)}
    return changes, placed


def check_entry_rights(parsed: ParsedFile, store: Store, user: User) -> None:
    """Add a problem to every new row holding a grading or status ``user`` could not set in the dashboard."""
    from incidents.services.service import entry_problems, load_policy

    policy = load_policy(store)
    clean = parsed.clean
    # only a grading or status ``user`` may not set can be refused (entry_problems reads nothing else): clean rows
    # are judged by their distinct pairs, and only those carrying a refused pair are looked at one by one
    refused = {} if clean is None else _refused_entries(user, policy, list(zip(
        range(len(clean)), clean.incident["grading"], clean.incident["status"], strict=True)))
    # a row updating a stored incident (same id) is checked field by field by the service's edit rules instead
    uids = [r.incident.uid for r in parsed.rows if r.incident is not None]
    if clean is not None:
        uids += [clean.incident["uid"][at] for at in refused]
    stored = store.existing_uids(uids) if uids else set()
    for row in parsed.rows:
        if row.incident is not None and row.incident.uid not in stored:
            row.problems += entry_problems(user, row.incident, policy)
    if clean is not None:
        _reject_clean(parsed, {at: found for at, found in refused.items() if clean.incident["uid"][at] not in stored})


def check_links(parsed: ParsedFile, store: Store) -> None:
    """Add a problem to every new combined row that would cover another combined record, or an incident another
    combined record covers (:mod:`incidents.domain.coverage`), so the refusal names the row. Rows that may update a
    stored record (a stored uid, or an external id) are judged on the record they leave, when written
    (:func:`incidents.services.service.links_kept`). No query unless a row is combined."""
    from incidents.domain.coverage import COMBINED, Link
    from incidents.services.service import link_problems

    clean = parsed.clean
    if not any(r.incident is not None and r.incident.record_kind == COMBINED for r in parsed.rows) and (
            clean is None or COMBINED not in clean.incident["record_kind"]):
        return
    rows = [(("row", at), r.incident) for at, r in enumerate(parsed.rows) if r.incident is not None]
    if clean is not None:
        rows += [(("clean", at), clean.incident_at(at)) for at, kind in enumerate(clean.incident["record_kind"])
                 if kind == COMBINED]
    stored = store.existing_uids([incident.uid for _, incident in rows])
    new = [(where, Link(i.uid, i.record_kind, tuple(i.covers))) for where, i in rows
           if i.uid not in stored and not (i.external_source and i.external_id)]
    with store.engine.connect() as conn:
        problems = link_problems(conn, [link for _, link in new])
    for (where, at), link in new:
        if where == "row" and link.uid in problems:
            parsed.rows[at].problems += problems[link.uid]
    if clean is not None:
        _reject_clean(parsed, {at: problems[link.uid] for (where, at), link in new
                               if where == "clean" and link.uid in problems})


def _refused_entries(user: User, policy: Any, rows: list[tuple[int, str, str]]) -> dict[int, list[Problem]]:
    """The problems of each (place, grading, status) ``user`` may not enter; each distinct pair judged once
    (:func:`incidents.services.service.entry_problems` reads nothing else of the record)."""
    from incidents.services.service import entry_problems

    judged = {pair: entry_problems(user, Incident(grading=pair[0], status=pair[1]), policy)
              for pair in {(grading, status) for _, grading, status in rows}}
    return {at: list(judged[grading, status]) for at, grading, status in rows if judged[grading, status]}


def rejected_rows_csv(parsed: ParsedFile) -> bytes:
    """Return the rejected rows with their original cells and an ``error`` column, as CSV."""
    header = [*parsed.header, "error"]
    rows = [{**r.raw, "error": "; ".join(f"{p.field}: {p.reason}" for p in r.problems)}
            for r in parsed.rows if r.problems]
    return write_csv(header, rows)


def import_incidents(store: Store, user: User, data: bytes, name: str, *, fmt: str = "auto",
                     skip_invalid: bool = False, gazetteer: Gazetteer | None = None,
                     options: ImportOptions | None = None,
                     progress: Callable[[float, str], None] | None = None) -> ImportResult:
    """Import a file into ``store`` as ``user``: all rows or none, unless ``skip_invalid``.

    ``progress(fraction, what)`` is called as the work advances (the dashboard's bar, the CLI's line). The
    audit log gets one entry for the file (its name, SHA-256, mapping and counts) and one per incident written,
    pointing to it and to the row.

    Raises
    ------
    ImportRejected
        Some rows are invalid and ``skip_invalid`` is False; its ``errors`` list every problem.
    FileFormatError, PermissionDenied
    """
    from incidents.domain.users import require

    require(user, "import")
    with paused_cyclic_gc():
        return _import_file(store, user, data, name, fmt=fmt, skip_invalid=skip_invalid, gazetteer=gazetteer,
                            options=options, progress=progress)


class _CollectorPause:
    """How many imports of this process are pausing the collector, and whether it was on before the first.

    The collector is the whole process's: the dashboard serves every session from threads of one process, so
    two imports may overlap. The first to start pauses it, the last to end restores it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False

    def enter(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1

    def leave(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.was_enabled:
                gc.enable()


_PAUSE = _CollectorPause()


@contextmanager
def paused_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is imported, and switch it back on (if it was on)
    whatever happens, once the last overlapping import of the process has ended.

    An import allocates hundreds of thousands of cells and row tuples, almost none of them in a reference cycle
    (a handful of objects after 20,000 rows); every few hundred allocations the collector wakes up and walks the
    young ones (about a tenth of the CPU time of importing 20,000 rows, for nothing). Reference counting still
    frees everything else as before; objects in cycles (the import's and, for those seconds, other sessions')
    wait for the collector's next run.
    """
    _PAUSE.enter()
    try:
        yield
    finally:
        _PAUSE.leave()


def _import_file(store: Store, user: User, data: bytes, name: str, *, fmt: str, skip_invalid: bool,
                 gazetteer: Gazetteer | None, options: ImportOptions | None,
                 progress: Callable[[float, str], None] | None) -> ImportResult:
    """:func:`import_incidents` once the user may import."""
    from incidents.services.service import ImportBatch, import_records

    report = progress or (lambda fraction, what: None)
    report(0.0, "reading")
    parsed = read_incidents(data, name, fmt, options, progress=lambda f, w: report(0.1 + 0.5 * f, w),
                            keep_columns=True)
    check_entry_rights(parsed, store, user)
    check_links(parsed, store)
    if gazetteer is not None:
        report(0.6, "locating places")
        locate_all(parsed, gazetteer)
    errors = parsed.errors
    if errors and not skip_invalid:
        raise ImportRejected(errors, total_rows=parsed.total_rows)
    report(0.7, "writing")
    valid_rows = [r for r in parsed.rows if r.incident is not None and not r.problems]  # parsed.valid's rows
    batch = ImportBatch.of_file(data, name, parsed.format, _mapping_record(parsed.mapping), parsed.total_rows,
                                len({e.row for e in errors}))
    outcome = import_records(store, user, [r.incident for r in valid_rows], fields=parsed.fields,  # type: ignore[misc]
                             reason=f"import of {name}", rows=[r.row for r in valid_rows], clean=parsed.clean,
                             batch=batch)
    report(1.0, "done")
    return ImportResult(
        format=parsed.format, total_rows=parsed.total_rows, written=outcome.new + outcome.updated, rejected=errors,
        unresolved=parsed.unresolved, rejected_csv=rejected_rows_csv(parsed) if errors else None,
        new=outcome.new, updated=outcome.updated, unchanged=outcome.unchanged, outside=parsed.outside,
        encoding_evidence=parsed.encoding_evidence, deleted=outcome.deleted,
    )


def _mapping_record(mapping: ColumnMapping | None) -> dict | None:
    """The mapping as the import's audit entry keeps it: header → field (None: a fixed format's own columns)."""
    if mapping is None:
        return None
    return {"columns": {header: target for header, target in mapping.columns}, "source": mapping.source,
            "keep_unmapped": mapping.keep_unmapped}


def possible_duplicates_of(store: Store, written: Sequence[str], limit: int = 50) -> list:
    """Return stored incidents that newly imported ones may duplicate (the Possible duplicates check).

    Only pairs of one imported and one earlier incident are returned, best first; nothing is merged. An editor
    decides on the Possible duplicates page.
    """
    from incidents.services.dedupe import find_possible_duplicates, load_decided_pairs
    from incidents.services.query import load_frame

    new = set(written)
    if not new:
        return []
    pairs = find_possible_duplicates(load_frame(store), load_decided_pairs(store), limit=1_000_000)
    crossing = [p for p in pairs if (p.uid_a in new) != (p.uid_b in new)]
    return crossing[:limit]


__all__ = ["FORMATS", "PREVIEW_COLUMNS", "Area", "ImportOptions", "ImportResult", "ParsedFile", "ParsedRow",
           "check_mapping", "preview_rows",
           "detect_format", "import_incidents", "locate_all", "read_incidents", "read_table", "rejected_rows_csv",
           "resolve_mapping", "row_to_incident", "row_text"]
