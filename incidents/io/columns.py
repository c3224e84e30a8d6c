"""The project's own flat incident table: one row per incident, used by CSV, XLSX, GeoJSON and GeoPackage.

Columns (documented in README.md, "File formats"): every field of the incident, a summary of its first
source (``source_name``, ``source_kind``, ``source_url``, ``source_language``, ``source_published``,
``quote``) for people reading the file, and ``claims``: every claim as JSON, which is what an import reads
back when present. A table without ``claims`` (a spreadsheet typed by hand, its headers already mapped to
fields by :mod:`incidents.io.mapping`) gets one claim per source built from the source columns (or a ``sources``
list of ``name <url>`` items) and the row's figures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from incidents.domain import taxonomy
from incidents.domain.records import CLAIM_FIELDS, INCIDENT_FIGURES, Claim, Incident
from incidents.domain.validation import (
    ParseError,
    Problem,
    RowError,
    check_incident,
    is_blank,
    min_above_max,
    parse_bool,
    parse_civilians,
    parse_count,
    parse_date,
    parse_float,
    unknown_code,
)
from incidents.io.text import unstorable_problem

INCIDENT_COLUMNS = (
    "uid", "date_start", "date_end", "date_precision", "place_id", "place_text", "place_name_ar",
    "place_name_en", "lat", "lon", "location_precision", "admin1", "admin2", "admin3", "event_type", "actor",
    "actor_certainty", "target", "killed_min", "killed_max", "killed_best", "injured_min", "injured_max",
    "civilians", "children_killed", "women_killed", "figures_rule", "figures_reason", "grading", "status",
    "description", "tags", "toll_group", "shared_toll", "record_kind", "covers", "version", "created_at",
    "updated_at", "created_by", "updated_by", "external_source", "external_id", "extra",
)
SOURCE_COLUMNS = ("source_name", "source_kind", "source_url", "source_language", "source_published", "quote")
COLUMNS = INCIDENT_COLUMNS + SOURCE_COLUMNS + ("claims",)

_INT_FIELDS = INCIDENT_FIGURES
_CODE_FIELDS = {"date_precision": "date_precision", "location_precision": "location_precision",
                "event_type": "event_type", "actor": "actor", "actor_certainty": "actor_certainty",
                "grading": "grading", "status": "status", "record_kind": "record_kind"}
COLUMN_DEFAULTS = {"date_precision": "day", "location_precision": "unknown", "event_type": "other", "actor": "unknown",
             "actor_certainty": "stated", "grading": "unassessed", "status": "draft", "figures_rule": "claims",
             "record_kind": "incident"}


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
    row["extra"] = json.dumps(incident.extra, ensure_ascii=False, sort_keys=True) if incident.extra else None
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
    """Parse one untrusted row into typed values, collecting a :class:`Problem` per bad field.

    ``external_actors``: actor names come from another dataset (ACLED, UCDP): a name matching none of ours is
    the actor "other", not an error.
    """

    def __init__(self, row: Mapping[str, object], external_actors: bool = False) -> None:
        self.row = row
        self.problems: list[Problem] = []
        self.external_actors = external_actors

    def get(self, name: str, parse: Callable[[object], object], default: object = None) -> object:
        """Return the parsed value of column ``name``, or ``default`` if blank or unparseable."""
        value = self.row.get(name)
        try:
            parsed = parse(value)
        except ParseError as exc:
            self.problems.append(Problem.parse_failed(name, exc))
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
            self.problems.append(unknown_code(name, text, vocabulary))
            return default
        return code


def row_to_incident(row: Mapping[str, object], external_actors: bool = False,
                    ) -> tuple[Incident | None, list[Problem]]:
    """Parse a flat row (our columns, headers already canonical) into an incident with its claims.

    Returns
    -------
    (Incident | None, list[Problem])
        The incident, or None when the row cannot be read at all, and every problem found. The record's
        own rules (:func:`incidents.domain.validation.check_incident`) are checked too.
    """
    reader = RowReader(_expand_single_figures(row), external_actors)
    values = _incident_values(reader)
    values |= _table_values(reader, values)
    claims = _claims(reader, values)
    incident = Incident(**values, claims=claims)
    # Unreadable cells were left empty, so the record's rules can still be checked: report everything at once.
    unreadable = {p.field for p in reader.problems}
    if unreadable & {"lat", "lon"}:
        unreadable |= {"lat", "lon"}
    problems = reader.problems + [p for p in check_incident(incident) if p.field not in unreadable]
    if claims and reader.text("claims") is None:
        problems = _as_row_columns(problems, len(claims))
    return (None if reader.problems else incident), problems


_CLAIM_TO_ROW_COLUMN = {"url": "source_url", "language": "source_language", "published": "source_published"}


def _as_row_columns(problems: list[Problem], count: int = 1) -> list[Problem]:
    """Name a claim built from the row's own columns by those columns, and drop problems said twice."""
    renamed = []
    for problem in problems:
        name = problem.field
        prefix = next((f"claims[{i}]." for i in range(count) if name.startswith(f"claims[{i}].")), None)
        if prefix:
            name = name.removeprefix(prefix)
            name = _CLAIM_TO_ROW_COLUMN.get(name, name)
        renamed.append(problem.renamed(name))
    return list(dict.fromkeys(renamed))


