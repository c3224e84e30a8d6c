"""Initial schema: incidents, claims, user-added places and aliases, users, audit log, duplicate decisions.

On PostgreSQL, enables PostGIS and adds generated geometry columns with GiST indexes.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime, nullable=False), sa.Column("created_by", sa.String(128))]


def _tolls() -> list[sa.Column]:
    return [sa.Column(name, sa.Integer) for name in ("killed_min", "killed_max")] + [
        sa.Column(name, sa.Integer) for name in ("injured_min", "injured_max")
    ]


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(16), nullable=False),
        sa.Column("place_id", sa.String(64)),
        sa.Column("place_text", sa.Text),
        sa.Column("place_name_ar", sa.Text),
        sa.Column("place_name_en", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("location_precision", sa.String(16), nullable=False),
        sa.Column("admin1", sa.String(16)),
        sa.Column("admin2", sa.String(16)),
        sa.Column("admin3", sa.String(16)),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("actor_certainty", sa.String(16), nullable=False),
        sa.Column("target", sa.Text),
        *_tolls(),
        sa.Column("killed_best", sa.Integer),
        sa.Column("civilians", sa.String(8), nullable=False),
        sa.Column("children_killed", sa.Integer),
        sa.Column("women_killed", sa.Integer),
        sa.Column("figures_rule", sa.String(16), nullable=False),
        sa.Column("figures_reason", sa.Text),
        sa.Column("grading", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("toll_group", sa.String(64)),
        sa.Column("shared_toll", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        *_stamps(),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(128)),
        sa.Column("deleted_at", sa.DateTime),
        sa.Column("deleted_by", sa.String(128)),
        sa.Column("merged_into", sa.String(36)),
    )
    for column in ("date_start", "actor", "place_id", "status"):
        op.create_index(f"ix_incidents_{column}", "incidents", [column])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("source_kind", sa.String(32), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("language", sa.String(8)),
        sa.Column("published", sa.Date),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("attribution", sa.Text),
        sa.Column("actor", sa.String(32)),
        sa.Column("actor_certainty", sa.String(16)),
        sa.Column("event_type", sa.String(32)),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        *_tolls(),
        sa.Column("civilians", sa.String(8), nullable=False),
        sa.Column("children_killed", sa.Integer),
        sa.Column("women_killed", sa.Integer),
        sa.Column("note", sa.Text),
        *_stamps(),
        sa.Column("deleted_at", sa.DateTime),
    )
    op.create_index("ix_claims_incident_id", "claims", ["incident_id"])

    op.create_table(
        "places_added",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name_ar", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("alt_names", sa.Text, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("admin1", sa.String(16)),
        sa.Column("admin2", sa.String(16)),
        sa.Column("admin3", sa.String(16)),
        sa.Column("origin", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "place_aliases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("place_id", sa.String(64), nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        *_stamps(),
        sa.UniqueConstraint("place_id", "alias", name="uq_place_aliases_place_alias"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("oidc_subject", sa.Text),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("can_see_unpublished", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_uid", sa.String(64), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_audit_log_entity_uid", "audit_log", ["entity_uid"])
    op.create_table(
        "duplicate_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid_a", sa.String(36), nullable=False),
        sa.Column("uid_b", sa.String(36), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text),
        sa.UniqueConstraint("uid_a", "uid_b", name="uq_duplicate_decisions_pair"),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        _add_postgis_columns()
    else:
        _add_sqlite_audit_guard()


def _add_sqlite_audit_guard() -> None:
    # The audit log is append-only: refuse UPDATE and DELETE at the database level too.
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def _add_postgis_columns() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    for table in ("incidents", "places_added"):
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
            "(CASE WHEN lat IS NOT NULL AND lon IS NOT NULL "
            "THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_geom ON {table} USING GIST (geom)")
    # The audit log is append-only: refuse UPDATE and DELETE at the database level too.
    op.execute(
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )


def downgrade() -> None:
    for table in ("store_meta", "duplicate_decisions", "audit_log", "users", "place_aliases",
                  "places_added", "claims", "incidents"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
