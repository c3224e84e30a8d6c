"""Users and roles: who may do what. Enforced by :mod:`incidents.services.service` on every write.

Roles, each including the rights of the ones before it:

* ``viewer`` — read and export (published records only, unless granted ``can_see_unpublished``);
* ``editor`` — create and edit drafts, add claims, add places and place aliases;
* ``reviewer`` — review, grade and publish; edit records in any status;
* ``admin`` — manage users, delete and restore, merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.domain.errors import RoleRefused

ROLES = ("viewer", "editor", "reviewer", "admin")

#: action → the lowest role allowed to perform it
ACTION_MIN_ROLE = {
    "read": "viewer",
    "export": "viewer",
    "create": "editor",
    "edit_draft": "editor",
    "add_claim": "editor",
    "add_place": "editor",
    "import": "editor",
    "edit_any": "reviewer",
    "review": "reviewer",
    "grade": "reviewer",
    "publish": "reviewer",
    "merge": "reviewer",
    "mark_distinct": "reviewer",
    "delete": "admin",
    "restore": "admin",
    "manage_users": "admin",
    "backup": "admin",
}


@dataclass(frozen=True)
class User:
    """The acting user of an operation."""

    name: str
    role: str
    can_see_unpublished: bool = False

    def can(self, action: str) -> bool:
        """Return whether this user's role allows ``action`` (a key of :data:`ACTION_MIN_ROLE`)."""
        needed = ACTION_MIN_ROLE[action]
        return ROLES.index(self.role) >= ROLES.index(needed)

    @property
    def sees_unpublished(self) -> bool:
        """Whether drafts and reviewed records are visible to this user."""
        return self.can_see_unpublished or self.role != "viewer"


#: The acting user in local single-user mode (no sign-in, by explicit setting).
LOCAL_USER = User(name="local", role="admin", can_see_unpublished=True)

#: The acting user of the automatic sample-data load into a new database.
SYSTEM_USER = User(name="system", role="admin", can_see_unpublished=True)


def require(user: User, action: str) -> None:
    """Raise :class:`RoleRefused` (a :class:`PermissionDenied`) unless ``user`` may perform ``action``."""
    if action not in ACTION_MIN_ROLE:
        raise ValueError(f"unknown action {action!r}")
    if not user.can(action):
        raise RoleRefused(user.name, user.role, action, ACTION_MIN_ROLE[action])


def check_role(role: str) -> str:
    """Return ``role`` if it is a known role, else raise ValueError naming the valid ones."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    return role
