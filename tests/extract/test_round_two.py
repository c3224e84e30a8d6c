"""Round two of the extractor (#14): the most specific site, every date, every child counted.

Each case is a short text written for the test, one per kind of failure seen on real reports.
"""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract import Candidate, extract_candidates
from incidents.extract.dates import find_dates
from incidents.extract.text import tokenize

from .fake_gazetteer import FakeGazetteer

GAZ = FakeGazetteer()
SATURDAY = date(2019, 3, 30)  # a Saturday


def _extract(text: str, published: date | None = SATURDAY) -> list[Candidate]:
    return extract_candidates(text, published=published, gazetteer=GAZ)


def _d(day: int, month: int = 3) -> date:
    return date(2019, month, day)


def _dated(text: str, published: date | None = SATURDAY) -> list[tuple[str | None, date | None, date | None]]:
    return [(c.place_text, c.date_start, c.date_end) for c in _extract(text, published)]


# -- dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "start", "end"), [
    # English weekdays without a preposition, the publication day itself included
    ("Three civilians were killed Saturday in an air strike on Hajin.", _d(30), _d(30)),
    ("Three civilians were killed Friday in an air strike on Hajin.", _d(29), _d(29)),
    ("A car bomb exploded Saturday in Hajin, killing 12 people.", _d(30), _d(30)),
    # vague spans become ranges that end on (or just before) the publication day
    ("Two children were killed in recent days in shelling on Hajin.", _d(23), _d(30)),
    ("Five civilians were killed last week in shelling on Hajin.", _d(23), _d(30)),
    ("Twelve people were killed in Hajin in the past 24 hours.", _d(29), _d(30)),
    ("Twelve people were killed in Hajin earlier this week.", _d(24), _d(30)),
    ("قتل ثلاثة مدنيين خلال الأيام الماضية بقصف على بلدة هجين.", _d(23), _d(30)),
    ("قتل ثلاثة مدنيين في الأيام الأخيرة بقصف على بلدة هجين.", _d(23), _d(30)),
    ("قتل ثلاثة مدنيين منذ أيام بقصف على بلدة هجين.", _d(23), _d(29)),
    ("قتل ثلاثة مدنيين قبل أيام بقصف على بلدة هجين.", _d(23), _d(29)),
    ("قتل 12 شخصا في هجين خلال الساعات الـ24 الماضية.", _d(29), _d(30)),
    ("يتواصل القصف منذ مساء الجمعة على بلدة هجين ما أدى لمقتل 4 مدنيين.", _d(29), _d(30)),
    ("قتل 12 شخصا منذ 3 أيام في هجين.", _d(27), _d(27)),
    ("قتل 12 شخصا منذ يومين في هجين.", _d(28), _d(28)),
    ("قتل مدني في هجين مساء أمس الأول.", _d(28), _d(28)),
    ("A civilian was killed in Hajin overnight.", _d(29), _d(30)),
    # this month, a day of it, a month without a year (the last one on or before the publication date)
    ("قتل مدني في هجين في الـ12 من الشهر الجاري.", _d(12), _d(12)),
    # the start of a month is its first ten days (round three); "earlier this month" is the month so far
    ("قتل مدني في هجين مطلع الشهر الجاري.", _d(1), _d(10)),
    ("A civilian was killed in Hajin earlier this month.", _d(1), _d(30)),
    ("A civilian was killed in Hajin in early March.", _d(1), _d(10)),
    ("قتل مدني في هجين في تشرين الأول.", date(2018, 10, 1), date(2018, 10, 31)),
])
def test_dates_read_in_the_incident_sentence(text: str, start: date, end: date) -> None:
    [(_, found_start, found_end)] = _dated(text)
    assert (found_start, found_end) == (start, end)


def test_vague_spans_stay_unresolved_without_a_publication_date() -> None:
    tokens = tokenize("قتل ثلاثة مدنيين خلال الأيام الماضية")
    [expr] = find_dates(tokens, 0, len(tokens) - 1, None)
    assert (expr.start, expr.end, expr.spanning) == (None, None, True)


def test_each_clause_keeps_its_own_date() -> None:
    text = ("قتل ثلاثة مدنيين يوم الجمعة بقصف على بلدة هجين، فيما قتل مدنيان يوم الخميس بغارة على بلدة الشعفة.")
    assert _dated(text) == [("هجين", _d(29), _d(29)), ("الشعفة", _d(28), _d(28))]


