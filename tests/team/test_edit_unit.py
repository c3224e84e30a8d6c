"""The unit of work every incident edit runs in (:func:`incidents.storage.edits.edit`), on SQLite and PostgreSQL: it checks
the version the editor read, writes stamps and the version step, audits, bumps the data version only when
something was written, and rolls everything back on an error."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from incidents.domain.errors import ConflictError, NotFound
from incidents.domain.users import User
from incidents.storage import schema
from incidents.storage.edits import edit

from .conftest import SETUP_ADMIN, audit_count

EDITOR = User("editor-1", "editor")


def _audit_entries(store, uid: str) -> list[dict]:
    table = schema.audit_log
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.action, table.c.user_name, table.c.changes)
                            .where(table.c.entity_uid == uid).order_by(table.c.id)).all()
    return [{"action": r.action, "user": r.user_name, "changes": json.loads(r.changes)} for r in rows]


def test_an_edit_writes_stamps_the_version_step_and_an_audit_entry(seeded):
    store, draft = seeded.store, seeded.draft
    data_version = store.data_version()
    with edit(store, EDITOR, {draft.uid: draft.version}) as unit:
        unit.write(unit[draft.uid], {"target": "market"})
        unit.audit("update", draft.uid, {"target": (None, "market")}, "seen in a second report")
    stored = store.get_incident(draft.uid)
    assert (stored.target, stored.version, stored.updated_by) == ("market", draft.version + 1, "editor-1")
    assert stored.updated_at == unit.now
    assert _audit_entries(store, draft.uid)[-1] == {
        "action": "update", "user": "editor-1",
        "changes": {"target": [None, "market"], "version": [draft.version, draft.version + 1]}}
    assert store.data_version() == data_version + 1


def test_a_stale_version_is_a_conflict_naming_who_changed_what_and_nothing_is_written(seeded):
    store, draft = seeded.store, seeded.draft
    with edit(store, SETUP_ADMIN, {draft.uid: draft.version}) as unit:
        unit.write(unit[draft.uid], {"target": "bakery"})
        unit.audit("update", draft.uid, {"target": (None, "bakery")}, None)
    entries, data_version = audit_count(store), store.data_version()
    with pytest.raises(ConflictError, match=r"setup-admin changed this incident.*target: None → 'bakery'") as caught:
        with edit(store, EDITOR, {draft.uid: draft.version}) as unit:
            pytest.fail("the edit must not start on a stale version")
    assert caught.value.changed_by == "setup-admin"
    assert (audit_count(store), store.data_version()) == (entries, data_version)
    assert store.get_incident(draft.uid).target == "bakery"


def test_an_edit_that_writes_nothing_leaves_the_data_version(seeded):
    store = seeded.store
    data_version = store.data_version()
    with edit(store, EDITOR, {seeded.draft.uid: None}) as unit:
        assert unit[seeded.draft.uid].uid == seeded.draft.uid
    assert store.data_version() == data_version


def test_an_error_inside_the_edit_rolls_every_write_back(seeded):
    store, draft, spare = seeded.store, seeded.draft, seeded.spare
    entries, data_version = audit_count(store), store.data_version()
    with pytest.raises(RuntimeError, match="stop"):
        with edit(store, EDITOR, {draft.uid: draft.version, spare.uid: spare.version}) as unit:
            unit.write(unit[draft.uid], {"target": "school"})
            unit.write(unit[spare.uid], {"target": "school"})
            unit.audit("update", draft.uid, {"target": (None, "school")}, None)
            raise RuntimeError("stop")
    assert [store.get_incident(uid).target for uid in (draft.uid, spare.uid)] == [draft.target, spare.target]
    assert (audit_count(store), store.data_version()) == (entries, data_version)


def test_an_unknown_or_deleted_incident_is_not_found_unless_deleted_ones_are_asked_for(seeded):
    from incidents.services.service import delete_incident

    store, draft = seeded.store, seeded.draft
    with pytest.raises(NotFound):
        with edit(store, EDITOR, {"no-such-incident": None}):
            pass
    delete_incident(store, SETUP_ADMIN, draft.uid, reason="entered twice")
    with pytest.raises(NotFound):
        with edit(store, EDITOR, {draft.uid: None}):
            pass
    with edit(store, SETUP_ADMIN, {draft.uid: None}, include_deleted=True) as unit:
        assert unit[draft.uid].deleted_at is not None


def test_an_audit_entry_for_a_record_not_written_or_of_another_kind_has_no_version_step(seeded):
    store, draft = seeded.store, seeded.draft
    with edit(store, EDITOR, {draft.uid: None}) as unit:
        unit.write(unit[draft.uid], {"target": "well"})
        unit.audit("update", draft.uid, {"target": (None, "well")}, None, version=False)
        unit.audit("note", "claim-x", {"note": (None, "n")}, None, entity="claim")
    assert "version" not in _audit_entries(store, draft.uid)[-1]["changes"]
    assert "version" not in _audit_entries(store, "claim-x")[-1]["changes"]
