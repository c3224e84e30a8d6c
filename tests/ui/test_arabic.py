"""The Arabic interface (issue #17, second pass): open-ended figures read right in every table, no interface text
left in English on any page, spinners and the history view through the one catalogue."""

from __future__ import annotations

import re
from html import unescape

from .test_pages import new_app, plain, run
from .test_readable import PAGES_TO_READ, plain_db, shown_tables  # noqa: F401 - plain_db is a fixture

ARABIC = re.compile(r"[\u0600-\u06FF]")
#: two Latin words in a row: an English phrase (a code such as "CSV" or an id alone is not one)
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")
#: words of the test data and of the bundled names, not of the interface
DATA = re.compile(r"First \(synthetic\)|Second \(synthetic\)|Synthetic[^<\n]*|Test source[^<\n]*|Deir[- ]ez[- ]Zor|"
                  r"Abu Kamal|Ash Sha|Al [A-Z]\w+|Mazra`at Shammu|Umm Saba|Abu Hasan|First source[^<\n]*|"
                  r"Second source[^<\n]*|Syrian daily report[^<\n]*|local user|INCIDENTS_AUTH=local|"
                  r"https?://\S+|[\w.-]+@[\w.-]+|incidents [a-z-]+|JSON lines|\b[a-z_]+\.(?:csv|py|toml)\b")
#: the bundled geographic data's licence file, shown as it is (a legal text, not interface text)
ATTRIBUTION = "Attribution and licences of the bundled geographic data"
#: the cells of a static table (widgets.table_html): data, read by :func:`all_cells`
TABLE_BODY = re.compile(r"<tbody>.*?</tbody>", re.S)
OPEN_FIGURE = re.compile(r"\+\s*\d|\d\s*\+")


