"""The filter: one frozen, hashable value that drives the map, timeline, table, export and URL.

Each filter field is declared once, as data, in :data:`FILTER_FIELDS` (in the sidebar's order): its URL key, how
it narrows the incident frame (its *kind* and frame columns), its vocabulary, its sidebar widget and catalogue
labels, and how the caption describes it. That one table drives the pandas mask (:meth:`Filter.mask`), the SQL
WHERE clause (:meth:`Filter.where`), the caption (:meth:`Filter.describe`), the URL round trip
(:meth:`Filter.to_query`, :meth:`Filter.from_query`), and at the UI edge the sidebar and its widget state
(:mod:`incidents.ui.sidebar`, :mod:`incidents.ui.state`). Adding a filter is one entry there and one attribute of
:class:`Filter`, using one of the kinds below.

Kinds (how a field narrows rows; empty or default values never narrow):

``codes``      rows whose column holds one of the chosen codes (missing values fail)
``tokens``     rows whose ``|a|b|`` token column holds any chosen token
``date_from``  rows whose last day (``date_last``; on a frame without it, ``date_end`` else ``date_start``) is on or
               after the date; undated rows fail
``date_to``    rows whose first day (``date_start``) is on or before the date; undated rows fail
``missing``    switched on: rows whose column is empty (the undated incidents)
``flag``       switched on: rows whose column equals the field's ``value``
``admits``     rows whose column equals ``value`` are left out unless switched on (or :attr:`Filter.counts_drafts`)
``at_least``   rows whose killed figure of the chosen :attr:`Filter.figure` is at least the number (missing: 0)
``text``       rows whose search text (``search``) holds every word's search key
``choice``     one of ``choices``; narrows nothing by itself (the figure the totals and ``at_least`` use)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from incidents.domain import messages, taxonomy

FIGURES = ("min", "max", "best")
DEFAULT_GRADINGS = tuple(g for g in taxonomy.codes("grading") if g != "discounted")
TEXT_LIMIT = 200  # characters of search text kept (from the URL or the sidebar)

Kind = Literal["codes", "tokens", "date_from", "date_to", "missing", "flag", "admits", "at_least", "text", "choice"]
Widget = Literal["multiselect", "date", "toggle", "number", "text", "segmented"]
Style = Literal["codes", "range", "count", "flag", "number", "values", "quoted", "choice"]
#: the Python value each kind holds: tuple of codes, date or None, bool, whole number ≥ 0, text, one of ``choices``
ValueType = Literal["tuple", "date", "bool", "count", "text", "choice"]

_VALUE_TYPES: dict[str, ValueType] = {
    "codes": "tuple", "tokens": "tuple", "date_from": "date", "date_to": "date", "missing": "bool", "flag": "bool",
    "admits": "bool", "at_least": "count", "text": "text", "choice": "choice",
}


@dataclass(frozen=True)
class Caption:
    """How a filter field is described in the caption above every view.

    ``words`` is a key of the ``[filters]`` table of the catalogue (``incidents/data/messages.toml``). Styles:
    ``codes`` (the codes' labels, or ``words`` — "all actors" — when none is chosen), ``range`` (the fields of
    the part as "from – to", or ``words`` when both are open), ``count`` (``words`` with ``{n}``, the number of
    codes in the part's fields), ``flag`` (``words``), ``number`` (``words`` with ``{n}``), ``values`` (``words``
    with ``{v}``, the values themselves), ``quoted`` (the text in quotes), ``choice`` (``words`` with ``{v}``).
    """

    rank: int  # the part's place in the caption; fields of the same rank make one part ("2018-01-01 – …")
    style: Style
    words: str | None = None
    always: bool = False  # described even at its default ("all actors", "all dates")
    moot_when: str | None = None  # not described while this other field is set (its choice overrides)


@dataclass(frozen=True, kw_only=True)
class FilterField:
    """One filter field, declared once: what it is called, how it narrows rows, how it is shown and described."""

    name: str  # the attribute of :class:`Filter`
    query: str  # the URL query parameter (short and stable: links are shared between colleagues)
    kind: Kind
    columns: tuple[str, ...] = ()  # the frame (and SQL table) columns it reads
    vocabulary: str | None = None  # taxonomy vocabulary of its codes (unknown codes in a URL are dropped)
    value: str | None = None  # the column value a ``flag`` matches or an ``admits`` switch lets in
    choices: tuple[str, ...] = ()  # the values a ``choice`` may take
    widget: Widget
    label: str  # catalogue key of the widget's label ([labels] table)
    help: str | None = None  # catalogue key of the widget's help
    option_words: str | None = None  # catalogue key prefix of a choice's options ("fig_" → "fig_min")
    unpublished_only: bool = False  # shown only to users who see unpublished records
    caption: Caption

    @property
    def value_type(self) -> ValueType:
        """The Python value this field holds (see :data:`ValueType`)."""
        return _VALUE_TYPES[self.kind]


_KILLED = ("killed_min", "killed_max_or_min", "killed_best_or_min")

#: Every filter field, in the sidebar's order. The place filter's URL key is ``in`` because ``place`` is the place
#: profile's own parameter (which place to show): a profile link must not narrow every page afterwards.
FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField(name="figure", query="fig", kind="choice", columns=_KILLED, choices=FIGURES, widget="segmented",
                label="figure", help="figure_help", option_words="fig_",
                caption=Caption(14, "choice", "figure")),
    FilterField(name="include_drafts", query="drafts", kind="admits", columns=("status",), value="draft",
                widget="toggle", label="include_drafts", help="include_drafts_help", unpublished_only=True,
                caption=Caption(11, "flag", "drafts", moot_when="statuses")),
    FilterField(name="actors", query="actor", kind="codes", columns=("actor",), vocabulary="actor",
                widget="multiselect", label="actors", caption=Caption(1, "codes", "actors", always=True)),
    FilterField(name="date_from", query="from", kind="date_from", columns=("date_last", "date_end", "date_start"),
                widget="date", label="date_from", caption=Caption(2, "range", "dates", always=True)),
    FilterField(name="date_to", query="to", kind="date_to", columns=("date_start",), widget="date",
                label="date_to", caption=Caption(2, "range", "dates", always=True)),
    FilterField(name="undated", query="undated", kind="missing", columns=("date_start",), widget="toggle",
                label="undated_only", help="undated_only_help", caption=Caption(12, "flag", "undated")),
    FilterField(name="event_types", query="type", kind="codes", columns=("event_type",), vocabulary="event_type",
                widget="multiselect", label="event_types", caption=Caption(3, "codes")),
    FilterField(name="districts", query="district", kind="codes", columns=("admin2",), widget="multiselect",
                label="districts", caption=Caption(4, "count", "areas")),  # admin2 P-codes
    FilterField(name="subdistricts", query="subdistrict", kind="codes", columns=("admin3",), widget="multiselect",
                label="subdistricts", caption=Caption(4, "count", "areas")),  # admin3 P-codes
    FilterField(name="places", query="in", kind="codes", columns=("place_id",), widget="multiselect",
                label="places", caption=Caption(4, "count", "areas")),  # gazetteer place ids
    FilterField(name="gradings", query="grading", kind="codes", columns=("grading",), vocabulary="grading",
                widget="multiselect", label="gradings", help="gradings_help",
                caption=Caption(5, "codes", "gradings")),
    FilterField(name="civilian_only", query="civ", kind="flag", columns=("civilians",), value="yes",
                widget="toggle", label="civilian_only", caption=Caption(6, "flag", "civilians")),
    FilterField(name="min_killed", query="min", kind="at_least", columns=_KILLED, widget="number",
                label="min_killed", caption=Caption(7, "number", "min_killed")),
    FilterField(name="source_kinds", query="kind", kind="tokens", columns=("source_kinds",),
                vocabulary="source_kind", widget="multiselect", label="source_kinds", caption=Caption(8, "codes")),
    FilterField(name="languages", query="lang", kind="tokens", columns=("languages",), widget="multiselect",
                label="languages", caption=Caption(9, "values", "languages")),
    FilterField(name="text", query="q", kind="text", columns=("search",), widget="text", label="text",
                help="text_help", caption=Caption(13, "quoted")),
    FilterField(name="statuses", query="status", kind="codes", columns=("status",), vocabulary="status",
                widget="multiselect", label="statuses", unpublished_only=True, caption=Caption(10, "codes")),
)

Table = tuple[FilterField, ...]


def field_named(name: str, table: Table = FILTER_FIELDS) -> FilterField:
    """Return the declared field ``name`` of ``table``.

    Raises
    ------
    KeyError
        ``table`` declares no field ``name``.
    """
    for spec in table:
        if spec.name == name:
            return spec
    raise KeyError(f"no filter field {name!r}; declared: {', '.join(s.name for s in table)}")


#: One word of the text search, by default: the row's ``search`` column contains the word's key.
SEARCH_IN_COLUMN = 'contains("search", ?)'


@dataclass(frozen=True)
class Filter:
    """What the user asked to see. Empty tuples mean "no restriction".

    Each attribute is declared in :data:`FILTER_FIELDS` (a test checks the two match one to one).
    """

    actors: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    event_types: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()  # admin2 P-codes
    subdistricts: tuple[str, ...] = ()  # admin3 P-codes
    places: tuple[str, ...] = ()  # gazetteer place ids
    gradings: tuple[str, ...] = field(default=DEFAULT_GRADINGS)
    civilian_only: bool = False
    min_killed: int = 0
    source_kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    text: str = ""
    statuses: tuple[str, ...] = ()
    figure: str = "min"  # which figure totals use: min, max or best
    include_drafts: bool = False  # drafts count only when switched on (or named in ``statuses``)
    undated: bool = False  # only the incidents without a date

    # -- applying ---------------------------------------------------------------------------------------

    def mask(self, frame: pd.DataFrame, search: pd.Series | None = None) -> np.ndarray:
        """Return a boolean array selecting the frame's rows that pass the filter.

        ``search`` is the frame's search text (:func:`incidents.analysis.frame.search_column`) when the frame has no
        ``search`` column; without either, it is computed here (slow on big frames). Categorical columns are
        matched by their categories (each distinct value looked at once), then by code.
        """
        return mask_of(self, frame, search)

    @property
    def counts_drafts(self) -> bool:
        """Whether drafts pass: only when switched on or named in ``statuses`` (they do not count by default)."""
        return self.include_drafts or "draft" in self.statuses

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return the rows of ``frame`` that pass the filter (a view; do not mutate it)."""
        return frame[self.mask(frame)]

    def date_mask(self, frame: pd.DataFrame) -> np.ndarray:
        """Return the rows that pass the date range alone (undated incidents fail any range)."""
        return mask_of(self, frame, kinds=("date_from", "date_to"))

    def where(self, search: str = SEARCH_IN_COLUMN) -> tuple[str, list[Any]]:
        """Return the filter as one SQL WHERE condition and its bound parameters (``?`` placeholders, in order).

        The condition selects the rows :meth:`mask` selects, over a table with the prepared frame's column names
        (:func:`incidents.analysis.frame.prepare_frame`): codes as VARCHAR, dates as DATE or TIMESTAMP with
        ``date_last``, the ``|a|b|`` token columns (DuckDB dialect: ``contains``). ``search`` is the condition
        one word of the text search puts on a row, its one ``?`` the word's search key: by default the row's
        normalised ``search`` text contains it (the query engine keeps the texts in a table of their own:
        :data:`incidents.analysis.engine.SEARCH_SQL`). Values are never written into the SQL text.

        >>> Filter(actors=("sdf",), gradings=(), include_drafts=True).where()
        ('("actor" IN (?))', ['sdf'])
        """
        return where_of(self, search=search)

    # -- describing -------------------------------------------------------------------------------------

    def describe(self, lang: str = "en") -> str:
        """Return the filter in words, e.g. "US-led coalition, SDF · 2018-09-10 – 2019-03-23"."""
        return describe_of(self, lang)

    def caption(self, count: int, lang: str = "en") -> str:
        """Return the caption above a view: the description plus how many incidents it shows."""
        key = "count_one" if count == 1 else "count"
        return f"{self.describe(lang)} · {_ALL[lang][key].format(n=count)}"

    # -- URL round trip ---------------------------------------------------------------------------------

    def to_query(self) -> dict[str, str]:
        """Return the query-string parameters that reproduce this filter (defaults omitted)."""
        return query_of(self)

    @classmethod
    def from_query(cls, query: Mapping[str, str | list[str]]) -> Filter:
        """Return the filter a query string describes; unknown codes and unreadable values are ignored."""
        return filter_of_query(cls, query)

    def with_changes(self, **changes: object) -> Filter:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


