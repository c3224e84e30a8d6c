"""Built-in accounts for teams without an identity provider: add, list, change role, disable, sign in.

Passwords are hashed with Argon2id (argon2-cffi, memory-hard); after :data:`MAX_FAILED_LOGINS` failures in a
row an account is locked for :data:`LOCKOUT`. Managing accounts needs the admin role; every change is audited
(never a password or its hash). The last enabled admin cannot be demoted or disabled, so an installation can
always be managed. Accounts also map identities from an OpenID Connect provider (:func:`find_identity`).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, func, insert, select, text, update

from incidents.domain import messages
from incidents.domain.errors import AuthError, NotFound, PermissionDenied, ValidationError
from incidents.domain.users import User, check_role, require
from incidents.storage import schema
from incidents.storage.audit import write_audit
from incidents.storage.engine import writing
from incidents.storage.store import Store, utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # hashing is deliberately costly: refuse megabyte "passwords"
_HASHER = PasswordHasher()
_PG_USERS_LOCK = 7_350_414  # advisory lock id: account changes that check other accounts run one at a time

#: The name under which changes made by the first-account bootstrap are audited.
BOOTSTRAP_USER = User(name="bootstrap", role="admin")


#: store_meta key holding the database's sign-in mode ("local" or "shared")
AUTH_MODE_KEY = "auth.mode"
AUTH_MODES = ("local", "shared")
#: What :func:`authenticate` says for every refused sign-in: it never tells which names exist or are locked.
SIGN_IN_REFUSED = messages.text("refusals.sign_in")


def _user_from_row(row) -> User:
    return User(name=row["name"], role=row["role"], can_see_unpublished=bool(row["can_see_unpublished"]))


def _serialise(conn: Connection) -> None:
    """Make account changes that look at other accounts run one at a time (PostgreSQL; SQLite already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_USERS_LOCK})


def get_user(store: Store, name: str) -> User | None:
    """Return the enabled account ``name`` as a :class:`User`, or None if there is none (or it is disabled)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == name)).mappings().first()
    if row is None or row["disabled"]:
        return None
    return _user_from_row(row)


def list_users(store: Store, actor: User | None = None) -> list[dict]:
    """Return every account (without password hashes), by name; ``actor``, when given, must be an admin."""
    if actor is not None:
        require(actor, "manage_users")
    table = schema.users
    columns = [c for c in table.c if c.name != "password_hash"]
    with store.engine.connect() as conn:
        rows = conn.execute(select(*columns, table.c.password_hash.is_not(None).label("has_password"))
                            .order_by(table.c.name)).mappings()
        return [dict(r) for r in rows]


def count_users(store: Store) -> int:
    """Return how many accounts exist."""
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.users)).scalar() or 0)


def check_user_name(name: str) -> str:
    """Return ``name`` stripped if it can name an account, else raise :class:`ValidationError` saying why."""
    name = (name or "").strip()
    if not name or len(name) > 128:
        raise ValidationError(f"user name must be 1–128 characters; got {len(name)}")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValidationError(f"user name must not contain control characters; got {name!r}")
    return name


def check_password(password: str) -> str:
    """Return ``password`` if it is acceptable, else raise :class:`ValidationError` saying why."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValidationError(f"password must have {MIN_PASSWORD_LENGTH}–{MAX_PASSWORD_LENGTH} characters; "
                              f"got {len(password)}")
    return password


def add_user(store: Store, actor: User | None, name: str, role: str, password: str | None = None, *,
             email: str | None = None, can_see_unpublished: bool = False) -> User:
    """Create an account. ``actor`` must be an admin, except for the very first account (bootstrap).

    An account without a password can sign in only through the identity provider (matched by ``email``).

    Raises
    ------
    PermissionDenied
        ``actor`` is not an admin, or is None while accounts exist, or the first account is not an admin.
    ValidationError
        Bad name, role, e-mail or password, or the name or e-mail is taken.
    """
    check_role(role)
    name = check_user_name(name)
    if password is not None:
        check_password(password)
    email = (email or "").strip().lower() or None
    password_hash = _HASHER.hash(password) if password else None
    with writing(store.engine) as conn:
        _serialise(conn)
        acting = _check_adding_rights(conn, actor, role)
        table = schema.users
        if conn.execute(select(table.c.id).where(table.c.name == name)).first():
            raise ValidationError(f"a user named {name!r} already exists")
        if email and conn.execute(select(table.c.id).where(func.lower(table.c.email) == email)).first():
            raise ValidationError(f"another account already has the e-mail address {email}")
        conn.execute(insert(table), [{
            "name": name, "role": role, "password_hash": password_hash, "email": email, "oidc_subject": None,
            "disabled": False, "can_see_unpublished": can_see_unpublished, "failed_logins": 0,
            "locked_until": None, "created_at": utcnow(),
        }])
        changes: dict = {"role": (None, role)}
        if password:
            changes["password"] = (None, "set")
        if email:
            changes["email"] = (None, email)
        if can_see_unpublished:
            changes["can_see_unpublished"] = (None, True)
        write_audit(conn, acting, "create", "user", name, changes)
    return User(name=name, role=role, can_see_unpublished=can_see_unpublished)


