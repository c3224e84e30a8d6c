"""Parsing many rows at once: whole columns checked together, rows with anything unusual parsed one by one.

The row-by-row parser (:func:`incidents.io.columns.row_to_incident`) is the reference: it names every problem of
every rejected row. The column-wise path reads each column once, parsing each distinct cell value once with the
same functions (a column of 20,000 dates holds a few thousand distinct ones), checks the record's rules on
whole columns, and builds the incidents of the rows that pass. A row with a cell the columns cannot read, a
rule it breaks, or a column only the row parser handles (claims as JSON, source lists, ranges, ...) goes through
the row parser, so its problems are reported exactly as before. Tests check that both paths give the same
incidents (``tests/io/test_fast_path.py``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from incidents.domain import taxonomy
from incidents.domain.records import CLAIM_FIGURES, INCIDENT_FIGURES, Claim, Incident, new_uids
from incidents.domain.validation import (
    MAX_TOLL,
    REGION,
    UID_PATTERN,
    ParseError,
    is_blank,
    parse_bool,
    parse_civilians,
    parse_count,
    parse_date,
    parse_float,
)
from incidents.io.columns import COLUMN_DEFAULTS, ParsedRow, range_precision, row_to_incident

#: Columns only the row parser reads: a row with any of them filled is parsed on its own.
ROW_ONLY = ("claims", "sources", "extra_json", "location_accuracy", "children_killed_min", "children_killed_max",
            "women_killed_min", "women_killed_max", "men_killed", "men_killed_min", "men_killed_max", "version",
            "created_at", "updated_at", "covers")
_INTS = INCIDENT_FIGURES
_CODES = {"date_precision": "date_precision", "location_precision": "location_precision",
          "event_type": "event_type", "actor": "actor", "actor_certainty": "actor_certainty", "grading": "grading",
          "status": "status", "record_kind": "record_kind"}
_TEXTS = ("place_id", "place_text", "place_name_ar", "place_name_en", "admin1", "admin2", "admin3", "target",
          "figures_reason", "description", "toll_group", "created_by", "updated_by", "external_id",
          "external_source", "source_name", "quote", "source_url", "source_language", "__row_text__")
_COPIED = ("actor", "event_type", "date_start", "date_end", "civilians", *CLAIM_FIGURES)
_BAD = object()


def parse_rowwise(rows: Sequence[tuple[int | str, dict, dict]], external_actors: bool = False,
                  progress: Callable[[float, str], None] | None = None) -> list[ParsedRow]:
    """Parse every row on its own (the reference path)."""

    parsed = []
    step = max(1, len(rows) // 20)
    for index, (number, raw, row) in enumerate(rows):
        incident, problems = row_to_incident(row, external_actors=external_actors)
        parsed.append(ParsedRow(row=number, raw=raw, incident=incident, problems=problems))
        if progress and index % step == 0:
            progress(index / max(1, len(rows)), f"row {index + 1:,} of {len(rows):,}")
    return parsed


def parse_columnwise(rows: Sequence[tuple[int | str, dict, dict]], external_actors: bool = False,
                     progress: Callable[[float, str], None] | None = None) -> list[ParsedRow]:
    """Parse rows column by column; rows a column check flags go through the row parser."""

    if not rows:
        return []
    dicts = [row for _, _, row in rows]
    names = set().union(*(d.keys() for d in dicts[:1000])) if len(dicts) <= 1000 else _keys(dicts)
    slow = _row_only(dicts, names)
    columns = _parse_columns(dicts, names, slow, external_actors)
    if progress:
        progress(0.5, "columns checked")
    _check_rules(columns, len(dicts), slow)
    result: list[ParsedRow | None] = [None] * len(rows)
    fields = list(columns)
    uids = iter(new_uids(2 * (len(rows) - sum(slow))))  # a claim's and, if the file has none, an incident's
    for index, (values, (number, raw, row)) in enumerate(zip(zip(*columns.values(), strict=True), rows, strict=True)):
        if not slow[index]:
            incident = _build(dict(zip(fields, values, strict=True)), row, uids)
            result[index] = ParsedRow(row=number, raw=raw, incident=incident, problems=[])
    awkward = [i for i in range(len(rows)) if slow[i]]
    for index, parsed in zip(awkward, parse_rowwise([rows[i] for i in awkward], external_actors), strict=True):
        result[index] = parsed
    if progress:
        progress(1.0, f"{len(rows):,} rows parsed ({len(awkward):,} one by one)")
    return [r for r in result if r is not None]


def _keys(dicts: list[dict]) -> set[str]:
    names: set[str] = set()
    for d in dicts:
        names.update(d.keys())
    return names


def _row_only(dicts: list[dict], names: set[str]) -> list[bool]:
    slow = [False] * len(dicts)
    for name in (n for n in ROW_ONLY if n in names):
        for index, d in enumerate(dicts):
            if not slow[index] and not is_blank(d.get(name)):
                slow[index] = True
    return slow


def _column(dicts: list[dict], name: str, parse: Callable[[Any], Any], slow: list[bool]) -> list:
    """Parse one column, each distinct cell once; a cell that fails marks its row slow."""
    cells = list(map(operator.methodcaller("get", name), dicts))
    try:
        distinct = set(cells)
    except TypeError:  # an unhashable cell (a list from JSON): only the row parser can say what is wrong
        distinct = None
    if distinct is None or any(type(c) is bool for c in distinct):  # True == 1 in a set, not to the parsers
        return _column_by_cell(cells, parse, slow)
    parsed = {}
    for cell in distinct:
        try:
            parsed[cell] = parse(cell)
        except (ParseError, ValueError, TypeError, OverflowError):
            parsed[cell] = _BAD
    values = [parsed[c] for c in cells]
    if any(v is _BAD for v in parsed.values()):
        for index, value in enumerate(values):
            if value is _BAD:
                slow[index] = True
                values[index] = None
    return values


def _column_by_cell(cells: list, parse: Callable[[Any], Any], slow: list[bool]) -> list:
    values = []
    for index, cell in enumerate(cells):
        try:
            value = parse(cell)
        except (ParseError, ValueError, TypeError, OverflowError):
            slow[index] = True
            value = None
        values.append(value)
    return values


def _text(cell: object) -> str | None:
    return None if is_blank(cell) else str(cell).strip()


def _code(vocabulary: str, default: str | None) -> Callable[[object], str | None]:
    def parse(cell: object) -> str | None:
        if is_blank(cell):
            return default
        code = taxonomy.resolve(vocabulary, str(cell).strip())
        if code is None:
            raise ParseError("unknown code")
        return code
    return parse


def _parse_columns(dicts: list[dict], names: set[str], slow: list[bool], external_actors: bool) -> dict[str, list]:
    columns: dict[str, list] = {}
    for kind in ("killed", "injured"):
        single = _column(dicts, kind, parse_count, slow) if kind in names else None
        for end in ("min", "max"):
            own = _column(dicts, f"{kind}_{end}", parse_count, slow)
            columns[f"{kind}_{end}"] = own if single is None else [o if o is not None else s
                                                                   for o, s in zip(own, single, strict=True)]
    for name in _INTS:
        columns.setdefault(name, _column(dicts, name, parse_count, slow))
    for name, vocabulary in _CODES.items():
        columns[name] = _column(dicts, name, _code(vocabulary, COLUMN_DEFAULTS[name]), slow)
    for name in ("date_start", "date_end", "source_published"):
        columns[name] = _column(dicts, name, _full_date, slow)
    for name in ("lat", "lon"):
        columns[name] = _column(dicts, name, parse_float, slow)
    for name in _TEXTS:
        columns[name] = _column(dicts, name, _text, slow)
    columns["civilians"] = _column(dicts, "civilians", parse_civilians, slow)
    columns["shared_toll"] = _column(dicts, "shared_toll", parse_bool, slow)
    columns["source_kind"] = _column(dicts, "source_kind", _code("source_kind", "other"), slow)
    columns["tags"] = _column(dicts, "tags", _tags, slow)
    columns["uid"] = _column(dicts, "uid", _text, slow)
    _column(dicts, "figures_rule", _claims_rule, slow)
    return columns


def _claims_rule(cell: object) -> None:
    """Figures derived from the claims (blank or "claims"); an editor's figures go through the row parser."""
    if not is_blank(cell) and str(cell).strip() != "claims":
        raise ParseError("figures set by an editor")