@pytest.mark.parametrize(("text", "second"), [
    ("قتل مدني برصاص قناص في بلدة هجين أمس، وفي اليوم نفسه قتل طفل بانفجار لغم في بلدة الشعفة.", _d(29)),
    ("قتل 3 مدنيين في بلدة هجين في 12 آذار، ثم قتل مدنيان في الشعفة بعد يومين.", _d(14)),
    ("Jets struck Hajin on Thursday killing 5 civilians. Two days earlier, shelling on al-Shaafa killed two.",
     _d(26)),
    ("Jets struck Hajin on Thursday killing 5 civilians. The next day, shelling on al-Shaafa killed two.", _d(29)),
    # "two days after the killing of a child": the child was killed two days before the attack told first
    ("قتل 6 عناصر بتفجير في بلدة هجين صباح اليوم. وتأتي العملية بعد يومين من مقتل طفل بقذيفة في بلدة الشعفة.",
     _d(28)),
])
def test_a_second_incident_counted_from_the_first(text: str, second: date) -> None:
    first, (_, start, end) = _dated(text)
    assert (start, end) == (second, second)


def test_the_day_a_source_spoke_dates_an_incident_that_has_no_other_date() -> None:
    [candidate] = _extract("وقال ناشطون الخميس إن طائرات حربية قصفت بلدة هجين ما أدى لمقتل 5 مدنيين.")
    assert (candidate.date_start, candidate.date_end) == (_d(27), _d(28))
    assert any("the day the source spoke" in note for note in candidate.notes)


def test_a_sentence_going_on_with_the_incident_keeps_its_date() -> None:
    text = ("قتل 30 مدنياً بغارات على بلدة هجين اليوم الأحد. كما طال القصف بلدة الشعفة ما أدى إلى مقتل امرأتين.")
    sunday = date(2019, 3, 31)
    assert _dated(text, sunday) == [("هجين", sunday, sunday), ("الشعفة", sunday, sunday)]


def test_a_new_place_without_a_date_is_not_given_one() -> None:
    text = "قتل ثلاثة مدنيين بقصف على بلدة هجين أمس. وفي بلدة الشعفة قتل مدنيان برصاص مجهولين."
    assert _dated(text) == [("هجين", _d(29), _d(29)), ("الشعفة", None, None)]


def test_a_round_up_title_dates_the_incidents_it_covers() -> None:
    text = ("حصاد دير الزور خلال الساعات الـ24 الماضية\n"
            "- مقتل شابين برصاص مجهولين في بلدة هجين.\n"
            "- مقتل طفل بانفجار لغم في بلدة الشعفة.")
    assert _dated(text) == [("هجين", _d(29), _d(30)), ("الشعفة", _d(29), _d(30))]


# -- children and women killed, counted in words ------------------------------------------------------------


