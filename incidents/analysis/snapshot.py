"""A snapshot of the incident frame on disk, so that a restarted dashboard process does not rebuild it.

Reading a large store and building its frame takes tens of seconds per million incidents; reading the same
frame back from a Parquet file takes about a second. A snapshot is keyed on the database, the store's data
version (bumped by every write) and a hash of the code and data files that shape the frame (:data:`SHAPING`),
so it is never stale: after a write, or after an upgrade that changes the frame, the next load builds and saves a
new one. The query engine is loaded from the frame at start (2.7 s per million incidents on a slow machine) and needs no
snapshot of its own. Snapshots are a cache —
deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

log = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parents[1]
#: The files that shape the frame: its builder (``build_frame`` and ``prepare_frame``), the record's fields and
#: figures, and the taxonomy whose codes are the categories of its columns. A change in any of them invalidates
#: every snapshot. (The engine, the summaries and the search text read the frame but do not shape it.)
SHAPING = (_PACKAGE / "analysis" / "frame.py", _PACKAGE / "domain" / "records.py", _PACKAGE / "domain" / "taxonomy.py",
           *sorted((_PACKAGE / "data" / "taxonomy").glob("*.toml")))
#: Snapshots of other versions of the same database kept besides the newest (for processes still on them).
KEEP_OLD = 1


def code_key() -> str:
    """Return the hash of the files that shape the frame (:data:`SHAPING`), part of every snapshot's name."""
    digest = hashlib.sha256()
    for path in SHAPING:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_path(folder: Path, url: str, version: int, name: str = "frame") -> Path:
    """Return the snapshot file ``name`` of database ``url`` at data ``version`` in ``folder``."""
    database = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return folder / f"{name}-{database}-v{version}-{code_key()}.parquet"


def load_or_build(folder: Path | None, url: str, version: int, build: Callable[[], pd.DataFrame],
                  name: str = "frame") -> pd.DataFrame:
    """Return the frame of ``url`` at ``version``: read from its snapshot, or built by ``build`` and saved.

    Parameters
    ----------
    folder
        Where snapshots live; None disables them. A folder that cannot be written only costs the speed-up.
    url, version
        The database and its data version (the snapshot's key, with the frame-building code).
    build
        Builds the frame when there is no usable snapshot.
    name
        Which table of that database and version (several are kept side by side).
    """
    if folder is None:
        return contiguous(build())
    path = snapshot_path(folder, url, version, name)
    if path.exists():
        try:
            return contiguous(pd.read_parquet(path))
        except Exception:  # noqa: BLE001 - a damaged or partial file: rebuild it
            log.warning("unreadable frame snapshot %s; rebuilding it", path)
    frame = build()
    _save(frame, path)
    _prune(path)
    return contiguous(frame)


def contiguous(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with each Arrow-backed column in one piece (changed in place: a frame not yet shared).

    Parquet reads a column as one chunk per row group, and Arrow's ``take`` of a few rows from a chunked column
    first joins all its chunks: 18 ms for a million uids on every popup list of the map, instead of under 1 ms.
    """
    for column in frame.columns:
        dtype = frame[column].dtype
        if not (isinstance(dtype, pd.ArrowDtype) or (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow")):
            continue
        arrow = pa.array(frame[column].array)
        if isinstance(arrow, pa.ChunkedArray) and arrow.num_chunks > 1:
            frame[column] = pd.array(arrow.combine_chunks(), dtype=dtype)
    return frame


def _save(frame: pd.DataFrame, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(handle)
        frame.to_parquet(temporary, index=False)
        os.replace(temporary, path)  # atomic: another process never reads half a file
    except Exception:  # noqa: BLE001 - a snapshot is only a cache
        log.warning("could not save the frame snapshot %s", path, exc_info=True)


def _prune(newest: Path) -> None:
    prefix = newest.name.split("-v", 1)[0] + "-v"
    older = sorted((p for p in newest.parent.glob(prefix + "*.parquet") if p != newest),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[KEEP_OLD:]:
        try:
            stale.unlink()
        except OSError:
            pass