def figure_column(figure: str) -> str:
    """Return the frame column that holds killed figures of kind ``figure`` (min, max or best)."""
    return dict(zip(FIGURES, _KILLED, strict=True))[figure]


# -- the table's interpreters: each takes the table, so that a wider filter can bring its own -----------------


def mask_of(chosen: Any, frame: pd.DataFrame, search: pd.Series | None = None, table: Table = FILTER_FIELDS,
            kinds: tuple[str, ...] | None = None) -> np.ndarray:
    """Return the rows of ``frame`` that pass ``chosen`` by the fields of ``table`` (of ``kinds`` only, if given)."""
    keep = np.ones(len(frame), dtype=bool)
    for spec in table:
        if kinds is None or spec.kind in kinds:
            part = _MASKS[spec.kind](spec, getattr(chosen, spec.name), chosen, frame, search)
            if part is not None:
                keep &= part
    return keep


def where_of(chosen: Any, table: Table = FILTER_FIELDS, search: str = SEARCH_IN_COLUMN) -> tuple[str, list[Any]]:
    """Return ``chosen`` as one SQL condition with ``?`` parameters by the fields of ``table`` ("TRUE": no
    restriction); ``search`` is the condition of one word of the text search (see :meth:`Filter.where`)."""
    clauses: list[str] = []
    params: list[Any] = []
    compilers: dict[str, Callable[..., SqlPart]] = {**_WHERES, "text": functools.partial(_text_sql, search=search)}
    for spec in table:
        part = compilers[spec.kind](spec, getattr(chosen, spec.name), chosen)
        if part is not None:
            clauses.append(part[0])
            params.extend(part[1])
    return " AND ".join(f"({c})" for c in clauses) or "TRUE", params


