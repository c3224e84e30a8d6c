"""The bundled sample incidents: real incidents from real published reports, each claim with its source named
and the sentence quoted. The dashboard and the command line open their database with :func:`open_with_sample`,
so every new database is filled with them unless an empty one is asked for, and the dashboard is never empty and
always real. Rebuilt by ``python -m incidents sample-build`` (see :mod:`incidents.services.sample_build`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from incidents.domain.errors import ValidationError
from incidents.storage.store import Store

SAMPLE_PATH = Path(__file__).parents[1] / "data" / "sample_incidents.geojson"


def open_with_sample(url: str, *, sample: bool = True) -> Store:
    """Open the store at ``url`` (see :meth:`Store.open`); a new database is filled with the sample incidents,
    unless ``sample`` is False. A database opened before keeps what it holds."""
    return Store.open(url, seed=load_sample_into if sample else None)


def load_sample_into(store: Store, conn: Connection) -> int:
    """Insert the sample incidents in the open writing transaction ``conn``; return how many.

    Raises
    ------
    ValidationError
        The bundled file is broken (a bug of the release, never of the user).
    """
    from incidents.domain.users import SYSTEM_USER
    from incidents.services.importer import read_incidents
    from incidents.services.service import create_incidents

    if not SAMPLE_PATH.exists():
        return 0
    parsed = read_incidents(SAMPLE_PATH.read_bytes(), SAMPLE_PATH.name, "geojson")
    if parsed.errors:
        raise ValidationError(f"bundled sample data is invalid: {parsed.errors[0]}")
    create_incidents(store, SYSTEM_USER, parsed.valid, action="sample", reason="sample data of a new database",
                     conn=conn)
    return len(parsed.valid)
