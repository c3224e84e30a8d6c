"""Named victims (#18): one row per source's mention of a person, linked to an incident; mentions of one person
share ``person_uid``.

Revision ID: 0006_victims
Revises: 0003_counting
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_victims"
down_revision = "0005_import"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "victims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("person_uid", sa.String(36), nullable=False),
        sa.Column("name_ar", sa.Text),
        sa.Column("name_en", sa.Text),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("age", sa.Integer),
        sa.Column("age_group", sa.String(8), nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("relation", sa.Text),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("claim_uid", sa.String(36)),
        sa.Column("withhold_name", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(128)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(128)),
        sa.Column("deleted_at", sa.DateTime),
        sa.Column("deleted_by", sa.String(128)),
    )
    op.create_index("ix_victims_incident_id", "victims", ["incident_id"])
    op.create_index("ix_victims_person_uid", "victims", ["person_uid"])


def downgrade() -> None:
    op.drop_index("ix_victims_person_uid", table_name="victims")
    op.drop_index("ix_victims_incident_id", table_name="victims")
    op.drop_table("victims")
