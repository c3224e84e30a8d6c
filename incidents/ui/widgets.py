"""Small shared pieces of the views: headline figures, the incident table, the actor legend, figures text."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from incidents.analysis.aggregate import ACTOR_COLOURS, Totals
from incidents.analysis.mapping import MapData, figures_text
from incidents.domain import taxonomy
from incidents.ui.i18n import t
from incidents.ui.text import bidi_html, isolate, ltr_runs, md_escape


def figures(low: int, high: int, best: int | None = None, open_max: int = 0, lang: str = "en") -> str:
    """Return :func:`incidents.analysis.mapping.figures_text` in the interface language: an open maximum is "70+" in
    English and "70 فأكثر" in Arabic (a "+" is shown before the number by a right-to-left renderer)."""
    return figures_text(low, high, best, open_max, more=t("or_more", lang), best_text=t("best_of", lang))


def render_totals(totals: Totals, figure: str, lang: str) -> None:
    """Draw the headline figures: incidents, killed (chosen figure, with the band), civilians, …"""
    band = t("band", lang, lo=f"{totals.killed_min:,}", hi=t("or_more", lang, n=f"{totals.killed_max:,}") if totals.open_max else f"{totals.killed_max:,}",
             best=f"{totals.killed_best:,}")
    span = "—"
    if totals.first and totals.last:
        span = f"{totals.first.isoformat()} – {totals.last.isoformat()}"
    cols = st.columns([1, 1.3, 1.2, 1, 1, 1])
    cols[0].metric(t("m_incidents", lang), f"{totals.incidents:,}")
    cols[1].metric(f'{t("m_killed", lang)} ({t("fig_" + figure, lang)})', f"{totals.killed(figure):,}",
                   help=ltr_runs(band, lang == "ar"))
    civilians = ltr_runs(figures(totals.civilians_min, totals.civilians_max, totals.civilians_best, lang=lang),
                         lang == "ar")
    cols[2].metric(f'{t("m_civilians", lang)} ({t("fig_" + figure, lang)})', f"{totals.civilians(figure):,}",
                   help=civilians)
    cols[3].metric(t("m_children", lang), f"{totals.children:,}", help=t("m_children_help", lang))
    cols[4].metric(t("m_women", lang), f"{totals.women:,}", help=t("m_women_help", lang))
    cols[5].metric(t("m_places", lang), f"{totals.places:,}")
    st.caption(ltr_runs(f'{t("m_killed", lang)}: {band} · {t("m_span", lang)}: {span}', lang == "ar"))
    notes = []
    if totals.open_max:
        notes.append(t("open_max", lang, n=totals.open_max))
    if totals.unmapped:
        notes.append(t("unmapped", lang, n=totals.unmapped))
    if notes:
        st.caption(ltr_runs(" ".join(notes), lang == "ar"))


_AREA_LEVELS = ("governorate", "district", "subdistrict")


def display_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return incident rows as the table shows them: readable labels, killed and injured as "min–max", dates as
    text (a range as "start – end", none as "undated"), nothing shown as a raw "None"."""
    def label(vocabulary: str, column: str) -> list[str]:
        return [taxonomy.label(vocabulary, None if pd.isna(c) else str(c), lang) for c in rows[column]]

    rtl = lang == "ar"  # "12–20" stays "12–20" in a right-to-left table; an open maximum is "70 فأكثر"
    killed = [ltr_runs(figures(int(lo) if pd.notna(lo) else 0, int(hi) if pd.notna(hi) else 0, None, int(bool(o)),
                               lang), rtl) if pd.notna(lo) else "?" for lo, hi, o in
              zip(rows["killed_min"], rows["killed_max_or_min"], rows["killed_open"], strict=True)]
    place = [" · ".join(isolate(n) for n in (en, ar) if isinstance(n, str) and n) or (str(p) if isinstance(p, str) else "")
             for en, ar, p in zip(rows["place_name_en"], rows["place_name_ar"], rows["place_text"], strict=True)]
    if "location_precision" in rows:  # "Deir-ez-Zor · دير الزور (Governorate)": the area, not the city
        place = [f"{name} ({taxonomy.label('location_precision', str(level), lang)})"
                 if name and level in _AREA_LEVELS else name
                 for name, level in zip(place, rows["location_precision"], strict=True)]
    return pd.DataFrame({
        "date": dates_text(rows["date_start"], rows["date_end"], lang),
        "place": place,
        "actor": label("actor", "actor"),
        "type": label("event_type", "event_type"),
        "killed": killed,
        "killed_min": rows["killed_min"],
        "injured": injured_text(rows, lang),
        "grading": label("grading", "grading"),
        "sources": rows["source_names"].fillna("").astype(str),
        "description": rows["description"].fillna("").astype(str).str.slice(0, 240),
        "uid": rows["uid"],
    })


