"""Every role's rights and refusals, enforced in the service layer, on SQLite and PostgreSQL.

One table lists each action with the lowest role allowed to do it; every role is tried on every action. A
refused action must raise PermissionDenied and leave the database as it was (no audit entry, same data
version).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from incidents.domain.errors import NotFound, PermissionDenied
from incidents.domain.records import Claim
from incidents.domain.users import ROLES, User
from incidents.services import accounts, service
from incidents.services.service import NewPlace

CLAIM = dict(source_name="Second source (synthetic)", quote="Another synthetic sentence.", killed_min=5,
             killed_max=6, civilians="yes")
PLACE = NewPlace(name_ar="قرية الاختبار", name_en="Test village", lat=35.1, lon=40.2, kind="village",
                 origin="synthetic test coordinates")


def _edit(which: str) -> Callable:
    def run(s, user: User) -> None:
        incident = getattr(s, which)
        service.update_incident(s.store, user, incident.uid, {"description": f"edited by {user.name}"},
                                expected_version=incident.version)
    return run


def _claim(which: str) -> Callable:
    def run(s, user: User) -> None:
        incident = getattr(s, which)
        service.add_claim(s.store, user, incident.uid, Claim(**CLAIM), expected_version=incident.version)
    return run


def _status(status: str) -> Callable:
    def run(s, user: User) -> None:
        service.set_status(s.store, user, s.draft.uid, status, expected_version=s.draft.version)
    return run


def _restore(s, user: User) -> None:
    service.delete_incident(s.store, User("other-admin", "admin"), s.spare.uid, reason="test")
    service.restore_incident(s.store, user, s.spare.uid, reason="test")


def _add_user(s, user: User) -> None:
    accounts.add_user(s.store, User("first-admin", "admin"), "first-admin", "admin", "correct horse battery")
    accounts.add_user(s.store, user, "new-user", "viewer", "correct horse battery")


def _change_user(change: Callable) -> Callable:
    def run(s, user: User) -> None:
        admin = User("first-admin", "admin")
        accounts.add_user(s.store, None, "first-admin", "admin", "correct horse battery")
        accounts.add_user(s.store, admin, "someone", "editor", "correct horse battery")
        change(s.store, user, "someone")
    return run


#: action → (lowest role allowed, what doing it means)
ACTIONS: dict[str, tuple[str, Callable]] = {
    "create draft": ("editor", lambda s, u: service.create_incidents(s.store, u, [s.make()])),
    "create published": ("reviewer", lambda s, u: service.create_incidents(s.store, u, [s.make(status="published")])),
    "edit draft": ("editor", _edit("draft")),
    "edit published": ("reviewer", _edit("published")),
    "add claim to draft": ("editor", _claim("draft")),
    "add claim to published": ("reviewer", _claim("published")),
    "review": ("reviewer", _status("reviewed")),
    "publish": ("reviewer", _status("published")),
    "grade": ("reviewer", lambda s, u: service.set_grading(s.store, u, s.draft.uid, "fair",
                                                           expected_version=s.draft.version)),
    "merge": ("reviewer", lambda s, u: service.merge_incidents(s.store, u, s.draft.uid, s.spare.uid, reason="dup")),
    "mark distinct": ("reviewer", lambda s, u: service.mark_distinct(s.store, u, s.draft.uid, s.spare.uid)),
    "delete": ("admin", lambda s, u: service.delete_incident(s.store, u, s.spare.uid, reason="test")),
    "restore": ("admin", _restore),
    "add place": ("editor", lambda s, u: service.add_place(s.store, u, PLACE)),
    "add place alias": ("editor", lambda s, u: service.add_place_alias(s.store, u, "gn:174506", "Hajeen")),
    "add user": ("admin", _add_user),
    "set role": ("admin", _change_user(lambda st, u, n: accounts.set_role(st, u, n, "reviewer"))),
    "disable user": ("admin", _change_user(accounts.disable_user)),
    "set password": ("admin", _change_user(lambda st, u, n: accounts.set_password(st, u, n, "another long one"))),
    "list users": ("admin", lambda s, u: accounts.list_users(s.store, u)),
    "require four eyes": ("admin", lambda s, u: service.set_four_eyes(s.store, u, True)),
    "read audit log": ("admin", lambda s, u: service.load_audit_log(s.store, u)),
    "export audit log": ("admin", lambda s, u: service.export_audit_log(s.store, u, "csv")),
    "list deleted": ("admin", lambda s, u: service.list_deleted(s.store, u)),
    "read draft history": ("editor", lambda s, u: service.history(s.store, s.draft.uid, u)),
    "read published": ("viewer", lambda s, u: service.load_incident(s.store, u, s.published.uid)),
    "read published history": ("editor", lambda s, u: service.history(s.store, s.published.uid, u)),
}


@pytest.fixture
def setup(seeded, incident_factory):
    seeded.make = incident_factory
    return seeded


@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_rights(setup, role_user, action, count_audit):
    lowest, run = ACTIONS[action]
    allowed = ROLES.index(role_user.role) >= ROLES.index(lowest)
    if allowed:
        run(setup, role_user)
        return
    before = (count_audit(setup.store), setup.store.data_version())
    with pytest.raises(PermissionDenied):
        run(setup, role_user)
    if action not in ("restore", "set role", "disable user", "set password", "add user"):  # their set-up writes
        assert (count_audit(setup.store), setup.store.data_version()) == before


def test_viewer_does_not_see_drafts(seeded):
    viewer = User("viewer-1", "viewer")
    with pytest.raises(NotFound):
        service.load_incident(seeded.store, viewer, seeded.draft.uid)
    assert service.load_incident(seeded.store, viewer, seeded.published.uid).uid == seeded.published.uid


def test_viewer_granted_unpublished_sees_drafts_and_history_but_cannot_write(seeded):
    viewer = User("viewer-2", "viewer", can_see_unpublished=True)
    assert service.load_incident(seeded.store, viewer, seeded.draft.uid).uid == seeded.draft.uid
    assert service.history(seeded.store, seeded.draft.uid, viewer)
    with pytest.raises(PermissionDenied):
        service.update_incident(seeded.store, viewer, seeded.draft.uid, {"description": "x"},
                                expected_version=seeded.draft.version)


def test_editor_cannot_edit_a_reviewed_incident(seeded):
    reviewer = User("reviewer-1", "reviewer")
    reviewed = service.set_status(seeded.store, reviewer, seeded.draft.uid, "reviewed",
                                  expected_version=seeded.draft.version)
    with pytest.raises(PermissionDenied, match="change an incident that is already reviewed or published"):
        service.update_incident(seeded.store, User("editor-1", "editor"), reviewed.uid, {"description": "x"},
                                expected_version=reviewed.version)


def test_editor_cannot_sneak_a_status_or_grading_into_an_edit(seeded):
    editor = User("editor-1", "editor")
    for change in ({"status": "published"}, {"grading": "confirmed"}, {"description": "x", "status": "reviewed"}):
        with pytest.raises(PermissionDenied):
            service.update_incident(seeded.store, editor, seeded.draft.uid, change,
                                    expected_version=seeded.draft.version)
    assert seeded.store.get_incident(seeded.draft.uid).version == seeded.draft.version
