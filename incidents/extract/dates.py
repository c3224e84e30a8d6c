"""Dates in report text, absolute or relative to the publication date, in Arabic and English.

Relative wording (اليوم، أمس، فجر اليوم السبت، منذ مساء الجمعة، الأسبوع الماضي، قبل يومين, yesterday, on Friday,
last week, two days ago) is resolved against the publication date; without one it stays unresolved (the
expression is still found, so that a sentence's date is not taken from elsewhere, but its dates are ``None``).
Absolute dates are read in both languages, with Gregorian (نوفمبر) and Levantine (تشرين الثاني) month names and
numeric forms (24-11-2018, 2018-11-24, 2019.03.30). A day and month without a year take the year that puts
them on or before the publication date, and stay unresolved without one.

Vague spans become ranges ending on the publication day (خلال الأيام الماضية، in recent days, past 24 hours, this
week, this month; منذ أيام and a few days ago end the day before) and are marked ``spanning``. Days counted from
the incident told before (في اليوم نفسه، the next day، بعد يومين، يوم 26 من الشهر ذاته) are marked for the
caller, which knows that incident's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from incidents.extract.lexicon import PhraseMatcher, load_lexicon, phrase_pairs, scan_spans
from incidents.extract.text import Token, word_keys

_WORDS = load_lexicon("dates")

_MONTHS = PhraseMatcher[int](
    (name, int(number)) for number, names in _WORDS["months"].items() for name in names)
_WEEKDAYS = PhraseMatcher[int](
    ((name, int(number)) for number, names in _WORDS["weekdays"].items() for name in names), keep_articles=True)
_RELATIVE = PhraseMatcher[tuple[str, int]](
    ((phrase, (group["kind"], group["offset"])) for group in _WORDS["relative"] for phrase in group["phrases"]),
    keep_articles=True)
_LAST = frozenset(_WORDS["last"])
_TIME_OF_DAY = frozenset(_WORDS["time_of_day"])
_SINCE = frozenset(_WORDS["since"])
_DAY_UNITS = {word: int(days) for days, words in _WORDS["day_units"].items() for word in words}
_ORDINALS = frozenset(_WORDS["ordinals"])
_LABELS = PhraseMatcher[str](phrase_pairs(_WORDS["labels"]))
_MONTH_PARTS = PhraseMatcher[str](phrase_pairs(_WORDS["month_parts"]), keep_articles=True)
_ORDINAL_DAYS = PhraseMatcher[int](
    ((name, int(number)) for number, names in _WORDS["ordinal_days"].items() for name in names), keep_articles=True)


_FIRST_WORDS = frozenset(
    {k for m in (_MONTHS, _WEEKDAYS, _RELATIVE, _LABELS, _ORDINAL_DAYS, _MONTH_PARTS) for k in m.first_words()}
    | _SINCE | {"قبل", "the", "on", "past", "last", "الساعات", "عام", "العام", "سنه"}
)


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression: tokens ``first``..``last``, its resolved range and precision.

    Attributes
    ----------
    start, end : date or None
        Inclusive range; ``None`` when the expression is relative and no publication date was given, or
        a day and month lack a year.
    precision : str
        ``day``, ``week``, ``month`` or ``unknown`` (the record's date-precision codes).
    relative : bool
        Whether the expression depends on the publication date.
    day_of_told_month : int or None
        ``يوم 26 من الشهر ذاته``, the 26th of the same month: a day of the month told before (resolved by the caller).
    after_told : int or None
        Days after the incident told before ("the same day" 0, ``في اليوم التالي`` 1, two days earlier -2);
        resolved by the caller, which knows that incident's date.
    spanning : bool
        A span up to the publication day (past 24 hours, in recent days, this week, last week), not one day.
    recalled : bool
        Last month, last year: an earlier period the report looks back to, not the news of the day.
    """

    first: int
    last: int
    start: date | None
    end: date | None
    precision: str
    relative: bool
    after_told: int | None = None
    spanning: bool = False
    day_of_told_month: int | None = None
    recalled: bool = False
    weekday: bool = False  # a weekday name (Friday, الجمعة), counted back from the publication date
    calendar: bool = False  # a day of a named month, or a numeric date
    day_month: tuple[int, int] | None = None  # (day, month) of a calendar day whose year nothing gave

    def span(self, tokens: Sequence[Token]) -> tuple[int, int]:
        """Return the character span."""
        return tokens[self.first].start, tokens[self.last].end


