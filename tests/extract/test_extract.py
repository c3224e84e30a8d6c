"""Whole reports to candidates, with a tiny fake gazetteer (texts written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract import CLI_KEYS, Candidate, extract_candidates
from incidents.extract.text import html_to_text

from .fake_gazetteer import FakeGazetteer, SilentFinder

GAZ = FakeGazetteer()
SATURDAY = date(2018, 11, 24)


def _extract(text: str, published: date | None = SATURDAY, source: str | None = None) -> list[Candidate]:
    return extract_candidates(text, published=published, source=source, gazetteer=GAZ)


def _summary(c: Candidate) -> tuple[object, ...]:
    return (c.place_text, c.actor, c.event_type, c.killed_min, c.killed_max)


@pytest.mark.parametrize(("text", "expected"), [
    # Arabic: verb-first toll, air strike by the coalition, countryside qualifier not a separate place
    ("قُتل 5 مدنيين بينهم طفلان، أمس، جراء غارة جوية لطيران التحالف الدولي على بلدة الشعفة بريف دير الزور "
     "الشرقي.", [("الشعفة", "coalition", "air_strike", 5, 5)]),
    # the victim's home town is not the site
    ("قتل شاب من أبناء بلدة الجنينة برصاص مسلحين مجهولين في بلدة ذيبان.",
     [("ذيبان", "unknown", "attack", 1, 1)]),
    # execution by ISIS: women and a young man
    ("أعدم تنظيم داعش امرأتين وشاباً رمياً بالرصاص في بلدة السوسة بتهمة التعامل مع قسد.",
     [("السوسة", "isis", "attack", 3, 3)]),
    # arrests: the place detainees were taken to is not a site
    ("اعتقل تنظيم داعش 15 شاباً في بلدة السوسة واقتادهم إلى أحد السجون في قرية الكشمة.",
     [("السوسة", "isis", "arrests", None, None)]),
    # car bomb nobody claimed
    ("انفجرت سيارة مفخخة في بلدة ذيبان ما أدى إلى مقتل 3 مدنيين، ولم تتبن أي جهة مسؤولية التفجير.",
     [("ذيبان", "unknown", "remote_explosive", 3, 3)]),
    # mortar shelling by government forces, injured only
    ("أصيب عدد من المدنيين بجروح جراء سقوط قذائف هاون أطلقتها قوات النظام على بلدة البصيرة.",
     [("البصيرة", "government", "shelling", None, None)]),
    # English: bombed + killing N
    ("Jets of the US-led coalition bombed the town of Hajin in eastern Deir Ezzor, killing seven civilians.",
     [("Hajin", "coalition", "air_strike", 7, 7)]),
    # the place the shells were fired from is not where they fell
    ("قتل ستة مدنيين جراء قصف مدفعي لقوات النظام المتمركزة في مدينة الميادين على بلدة ذيبان.",
     [("ذيبان", "government", "shelling", 6, 6)]),
    # an assassination; the victim belongs to the SDF, the gunmen are unknown
    ("اغتال مسلحون مجهولون عنصراً من قسد في بلدة البصيرة.", [("البصيرة", "unknown", "attack", 1, 1)]),
    # "two of his escorts", an IED
    ("An IED explosion in the town of Hajin killed an SDF commander and two of his escorts.",
     [("Hajin", "unknown", "remote_explosive", 3, 3)]),
    # English: a range and an Airwars-style enumeration
    ("A local network reported that a child and a person were killed by SDF artillery shelling on Al Sousa.",
     [("Al Sousa", "sdf", "shelling", 2, 2)]),
])
def test_single_incidents(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [_summary(c) for c in _extract(text)] == expected


@pytest.mark.parametrize("text", [
    "نزح مئات المدنيين من بلدة الشعفة إلى مخيمات قريبة.",  # displacement is not an incident
    "استقدمت قسد تعزيزات عسكرية إلى بلدة هجين.",  # reinforcements
    "قتل 3 مدنيين بقصف على مدينة القامشلي.",  # outside Deir ez-Zor governorate
    "قتل 3 مدنيين بغارة جوية.",  # no place at all
    "نقلت قسد السجناء من سجن في القامشلي إلى سجن آخر.",  # prisoner transfer
])
def test_no_candidates(text: str) -> None:
    assert _extract(text) == []


def test_shared_toll_is_not_split() -> None:
    candidates = _extract("استشهد 15 مدنياً جراء غارات التحالف على قرى الشعفة والسوسة وهجين.")
    assert [c.place_text for c in candidates] == ["الشعفة", "السوسة", "هجين"]
    assert {c.group for c in candidates} == {"g1"}
    assert all(c.shared_toll and (c.killed_min, c.killed_max) == (15, 15) for c in candidates)


def test_a_list_whose_first_names_are_unknown_keeps_the_known_ones() -> None:
    candidates = _extract("استشهد 15 مدنياً جراء غارات التحالف على قرى البو خاطر والشعفة وهجين بريف دير الزور.")
    assert [(c.place_text, c.group, c.killed_min) for c in candidates] == [("الشعفة", "g1", 15), ("هجين", "g1", 15)]


def test_home_towns_listed_together_are_all_home_towns() -> None:
    text = "استهدف قصف التحالف أمس قرية البقعان، ويعيش فيها نازحون من قرى مجاورة بينها الشعفة السوسة وهجين."
    assert [c.place_text for c in _extract(text)] == ["البقعان"]


def test_a_toll_less_sentence_does_not_capture_a_later_incident() -> None:
    text = ("وجاءت الغارة بعد ساعات من غارة أخرى مساء الخميس على بلدة السوسة.\n"
            "وقتل 13 مدنياً في هجوم على السوسة يوم الخميس.\n"
            "وقتل 18 مدنياً بغارة للتحالف على السوسة قبل منتصف ليل الخميس.")
    candidates = _extract(text)
    assert [(c.killed_min, c.event_type) for c in candidates] == [(13, "attack"), (18, "air_strike")]


def test_places_without_a_toll_are_separate_candidates() -> None:
    candidates = _extract("قصفت طائرات التحالف بلدتي الشعفة والسوسة دون ورود أنباء عن إصابات.")
    assert [(c.place_text, c.group, c.shared_toll) for c in candidates] == [("الشعفة", None, False),
                                                                           ("السوسة", None, False)]


def test_combined_total_is_kept_apart_from_deaths() -> None:
    [candidate] = _extract("سقط نحو 30 قتيلا وجريحا بقصف طيران التحالف على بلدة هجين.")
    assert (candidate.killed_min, candidate.killed_max) == (None, None)
    assert (candidate.killed_or_injured_min, candidate.killed_or_injured_max) == (30, 30)
    assert any("together" in note for note in candidate.notes)


@pytest.mark.parametrize(("text", "actor", "certainty"), [
    ("قتل 3 مدنيين في غارة يرجح أنها للطيران الروسي على بلدة البصيرة.", "russia", "suspected"),
    ("Three civilians were killed in Hajin in an airstrike likely carried out by Russian jets.", "russia",
     "suspected"),
    ("Two civilians were killed in an airstrike on Hajin, though sources were conflicted as to who was to blame.",
     "unknown", "contested"),
    ("قتلت قوات التحالف 13 مدنياً في غارة على بلدة السوسة.", "coalition", "stated"),
    ("قتل 4 مدنيين بقصف لقوات النظام المدعومة من روسيا على بلدة البصيرة.", "government", "stated"),
    ("Four civilians were killed when Russian-backed government forces shelled Hajin.", "government", "stated"),
    ("ISIS claimed responsibility for a car bomb that targeted an SDF checkpoint in Al-Busayrah, killing 7 fighters.",
     "isis", "stated"),
    ("The coalition said it had conducted 12 strikes near Hajin, destroying 5 ISIS fighting positions.", "coalition",
     "stated"),
    ("The US-led coalition denied that its aircraft had carried out the strike on Al-Susa, blaming Russian jets.",
     "russia", "contested"),
])
def test_hedged_actors(text: str, actor: str, certainty: str) -> None:
    [candidate] = _extract(text)
    assert (candidate.actor, candidate.actor_certainty) == (actor, certainty)


def test_relative_dates_need_the_publication_date() -> None:
    text = "قتل 3 مدنيين أمس بغارة للتحالف على بلدة هجين."
    [dated] = _extract(text)
    [undated] = _extract(text, published=None)
    assert (dated.date_start, dated.date_end, dated.date_precision) == (date(2018, 11, 23), date(2018, 11, 23), "day")
    assert (undated.date_start, undated.date_end, undated.date_precision) == (None, None, "unknown")


def test_incident_page_labels_fill_date_and_actor() -> None:
    page = ("CS0001 - Incident date\nAugust 27, 2018\n\nA child was killed in shelling on the town of Hajin.\n"
            "Suspected belligerents\nSyrian Democratic Forces, US-led Coalition\n")
    [candidate] = _extract(page, published=None)
    assert (candidate.date_start, candidate.date_precision) == (date(2018, 8, 27), "day")
    assert (candidate.actor, candidate.actor_certainty) == ("sdf", "contested")


def test_absolute_date_without_publication_date() -> None:
    [candidate] = _extract("في 18 تشرين الثاني 2018 قتل 3 مدنيين بغارة للتحالف على بلدة هجين.", published=None)
    assert candidate.date_start == date(2018, 11, 18)


def test_lede_and_detail_are_one_incident() -> None:
    text = ("مقتل 11 مدنياً بغارات للتحالف في ريف دير الزور الشرقي.\n"
            "وقال مراسلنا إن طائرات التحالف استهدفت منزلاً في بلدة الشعفة ما أدى إلى مقتل 11 مدنياً على الأقل.")
    [candidate] = _extract(text)
    assert (candidate.place_text, candidate.killed_min, candidate.killed_max) == ("الشعفة", 11, None)


def test_the_quote_is_the_sentence_that_says_most() -> None:
    text = ("مقتل 3 مدنيين بقصف على هجين\n"
            "قُتل ثلاثة مدنيين، صباح اليوم، جراء قصف مدفعي لقوات النظام على مدينة هجين، بحسب ناشطين.")
    [candidate] = _extract(text)
    assert candidate.quote == text.splitlines()[1]
    assert candidate.attribution == "بحسب ناشطين"
    assert [text[a:b] for a, b in candidate.spans["sentences"]] == text.splitlines()


def test_two_strikes_on_one_town_stay_apart() -> None:
    text = "قتل 18 مدنياً بغارة على السوسة يوم الخميس، وقتل 14 آخرون بغارة على البلدة ذاتها يوم الجمعة."
    candidates = _extract(text)
    assert [(c.place_text, c.killed_min, c.date_start) for c in candidates] == [
        ("السوسة", 18, date(2018, 11, 22)), ("السوسة", 14, date(2018, 11, 23))]


def test_area_only_report_keeps_area_precision() -> None:
    [candidate] = _extract("قتل 4 مدنيين بقصف للتحالف على ريف دير الزور الشرقي.")
    assert candidate.location_precision == "governorate"
    assert candidate.killed_min == 4


def test_values_trace_to_the_text() -> None:
    text = "ونقلت وكالة «سانا» عن مصادر أهلية أن 20 مدنياً استشهدوا بقصف طيران التحالف على مدينة هجين صباح اليوم."
    [candidate] = _extract(text, source="SANA")
    assert candidate.quote in text
    assert candidate.attribution == "ونقلت وكالة «سانا» عن مصادر أهلية"
    for name, spans in candidate.spans.items():
        for start, end in spans:
            assert 0 <= start < end <= len(text), name
    assert [text[a:b] for a, b in candidate.spans["place_text"]] == ["هجين"]
    assert text[slice(*candidate.spans["killed_min"][0])] == "20 مدنياً"
    assert text[slice(*candidate.spans["actor"][0])] == "طيران التحالف"


def test_spans_use_the_field_names() -> None:
    text = "استشهد 20 مدنياً بينهم 9 أطفال أمس بقصف طيران التحالف على مدينة هجين."
    [candidate] = _extract(text)
    assert candidate.spans["killed_max"] == candidate.spans["killed_min"]
    assert candidate.spans["date_end"] == candidate.spans["date_start"]
    assert [text[a:b] for a, b in candidate.spans["children_killed"]] == ["بينهم 9 أطفال"]
    assert [text[a:b] for a, b in candidate.spans["date_start"]] == ["أمس"]
    assert [text[a:b] for a, b in candidate.spans["event_type"]] == ["بقصف"]


def test_to_dict_has_exactly_the_cli_keys() -> None:
    [candidate] = _extract("قتل 3 مدنيين أمس بغارة للتحالف على بلدة هجين.")
    data = candidate.to_dict()
    assert tuple(data) == CLI_KEYS
    assert data["date_start"] == "2018-11-23"
    assert set(data["place"]) == {"id", "name_ar", "name_en", "lat", "lon", "kind", "admin1", "admin2", "admin3",
                                  "precision", "score"}


def test_to_incident_is_a_draft_with_one_claim() -> None:
    [candidate] = _extract("قتل 3 مدنيين أمس بغارة للتحالف على بلدة هجين بحسب المرصد السوري.", source="Step News")
    incident = candidate.to_incident()
    assert (incident.status, incident.grading, incident.place_id) == ("draft", "unassessed", "t:hajin")
    [claim] = incident.claims
    assert (claim.source_name, claim.source_kind, claim.killed_min) == ("Step News", "opposition_media", 3)
    assert claim.quote == candidate.quote


@pytest.mark.parametrize("tail", [
    "\nاقرأ أيضاً: مقتل 5 مدنيين بقصف على بلدة الشعفة\n",
    "\nمقالات ذات صلة\nمقتل 5 مدنيين بقصف على بلدة الشعفة\n",
    "\nRelated articles\n5 civilians killed in shelling on Al-Shaafa\n",
    "\nRead also: 5 civilians killed in shelling on Al-Shaafa\n",
])
def test_links_to_other_articles_are_not_incidents(tail: str) -> None:
    candidates = _extract("قتل 3 مدنيين أمس بغارة للتحالف على بلدة هجين." + tail)
    assert [c.place_text for c in candidates] == ["هجين"]


@pytest.mark.parametrize(("text", "places"), [
    ("Local sources said 5 civilians were killed when aircraft struck tents in the Hajin camp.", ["Hajin"]),
    ("قتل 5 مدنيين بقصف طيران التحالف على بلدة هجين.", ["هجين"]),
    ("Five civilians were killed in the Capital Hotel.", []),
    ("وصل 300 نازح إلى بلدة هجين.", []),  # nothing violent: no look-up
])
def test_names_the_mention_finder_missed_are_looked_up(text: str, places: list[str]) -> None:
    found = extract_candidates(text, gazetteer=SilentFinder())
    assert [c.place_text for c in found] == places


def test_html_input() -> None:
    page = ("<html><head><title>t</title><script>var x = 'قتل 100 مدني في هجين';</script></head><body>"
            "<h1>غارة على هجين</h1><p>قتل 3 مدنيين أمس بغارة للتحالف على بلدة <b>هجين</b>.</p>"
            "<p>&nbsp;تفاصيل أخرى</p></body></html>")
    text = html_to_text(page)
    assert "<" not in text and "var x" not in text
    [candidate] = _extract(text)
    assert (candidate.place_text, candidate.killed_min) == ("هجين", 3)
