"""The shared setup of every page: page config, sign-in, data, sidebar, URL.

``app.py`` and each script in ``pages/`` call ``run_page("map", render)``, ``render`` drawing the page's content.
With the pages directory (no ``st.navigation``) a page runs without the entry script, so everything shared
happens here.

The sidebar's places are laid out first, but its widgets (language switch, page links, filters) are drawn after
the page's content (:func:`run_page`). Each kind of widget needs a further part of Streamlit's front end, loaded
when the first one arrives, and the browser reveals newly loaded elements together: a sidebar sent first held a
new visitor's map back until all of its parts had arrived (#16). A session's first run draws no sidebar widget at
all and reruns at once (:func:`first_run_of_session`): the new visitor's browser loads the page and the map's frame
without the widgets' parts, and the second run adds them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from incidents.analysis.filters import Filter
from incidents.domain.errors import IncidentsError
from incidents.domain.users import User
from incidents.services.query import visible_filter
from incidents.services.settings import Settings
from incidents.storage.store import Store
from incidents.ui import cache, state
from incidents.ui.auth import current_user, render_account_box
from incidents.ui.i18n import has, t
from incidents.ui.sidebar import render_filters, render_language
from incidents.ui.text import apply_page_css, show_error

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]

#: page name → (script, label key); other pages in pages/ are linked under their file name.
PAGES = {
    "overview": ("app.py", "overview"),
    "map": ("pages/1_Map.py", "map"),
    "timeline": ("pages/2_Timeline.py", "timeline"),
    "incidents": ("pages/3_Incidents.py", "incidents"),
    "place": ("pages/4_Place.py", "place"),
    # Review pages (issue #4), added by the review engineer: set up like the dashboard's own pages.
    "add_report": ("pages/5_Add_report.py", "add_report"),
    "duplicates": ("pages/6_Possible_duplicates.py", "duplicates"),
    # Import page (issue #13)
    "import": ("pages/8_Import.py", "import_page"),
}
#: page → the page parameters it keeps in the URL
PAGE_PARAMS = {"incidents": ("incident",), "place": ("place",)}


@dataclass
class Page:
    """What a page needs after setup."""

    name: str
    lang: str
    settings: Settings
    store: Store
    user: User
    data: cache.Data
    chosen: Filter  # what the user chose in the sidebar (and the URL)
    effective: Filter  # narrowed to what the user may see: use this for every query
    params: dict[str, str | None] = field(default_factory=dict)
    first_run: bool = False  # the session's first run: see :func:`first_run_of_session`

    @property
    def url(self) -> str:
        """The database URL (part of every cache key)."""
        return self.settings.database_url

    @property
    def version(self) -> int:
        """The data version the page was built from (part of every cache key)."""
        return self.data.version

    def caption(self, count: int) -> str:
        """Return the caption of a view showing ``count`` incidents under the effective filter."""
        return self.chosen.caption(count, self.lang)

    def set_param(self, name: str, value: str | None) -> None:
        """Set a page parameter (e.g. the selected incident) and write it to the URL."""
        state.set_page_param(self.name, name, value)
        self.params[name] = value
        self.share()

    def share(self) -> None:
        """Write the filter, language and page parameters to the address bar."""
        state.sync_url(state.url_params(self.chosen, self.lang, self.params))

    def end_first_run(self) -> None:
        """On the session's first run, end the run here (the page calls it once its map is sent): after
        :data:`FIRST_RUN_PAUSE_S` the next run draws the whole page and the sidebar (#16).

        A new visitor's browser then lays out only the page's head and its map before the map's frame, and draws
        the map before it takes up the rest: the map's frame runs on the page's thread, so whatever the browser is
        given before the map has drawn holds it back (the rest of the page and the sidebar's widgets, their parts
        of the front end to load, compile and lay out). Streamlit tells the script nothing of what the browser has
        drawn, hence the pause: on a new session's first run only, and it holds no one else's run. A run the
        visitor asks for meanwhile (a page link in the page's head) ends the pause and takes over: the script's
        next element hands over to it (a rerun asked here would replace the page the visitor chose).
        """
        if self.first_run:
            _pause_for_the_map(FIRST_RUN_PAUSE_S)
            if not _run_asked():
                st.rerun()


#: Drawing the sidebar's widgets, kept until the page's content is drawn (see :func:`run_page`).
Drawings = list[Callable[[], None]]


def run_page(name: str, render: Callable[[Page], None]) -> None:
    """Set up page ``name`` (a key of :data:`PAGES`), draw its content with ``render``, then the sidebar's widgets
    in the places set up for them (also when ``render`` fails or stops: the filters and the language stay at
    hand; not on a run that ``st.rerun()`` throws away, nor on the session's first run, which reruns at once:
    :func:`first_run_of_session`).

    Stops the script (``st.stop``) when the user must sign in first or the database cannot be opened.
    """
    first = first_run_of_session() and name in MAP_FIRST
    page, sidebar = setup_page(name, first_run=first)
    try:
        render(page)
    except RerunException:
        raise  # the run is thrown away and the next one draws the sidebar: drawing it now would be wasted
    except BaseException:
        _draw(sidebar)  # a failure or st.stop(): the filters and the language stay at hand
        raise
    if first and not _run_asked():  # a run the visitor asked for takes over at the sidebar's first element
        st.rerun()  # the next run draws the page again (unchanged in the browser) and the sidebar's widgets
    _draw(sidebar)


#: The pages whose first run in a session shows the map before the rest (the pages a visitor lands on with a map);
#: any other page draws its content and the sidebar in one run, as every later run does.
MAP_FIRST = ("overview", "map")

#: Seconds a new session's first run waits after its map before the rest of the page (:meth:`Page.end_first_run`):
#: about what a new visitor's browser needs to draw the map once it has it (#16).
FIRST_RUN_PAUSE_S = 1.0

#: Steps of that pause, each followed by a look for a run the visitor asked for.
PAUSE_STEP_S = 0.05


def _pause_for_the_map(seconds: float) -> None:
    """Wait ``seconds``, or until the visitor asks for another run (:func:`_run_asked`)."""
    deadline = time.monotonic() + seconds
    while not _run_asked() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(PAUSE_STEP_S, left))


def _run_asked() -> bool:
    """Whether the browser has asked for a run since this one began (a page link, a widget, back or forward).

    Streamlit keeps the request for the script's next element and has no public way to ask for it: read from its
    request queue; False when that is not there (a Streamlit whose internals changed: the pause then runs out)."""
    ctx = get_script_run_ctx()
    state = getattr(getattr(ctx, "script_requests", None), "_state", None)
    return getattr(state, "name", None) == "RERUN"


#: Session state: set once the session's first run has drawn its page (see :func:`first_run_of_session`).
SHOWN_KEY = "incidents.page_shown"


def first_run_of_session() -> bool:
    """Return True on the first run of a session (a new visitor, a reload), and mark it done.

    That run draws the page's content only, or only its head and map (:meth:`Page.end_first_run`), and reruns at
    once (:func:`run_page`): the sidebar's widgets and the rest of the page would make a new visitor's browser load
    and lay out their parts of Streamlit's front end on the same thread as the map's frame, before it (#16). The
    second run draws the same page again, which the browser keeps as it is (the map's frame is not reloaded), the
    rest of the page and the sidebar's widgets.
    """
    if st.session_state.get(SHOWN_KEY):
        return False
    st.session_state[SHOWN_KEY] = True
    return True


def _draw(drawings: Drawings) -> None:
    for draw in drawings:
        draw()


def setup_page(name: str, first_run: bool = False) -> tuple[Page, Drawings]:
    """Set up page ``name``: config, user, data, the sidebar's places, URL; return the page (``first_run``: the
    session's first run) and the drawing of the sidebar's widgets (for after the page's content: :func:`run_page`)."""
    settings, store, user, lang, sidebar = _open_page(t(PAGES[name][1], "en"))
    data = _load_data(store, settings, sidebar)
    chosen = state.current_filter()  # the widgets write to it before a run (on_change): it is final here
    sidebar.append(partial(render_filters, chosen, data.options, user, lang, st.sidebar.container()))
    render_account_box(user, lang)
    params = {p: state.page_param(name, p) for p in PAGE_PARAMS.get(name, ())}
    page = Page(name=name, lang=lang, settings=settings, store=store, user=user, data=data, chosen=chosen,
                effective=visible_filter(user, chosen), params=params, first_run=first_run)
    page.share()
    return page, sidebar


def setup_plain_page(title: str) -> tuple[Settings, Store, User]:
    """Set up a page without incident filters (the admin page): config, store, user, navigation, account box.

    Stops the script when the user must sign in first or the database cannot be opened.
    """
    settings, store, user, lang, sidebar = _open_page(title)
    for draw in sidebar:  # no map to put first
        draw()
    render_account_box(user, lang)
    state.sync_url(state.url_params(state.current_filter(), lang))  # ?ui=ar stays; the filter waits for its pages
    return settings, store, user


def _open_page(title: str) -> tuple[Settings, Store, User, str, Drawings]:
    """What every page does first: config, settings, store, user, language, CSS, the places of the language switch
    and the navigation.

    Returns the settings (settled against the store), the store, the user, the interface language and the drawing
    of the language switch and navigation. Stops the script when the user must sign in first or the database
    cannot be opened.
    """
    st.set_page_config(page_title=f"{title} · Deir ez-Zor casualty map", page_icon="🕊️", layout="wide",
                       initial_sidebar_state="expanded")
    settings = cache.get_settings()
    store = _open_store(settings)
    settings = settings.settle(store)
    user = current_user(store, settings)
    lang = state.language()
    apply_page_css(lang)
    switch, navigation = st.sidebar.container(), st.sidebar.container()
    st.sidebar.divider()
    return settings, store, user, lang, [partial(render_language, switch), partial(_render_navigation, navigation, lang)]


def _open_store(settings: Settings) -> Store:
    try:
        return cache.get_store(settings.database_url)
    except Exception as error:  # noqa: BLE001 - any driver error: say what to do, log the rest
        log.exception("cannot open the database")
        st.error(f"The database could not be opened ({type(error).__name__}). Check DATABASE_URL and that the "
                 "server is reachable; details are in the server log.")
        st.stop()
        raise


def _load_data(store: Store, settings: Settings, sidebar: Drawings) -> cache.Data:
    """Return the current data; when it cannot be loaded, say why and stop, with the language switch and the page
    links drawn (the way to the Admin page and to another language stays open)."""
    try:
        return cache.current_data(store, settings.database_url)
    except IncidentsError as error:
        show_error(error)
        for draw in sidebar:
            draw()
        st.stop()
        raise


def _render_navigation(nav: DeltaGenerator, lang: str) -> None:
    """Draw the page links in ``nav`` (labels in the interface language); pages added by others are linked too."""
    for script, label in PAGES.values():
        nav.page_link(script, label=t(label, lang))
    mine = {script for script, _ in PAGES.values()}
    for path in sorted((ROOT / "pages").glob("*.py")):
        relative = f"pages/{path.name}"
        if relative not in mine:
            label = _label_from_file(path.stem)
            nav.page_link(relative, label=t(label.lower(), lang) if has(label.lower()) else label)


def _label_from_file(stem: str) -> str:
    head, _, rest = stem.partition("_")
    return (rest if head.isdigit() else stem).replace("_", " ")
