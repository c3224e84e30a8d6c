"""Browser figures in Debian's chromium through playwright: saved maps, and the running dashboard.

Nothing leaves the machine: host names other than localhost do not resolve in the browser, and every request
to another host is aborted. Saved folium pages have their CDN URLs pointed at local copies first
(:func:`localise_html`: Leaflet from ``static/``; the MarkerCluster plugin from ``static/`` if vendored there,
else from the npm registry's package unpacked under ``bench/out/npm``); what has no local copy (jQuery,
Bootstrap, fonts: folium loads them, the maps do not need them) fails at once.

* :func:`render_time`: load a saved map page and wait until Leaflet has drawn it (map loaded, markers,
  clusters or canvas in the DOM, two animation frames later).
* :class:`Dashboard`: ``streamlit run app.py`` on a free port with ``DATABASE_URL`` pointing at a bench store;
  times process start → first map drawn, and a sidebar filter change → the map's data layers redrawn.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
NPM_DIR = ROOT / "bench" / "out" / "npm"
EXTRA_ARGS: list[str] = []
MARKERCLUSTER = "leaflet.markercluster@1.1.0"

#: True once Leaflet has drawn something: a loaded map with markers, clusters, vector paths or a canvas.
DRAWN_JS = """() => {
  const maps = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k]).filter(m => m && m._loaded);
  if (!maps.length) return false;
  return !!document.querySelector('.leaflet-marker-icon, path.leaflet-interactive, .leaflet-overlay-pane canvas');
}"""
FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
#: In the st_folium iframe: a signature of the data layers drawn now (None until the map and layers exist).
LAYERS_JS = """() => {
  const g = window.__GLOBAL_DATA__;
  if (!g || !window.map || !window.map._loaded || !window.feature_group || !window.feature_group.length) return null;
  const s = g.last_feature_group || '';
  let h = 0;  // the whole string's hash: layers packed to the byte budget can keep their length and their end
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return s.length + ':' + h + ':' + Object.keys(window.map._layers).length;
}"""


class BrowserUnavailable(RuntimeError):
    """Chromium or playwright is missing: the browser figures cannot be measured."""


def browser_available() -> str | None:
    """Return None when chromium and playwright are usable, else why not."""
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


# -- local copies of the browser assets folium asks for ------------------------------------------------------


def _npm_markercluster() -> Path | None:
    """Return the dist folder of the MarkerCluster plugin (npm registry, cached in bench/out/npm), or None."""
    dist = NPM_DIR / "leaflet.markercluster" / "dist"
    if (dist / "leaflet.markercluster.js").exists():
        return dist
    if shutil.which("npm") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(["npm", "pack", MARKERCLUSTER, "--pack-destination", tmp, "--silent"],
                              capture_output=True, text=True, timeout=120)
        packs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not packs:
            return None
        with tarfile.open(packs[0]) as archive:
            archive.extractall(NPM_DIR / "unpacked", filter="data")
    shutil.rmtree(NPM_DIR / "leaflet.markercluster", ignore_errors=True)
    (NPM_DIR / "unpacked" / "package").rename(NPM_DIR / "leaflet.markercluster")
    return dist


def local_assets() -> dict[str, Path]:
    """Return file name → local file for the CDN files folium's maps load (Leaflet, MarkerCluster)."""
    assets = {name: ROOT / "static" / "leaflet" / name for name in ("leaflet.js", "leaflet.css")}
    vendored = ROOT / "static" / "leaflet.markercluster"
    dist = vendored if (vendored / "leaflet.markercluster.js").exists() else _npm_markercluster()
    if dist is not None:
        for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"):
            assets[name] = dist / name
    return {name: path for name, path in assets.items() if path.exists()}


#: Requests to any host but this machine: aborted by the browser context (matched inside playwright).
NON_LOCAL = re.compile(r"^(?:https?|wss?)://(?!(?:127\.0\.0\.1|localhost)(?::\d+)?/)")


