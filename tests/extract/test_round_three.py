"""Round three of the extractor (#14): kinds of failure left after round two.

Each case is a short text written for the test, one per kind of failure.
"""

from __future__ import annotations

from datetime import date

import pytest

from incidents.extract import Candidate, extract_candidates

from .fake_gazetteer import FakeGazetteer

GAZ = FakeGazetteer()
SATURDAY = date(2019, 3, 30)  # a Saturday


def _extract(text: str, published: date | None = SATURDAY) -> list[Candidate]:
    return extract_candidates(text, published=published, gazetteer=GAZ)


def _d(day: int, month: int = 3, year: int = 2019) -> date:
    return date(year, month, day)


# -- actors ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "actor"), [
    # the weapon's owner, named right after it, set it off (even after a word that elsewhere names a target)
    ("قتل ثلاثة مدنيين بسيارة مفخخة لداعش في بلدة هجين أمس.", "isis"),
    ("انفجرت سيارة مفخخة لتنظيم داعش في بلدة هجين أمس ما أدى لمقتل ثلاثة مدنيين.", "isis"),
    ("قتل خمسة مدنيين بقذيفة لداعش في بلدة هجين أمس.", "isis"),
    ("قتل خمسة مدنيين بغارة للتحالف على بلدة هجين أمس.", "coalition"),
    ("قتل طفلان بانفجار لغم من مخلفات داعش في بلدة هجين أمس.", "isis"),
    ("An Islamic State car bomb killed five civilians in Hajin yesterday.", "isis"),
    ("Five civilians were killed in a coalition air strike on Hajin on Friday.", "coalition"),
    # what the weapon hit is not its owner
    ("انفجرت عبوة ناسفة بسيارة لقسد في بلدة ذيبان أمس ما أدى لمقتل عنصرين.", "unknown"),
])
def test_the_actor_named_as_the_weapon_s_owner(text: str, actor: str) -> None:
    [candidate] = _extract(text)
    assert candidate.actor == actor


@pytest.mark.parametrize(("text", "actor"), [
    ("شنت طائرات التحالف غارات مكثفة على ريف دير الزور الشرقي أمس. وقتل سبعة مدنيين بغارة على بلدة هجين.",
     "coalition"),
    ("Coalition warplanes pounded the area on Friday. Seven civilians were killed in an air strike on Hajin.",
     "coalition"),
    # another kind of event is not the one the actor was named for
    ("شنت طائرات التحالف غارات مكثفة على ريف دير الزور الشرقي أمس. وقتل مدني برصاص مجهولين في بلدة هجين.",
     "unknown"),
    # nor when the sentence before names several actors, or a sentence without violence comes between
    ("قصفت طائرات روسية وطائرات التحالف ريف دير الزور أمس. وقتل سبعة مدنيين بغارة على بلدة هجين.", "unknown"),
    ("Coalition warplanes pounded the area on Friday. Aid reached the camps. Seven civilians were killed in an "
     "air strike on Hajin.", "unknown"),
])
def test_the_actor_of_the_sentence_before_for_the_same_kind_of_event(text: str, actor: str) -> None:
    [candidate] = _extract(text)
    assert candidate.actor == actor


@pytest.mark.parametrize("text", [
    "عثر على جثة رجل مقتول بطلق ناري في بلدة هجين، ولم تعرف الجهة المسؤولة عن قتله.",
    "قتل مدني بقصف مجهول المصدر على بلدة هجين أمس.",
    "A man was shot dead in Hajin yesterday; it was not clear who killed him.",
])
def test_an_unknown_perpetrator_said_so(text: str) -> None:
    [candidate] = _extract(text)
    assert candidate.actor == "unknown"


def test_the_sentence_before_dates_the_same_kind_of_event_it_names_the_actor_of() -> None:
    [candidate] = _extract("Coalition warplanes pounded the area on Friday. Seven civilians were killed in an air "
                           "strike on Hajin.")
    assert (candidate.actor, candidate.date_start, candidate.date_end) == ("coalition", _d(29), _d(29))


# -- dates ----------------------------------------------------------------------------------------------------


