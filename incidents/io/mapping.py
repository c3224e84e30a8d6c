"""Column mapping: which column of an imported table fills which field of the record.

An import proposes a mapping from any header (English or Arabic spellings, ``_min``/``_max`` pairs, HXL
hashtags; the spellings live in ``incidents/data/import_headers.toml``), shows it, and lets the user correct it.
A mapping is saved as a small JSON file and reused (README, "Import: the mapping file")::

    {
      "columns": {"رقم الحادثة": "external_id", "Date of strike": "date_start", "Notes 2": "extra",
                  "internal colour": "ignore"},
      "source": "my-table",
      "keep_unmapped": false
    }

``columns`` maps a header to a field (:data:`FIELDS`), to ``extra`` (kept as it came in the incident's
``extra`` JSON) or to ``ignore`` (left out on purpose). ``source`` names the table's own id space: a row whose
``external_id`` was imported before from the same source updates that incident. ``keep_unmapped`` keeps every
column that maps to nothing in ``extra``; otherwise such a column is an error (nothing is dropped silently).
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from incidents.domain.errors import FileFormatError

#: What a column can be mapped to besides a field.
EXTRA, IGNORE = "extra", "ignore"
#: Fields with a range in tables: ``X_min``/``X_max`` columns, or one ``X`` column meaning both ends.
RANGED = ("killed", "injured", "children_killed", "women_killed", "men_killed")
#: Fields kept whole in ``extra`` (the record has one number for them, the table two).
RANGE_IN_EXTRA = ("children_killed", "women_killed", "men_killed")
#: Every field a column can fill, in display order.
FIELDS: tuple[str, ...] = (
    "external_id", "uid", "date_start", "date_end", "date_precision", "place_text", "place_name_en",
    "place_name_ar", "place_id", "lat", "lon", "location_accuracy", "location_precision", "admin1", "admin2",
    "admin3", "event_type", "actor", "actor_certainty", "target", "killed", "killed_min", "killed_max",
    "killed_best", "injured", "injured_min", "injured_max", "children_killed", "children_killed_min",
    "children_killed_max", "women_killed", "women_killed_min", "women_killed_max", "men_killed", "men_killed_min",
    "men_killed_max", "civilians", "grading", "status", "description", "tags", "source_name", "source_kind",
    "source_url", "source_language", "source_published", "quote", "sources", "claims", "toll_group", "shared_toll",
    "record_kind", "covers",
    "figures_rule", "figures_reason", "version", "created_at", "updated_at", "created_by", "updated_by",
    "external_source", "extra_json", EXTRA,
)
TARGETS = (*FIELDS, IGNORE)
DEFAULT_SOURCE = "table"

_MIN_SUFFIXES = ("_min", "_minimum", "_low", "_lower", "_الأدنى", "_الادنى", "_الحد_الادنى", "_أدنى", "_ادنى")
_MAX_SUFFIXES = ("_max", "_maximum", "_high", "_upper", "_الأعلى", "_الاعلى", "_الحد_الاعلى", "_أعلى", "_اعلى")
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})


class MappingError(FileFormatError):
    """A mapping file or a ``--map`` option cannot be read, or names a field that does not exist."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column fills which field; ``columns`` holds every header of the table, in order.

    A header mapped to None maps to nothing yet: it is an error at import unless ``keep_unmapped``.
    """

    columns: tuple[tuple[str, str | None], ...]
    source: str = DEFAULT_SOURCE
    keep_unmapped: bool = False

    def target(self, header: str) -> str | None:
        """Return the field ``header`` maps to (None: nothing yet)."""
        return dict(self.columns).get(header)

    @property
    def unmapped(self) -> list[str]:
        """Headers that map to nothing (neither a field, nor ``extra``, nor ``ignore``)."""
        return [h for h, t in self.columns if t is None and h]

    @property
    def kept_in_extra(self) -> list[str]:
        """Headers whose cells go to ``extra``: mapped so, or unmapped with ``keep_unmapped``."""
        return [h for h, t in self.columns if t == EXTRA or (t is None and h and self.keep_unmapped)]

    @property
    def fields(self) -> set[str]:
        """The fields this mapping fills."""
        return {t for _, t in self.columns if t and t not in (EXTRA, IGNORE)}

    def duplicates(self) -> dict[str, list[str]]:
        """Fields two or more columns map to (ambiguous: the user must choose)."""
        seen: dict[str, list[str]] = {}
        for header, target in self.columns:
            if target and target not in (EXTRA, IGNORE):
                seen.setdefault(target, []).append(header)
        return {k: v for k, v in seen.items() if len(v) > 1}

    def with_changes(self, changes: Mapping[str, str | None], *, source: str | None = None,
                     keep_unmapped: bool | None = None) -> ColumnMapping:
        """Return this mapping with ``changes`` (header → field) applied; unknown headers or fields refused."""
        known = dict(self.columns)
        for header, target in changes.items():
            if header not in known:
                raise MappingError(f"no column {header!r} in this table; its columns are: {', '.join(known)}")
            check_target(target, header)
        columns = tuple((h, changes[h] if h in changes else t) for h, t in self.columns)
        return ColumnMapping(columns, source if source is not None else self.source,
                       self.keep_unmapped if keep_unmapped is None else keep_unmapped)

    def to_json(self) -> str:
        """Return the mapping file's text (only the columns that map to something are written)."""
        data = {"columns": {h: t for h, t in self.columns if t is not None}, "source": self.source,
                "keep_unmapped": self.keep_unmapped}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def describe(self) -> list[str]:
        """Return one line per column: ``header -> field`` (or what happens to it)."""
        lines = []
        for header, target in self.columns:
            if target is None:
                what = "extra (kept as it came)" if self.keep_unmapped else "NOT MAPPED (map it, or keep it in extra)"
            else:
                what = target
            lines.append(f"{header} -> {what}")
        return lines


