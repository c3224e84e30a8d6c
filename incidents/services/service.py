"""Every write to the record goes through here: permission, validation, audit, optimistic locking.

Each function takes the acting :class:`~incidents.domain.users.User` and refuses with
:class:`~incidents.domain.errors.PermissionDenied` when the role does not allow the action, whatever page or command
calls it. Each write appends to the audit log (who, when, each field's old and new value, the reason) in the
same transaction, bumps the store's data version (so caches in every process refresh), and — for updates —
succeeds only if the record is still at the version the editor read (:class:`~incidents.domain.errors.ConflictError`
otherwise; nothing is overwritten).

Concurrency: on SQLite every writing transaction takes the database's write lock first (BEGIN IMMEDIATE); on
PostgreSQL every read-modify-write locks the incident rows it touches (``SELECT ... FOR UPDATE``) before it
reads them, so two processes can never both act on the same old state.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from incidents.domain.coverage import COMBINED, Link, coverage_problems
from incidents.domain.errors import NotFound, PermissionDenied, ValidationError
from incidents.domain.figures import DERIVED_FIELDS, NamedCounts, derive_figures
from incidents.domain.records import CLAIM_FIELDS, INCIDENT_FIELDS, Claim, Incident, copy_with, new_uid
from incidents.domain.users import User, require
from incidents.domain.validation import Problem, check_claim, check_incident
from incidents.io.fast import CleanRows
from incidents.io.tables import neutralise
from incidents.storage import schema
from incidents.storage.audit import audit_row, jsonable, write_audit
from incidents.storage.edits import Edit, edit, lock_incidents, write_row
from incidents.storage.engine import writing
from incidents.storage.store import Store, encode_incident_value, insert_columns, utcnow

#: Fields an edit may not touch directly (set by the system, or by their own operation).
_SYSTEM_FIELDS = {"uid", "version", "created_at", "updated_at", "created_by", "updated_by", "deleted_at",
                  "imported_from"}
_STATUS_ACTION = {"draft": "edit_any", "reviewed": "review", "published": "publish"}
_FOUR_EYES_KEY = "policy.four_eyes"

#: Kinds of place a user may add (the gazetteer's populated-place kinds; admin units come from OCHA only).
PLACE_KINDS = ("city", "town", "village", "neighbourhood", "camp", "site")

# The import path (import_records and its helpers) still calls these by their former names.

#: Columns of the audit-log export, in order.
AUDIT_COLUMNS = ("id", "at", "user_name", "action", "entity", "entity_uid", "changes", "reason")


@dataclass(frozen=True)
class Policy:
    """Settings of the review workflow, passed in by the edge that reads the configuration.

    The database can also require four eyes (:func:`set_four_eyes`); the stricter of the two applies, so a
    caller that forgets to pass the policy cannot weaken it.
    """

    four_eyes: bool = False  # a reviewer may not review or publish an incident they created


def load_policy(store: Store, policy: Policy | None = None) -> Policy:
    """Return the policy in force: ``policy`` (from the configuration) made stricter by the database's own."""
    with store.engine.connect() as conn:
        return _effective_policy(conn, policy)


def _effective_policy(conn: Connection, policy: Policy | None) -> Policy:
    stored = conn.execute(select(schema.store_meta.c.value).where(schema.store_meta.c.key == _FOUR_EYES_KEY)).scalar()
    four_eyes = (policy.four_eyes if policy else False) or stored == "1"
    return Policy(four_eyes=four_eyes)


def adopt_four_eyes(store: Store, configured: bool) -> bool:
    """Store four eyes in the database when the configuration asks for it (``INCIDENTS_FOUR_EYES=1``); return
    whether the database requires it. The database is then the one source every path reads (import, ingest,
    dashboard, commands), whatever process runs them. The configuration can only switch the rule on."""
    if configured and not load_policy(store).four_eyes:
        _store_four_eyes(store, None, True, "INCIDENTS_FOUR_EYES=1")
    return load_policy(store).four_eyes


def set_four_eyes(store: Store, user: User, enabled: bool, *, reason: str | None = None) -> None:
    """Require (or stop requiring) four eyes in this database, for every process and command (admin only)."""
    require(user, "manage_users")
    _store_four_eyes(store, user, enabled, reason)


def _store_four_eyes(store: Store, user: User | None, enabled: bool, reason: str | None) -> None:
    """Store the rule; ``user`` None (the configuration) is not audited, so that a database to restore a
    backup into stays empty."""
    table = schema.store_meta
    with writing(store.engine) as conn:
        old = conn.execute(select(table.c.value).where(table.c.key == _FOUR_EYES_KEY)).scalar()
        new = "1" if enabled else "0"
        if old == new:
            return
        if old is None:
            conn.execute(insert(table), [{"key": _FOUR_EYES_KEY, "value": new}])
        else:
            conn.execute(table.update().where(table.c.key == _FOUR_EYES_KEY).values(value=new))
        if user is not None:
            write_audit(conn, user, "set_policy", "settings", "four_eyes", {"four_eyes": (old == "1", enabled)},
                        reason)
        Store.bump_data_version(conn)


# -- audit ------------------------------------------------------------------------------------------------


def _diff(before: dict, after: dict) -> dict:
    return {k: (before.get(k), after[k]) for k in after if before.get(k) != after[k]}


def _creation_changes(incident: Incident) -> dict:
    changes = {}
    for name in INCIDENT_FIELDS:
        value = getattr(incident, name)
        if value is not None and value != "" and value != ():
            changes[name] = (None, value)
    changes["claims"] = (None, [c.uid for c in incident.claims])
    return changes


def _claim_changes(claim: Claim) -> dict:
    return {k: (None, v) for k, v in claim.to_dict().items() if v not in (None, "")}


# -- creating ---------------------------------------------------------------------------------------------


#: Provenance of a record: set by this service from the acting user and the clock, never taken from input.
PROVENANCE_FIELDS = ("created_at", "updated_at", "created_by", "updated_by", "version")


def prepare_new(incident: Incident, user: User, now: datetime | None = None) -> Incident:
    """Return ``incident`` ready to insert: stamped as entered by ``user`` now, figures derived from its claims.

    Whatever provenance the input carried (``created_by``, ``updated_by``, ``created_at``, ``updated_at``,
    ``version``, and each claim's ``created_by``/``created_at`` — e.g. a file exported by this project) is never
    used as the record's own: it is kept apart in ``imported_from`` (JSON), so that nobody can enter a record
    "as" a colleague and then review it under the four-eyes rule.
    """
    now = now or utcnow()
    claims = [copy_with(c, created_at=now, created_by=user.name) for c in incident.claims]
    changes: dict = {
        "claims": claims, "created_at": now, "updated_at": now, "created_by": user.name, "updated_by": user.name,
        "version": 1, "imported_from": _claimed_provenance(incident),
    }
    if incident.figures_rule == "claims" and claims:
        changes |= derive_figures(claims).as_dict()
    return copy_with(incident, **changes)


