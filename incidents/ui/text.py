"""Showing untrusted text: escaped for HTML *and* for Markdown, with its direction left to the browser.

Report text (descriptions, quotes, source names, place names, even the free-text filter from a shared URL),
user names and every error message (they quote such text) are shown through these helpers only: ``md_escape``
where the Markdown may hold HTML of ours, ``md_plain`` for every other Markdown context (alerts, captions,
widget, tab and expander labels), ``show_error``/``show_warning`` for messages. ``st.markdown`` would otherwise turn ``[x](javascript:…)``,
``![](http://…)`` (a request to an outside server), ``:red[…]`` or ``$…$`` into markup; HTML-escaping alone
does not stop Markdown. Every character that means something to either is written as a numeric entity,
which both render as the character itself.
"""

from __future__ import annotations

import html
import re

import streamlit as st

from incidents.domain.errors import IncidentsError
from incidents.ui.i18n import t
from incidents.ui.state import language

_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>$&:=\"'@%^]")


def md_escape(text: object) -> str:
    """Return ``text`` with every HTML and Markdown metacharacter as a numeric entity; line breaks (``\\n``,
    ``\\r\\n`` and a lone ``\\r``, which Markdown also ends a line at) as <br>."""
    if text is None:
        return ""
    value = str(text)
    escaped = _SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", value)
    return _LINE_BREAK.sub("<br>", escaped)


_LINE_BREAK = re.compile(r"\r\n?|\n")


_MD_PLAIN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def md_plain(text: object) -> str:
    """Return ``text`` for a Markdown-rendered widget label (``st.page_link``, ``st.metric``): every
    Markdown metacharacter backslash-escaped, so a place name can never become a link or markup."""
    return _MD_PLAIN.sub(r"\\\1", "" if text is None else str(text))


def show_error(message: object) -> None:
    """Show an error message escaped for Markdown: messages quote report and user text (a conflict names the
    colleague and quotes their edit; a refusal echoes the value that came), and ``st.error`` renders Markdown.
    A package error is said in the interface language where it has both (a role refusal)."""
    if isinstance(message, IncidentsError):
        message = message.localised(language())
    st.error(md_plain(message))


def said(message: object, lang: str) -> str:
    """Return ``message`` in the interface language ``lang`` when it can say itself in either (a package error, a
    problem of a field: anything with ``localised``), else as written."""
    localised = getattr(message, "localised", None)
    return localised(lang) if callable(localised) else str(message)


def show_warning(message: object) -> None:
    """Show a warning escaped for Markdown (see :func:`show_error`)."""
    st.warning(md_plain(message))


def isolate(text: object) -> str:
    """Return ``text`` wrapped in Unicode first-strong isolates, so that an Arabic name next to numbers or
    Latin text in a plain-text label keeps its own direction (and does not reorder its neighbours)."""
    return f"\u2068{text}\u2069" if text else ""


_NUMBER_RUN = re.compile(r"[0-9][0-9,.:/\-–+ …]*[0-9+…]|[0-9]")


_ARABIC = re.compile(r"[\u0600-\u06FF]")


def ltr_runs(text: object, rtl: bool = False) -> str:
    """Return ``text`` with each run of numbers, dates and ranges ("2018-09-10 – 2019-03-23", "27–38+")
    isolated left-to-right, so that an Arabic sentence does not display "38–27" or "23-03-2019".

    Only text that holds Arabic, or is shown in a right-to-left layout (``rtl``), is changed: English text
    stays free of invisible characters (it is copied into reports)."""
    value = "" if text is None else str(text)
    if not (rtl or _ARABIC.search(value)):
        return value
    return _NUMBER_RUN.sub(lambda m: f"\u2066{m.group(0)}\u2069", value)


_BDI = {"\u2066": '<bdi dir="ltr">', "\u2068": "<bdi>"}
_ISOLATED = re.compile("([\u2066\u2068])([^\u2066-\u2069]*)\u2069")


def bidi_html(escaped: str) -> str:
    """Return escaped HTML with each isolated run (:func:`ltr_runs`, :func:`isolate`) as a ``<bdi>`` element.

    A page's Markdown loses the invisible isolate characters (an Arabic line showed "12–15" as "15–12"); a
    ``<bdi dir="ltr">`` element keeps the run's order. Only balanced pairs are turned into elements, so text
    holding a stray isolate character cannot open an element it does not close."""
    return _ISOLATED.sub(lambda m: _BDI[m.group(1)] + m.group(2) + "</bdi>", escaped)


def html_text(text: object, tag: str = "span", css: str = "") -> str:
    """Return ``text`` escaped inside ``<tag dir="auto">`` (Arabic runs right to left by itself; isolated runs
    of numbers keep their order, see :func:`bidi_html`)."""
    cls = f' class="{html.escape(css)}"' if css else ""
    return f'<{tag} dir="auto"{cls}>{bidi_html(md_escape(text))}</{tag}>'


