"""Backing up a whole database to one file, and restoring it into an empty database.

A backup keeps everything: incidents (deleted and merged ones too), claims, places and aliases users added,
duplicate decisions, accounts (with their password hashes: keep backups as safe as the database), the audit
log with its original ids and times, and the store's settings. It is read in one consistent snapshot while
the application keeps running. Restoring needs an empty database at the same schema revision and writes all
or nothing; internal ids are kept, so a restored database is the original, and a backup taken on SQLite can be
restored on PostgreSQL (or the other way round).

The file is gzip-compressed JSON lines: a header line (format, version, schema revision, row counts), one line
per row (``{"table": ..., "row": {...}}``), and an end line repeating the counts, so that a truncated file is
refused instead of restored in part.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from incidents.domain.errors import IncidentsError, ValidationError
from incidents.domain.users import User, require
from incidents.domain.validation import check_claim, check_incident
from incidents.storage import schema
from incidents.storage.audit import write_audit
from incidents.storage.engine import schema_revision, writing
from incidents.storage.store import Store, claim_from_row, incident_from_row, utcnow

FORMAT = "deirezzor-incidents-backup"
FORMAT_VERSION = 1

#: Tables in restore order (parents before children); store_meta is handled apart.
TABLES: tuple[Table, ...] = (schema.incidents, schema.claims, schema.places_added, schema.place_aliases,
                             schema.users, schema.audit_log, schema.duplicate_decisions, schema.victims)
_SERIAL_TABLES = ("incidents", "claims", "place_aliases", "users", "audit_log", "duplicate_decisions", "victims")
_BATCH = 1000


class BackupError(IncidentsError):
    """A backup file cannot be restored: not a backup, damaged, truncated, or from another schema revision."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, from its header."""

    created_at: str
    schema_revision: str | None
    counts: dict[str, int]
    dialect: str

    def summary(self) -> str:
        """One line for the user."""
        parts = ", ".join(f"{n} {t}" for t, n in self.counts.items() if n)
        return f"backup of {self.created_at} UTC (schema {self.schema_revision}, from {self.dialect}): {parts or 'empty'}"


# -- writing ----------------------------------------------------------------------------------------------


def _encode(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _snapshot(store: Store) -> Connection:
    conn = store.engine.connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def backup_database(store: Store, user: User, path: str | Path) -> BackupInfo:
    """Write a backup of the whole database to ``path`` (admin); return what it holds.

    The file is written next to its destination and renamed into place when complete, readable by its
    owner only.
    """
    require(user, "backup")
    refuse_database_file(store, path)
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    with _snapshot(store) as conn, conn.begin():
        counts = {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0) for t in TABLES}
        meta = {r.key: r.value for r in conn.execute(select(schema.store_meta))}
        info = BackupInfo(created_at=utcnow().isoformat(), schema_revision=_revision(conn), counts=counts,
                          dialect=conn.dialect.name)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as gz:
            header = {"format": FORMAT, "version": FORMAT_VERSION, "created_at": info.created_at,
                      "schema_revision": info.schema_revision, "dialect": info.dialect, "tables": counts,
                      "store_meta": meta}
            _write_line(gz, header)
            for table in TABLES:
                for row in _rows(conn, table):
                    _write_line(gz, {"table": table.name, "row": {k: _encode(v) for k, v in row.items()}})
            _write_line(gz, {"end": True, "tables": counts})
    os.replace(partial, target)
    return info