def _claimed_provenance(incident: Incident) -> str | None:
    """Return the provenance ``incident`` and its claims arrived with, as JSON text (None if there was none)."""
    if incident.imported_from:  # already recorded (e.g. prepared twice): keep the first account
        return incident.imported_from
    if _PROVENANCE_VALUES(incident) == _NO_PROVENANCE and not any(c.created_at or c.created_by
                                                                  for c in incident.claims):
        return None  # the usual case (a file from elsewhere), decided without building anything
    own = {k: jsonable(getattr(incident, k)) for k in PROVENANCE_FIELDS
           if getattr(incident, k) is not None and not (k == "version" and getattr(incident, k) == 1)}
    claims = {c.uid: {k: jsonable(getattr(c, k)) for k in ("created_at", "created_by") if getattr(c, k)}
              for c in incident.claims}
    claims = {uid: values for uid, values in claims.items() if values}
    if not own and not claims:
        return None
    record = own | ({"claims": claims} if claims else {})
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


_PROVENANCE_VALUES = operator.attrgetter(*PROVENANCE_FIELDS)
_NO_PROVENANCE = (None, None, None, None, 1)


def imported_provenance(incident: Incident) -> dict:
    """Return what an imported file said about who entered ``incident`` and when ({} if nothing).

    Keys are those of :data:`PROVENANCE_FIELDS` that the file gave, and ``claims`` (claim uid → its
    ``created_at``/``created_by``). For reading only: no rule of the workflow looks at it.
    """
    return json.loads(incident.imported_from) if incident.imported_from else {}


def create_incidents(store: Store, user: User, items: Sequence[Incident], *, reason: str | None = None,
                     action: str = "create", conn: Connection | None = None,
                     policy: Policy | None = None, checked: bool = False) -> list[Incident]:
    """Validate and store new incidents with their claims; return them as stored.

    Parameters
    ----------
    policy
        The configured workflow policy; under four eyes nobody may enter an incident as already reviewed or
        published (that would review their own entry).
    checked
        The caller has just checked every incident with :func:`incidents.domain.validation.check_incident` (an
        import); only the stamps and derived figures are new, and they are valid by construction.

    Raises
    ------
    PermissionDenied
        Below the editor role; or a status other than draft below the reviewer role or under four eyes.
    ValidationError
        Any incident breaks a rule of the record, or its id is already stored; nothing is written.
    """
    require(user, "create")
    now = utcnow()
    prepared = [prepare_new(i, user, now) for i in items]
    if not checked:
        _raise_if_invalid(prepared)
    if conn is None:
        with writing(store.engine) as own, links_kept(own, prepared):
            return _insert_with_audit(store, own, user, prepared, action, reason, policy)
    with links_kept(conn, prepared):
        return _insert_with_audit(store, conn, user, prepared, action, reason, policy)


# -- combined records' links ------------------------------------------------------------------------------------


def link_problems(conn: Connection, links: Sequence[Link]) -> dict[str, list[Problem]]:
    """Return the problems of each of ``links`` (new records about to be written) with the combined records and
    covered incidents stored (:mod:`incidents.domain.coverage`); no query when none of them is combined."""
    if not any(link.kind == COMBINED for link in links):
        return {}
    return coverage_problems(links, _stored_links(conn, {u for link in links for u in link.covers}))


@contextmanager
def links_kept(conn: Connection, items: Sequence[Incident] = (), lead: str = "problems.links_refused") -> Iterator[None]:
    """Refuse (ValidationError, the transaction rolled back) a write that leaves combined records' links broken
    where they were not (:mod:`incidents.domain.coverage`): the links are judged as stored before and after the
    block, in the same transaction, so an update, a restore, a merge or an import row matched by its external id
    is judged on the record it really leaves; links broken before (stored before the rule) are not its fault.
    ``items``: the records written, when the caller has them (none combined: one query less).
    """
    before = _broken_links(conn)
    yield
    if before is None and items and not any(item.record_kind == COMBINED for item in items):
        return  # no combined record before, none written: none after
    after = _broken_links(conn)
    added = [problem for problem in (after or []) if problem not in (before or [])]
    if added:
        raise ValidationError.of([p for _, p in added], lead)


def _broken_links(conn: Connection) -> list[tuple[str, Problem]] | None:
    """The problems of the stored combined records' links, each with its record's uid; None when there is no
    combined record (nothing to judge)."""
    stored = _stored_links(conn, set())
    if not stored:
        return None
    covered = {uid for link in stored.values() for uid in link.covers} - set(stored)
    view = {**_stored_links(conn, covered), **stored} if covered else stored
    found = coverage_problems(stored.values(), view)
    return [(uid, problem) for uid, problems in found.items() for problem in problems]


def _stored_links(conn: Connection, covered: set[str]) -> dict[str, Link]:
    """The stored (not deleted) combined records, and the records with a uid in ``covered``."""
    table = schema.incidents
    live = table.c.deleted_at.is_(None)
    columns = (table.c.uid, table.c.record_kind, table.c.covers)
    rows = list(conn.execute(select(*columns).where(live, table.c.record_kind == COMBINED)))
    wanted = sorted(covered)
    for start in range(0, len(wanted), 5000):  # bound parameters per statement stay well below the limits
        rows += conn.execute(select(*columns).where(live, table.c.uid.in_(wanted[start:start + 5000])))
    return {uid: Link(uid, kind or "", tuple(json.loads(covers or "[]"))) for uid, kind, covers in rows}


def entry_problems(user: User, incident: Incident, policy: Policy) -> list[Problem]:
    """Return why ``user`` may not enter ``incident`` as it is (empty if they may), one problem per field.

    A new record may carry a grading or a status other than the defaults only if its author could set them in
    the dashboard: grading needs the reviewer role; reviewed or published needs the reviewer role, and under
    four eyes nobody may enter a record already reviewed (that would review their own entry). Imports call
    this per row, so a row that breaks it is refused with the reason.
    """
    problems = []
    if incident.grading != "unassessed" and not user.can("grade"):
        problems.append(Problem.said("grading", "problems.may_not_grade", user=user.name, role=user.role,
                                     value=repr(incident.grading)))
    if incident.status != "draft":
        if not user.can(_STATUS_ACTION.get(incident.status, "publish")):
            problems.append(Problem.said("status", "problems.may_not_status", user=user.name, role=user.role,
                                         value=repr(incident.status)))
        elif policy.four_eyes:
            problems.append(Problem.said("status", "problems.four_eyes_status", user=user.name,
                                         value=repr(incident.status)))
    return problems


def _check_new_statuses(conn: Connection, user: User, items: list[Incident], policy: Policy | None) -> None:
    effective = _effective_policy(conn, policy)
    for incident in items:
        problems = entry_problems(user, incident, effective)
        if problems:
            first = problems[0]
            raise PermissionDenied.said(first.key, **dict(first.values)) if first.key else PermissionDenied(
                first.reason)


def _insert_with_audit(store: Store, conn: Connection, user: User, items: list[Incident], action: str,
                       reason: str | None, policy: Policy | None) -> list[Incident]:
    _check_new_statuses(conn, user, items, policy)
    try:
        with conn.begin_nested():
            store.insert_incidents(conn, items)
    except IntegrityError:
        taken = sorted(store.existing_uids(i.uid for i in items))
        raise ValidationError(
            "an incident or claim with the same id is already stored"
            + (f": {', '.join(taken[:5])}" if taken else "") + "; nothing was written"
        ) from None
    now = utcnow()
    entries = [audit_row(user, action, "incident", i.uid, _creation_changes(i), reason, now) for i in items]
    if entries:
        conn.execute(insert(schema.audit_log), entries)
    Store.bump_data_version(conn)
    return items


