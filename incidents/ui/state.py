"""Cross-page state: the filter, the interface language and page parameters, kept once, here.

The :class:`~incidents.analysis.filters.Filter` lives under one *permanent* session key (:data:`FILTER_KEY`), which
Streamlit never drops. Sidebar widgets have their own keys (``flt.<field>``); those are dropped when the user
switches page, so before drawing them every page copies the permanent filter into them
(:func:`seed_widgets`), and each widget's ``on_change`` callback copies the widgets back into the permanent
filter (:func:`filter_from_widgets`). The filter is written to the URL's query string on every run
(:func:`sync_url`), so the address bar always reproduces the view; a session's first run reads it from there.

Rerun behaviour: callbacks run before the script, so a changed widget takes effect in the same rerun.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

import streamlit as st

from incidents.analysis.filters import FILTER_FIELDS, TEXT_LIMIT, Filter, FilterField, Table

FILTER_KEY = "incidents.filter"  # permanent: the canonical filter of this session
LANG_KEY = "incidents.lang"  # permanent: interface language
PARAMS_KEY = "incidents.params"  # permanent: page parameters (place, incident) by page
SYNCED_KEY = "incidents.synced_url"  # permanent: the query parameters this session last wrote
WIDGET_PREFIX = "flt."
LANG_WIDGET = "ui.lang"
UI_QUERY = "ui"  # query parameter of the interface language

#: Filter fields shown as sidebar widgets, in the sidebar's order (the declared table,
#: :data:`incidents.analysis.filters.FILTER_FIELDS`; some only for users who see unpublished records).
WIDGET_FIELDS = tuple(spec.name for spec in FILTER_FIELDS)


def widget_key(name: str) -> str:
    """Return the session key of the sidebar widget for filter field ``name``."""
    return WIDGET_PREFIX + name


def _query() -> dict[str, str | list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}  # type: ignore[misc]


def current_filter() -> Filter:
    """Return this session's filter: kept in session state, or read from the URL on the first run."""
    kept = st.session_state.get(FILTER_KEY)
    if isinstance(kept, Filter):
        return kept
    chosen = Filter.from_query(_query())
    st.session_state[FILTER_KEY] = chosen
    return chosen


def set_filter(chosen: Filter) -> None:
    """Replace this session's filter (the sidebar widgets follow on the next draw)."""
    st.session_state[FILTER_KEY] = chosen


def seed_widgets(chosen: Filter, shown: tuple[str, ...] = WIDGET_FIELDS) -> None:
    """Copy ``chosen`` into the sidebar widgets' keys (call before drawing them, every run)."""
    for name in shown:
        st.session_state[widget_key(name)] = to_widget(name, getattr(chosen, name))


def to_widget(name: str, value: object) -> object:
    """Return the widget value of filter field ``name`` (tuples become lists)."""
    if isinstance(value, tuple):
        return list(value)
    return value


def filter_from_widgets(state: Mapping[str, object], base: Filter, table: Table = FILTER_FIELDS) -> Filter:
    """Return ``base`` updated with the values of the sidebar widgets present in ``state`` (one per field of
    ``table``)."""
    changes: dict[str, object] = {}
    for spec in table:
        key = widget_key(spec.name)
        if key in state:
            changes[spec.name] = from_widget(spec, state[key], getattr(base, spec.name))
    chosen = replace(base, **changes)  # type: ignore[arg-type]
    if chosen.date_from and chosen.date_to and chosen.date_from > chosen.date_to:
        chosen = replace(chosen, date_from=chosen.date_to, date_to=chosen.date_from)
    return chosen


def from_widget(spec: FilterField, value: object, old: object) -> object:
    """Return the value of filter field ``spec`` that its widget holds (``old`` when a choice is not offered)."""
    return _FROM_WIDGET[spec.value_type](spec, value, old)


def _codes_from_widget(spec: FilterField, value: object, old: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


def _count_from_widget(spec: FilterField, value: object, old: object) -> int:
    return max(0, int(value)) if isinstance(value, int | float) else 0


_FROM_WIDGET: dict[str, Callable[[FilterField, object, object], object]] = {
    "tuple": _codes_from_widget,
    "date": lambda spec, value, old: value if isinstance(value, date) else None,
    "bool": lambda spec, value, old: bool(value),
    "count": _count_from_widget,
    "choice": lambda spec, value, old: value if value in spec.choices else old,
    "text": lambda spec, value, old: str(value or "")[:TEXT_LIMIT],
}


def on_widget_change() -> None:
    """Widget callback: copy the sidebar into the permanent filter."""
    present = {widget_key(n): st.session_state[widget_key(n)] for n in WIDGET_FIELDS if widget_key(n) in st.session_state}
    set_filter(filter_from_widgets(present, current_filter()))


def reset_filter() -> None:
    """Button callback: back to the default filter (discounted incidents excluded)."""
    set_filter(Filter())


def set_dates(start: date | None, end: date | None) -> None:
    """Set the date range of the filter (used by the timeline's range selection)."""
    chosen = current_filter()
    set_filter(replace(chosen, date_from=start, date_to=end))


# -- interface language ---------------------------------------------------------------------------------


def language() -> str:
    """Return the interface language ("en" or "ar"): kept in the session, first read from ``?ui=``."""
    kept = st.session_state.get(LANG_KEY)
    if kept in ("en", "ar"):
        return str(kept)
    wanted = st.query_params.get(UI_QUERY, "en")
    chosen = wanted if wanted in ("en", "ar") else "en"
    st.session_state[LANG_KEY] = chosen
    return chosen


def on_language_change() -> None:
    """Widget callback: keep the chosen language in the permanent key."""
    value = st.session_state.get(LANG_WIDGET)
    if value in ("en", "ar"):
        st.session_state[LANG_KEY] = value


# -- page parameters and the URL ------------------------------------------------------------------------


def page_param(page: str, name: str) -> str | None:
    """Return a parameter of ``page`` (e.g. the place of the Place page).

    A value in the URL wins (a shared link, or a link from another page); otherwise the value this session
    last used on that page, so that coming back through the sidebar shows the same place or incident.
    """
    kept: dict[str, dict[str, str | None]] = st.session_state.setdefault(PARAMS_KEY, {})
    params = kept.setdefault(page, {})
    value = st.query_params.get(name)
    written = st.session_state.get(SYNCED_KEY, {}).get(name)
    if value and value != written:  # the URL changed from outside this session's own writes
        params[name] = str(value)[:200]
    return params.get(name)


def set_page_param(page: str, name: str, value: str | None) -> None:
    """Set a parameter of ``page`` (written to the URL by the next :func:`sync_url`)."""
    kept: dict[str, dict[str, str | None]] = st.session_state.setdefault(PARAMS_KEY, {})
    kept.setdefault(page, {})[name] = value


def url_params(chosen: Filter, lang: str, extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """Return the query parameters that reproduce this view."""
    params = dict(chosen.to_query())
    if lang != "en":
        params[UI_QUERY] = lang
    for key, value in (extra or {}).items():
        if value:
            params[key] = value
    return params


def sync_url(params: Mapping[str, str]) -> None:
    """Write ``params`` to the address bar if it holds anything else (so a copied URL reproduces the view)."""
    current = {k: st.query_params.get(k) for k in st.query_params}
    st.session_state[SYNCED_KEY] = dict(params)
    if current != dict(params):
        st.query_params.from_dict(dict(params))
