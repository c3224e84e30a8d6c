"""Alembic environment: runs migrations on the connection handed over by ``incidents.storage.engine.migrate``,
or, when alembic is called from the command line, on ``DATABASE_URL`` (default: the embedded SQLite file)."""

from __future__ import annotations

from alembic import context

from incidents.storage.engine import create_engine_for, database_url
from incidents.storage.schema import compared, metadata

config = context.config


def run_migrations(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      include_object=compared, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = create_engine_for(database_url())
    with engine.begin() as conn:
        run_migrations(conn)
