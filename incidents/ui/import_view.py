"""The Import page: upload a table, correct the proposed column mapping, see the first rows as they will be
stored, import with a progress bar, read what happened (new / updated / unchanged / rejected).

Editors and above (the ``import`` permission); anyone else sees a note. The work is done by
:mod:`incidents.services.importer`; this module only draws it. File text is never rendered as Markdown: messages go
through :func:`~incidents.ui.text.show_error` / ``md_escape``, tables through ``st.dataframe``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from incidents.domain.errors import ImportRejected, IncidentsError
from incidents.domain.messages import field_label, row_label
from incidents.domain.validation import RowError
from incidents.io.mapping import TARGETS, ColumnMapping
from incidents.services import importer
from incidents.ui import cache
from incidents.ui.i18n import t
from incidents.ui.setup import Page
from incidents.ui.text import md_escape, show_error

_NOT_MAPPED = "—"


def render_import_page(page: Page) -> None:
    """Draw the Import page for ``page.user``."""
    lang = page.lang
    st.title(t("import.title", lang))
    if not page.user.can("import"):
        st.info(t("import.not_allowed", lang))
        return
    st.caption(t("import.intro", lang))
    upload = st.file_uploader(t("import.file", lang), type=["csv", "tsv", "txt", "xlsx", "geojson", "json"],
                              key="imp.file")
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    options = _render_options(lang)
    try:
        fmt, table, mapping = _read(data, name, options)
    except IncidentsError as error:
        show_error(error)
        return
    if mapping is not None:
        mapping = _render_mapping(mapping, name, _fingerprint(data), lang)
        options = replace(options, changes=tuple(mapping.columns), keep_unmapped=mapping.keep_unmapped,
                          source=mapping.source)
    else:
        st.caption(md_escape(t("import.fixed", lang, fmt=fmt.upper())))
    _render_preview(page, data, name, replace(options, fmt=fmt), table)


def _render_options(lang: str) -> importer.ImportOptions:
    left, middle, right = st.columns(3)
    fmt = left.selectbox(t("import.format", lang), importer.FORMATS, key="imp.format")
    mapping_upload = middle.file_uploader(t("import.mapping_file", lang), type=["json"], key="imp.mapfile")
    source = right.text_input(t("import.source", lang), key="imp.source").strip() or None
    keep = st.checkbox(t("import.keep", lang), key="imp.keep")
    left, middle, right = st.columns(3)
    country = left.text_input(t("import.country", lang), key="imp.country").strip() or None
    governorate = middle.text_input(t("import.governorate", lang), key="imp.governorate").strip() or None
    outside = right.checkbox(t("import.outside", lang), key="imp.outside")
    mapping_text = mapping_upload.getvalue().decode("utf-8-sig", errors="replace") if mapping_upload else None
    area = importer.Area(country, governorate) if (country or governorate) else None
    return importer.ImportOptions(fmt=fmt, mapping_text=mapping_text, keep_unmapped=True if keep else None,
                                  source=source, area=area, include_outside=outside)


def _read(data: bytes, name: str, options: importer.ImportOptions) -> tuple[str, Any, ColumnMapping | None]:
    fmt = options.fmt if options.fmt != "auto" else importer.detect_format(name, data)
    table = importer.read_table(data, name, fmt, options.limits)
    return fmt, table, importer.resolve_mapping(table, fmt, options, name)


def _fingerprint(data: bytes) -> str:
    """A short digest of the uploaded file: the mapping choices of one file are never carried to another."""
    import hashlib

    return hashlib.sha1(data, usedforsecurity=False).hexdigest()[:10]


def _render_mapping(mapping: ColumnMapping, name: str, digest: str, lang: str) -> ColumnMapping:
    """Draw one choice per column (the proposal preselected); return the mapping as the user corrected it."""
    st.subheader(t("import.mapping", lang))
    st.caption(t("import.mapping_help", lang))
    choices = [_NOT_MAPPED, *TARGETS]
    grid = st.columns(3)
    changes: dict[str, str | None] = {}
    for index, (header, target) in enumerate(mapping.columns):
        if not header:
            continue
        chosen = grid[index % 3].selectbox(
            header or "(blank)", choices, index=choices.index(target or _NOT_MAPPED), key=f"imp.col.{digest}.{index}")
        changes[header] = None if chosen == _NOT_MAPPED else chosen
    corrected = mapping.with_changes(changes)
    st.download_button(t("import.save_mapping", lang), corrected.to_json().encode("utf-8"),
                       file_name=f"{name}.mapping.json", mime="application/json", key="imp.mapping_download")
    return corrected


def _render_preview(page: Page, data: bytes, name: str, options: importer.ImportOptions, table: Any) -> None:
    lang = page.lang
    if table.encoding and table.evidence:
        st.caption(md_escape(t("import.encoding", lang, encoding=table.encoding, evidence=table.evidence)))
    try:
        parsed = importer.read_incidents(data, name, options.fmt, options)
    except IncidentsError as error:
        show_error(error)
        return
    st.subheader(t("import.preview", lang))
    placed = importer.preview_rows(parsed, 10, cache.review_gazetteer(page.store, page.url), lang)
    st.dataframe(pd.DataFrame(placed, columns=list(importer.PREVIEW_COLUMNS)),
                 hide_index=True, key="imp.preview")
    skip = st.checkbox(t("import.skip", lang), key="imp.skip")
    if st.button(t("import.go", lang), type="primary", key="imp.go"):
        _run_import(page, data, name, options, skip)


def _run_import(page: Page, data: bytes, name: str, options: importer.ImportOptions, skip: bool) -> None:
    lang = page.lang
    bar = st.progress(0.0, text=t("import.working", lang))

    def advance(fraction: float, what: str) -> None:
        bar.progress(min(1.0, max(0.0, fraction)), text=what)

    try:
        result = importer.import_incidents(
            page.store, page.user, data, name, fmt=options.fmt, skip_invalid=skip,
            gazetteer=cache.review_gazetteer(page.store, page.url), options=options,
            progress=advance)
    except ImportRejected as rejected:
        bar.empty()
        show_error(rejected)
        _render_problems(t("import.rejected", lang), rejected.errors, lang)
        return
    except IncidentsError as error:
        bar.empty()
        show_error(error)
        return
    if result.written:
        cache.clear_after_write()
    _render_result(result, name, lang)


def _render_result(result: importer.ImportResult, name: str, lang: str) -> None:
    st.success(md_escape(result.summary(lang)))
    if result.rejected:
        _render_problems(t("import.rejected_aside", lang), result.rejected, lang)
    if result.rejected_csv:
        st.download_button(t("import.rejected_csv", lang), result.rejected_csv, file_name=f"{name}.rejected.csv",
                           mime="text/csv", key="imp.rejected_download")
    if result.unresolved:
        _render_rows(t("import.unplaced", lang), _located(result.unresolved, lang),
                     (t("import.col_row", lang), t("import.col_place", lang)))
    if result.outside:
        _render_rows(t("import.outside_rows", lang), _located(result.outside, lang),
                     (t("import.col_row", lang), t("import.col_where", lang)))
    if result.deleted:
        _render_rows(t("import.deleted_rows", lang), _located(result.deleted, lang),
                     (t("import.col_row", lang), t("import.col_incident", lang)))


def _render_problems(title: str, errors: list[RowError], lang: str) -> None:
    """Draw the rejected rows' problems in the interface language: the row, the field by its label (the file's own
    column beside it) and the reason."""
    rows = [(_row_cell(e.row, lang), field_label(e.field, lang, raw=True), e.localised(lang)) for e in errors]
    _render_rows(title, rows, (t("import.col_row", lang), t("import.col_field", lang), t("import.col_reason", lang)))


def _row_cell(row: int | str, lang: str) -> int | str:
    """A row number as it is (the column says "row"), a GeoJSON feature named in ``lang``."""
    return row if isinstance(row, int) else row_label(row, lang)


def _located(rows: list[tuple[int | str, str]], lang: str) -> list[tuple[int | str, str]]:
    return [(_row_cell(row, lang), what) for row, what in rows]


def _render_rows(title: str, rows: list[tuple], columns: tuple[str, ...]) -> None:
    st.subheader(title)
    frame = pd.DataFrame([tuple(str(v) for v in row) for row in rows], columns=list(columns))
    st.dataframe(frame, hide_index=True)
