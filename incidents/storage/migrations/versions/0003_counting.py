"""Counting rules (#11): what a record's toll covers. ``record_kind`` (incident, shared_places, combined,
cumulative) and ``covers`` (JSON list of the uids of the recorded incidents a combined or cumulative record
covers).

Revision ID: 0003_counting
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_counting"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("record_kind", sa.String(16), nullable=False, server_default="incident"))
        batch.add_column(sa.Column("covers", sa.Text, nullable=False, server_default="[]"))
    # Records already sharing one toll over several places (toll_group + shared_toll) are that kind.
    op.execute("UPDATE incidents SET record_kind = 'shared_places' WHERE shared_toll AND toll_group IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("covers")
        batch.drop_column("record_kind")