def _check_adding_rights(conn: Connection, actor: User | None, role: str) -> User:
    first = conn.execute(select(schema.users.c.id).limit(1)).first() is None
    if actor is not None:
        require(actor, "manage_users")
        return actor
    if not first:
        raise PermissionDenied("accounts exist already: an admin must add further ones (name the admin with --user)")
    if role != "admin":
        raise PermissionDenied(f"the first account must be an admin (it adds the others); got role {role!r}")
    return BOOTSTRAP_USER


def _change_user(store: Store, actor: User, name: str, values: dict, action: str, reason: str | None = None) -> None:
    require(actor, "manage_users")
    table = schema.users
    with writing(store.engine) as conn:
        _serialise(conn)
        row = conn.execute(select(table).where(table.c.name == name)).mappings().first()
        if row is None:
            raise NotFound(f"no user named {name!r}")
        if _removes_admin(row, values):
            _refuse_if_last_admin(conn, name)
        conn.execute(update(table).where(table.c.name == name).values(**values))
        changes = {k: (row[k], v) for k, v in values.items() if k != "password_hash" and row[k] != v}
        if "password_hash" in values:
            changes["password"] = ("set" if row["password_hash"] else None, "changed")
        if changes:
            write_audit(conn, actor, action, "user", name, changes, reason)


def _removes_admin(row, values: dict) -> bool:
    if row["role"] != "admin" or row["disabled"]:
        return False
    return values.get("disabled") is True or values.get("role", "admin") != "admin"


def _refuse_if_last_admin(conn: Connection, name: str) -> None:
    table = schema.users
    others = conn.execute(select(func.count()).select_from(table).where(
        table.c.role == "admin", table.c.disabled.is_(False), table.c.name != name)).scalar()
    if not others:
        raise ValidationError(f"{name} is the last enabled admin: make another account admin first, or nobody "
                              "could manage accounts any more")


def set_role(store: Store, actor: User, name: str, role: str, *, reason: str | None = None) -> None:
    """Change an account's role (admin only)."""
    _change_user(store, actor, name, {"role": check_role(role)}, "set_role", reason)


def set_can_see_unpublished(store: Store, actor: User, name: str, allowed: bool, *, reason: str | None = None) -> None:
    """Let a viewer see drafts and reviewed records too, or stop it (admin only)."""
    _change_user(store, actor, name, {"can_see_unpublished": bool(allowed)}, "set_access", reason)


def disable_user(store: Store, actor: User, name: str, *, reason: str | None = None) -> None:
    """Disable an account (admin only): it can no longer sign in or act; its history stays."""
    _change_user(store, actor, name, {"disabled": True}, "disable", reason)


def enable_user(store: Store, actor: User, name: str, *, reason: str | None = None) -> None:
    """Enable a disabled account again and clear any lockout (admin only)."""
    _change_user(store, actor, name, {"disabled": False, "failed_logins": 0, "locked_until": None}, "enable", reason)


def set_password(store: Store, actor: User, name: str, password: str) -> None:
    """Set an account's password (admin only) and clear any lockout."""
    check_password(password)
    _change_user(store, actor, name, {"password_hash": _HASHER.hash(password), "failed_logins": 0,
                                      "locked_until": None}, "set_password")


def authenticate(store: Store, name: str, password: str, now: datetime | None = None) -> User:
    """Check a name and password; return the user, or raise :class:`AuthError` with a message safe to show.

    Failed attempts are counted; the account locks for :data:`LOCKOUT` after :data:`MAX_FAILED_LOGINS` (the
    lock is audited). Every refusal gives the same message (:data:`SIGN_IN_REFUSED`) after the same work, so
    it never says whether the name exists, is disabled or is locked.
    """
    now = now or utcnow()
    table = schema.users
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthError.said("refusals.sign_in")
    with writing(store.engine) as conn:
        row = conn.execute(select(table).where(table.c.name == name).with_for_update()).mappings().first()
        if row is None or row["disabled"] or not row["password_hash"]:
            _HASHER.hash(password)  # same cost as a real check: do not reveal which names exist
            raise AuthError.said("refusals.sign_in")
        locked = row["locked_until"] is not None and row["locked_until"] > now
        accepted = _verify(row["password_hash"], password) and not locked  # same cost and answer as a wrong one
        if locked:
            raise AuthError.said("refusals.sign_in")
        if accepted:
            values: dict = {"failed_logins": 0, "locked_until": None}
            if _HASHER.check_needs_rehash(row["password_hash"]):  # hashing parameters were raised since
                values["password_hash"] = _HASHER.hash(password)
            conn.execute(update(table).where(table.c.name == name).values(**values))
        else:  # counted in this transaction, which must commit: so raise only after it
            _count_failure(conn, row, now)
    if not accepted:
        raise AuthError.said("refusals.sign_in")
    return _user_from_row(row)


