"""Every read and write of named victims (#18): permission, privacy, validation, audit, optimistic locking.

Writes follow :mod:`incidents.services.service`: editors add, edit, link, withhold and delete victims of draft incidents,
reviewers of any incident; each write is audited (entity ``victim``) in its transaction and succeeds only if the
mention is still at the version the editor read (:class:`~incidents.domain.errors.ConflictError` otherwise).

Privacy: names are visible to editors and above; to viewers only where an admin allows it (a setting stored in
the database, :func:`set_viewers_see_names`). Every read of a victims list — a view, a search, an export — is
written to the audit log (entity ``victims``) with who read it and whether names were shown. A name withheld at
a family's request is removed from every read and export, whoever asks; only the edit path reveals it, to those
who may edit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select

from incidents.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from incidents.domain.figures import DERIVED_FIELDS, NamedCounts, derive_figures
from incidents.domain.users import User, require
from incidents.domain.victims import (
    EDITABLE_FIELDS,
    Victim,
    check_victim,
    complete,
    count_named,
    masked,
    matches_name,
    name_key,
    summarise_named,
)
from incidents.storage import schema
from incidents.storage.audit import write_audit
from incidents.storage.edits import lock_incidents, write_row
from incidents.storage.engine import writing
from incidents.storage.store import Store, utcnow

VIEWERS_SEE_NAMES_KEY = "privacy.viewers_see_names"
_ROW_FIELDS = ("uid", "person_uid", "name_ar", "name_en", "age", "age_group", "sex", "outcome", "status",
               "relation", "source_name", "quote", "claim_uid", "withhold_name", "version", "created_at",
               "created_by", "updated_at", "updated_by")


# -- privacy setting --------------------------------------------------------------------------------------


def viewers_see_names(store: Store) -> bool:
    """Whether an admin allowed viewers to see victims' names in this database (off by default)."""
    return store.get_meta(VIEWERS_SEE_NAMES_KEY) == "1"


def may_see_names(store: Store, user: User) -> bool:
    """Whether ``user`` may see victims' names: editors and above; viewers only where an admin allows it."""
    return user.can("create") or viewers_see_names(store)


def set_viewers_see_names(store: Store, user: User, enabled: bool, *, reason: str | None = None) -> None:
    """Allow (or stop allowing) viewers to see victims' names (admin only; audited)."""
    require(user, "manage_users")
    table = schema.store_meta
    with writing(store.engine) as conn:
        old = conn.execute(select(table.c.value).where(table.c.key == VIEWERS_SEE_NAMES_KEY)).scalar()
        new = "1" if enabled else "0"
        if old == new:
            return
        if old is None:
            conn.execute(insert(table), [{"key": VIEWERS_SEE_NAMES_KEY, "value": new}])
        else:
            conn.execute(table.update().where(table.c.key == VIEWERS_SEE_NAMES_KEY).values(value=new))
        write_audit(conn, user, "set_policy", "settings", "viewers_see_names",
                    {"viewers_see_names": (old == "1", enabled)}, reason)
        Store.bump_data_version(conn)


# -- rows -------------------------------------------------------------------------------------------------


def _victim_from_row(row: Any) -> Victim:
    return Victim(incident_uid=row["incident_uid"], **{k: row[k] for k in _ROW_FIELDS})


#: The incident a mention belongs to: the one its incident was merged into, if it was (mentions follow a merge).
_OWNER = func.coalesce(schema.incidents.c.merged_into, schema.incidents.c.uid)


def _select_victims():
    table = schema.victims
    return (select(table, _OWNER.label("incident_uid"))
            .join(schema.incidents, schema.incidents.c.id == table.c.incident_id)
            .where(table.c.deleted_at.is_(None)).order_by(table.c.id))


def _get_victim(conn: Connection, uid: str) -> Victim:
    row = conn.execute(_select_victims().where(schema.victims.c.uid == uid)).mappings().first()
    if row is None:
        raise NotFound(f"no victim with id {uid!r}")
    return _victim_from_row(row)


def _victims_of(conn: Connection, incident_uids: Sequence[str] | None) -> list[Victim]:
    query = _select_victims()
    if incident_uids is not None:
        query = query.where(_OWNER.in_(list(incident_uids)))
    return [_victim_from_row(r) for r in conn.execute(query).mappings()]


def named_counts_of(conn: Connection, incident_uid: str) -> NamedCounts:
    """Count the persons named in incident ``incident_uid`` (the floor its figures honour; no names are read
    out, so this is not audited as a read of the list)."""
    return count_named(_victims_of(conn, [incident_uid]))


