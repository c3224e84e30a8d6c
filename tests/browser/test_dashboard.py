"""The dashboard in a real browser: Leaflet draws the places offline, the actor filter changes the count, and
hostile report text shows as text and runs nothing."""

from __future__ import annotations

import re

import pytest

from .conftest import PAYLOAD_QUOTE, playwright_api

pytestmark = pytest.mark.browser
expect = playwright_api().expect
LOAD = 90_000  # ms: the first run of a server loads the gazetteer
MAP_FRAME = re.compile(r"streamlit_folium")


def caption_text(page) -> str:
    return page.locator(".im-caption").first.inner_text(timeout=LOAD)


def map_frame(page):
    page.wait_for_selector("iframe[title*='streamlit_folium']", timeout=LOAD)
    for _ in range(200):
        frame = next((f for f in page.frames if MAP_FRAME.search(f.url)), None)
        if frame is not None:
            return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"no map frame among {[f.url for f in page.frames]}")


DRAWN_PLACES = """() => {
  if (!window.map || !window.L) return null;
  const keys = [];
  window.map.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.key) {
      keys.push(l.feature.properties.key); } });
  return keys.sort();
}"""


def drawn_places(frame, expected: int) -> list[str]:
    frame.wait_for_function(f"() => {{ const k = ({DRAWN_PLACES})(); return k && k.length === {expected}; }}",
                            timeout=LOAD)
    return frame.evaluate(DRAWN_PLACES)


def pwned(page) -> list:
    return [f.evaluate("() => window.__pwned === undefined ? null : window.__pwned") for f in page.frames]


def assert_nothing_ran(page, server) -> None:
    assert pwned(page) == [None] * len(page.frames)
    assert page.dialogs == []
    for frame in page.frames:
        assert frame.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert server.requests_blocked == [], "the dashboard reached outside this machine"


IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def open_popup(page, frame, point: dict, attempts: int = 3):
    """Click the map at ``point`` (a real click, hit-tested on the canvas) and return the open popup.

    The click reruns the page ("Selected on the map" appears when that run has ended). The map's start-up run
    (the component reports its first view once drawn) may land just after a click and redraw the layers,
    closing the popup; so the click is judged once the page is idle after it, and made again if the popup did
    not survive. Every wait is for a condition, never for a time."""
    popup = frame.locator(".leaflet-popup-content")
    for _ in range(attempts):
        page.wait_for_selector(IDLE, timeout=LOAD)
        frame.locator("#map_div").click(position=point)
        popup.wait_for(timeout=LOAD)
        page.get_by_text("Selected on the map").wait_for(timeout=LOAD)
        page.wait_for_selector(IDLE, timeout=LOAD)
        if popup.count():
            return popup
    raise AssertionError(f"the popup did not stay open after {attempts} clicks")


def test_map_filter_and_escaping_in_a_real_browser(server, browser_page):
    page = browser_page
    page.goto(f"{server.base}/Map", wait_until="domcontentloaded")
    assert caption_text(page).endswith("· 4 incidents")
    frame = map_frame(page)
    keys = drawn_places(frame, 3)  # one feature per place: Hajin (2 incidents), Baghuz, Mayadin
    assert keys == sorted(["wof:890449895", "pt:34.4528,40.9389", "pt:35.0197,40.4516"])
    assert frame.evaluate("() => [...document.scripts].some(s => s.src.endsWith('/app/static/incidents-map/incidents-map.bundle.js'))")
    assert frame.locator("canvas.leaflet-zoom-animated").count() >= 1  # drawn, on the canvas renderer

    # Open the popup of the place whose source name carries a payload: it must show as text.
    point = frame.evaluate("""() => { let p = null; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.key === 'pt:35.0197,40.4516') {
            p = window.map.latLngToContainerPoint(l.getLatLng()); } }); return {x: p.x, y: p.y}; }""")
    popup = open_popup(page, frame, point)
    text = popup.inner_text()
    assert '<img src=x onerror="window.__pwned=6">Local network' in text  # the source name, as text
    assert "Al-Mayadin <i>town</i>" in text and "الميادين" in text  # both names; markup in a name is text
    assert popup.locator("a[href^='javascript']").count() == 0
    # The click reruns the page once (only clicks do: returned_objects) and offers the place's profile.
    page.get_by_text("Selected on the map").wait_for(timeout=LOAD)
    page.locator("a[href*='place=pt']").first.wait_for(timeout=LOAD)  # a link to the place's profile

    # Narrow to one actor in the sidebar: the caption, the count and the map follow.
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.click()
    page.keyboard.type("US-led")
    page.keyboard.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('.im-caption')].some("
                           "e => e.innerText.includes('US-led coalition') && e.innerText.includes('2 incidents'))",
                           timeout=LOAD)
    assert "actor=coalition" in page.url
    assert drawn_places(map_frame(page), 1) == ["wof:890449895"]
    assert_nothing_ran(page, server)


