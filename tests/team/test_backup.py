"""Backup and restore keep everything: restore into an empty database, then export, gives the original export;
every table comes back row for row (ids, times, password hashes, the audit log). On SQLite and PostgreSQL, and
across them."""

from __future__ import annotations

import gzip
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies
from sqlalchemy import create_engine, select, text

from incidents.analysis.filters import Filter
from incidents.domain.errors import PermissionDenied, ValidationError
from incidents.domain.records import Claim
from incidents.domain.users import LOCAL_USER, User
from incidents.io.exporter import export_incidents
from incidents.services import accounts, backup, service
from incidents.services.query import select_incidents
from incidents.services.service import NewPlace
from incidents.storage import schema
from incidents.storage.store import Store

from ..conftest import run_incidents_in_process

ADMIN = User("admin-1", "admin")
REPO = Path(__file__).resolve().parents[2]


def populate(store: Store, make) -> None:
    """Fill ``store`` with one of everything a team database holds."""
    accounts.add_user(store, None, "admin-1", "admin", "first admin password")
    accounts.add_user(store, ADMIN, "editor-1", "editor", "an editor password", email="ed@example.org")
    accounts.add_user(store, ADMIN, "viewer-1", "viewer", None, can_see_unpublished=True)
    editor = User("editor-1", "editor")
    a, b, c, d = service.create_incidents(store, editor, [
        make(description="قصف جوي على السوق — \"synthetic\""), make(date_start=date(2019, 3, 1), date_end=None,
                                                                    claim={"killed_min": 10, "killed_max": None}),
        make(place_text="Al-Susah", tags=("market", "night")), make(place_text="Hajin (dup)")])
    service.add_claim(store, editor, a.uid, Claim(source_name="Second (synthetic)", quote="نص اصطناعي.",
                                                  killed_min=2, killed_max=9, civilians="yes", language="ar"))
    service.update_incident(store, editor, b.uid, {"killed_min": 12}, expected_version=1, reason="list of names")
    service.set_status(store, User("rev", "reviewer"), c.uid, "published", expected_version=1)
    service.merge_incidents(store, User("rev", "reviewer"), a.uid, d.uid, reason="same strike")
    service.delete_incident(store, ADMIN, b.uid, reason="test of deleted records")
    place = service.add_place(store, editor, NewPlace("الكشمة", "Al-Kishma", 34.95, 40.55, "village", "synthetic"))
    service.add_place_alias(store, editor, place, "Kishmah")
    service.set_four_eyes(store, ADMIN, True)
    for _ in range(5):  # a lockout: its audit entry and the lock itself are kept
        with pytest.raises(Exception):  # noqa: B017
            accounts.authenticate(store, "editor-1", "wrong password!")


def export_all(store: Store) -> dict[str, bytes]:
    chosen = select_incidents(store, LOCAL_USER, Filter(gradings=()))
    return {fmt: export_incidents(chosen, fmt) for fmt in ("csv", "geojson")}


def dump_tables(store: Store) -> dict[str, list[dict]]:
    with store.engine.connect() as conn:
        tables = {t.name: [dict(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns)).mappings()]
                  for t in backup.TABLES}
        tables["store_meta"] = [dict(r) for r in conn.execute(select(schema.store_meta)).mappings()
                                if r.key not in ("data_version", "initialised")]
    tables["audit_log"] = [e for e in tables["audit_log"] if e["action"] != "restore_backup"]
    return tables


def fresh(url: str) -> str:
    """Empty the database at ``url`` (PostgreSQL) or return a new SQLite file's URL."""
    if url.startswith("sqlite"):
        return url.replace(".sqlite3", "-restored.sqlite3")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def test_backup_restore_round_trip(db_url, incident_factory, tmp_path):
    store = Store.open(db_url, sample=False)
    populate(store, incident_factory)
    exported, tables = export_all(store), dump_tables(store)
    info = backup.backup_database(store, ADMIN, tmp_path / "team.backup")
    store.engine.dispose()
    assert info.counts["incidents"] == 4 and info.counts["users"] == 3
    assert oct(os.stat(tmp_path / "team.backup").st_mode & 0o777) == "0o600"

    restored = Store.open(fresh(db_url), sample=False)
    backup.restore_database(restored, tmp_path / "team.backup", ADMIN)
    assert export_all(restored) == exported
    assert dump_tables(restored) == tables
    assert service.load_policy(restored).four_eyes
    assert accounts.authenticate(restored, "admin-1", "first admin password").role == "admin"
    # New rows after a restore get new ids (PostgreSQL sequences were moved past the restored ones).
    (new,) = service.create_incidents(restored, ADMIN, [incident_factory()])
    assert restored.get_incident(new.uid).uid == new.uid
    restored.engine.dispose()


