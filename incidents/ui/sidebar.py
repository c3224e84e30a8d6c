"""The sidebar of every page: interface language, the filter widgets, reset and the share hint.

The filter widgets are drawn from the declared table of filter fields
(:data:`incidents.analysis.filters.FILTER_FIELDS`): one small drawing function per widget kind.

Each widget is seeded from the permanent filter before it is drawn and writes back through
:func:`incidents.ui.state.on_widget_change` (see :mod:`incidents.ui.state`). Changing any widget reruns the
page once, with the new filter already in place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import streamlit as st

from incidents.analysis.filters import FILTER_FIELDS, TEXT_LIMIT, Filter, FilterField, Table
from incidents.domain import taxonomy
from incidents.domain.users import User
from incidents.domain.validation import EARLIEST_DATE
from incidents.ui import state
from incidents.ui.cache import Options
from incidents.ui.i18n import LANGUAGES, t

_EARLIEST = EARLIEST_DATE


def render_language(bar: Any = None) -> None:
    """Draw the interface-language switch (in ``bar``, by default the sidebar). The language in force is
    :func:`incidents.ui.state.language`: the switch writes it back before the next run."""
    lang = state.language()
    st.session_state[state.LANG_WIDGET] = lang
    (bar or st.sidebar).segmented_control(
        t("language", lang), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, required=True,
        key=state.LANG_WIDGET, on_change=state.on_language_change)


def render_filters(chosen: Filter, options: Options, user: User, lang: str, bar: Any = None) -> None:
    """Draw the filter widgets in ``bar`` (by default the sidebar), seeded from ``chosen``: one per declared field
    (:data:`~incidents.analysis.filters.FILTER_FIELDS`, in its order), consecutive date fields side by side."""
    shown = shown_fields(user.sees_unpublished)
    state.seed_widgets(chosen, tuple(spec.name for spec in shown))
    bar = bar or st.sidebar
    bar.header(t("filters", lang))
    for row in _rows(shown):
        slots = bar.columns(len(row)) if len(row) > 1 else [bar]
        for spec, slot in zip(row, slots, strict=True):
            _WIDGETS[spec.widget](slot, spec, chosen, options, lang)
    bar.button(t("reset", lang), on_click=state.reset_filter, key="flt.reset", width="stretch")
    bar.caption(t("share", lang))


def shown_fields(sees_unpublished: bool, table: Table = FILTER_FIELDS) -> Table:
    """Return the fields of ``table`` drawn for a user (some only for users who see unpublished records)."""
    return tuple(spec for spec in table if sees_unpublished or not spec.unpublished_only)


def _rows(shown: Table) -> list[Table]:
    """The sidebar's rows: each field alone, except that consecutive date fields share a row ("From" | "To")."""
    rows: list[Table] = []
    for spec in shown:
        if rows and spec.widget == "date" and rows[-1][-1].widget == "date":
            rows[-1] = (*rows[-1], spec)
        else:
            rows.append((spec,))
    return rows


def _bind(name: str) -> dict:
    return {"key": state.widget_key(name), "on_change": state.on_widget_change}


def _help(spec: FilterField, lang: str) -> str | None:
    return t(spec.help, lang) if spec.help else None


# -- one drawing function per widget kind --------------------------------------------------------------------


def _multiselect(slot: Any, spec: FilterField, chosen: Filter, options: Options, lang: str) -> None:
    labels = _offered(spec, chosen, options, lang)
    slot.multiselect(t(spec.label, lang), options=list(labels), format_func=lambda code: labels.get(code) or code,
                     help=_help(spec, lang), placeholder=t("choose", lang), **_bind(spec.name))


def _date(slot: Any, spec: FilterField, chosen: Filter, options: Options, lang: str) -> None:
    slot.date_input(t(spec.label, lang), min_value=_earliest(chosen), max_value=_latest(chosen), format="YYYY-MM-DD",
                    **_bind(spec.name))


def _toggle(slot: Any, spec: FilterField, chosen: Filter, options: Options, lang: str) -> None:
    slot.toggle(t(spec.label, lang), help=_help(spec, lang), **_bind(spec.name))


def _number(slot: Any, spec: FilterField, chosen: Filter, options: Options, lang: str) -> None:
    slot.number_input(t(spec.label, lang), min_value=0, step=1, help=_help(spec, lang), **_bind(spec.name))


def _text(slot: Any, spec: FilterField, chosen: Filter, options: Options, lang: str) -> None:
    slot.text_input(t(spec.label, lang), max_chars=TEXT_LIMIT, help=_help(spec, lang), **_bind(spec.name))


def _segmented(slot: Any, spec: FilterField, chosen: Filter, options: Options, lang: str) -> None:
    slot.segmented_control(t(spec.label, lang), options=list(spec.choices),
                           format_func=lambda choice: t(f"{spec.option_words or ''}{choice}", lang), required=True,
                           help=_help(spec, lang), **_bind(spec.name))


_WIDGETS: dict[str, Callable[[Any, FilterField, Filter, Options, str], None]] = {
    "multiselect": _multiselect, "date": _date, "toggle": _toggle, "number": _number, "text": _text,
    "segmented": _segmented,
}


# -- what a multiselect offers ---------------------------------------------------------------------------------


def _offered(spec: FilterField, chosen: Filter, options: Options, lang: str) -> dict[str, str]:
    """Code → label offered by a multiselect: its vocabulary's codes, or else the codes present in the data
    (the :class:`Options` attribute of the same name) plus whatever the filter already holds."""
    if spec.vocabulary is not None:
        return {code: taxonomy.label(spec.vocabulary, code, lang) for code in taxonomy.codes(spec.vocabulary)}
    present = getattr(options, spec.name)
    labels = dict(present) if isinstance(present, Mapping) else dict.fromkeys(present, "")
    if spec.name == "subdistricts":  # narrowed to the chosen districts
        labels = {code: label for code, label in labels.items()
                  if not chosen.districts or options.subdistrict_parent.get(code) in chosen.districts}
    return _with_current(labels, getattr(chosen, spec.name))


def _with_current(labels: Mapping[str, str], current: Sequence[str]) -> dict[str, str]:
    """Offered choices plus whatever the filter already holds (a URL may name a place with no incidents)."""
    merged = dict(labels)
    for code in current:
        merged.setdefault(code, code)
    return merged


def _earliest(chosen: Filter) -> date:
    """The first day a date widget offers: the earliest a record may hold, or an earlier day the filter already
    holds (a shared link with ``?from=1850-01-01`` shows the page instead of an error)."""
    return min(_EARLIEST, *(getattr(chosen, spec.name) or _EARLIEST for spec in FILTER_FIELDS
                            if spec.widget == "date"))


def _latest(chosen: Filter) -> date:
    """The last day a date widget offers: today, or a later day the filter already holds."""
    return max(date.today(), *(getattr(chosen, spec.name) or _EARLIEST for spec in FILTER_FIELDS
                               if spec.widget == "date"))