def _raise_if_invalid(items: Sequence[Incident]) -> None:
    for index, incident in enumerate(items):
        problems = check_incident(incident)
        if problems:
            raise ValidationError.of(problems, "problems.incident_n", n=index + 1,
                                     what=incident.place_text or incident.uid)


# -- updating ---------------------------------------------------------------------------------------------


def update_incident(store: Store, user: User, uid: str, changes: dict, *, expected_version: int,
                    reason: str | None = None, policy: Policy | None = None) -> Incident:
    """Apply ``changes`` (field → new value) to incident ``uid`` if nobody changed it since ``expected_version``.

    Setting figures by hand switches the incident to ``figures_rule="editor"`` and needs a ``reason``;
    setting ``figures_rule="claims"`` re-derives them from the claims.

    Raises
    ------
    ConflictError
        The incident is no longer at ``expected_version``; the message names who changed what.
    PermissionDenied, ValidationError, NotFound
    """
    _check_editable_fields(changes)
    require(user, "edit_draft")
    with edit(store, user, {uid: expected_version}) as unit:
        current = unit[uid]
        _check_edit_rights(user, current, changes, _effective_policy(unit.conn, policy))
        updated = _apply_changes(current, changes, reason, _named(unit.conn, uid))
        _raise_if_invalid([updated])
        diff = _diff(current.to_dict(with_claims=False), updated.to_dict(with_claims=False))
        if not diff:
            return current
        with links_kept(unit.conn, [updated]):
            unit.write(current, {k: getattr(updated, k) for k in diff})
        unit.audit(_audit_action(diff), uid, diff, reason)
        return unit.reload(uid)


def _check_editable_fields(changes: dict) -> None:
    refused = (set(changes) - set(INCIDENT_FIELDS)) | (set(changes) & _SYSTEM_FIELDS)
    if refused:
        raise ValidationError(f"these fields cannot be edited: {', '.join(sorted(refused))}")


def _audit_action(diff: dict) -> str:
    fields = set(diff) - {"version"}
    if fields == {"status"}:
        return "status"
    if fields == {"grading"}:
        return "grade"
    return "update"


def _named(conn: Connection, uid: str) -> NamedCounts:
    """The persons named in incident ``uid``: a floor for its derived figures (README, "How figures are derived")."""
    from incidents.services.victims_service import named_counts_of  # that module builds on this one

    return named_counts_of(conn, uid)


def _apply_changes(current: Incident, changes: dict, reason: str | None, named: NamedCounts) -> Incident:
    updated = replace(current, **changes)
    touched_figures = set(changes) & set(DERIVED_FIELDS)
    if changes.get("figures_rule") == "claims" or (updated.figures_rule == "claims" and not touched_figures):
        return replace(updated, figures_rule="claims", figures_reason=None,
                       **derive_figures(updated.claims, named).as_dict())
    if touched_figures:
        return replace(updated, figures_rule="editor", figures_reason=reason or changes.get("figures_reason"))
    return updated


def _check_edit_rights(user: User, current: Incident, changes: dict, policy: Policy) -> None:
    require(user, "edit_draft" if current.status == "draft" else "edit_any")
    if "status" in changes and changes["status"] != current.status:
        if changes["status"] not in _STATUS_ACTION:
            raise ValidationError(f"status must be one of {', '.join(_STATUS_ACTION)}; got {changes['status']!r}")
        require(user, _STATUS_ACTION[changes["status"]])
        if policy.four_eyes and changes["status"] in ("reviewed", "published") and current.created_by == user.name:
            raise PermissionDenied.said(f"refusals.four_eyes_{changes['status']}", user=user.name)
    if "grading" in changes and changes["grading"] != current.grading:
        require(user, "grade")


def set_status(store: Store, user: User, uid: str, status: str, *, expected_version: int,
               reason: str | None = None, policy: Policy | None = None) -> Incident:
    """Move an incident through draft → reviewed → published (or back to draft)."""
    return update_incident(store, user, uid, {"status": status}, expected_version=expected_version,
                           reason=reason, policy=policy)


def set_grading(store: Store, user: User, uid: str, grading: str, *, expected_version: int,
                reason: str | None = None) -> Incident:
    """Grade an incident (confirmed, fair, weak, contested, discounted, unassessed)."""
    return update_incident(store, user, uid, {"grading": grading}, expected_version=expected_version,
                           reason=reason)


# -- claims -----------------------------------------------------------------------------------------------


def add_claim(store: Store, user: User, uid: str, claim: Claim, *, reason: str | None = None,
              expected_version: int | None = None) -> Incident:
    """Attach a further source's claim to incident ``uid``; figures are re-derived under the stated rule.

    Earlier claims are never changed: conflicting figures stay side by side. Editors add claims to drafts;
    a claim on a reviewed or published incident (it may change published figures) needs a reviewer.

    Parameters
    ----------
    expected_version
        The incident's version when the user opened it; if it changed since, nothing is written and
        :class:`ConflictError` says what changed. None skips the check (the claim is added to whatever the
        incident is now, figures derived from all its claims).
    """
    require(user, "add_claim")
    now = utcnow()
    claim = replace(claim, incident_uid=uid, created_at=now, created_by=user.name)  # provenance: never from input
    problems = check_claim(claim)
    if problems:
        raise ValidationError.of(problems)
    with edit(store, user, {uid: expected_version}, now=now) as unit:
        current = unit[uid]
        require(user, "edit_draft" if current.status == "draft" else "edit_any")
        _insert_claim(unit.conn, claim, store.incident_id(unit.conn, uid))
        values: dict = {}
        if current.figures_rule == "claims":
            derived = derive_figures([*current.claims, claim], _named(unit.conn, uid)).as_dict()
            values = {k: v for k, v in derived.items() if getattr(current, k) != v}
        unit.write(current, values)
        changes: dict = {"claims": ([c.uid for c in current.claims], [c.uid for c in current.claims] + [claim.uid])}
        changes |= {k: (getattr(current, k), v) for k, v in values.items() if k in DERIVED_FIELDS}
        unit.audit("add_claim", uid, changes, reason)
        unit.audit("create", claim.uid, _claim_changes(claim), reason, entity="claim")
        return unit.reload(uid)


def _insert_claim(conn: Connection, claim: Claim, incident_row_id: int) -> None:
    try:
        with conn.begin_nested():
            Store.insert_claim(conn, claim, incident_row_id)
    except IntegrityError:
        raise ValidationError(f"a claim with id {claim.uid!r} is already stored; nothing was written") from None


# -- delete, restore, merge -------------------------------------------------------------------------------


def delete_incident(store: Store, user: User, uid: str, *, reason: str, expected_version: int | None = None) -> None:
    """Soft-delete an incident (admin): hidden everywhere, kept in the database, restorable.

    Raises
    ------
    ValidationError
        No reason was given, or the incident is already deleted.
    """
    require(user, "delete")
    if not (reason or "").strip():
        raise ValidationError("give a reason for deleting an incident: it stays in the audit log")
    _set_deleted(store, user, uid, deleted=True, reason=reason, expected_version=expected_version)


