"""The project's own flat incident table: one row per incident, used by CSV, XLSX, GeoJSON and GeoPackage.

Columns (documented in README.md, "File formats"): every field of the incident, a summary of its first
source (``source_name``, ``source_kind``, ``source_url``, ``source_language``, ``source_published``,
``quote``) for people reading the file, and ``claims``: every claim as JSON, which is what an import reads
back when present. A table without ``claims`` (a spreadsheet typed by hand) gets one claim built from the
source columns and the row's figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, cast

from incidents import taxonomy
from incidents.records import CLAIM_FIELDS, Claim, Incident
from incidents.validation import (
    ParseError,
    Problem,
    check_incident,
    is_blank,
    parse_bool,
    parse_civilians,
    parse_count,
    parse_date,
    parse_float,
)

INCIDENT_COLUMNS = (
    "uid", "date_start", "date_end", "date_precision", "place_id", "place_text", "place_name_ar",
    "place_name_en", "lat", "lon", "location_precision", "admin1", "admin2", "admin3", "event_type", "actor",
    "actor_certainty", "target", "killed_min", "killed_max", "killed_best", "injured_min", "injured_max",
    "civilians", "children_killed", "women_killed", "figures_rule", "figures_reason", "grading", "status",
    "description", "tags", "toll_group", "shared_toll", "record_kind", "covers", "version", "created_at", "updated_at", "created_by",
    "updated_by",
)
SOURCE_COLUMNS = ("source_name", "source_kind", "source_url", "source_language", "source_published", "quote")
COLUMNS = INCIDENT_COLUMNS + SOURCE_COLUMNS + ("claims",)

#: Other headers people use for our columns (case-insensitive), read on import.
ALIASES = {
    "id": "uid", "incident_id": "uid", "date": "date_start", "start_date": "date_start", "end_date": "date_end",
    "place": "place_text", "location": "place_text", "village": "place_text", "town": "place_text",
    "place_name": "place_text", "latitude": "lat", "longitude": "lon", "lng": "lon", "long": "lon",
    "perpetrator": "actor", "belligerent": "actor", "type": "event_type", "event": "event_type",
    "killed": "killed", "deaths": "killed", "fatalities": "killed", "injured": "injured", "wounded": "injured",
    "children": "children_killed", "women": "women_killed", "source": "source_name", "url": "source_url",
    "link": "source_url", "language": "source_language", "published": "source_published",
    "publication_date": "source_published", "sentence": "quote", "notes": "description",
}

_INT_FIELDS = ("killed_min", "killed_max", "killed_best", "injured_min", "injured_max", "children_killed",
               "women_killed")
_CODE_FIELDS = {"date_precision": "date_precision", "location_precision": "location_precision",
                "event_type": "event_type", "actor": "actor", "actor_certainty": "actor_certainty",
                "grading": "grading", "status": "status", "record_kind": "record_kind"}
_DEFAULTS = {"date_precision": "day", "location_precision": "unknown", "event_type": "other", "actor": "unknown",
             "actor_certainty": "stated", "grading": "unassessed", "status": "draft", "figures_rule": "claims",
             "record_kind": "incident"}


def canonical_header(name: str) -> str:
    """Return our column name for a header found in a file (aliases and case folded)."""
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


# -- writing ----------------------------------------------------------------------------------------------


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    return value


#: The columns and claim fields that name who entered and changed a record (left out for readers who may not
#: see the history: :func:`incidents.io.exporter.shows_authors`).
AUTHOR_FIELDS = ("created_by", "updated_by")


def claim_to_json(claim: Claim, *, authors: bool = True) -> dict:
    """Return a claim as a JSON-ready dict (dates as ISO strings, no incident link; without
    :data:`AUTHOR_FIELDS` unless ``authors``)."""
    return {k: _cell(v) if not isinstance(v, bool) else v for k, v in claim.to_dict().items()
            if k != "incident_uid" and (authors or k not in AUTHOR_FIELDS)}


def incident_to_row(incident: Incident, *, authors: bool = True) -> dict:
    """Return the flat row of ``incident``: its fields, its first source, and all claims as JSON.

    Without ``authors`` the row has no :data:`AUTHOR_FIELDS` columns and its claims do not name who entered them.
    """
    row = {name: _cell(getattr(incident, name)) for name in INCIDENT_COLUMNS
           if authors or name not in AUTHOR_FIELDS}
    first = incident.claims[0] if incident.claims else None
    row.update({
        "source_name": first.source_name if first else None,
        "source_kind": first.source_kind if first else None,
        "source_url": first.url if first else None,
        "source_language": first.language if first else None,
        "source_published": _cell(first.published) if first and first.published else None,
        "quote": first.quote if first else None,
        "claims": json.dumps([claim_to_json(c, authors=authors) for c in incident.claims], ensure_ascii=False,
                             sort_keys=True),
    })
    return row


# -- reading ----------------------------------------------------------------------------------------------


class RowReader:
    """Parse one untrusted row into typed values, collecting a :class:`Problem` per bad field."""

    def __init__(self, row: Mapping[str, object]) -> None:
        self.row = row
        self.problems: list[Problem] = []

    def get(self, name: str, parse: Callable[[object], object], default: object = None) -> object:
        """Return the parsed value of column ``name``, or ``default`` if blank or unparseable."""
        value = self.row.get(name)
        try:
            parsed = parse(value)
        except ParseError as exc:
            self.problems.append(Problem(name, str(exc)))
            return default
        return default if parsed is None else parsed

    def text(self, name: str) -> str | None:
        """Return the column's text stripped, or None when blank."""
        value = self.row.get(name)
        return None if is_blank(value) else str(value).strip()

    def code(self, name: str, vocabulary: str, default: str | None) -> str | None:
        """Return the vocabulary code for the column (codes, names and aliases accepted)."""
        text = self.text(name)
        if text is None:
            return default
        code = taxonomy.resolve(vocabulary, text)
        if code is None:
            allowed = ", ".join(taxonomy.codes(vocabulary))
            self.problems.append(Problem(name, f"{text!r} is not a known {vocabulary}; expected one of {allowed}"))
            return default
        return code


