"""Named victims proposed by the extractor (#18). Texts written for the tests (no report text copied)."""

from __future__ import annotations

import pytest

from incidents.extract.named import find_named_victims
from incidents.services.review import build_highlighted_html


@pytest.mark.parametrize("text, name, age, group, sex, relation", [
    ("قتل الطفل محمد العلي (7 سنوات) بقصف على البلدة.", "محمد العلي", 7, "child", "male", None),
    ("استشهدت الطفلة سارة أحمد الخلف، ١٠ أعوام، في القصف.", "سارة أحمد الخلف", 10, "child", "female", None),
    ("قتل الشاب (عمر حسين الصالح) برصاص مجهولين.", "عمر حسين الصالح", None, "adult", "male", None),
    ("The strike killed a woman, Fatima al-Hassan, and her three children.", "Fatima al-Hassan", None, "adult",
     "female", "and her three children"),
    ("Shelling killed a 12-year-old boy, Omar Khalil, near the school.", "Omar Khalil", 12, "child", "male", None),
    ("A man, Ahmad Saleh (45), died of his wounds.", "Ahmad Saleh", 45, "adult", "male", None),
    ("والضحايا: “نورة الحمد (زوجة خالد) – سلمى العبد (والدة خالد)”.", "نورة الحمد", None, "unknown", "female",
     "زوجة خالد"),
])
def test_names_ages_and_relations(text, name, age, group, sex, relation):
    found = find_named_victims(text)[0]
    assert (found.name, found.age, found.age_group, found.sex, found.relation) == (name, age, group, sex, relation)
    assert text[found.span[0]:found.span[1]] == name


def test_a_list_of_relations_gives_every_person():
    text = "والضحايا: “نورة الحمد (زوجة خالد) – سلمى العبد (والدة خالد) – شقيقة خالد”."
    assert [v.name for v in find_named_victims(text)] == ["نورة الحمد", "سلمى العبد"]


def test_named_by_a_source_skips_the_source():
    text = "The victims were named by Deir Monitor, Khaled Al-Omar, Yasin Hamad al-Ali and two others."
    assert [v.name for v in find_named_victims(text)] == ["Khaled Al-Omar", "Yasin Hamad al-Ali"]


def test_injured_when_the_sentence_speaks_only_of_wounds():
    assert find_named_victims("أصيب الشاب خالد العمر بجروح.")[0].outcome == "injured"
    assert find_named_victims("قتل الشاب خالد العمر وأصيب آخرون.")[0].outcome == "killed"


@pytest.mark.parametrize("text", [
    "قتل ثلاثة مدنيين بينهم طفل في قصف على البلدة.",  # no name
    "قتل عشرة من المدنيّين المتعاونين معها.",  # a plural with a shadda is not a title
    "الطفل من أبناء البلدة قتل أمس.",  # a title followed by a preposition
    "A woman was killed in the strike on Hajin.",
])
def test_no_name_no_proposal(text):
    assert find_named_victims(text) == []


def test_extractor_attaches_names_to_the_candidate_and_highlights_them():
    from incidents.extract import extract_candidates

    from .fake_gazetteer import FakeGazetteer

    text = "قتل الطفل محمد العلي (7 سنوات) وأمه بقصف جوي على بلدة هجين يوم الجمعة."
    candidates = extract_candidates(text, gazetteer=FakeGazetteer())
    assert candidates and [v.name for v in candidates[0].victims] == ["محمد العلي"]
    html = build_highlighted_html(text, candidates[0].spans)
    assert 'rv-named' in html