def check_target(target: str | None, header: str = "") -> None:
    """Raise :class:`MappingError` unless ``target`` is a field, ``extra``, ``ignore`` or None."""
    if target is not None and target not in TARGETS:
        raise MappingError.said("file_errors.not_a_field", column=repr(header), target=repr(target),
                                allowed=", ".join(TARGETS))


# -- proposing ------------------------------------------------------------------------------------------


def normalise_header(header: str) -> str:
    """Return the comparable form of a header: case folded, Arabic normalised, separators as ``_``."""
    text = unicodedata.normalize("NFKC", str(header)).strip().casefold()
    text = _DIACRITICS.sub("", text).translate(_ARABIC_LETTERS)
    text = re.sub(r"[\s\-./()\[\]:]+", "_", text)
    return text.strip("_")


def _hxl_key(tag: str) -> str:
    parts = [p for p in tag.strip().casefold().replace(" ", "").split("+") if p]
    return "+".join(parts[:1] + sorted(parts[1:]))


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    """Return (normalised header → field, HXL key → field) from the data file."""
    text = resources.files("incidents").joinpath("data/import_headers.toml").read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    hxl: dict[str, str] = {}
    for name, entry in tomllib.loads(text).items():
        for spelling in entry.get("headers", ()):
            headers.setdefault(normalise_header(spelling), name)
        for tag in entry.get("hxl", ()):
            hxl.setdefault(_hxl_key(tag), name)
    return headers, hxl


def vocabulary_entries() -> Iterable[tuple[str, str]]:
    """Yield ``(spelling, field)`` for every header spelling of the data file (for its tests)."""
    headers, _ = _vocabulary()
    return headers.items()


def propose_field(header: str, hxl_tag: str | None = None) -> str | None:
    """Return the field a header (or its HXL hashtag) most likely means, or None."""
    headers, hashtags = _vocabulary()
    if hxl_tag and hxl_tag.strip().startswith("#"):
        found = hashtags.get(_hxl_key(hxl_tag))
        if found:
            return found
    key = normalise_header(header)
    if key.startswith("#"):
        return hashtags.get(_hxl_key(header))
    if key in headers:
        return headers[key]
    for suffixes, end in ((_MIN_SUFFIXES, "min"), (_MAX_SUFFIXES, "max")):
        for suffix in suffixes:
            base = key.removesuffix(normalise_header(suffix)) if key.endswith(normalise_header(suffix)) else None
            if base and headers.get(base.strip("_")) in RANGED:
                return f"{headers[base.strip('_')]}_{end}"
    return None


