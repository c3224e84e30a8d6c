"""Reading and writing incidents and claims in the database.

This module does the I/O and nothing else: no permission checks and no audit entries (those belong to
:mod:`incidents.services.service`, which every write from a page or a command goes through). Every statement binds
its parameters; none is built from values.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Integer, Text, cast, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from incidents.domain.errors import NotFound
from incidents.domain.records import CLAIM_FIELDS, INCIDENT_FIELDS, Claim, Incident
from incidents.storage import schema
from incidents.storage.engine import create_engine_for, migrate, writing

_INCIDENT_COLUMNS = INCIDENT_FIELDS
_CLAIM_COLUMNS = tuple(c for c in CLAIM_FIELDS if c != "incident_uid")


_PG_INIT_LOCK = 7_350_413  # advisory lock id: one process fills a new database
_BULK_CACHE_KB = 65_536  # SQLite page cache of a connection that inserts many incidents

#: Fills a new database inside its initialising transaction: ``seed(store, conn)``.
Seeder = Callable[["Store", Connection], object]


def utcnow() -> datetime:
    """Return the current UTC time, naive, to the second (how stamps are stored)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Store:
    """A database of incidents: an engine plus the operations on it.

    Parameters
    ----------
    engine
        SQLAlchemy engine of a migrated database (see :meth:`open`).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, seed: Seeder | None = None, sample: bool = False) -> Store:
        """Open the database at ``url``, creating and migrating it if needed.

        A database opened for the first time is marked initialised; ``seed``, when given, fills it in the same
        transaction (once, whichever process gets there first). Opening a store loads no data by itself: the
        edges that promise the sample on a new database (the dashboard, the command line) ask for it with
        :func:`incidents.services.sample.open_with_sample`.

        Parameters
        ----------
        seed
            Called as ``seed(store, conn)`` inside the initialising transaction of a new database.
        sample
            Must be False (callers that still say ``sample=False`` keep working); the sample is
            :func:`incidents.services.sample.open_with_sample`'s.
        """
        if sample:
            raise ValueError("Store.open loads no sample: use incidents.services.sample.open_with_sample(url)")
        store = cls(create_engine_for(url))
        migrate(store.engine)
        if store.get_meta("initialised") is None:
            store._initialise(seed)
        return store

    def _initialise(self, seed: Seeder | None) -> None:
        with writing(self.engine) as conn:
            if conn.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE already serialises writers
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_INIT_LOCK})
            meta = schema.store_meta
            if conn.execute(select(meta.c.value).where(meta.c.key == "initialised")).first() is not None:
                return  # another process initialised it meanwhile
            conn.execute(insert(meta), {"key": "initialised", "value": utcnow().isoformat()})
            if seed is not None:
                seed(self, conn)

    # -- metadata and cache invalidation -------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """Return a value of the ``store_meta`` table, or None."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(schema.store_meta.c.value).where(schema.store_meta.c.key == key)
            ).scalar()

    def data_version(self) -> int:
        """Return a number that changes after every write: caches key on it (shared across processes)."""
        value = self.get_meta("data_version")
        return int(value) if value else 0

    @staticmethod
    def bump_data_version(conn: Connection) -> None:
        """Increase the data version inside the writing transaction ``conn``."""
        table = schema.store_meta
        done = conn.execute(
            update(table).where(table.c.key == "data_version")
            .values(value=cast(cast(table.c.value, Integer) + 1, Text))
        )
        if done.rowcount == 0:
            conn.execute(insert(table), {"key": "data_version", "value": "1"})

    # -- reading -------------------------------------------------------------------------------------

    def get_incident(self, uid: str, *, include_deleted: bool = False, conn: Connection | None = None) -> Incident:
        """Return the incident ``uid`` with its claims; raise :class:`NotFound` if there is none."""
        if conn is None:
            with self.engine.connect() as own:
                return self.get_incident(uid, include_deleted=include_deleted, conn=own)
        row = conn.execute(select(schema.incidents).where(schema.incidents.c.uid == uid)).mappings().first()
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFound(f"no incident with id {uid!r}")
        incident = incident_from_row(row)
        incident.claims = self._claims_of(conn, [row["id"]]).get(row["id"], [])
        return incident

    def list_incidents(self, uids: Sequence[str] | None = None, *, include_deleted: bool = False) -> list[Incident]:
        """Return incidents with their claims, ordered by date then id; all of them when ``uids`` is None."""
        table = schema.incidents
        query = select(table).order_by(table.c.date_start, table.c.id)
        if not include_deleted:
            query = query.where(table.c.deleted_at.is_(None))
        with self.engine.connect() as conn:
            if uids is None:
                rows = list(conn.execute(query).mappings())
            else:
                rows = [r for chunk in _chunks(list(uids)) for r in conn.execute(
                    query.where(table.c.uid.in_(chunk))).mappings()]
                rows.sort(key=lambda r: (r["date_start"] is not None, r["date_start"] or 0, r["id"]))
            claims = self._claims_of(conn, None if uids is None else [r["id"] for r in rows])
        result = []
        for row in rows:
            incident = incident_from_row(row)
            incident.claims = claims.get(row["id"], [])
            result.append(incident)
        return result

    @staticmethod
    def _claims_of(conn: Connection, incident_ids: list[int] | None) -> dict[int, list[Claim]]:
        """Return live claims per internal incident id: for ``incident_ids``, or for all when None."""
        table = schema.claims
        query = select(table, schema.incidents.c.uid.label("incident_uid")).join(
            schema.incidents, schema.incidents.c.id == table.c.incident_id
        ).where(table.c.deleted_at.is_(None)).order_by(table.c.id)
        batches = [query] if incident_ids is None else [
            query.where(table.c.incident_id.in_(chunk)) for chunk in _chunks(incident_ids)
        ]
        result: dict[int, list[Claim]] = {}
        for batch in batches:
            for row in conn.execute(batch).mappings():
                result.setdefault(row["incident_id"], []).append(claim_from_row(row))
        return result

    def incident_id(self, conn: Connection, uid: str) -> int:
        """Return the internal row id of incident ``uid``; raise :class:`NotFound` if absent."""
        found = conn.execute(select(schema.incidents.c.id).where(schema.incidents.c.uid == uid)).scalar()
        if found is None:
            raise NotFound(f"no incident with id {uid!r}")
        return int(found)

    def count_incidents(self, *, include_deleted: bool = False) -> int:
        """Return how many incidents the store holds."""
        query = select(func.count()).select_from(schema.incidents)
        if not include_deleted:
            query = query.where(schema.incidents.c.deleted_at.is_(None))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def existing_uids(self, uids: Iterable[str]) -> set[str]:
        """Return which of ``uids`` are already stored (deleted ones included)."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(uids))):
                found.update(conn.execute(
                    select(schema.incidents.c.uid).where(schema.incidents.c.uid.in_(chunk))
                ).scalars())
        return found

    def load_incident_table(self, *, include_deleted: bool = False) -> pd.DataFrame:
        """Return every incident row as a DataFrame (no claims; see :func:`incidents.services.query.load_frame`).

        Dates and stamps come as the driver gives them (ISO text on SQLite): the frame builder converts them.
        """
        query = select(schema.incidents)
        if not include_deleted:
            query = query.where(schema.incidents.c.deleted_at.is_(None))
        return self._table(query)

    def load_claim_table(self) -> pd.DataFrame:
        """Return every claim of a live incident as a DataFrame, with its incident's uid as ``incident_uid``."""
        table = schema.claims
        query = select(table, schema.incidents.c.uid.label("incident_uid")).join(
            schema.incidents, schema.incidents.c.id == table.c.incident_id
        ).where(table.c.deleted_at.is_(None), schema.incidents.c.deleted_at.is_(None))
        return self._table(query)

    def _table(self, query) -> pd.DataFrame:
        """Run a parameterless SELECT straight on the driver: SQLAlchemy's per-value result processing is most
        of the time of reading a million rows, and the frame builder does its own conversions."""
        with self.engine.connect() as conn:
            compiled = query.compile(dialect=conn.dialect)
            if compiled.params:
                raise ValueError("bulk table reads take no parameters")
            cursor = conn.connection.cursor()  # the DBAPI cursor: plain tuples, no per-value processing
            try:
                cursor.execute(str(compiled))
                columns = [d[0] for d in cursor.description]
                return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
            finally:
                cursor.close()

    # -- writing (inside a transaction opened by the caller with incidents.storage.engine.writing) ---------

    def insert_incidents(self, conn: Connection, items: Sequence[Incident]) -> None:
        """Insert new incidents and their claims in bulk (stamps must already be set)."""
        if not items:
            return
        incidents = dict(zip(_INCIDENT_COLUMNS, zip(*map(_INCIDENT_CELLS, items), strict=True), strict=True))
        claims = [(owner, claim) for owner, item in enumerate(items) for claim in item.claims]
        claim_columns = dict(zip(_CLAIM_COLUMNS, zip(*(_CLAIM_CELLS(c) for _, c in claims), strict=True),
                                 strict=True)) if claims else {name: () for name in _CLAIM_COLUMNS}
        self.insert_incident_columns(conn, incidents, claim_columns, [owner for owner, _ in claims])

    @staticmethod
    def insert_incident_columns(conn: Connection, incidents: Mapping[str, Sequence], claims: Mapping[str, Sequence],
                                owners: Sequence[int]) -> None:
        """Insert new incidents and their claims given column by column (stamps must already be set).

        ``incidents`` maps every field of :class:`Incident` but its claims to the values of the rows (as the
        record holds them: tags and covers as tuples, extra as a dict); ``claims`` maps every field of
        :class:`Claim` but ``incident_uid`` to the claims' values, and ``owners`` gives each claim's incident (its
        place in ``incidents``). The cells are stored exactly as :meth:`insert_incidents` stores the records.
        """
        uids = incidents["uid"]
        if not uids:
            return
        table = schema.incidents
        columns: dict[str, Sequence] = {name: incidents[name] for name in _INCIDENT_COLUMNS}
        ids: dict[str, int] = {}
        if conn.dialect.name == "sqlite":
            # A page cache of 64 MB for this connection (it ends with the unit of work): the default 2 MB spills
            # a large import's pages to the log and reads its index pages back many times.
            conn.exec_driver_sql(f"PRAGMA cache_size=-{_BULK_CACHE_KB}")
            # The ids SQLite would give (the largest one's successors: no AUTOINCREMENT), given by us so that
            # they need not be read back; the writing transaction holds the write lock, so no other writer
            # takes them meanwhile (and if one did, the primary key would refuse the insert).
            first = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1
            columns["id"] = list(range(first, first + len(uids)))
            ids.update(zip(uids, columns["id"], strict=True))
            insert_columns(conn, table, columns, _INCIDENT_ENCODERS)
        else:  # many rows, then the new ids by uid (a sequence's numbers are not ours to predict)
            insert_columns(conn, table, columns, _INCIDENT_ENCODERS)
            for chunk in _chunks(list(uids)):
                ids.update((uid, row_id) for uid, row_id in conn.execute(
                    select(table.c.uid, table.c.id).where(table.c.uid.in_(chunk))))
        if owners:
            claim_columns = {name: claims[name] for name in _CLAIM_COLUMNS}
            claim_columns["incident_id"] = [ids[uids[owner]] for owner in owners]
            insert_columns(conn, schema.claims, claim_columns)

    @staticmethod
    def stored_values(conn: Connection, uids: Sequence[str], names: Sequence[str]) -> dict[str, tuple]:
        """Return, by uid, the values of columns ``names`` of stored incidents (deleted ones too) as the database
        gives them back (tags, covers and extra as their JSON text: see :func:`encode_incident_value`)."""
        table = schema.incidents
        found: dict[str, tuple] = {}
        for chunk in _chunks(list(uids)):
            rows = conn.execute(select(table.c.uid, *(table.c[name] for name in names)).where(table.c.uid.in_(chunk)))
            found.update((row[0], tuple(row[1:])) for row in rows)
        return found

    @staticmethod
    def stored_claim_values(conn: Connection, uids: Sequence[str], names: Sequence[str]) -> dict[str, set[tuple]]:
        """Return, by incident uid, the values of columns ``names`` of each live claim of stored incidents."""
        table, incidents = schema.claims, schema.incidents
        found: dict[str, set[tuple]] = {}
        for chunk in _chunks(list(uids)):
            # two plain lookups by index rather than a join: a new PostgreSQL table has no statistics yet, and
            # its planner then scans the claims once per incident
            owner = dict(conn.execute(select(incidents.c.id, incidents.c.uid).where(incidents.c.uid.in_(chunk))).all())
            rows = conn.execute(select(table.c.incident_id, *(table.c[name] for name in names)).where(
                table.c.deleted_at.is_(None), table.c.incident_id.in_(list(owner))))
            for row in rows:
                found.setdefault(owner[row[0]], set()).add(tuple(row[1:]))
        return found

    @staticmethod
    def update_incident_row(conn: Connection, uid: str, values: dict, expected_version: int) -> bool:
        """Write ``values`` to incident ``uid`` if it is still at ``expected_version``; bump the version.

        Returns False (and writes nothing) when another writer got there first.
        """
        table = schema.incidents
        done = conn.execute(
            update(table)
            .where(table.c.uid == uid, table.c.version == expected_version)
            .values(**_encode_incident_values(values), version=expected_version + 1)
        )
        return done.rowcount == 1

    @staticmethod
    def insert_claim(conn: Connection, claim: Claim, incident_row_id: int) -> None:
        """Insert one claim for the incident with internal id ``incident_row_id``."""
        conn.execute(insert(schema.claims), [claim_to_row(claim, incident_row_id)])

    @staticmethod
    def move_claims(conn: Connection, from_row_id: int, to_row_id: int) -> None:
        """Re-attach every claim of one incident to another (used by merges; nothing is dropped)."""
        conn.execute(
            update(schema.claims).where(schema.claims.c.incident_id == from_row_id).values(incident_id=to_row_id)
        )