def describe_of(chosen: Any, lang: str = "en", table: Table = FILTER_FIELDS) -> str:
    """Return ``chosen`` in words, one part per caption rank of ``table`` (defaults left out unless ``always``)."""
    words = _ALL[lang]
    default = _default(type(chosen))
    parts = []
    for group in _caption_parts(table):
        caption = group[0].caption
        values = tuple(getattr(chosen, s.name) for s in group)
        if not caption.always and values == tuple(getattr(default, s.name) for s in group):
            continue
        if caption.moot_when and getattr(chosen, caption.moot_when):
            continue
        parts.append(_DESCRIBERS[caption.style](group, values, words, lang))
    return " · ".join(p for p in parts if p)


def query_of(chosen: Any, table: Table = FILTER_FIELDS) -> dict[str, str]:
    """Return the query-string parameters of ``chosen`` by the URL keys of ``table`` (defaults omitted)."""
    default = _default(type(chosen))
    query = {}
    for f in fields(chosen):
        value = getattr(chosen, f.name)
        if value != getattr(default, f.name):
            query[field_named(f.name, table).query] = _encode(value)
    return query


def filter_of_query(cls: Any, query: Mapping[str, str | list[str]], table: Table = FILTER_FIELDS) -> Any:
    """Return the ``cls`` (a filter class) that ``query`` describes by the URL keys of ``table``."""
    values: dict[str, object] = {}
    for spec in table:
        raw = query.get(spec.query)
        if raw is None:
            continue
        text = raw[-1] if isinstance(raw, list) else raw
        parsed = decode(spec, text)
        if parsed is not None:
            values[spec.name] = parsed
    return cls(**values)


