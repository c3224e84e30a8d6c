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

import itertools
import operator
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
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
    columns = {name: list(map(operator.methodcaller("get", name), dicts)) for name in names}
    clean, slow = parse_columns(columns, [number for number, _, _ in rows], external_actors)
    if progress:
        progress(0.5, "columns checked")
    result: list[ParsedRow | None] = [None] * len(rows)
    for at, index in enumerate(clean.index):
        number, raw, _ = rows[index]
        result[index] = ParsedRow(row=number, raw=raw, incident=clean.incident_at(at), problems=[])
    for index, parsed in zip(slow, parse_rowwise([rows[i] for i in slow], external_actors), strict=True):
        result[index] = parsed
    if progress:
        progress(1.0, f"{len(rows):,} rows parsed ({len(slow):,} one by one)")
    return [r for r in result if r is not None]


@dataclass
class CleanRows:
    """Rows that passed every column check, held as columns of the record's values (no object per row).

    ``incident`` maps every field of :class:`Incident` (but its claims) to the values of the rows, ``claim``
    every field of their one :class:`Claim`; ``index`` is each row's position among the rows parsed, ``numbers``
    its row number in the file. :meth:`incident_at` builds the record of one row as the row parser would.
    """

    index: list[int]
    numbers: list[int | str]
    incident: dict[str, list]
    claim: dict[str, list]

    def __len__(self) -> int:
        return len(self.index)

    def incident_at(self, at: int) -> Incident:
        """Return the incident (with its claim) of the ``at``-th clean row."""
        values = {name: column[at] for name, column in self.incident.items()}
        values["extra"] = dict(values["extra"])
        claim = Claim(**{name: column[at] for name, column in self.claim.items()})
        return Incident(**values, claims=[claim])

    def select(self, keep: Sequence[bool]) -> CleanRows:
        """Return the rows whose ``keep`` is true (``keep`` runs over these rows)."""
        chosen = list(itertools.compress(range(len(self.index)), keep))

        def pick(column: list) -> list:
            return list(map(column.__getitem__, chosen))

        return CleanRows(pick(self.index), pick(self.numbers), {k: pick(v) for k, v in self.incident.items()},
                         {k: pick(v) for k, v in self.claim.items()})


def parse_columns(columns: dict[str, list], numbers: Sequence[int | str], external_actors: bool = False,
                  ) -> tuple[CleanRows, list[int]]:
    """Check and convert whole columns (field → cells, one per row, our field names; ``__source__``,
    ``__row_text__`` and ``__extra__`` as the row converter sets them).

    Returns
    -------
    (CleanRows, list[int])
        The rows that passed every check, and the positions of the rows only the row parser may read (a cell the
        columns cannot read, a rule broken, or a column only the row parser reads): the caller parses those one
        by one, so that each problem is named as before.
    """
    size = len(numbers)
    slow = _row_only(columns, size)
    values = _parse_columns(columns, size, slow)
    _check_rules(values, size, slow)
    chosen = [i for i in range(size) if not slow[i]]
    clean = _clean_rows(values, columns, chosen, numbers)
    return clean, [i for i in range(size) if slow[i]]


def _keys(dicts: list[dict]) -> set[str]:
    names: set[str] = set()
    for d in dicts:
        names.update(d.keys())
    return names


def _row_only(columns: dict[str, list], size: int) -> list[bool]:
    slow = [False] * size
    for name in (n for n in ROW_ONLY if n in columns):
        cells = columns[name]
        try:
            blank = {cell: is_blank(cell) for cell in set(cells)}
        except TypeError:  # an unhashable cell (a list from JSON)
            blank = None
        for index, cell in enumerate(cells):
            if not (blank[cell] if blank is not None else is_blank(cell)):
                slow[index] = True
    return slow


def _column(cells: list, parse: Callable[[Any], Any], slow: list[bool]) -> list:
    """Parse one column, each distinct cell once; a cell that fails marks its row slow."""
    try:
        distinct = set(cells)
    except TypeError:  # an unhashable cell (a list from JSON): only the row parser can say what is wrong
        distinct = None
    if distinct is None or bool in set(map(type, distinct)):  # True == 1 in a set, not to the parsers
        return _column_by_cell(cells, parse, slow)
    parsed = {}
    bad = False
    for cell in distinct:
        try:
            parsed[cell] = parse(cell)
        except (ParseError, ValueError, TypeError, OverflowError):
            parsed[cell] = _BAD
            bad = True
    values = list(map(parsed.__getitem__, cells))
    if bad:
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
    if type(cell) is str:  # a CSV cell: blank is only white space (is_blank)
        return cell.strip() or None
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


