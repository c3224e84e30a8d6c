"""A running dashboard (``streamlit run app.py`` on a free port, temp SQLite) and a headless Debian chromium.

The server is polled until it answers; if it dies the test fails with its output; it is always stopped.
Every request that does not go to this machine is blocked and recorded: the dashboard must work offline.
Without chromium, streamlit or playwright the tests skip; with ``REQUIRE_BROWSER=1`` (``make test``) they fail
instead, as a missing PostgreSQL does with ``REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

from incidents.domain.records import Claim
from incidents.domain.users import LOCAL_USER
from incidents.services.sample import open_with_sample
from incidents.services.service import create_incidents
from incidents.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAYLOAD_DESCRIPTION = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2;alert(2)"> '
                       '![x](http://198.51.100.7/x.png) [click](javascript:window.__pwned=4)')
PAYLOAD_QUOTE = '<img src=x onerror="window.__pwned=3;alert(3)"> قُتل ثلاثة مدنيين'
PAYLOAD_SOURCE = '<img src=x onerror="window.__pwned=6">Local network'


def browser_missing(reason: str) -> NoReturn:
    """Skip for ``reason`` (something the browser tests need is missing), or fail when ``REQUIRE_BROWSER=1``."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"a browser is required (REQUIRE_BROWSER=1) but the test {reason}")
    pytest.skip(reason, allow_module_level=True)


def require_chromium() -> None:
    """Skip or fail (see :func:`browser_missing`) unless Debian chromium is installed."""
    if not Path(CHROMIUM).exists():
        browser_missing(f"needs Debian chromium at {CHROMIUM}")


def playwright_api() -> ModuleType:
    """Return ``playwright.sync_api``; skip or fail (see :func:`browser_missing`) when it is not installed."""
    try:
        return importlib.import_module("playwright.sync_api")
    except ImportError as exc:
        browser_missing(f"needs playwright ({exc})")


def seed(url: str, make) -> None:
    """Fill a new store at ``url`` with incidents at three places, one of them carrying the payloads."""
    store = Store.open(url, sample=False)
    create_incidents(store, LOCAL_USER, [
        make(uid="hajin-1", status="published", grading="confirmed", place_id="wof:890449895"),
        make(uid="hajin-2", status="published", grading="fair", place_id="wof:890449895",
             date_start=date(2018, 11, 20), date_end=date(2018, 11, 20)),
        make(uid="baghuz-1", status="published", grading="fair", actor="sdf", event_type="shelling",
             place_id=None, place_text="Baghuz", place_name_en="Al-Baghuz Fawqani", place_name_ar="الباغوز فوقاني",
             lat=34.4528, lon=40.9389, date_start=date(2019, 1, 5), date_end=date(2019, 1, 5),
             claim=dict(killed_min=10, killed_max=15)),
        make(uid="payload-1", status="published", grading="weak", actor="isis", event_type="attack",
             place_id=None, place_text="Mayadin", place_name_en="Al-Mayadin <i>town</i>", place_name_ar="الميادين",
             lat=35.0197, lon=40.4516, admin2="SY0903", admin3="SY090300", date_start=date(2017, 6, 1),
             date_end=date(2017, 6, 1), description=PAYLOAD_DESCRIPTION,
             claims=[Claim(source_name=PAYLOAD_SOURCE, quote=PAYLOAD_QUOTE, killed_min=2, killed_max=4,
                           url="javascript:window.__pwned=5", civilians="yes")]),
        # a cumulative toll: a band behind the timeline (context, never summed), which must not stop the drag
        make(uid="week-1", status="published", record_kind="cumulative", place_id="wof:890449895",
             date_start=date(2018, 11, 10), date_end=date(2018, 11, 21), date_precision="week",
             claim=dict(killed_min=100, killed_max=None)),
    ])
    store.engine.dispose()