@pytest.mark.parametrize(("text", "killed", "children", "women"), [
    # Arabic duals
    ("قتلت طفلتان وامرأتان بقصف على بلدة هجين أمس.", 4, 2, 2),
    ("قتل طفلان ورجلان بقصف على بلدة هجين أمس.", 4, 2, None),
    ("قتل شقيقان ورجلان بقصف على بلدة هجين أمس.", 4, None, None),
    ("قتلت امرأة وطفلاها بقصف على بلدة هجين أمس.", 3, 2, 1),                    # "her two children"
    ("قتل ثلاثة مدنيين، هم امرأة وطفلاها، برصاص قناص في بلدة هجين أمس.", 3, 2, 1),
    ("قتل رجل وزوجته بقصف على بلدة هجين أمس.", 2, None, 1),                     # his wife is a woman
    ("Landmines killed a woman and her two daughters in Hajin yesterday.", 3, None, 1),  # daughters: any age
    # number words inside phrases, ages that count no one
    ("قتل خمسة أطفال دون الثامنة عشرة بقصف على بلدة هجين أمس.", 5, 5, None),
    ("قصفت طائرات بلدة هجين أمس ما أسفر عن مقتل سبعة مدنيين، بينهم خمسة أطفال دون الثامنة عشرة وامرأتان.",
     7, 5, 2),
    ("قتل سبعة مدنيين بينهم أربعة أطفال تتراوح أعمارهم بين 3 و12 عاما وامرأة بقصف على هجين أمس.", 7, 4, 1),
    ("قتل طفل يبلغ من العمر 10 سنوات وامرأة بقصف على هجين أمس.", 2, 1, 1),
    ("Two children aged 8 and 10 and a woman were killed in Hajin yesterday.", 3, 2, 1),
    ("Seven civilians were killed in Hajin yesterday, among them five children under the age of 18 and two women.",
     7, 5, 2),
    # "six of them children", a list after a comma, a breakdown further on in the sentence
    ("قتل عشرة مدنيين، ستة منهم أطفال، في هجين أمس.", 10, 6, None),
    ("Coalition warplanes killed 3 civilians, a man and his two children, in a strike on Hajin yesterday.", 3, 2, None),
    ("ارتفعت إلى تسعة حصيلة القتلى جراء انفجار سيارة مفخخة وسط سوق بلدة هجين ظهر أمس، بينهم طفل وثلاث نساء.",
     9, 1, 3),
    ("أسفرت غارات على بلدة هجين أمس عن مقتل سبعة مدنيين من عائلة واحدة، بينهم أربعة أطفال.", 7, 4, None),
])
def test_children_and_women_killed(text: str, killed: int, children: int | None, women: int | None) -> None:
    [candidate] = _extract(text)
    assert (candidate.killed_min, candidate.killed_max) == (killed, killed)
    assert (candidate.children_killed, candidate.women_killed) == (children, women)


def test_a_breakdown_of_the_injured_is_not_given_to_the_killed() -> None:
    [candidate] = _extract("قتل خمسة مدنيين في هجين أمس وأصيب عشرة آخرون، بينهم ثلاثة أطفال.")
    assert (candidate.killed_min, candidate.children_killed) == (5, None)


# -- the most specific site ---------------------------------------------------------------------------------


def _places(text: str) -> list[str | None]:
    return [c.place_text for c in _extract(text)]


@pytest.mark.parametrize(("text", "site"), [
    ("قتل ثلاثة مدنيين بقصف على قرية الكشمة في مدينة ذيبان أمس.", "الكشمة"),
    ("قتل ثلاثة مدنيين بقصف على قرية الكشمة التابعة لبلدة ذيبان أمس.", "الكشمة"),
    ("قتل ثلاثة مدنيين بقصف على قرية الكشمة التابعة لـ ذيبان أمس.", "الكشمة"),
    ("Three civilians were killed in shelling on the village of al-Kishma in the town of Dhiban yesterday.",
     "al-Kishma"),
    # a distance in brackets locates the site; the town it counts from is no site
    ("قصفت الطائرات بلدة الجنينة (8كم شرق مدينة دير الزور) ما أسفر عن مقتل ستة مدنيين.", "الجنينة"),
])
def test_the_most_specific_site_is_recorded(text: str, site: str) -> None:
    assert _places(text) == [site]


def test_a_second_place_joined_with_and_in_is_still_a_site() -> None:
    assert _places("قتل مدنيان في هجين وفي مدينة الميادين أمس.") == ["هجين", "الميادين"]


def test_several_struck_villages_are_all_kept() -> None:
    text = "قصف جوي طال مدينة الميادين (42كم جنوب مدينة دير الزور) وبلدة الشحيل (40كم جنوب مدينة دير الزور) ما أدى لمقتل مدنيين."
    gazetteer = FakeGazetteer(places=(*GAZ.places, ("t:shahil", "الشحيل", "Al-Shahil", "town", "village", "SY09", ())))
    found = extract_candidates(text, published=SATURDAY, gazetteer=gazetteer)
    assert [c.place_text for c in found] == ["الميادين", "الشحيل"]
    assert len({c.group for c in found}) == 1 and found[0].group is not None


def test_a_massacre_named_by_its_place_is_an_incident() -> None:
    [candidate] = _extract("تستمر المجازر، من مجزرة هجين إلى ما يجري اليوم.")
    assert (candidate.place_text, candidate.event_type) == ("هجين", "attack")