def interface_strings(at) -> list[str]:
    """The labels, captions, headings and texts of a run page (what a reader sees besides tables; of a static
    table, its header row)."""
    texts = [TABLE_BODY.sub(" ", m.value) for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    texts += [h.value for h in at.header] + [t.value for t in at.title] + [i.value for i in at.info]
    texts += [w.value for w in at.warning]
    for kind in ("button", "expander", "tabs", "selectbox", "multiselect", "text_input", "text_area", "toggle",
                 "checkbox", "radio", "number_input", "date_input", "metric"):
        texts += [str(getattr(e, "label", "")) for e in getattr(at, kind, [])]
    for kind in ("download_button", "page_link"):
        texts += [str(getattr(e, "label", "") or getattr(e.proto, "label", "")) for e in at.get(kind)]
    shown = [t for t in texts if t and not t.lstrip().startswith("<style>")]
    return [unescape(re.sub(r"<[^>]+>", " ", t)) for t in shown]


def english_left(text: str, names: tuple[str, ...] = ()) -> str | None:
    """The first English phrase of ``text`` that is not data (``names``: spellings of the place shown), or None."""
    if ATTRIBUTION in text:
        return None
    cleaned = DATA.sub(" ", re.sub("\u2068[^\u2069]*\u2069", " ", text))  # isolated runs are names (data)
    for name in names:
        cleaned = cleaned.replace(name, " ")
    if ARABIC.search(cleaned) and not ENGLISH.search(ARABIC.sub(" ", cleaned).strip()):
        return None
    found = ENGLISH.search(cleaned)
    return found.group(0) if found else None


def test_no_english_interface_text_on_any_page_in_arabic(plain_db):  # noqa: F811 - the fixture
    from geodata import load_gazetteer

    hajin = load_gazetteer().get("wof:890449895")
    names = tuple(sorted({hajin.name_en, *hajin.alt_names}, key=len, reverse=True))
    left = []
    for page, query in [*PAGES_TO_READ, ("pages/5_Add_report.py", {}), ("pages/8_Import.py", {})]:
        at = run(new_app({**query, "ui": "ar"}), page)
        assert not at.exception, f"{page}: {at.exception}"
        left += [f"{page} {query}: {phrase!r} in {text[:80]!r}" for text in interface_strings(at)
                 if (phrase := english_left(text, names))]
    assert not left, "\n".join(left)


def all_cells(at) -> list[str]:
    return [str(v) for table in shown_tables(at) for v in table.astype(str).to_numpy().ravel().tolist()]


def test_open_maximum_reads_right_in_arabic_tables_and_stays_70_plus_in_english(plain_db):  # noqa: F811

    at = run(new_app({"incident": "disputed-1", "ui": "ar"}), "pages/3_Incidents.py")
    cells = [plain(c) for c in all_cells(at)]
    assert "70 فأكثر (بلا حد أقصى)" in cells  # the claims table: no "+" a right-to-left cell could move
    assert "70 فأكثر" in cells  # the incidents table
    assert not [c for c in cells if OPEN_FIGURE.search(c)], "a '+' beside a figure in an Arabic table"
    facts = " ".join(m.value for m in at.markdown)
    # the summary's ranges are <bdi> elements (the page's Markdown drops invisible isolates: "15–12")
    assert '<bdi dir="ltr">12–15</bdi>' in facts and "70</bdi> فأكثر" in facts
    at = run(new_app({"place": "wof:890449895", "ui": "ar"}), "pages/4_Place.py")
    cells = [plain(c) for c in all_cells(at)]
    assert "70 فأكثر" in cells and not [c for c in cells if OPEN_FIGURE.search(c)]
    at = run(new_app({"incident": "disputed-1"}), "pages/3_Incidents.py")
    assert "70+" in [plain(c) for c in all_cells(at)]


def test_a_governorate_level_incident_names_the_governorate_in_the_place_cell(app_db, incident_factory):
    from incidents.domain.users import LOCAL_USER
    from incidents.services.service import create_incidents
    from incidents.storage.store import Store

    whole = incident_factory(uid="governorate-1", status="published", place_text=None, place_name_en=None,
                             place_name_ar=None, lat=None, lon=None, location_precision="governorate",
                             admin2=None, admin3=None, place_id=None)
    store = Store.open(app_db, sample=False)
    create_incidents(store, LOCAL_USER, [whole])
    store.engine.dispose()
    for lang, words in (("en", "(Governorate)"), ("ar", "(محافظة)")):
        at = run(new_app({"ui": lang} if lang == "ar" else {}), "pages/3_Incidents.py")
        table = next(t for t in shown_tables(at) if "governorate-1" in set(t.iloc[:, -1].astype(str)))
        row = table[table.iloc[:, -1] == "governorate-1"].iloc[0]

        place = plain(str(row.iloc[1]))
        assert "دير الزور" in place and words in place, place


def test_the_history_speaks_the_interface_language():
    from incidents.ui.history import HISTORY_COLUMNS, history_table

    entries = [{"id": 1, "at": "2026-01-01 10:00", "user_name": "ana", "action": "grade", "entity": "incident",
                "entity_uid": "u1", "changes": {"grading": ["weak", "fair"], "version": [1, 2]}, "reason": "read"}]
    english = history_table(entries, "u1")
    assert list(english.columns) == HISTORY_COLUMNS and english.iloc[0]["action"] == "graded"
    arabic = history_table(entries, "u1", "ar")
    assert list(arabic.columns)[:3] == ["الوقت (UTC)", "من", "الإجراء"]
    assert arabic.iloc[0].tolist()[2:4] == ["قُيّم", "الحادثة"]
    assert history_table([{**entries[0], "action": "new_kind"}], "u1", "ar").iloc[0, 2] == "new_kind"


def test_an_imported_incidents_history_names_its_file_and_row_in_both_languages():
    from incidents.ui.history import history_table

    batch = "b7e1c0de-0000-4000-8000-000000000001"
    entries = [
        {"id": 1, "at": "2026-01-01 10:00", "user_name": "ana", "action": "import", "entity": "incident",
         "entity_uid": "u1", "changes": {"batch": [None, batch], "row": [None, 7], "version": [None, 1]},
         "reason": "import of x.csv"},
        {"id": 2, "at": "2026-01-01 10:00", "user_name": "ana", "action": "import", "entity": "import",
         "entity_uid": batch, "changes": {"file": [None, "x.csv"], "sha256": [None, "ab" * 32], "new": [None, 9]},
         "reason": "import of x.csv"},
    ]
    english = history_table(entries, "u1")
    assert english[english["record"] == "incident"]["field"].tolist() == ["imported from (file entry)",
                                                                          "row in the file"]
    assert english[english["field"] == "row in the file"]["new value"].tolist() == ["7"]
    assert set(english[english["record"] == "imported file b7e1c0de"]["field"]) == {
        "file name", "new incidents", "file's SHA-256"}
    arabic = history_table(entries, "u1", "ar")
    assert {"الصف في الملف", "اسم الملف"} <= set(arabic.iloc[:, 4]) and "ملف مستورد b7e1c0de" in set(arabic.iloc[:, 3])
    assert set(arabic.iloc[:, 2]) == {"استُورد"}


def test_every_spinner_speaks_the_interface_language():
    from pathlib import Path

    from incidents.ui import cache
    from incidents.ui.i18n import has

    source = Path(cache.__file__).read_text(encoding="utf-8")
    keys = re.findall(r'@_spinning\("(\w+)"\)', source)
    assert len(keys) >= 6 and all(has(k) for k in keys)
    assert not re.search(r'show_spinner="', source), "a spinner with fixed English words"


def test_open_figures_words_in_both_languages():
    from incidents.ui.widgets import figures

    assert figures(70, 70, open_max=1) == "70+" and figures(12, 20, 15) == "12–20 (best 15)"
    assert figures(70, 70, open_max=1, lang="ar") == "70 فأكثر"
    assert figures(12, 20, 15, lang="ar") == "12–20 (التقدير الأفضل 15)"
    assert not OPEN_FIGURE.search(figures(1000, 1200, open_max=1, lang="ar"))


def test_the_small_tables_fit_their_column(plain_db):  # noqa: F811
    import json

    from incidents.ui.widgets import _COMPACT_WIDTHS

    assert sum(_COMPACT_WIDTHS.values()) <= 940  # the main column of a 1400-pixel window beside the sidebar
    at = run(new_app({"place": "wof:890449895", "ui": "ar"}), "pages/4_Place.py")
    table = at.dataframe[-1]
    config = json.loads(table.proto.columns)
    shown = [c for c in table.value.columns if c in config]
    assert "uid" not in shown and "place" not in shown
    assert sum(config[c]["width"] for c in shown) <= 940, config
