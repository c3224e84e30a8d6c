"""Database engines and migrations.

The embedded default is a SQLite file (WAL mode, foreign keys on, a generous busy timeout so that several
processes can share it). ``DATABASE_URL`` selects another database, e.g.
``postgresql+psycopg://user:pass@host/dbname`` for the shared PostgreSQL/PostGIS deployment.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "incidents.sqlite3"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 7_350_412  # advisory lock id: one process migrates at a time


def database_url(environ: dict[str, str] | None = None) -> str:
    """Return the database URL: ``DATABASE_URL`` if set, else the embedded SQLite file.

    Parameters
    ----------
    environ
        Environment to read (defaults to ``os.environ``); only edges (CLI, UI) should call this.
    """
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine_for(url: str) -> Engine:
    """Return an engine for ``url``; SQLite files and their folder are created on first use.

    Parameters
    ----------
    url
        A SQLAlchemy URL. ``postgresql://`` is read as ``postgresql+psycopg://`` (psycopg 3).
    """
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, future=True)


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # NullPool: a connection per unit of work, so no connection is shared across Streamlit threads.
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    # pysqlite's own transaction handling defers BEGIN; we emit it ourselves, as BEGIN IMMEDIATE for writing
    # transactions (see `writing`), so that concurrent writers queue on the lock instead of failing when they
    # upgrade a read transaction to a write.
    event.listen(engine, "connect", lambda conn, _rec: setattr(conn, "isolation_level", None))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writing") else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """Open a writing transaction: committed on success, rolled back on any error.

    On SQLite it takes the write lock at the start (BEGIN IMMEDIATE) so concurrent writers wait their turn.
    """
    with engine.connect().execution_options(writing=True) as conn, conn.begin():
        yield conn


def alembic_config() -> Config:
    """Return the alembic configuration pointing at the package's migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database at ``engine`` to the newest schema (idempotent; safe with concurrent callers)."""
    cfg = alembic_config()
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def schema_revision(engine: Engine) -> str | None:
    """Return the alembic revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # noqa: BLE001 - no alembic_version table yet
            return None
