"""The place profile: one village, town or admin area — names in both scripts, admin path, coordinates and
precision, its incidents under the sidebar filter, its own timeline and the places nearby.

The profile ignores the sidebar's district/sub-district/place choices (it *is* a place choice) but keeps
every other filter, so "coalition, 2017" on the map stays "coalition, 2017" here.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from geodata.errors import GeodataError
from incidents.analysis import charts
from incidents.domain import taxonomy
from incidents.services import service
from incidents.ui import cache, state
from incidents.ui.counting_view import page_counting, render_counted, render_cumulative
from incidents.ui.i18n import has, t
from incidents.ui.map_view import render_point_map
from incidents.ui.setup import PAGES, Page
from incidents.ui.text import isolate, md_escape, md_plain, show_caption, show_names
from incidents.ui.widgets import display_rows, render_totals, show_table

CHOOSER_KEY = "place.chooser"
SEARCH_KEY = "place.search"
NEARBY_KM = 15

log = logging.getLogger(__name__)


def on_place_chosen() -> None:
    """Selectbox callback: show the chosen place."""
    value = st.session_state.get(CHOOSER_KEY)
    if value:
        state.set_page_param("place", "place", str(value))


def render_place_page(page: Page) -> None:
    """Draw the place profile of the page parameter ``place`` (or the chooser when there is none)."""
    from incidents.ui.places_edit import render_add_alias, render_add_place  # editors add to the gazetteer

    key = page.params.get("place")
    render_chooser(page, key)
    if not key:
        render_add_place(page)
        return
    gazetteer = cache.review_gazetteer(page.store, page.url)  # with the places and spellings users added
    place = gazetteer.get(key) if gazetteer is not None else None
    known = page.data.places[page.data.places["place_key"] == key]
    row = known.iloc[0] if len(known) else None
    if place is None and row is None:
        st.warning(t("unknown_place", page.lang))
        return
    render_identity(page, key, place, row, gazetteer)
    render_add_alias(page, key)
    render_incidents(page, key)


def render_chooser(page: Page, key: str | None) -> None:
    """Draw the place chooser: the places of the current filter, most killed first."""
    lang = page.lang
    summary = cache.places(page.url, page.version, page.effective).head(500)
    labels = {str(key): f"{_label(en, ar, key)} ({int(n):,})" for key, en, ar, n in
              zip(summary["place_key"], summary["name_en"], summary["name_ar"], summary["n"], strict=True)}
    if key and key not in labels:
        labels = {key: key, **labels}
    st.session_state[CHOOSER_KEY] = key
    st.selectbox(t("choose_place", lang), options=list(labels), format_func=lambda k: labels.get(k, k),
                 key=CHOOSER_KEY,
                 on_change=on_place_chosen, placeholder=t("choose_place", lang))


def _label(name_en: object, name_ar: object, fallback: object) -> str:
    """Both names as plain text, each direction-isolated (for select boxes and link labels)."""
    names = [isolate(n) for n in (name_en, name_ar) if isinstance(n, str) and n]
    return " · ".join(names) or str(fallback)


def render_identity(page: Page, key: str, place: Any, row: Any, gazetteer: Any) -> None:
    """Draw the place's names, admin path, coordinates and precision, map and nearby places."""
    lang = page.lang
    name_ar = place.name_ar if place is not None else row["name_ar"]
    name_en = place.name_en if place is not None else row["name_en"]
    show_names(name_ar, name_en, "h2")
    lat = place.lat if place is not None else row["lat"]
    lon = place.lon if place is not None else row["lon"]
    left, right = st.columns([1, 1])
    with left:
        _facts(page, key, place, row, gazetteer, lat, lon)
    nearby = _nearby(page, gazetteer, lat, lon, key)
    with right:
        area = cache.boundaries().areas.get(key) if row is not None and row["place_shape"] == "area" else None
        render_point_map(page, lat, lon, area, nearby=nearby, key="place_map", height=300)
    if len(nearby):
        st.markdown(f"**{t('nearby', lang)}**")
        columns = st.columns(3)
        for i, item in enumerate(nearby.to_dict("records")):
            name = md_plain(_label(item["name_en"], item["name_ar"], item["id"]))
            label = t("nearby_line", lang, name=name, km=f"{item['km']:.1f}", n=f"{int(item['n']):,}")
            columns[i % 3].page_link(PAGES["place"][0], label=label, query_params={"place": str(item["id"])})


