"""AppTest: the Import page — upload, mapping correction, preview, import with its summary, re-import unchanged;
viewers get no controls. Shared installation with sign-in, on SQLite; the table is SYNTHETIC, written for the test.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.services import accounts
from incidents.storage.store import Store
from incidents.ui import cache

REPO = Path(__file__).resolve().parents[2]
IMPORT = "pages/8_Import.py"
PASSWORDS = {"boss": "boss password 1", "ed": "editor password", "vi": "viewer password"}
TABLE = ("Case no.,Day of the strike,القرية,Dead,Reported by,What they wrote,Folder colour\n"
         "C-1,2019-02-01,هجين,4,Synthetic Monitor A,Synthetic sentence one.,blue\n"
         "C-2,2019-02-03,Nowhere Farms,2,Synthetic Monitor A,Synthetic sentence two.,red\n").encode()


def unmarked(text: str) -> str:
    """Markdown text as read: without the backslashes that escape its metacharacters (ui.text.md_plain)."""
    return re.sub(r"\\(.)", r"\1", unescape(text))


class FakeGazetteer:
    def geocode(self, text, context=None):
        from types import SimpleNamespace

        if text != "هجين":
            return SimpleNamespace(match=None)
        return SimpleNamespace(match=SimpleNamespace(id="t:hajin", name_ar="هجين", name_en="Hajin", lat=34.69,
                                                     lon=40.83, admin1="SY09", admin2="SY0903", admin3=None,
                                                     precision="village"))

    def get(self, place_id):
        return None

    def nearby(self, lat, lon, km=10, limit=10):
        return []


@pytest.fixture
def shared(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INCIDENTS_AUTH", "shared")
    monkeypatch.setattr(cache, "review_gazetteer", lambda store, url: FakeGazetteer())
    store = Store.open(sqlite_url, sample=False)
    boss = accounts.add_user(store, None, "boss", "admin", PASSWORDS["boss"])
    for name, role in (("ed", "editor"), ("vi", "viewer")):
        accounts.add_user(store, boss, name, role, PASSWORDS[name])
    yield store
    store.engine.dispose()


def open_import(name: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["ui"] = lang
    at.run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORDS[name])
    at.button(key="auth_submit").click().run()
    at.switch_page(IMPORT).run()
    assert not at.exception, at.exception
    return at


def mapping_box(at: AppTest, header: str):
    return next(s for s in at.selectbox if s.key and s.key.startswith("imp.col.") and s.label == header)


def upload(at: AppTest) -> AppTest:
    at.file_uploader(key="imp.file").set_value(("own.csv", TABLE, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def test_an_editor_uploads_corrects_the_mapping_previews_and_imports(shared):
    at = upload(open_import("ed"))
    assert mapping_box(at, "القرية").value == "place_text" and mapping_box(at, "Dead").value == "killed"
    assert mapping_box(at, "Case no.").value == "—"
    assert any("no field for column(s) 'Case no.'" in unmarked(e.value) for e in at.error)  # shown escaped
    assert not [b for b in at.button if b.key == "imp.go"]  # no import until every column has a field
    for header, field in (("Case no.", "external_id"), ("Day of the strike", "date_start"),
                          ("Reported by", "source_name"), ("What they wrote", "quote"), ("Folder colour", "extra")):
        mapping_box(at, header).set_value(field).run()
    assert not at.error, [e.value for e in at.error]
    preview = at.dataframe[0].value
    assert list(preview["date"]) == ["2019-02-01", "2019-02-03"]
    assert list(preview["code"]) == ["table:C-1", "table:C-2"]
    assert list(preview["extra"]) == ['{"Folder colour": "blue"}', '{"Folder colour": "red"}']
    at.button(key="imp.go").click().run()
    assert not at.exception, at.exception
    assert any("2 new, 0 updated, 0 unchanged, 0 rejected of 2 row(s) (csv)" in unescape(s.value)
               for s in at.success)
    bars = [e.proto for e in at.get("progress")]  # the import's progress bar, left full when it is done
    assert [(b.value, b.text) for b in bars] == [(100, "done")]
    stored = sorted(shared.list_incidents(), key=lambda i: i.external_id)
    assert [(i.external_id, i.place_id, i.killed_min, i.created_by) for i in stored] == [
        ("C-1", "t:hajin", 4, "ed"), ("C-2", None, 2, "ed")]
    assert any(d.value.iloc[0]["place"] == "Nowhere Farms" for d in at.dataframe if "place" in d.value.columns)
    at.button(key="imp.go").click().run()
    assert any("0 new, 0 updated, 2 unchanged" in unescape(s.value) for s in at.success)
    assert len(shared.list_incidents()) == 2


def test_a_viewer_gets_no_import_controls(shared):
    at = open_import("vi")
    assert any("needs an editor account" in i.value for i in at.info)
    assert not at.file_uploader and not [b for b in at.button if b.key == "imp.go"]


BAD_ROW = ("date_start,place_text,killed_min,killed_max,source_name,quote\n"
           "2019-02-01,هجين,-2,4,Synthetic Monitor A,Synthetic sentence one.\n"
           "2019-02-03,هجين,2,2,Synthetic Monitor A,Synthetic sentence two.\n").encode()


def test_the_arabic_import_page_says_why_a_row_is_rejected_and_why_a_file_cannot_be_read(shared):
    at = open_import("ed", "ar")
    upload(at)  # a column without a field: the first thing a hand-made table meets
    unmapped = " ".join(unmarked(e.value) for e in at.error)
    assert "لا حقل للعمود" in unmapped and "'Case no.'" in unmapped and "no field for" not in unmapped
    at.file_uploader(key="imp.file").set_value(("bad.csv", BAD_ROW, "text/csv")).run()
    assert not at.exception, at.exception
    preview = at.dataframe[0].value
    assert "حصيلة سالبة" in preview["problems"].iloc[0]  # the preview says it already
    at.button(key="imp.go").click().run()
    assert not at.exception, at.exception
    refusal = " ".join(unmarked(e.value) for e in at.error)
    assert "عدد المشكلات" in refusal and "لم يُكتب شيء" in refusal and "nothing was written" not in refusal
    rejected = next(d.value for d in at.dataframe if "السبب" in d.value.columns)
    assert list(rejected.columns) == ["الصف", "الحقل", "السبب"]
    assert rejected.iloc[0]["الصف"] == "2" and rejected.iloc[0]["الحقل"].startswith("القتلى (أدنى)")
    assert "killed_min" in rejected.iloc[0]["الحقل"]  # the file's own column stays visible
    assert rejected.iloc[0]["السبب"] == "حصيلة سالبة: \u2068-2\u2069"
    assert shared.list_incidents() == []
    at.file_uploader(key="imp.file").set_value(("empty.csv", b" \n", "text/csv")).run()
    assert not at.exception, at.exception
    assert any("الملف فارغ" in unmarked(e.value) and "empty.csv" in unmarked(e.value) for e in at.error), [
        e.value for e in at.error]
    assert not any("the file is empty" in unmarked(e.value) for e in at.error)