def propose_mapping(header: Sequence[str], hxl_row: Sequence[str] | None = None,
                    source: str = DEFAULT_SOURCE) -> ColumnMapping:
    """Return the proposed mapping of a table's header; a field claimed twice goes to the first column only."""
    taken: set[str] = set()
    columns: list[tuple[str, str | None]] = []
    for index, name in enumerate(header):
        tag = hxl_row[index] if hxl_row and index < len(hxl_row) else None
        target = propose_field(name, tag) if name else IGNORE
        if target in taken and target not in (EXTRA, IGNORE):
            target = None
        if target:
            taken.add(target)
        columns.append((name, target))
    return ColumnMapping(tuple(columns), source)


# -- reading and changing --------------------------------------------------------------------------------


def load_mapping(text: str, header: Sequence[str], hxl_row: Sequence[str] | None = None,
                 name: str = "mapping file") -> ColumnMapping:
    """Return the proposed mapping of ``header`` corrected by a saved mapping file's text.

    Columns the file names but the table lacks are refused (a mapping made for another table); columns the
    table has and the file does not name keep their proposal.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError.said("file_errors.not_json", name=name, detail=exc.msg, line=exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise MappingError(f'{name}: expected {{"columns": {{"header": "field", ...}}, "source": "..."}}')
    unknown = set(data) - {"columns", "source", "keep_unmapped"}
    if unknown:
        raise MappingError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}; expected columns, source, "
                           "keep_unmapped")
    source = data.get("source", DEFAULT_SOURCE)
    if not isinstance(source, str) or not re.fullmatch(r"[\w.:-]{1,32}", source):
        raise MappingError(f"{name}: source must be a short name (letters, digits, . : - _); got {source!r}")
    columns = {str(k): (None if v is None else str(v)) for k, v in data.get("columns", {}).items()}
    missing = [h for h in columns if h not in header]
    if missing:
        raise MappingError.said("file_errors.no_column", name=name, missing=", ".join(repr(h) for h in missing),
                                columns=", ".join(header))
    return propose_mapping(header, hxl_row, source).with_changes(
        columns, keep_unmapped=bool(data.get("keep_unmapped", False)))


def parse_map_options(options: Iterable[str]) -> dict[str, str | None]:
    """Read ``--map column=field`` options (``column=`` clears a column's mapping)."""
    changes: dict[str, str | None] = {}
    for option in options:
        header, sep, target = option.rpartition("=")
        if not sep or not header:
            raise MappingError(f"--map {option!r}: expected COLUMN=FIELD, e.g. --map 'Date of strike=date_start'")
        changes[header.strip()] = target.strip() or None
    return changes


def compile_mapping(mapping: ColumnMapping) -> Callable[[Mapping], dict]:
    """Return :func:`apply_mapping` for one mapping, with the per-column decisions taken once (an import's hot
    path renames every row)."""
    pairs = [(h, t) for h, t in mapping.columns if t not in (None, EXTRA, IGNORE)]
    headers, targets = [h for h, _ in pairs], [t for _, t in pairs]
    kept = mapping.kept_in_extra

    def rename(raw: Mapping) -> dict:
        renamed = dict(zip(targets, map(raw.get, headers), strict=True))
        if kept:
            extra = {h: v for h in kept if (v := raw.get(h)) not in (None, "")}
            if extra:
                renamed["__extra__"] = extra
        return renamed

    return rename


def apply_mapping(mapping: ColumnMapping, raw: Mapping) -> dict:
    """Return a raw row renamed to fields; cells of ``extra`` columns go in an ``extra`` dict (blanks left out)."""
    return compile_mapping(mapping)(raw)
