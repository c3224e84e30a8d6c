"""Shared fixtures: stores on SQLite and on a real PostgreSQL/PostGIS, and tiny deterministic records.

PostgreSQL is reached through ``TEST_DATABASE_URL`` or the ``PG*`` variables (default: the local server,
user postgres, as CI sets it up). Each test session creates its own throw-away database and drops it at the
end. PostgreSQL tests skip only when no server can be reached; CI always has one, and sets
``REQUIRE_POSTGRES=1`` so that a missing server fails instead.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from incidents.domain.records import Claim, Incident
from incidents.storage.store import Store

# Tests never touch the user's database file, whatever the environment says.
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("INCIDENTS_AUTH", "local")
# ... nor the user's frame snapshots (incidents.analysis.snapshot): each test session keeps its own.
os.environ["INCIDENTS_CACHE_DIR"] = tempfile.mkdtemp(prefix="incidents-cache-")


def _admin_url() -> str:
    explicit = os.environ.get("TEST_DATABASE_URL")
    if explicit:
        return explicit
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = os.environ.get("PGPORT", "5432")
    database = os.environ.get("PGDATABASE", "postgres")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgresql+psycopg://{auth}{host}:{port}/{database}"


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database with PostGIS for this test session (dropped afterwards)."""
    admin_url = _admin_url()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"incidents_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but unreachable at {admin_url}: {exc}")
        pytest.skip(f"no PostgreSQL server reachable at {admin_url}")
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _reset_pg(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """URL of a new, empty SQLite file for one test."""
    return f"sqlite:///{tmp_path / 'incidents.sqlite3'}"


@pytest.fixture
def pg_url(pg_server_url) -> str:
    """URL of the session's PostgreSQL database, emptied for one test."""
    _reset_pg(pg_server_url)
    return pg_server_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """An empty database URL, once on SQLite and once on PostgreSQL/PostGIS."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'incidents.sqlite3'}"
    url = request.getfixturevalue("pg_server_url")
    _reset_pg(url)
    return url


@pytest.fixture
def empty_store(db_url) -> Store:
    """A migrated store without sample data, on each backend."""
    store = Store.open(db_url, sample=False)
    yield store
    store.engine.dispose()


@pytest.fixture
def sqlite_store(sqlite_url) -> Store:
    """A migrated, empty SQLite store (for tests that need only one backend)."""
    store = Store.open(sqlite_url, sample=False)
    yield store
    store.engine.dispose()


@pytest.fixture
def offered(monkeypatch) -> dict[str, bytes]:
    """File name → bytes of every file a download button offered (captured where Streamlit stores them)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes) and filename:
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


def make_incident(**overrides) -> Incident:
    """Return a small valid incident with one claim (synthetic, for tests only)."""
    claim_overrides = overrides.pop("claim", {})
    claim_values = dict(source_name="Test source (synthetic)", quote="Synthetic sentence written for a test.",
                        source_kind="other", killed_min=3, killed_max=3, civilians="yes")
    claim = Claim(**{**claim_values, **claim_overrides})
    values = dict(date_start=date(2018, 11, 17), date_end=date(2018, 11, 17), date_precision="day",
                  place_text="Hajin", place_name_en="Hajin", place_name_ar="هجين", lat=34.6927, lon=40.827,
                  location_precision="village", admin1="SY09", admin2="SY0902", admin3="SY090201",
                  event_type="air_strike", actor="coalition", civilians="yes", claims=[claim])
    values.update(overrides)
    return Incident(**values)


@pytest.fixture
def incident_factory():
    """The :func:`make_incident` factory."""
    return make_incident


@pytest.fixture
def fresh_url(tmp_path):
    """A function returning an empty database of the same backend as the URL given (for round trips)."""
    counter = iter(range(1000))

    def make(url: str) -> str:
        if url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'fresh-{next(counter)}.sqlite3'}"
        _reset_pg(url)
        return url

    return make


def run_incidents_in_process(args: Sequence[str], env: Mapping[str, str] | None = None,
                             stdin: str | bytes | None = None, text: bool = False) -> subprocess.CompletedProcess:
    """Run ``python -m incidents ARGS`` inside this process and return what a subprocess run would: exit status,
    standard output and standard error (str with ``text``, else bytes). The environment is ``env`` for the run
    only; standard input is ``stdin`` (empty when None), with a binary ``buffer`` as on a real stream.

    The command's own code runs exactly as from a terminal (argument parsing, the one-line errors, the exit
    status); only the interpreter's start-up (about a second of imports per call) is saved. Tests that need a
    real process (a terminal, a kill, the ``-m`` entry point) still use ``subprocess``."""
    from incidents.cli import main

    data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    out, err = io.BytesIO(), io.BytesIO()
    streams = (io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", write_through=True))
    saved_streams, saved_env = (sys.stdin, sys.stdout, sys.stderr), dict(os.environ)
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        sys.stdin, sys.stdout, sys.stderr = streams
        try:
            status = main(list(args))
        except SystemExit as exit_:  # argparse: --help, a bad choice
            status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        for stream in streams[1:]:
            stream.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_env)
        for stream in streams:
            stream.detach()
    if text:  # as subprocess's text mode: universal newlines
        said = [stream.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n") for stream in (stdout, stderr)]
        return subprocess.CompletedProcess(list(args), status, *said)
    return subprocess.CompletedProcess(list(args), status, stdout, stderr)


@pytest.fixture(autouse=True)
def no_first_run_pause(monkeypatch):
    """No pause after a new session's map (``setup.FIRST_RUN_PAUSE_S``): it leaves a browser time to draw the map,
    and AppTest draws nothing (pages are run by AppTest in tests/ui, tests/team and tests/review)."""
    from incidents.ui import setup

    monkeypatch.setattr(setup, "FIRST_RUN_PAUSE_S", 0)