def row_to_incident(row: Mapping[str, object]) -> tuple[Incident | None, list[Problem]]:
    """Parse a flat row (our columns, headers already canonical) into an incident with its claims.

    Returns
    -------
    (Incident | None, list[Problem])
        The incident, or None when the row cannot be read at all, and every problem found. The record's
        own rules (:func:`incidents.validation.check_incident`) are checked too.
    """
    reader = RowReader(_expand_single_figures(row))
    values = _incident_values(reader)
    claims = _claims(reader, values)
    incident = Incident(**values, claims=claims)
    # Unreadable cells were left empty, so the record's rules can still be checked: report everything at once.
    unreadable = {p.field for p in reader.problems}
    if unreadable & {"lat", "lon"}:
        unreadable |= {"lat", "lon"}
    problems = reader.problems + [p for p in check_incident(incident) if p.field not in unreadable]
    if claims and reader.text("claims") is None:
        problems = _as_row_columns(problems)
    return (None if reader.problems else incident), problems


_CLAIM_TO_ROW_COLUMN = {"url": "source_url", "language": "source_language", "published": "source_published"}


def _as_row_columns(problems: list[Problem]) -> list[Problem]:
    """Name a claim built from the row's own columns by those columns, and drop problems said twice."""
    renamed = []
    for problem in problems:
        name = problem.field
        if name.startswith("claims[0]."):
            name = name.removeprefix("claims[0].")
            name = _CLAIM_TO_ROW_COLUMN.get(name, name)
        renamed.append(Problem(name, problem.reason))
    return list(dict.fromkeys(renamed))


def _expand_single_figures(row: Mapping[str, object]) -> dict:
    """A single ``killed``/``injured`` column means min = max = that number."""
    data = dict(row)
    for kind in ("killed", "injured"):
        single = data.pop(kind, None)
        if not is_blank(single):
            for end in ("min", "max"):
                if is_blank(data.get(f"{kind}_{end}")):
                    data[f"{kind}_{end}"] = single
    return data