def _default(cls: type) -> Any:
    """The default filter of filter class ``cls`` (what to leave out of a caption or a URL), built once."""
    if cls not in _DEFAULTS:
        _DEFAULTS[cls] = cls()
    return _DEFAULTS[cls]


_DEFAULTS: dict[type, Any] = {}


# -- masks (pandas), one per kind -----------------------------------------------------------------------------

def _codes_mask(spec: FilterField, wanted: tuple[str, ...], chosen: Any, frame: pd.DataFrame,
                search: pd.Series | None) -> np.ndarray | None:
    if not wanted:
        return None
    return _matching(frame[spec.columns[0]], lambda values: values.isin(wanted))


def _tokens_mask(spec: FilterField, wanted: tuple[str, ...], chosen: Any, frame: pd.DataFrame,
                 search: pd.Series | None) -> np.ndarray | None:
    if not wanted:
        return None

    def any_token(values: pd.Series) -> np.ndarray:
        text = values.astype(str)
        keep = np.zeros(len(text), dtype=bool)
        for token in wanted:
            keep |= text.str.contains(f"|{token}|", regex=False).to_numpy()
        return keep

    return _matching(frame[spec.columns[0]], any_token)


def _date_from_mask(spec: FilterField, day: date | None, chosen: Any, frame: pd.DataFrame,
                    search: pd.Series | None) -> np.ndarray | None:
    if day is None:  # an incident that ends (or, undated at its end, starts) on or after the day
        return None
    last, end, start = spec.columns
    ends = frame[last] if last in frame.columns else frame[end].fillna(frame[start])
    return _dates(ends) >= _day(day, ends)


