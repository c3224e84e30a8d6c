"""The bundled sample: real incidents, sources named, sentences quoted; loaded into every new database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incidents.sample import SAMPLE_PATH
from incidents.store import Store

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev-reports"


def test_a_new_database_gets_the_sample_and_an_empty_one_does_not(db_url, fresh_url):
    store = Store.open(db_url)
    incidents = store.list_incidents()
    assert len(incidents) == len(json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))["features"]) >= 30
    assert all(i.claims and i.claims[0].source_name and i.claims[0].quote for i in incidents)
    assert all("sample" in i.tags for i in incidents)
    placed = [i for i in incidents if i.lat is not None]
    assert len(placed) >= 30 and all(i.admin1 == "SY09" for i in placed)
    assert Store.open(db_url).count_incidents() == len(incidents)  # opened again: not loaded twice
    store.engine.dispose()
    assert Store.open(fresh_url(db_url), sample=False).count_incidents() == 0


@pytest.mark.skipif(not REPORTS.is_dir(), reason="the annotated reports are not on this machine")
def test_every_sample_quote_is_an_exact_sentence_of_its_report():
    texts = {json.loads(p.read_text(encoding="utf-8"))["source_name"]: [] for p in REPORTS.glob("*.json")}
    for path in REPORTS.glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        texts[report["source_name"]].append(report["text"])
    for feature in json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))["features"]:
        for claim in feature["properties"]["claims"]:
            assert any(claim["quote"] in text for text in texts[claim["source_name"]]), claim["quote"][:60]
