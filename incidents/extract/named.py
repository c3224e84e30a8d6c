"""Named victims in report text (#18): "الطفل محمد العلي (7 سنوات)", "a woman, Fatima al-Hassan, and her three
children", "هيلة الخليف (زوجة محمد)".

Rules, not a model: a person is proposed only where the text marks a name — after a word for a person (الطفل،
الشاب، السيدة، a woman, a boy), in brackets after such a word, before a relation in brackets ("(زوجة محمد)"), or in
a list introduced by "named as" / "named by <source>,". Each proposal keeps the name exactly as written, the age
and relation read next to it, and where it was read (for highlighting). A reviewer accepts or drops each one;
nothing becomes data unreviewed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from incidents.domain.victims import PERSON_FIELDS, age_group_of

_AR_WORD = r"[\u0621-\u064a][\u0621-\u064a\u064b-\u0652\u0640]*"
_AR_STOP = frozenset(
    "من مِن في على إلى الى عن مع بعد قبل جراء إثر اثر بسبب وهو وهي الذي التي برصاص بقصف متأثرا متأثراً "
    "وذلك حيث كما أثناء خلال داخل قرب بالقرب أمام وقد قد لا لم إن أن بين بينهم وأصيب وقتل قتل أصيب فجر صباح مساء "
    "يوم ليل ليلة أمس اليوم شرق غرب شمال جنوب شرقي غربي شمالي جنوبي ريف مدينة بلدة قرية حي".split()
)
#: Arabic person words → (sex, age group, status)
_AR_TITLES = {
    "الطفل": ("male", "child", "civilian"), "الطفلة": ("female", "child", "civilian"),
    "الفتى": ("male", "child", "civilian"), "الفتاة": ("female", "unknown", "civilian"),
    "الشاب": ("male", "adult", "unknown"), "الشابة": ("female", "adult", "unknown"),
    "الرجل": ("male", "adult", "unknown"), "المسن": ("male", "adult", "civilian"),
    "المسنة": ("female", "adult", "civilian"), "السيدة": ("female", "adult", "civilian"),
    "المرأة": ("female", "adult", "civilian"), "المواطن": ("male", "unknown", "civilian"),
    "المواطنة": ("female", "unknown", "civilian"), "المدني": ("male", "unknown", "civilian"),
    "المدنية": ("female", "unknown", "civilian"), "الشهيد": ("male", "unknown", "unknown"),
    "الشهيدة": ("female", "unknown", "unknown"), "المدعو": ("male", "unknown", "unknown"),
    "المدعوة": ("female", "unknown", "unknown"), "العنصر": ("male", "adult", "combatant"),
    "المقاتل": ("male", "adult", "combatant"), "القيادي": ("male", "adult", "combatant"),
}
_AR_RELATIONS = {"زوجة": "female", "زوجته": "female", "والدة": "female", "والدته": "female", "ابنة": "female",
                 "ابنته": "female", "شقيقة": "female", "شقيقته": "female", "أخت": "female", "اخت": "female",
                 "زوج": "male", "والد": "male", "والده": "male", "ابن": "male", "ابنه": "male", "شقيق": "male",
                 "شقيقه": "male", "أخ": "male", "اخ": "male", "جدة": "female", "جد": "male"}
_AGE_UNITS = r"(?:عاماً|عاما|عامًا|عام|سنوات|سنة|أعوام|اعوام|years?(?: old)?)"
_AGE_AFTER = re.compile(
    r"\A\s*[(،,]?\s*(?:البالغة? من العمر|عمره|عمرها|aged)?\s*(\d{1,3}|[\u0660-\u0669]{1,3})\s*" + _AGE_UNITS + r"?\s*\)?"
)
_EN_PARTICLE = r"(?:al-|Al-|el-|El-|bin |ibn |Abu |abu |Abdul |Umm )"
_EN_NAME = (r"(?:" + _EN_PARTICLE + r")?[A-Z][a-z’']+(?:[ -](?:" + _EN_PARTICLE + r")?[A-Z][a-z’']+){1,3}")
_EN_TITLES = {
    "woman": ("female", "adult"), "girl": ("female", "child"), "man": ("male", "adult"), "boy": ("male", "child"),
    "child": ("unknown", "child"), "young man": ("male", "adult"), "teenager": ("unknown", "child"),
    "civilian": ("unknown", "unknown"), "farmer": ("unknown", "adult"), "mother": ("female", "adult"),
    "father": ("male", "adult"), "toddler": ("unknown", "child"), "baby": ("unknown", "child"),
}
_EN_TITLED = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+(?:(\d{1,2})-year-old\s+)?(" + "|".join(sorted(_EN_TITLES, key=len,
                        reverse=True)) + r"),?\s+(?:named\s+)?(" + _EN_NAME + r")")
_EN_LIST = re.compile(r"\bnamed(?: as)?(?: by ([A-Z][\w’' -]{2,40}?),)?:?\s+((?:" + _EN_NAME
                      + r")(?:\s*(?:,|and)\s*(?:" + _EN_NAME + r"))*)")
_EN_RELATION = re.compile(r"\A,?\s*((?:and|with)\s+(?:her|his|their)\s+(?:[\w-]+\s+){0,2}"
                          r"(?:children|child|sons?|daughters?|wife|husband|mother|father|brothers?|sisters?|family))")
_EN_AGE = re.compile(r"\A\s*(?:,\s*(\d{1,2})\s*,|\((\d{1,2})\)|,\s*aged\s+(\d{1,2}))")
_INJURY = re.compile(r"أصيب|إصابة|جرح|جريح|injur|wound")
_KILLING = re.compile(r"قتل|مقتل|استشهد|شهيد|توفي|killed|died|dead|death")
_AR_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@dataclass
class NamedVictim:
    """A person the text names, as proposed for review.

    Attributes
    ----------
    name : str
        Exactly as written.
    script : str
        ``ar`` or ``en`` (which name field it fills).
    span : tuple of int
        Where the name is in the text (and ``spans`` where its age and relation are).
    """

    name: str
    script: str
    span: tuple[int, int]
    age: int | None = None
    age_group: str = "unknown"
    sex: str = "unknown"
    status: str = "unknown"
    outcome: str = "killed"
    relation: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the proposal as the ``extract`` command prints it."""
        return {"name": self.name, "script": self.script} | self._person()

    def victim_fields(self) -> dict[str, Any]:
        """Return the fields of a :class:`~incidents.domain.victims.Victim` this proposal fills."""
        names = {"name_ar": self.name} if self.script == "ar" else {"name_en": self.name}
        return names | self._person()

    def _person(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSON_FIELDS}