def localise_html(html: str, assets: dict[str, Path]) -> str:
    """Point the CDN URLs of a saved folium page at local copies (root-relative, for :func:`file_server`)."""
    def local(match: re.Match) -> str:
        url = match.group(0)
        name = url.rsplit("/", 1)[-1]
        path = assets.get(name)
        return "/" + str(path.relative_to(ROOT)) if path is not None else url

    return re.sub(r"https://[^\s\"'<>]+", local, html)


# -- a local file server for saved maps ---------------------------------------------------------------------


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Log nothing."""


@contextmanager
def file_server() -> Iterator[str]:
    """Serve the repository folder on 127.0.0.1 (``/static/...``, ``/bench/out/...``); yield its base URL."""
    port = free_port()
    handler = functools.partial(_QuietHandler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Yield a playwright browser context on Debian's chromium that never reaches the internet."""
    from playwright.sync_api import sync_playwright

    why = browser_available()
    if why:
        raise BrowserUnavailable(why)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route(NON_LOCAL, lambda route: route.abort())
        try:
            yield context
        finally:
            context.close()
            browser.close()


def render_time(context: Any, url: str, timeout_s: float = 300) -> float:
    """Return seconds from navigation to the map drawn, for a saved map page at ``url``."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        page.wait_for_function(DRAWN_JS, timeout=timeout_s * 1000, polling="raf")
        page.evaluate(FRAMES_JS)
        return time.perf_counter() - start
    finally:
        page.close()


# -- the running dashboard ------------------------------------------------------------------------------------


class DashboardFailed(RuntimeError):
    """The dashboard did not start or did not draw its map in time; the message holds its output."""


class Dashboard:
    """``streamlit run app.py`` against a bench store, driven by playwright.

    Parameters
    ----------
    database_url
        The bench store (``DATABASE_URL`` of the dashboard process).
    log_path
        Where the server's output goes (shown when it fails).
    """

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0

    @property
    def base_url(self) -> str:
        """The dashboard's address."""
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
        env.update(DATABASE_URL=self.database_url, INCIDENTS_AUTH="local", INCIDENTS_TILES="offline")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH", "")] if p])
        return env

    def start(self) -> None:
        """Start the server process (the cold-start clock starts here)."""
        command = [sys.executable, "-m", "bench.serve", "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"] + EXTRA_ARGS
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, env=self._env(), stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout_s: float) -> float:
        """Poll the first page until the server answers it (fail with its output if it died); return the
        seconds from process start to that answer."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise DashboardFailed(f"streamlit exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/", timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - self.started_at
            except OSError:
                time.sleep(0.05)
        raise DashboardFailed(f"streamlit did not answer in {timeout_s:.0f} s:\n{self.output()}")

    def wait_warm(self, timeout_s: float) -> float:
        """Wait until the launcher's warm-up has finished (its ``warm: ready`` line); return the seconds from
        process start."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if "warm: ready" in self.output(tail=400):
                return time.perf_counter() - self.started_at
            if self.process is not None and self.process.poll() is not None:
                raise DashboardFailed(f"streamlit exited with {self.process.returncode}:\n{self.output()}")
            time.sleep(0.05)
        raise DashboardFailed(f"the warm-up did not finish in {timeout_s:.0f} s:\n{self.output()}")

    def rss_mb(self) -> float:
        """Return the resident size of the server process (MB, from /proc)."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise DashboardFailed("no VmRSS in /proc for the dashboard process")

    def output(self, tail: int = 40) -> str:
        """Return the last lines of the server's output."""
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-tail:])

    def stop(self) -> None:
        """Stop the server process (it was started by this object; nothing else is touched)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def _map_frame(page: Any) -> Any | None:
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            return frame
    return None


def wait_for_layers(page: Any, timeout_s: float, differs_from: str | None = None) -> str:
    """Wait until the st_folium map has drawn data layers (different from ``differs_from``); return them."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        frame = _map_frame(page)
        signature = None
        if frame is not None:
            try:
                signature = frame.evaluate(LAYERS_JS)
            except Exception:  # noqa: BLE001 - the frame is being replaced: look again
                signature = None
        if frame is not None and signature is not None and signature != differs_from:
            frame.evaluate(FRAMES_JS)
            return str(signature)
        page.wait_for_timeout(10)  # lets playwright process events (a plain sleep would not)
    raise DashboardFailed(f"the map did not draw its data layers within {timeout_s:.0f} s")


