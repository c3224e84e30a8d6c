"""``pip install .`` ships everything the packages read: every file under incidents/ and geodata/ is in a package
that pyproject.toml declares, and every data file matches its package-data patterns.

(Whether ``pip install -e .`` works was checked by hand in a throw-away venv; an install is too slow for the suite.)
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _shipped_files() -> list[Path]:
    return sorted(path for top in ("incidents", "geodata") for path in (ROOT / top).rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc")


def _package_of(path: Path) -> str:
    return ".".join(path.parent.relative_to(ROOT).parts)


def test_every_folder_of_the_packages_is_a_declared_package():
    declared = set(find_namespace_packages(str(ROOT), **PYPROJECT["tool"]["setuptools"]["packages"]["find"]))
    missing = sorted({_package_of(path) for path in _shipped_files()} - declared)
    assert missing == [], f"folders pip would leave out: {missing}"


def test_every_data_file_matches_the_declared_package_data():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]
    left_out = [str(path.relative_to(ROOT)) for path in _shipped_files() if path.suffix != ".py"
                and not any(fnmatch(path.name, p) for p in patterns.get("*", []) + patterns.get(_package_of(path), []))]
    assert left_out == [], f"data files pip would leave out: {left_out}"


def test_the_dependencies_are_the_pinned_runtime_requirements():
    assert PYPROJECT["project"]["dynamic"] == ["dependencies"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    assert PYPROJECT["build-system"]["build-backend"] == "setuptools.build_meta"