def _insert_many(conn: Connection, table, rows: list[dict]) -> None:
    """INSERT ``rows`` (dicts of one shape) in one DBAPI ``executemany`` (see :func:`insert_columns`)."""
    if len(rows) < 50:
        conn.execute(insert(table), rows)
        return
    names = [c.name for c in table.c if c.name in rows[0]]
    insert_columns(conn, table, {name: list(map(operator.itemgetter(name), rows)) for name in names})


def insert_columns(conn: Connection, table, columns: Mapping[str, Sequence],
                   encoders: dict[str, Any] | None = None) -> None:
    """INSERT rows given column by column (column name → values, all of one length) in one ``executemany``.

    Values are bound as parameters and converted by the columns' own SQLAlchemy bind processors (so they are
    stored exactly as SQLAlchemy stores them), after ``encoders`` (column name → function, e.g. a tuple to JSON
    text) — without SQLAlchemy's per-row statement processing, which is most of the time of a large import.
    Each distinct value of a converted column is converted once (dates and tags repeat across an import). A
    nullable column without a default that is NULL in every row is left out of the statement (it is stored as
    NULL all the same): binding a NULL costs the driver more than binding a text.
    """
    names = list(columns)
    if not names or not len(columns[names[0]]):
        return
    lengths = {name: len(columns[name]) for name in names}
    if len(set(lengths.values())) > 1:  # checked before any row is written (the rows are zipped lazily below)
        raise ValueError(f"columns of unequal length for {table.name}: {lengths}")
    encoders = encoders or {}
    positional = conn.dialect.positional  # qmark (SQLite): the DBAPI's executemany on tuples
    sqlite = conn.dialect.name == "sqlite"
    converted = {name: _convert_column(columns[name], _chain(encoders.get(name), _processor(table.c[name], conn, sqlite))
                                       if positional else encoders.get(name)) for name in names}
    names = [name for name in names if not _always_null(table.c[name], converted[name])] or names
    if not positional:  # named parameters (psycopg): SQLAlchemy's executemany, which converts
        conn.execute(insert(table), [dict(zip(names, r, strict=True))
                                     for r in zip(*(converted[name] for name in names), strict=True)])
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    rows: Any = zip(*(converted[name] for name in compiled.positiontup or ()), strict=True)
    if not sqlite:  # DB-API asks for a sequence; Python's sqlite3 takes any iterable, binding each tuple and
        rows = list(rows)  # letting it go, so that zip reuses it (no list of 20,000 tuples)
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(str(compiled), rows)
    except _dbapi_integrity_error(conn) as exc:  # raised as SQLAlchemy raises it (callers catch that one)
        raise IntegrityError(str(compiled), None, exc) from exc
    finally:
        cursor.close()


