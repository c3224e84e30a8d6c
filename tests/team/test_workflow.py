"""Review workflow, audit trail, optimistic locking, soft delete and restore, merges, added places — on SQLite
and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from incidents.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from incidents.domain.records import Claim
from incidents.domain.users import User
from incidents.services import service
from incidents.services.service import NewPlace, Policy

EDITOR = User("editor-1", "editor")
REVIEWER = User("reviewer-1", "reviewer")
REVIEWER2 = User("reviewer-2", "reviewer")
ADMIN = User("admin-1", "admin")


# -- four eyes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("four_eyes", [False, True])
@pytest.mark.parametrize("status", ["reviewed", "published"])
def test_four_eyes_stops_a_reviewer_reviewing_their_own_entry(empty_store, incident_factory, four_eyes, status):
    (mine,) = service.create_incidents(empty_store, REVIEWER, [incident_factory()])
    review = lambda: service.set_status(empty_store, REVIEWER, mine.uid, status,  # noqa: E731
                                        expected_version=mine.version, policy=Policy(four_eyes=four_eyes))
    if four_eyes:
        with pytest.raises(PermissionDenied, match="four-eyes") as refused:
            review()
        arabic = refused.value.localised("ar")  # an Arabic interface says it in Arabic, naming the reviewer
        assert "قاعدة المراجعة المزدوجة" in arabic and REVIEWER.name in arabic and "four-eyes" not in arabic
        done = service.set_status(empty_store, REVIEWER2, mine.uid, status, expected_version=mine.version,
                                  policy=Policy(four_eyes=True))
        assert done.status == status
    else:
        assert review().status == status


def test_four_eyes_stored_in_the_database_applies_to_callers_that_pass_no_policy(empty_store, incident_factory):
    service.set_four_eyes(empty_store, ADMIN, True, reason="team decision")
    assert service.load_policy(empty_store).four_eyes
    (mine,) = service.create_incidents(empty_store, REVIEWER, [incident_factory()])
    with pytest.raises(PermissionDenied, match="four-eyes"):
        service.set_status(empty_store, REVIEWER, mine.uid, "published", expected_version=mine.version)
    with pytest.raises(PermissionDenied, match="four-eyes"):  # nor can it be entered as published
        service.create_incidents(empty_store, REVIEWER, [incident_factory(status="published")])
    entry = service.load_audit_log(empty_store, ADMIN, service.AuditQuery(entity="settings"))[0]
    assert entry["changes"] == {"four_eyes": [False, True]} and entry["reason"] == "team decision"


def test_workflow_draft_reviewed_published(empty_store, incident_factory):
    (draft,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    reviewed = service.set_status(empty_store, REVIEWER, draft.uid, "reviewed", expected_version=draft.version,
                                  policy=Policy(four_eyes=True))
    published = service.set_status(empty_store, REVIEWER2, draft.uid, "published",
                                   expected_version=reviewed.version, policy=Policy(four_eyes=True))
    assert (draft.status, reviewed.status, published.status) == ("draft", "reviewed", "published")
    actions = [e["action"] for e in service.history(empty_store, draft.uid, ADMIN)]
    assert actions == ["create", "status", "status"]


# -- audit ------------------------------------------------------------------------------------------------


def test_audit_records_old_and_new_values_who_and_why(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()], reason="entered from report")
    service.update_incident(empty_store, EDITOR, incident.uid, {"target": "market", "description": "Strike on a market"},
                            expected_version=incident.version, reason="read the second paragraph")
    trail = service.history(empty_store, incident.uid, EDITOR)
    created, updated = trail[0], trail[-1]
    assert created["action"] == "create" and created["changes"]["place_text"] == [None, "Hajin"]
    assert created["reason"] == "entered from report"
    assert updated["user_name"] == "editor-1" and updated["reason"] == "read the second paragraph"
    assert updated["changes"]["target"] == [None, "market"]
    assert updated["changes"]["description"] == [None, "Strike on a market"]
    assert updated["changes"]["version"] == [1, 2]
    assert updated["at"] is not None


def test_audit_of_figures_set_by_hand_and_grading(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    edited = service.update_incident(empty_store, EDITOR, incident.uid, {"killed_min": 4, "killed_max": 7},
                                     expected_version=incident.version, reason="hospital list")
    graded = service.set_grading(empty_store, REVIEWER, incident.uid, "fair", expected_version=edited.version,
                                 reason="two independent sources")
    trail = service.history(empty_store, incident.uid, EDITOR)
    figures, grade = trail[-2], trail[-1]
    assert figures["changes"]["killed_min"] == [3, 4] and figures["changes"]["killed_max"] == [3, 7]
    assert figures["changes"]["figures_rule"] == ["claims", "editor"]
    assert grade["action"] == "grade" and grade["changes"]["grading"] == ["unassessed", "fair"]
    assert graded.version == 3


def test_audit_covers_claims_places_aliases_and_users(empty_store, incident_factory, count_audit):
    from incidents.services import accounts

    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    claim = Claim(source_name="Other source (synthetic)", quote="Synthetic.", killed_min=5, killed_max=9,
                  civilians="yes")
    after = service.add_claim(empty_store, EDITOR, incident.uid, claim, expected_version=1, reason="second report")
    assert (after.killed_min, after.killed_max, after.version) == (3, 9, 2)
    place_id = service.add_place(empty_store, EDITOR, NewPlace(
        name_ar="الحسرات", name_en="Al-Hasrat", lat=34.91, lon=40.59, kind="village", origin="OSM node (synthetic)"))
    service.add_place_alias(empty_store, EDITOR, place_id, "Hasrat")
    accounts.add_user(empty_store, None, "boss", "admin", "a long enough password")
    trail = service.history(empty_store, incident.uid, EDITOR)
    assert [e["action"] for e in trail] == ["create", "add_claim", "create"]
    assert trail[1]["changes"]["killed_max"] == [3, 9] and trail[2]["entity"] == "claim"
    log = service.load_audit_log(empty_store, ADMIN)
    kinds = {(e["entity"], e["action"], e["entity_uid"]) for e in log}
    assert ("place", "create", place_id) in kinds and ("place", "add_alias", place_id) in kinds
    assert ("user", "create", "boss") in kinds
    assert "password_hash" not in json.dumps([e["changes"] for e in log])
    assert service.load_places_added(empty_store)[0]["name_en"] == "Al-Hasrat"
    assert service.load_place_aliases(empty_store) == [(place_id, "Hasrat")]


def test_audit_log_is_append_only_in_the_database(empty_store, incident_factory):
    service.create_incidents(empty_store, EDITOR, [incident_factory()])
    for statement in ("UPDATE audit_log SET user_name = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), empty_store.engine.begin() as conn:
            conn.execute(text(statement))
    if empty_store.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), empty_store.engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_log"))


def test_audit_export_csv_and_jsonl(empty_store, incident_factory):
    service.create_incidents(empty_store, EDITOR, [incident_factory(description="قصف على \"السوق\", 3 قتلى")])
    csv_text = service.export_audit_log(empty_store, ADMIN, "csv").decode("utf-8")
    assert csv_text.splitlines()[0] == ",".join(service.AUDIT_COLUMNS)
    assert "السوق" in csv_text
    lines = service.export_audit_log(empty_store, ADMIN, "jsonl").decode("utf-8").splitlines()
    entry = json.loads(lines[0])
    assert entry["changes"]["description"][1] == "قصف على \"السوق\", 3 قتلى"
    with pytest.raises(ValidationError):
        service.export_audit_log(empty_store, ADMIN, "xml")


# -- optimistic locking -----------------------------------------------------------------------------------


def test_second_of_two_conflicting_edits_is_refused_and_shown_the_other_change(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    alice, bob = User("alice", "editor"), User("bob", "editor")
    service.update_incident(empty_store, alice, incident.uid, {"target": "bakery"}, expected_version=1)
    with pytest.raises(ConflictError) as caught:
        service.update_incident(empty_store, bob, incident.uid, {"target": "school"}, expected_version=1)
    message = str(caught.value)
    assert "alice" in message and "'bakery'" in message and "Nothing was saved" in message
    assert caught.value.changed_by == "alice" and caught.value.current["target"] == "bakery"
    stored = empty_store.get_incident(incident.uid)
    assert (stored.target, stored.version) == ("bakery", 2)


def test_conflict_lists_every_change_since_the_version_read(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    service.update_incident(empty_store, User("alice", "editor"), incident.uid, {"target": "bakery"}, expected_version=1)
    service.update_incident(empty_store, User("carol", "editor"), incident.uid, {"description": "x"}, expected_version=2)
    with pytest.raises(ConflictError) as caught:
        service.update_incident(empty_store, EDITOR, incident.uid, {"target": "school"}, expected_version=1)
    assert "alice" in str(caught.value) and "carol" in str(caught.value) and "bakery" in str(caught.value)


def test_add_claim_honours_optimistic_locking(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    service.update_incident(empty_store, User("alice", "editor"), incident.uid, {"target": "bakery"}, expected_version=1)
    claim = Claim(source_name="Late source", quote="Synthetic.", killed_min=50, civilians="yes")
    with pytest.raises(ConflictError, match="alice"):
        service.add_claim(empty_store, EDITOR, incident.uid, claim, expected_version=1)
    assert len(empty_store.get_incident(incident.uid).claims) == 1


# -- soft delete, restore, merge --------------------------------------------------------------------------


def test_soft_delete_and_restore(empty_store, incident_factory):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    with pytest.raises(ValidationError, match="reason"):
        service.delete_incident(empty_store, ADMIN, incident.uid, reason=" ")
    service.delete_incident(empty_store, ADMIN, incident.uid, reason="entered twice")
    assert empty_store.count_incidents() == 0 and empty_store.count_incidents(include_deleted=True) == 1
    with pytest.raises(NotFound):
        service.load_incident(empty_store, ADMIN, incident.uid)
    with pytest.raises(NotFound):  # a deleted record cannot be edited
        service.update_incident(empty_store, ADMIN, incident.uid, {"target": "x"}, expected_version=2)
    assert [i.uid for i in service.list_deleted(empty_store, ADMIN)] == [incident.uid]
    with pytest.raises(ValidationError, match="already deleted"):
        service.delete_incident(empty_store, ADMIN, incident.uid, reason="again")
    service.restore_incident(empty_store, ADMIN, incident.uid, reason="was not a duplicate")
    restored = service.load_incident(empty_store, ADMIN, incident.uid)
    assert restored.deleted_at is None and [c.uid for c in restored.claims] == [c.uid for c in incident.claims]
    trail = service.history(empty_store, incident.uid, ADMIN)
    assert [(e["action"], e["reason"]) for e in trail[1:]] == [("delete", "entered twice"),
                                                                ("restore", "was not a duplicate")]
    assert trail[1]["changes"]["deleted_at"][0] is None and trail[1]["changes"]["deleted_at"][1]


def test_merge_moves_claims_audits_figures_and_cannot_be_restored_alone(empty_store, incident_factory):
    keep, other = service.create_incidents(empty_store, EDITOR, [
        incident_factory(), incident_factory(claim={"killed_min": 8, "killed_max": 10})])
    merged = service.merge_incidents(empty_store, REVIEWER, keep.uid, other.uid, reason="same strike",
                                     keep_version=1, other_version=1)
    assert len(merged.claims) == 2 and (merged.killed_min, merged.killed_max) == (3, 10)
    trail = service.history(empty_store, keep.uid, REVIEWER)
    merge = next(e for e in trail if e["action"] == "merge" and e["entity_uid"] == keep.uid)
    assert merge["changes"]["killed_max"] == [3, 10] and merge["changes"]["merged_from"] == [None, other.uid]
    assert any(e["action"] == "move" and e["entity"] == "claim" for e in trail)
    with pytest.raises(ValidationError, match="merged into"):
        service.restore_incident(empty_store, ADMIN, other.uid)


def test_mark_distinct_is_recorded_on_both(empty_store, incident_factory):
    a, b = service.create_incidents(empty_store, EDITOR, [incident_factory(), incident_factory()])
    service.mark_distinct(empty_store, REVIEWER, a.uid, b.uid, reason="different days")
    for uid, other in ((a.uid, b.uid), (b.uid, a.uid)):
        assert service.history(empty_store, uid, REVIEWER)[-1]["changes"] == {"distinct_from": [None, other]}


# -- validation at the service edge -----------------------------------------------------------------------


@pytest.mark.parametrize("changes, match", [
    ({"version": 9}, "cannot be edited"),
    ({"created_by": "someone"}, "cannot be edited"),
    ({"no_such_field": 1}, "cannot be edited"),
    ({"status": "archived"}, "status must be one of"),
    ({"actor": "martians"}, "actor"),
])
def test_bad_edits_are_refused(empty_store, incident_factory, changes, match):
    (incident,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    with pytest.raises(ValidationError, match=match):
        service.update_incident(empty_store, ADMIN, incident.uid, changes, expected_version=1)
    assert empty_store.get_incident(incident.uid).version == 1


def test_duplicate_ids_are_refused_whole(empty_store, incident_factory):
    (first,) = service.create_incidents(empty_store, EDITOR, [incident_factory()])
    with pytest.raises(ValidationError, match="already stored"):
        service.create_incidents(empty_store, EDITOR, [incident_factory(), incident_factory(uid=first.uid)])
    assert empty_store.count_incidents() == 1


@pytest.mark.parametrize("place, match", [
    (NewPlace("", "", 35.0, 40.0, "village", "x"), "name"),
    (NewPlace("ب", "b", 95.0, 40.0, "village", "x"), "latitude"),
    (NewPlace("ب", "b", 35.0, 190.0, "village", "x"), "longitude"),
    (NewPlace("ب", "b", 0, 0, "village", "x"), "0, 0"),
    (NewPlace("ب", "b", 35.0, 40.0, "castle", "x"), "kind"),
    (NewPlace("ب", "b", 35.0, 40.0, "village", " "), "origin"),
    (NewPlace("ب", "b", 35.0, 40.0, "village", "x", id="gn:1"), "user:"),
])
def test_bad_places_are_refused(sqlite_store, place, match):
    with pytest.raises(ValidationError, match=match):
        service.add_place(sqlite_store, EDITOR, place)


def test_alias_twice_is_refused(sqlite_store):
    service.add_place_alias(sqlite_store, EDITOR, "gn:174506", "Hajeen")
    with pytest.raises(ValidationError, match="already has"):
        service.add_place_alias(sqlite_store, EDITOR, "gn:174506", "Hajeen")