def _dated(text: str, published: date | None = SATURDAY) -> list[tuple[str | None, date | None, date | None]]:
    return [(c.place_text, c.date_start, c.date_end) for c in _extract(text, published)]


@pytest.mark.parametrize(("text", "day"), [
    # a day and month without a year: the last such day on or before publication
    ("قتل ثلاثة مدنيين بغارة على بلدة هجين في 12 من آذار.", _d(12)),
    ("قتل ثلاثة مدنيين بغارة على بلدة هجين في الثاني عشر من آذار.", _d(12)),
    ("قتل ثلاثة مدنيين بغارة على بلدة هجين في الحادي والعشرين من كانون الأول.", _d(21, 12, 2018)),
    ("قتل ثلاثة مدنيين بغارة على بلدة هجين في الخامس من آذار من عام 2017.", _d(5, 3, 2017)),
    ("Three civilians were killed in an air strike on Hajin on the twelfth of March.", _d(12)),
    ("Three civilians were killed in an air strike on Hajin on 12 December.", _d(12, 12, 2018)),
    # a weekday with a calendar date: the date decides
    ("Three civilians were killed in an air strike on Hajin on Tuesday, March 12.", _d(12)),
    ("قتل ثلاثة مدنيين بغارة على بلدة هجين يوم الثلاثاء الموافق 12 آذار.", _d(12)),
])
def test_days_of_named_months(text: str, day: date) -> None:
    assert _dated(text) == [(_dated(text)[0][0], day, day)]


def test_an_ordinal_of_a_month_word_is_no_day_without_a_month() -> None:
    [(_, start, _)] = _dated("قتل مدني في هجين في كانون الثاني من عام 2019.")
    assert start == date(2019, 1, 1)


@pytest.mark.parametrize("text", [
    "Coalition jets struck Hajin on Friday killing five civilians. A second strike on Hajin an hour later killed "
    "three rescuers.",
    "Coalition jets struck Hajin on Friday killing five civilians. A second strike on al-Shaafa killed three.",
    "قتل خمسة مدنيين بغارة للتحالف على بلدة هجين يوم الجمعة. وبعد ساعات قتل ثلاثة مسعفين بغارة ثانية على الشعفة.",
])
def test_a_second_strike_told_next_without_a_date_is_on_the_day_told(text: str) -> None:
    assert [(start, end) for _, start, end in _dated(text)] == [(_d(29), _d(29))] * 2


# -- the most specific site -----------------------------------------------------------------------------------


def _places(text: str) -> list[str | None]:
    return [c.place_text for c in _extract(text)]


@pytest.mark.parametrize(("text", "site"), [
    ("قتل ثلاثة مدنيين بقصف على الكشمة التابعة لناحية ذيبان أمس.", "الكشمة"),
    ("قتل ثلاثة مدنيين بقصف على قرية الكشمة التابعة إداريا لمدينة ذيبان أمس.", "الكشمة"),
    ("قتل ثلاثة مدنيين بقصف على قرية الكشمة، شرقي ذيبان، أمس.", "الكشمة"),
    ("قتل ثلاثة مدنيين بقصف على قرية الكشمة، في ريف ذيبان، أمس.", "الكشمة"),
    ("Three civilians were killed in shelling on al-Kishma, east of Dhiban, yesterday.", "al-Kishma"),
    ("Three civilians were killed in shelling on the village of al-Kishma, in the countryside of al-Mayadin, "
     "yesterday.", "al-Kishma"),
    ("Three civilians were killed in shelling on al-Kishma, a village in the Dhiban area, yesterday.", "al-Kishma"),
])
def test_a_place_set_off_after_the_site_only_locates_it(text: str, site: str) -> None:
    assert _places(text) == [site]


@pytest.mark.parametrize("text", [
    "قتل مدنيان بقصف على الكشمة، وفي ذيبان قتل ثلاثة آخرون أمس.",
    "Shelling killed two civilians in al-Kishma, and in Dhiban three more were killed yesterday.",
])
def test_a_second_place_after_a_comma_is_still_a_site(text: str) -> None:
    assert len(_places(text)) == 2