def rederive_figures(store: Store, conn: Connection, user: User, incident_uid: str, reason: str | None) -> None:
    """Re-derive the figures of ``incident_uid`` (locked by the caller) from its claims and named victims.

    Under the rule "claims" a change is written like any figure change: the incident's version goes up (an
    editor holding the old version gets a conflict) and the change is audited (action ``derive``). Figures an
    editor set by hand are left as they are (the detail view and the review list flag them when below the
    named count).
    """
    incident = store.get_incident(incident_uid, conn=conn)
    if incident.figures_rule != "claims":
        return
    derived = derive_figures(incident.claims, named_counts_of(conn, incident_uid)) if incident.claims else None
    values = {k: v for k, v in (derived.as_dict() if derived else {}).items()
              if k in DERIVED_FIELDS and getattr(incident, k) != v}
    if not values:
        return
    write_row(conn, incident, values | {"updated_at": utcnow(), "updated_by": user.name})
    diff = {k: (getattr(incident, k), v) for k, v in values.items()} | {
        "version": (incident.version, incident.version + 1)}
    write_audit(conn, user, "derive", "incident", incident_uid, diff, reason or "named victims changed")


def _row_of(victim: Victim, incident_row_id: int) -> dict:
    values = {k: getattr(victim, k) for k in _ROW_FIELDS}
    return values | {"incident_id": incident_row_id, "person_uid": victim.person, "name_key": name_key(victim)}


# -- writing ----------------------------------------------------------------------------------------------


def _checked(victim: Victim) -> Victim:
    victim = complete(victim)
    problems = check_victim(victim)
    if problems:
        raise ValidationError(f"victim {victim.name_en or victim.name_ar or victim.uid}: " + "; ".join(problems))
    return victim


def _require_edit(store: Store, conn: Connection, user: User, incident_uid: str) -> int:
    """Lock the incident, check the user may edit it; return its row id."""
    lock_incidents(conn, incident_uid)
    incident = store.get_incident(incident_uid, conn=conn)
    require(user, "edit_draft" if incident.status == "draft" else "edit_any")
    return store.incident_id(conn, incident_uid)


def add_victims(store: Store, user: User, items: Sequence[Victim], *, reason: str | None = None,
                action: str = "create") -> list[Victim]:
    """Validate and store named victims (mentions); return them as stored.

    Raises
    ------
    PermissionDenied
        Below editor, or the incident is reviewed or published and the user is below reviewer.
    ValidationError
        A mention breaks a rule (the message names it and the field); nothing is written.
    NotFound
        An incident does not exist.
    """
    require(user, "edit_draft")
    now = utcnow()
    prepared = [replace(_checked(v), person_uid=v.person, version=1, created_at=now, created_by=user.name,
                        updated_at=now, updated_by=user.name) for v in items]
    with writing(store.engine) as conn:
        row_ids = {uid: _require_edit(store, conn, user, uid) for uid in sorted({v.incident_uid for v in prepared})}
        for victim in prepared:
            conn.execute(insert(schema.victims), [_row_of(victim, row_ids[victim.incident_uid])])
            changes = {k: (None, v) for k, v in victim.to_dict().items() if v not in (None, "", False)}
            write_audit(conn, user, action, "victim", victim.uid, changes, reason)
        for uid in row_ids:
            rederive_figures(store, conn, user, uid, reason)
        Store.bump_data_version(conn)
    return prepared


def add_victim(store: Store, user: User, victim: Victim, *, reason: str | None = None) -> Victim:
    """Store one named victim (see :func:`add_victims`)."""
    return add_victims(store, user, [victim], reason=reason)[0]


def update_victim(store: Store, user: User, uid: str, changes: dict, *, expected_version: int,
                  reason: str | None = None) -> Victim:
    """Apply ``changes`` (field → new value) to mention ``uid`` if nobody changed it since ``expected_version``.

    Raises
    ------
    ConflictError
        The mention is no longer at ``expected_version``; nothing is written.
    ValidationError
        An unknown or system field, or the result breaks a rule.
    """
    refused = set(changes) - set(EDITABLE_FIELDS)
    if refused:
        raise ValidationError(f"these victim fields cannot be edited: {', '.join(sorted(refused))}")
    require(user, "edit_draft")
    with writing(store.engine) as conn:
        current = _get_victim(conn, uid)
        _require_edit(store, conn, user, current.incident_uid)
        current = _get_victim(conn, uid)  # read again under the lock
        _check_version(current, expected_version)
        updated = _checked(replace(current, **changes))
        diff = {k: (getattr(current, k), getattr(updated, k)) for k in EDITABLE_FIELDS
                if getattr(current, k) != getattr(updated, k)}
        if not diff:
            return current
        updated = replace(updated, version=current.version + 1, updated_at=utcnow(), updated_by=user.name)
        _write(conn, updated, current.version)
        diff["version"] = (current.version, updated.version)
        write_audit(conn, user, _action(diff), "victim", uid, diff, reason)
        rederive_figures(store, conn, user, current.incident_uid, reason)
        Store.bump_data_version(conn)
        return updated


