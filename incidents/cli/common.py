"""What every command shares: opening the store from the settings and naming the acting user."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incidents.domain.errors import IncidentsError, PermissionDenied
from incidents.domain.users import LOCAL_USER, User
from incidents.services.accounts import auth_mode, get_user
from incidents.services.sample import open_with_sample
from incidents.services.settings import Settings
from incidents.storage.store import Store


def add_store_options(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
    """Add ``--database`` (and ``--user`` for writing commands) to a command's parser."""
    parser.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL, else the embedded "
                        "SQLite file var/incidents.sqlite3)")
    parser.add_argument("--empty", action="store_true",
                        help="if the database is new, create it without the sample incidents")
    if writes:
        parser.add_argument("--user", metavar="NAME", help="acting user (required in shared mode; refused for "
                            "viewers)")


def open_store(args: argparse.Namespace) -> tuple[Store, Settings]:
    """Open the database named by the arguments or the environment; the settings returned are those of that
    database (its sign-in mode and four-eyes rule: see :meth:`Settings.settle`)."""
    settings = Settings.from_env()
    url = getattr(args, "database", None) or settings.database_url
    store = open_with_sample(url, sample=not getattr(args, "empty", False))
    return store, settings.settle(store, url)


def acting_user(store: Store, settings: Settings, name: str | None) -> User:
    """Return the user a command acts as: ``--user NAME``, or the local user in local single-user mode.

    The mode is the database's own (:func:`incidents.services.accounts.auth_mode`), whatever ``settings`` say.
    """
    if name:
        user = get_user(store, name)
        if user is None:
            raise PermissionDenied(f"no enabled user named {name!r}; add one with `python -m incidents users add`")
        return user
    if auth_mode(store, settings.auth_requested) == "local":
        return LOCAL_USER
    raise PermissionDenied("this installation is in shared mode: name the acting user with --user NAME")


def read_input(path: str, limit: int | None = None) -> tuple[bytes, str]:
    """Return the bytes and name of FILE, or of standard input when FILE is ``-``.

    Raises
    ------
    IncidentsError
        No such file, or it holds more than ``limit`` bytes (when given).
    """
    if path == "-":
        data, name = sys.stdin.buffer.read(-1 if limit is None else limit + 1), "stdin"
    else:
        file = Path(path)
        if not file.is_file():
            raise IncidentsError(f"no such file: {path}")
        if limit is not None and file.stat().st_size > limit:
            raise IncidentsError(f"{file.name} is {file.stat().st_size:,} bytes; this command reads at most "
                                 f"{limit:,}: split it")
        data, name = file.read_bytes(), file.name
    if limit is not None and len(data) > limit:
        raise IncidentsError(f"{name} holds more than {limit:,} bytes; this command reads at most {limit:,}: split it")
    return data, name


def write_output(data: bytes, path: str | None) -> None:
    """Write ``data`` to ``path``, or to standard output when no path is given."""
    if path in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        Path(path).write_bytes(data)
