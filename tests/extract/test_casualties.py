"""Casualty figures in one sentence: killed, injured, combined totals, duals, enumerations and breakdowns.

Sentences are written for these tests in the style of the reports.
"""

from __future__ import annotations

import pytest

from incidents.extract.casualties import find_figures
from incidents.extract.text import tokenize

Figure = tuple[str, int | None, int | None]


def _figures(text: str) -> list[Figure]:
    tokens = tokenize(text)
    return [(f.outcome, f.low, f.high) for f in find_figures(tokens, 0, len(tokens) - 1)]


@pytest.mark.parametrize(("text", "expected"), [
    # verb before, verb after, noun stating the outcome
    ("قُتل 11 مدنيًا اليوم بقصف على القرية", [("killed", 11, 11)]),
    ("استشهد أمس 11 مدنياً في القصف", [("killed", 11, 11)]),
    ("15 مدنياً استشهدوا جراء الغارات", [("killed", 15, 15)]),
    ("ما أدى إلى مقتل ١٢ مدنياً", [("killed", 12, 12)]),
    ("ارتفع عدد الضحايا إلى 70 قتيلا ونحو 40 مصابا", [("killed", 70, 70), ("injured", 40, 40)]),
    ("قضى ثمانية مدنيين نحبهم وأصيب آخرون", [("killed", 8, 8), ("injured", None, None)]),
    ("راح ضحيتها 29 مدنيا وعشرات المصابين", [("killed", 29, 29), ("injured", 20, 99)]),
    ("ما تسبب باستشهاد 29 مدنيا على الأقل", [("killed", 29, None)]),
    ("قتلت قوات التحالف 13 مدنيا في هجوم", [("killed", 13, 13)]),
    ("أصيب عدد من المدنيين بجروح", [("injured", None, None)]),
    ("أن أربعة مدنيين جرحوا أيضاً", [("injured", 4, 4)]),
    ("مقتل نحو 25 عنصرًا من التنظيم", [("killed", 25, 25)]),
    ("seven civilians were killed in the strike", [("killed", 7, 7)]),
    ("the strike killed 13 civilians and injured 20 others", [("killed", 13, 13), ("injured", 20, 20)]),
    ("14 civilians from one family, most of them women and children, were killed", [("killed", 14, 14)]),
    ("over 70 civilians lost their lives", [("killed", 70, None)]),
    ("two to four civilians were killed", [("killed", 2, 4)]),
    ("the death toll rose to 20", [("killed", 20, 20)]),
    ("the death toll from the strikes on the town rose to 23, including 6 children", [("killed", 23, 23)]),
    ("The bodies of 4 civilians were found", [("killed", 4, 4)]),
    ("Two SDF fighters were killed and three others injured", [("killed", 2, 2), ("injured", 3, 3)]),
    ("killed an SDF commander and two of his escorts", [("killed", 3, 3)]),
    ("Gunmen assassinated a member of the council", [("killed", 1, 1)]),
    ("استشهد مدنيان اثنان وأصيب خمسة آخرون", [("killed", 2, 2), ("injured", 5, 5)]),
    ("أدى إلى إصابة جريحين", [("injured", 2, 2)]),
    ("at least 5 were killed in the strike", [("killed", 5, None)]),
    ("قتل مدني وأصيب آخر بجروح", [("killed", 1, 1), ("injured", 1, 1)]),
    ("في آخر جيب للتنظيم حيث قتل 191 مدنياً", [("killed", 191, 191)]),
    ("the blast left 4 dead", [("killed", 4, 4)]),
])
def test_killed_and_injured(text: str, expected: list[Figure]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("قتل وأُصيب نحو 100 شخص في المجزرة", [("combined", 100, 100)]),
    ("سقط نحو مائة قتيل وجريح في القصف", [("combined", 100, 100)]),
    ("سقط عشرات القتلى والجرحى المدنيين", [("combined", 20, 99)]),
    ("أفادت المصادر باستشهاد وإصابة عدد من المدنيين", [("combined", None, None)]),
    ("سقطوا بين قتيل وجريح", [("combined", None, None)]),
    ("dozens of dead and wounded", [("combined", 20, 99)]),
    ("20 civilians were killed and injured", [("combined", 20, 20)]),
])
def test_combined_totals_are_not_deaths(text: str, expected: list[Figure]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(("text", "killed", "children", "women"), [
    ("قتل التنظيم امرأتين وشاباً رمياً بالرصاص", 3, None, 2),
    ("مقتل طفلين بقصف", 2, 2, None),
    ("استشهاد شابين في الغارة", 2, None, None),
    ("مقتل مدنيين اثنين", 2, None, None),
    ("مقتل امرأة وطفلين", 3, 2, 1),
    ("A woman and her child were killed", 2, 1, 1),
    ("الحصيلة ثلاث سيدات وخمسة أطفال", 8, 5, 3),
    ("a child and a person were killed by shelling", 2, 1, None),
    ("killing a man and two women", 3, None, 2),
    ("استشهد 20 مدنياً بينهم 9 أطفال و8 نساء", 20, 9, 8),
    ("مقتل 18 مدنيا بينهم 7 أطفال", 18, 7, None),
    ("قتل 11 مدنيا أغلبهم نساء وأطفال", 11, None, None),
])
def test_duals_enumerations_and_breakdowns(text: str, killed: int, children: int | None, women: int | None) -> None:
    tokens = tokenize(text)
    figure = find_figures(tokens, 0, len(tokens) - 1)[0]
    assert (figure.outcome, figure.low, figure.high, figure.children, figure.women) == (
        "killed", killed, killed, children, women)


@pytest.mark.parametrize(("text", "civilian"), [
    ("قتل 5 مدنيين", "yes"),
    ("مقتل 5 عناصر من التنظيم", "no"),
    ("قتل 17 شخصا بينهم ثمانية مدنيين وتسعة عناصر", "mixed"),
    ("killed 4 fighters", "no"),
    ("killing five people", None),
])
def test_civilian_status(text: str, civilian: str | None) -> None:
    tokens = tokenize(text)
    assert find_figures(tokens, 0, len(tokens) - 1)[0].civilian == civilian


@pytest.mark.parametrize("text", [
    "دمرت الصواريخ عشرات المنازل وشردت مئات العائلات",
    "واعتقل 15 شاباً من البلدة",
    "يجعل عشرات آلاف المدنيين عرضة للقتل",
    "فرار أكثر من 10 آلاف شخص من المنطقة",
    "The death toll is expected to rise",
    "دخل رتل مكون من 7 سيارات",
])
def test_no_casualty_figure(text: str) -> None:
    tokens = tokenize(text)
    assert find_figures(tokens, 0, len(tokens) - 1) == []