# -- figures --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "killed", "children", "women"), [
    # children named with their number after them ("her four children")
    ("أسفر القصف على بلدة هجين أمس عن مقتل امرأة وأطفالها الأربعة.", 5, 4, 1),
    ("أسفر القصف على بلدة هجين أمس عن مقتل رجل وزوجته وأطفالهما الثلاثة.", 5, 3, 1),
    ("أسفر القصف على بلدة هجين أمس عن مقتل عائلة مؤلفة من أم وأطفالها الثلاثة.", 4, 3, 1),
    ("قتل الأطفال الـ5 بقصف على بلدة هجين أمس.", 5, 5, None),
    # "الأحد"/"الاثنين" after a noun are days, not numbers
    ("قتل طفل بقصف على بلدة هجين الأحد.", 1, 1, None),
])
def test_children_counted_after_the_noun(text: str, killed: int, children: int | None, women: int | None) -> None:
    [candidate] = _extract(text)
    assert (candidate.killed_min, candidate.killed_max, candidate.children_killed, candidate.women_killed) == (
        killed, killed, children, women)


@pytest.mark.parametrize("text", [
    "قتل مدنيان بقصف على الكشمة، وثلاثة بقصف على الجنينة أمس.",
    "قتل مدنيان في الكشمة وثلاثة في الجنينة بقصف أمس.",
    "Shelling killed two civilians in al-Kishma and three in al-Jnaineh yesterday.",
])
def test_a_number_standing_for_the_victims_before_it_counts_at_the_next_place(text: str) -> None:
    assert [c.killed_min for c in _extract(text)] == [2, 3]


@pytest.mark.parametrize(("text", "low", "high"), [
    # "dozens" is 20-99 (the annotation rule), never a number of its own
    ("قتل عشرات المدنيين بغارات على بلدة هجين أمس.", 20, 99),
    ("أسفرت الغارات على بلدة هجين أمس عن مقتل العشرات.", 20, 99),
    ("Dozens of civilians were killed in air strikes on Hajin yesterday.", 20, 99),
])
def test_dozens(text: str, low: int, high: int) -> None:
    [candidate] = _extract(text)
    assert (candidate.killed_min, candidate.killed_max) == (low, high)


def test_an_age_under_which_children_were_is_no_without() -> None:
    [candidate] = _extract("قتل خمسة مدنيين بينهم ثلاثة أطفال دون العاشرة بقصف على بلدة هجين أمس.")
    assert (candidate.event_type, candidate.killed_min, candidate.children_killed) == ("shelling", 5, 3)


def test_a_family_from_a_town_killed_elsewhere() -> None:
    [candidate] = _extract("A displaced family from Hajin was killed in shelling on al-Shaafa yesterday.")
    assert (candidate.place_text, candidate.killed_min, candidate.killed_max) == ("al-Shaafa", None, None)
    assert "killed mentioned without a number" in candidate.notes


@pytest.mark.parametrize(("second", "children", "women"), [
    ("وبين القتلى سبعة أطفال وأربع نساء.", 7, 4),
    ("وقالت مصادر محلية إن بين القتلى سبعة أطفال وأربع نساء.", 7, 4),
    ("ومن بين الضحايا سبعة أطفال.", 7, None),
    ("وأشارت المصادر إلى أن سبعة من القتلى أطفال.", 7, None),
    ("Among the dead were seven children and four women.", 7, 4),
    ("The dead included seven children and four women.", 7, 4),
    ("Seven of the dead were children.", 7, None),
    # more than the toll: not this incident's
    ("Among the dead were twenty children.", None, None),
])
def test_who_was_among_the_dead_told_in_the_next_sentence(second: str, children: int | None,
                                                           women: int | None) -> None:
    first = "Air strikes killed 19 civilians in Hajin yesterday. " if second.isascii() else \
        "قتل 19 مدنيا بغارات على بلدة هجين أمس. "
    [candidate] = _extract(first + second)
    assert (candidate.killed_min, candidate.children_killed, candidate.women_killed) == (19, children, women)


