"""Audit log: indexes for the admin's log view; PostgreSQL: TRUNCATE refused too. Users: one account per
identity-provider subject.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_user_name", "audit_log", ["user_name"])
    op.create_index("ux_users_oidc_subject", "users", ["oidc_subject"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        # 0001 refuses UPDATE and DELETE row by row; TRUNCATE bypasses row triggers, so refuse it as well.
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    op.drop_index("ux_users_oidc_subject", "users")
    op.drop_index("ix_audit_log_user_name", "audit_log")
    op.drop_index("ix_audit_log_at", "audit_log")