def range_precision(days: int) -> str:
    """The precision of a date given as a range of ``days`` days after its start."""
    return "week" if days < 7 else "month" if days < 31 else "year"


_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*$")


def _expand_partial_dates(data: dict) -> None:
    """A start date of only ``YYYY-MM`` or ``YYYY`` is that whole month or year, with that precision."""
    cell = data.get("date_start")
    match = _PARTIAL_DATE.match(cell) if isinstance(cell, str) else None
    if match is None or not 1900 <= int(match[1]) <= 2100 or (match[2] and not 1 <= int(match[2]) <= 12):
        return
    year, month = int(match[1]), int(match[2]) if match[2] else None
    end = date(year, 12, 31) if month is None else (date(year + (month == 12), month % 12 + 1, 1)
                                                     - timedelta(days=1))
    data["date_start"] = date(year, month or 1, 1).isoformat()
    if is_blank(data.get("date_end")):
        data["date_end"] = end.isoformat()
    if is_blank(data.get("date_precision")):
        data["date_precision"] = "year" if month is None else "month"


def _expand_single_figures(row: Mapping[str, object]) -> dict:
    """A single ``killed``/``injured`` column means min = max = that number."""
    data = dict(row)
    _expand_partial_dates(data)
    for kind in ("killed", "injured"):
        single = data.pop(kind, None)
        if not is_blank(single):
            for end in ("min", "max"):
                if is_blank(data.get(f"{kind}_{end}")):
                    data[f"{kind}_{end}"] = single
    return data


def _incident_values(reader: RowReader) -> dict:
    values: dict = {name: reader.get(name, parse_count) for name in _INT_FIELDS}
    values |= {name: reader.code(name, vocab, COLUMN_DEFAULTS[name]) for name, vocab in _CODE_FIELDS.items()
               if name != "actor"}
    values |= _actor_values(reader)
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
    elif reader.text("date_precision") is None and values["date_start"] and values["date_end"] > values["date_start"]:
        values["date_precision"] = range_precision((values["date_end"] - values["date_start"]).days)
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
        raise ParseError.said("problems.not_date_time", value=repr(str(value).strip())) from None


def _claims(reader: RowReader, values: dict) -> list[Claim]:
    encoded = reader.text("claims")
    if encoded:
        return _claims_from_json(reader, encoded)
    cited = _cited_sources(reader)
    name = reader.text("source_name")
    if name is None and reader.text("quote") is None and not cited:
        return []
    if name is not None or not cited:
        cited.insert(0, (name or "", reader.text("source_url")))
    copied = ("actor", "event_type", "date_start", "date_end", "civilians", "killed_min", "killed_max",
              "injured_min", "injured_max", "children_killed", "women_killed")
    figures: dict[str, Any] = {k: values.get(k) for k in copied}
    quote = reader.text("quote") or values.get("description") or reader.text("__row_text__") or ""
    kind = reader.code("source_kind", "source_kind", "other") or "other"
    language = reader.text("source_language")
    published = cast(date | None, reader.get("source_published", parse_date))
    return [Claim(source_name=source, quote=quote, source_kind=kind, url=url, language=language,
                  published=published, **figures) for source, url in cited]