def settle(page: Any, quiet_s: float = 1.5, timeout_s: float = 30) -> str:
    """Wait until the map's layers stop changing for ``quiet_s`` (start-up reruns are over); return them."""
    signature = wait_for_layers(page, timeout_s)
    stable_since = time.perf_counter()
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() - stable_since < quiet_s and time.perf_counter() < deadline:
        frame = _map_frame(page)
        now = frame.evaluate(LAYERS_JS) if frame is not None else None
        if now is not None and now != signature:
            signature, stable_since = now, time.perf_counter()
        page.wait_for_timeout(50)
    return signature


def first_map(dashboard: Dashboard, context: Any, path: str, timeout_s: float) -> tuple[float, Any]:
    """Open ``path`` on the started dashboard; return (seconds from process start to map drawn, page)."""
    page = context.new_page()
    page.goto(dashboard.base_url + path, wait_until="domcontentloaded", timeout=timeout_s * 1000)
    try:
        wait_for_layers(page, timeout_s)
    except DashboardFailed as error:
        raise DashboardFailed(f"{error}\n{dashboard.output()}") from None
    return time.perf_counter() - dashboard.started_at, page


def filter_change(page: Any, option_label: str, timeout_s: float = 120) -> float:
    """Pick ``option_label`` in the sidebar's first multiselect (actors); return seconds until the map redrew.

    The clock starts at the key press that commits the choice (the option is typed and shown first).
    """
    before = settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    box = sidebar.locator('[data-testid="stMultiSelect"]').first.locator("input")
    box.click()
    box.fill(option_label)
    page.get_by_role("option", name=option_label, exact=True).wait_for(state="visible", timeout=10_000)
    start = time.perf_counter()
    box.press("Enter")
    wait_for_layers(page, timeout_s, differs_from=before)
    elapsed = time.perf_counter() - start
    page.keyboard.press("Escape")
    return elapsed


def session_first_map(browser_: Any, base_url: str, path: str, timeout_s: float) -> float:
    """Open ``path`` in a new browser context (a new visitor: no cookies, no cached files; a new Streamlit
    session); return seconds from the page request to its map drawn."""
    context = browser_.new_context(viewport={"width": 1400, "height": 1000})
    context.route(NON_LOCAL, lambda route: route.abort())
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(base_url + path, wait_until="commit", timeout=timeout_s * 1000)
        wait_for_layers(page, timeout_s)
        return time.perf_counter() - start
    finally:
        context.close()


#: True once the page caption shows a date range and the script has finished its run (the chart, the
#: caption and the list below are all drawn for the new range).
RANGE_DRAWN_JS = """(before) => {
  const c = document.querySelector('.im-caption');
  const app = document.querySelector("[data-testid='stApp']");
  return !!c && c.innerText !== before && /\\d{4}-\\d\\d-\\d\\d/.test(c.innerText)
    && !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !!document.querySelector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg");
}"""


def timeline_drag(page: Any, share: tuple[float, float], timeout_s: float = 120) -> float:
    """Drag across the timeline chart over ``share`` of its width; return seconds from the mouse release to the
    page drawn for the selected range (caption, chart and list). The page must show the timeline."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_s * 1000)
    plot = page.locator("[data-testid='stVegaLiteChart']").first.locator("canvas, svg").first
    plot.wait_for(timeout=timeout_s * 1000)
    box = plot.bounding_box()
    if box is None:
        raise DashboardFailed("the timeline chart has no size")
    before = page.locator(".im-caption").first.inner_text()
    y = box["y"] + box["height"] * 0.5
    page.mouse.move(box["x"] + box["width"] * share[0], y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (share[0] + share[1]) / 2, y, steps=6)
    page.mouse.move(box["x"] + box["width"] * share[1], y, steps=6)
    start = time.perf_counter()
    page.mouse.up()
    page.wait_for_function(RANGE_DRAWN_JS, arg=before, timeout=timeout_s * 1000, polling="raf")
    return time.perf_counter() - start