def _date_to_mask(spec: FilterField, day: date | None, chosen: Any, frame: pd.DataFrame,
                  search: pd.Series | None) -> np.ndarray | None:
    if day is None:
        return None
    starts = frame[spec.columns[0]]
    return _dates(starts) <= _day(day, starts)


def _missing_mask(spec: FilterField, on: bool, chosen: Any, frame: pd.DataFrame,
                  search: pd.Series | None) -> np.ndarray | None:
    return np.isnat(_dates(frame[spec.columns[0]])) if on else None


def _flag_mask(spec: FilterField, on: bool, chosen: Any, frame: pd.DataFrame,
               search: pd.Series | None) -> np.ndarray | None:
    return _matching(frame[spec.columns[0]], lambda values: values == spec.value) if on else None


def _admits_mask(spec: FilterField, on: bool, chosen: Any, frame: pd.DataFrame,
                 search: pd.Series | None) -> np.ndarray | None:
    if _admitted(spec, on, chosen):
        return None
    return _matching(frame[spec.columns[0]], lambda values: values != spec.value)


def _at_least_mask(spec: FilterField, least: int, chosen: Any, frame: pd.DataFrame,
                   search: pd.Series | None) -> np.ndarray | None:
    if least <= 0:
        return None
    return np.nan_to_num(frame[figure_column(chosen.figure)].to_numpy(dtype="float64")) >= least


def _text_mask(spec: FilterField, text: str, chosen: Any, frame: pd.DataFrame,
               search: pd.Series | None) -> np.ndarray | None:
    keys = _search_keys(text)
    if not keys:
        return None
    searched = _search_of(frame, search, spec.columns[0])
    keep = np.ones(len(frame), dtype=bool)
    for key in keys:
        keep &= _matching(searched, lambda values, part=key: values.str.contains(part, regex=False))
    return keep


def _no_mask(spec: FilterField, value: object, chosen: Any, frame: pd.DataFrame,
             search: pd.Series | None) -> np.ndarray | None:
    return None


_MASKS: dict[str, Callable[..., np.ndarray | None]] = {
    "codes": _codes_mask, "tokens": _tokens_mask, "date_from": _date_from_mask, "date_to": _date_to_mask,
    "missing": _missing_mask, "flag": _flag_mask, "admits": _admits_mask, "at_least": _at_least_mask,
    "text": _text_mask, "choice": _no_mask,
}