def test_who_was_among_the_dead_after_a_comma() -> None:
    [candidate] = _extract("قتل 19 مدنيا بغارات على بلدة هجين أمس، ومن بين الضحايا سبعة أطفال.")
    assert (candidate.killed_min, candidate.children_killed) == (19, 7)


@pytest.mark.parametrize(("text", "actor"), [
    ("قتل مدني برصاص عناصر مجلس دير الزور العسكري في بلدة ذيبان أمس.", "sdf"),
    ("أسفرت الاشتباكات في بلدة ذيبان أمس عن مقتل عناصر من مجلس دير الزور العسكري.", "unknown"),
])
def test_the_fire_of_an_actor_s_members_is_the_actor_s(text: str, actor: str) -> None:
    [candidate] = _extract(text)
    assert candidate.actor == actor


@pytest.mark.parametrize(("text", "tolls"), [
    ("قتل مدني في هجين ومدنيان في الشعفة بقصف أمس.", [1, 2]),
    ("قتل مدني في هجين وآخر في الشعفة بقصف أمس.", [1, 1]),
    ("One civilian was killed in Hajin and another in al-Shaafa in shelling yesterday.", [1, 1]),
])
def test_a_second_count_joined_after_a_place_is_the_next_place_s(text: str, tolls: list[int]) -> None:
    assert [c.killed_min for c in _extract(text)] == tolls


@pytest.mark.parametrize(("text", "killed"), [
    ("قتل قيادي في داعش ومرافقه بغارة على بلدة الشعفة أمس.", 2),
    ("A coalition drone strike killed an ISIS commander and his bodyguard in al-Shaafa yesterday.", 2),
    ("قتل مدني وأصيب آخر بقصف على بلدة هجين أمس.", 1),
])
def test_a_commander_and_his_companion(text: str, killed: int) -> None:
    [candidate] = _extract(text)
    assert (candidate.killed_min, candidate.killed_max) == (killed, killed)


@pytest.mark.parametrize("opening", ["In a separate incident, ", "Separately, "])
def test_a_separate_incident_takes_nothing_from_the_one_before(opening: str) -> None:
    text = ("Regime forces shelled Hajin on Friday, killing a civilian. " + opening +
            "two children were injured by the explosion of a war remnant in al-Shaafa.")
    second = _extract(text)[1]
    assert (second.actor, second.event_type, second.date_start) == ("unknown", "remote_explosive", None)


def test_a_separate_incident_in_arabic() -> None:
    text = ("قصفت قوات النظام بلدة هجين يوم الجمعة ما أدى لمقتل مدني. وفي حادثة منفصلة، أصيب طفلان بانفجار "
            "القذيفة في بلدة الشعفة.")
    second = _extract(text)[1]
    assert (second.actor, second.date_start) == ("unknown", None)


@pytest.mark.parametrize(("text", "start", "end"), [
    # a part of a month: its first, middle or last ten days (never past the publication day)
    ("قتل مدني بقصف على بلدة هجين أواخر الشهر الماضي.", _d(21, 2), _d(28, 2)),
    ("قتل مدني بقصف على بلدة هجين منتصف الشهر الجاري.", _d(11), _d(20)),
    ("قتل مدني بقصف على بلدة هجين أوائل كانون الأول 2018.", _d(1, 12, 2018), _d(10, 12, 2018)),
    ("A civilian was killed in shelling on Hajin in mid-March.", _d(11), _d(20)),
    ("A civilian was killed in shelling on Hajin at the end of last month.", _d(21, 2), _d(28, 2)),
    ("A civilian was killed in shelling on Hajin in late March.", _d(21), _d(30)),
    # a day of this month written as an ordinal, or without "من"
    ("قتل مدني بقصف على بلدة هجين في العاشر من الشهر الجاري.", _d(10), _d(10)),
    ("قتل مدني بقصف على بلدة هجين في 10 الشهر الجاري.", _d(10), _d(10)),
    # hours and weeks back
    ("قتل مدني بقصف على بلدة هجين خلال الـ48 ساعة الماضية.", _d(28), _d(30)),
    ("A civilian was killed in shelling on Hajin in the past 72 hours.", _d(27), _d(30)),
    ("قتل مدني بقصف على بلدة هجين قبل نحو أسبوع.", _d(23), _d(23)),
    ("قتل مدني بقصف على بلدة هجين قبل أسبوعين.", _d(16), _d(16)),
])
def test_parts_of_months_hours_and_weeks(text: str, start: date, end: date) -> None:
    [(_, found_start, found_end)] = _dated(text)
    assert (found_start, found_end) == (start, end)