def test_a_headline_toll_over_several_places_is_no_one_village_s() -> None:
    text = ("15 قتيلا بقصف جوي في دير الزور\n"
            "قتل سبعة مدنيين بغارات على بلدة الجنينة. ولم تسجل إصابات في قصف جوي آخر طال مدينة الميادين.")
    by_place = {c.place_text: c.killed_min for c in _extract(text)}
    assert by_place["الجنينة"] == 7
    assert by_place["الميادين"] is None


# -- statements that are no incident -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "يستمر قتل المدنيين على مدار الساعة في هجين بالطيران الحربي.",
    "وداعش لا يتأخر عن قتل المدنيين في الأحياء المحاصرة في مدينة الميادين.",
    "ISIS continues to kill civilians in Hajin.",
])
def test_a_habit_told_without_toll_or_date_is_no_incident(text: str) -> None:
    assert _extract(text) == []


@pytest.mark.parametrize(("before", "actor"), [
    ("يستهدف الطيران الحربي الروسي المنطقة.", "russia"),
    ("يستهدف الطيران الحربي الروسي والأسدي وطيران التحالف المنطقة.", "unknown"),  # a list: none of them
])
def test_the_strikes_take_the_actor_of_the_sentence_before_unless_it_lists_several(before: str, actor: str) -> None:
    [candidate] = _extract(before + " وقتلت الغارات أمس ثمانية مدنيين في بلدة هجين.")
    assert candidate.actor == actor


def test_one_toll_over_several_governorates_is_no_deir_ez_zor_incident() -> None:
    gazetteer = FakeGazetteer(places=(*GAZ.places, ("SY08", "ريف الحسكة", "al-Hasakah countryside", "governorate",
                                                     "governorate", "SY08", ("Hasakah countryside",))))
    text = ("The monitor documented the killing of 217 civilians by armed cells in the eastern countryside of "
            "Deir Ezzor, al-Hasakah countryside and Qamishli.")
    assert extract_candidates(text, published=SATURDAY, gazetteer=gazetteer) == []


def test_english_pronoun_tolls() -> None:
    [candidate] = _extract("Unknown gunmen opened fire on an SDF fighter in Hajin yesterday, which caused his "
                           "immediate death.")
    assert (candidate.killed_min, candidate.killed_max) == (1, 1)


def test_a_day_of_the_month_told_before() -> None:
    text = ("وفي 19 كانون الثاني، قُتل رجل وزوجته برصاص مسلحين في بلدة هجين. "
            "كما قُتل مدني، يوم 26 من الشهر ذاته، برصاص عناصر عند حاجز في مدينة الميادين.")
    assert _dated(text, date(2022, 2, 1)) == [("هجين", date(2022, 1, 19), date(2022, 1, 19)),
                                              ("الميادين", date(2022, 1, 26), date(2022, 1, 26))]


def test_a_dated_page_and_a_strike_the_following_day() -> None:
    text = ("Date: March 9, 2019\n"
            "Three civilians were killed when Coalition aircraft bombed a camp on the edge of Baghuz.\n"
            "A second strike on Hajin the following day reportedly killed two people.")
    assert _dated(text, None) == [("Baghuz", date(2019, 3, 9), date(2019, 3, 9)),
                                  ("Hajin", date(2019, 3, 10), date(2019, 3, 10))]


def test_a_day_counted_from_the_sentence_s_own_date() -> None:
    text = ("Islamic State claimed responsibility on Sunday for a suicide car bombing that killed at least 12 "
            "fighters at a checkpoint in the town of Hajin a day earlier.")
    assert _dated(text, date(2018, 12, 16)) == [("Hajin", date(2018, 12, 15), date(2018, 12, 15))]


def test_meanwhile_is_the_day_told_before() -> None:
    text = ("أعدم التنظيم صباح اليوم ثلاثة شبان في بلدة هجين. "
            "في غضون ذلك، قضى طفل إثر غارة للطيران الروسي استهدفت منزلهم في بلدة الشعفة.")
    assert _dated(text) == [("هجين", _d(30), _d(30)), ("الشعفة", _d(30), _d(30))]


@pytest.mark.parametrize("text", [
    "اغتال مسلحون مجهولون مختار قرية هجين بإطلاق النار عليه أمام منزله.",
    "Unknown gunmen assassinated the mukhtar of Hajin village.",
])
def test_a_person_named_by_office_counts_one(text: str) -> None:
    [candidate] = _extract(text)
    assert (candidate.killed_min, candidate.killed_max) == (1, 1)