def _facts(page: Page, key: str, place: Any, row: Any, gazetteer: Any, lat: Any, lon: Any) -> None:
    lang = page.lang
    codes = [getattr(place, a, None) if place is not None else row[a] for a in ("admin1", "admin2", "admin3")]
    path = " › ".join(_admin(gazetteer, c) for c in codes if isinstance(c, str) and c) or "—"
    kind = place.kind if place is not None else "?"
    kind = t(f"kind_{kind}", lang) if has(f"kind_{kind}") else kind
    precision = taxonomy.label("location_precision", str(row["precision"]), lang) if row is not None else "—"
    facts = [(t("admin_path", lang), path),
             (t("coordinates", lang), f"{float(lat):.5f}, {float(lon):.5f}" if pd.notna(lat) and pd.notna(lon)
              else "—"),
             (t("precision", lang), f"{kind}; {precision}"),
             (t("place_id", lang), key)]
    if place is not None and place.population:
        facts.append((t("population", lang), f"{place.population:,}"))
    st.markdown("".join(f'<div dir="auto"><b>{md_escape(k)}</b>: {md_escape(v)}</div>' for k, v in facts),
                unsafe_allow_html=True)
    spellings = [*(place.alt_names if place is not None else ()), *_spellings_added(page, key)]
    if spellings:
        with st.expander(t("other_spellings", lang)):
            st.markdown(f'<div dir="auto">{md_escape(" · ".join(dict.fromkeys(spellings)))}</div>',
                        unsafe_allow_html=True)


def _spellings_added(page: Page, key: str) -> list[str]:
    """The spellings of place ``key`` that users added to this database."""
    return [alias for place_id, alias in service.load_place_aliases(page.store) if place_id == key]


def _admin(gazetteer: Any, code: str) -> str:
    if gazetteer is None:
        return code
    name_ar, name_en = gazetteer.admin_name(code)
    return " / ".join(n for n in (name_en, name_ar) if n) or code


def _nearby(page: Page, gazetteer: Any, lat: Any, lon: Any, key: str) -> pd.DataFrame:
    columns = ["id", "name_ar", "name_en", "lat", "lon", "km", "n"]
    if gazetteer is None or not (pd.notna(lat) and pd.notna(lon)):
        return pd.DataFrame(columns=columns)
    try:
        near = gazetteer.nearby(float(lat), float(lon), km=NEARBY_KM, limit=13)
    except GeodataError:  # coordinates the gazetteer refuses: no neighbours to list
        log.exception("no nearby places for %s", key)
        return pd.DataFrame(columns=columns)
    found = [(p, km) for p, km in near if p.id != key]
    counts = cache.places(page.url, page.version, page.effective).set_index("place_key")["n"]
    return pd.DataFrame([(p.id, p.name_ar, p.name_en, p.lat, p.lon, km, int(counts.get(p.id, 0)))
                         for p, km in found[:12]], columns=columns)


def render_incidents(page: Page, key: str) -> None:
    """Draw the place's incidents under the filter (minus its area choices), with totals and a timeline."""
    lang = page.lang
    chosen = replace(page.effective, districts=(), subdistricts=(), places=())
    rows, totals, by_actor, bands = cache.place_view(page.url, page.version, chosen, key)
    st.subheader(t("its_incidents", lang))
    show_caption(replace(page.chosen, districts=(), subdistricts=(), places=()).caption(totals.incidents, lang))
    render_totals(totals, chosen.figure, lang)
    render_counted(page, page_counting(page, chosen, key))
    render_cumulative(page, cache.cumulative(page.url, page.version, chosen, key))
    if rows.empty:
        st.info(t("no_incidents", lang))
        return
    st.altair_chart(charts.build_timeline(by_actor, bands, freq="month", figure=chosen.figure, lang=lang,
                                          selectable=False, height=220), width="stretch")
    show_table(display_rows(rows, lang).drop(columns=["place", "uid"]), lang, compact=True)
    from incidents.ui.victims_view import render_place_victims  # named victims (#18)

    render_place_victims(page, [str(u) for u in rows["uid"]] if "uid" in rows else [])