def test_a_count_before_this_month_is_no_day() -> None:
    from incidents.extract.dates import find_dates
    from incidents.extract.text import tokenize

    tokens = tokenize("ارتفع عدد القتلى إلى 25 الشهر الجاري")
    assert all(d.start != _d(25) for d in find_dates(tokens, 0, len(tokens) - 1, SATURDAY))


# -- second and third strikes ---------------------------------------------------------------------------------


def test_one_toll_for_two_strikes_told_apart_is_one_record() -> None:
    text = ("شنت طائرات التحالف غارة على بلدة هجين أمس. وبعد ساعة شنت غارة ثانية على البلدة ذاتها. "
            "وأسفرت الغارتان عن مقتل خمسة مدنيين.")
    [candidate] = _extract(text)
    assert (candidate.place_text, candidate.killed_min) == ("هجين", 5)


def test_a_third_strike_with_its_own_toll_is_its_own_record() -> None:
    text = ("استهدفت الغارة الأولى منزلا في بلدة هجين أمس، والثانية استهدفت المنزل ذاته، ما أدى لإصابة خمسة "
            "مدنيين. أما الغارة الثالثة فاستهدفت سوق البلدة ما أدى لمقتل طفلين.")
    assert [(c.place_text, c.injured_min, c.killed_min) for c in _extract(text)] == [
        ("هجين", 5, None), ("هجين", None, 2)]


def test_another_strike_told_without_a_place_is_at_the_place_told_before() -> None:
    text = "Coalition jets struck Hajin on Friday, killing three civilians. A second strike killed two rescuers."
    assert [(c.place_text, c.killed_min) for c in _extract(text)] == [("Hajin", 3), ("Hajin", 2)]


# -- the lede ------------------------------------------------------------------------------------------------


def test_an_undated_lede_spans_the_days_the_report_goes_on_to_tell() -> None:
    text = ("قتل 15 مدنياً بقصف جوي على بلدات جنوب هجين.\n"
            "وقال ناشطون إن الطائرات قصفت بلدة الشعفة يوم الخميس ما أدى لمقتل سبعة مدنيين.\n"
            "وأضافوا أن قصفاً مماثلاً طال بلدة السوسة يوم الجمعة ما أدى لمقتل ثمانية مدنيين.")
    found = {c.place_text: (c.date_start, c.date_end) for c in _extract(text)}
    assert found["بلدات جنوب هجين"] == (_d(28), _d(29))


def test_an_undated_lede_alone_is_of_the_publication_day_or_the_day_before() -> None:
    [candidate] = _extract("Five civilians were killed in Russian air strikes on al-Mayadin.")
    assert (candidate.date_start, candidate.date_end) == (_d(29), _d(30))
    assert any("publication day" in note for note in candidate.notes)
    [undated] = _extract("Five civilians were killed in Russian air strikes on al-Mayadin.", published=None)
    assert undated.date_start is None


def test_the_latest_killings_take_the_actor_of_the_killings_told_earlier() -> None:
    text = ("Islamic State militants have executed at least 200 members of a tribe in eastern Syria over the past "
            "two weeks. The tribe had rebelled against the group. In the latest killings, fighters beheaded 30 men "
            "in the main square of Hajin on Thursday.")
    [candidate] = [c for c in _extract(text) if c.place_text == "Hajin"]
    assert (candidate.actor, candidate.killed_min) == ("isis", 30)


def test_the_latest_killings_stay_unattributed_when_several_actors_did_such_things() -> None:
    text = ("Islamic State militants executed 20 men last month. Regime forces executed 12 detainees last week. "
            "Aid convoys reached the area. In the latest killings, gunmen executed three men in Hajin on Thursday.")
    [candidate] = [c for c in _extract(text) if c.place_text == "Hajin"]
    assert candidate.actor == "unknown"


