"""Pages a researcher can read at a glance (issue #17): the map's legend shows what is on the map, no raw
"None" anywhere, and every label of the interface exists in English and Arabic."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest

from .test_pages import new_app, plain, run

SWATCH = re.compile(r'<span class="sw"[^>]*></span>([^<]*)</span>')


def legend(at) -> str:
    found = [m.value for m in at.markdown if 'class="im-legend"' in m.value]
    assert found, "no legend under the map"
    return found[0]


def legend_actors(at) -> list[str]:
    return [plain(unescape(name)) for name in SWATCH.findall(legend(at))]


def test_legend_lists_only_the_actors_on_the_map(app_db):
    at = run(new_app(), "pages/1_Map.py")
    assert sorted(legend_actors(at)) == sorted(["US-led coalition", "Syrian Democratic Forces (SDF)",
                                                "Islamic State (ISIS)"])  # the Russian draft is not counted (#11)
    with_drafts = run(new_app({"drafts": "1"}), "pages/1_Map.py")
    assert "Russian forces" in legend_actors(with_drafts)  # ... until drafts are counted
    html = legend(at)
    assert "<svg" in html and "<circle" in html  # a size key
    assert "sub-district or district" in unescape(html) and "governorate (grey outline" in unescape(html)  # payload-1
    at = run(new_app({"actor": "coalition"}), "pages/1_Map.py")
    assert legend_actors(at) == ["US-led coalition"]
    assert "Dashed outline" not in unescape(legend(at))  # no area drawn: no word about areas


def test_legend_has_a_colour_key_for_the_choropleth(app_db):
    at = run(new_app(), "pages/1_Map.py")
    at.pills(key="map.layers").set_value(["choropleth"])
    run(at)
    html = unescape(legend(at))
    assert "Sub-districts, killed" in html and 'class="sq"' in html and "no incidents" in html
    assert not SWATCH.findall(legend(at))  # no circles drawn: no actor colours


def test_legend_in_arabic(app_db):
    at = run(new_app({"ui": "ar"}), "pages/1_Map.py")
    assert "التحالف" in " ".join(legend_actors(at)) or legend_actors(at)
    assert "مساحة الدائرة" in unescape(legend(at))


# -- one message catalogue, every key in both languages ------------------------------------------------------

def catalogue_entries():
    from incidents.ui.i18n import CATALOGUE

    return [(table, key, value) for table, entries in CATALOGUE.items() for key, value in entries.items()]


@pytest.mark.parametrize(("table", "key", "value"), catalogue_entries(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_catalogue_key_has_english_and_arabic(table, key, value):
    english, arabic = value
    assert english.strip() and arabic.strip(), f"{table}.{key} lacks a language"
    assert re.search(r"[\u0600-\u06FF]", arabic) or re.fullmatch(r"[\W\dA-Z_a-z=.()]*", arabic), \
        f"{table}.{key}: the Arabic is not Arabic: {arabic!r}"
    assert re.findall(r"\{(\w*)", english) == re.findall(r"\{(\w*)", arabic) or \
        sorted(re.findall(r"\{(\w*)", english)) == sorted(re.findall(r"\{(\w*)", arabic)), \
        f"{table}.{key}: the two languages take different values"


def test_the_domain_word_tables_have_both_languages():
    from incidents.analysis import charts, mapping

    for words in (charts._WORDS, mapping._WORDS):
        assert set(words) == {"en", "ar"} and set(words["en"]) == set(words["ar"])
        assert all(text.strip() for lang in words.values() for text in lang.values())


# -- Arabic interface ----------------------------------------------------------------------------------------

def test_admin_page_in_arabic_keeps_the_language(app_db):
    at = run(new_app({"ui": "ar"}))
    at.switch_page("pages/7_Admin.py").run()
    assert not at.exception
    assert at.title[0].value == "الإدارة"
    assert at.query_params.get("ui") in ("ar", ["ar"])
    tabs = [tab.label for tab in at.tabs]
    assert tabs[:2] == ["الحسابات", "سجل التدقيق"]
    assert "وضع محلي" in " ".join(c.value for c in at.sidebar.caption)


def test_export_format_and_source_kinds_in_arabic(app_db):
    at = run(new_app({"ui": "ar"}), "pages/3_Incidents.py")
    assert at.segmented_control(key="export.format").label == "الصيغة"
    at = run(new_app({"ui": "ar"}))
    from incidents.ui.i18n import t

    sources = next(table for table in static_tables(at) if t("source_kinds", "ar") in table.columns)
    kinds = set(sources[t("source_kinds", "ar")])
    assert kinds and not kinds & {"ngo", "NGO", "Local network"}


# -- no raw "None", dates and disagreements shown plainly ----------------------------------------------------

RAW = re.compile(r"\b(None|nan|NaN|NaT)\b(?! of)")  # "None of these…" is English


@pytest.fixture
def plain_db(app_db, incident_factory):
    """The page-test database plus an undated incident and one whose sources disagree (70 against 70+, yes
    against unknown), written for these tests."""
    from datetime import date

    from incidents.domain.records import Claim
    from incidents.domain.users import LOCAL_USER
    from incidents.services.service import create_incidents
    from incidents.storage.store import Store

    disputed = incident_factory(uid="disputed-1", status="published", grading="contested", place_id="wof:890449895",
                                date_start=date(2018, 12, 2), date_end=date(2018, 12, 2),
                                claim=dict(source_name="First (synthetic)", killed_min=70, killed_max=70,
                                           injured_min=12, injured_max=15, civilians="yes"))
    disputed.claims.append(Claim(source_name="Second (synthetic)", quote="Synthetic: more than 70 killed.",
                                 source_kind="ngo", killed_min=70, killed_max=None, civilians="unknown"))
    undated = incident_factory(uid="undated-1", status="published", grading="weak", place_id="wof:890449895",
                               date_start=None, date_end=None, date_precision="unknown",
                               claim=dict(killed_min=None, killed_max=None))
    store = Store.open(app_db, sample=False)
    create_incidents(store, LOCAL_USER, [disputed, undated])
    store.engine.dispose()
    return app_db


def shown_tables(at) -> list:
    """Every table as the browser shows it (a styled table's display values, else its data)."""
    import pyarrow as pa

    tables = []
    for element in at.dataframe:
        styler = element.proto.arrow_data.styler
        if styler.display_values:
            shown = pa.ipc.open_stream(styler.display_values).read_all().to_pandas()
            # a column's own format wins over the Styler in the browser (and shows a missing value as "None")
            config = json.loads(element.proto.columns or "{}")
            for name in shown.columns[shown.isin(["—"]).any()]:
                assert "format" not in config.get(str(name), {}).get("type_config", {}), f"{name} is formatted"
            tables.append(shown)
        else:
            tables.append(element.value)
    return tables + static_tables(at)


class _TableReader(HTMLParser):
    """The cells of the static HTML tables (:func:`incidents.ui.widgets.table_html`) in a page's Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def static_tables(at) -> list:
    """Every static HTML table of the page (header row as the columns, cells as the browser shows their text)."""
    import pandas as pd

    reader = _TableReader()
    for element in at.markdown:
        if 'class="im-table"' in element.value:
            reader.feed(element.value)
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in reader.tables]


def shown_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [m.value for m in at.metric]
    parts += [str(m.label) for m in at.metric] + [s.value for s in at.subheader] + [t.value for t in at.title]
    return "\n".join(parts)


PAGES_TO_READ = [("app.py", {}), ("pages/1_Map.py", {}), ("pages/2_Timeline.py", {}), ("pages/3_Incidents.py", {}),
                 ("pages/3_Incidents.py", {"incident": "disputed-1"}), ("pages/3_Incidents.py", {"incident": "undated-1"}),
                 ("pages/4_Place.py", {"place": "wof:890449895"}), ("pages/6_Possible_duplicates.py", {}),
                 ("pages/7_Admin.py", {})]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_page_shows_a_raw_none(plain_db, lang):
    for page, query in PAGES_TO_READ:
        at = run(new_app({**query, **({"ui": lang} if lang != "en" else {})}), page)
        text = shown_text(at)
        assert not RAW.search(text), f"{page} {query} ({lang}): {RAW.search(text).group(0)!r} in the text"  # type: ignore[union-attr]
        for table in shown_tables(at):
            cells = table.astype(object)
            assert not cells.isna().any().any(), f"{page} {query} ({lang}): an empty cell shows as None\n{table}"
            assert not cells.map(lambda v: bool(RAW.fullmatch(str(v)))).any().any(), f"{page} ({lang})\n{table}"


def test_place_profile_shows_undated_and_injured(plain_db):
    at = run(new_app({"place": "wof:890449895"}), "pages/4_Place.py")
    table = shown_tables(at)[-1]
    assert "undated" in set(table["date"]) and "12–15" in set(table["injured"])
    killed = table["killed_min"].tolist()
    assert killed.count("—") == 1  # no figure: a dash, not "None", not 0
    figures = [k for k in killed if k != "—"]
    # text of one width, padded with figure spaces: the browser's collation sorts it as numbers
    assert len({len(k) for k in figures}) == 1 and all(k.lstrip("\u2007").isdigit() for k in figures)


def test_claims_table_highlights_70_against_70_plus_and_unknown_against_yes(plain_db):
    from incidents.ui.detail_view import HIGHLIGHT

    at = run(new_app({"incident": "disputed-1"}), "pages/3_Incidents.py")
    claims = next(e for e in at.dataframe if "Killed (max)" in list(e.value.index))
    table = claims.value
    assert list(table.loc["Killed (max)"]) == ["70", "70+ (no maximum)"]
    styled = {str(i) for i in claims.proto.arrow_data.styler.styles.split("}") if HIGHLIGHT.split(":")[1].strip() in i}
    assert styled, "no row is highlighted"
    summary = unescape(" ".join(m.value for m in at.markdown))
    assert "Injured (minimum–maximum)" in summary and "12–15" in summary