_SOURCE_ITEM = re.compile(r"^(?P<name>.*?)\s*<(?P<url>[^<>]*)>\s*$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def split_sources(text: str) -> list[tuple[str, str | None]]:
    """Split a sources cell into ``(name, url)`` pairs, one per source.

    Items are separated by new lines or ``;`` (or ``,`` between ``<url>`` items); each is ``name <url>``, a
    bare name or a bare URL (then its host names it).

    >>> split_sources("SOHR <https://syriahr.com/a>; Deir Ezzor 24 <https://deirezzor24.net/b>")
    [('SOHR', 'https://syriahr.com/a'), ('Deir Ezzor 24', 'https://deirezzor24.net/b')]
    """
    items = re.split(r"[\n;]+|(?<=>)\s*,\s*", text)
    found: list[tuple[str, str | None]] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if match := _SOURCE_ITEM.match(item):
            url = match["url"].strip() or None
            found.append((match["name"].strip() or _host(url), url))
        elif _URL.match(item):
            found.append((_host(item), item))
        else:
            found.append((item, None))
    return list(dict.fromkeys(found))


def _host(url: str | None) -> str:
    if not url:
        return ""
    return re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE).split("/")[0] or url


def _cited_sources(reader: RowReader) -> list[tuple[str, str | None]]:
    text = reader.text("sources")
    return split_sources(text) if text else []


#: How a stated accuracy of coordinates reads as our location precision (first fragment found wins).
_ACCURACY = (
    ("exact", "exact"), ("precise", "exact"), ("within 100", "exact"), ("landmark", "exact"), ("street", "exact"),
    ("building", "exact"), ("دقيق", "exact"), ("neighbo", "neighbourhood"), ("حي", "neighbourhood"),
    ("sub-district", "subdistrict"), ("subdistrict", "subdistrict"), ("nahiya", "subdistrict"),
    ("ناحية", "subdistrict"), ("district", "district"), ("منطقة", "district"), ("governorate", "governorate"),
    ("province", "governorate"), ("محافظة", "governorate"), ("within 1", "village"), ("village", "village"),
    ("town", "village"), ("city", "village"), ("قرية", "village"), ("بلدة", "village"), ("مدينة", "village"),
)


def precision_from_accuracy(text: str | None) -> str | None:
    """Return the location precision a stated accuracy of coordinates means ("Within 1km" → village), or None."""
    if not text:
        return None
    lowered = text.casefold()
    code = taxonomy.resolve("location_precision", text)
    if code:
        return code
    return next((precision for fragment, precision in _ACCURACY if fragment in lowered), None)


_ACTOR_SEPARATORS = re.compile(r"\s*(?:[,;|/،؛]|\band\b|\bor\b|\s&\s)\s*", re.IGNORECASE)


def _actor_values(reader: RowReader) -> dict:
    """Return ``actor`` and, when the cell names several suspected belligerents, ``actors`` (every code) and
    ``actor_certainty`` contested."""
    text = reader.text("actor")
    if text is None:
        return {"actor": COLUMN_DEFAULTS["actor"]}
    single = taxonomy.resolve("actor", text)
    if single:
        return {"actor": single}
    parts = [p for p in _ACTOR_SEPARATORS.split(text) if p.strip()]
    codes = list(dict.fromkeys(_actor_code(p) for p in parts)) if len(parts) > 1 else []
    if len(codes) > 1:
        return {"actor": codes[0], "actors": codes, "actor_certainty": "contested"}
    code = codes[0] if codes else _actor_code(text)
    if code == "other" and not reader.external_actors:
        reader.problems.append(unknown_code("actor", text, "actor"))
        return {"actor": COLUMN_DEFAULTS["actor"]}
    return {"actor": code}


