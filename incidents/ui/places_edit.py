"""Adding to the gazetteer from the dashboard (editors): another spelling of a known place, or a village the
bundled sources lack — always with the public source of its coordinates. Both go through the service layer
(role check, audit) into this database's own places; the geocoder, the review page and search pick them up.

Rerun behaviour: each is an ``st.form`` inside an expander; a submit writes, then the page reruns.
"""

from __future__ import annotations

import streamlit as st

from incidents.domain.errors import IncidentsError
from incidents.services import service
from incidents.ui import cache
from incidents.ui.i18n import t
from incidents.ui.setup import Page
from incidents.ui.text import show_error

KINDS = ("village", "town", "neighbourhood", "camp", "site")



def render_add_alias(page: Page, place_id: str) -> None:
    """An editor's form to record another spelling of gazetteer place ``place_id``."""
    if not page.user.can("add_place") or place_id.startswith("pt:"):
        return
    lang = page.lang
    with st.expander(t("places_edit.alias", lang)):
        with st.form(f"alias-{place_id}"):
            alias = st.text_input(t("places_edit.alias_field", lang), key=f"alias-{place_id}-text")
            submitted = st.form_submit_button(t("places_edit.save", lang))
        if submitted:
            try:
                service.add_place_alias(page.store, page.user, place_id, alias)
            except IncidentsError as error:
                show_error(error)
            else:
                st.success(t("places_edit.alias_done", lang))


def render_add_place(page: Page) -> None:
    """An editor's form to add a village the bundled gazetteer lacks, with the source of its coordinates."""
    if not page.user.can("add_place"):
        return
    lang = page.lang
    with st.expander(t("places_edit.place", lang)):
        st.caption(t("places_edit.place_note", lang))
        with st.form("add-place"):
            left, right = st.columns(2)
            name_ar = left.text_input(t("places_edit.name_ar", lang), key="add-place-ar")
            name_en = right.text_input(t("places_edit.name_en", lang), key="add-place-en")
            lat = left.number_input(t("places_edit.lat", lang), value=None, format="%.5f", key="add-place-lat")
            lon = right.number_input(t("places_edit.lon", lang), value=None, format="%.5f", key="add-place-lon")
            kind = left.selectbox(t("places_edit.kind", lang), KINDS, key="add-place-kind")
            alt = right.text_input(t("places_edit.alt", lang), key="add-place-alt")
            origin = st.text_input(t("places_edit.origin", lang), key="add-place-origin")
            submitted = st.form_submit_button(t("places_edit.save", lang))
        if submitted:
            _save_place(page, name_ar, name_en, lat, lon, kind, alt, origin)


def _save_place(page: Page, name_ar: str, name_en: str, lat: float | None, lon: float | None, kind: str,
                alt: str, origin: str) -> None:
    if not origin.strip():
        st.error(t("places_edit.no_origin", page.lang))
        return
    admin = _admin_codes(lat, lon)
    place = service.NewPlace(name_ar=name_ar, name_en=name_en, lat=lat, lon=lon, kind=kind,  # type: ignore[arg-type]
                             origin=origin, alt_names=tuple(a for a in alt.split(";") if a.strip()), **admin)
    try:
        place_id = service.add_place(page.store, page.user, place)
    except IncidentsError as error:
        show_error(error)
        return
    st.success(t("places_edit.place_done", page.lang, id=place_id))


def _admin_codes(lat: float | None, lon: float | None) -> dict[str, str | None]:
    gazetteer = cache.get_gazetteer()
    if gazetteer is None or lat is None or lon is None:
        return {}
    try:
        return dict(gazetteer.locate(lat, lon))
    except Exception:  # noqa: BLE001 - a point outside every boundary: the service says what is wrong
        return {}
