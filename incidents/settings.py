"""Settings of a running installation, read once at an edge (command line or UI) and passed inward as values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from incidents.db.engine import database_url


@dataclass(frozen=True)
class Settings:
    """Configuration from the environment (and, in the UI, ``st.secrets``).

    Attributes
    ----------
    database_url
        ``DATABASE_URL``; default the embedded SQLite file ``var/incidents.sqlite3``.
    auth_mode
        ``INCIDENTS_AUTH``: "local" (single user, no sign-in) or "shared" (sign-in, roles). Default: local on
        SQLite, shared on any other database.
    four_eyes
        ``INCIDENTS_FOUR_EYES=1``: a reviewer may not review or publish an incident they entered.
    tiles
        ``INCIDENTS_TILES``: "offline" (bundled boundaries only; the default) or "osm" (OpenStreetMap tiles
        when online, bundled boundaries underneath).
    """

    database_url: str
    auth_mode: str = "local"
    four_eyes: bool = False
    tiles: str = "offline"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Return the settings described by ``environ`` (default ``os.environ``)."""
        env = os.environ if environ is None else environ
        url = database_url(dict(env))
        default_auth = "local" if url.startswith("sqlite") else "shared"
        auth = env.get("INCIDENTS_AUTH", default_auth).strip().lower()
        if auth not in ("local", "shared"):
            raise ValueError(f"INCIDENTS_AUTH must be local or shared; got {auth!r}")
        tiles = env.get("INCIDENTS_TILES", "offline").strip().lower() or "offline"
        return cls(database_url=url, auth_mode=auth, four_eyes=env.get("INCIDENTS_FOUR_EYES", "") in ("1", "true"),
                   tiles=tiles)
