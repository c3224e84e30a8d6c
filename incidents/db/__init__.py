"""Storage: the schema, engines for SQLite and PostgreSQL/PostGIS, and alembic migrations."""
