"""``REQUIRE_BROWSER=1`` (set by ``make test``) turns a missing chromium or playwright into a failure, not a skip."""

from __future__ import annotations

import pytest

from . import conftest as browser


@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", str(tmp_path / "no-chromium"))


@pytest.fixture
def no_playwright(monkeypatch):
    def refuse(name: str):
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(browser.importlib, "import_module", refuse)


@pytest.mark.parametrize("check", [browser.require_chromium, browser.playwright_api])
def test_missing_browser_fails_when_required(check, no_chromium, no_playwright, monkeypatch):
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_BROWSER=1"):
        check()


@pytest.mark.parametrize("check", [browser.require_chromium, browser.playwright_api])
def test_missing_browser_skips_otherwise(check, no_chromium, no_playwright, monkeypatch):
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs"):
        check()