def _full_date(cell: object) -> date | None:
    """A whole date only: a partial one (``2017-10``) is expanded by the row parser."""
    if isinstance(cell, str) and len(cell.strip()) < 8 and not is_blank(cell):
        raise ParseError("partial date")
    return parse_date(cell)


def _tags(cell: object) -> tuple[str, ...]:
    text = _text(cell) or ""
    return tuple(t.strip() for t in text.split(";") if t.strip())


def _check_counts_and_ids(columns: dict[str, list], slow: list[bool]) -> None:
    """Mark slow every row with a toll out of range or an id that is not a plain identifier."""
    for name in _INTS:
        for index, value in enumerate(columns[name]):
            if value is not None and not 0 <= value <= MAX_TOLL:
                slow[index] = True
    for index, uid in enumerate(columns["uid"]):
        if uid is not None and not UID_PATTERN.fullmatch(uid):
            slow[index] = True  # the row parser names it (validation.check_incident)


def _check_rules(columns: dict[str, list], size: int, slow: list[bool]) -> None:
    """Mark slow every row breaking a rule of the record (the row parser then says which)."""
    today = date.today()
    lowest = date(1900, 1, 1)
    for kind in ("killed", "injured"):
        for index, (low, high) in enumerate(zip(columns[f"{kind}_min"], columns[f"{kind}_max"], strict=True)):
            if low is not None and high is not None and low > high:
                slow[index] = True
    _check_counts_and_ids(columns, slow)
    starts, ends = columns["date_start"], columns["date_end"]
    for index in range(size):
        start, end = starts[index], ends[index]
        published = columns["source_published"][index]
        if any(d is not None and not lowest <= d <= today for d in (start, end)) or (
                start is None and end is not None) or (start and end and end < start) or (
                published is not None and published > today):
            slow[index] = True
        lat, lon = columns["lat"][index], columns["lon"][index]
        if (lat is None) != (lon is None) or (lat is not None and not (
                REGION["lat_min"] <= lat <= REGION["lat_max"] and REGION["lon_min"] <= lon <= REGION["lon_max"])):
            slow[index] = True
        if columns["source_name"][index] is None and columns["quote"][index] is None:
            slow[index] = True  # no claim at all: the row parser says so
        elif columns["source_name"][index] is None or not (columns["quote"][index] or columns["description"][index]
                                                            or columns["__row_text__"][index]):
            slow[index] = True


