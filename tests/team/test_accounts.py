"""Built-in accounts: Argon2id hashes, lockout, bootstrap, last admin, identity-provider mapping; and the
``users`` commands. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from incidents.domain.errors import AuthError, NotFound, PermissionDenied, ValidationError
from incidents.domain.users import User
from incidents.services import accounts, service
from incidents.storage import schema
from incidents.storage.store import utcnow

from ..conftest import run_incidents_in_process

ADMIN = User("boss", "admin")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def team(empty_store):
    accounts.add_user(empty_store, None, "boss", "admin", "boss password 1")
    accounts.add_user(empty_store, ADMIN, "ed", "editor", "editor password", email="Ed@Example.org")
    return empty_store


def test_passwords_are_stored_as_argon2id_hashes(team):
    with team.engine.connect() as conn:
        stored = conn.execute(select(schema.users.c.password_hash).where(schema.users.c.name == "ed")).scalar()
    assert stored.startswith("$argon2id$") and "editor password" not in stored
    assert accounts.authenticate(team, "ed", "editor password") == User("ed", "editor")


@pytest.mark.parametrize("name, password", [("ed", "wrong password"), ("nobody", "editor password"),
                                            ("ed", ""), ("ed", "x" * 5000)])
def test_wrong_sign_ins_say_the_same_thing(team, name, password):
    with pytest.raises(AuthError) as refused:
        accounts.authenticate(team, name, password)
    assert str(refused.value) == accounts.SIGN_IN_REFUSED


def test_a_locked_account_answers_like_an_unknown_name(team):
    """Issue #12 (6): "this account is locked" told which names exist; every refusal now reads the same."""
    now = utcnow()
    answers = set()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(AuthError):
            accounts.authenticate(team, "ed", "not the password", now=now)
    for name, password in (("ed", "editor password"), ("ed", "not the password"), ("nobody", "editor password")):
        with pytest.raises(AuthError) as refused:
            accounts.authenticate(team, name, password, now=now + timedelta(minutes=1))
        answers.add(str(refused.value))
    assert answers == {accounts.SIGN_IN_REFUSED}


def test_lockout_after_repeated_failures_and_its_end(team):
    now = utcnow()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(AuthError, match="wrong"):
            accounts.authenticate(team, "ed", "not the password", now=now)
    with pytest.raises(AuthError, match="locked"):  # even the right password, while locked
        accounts.authenticate(team, "ed", "editor password", now=now + timedelta(minutes=1))
    later = now + accounts.LOCKOUT + timedelta(seconds=1)
    assert accounts.authenticate(team, "ed", "editor password", now=later).name == "ed"
    lock = service.load_audit_log(team, ADMIN, service.AuditQuery(action="lock"))
    assert lock and lock[0]["entity_uid"] == "ed"


def test_success_resets_the_failure_count(team):
    for _ in range(accounts.MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthError):
            accounts.authenticate(team, "ed", "not the password")
    accounts.authenticate(team, "ed", "editor password")
    for _ in range(accounts.MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthError):
            accounts.authenticate(team, "ed", "not the password")
    assert accounts.authenticate(team, "ed", "editor password").name == "ed"


def test_disabled_accounts_cannot_sign_in_or_act_and_can_be_enabled(team):
    accounts.disable_user(team, ADMIN, "ed", reason="left the team")
    assert accounts.get_user(team, "ed") is None
    with pytest.raises(AuthError):
        accounts.authenticate(team, "ed", "editor password")
    accounts.enable_user(team, ADMIN, "ed")
    assert accounts.authenticate(team, "ed", "editor password").name == "ed"


def test_bootstrap_only_for_the_first_account_and_only_an_admin(empty_store):
    with pytest.raises(PermissionDenied, match="first account must be an admin"):
        accounts.add_user(empty_store, None, "first", "editor", "long password 1")
    accounts.add_user(empty_store, None, "first", "admin", "long password 1")
    with pytest.raises(PermissionDenied, match="an admin must add"):
        accounts.add_user(empty_store, None, "second", "admin", "long password 2")
    assert accounts.count_users(empty_store) == 1


