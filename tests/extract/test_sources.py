"""The source kind and who says it, proposed from the outlet list (incidents/data/outlets.toml), not guessed.

Texts are written for the test.
"""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract import Candidate, extract_candidates
from incidents.extract.attribution import guess_source_kind

from .fake_gazetteer import FakeGazetteer

GAZ = FakeGazetteer()
DAY = date(2019, 3, 30)


def _one(text: str, source: str | None = None, url: str | None = None) -> Candidate:
    [candidate] = extract_candidates(text, published=DAY, source=source, url=url, gazetteer=GAZ)
    return candidate


@pytest.mark.parametrize(("names", "kind"), [
    (("Step News",), "opposition_media"),                       # not state media
    (("وكالة ستيب الإخبارية",), "opposition_media"),
    (("SANA citing local sources",), "state_media"),            # a cited source without a kind: SANA's
    (("Syria News, relaying SANA",), "state_media"),            # a relay: the relayed outlet's kind
    (("Shaam News Network, citing Furat Post",), "local_network"),
    (("Reuters",), "other"),
    (("Airwars",), "ngo"),
    ((None, "https://www.zamanalwsl.net/news/article/1"), "opposition_media"),  # the URL's domain
    (("a local blog", None, "the Observatory said"), "ngo"),    # who says it, when the publisher is unknown
    (("a local blog", "قال ناشطون محليون"), "local_network"),   # words naming a kind without an outlet
    (("a local blog", "a local source"), "other"),              # nothing says the kind
])
def test_source_kind_comes_from_the_outlet_list(names: tuple[str | None, ...], kind: str) -> None:
    assert guess_source_kind(*names) == kind


def test_publisher_outlet_and_who_says_it_are_proposed() -> None:
    text = "وقالت وكالة (سانا) إن 4 مدنيين قتلوا أمس جراء قصف على بلدة الشعفة."
    candidate = _one(text, source="Syria News", url="https://syria.news/amp/1.html")
    assert candidate.outlet == "syria_news"
    assert candidate.attributed_outlet == "sana"
    assert "وكالة (سانا" in (candidate.attribution or "")
    assert candidate.source_kind == "other"   # the publisher is listed: its kind


def test_the_observatory_said_without_a_publisher() -> None:
    candidate = _one("The Observatory said three civilians were killed in shelling on Hajin yesterday.")
    assert (candidate.outlet, candidate.attributed_outlet, candidate.source_kind) == (None, "sohr", "ngo")


def test_an_outlet_named_without_a_source_noun_is_an_attribution() -> None:
    candidate = _one("وقالت سمارت إن طفلين قتلا أمس بغارة على بلدة ذيبان.")
    assert candidate.attributed_outlet == "smart_news"
    assert candidate.source_kind == "opposition_media"


def test_the_add_report_page_states_the_proposal_in_both_languages() -> None:
    from incidents.ui.review import _source_line

    candidate = _one("وقالت وكالة (سانا) إن 4 مدنيين قتلوا أمس جراء قصف على بلدة الشعفة.", source="Syria News")
    assert _source_line(candidate, "en") == ("Source kind proposed: Other (outlet: Syria News (syria.news); "
                                             "who says it: SANA (Syrian Arab News Agency))")
    assert "سانا" in _source_line(candidate, "ar") and "نوع المصدر المقترح" in _source_line(candidate, "ar")