def find_named_victims(text: str) -> list[NamedVictim]:
    """Return the persons ``text`` names, in text order (one proposal per place a name is written)."""
    found = [*_arabic_titled(text), *_arabic_related(text), *_english_titled(text), *_english_lists(text)]
    found.sort(key=lambda v: v.span)
    kept: list[NamedVictim] = []
    for victim in found:  # the same name read by two rules: keep the first (the richer rules come first)
        if not any(v.span[0] <= victim.span[0] < v.span[1] or victim.span[0] <= v.span[0] < victim.span[1]
                   for v in kept):
            kept.append(victim)
    for victim in kept:
        victim.outcome = _outcome(text, victim.span)
    return kept


def _outcome(text: str, span: tuple[int, int]) -> str:
    start = max(text.rfind(".", 0, span[0]), text.rfind("\n", 0, span[0]), 0)
    ends = [i for i in (text.find(".", span[1]), text.find("\n", span[1])) if i >= 0]
    sentence = text[start:min(ends, default=len(text))]
    return "injured" if _INJURY.search(sentence) and not _KILLING.search(sentence) else "killed"


def _arabic_name_at(text: str, position: int) -> tuple[int, int] | None:
    """The 2–4 Arabic words from ``position`` (or inside brackets/guillemets there) that form a name."""
    bracket = re.compile(r"\s*[(«\"“]\s*(" + _AR_WORD + r"(?:\s+" + _AR_WORD + r"){1,4})\s*[)»\"”]")
    inside = bracket.match(text, position)
    if inside:
        return inside.span(1)
    words: list[tuple[int, int]] = []
    for match in re.finditer(r"\s*(" + _AR_WORD + r")", text[position:position + 80]):
        if match.start() != (words[-1][1] - position if words else 0) or _clean(match.group(1)) in _AR_STOP:
            break
        words.append((position + match.start(1), position + match.end(1)))
        if len(words) == 4:
            break
    if len(words) < 2:
        return None
    return words[0][0], words[-1][1]


def _clean(word: str) -> str:
    return re.sub(r"[\u064b-\u0652\u0640]", "", word)


