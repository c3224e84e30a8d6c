"""Fixtures of the team tests: a store holding one draft and one published incident, and users of each role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from incidents.domain.records import Incident
from incidents.domain.users import ROLES, User
from incidents.services.service import create_incidents
from incidents.storage.store import Store

SETUP_ADMIN = User("setup-admin", "admin", can_see_unpublished=True)


@dataclass
class Seeded:
    """A store with a draft and a published incident (entered by ``SETUP_ADMIN``), and a spare draft."""

    store: Store
    draft: Incident
    published: Incident
    spare: Incident


@pytest.fixture
def seeded(empty_store, incident_factory) -> Seeded:
    """Seeded store on each backend (SQLite and PostgreSQL)."""
    draft, published, spare = create_incidents(empty_store, SETUP_ADMIN, [
        incident_factory(place_text="Hajin"),
        incident_factory(place_text="Al-Susah", status="published"),
        incident_factory(place_text="Al-Baghuz"),
    ])
    return Seeded(empty_store, draft, published, spare)


@pytest.fixture(params=ROLES)
def role_user(request) -> User:
    """One user of each role."""
    return User(f"{request.param}-1", request.param)


def audit_count(store: Store) -> int:
    """Return how many entries the audit log has."""
    from sqlalchemy import func, select

    from incidents.storage import schema

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.audit_log)).scalar() or 0)


@pytest.fixture
def count_audit():
    """The :func:`audit_count` helper."""
    return audit_count
