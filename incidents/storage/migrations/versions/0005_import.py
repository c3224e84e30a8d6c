"""Import (#13): where an imported row came from and its code there (one incident per code and source, so a
re-import updates instead of adding), and the imported cells that have no field (``extra``, JSON).

Revision ID: 0005_import
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_import"
down_revision = "0004_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("external_source", sa.String(32)))
        batch.add_column(sa.Column("external_id", sa.String(128)))
        batch.add_column(sa.Column("extra", sa.Text))
    op.create_index("ux_incidents_external", "incidents", ["external_source", "external_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_incidents_external", "incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("extra")
        batch.drop_column("external_id")
        batch.drop_column("external_source")