def restore_incident(store: Store, user: User, uid: str, *, reason: str | None = None,
                     expected_version: int | None = None) -> None:
    """Undo a soft delete (admin). An incident merged into another cannot be restored: its claims moved."""
    require(user, "restore")
    _set_deleted(store, user, uid, deleted=False, reason=reason, expected_version=expected_version)


def _set_deleted(store: Store, user: User, uid: str, *, deleted: bool, reason: str | None,
                 expected_version: int | None) -> None:
    with edit(store, user, {uid: expected_version}, include_deleted=True) as unit:
        current = unit[uid]
        if (current.deleted_at is not None) == deleted:
            raise ValidationError(f"incident {uid!r} is {'already deleted' if deleted else 'not deleted'}")
        merged_into = unit.conn.execute(select(schema.incidents.c.merged_into)
                                        .where(schema.incidents.c.uid == uid)).scalar()
        if not deleted and merged_into:
            raise ValidationError(f"incident {uid!r} was merged into {merged_into!r}, which now holds its claims; "
                                  "it cannot be restored on its own")
        deleted_at = unit.now if deleted else None
        with links_kept(unit.conn, [current]):  # a restored combined record may cover what another now covers
            unit.write(current, {"deleted_at": deleted_at, "deleted_by": user.name if deleted else None})
        unit.audit("delete" if deleted else "restore", uid, {"deleted_at": (current.deleted_at, deleted_at)}, reason)


def merge_incidents(store: Store, user: User, keep_uid: str, other_uid: str, *, reason: str,
                    keep_version: int | None = None, other_version: int | None = None) -> Incident:
    """Merge ``other_uid`` into ``keep_uid``: every claim moves over, the other is soft-deleted and points to it.

    The decision is recorded for the duplicate finder, and both incidents' audit trails (and each moved
    claim's) say what happened. ``keep_version``/``other_version``, when given, are checked as in
    :func:`update_incident`.
    """
    require(user, "merge")
    if keep_uid == other_uid:
        raise ValidationError("cannot merge an incident with itself")
    with edit(store, user, {keep_uid: keep_version, other_uid: other_version}) as unit:
        keep, other = unit[keep_uid], unit[other_uid]
        conn = unit.conn
        with links_kept(conn, [keep, other], lead="problems.merge_links_refused"):
            Store.move_claims(conn, store.incident_id(conn, other_uid), store.incident_id(conn, keep_uid))
            unit.write(other, {"deleted_at": unit.now, "deleted_by": user.name, "merged_into": keep_uid})
            _follow_merge(unit, other_uid, keep_uid)
            values = _merged_figures(conn, keep, other)
            unit.write(keep, values)
            _record_decision(conn, user, keep_uid, other_uid, "merged", reason)
            _audit_merge(unit, keep, other, values, reason)
            _repoint_covers(unit, other_uid, keep_uid)
        return unit.reload(keep_uid)


def _merged_figures(conn: Connection, keep: Incident, other: Incident) -> dict:
    """The figures ``keep`` takes from both sets of claims and the named victims (none under the editor's rule)."""
    if keep.figures_rule != "claims":
        return {}
    derived = derive_figures([*keep.claims, *other.claims], _named(conn, keep.uid))
    return {k: v for k, v in derived.as_dict().items() if getattr(keep, k) != v}


def _follow_merge(unit: Edit, old_uid: str, new_uid: str) -> None:
    """Incidents merged earlier into a merged-away incident now point to the one it went into: a merge is never
    more than one step, so their named victims (``merged_into`` of the victim's own incident) follow every later
    merge and keep counting in the figures."""
    table = schema.incidents
    earlier = unit.conn.execute(select(table.c.uid).where(table.c.merged_into == old_uid)).scalars().all()
    if not earlier:
        return
    unit.conn.execute(update(table).where(table.c.merged_into == old_uid).values(merged_into=new_uid))
    for uid in earlier:
        unit.audit("merge", uid, {"merged_into": (old_uid, new_uid)}, f"merged {old_uid} into {new_uid}",
                   version=False)


def _repoint_covers(unit: Edit, old_uid: str, new_uid: str) -> None:
    """Combined and cumulative records that covered a merged-away incident now cover the one it went into."""
    table = schema.incidents
    rows = unit.conn.execute(select(table.c.uid).where(table.c.record_kind.in_(("combined", "cumulative")),
                                                       table.c.covers.contains(old_uid))).scalars().all()
    for uid in rows:
        record = unit.reload(uid)
        covers = tuple(dict.fromkeys(new_uid if u == old_uid else u for u in record.covers if u))
        covers = tuple(u for u in covers if u != record.uid)
        if covers != record.covers:
            unit.write(record, {"covers": covers})
            unit.audit("update", uid, {"covers": [list(record.covers), list(covers)]},
                       f"merged {old_uid} into {new_uid}", version=False)


def _audit_merge(unit: Edit, keep: Incident, other: Incident, values: dict, reason: str | None) -> None:
    keep_changes: dict = {"claims": ([c.uid for c in keep.claims], [c.uid for c in [*keep.claims, *other.claims]]),
                          "merged_from": (None, other.uid)}
    keep_changes |= {k: (getattr(keep, k), v) for k, v in values.items() if k in DERIVED_FIELDS}
    unit.audit("merge", keep.uid, keep_changes, reason)
    unit.audit("merge", other.uid, {"merged_into": (None, keep.uid), "deleted_at": (None, unit.now)}, reason)
    for claim in other.claims:
        unit.audit("move", claim.uid, {"incident_uid": (other.uid, keep.uid)}, reason, entity="claim")


def mark_distinct(store: Store, user: User, uid_a: str, uid_b: str, *, reason: str | None = None) -> None:
    """Record that two incidents the duplicate finder paired are different events."""
    require(user, "mark_distinct")
    with writing(store.engine) as conn:
        store.incident_id(conn, uid_a), store.incident_id(conn, uid_b)  # both must exist
        _record_decision(conn, user, uid_a, uid_b, "distinct", reason)
        write_audit(conn, user, "mark_distinct", "incident", uid_a, {"distinct_from": (None, uid_b)}, reason)
        write_audit(conn, user, "mark_distinct", "incident", uid_b, {"distinct_from": (None, uid_a)}, reason)
        Store.bump_data_version(conn)


def _record_decision(conn: Connection, user: User, uid_a: str, uid_b: str, decision: str,
                     reason: str | None) -> None:
    first, second = sorted((uid_a, uid_b))
    table = schema.duplicate_decisions
    conn.execute(table.delete().where(table.c.uid_a == first, table.c.uid_b == second))
    conn.execute(insert(table), [{"uid_a": first, "uid_b": second, "decision": decision,
                                  "decided_by": user.name, "decided_at": utcnow(), "reason": reason}])


# -- places added by users --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPlace:
    """A place a user adds to the gazetteer, with the public source of its coordinates (``origin``)."""

    name_ar: str
    name_en: str
    lat: float
    lon: float
    kind: str
    origin: str
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    alt_names: tuple[str, ...] = ()
    id: str | None = None  # default: "user:" and a new random id


