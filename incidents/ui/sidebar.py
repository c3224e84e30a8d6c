"""The sidebar of every page: interface language, the filter widgets, reset and the share hint.

Each widget is seeded from the permanent filter before it is drawn and writes back through
:func:`incidents.ui.state.on_widget_change` (see :mod:`incidents.ui.state`). Changing any widget reruns the
page once, with the new filter already in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import streamlit as st

from incidents.analysis.filters import FIGURES, Filter
from incidents.domain import taxonomy
from incidents.domain.users import User
from incidents.ui import state
from incidents.ui.cache import Options
from incidents.ui.i18n import LANGUAGES, t

_EARLIEST = date(2000, 1, 1)


def render_language() -> str:
    """Draw the interface-language switch; return the language in force."""
    lang = state.language()
    st.session_state[state.LANG_WIDGET] = lang
    st.sidebar.segmented_control(
        t("language", lang), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, required=True,
        key=state.LANG_WIDGET, on_change=state.on_language_change)
    return state.language()


def render_filters(chosen: Filter, options: Options, user: User, lang: str) -> None:
    """Draw the filter widgets in the sidebar, seeded from ``chosen``."""
    shown = state.WIDGET_FIELDS if user.sees_unpublished else tuple(
        f for f in state.WIDGET_FIELDS if f not in ("statuses", "include_drafts"))
    state.seed_widgets(chosen, shown)
    bar = st.sidebar
    bar.header(t("filters", lang))
    bar.segmented_control(t("figure", lang), options=list(FIGURES), format_func=lambda f: t(f"fig_{f}", lang),
                          required=True, help=t("figure_help", lang), **_bind("figure"))
    if "include_drafts" in shown:  # an assumption of the totals, beside the figure and the gradings
        bar.toggle(t("include_drafts", lang), help=t("include_drafts_help", lang), **_bind("include_drafts"))
    _vocabulary("actors", "actor", lang)
    _dates(chosen, lang)
    bar.toggle(t("undated_only", lang), help=t("undated_only_help", lang), **_bind("undated"))
    _vocabulary("event_types", "event_type", lang)
    _places(chosen, options, lang)
    _vocabulary("gradings", "grading", lang, help_key="gradings_help")
    bar.toggle(t("civilian_only", lang), **_bind("civilian_only"))
    bar.number_input(t("min_killed", lang), min_value=0, step=1, **_bind("min_killed"))
    _vocabulary("source_kinds", "source_kind", lang)
    _choices("languages", _with_current(dict.fromkeys(options.languages, ""), chosen.languages), lang,
             label_of=lambda code: code)
    bar.text_input(t("text", lang), max_chars=200, help=t("text_help", lang), **_bind("text"))
    if "statuses" in shown:
        _vocabulary("statuses", "status", lang)
    bar.button(t("reset", lang), on_click=state.reset_filter, key="flt.reset", width="stretch")
    bar.caption(t("share", lang))


def _bind(name: str) -> dict:
    return {"key": state.widget_key(name), "on_change": state.on_widget_change}


def _vocabulary(name: str, vocabulary: str, lang: str, help_key: str | None = None) -> None:
    codes = list(taxonomy.codes(vocabulary))
    st.sidebar.multiselect(t(name, lang), options=codes, format_func=lambda c: taxonomy.label(vocabulary, c, lang),
                           help=t(help_key, lang) if help_key else None, placeholder=t("choose", lang),
                           **_bind(name))


def _dates(chosen: Filter, lang: str) -> None:
    left, right = st.sidebar.columns(2)
    latest = max(date.today(), chosen.date_to or _EARLIEST, chosen.date_from or _EARLIEST)
    left.date_input(t("date_from", lang), min_value=_EARLIEST, max_value=latest, format="YYYY-MM-DD",
                    **_bind("date_from"))
    right.date_input(t("date_to", lang), min_value=_EARLIEST, max_value=latest, format="YYYY-MM-DD",
                     **_bind("date_to"))


def _with_current(labels: Mapping[str, str], current: Sequence[str]) -> dict[str, str]:
    """Offered choices plus whatever the filter already holds (a URL may name a place with no incidents)."""
    merged = dict(labels)
    for code in current:
        merged.setdefault(code, code)
    return merged


def _choices(name: str, labels: Mapping[str, str], lang: str, label_of=None) -> None:
    show = label_of or (lambda code: labels.get(code) or code)
    st.sidebar.multiselect(t(name, lang), options=list(labels), format_func=show, placeholder=t("choose", lang),
                           **_bind(name))


def _places(chosen: Filter, options: Options, lang: str) -> None:
    _choices("districts", _with_current(options.districts, chosen.districts), lang)
    subdistricts = {code: label for code, label in options.subdistricts.items()
                    if not chosen.districts or options.subdistrict_parent.get(code) in chosen.districts}
    _choices("subdistricts", _with_current(subdistricts, chosen.subdistricts), lang)
    _choices("places", _with_current(options.places, chosen.places), lang)
