"""Issue #12, the review rules and identity: ways round them that a file, the environment or ``--database``
opened, each closed — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import datetime

import pytest

from incidents.cli import main
from incidents.domain.errors import ImportRejected, PermissionDenied
from incidents.domain.users import User
from incidents.io.exporter import export_incidents
from incidents.services import accounts, backup, service
from incidents.services.importer import import_incidents
from incidents.services.settings import Settings

EDITOR = User("ed", "editor")
REVIEWER = User("rev-a", "reviewer")
COLLEAGUE = "rev-b"


def _file_claiming(incident_factory, **values) -> bytes:
    """A file in this project's own export format whose row says it was entered by someone else, long ago."""
    claimed = dict(created_by=COLLEAGUE, updated_by=COLLEAGUE, created_at=datetime(2019, 1, 2, 3, 4, 5),
                   updated_at=datetime(2019, 2, 3, 4, 5, 6), version=7)
    incident = incident_factory(**(claimed | values))
    incident.claims[0].created_by, incident.claims[0].created_at = COLLEAGUE, datetime(2019, 1, 2, 3, 4, 5)
    return export_incidents([incident], "csv")


# -- 1. provenance is the service's ----------------------------------------------------------------------


def test_an_import_cannot_name_another_author_to_pass_four_eyes(empty_store, incident_factory):
    service.set_four_eyes(empty_store, User("boss", "admin"), True)
    result = import_incidents(empty_store, REVIEWER, _file_claiming(incident_factory), "theirs.csv")
    stored = empty_store.get_incident(result.written[0])
    assert (stored.created_by, stored.updated_by, stored.version) == (REVIEWER.name, REVIEWER.name, 1)
    assert stored.created_at.year > 2019 and stored.claims[0].created_by == REVIEWER.name
    with pytest.raises(PermissionDenied, match="four-eyes"):
        service.set_status(empty_store, REVIEWER, stored.uid, "published", expected_version=stored.version)


def test_the_files_own_stamps_are_kept_apart_in_imported_from(empty_store, incident_factory):
    result = import_incidents(empty_store, EDITOR, _file_claiming(incident_factory), "theirs.csv")
    stored = empty_store.get_incident(result.written[0])
    claimed = service.imported_provenance(stored)
    assert (claimed["created_by"], claimed["updated_by"], claimed["version"]) == (COLLEAGUE, COLLEAGUE, 7)
    assert claimed["created_at"].startswith("2019-01-02") and claimed["updated_at"].startswith("2019-02-03")
    assert claimed["claims"][stored.claims[0].uid]["created_by"] == COLLEAGUE
    creation = service.history(empty_store, stored.uid)[0]
    assert creation["user_name"] == EDITOR.name and creation["action"] == "import"