def _parse_columns(columns: dict[str, list], size: int, slow: list[bool]) -> dict[str, list]:
    blank = [None] * size

    def column(name: str, parse: Callable[[Any], Any]) -> list:
        return _column(columns.get(name, blank), parse, slow)

    values: dict[str, list] = {}
    for kind in ("killed", "injured"):
        single = column(kind, parse_count) if kind in columns else None
        for end in ("min", "max"):
            own = column(f"{kind}_{end}", parse_count)
            values[f"{kind}_{end}"] = own if single is None else [o if o is not None else s
                                                                  for o, s in zip(own, single, strict=True)]
    for name in _INTS:
        values.setdefault(name, column(name, parse_count))
    for name, vocabulary in _CODES.items():
        values[name] = column(name, _code(vocabulary, COLUMN_DEFAULTS[name]))
    for name in ("date_start", "date_end", "source_published"):
        values[name] = column(name, _full_date)
    for name in ("lat", "lon"):
        values[name] = column(name, parse_float)
    for name in _TEXTS:
        values[name] = column(name, _text)
    values["civilians"] = column("civilians", parse_civilians)
    values["shared_toll"] = column("shared_toll", parse_bool)
    values["source_kind"] = column("source_kind", _code("source_kind", "other"))
    values["tags"] = column("tags", _tags)
    values["uid"] = column("uid", _text)
    column("figures_rule", _claims_rule)
    return values


def _claims_rule(cell: object) -> None:
    """Figures derived from the claims (blank or "claims"); an editor's figures go through the row parser."""
    if not is_blank(cell) and str(cell).strip() != "claims":
        raise ParseError("figures set by an editor")


def _full_date(cell: object) -> date | None:
    """A whole date only: a partial one (``2017-10``) is expanded by the row parser."""
    if type(cell) is str and len(cell) == 10 and cell.isascii() and cell[4] == cell[7] == "-" and (
            cell[:4] + cell[5:7] + cell[8:]).isdigit():  # YYYY-MM-DD, most cells: as parse_date reads it
        return date.fromisoformat(cell)
    if isinstance(cell, str) and len(cell.strip()) < 8 and not is_blank(cell):
        raise ParseError("partial date")
    return parse_date(cell)


def _tags(cell: object) -> tuple[str, ...]:
    text = _text(cell) or ""
    return tuple(t.strip() for t in text.split(";") if t.strip())


def _check_counts_and_ids(columns: dict[str, list], slow: list[bool]) -> None:
    """Mark slow every row with a toll out of range or an id that is not a plain identifier."""
    for name in _INTS:
        _mark(columns[name], {v for v in set(columns[name]) if v is not None and not 0 <= v <= MAX_TOLL}, slow)
    uids = columns["uid"]
    _mark(uids, {uid for uid in set(uids) if uid is not None and not UID_PATTERN.fullmatch(uid)}, slow)


def _mark(values: Sequence, wrong: Collection, slow: list[bool]) -> None:
    """Mark slow every row whose value is one of the ``wrong`` ones (a rule checked on distinct values, each once:
    dates, places and tolls repeat across a file)."""
    if wrong:
        for index, value in enumerate(values):
            if value in wrong:
                slow[index] = True


def _check_rules(columns: dict[str, list], size: int, slow: list[bool]) -> None:
    """Mark slow every row breaking a rule of the record (the row parser then says which)."""
    for kind in ("killed", "injured"):
        for index, (low, high) in enumerate(zip(columns[f"{kind}_min"], columns[f"{kind}_max"], strict=True)):
            if low is not None and high is not None and low > high:
                slow[index] = True
    _check_counts_and_ids(columns, slow)
    _check_dates_and_points(columns, slow)
    # a claim needs a source and a text (the quote, else the description, else the row): the row parser says why
    for index, (source, quote, description, text) in enumerate(zip(columns["source_name"], columns["quote"],
                                                                   columns["description"], columns["__row_text__"],
                                                                   strict=True)):
        if source is None or not (quote or description or text):
            slow[index] = True


def _check_dates_and_points(columns: dict[str, list], slow: list[bool]) -> None:
    """Mark slow every row with a date out of range or out of order, or a point outside the region."""
    today, lowest = date.today(), date(1900, 1, 1)
    south, north, west, east = REGION["lat_min"], REGION["lat_max"], REGION["lon_min"], REGION["lon_max"]
    for index, (start, end, published, lat, lon) in enumerate(zip(
            columns["date_start"], columns["date_end"], columns["source_published"], columns["lat"], columns["lon"],
            strict=True)):
        if (start is not None and not lowest <= start <= today) or (end is not None and not (
                lowest <= end <= today and start is not None and end >= start)) or (
                published is not None and published > today):
            slow[index] = True
        elif lat is None or lon is None:
            if lat is not lon:  # one without the other
                slow[index] = True
        elif not (south <= lat <= north and west <= lon <= east):
            slow[index] = True


