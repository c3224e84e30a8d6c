"""The command line in a shared installation: every writing command names its user and refuses a viewer; a
viewer's export holds published records only."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from incidents.domain.users import User
from incidents.io.exporter import export_incidents
from incidents.services import accounts, service
from incidents.storage.store import Store

from ..conftest import make_incident, run_incidents_in_process

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A shared SQLite installation with an admin and a viewer, one draft and one published incident."""
    folder = tmp_path_factory.mktemp("shared")
    url = f"sqlite:///{folder / 'shared.sqlite3'}"
    store = Store.open(url, sample=False)
    boss = accounts.add_user(store, None, "boss", "admin", "boss password 1")
    accounts.add_user(store, boss, "vi", "viewer", "viewer password")
    draft, published = service.create_incidents(store, boss, [
        make_incident(place_text="Draft place"),
        make_incident(place_text="Published place", status="published")])
    (folder / "new.csv").write_bytes(export_incidents([make_incident()], "csv"))
    store.engine.dispose()
    env = {**os.environ, "INCIDENTS_AUTH": "shared", "DATABASE_URL": url, "PYTHONPATH": str(REPO)}
    return {"env": env, "folder": folder, "draft": draft.uid, "published": published.uid}


def run(shared, *args: str) -> subprocess.CompletedProcess:
    """Run the command line in this process (``run_incidents_in_process`` in tests/conftest.py)."""
    return run_incidents_in_process(args, env=shared["env"], text=True)


WRITING = {
    "import": lambda s: ("import", str(s["folder"] / "new.csv"), "--no-geocode"),
    "users add": lambda s: ("users", "add", "someone", "--role", "viewer"),
    "users set-role": lambda s: ("users", "set-role", "vi", "admin"),
    "users disable": lambda s: ("users", "disable", "boss"),
    "backup": lambda s: ("backup", str(s["folder"] / "b.backup")),
    "init --four-eyes": lambda s: ("init", "--four-eyes", "off"),
    "audit": lambda s: ("audit",),
}


@pytest.mark.slow
@pytest.mark.parametrize("command", list(WRITING))
def test_viewer_is_refused(shared, command):
    done = run(shared, *WRITING[command](shared), "--user", "vi")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "vi (viewer) may not" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("command", ["import", "backup", "audit"])
def test_shared_mode_needs_a_user(shared, command):
    done = run(shared, *WRITING[command](shared))
    assert done.returncode == 2 and "--user NAME" in done.stderr


@pytest.mark.slow
def test_viewer_cannot_read_a_history_but_an_admin_can(shared):
    refused = run(shared, "audit", "--incident", shared["published"], "--user", "vi")
    assert refused.returncode == 2 and "may not see the history" in refused.stderr
    done = run(shared, "audit", "--incident", shared["published"], "--user", "boss", "--format", "jsonl")
    assert done.returncode == 0 and shared["published"] in done.stdout


@pytest.mark.slow
def test_viewer_exports_published_records_only(shared):
    done = run(shared, "export", "--format", "csv", "--user", "vi")
    assert done.returncode == 0, done.stderr
    assert shared["published"] in done.stdout and shared["draft"] not in done.stdout
    assert accounts.get_user(Store.open(shared["env"]["DATABASE_URL"], sample=False), "vi") == User("vi", "viewer")


@pytest.mark.slow
def test_a_viewers_export_does_not_name_the_researchers(shared):
    """#12: the history is hidden from viewers because it names who entered what; so are these columns."""
    for name, named in (("vi", False), ("boss", True)):
        done = run(shared, "export", "--format", "csv", "--user", name)
        assert done.returncode == 0, done.stderr
        table = list(csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"))))
        published = next(r for r in table if r["uid"] == shared["published"])
        assert ("created_by" in published and "updated_by" in published) == named
        assert ("created_by" in json.loads(published["claims"])[0]) == named
        assert ("boss" in done.stdout) == named
        done = run(shared, "export", "--format", "geojson", "--user", name)
        feature = next(f for f in json.loads(done.stdout)["features"] if f["id"] == shared["published"])
        assert ("created_by" in feature["properties"]) == named
        assert ("created_by" in feature["properties"]["claims"][0]) == named