def _always_null(column, values: Sequence) -> bool:
    """Whether every value is None and the column, left out of an INSERT, would be NULL too."""
    return (column.nullable and column.default is None and column.server_default is None
            and values[0] is None and values.count(None) == len(values))


def _processor(column, conn: Connection, sqlite: bool) -> Any:
    """The column's bind processor; on SQLite, dates and stamps as the driver's own adapters write them (ISO
    text; converted once per distinct value here instead of once per cell by the driver)."""
    processor = column.type.bind_processor(conn.dialect)
    if processor is None and sqlite and column.type.python_type in (date, datetime):
        return _sqlite_stamp
    return processor


def _sqlite_stamp(value: object) -> object:
    """What Python's sqlite3 stores for a date or datetime (its default adapters: ``isoformat``, with a space
    between date and time)."""
    if type(value) is date:  # most: a column of dates
        return value.isoformat()
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _dbapi_integrity_error(conn: Connection) -> type[Exception]:
    dbapi = conn.dialect.dbapi
    return dbapi.IntegrityError if dbapi is not None else IntegrityError


def _chain(first: Any, second: Any) -> Any:
    if first is None or second is None:
        return first or second
    return lambda value: second(first(value))


def _convert_column(values: Sequence, process: Any) -> Sequence:
    """Return a column's values converted by ``process`` (None: as they are), each distinct value once."""
    if process is None:
        return values
    try:
        seen = {value: process(value) for value in set(values)}
    except TypeError:  # unhashable (a dict of extra data): each object once (rows without any share one)
        by_object = {id(value): process(value) for value in {id(value): value for value in values}.values()}
        return [by_object[id(value)] for value in values]
    return list(map(seen.__getitem__, values))


