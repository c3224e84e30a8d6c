"""The rules of the incident record, and parsing of untrusted cell values.

Every check returns :class:`Problem` values naming the field, what is wrong and the value that came, so that
an import can report every rejected row at once. The messages are part of the interface (tests assert them): each
is an entry of the [problems] table of the catalogue, English for the command line and logs, Arabic for an Arabic
interface (:meth:`Problem.localised`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from dataclasses import field as _field
from datetime import date, datetime
from typing import Self

from incidents.domain import taxonomy
from incidents.domain.errors import IncidentsError, say
from incidents.domain.messages import field_label, text
from incidents.domain.records import INCIDENT_FIGURES, Claim, Incident

#: Latitude/longitude box accepted for incidents: Syria and Iraq's Anbar and Ninawa governorates.
REGION = {"lat_min": 29.0, "lat_max": 38.5, "lon_min": 35.0, "lon_max": 49.0}
REGION_TEXT = "latitude 29–38.5, longitude 35–49: Syria and Iraq's Anbar and Ninawa"

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]+)[ -,]*(\d{4})$")
#: A record id: letters, digits and ``_ . : -``, starting with a letter or digit, at most 36 characters (the
#: column's width): UUIDs, ``acled:SYR123``, ``airwars:CS1234``. Nothing a spreadsheet or a page could read as
#: markup or a formula.
UID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,35}")
#: The largest toll one record may state (a bigger figure is a typing or conversion error, and would not fit
#: the database's integer columns).
MAX_TOLL = 1_000_000
#: The earliest day a record may hold (``_check_dates``); every date widget offers it, so no stored date is out
#: of a widget's range.
EARLIEST_DATE = date(1900, 1, 1)


Said = tuple[str | None, tuple[tuple[str, object], ...]]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field: ``reason`` in English; ``key`` and ``values`` say it in either language.

    Equal and hashed by field and reason only (the key and values say the same thing), so that a problem said twice
    is dropped once whichever way it was built; picklable (a worker pool parses rows).
    """

    field: str
    reason: str
    #: The [problems] entry of the catalogue that says ``reason``, and its values (pairs: hashable); None for a
    #: reason said in English only.
    key: str | None = _field(default=None, compare=False)
    values: tuple[tuple[str, object], ...] = _field(default=(), compare=False)

    @classmethod
    def said(cls, field_name: str, key: str, **values: object) -> Self:
        """Return the problem of ``field_name`` that catalogue entry ``key`` says with ``values``."""
        return cls(field_name, say(key, "en", values), key, tuple(values.items()))

    @classmethod
    def parse_failed(cls, field_name: str, error: ParseError) -> Self:
        """Return the problem of a cell that ``error`` could not read, said as the error says it."""
        return cls(field_name, str(error), error.key, tuple(error.values.items()))

    def localised(self, lang: str = "en") -> str:
        """Return the reason in the interface language ``lang`` (English if it has no catalogue entry)."""
        return say(self.key, lang, dict(self.values)) if self.key else self.reason

    def renamed(self, field_name: str) -> Self:
        """Return this problem of another field name (the file's column, a claim's place), said the same way."""
        return replace(self, field=field_name)

    def at_row(self, row: int | str) -> RowError:
        """Return this problem located at ``row`` of an input file."""
        return RowError(row=row, field=self.field, reason=self.reason, key=self.key, values=self.values)


class ProblemLine(str):
    """A problem as one line, "field: reason": a ``str`` in English (logs, tests, the command line) that also says
    itself in either language (:meth:`localised`, its field by its label)."""

    problem: Problem

    def __new__(cls, problem: Problem) -> ProblemLine:  # noqa: D102 - the class says it
        line = super().__new__(cls, text("problems.joined", "en", field=problem.field, reason=problem.reason))
        line.problem = problem
        return line

    def __reduce__(self) -> tuple:
        """Rebuilt from its problem (pickled or copied)."""
        return type(self), (self.problem,)

    def localised(self, lang: str = "en") -> str:
        """Return "field: reason" in ``lang``."""
        return text("problems.joined", lang, field=field_label(self.problem.field, lang),
                    reason=self.problem.localised(lang))


@dataclass(frozen=True)
class RowError:
    """A problem located in an input file: row number (spreadsheet numbering: header is row 1) or feature."""

    row: int | str
    field: str
    reason: str
    key: str | None = _field(default=None, compare=False)
    values: tuple[tuple[str, object], ...] = _field(default=(), compare=False)

    def __str__(self) -> str:
        where = f"row {self.row}" if isinstance(self.row, int) else str(self.row)
        return f"{where}, field {self.field}: {self.reason}"

    def localised(self, lang: str = "en") -> str:
        """Return the reason in ``lang`` (see :meth:`Problem.localised`)."""
        return say(self.key, lang, dict(self.values)) if self.key else self.reason