def _actor_code(name: str) -> str:
    from incidents.io.actors_match import match_external_actor

    return match_external_actor(name)


def _table_values(reader: RowReader, values: dict) -> dict:
    """Values only hand-made and external tables carry: their own id, place names, accuracy, ranges, extra."""
    extra: dict = dict(cast(dict, reader.row.get("__extra__") or {}))
    extra |= _extra_column(reader)
    extra |= _ranges(reader, values)
    changes: dict = {}
    actors = values.pop("actors", None)
    if actors:
        extra["actors"] = actors
        if reader.text("actor_certainty") is None:
            changes["actor_certainty"] = "contested"
    for name in ("external_source", "external_id"):
        if (text := reader.text(name)) is not None:
            changes[name] = text
    if changes.get("external_id") and not changes.get("external_source"):
        changes["external_source"] = reader.row.get("__source__") or "table"
    accuracy = reader.text("location_accuracy")
    if accuracy is not None:
        extra["location_accuracy"] = accuracy
        stated_point = values.get("lat") is not None and values.get("lon") is not None
        if stated_point and reader.text("location_precision") is None and (
                precision := precision_from_accuracy(accuracy)):
            changes["location_precision"] = precision
    if values.get("place_text") is None:
        names = [n for n in (values.get("place_name_en"), values.get("place_name_ar")) if n]
        changes["place_text"] = " / ".join(names) or None
    changes["extra"] = extra
    return changes


def _extra_column(reader: RowReader) -> dict:
    text = reader.text("extra_json")
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reader.problems.append(Problem.said("extra_json", "problems.not_json", detail=exc.msg, position=exc.pos))
        return {}
    if not isinstance(data, dict):
        reader.problems.append(Problem.said("extra_json", "problems.not_json_object"))
        return {}
    if problem := unstorable_problem("extra_json", data):
        reader.problems.append(problem)
        return {}
    return data


def _ranges(reader: RowReader, values: dict) -> dict:
    """Keep the children/women/men ranges whole in extra; the record's single figure is the minimum."""
    kept: dict = {}
    for kind in ("children_killed", "women_killed", "men_killed"):
        low = cast(int | None, reader.get(f"{kind}_min", parse_count))
        high = cast(int | None, reader.get(f"{kind}_max", parse_count))
        if low is None and high is None:
            continue
        if low is not None and high is not None and low > high:
            reader.problems.append(min_above_max(f"{kind}_min", kind, low, high))
        kept[f"{kind}_min"], kept[f"{kind}_max"] = low, high
        if kind != "men_killed" and values.get(kind) is None:
            values[kind] = low
    if (men := reader.get("men_killed", parse_count)) is not None:
        kept["men_killed"] = men
    return kept


def _claims_from_json(reader: RowReader, encoded: str) -> list[Claim]:
    try:
        items = json.loads(encoded)
    except json.JSONDecodeError as exc:
        reader.problems.append(Problem.said("claims", "problems.not_json", detail=exc.msg, position=exc.pos))
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        reader.problems.append(Problem.said("claims", "problems.not_json_list"))
        return []
    if problem := unstorable_problem("claims", items):
        reader.problems.append(problem)
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
        sub.problems.append(Problem.said(key, "problems.unknown_claim_field"))
    reader.problems += [p.renamed(f"claims[{index}].{p.field}") for p in sub.problems]
    if sub.problems:
        return None
    values = {k: v for k, v in values.items() if v is not None or k in ("url", "language")}
    values.setdefault("source_name", "")
    values.setdefault("quote", "")
    return Claim(**values)


@dataclass
class ParsedRow:
    """One input row: where it was, its original cells, and what it became."""

    row: int | str
    raw: dict
    incident: Incident | None
    problems: list[Problem] = field(default_factory=list)

    def errors(self) -> list[RowError]:
        """Return this row's problems located at its row number."""
        return [p.at_row(self.row) for p in self.problems]