def _unresolved(first: int, last: int) -> DateExpr:
    return DateExpr(first, last, None, None, "unknown", True)


def find_dates(tokens: Sequence[Token], first: int, last: int, published: date | None) -> list[DateExpr]:
    """Return the date expressions of tokens ``first``..``last``, resolved against ``published``.

    Parameters
    ----------
    tokens : sequence of Token
        The text's tokens.
    first, last : int
        Inclusive token range (usually one sentence).
    published : date or None
        Publication date; relative expressions stay unresolved without it.

    Returns
    -------
    list of DateExpr
        Non-overlapping, in text order.
    """
    found = scan_spans(first, last, lambda index: _date_at(tokens, index, last, published))
    return _weekdays_with_dates(found) if len(found) > 1 else found


def _weekdays_with_dates(found: list[DateExpr]) -> list[DateExpr]:
    """"on Tuesday, March 12", ``الثلاثاء 12 آذار``, ``يوم الجمعة الموافق 12 آذار``: the weekday names the day the
    calendar date gives; the date decides (a weekday counted back from publication may be a week off)."""
    out: list[DateExpr] = []
    for expr in found:
        before = out[-1] if out else None
        if before is not None and expr.first - before.last <= 2 and (
                (before.weekday and expr.calendar) or (before.calendar and expr.weekday)):
            calendar = expr if expr.calendar else before
            out[-1] = replace(calendar, first=before.first, last=expr.last)
        else:
            out.append(expr)
    return out


