"""Issue #12 (9): no report or user text reaches Streamlit's Markdown unescaped, on any page.

Every text field of two incidents (and of their claims, the history, a colleague's name and a conflicting
edit) holds hostile Markdown: an image (a request to an outside server), a link, raw HTML, a bare web address
(GitHub-flavoured Markdown links it) and a Streamlit colour directive. Each page is driven with them and every
element Streamlit renders as Markdown — bodies, captions, alerts, headings, and the labels of widgets, tabs,
expanders and metrics — is checked: none of the constructs may survive unescaped.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from incidents.domain.records import Claim
from incidents.domain.users import LOCAL_USER, User
from incidents.services import service
from incidents.storage.store import Store

from .conftest import ROOT

TIMEOUT = 120
HOSTILE = ("![img](http://198.51.100.7/i.png) [link](http://198.51.100.7/l) <img src=x onerror=alert(1)> "
           "www.evil.example :red[alarm]")
#: Constructs that render when the text reaches Markdown as it came (not preceded by an escaping backslash).
RENDERS = {
    "image": re.compile(r"(?<!\\)!(?<!\\)\["),
    "link": re.compile(r"(?<!\\)\]\("),
    "bare web address": re.compile(r"https?://198\.51|(?<!\\)www\.evil"),
    "raw HTML": re.compile(r"(?<!\\)<(img|script)\b"),
    "colour directive": re.compile(r"(?<!\\):red\["),
    "script link": re.compile(r"href=[\"']?javascript", re.I),
}
MARKDOWN_BODIES = ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader",
                   "toast")
LABELLED = ("button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input", "text_area",
            "number_input", "date_input", "slider", "select_slider", "metric", "expander", "tab")
COLLEAGUE = User("[colleague](http://198.51.100.7/u)", "reviewer")


def hostile_incidents(make) -> list:
    claim = dict(source_name=HOSTILE, quote=HOSTILE, attribution=HOSTILE, note=HOSTILE, url="javascript:alert(1)",
                 killed_min=4, killed_max=4)
    common = dict(place_text=HOSTILE, place_name_en=HOSTILE, place_name_ar=HOSTILE, target=HOSTILE,
                  description=HOSTILE, tags=("ok", HOSTILE), status="published", place_id="wof:890449895")
    first = make(uid="hostile-1", claim=claim, **common)
    first.claims.append(Claim(**{**claim, "source_name": "Other " + HOSTILE, "killed_min": 9, "killed_max": 9}))
    second = make(uid="hostile-2", claim=claim, figures_rule="editor", figures_reason=HOSTILE, killed_min=4,
                  killed_max=5, killed_best=4, **common)
    return [first, second]


@pytest.fixture
def hostile_db(tmp_path, monkeypatch, incident_factory) -> str:
    url = f"sqlite:///{tmp_path / 'hostile.sqlite3'}"
    store = Store.open(url, sample=False)
    service.create_incidents(store, LOCAL_USER, hostile_incidents(incident_factory), reason=HOSTILE)
    store.engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INCIDENTS_AUTH", "local")
    monkeypatch.setenv("INCIDENTS_TILES", "offline")
    return url


def rendered_texts(at: AppTest) -> list[tuple[str, str]]:
    """Return (element kind, text) of everything the page hands to Streamlit's Markdown."""
    found = []
    for kind in MARKDOWN_BODIES:
        found += [(kind, str(e.value)) for e in at.get(kind)]
    for kind in LABELLED:
        for element in at.get(kind):
            found.append((kind, str(getattr(element, "label", "") or "")))
            if kind == "radio":
                found += [(kind, str(o)) for o in element.options]
    return found


