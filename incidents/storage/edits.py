"""One unit of work for editing stored incidents: lock → load → check version → write → audit → bump.

Every edit of an incident the service makes (an update, a claim added, a delete or restore, a merge) runs inside
:func:`edit`, which

1. opens a writing transaction (on SQLite it takes the database's write lock at once, BEGIN IMMEDIATE),
2. locks the incidents' rows in uid order (PostgreSQL ``SELECT ... FOR UPDATE``; no deadlock between edits),
3. loads them, and checks each is still at the version its editor read (:class:`ConflictError` naming who
   changed what since, and nothing written, otherwise),
4. hands an :class:`Edit` to the caller, which writes rows (:meth:`Edit.write`: stamps, version + 1) and audit
   entries (:meth:`Edit.audit`: the version step added for each incident written),
5. bumps the store's data version if anything was written, so caches in every process refresh, and commits.

An exception anywhere rolls the whole edit back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, select

from incidents.domain.errors import ConflictError
from incidents.domain.records import Incident
from incidents.domain.users import User
from incidents.storage import schema
from incidents.storage.audit import write_audit
from incidents.storage.engine import writing
from incidents.storage.store import Store, utcnow


def lock_incidents(conn: Connection, *uids: str) -> None:
    """Lock the rows of ``uids`` until the transaction ends (PostgreSQL; in uid order, so no deadlock).

    SQLite needs nothing here: the writing transaction already holds the database's only write lock.
    """
    if conn.dialect.name != "postgresql":
        return
    table = schema.incidents
    conn.execute(select(table.c.id).where(table.c.uid.in_(sorted(set(uids)))).order_by(table.c.uid)
                 .with_for_update()).all()


def write_row(conn: Connection, current: Incident, values: dict) -> None:
    """Write ``values`` to ``current``'s row, which the caller has locked; bump its version."""
    if not Store.update_incident_row(conn, current.uid, values, current.version):  # pragma: no cover - locked
        raise ConflictError(f"incident {current.uid} changed while it was being written; nothing was saved")


def check_version(conn: Connection, current: Incident, expected_version: int | None) -> None:
    """Raise :class:`ConflictError` describing every change since ``expected_version`` (None: no check)."""
    if expected_version is None or current.version == expected_version:
        return
    table = schema.audit_log
    rows = conn.execute(
        select(table.c.user_name, table.c.at, table.c.action, table.c.changes)
        .where(table.c.entity_uid == current.uid, table.c.entity == "incident").order_by(table.c.id.desc()).limit(20)
    ).all()
    since = [r for r in rows if _entry_version(r.changes) > expected_version] or rows[:1]
    who = ", ".join(dict.fromkeys(r.user_name for r in reversed(since))) or "another user"
    details = [_describe_entry(r) for r in reversed(since)]
    raise ConflictError(
        f"{who} changed this incident since you opened it (it is now at version {current.version}, you had "
        f"version {expected_version}): {' | '.join(details)}. Nothing was saved; reload the incident and apply "
        "your change again.",
        current=current.to_dict(with_claims=False), changed_by=who,
    )


def _entry_version(changes: str) -> int:
    version = json.loads(changes).get("version")
    return int(version[1]) if version and version[1] is not None else 0


def _describe_entry(row) -> str:
    fields = {k: v for k, v in json.loads(row.changes).items() if k != "version"}
    shown = "; ".join(f"{k}: {v[0]!r} → {v[1]!r}" for k, v in list(fields.items())[:8])
    more = f" (and {len(fields) - 8} more)" if len(fields) > 8 else ""
    return f"{row.user_name} at {row.at:%Y-%m-%d %H:%M} UTC, {row.action}: {shown}{more}"


class Edit:
    """An edit in progress (see :func:`edit`): the locked, version-checked incidents and the means to change them.

    Attributes
    ----------
    store, conn, user
        The store, the open writing transaction, and the acting user.
    now
        The edit's time stamp (``updated_at`` of every row it writes).
    records
        uid → the incident as loaded at the start of the edit (with its claims).
    """

    def __init__(self, store: Store, conn: Connection, user: User, records: dict[str, Incident],
                 now: datetime) -> None:
        self.store = store
        self.conn = conn
        self.user = user
        self.records = records
        self.now = now
        self.written = False
        self._versions: dict[str, tuple[int, int]] = {}

    def __getitem__(self, uid: str) -> Incident:
        return self.records[uid]

    def write(self, record: Incident, values: dict) -> None:
        """Write ``values`` to ``record``'s row at its loaded version, stamped with the edit's user and time;
        its version goes up by one."""
        write_row(self.conn, record, values | {"updated_at": self.now, "updated_by": self.user.name})
        self._versions.setdefault(record.uid, (record.version, record.version + 1))
        self.written = True

    def audit(self, action: str, uid: str, changes: dict, reason: str | None, *, entity: str = "incident",
              version: bool = True) -> None:
        """Append an audit entry; for an incident this edit wrote, the version step is added to ``changes``
        (what a later conflict message reads) unless ``version`` is False."""
        if version and entity == "incident" and uid in self._versions:
            changes = {**changes, "version": self._versions[uid]}
        write_audit(self.conn, self.user, action, entity, uid, changes, reason)
        self.written = True

    def reload(self, uid: str) -> Incident:
        """Return incident ``uid`` as it is now inside the edit (after its writes)."""
        return self.store.get_incident(uid, conn=self.conn)


@contextmanager
def edit(store: Store, user: User, expected: Mapping[str, int | None], *, include_deleted: bool = False,
         now: datetime | None = None) -> Iterator[Edit]:
    """Run one edit of the incidents in ``expected`` (uid → the version the editor read; None: no check).

    Parameters
    ----------
    store, user
        The store and the acting user (permissions are the caller's to check).
    expected
        The incidents to lock and load, each with the version its editor read.
    include_deleted
        Whether soft-deleted incidents may be edited (a restore).
    now
        The edit's time stamp (default: now).

    Raises
    ------
    NotFound
        An incident does not exist (or is deleted, unless ``include_deleted``).
    ConflictError
        An incident is no longer at the version its editor read; nothing is written.
    """
    with writing(store.engine) as conn:
        lock_incidents(conn, *expected)
        records = {uid: store.get_incident(uid, include_deleted=include_deleted, conn=conn) for uid in expected}
        for uid, version in expected.items():
            check_version(conn, records[uid], version)
        unit = Edit(store, conn, user, records, now or utcnow())
        yield unit
        if unit.written:
            Store.bump_data_version(conn)