def _arabic_titled(text: str) -> list[NamedVictim]:
    out = []
    pattern = re.compile(r"(?<![\u0621-\u064a])[وف]?(" + "|".join(_AR_TITLES) + r")(?![\u0621-\u0652\u0670])")
    for match in pattern.finditer(text):
        span = _arabic_name_at(text, match.end())
        if span is None:
            continue
        sex, group, status = _AR_TITLES[match.group(1)]
        victim = NamedVictim(text[span[0]:span[1]], "ar", span, age_group=group, sex=sex, status=status)
        _read_after(text, victim)
        out.append(victim)
    return out


def _arabic_related(text: str) -> list[NamedVictim]:
    """Names followed by a relation in brackets: "هيلة الخليف (زوجة محمد)"."""
    out = []
    relation = re.compile(r"(" + _AR_WORD + r"(?:\s+" + _AR_WORD + r"){1,3})\s*\((" + "|".join(_AR_RELATIONS)
                          + r")(\s+[^()]{1,40})?\)")
    for match in relation.finditer(text):
        words = match.group(1).split()
        while words and _clean(words[0]) in _AR_STOP | set(_AR_TITLES):
            words.pop(0)
        if len(words) < 2:
            continue
        start = match.end(1) - len(" ".join(words))
        span = (text.index(words[0], start - 5 if start > 5 else 0), match.end(1))
        victim = NamedVictim(text[span[0]:span[1]], "ar", span, sex=_AR_RELATIONS[match.group(2)],
                             relation=text[match.start(2):match.end(3) if match.group(3) else match.end(2)])
        victim.spans.append((match.start(2), match.end(3) if match.group(3) else match.end(2)))
        out.append(victim)
    return out


def _english_titled(text: str) -> list[NamedVictim]:
    out = []
    for match in _EN_TITLED.finditer(text):
        sex, group = _EN_TITLES[match.group(2)]
        age = int(match.group(1)) if match.group(1) else None
        victim = NamedVictim(match.group(3), "en", match.span(3), age=age, age_group=age_group_of(age, group),
                             sex=sex, status="civilian" if match.group(2) == "civilian" else "unknown")
        if age is not None:
            victim.spans.append(match.span(1))
        _read_after(text, victim)
        out.append(victim)
    return out


def _english_lists(text: str) -> list[NamedVictim]:
    out = []
    for match in _EN_LIST.finditer(text):
        for name in re.finditer(_EN_NAME, match.group(2)):
            start = match.start(2) + name.start()
            out.append(NamedVictim(name.group(0), "en", (start, start + len(name.group(0)))))
    return out


def _read_after(text: str, victim: NamedVictim) -> None:
    """Read an age ("(7 سنوات)", ", 7,", "(7)") and a relation ("and her three children") after the name."""
    end = victim.span[1]
    rest = text[end:end + 80]
    age = (_AGE_AFTER.match(rest) if victim.script == "ar" else None) or _EN_AGE.match(rest)
    if age:
        number = next(g for g in age.groups() if g)
        victim.age = int(number.translate(_AR_DIGITS))
        victim.age_group = age_group_of(victim.age, victim.age_group)
        victim.spans.append((end + age.start(), end + age.end()))
        end += age.end()
        rest = text[end:end + 80]
    relation = _EN_RELATION.match(rest)
    if relation:
        victim.relation = relation.group(1)
        victim.spans.append((end + relation.start(1), end + relation.end(1)))


def attach_named(candidates: Sequence[Any], victims: Sequence[NamedVictim]) -> None:
    """Give each named person to the candidate whose sentences hold the name, else the nearest one before it
    (else the first) with a note asking the reviewer to check it belongs there. Candidates sharing a toll over
    several places: only the first of the group gets them. No candidate, no proposal: a name alone is no
    incident."""
    if not candidates:
        return
    for victim in victims:
        target, inside = _holder(candidates, victim.span[0])
        target.victims.append(victim)
        target.spans.setdefault("named_victims", []).extend([victim.span, *victim.spans])
        if not inside:
            target.notes.append(f"named outside this record's sentences: {victim.name} — check that this person "
                                "belongs to this incident")


def _holder(candidates: Sequence[Any], position: int) -> tuple[Any, bool]:
    firsts = [c for i, c in enumerate(candidates) if c.group is None or c.group not in
              {d.group for d in candidates[:i]}]
    for candidate in firsts:
        if any(start <= position < end for start, end in candidate.spans.get("sentences", [])):
            return candidate, True
    before = [(max((s for s, _ in c.spans.get("sentences", []) if s <= position), default=-1), n)
              for n, c in enumerate(firsts)]
    best = max(before)
    return (firsts[best[1]] if best[0] >= 0 else firsts[0]), False