def test_a_record_entered_without_claimed_stamps_has_no_imported_from(empty_store, incident_factory):
    (stored,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    assert stored.imported_from is None and service.imported_provenance(stored) == {}


def test_an_added_claim_is_stamped_by_the_service(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    claim = incident_factory().claims[0]
    claim.created_by, claim.created_at = COLLEAGUE, datetime(2019, 1, 1)
    updated = service.add_claim(empty_store, EDITOR, incident.uid, claim)
    assert {c.created_by for c in updated.claims} == {EDITOR.name}


def test_imported_from_cannot_be_edited(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    with pytest.raises(Exception, match="cannot be edited"):
        service.update_incident(empty_store, EDITOR, incident.uid, {"imported_from": "{}"}, expected_version=1)


# -- 2. grading and status need the role -----------------------------------------------------------------


@pytest.mark.parametrize("values, field", [({"grading": "confirmed"}, "grading"), ({"status": "reviewed"}, "status"),
                                           ({"status": "published"}, "status")])
def test_an_editor_cannot_grade_or_review_through_a_file(empty_store, incident_factory, values, field):
    data = export_incidents([incident_factory(**values)], "csv")
    with pytest.raises(ImportRejected) as rejected:
        import_incidents(empty_store, EDITOR, data, "graded.csv")
    assert [e.field for e in rejected.value.errors] == [field]
    assert "ed (editor) may not" in rejected.value.errors[0].reason and empty_store.count_incidents() == 0


def test_skip_invalid_sets_the_graded_row_aside_and_keeps_the_others(empty_store, incident_factory):
    data = export_incidents([incident_factory(grading="fair"), incident_factory()], "csv")
    result = import_incidents(empty_store, EDITOR, data, "mixed.csv", skip_invalid=True)
    assert len(result.written) == 1 and [e.field for e in result.rejected] == ["grading"]


def test_the_service_refuses_a_graded_entry_below_the_reviewer_role(empty_store, incident_factory):
    with pytest.raises(PermissionDenied, match="may not grade"):
        service.create_incidents(empty_store, EDITOR, [incident_factory(grading="confirmed")])


def test_a_reviewer_may_import_graded_records(empty_store, incident_factory):
    data = export_incidents([incident_factory(grading="confirmed", status="published")], "csv")
    result = import_incidents(empty_store, REVIEWER, data, "graded.csv")
    stored = empty_store.get_incident(result.written[0])
    assert (stored.grading, stored.status) == ("confirmed", "published")


# -- 3. four eyes: one source of truth --------------------------------------------------------------------


def test_four_eyes_from_the_environment_reaches_the_import(empty_store, incident_factory):
    settings = Settings.from_env({"INCIDENTS_FOUR_EYES": "1", "INCIDENTS_AUTH": "shared"}).settle(empty_store)
    assert settings.four_eyes and service.load_policy(empty_store).four_eyes
    data = export_incidents([incident_factory(status="published")], "csv")
    with pytest.raises(ImportRejected) as rejected:
        import_incidents(empty_store, REVIEWER, data, "published.csv")  # no policy passed: the database says it
    assert "four-eyes" in rejected.value.errors[0].reason


def test_four_eyes_from_the_environment_reaches_every_command(empty_store, incident_factory, tmp_path, monkeypatch,
                                                             db_url):
    boss = accounts.add_user(empty_store, None, "boss", "admin", "boss password 1")
    accounts.add_user(empty_store, boss, REVIEWER.name, "reviewer", "reviewer password")
    path = tmp_path / "published.csv"
    path.write_bytes(export_incidents([incident_factory(status="published")], "csv"))
    monkeypatch.setenv("INCIDENTS_FOUR_EYES", "1")
    assert main(["import", str(path), "--no-geocode", "--database", db_url, "--user", REVIEWER.name]) == 2
    assert empty_store.count_incidents() == 0
    monkeypatch.delenv("INCIDENTS_FOUR_EYES")  # stored in the database by the first command: still required
    assert main(["import", str(path), "--no-geocode", "--database", db_url, "--user", REVIEWER.name]) == 2
    assert service.load_policy(empty_store).four_eyes


# -- 4. the sign-in mode belongs to the database ----------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """An environment pointing at another (local) database, with INCIDENTS_AUTH unset."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    monkeypatch.delenv("INCIDENTS_AUTH", raising=False)


def test_database_option_does_not_skip_the_shared_mode(empty_store, db_url, elsewhere, capsys):
    accounts.add_user(empty_store, None, "boss", "admin", "boss password 1")
    assert main(["users", "add", "mallory", "--role", "admin", "--database", db_url]) == 2
    assert "shared mode" in capsys.readouterr().err
    assert accounts.get_user(empty_store, "mallory") is None


def test_a_request_for_local_mode_does_not_open_a_shared_database(empty_store, db_url, elsewhere, monkeypatch):
    boss = accounts.add_user(empty_store, None, "boss", "admin", "boss password 1")
    accounts.set_auth_mode(empty_store, boss, "shared")
    monkeypatch.setenv("INCIDENTS_AUTH", "local")
    assert main(["users", "add", "mallory", "--role", "admin", "--database", db_url]) == 2
    assert accounts.get_user(empty_store, "mallory") is None and accounts.auth_mode(empty_store, "local") == "shared"


def test_the_mode_is_decided_once_and_stored(empty_store, db_url):
    expected = "local" if db_url.startswith("sqlite") else "shared"
    assert accounts.auth_mode(empty_store) == expected
    assert empty_store.get_meta(accounts.AUTH_MODE_KEY) == expected
    assert accounts.auth_mode(empty_store, "shared") == "shared"  # shared may be asked for at any time
    assert accounts.auth_mode(empty_store, "local") == "shared"  # ... but local only by an admin
    with pytest.raises(PermissionDenied):
        accounts.set_auth_mode(empty_store, EDITOR, "local")
    accounts.set_auth_mode(empty_store, User("boss", "admin"), "local")
    assert accounts.auth_mode(empty_store) == "local"
    entry = service.load_audit_log(empty_store, User("boss", "admin"), service.AuditQuery(action="set_auth_mode"))[0]
    assert json.loads(json.dumps(entry["changes"]))["auth_mode"] == ["shared", "local"]


# -- 8 and 11. bad input is a refusal naming the row ------------------------------------------------------


@pytest.mark.parametrize("cells, field", [
    ({"killed_min": str(2**63), "killed_max": str(2**63)}, "killed_min"),
    ({"uid": '=HYPERLINK("http://evil.example","x")'}, "uid"),
])
def test_a_huge_toll_or_a_formula_uid_is_refused_at_import(empty_store, cells, field):
    header = ["uid", "date_start", "place_text", "lat", "lon", "actor", "event_type", "killed_min", "killed_max",
              "source_name", "quote"]
    row = {"uid": "row-1", "date_start": "2018-11-17", "place_text": "Hajin", "lat": "34.69", "lon": "40.83",
           "actor": "coalition", "event_type": "air_strike", "killed_min": "3", "killed_max": "3",
           "source_name": "Test source (synthetic)", "quote": "Synthetic sentence."} | cells
    out = io.StringIO()
    csv.writer(out).writerows([header, [row[h] for h in header]])
    data = out.getvalue().encode()
    with pytest.raises(ImportRejected) as rejected:
        import_incidents(empty_store, EDITOR, data, "bad.csv")
    assert (rejected.value.errors[0].row, rejected.value.errors[0].field) == (2, field)
    assert empty_store.count_incidents() == 0


# -- 11, 14, 15. backup and restore -----------------------------------------------------------------------


@pytest.fixture
def backed_up(empty_store, incident_factory, tmp_path):
    """A backup of a database holding two incidents: its file, its lines, and a folder for damaged copies."""
    service.create_incidents(empty_store, User("boss", "admin"), [incident_factory(), incident_factory()])
    good = tmp_path / "good.backup"
    backup.backup_database(empty_store, User("boss", "admin"), good)
    lines = gzip.decompress(good.read_bytes()).decode().splitlines()
    return good, lines, tmp_path


def _write_backup(path, items: list[dict]) -> str:
    path.write_bytes(gzip.compress(("\n".join(json.dumps(i) for i in items) + "\n").encode()))
    return str(path)


def _restore_target(empty_store, db_url, fresh_url):
    from incidents.storage.store import Store

    empty_store.engine.dispose()
    return Store.open(fresh_url(db_url), sample=False)


@pytest.mark.parametrize("damage, match", [
    ("drop_line", "damaged"),
    ("drop_incident", "damaged"),
    ("lots", "killed_min"),
    ("formula_uid", "not a plain identifier"),
    ("bad_date", "damaged"),
])
def test_a_restore_refuses_damaged_or_mistyped_rows(backed_up, empty_store, db_url, fresh_url, damage, match):
    good, lines, folder = backed_up
    items = [json.loads(line) for line in lines]
    incidents = [i for i in items if i.get("table") == "incidents"]
    if damage == "drop_line":  # the reproduction: one line removed, nothing else touched
        items.remove(incidents[0])
    elif damage == "drop_incident":  # claims now point at a missing incident; counts still add up (header fixed)
        items.remove(incidents[0])
        items[0]["tables"]["incidents"] -= 1
        items[-1]["tables"]["incidents"] -= 1
    elif damage == "lots":
        incidents[0]["row"]["killed_min"] = "lots"
    elif damage == "formula_uid":
        incidents[0]["row"]["uid"] = "=HYPERLINK(1)"
    else:
        incidents[0]["row"]["created_at"] = "yesterday"
    path = _write_backup(folder / "damaged.backup", items)
    target = _restore_target(empty_store, db_url, fresh_url)
    with pytest.raises(backup.BackupError, match=match):
        backup.restore_database(target, path)
    assert backup.database_is_empty(target)
    target.engine.dispose()


def test_a_restore_of_a_folder_says_so(empty_store, tmp_path):
    with pytest.raises(backup.BackupError, match="folder"):
        backup.restore_database(empty_store, tmp_path)


def test_a_restore_from_the_command_line_refuses_cleanly(backed_up, empty_store, db_url, fresh_url, capsys):
    good, lines, folder = backed_up
    items = [json.loads(line) for line in lines]
    next(i for i in items if i.get("table") == "incidents")["row"]["killed_min"] = "lots"
    path = _write_backup(folder / "lots.backup", items)
    target = _restore_target(empty_store, db_url, fresh_url)
    assert main(["restore", path, "--database", str(target.engine.url.render_as_string(hide_password=False))]) == 2
    assert "killed_min" in capsys.readouterr().err
    target.engine.dispose()


def test_backup_and_export_onto_the_database_file_are_refused(sqlite_store, sqlite_url, tmp_path, monkeypatch):
    from incidents.domain.errors import ValidationError

    database = sqlite_url.split("///", 1)[1]
    before = open(database, "rb").read(100)
    with pytest.raises(ValidationError, match="database file itself"):
        backup.backup_database(sqlite_store, User("boss", "admin"), database)
    monkeypatch.setenv("INCIDENTS_AUTH", "local")
    for args in (["backup", database], ["export", "-o", database], ["audit", "-o", database],
                 ["backup", database + "-wal"]):
        assert main([*args, "--database", sqlite_url]) == 2, args
    assert open(database, "rb").read(100) == before and sqlite_store.count_incidents() == 0


# -- 12. ingest reads only inside its folder --------------------------------------------------------------


@pytest.mark.parametrize("entry", ["../../secret.txt", "/etc/passwd", "link.txt", "sub/../../secret.txt"])
def test_ingest_refuses_files_outside_its_folder(tmp_path, entry):
    from incidents.cli.extract_cmds import read_manifest
    from incidents.domain.errors import FileFormatError

    secret = tmp_path / "secret.txt"
    secret.write_text("Not a report: a file outside the folder.")
    folder = tmp_path / "a" / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "link.txt").symlink_to(secret)
    (folder / "manifest.csv").write_text(f"file,source,url,published\n{entry},S,,\n")
    with pytest.raises(FileFormatError, match="outside|absolute"):
        read_manifest(folder)


def test_ingest_accepts_files_inside_its_folder_and_links_within_it(tmp_path):
    from incidents.cli.extract_cmds import read_manifest

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.txt").write_text("report")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "sub" / "r.txt")
    (tmp_path / "manifest.csv").write_text("file,source,url,published\nsub/r.txt,S,,\nalias.txt,S,,\n")
    assert [e.file.name for e in read_manifest(tmp_path)] == ["r.txt", "r.txt"]


def test_a_manifest_linked_from_outside_is_refused(tmp_path):
    from incidents.cli.extract_cmds import read_manifest
    from incidents.domain.errors import FileFormatError

    (tmp_path / "elsewhere.csv").write_text("file,source,url,published\n")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "manifest.csv").symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(FileFormatError, match="outside"):
        read_manifest(tmp_path / "reports")


# -- 13. extraction has a size cap ------------------------------------------------------------------------


def test_extract_refuses_a_report_too_big_with_a_clear_message(tmp_path, capsys):
    from incidents.cli.extract_cmds import MAX_REPORT_BYTES, MAX_REPORT_CHARS

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (MAX_REPORT_BYTES + 1))
    assert main(["extract", str(big)]) == 2
    assert "at most" in capsys.readouterr().err
    long_text = tmp_path / "long.txt"
    long_text.write_text("قصف " * (MAX_REPORT_CHARS // 4 + 10))
    assert main(["extract", str(long_text)]) == 2
    assert "split it" in capsys.readouterr().err
