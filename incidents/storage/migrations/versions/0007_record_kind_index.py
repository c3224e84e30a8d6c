"""Incidents: an index on ``record_kind``, so that every write can read the few combined records and judge their
links (incidents.domain.coverage) without scanning the whole table (about a second at 1M incidents).

Revision ID: 0007_record_kind_index
Revises: 0006_victims
Create Date: 2026-12-08
"""
from __future__ import annotations

from alembic import op

revision = "0007_record_kind_index"
down_revision = "0006_victims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_incidents_record_kind", "incidents", ["record_kind"])


def downgrade() -> None:
    op.drop_index("ix_incidents_record_kind", "incidents")