def _build(value: dict[str, Any], row: dict, uids: Iterator[str]) -> Incident:
    """Return the incident of a row that passed every column check (as the row parser would build it)."""
    start, end = value["date_start"], value["date_end"]
    precision = value["date_precision"]
    if end is None:
        end = start
    elif is_blank(row.get("date_precision")) and start and end > start:
        precision = range_precision((end - start).days)
    if start is None:
        precision = "unknown"
    value["date_end"], value["date_precision"] = end, precision
    figures = {name: value[name] for name in _COPIED}
    claim = Claim(source_name=value["source_name"], quote=value["quote"] or value["description"]
                  or value["__row_text__"] or "", source_kind=value["source_kind"], url=value["source_url"],
                  language=value["source_language"], published=value["source_published"], uid=next(uids),
                  **figures)
    external_id = value["external_id"]
    extra = dict(row.get("__extra__") or {})
    place_text = value["place_text"]
    if place_text is None:
        place_text = " / ".join(n for n in (value["place_name_en"], value["place_name_ar"]) if n) or None
    incident = Incident(
        date_start=start, date_end=end, date_precision=precision, place_id=value["place_id"], place_text=place_text,
        place_name_ar=value["place_name_ar"], place_name_en=value["place_name_en"], lat=value["lat"],
        lon=value["lon"], location_precision=value["location_precision"], admin1=value["admin1"],
        admin2=value["admin2"], admin3=value["admin3"], event_type=value["event_type"], actor=value["actor"],
        actor_certainty=value["actor_certainty"], target=value["target"], killed_min=value["killed_min"],
        killed_max=value["killed_max"], killed_best=value["killed_best"], injured_min=value["injured_min"],
        injured_max=value["injured_max"], civilians=value["civilians"], children_killed=value["children_killed"],
        women_killed=value["women_killed"], figures_reason=value["figures_reason"], grading=value["grading"],
        status=value["status"], record_kind=value["record_kind"], description=value["description"], tags=value["tags"],
        toll_group=value["toll_group"], shared_toll=bool(value["shared_toll"]), created_by=value["created_by"],
        updated_by=value["updated_by"], external_id=external_id,
        external_source=value["external_source"] or ((row.get("__source__") or "table") if external_id else None),
        extra=extra, claims=[claim], uid=value["uid"] or next(uids),
    )
    return incident
