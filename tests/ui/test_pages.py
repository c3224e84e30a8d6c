"""Page tests with Streamlit's AppTest: every page runs, filters change figures, the URL round-trips, the
filter survives page switches, and report text is shown escaped.

AppTest cannot click inside the map component; the map is tested through its builder (tests/test_mapping.py)
and in a real browser (tests/browser/).
"""

from __future__ import annotations

import html
import re
from datetime import date
from html import unescape

import pytest
from streamlit.testing.v1 import AppTest

from incidents.ui import state

from .conftest import ROOT

PAGES = ["pages/1_Map.py", "pages/2_Timeline.py", "pages/3_Incidents.py", "pages/4_Place.py"]
TIMEOUT = 120  # the first run in a process loads the gazetteer


def new_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def run(at: AppTest, page: str | None = None) -> AppTest:
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


BDI = re.compile(r"</?bdi[^>]*>")


def plain(text: str) -> str:
    """Text without the direction isolates the pages put around numbers and names (invisible characters, or the
    ``<bdi>`` elements that stand for them in HTML)."""
    return BDI.sub("", text.translate(ISOLATES))


def caption(at: AppTest) -> str:
    found = [m.value for m in at.markdown if 'class="im-caption"' in m.value]
    assert found, "no caption above the view"
    return plain(unescape(re.sub(r"<[^>]+>", "", found[0])))


def metric(at: AppTest, label: str) -> str:
    values = [plain(m.value) for m in at.metric if m.label.startswith(label)]
    assert values, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return values[0]