def _admitted(spec: FilterField, on: bool, chosen: Any) -> bool:
    """Whether an ``admits`` switch lets its rows in: switched on, or the filter counts drafts anyway (they are
    named in ``statuses``: :attr:`Filter.counts_drafts`)."""
    return on or bool(chosen.counts_drafts)


def _search_keys(text: str) -> list[str]:
    if not text.strip():
        return []
    from incidents.analysis.search import search_key  # the normaliser loads only when somebody searches

    return [key for key in (search_key(word) for word in text.split()) if key]


def _matching(values: pd.Series, test) -> np.ndarray:
    """Return ``test(values)`` as a boolean array; a categorical column is tested once per category and its
    rows looked up by code (missing values fail)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(test(values), dtype=bool)
    categories = pd.Series(values.cat.categories.astype(object))  # an all-missing column has float categories
    passing = np.append(np.asarray(test(categories), dtype=bool), False)  # code -1 (missing) → the last slot
    return passing[values.cat.codes.to_numpy()]


def _unit(dates: pd.Series) -> np.dtype:
    """The numpy ``datetime64`` type of a date column (``datetime64[ns]`` when it is not one yet)."""
    return dates.dtype if isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M" else np.dtype("datetime64[ns]")


def _dates(dates: pd.Series) -> np.ndarray:
    """The dates as ``datetime64`` (missing: NaT, which compares false with everything)."""
    if not (isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M"):
        dates = pd.Series(pd.to_datetime(dates), index=dates.index).astype("datetime64[ns]")
    return np.asarray(dates.to_numpy(), dtype=_unit(dates))


def _day(day: date, like: pd.Series) -> np.datetime64:
    """Midnight of ``day`` in the unit of the dates ``like`` (no conversion of the column)."""
    return np.array([pd.Timestamp(day).to_datetime64()]).astype(_unit(like))[0]


def _search_of(frame: pd.DataFrame, search: pd.Series | None, column: str) -> pd.Series:
    if search is not None:
        return search
    if column in frame.columns:
        return frame[column]
    from incidents.analysis.frame import search_column

    return search_column(frame)


# -- SQL, one condition per kind (identifiers are the table's declared columns; every value is a parameter) ---

SqlPart = tuple[str, list[Any]] | None


def _sql_name(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _codes_sql(spec: FilterField, wanted: tuple[str, ...], chosen: Any) -> SqlPart:
    if not wanted:
        return None
    return f"{_sql_name(spec.columns[0])} IN ({', '.join('?' * len(wanted))})", list(wanted)


def _tokens_sql(spec: FilterField, wanted: tuple[str, ...], chosen: Any) -> SqlPart:
    if not wanted:
        return None
    column = _sql_name(spec.columns[0])
    return " OR ".join(f"contains({column}, ?)" for _ in wanted), [f"|{token}|" for token in wanted]


def _date_from_sql(spec: FilterField, day: date | None, chosen: Any) -> SqlPart:
    return None if day is None else (f"{_sql_name(spec.columns[0])} >= ?", [day])


def _date_to_sql(spec: FilterField, day: date | None, chosen: Any) -> SqlPart:
    return None if day is None else (f"{_sql_name(spec.columns[0])} <= ?", [day])


def _missing_sql(spec: FilterField, on: bool, chosen: Any) -> SqlPart:
    return (f"{_sql_name(spec.columns[0])} IS NULL", []) if on else None


def _flag_sql(spec: FilterField, on: bool, chosen: Any) -> SqlPart:
    return (f"{_sql_name(spec.columns[0])} = ?", [spec.value]) if on else None


def _admits_sql(spec: FilterField, on: bool, chosen: Any) -> SqlPart:
    # a missing value fails, as in the mask of a categorical column
    return None if _admitted(spec, on, chosen) else (f"{_sql_name(spec.columns[0])} <> ?", [spec.value])


def _at_least_sql(spec: FilterField, least: int, chosen: Any) -> SqlPart:
    if least <= 0:
        return None
    return f"coalesce({_sql_name(figure_column(chosen.figure))}, 0) >= ?", [least]


def _text_sql(spec: FilterField, text: str, chosen: Any, search: str = SEARCH_IN_COLUMN) -> SqlPart:
    keys = _search_keys(text)
    if not keys:
        return None
    return " AND ".join(f"({search})" for _ in keys), keys


def _no_sql(spec: FilterField, value: object, chosen: Any) -> SqlPart:
    return None


_WHERES: dict[str, Callable[..., SqlPart]] = {
    "codes": _codes_sql, "tokens": _tokens_sql, "date_from": _date_from_sql, "date_to": _date_to_sql,
    "missing": _missing_sql, "flag": _flag_sql, "admits": _admits_sql, "at_least": _at_least_sql,
    "text": _text_sql, "choice": _no_sql,
}


# -- the caption, one describer per style ---------------------------------------------------------------------


def _caption_parts(table: Table) -> list[tuple[FilterField, ...]]:
    """The fields of ``table`` grouped by caption rank, in rank order."""
    ranks = sorted({spec.caption.rank for spec in table})
    return [tuple(spec for spec in table if spec.caption.rank == rank) for rank in ranks]


def _words(spec: FilterField, words: Mapping[str, str]) -> str:
    if spec.caption.words is None:
        raise KeyError(f"filter field {spec.name!r} declares no caption words")
    return words[spec.caption.words]


def _listed(items: Iterable[str], lang: str) -> str:
    """Return ``items`` as a list in words, with the Arabic comma in Arabic."""
    return ("، " if lang == "ar" else ", ").join(items)


def _describe_codes(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    spec, codes = group[0], values[0]
    if not codes:
        return _words(spec, words) if spec.caption.words else ""
    if spec.vocabulary is None:
        return _listed(codes, lang)
    return _listed((taxonomy.label(spec.vocabulary, c, lang) for c in codes), lang)


def _describe_range(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    if all(v is None for v in values):
        return _words(group[0], words)
    return " – ".join(v.isoformat() if v else "…" for v in values)


def _describe_count(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    return _words(group[0], words).format(n=sum(len(v) for v in values))


def _describe_flag(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    return _words(group[0], words) if values[0] else ""


def _describe_number(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    return _words(group[0], words).format(n=values[0])


def _describe_values(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    return _words(group[0], words).format(v=_listed(values[0], lang))


def _describe_quoted(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    text = values[0].strip()
    return f"“{text}”" if text else ""


def _describe_choice(group: Table, values: tuple, words: Mapping[str, str], lang: str) -> str:
    spec, value = group[0], values[0]
    shown = messages.text(spec.option_words + value, lang) if spec.option_words else value
    return _words(spec, words).format(v=shown)


_DESCRIBERS: dict[str, Callable[[Table, tuple, Mapping[str, str], str], str]] = {
    "codes": _describe_codes, "range": _describe_range, "count": _describe_count, "flag": _describe_flag,
    "number": _describe_number, "values": _describe_values, "quoted": _describe_quoted, "choice": _describe_choice,
}


# -- URL values -----------------------------------------------------------------------------------------------


def _encode(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _decode_codes(spec: FilterField, text: str) -> tuple[str, ...]:
    items = tuple(t for t in text.split(",") if t)
    if spec.vocabulary is not None:
        allowed = set(taxonomy.codes(spec.vocabulary))
        items = tuple(t for t in items if t in allowed)
    return items


_DECODERS: dict[str, Callable[[FilterField, str], object]] = {
    "tuple": _decode_codes,
    "date": lambda spec, text: date.fromisoformat(text) if text else None,
    "bool": lambda spec, text: text == "1",
    "count": lambda spec, text: max(0, int(text)),
    "choice": lambda spec, text: text if text in spec.choices else None,
    "text": lambda spec, text: text[:TEXT_LIMIT],
}


def decode(spec: FilterField, text: str) -> object:
    """Return the value of field ``spec`` that URL text ``text`` holds (None: unreadable, left at its default)."""
    try:
        return _DECODERS[spec.value_type](spec, text)
    except ValueError:
        return None


#: the filter in words, per language: the [filters] table of the catalogue (incidents/data/messages.toml)
_ALL = {lang: messages.words("filters", lang) for lang in ("en", "ar")}
