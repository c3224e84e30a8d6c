"""The filter: one frozen, hashable value that drives the map, timeline, table, export and URL.

It knows how to apply itself to the incident frame (:mod:`incidents.analysis.frame`), how to describe itself in words
(the caption above every view), and how to round-trip through a URL query string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date

import numpy as np
import pandas as pd

from incidents.domain import messages, taxonomy

FIGURES = ("min", "max", "best")
DEFAULT_GRADINGS = tuple(g for g in taxonomy.codes("grading") if g != "discounted")

#: URL query parameter of each filter field (short, stable: links are shared between colleagues). The place
#: filter is ``in`` because ``place`` is the place profile's own parameter (which place to show): a profile
#: link must not narrow every page afterwards.
_QUERY_KEYS = {
    "actors": "actor", "date_from": "from", "date_to": "to", "event_types": "type", "districts": "district",
    "subdistricts": "subdistrict", "places": "in", "gradings": "grading", "civilian_only": "civ",
    "min_killed": "min", "source_kinds": "kind", "languages": "lang", "text": "q", "statuses": "status",
    "figure": "fig", "include_drafts": "drafts", "undated": "undated",
}
_VOCABULARY = {"actors": "actor", "event_types": "event_type", "gradings": "grading",
               "source_kinds": "source_kind", "statuses": "status"}


@dataclass(frozen=True)
class Filter:
    """What the user asked to see. Empty tuples mean "no restriction"."""

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
        keep = np.ones(len(frame), dtype=bool)
        for column, wanted in (("actor", self.actors), ("event_type", self.event_types),
                               ("admin2", self.districts), ("admin3", self.subdistricts),
                               ("place_id", self.places), ("grading", self.gradings), ("status", self.statuses)):
            if wanted:
                keep &= _matching(frame[column], lambda values, chosen=wanted: values.isin(chosen))
        if not self.counts_drafts:
            keep &= _matching(frame["status"], lambda values: values != "draft")
        keep &= self._date_mask(frame)
        if self.undated:
            keep &= np.isnat(_dates(frame["date_start"]))
        if self.civilian_only:
            keep &= _matching(frame["civilians"], lambda values: values == "yes")
        if self.min_killed > 0:
            keep &= np.nan_to_num(frame[figure_column(self.figure)].to_numpy(dtype="float64")) >= self.min_killed
        keep &= self._any_token_mask(frame, "source_kinds", self.source_kinds)
        keep &= self._any_token_mask(frame, "languages", self.languages)
        if self.text.strip():
            keep &= self._text_mask(_search_of(frame, search))
        return keep

    @property
    def counts_drafts(self) -> bool:
        """Whether drafts pass: only when switched on or named in ``statuses`` (they do not count by default)."""
        return self.include_drafts or "draft" in self.statuses

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return the rows of ``frame`` that pass the filter (a view; do not mutate it)."""
        return frame[self.mask(frame)]

    def date_mask(self, frame: pd.DataFrame) -> np.ndarray:
        """Return the rows that pass the date range alone (undated incidents fail any range)."""
        return self._date_mask(frame)

    def _date_mask(self, frame: pd.DataFrame) -> np.ndarray:
        keep = np.ones(len(frame), dtype=bool)
        if self.date_from is not None:  # an incident that ends (or, undated at its end, starts) on or after
            end = frame["date_last"] if "date_last" in frame.columns else frame["date_end"].fillna(frame["date_start"])
            keep &= _dates(end) >= _day(self.date_from, end)
        if self.date_to is not None:
            keep &= _dates(frame["date_start"]) <= _day(self.date_to, frame["date_start"])
        return keep

    @staticmethod
    def _any_token_mask(frame: pd.DataFrame, column: str, wanted: tuple[str, ...]) -> np.ndarray:
        if not wanted:
            return np.ones(len(frame), dtype=bool)

        def any_token(values: pd.Series) -> np.ndarray:
            text = values.astype(str)
            keep = np.zeros(len(text), dtype=bool)
            for token in wanted:
                keep |= text.str.contains(f"|{token}|", regex=False).to_numpy()
            return keep

        return _matching(frame[column], any_token)

    def _text_mask(self, search: pd.Series) -> np.ndarray:
        from incidents.analysis.search import search_key  # the normaliser loads only when somebody searches

        keep = np.ones(len(search), dtype=bool)
        for word in self.text.split():
            key = search_key(word)
            if key:
                keep &= _matching(search, lambda values, part=key: values.str.contains(part, regex=False))
        return keep

    # -- describing -------------------------------------------------------------------------------------

    def describe(self, lang: str = "en") -> str:
        """Return the filter in words, e.g. "US-led coalition, SDF · 2018-09-10 – 2019-03-23"."""
        parts = [self._describe_codes("actor", self.actors, lang) or _ALL[lang]["actors"]]
        parts.append(self._describe_dates(lang))
        if self.event_types:
            parts.append(self._describe_codes("event_type", self.event_types, lang))
        places = len(self.districts) + len(self.subdistricts) + len(self.places)
        if places:
            parts.append(_ALL[lang]["areas"].format(n=places))
        if self.gradings != DEFAULT_GRADINGS:
            parts.append(self._describe_codes("grading", self.gradings, lang) or _ALL[lang]["gradings"])
        parts.extend(self._describe_flags(lang))
        return " · ".join(p for p in parts if p)

    def caption(self, count: int, lang: str = "en") -> str:
        """Return the caption above a view: the description plus how many incidents it shows."""
        key = "count_one" if count == 1 else "count"
        return f"{self.describe(lang)} · {_ALL[lang][key].format(n=count)}"

    @staticmethod
    def _describe_codes(vocabulary: str, codes: tuple[str, ...], lang: str) -> str:
        return ", ".join(taxonomy.label(vocabulary, c, lang) for c in codes)

    def _describe_dates(self, lang: str) -> str:
        if self.date_from is None and self.date_to is None:
            return _ALL[lang]["dates"]
        start = self.date_from.isoformat() if self.date_from else "…"
        end = self.date_to.isoformat() if self.date_to else "…"
        return f"{start} – {end}"

    def _describe_flags(self, lang: str) -> list[str]:
        words = _ALL[lang]
        flags = []
        if self.civilian_only:
            flags.append(words["civilians"])
        if self.min_killed:
            flags.append(words["min_killed"].format(n=self.min_killed))
        if self.source_kinds:
            flags.append(self._describe_codes("source_kind", self.source_kinds, lang))
        if self.languages:
            flags.append(words["languages"].format(v=", ".join(self.languages)))
        if self.statuses:
            flags.append(self._describe_codes("status", self.statuses, lang))
        if self.include_drafts and not self.statuses:
            flags.append(words["drafts"])
        if self.undated:
            flags.append(words["undated"])
        if self.text.strip():
            flags.append(f"“{self.text.strip()}”")
        if self.figure != "min":
            flags.append(words["figure"].format(v=self.figure))
        return flags

    # -- URL round trip ---------------------------------------------------------------------------------

    def to_query(self) -> dict[str, str]:
        """Return the query-string parameters that reproduce this filter (defaults omitted)."""
        default = Filter()
        query = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            query[_QUERY_KEYS[f.name]] = _encode(value)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str | list[str]]) -> Filter:
        """Return the filter a query string describes; unknown codes and unreadable values are ignored."""
        values: dict = {}
        for f in fields(cls):
            raw = query.get(_QUERY_KEYS[f.name])
            if raw is None:
                continue
            text = raw[-1] if isinstance(raw, list) else raw
            parsed = _decode(f.name, text)
            if parsed is not None:
                values[f.name] = parsed
        return cls(**values)

    def with_changes(self, **changes: object) -> Filter:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


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