def dates_text(starts: pd.Series, ends: pd.Series, lang: str) -> list[str]:
    """Return each incident's date as ``YYYY-MM-DD``, a range as ``start – end``, none as "undated" (the text
    sorts as the start date; "undated" after every date)."""
    first = pd.to_datetime(starts).dt.strftime("%Y-%m-%d").tolist()
    last = pd.to_datetime(ends).dt.strftime("%Y-%m-%d").tolist()
    undated = t("undated", lang)
    return [undated if not isinstance(a, str) else (f"{a} – {b}" if isinstance(b, str) and b != a else a)
            for a, b in zip(first, last, strict=True)]


def injured_text(rows: pd.DataFrame, lang: str) -> list[str]:
    """Return injured as "12" or "12–15" ("" when no source gave a figure)."""
    if "injured_min" not in rows:
        return [""] * len(rows)
    low, high = rows["injured_min"], rows["injured_max"] if "injured_max" in rows else rows["injured_min"]
    return [ltr_runs(figures(int(a), int(b) if pd.notna(b) else int(a), lang=lang), lang == "ar") if pd.notna(a) else ""
            for a, b in zip(low, high, strict=True)]


FIGURE_SPACE = "\u2007"
FIGURE_WIDTH = 7


def table_data(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` ready for ``st.dataframe``: nothing shows as a raw "None".

    Figures with a gap become text ("70", "—" when missing): the grid shows an empty number cell as "None"
    whatever its format or a Styler says. They are padded with figure spaces (as wide as a digit) to one width,
    so that the text still sorts by number. Missing text becomes "".
    """
    numbers = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not
               pd.api.types.is_bool_dtype(frame[c])]
    changes: dict[str, list[str] | pd.Series] = {
        c: [f"{v:>{FIGURE_WIDTH}.0f}".replace(" ", FIGURE_SPACE) if pd.notna(v) else "—" for v in frame[c]]
        for c in numbers if frame[c].isna().any()}
    changes.update({c: frame[c].astype(object).where(frame[c].notna(), "") for c in frame.columns
                    if c not in numbers and frame[c].isna().any()})
    return frame.assign(**changes) if changes else frame


_COLUMNS = ("date", "place", "actor", "type", "killed", "killed_min", "injured", "grading", "sources",
            "description", "uid")


#: column widths (pixels) of a small table, summing to the main column of a 1400-pixel window beside the sidebar;
#: longer cells end in "…" and show whole on hover
_COMPACT_WIDTHS = {"date": 150, "actor": 130, "type": 110, "killed": 85, "killed_min": 70, "injured": 60,
                   "grading": 85, "sources": 120, "description": 130}


def column_config(lang: str, compact: bool = False) -> dict:
    """Return the table's column labels in ``lang`` (cells are plain text: nothing in them is markup); ``compact``
    gives the columns of a small table fixed widths, so that it fits its column instead of being cut off."""
    widths = _COMPACT_WIDTHS if compact else {}
    config: dict = {name: st.column_config.TextColumn(t(f"col_{name}", lang), width=widths.get(name))
                    for name in _COLUMNS}
    config["killed_min"] = st.column_config.TextColumn(t("col_killed_min", lang), alignment="right",
                                                       width=widths.get("killed_min"))
    return config


def show_table(frame: pd.DataFrame, lang: str, compact: bool = False, **options: object) -> None:
    """Draw incident rows (:func:`display_rows`) as a sortable table: labels in ``lang``, no raw "None".
    ``compact``: a small table (a clicked place, a place profile) that fits its column (:data:`_COMPACT_WIDTHS`)."""
    st.dataframe(table_data(frame), hide_index=True, column_config=column_config(lang, compact), width="stretch",
                 **options)  # type: ignore[call-overload]


#: columns of a static table kept on one line (a date range may break at its dash), and long-text columns cut to
#: three lines (whole on hover)
_NOWRAP = frozenset({"killed", "injured"})
_CLAMPED = frozenset({"sources", "description"})


def table_html(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    """Return ``frame`` as a light static HTML table (:func:`show_static_table`): ``labels`` as the header, no raw
    "None" (:func:`table_data`), every cell escaped for HTML and Markdown (report text is untrusted) and
    written in its own direction, isolated runs of figures kept in order (:func:`incidents.ui.text.bidi_html`).
    Dates and figures are not broken; sources and descriptions show three lines, the whole text on hover."""
    data = table_data(frame)
    numbers = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}

    def cell(tag: str, value: object, column: object) -> str:
        classes = [name for name, wanted in (("im-num", column in numbers), ("im-nowrap", column in _NOWRAP),
                                             ("im-date", column == "date")) if wanted]
        text = bidi_html(md_escape(value))
        if tag == "td" and column in _CLAMPED and str(value):
            hover = md_escape(" ".join(str(value).splitlines()))
            text = f'<div class="im-clamp" title="{hover}">{text}</div>'
        css = f' class="{" ".join(classes)}"' if classes else ""
        return f'<{tag} dir="auto"{css}>{text}</{tag}>'

    head = "".join(cell("th", labels.get(str(c), c), c) for c in data.columns)
    body = "".join("<tr>" + "".join(cell("td", v, c) for c, v in zip(data.columns, row, strict=True)) + "</tr>"
                   for row in data.itertuples(index=False))
    return f'<div class="im-table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def show_static_table(frame: pd.DataFrame, lang: str, labels: dict[str, str] | None = None) -> None:
    """Draw a short table that needs no sorting (the overview's lists) as static HTML: it is shown with the page's
    text, while the data grid of :func:`show_table` waits for its own code to load (and holds back the map drawn
    beside it, #16). ``labels``: column headers (default: the incident table's, in ``lang``)."""
    names = labels or {str(c): t(f"col_{c}", lang) for c in frame.columns}
    st.markdown(table_html(frame, names), unsafe_allow_html=True)


def render_legend(lang: str, data: MapData, layers: list[str] | tuple[str, ...] = ("places",)) -> None:
    """Draw how to read the map, for what it shows: the colours of the actors present, a size key, the dashed
    outline of incidents located only to an area, and the choropleth's colour key when it is on."""
    st.markdown(legend_html(lang, data, layers), unsafe_allow_html=True)


def legend_html(lang: str, data: MapData, layers: list[str] | tuple[str, ...] = ("places",)) -> str:
    """Return the legend's HTML (labels are escaped; colours come from the taxonomy)."""
    parts = []
    if "places" in layers and data.count:
        swatches = "".join(
            f'<span class="im-key"><span class="sw" style="background:{html.escape(ACTOR_COLOURS.get(c, "#666666"))}">'
            f'</span>{md_escape(taxonomy.label("actor", c, lang))}</span>' for c in data.actors)
        parts.append(f'<div><b>{md_escape(t("legend_colour", lang))}</b> {swatches}</div>')
        circles = "".join(
            f'<span class="im-key"><svg width="{2 * r + 2:.0f}" height="{2 * r + 2:.0f}"><circle cx="{r + 1}" '
            f'cy="{r + 1}" r="{r}" fill="#bbbbbb" stroke="#333" stroke-width="0.8"/></svg>{killed:,}</span>'
            for killed, r in data.size_key())
        if circles:
            parts.append(f'<div><b>{md_escape(t("legend_size", lang))}</b> {circles}</div>')
        if data.areas_drawn:
            dashed = ('<svg width="26" height="14"><rect x="1" y="1" width="24" height="12" fill="#eeeeee" '
                      'stroke="#555555" stroke-width="1.5" stroke-dasharray="4 3"/></svg>')
            parts.append(f'<div><span class="im-key im-wrap">{dashed}{md_escape(t("legend_dashed", lang))}</span></div>')
    if "choropleth" in layers and data.choropleth.get("classes"):
        ramp = "".join(
            f'<span class="im-key"><span class="sq" style="background:{html.escape(colour)}"></span>'
            f'<bdi dir="ltr">{low:,}{"–" + f"{high:,}" if high != low else ""}</bdi></span>'
            for low, high, colour in data.choropleth["classes"])
        ramp += (f'<span class="im-key"><span class="sq" style="background:#ffffff"></span>'
                 f'{md_escape(t("legend_none", lang))}</span>')
        parts.append(f'<div><b>{md_escape(t("legend_choropleth", lang))}</b> {ramp}</div>')
    if "heat" in layers and data.heat:
        parts.append(f'<div class="im-muted">{md_escape(t("legend_heat", lang))}</div>')
    return f'<div class="im-legend" dir="auto">{"".join(parts)}</div>'