# -- titles, areas named from a city, neighbourhoods (round two, second pass) --------------------------------


@pytest.mark.parametrize("text", [
    "15 قتيلا بقصف جوي في دير الزور\n\nقتل سبعة مدنيين بغارات على بلدة الجنينة أمس، وقتل ثمانية في بلدة هجين.",
    "ISIS resurgence in Deir Ezzor | Civilian executed in his house\n\n"
    "Unknown gunmen executed a civilian after storming his house in Hajin yesterday.",
])
def test_a_title_naming_only_the_area_sums_up_the_body(text: str) -> None:
    assert all(c.place and c.place["name_ar"] != "دير الزور" for c in _extract(text))


def test_a_title_is_kept_when_the_body_reports_no_casualties() -> None:
    found = _extract("Five civilians killed in Deir Ezzor\n\nClashes erupted in Hajin yesterday.")
    assert 5 in [c.killed_min for c in found]


@pytest.mark.parametrize(("text", "area"), [
    ("قتل 15 مدنيا بقصف جوي على بلدات جنوب مدينة دير الزور أمس.", "بلدات جنوب مدينة دير الزور"),
    ("قتل 15 مدنيا بقصف جوي على قرى شرق هجين أمس.", "قرى شرق هجين"),
    ("Air strikes killed 15 civilians in villages east of Hajin yesterday.", "villages east of Hajin"),
])
def test_unnamed_villages_located_from_a_town_are_an_area_not_the_town(text: str, area: str) -> None:
    [candidate] = _extract(text)
    assert (candidate.place_text, candidate.place, candidate.killed_min) == (area, None, 15)


def test_a_named_village_located_from_a_town_is_still_the_village() -> None:
    assert _places("قتل 3 مدنيين بقصف على بلدة الشعفة شرق هجين أمس.") == ["الشعفة"]


def test_two_neighbourhoods_of_a_city_are_two_sites() -> None:
    text = ("قصفت الطائرات أحياء الحميدية والحويقة في مدينة دير الزور أمس. "
            "وقتل ثمانية مدنيين بقصف روسي على حي العرضي أمس.")
    found = _extract(text)
    assert [(c.place_text, c.place and c.place["name_ar"], c.killed_min) for c in found] == [
        ("الحميدية والحويقة", "دير الزور", None), ("العرضي", "دير الزور", 8)]


@pytest.mark.parametrize(("a", "b", "same"), [
    ({"c"}, {"c"}, True),
    ({"c"}, {"c#عرضي"}, True),        # the city and one of its neighbourhoods
    ({"c#حميديه"}, {"c"}, True),
    ({"c#حميديه"}, {"c#عرضي"}, False),  # two neighbourhoods
    ({"c#عرضي"}, {"d"}, False),
])
def test_same_site(a: set[str], b: set[str], same: bool) -> None:
    from incidents.extract.places import same_site

    assert same_site(frozenset(a), frozenset(b)) is same


def test_a_sentence_opening_with_also_keeps_the_day_told_before() -> None:
    text = "قتل ثلاثة مدنيين بقصف على بلدة هجين أمس. كما قصفت الطائرات بلدة الشعفة."
    assert _dated(text) == [("هجين", _d(29), _d(29)), ("الشعفة", _d(29), _d(29))]


def test_one_strike_without_casualties_on_two_towns_is_one_record() -> None:
    text = "لم تسجل إصابات في قصف جوي طال مدينة الميادين وبلدة الشعفة أمس."
    found = _extract(text)
    assert [c.place_text for c in found] == ["الميادين", "الشعفة"]
    assert found[0].group is not None and found[0].group == found[1].group
    assert "the text reports no casualties" in found[0].notes


def test_an_area_word_names_a_place_the_gazetteer_cannot_settle_on() -> None:
    gazetteer = FakeGazetteer(places=(*GAZ.places, ("t:k1", "أبو خشب", "Abu Khashab", "village", "village", "SY09", ()),
                                      ("t:k2", "أبو خشب", "Abu Khashab", "village", "village", "SY09", ())))
    ambiguous = _Ambiguous(gazetteer)
    [candidate] = extract_candidates("اعتقلت قسد ثلاثة أشخاص في منطقة أبو خشب في ريف دير الزور أمس.",
                                     published=SATURDAY, gazetteer=ambiguous)
    assert (candidate.place_text, candidate.place) == ("أبو خشب", None)
    # beside a town the sentence names, such an area is a part of that town
    found = extract_candidates("قتل ثلاثة مدنيين بغارات على بلدة هجين استهدفت منزلا في منطقة أبو خشب أمس.",
                               published=SATURDAY, gazetteer=ambiguous)
    assert [c.place_text for c in found] == ["هجين"]