def _incident_values(reader: RowReader) -> dict:
    values: dict = {name: reader.get(name, parse_count) for name in _INT_FIELDS}
    values |= {name: reader.code(name, vocab, _DEFAULTS[name]) for name, vocab in _CODE_FIELDS.items()}
    values |= {name: reader.get(name, parse_date) for name in ("date_start", "date_end")}
    values |= {name: reader.get(name, parse_float) for name in ("lat", "lon")}
    values |= {name: reader.text(name) for name in (
        "place_id", "place_text", "place_name_ar", "place_name_en", "admin1", "admin2", "admin3", "target",
        "figures_reason", "description", "toll_group", "created_by", "updated_by")}
    values["civilians"] = reader.get("civilians", parse_civilians, "unknown")
    values["shared_toll"] = bool(reader.get("shared_toll", parse_bool, False))
    values["tags"] = tuple(t.strip() for t in (reader.text("tags") or "").split(";") if t.strip())
    values["covers"] = tuple(u.strip() for u in (reader.text("covers") or "").split(";") if u.strip())
    values["figures_rule"] = reader.text("figures_rule") or "claims"
    values |= _optional_system_values(reader)
    if values["date_end"] is None:
        values["date_end"] = values["date_start"]
    if values["date_start"] is None:
        values["date_precision"] = "unknown"
    return values


def _optional_system_values(reader: RowReader) -> dict:
    values: dict = {}
    uid = reader.text("uid")
    if uid:
        values["uid"] = uid
    version = reader.get("version", parse_count)
    if version:
        values["version"] = version
    for name in ("created_at", "updated_at"):
        stamp = reader.get(name, _parse_stamp)
        if stamp is not None:
            values[name] = stamp
    return values


def _parse_stamp(value: object) -> datetime | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ParseError(f"not a date and time: {str(value).strip()!r} (expected YYYY-MM-DD HH:MM:SS)") from None


def _claims(reader: RowReader, values: dict) -> list[Claim]:
    encoded = reader.text("claims")
    if encoded:
        return _claims_from_json(reader, encoded)
    name = reader.text("source_name")
    if name is None and reader.text("quote") is None:
        return []
    copied = ("actor", "event_type", "date_start", "date_end", "civilians", "killed_min", "killed_max",
              "injured_min", "injured_max", "children_killed", "women_killed")
    figures: dict[str, Any] = {k: values.get(k) for k in copied}
    return [Claim(
        source_name=name or "",
        quote=reader.text("quote") or "",
        source_kind=reader.code("source_kind", "source_kind", "other") or "other",
        url=reader.text("source_url"),
        language=reader.text("source_language"),
        published=cast(date | None, reader.get("source_published", parse_date)),
        **figures,
    )]


def _claims_from_json(reader: RowReader, encoded: str) -> list[Claim]:
    try:
        items = json.loads(encoded)
    except json.JSONDecodeError as exc:
        reader.problems.append(Problem("claims", f"not valid JSON ({exc.msg} at character {exc.pos})"))
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        reader.problems.append(Problem("claims", "expected a JSON list of objects"))
        return []
    return [c for c in (_claim_from_dict(reader, index, item) for index, item in enumerate(items)) if c]


def _claim_from_dict(reader: RowReader, index: int, item: dict) -> Claim | None:
    sub = RowReader(item)
    values: dict = {k: sub.text(k) for k in ("source_name", "quote", "url", "language", "attribution", "note",
                                           "uid", "created_by", "actor_certainty")}
    values |= {k: sub.get(k, parse_count) for k in ("killed_min", "killed_max", "injured_min", "injured_max",
                                                   "children_killed", "women_killed")}
    values |= {k: sub.get(k, parse_date) for k in ("published", "date_start", "date_end")}
    values["source_kind"] = sub.code("source_kind", "source_kind", "other")
    values["actor"] = sub.code("actor", "actor", None)
    values["event_type"] = sub.code("event_type", "event_type", None)
    values["civilians"] = sub.get("civilians", parse_civilians, "unknown")
    values["created_at"] = sub.get("created_at", _parse_stamp)
    unknown = set(item) - set(CLAIM_FIELDS)
    for key in sorted(unknown):
        sub.problems.append(Problem(key, "unknown claim field"))
    reader.problems += [Problem(f"claims[{index}].{p.field}", p.reason) for p in sub.problems]
    if sub.problems:
        return None
    values = {k: v for k, v in values.items() if v is not None or k in ("url", "language")}
    values.setdefault("source_name", "")
    values.setdefault("quote", "")
    return Claim(**values)