def disputed_incidents() -> list:
    """Synthetic incidents (written for the test) whose sources disagree, one known only to a date range and
    one without a date: what the claims table, the timeline and the place profile must show plainly."""
    from tests.conftest import make_incident

    disputed = make_incident(uid="disputed-1", status="published", grading="contested", place_id="wof:890449895",
                             date_start=date(2018, 12, 2), date_end=date(2018, 12, 2),
                             claim=dict(source_name="First source (synthetic)", killed_min=70, killed_max=70,
                                        injured_min=12, injured_max=15, civilians="yes"))
    disputed.claims.append(Claim(source_name="Second source (synthetic)", quote="Synthetic: more than 70 killed.",
                                 source_kind="ngo", killed_min=70, killed_max=None, civilians="unknown"))
    ranged = make_incident(uid="ranged-1", status="published", grading="fair", place_id="wof:890449895",
                           date_start=date(2018, 10, 1), date_end=date(2018, 12, 31), date_precision="month")
    undated = make_incident(uid="undated-1", status="published", grading="weak", place_id="wof:890449895",
                            date_start=None, date_end=None, date_precision="unknown")
    return [disputed, ranged, undated]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running dashboard (``python -m incidents.ui.launch``, as ``make run``)."""

    base: str
    process: subprocess.Popen
    log: Path
    requests_blocked: list[str] = field(default_factory=list)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


def _wait_until_ready(server: Server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"streamlit exited with {server.process.returncode}:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{server.base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer within {timeout}s:\n{server.output()}")


def start_server(url: str, folder: Path) -> Iterator[Server]:
    """Run ``streamlit run app.py`` against ``url`` until the generator is closed (then stop it, always)."""
    require_chromium()
    if shutil.which("streamlit", path=str(Path(sys.executable).parent)) is None:
        browser_missing("needs streamlit in this environment")
    port = free_port()
    log = folder / "streamlit.log"
    env = {**os.environ, "DATABASE_URL": url, "INCIDENTS_AUTH": "local", "INCIDENTS_TILES": "offline",
           "PYTHONPATH": str(ROOT)}
    # started as make run starts it: the launcher (warm start), which runs ``streamlit run app.py``
    command = [sys.executable, "-m", "incidents.ui.launch", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    running = Server(base=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        _wait_until_ready(running)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture
def server(tmp_path, incident_factory) -> Iterator[Server]:
    """``streamlit run app.py`` against a seeded temp SQLite database; stopped afterwards, always."""
    require_chromium()
    url = f"sqlite:///{tmp_path / 'browser.sqlite3'}"
    seed(url, incident_factory)
    yield from start_server(url, tmp_path)


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory) -> Iterator[Server]:
    """``streamlit run app.py`` against a new SQLite database filled with the bundled sample incidents (what
    ``make run`` shows a new user); one server for the module's tests."""
    require_chromium()
    folder = tmp_path_factory.mktemp("sample-server")
    url = f"sqlite:///{folder / 'sample.sqlite3'}"
    store = open_with_sample(url)
    create_incidents(store, LOCAL_USER, disputed_incidents())
    store.engine.dispose()
    yield from start_server(url, folder)


def _local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "http://localhost", "data:", "blob:", "about:"))


def open_page(server: Server, height: int = 1000):
    """A chromium page that may reach only this machine; dialogs are recorded and dismissed (a context manager).

    Streamlit scrolls inside its own container, so a screenshot shows one window: ``height`` sets how much.
    """
    return _page_session(playwright_api(), server, height)


@contextmanager
def _page_session(sync_api, server: Server, height: int):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": height})

        def route(request_route) -> None:
            target = request_route.request.url
            if _local(target):
                request_route.continue_()
            else:
                server.requests_blocked.append(target)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.dialogs = []  # type: ignore[attr-defined]
        page.errors = []  # type: ignore[attr-defined]
        page.console_errors = []  # type: ignore[attr-defined]

        def on_dialog(dialog) -> None:
            page.dialogs.append(dialog.message)  # type: ignore[attr-defined]
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
        page.on("console", lambda message: page.console_errors.append(message.text)  # type: ignore[attr-defined]
                if message.type == "error" else None)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def browser_page(server: Server):
    """A chromium page on the seeded server (see :func:`open_page`)."""
    with open_page(server) as page:
        yield page


@pytest.fixture
def sample_page(sample_server: Server):
    """A chromium page on the sample server (see :func:`open_page`)."""
    with open_page(sample_server, height=2400) as page:
        yield page