_INCIDENT_COPIED = ("place_id", "place_name_ar", "place_name_en", "lat", "lon", "location_precision", "admin1",
                    "admin2", "admin3", "event_type", "actor", "actor_certainty", "target", *INCIDENT_FIGURES,
                    "civilians", "figures_reason", "grading", "status", "record_kind", "description", "tags",
                    "toll_group", "created_by", "updated_by", "external_id")
_INCIDENT_DEFAULTS = {"figures_rule": "claims", "covers": (), "version": 1, "created_at": None, "updated_at": None,
                      "deleted_at": None, "imported_from": None}
_CLAIM_DEFAULTS = {"attribution": None, "actor_certainty": None, "note": None, "incident_uid": None,
                   "created_at": None, "created_by": None}


def _clean_rows(value: dict[str, list], columns: dict[str, list], chosen: list[int],
                numbers: Sequence[int | str]) -> CleanRows:
    """Return the records of the rows that passed every column check, as the row parser builds them."""
    size = len(chosen)

    every = size == len(numbers)  # the usual clean file: every row chosen, each column copied as it is

    def pick(column: list) -> list:
        return list(column) if every else list(map(column.__getitem__, chosen))

    starts, ends, precisions = _dates(pick(value["date_start"]), pick(value["date_end"]),
                                      pick(value["date_precision"]), pick(columns.get("date_precision") or
                                                                           [None] * len(numbers)))
    incident = {name: pick(value[name]) for name in _INCIDENT_COPIED}
    incident["shared_toll"] = [bool(v) for v in pick(value["shared_toll"])]
    incident |= {"date_start": starts, "date_end": ends, "date_precision": precisions}
    incident["place_text"] = [text if text is not None else (" / ".join(n for n in (en, ar) if n) or None)
                              for text, en, ar in zip(pick(value["place_text"]), incident["place_name_en"],
                                                      incident["place_name_ar"], strict=True)]
    extras = pick(columns["__extra__"]) if "__extra__" in columns else [None] * size
    empty: dict = {}  # one for every row without extra data (copied by incident_at; stored as NULL)
    incident["extra"] = [e or empty for e in extras]
    sources = pick(columns["__source__"]) if "__source__" in columns else [None] * size
    incident["external_source"] = [given or ((source or "table") if code else None) for given, source, code in
                                   zip(pick(value["external_source"]), sources, incident["external_id"], strict=True)]
    given_uids = pick(value["uid"])
    uids = iter(new_uids(size + given_uids.count(None)))  # a claim's and, if the file has none, an incident's
    incident["uid"] = [given or next(uids) for given in given_uids]
    incident |= {name: [default] * size for name, default in _INCIDENT_DEFAULTS.items()}
    claim = {name: list(incident[name]) for name in _COPIED}
    claim |= {"source_name": pick(value["source_name"]), "source_kind": pick(value["source_kind"]),
              "url": pick(value["source_url"]), "language": pick(value["source_language"]),
              "published": pick(value["source_published"]), "uid": [next(uids) for _ in range(size)]}
    claim["quote"] = [quote or description or text or "" for quote, description, text in zip(
        pick(value["quote"]), incident["description"], pick(value["__row_text__"]), strict=True)]
    claim |= {name: [default] * size for name, default in _CLAIM_DEFAULTS.items()}
    return CleanRows(list(chosen), pick(list(numbers)), incident, claim)


def _dates(starts: list, ends: list, precisions: list, given: list) -> tuple[list, list, list]:
    """A missing end is the start; a range without a stated precision gets one from its length; no start: unknown."""
    out_ends, out_precisions = [], []
    try:
        blank = {cell: is_blank(cell) for cell in set(given)}
    except TypeError:  # an unhashable cell (never in a clean row; as is_blank would say)
        blank = None
    for start, end, precision, cell in zip(starts, ends, precisions, given, strict=True):
        if end is None:
            end = start
        elif start and end > start and (blank[cell] if blank is not None else is_blank(cell)):
            precision = range_precision((end - start).days)
        if start is None:
            precision = "unknown"
        out_ends.append(end)
        out_precisions.append(precision)
    return starts, out_ends, out_precisions
