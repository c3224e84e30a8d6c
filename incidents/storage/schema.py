"""The database schema as SQLAlchemy Core tables.

The alembic migrations in ``incidents/storage/migrations`` create and evolve these tables; this module is what the
code queries. On PostgreSQL the migrations also add a PostGIS ``geom`` point column (generated from lat/lon,
with a GiST index) to ``incidents`` and ``places_added``; the application never writes it, so it is not declared
here and :func:`compared` leaves it (and PostGIS's own ``spatial_ref_sys``) out of alembic's comparison. A test
checks that the migrations at head and this module agree on both backends (``alembic check``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(16), nullable=False),
    Column("place_id", String(64)),
    Column("place_text", Text),
    Column("place_name_ar", Text),
    Column("place_name_en", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("location_precision", String(16), nullable=False),
    Column("admin1", String(16)),
    Column("admin2", String(16)),
    Column("admin3", String(16)),
    Column("event_type", String(32), nullable=False),
    Column("actor", String(32), nullable=False),
    Column("actor_certainty", String(16), nullable=False),
    Column("target", Text),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("killed_best", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    Column("civilians", String(8), nullable=False),
    Column("children_killed", Integer),
    Column("women_killed", Integer),
    Column("figures_rule", String(16), nullable=False),
    Column("figures_reason", Text),
    Column("grading", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("description", Text),
    Column("tags", Text, nullable=False),  # JSON list of strings
    Column("toll_group", String(64)),
    Column("shared_toll", Boolean, nullable=False),
    Column("record_kind", String(16), nullable=False, server_default="incident"),
    Column("covers", Text, nullable=False, server_default="[]"),  # JSON list of the uids a combined record covers
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("created_by", String(128)),
    Column("updated_by", String(128)),
    Column("deleted_at", DateTime),
    Column("deleted_by", String(128)),
    Column("merged_into", String(36)),
    Column("imported_from", Text),  # JSON: stamps and authors an imported file claimed (see service.prepare_new)
    Column("external_source", String(32)),  # migration 0005_import
    Column("external_id", String(128)),
    Column("extra", Text),  # JSON object of imported cells without a field; NULL when none
    Index("ix_incidents_date_start", "date_start"),
    Index("ux_incidents_external", "external_source", "external_id", unique=True),
    Index("ix_incidents_actor", "actor"),
    Index("ix_incidents_place_id", "place_id"),
    Index("ix_incidents_status", "status"),
    Index("ix_incidents_record_kind", "record_kind"),  # migration 0007: combined records read on every write
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("source_name", Text, nullable=False),
    Column("source_kind", String(32), nullable=False),
    Column("url", Text),
    Column("language", String(8)),
    Column("published", Date),
    Column("quote", Text, nullable=False),
    Column("attribution", Text),
    Column("actor", String(32)),
    Column("actor_certainty", String(16)),
    Column("event_type", String(32)),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    Column("civilians", String(8), nullable=False),
    Column("children_killed", Integer),
    Column("women_killed", Integer),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(128)),
    Column("deleted_at", DateTime),
    Index("ix_claims_incident_id", "incident_id"),
)

places_added = Table(
    "places_added",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name_ar", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("alt_names", Text, nullable=False),  # pipe-joined
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("admin1", String(16)),
    Column("admin2", String(16)),
    Column("admin3", String(16)),
    Column("origin", Text, nullable=False),  # the public source cited for the coordinates
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(128)),
)

place_aliases = Table(
    "place_aliases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("place_id", String(64), nullable=False),
    Column("alias", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(128)),
    UniqueConstraint("place_id", "alias", name="uq_place_aliases_place_alias"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text),
    Column("email", Text),
    Column("oidc_subject", Text),
    Column("disabled", Boolean, nullable=False),
    Column("can_see_unpublished", Boolean, nullable=False),
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
    Index("ux_users_oidc_subject", "oidc_subject", unique=True),  # migration 0002
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity", String(16), nullable=False),
    Column("entity_uid", String(64), nullable=False),
    Column("changes", Text, nullable=False),  # JSON {field: [old, new]}
    Column("reason", Text),
    Index("ix_audit_log_entity_uid", "entity_uid"),
    Index("ix_audit_log_at", "at"),  # migration 0002: the admin's log view
    Index("ix_audit_log_user_name", "user_name"),
)

duplicate_decisions = Table(
    "duplicate_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid_a", String(36), nullable=False),
    Column("uid_b", String(36), nullable=False),
    Column("decision", String(16), nullable=False),  # distinct | merged
    Column("decided_by", String(128), nullable=False),
    Column("decided_at", DateTime, nullable=False),
    Column("reason", Text),
    UniqueConstraint("uid_a", "uid_b", name="uq_duplicate_decisions_pair"),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Named victims (#18): one row per mention of a person by a source; mentions of one person share person_uid.
victims = Table(
    "victims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("person_uid", String(36), nullable=False),
    Column("name_ar", Text),
    Column("name_en", Text),
    Column("name_key", Text, nullable=False),  # normalised tokens of both names, for search
    Column("age", Integer),
    Column("age_group", String(8), nullable=False),
    Column("sex", String(8), nullable=False),
    Column("outcome", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("relation", Text),
    Column("source_name", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("claim_uid", String(36)),
    Column("withhold_name", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(128)),
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(128)),
    Column("deleted_at", DateTime),
    Column("deleted_by", String(128)),
    Index("ix_victims_incident_id", "incident_id"),
    Index("ix_victims_person_uid", "person_uid"),
)


POSTGIS_ONLY_TABLES = frozenset({"spatial_ref_sys"})  # created by the PostGIS extension, not by us
POSTGIS_ONLY_COLUMNS = frozenset({"geom"})  # generated point columns of migration 0001 (PostgreSQL only)


def compared(obj, name: str | None, type_: str, reflected: bool, _compare_to) -> bool:
    """Tell alembic's autogenerate whether to compare ``obj``: everything except the PostGIS-only objects.

    Parameters
    ----------
    obj, name, type_, reflected, _compare_to
        Alembic's ``include_object`` hook arguments (the schema object, its name, its kind, whether it was read
        from the database, and its counterpart in this module).
    """
    if type_ == "table":
        return name not in POSTGIS_ONLY_TABLES
    if type_ == "column":
        return name not in POSTGIS_ONLY_COLUMNS
    if type_ == "index":
        return not any(column.name in POSTGIS_ONLY_COLUMNS for column in obj.columns)
    return True
