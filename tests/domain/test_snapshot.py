"""Frame snapshots: built once per data version, read back identical, never stale, safe to lose."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from incidents.analysis import aggregate, snapshot
from incidents.domain.users import LOCAL_USER
from incidents.services.query import load_frame
from incidents.services.service import create_incidents


def test_built_once_per_version_and_read_back_identical(tmp_path, sqlite_store, incident_factory):
    create_incidents(sqlite_store, LOCAL_USER, [incident_factory(), incident_factory(actor="isis")])
    calls = []

    def build() -> pd.DataFrame:
        calls.append(1)
        return aggregate.prepare_frame(load_frame(sqlite_store))

    first = snapshot.load_or_build(tmp_path, "sqlite:///x", 3, build)
    again = snapshot.load_or_build(tmp_path, "sqlite:///x", 3, build)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again, check_dtype=False)  # parquet keeps ms, not s, datetimes
    assert again["actor"].dtype == "category" and list(again["actor"].cat.categories) == list(
        first["actor"].cat.categories)

    snapshot.load_or_build(tmp_path, "sqlite:///x", 4, build)  # a write bumped the version: rebuilt
    snapshot.load_or_build(tmp_path, "sqlite:///x", 5, build)
    assert len(calls) == 3
    kept = sorted(p.name.split("-")[2] for p in tmp_path.glob("frame-*.parquet"))
    assert kept == ["v4", "v5"]  # the newest and one older version (for processes still on it)


def test_a_damaged_snapshot_is_rebuilt_and_none_disables_them(tmp_path):
    frame = pd.DataFrame({"uid": ["a"], "killed_min": [3.0]})
    path = snapshot.snapshot_path(tmp_path, "u", 1)
    path.write_bytes(b"not parquet")
    assert snapshot.load_or_build(tmp_path, "u", 1, lambda: frame).equals(frame)
    assert pd.read_parquet(path).equals(frame)
    assert snapshot.load_or_build(None, "u", 1, lambda: frame).equals(frame)
    assert snapshot.snapshot_path(tmp_path, "u", 1) != snapshot.snapshot_path(tmp_path, "v", 1)


def test_the_key_follows_the_files_that_shape_the_frame(tmp_path, monkeypatch):
    names = {path.name for path in snapshot.SHAPING}
    assert {"frame.py", "records.py", "taxonomy.py", "actors.toml", "event_types.toml", "vocabularies.toml"} <= names
    shaping = tmp_path / "vocabularies.toml"
    shaping.write_text("[grading]\n", encoding="utf-8")
    monkeypatch.setattr(snapshot, "SHAPING", (shaping,))
    before = snapshot.snapshot_path(tmp_path, "u", 1)
    shaping.write_text("[grading]\nnew = 1\n", encoding="utf-8")  # a new code: the frame's categories change
    assert snapshot.snapshot_path(tmp_path, "u", 1) != before


def test_arrow_columns_come_back_in_one_piece():
    chunked = pa.chunked_array([pa.array(["a", "b"], pa.large_string()), pa.array([None, "d"], pa.large_string())])
    frame = pd.DataFrame({"uid": pd.array(chunked, dtype="str"), "n": [1, 2, 3, 4]})
    expected = frame.copy()
    whole = snapshot.contiguous(frame)
    arrow = pa.array(whole["uid"].array)
    assert not isinstance(arrow, pa.ChunkedArray) or arrow.num_chunks == 1
    pd.testing.assert_frame_equal(whole, expected)
