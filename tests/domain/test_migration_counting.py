"""Migration 0003_counting on SQLite and PostgreSQL: existing shared tolls become "several places sharing one toll",
every other record an incident covering nothing; the downgrade removes the columns again."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from incidents.storage.engine import alembic_config, create_engine_for, writing

ROW = {"uid": "u1", "date_precision": "day", "location_precision": "village", "event_type": "air_strike",
       "actor": "coalition", "actor_certainty": "stated", "civilians": "yes", "figures_rule": "claims",
       "grading": "unassessed", "status": "reviewed", "tags": "[]", "version": 1,
       "created_at": "2018-11-17 00:00:00", "updated_at": "2018-11-17 00:00:00"}


def _upgrade(engine, revision: str) -> None:
    cfg = alembic_config()
    with writing(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")  # PostGIS column, not ours to read
def test_migration_0003_keeps_shared_tolls_and_downgrades(db_url):
    engine = create_engine_for(db_url)
    try:
        _upgrade(engine, "0002")
        columns = ", ".join(ROW) + ", toll_group, shared_toll"
        values = ", ".join(f":{k}" for k in ROW) + ", :toll_group, :shared_toll"
        with writing(engine) as conn:
            for uid, group in (("u1", "g1"), ("u2", None)):
                conn.execute(text(f"INSERT INTO incidents ({columns}) VALUES ({values})"),  # noqa: S608 - test SQL
                             {**ROW, "uid": uid, "toll_group": group, "shared_toll": group is not None})
        _upgrade(engine, "0003_counting")
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT uid, record_kind FROM incidents")).all())
            covers = set(conn.execute(text("SELECT covers FROM incidents")).scalars())
        assert rows == {"u1": "shared_places", "u2": "incident"} and covers == {"[]"}
        cfg = alembic_config()
        with writing(engine) as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        names = {c["name"] for c in inspect(engine).get_columns("incidents")}
        assert "record_kind" not in names and "covers" not in names and "shared_toll" in names
    finally:
        engine.dispose()