def database_files(store: Store) -> set[Path]:
    """Return the files of the database (an SQLite file and its journal files; none for a server database)."""
    url = store.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return set()
    main = Path(url.database).resolve()
    return {main, *(main.with_name(main.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}


def refuse_database_file(store: Store, path: str | Path | None) -> None:
    """Raise :class:`ValidationError` if writing to ``path`` would overwrite the database itself.

    A backup or an export written onto the live database file replaces every record with the file's bytes.
    """
    if path is None or str(path) == "-":
        return
    if Path(path).resolve() in database_files(store):
        raise ValidationError(f"{path} is the database file itself: writing there would destroy the database. "
                              "Choose another file name")


def _revision(conn: Connection) -> str | None:
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _rows(conn: Connection, table: Table) -> Iterator[dict]:
    key = table.primary_key.columns.values()[0]
    result = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(select(table).order_by(key))
    for row in result.mappings():
        yield dict(row)


def _write_line(gz: gzip.GzipFile, data: dict) -> None:
    gz.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")


# -- reading and restoring --------------------------------------------------------------------------------


def read_backup_info(path: str | Path) -> BackupInfo:
    """Return the header of the backup at ``path`` (raises :class:`BackupError` if it is not one)."""
    with _open(path) as lines:
        return _info(_header(lines, path))


def _open(path: str | Path):
    file = Path(path)
    if not file.is_file():
        raise BackupError(f"no such backup file: {path}")
    return gzip.open(file, "rt", encoding="utf-8")


def _header(lines, path: str | Path) -> dict:
    try:
        header = json.loads(lines.readline())
    except (OSError, EOFError, ValueError, UnicodeDecodeError):
        raise BackupError(f"{path} is not a backup of this application (expected a gzip file of JSON lines "
                          f"starting with the {FORMAT!r} header)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of this application (its first line is not the {FORMAT!r} header)")
    if header.get("version") != FORMAT_VERSION:
        raise BackupError(f"{path} is a backup of format version {header.get('version')}; this version reads "
                          f"{FORMAT_VERSION} only: restore it with the release that wrote it")
    return header


def _info(header: dict) -> BackupInfo:
    return BackupInfo(created_at=header["created_at"], schema_revision=header.get("schema_revision"),
                      counts=dict(header["tables"]), dialect=header.get("dialect", "?"))


def database_is_empty(store: Store) -> bool:
    """Return whether the database holds no record, account, place or audit entry at all."""
    with store.engine.connect() as conn:
        return all(conn.execute(select(func.count()).select_from(t)).scalar() == 0 for t in TABLES)


def restore_database(store: Store, path: str | Path, actor: User | None = None) -> BackupInfo:
    """Restore the backup at ``path`` into the empty database of ``store``, all or nothing.

    ``actor`` (an admin, when the installation knows who restores) is named in the audit entry that records
    the restore; the database is empty, so there is no account to check it against.

    Raises
    ------
    ValidationError
        The database is not empty.
    BackupError
        The file is not a complete backup of this schema revision; nothing was written.
    """
    if actor is not None:
        require(actor, "backup")
    if not Path(path).is_file():
        raise BackupError(f"{path} is not a backup file" + (" but a folder" if Path(path).is_dir() else
                                                             " (no such file)") + "; nothing was restored")
    digest = _sha256(path)
    with _open(path) as lines, writing(store.engine) as conn:
        header = _header(lines, path)
        info = _info(header)
        _check_target(conn, store, info)
        counts = _load_rows(conn, lines, path)
        if counts != info.counts:
            raise BackupError(f"{path} is damaged: its rows {counts} do not match its header {info.counts}; "
                              "nothing was restored")
        _restore_meta(conn, header.get("store_meta") or {})
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        write_audit(conn, actor or User("restore", "admin"), "restore_backup", "database", "backup",
                    {"file_sha256": (None, digest), "backup_created_at": (None, info.created_at),
                     "rows": (None, counts)}, f"restored from {Path(path).name}")
        Store.bump_data_version(conn)
    return info


def _sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        raise BackupError(f"no such backup file: {path}") from None
    return digest.hexdigest()


def _check_target(conn: Connection, store: Store, info: BackupInfo) -> None:
    for table in TABLES:
        if conn.execute(select(func.count()).select_from(table)).scalar():
            raise ValidationError(f"restore needs an empty database, and this one has rows in {table.name}: "
                                  "create a new one with `python -m incidents init --empty --database URL`")
    here = schema_revision(store.engine)
    if info.schema_revision != here:
        raise BackupError(f"the backup is of schema revision {info.schema_revision}, this database is at {here}: "
                          "restore it with the release that wrote it, then upgrade")


def _load_rows(conn: Connection, lines, path: str | Path) -> dict[str, int]:
    tables = {t.name: t for t in TABLES}
    counts = dict.fromkeys(tables, 0)
    batch: list[dict] = []
    current: str | None = None
    ended = False
    try:
        for line in lines:
            item = json.loads(line)
            if item.get("end"):
                ended = True
                break
            name = item["table"]
            if name != current or len(batch) >= _BATCH:
                _flush(conn, tables.get(current or ""), batch, path)
                batch, current = [], name
            row = _decode_row(tables[name], item["row"])
            counts[name] += 1
            _check_row(tables[name], row, f"{path}: {name} row {counts[name]}")
            batch.append(row)
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{path} is damaged or truncated ({type(exc).__name__}: {exc}); nothing was restored") from None
    if not ended:
        raise BackupError(f"{path} is truncated (no end line); nothing was restored")
    _flush(conn, tables.get(current or ""), batch, path)
    return counts


def _flush(conn: Connection, table: Table | None, batch: list[dict], path: str | Path) -> None:
    if table is None or not batch:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(table), batch)
    except DBAPIError as exc:  # a row that points at a missing one, a duplicate id, a value the column refuses
        first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise BackupError(f"{path} is damaged: rows of {table.name} cannot be stored ({first}); a row may have "
                          "been removed or altered. Nothing was restored") from None


def _check_row(table: Table, row: dict, where: str) -> None:
    """Refuse a row whose values do not fit its columns, or a record that breaks the rules an import checks."""
    for column in table.c:
        problem = _type_problem(column, row.get(column.name))
        if problem:
            raise BackupError(f"{where}, field {column.name}: {problem}; nothing was restored")
    if table is schema.incidents:
        problems = [p for p in check_incident(incident_from_row(row)) if p.field != "source_name"]  # claims: own rows
    elif table is schema.claims:
        problems = check_claim(claim_from_row(row))
    else:
        return
    if problems:
        raise BackupError(f"{where}, field {problems[0].field}: {problems[0].reason}; nothing was restored")


def _type_problem(column, value: object) -> str | None:
    """Return what is wrong with ``value`` for ``column`` (None if it fits)."""
    if value is None:
        return None if column.nullable or column.primary_key else "required, but empty"
    kind = column.type
    if isinstance(kind, Boolean):
        ok = isinstance(value, bool) or value in (0, 1)
    elif isinstance(kind, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31
    elif isinstance(kind, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(kind, DateTime | Date):
        ok = isinstance(value, date)
    elif isinstance(kind, String):  # Text too
        ok = isinstance(value, str) and "\x00" not in value and (kind.length is None or len(value) <= kind.length)
    else:
        ok = True
    return None if ok else f"{value!r:.80} is not a valid {type(kind).__name__.lower()} value"


def _decode_row(table: Table, row: dict) -> dict:
    values = {}
    for column in table.c:
        value = row.get(column.name)
        if isinstance(value, str) and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        values[column.name] = value
    return values


def _restore_meta(conn: Connection, meta: dict[str, str]) -> None:
    table = schema.store_meta
    current = {r.key: r.value for r in conn.execute(select(table))}
    version = max(int(current.get("data_version") or 0), int(meta.get("data_version") or 0)) + 1
    wanted = {**current, **meta, "data_version": str(version)}
    conn.execute(table.delete())
    conn.execute(insert(table), [{"key": k, "value": v} for k, v in sorted(wanted.items())])


def _reset_sequences(conn: Connection) -> None:
    for name in _SERIAL_TABLES:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
            f"FROM {name}"
        ))