def test_another_strike_on_a_place_the_gazetteer_does_not_know_is_not_put_at_the_last_site() -> None:
    text = ("Coalition jets struck Hajin on Friday, killing three civilians. A second strike on nearby al Zahra the "
            "following day killed two more people.")
    assert [(c.place_text, c.killed_min) for c in _extract(text)] == [("Hajin", 3)]


def test_among_the_dead_of_an_up_to_toll() -> None:
    text = ("Up to 15 civilians were reportedly killed in Coalition airstrikes on Hajin on Friday. Local sources said "
            "the dead included three women and five children.")
    [candidate] = _extract(text)
    assert (candidate.killed_max, candidate.children_killed, candidate.women_killed) == (15, 5, 3)


def test_fighting_in_an_earlier_year_without_casualties_is_no_incident() -> None:
    text = ("قتل ثلاثة عمال بانفجار جسم من مخلفات الحرب في بلدة هجين أمس. "
            "وشهدت البلدة معارك عنيفة بين قوات النظام وتنظيم داعش حتى عام 2017.")
    assert [(c.place_text, c.killed_min) for c in _extract(text)] == [("هجين", 3)]


def test_a_toll_of_an_earlier_year_is_kept() -> None:
    [candidate] = _extract("قتل 12 مدنياً بقصف على بلدة هجين عام 2017.")
    assert (candidate.killed_min, candidate.date_start, candidate.date_end) == (12, _d(1, 1, 2017), _d(31, 12, 2017))


@pytest.mark.parametrize(("text", "actor"), [
    # a shooting told next may be anyone's: only a campaign (air strikes, shelling) goes on with the actor before
    ("ISIS cells shot dead a civilian in Dhiban yesterday. A man was shot dead in Hajin yesterday.", "unknown"),
    ("Russian jets struck Dhiban yesterday, killing two civilians. An air strike killed a man in Hajin yesterday.",
     "russia"),
])
def test_only_a_campaign_goes_on_with_the_actor_before(text: str, actor: str) -> None:
    assert _extract(text)[1].actor == actor


def test_a_headline_verb_in_the_present() -> None:
    [candidate] = _extract("خلايا داعش تقتل مدنيا برصاص في بلدة ذيبان أمس.")
    assert (candidate.actor, candidate.killed_min) == ("isis", 1)


def test_a_month_after_in_is_no_unknown_place() -> None:
    from incidents.extract.places import names_unknown_place
    from incidents.extract.text import tokenize

    for text, named in (("A second strike in March killed two", False), ("A second strike on nearby al Zahra", True),
                        ("وقتل اثنان بغارة ثانية على قرية مجاورة", True), ("وقتل اثنان بغارة ثانية على البلدة", False)):
        tokens = tokenize(text)
        assert names_unknown_place(tokens, 0, len(tokens) - 1) is named, text


@pytest.mark.parametrize("text", [
    "قتل خمسة أفراد من عائلة واحدة بقصف على بلدة هجين أمس.",
    "قتل خمسة مدنيين من عائلة واحدة بقصف على بلدة هجين أمس.",
])
def test_one_family_is_no_second_count(text: str) -> None:
    [candidate] = _extract(text)
    assert (candidate.killed_min, candidate.killed_max) == (5, 5)


def test_an_undated_lede_at_a_named_place_is_no_summary() -> None:
    text = ("Heavy clashes erupted on the edge of Hajin, as coalition jets struck militant positions. "
            "On Wednesday, a car bomb exploded near a checkpoint outside al-Shaafa, killing two fighters.")
    first = _extract(text)[0]
    assert (first.place_text, first.date_start, first.date_end) == ("Hajin", _d(29), _d(30))


@pytest.mark.parametrize("text", [
    "A civilian was killed in shelling on Hajin on the night of Thursday to Friday.",
    "قتل مدني بقصف على بلدة هجين ليلة الخميس إلى الجمعة.",
])
def test_a_night_between_two_weekdays(text: str) -> None:
    [(_, start, end)] = _dated(text)
    assert (start, end) == (_d(28), _d(29))