def _action(diff: dict) -> str:
    fields = set(diff) - {"version"}
    if fields == {"withhold_name"}:
        return "withhold_name"
    if fields == {"person_uid"}:
        return "link"
    return "update"


def _check_version(current: Victim, expected_version: int) -> None:
    if current.version != expected_version:
        raise ConflictError(
            f"{current.updated_by or 'another user'} changed this victim entry since you opened it (it is now at "
            f"version {current.version}, you had version {expected_version}). Nothing was saved; reload and apply "
            "your change again.", current=current.to_dict(), changed_by=current.updated_by or "another user",
        )


def _write(conn: Connection, victim: Victim, expected_version: int) -> None:
    table = schema.victims
    values = {k: getattr(victim, k) for k in EDITABLE_FIELDS} | {
        "person_uid": victim.person, "name_key": name_key(victim), "version": victim.version,
        "updated_at": victim.updated_at, "updated_by": victim.updated_by}
    done = conn.execute(table.update().where(table.c.uid == victim.uid, table.c.version == expected_version)
                        .values(**values))
    if done.rowcount != 1:  # pragma: no cover - the incident row is locked
        raise ConflictError(f"victim {victim.uid} changed while it was being written; nothing was saved")


def withhold_name(store: Store, user: User, uid: str, withhold: bool = True, *, expected_version: int,
                  reason: str | None = None) -> Victim:
    """Withhold (or show again) a victim's name at the family's request; it then reads "name withheld"."""
    return update_victim(store, user, uid, {"withhold_name": withhold}, expected_version=expected_version,
                         reason=reason)


def link_mentions(store: Store, user: User, uid: str, same_as: str, *, expected_version: int,
                  reason: str | None = None) -> Victim:
    """Record that mention ``uid`` names the same person as mention ``same_as`` (both kept, counted once)."""
    with store.engine.connect() as conn:
        other = _get_victim(conn, same_as)
    return update_victim(store, user, uid, {"person_uid": other.person}, expected_version=expected_version,
                         reason=reason)


def delete_victim(store: Store, user: User, uid: str, *, expected_version: int, reason: str | None = None) -> None:
    """Remove a mention entered by mistake (soft delete: the audit log keeps what it held)."""
    require(user, "edit_draft")
    with writing(store.engine) as conn:
        current = _get_victim(conn, uid)
        _require_edit(store, conn, user, current.incident_uid)
        _check_version(current, expected_version)
        now = utcnow()
        table = schema.victims
        conn.execute(table.update().where(table.c.uid == uid).values(
            deleted_at=now, deleted_by=user.name, version=current.version + 1, updated_at=now, updated_by=user.name))
        write_audit(conn, user, "delete", "victim", uid, {"deleted_at": (None, now),
                                                          "version": (current.version, current.version + 1)}, reason)
        rederive_figures(store, conn, user, current.incident_uid, reason)
        Store.bump_data_version(conn)


# -- reading (always audited) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VictimList:
    """Victims as a reader receives them: names removed where the reader may not see them."""

    victims: list[Victim]
    names_visible: bool


def _audit_read(conn: Connection, user: User, entity_uid: str, count: int, names: bool, purpose: str) -> None:
    write_audit(conn, user, f"{purpose}_victims", "victims", entity_uid, {"victims": (None, count),
                                                                        "names_shown": (None, names)})


def load_victims(store: Store, user: User, incident_uid: str, *, purpose: str = "view",
                 for_edit: bool = False) -> VictimList:
    """Return the victims of one incident for ``user``, and record the read in the audit log.

    Parameters
    ----------
    for_edit
        The editing form: withheld names are returned to users who may edit the incident (so they can be
        corrected); refused below editor.

    Raises
    ------
    NotFound
        No such incident, or a viewer asks for an unpublished one.
    """
    require(user, "read")
    if for_edit:
        require(user, "edit_draft")
    names = may_see_names(store, user)
    with writing(store.engine) as conn:
        incident = store.get_incident(incident_uid, conn=conn)
        if incident.status != "published" and not user.sees_unpublished:
            raise NotFound(f"no incident with id {incident_uid!r}")
        victims = _victims_of(conn, [incident_uid])
        _audit_read(conn, user, incident_uid, len(victims), names, purpose)
    return VictimList(victims if for_edit else masked(victims, names), names)