#: Records, in the page, what was in the DOM when the map's frame first appeared, and how often a map frame was
#: added (a frame replaced by the second run of a new session would load the map twice).
ORDER_WATCH = """() => {
  window.__order = {framesAdded: 0, sidebarWithFrame: null};
  const sidebarWidgets = () => document.querySelectorAll(
    "[data-testid='stSidebar'] [data-testid='stPageLink'], [data-testid='stSidebar'] [data-testid='stMultiSelect']").length;
  new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) {
      const frames = n.nodeType === 1 ? [n, ...n.querySelectorAll('iframe')] : [];
      for (const f of frames) if (f.tagName === 'IFRAME' && (f.title || '').includes('streamlit_folium')) {
        window.__order.framesAdded += 1;
        if (window.__order.sidebarWithFrame === null) window.__order.sidebarWithFrame = sidebarWidgets();
      }
    }
  }).observe(document, {subtree: true, childList: true});
}"""


def test_a_new_visitor_gets_the_map_frame_before_the_sidebar_widgets(server, browser_page):
    """#16: a new session's first run draws the page without the sidebar's widgets (their parts of the front end
    would hold the map's frame back); the second run adds them and keeps the map's frame as it is."""
    page = browser_page
    page.add_init_script(f"document.addEventListener('DOMContentLoaded', {ORDER_WATCH})")
    page.goto(f"{server.base}/", wait_until="domcontentloaded")
    drawn_places(map_frame(page), 3)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.locator("[data-testid='stMultiSelect']").first).to_be_visible(timeout=LOAD)
    expect(sidebar.locator("[data-testid='stPageLink']").first).to_be_visible(timeout=LOAD)
    page.wait_for_selector(IDLE, timeout=LOAD)
    order = page.evaluate("() => window.__order")
    assert order == {"framesAdded": 1, "sidebarWithFrame": 0}, order
    assert "/component/streamlit_folium" in next(f.url for f in page.frames if MAP_FRAME.search(f.url))
    assert page.evaluate("() => performance.getEntriesByType('resource').filter(e => e.initiatorType === 'iframe'"
                         " && e.name.includes('streamlit_folium')).length") == 1
    assert_nothing_ran(page, server)


def test_incident_detail_shows_payload_as_text(server, browser_page):
    page = browser_page
    page.goto(f"{server.base}/Incidents?incident=payload-1", wait_until="domcontentloaded")
    page.get_by_text("Claims side by side").wait_for(timeout=LOAD)
    main = page.locator("[data-testid='stMain']")
    # The detail is drawn piece by piece: wait for the last piece each assertion reads (the quote under the
    # claims table), and for the run to end, never for a time.
    expect(main).to_contain_text("قُتل ثلاثة مدنيين", timeout=LOAD)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=LOAD)
    body = main.inner_text()
    assert "<script>window.__pwned=1</script>" in body
    assert '<img src=x onerror="window.__pwned=3;alert(3)">' in body
    assert "قُتل ثلاثة مدنيين" in PAYLOAD_QUOTE and "قُتل ثلاثة مدنيين" in body
    assert "![x](http://198.51.100.7/x.png)" in body  # Markdown left as text: no image request went out
    # Any injected handler would have fired by the time the page's own images have loaded and settled.
    page.wait_for_load_state("load")
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=LOAD)
    assert_nothing_ran(page, server)
    assert page.errors == []


def test_dragging_across_the_timeline_sets_the_date_filter(server, browser_page):
    page = browser_page
    page.goto(f"{server.base}/Timeline", wait_until="domcontentloaded")
    assert caption_text(page).endswith("· 4 incidents")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for(timeout=LOAD)
    plot = chart.locator("canvas, svg").first
    plot.wait_for(timeout=LOAD)
    box = plot.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] * 0.5
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=8)
    page.mouse.move(box["x"] + box["width"] * 0.97, y, steps=8)
    page.mouse.up()
    # the selection's callback sets the filter's dates: the URL, the sidebar and the caption follow
    page.wait_for_url(re.compile(r"[?&]from=\d{4}-\d\d-\d\d.*[?&]to=\d{4}-\d\d-\d\d|[?&]to=.*[?&]from="), timeout=LOAD)
    page.wait_for_function("() => { const c = document.querySelector('.im-caption');"
                           " return c && /\\d{4}-\\d\\d-\\d\\d/.test(c.innerText) && !/· 4 incidents/.test(c.innerText); }",
                           timeout=LOAD)
    clear = page.get_by_role("button", name="Clear the date range")
    clear.wait_for(timeout=LOAD)
    clear.click()  # and the range can be taken off again
    page.wait_for_function("() => { const c = document.querySelector('.im-caption');"
                           " return c && /· 4 incidents/.test(c.innerText); }", timeout=LOAD)
    assert "from=" not in page.url
    assert_nothing_ran(page, server)