def check_place(place: NewPlace) -> list[str]:
    """Return what is wrong with ``place`` (empty if nothing), each as a sentence for the user."""
    problems = []
    if not (place.name_ar or "").strip() and not (place.name_en or "").strip():
        problems.append("give the place's Arabic or English name (or both)")
    if not isinstance(place.lat, int | float) or not -90 <= place.lat <= 90:
        problems.append(f"latitude must be a number from -90 to 90; got {place.lat!r}")
    if not isinstance(place.lon, int | float) or not -180 <= place.lon <= 180:
        problems.append(f"longitude must be a number from -180 to 180; got {place.lon!r}")
    if place.lat == 0 and place.lon == 0:
        problems.append("0, 0 is not a place in Deir ez-Zor: enter the place's real coordinates")
    if place.kind not in PLACE_KINDS:
        problems.append(f"kind must be one of {', '.join(PLACE_KINDS)}; got {place.kind!r}")
    if not (place.origin or "").strip():
        problems.append("origin is required: cite the public source of the coordinates")
    if place.id is not None and not place.id.startswith("user:"):
        problems.append(f"ids of added places start with 'user:'; got {place.id!r}")
    return problems


def add_place(store: Store, user: User, place: NewPlace, *, reason: str | None = None) -> str:
    """Add a place to the database's own gazetteer entries (editor); return its id.

    Raises
    ------
    ValidationError
        Something is missing or out of range, or the id is taken.
    """
    require(user, "add_place")
    problems = check_place(place)
    if problems:
        raise ValidationError("; ".join(problems))
    place_id = place.id or f"user:{new_uid()[:12]}"
    row = {"id": place_id, "name_ar": place.name_ar.strip(), "name_en": place.name_en.strip(),
           "alt_names": "|".join(n.strip() for n in place.alt_names if n.strip()), "lat": float(place.lat),
           "lon": float(place.lon), "kind": place.kind, "admin1": place.admin1, "admin2": place.admin2,
           "admin3": place.admin3, "origin": place.origin.strip(), "created_at": utcnow(), "created_by": user.name}
    with writing(store.engine) as conn:
        try:
            with conn.begin_nested():
                conn.execute(insert(schema.places_added), [row])
        except IntegrityError:
            raise ValidationError(f"a place with id {place_id!r} already exists") from None
        changes = {k: (None, v) for k, v in row.items() if k not in ("id", "created_at", "created_by") and v}
        write_audit(conn, user, "create", "place", place_id, changes, reason)
        Store.bump_data_version(conn)
    return place_id


def add_place_alias(store: Store, user: User, place_id: str, alias: str, *, reason: str | None = None) -> None:
    """Record another spelling of a place (editor), so the geocoder finds it under that name too.

    Raises
    ------
    ValidationError
        Empty alias or place id, or the place already has this alias.
    """
    require(user, "add_place")
    alias, place_id = (alias or "").strip(), (place_id or "").strip()
    if not alias or not place_id:
        raise ValidationError(f"give both a place id and an alias; got {place_id!r} and {alias!r}")
    if len(alias) > 200:
        raise ValidationError(f"an alias is a place name, at most 200 characters; got {len(alias)}")
    with writing(store.engine) as conn:
        try:
            with conn.begin_nested():
                conn.execute(insert(schema.place_aliases), [{"place_id": place_id, "alias": alias,
                                                              "created_at": utcnow(), "created_by": user.name}])
        except IntegrityError:
            raise ValidationError(f"{place_id} already has the alias {alias!r}") from None
        write_audit(conn, user, "add_alias", "place", place_id, {"alias": (None, alias)}, reason)
        Store.bump_data_version(conn)


def load_places_added(store: Store) -> list[dict]:
    """Return every place users added (rows of ``places_added``, ``alt_names`` as a tuple), by id."""
    table = schema.places_added
    columns = [c for c in table.c if c.name != "geom"]
    with store.engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(table.c.id)).mappings().all()
    return [{**row, "alt_names": tuple(n for n in row["alt_names"].split("|") if n)} for row in rows]


def load_place_aliases(store: Store) -> list[tuple[str, str]]:
    """Return every (place id, alias) users added, in the order they were added."""
    table = schema.place_aliases
    with store.engine.connect() as conn:
        return [(r.place_id, r.alias) for r in conn.execute(select(table.c.place_id, table.c.alias)
                                                            .order_by(table.c.id))]


# -- reading ----------------------------------------------------------------------------------------------


def load_incident(store: Store, user: User, uid: str) -> Incident:
    """Return incident ``uid`` if ``user`` may see it (viewers: published only); else :class:`NotFound`."""
    require(user, "read")
    incident = store.get_incident(uid)
    if incident.status != "published" and not user.sees_unpublished:
        raise NotFound(f"no incident with id {uid!r}")
    return incident


def list_deleted(store: Store, user: User) -> list[Incident]:
    """Return the soft-deleted incidents (admin, who may restore them), most recently deleted first."""
    require(user, "restore")
    deleted = [i for i in store.list_incidents(include_deleted=True) if i.deleted_at is not None]
    return sorted(deleted, key=lambda i: (i.deleted_at or datetime.min, i.uid), reverse=True)


def history(store: Store, uid: str, user: User | None = None) -> list[dict]:
    """Return the audit entries of one incident, of its claims, of incidents merged into it and of the files it
    was imported from (each file's one entry: name, SHA-256, mapping, counts), oldest first.

    Parameters
    ----------
    user
        When given, the reader: the trail names the researchers who entered and changed the record and keeps
        draft-stage values, so it is shown only to users who see unpublished records (editors and above, or
        viewers granted it). Callers showing history to a person must pass it.

    Raises
    ------
    PermissionDenied
        ``user`` may not see the trail.
    NotFound
        No such incident (deleted ones have a history too).
    """
    if user is not None and not user.sees_unpublished:
        raise PermissionDenied.said("refusals.history", user=user.name)
    table = schema.audit_log
    with store.engine.connect() as conn:
        incident = store.get_incident(uid, include_deleted=True, conn=conn)
        merged = conn.execute(select(schema.incidents.c.uid).where(schema.incidents.c.merged_into == uid)).scalars()
        ids = [uid, *[c.uid for c in incident.claims], *merged]
        rows = conn.execute(select(table).where(table.c.entity_uid.in_(ids)).order_by(table.c.id)).mappings()
        entries = [{**row, "changes": json.loads(row["changes"])} for row in rows]
        batches = {batch[1] for e in entries if e["action"] == "import" and isinstance(batch := e["changes"].get(
            "batch"), list) and len(batch) == 2 and isinstance(batch[1], str)}
        if batches:  # the entry of the file an incident was imported from (its name, SHA-256, mapping)
            found = conn.execute(select(table).where(table.c.entity == "import", table.c.entity_uid.in_(
                sorted(batches)))).mappings()
            entries += [{**row, "changes": json.loads(row["changes"])} for row in found]
            entries.sort(key=lambda e: e["id"])
        return entries


@dataclass(frozen=True)
class AuditQuery:
    """Which audit entries to read: every field optional; ``text`` matches the entity id or user name."""

    entity: str | None = None
    action: str | None = None
    user_name: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    entity_uid: str | None = None
    limit: int | None = None