def test_the_last_admin_cannot_be_removed(team):
    with pytest.raises(ValidationError, match="last enabled admin"):
        accounts.set_role(team, ADMIN, "boss", "editor")
    with pytest.raises(ValidationError, match="last enabled admin"):
        accounts.disable_user(team, ADMIN, "boss")
    accounts.set_role(team, ADMIN, "ed", "admin")
    accounts.set_role(team, ADMIN, "boss", "editor")
    assert accounts.get_user(team, "boss").role == "editor"


@pytest.mark.parametrize("name, password, match", [
    ("", "long password", "1–128"), ("a\nb", "long password", "control"), ("x" * 129, "long password", "1–128"),
    ("new", "short", "password must have"), ("ed", "long password", "already exists"),
])
def test_bad_accounts_are_refused(team, name, password, match):
    with pytest.raises(ValidationError, match=match):
        accounts.add_user(team, ADMIN, name, "viewer", password)


def test_changes_are_audited_without_secrets(team):
    accounts.set_password(team, ADMIN, "ed", "a new password")
    accounts.set_role(team, ADMIN, "ed", "reviewer", reason="promoted")
    log = service.load_audit_log(team, ADMIN, service.AuditQuery(entity="user", entity_uid="ed"))
    assert [e["action"] for e in reversed(log)] == ["create", "set_password", "set_role"]
    assert log[0]["changes"] == {"role": ["editor", "reviewer"]} and log[0]["reason"] == "promoted"
    assert log[1]["changes"] == {"password": ["set", "changed"]}
    with pytest.raises(NotFound):
        accounts.set_role(team, ADMIN, "nobody", "viewer")


def test_identity_provider_sign_ins_map_by_email_then_subject(team):
    assert accounts.find_identity(team, subject="sub-1", email="nobody@example.org", issuer="idp") is None
    found = accounts.find_identity(team, subject="sub-1", email="ed@example.ORG", issuer="idp")
    assert found == User("ed", "editor")
    # Linked: a later change of address at the provider keeps the account; the old address alone no longer
    # matches another subject.
    assert accounts.find_identity(team, subject="sub-1", email="new@example.org", issuer="idp").name == "ed"
    assert accounts.find_identity(team, subject="sub-2", email="ed@example.org", issuer="idp") is None
    accounts.disable_user(team, ADMIN, "ed")
    assert accounts.find_identity(team, subject="sub-1", email=None, issuer="idp") is None


@pytest.mark.slow
def test_users_commands(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {**os.environ, "INCIDENTS_AUTH": "shared", "DATABASE_URL": url, "PYTHONPATH": str(REPO)}
    steps = [
        (("users", "add", "boss", "--role", "admin", "--password-stdin"), "boss password 1\n", 0, "added boss"),
        (("users", "add", "ed", "--role", "editor", "--password-stdin"), "editor password\n", 2, "--user"),
        (("users", "add", "ed", "--role", "editor", "--password-stdin", "--user", "boss"), "editor password\n", 0, ""),
        (("users", "add", "vi", "--role", "viewer", "--user", "ed"), "", 2, "may not manage user accounts"),
        (("users", "set-role", "ed", "reviewer", "--user", "boss"), "", 0, "now reviewer"),
        (("users", "disable", "ed", "--user", "boss"), "", 0, "disabled"),
        (("users", "list", "--user", "ed"), "", 2, "no enabled user named 'ed'"),
        (("users", "list", "--user", "boss"), "", 0, "ed\treviewer\tdisabled\tpassword"),
        (("users", "set-role", "ed", "wizard", "--user", "boss"), "", 2, "invalid choice"),
    ]
    for args, stdin, status, expected in steps:
        done = run_incidents_in_process(args, env=env, stdin=stdin, text=True)
        assert done.returncode == status, (args, done.stdout, done.stderr)
        assert expected in done.stdout + done.stderr, (args, done.stdout, done.stderr)
