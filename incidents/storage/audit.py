"""The audit log: one append-only entry per change (who, when, each field's old and new value, the reason).

Entries are written in the transaction of the change they describe (see :mod:`incidents.storage.edits` and
:mod:`incidents.services.service`); the database refuses to update or delete them (migrations 0001 and 0002).
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Connection, insert

from incidents.domain.users import User
from incidents.storage import schema
from incidents.storage.store import utcnow


def jsonable(value: object) -> object:
    """Return ``value`` as the audit log's JSON holds it (dates as ISO text, tuples as lists)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def json_default(value: object) -> object:
    """``json.dumps`` fallback for audit entries: dates as ISO text; anything else is refused."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def audit_row(user: User, action: str, entity: str, uid: str, changes: dict, reason: str | None,
              at: datetime | None = None) -> dict:
    """Return the ``audit_log`` row of one entry; ``changes`` maps field → (old, new)."""
    encoded = {k: [old, new] for k, (old, new) in changes.items()}  # tuples become JSON lists
    return {"at": at or utcnow(), "user_name": user.name, "action": action, "entity": entity, "entity_uid": uid,
            "changes": json.dumps(encoded, ensure_ascii=False, sort_keys=True, default=json_default),
            "reason": reason}


def write_audit(conn: Connection, user: User, action: str, entity: str, uid: str, changes: dict,
                reason: str | None = None) -> None:
    """Append one entry to the audit log; ``changes`` maps field → (old, new)."""
    conn.execute(insert(schema.audit_log), [audit_row(user, action, entity, uid, changes, reason)])