class ParseError(IncidentsError, ValueError):
    """A cell value cannot be read as the type its column needs; the message says why."""


# -- parsing untrusted cells ------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    """Return whether a cell is empty (None, NaN, or only whitespace)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def parse_date(value: object) -> date | None:
    """Read a date cell: ISO ``YYYY-MM-DD``, ``DD/MM/YYYY`` or ``17 November 2018``; blank → None.

    Raises
    ------
    ParseError
        "not a date: '…' (expected YYYY-MM-DD)" or "impossible date: '…'".
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    parts = _date_parts(text)
    if parts is None:
        raise ParseError.said("problems.not_date", value=repr(text))
    try:
        return date(*parts)
    except ValueError:
        raise ParseError.said("problems.impossible_date", value=repr(text)) from None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    if m := _ISO.match(text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := _DMY.match(text):
        return int(m[3]), int(m[2]), int(m[1])
    if (m := _DAY_MONTH_YEAR.match(text)) and m[2].lower() in _MONTHS:
        return int(m[3]), _MONTHS[m[2].lower()], int(m[1])
    return None


def parse_count(value: object) -> int | None:
    """Read a whole-number cell (``12``, ``12.0``, ``"12"``); blank → None.

    Raises
    ------
    ParseError
        "not a whole number: '…'".
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError.said("problems.not_whole", value=repr(value))
    if isinstance(value, int):
        return _bounded(value)
    if isinstance(value, float):
        if value.is_integer():
            return _bounded(int(value))
        raise ParseError.said("problems.not_whole", value=repr(value))
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return _bounded(int(text.split(".")[0]))
    raise ParseError.said("problems.not_whole", value=repr(text[:40]))


#: The largest whole number a database integer column holds.
MAX_COUNT = 2**31 - 1


def _bounded(number: int) -> int:
    if abs(number) > MAX_COUNT:
        raise ParseError.said("problems.too_large", value=number, most=f"{MAX_COUNT:,}")
    return number


def parse_float(value: object) -> float | None:
    """Read a decimal number cell; blank → None. Raises :class:`ParseError` "not a number: '…'"."""
    if is_blank(value):
        return None
    try:
        number = float(str(value).strip()) if not isinstance(value, int | float) else float(value)
    except ValueError:
        raise ParseError.said("problems.not_number", value=repr(str(value).strip())) from None
    if math.isnan(number) or math.isinf(number):
        raise ParseError.said("problems.not_number", value=repr(value))
    return number