def query(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


@pytest.mark.parametrize("page", [None, *PAGES, "pages/5_Add_report.py", "pages/6_Possible_duplicates.py"])
def test_every_page_runs_on_an_empty_database(tmp_path, monkeypatch, page):
    from incidents.storage.store import Store

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    Store.open(url, sample=False).engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INCIDENTS_AUTH", "local")
    at = run(new_app(), page)
    if page not in ("pages/4_Place.py", "pages/5_Add_report.py", "pages/6_Possible_duplicates.py"):
        assert "0 incidents" in caption(at)


def test_a_filter_that_selects_nothing(app_db):
    for page in [None, *PAGES]:
        at = run(new_app({"actor": "turkey"}), page)
        if page != "pages/4_Place.py":
            assert "0 incidents" in caption(at)


@pytest.mark.parametrize("page", [None, *PAGES])
def test_every_page_runs(app_db, page):
    at = run(new_app(), page)
    if page != "pages/4_Place.py":
        assert "4 incidents" in caption(at)  # the draft does not count by default


def test_overview_figures_for_the_default_filter(app_db):
    at = run(new_app())
    assert metric(at, "Incidents") == "4"  # the discounted one and the draft are left out
    assert metric(at, "Killed (minimum)") == "22"
    assert metric(at, "Places") == "3"
    band = plain(" ".join(c.value for c in at.caption))
    assert "minimum–maximum 22–32+" in band and "2018-03-01 – 2019-01-05" in band
    assert "have no stated maximum" in band


def test_every_headline_figure_and_the_sources_table_say_what_they_count(app_db):
    """The civilians figure follows the chosen figure and says which; children and women say "killed" and how
    they are summed; the sources table counts records (combined and cumulative tolls included), not incidents."""
    for figure, word in (("min", "minimum"), ("max", "maximum")):
        at = run(new_app({"fig": figure}))
        labels = [m.label for m in at.metric]
        assert f"Killed ({word})" in labels and f"Civilians killed ({word})" in labels, labels
        assert {"Children killed", "Women killed"} <= set(labels)
        assert all(m.help for m in at.metric if m.label in ("Children killed", "Women killed"))
    tables = [html.unescape(m.value) for m in at.markdown if "<table" in m.value]
    assert any(">Records (incidents, combined and cumulative tolls)</th>" in t for t in tables)
    arabic = run(new_app({"ui": "ar"}))
    assert "مدنيون قتلى (الحد الأدنى)" in [m.label for m in arabic.metric]


def test_changing_filters_by_widget_key_changes_figures_and_url(app_db):
    at = run(new_app())
    at.multiselect(key=state.widget_key("actors")).set_value(["coalition"])
    run(at)
    assert metric(at, "Incidents") == "2"
    assert caption(at).startswith("US-led coalition · all dates · 2 incidents")
    assert query(at)["actor"] == "coalition"
    at.segmented_control(key=state.widget_key("figure")).set_value("max")
    run(at)
    assert metric(at, "Killed (maximum)") == "15"
    assert query(at)["fig"] == "max"


@pytest.mark.parametrize(("key", "value", "incidents"), [
    ("date_from", date(2018, 11, 18), 2),
    ("date_to", date(2018, 3, 31), 1),  # the March range incident (the draft does not count)
    ("min_killed", 8, 1),
    ("civilian_only", True, 4),
    ("text", "Baghuz", 1),
    ("text", "الباغوز", 1),
    ("text", "baguz", 1),  # a spelling variant
])
def test_single_filters(app_db, key, value, incidents):
    at = run(new_app())
    widget = {"date_from": at.date_input, "date_to": at.date_input, "min_killed": at.number_input,
              "civilian_only": at.toggle, "text": at.text_input}[key](key=state.widget_key(key))
    widget.set_value(value)
    run(at)
    assert metric(at, "Incidents") == str(incidents)


def test_gradings_default_leaves_discounted_out_and_can_bring_it_back(app_db):
    at = run(new_app())
    at.multiselect(key=state.widget_key("gradings")).set_value([])
    run(at)
    assert metric(at, "Incidents") == "5"


def test_url_reproduces_the_view(app_db):
    at = run(new_app({"actor": "coalition,sdf", "from": "2018-11-18", "fig": "max", "q": "Baghuz"}))
    assert caption(at).startswith("US-led coalition, Syrian Democratic Forces (SDF) · 2018-11-18 – …")
    assert metric(at, "Incidents") == "1"
    assert at.multiselect(key=state.widget_key("actors")).value == ["coalition", "sdf"]
    assert at.date_input(key=state.widget_key("date_from")).value == date(2018, 11, 18)
    assert query(at) == {"actor": "coalition,sdf", "from": "2018-11-18", "q": "Baghuz", "fig": "max"}


def test_bad_url_values_are_ignored(app_db):
    at = run(new_app({"actor": "nobody", "from": "yesterday", "min": "-4", "fig": "most"}))
    assert metric(at, "Incidents") == "4"


def test_filter_and_language_survive_page_switches(app_db):
    at = run(new_app())
    at.multiselect(key=state.widget_key("actors")).set_value(["sdf"])
    run(at)
    for page in [*PAGES, "app.py"]:
        run(at, page)
        assert at.multiselect(key=state.widget_key("actors")).value == ["sdf"], page
        assert query(at).get("actor") == "sdf", page
        if page != "pages/4_Place.py":
            assert "1 incident" in caption(at), page


def test_reset_restores_the_default_filter(app_db):
    at = run(new_app({"actor": "sdf"}))
    at.button(key="flt.reset").click()
    run(at)
    assert metric(at, "Incidents") == "4" and "actor" not in query(at)


def test_arabic_interface(app_db):
    at = run(new_app({"ui": "ar"}))
    assert metric(at, "الحوادث") == "4"
    assert caption(at).startswith("كل الأطراف · كل التواريخ")
    assert query(at)["ui"] == "ar"
    at.segmented_control(key=state.LANG_WIDGET).set_value("en")
    run(at)
    assert metric(at, "Incidents") == "4" and "ui" not in query(at)


def test_viewer_sees_published_only(app_db, monkeypatch):
    from incidents.ui import setup

    monkeypatch.setattr(setup, "current_user", lambda store, settings: setup.User(name="v", role="viewer"))
    at = run(new_app())
    assert metric(at, "Incidents") == "4"  # the draft is not shown
    assert state.widget_key("statuses") not in [w.key for w in at.multiselect]


def test_incident_detail_shows_claims_and_escapes_report_text(app_db):
    at = run(new_app({"incident": "payload-1"}), "pages/3_Incidents.py")
    html = " ".join(m.value for m in at.markdown)
    assert "<script" not in html and "<img" not in html and "onerror=" not in html and "onmouseover=" not in html
    assert "javascript:" not in html and "](" not in html and ":red[" not in html
    assert "&#60;script&#62;" in html  # shown as text
    assert "قُتل ثلاثة مدنيين" in unescape(html)
    assert query(at)["incident"] == "payload-1"


def test_incident_detail_highlights_disagreement(app_db):
    at = run(new_app({"incident": "hajin-2"}), "pages/3_Incidents.py")
    frames = [d.value for d in at.dataframe]
    claims = next(f for f in frames if any("Second source" in str(c) for c in f.columns))
    assert claims.loc["Killed (max)"].tolist() == ["9", "12"]
    assert any("sources disagree" in c.value for c in at.caption)


def test_closing_the_detail_keeps_it_closed(app_db):
    at = run(new_app({"incident": "hajin-2"}), "pages/3_Incidents.py")
    at.button(key="incidents.close").click()
    run(at)
    assert "incident" not in query(at)
    assert not any("Claims side by side" in m.value for m in at.markdown)


def test_unknown_incident_says_so(app_db):
    at = run(new_app({"incident": "no-such-id"}), "pages/3_Incidents.py")
    assert any("No incident with this id" in w.value for w in at.warning)


def test_export_prepares_a_file(app_db):
    at = run(new_app({"actor": "coalition"}), "pages/3_Incidents.py")
    at.button(key="export.prepare").click()
    run(at)


def test_place_profile(app_db):
    at = run(new_app({"place": "wof:890449895"}), "pages/4_Place.py")
    html = unescape(" ".join(m.value for m in at.markdown))
    assert "هجين" in html and "Hajin" in html
    assert "Deir-ez-Zor / دير الزور › Abu Kamal / البوكمال › Hajin / هجين" in html  # the admin path
    assert metric(at, "Incidents") == "2"
    assert query(at)["place"] == "wof:890449895"


def test_place_profile_keeps_other_filters(app_db):
    at = run(new_app({"place": "wof:890449895", "min": "5"}), "pages/4_Place.py")
    assert metric(at, "Incidents") == "1"


def test_place_chooser_without_a_place(app_db):
    at = run(new_app(), "pages/4_Place.py")
    assert at.selectbox(key="place.chooser").value is None


def test_timeline_controls(app_db):
    at = run(new_app(), "pages/2_Timeline.py")
    at.segmented_control(key="timeline.freq").set_value("week")
    run(at)
    at.segmented_control(key="timeline.measure").set_value("incidents")
    run(at)
    assert not any(b.key == "timeline.clear" for b in at.button)
    at = run(new_app({"from": "2018-01-01"}), "pages/2_Timeline.py")
    at.button(key="timeline.clear").click()
    run(at)
    assert "from" not in query(at) and "4 incidents" in caption(at)


def test_map_page_layers(app_db):
    at = run(new_app(), "pages/1_Map.py")
    at.pills(key="map.layers").set_value(["places", "heat", "choropleth"])
    run(at)
    assert any("approximate" in c.value for c in at.caption)


def test_when_the_data_cannot_be_loaded_the_language_switch_and_page_links_stay(app_db, monkeypatch):
    """A page whose data fails to load says why and stops; the sidebar keeps the way to other pages (Admin) and
    to the other language."""
    from incidents.domain.errors import IncidentsError
    from incidents.ui import cache

    def broken(*args, **kwargs):
        raise IncidentsError("the stored data could not be read (written for this test)")

    monkeypatch.setattr(cache, "current_data", broken)
    at = run(new_app(), "pages/1_Map.py")
    assert any("could not be read" in e.value for e in at.error)
    assert at.sidebar.segmented_control(key=state.LANG_WIDGET).value == "en"
    links = [e for e in at.sidebar if getattr(e, "type", "") == "page_link"]
    assert len(links) >= 8, [type(e).__name__ for e in at.sidebar]


@pytest.mark.parametrize("ending, drawn", [(None, True), ("stop", True), ("error", True), ("rerun", False)])
def test_the_sidebar_is_drawn_after_the_content_unless_the_run_is_thrown_away(monkeypatch, ending, drawn):
    """run_page draws the sidebar's widgets after the page (#16), also when the page fails or stops, but not on a
    run that st.rerun() throws away (the next run draws them)."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    from incidents.ui import setup

    calls: list[str] = []
    monkeypatch.setattr(setup, "setup_page", lambda name, **_: ("page", [lambda: calls.append("sidebar")]))
    monkeypatch.setattr(setup, "first_run_of_session", lambda: False)
    raised = {"stop": StopException(), "error": ValueError("page failed"), "rerun": RerunException(None)}

    def render(page):
        calls.append("content")
        if ending:
            raise raised[ending]

    try:
        setup.run_page("map", render)
    except BaseException as error:  # noqa: BLE001 - each ending propagates as it came
        assert error is raised[ending]
    assert calls == (["content", "sidebar"] if drawn else ["content"])


@pytest.mark.parametrize("ending, calls_expected", [(None, ["content"]), ("stop", ["content", "sidebar"]),
                                                    ("error", ["content", "sidebar"])])
def test_the_first_run_of_a_session_draws_the_content_only_and_reruns(monkeypatch, ending, calls_expected):
    """A session's first run draws the page's content and reruns at once, the sidebar's widgets left to the next
    run (#16: their parts of the front end would load beside the map's frame); a page that fails or stops still
    gets its sidebar."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    from incidents.ui import setup

    calls: list[str] = []
    monkeypatch.setattr(setup, "setup_page", lambda name, **_: ("page", [lambda: calls.append("sidebar")]))
    monkeypatch.setattr(setup, "first_run_of_session", lambda: True)
    rerun = RerunException(None)

    def request_rerun() -> None:
        raise rerun

    monkeypatch.setattr(setup.st, "rerun", request_rerun)
    raised = {None: rerun, "stop": StopException(), "error": ValueError("page failed")}

    def render(page):
        calls.append("content")
        if ending:
            raise raised[ending]

    with pytest.raises(type(raised[ending])) as error:
        setup.run_page("map", render)
    assert error.value is raised[ending]
    assert calls == calls_expected


def test_first_run_of_session_is_true_once(monkeypatch):
    """Only a session's first run counts as first: later runs (and pages switched to) draw their sidebar at once."""
    from incidents.ui import setup

    monkeypatch.setattr(setup.st, "session_state", {})
    assert [setup.first_run_of_session() for _ in range(3)] == [True, False, False]


def test_a_new_session_shows_the_page_then_the_sidebar(app_db, monkeypatch):
    """In a new session the overview is drawn, the run repeated at once, and the sidebar drawn by the second run;
    the session's next run draws page and sidebar once (#16)."""
    from incidents.ui import overview, setup

    events: list[str] = []
    render, draw = overview.render_overview, setup._draw
    monkeypatch.setattr(overview, "render_overview", lambda page: (events.append("content"), render(page)))
    monkeypatch.setattr(setup, "_draw", lambda drawings: (events.append("sidebar"), draw(drawings)))
    at = run(new_app())
    assert events == ["content", "content", "sidebar"]
    assert at.sidebar.segmented_control(key=state.LANG_WIDGET).value == "en"
    assert at.sidebar.multiselect(key=state.widget_key("actors")) is not None
    assert len([e for e in at.sidebar if getattr(e, "type", "") == "page_link"]) >= 8
    events.clear()
    run(at)
    assert events == ["content", "sidebar"]


@pytest.mark.parametrize("first_run", [True, False])
def test_a_page_ends_only_the_first_run_after_its_map(monkeypatch, first_run):
    """Page.end_first_run ends the session's first run where the page calls it (after its map), after a pause that
    leaves the browser to the map, and nothing else."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

    from incidents.ui import setup

    def request_rerun() -> None:
        raise RerunException(None)

    monkeypatch.setattr(setup.st, "rerun", request_rerun)
    monkeypatch.setattr(setup, "FIRST_RUN_PAUSE_S", 1.0)  # as served (the tests' fixture sets 0)
    clock = _Clock()
    monkeypatch.setattr(setup, "time", clock)
    page = setup.Page(name="overview", lang="en", settings=None, store=None, user=None, data=None,  # type: ignore[arg-type]
                      chosen=None, effective=None, first_run=first_run)  # type: ignore[arg-type]
    if first_run:
        with pytest.raises(RerunException):
            page.end_first_run()
    else:
        page.end_first_run()
    assert clock.now == pytest.approx(1.0 if first_run else 0)  # time for the browser to draw the map


class _Clock:
    """A stand-in for the ``time`` module: sleeping moves its clock on at once."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_run_the_visitor_asks_for_during_the_pause_takes_over(monkeypatch):
    """A page link clicked while a new session's first run waits for its map (a rerun the browser asked for) ends
    the pause, and the first run asks for no rerun of its own: Streamlit would have kept the newer request, this
    page, and dropped the visitor's (review of #16). The check reads Streamlit's real request queue."""
    from types import SimpleNamespace

    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

    from incidents.ui import setup

    monkeypatch.setattr(setup, "FIRST_RUN_PAUSE_S", 1.0)  # as served (the tests' fixture sets 0)
    requests = ScriptRequests()
    monkeypatch.setattr(setup, "get_script_run_ctx", lambda: SimpleNamespace(script_requests=requests))
    clock = _Clock()

    def sleep(seconds: float) -> None:
        clock.now += seconds
        if clock.now >= 0.2:  # the visitor clicks a page link 0.2 s into the pause
            requests.request_rerun(RerunData(page_script_hash="the-map-page"))

    monkeypatch.setattr(setup, "time", SimpleNamespace(monotonic=clock.monotonic, sleep=sleep))
    monkeypatch.setattr(setup.st, "rerun", lambda: pytest.fail("the first run asked for its own rerun"))
    page = setup.Page(name="overview", lang="en", settings=None, store=None, user=None, data=None,  # type: ignore[arg-type]
                      chosen=None, effective=None, first_run=True)  # type: ignore[arg-type]
    page.end_first_run()
    assert clock.now == pytest.approx(0.2)  # the pause ended when the visitor asked


def test_a_page_without_a_map_draws_its_sidebar_on_a_new_session_s_first_run(monkeypatch):
    """Only the pages a visitor lands on with a map split their first run (:data:`setup.MAP_FIRST`); another page
    costs no second run."""
    from incidents.ui import setup

    calls: list[str] = []
    monkeypatch.setattr(setup, "setup_page", lambda name, **_: ("page", [lambda: calls.append("sidebar")]))
    monkeypatch.setattr(setup, "first_run_of_session", lambda: True)
    monkeypatch.setattr(setup.st, "rerun", lambda: calls.append("rerun"))
    setup.run_page("incidents", lambda page: calls.append("content"))
    assert calls == ["content", "sidebar"]
