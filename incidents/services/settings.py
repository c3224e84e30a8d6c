"""Settings of a running installation, read once at an edge (command line or UI) and passed inward as values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from incidents.storage.engine import REPO_ROOT, database_url

if TYPE_CHECKING:
    from incidents.storage.store import Store

DEFAULT_CACHE_DIR = REPO_ROOT / "var" / "cache"


@dataclass(frozen=True)
class Settings:
    """Configuration from the environment (and, in the UI, ``st.secrets``).

    Attributes
    ----------
    database_url
        ``DATABASE_URL``; default the embedded SQLite file ``var/incidents.sqlite3``.
    auth_mode
        "local" (single user, no sign-in) or "shared" (sign-in, roles). From the environment this is only a
        request: the mode belongs to the database opened (:func:`incidents.services.accounts.auth_mode`), and
        :meth:`settle` sets this field to it. Read it only from settled settings.
    auth_requested
        ``INCIDENTS_AUTH`` as given (None when unset).
    four_eyes
        ``INCIDENTS_FOUR_EYES=1``: a reviewer may not review or publish an incident they entered. Setting it
        stores the rule in the database (:meth:`settle`), which every path reads.
    tiles
        ``INCIDENTS_TILES``: "offline" (bundled boundaries only; the default) or "osm" (OpenStreetMap tiles
        when online, bundled boundaries underneath).
    cache_dir
        ``INCIDENTS_CACHE_DIR``: where the dashboard keeps snapshots of the incident frame (default
        ``var/cache``; ``off`` disables them).
    """

    database_url: str
    auth_mode: str = "local"
    four_eyes: bool = False
    tiles: str = "offline"
    cache_dir: Path | None = DEFAULT_CACHE_DIR
    auth_requested: str | None = None

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
        cache = env.get("INCIDENTS_CACHE_DIR", "").strip()
        cache_dir = None if cache.lower() == "off" else (Path(cache) if cache else DEFAULT_CACHE_DIR)
        requested = auth if env.get("INCIDENTS_AUTH", "").strip() else None
        return cls(database_url=url, auth_mode=auth, four_eyes=env.get("INCIDENTS_FOUR_EYES", "") in ("1", "true"),
                   tiles=tiles, cache_dir=cache_dir, auth_requested=requested)

    def settle(self, store: Store, url: str | None = None) -> Settings:
        """Return these settings as they apply to the database ``store`` (opened from ``url``).

        The database is the one source of truth for the sign-in mode and the four-eyes rule, whichever way it
        was reached (``DATABASE_URL``, ``--database``, the dashboard): ``INCIDENTS_AUTH=shared`` and
        ``INCIDENTS_FOUR_EYES=1`` are stored in it (never the other way round), and the returned settings
        carry the database's own values.
        """
        from incidents.services import accounts, service

        mode = accounts.auth_mode(store, self.auth_requested)
        four_eyes = service.adopt_four_eyes(store, self.four_eyes)
        return replace(self, database_url=url or self.database_url, auth_mode=mode, four_eyes=four_eyes)