def load_audit_log(store: Store, user: User, query: AuditQuery = AuditQuery()) -> list[dict]:
    """Return audit entries matching ``query``, newest first (admin: the log covers users and settings too)."""
    require(user, "manage_users")
    table = schema.audit_log
    statement = select(table).order_by(table.c.id.desc())
    for column, value in ((table.c.entity, query.entity), (table.c.action, query.action),
                          (table.c.user_name, query.user_name), (table.c.entity_uid, query.entity_uid)):
        if value:
            statement = statement.where(column == value)
    if query.since:
        statement = statement.where(table.c.at >= query.since)
    if query.until:
        statement = statement.where(table.c.at < query.until)
    if query.limit:
        statement = statement.limit(query.limit)
    with store.engine.connect() as conn:
        return [{**row, "changes": json.loads(row["changes"])} for row in conn.execute(statement).mappings()]


def export_audit_log(store: Store, user: User, fmt: str = "csv", query: AuditQuery = AuditQuery()) -> bytes:
    """Return the audit entries matching ``query``, oldest first, as CSV or JSON lines (admin).

    CSV keeps ``changes`` as its JSON text ({field: [old, new]}); JSON lines keep it as an object. JSON lines are
    the record as stored; in CSV, text that a spreadsheet could read as a formula starts with ``'``.
    """
    if fmt not in ("csv", "jsonl"):
        raise ValidationError(f"audit log export format must be csv or jsonl; got {fmt!r}")
    return format_audit_entries(list(reversed(load_audit_log(store, user, query))), fmt)


def format_audit_entries(entries: Sequence[dict], fmt: str = "csv") -> bytes:
    """Return audit entries (as :func:`history` or :func:`load_audit_log` give them) as CSV or JSON lines."""
    if fmt not in ("csv", "jsonl"):
        raise ValidationError(f"audit log export format must be csv or jsonl; got {fmt!r}")
    if fmt == "jsonl":
        lines = (json.dumps({k: jsonable(e[k]) for k in AUDIT_COLUMNS}, ensure_ascii=False) for e in entries)
        return "".join(line + "\n" for line in lines).encode("utf-8")
    return _audit_csv(entries)


