"""The incidents page's export in a real browser (#17): the download buttons deliver the files, a filtered CSV is
a plain table and its description downloads beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.browser
LOAD = 90_000  # ms: the first run of a server loads the gazetteer


def download(page, label: str) -> Path:
    button = page.get_by_role("button", name=label)
    button.wait_for(timeout=LOAD)
    with page.expect_download(timeout=LOAD) as event:
        button.click()
    return Path(event.value.path())


def test_the_export_downloads_a_plain_csv_and_its_description(server, browser_page):
    page = browser_page
    page.goto(f"{server.base}/Incidents?actor=sdf", wait_until="domcontentloaded")
    page.get_by_role("button", name="Prepare CSV file").click(timeout=LOAD)
    table = pd.read_csv(download(page, "Download CSV"))
    assert list(table["uid"]) == ["baghuz-1"] and "claims" in table.columns
    about = json.loads(download(page, "Download its description (CSV on the Web metadata)").read_text("utf-8"))
    assert about["dc:description"][0].startswith("Incidents: Syrian Democratic Forces (SDF)")
    assert not server.requests_blocked and not page.errors