@pytest.mark.postgres
def test_backup_taken_on_sqlite_restores_on_postgresql(sqlite_url, pg_url, incident_factory, tmp_path):
    source = Store.open(sqlite_url, sample=False)
    populate(source, incident_factory)
    exported, tables = export_all(source), dump_tables(source)
    backup.backup_database(source, ADMIN, tmp_path / "b")
    target = Store.open(pg_url, sample=False)
    backup.restore_database(target, tmp_path / "b")
    assert export_all(target) == exported and dump_tables(target) == tables
    target.engine.dispose()


def test_restore_refuses_a_database_that_is_not_empty(sqlite_store, incident_factory, tmp_path):
    service.create_incidents(sqlite_store, ADMIN, [incident_factory()])
    backup.backup_database(sqlite_store, ADMIN, tmp_path / "b")
    with pytest.raises(ValidationError, match="empty database"):
        backup.restore_database(sqlite_store, tmp_path / "b")
    assert sqlite_store.count_incidents() == 1


@pytest.mark.parametrize("damage, match", [
    (lambda raw: raw[: len(raw) // 2], "truncated|damaged"),
    (lambda raw: b"not a backup at all", "not a backup"),
    (lambda raw: gzip.compress(b'{"format": "something else"}\n'), "not a backup"),
    (lambda raw: gzip.compress(gzip.decompress(raw).rsplit(b"\n", 2)[0] + b"\n"), "truncated"),
])
def test_damaged_backups_restore_nothing(sqlite_url, incident_factory, tmp_path, damage, match):
    source = Store.open(sqlite_url, sample=False)
    service.create_incidents(source, ADMIN, [incident_factory() for _ in range(3)])
    backup.backup_database(source, ADMIN, tmp_path / "good")
    (tmp_path / "bad").write_bytes(damage((tmp_path / "good").read_bytes()))
    target = Store.open(f"sqlite:///{tmp_path / 'target.sqlite3'}", sample=False)
    with pytest.raises(backup.BackupError, match=match):
        backup.restore_database(target, tmp_path / "bad")
    assert backup.database_is_empty(target)


def test_backup_needs_an_admin(sqlite_store, tmp_path):
    with pytest.raises(PermissionDenied):
        backup.backup_database(sqlite_store, User("rev", "reviewer"), tmp_path / "b")
    assert not (tmp_path / "b").exists()


@pytest.mark.slow
def test_cli_backup_restore_export(tmp_path, incident_factory):
    """The issue's commands, end to end: backup FILE, restore FILE into an empty database, export."""
    source_url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    populate(Store.open(source_url, sample=False), incident_factory)
    env = {**os.environ, "INCIDENTS_AUTH": "shared", "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)

    def cli(*args: str):
        return run_incidents_in_process(args, env=env, text=True)

    before = cli("export", "--format", "geojson", "--database", source_url, "--user", "admin-1")
    assert before.returncode == 0, before.stderr
    done = cli("backup", str(tmp_path / "b"), "--database", source_url, "--user", "admin-1")
    assert done.returncode == 0, done.stderr
    refused = cli("backup", str(tmp_path / "c"), "--database", source_url, "--user", "editor-1")
    assert refused.returncode == 2 and "may not back up or restore the database" in refused.stderr
    target_url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    restored = cli("restore", str(tmp_path / "b"), "--database", target_url, "--user", "admin-1")
    assert restored.returncode == 0, restored.stderr
    after = cli("export", "--format", "geojson", "--database", target_url, "--user", "admin-1")
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout and '"features"' in after.stdout


# Any text PostgreSQL can store too (no NUL, no lone surrogates).
_TEXT = strategies.text(alphabet=strategies.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                        min_size=1, max_size=60).filter(lambda s: s.strip())


@pytest.mark.slow
def test_any_text_survives_backup_and_restore(tmp_path_factory, incident_factory):
    """Arabic, RTL marks, emoji, quotes, newlines: what goes into a backup comes back unchanged."""
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(description=_TEXT, quote=_TEXT, place=_TEXT, reason=_TEXT)
    def round_trip(description, quote, place, reason):
        folder = tmp_path_factory.mktemp("text")
        source = Store.open(f"sqlite:///{folder / 'a.sqlite3'}", sample=False)
        service.create_incidents(source, ADMIN, [incident_factory(description=description, place_text=place,
                                                                  claim={"quote": quote})], reason=reason)
        backup.backup_database(source, ADMIN, folder / "b")
        target = Store.open(f"sqlite:///{folder / 'c.sqlite3'}", sample=False)
        backup.restore_database(target, folder / "b")
        assert dump_tables(target) == dump_tables(source)
        (restored,) = target.list_incidents()
        assert (restored.description, restored.place_text, restored.claims[0].quote) == (description, place, quote)
        source.engine.dispose()
        target.engine.dispose()

    round_trip()