class _Ambiguous:
    """A finder that leaves names with several equally good places unsettled (``result.match`` is ``None``)."""

    def __init__(self, inner: FakeGazetteer) -> None:
        self.inner = inner

    def geocode(self, text: str, context: str | None = None):  # noqa: ANN201 - the fake's own type
        return self.inner.geocode(text, context)

    def find_mentions(self, text: str) -> list:  # noqa: ANN201
        from geodata.model import GeocodeResult, Mention

        out = []
        for m in self.inner.find_mentions(text):
            if m.surface == "أبو خشب":
                m = Mention(m.start, m.end, m.surface, GeocodeResult(m.surface, None, [m.result.match, m.result.match]))
            out.append(m)
        return out


def test_a_toll_recalled_from_last_year_is_not_today_s_incident() -> None:
    text = "اعتقلت قسد ثلاثة أشخاص في بلدة هجين أمس، وأكد البيان مسؤولية الخلية عن اغتيال رئيس المجلس العام الماضي."
    [candidate] = _extract(text)
    assert (candidate.place_text, candidate.killed_min, candidate.event_type) == ("هجين", None, "arrests")


@pytest.mark.parametrize(("text", "start", "end"), [
    ("قتل مدني في هجين العام الماضي.", date(2018, 1, 1), date(2018, 12, 31)),
    ("A civilian was killed in Hajin last year.", date(2018, 1, 1), date(2018, 12, 31)),
])
def test_last_year(text: str, start: date, end: date) -> None:
    [(_, found_start, found_end)] = _dated(text)
    assert (found_start, found_end) == (start, end)


@pytest.mark.parametrize("text", [
    "تعرض مبنى جهاز الأمن الداخلي المعروف بـ\"الأسايش\" في بلدة ذيبان لانفجار أمس.",
    "تعرضت دورية لقسد لهجوم في بلدة ذيبان أمس.",
])
def test_what_was_subjected_to_an_attack_is_not_its_actor(text: str) -> None:
    [candidate] = _extract(text)
    assert candidate.actor != "sdf"


def test_a_name_cut_short_before_its_qualifier_is_looked_up_whole() -> None:
    gazetteer = FakeGazetteer(places=(
        *GAZ.places, ("t:q", "غريبه", "Gharibah", "village", "village", "SY09", ()),
        ("t:gs", "غريبة شرقية", "Eastern Gharibeh", "village", "village", "SY09", ("Gharibah Sharqiyah",))))
    [found] = extract_candidates("Gunmen shot dead an SDF fighter in Gharibah Sharqiyah village yesterday.",
                                 published=SATURDAY, gazetteer=_ShortNames(gazetteer))
    assert (found.place_text, found.place and found.place["id"]) == ("Gharibah Sharqiyah", "t:gs")
    # a spelling the gazetteer does not know keeps the whole name and no point (the short name is another village)
    [unknown] = extract_candidates("Gunmen shot dead an SDF fighter in Gharibah Sharqiyyah village yesterday.",
                                   published=SATURDAY, gazetteer=_ShortNames(gazetteer))
    assert (unknown.place_text, unknown.place) == ("Gharibah Sharqiyyah", None)


class _ShortNames:
    """A finder that, like the real one on some spellings, stops at the first word of a two-word name."""

    def __init__(self, inner: FakeGazetteer) -> None:
        self.inner = inner

    def geocode(self, text: str, context: str | None = None):  # noqa: ANN201 - the fake's own type
        return self.inner.geocode(text, context)

    def find_mentions(self, text: str) -> list:  # noqa: ANN201
        short = FakeGazetteer(places=self.inner.places[-2:-1]).find_mentions(text)
        whole = [m for m in self.inner.find_mentions(text) if m.surface != "Gharibah Sharqiyah"]
        return sorted(whole + short, key=lambda m: m.start)