def _audit_csv(entries: Iterable[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AUDIT_COLUMNS)
    for e in entries:
        cells = [e["id"], jsonable(e["at"]), e["user_name"], e["action"], e["entity"], e["entity_uid"],
                 json.dumps(e["changes"], ensure_ascii=False, sort_keys=True), e["reason"] or ""]
        writer.writerow([neutralise(c) for c in cells])  # entity_uid and reason come from users and files
    return out.getvalue().encode("utf-8")


# -- importing: new, updated, unchanged (#13) -------------------------------------------------------------

#: Fields an import compares and may change on an incident it made before (not stamps, not derived figures).
IMPORT_CONTENT_FIELDS = tuple(
    f for f in INCIDENT_FIELDS
    if f not in _SYSTEM_FIELDS | {*DERIVED_FIELDS, "figures_rule", "figures_reason"}
)
_CLAIM_IDENTITY = ("source_name", "quote", "source_kind", "url", "language", "published", "attribution", "actor",
                   "actor_certainty", "event_type", "date_start", "date_end", "killed_min", "killed_max",
                   "injured_min", "injured_max", "civilians", "children_killed", "women_killed", "note")


@dataclass
class ImportOutcome:
    """What :func:`import_records` did, by incident uid."""

    new: list[str]
    updated: list[str]
    unchanged: list[str]
    #: (row of the item — its position among the items when no rows were given —, uid) of items matching a
    #: deleted incident: left alone, never updated while hidden
    deleted: list[tuple[int | str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportBatch:
    """One imported file, as its audit entry names it: every incident the import creates points to it.

    The entry (action ``import``, entity ``import``, id :attr:`uid`) holds the file's name, SHA-256, format,
    column mapping and the counts; each new incident's own entry holds ``{"batch": [null, uid], "row": [null, N],
    "version": [null, 1]}`` — its values are version 1 of the record, and the row says where they came from.
    """

    uid: str
    file: str | None = None
    sha256: str | None = None
    format: str | None = None
    mapping: dict | None = None
    rows: int | None = None
    rejected: int = 0

    @classmethod
    def of_file(cls, data: bytes, name: str, fmt: str, mapping: dict | None, rows: int, rejected: int) -> ImportBatch:
        """Return the batch of one file's import (a new id; the file's SHA-256)."""
        return cls(new_uid(), name, hashlib.sha256(data).hexdigest(), fmt, mapping, rows, rejected)

    def changes(self, outcome: ImportOutcome) -> dict:
        """The batch entry's changes (field → (None, value))."""
        values = {"file": self.file, "sha256": self.sha256, "format": self.format, "mapping": self.mapping,
                  "rows": self.rows, "new": len(outcome.new), "updated": len(outcome.updated),
                  "unchanged": len(outcome.unchanged), "rejected": self.rejected}
        return {k: (None, v) for k, v in values.items() if v is not None}


def claim_identity(claim: Claim) -> tuple:
    """What makes two claims the same statement (everything but ids and stamps)."""
    return tuple(getattr(claim, name) for name in _CLAIM_IDENTITY)


def _stored_matches(conn: Connection, keys: Sequence[tuple[str, str | None, str | None]]) -> dict[int, str]:
    """Return, by position in ``keys`` (each item's uid, external source and code), the uid of the stored incident
    each one made before (same uid, or same external source and code); those incidents are locked."""
    table = schema.incidents
    if conn.execute(select(table.c.id).limit(1)).first() is None:
        return {}  # an empty store: everything is new
    by_uid: dict[str, str] = {}
    for chunk in _import_chunks(sorted({uid for uid, _, _ in keys})):
        by_uid.update({uid: uid for (uid,) in conn.execute(select(table.c.uid).where(table.c.uid.in_(chunk)))})
    by_code: dict[tuple[str, str], str] = {}
    codes: dict[str, set[str]] = {}
    for _, source, code in keys:
        if source and code:
            codes.setdefault(source, set()).add(code)
    for source, ids in codes.items():
        for chunk in _import_chunks(sorted(ids)):
            rows = conn.execute(select(table.c.external_id, table.c.uid).where(
                table.c.external_source == source, table.c.external_id.in_(chunk)))
            by_code.update({(source, code): uid for code, uid in rows})
    found = {}
    for index, (uid, source, code) in enumerate(keys):
        stored_uid = by_code.get((source or "", code or "")) or by_uid.get(uid)
        if stored_uid:
            found[index] = stored_uid
    if found:
        lock_incidents(conn, *set(found.values()))
    return found


def _unchanged_clean(store: Store, conn: Connection, clean: CleanRows, matched: dict[int, str],
                     compared: Sequence[str]) -> set[int]:
    """Return which clean rows (by place among them; ``matched`` gives each matched row's stored uid) would
    change nothing on their stored incident, decided on columns: what :func:`_merge_imported` finds empty, for
    a live incident. Any row not surely unchanged is left to the record-by-record comparison."""
    ats = sorted(matched)
    uids = [matched[at] for at in ats]
    names = [name for name in compared if name != "extra"]
    stored = store.stored_values(conn, uids, ["deleted_at", "extra", *names])
    mine = [encode_incident_value(name, [clean.incident[name][at] for at in ats]) for name in names]
    claims = store.stored_claim_values(conn, uids, _CLAIM_IDENTITY)
    own_claims = list(zip(*([clean.claim[name][at] for at in ats] for name in _CLAIM_IDENTITY), strict=True))
    extra_compared = "extra" in compared
    same = set()
    for k, (at, uid) in enumerate(zip(ats, uids, strict=True)):
        row = stored.get(uid)
        if row is None or row[0] is not None or own_claims[k] not in claims.get(uid, ()):
            continue
        if any(values[k] != row[2 + n] for n, values in enumerate(mine)):
            continue
        extra = clean.incident["extra"][at]
        if extra_compared and extra:
            held = json.loads(row[1]) if row[1] else {}
            if any(key not in held or held[key] != value for key, value in extra.items()):
                continue
        same.add(at)
    return same


def _prepare_imported(items: Sequence[Incident], user: User, now: datetime) -> list[Incident]:
    """Return new imported incidents ready to insert: :func:`prepare_new`'s stamps and derived figures (one
    place for the provenance rule)."""
    return [prepare_new(incident, user, now) for incident in items]


def prepare_new_rows(rows: CleanRows, user: User, now: datetime) -> CleanRows:
    """Return clean imported rows (kept as columns) ready to insert: what :func:`prepare_new` does to each
    record, column by column — stamped as entered by ``user`` now, the file's authors kept in ``imported_from``,
    figures derived from the row's claim (each distinct set of figures once)."""
    size = len(rows)
    incident = dict(rows.incident)
    claim = dict(rows.claim) | {"created_at": [now] * size, "created_by": [user.name] * size}
    incident["imported_from"] = [_claimed_authors(by, up) for by, up in zip(incident["created_by"],
                                                                          incident["updated_by"], strict=True)]
    incident |= {"created_at": [now] * size, "updated_at": [now] * size, "created_by": [user.name] * size,
                 "updated_by": [user.name] * size, "version": [1] * size}
    figures = list(zip(*(claim[name] for name in _FIGURE_INPUTS), strict=True))
    derived = {key: _derived_values(key) for key in set(figures)}
    columns = list(zip(*map(derived.__getitem__, figures), strict=True)) or [() for _ in DERIVED_FIELDS]
    incident |= dict(zip(DERIVED_FIELDS, map(list, columns), strict=True))
    return replace(rows, incident=incident, claim=claim)


def _derived_values(figures: tuple) -> tuple:
    """The derived figures (in :data:`DERIVED_FIELDS` order) of an incident whose one claim has ``figures``."""
    values = derive_figures([copy_with(_BLANK_CLAIM, **dict(zip(_FIGURE_INPUTS, figures, strict=True)))])
    return _DERIVED_CELLS(values)


#: A claim with nothing said, copied with each distinct set of figures (cheaper than building a claim each time).
_BLANK_CLAIM = Claim(source_name="", quote="", uid="")
_DERIVED_CELLS = operator.attrgetter(*DERIVED_FIELDS)


#: The claim's values :func:`incidents.domain.figures.derive_figures` reads.
_FIGURE_INPUTS = ("killed_min", "killed_max", "injured_min", "injured_max", "children_killed", "women_killed",
                  "civilians")


def _claimed_authors(created_by: str | None, updated_by: str | None) -> str | None:
    """:func:`_claimed_provenance` of a record whose file named at most its authors (no stamps, no version)."""
    if created_by is None and updated_by is None:
        return None
    own = {k: v for k, v in (("created_by", created_by), ("updated_by", updated_by)) if v is not None}
    return json.dumps(own, ensure_ascii=False, sort_keys=True)


def _insert_imported(store: Store, conn: Connection, user: User, new: _NewRecords, batch: ImportBatch,
                     reason: str | None, policy: Policy | None) -> list[str]:
    """Insert new imported incidents (records and clean rows, in file order) and one small audit entry each,
    pointing to the import's batch entry and to the row; return their uids."""
    require(user, "create")
    _check_new_statuses(conn, user, new.records, policy)
    if new.clean is not None:  # entry_problems reads only these two fields: each distinct pair once
        _check_new_statuses(conn, user, [Incident(grading=grading, status=status) for grading, status in set(zip(
            new.clean.incident["grading"], new.clean.incident["status"], strict=True))], policy)
    incidents, claims, owners, numbers = new.columns()
    try:
        with conn.begin_nested():
            store.insert_incident_columns(conn, incidents, claims, owners)
    except IntegrityError:
        raise ValidationError("an incident or claim with the same id or external code is already stored; "
                              "nothing was written") from None
    uids = list(incidents["uid"])
    if uids:
        pointer = '{"batch": [null, ' + json.dumps(batch.uid) + '], "row": [null, '
        insert_columns(conn, schema.audit_log, {
            "at": [utcnow()] * len(uids), "user_name": [user.name] * len(uids), "action": ["import"] * len(uids),
            "entity": ["incident"] * len(uids), "entity_uid": uids,
            "changes": [pointer + (str(number) if type(number) is int else json.dumps(number))
                        + '], "version": [null, 1]}' for number in numbers],
            "reason": [reason] * len(uids)})
        Store.bump_data_version(conn)
    return uids


@dataclass
class _NewRecords:
    """The new incidents of an import: prepared records (with their rows) and prepared clean rows (columns)."""

    records: list[Incident]
    rows: list[int | str | None]
    clean: CleanRows | None

    def columns(self) -> tuple[dict[str, list], dict[str, list], list[int], list[int | str | None]]:
        """(incident columns, claim columns, each claim's incident, each incident's row), in file order."""
        clean = self.clean
        if clean is not None and not self.records:  # the usual clean file: the columns as they are
            return clean.incident, clean.claim, list(range(len(clean))), list(clean.numbers)
        size = len(clean) if clean is not None else 0
        numbers = [*(clean.numbers if clean is not None else ()), *self.rows]
        order = sorted(range(len(numbers)), key=lambda i: numbers[i] if isinstance(numbers[i], int) else 0)
        place = {old: new for new, old in enumerate(order)}

        def combined(own: dict[str, list] | None, names: Iterable[str], of_records: list) -> dict[str, list]:
            return {name: [*(own[name] if own is not None else ()), *(getattr(r, name) for r in of_records)]
                    for name in names}

        claim_names = [name for name in CLAIM_FIELDS if name != "incident_uid"]
        incidents = combined(clean.incident if clean is not None else None, INCIDENT_FIELDS, self.records)
        incidents = {name: list(map(column.__getitem__, order)) for name, column in incidents.items()}
        record_claims = [(size + at, claim) for at, record in enumerate(self.records) for claim in record.claims]
        claims = combined(clean.claim if clean is not None else None, claim_names, [c for _, c in record_claims])
        owners = [place[at] for at in range(size)] + [place[at] for at, _ in record_claims]
        by_owner = sorted(range(len(owners)), key=owners.__getitem__)
        claims = {name: list(map(column.__getitem__, by_owner)) for name, column in claims.items()}
        return incidents, claims, [owners[k] for k in by_owner], [numbers[i] for i in order]


def _set_aside_unchanged(store: Store, conn: Connection, base: int, clean: CleanRows, found: dict[int, str],
                         compared: Sequence[str]) -> tuple[CleanRows, dict[int, str], list[tuple[int | str, str]]]:
    """Take the unchanged clean rows out (:func:`_unchanged_clean`; ``found`` holds clean rows at ``base + at``):
    return the clean rows left, ``found`` at their new places, and (row, uid) of each unchanged one."""
    matched = {index - base: uid for index, uid in found.items() if index >= base}
    same = _unchanged_clean(store, conn, clean, matched, compared)
    keep = [at not in same for at in range(len(clean))]
    place = {at: base + new for new, at in enumerate(itertools.compress(range(len(clean)), keep))}
    moved = {(index if index < base else place[index - base]): uid for index, uid in found.items()
             if index < base or index - base not in same}
    return clean.select(keep), moved, [(clean.numbers[at], matched[at]) for at in sorted(same)]


def _matched_as_records(items: list[Incident], numbers: list[int | str], clean: CleanRows,
                        matches: dict[int, Incident]) -> tuple[list[Incident], list[int | str], CleanRows,
                                                               dict[int, Incident]]:
    """Turn the clean rows that match stored incidents (keys ``len(items) + at``) into records appended to
    ``items``; return the items, their rows, the clean rows left and the matches by the new positions."""
    base = len(items)
    again = [at for at in range(len(clean)) if base + at in matches]
    remapped = {index: current for index, current in matches.items() if index < base}
    for place, at in enumerate(again):
        remapped[base + place] = matches[base + at]
    matched = set(again)
    return ([*items, *(clean.incident_at(at) for at in again)], [*numbers, *(clean.numbers[at] for at in again)],
            clean.select([at not in matched for at in range(len(clean))]), remapped)


def _import_chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _merge_imported(current: Incident, item: Incident, fields: Iterable[str]) -> tuple[dict, list[Claim]]:
    """Return (field → new value, claims to add) for ``item`` imported again onto ``current``."""
    values = {}
    for name in fields:
        new = getattr(item, name)
        if name == "extra":
            new = {**current.extra, **item.extra}
        if new != getattr(current, name):
            values[name] = new
    known = {claim_identity(c) for c in current.claims}
    added = []
    for claim in item.claims:
        if claim_identity(claim) not in known:
            known.add(claim_identity(claim))
            added.append(claim)
    return values, added


def import_records(store: Store, user: User, items: Sequence[Incident], *, fields: Iterable[str],
                   reason: str | None = None, policy: Policy | None = None,
                   rows: Sequence[int | str] | None = None, clean: CleanRows | None = None,
                   batch: ImportBatch | None = None) -> ImportOutcome:
    """Store imported incidents in one transaction: new ones are created, ones imported before are updated.

    An item is the same as a stored incident when it has the same uid (an export of this project imported
    back) or the same external source and code (an ACLED ``event_id_cnty``, a UCDP ``id``, a table's own id).
    Such an incident gets the values of ``fields`` (the fields the file fills) and every claim it does not
    already hold (claims are never removed); figures are re-derived under the stated rule. Nothing changed:
    it is unchanged and nothing is written for it. An item matching a deleted incident is left out (listed in
    ``deleted``): a hidden record is never updated behind the admin who deleted it, nor a second one added.

    Parameters
    ----------
    rows
        Each item's row in the file (recorded in its audit entry).
    clean
        More rows, kept as columns (:class:`incidents.io.fast.CleanRows`): new ones are written without an object
        per row; those matching a stored incident are compared and updated like items.
    batch
        The file: one audit entry for it, which each new incident's entry points to.

    Raises
    ------
    PermissionDenied, ValidationError
        As :func:`create_incidents` for new incidents and :func:`update_incident` for changed ones; nothing
        is written.
    """
    require(user, "import")
    compared = [f for f in fields if f in IMPORT_CONTENT_FIELDS]
    numbers: list[int | str] = list(rows) if rows is not None else list(range(len(items)))
    batch = batch or ImportBatch(new_uid())
    with writing(store.engine) as conn, links_kept(conn):
        keys = [(i.uid, i.external_source, i.external_id) for i in items]
        if clean is not None:
            keys += list(zip(clean.incident["uid"], clean.incident["external_source"], clean.incident["external_id"],
                             strict=True))
        found = _stored_matches(conn, keys)
        unchanged: list[tuple[int | str, str]] = []
        if clean is not None and found:  # clean rows made before: unchanged ones decided on columns
            clean, found, unchanged = _set_aside_unchanged(store, conn, len(items), clean, found, compared)
        loaded = {i.uid: i for i in store.list_incidents(sorted(set(found.values())), include_deleted=True)} \
            if found else {}
        matches = {index: loaded[uid] for index, uid in found.items() if uid in loaded}
        if clean is not None and matches:  # clean rows made before that may change: compared as records
            items, numbers, clean, matches = _matched_as_records(list(items), numbers, clean, matches)
        now = utcnow()
        fresh = [index for index in range(len(items)) if index not in matches]
        new = _NewRecords(_prepare_imported([items[i] for i in fresh], user, now), [numbers[i] for i in fresh],
                          prepare_new_rows(clean, user, now) if clean is not None and len(clean) else None)
        outcome = ImportOutcome(new=_insert_imported(store, conn, user, new, batch, reason, policy), updated=[],
                                unchanged=[])
        effective = _effective_policy(conn, policy)
        ordered = sorted([(numbers[index], index) for index in matches] + [(number, -1 - k) for k, (number, _) in
                                                                            enumerate(unchanged)],
                         key=lambda o: o[0] if isinstance(o[0], int) else 0)
        for _, index in ordered:
            if index < 0:
                outcome.unchanged.append(unchanged[-1 - index][1])
                continue
            current = matches[index]
            if current.deleted_at is not None:  # an admin hid it: restore it first (README, idempotency rule)
                outcome.deleted.append((numbers[index], current.uid))
                continue
            values, added = _merge_imported(current, items[index], compared)
            if not values and not added:
                outcome.unchanged.append(current.uid)
                continue
            _write_import_update(store, conn, user, current, values, added, reason, effective)
            outcome.updated.append(current.uid)
        if outcome.updated:
            Store.bump_data_version(conn)
        if outcome.new or outcome.updated:
            write_audit(conn, user, "import", "import", batch.uid, batch.changes(outcome), reason)
        return outcome


def _write_import_update(store: Store, conn: Connection, user: User, current: Incident, values: dict,
                         added: list[Claim], reason: str | None, policy: Policy) -> None:
    _check_edit_rights(user, current, values, policy)
    now = utcnow()
    claims = [copy_with(c, incident_uid=current.uid, created_at=now, created_by=user.name)  # provenance: ours
              for c in added]
    row_id = store.incident_id(conn, current.uid)
    for claim in claims:
        _insert_claim(conn, claim, row_id)
    updated = copy_with(current, **values, claims=[*current.claims, *claims])
    if updated.figures_rule == "claims":
        derived = derive_figures(updated.claims, _named(conn, current.uid))
        values |= {k: v for k, v in derived.as_dict().items() if getattr(current, k) != v}
    problems = check_incident(copy_with(updated, **values))
    if problems:
        raise ValidationError.of(problems, "problems.incident_uid", uid=current.uid)
    write_row(conn, current, {**values, "updated_at": now, "updated_by": user.name})
    diff: dict = {k: (getattr(current, k), v) for k, v in values.items()}
    if claims:
        diff["claims"] = ([c.uid for c in current.claims], [c.uid for c in updated.claims])
    diff["version"] = (current.version, current.version + 1)
    write_audit(conn, user, "import", "incident", current.uid, diff, reason)
