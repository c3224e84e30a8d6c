"""Bench stores: one SQLite file and one PostgreSQL database per size, generated once and reused.

A store records which generator version, size and seed filled it (``store_meta`` key ``bench.synth``); a
store whose stamp differs is rebuilt. SQLite files live in ``bench/out/`` (ignored by git); PostgreSQL
databases are named ``incidents_bench_<size>`` on the server of ``BENCH_PG_URL`` / the ``PG*`` variables.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, insert, text, update

from bench import synth
from incidents.storage import schema
from incidents.storage.engine import writing
from incidents.storage.store import Store

OUT_DIR = Path(__file__).resolve().parent / "out"
STAMP_KEY = "bench.synth"


@dataclass(frozen=True)
class BenchStore:
    """A filled bench store and how it was made."""

    backend: str  # "sqlite" or "postgresql"
    url: str
    size: int
    write_s: float | None  # seconds to write the generated rows (None: reused from an earlier run)


def stamp(size: int, seed: int) -> str:
    """Return the stamp a store of ``size`` incidents from ``seed`` carries."""
    return f"v{synth.GENERATOR_VERSION}:{size}:{seed}"


def sqlite_url(size: int) -> str:
    """Return the URL of the SQLite bench store of ``size`` incidents."""
    return f"sqlite:///{OUT_DIR / f'bench-{size}.sqlite3'}"


def pg_admin_url() -> str:
    """Return the PostgreSQL maintenance database URL (``BENCH_PG_URL`` or the ``PG*`` variables)."""
    explicit = os.environ.get("BENCH_PG_URL")
    if explicit:
        return explicit
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    auth = f"{user}:{password}@" if password else f"{user}@"
    host, port = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGPORT", "5432")
    return f"postgresql+psycopg://{auth}{host}:{port}/postgres"


def pg_url(name: str) -> str:
    """Return the URL of database ``name`` on the bench's PostgreSQL server."""
    return pg_admin_url().rsplit("/", 1)[0] + f"/{name}"


def postgres_reachable() -> bool:
    """Return whether the bench's PostgreSQL server answers."""
    engine = create_engine(pg_admin_url())
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure to connect means "not reachable"
        return False
    finally:
        engine.dispose()


def create_pg_database(name: str, *, fresh: bool) -> str:
    """Create database ``name`` with PostGIS if missing (dropped first when ``fresh``); return its URL."""
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if exists and fresh:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
                conn.execute(text(f'DROP DATABASE "{name}"'))
            if not exists or fresh:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return pg_url(name)


def drop_pg_database(name: str) -> None:
    """Drop database ``name`` if it exists."""
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


def _stamped(url: str, wanted: str) -> bool:
    try:
        store = Store(create_engine_for_url(url))
        try:
            return store.get_meta(STAMP_KEY) == wanted
        finally:
            store.engine.dispose()
    except Exception:  # noqa: BLE001 - missing file, missing database, missing table: not stamped
        return False


def create_engine_for_url(url: str):
    """Return the product's engine for ``url`` (imported late: keeps this module light)."""
    from incidents.storage.engine import create_engine_for

    return create_engine_for(url)


def _set_meta(store: Store, key: str, value: str) -> None:
    table = schema.store_meta
    with writing(store.engine) as conn:
        done = conn.execute(update(table).where(table.c.key == key).values(value=value))
        if done.rowcount == 0:
            conn.execute(insert(table), {"key": key, "value": value})


def _fill(store: Store, backend: str, data: synth.Synthetic, wanted: str) -> float:
    start = time.perf_counter()
    if backend == "sqlite":
        synth.write_sqlite(Path(store.engine.url.database or ""), data)
    else:
        synth.write_postgres(store.engine.url.render_as_string(hide_password=False), data)
    elapsed = time.perf_counter() - start
    _set_meta(store, "data_version", str(int(time.time())))
    _set_meta(store, STAMP_KEY, wanted)
    return elapsed


def prepare_store(backend: str, size: int, seed: int, data: synth.Synthetic | None = None,
                  places: pd.DataFrame | None = None) -> BenchStore:
    """Return a bench store of ``size`` incidents on ``backend``, generating and writing it if needed.

    Parameters
    ----------
    backend
        "sqlite" or "postgresql".
    size, seed
        What to generate (see :func:`bench.synth.generate`).
    data
        Already generated rows to write (saves generating twice for two backends).
    places
        The gazetteer's places, when ``data`` must be generated.
    """
    wanted = stamp(size, seed)
    if backend == "sqlite":
        url = sqlite_url(size)
        if _stamped(url, wanted):
            return BenchStore(backend, url, size, None)
        path = Path(url.split("///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    else:
        url = pg_url(f"incidents_bench_{size}")
        if _stamped(url, wanted):
            return BenchStore(backend, url, size, None)
        url = create_pg_database(f"incidents_bench_{size}", fresh=True)
    data = data if data is not None else synth.generate(size, seed, places)
    store = Store.open(url, sample=False)
    try:
        write_s = _fill(store, backend, data, wanted)
    finally:
        store.engine.dispose()
    return BenchStore(backend, url, size, write_s)