def insert_rows(conn: Connection, table, rows: list[dict]) -> None:
    """INSERT many rows of one shape into ``table`` in one bulk statement (see :func:`_insert_many`)."""
    _insert_many(conn, table, rows)


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    """Yield ``items`` in slices small enough for an SQL IN list."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


# -- row conversion --------------------------------------------------------------------------------------


def incident_to_row(incident: Incident) -> dict:
    """Return the column values of ``incident`` for the ``incidents`` table."""
    values = {name: getattr(incident, name) for name in _INCIDENT_COLUMNS}
    return _encode_incident_values(values)


def _json_list(value: Iterable | None) -> str:
    return json.dumps(list(value or ()), ensure_ascii=False)


def _json_extra(value: dict | None) -> str | None:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None


_INCIDENT_CELLS = operator.attrgetter(*_INCIDENT_COLUMNS)
_CLAIM_CELLS = operator.attrgetter(*_CLAIM_COLUMNS)
#: How the incident columns that hold lists and dicts are stored (JSON text; as :func:`incident_to_row`).
_INCIDENT_ENCODERS = {"tags": _json_list, "covers": _json_list, "extra": _json_extra}


def encode_incident_value(name: str, values: Sequence) -> Sequence:
    """Return values of incident field ``name`` as the database holds them before its driver's own conversions
    (tags and covers as JSON lists, extra as JSON or None; other fields as they are), each distinct value once."""
    return _convert_column(values, _INCIDENT_ENCODERS.get(name))


def _encode_incident_values(values: dict) -> dict:
    for name in ("tags", "covers"):
        if name in values:
            values = {**values, name: json.dumps(list(values[name] or ()), ensure_ascii=False)}
    if "extra" in values:
        values = {**values, "extra": json.dumps(values["extra"], ensure_ascii=False, sort_keys=True)
                  if values["extra"] else None}
    return values


def incident_from_row(row) -> Incident:
    """Return an :class:`Incident` (without claims) from a row of the ``incidents`` table."""
    data = {name: row[name] for name in _INCIDENT_COLUMNS}
    data["tags"] = tuple(json.loads(row["tags"] or "[]"))
    data["covers"] = tuple(json.loads(row["covers"] or "[]"))
    data["extra"] = json.loads(row["extra"]) if row["extra"] else {}
    data["shared_toll"] = bool(row["shared_toll"])
    return Incident(**data)


def claim_to_row(claim: Claim, incident_row_id: int) -> dict:
    """Return the column values of ``claim`` for the ``claims`` table."""
    values = {name: getattr(claim, name) for name in _CLAIM_COLUMNS}
    values["incident_id"] = incident_row_id
    return values


def claim_from_row(row) -> Claim:
    """Return a :class:`Claim` from a row of the ``claims`` table joined with its incident's uid."""
    names = {f.name for f in fields(Claim)}
    return Claim(**{name: row[name] for name in names if name in row})
