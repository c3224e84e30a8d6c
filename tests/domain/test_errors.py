"""One error hierarchy: every exception the incidents package defines is an :class:`IncidentsError`, so the pages
and the command line, which catch that, show its message instead of a traceback."""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil

import incidents
from incidents.domain.errors import IncidentsError


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(incidents.__path__, "incidents.")
                  if ".migrations" not in m.name and not m.name.endswith("__main__"))


def _exceptions_defined_in(name: str) -> list[type]:
    module = importlib.import_module(name)
    return [obj for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, BaseException) and obj.__module__ == name]


def test_the_walk_finds_the_package_exceptions():
    found = {cls.__name__ for name in _modules() for cls in _exceptions_defined_in(name)}
    assert {"MapBuildError", "ParseError", "BackupError", "ExtractionError", "ConflictError"} <= found


def test_every_exception_of_the_package_is_an_incidents_error():
    strays = [f"{cls.__module__}.{cls.__qualname__}" for name in _modules() for cls in _exceptions_defined_in(name)
              if not issubclass(cls, IncidentsError)]
    assert strays == [], f"exceptions outside IncidentsError: {strays}"


def test_the_command_line_reports_a_places_package_error_in_one_line(monkeypatch, capsys):
    from geodata.errors import DataFileError
    from incidents import cli

    def broken(_args):
        raise DataFileError("Expected the bundled places table at places.csv; could not read it")

    parser = argparse.ArgumentParser()
    parser.set_defaults(handler=broken)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    assert cli.main([]) == 2
    assert capsys.readouterr().err == "error: Expected the bundled places table at places.csv; could not read it\n"


def test_the_map_shows_no_outlines_when_the_boundary_files_cannot_be_read(monkeypatch):
    from geodata.errors import DataFileError
    from incidents.ui import cache

    class DamagedGazetteer:
        def boundaries(self, level):
            raise DataFileError(f"Expected boundaries at {level}.geojson; could not read them")

    monkeypatch.setattr(cache, "get_gazetteer", DamagedGazetteer)
    cache.boundaries.clear()
    try:
        assert cache.boundaries() == cache.Boundaries(levels={}, areas={}, bounds=None, size=0)
    finally:
        cache.boundaries.clear()


def test_a_role_refusal_names_every_action_in_both_languages():
    from incidents.domain.errors import PermissionDenied
    from incidents.domain.users import ACTION_MIN_ROLE, ROLES, User, require

    viewer = User(name="vi", role="viewer")
    for action, needed in ACTION_MIN_ROLE.items():
        if needed == "viewer":
            continue
        try:
            require(viewer, action)
        except PermissionDenied as refused:
            english, arabic, plain = refused.localised("en"), refused.localised("ar"), str(refused)
        else:
            raise AssertionError(f"a viewer may {action}")
        assert english == plain and english.startswith("vi (viewer) may not ")
        assert f"the {needed} role or higher" in english and "_" not in english, english
        assert "may not" not in arabic and "viewer" not in arabic and needed not in arabic, arabic
        assert "vi" in arabic and any("\u0600" <= ch <= "\u06ff" for ch in arabic), arabic
    assert ROLES[0] == "viewer"


def test_a_role_refusal_survives_pickling_and_copying():
    """An error may cross processes (a worker pool, a test runner's report) or be copied."""
    import copy
    import pickle

    from incidents.domain.errors import RoleRefused

    refused = RoleRefused("ed", "editor", "publish", "reviewer")
    for again in (pickle.loads(pickle.dumps(refused)), copy.copy(refused), copy.deepcopy(refused)):
        assert str(again) == str(refused) == "ed (editor) may not publish incidents: that needs the reviewer role or higher"
        assert again.localised("ar") == refused.localised("ar")


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def test_a_failure_said_from_the_catalogue_is_english_on_the_command_line_and_arabic_in_an_arabic_interface():
    import copy
    import pickle

    from incidents.domain.errors import PermissionDenied

    refused = PermissionDenied.said("refusals.victim_names", user="<b>sam</b>")
    english = "<b>sam</b> may not see victims' names; ask an admin, or leave names out"
    assert str(refused) == refused.localised("en") == english
    arabic = refused.localised("ar")
    assert _arabic(arabic) and "<b>sam</b>" in arabic and "may not" not in arabic
    for again in (pickle.loads(pickle.dumps(refused)), copy.copy(refused), copy.deepcopy(refused)):
        assert type(again) is PermissionDenied and again.localised("ar") == arabic and str(again) == str(refused)


def test_a_plain_failure_stays_as_written_in_either_language():
    from incidents.domain.errors import ValidationError

    plain = ValidationError("killed_min: must be a whole number ≥ 0; got 'x'")
    assert plain.localised("ar") == plain.localised("en") == str(plain)


def test_every_refusal_the_services_say_has_both_languages_and_the_same_placeholders():
    """The refusals raised with ``said`` (sign-in, four-eyes, history, victims' names) are catalogue entries whose two
    texts take the same values; an Arabic interface never shows the English one."""
    import re

    from incidents.domain.messages import table

    said = {"sign_in", "four_eyes_reviewed", "four_eyes_published", "history", "victim_names", "victim_search",
            "unknown_identity"}
    entries = table("refusals")
    assert said <= set(entries)
    for key in said:
        english, arabic = entries[key]
        assert _arabic(arabic) and not _arabic(english), key
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", arabic)), key
