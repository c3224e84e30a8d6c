"""Who says it inside the text, and the kind of source a name stands for."""

from __future__ import annotations

import pytest

from incidents.extract.attribution import find_attributions, guess_source_kind
from incidents.extract.text import tokenize


def _attributions(text: str) -> list[str]:
    tokens = tokenize(text)
    return [a.text(text, tokens) for a in find_attributions(tokens, 0, len(tokens) - 1)]


@pytest.mark.parametrize(("text", "expected"), [
    ("ونقلت وكالة «سانا» للأنباء عن مصادر أهلية: إن قصفاً عنيفاً استهدف البلدة",
     "ونقلت وكالة «سانا» للأنباء عن مصادر أهلية"),
    ("ذكرت مصادر معارضة أن الطيران قصف القرية", "ذكرت مصادر معارضة"),
    ("وفق المرصد السوري لحقوق الإنسان، قتل 5 مدنيين", "وفق المرصد السوري لحقوق الإنسان"),
    ("مصادر أهلية أفادت بأن طائرات التحالف نفذت غارات", "مصادر أهلية أفادت"),
    ("بحسب ناشطين محليين، قتل 3 أشخاص", "بحسب ناشطين محليين"),
    ("كما قتلت قوات التحالف -بحسب وكالة الأناضول- 13 مدنيا", "بحسب وكالة الأناضول"),
    ("وكانت مصادر حقوقية قالت لوكالة الصحافة الفرنسية إن التحالف استهدف البلدة",
     "وكانت مصادر حقوقية قالت لوكالة الصحافة الفرنسية"),
    ("SOHR said that five civilians were killed", "SOHR said"),
    ("According to local sources, the strikes targeted a mosque", "According to local sources"),
    ("A single source, the Smart News Agency, reported that a child was killed", "the Smart News Agency, reported"),
    ("The Syrian Observatory for Human Rights also reported that artillery targeted the town",
     "The Syrian Observatory for Human Rights also reported"),
])
def test_attributions(text: str, expected: str) -> None:
    assert _attributions(text)[0] == expected


@pytest.mark.parametrize("text", [
    "قصف الطيران القرية وقتل 3 مدنيين",
    "Jets bombed the town, killing seven civilians.",
])
def test_no_attribution(text: str) -> None:
    assert _attributions(text) == []


@pytest.mark.parametrize(("names", "kind"), [
    (("SANA",), "state_media"),
    (("وكالة سانا",), "state_media"),
    (("الإخبارية السورية",), "state_media"),
    (("Al-Jamal, relaying Syrian state media",), "state_media"),
    (("المرصد السوري لحقوق الإنسان",), "ngo"),
    (("SOHR",), "ngo"),
    (("SNHR",), "ngo"),
    (("Step News Agency",), "opposition_media"),
    (("ذكرت مصادر معارضة",), "opposition_media"),
    (("ذكرت تنسيقيات المسلحين على مواقع التواصل",), "local_network"),
    (("Deir Ezzor 24",), "local_network"),
    (("فرات بوست",), "local_network"),
    (("بيان صادر عن وزارة الدفاع",), "official"),
    ((None, "some blog"), "other"),
    (("a blog", "وفق المرصد السوري"), "ngo"),
])
def test_source_kind(names: tuple[str | None, ...], kind: str) -> None:
    assert guess_source_kind(*names) == kind
