"""Named victims in and out of files (#18): CSV and XLSX sheet, row-numbered problems, names only when asked for
and allowed, formulas neutralised, the CLI hooks; SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from incidents.domain.errors import ImportRejected, PermissionDenied
from incidents.domain.users import User
from incidents.domain.victims import Victim
from incidents.io import exporter
from incidents.services.service import create_incidents
from incidents.services.victims_io import (
    VICTIM_COLUMNS,
    export_victims_csv,
    import_victims_file,
    is_victims_table,
    read_victims,
    with_victims_sheet,
)
from incidents.services.victims_service import add_victim, load_victims, load_victims_of

from ..conftest import run_incidents_in_process

EDITOR = User("editor-1", "editor")
VIEWER = User("viewer-1", "viewer")
HEADER = "incident_uid,name_ar,name_en,age,sex,outcome,relation,source_name,quote,withhold_name\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def test_read_a_victims_csv():
    data = _csv("i-1,محمد العلي,Mohammed al-Ali,7,male,killed,son of Ahmad,Source A,A sentence written for this test.,no")
    (victim,) = read_victims(data, "victims.csv").victims
    assert (victim.incident_uid, victim.name_ar, victim.age, victim.age_group, victim.relation) == (
        "i-1", "محمد العلي", 7, "child", "son of Ahmad")


def test_problems_name_the_row_and_field():
    data = _csv("i-1,,,7,male,killed,,S,q,no", "i-1,اسم,,seven,male,killed,,S,q,no", "i-1,اسم,,,male,killed,,S,q,maybe",
                "i-1,اسم,,,male,missing,,S,q,no")
    problems = read_victims(data, "victims.csv").problems
    assert problems[0].startswith("row 2, name:")
    assert problems[1].startswith("row 3, age:") and "'seven'" in problems[1]
    assert problems[2].startswith("row 4, withhold_name:")
    assert problems[3].startswith("row 5, outcome:")


def test_csv_round_trip_keeps_every_field_and_neutralises_formulas():
    victim = Victim(incident_uid="i-1", source_name="=HYPERLINK(\"x\")", quote="q", name_ar="فاطمة الحسن",
                    name_en="Fatima al-Hassan", age=None, age_group="adult", sex="female", relation="and her children",
                    withhold_name=True)
    data = export_victims_csv([victim])
    assert b"'=HYPERLINK" in data
    (back,) = read_victims(data, "victims.csv").victims
    assert back.to_dict() == {**victim.to_dict(), "person_uid": victim.uid}


def test_xlsx_victims_sheet_is_added_and_read(incident_factory):
    incident = incident_factory()
    book = exporter.export_incidents([incident], "xlsx")
    victim = Victim(incident_uid=incident.uid, source_name="S", quote="q", name_ar="عمر الخليل", age=9)
    data = with_victims_sheet(book, [victim])
    sheets = load_workbook(io.BytesIO(data)).sheetnames
    assert {"incidents", "claims", "victims"} <= set(sheets)
    assert [v.name_ar for v in read_victims(data, "export.xlsx").victims] == ["عمر الخليل"]


def test_is_victims_table():
    assert is_victims_table(_csv(), "v.csv")
    assert not is_victims_table(b"uid,date_start,place_text\n1,2018-01-01,Hajin\n", "i.csv")


def test_import_is_all_or_nothing_and_checks_incident_ids(empty_store, incident_factory):
    (incident,) = create_incidents(empty_store, EDITOR, [incident_factory()])
    good = f"{incident.uid},محمد العلي,,7,male,killed,,S,A sentence written for this test.,no"
    with pytest.raises(ImportRejected) as rejected:
        import_victims_file(empty_store, EDITOR, _csv(good, "no-such-incident,اسم آخر,,,male,killed,,S,q,no"),
                            "v.csv")
    assert any("no-such-incident" in str(e) for e in rejected.value.errors)
    assert load_victims(empty_store, EDITOR, incident.uid).victims == []
    with pytest.raises(PermissionDenied):
        import_victims_file(empty_store, VIEWER, _csv(good), "v.csv")
    (stored,) = import_victims_file(empty_store, EDITOR, _csv(good), "v.csv")
    assert load_victims(empty_store, EDITOR, incident.uid).victims[0].uid == stored.uid


def test_export_leaves_names_out_unless_asked_for_by_someone_allowed(empty_store, incident_factory):
    (incident,) = create_incidents(empty_store, EDITOR, [incident_factory(status="draft")])
    add_victim(empty_store, EDITOR, Victim(incident_uid=incident.uid, source_name="S", quote="names him",
                                           name_ar="محمد العلي", age=7))
    add_victim(empty_store, EDITOR, Victim(incident_uid=incident.uid, source_name="S", quote="names her",
                                           name_ar="سلمى", withhold_name=True))
    plain = load_victims_of(empty_store, EDITOR, [incident.uid], purpose="export").victims
    assert [v.name_ar for v in plain] == [None, None] and [v.age for v in plain] == [7, None]
    named = load_victims_of(empty_store, EDITOR, [incident.uid], purpose="export", include_names=True).victims
    assert [v.name_ar for v in named] == ["محمد العلي", None]  # a withheld name is never exported
    viewer = User("viewer-2", "viewer", can_see_unpublished=True)
    with pytest.raises(PermissionDenied):
        load_victims_of(empty_store, viewer, [incident.uid], purpose="export", include_names=True)
    text = export_victims_csv(named).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(VICTIM_COLUMNS) and "سلمى" not in text


def test_cli_imports_a_victims_csv_and_exports_them(tmp_path, incident_factory):
    from incidents.storage.store import Store

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    store = Store.open(url, sample=False)
    (incident,) = create_incidents(store, User("admin-1", "admin"), [incident_factory(status="published")])
    store.engine.dispose()
    source = tmp_path / "victims.csv"
    source.write_bytes(_csv(f"{incident.uid},محمد العلي,,7,male,killed,,S,A sentence written for this test.,no"))
    env = {"DATABASE_URL": url, "INCIDENTS_AUTH": "local", "PATH": "/usr/bin"}
    done = run_incidents_in_process(["import", str(source)], env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert "imported 1 named victim(s)" in done.stdout.decode()
    out, victims = tmp_path / "out.xlsx", tmp_path / "v-out.csv"
    done = run_incidents_in_process(["export", "--format", "xlsx", "-o", str(out), "--victims", str(victims)],
                                    env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert "محمد" not in victims.read_text(encoding="utf-8-sig")  # names were not asked for
    assert "victims" in load_workbook(out).sheetnames


@settings(max_examples=60, deadline=None)
@given(name=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
       .filter(lambda s: s.strip() == s and s.strip()),
       relation=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                        max_size=30)
       .filter(lambda s: s.strip() == s))  # NUL is refused on import, by design (#12); a lone surrogate is no
                                          # text a UTF-8 file can hold (the name's alphabet leaves it out too)
def test_any_name_survives_the_victims_csv(name, relation):
    victim = Victim(incident_uid="i-1", source_name="S", quote="q", name_ar=name, relation=relation or None)
    (back,) = read_victims(export_victims_csv([victim]), "v.csv").victims
    assert (back.name_ar, back.relation) == (victim.name_ar, victim.relation)
