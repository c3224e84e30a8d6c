"""``init``, ``backup``, ``restore`` and ``audit``: the database as a whole."""

from __future__ import annotations

import argparse
from datetime import datetime

from incidents.cli.common import acting_user, add_store_options, open_store, write_output
from incidents.domain.users import LOCAL_USER, User
from incidents.services import accounts, backup, service
from incidents.services.settings import Settings
from incidents.storage.engine import schema_revision
from incidents.storage.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``init``, ``backup``, ``restore`` and ``audit`` commands."""
    init = subparsers.add_parser("init", help="create or upgrade the database (with the sample incidents unless "
                                 "--empty)")
    init.add_argument("--four-eyes", choices=("on", "off"),
                      help="require (or stop requiring) a second reviewer in this database, for every process")
    init.add_argument("--auth", choices=("local", "shared"),
                      help="this database's sign-in mode (stored in it; making a shared database local needs an "
                      "admin: --user NAME)")
    add_store_options(init, writes=True)
    init.set_defaults(handler=run_init)

    dump = subparsers.add_parser("backup", help="write everything (records, places, accounts, audit log) to FILE")
    dump.add_argument("file", metavar="FILE")
    add_store_options(dump, writes=True)
    dump.set_defaults(handler=run_backup)

    load = subparsers.add_parser("restore", help="restore a backup FILE into an empty database")
    load.add_argument("file", metavar="FILE")
    load.add_argument("--database", metavar="URL", help="the empty database to restore into (default: "
                      "DATABASE_URL, else the embedded SQLite file)")
    load.add_argument("--user", metavar="NAME", help="who restores (named in the audit log)")
    load.set_defaults(handler=run_restore)

    audit = subparsers.add_parser("audit", help="export the audit log (admin), or show one incident's history")
    audit.add_argument("--incident", metavar="UID", help="only this incident, its claims and what was merged into it")
    audit.add_argument("--entity", choices=("incident", "claim", "place", "user", "settings", "database"))
    audit.add_argument("--since", type=datetime.fromisoformat, metavar="YYYY-MM-DD[THH:MM]")
    audit.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    audit.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    add_store_options(audit, writes=True)
    audit.set_defaults(handler=run_audit)


def run_init(args: argparse.Namespace) -> int:
    """Create or migrate the database; optionally store the four-eyes policy."""
    store, settings = open_store(args)
    if args.auth and args.auth != settings.auth_mode:
        accounts.set_auth_mode(store, acting_user(store, settings, args.user), args.auth,
                               reason="python -m incidents init --auth")
    if args.four_eyes:
        service.set_four_eyes(store, acting_user(store, settings, args.user), args.four_eyes == "on",
                              reason="python -m incidents init --four-eyes")
    policy = service.load_policy(store)
    print(f"database ready at schema revision {schema_revision(store.engine)}: "
          f"{store.count_incidents()} incident(s); four eyes {'on' if policy.four_eyes else 'off'} in the database; "
          f"sign-in mode {accounts.auth_mode(store)}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    """Write a backup file."""
    store, settings = open_store(args)
    info = backup.backup_database(store, acting_user(store, settings, args.user), args.file)
    print(f"{info.summary()} → {args.file}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore a backup into an empty database."""
    settings = Settings.from_env()
    store = Store.open(args.database or settings.database_url, sample=False)
    actor: User | None = None
    if args.user:
        actor = User(args.user, "admin")  # the database is empty: there is no account to check the name against
    elif settings.auth_mode == "local":
        actor = LOCAL_USER
    info = backup.restore_database(store, args.file, actor)
    print(f"restored {info.summary()}")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    """Export audit entries."""
    store, settings = open_store(args)
    backup.refuse_database_file(store, args.output)
    user = acting_user(store, settings, args.user)
    query = service.AuditQuery(entity=args.entity, since=args.since)
    if args.incident:
        entries = service.history(store, args.incident, user)
        data = service.format_audit_entries(entries, args.format)
    else:
        data = service.export_audit_log(store, user, args.format, query)
    write_output(data, args.output)
    return 0
