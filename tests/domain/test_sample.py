"""The bundled sample: real incidents, sources named, sentences quoted; loaded into every new database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incidents.services.sample import SAMPLE_PATH, open_with_sample
from incidents.storage.store import Store

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev-reports"


def test_a_new_database_gets_the_sample_and_an_empty_one_does_not(db_url, fresh_url):
    store = open_with_sample(db_url)
    incidents = store.list_incidents()
    assert len(incidents) == len(json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))["features"]) >= 30
    assert all(i.claims and i.claims[0].source_name and i.claims[0].quote for i in incidents)
    assert all("sample" in i.tags for i in incidents)
    placed = [i for i in incidents if i.lat is not None]
    assert len(placed) >= 30 and all(i.admin1 == "SY09" for i in placed)
    assert open_with_sample(db_url).count_incidents() == len(incidents)  # opened again: not loaded twice
    store.engine.dispose()
    assert Store.open(fresh_url(db_url), sample=False).count_incidents() == 0


def test_opening_a_store_loads_nothing_and_a_database_opened_empty_stays_empty(sqlite_url):
    assert Store.open(sqlite_url).count_incidents() == 0  # seeding is the edges' explicit step
    assert open_with_sample(sqlite_url).count_incidents() == 0  # initialised before: the sample is not added
    with pytest.raises(ValueError, match="open_with_sample"):
        Store.open(sqlite_url, sample=True)


@pytest.mark.skipif(not REPORTS.is_dir(), reason="the annotated reports are not on this machine")
def test_every_sample_quote_is_an_exact_sentence_of_its_report():
    texts = {json.loads(p.read_text(encoding="utf-8"))["source_name"]: [] for p in REPORTS.glob("*.json")}
    for path in REPORTS.glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        texts[report["source_name"]].append(report["text"])
    for feature in json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))["features"]:
        for claim in feature["properties"]["claims"]:
            assert any(claim["quote"] in text for text in texts[claim["source_name"]]), claim["quote"][:60]


def sample_records() -> list[dict]:
    return [f["properties"] for f in json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))["features"]]


def test_sample_source_kinds_come_from_the_outlet_list():
    kinds = {c["source_name"]: c["source_kind"] for p in sample_records() for c in p["claims"]}
    assert kinds["Step News Agency (وكالة ستيب الإخبارية)"] == "opposition_media"  # not state media
    assert kinds["Al-Baath Media (البعث ميديا)"] == kinds["SANA (Syrian Arab News Agency, English)"] == "state_media"
    assert kinds["Airwars (incident CS1794)"] == "ngo"
    assert kinds["Deir Ezzor 24 (دير الزور 24)"] == "local_network"
    # the publisher, not the outlet it quotes
    assert kinds["Syrian daily report quoting SANA and opposition media (outlet not confirmed)"] == "other"


def test_sample_grading_only_where_an_assessment_is_cited():
    records = sample_records()
    graded = [p for p in records if p["grading"] != "unassessed"]
    assert sorted(p["grading"] for p in graded) == ["contested", "weak"]
    assert all(p["status"] == "published" and "Airwars" in p["description"] for p in graded)
    assert all(p["claims"][0]["source_name"].startswith("Airwars") for p in graded)
    assert all(p["status"] == "reviewed" for p in records if p["grading"] == "unassessed")


def test_sample_descriptions_read_like_a_researchers_summary():
    for p in sample_records():
        text = p["description"] or ""
        assert "annotator" not in text and "inferred by" not in text and "gold" not in text, text
        assert "; The" not in text, text


def test_sample_dates_where_the_report_supports_one():
    records = sample_records()
    inferred = [p for p in records if "Dated to the week of" in (p["description"] or "")]
    assert len(inferred) >= 6 and all(p["date_precision"] == "week" and p["date_start"] for p in inferred)
    baqaan = next(p for p in inferred if p["place_text"] == "البقعان")
    assert baqaan["date_start"] == "2018-11-16" and "CS1840" in baqaan["description"]
    undated = [p for p in records if not p["date_start"]]
    assert all(p["date_precision"] == "unknown" for p in undated)


def test_sample_combined_and_cumulative_tolls_are_linked_to_their_parts_and_al_susa_counts_70(sqlite_url):
    from datetime import date

    from incidents.analysis import aggregate as agg
    from incidents.analysis.filters import Filter
    from incidents.analysis.frame import build_frame

    records = {p["uid"]: p for p in sample_records()}
    susa = next(p for p in records.values() if p["record_kind"] == "combined" and p["place_text"] == "السوسة")
    assert sorted(c["killed_max"] or 0 for c in susa["claims"]) == [0, 70]  # "70" and "70+", two reports
    assert sorted(records[u]["killed_min"] for u in susa["covers"]) == [14, 18]
    assert {p["record_kind"] for p in records.values()} == {"incident", "shared_places", "combined", "cumulative"}
    store = open_with_sample(sqlite_url)
    frame = agg.prepare_frame(build_frame(store.load_incident_table(), store.load_claim_table()))
    store.engine.dispose()
    mosques = frame["uid"].isin([susa["uid"], *susa["covers"]]).to_numpy()
    assert agg.summarise_totals(frame, Filter().mask(frame) & mosques).killed_min == 70  # not 172
    week = Filter(date_from=date(2018, 10, 18), date_to=date(2018, 10, 19)).mask(frame) & mosques
    assert agg.summarise_totals(frame, week).incidents == 2