def _date_at(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    if not _may_start_date(tokens[index]):
        return None
    if tokens[index].norm in _SINCE and index + 1 <= last:
        start = index + 1
        while start < last and tokens[start].norm in _TIME_OF_DAY:
            start += 1
        inner = _date_at(tokens, start, last, published)
        if inner is not None:
            return _since(index, inner, published)
    for reader in (_month_part, _numeric_date, _day_of_month, _day_month, _month_day, _relative, _hours,
                   _weekday_pair, _weekday, _ago, _year_alone):
        expr = reader(tokens, index, last, published)
        if expr is not None:
            return expr
    return None


def _may_start_date(token: Token) -> bool:
    """Cheap test: can a date expression start at this word (a digit, a number word, a listed first word)?"""
    from incidents.extract.numbers import may_be_number

    if token.norm[:1].isdigit() or may_be_number(token) or (token.norm.startswith("ال") and token.norm[2:3].isdigit()):
        return True
    return any(k in _FIRST_WORDS for k in word_keys(token.norm))


def _since(index: int, inner: DateExpr, published: date | None) -> DateExpr:
    if inner.start is None or published is None or inner.start > published:
        return DateExpr(index, inner.last, inner.start, inner.end, inner.precision, inner.relative)
    return DateExpr(index, inner.last, inner.start, published, "day", True)


# -- absolute dates ---------------------------------------------------------------------------------------


def _int(token: Token) -> int | None:
    word = token.norm
    if word.startswith("ال") and word[2:].isdigit():  # "في الـ12 من الشهر"
        word = word[2:]
    if word[-2:] in ("st", "nd", "rd", "th") and word[:-2].isdigit():  # 12th, 1st
        word = word[:-2]
    return int(word) if word.isdigit() and word.isascii() and len(word) <= 4 else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_date(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """24-11-2018, 2018-11-24, 24/11/2018, 2019.03.30."""
    if index + 2 > last:
        return None
    parts = [_int(tokens[index + k]) for k in range(3)]
    gaps = {tokens[index + 1].gap, tokens[index + 2].gap}
    if None in parts or len(gaps) != 1 or gaps.pop() not in ("-", "/", "."):
        return None
    a, b, c = (p or 0 for p in parts)
    day = _safe_date(a, b, c) if a > 1900 else _safe_date(c, b, a) if c > 1900 else None
    if day is None:
        return None
    return DateExpr(index, index + 2, day, day, "day", False, calendar=True)


def _year_after(tokens: Sequence[Token], index: int, last: int) -> tuple[int, int] | None:
    """A year (1990-2099) at ``index``, possibly after "عام"/"of"; return (year, last index)."""
    if index + 1 <= last and tokens[index].norm == "من" and tokens[index + 1].norm in ("عام", "سنه"):
        index += 1  # "من عام 2019"
    if index <= last and tokens[index].norm in ("عام", "of", "سنه"):
        index += 1
    if index > last:
        return None
    year = _int(tokens[index])
    return (year, index) if year is not None and 1990 <= year <= 2099 else None


def _with_year(day: int, month: int, year_info: tuple[int, int] | None, last_index: int, tokens: Sequence[Token],
               last: int, published: date | None) -> tuple[date | None, int, bool]:
    if year_info is not None:
        return _safe_date(year_info[0], month, day), year_info[1], False
    end = last_index
    if end + 1 <= last and tokens[end + 1].norm in _LAST:
        end += 1
    if published is None:
        return None, end, True
    candidate = _safe_date(published.year, month, day)
    if candidate is not None and candidate > published:
        candidate = _safe_date(published.year - 1, month, day)
    return candidate, end, True


def _calendar_day(first: int, last: int, day: date | None, relative: bool, day_month: tuple[int, int]) -> DateExpr:
    """A day of a named month; without a year (none written, no publication date) it keeps its day and month."""
    return DateExpr(first, last, day, day, "day" if day else "unknown", relative, calendar=True,
                    day_month=day_month if day is None else None)


def year_of_day(day_month: tuple[int, int], latest: tuple[int, int]) -> date | None:
    """The day ``day_month`` on or before the month ``latest`` (year, month): ``18 أيلول`` in a report of
    September 2019 is 18 September 2019; ``30 December`` in one of January 2020 is of 2019."""
    year, month = latest
    return _safe_date(year if day_month[1] <= month else year - 1, day_month[1], day_month[0])


#: Words before "10 الشهر الجاري" that make the number a day.
_DAY_LEADS = frozenset({"في", "يوم", "بتاريخ", "on"})
_THIS_MONTH = PhraseMatcher[str](phrase_pairs(_WORDS["this_month"]), keep_articles=True)


def _day_of_month(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """``يوم 26 من الشهر ذاته`` (the month told before), ``في 3 من الشهر الجاري``, ``في العاشر من الشهر الجاري``
    (the publication's month)."""
    number = _day_number(tokens, index, last)
    if number is None or number[1] + 1 > last:
        return None
    day = number[0]
    hit = _THIS_MONTH.match_at(tokens, number[1] + 1, last)
    if hit is None:
        return None
    bare = tokens[number[1] + 1].norm not in ("من", "of") and number[1] == index and _int(tokens[index]) is not None
    if bare and (index == 0 or tokens[index - 1].norm not in _DAY_LEADS):
        return None  # "ارتفع العدد إلى 25 الشهر الجاري": a count, not the 25th
    if hit.value == "told":
        return DateExpr(index, hit.last, None, None, "unknown", True, day_of_told_month=day)
    if published is None:
        return _unresolved(index, hit.last)
    resolved = _safe_date(published.year, published.month, day)
    return DateExpr(index, hit.last, resolved, resolved, "day" if resolved else "unknown", True)


def _day_number(tokens: Sequence[Token], index: int, last: int) -> tuple[int, int] | None:
    """A day of the month at ``index`` in digits (12, 12th, الـ12) or as an ordinal word (``الثاني عشر``, twelfth):
    return (day, its last token)."""
    day = _int(tokens[index])
    if day is not None:
        return (day, index) if 1 <= day <= 31 else None
    hit = _ORDINAL_DAYS.match_at(tokens, index, last)
    return (hit.value, hit.last) if hit is not None else None


def _day_month(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """18 نوفمبر 2018, 10 أيلول الماضي, 18 October 2017, ``12 من آذار``, ``الثاني عشر من آذار``, the 12th of March."""
    number = _day_number(tokens, index, last)
    if number is None or number[1] + 1 > last:
        return None
    day, day_last = number
    after = day_last + 2 if tokens[day_last + 1].norm in ("of", "من") and day_last + 2 <= last else day_last + 1
    month = _MONTHS.match_at(tokens, after, last)
    if month is None:
        return None
    year = _year_after(tokens, month.last + 1, last)
    resolved, end, relative = _with_year(day, month.value, year, month.last, tokens, last, published)
    return _calendar_day(index, end, resolved, relative, (day, month.value))


def _month_day(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """October 18, 2017; Oct. 18; November 2018 (a whole month)."""
    month = _MONTHS.match_at(tokens, index, last)
    if month is None:
        return None
    if month.last + 1 > last:
        return _month_alone(tokens, index, month.value, month.last, published)
    day = _int(tokens[month.last + 1])
    if day is not None and 1 <= day <= 31:
        year = _year_after(tokens, month.last + 2, last)
        resolved, end, relative = _with_year(day, month.value, year, month.last + 1, tokens, last, published)
        return _calendar_day(index, end, resolved, relative, (day, month.value))
    year = _year_after(tokens, month.last + 1, last)
    if year is None:
        return _month_alone(tokens, index, month.value, month.last, published)
    start = date(year[0], month.value, 1)
    end_day = (date(year[0] + (month.value == 12), month.value % 12 + 1, 1) - timedelta(days=1))
    return DateExpr(index, year[1], start, end_day, "month", False)


_MONTH_LEADS = frozenset(_WORDS["month_leads"])


def _month_alone(tokens: Sequence[Token], index: int, month: int, end: int, published: date | None) -> DateExpr | None:
    """``أواخر آذار``, in early March: a month without a year, the last one on or before the publication date."""
    if index == 0 or tokens[index - 1].norm not in _MONTH_LEADS:
        return None
    if published is None:
        return _unresolved(index, end)
    year = published.year if month <= published.month else published.year - 1
    first_day = date(year, month, 1)
    last_day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return DateExpr(index, end, first_day, min(last_day, published), "month", True)


#: The days of each part of a month (the last part ends with the month).
_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


def _month_part(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """``أواخر الشهر الماضي``, ``مطلع الشهر الجاري``, early March, the end of last month: ten days of the month."""
    lead = _MONTH_PARTS.match_at(tokens, index, last)
    if lead is None or lead.last + 1 > last:
        return None
    start = lead.last + 1
    if tokens[start].norm == "of" and start + 1 <= last:
        start += 1
    inner = _month_part_inner(tokens, start, last, published)
    if inner is None:
        return None
    if inner.start is None:
        return replace(inner, first=index)
    first_day, last_day = _PART_DAYS[lead.value]
    month_end = (inner.start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    begin = inner.start.replace(day=first_day)
    end = min(month_end, inner.start.replace(day=min(last_day, month_end.day)))
    if published is not None and inner.relative:
        end = min(end, published)
    if end < begin:
        return None
    return DateExpr(index, inner.last, begin, end, "week", inner.relative, recalled=inner.recalled)


def _month_part_inner(tokens: Sequence[Token], start: int, last: int, published: date | None) -> DateExpr | None:
    """The month after a part-of-month lead: a named month (with or without a year) or this/last month."""
    month = _MONTHS.match_at(tokens, start, last)
    if month is not None:
        year = _year_after(tokens, month.last + 1, last)
        if year is not None:
            return DateExpr(start, year[1], date(year[0], month.value, 1), None, "month", False)
        if published is None:
            return _unresolved(start, month.last)
        year_of = published.year if month.value <= published.month else published.year - 1
        return DateExpr(start, month.last, date(year_of, month.value, 1), None, "month", True)
    hit = _RELATIVE.match_at(tokens, start, last)
    if hit is None or hit.value[0] not in ("month", "thismonth"):
        return None
    if published is None:
        return _unresolved(start, hit.last)
    if hit.value[0] == "thismonth":
        return DateExpr(start, hit.last, published.replace(day=1), None, "month", True)
    previous = published.replace(day=1) - timedelta(days=1)
    return DateExpr(start, hit.last, previous.replace(day=1), None, "month", True, recalled=True)


# -- relative dates ---------------------------------------------------------------------------------------


def _opens_sentence(tokens: Sequence[Token], index: int) -> bool:
    """"A week after the abduction, his body was found": the phrase opens the sentence, whose own event is later."""
    return index == 0 or any(m in tokens[index].gap for m in (".", "\n", "!", "?", "؟"))


def _relative(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    hit = _RELATIVE.match_at(tokens, index, last)
    if hit is None:
        return None
    unit, amount = hit.value
    if unit == "day" and amount == 0 and hit.last + 1 <= last and tokens[hit.last + 1].norm in _ORDINALS:
        return None
    weekday = _WEEKDAYS.match_at(tokens, hit.last + 1, last) if hit.last + 1 <= last and unit == "day" else None
    end = weekday.last if weekday else hit.last
    if unit == "told":
        if amount > 0 and end + 1 <= last and (tokens[end + 1].norm in ("من", "of", "علي") or (
                tokens[end + 1].norm == "the" and not _opens_sentence(tokens, index))):
            amount = -amount  # "بعد يومين من مقتل طفل", "came a week after the killing of": that was before the day told
        return DateExpr(index, end, None, None, "unknown", True, after_told=amount)
    if published is None:
        return DateExpr(index, end, None, None, "unknown", True,
                        spanning=unit in ("week", "span", "vague", "thismonth"), recalled=unit in ("month", "year"))
    if unit == "year":
        year = published.year - 1
        return DateExpr(index, end, date(year, 1, 1), date(year, 12, 31), "year", True, recalled=True)
    if unit == "day":
        return _day_with_weekday(index, end, published + timedelta(days=amount), weekday.value if weekday else None,
                                 published)
    if unit == "week":
        return DateExpr(index, end, published - timedelta(days=7), published, "week", True, spanning=True)
    if unit == "span":
        return DateExpr(index, end, published - timedelta(days=amount), published, "day" if amount <= 2 else "week",
                        True, spanning=True)
    if unit == "thismonth":
        return DateExpr(index, end, published.replace(day=1), published, "month", True, spanning=True)
    if unit == "vague":  # some days ago: before the publication day, within about a week
        return DateExpr(index, end, published - timedelta(days=amount), published - timedelta(days=1), "week", True,
                        spanning=True)
    return _last_month(index, end, published)


def _day_with_weekday(first: int, last: int, day: date, weekday: int | None, published: date) -> DateExpr:
    """``أمس السبت``: when the weekday named is not the day meant, keep both as a range (never pick one)."""
    if weekday is None or day.weekday() == weekday:
        return DateExpr(first, last, day, day, "day", True)
    named = published - timedelta(days=(published.weekday() - weekday) % 7)
    low, high = sorted((day, named))
    return DateExpr(first, last, low, high, "day", True)


def _last_month(first: int, last: int, published: date) -> DateExpr:
    end = published.replace(day=1) - timedelta(days=1)
    return DateExpr(first, last, end.replace(day=1), end, "month", True, recalled=True)


def _weekday(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """الجمعة، يوم الخميس، مساء الخميس، الأحد الماضي, on Friday, last Sunday."""
    lead_last = index - 1 >= 0 and tokens[index - 1].norm in _LAST and tokens[index - 1].norm.isascii()
    hit = _WEEKDAYS.match_at(tokens, index, last)
    if hit is None or not _weekday_form(tokens, index):
        return None
    end = hit.last
    strictly_before = lead_last
    if end + 1 <= last and tokens[end + 1].norm in _LAST:
        end += 1
        strictly_before = True
    if published is None:
        return replace(_unresolved(index, end), weekday=True)
    back = (published.weekday() - hit.value) % 7
    if back == 0 and strictly_before:
        back = 7
    day = published - timedelta(days=back)
    return DateExpr(index, end, day, day, "day", True, weekday=True)


def _weekday_form(tokens: Sequence[Token], index: int) -> bool:
    """Arabic weekdays carry the article or follow ``يوم`` (``أحد المراكز`` is "one of the centres")."""
    token = tokens[index]
    if token.norm.isascii():
        return True
    after_day = index > 0 and tokens[index - 1].norm in _TIME_OF_DAY | {"يومي"}
    return after_day or any(k.startswith("ال") for k in word_keys(token.norm))


def _weekday_pair(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """يومي الخميس والجمعة, on Thursday and Friday, the night of Thursday to Friday: a range of two days."""
    first_day = _WEEKDAYS.match_at(tokens, index, last)
    if first_day is None or first_day.last + 1 > last or not _weekday_form(tokens, index):
        return None
    joiner = first_day.last + 1
    if tokens[joiner].norm in ("and", "to", "الي"):  # the night of Thursday to Friday
        joiner += 1
    second = _WEEKDAYS.match_at(tokens, joiner, last) if joiner <= last else None
    if second is None:
        return None
    if published is None:
        return _unresolved(index, second.last)
    days = sorted(published - timedelta(days=(published.weekday() - d) % 7) for d in (first_day.value, second.value))
    return DateExpr(index, second.last, days[0], days[1], "day", True)


def _ago(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """قبل 3 أيام, three days ago, قبل أسبوع."""
    from incidents.extract.numbers import read_number

    if tokens[index].norm in ("قبل", "منذ") and index + 1 <= last:
        unit_index = index + 1
        if tokens[unit_index].norm in _ABOUT and unit_index + 1 <= last:
            unit_index += 1  # "قبل نحو أسبوع"
        number = read_number(tokens, unit_index, last)
        amount, unit_index = (number[0], number[1] + 1) if number else (1, unit_index)
        days = _unit_days(tokens, unit_index, last)
        if days is None:
            return None
        return _days_back(index, unit_index, amount * days, published)
    number = read_number(tokens, index, last)
    if number is None or number[1] + 2 > last or tokens[number[1] + 2].norm != "ago":
        return None
    days = _unit_days(tokens, number[1] + 1, last)
    return _days_back(index, number[1] + 2, number[0] * days, published) if days else None


_YEAR_LEADS = frozenset({"عام", "العام", "سنه"})


def _year_alone(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """``عام 2017``, ``حتى عام 2017``: a whole year; one before the publication year is recalled, not news."""
    if tokens[index].norm not in _YEAR_LEADS or index + 1 > last:
        return None
    year = _int(tokens[index + 1])
    if year is None or not 1990 <= year <= 2099:
        return None
    recalled = published is not None and year < published.year
    return DateExpr(index, index + 1, date(year, 1, 1), date(year, 12, 31), "year", False, recalled=recalled)


_ABOUT = frozenset({"نحو", "حوالي", "قرابه", "زهاء", "about", "around", "nearly"})
_HOUR_WORDS = frozenset({"hours", "ساعه", "ساعات"})


def _hours(tokens: Sequence[Token], index: int, last: int, published: date | None) -> DateExpr | None:
    """The past 48 hours, ``خلال الـ48 ساعة الماضية``, ``الساعات الـ72 الماضية``: the days they cover, up to the
    publication day."""
    from incidents.extract.numbers import read_number

    start = index
    if tokens[start].norm in ("past", "last", "الساعات") and start + 1 <= last:
        start += 1
    token = tokens[start]
    digits = token.norm[2:] if token.norm.startswith("ال") else token.norm
    number = (int(digits), start) if digits.isdigit() and digits.isascii() else read_number(tokens, start, last)
    if number is None or number[1] + 1 > last:
        return None
    end = number[1] + 1
    if tokens[index].norm != "الساعات":
        if tokens[end].norm not in _HOUR_WORDS:
            return None
        end += 1
    english = tokens[index].norm in ("past", "last")
    if not english:
        if end > last or tokens[end].norm not in ("الماضيه", "الاخيره"):
            return None
        end += 1
    hours = number[0]
    if not 1 <= hours <= 240:
        return None
    if published is None:
        return DateExpr(index, end - 1, None, None, "unknown", True, spanning=True)
    days = -(-hours // 24)
    return DateExpr(index, end - 1, published - timedelta(days=days), published, "day" if days <= 2 else "week", True,
                    spanning=True)


def _unit_days(tokens: Sequence[Token], index: int, last: int) -> int | None:
    return _DAY_UNITS.get(tokens[index].norm) if index <= last else None


def _days_back(first: int, last: int, days: int, published: date | None) -> DateExpr:
    if published is None:
        return _unresolved(first, last)
    day = published - timedelta(days=days)
    return DateExpr(first, last, day, day, "day" if days < 7 else "week", True)


def names_calendar(token: Token) -> bool:
    """Tell whether a word names a month or a weekday (March, الجمعة)."""
    return _MONTHS.lookup(token) is not None or _WEEKDAYS.lookup(token) is not None


def find_labelled_date(tokens: Sequence[Token]) -> DateExpr | None:
    """Return the date given under an "Incident date" / "تاريخ الحادثة" label (incident pages), if any."""
    starts = [i for i, t in enumerate(tokens) if t.norm in ("incident", "date", "تاريخ", "التاريخ")]
    for index in starts:
        hit = _LABELS.match_at(tokens, index, min(len(tokens) - 1, index + 4))
        if hit is None or (hit.first == hit.last and not _line_label(tokens, hit.first)):
            continue
        last = min(len(tokens) - 1, hit.last + 6)
        for start in range(hit.last + 1, last + 1):
            expr = _date_at(tokens, start, last, None)
            if expr is not None and not expr.relative and expr.start is not None:
                return expr
    return None


def _line_label(tokens: Sequence[Token], index: int) -> bool:
    """A lone "Date" / ``التاريخ`` is a label only at the start of a line and followed by a colon."""
    at_start = index == 0 or "\n" in tokens[index].gap
    return at_start and index + 1 < len(tokens) and ":" in tokens[index + 1].gap