def _count_failure(conn: Connection, row, now: datetime) -> None:
    failures = row["failed_logins"] + 1
    locked = now + LOCKOUT if failures >= MAX_FAILED_LOGINS else None
    conn.execute(update(schema.users).where(schema.users.c.name == row["name"]).values(
        failed_logins=0 if locked else failures, locked_until=locked))
    if locked:
        write_audit(conn, User("system", "admin"), "lock", "user", row["name"],
                    {"locked_until": (None, locked)}, f"{failures} failed sign-ins in a row")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def find_identity(store: Store, *, subject: str | None, email: str | None, issuer: str | None = None) -> User | None:
    """Return the enabled account of an identity-provider sign-in, or None if no account matches.

    An account is matched by the provider's subject once linked; before that, by its e-mail address (only
    when exactly one account has it), and then linked to the subject so that a later change of e-mail at
    the provider does not lose the account. The link is audited.

    Parameters
    ----------
    subject
        The provider's stable id of the person (``sub`` claim).
    email
        The e-mail address the provider vouches for (pass it only if the provider says it is verified).
    issuer
        The provider (``iss`` claim): stored with the subject, as subjects are unique per provider only.
    """
    key = f"{issuer}|{subject}" if subject and issuer else subject
    table = schema.users
    with writing(store.engine) as conn:
        if key:
            row = conn.execute(select(table).where(table.c.oidc_subject == key)).mappings().first()
            if row is not None:
                return None if row["disabled"] else _user_from_row(row)
        if not email:
            return None
        rows = conn.execute(select(table).where(func.lower(table.c.email) == email.strip().lower(),
                                                table.c.oidc_subject.is_(None))).mappings().all()
        if len(rows) != 1 or rows[0]["disabled"]:
            return None
        if key:
            conn.execute(update(table).where(table.c.id == rows[0]["id"]).values(oidc_subject=key))
            write_audit(conn, _user_from_row(rows[0]), "link_identity", "user", rows[0]["name"],
                        {"oidc_subject": (None, key)}, "first sign-in through the identity provider")
    return _user_from_row(rows[0])


# -- the database's sign-in mode ----------------------------------------------------------------------------


def auth_mode(store: Store, requested: str | None = None) -> str:
    """Return the sign-in mode of this database: "local" (no sign-in) or "shared" (sign-in, roles).

    The mode belongs to the database (``store_meta``), not to the environment of whoever opens it: a command
    pointed at a shared database with ``--database URL`` asks for sign-in like the dashboard does. The first
    time a database is opened its mode is decided and stored: ``requested`` (``INCIDENTS_AUTH``) if given, else
    shared on any server database or when accounts exist already, local on an account-less SQLite file; shared
    also wins over a request for local once accounts exist. Later, a request for "shared" turns a local
    database shared (stored); a request for "local" never downgrades a shared one (an admin does that with
    :func:`set_auth_mode`).

    Raises
    ------
    ValidationError
        ``requested`` is neither local nor shared.
    """
    if requested is not None and requested not in AUTH_MODES:
        raise ValidationError(f"INCIDENTS_AUTH must be local or shared; got {requested!r}")
    stored = store.get_meta(AUTH_MODE_KEY)
    if stored == "shared" or (stored == "local" and requested != "shared"):
        return stored
    if stored is None and requested != "shared":
        server = store.engine.dialect.name != "sqlite"
        wanted = "shared" if count_users(store) or (requested is None and server) else (requested or "local")
    else:
        wanted = "shared"
    return _store_auth_mode(store, wanted, None, f"decided on opening (INCIDENTS_AUTH={requested or 'unset'})")


def _store_auth_mode(store: Store, mode: str, actor: User | None, reason: str) -> str:
    """Store ``mode``; ``actor`` None: decided automatically, which never undoes another process's decision
    and never makes a shared database local."""
    table = schema.store_meta
    with writing(store.engine) as conn:
        _serialise(conn)
        old = conn.execute(select(table.c.value).where(table.c.key == AUTH_MODE_KEY)).scalar()
        if old == mode or (actor is None and old is not None and mode != "shared"):
            return str(old)
        if old is None:
            conn.execute(insert(table), [{"key": AUTH_MODE_KEY, "value": mode}])
        else:
            conn.execute(update(table).where(table.c.key == AUTH_MODE_KEY).values(value=mode))
        if actor is not None:  # decisions on opening are not audited: a database to restore into stays empty
            write_audit(conn, actor, "set_auth_mode", "settings", "auth_mode", {"auth_mode": (old, mode)}, reason)
        Store.bump_data_version(conn)
    return mode


def set_auth_mode(store: Store, actor: User, mode: str, *, reason: str | None = None) -> None:
    """Set this database's sign-in mode (admin only; in local mode the local user is the admin).

    Raises
    ------
    ValidationError
        ``mode`` is neither local nor shared.
    """
    require(actor, "manage_users")
    if mode not in AUTH_MODES:
        raise ValidationError(f"the sign-in mode must be local or shared; got {mode!r}")
    _store_auth_mode(store, mode, actor, reason or f"set to {mode}")
