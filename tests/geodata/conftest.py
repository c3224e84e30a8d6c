"""Fixtures of the geodata tests: the bundled gazetteer (loaded once per session)."""

from __future__ import annotations

import pytest

from geodata import Gazetteer, load_gazetteer


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The bundled gazetteer."""
    return load_gazetteer()
