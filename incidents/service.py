"""Every write to the record goes through here: permission, validation, audit, optimistic locking.

Each function takes the acting :class:`~incidents.users.User` and refuses with
:class:`~incidents.errors.PermissionDenied` when the role does not allow the action, whatever page or command
calls it. Each write appends to the audit log (who, when, each field's old and new value, the reason) in the
same transaction, bumps the store's data version (so caches in every process refresh), and — for updates —
succeeds only if the record is still at the version the editor read (:class:`~incidents.errors.ConflictError`
otherwise; nothing is overwritten).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Connection, insert, select

from incidents.db import schema
from incidents.db.engine import writing
from incidents.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from incidents.figures import derive_figures
from incidents.records import INCIDENT_FIELDS, Claim, Incident
from incidents.store import Store, utcnow
from incidents.users import User, require
from incidents.validation import check_claim, check_incident

#: Fields an edit may not touch directly (set by the system, or by their own operation).
_SYSTEM_FIELDS = {"uid", "version", "created_at", "updated_at", "created_by", "updated_by", "deleted_at"}
_FIGURE_FIELDS = ("killed_min", "killed_max", "killed_best", "injured_min", "injured_max", "children_killed",
                  "women_killed", "civilians")
_STATUS_ACTION = {"draft": "edit_any", "reviewed": "review", "published": "publish"}


@dataclass(frozen=True)
class Policy:
    """Settings of the review workflow, passed in by the edge that reads the configuration."""

    four_eyes: bool = False  # a reviewer may not review or publish an incident they created


# -- audit ------------------------------------------------------------------------------------------------


def _jsonable(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def write_audit(conn: Connection, user: User, action: str, entity: str, uid: str, changes: dict,
                reason: str | None = None) -> None:
    """Append one entry to the audit log; ``changes`` maps field → (old, new)."""
    encoded = {k: [_jsonable(old), _jsonable(new)] for k, (old, new) in changes.items()}
    conn.execute(insert(schema.audit_log), [{
        "at": utcnow(), "user_name": user.name, "action": action, "entity": entity, "entity_uid": uid,
        "changes": json.dumps(encoded, ensure_ascii=False, sort_keys=True), "reason": reason,
    }])


def _diff(before: dict, after: dict) -> dict:
    return {k: (before.get(k), after[k]) for k in after if before.get(k) != after[k]}


def _creation_changes(incident: Incident) -> dict:
    data = incident.to_dict(with_claims=False)
    changes = {k: (None, v) for k, v in data.items() if v not in (None, (), [], "")}
    changes["claims"] = (None, [c.uid for c in incident.claims])
    return changes


# -- creating ---------------------------------------------------------------------------------------------


def prepare_new(incident: Incident, user: User, now: datetime | None = None) -> Incident:
    """Return ``incident`` ready to insert: stamps filled where absent, figures derived from its claims."""
    now = now or utcnow()
    claims = [c if c.created_at else replace(c, created_at=now, created_by=c.created_by or user.name)
              for c in incident.claims]
    prepared = replace(
        incident, claims=claims,
        created_at=incident.created_at or now, updated_at=incident.updated_at or incident.created_at or now,
        created_by=incident.created_by or user.name, updated_by=incident.updated_by or user.name,
    )
    if prepared.figures_rule == "claims" and claims:
        prepared = replace(prepared, **derive_figures(claims).as_dict())
    return prepared


def create_incidents(store: Store, user: User, items: Sequence[Incident], *, reason: str | None = None,
                     action: str = "create", conn: Connection | None = None) -> list[Incident]:
    """Validate and store new incidents with their claims; return them as stored.

    Raises
    ------
    PermissionDenied
        Below the editor role.
    ValidationError
        Any incident breaks a rule of the record; nothing is written.
    """
    require(user, "create")
    if any(i.status != "draft" for i in items):
        require(user, "publish")
    prepared = [prepare_new(i, user) for i in items]
    _raise_if_invalid(prepared)
    if conn is None:
        with writing(store.engine) as own:
            return _insert_with_audit(store, own, user, prepared, action, reason)
    return _insert_with_audit(store, conn, user, prepared, action, reason)


def _insert_with_audit(store: Store, conn: Connection, user: User, items: list[Incident], action: str,
                       reason: str | None) -> list[Incident]:
    store.insert_incidents(conn, items)
    entries = [{
        "at": utcnow(), "user_name": user.name, "action": action, "entity": "incident", "entity_uid": i.uid,
        "changes": json.dumps({k: [_jsonable(o), _jsonable(n)] for k, (o, n) in _creation_changes(i).items()},
                              ensure_ascii=False, sort_keys=True),
        "reason": reason,
    } for i in items]
    if entries:
        conn.execute(insert(schema.audit_log), entries)
    Store.bump_data_version(conn)
    return items


def _raise_if_invalid(items: Sequence[Incident]) -> None:
    for index, incident in enumerate(items):
        problems = check_incident(incident)
        if problems:
            detail = "; ".join(f"{p.field}: {p.reason}" for p in problems)
            raise ValidationError(f"incident {index + 1} ({incident.place_text or incident.uid}): {detail}")


# -- updating ---------------------------------------------------------------------------------------------


def update_incident(store: Store, user: User, uid: str, changes: dict, *, expected_version: int,
                    reason: str | None = None, policy: Policy = Policy()) -> Incident:
    """Apply ``changes`` (field → new value) to incident ``uid`` if nobody changed it since ``expected_version``.

    Setting figures by hand switches the incident to ``figures_rule="editor"`` and needs a ``reason``;
    setting ``figures_rule="claims"`` re-derives them from the claims.

    Raises
    ------
    ConflictError
        The incident is no longer at ``expected_version``; the message names who changed what.
    PermissionDenied, ValidationError, NotFound
    """
    unknown = set(changes) - set(INCIDENT_FIELDS)
    if unknown or set(changes) & _SYSTEM_FIELDS:
        raise ValidationError(f"these fields cannot be edited: {', '.join(sorted(unknown | (set(changes) & _SYSTEM_FIELDS)))}")
    with writing(store.engine) as conn:
        current = store.get_incident(uid, conn=conn)
        _check_version(conn, current, expected_version)
        _check_edit_rights(user, current, changes, policy)
        updated = _apply_changes(current, changes, reason)
        _raise_if_invalid([updated])
        diff = _diff(current.to_dict(with_claims=False), updated.to_dict(with_claims=False))
        if not diff:
            return current
        values = {k: getattr(updated, k) for k in diff} | {"updated_at": utcnow(), "updated_by": user.name}
        if not Store.update_incident_row(conn, uid, values, expected_version):
            # Another writer committed between our read and our write (PostgreSQL, READ COMMITTED).
            _check_version(conn, store.get_incident(uid, conn=conn), expected_version)
        write_audit(conn, user, _audit_action(diff), "incident", uid, diff, reason)
        Store.bump_data_version(conn)
        return store.get_incident(uid, conn=conn)


def _audit_action(diff: dict) -> str:
    if set(diff) == {"status"}:
        return "status"
    if set(diff) == {"grading"}:
        return "grade"
    return "update"


def _apply_changes(current: Incident, changes: dict, reason: str | None) -> Incident:
    updated = replace(current, **changes)
    touched_figures = set(changes) & set(_FIGURE_FIELDS)
    if changes.get("figures_rule") == "claims" or (updated.figures_rule == "claims" and not touched_figures):
        return replace(updated, figures_rule="claims", figures_reason=None, **derive_figures(updated.claims).as_dict())
    if touched_figures:
        return replace(updated, figures_rule="editor", figures_reason=reason or changes.get("figures_reason"))
    return updated


def _check_edit_rights(user: User, current: Incident, changes: dict, policy: Policy) -> None:
    require(user, "edit_draft" if current.status == "draft" else "edit_any")
    if "status" in changes and changes["status"] != current.status:
        require(user, _STATUS_ACTION[changes["status"]])
        if policy.four_eyes and changes["status"] in ("reviewed", "published") and current.created_by == user.name:
            raise PermissionDenied(
                f"four-eyes rule: {user.name} entered this incident and cannot also mark it {changes['status']}; "
                "another reviewer must do it"
            )
    if "grading" in changes and changes["grading"] != current.grading:
        require(user, "grade")


def _check_version(conn: Connection, current: Incident, expected_version: int) -> None:
    if current.version == expected_version:
        return
    since = conn.execute(
        select(schema.audit_log.c.user_name, schema.audit_log.c.at, schema.audit_log.c.changes)
        .where(schema.audit_log.c.entity_uid == current.uid).order_by(schema.audit_log.c.id.desc()).limit(1)
    ).first()
    who = since.user_name if since else "another user"
    detail = ""
    if since:
        fields = json.loads(since.changes)
        detail = "; ".join(f"{k}: {v[0]!r} → {v[1]!r}" for k, v in list(fields.items())[:8])
    raise ConflictError(
        f"{who} changed this incident since you opened it (now version {current.version}, you had "
        f"{expected_version}): {detail}. Nothing was saved; reload and apply your change again.",
        current=current.to_dict(with_claims=False), changed_by=who,
    )


def set_status(store: Store, user: User, uid: str, status: str, *, expected_version: int,
               reason: str | None = None, policy: Policy = Policy()) -> Incident:
    """Move an incident through draft → reviewed → published (or back to draft)."""
    return update_incident(store, user, uid, {"status": status}, expected_version=expected_version,
                           reason=reason, policy=policy)


def set_grading(store: Store, user: User, uid: str, grading: str, *, expected_version: int,
                reason: str | None = None) -> Incident:
    """Grade an incident (confirmed, fair, weak, contested, discounted, unassessed)."""
    return update_incident(store, user, uid, {"grading": grading}, expected_version=expected_version,
                           reason=reason)


# -- claims -----------------------------------------------------------------------------------------------


def add_claim(store: Store, user: User, uid: str, claim: Claim, *, reason: str | None = None) -> Incident:
    """Attach a further source's claim to incident ``uid``; figures are re-derived under the stated rule.

    Earlier claims are never changed: conflicting figures stay side by side.
    """
    require(user, "add_claim")
    now = utcnow()
    claim = replace(claim, created_at=claim.created_at or now, created_by=claim.created_by or user.name)
    problems = check_claim(claim)
    if problems:
        raise ValidationError("; ".join(f"{p.field}: {p.reason}" for p in problems))
    with writing(store.engine) as conn:
        current = store.get_incident(uid, conn=conn)
        Store.insert_claim(conn, claim, store.incident_id(conn, uid))
        values: dict = {"updated_at": now, "updated_by": user.name}
        if current.figures_rule == "claims":
            derived = derive_figures([*current.claims, claim]).as_dict()
            values |= {k: v for k, v in derived.items() if getattr(current, k) != v}
        Store.update_incident_row(conn, uid, values, current.version)
        changes = {"claims": ([c.uid for c in current.claims], [c.uid for c in current.claims] + [claim.uid])}
        changes |= {k: (getattr(current, k), v) for k, v in values.items() if k in _FIGURE_FIELDS}
        write_audit(conn, user, "add_claim", "incident", uid, changes, reason)
        write_audit(conn, user, "create", "claim", claim.uid, {k: (None, _jsonable(v)) for k, v in
                    claim.to_dict().items() if v not in (None, "")}, reason)
        Store.bump_data_version(conn)
        return store.get_incident(uid, conn=conn)


# -- delete, restore, merge -------------------------------------------------------------------------------


def delete_incident(store: Store, user: User, uid: str, *, reason: str) -> None:
    """Soft-delete an incident (admin): hidden everywhere, kept in the database, restorable."""
    require(user, "delete")
    _set_deleted(store, user, uid, deleted=True, reason=reason)


def restore_incident(store: Store, user: User, uid: str, *, reason: str | None = None) -> None:
    """Undo a soft delete (admin)."""
    require(user, "restore")
    _set_deleted(store, user, uid, deleted=False, reason=reason)


def _set_deleted(store: Store, user: User, uid: str, *, deleted: bool, reason: str | None) -> None:
    with writing(store.engine) as conn:
        current = store.get_incident(uid, include_deleted=True, conn=conn)
        if (current.deleted_at is not None) == deleted:
            raise NotFound(f"incident {uid!r} is {'already deleted' if deleted else 'not deleted'}")
        now = utcnow()
        values = {"deleted_at": now if deleted else None, "updated_at": now, "updated_by": user.name}
        Store.update_incident_row(conn, uid, values, current.version)
        write_audit(conn, user, "delete" if deleted else "restore", "incident", uid,
                    {"deleted_at": (current.deleted_at, values["deleted_at"])}, reason)
        Store.bump_data_version(conn)


def merge_incidents(store: Store, user: User, keep_uid: str, other_uid: str, *, reason: str) -> Incident:
    """Merge ``other_uid`` into ``keep_uid``: every claim moves over, the other is soft-deleted and points to it.

    The decision is recorded for the duplicate finder, and both incidents' audit trails say what happened.
    """
    require(user, "merge")
    if keep_uid == other_uid:
        raise ValidationError("cannot merge an incident with itself")
    with writing(store.engine) as conn:
        keep = store.get_incident(keep_uid, conn=conn)
        other = store.get_incident(other_uid, conn=conn)
        Store.move_claims(conn, store.incident_id(conn, other_uid), store.incident_id(conn, keep_uid))
        now = utcnow()
        Store.update_incident_row(conn, other_uid, {"deleted_at": now, "merged_into": keep_uid, "updated_at": now,
                                                    "updated_by": user.name}, other.version)
        claims = [*keep.claims, *other.claims]
        values: dict = {"updated_at": now, "updated_by": user.name}
        if keep.figures_rule == "claims":
            values |= derive_figures(claims).as_dict()
        Store.update_incident_row(conn, keep_uid, values, keep.version)
        _record_decision(conn, user, keep_uid, other_uid, "merged", reason)
        write_audit(conn, user, "merge", "incident", keep_uid,
                    {"claims": ([c.uid for c in keep.claims], [c.uid for c in claims]),
                     "merged_from": (None, other_uid)}, reason)
        write_audit(conn, user, "merge", "incident", other_uid,
                    {"merged_into": (None, keep_uid), "deleted_at": (None, now)}, reason)
        Store.bump_data_version(conn)
        return store.get_incident(keep_uid, conn=conn)


def mark_distinct(store: Store, user: User, uid_a: str, uid_b: str, *, reason: str | None = None) -> None:
    """Record that two incidents the duplicate finder paired are different events."""
    require(user, "mark_distinct")
    with writing(store.engine) as conn:
        store.incident_id(conn, uid_a), store.incident_id(conn, uid_b)  # both must exist
        _record_decision(conn, user, uid_a, uid_b, "distinct", reason)
        write_audit(conn, user, "mark_distinct", "incident", uid_a, {"distinct_from": (None, uid_b)}, reason)
        Store.bump_data_version(conn)


def _record_decision(conn: Connection, user: User, uid_a: str, uid_b: str, decision: str,
                     reason: str | None) -> None:
    first, second = sorted((uid_a, uid_b))
    table = schema.duplicate_decisions
    conn.execute(table.delete().where(table.c.uid_a == first, table.c.uid_b == second))
    conn.execute(insert(table), [{"uid_a": first, "uid_b": second, "decision": decision,
                                  "decided_by": user.name, "decided_at": utcnow(), "reason": reason}])


# -- reading the trail ------------------------------------------------------------------------------------


def history(store: Store, uid: str) -> list[dict]:
    """Return the audit entries of one incident (and of its claims), oldest first."""
    table = schema.audit_log
    with store.engine.connect() as conn:
        incident = store.get_incident(uid, include_deleted=True, conn=conn)
        ids = [uid, *[c.uid for c in incident.claims]]
        rows = conn.execute(select(table).where(table.c.entity_uid.in_(ids)).order_by(table.c.id)).mappings()
        return [{**row, "changes": json.loads(row["changes"])} for row in rows]
