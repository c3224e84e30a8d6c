"""The command line registers every command module; a module that cannot be imported stops it loudly instead of
taking its commands away in silence."""

from __future__ import annotations

import pytest

from incidents import cli


def test_every_command_module_registers_its_commands():
    commands = set(cli.build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert {"init", "import", "export", "extract", "users", "sample-build"} <= commands


def test_a_command_module_that_cannot_be_imported_fails_the_parser(monkeypatch):
    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "incidents.cli.no_such_cmds"))
    with pytest.raises(ModuleNotFoundError, match="incidents.cli.no_such_cmds"):
        cli.build_parser()


def test_a_command_module_whose_own_import_breaks_fails_the_parser(monkeypatch, tmp_path):
    (tmp_path / "broken_cmds.py").write_text("import no_such_dependency_of_a_command\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("broken_cmds",))
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_of_a_command"):
        cli.build_parser()
