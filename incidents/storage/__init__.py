"""The database: schema, engine, migrations and the Store. Knows records, not services."""