def load_victims_of(store: Store, user: User, incident_uids: Sequence[str], *, purpose: str = "view",
                    include_names: bool = False) -> VictimList:
    """Return the victims of several incidents (place profile, export); names only when asked for and allowed.

    Raises
    ------
    PermissionDenied
        Names asked for by a user who may not see them.
    """
    require(user, "read")
    if include_names and not may_see_names(store, user):
        raise PermissionDenied.said("refusals.victim_names", user=user.name)
    visible = _visible_uids(store, user, incident_uids)
    with writing(store.engine) as conn:
        victims = _victims_of(conn, visible) if visible else []
        _audit_read(conn, user, ",".join(visible)[:64] or "-", len(victims), include_names, purpose)
    return VictimList(masked(victims, include_names), include_names)


def _visible_uids(store: Store, user: User, incident_uids: Sequence[str]) -> list[str]:
    if user.sees_unpublished:
        return list(incident_uids)
    return [i.uid for i in store.list_incidents(list(incident_uids)) if i.status == "published"]


@dataclass(frozen=True)
class PersonHit:
    """One mention found by a person search, with the incident it belongs to."""

    victim: Victim
    incident_uid: str
    place: str
    day: date | None


def search_people(store: Store, user: User, query: str, *, limit: int = 100) -> list[PersonHit]:
    """Find named victims across incidents whose name matches ``query`` (Arabic spelling variants folded as
    for places; every word of the query begins a word of the name; the article al-/ال is ignored).

    Withheld names are never searched. The search is audited.

    Raises
    ------
    PermissionDenied
        The user may not see names.
    """
    require(user, "read")
    if not may_see_names(store, user):
        raise PermissionDenied.said("refusals.victim_search", user=user.name)
    table = schema.victims
    with writing(store.engine) as conn:
        rows = conn.execute(_select_victims().where(table.c.withhold_name.is_(False))).mappings().all()
        found = [_victim_from_row(r) for r in rows if matches_name(query, r["name_key"])]
        write_audit(conn, user, "search_victims", "victims", "search", {"query": (None, query),
                                                                         "found": (None, len(found))})
    incidents = {i.uid: i for i in store.list_incidents(sorted({v.incident_uid for v in found}))}
    hits = []
    for victim in found:
        incident = incidents.get(victim.incident_uid)
        if incident is None or (incident.status != "published" and not user.sees_unpublished):
            continue
        hits.append(PersonHit(victim, incident.uid, incident.place_name_en or incident.place_text or "",
                              incident.date_start))
    return hits[:limit]


@dataclass(frozen=True)
class NamedFlag:
    """An incident whose named victims ask for a review of its figures.

    ``reason`` is "exceeds_sources" (more persons named as killed than every source's toll; ``figure`` is the
    highest toll) or "editor_below_named" (figures set by hand below the named count; ``figure`` is the
    editor's minimum).
    """

    incident_uid: str
    place: str
    killed_named: int
    figure: int  # the figure the named count is above
    reason: str = "exceeds_sources"


def flag_named_lists(store: Store, user: User) -> list[NamedFlag]:
    """Return the incidents (that ``user`` may see) whose named victims ask for a review: more persons named as
    killed than any source's toll, or figures set by an editor below the named count. Counts only: no names
    are read out, so this is not audited as a read of a list."""
    require(user, "read")
    with store.engine.connect() as conn:
        victims = _victims_of(conn, None)
    by_incident: dict[str, list[Victim]] = {}
    for victim in victims:
        by_incident.setdefault(victim.incident_uid, []).append(victim)
    flags = []
    for incident in store.list_incidents(sorted(by_incident)):
        if incident.status != "published" and not user.sees_unpublished:
            continue
        summary = summarise_named(incident, by_incident[incident.uid])
        place = incident.place_name_en or incident.place_text or ""
        if summary.exceeds_sources:
            tolls = [c.killed_max if c.killed_max is not None else c.killed_min for c in incident.claims]
            flags.append(NamedFlag(incident.uid, place, summary.killed_named,
                                   max((n for n in tolls if n is not None), default=0)))
        if summary.below_named:
            flags.append(NamedFlag(incident.uid, place, summary.killed_named, incident.killed_min or 0,
                                   "editor_below_named"))
    return flags


def victim_history(store: Store, user: User, incident_uid: str) -> list[dict]:
    """Return the audit entries of an incident's named victims (writes, and reads of its list), oldest first.

    Editors and above only: the entries hold the names as entered, withheld ones included.
    """
    require(user, "edit_draft")
    table, victims = schema.audit_log, schema.victims
    with store.engine.connect() as conn:
        uids = conn.execute(select(victims.c.uid).join(schema.incidents, schema.incidents.c.id == victims.c.incident_id)
                            .where(_OWNER == incident_uid)).scalars().all()
        rows = conn.execute(select(table).where(
            ((table.c.entity == "victim") & table.c.entity_uid.in_(list(uids)))
            | ((table.c.entity == "victims") & (table.c.entity_uid == incident_uid))).order_by(table.c.id)).mappings()
        return [{**row, "changes": json.loads(row["changes"])} for row in rows]