def show_text(text: object, css: str = "") -> None:
    """Show untrusted ``text`` as a paragraph (escaped; direction automatic)."""
    st.markdown(html_text(text, "div", css), unsafe_allow_html=True)


def show_caption(text: object) -> None:
    """Show the caption line above a view (e.g. ``Filter.caption``; it may hold the user's search text)."""
    st.markdown(html_text(ltr_runs(text), "div", "im-caption"), unsafe_allow_html=True)


def show_names(name_ar: object, name_en: object, tag: str = "h2") -> None:
    """Show a place's Arabic and English names as a heading, each in its own direction."""
    parts = []
    if name_ar:
        parts.append(f'<span dir="rtl" lang="ar">{md_escape(name_ar)}</span>')
    if name_en:
        parts.append(f'<span dir="ltr" lang="en">{md_escape(name_en)}</span>')
    st.markdown(f"<{tag}>{' · '.join(parts) or '—'}</{tag}>", unsafe_allow_html=True)


PAGE_CSS = """
<style>
.im-caption{color:#444;font-size:0.95rem;margin:-0.4rem 0 0.6rem 0;unicode-bidi:plaintext}
.im-legend{font-size:0.9rem;line-height:1.9}
.im-legend .im-key{display:inline-flex;align-items:center;gap:4px;margin-inline-end:14px;white-space:nowrap}
.im-legend .im-key.im-wrap{white-space:normal;margin-inline-end:0}
.im-legend .im-wrap svg{flex:none}
.im-legend span.sw{display:inline-block;width:11px;height:11px;border-radius:50%;vertical-align:middle;
  border:1px solid #333}
.im-legend span.sq{display:inline-block;width:16px;height:11px;border:1px solid #777;vertical-align:middle}
.im-quote{border-inline-start:3px solid #bbb;padding-inline-start:8px;color:#333;unicode-bidi:plaintext}
.im-muted{color:#666;font-size:0.85rem}
.im-table{overflow-x:auto;font-size:0.85rem;margin-bottom:0.6rem}
.im-table table{border-collapse:collapse;width:100%;margin:0}
.im-table th, .im-table td{border:none;border-bottom:1px solid #e4e4e4;padding:4px 8px;text-align:start;
  vertical-align:top;unicode-bidi:plaintext}
.im-table th{font-weight:600;color:#555;white-space:nowrap}
.im-table .im-num{text-align:end;white-space:nowrap}
.im-table .im-nowrap{white-space:nowrap}
.im-table .im-date{min-width:6.5em}
.im-table .im-clamp{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden}
/* A table wider than its column scrolls sideways: its scroll bar stays visible (Streamlit shows it on hover only,
   so a cut-off column looked like the end of the table). */
[data-testid="stDataFrame"] .dvn-scroller{scrollbar-width:thin;scrollbar-color:#9a9a9a transparent !important}
/* Loading placeholders and the running indicator hold still: their endless pulse redraws the whole window sixty
   times a second while a page loads, which on a machine without a graphics card takes as much processor time as
   drawing the page itself (#16: a new visitor's first map). */
[data-testid="stSkeleton"], [data-testid="stStatusWidget"] *, [data-testid="stStatusWidget"] *::before
  {animation:none !important}
</style>
"""

RTL_CSS = """
<style>
[data-testid="stMain"] .block-container, [data-testid="stMainBlockContainer"], [data-testid="stSidebar"]
  {direction: rtl; text-align: right}
[data-testid="stVegaLiteChart"], [data-testid="stCustomComponentV1"] {direction: ltr}
/* Tables keep their own left-to-right grid (a right-to-left grid is cut off and shows "70+" as "+70"); the
   Arabic in their cells still runs right to left. */
[data-testid="stDataFrame"], [data-testid="stTable"] {direction: ltr; text-align: left}
/* The file uploader's own words are not translatable through its API: written over in Arabic. */
[data-testid="stFileUploaderDropzoneInstructions"] > div > span:first-child {font-size: 0}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span:first-child::after
  {content: "UPLOAD_DROP"; font-size: 0.9rem}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] *
  {font-size: 0 !important; width: 0; margin: 0}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after
  {content: "UPLOAD_BUTTON"; font-size: 0.9rem}
</style>
"""


def apply_page_css(lang: str) -> None:
    """Add the dashboard's small style sheet (and right-to-left layout for the Arabic interface).

    ``st.html`` with only style tags goes to the page's event container: it takes no space and, unlike Markdown
    with HTML, is applied as soon as it arrives (Markdown with HTML waits for the browser to load its HTML
    plug-in, and shows a loading placeholder until then)."""
    rtl = RTL_CSS.replace("UPLOAD_DROP", t("upload_drop", "ar")).replace("UPLOAD_BUTTON", t("upload_button", "ar"))
    st.html(PAGE_CSS + (rtl if lang == "ar" else ""))