def assert_inert(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    texts = rendered_texts(at)
    assert texts
    live = [(kind, name, text[:300]) for kind, text in texts for name, pattern in RENDERS.items()
            if pattern.search(text)]
    assert not live, live


def open_app(query: dict[str, str], page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


@pytest.mark.parametrize("page, query", [
    (None, {}),
    ("pages/1_Map.py", {}),
    ("pages/2_Timeline.py", {}),
    ("pages/3_Incidents.py", {}),
    ("pages/3_Incidents.py", {"incident": "hostile-1"}),
    ("pages/3_Incidents.py", {"incident": "hostile-2", "lang": "ar"}),
    ("pages/4_Place.py", {"place": "wof:890449895"}),
    ("pages/6_Possible_duplicates.py", {}),
    ("pages/7_Admin.py", {}),
])
def test_no_page_renders_hostile_markdown(hostile_db, page, query):
    assert_inert(open_app(query, page))


def test_the_overview_lists_hostile_report_text_as_text(hostile_db):
    """The overview's light tables (static HTML, not the data grid) show report text as itself, inert."""
    from html import unescape

    at = open_app({})
    assert_inert(at)
    tables = [m.value for m in at.markdown if 'class="im-table"' in m.value]
    assert len(tables) == 2, "the latest incidents and the sources"
    for table in tables:
        assert HOSTILE not in table and "<img" not in table
        assert HOSTILE in unescape(table)


def test_the_edit_conflict_message_is_inert(hostile_db):
    at = open_app({"incident": "hostile-1"}, "pages/3_Incidents.py")
    store = Store.open(hostile_db, sample=False)
    current = store.get_incident("hostile-1")
    service.update_incident(store, COLLEAGUE, "hostile-1", {"description": HOSTILE + " (edited)"},
                            expected_version=current.version, reason=HOSTILE)
    store.engine.dispose()
    key = "edit-hostile-1"
    at.selectbox(key=f"{key}-grading").set_value("weak")
    buttons = [b for b in at.button if b.proto.form_id.endswith(f"{key}-review")]
    buttons[0].click()
    at.run()
    assert any("changed this incident since you opened it" in e.value for e in at.error)
    assert_inert(at)


def test_an_unknown_incident_id_is_shown_inert(hostile_db):
    assert_inert(open_app({"incident": HOSTILE}, "pages/3_Incidents.py"))


def test_the_checker_sees_unescaped_markdown():
    """The patterns above catch what they must (else the page tests would pass vacuously)."""
    for name, pattern in RENDERS.items():
        if name != "script link":
            assert pattern.search(HOSTILE), name
    from incidents.ui.text import md_escape, md_plain

    for escaped in (md_plain(HOSTILE), md_escape(HOSTILE)):
        assert not [n for n, p in RENDERS.items() if p.search(escaped)]


def test_a_pasted_report_with_hostile_markdown_is_shown_inert(hostile_db, monkeypatch):
    from incidents.ui import cache
    from tests.review.fake_places import FakeGazetteer

    fake = FakeGazetteer()
    monkeypatch.setattr(cache, "review_gazetteer", lambda store, url: fake)
    at = open_app({}, "pages/5_Add_report.py")
    at.text_area(key="rv.text").input(f"An air strike on Hajin killed 4 civilians on 17 November 2018. {HOSTILE}")
    at.text_input(key="rv.source").input(HOSTILE)
    at.button(key="FormSubmitter:rv_input-Propose incidents").click().run()
    assert_inert(at)


def test_a_hostile_account_name_is_shown_inert(tmp_path, monkeypatch):
    from incidents.services import accounts

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    store = Store.open(url, sample=False)
    name = "[me](http://198.51.100.7/u) ![i](http://198.51.100.7/i.png)"
    accounts.add_user(store, None, name, "admin", "a long password 1")
    store.engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INCIDENTS_AUTH", "shared")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input("a long password 1")
    at.button(key="auth_submit").click().run()
    assert any("Signed in as" in m.value for m in at.sidebar.markdown)
    assert_inert(at)


def test_a_lone_carriage_return_cannot_end_an_html_block():
    """Markdown ends a line at a lone \\r too: "\\r\\r" in a report's text would end the block of our HTML (a static
    table) and show the rest of it as code."""
    import pandas as pd

    from incidents.ui.text import md_escape
    from incidents.ui.widgets import table_html

    assert md_escape("first\r\r    tail\r\nend\nlast") == "first<br><br>    tail<br>end<br>last"
    table = table_html(pd.DataFrame({"description": ["first\r\r    tail"], "killed": [3]}),
                       {"description": "Description", "killed": "Killed"})
    assert "\r" not in table and "\n" not in table
