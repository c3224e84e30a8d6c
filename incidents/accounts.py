"""Built-in accounts for teams without an identity provider: add, list, change role, disable, sign in.

Passwords are hashed with Argon2id (argon2-cffi, memory-hard); after :data:`MAX_FAILED_LOGINS` failures in a
row an account is locked for :data:`LOCKOUT`. Managing accounts needs the admin role; every change is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import insert, select, update

from incidents.db import schema
from incidents.db.engine import writing
from incidents.errors import AuthError, NotFound, ValidationError
from incidents.service import write_audit
from incidents.store import Store, utcnow
from incidents.users import User, check_role, require

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()


def _user_from_row(row) -> User:
    return User(name=row["name"], role=row["role"], can_see_unpublished=bool(row["can_see_unpublished"]))


def get_user(store: Store, name: str) -> User | None:
    """Return the enabled account ``name`` as a :class:`User`, or None if there is none (or it is disabled)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == name)).mappings().first()
    if row is None or row["disabled"]:
        return None
    return _user_from_row(row)


def list_users(store: Store) -> list[dict]:
    """Return every account (without password hashes), by name."""
    table = schema.users
    columns = [c for c in table.c if c.name != "password_hash"]
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(*columns).order_by(table.c.name)).mappings()]


def count_users(store: Store) -> int:
    """Return how many accounts exist."""
    return len(list_users(store))


def add_user(store: Store, actor: User | None, name: str, role: str, password: str | None = None, *,
             email: str | None = None, can_see_unpublished: bool = False) -> User:
    """Create an account. ``actor`` must be an admin, except for the very first account (bootstrap).

    Raises
    ------
    ValidationError
        Bad name, role or too short password, or the name is taken.
    """
    check_role(role)
    name = name.strip()
    if not name or len(name) > 128:
        raise ValidationError("user name must be 1–128 characters")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    with writing(store.engine) as conn:
        first = conn.execute(select(schema.users.c.id).limit(1)).first() is None
        acting = actor if actor is not None else User("bootstrap", "admin")
        if not first or actor is not None:
            require(acting, "manage_users")
        if conn.execute(select(schema.users.c.id).where(schema.users.c.name == name)).first():
            raise ValidationError(f"a user named {name!r} already exists")
        conn.execute(insert(schema.users), [{
            "name": name, "role": role, "password_hash": _HASHER.hash(password) if password else None,
            "email": email, "oidc_subject": None, "disabled": False, "can_see_unpublished": can_see_unpublished,
            "failed_logins": 0, "locked_until": None, "created_at": utcnow(),
        }])
        write_audit(conn, acting, "create", "user", name, {"role": (None, role)})
    return User(name=name, role=role, can_see_unpublished=can_see_unpublished)


def _change_user(store: Store, actor: User, name: str, values: dict, action: str) -> None:
    require(actor, "manage_users")
    table = schema.users
    with writing(store.engine) as conn:
        row = conn.execute(select(table).where(table.c.name == name)).mappings().first()
        if row is None:
            raise NotFound(f"no user named {name!r}")
        conn.execute(update(table).where(table.c.name == name).values(**values))
        changes = {k: (row[k], v) for k, v in values.items() if k != "password_hash" and row[k] != v}
        write_audit(conn, actor, action, "user", name, changes)


def set_role(store: Store, actor: User, name: str, role: str) -> None:
    """Change an account's role (admin only)."""
    _change_user(store, actor, name, {"role": check_role(role)}, "set_role")


def disable_user(store: Store, actor: User, name: str) -> None:
    """Disable an account (admin only): it can no longer sign in or act; its history stays."""
    _change_user(store, actor, name, {"disabled": True}, "disable")


def set_password(store: Store, actor: User, name: str, password: str) -> None:
    """Set an account's password (admin only) and clear any lockout."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    _change_user(store, actor, name, {"password_hash": _HASHER.hash(password), "failed_logins": 0,
                                      "locked_until": None}, "set_password")


def authenticate(store: Store, name: str, password: str, now: datetime | None = None) -> User:
    """Check a name and password; return the user, or raise :class:`AuthError` with a message safe to show.

    Failed attempts are counted; the account locks for :data:`LOCKOUT` after :data:`MAX_FAILED_LOGINS`.
    """
    now = now or utcnow()
    table = schema.users
    with writing(store.engine) as conn:
        row = conn.execute(select(table).where(table.c.name == name)).mappings().first()
        if row is None or row["disabled"] or not row["password_hash"]:
            _HASHER.hash(password)  # same cost as a real check: do not reveal which names exist
            raise AuthError("wrong user name or password")
        if row["locked_until"] is not None and row["locked_until"] > now:
            raise AuthError("this account is locked after repeated failed sign-ins; try again later")
        accepted = _verify(row["password_hash"], password)
        if accepted:
            conn.execute(update(table).where(table.c.name == name).values(failed_logins=0, locked_until=None))
        else:  # counted in this transaction, which must commit: so raise only after it
            failures = row["failed_logins"] + 1
            locked = now + LOCKOUT if failures >= MAX_FAILED_LOGINS else None
            conn.execute(update(table).where(table.c.name == name).values(
                failed_logins=0 if locked else failures, locked_until=locked))
    if not accepted:
        raise AuthError("wrong user name or password")
    return _user_from_row(row)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