def _search_of(frame: pd.DataFrame, search: pd.Series | None) -> pd.Series:
    if search is not None:
        return search
    if "search" in frame.columns:
        return frame["search"]
    from incidents.analysis.frame import search_column

    return search_column(frame)


def figure_column(figure: str) -> str:
    """Return the frame column that holds killed figures of kind ``figure`` (min, max or best)."""
    return {"min": "killed_min", "max": "killed_max_or_min", "best": "killed_best_or_min"}[figure]


def _encode(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _decode(name: str, text: str) -> object:
    try:
        if name in ("date_from", "date_to"):
            return date.fromisoformat(text) if text else None
        if name in ("civilian_only", "include_drafts", "undated"):
            return text == "1"
        if name == "min_killed":
            return max(0, int(text))
        if name == "figure":
            return text if text in FIGURES else None
        if name == "text":
            return text[:200]
    except ValueError:
        return None
    items = tuple(t for t in text.split(",") if t)
    if name in _VOCABULARY:
        allowed = set(taxonomy.codes(_VOCABULARY[name]))
        items = tuple(t for t in items if t in allowed)
    return items


#: the filter in words, per language: the [filters] table of the catalogue (incidents/data/messages.toml)
_ALL = {lang: messages.words("filters", lang) for lang in ("en", "ar")}