def parse_bool(value: object) -> bool | None:
    """Read a yes/no cell (true/false, yes/no, 1/0, نعم/لا); blank → None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in {"true", "yes", "y", "1", "نعم"}:
        return True
    if text in {"false", "no", "n", "0", "لا"}:
        return False
    raise ParseError.said("problems.not_yes_no", value=repr(str(value).strip()))


def parse_civilians(value: object) -> str:
    """Read the civilians cell: yes/no/unknown (or true/false); blank → "unknown"."""
    if is_blank(value):
        return "unknown"
    text = str(value).strip().casefold()
    if text in {"yes", "no", "unknown"}:
        return text
    flag = parse_bool(value)
    return "unknown" if flag is None else ("yes" if flag else "no")


# -- rules of the record ----------------------------------------------------------------------------------


def check_incident(incident: Incident, today: date | None = None) -> list[Problem]:
    """Return every rule the incident breaks (empty list if none), its claims included.

    Parameters
    ----------
    incident
        The record to check.
    today
        The reference for "in the future" (defaults to today's date).
    """
    problems = check_uid("uid", incident.uid)
    for covered in incident.covers:  # a combined or cumulative toll names the incidents it covers by uid
        problems += check_uid("covers", covered)
    problems += _check_vocabularies(incident)
    problems += _check_dates("", incident.date_start, incident.date_end, today)
    problems += _check_tolls("", incident)
    problems += _check_place(incident)
    if not incident.claims:
        problems.append(Problem.said("source_name", "problems.no_claim"))
    for index, claim in enumerate(incident.claims):
        problems += check_claim(claim, f"claims[{index}].", today)
    if incident.figures_rule == "editor" and not (incident.figures_reason or "").strip():
        problems.append(Problem.said("figures_reason", "problems.no_figures_reason"))
    return problems


def check_claim(claim: Claim, prefix: str = "", today: date | None = None) -> list[Problem]:
    """Return every rule the claim breaks; field names are prefixed with ``prefix``."""
    problems = check_uid(f"{prefix}uid", claim.uid)
    if is_blank(claim.source_name):
        problems.append(Problem.said(f"{prefix}source_name", "problems.no_source"))
    if is_blank(claim.quote):
        problems.append(Problem.said(f"{prefix}quote", "problems.no_quote"))
    problems += _check_codes(prefix, claim, (("source_kind", "source_kind"), ("civilians", "civilians")))
    if claim.actor is not None:
        problems += _check_codes(prefix, claim, (("actor", "actor"),))
    if claim.event_type is not None:
        problems += _check_codes(prefix, claim, (("event_type", "event_type"),))
    problems += _check_dates(prefix, claim.date_start, claim.date_end, today)
    if claim.published is not None and claim.published > (today or date.today()):
        problems.append(Problem.said(f"{prefix}published", "problems.future", date=claim.published.isoformat()))
    problems += _check_tolls(prefix, claim)
    return problems


def check_uid(field_name: str, uid: object) -> list[Problem]:
    """Return a problem if ``uid`` is not a plain identifier (:data:`UID_PATTERN`), else nothing."""
    if isinstance(uid, str) and UID_PATTERN.fullmatch(uid):
        return []
    shown = repr(uid) if len(str(uid)) <= 60 else repr(str(uid)[:60]) + "…"
    return [Problem.said(field_name, "problems.not_identifier", value=shown)]


def _check_vocabularies(incident: Incident) -> list[Problem]:
    pairs = (
        ("actor", "actor"), ("event_type", "event_type"), ("grading", "grading"), ("status", "status"),
        ("date_precision", "date_precision"), ("location_precision", "location_precision"),
        ("civilians", "civilians"), ("actor_certainty", "actor_certainty"), ("record_kind", "record_kind"),
    )
    problems = _check_codes("", incident, pairs)
    if incident.figures_rule not in ("claims", "editor"):
        problems.append(Problem.said("figures_rule", "problems.figures_rule", value=repr(incident.figures_rule)))
    return problems


def _check_codes(prefix: str, record: object, pairs: tuple[tuple[str, str], ...]) -> list[Problem]:
    problems = []
    for field_name, vocabulary in pairs:
        value = getattr(record, field_name)
        allowed = taxonomy.codes(vocabulary)
        if value not in allowed:
            problems.append(unknown_code(f"{prefix}{field_name}", value, vocabulary))
    return problems


def _check_dates(prefix: str, start: date | None, end: date | None, today: date | None) -> list[Problem]:
    problems = []
    limit = today or date.today()
    for name, value in (("date_start", start), ("date_end", end if end != start else None)):
        if value is not None and value > limit:
            problems.append(Problem.said(f"{prefix}{name}", "problems.future", date=value.isoformat()))
        if value is not None and value < EARLIEST_DATE:
            problems.append(Problem.said(f"{prefix}{name}", "problems.before_1900", date=value.isoformat()))
    if start is not None and end is not None and end < start:
        problems.append(Problem.said(f"{prefix}date_end", "problems.end_before_start", end=end.isoformat(),
                                     start=start.isoformat()))
    return problems


def _check_tolls(prefix: str, record: object) -> list[Problem]:
    problems = []
    for name in INCIDENT_FIGURES:
        value = getattr(record, name, None)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem.said(f"{prefix}{name}", "problems.not_whole", value=repr(value)))
        elif value < 0:
            problems.append(Problem.said(f"{prefix}{name}", "problems.negative", value=value))
        elif value > MAX_TOLL:
            problems.append(Problem.said(f"{prefix}{name}", "problems.toll_too_large", value=value,
                                         most=f"{MAX_TOLL:,}"))
    if problems:
        return problems
    for kind in ("killed", "injured"):
        low, high = getattr(record, f"{kind}_min"), getattr(record, f"{kind}_max")
        if low is not None and high is not None and low > high:
            problems.append(min_above_max(f"{prefix}{kind}_min", kind, low, high))
    return problems


def _check_place(incident: Incident) -> list[Problem]:
    lat, lon = incident.lat, incident.lon
    if (lat is None) != (lon is None):
        return [Problem.said("lat" if lat is None else "lon", "problems.half_a_point")]
    if lat is None or lon is None:
        return []
    inside = REGION["lat_min"] <= lat <= REGION["lat_max"] and REGION["lon_min"] <= lon <= REGION["lon_max"]
    if not inside:
        return [Problem.said("lat", "problems.outside_region", lat=lat, lon=lon)]
    return []


def unknown_code(field_name: str, value: object, vocabulary: str) -> Problem:
    """Return the problem of ``value`` not being a code of ``vocabulary`` (its codes listed)."""
    return Problem.said(field_name, "problems.unknown_code", value=repr(value), vocabulary=vocabulary,
                        allowed=", ".join(taxonomy.codes(vocabulary)))


def min_above_max(field_name: str, kind: str, low: int, high: int) -> Problem:
    """Return the problem of ``{kind}_min`` ``low`` above ``{kind}_max`` ``high``."""
    return Problem.said(field_name, "problems.min_above_max", low_field=f"{kind}_min", low=low,
                        high_field=f"{kind}_max", high=high)
