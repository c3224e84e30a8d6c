"""Hardening (#12): incidents keep the stamps and authors an imported file claimed apart, in ``imported_from``.

Revision ID: 0004_hardening
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_hardening"
down_revision = "0003_counting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("imported_from", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("imported_from")
