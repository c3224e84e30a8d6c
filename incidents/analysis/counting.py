"""What a total counts, said next to it: the caption under every total, chart and export header.

The rules themselves (README, "How totals are counted") live where the adding up is done
(:mod:`incidents.analysis.aggregate`: a toll counted once, combined tolls never added on top of their recorded parts,
cumulative tolls never summed) and in the filter (:mod:`incidents.analysis.filters`: drafts and discounted incidents
left out by default). This module measures what a filter counts and what it leaves out
(:func:`count_totals`) and says it in English or Arabic (:func:`describe_totals`) — the one function every
page and every export calls for that sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from incidents.analysis.aggregate import Totals
from incidents.analysis.engine import Engine, Where, both, where_clause
from incidents.analysis.filters import DEFAULT_GRADINGS, Filter, figure_column
from incidents.domain import messages, taxonomy

#: Stores larger than this are not searched for possible duplicates to state their totals (the search takes
#: minutes on 100,000 synthetic incidents); the caption then says so and points to the Possible duplicates page.
DUPLICATE_CHECK_MAX = 10_000


@dataclass(frozen=True)
class Group:
    """Incidents of a kind and the killed they hold (under the chosen figure)."""

    incidents: int = 0
    killed: int = 0


@dataclass(frozen=True)
class Counting:
    """What the totals of a filter count and what they leave out.

    Attributes
    ----------
    figure
        The killed figure the totals use ("min", "max" or "best").
    killed, incidents
        The headline: killed under ``figure``, in this many incidents.
    statuses
        The record statuses counted (codes, display order).
    gradings
        The gradings counted; empty: every grading.
    drafts, graded_out
        Drafts, and incidents of a grading not counted (discounted by default), that pass every other choice
        of the filter: left out of the totals.
    combined, combined_parts, combined_extra
        Combined records (one toll for several events) counted once with their recorded parts: how many, how
        many parts, and what they add beyond the parts.
    cumulative
        Cumulative records (a toll over a period) selected: shown as context, never summed.
    duplicate_pairs, duplicate_killed, duplicates_capped, duplicates_checked
        Undecided possible duplicate pairs among the counted incidents, the largest double count they can
        cause (the smaller toll of each pair, summed), whether the list of pairs was cut at its limit, and
        whether they were looked for at all (a very large store is not searched on every page).
    undated, undated_killed
        Counted incidents without a date, and the killed they hold.
    undated_outside
        Undated incidents a date filter leaves out (0 without a date filter).
    dated_filter
        Whether the filter has a date range.
    """

    figure: str
    killed: int
    incidents: int
    statuses: tuple[str, ...]
    gradings: tuple[str, ...] = ()
    drafts: Group = Group()
    graded_out: Group = Group()
    combined: int = 0
    combined_parts: int = 0
    combined_extra: int = 0
    cumulative: int = 0
    duplicate_pairs: int = 0
    duplicate_killed: int = 0
    duplicates_capped: bool = False
    duplicates_checked: bool = True
    undated: int = 0
    undated_killed: int = 0
    undated_outside: int = 0
    dated_filter: bool = False


def counted_statuses(chosen: Filter) -> tuple[str, ...]:
    """Return the record statuses the filter counts, in display order."""
    codes = tuple(taxonomy.codes("status"))
    if chosen.statuses:
        return tuple(c for c in codes if c in chosen.statuses)
    return codes if chosen.counts_drafts else tuple(c for c in codes if c != "draft")


def count_totals(data: pd.DataFrame | Engine, chosen: Filter, *,
                 duplicates: Iterable[tuple[str, str]] | None = (), duplicates_capped: bool = False,
                 place_key: str | None = None, totals: Totals | None = None) -> Counting:
    """Return what the totals of ``chosen`` count in the prepared frame and what they leave out.

    Parameters
    ----------
    data
        The engine of the prepared frame (:class:`incidents.analysis.engine.Engine`), or the prepared frame
        (:func:`incidents.analysis.aggregate.prepare_frame`; an engine is made for it).
    chosen
        The effective filter (already narrowed to what the user may see).
    duplicates
        Undecided possible duplicate pairs (uid, uid) of the store (:mod:`incidents.services.dedupe`); None when they
        were not looked for.
    duplicates_capped
        The pairs were cut at the finder's limit (there may be more).
    place_key
        Count only this place's incidents (for its profile): what is left out is looked for there too.
    totals
        The engine's totals of the same selection, when at hand.
    """
    engine = data if isinstance(data, Engine) else Engine(data)
    figure = chosen.figure
    selected = engine.where(chosen, place_key)
    totals = engine.totals(selected) if totals is None else totals
    # The same filter without its grading, draft and date rules; each rule is then applied on its own.
    others = engine.where(chosen.with_changes(gradings=(), include_drafts=True, date_from=None, date_to=None),
                          place_key)
    grading_ok, status_ok, date_ok = _rules(chosen)
    dated_filter = chosen.date_from is not None or chosen.date_to is not None

    def group(*rules: Where) -> Group:
        where = others
        for rule in rules:
            where = both(where, rule[0], *rule[1])
        return Group(*engine.count_killed(where, figure))

    def negated(rule: Where) -> Where:
        return f"NOT coalesce({rule[0]}, false)", rule[1]

    counted = both(selected, "summed")
    combined, parts, extra = engine.combined(selected, figure)
    pairs, doubled = _duplicates(engine, counted, duplicates or (), figure)
    undated = both(counted, "date_start IS NULL")
    outside = both(others, "summed AND date_start IS NULL")
    for rule in (grading_ok, status_ok, negated(date_ok)):
        outside = both(outside, rule[0], *rule[1])
    return Counting(
        figure=figure, killed=totals.killed(figure), incidents=totals.incidents,
        statuses=counted_statuses(chosen), gradings=tuple(chosen.gradings),
        drafts=group(grading_ok, date_ok, ("status = 'draft'", [])) if not chosen.counts_drafts else Group(),
        graded_out=group(negated(grading_ok), status_ok, date_ok) if chosen.gradings else Group(),
        combined=combined, combined_parts=parts, combined_extra=extra,
        cumulative=engine.count(both(selected, "NOT summed")),
        duplicate_pairs=pairs, duplicate_killed=doubled, duplicates_capped=duplicates_capped and pairs > 0,
        duplicates_checked=duplicates is not None,
        undated=engine.count(undated), undated_killed=engine.count_killed(undated, figure)[1],
        undated_outside=engine.count(outside) if dated_filter else 0,
        dated_filter=dated_filter,
    )


def _rules(chosen: Filter) -> tuple[Where, Where, Where]:
    """The filter's grading, draft and date rules, each on its own, as SQL over the engine's table (a missing
    grading or date fails its rule; a missing status is not a draft)."""
    grading = (f"coalesce(grading IN ({', '.join('?' * len(chosen.gradings))}), false)", list(chosen.gradings)
               ) if chosen.gradings else ("TRUE", [])
    status: Where = ("TRUE", []) if chosen.counts_drafts else ("status IS DISTINCT FROM 'draft'", [])
    dates = where_clause(Filter(gradings=(), include_drafts=True, date_from=chosen.date_from, date_to=chosen.date_to))
    return grading, status, dates


def _duplicates(engine: Engine, counted: Where, pairs: Iterable[tuple[str, str]], figure: str) -> tuple[int, int]:
    """Undecided pairs whose two incidents are both counted, and the largest double count they can cause."""
    pairs = list(pairs)
    if not pairs:
        return 0, 0
    frame = engine.frame
    index = pd.Index(frame["uid"].astype(str))
    first = index.get_indexer(pd.Index([a for a, _ in pairs], dtype=object))
    second = index.get_indexer(pd.Index([b for _, b in pairs], dtype=object))
    both_found = (first >= 0) & (second >= 0)
    first, second = first[both_found], second[both_found]
    chosen = engine.mask(counted)
    both_counted = chosen[first] & chosen[second]
    first, second = first[both_counted], second[both_counted]
    tolls = np.nan_to_num(frame[figure_column(figure)].to_numpy(dtype="float64"))
    return int(len(first)), int(round(float(np.minimum(tolls[first], tolls[second]).sum())))


# -- in words ---------------------------------------------------------------------------------------------------

_STATUS_WORDS = {"draft": ("draft", "مسودة"), "reviewed": ("reviewed", "مراجَعة"), "published": ("published", "منشورة")}
#: the figure's name, as the sidebar's figure choice says it (the catalogue's fig_min, fig_max, fig_best)
_FIGURE_WORDS = {figure: messages.table("labels")[f"fig_{figure}"] for figure in ("min", "max", "best")}
# The totals' sentence stays here, not in the catalogue: its English takes grammar placeholders ({s}, {ps}, {are})
# that the Arabic does not, which the catalogue's rule (both languages take the same values) forbids.
_WORDS = {
    "en": {
        "head": "{killed:,} killed ({figure}) in {n:,} {statuses} incident{s}",
        "graded": " graded {gradings}",
        "or": " or ", "list": ", ", "sep": "; ",
        "left": "not counted: {items}",
        "drafts": "{killed:,} in {n:,} draft{s}",
        "discounted": "{killed:,} in {n:,} discounted incident{s}",
        "graded_out": "{killed:,} in {n:,} incident{s} of other gradings",
        "combined": "{n:,} combined toll{s} counted once with {parts:,} recorded part{ps} (the larger of the "
                    "combined toll and the sum of its parts: +{extra:,} beyond them)",
        "cumulative": "{n:,} cumulative toll{s} shown as context, not summed",
        "duplicates": "{n:,}{more} undecided possible duplicate pair{s} may count up to {killed:,} twice",
        "unchecked": "possible duplicates not looked for in a store this size (see the Possible duplicates page)",
        "undated": "{n:,} of them undated",
        "undated_outside": "{n:,} undated incident{s} {are} outside any date filter",
    },
    "ar": {
        "head": "{killed:,} قتيلاً ({figure}) في {n:,} حادثة {statuses}",
        "graded": " بتقييم {gradings}",
        "or": " أو ", "list": "، ", "sep": "؛ ",
        "left": "غير محسوب: {items}",
        "drafts": "{killed:,} في {n:,} مسودة",
        "discounted": "{killed:,} في {n:,} حادثة مستبعدة",
        "graded_out": "{killed:,} في {n:,} حادثة بتقييمات أخرى",
        "combined": "{n:,} حصيلة مجمّعة محسوبة مرة واحدة مع {parts:,} من أجزائها المسجلة (الأكبر من الحصيلة "
                    "المجمّعة ومجموع أجزائها: +{extra:,} زيادة عليها)",
        "cumulative": "{n:,} حصيلة تراكمية معروضة للسياق ولا تُجمع",
        "duplicates": "{n:,}{more} زوج من الحوادث المكررة المحتملة لم يُبتّ فيها قد يُحسب فيها حتى {killed:,} "
                      "مرتين",
        "unchecked": "لم يُبحث عن الحوادث المكررة المحتملة في قاعدة بهذا الحجم (انظر صفحة الحوادث المكررة المحتملة)",
        "undated": "منها {n:,} بلا تاريخ",
        "undated_outside": "{n:,} حادثة بلا تاريخ خارج أي تصفية بالتاريخ",
    },
}


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


def _either(words: list[str], lang: str) -> str:
    joiner = _WORDS[lang]
    if len(words) <= 1:
        return "".join(words)
    return joiner["list"].join(words[:-1]) + joiner["or"] + words[-1]


def describe_totals(counting: Counting, lang: str = "en") -> str:
    """Return what the totals count, in ``lang`` ("en" or "ar"), e.g.

    "418 killed (minimum) in 34 reviewed or published incidents; not counted: 53 in 1 draft, 20 in 2
    discounted incidents; 12 undecided possible duplicate pairs may count up to 96 twice".
    """
    words = _WORDS["ar" if lang == "ar" else "en"]
    index = 1 if lang == "ar" else 0
    statuses = _either([_STATUS_WORDS[s][index] for s in counting.statuses if s in _STATUS_WORDS], lang)
    parts = [words["head"].format(killed=counting.killed, figure=_FIGURE_WORDS[counting.figure][index],
                                  n=counting.incidents, statuses=statuses, s=_plural(counting.incidents))]
    if counting.gradings and tuple(counting.gradings) != DEFAULT_GRADINGS:
        labels = [taxonomy.label("grading", g, lang) for g in counting.gradings]
        parts[0] += words["graded"].format(gradings=_either(labels, lang))
    if counting.undated and not counting.dated_filter:
        parts[0] += f" ({words['undated'].format(n=counting.undated)})"
    left = []
    if counting.drafts.incidents:
        left.append(words["drafts"].format(killed=counting.drafts.killed, n=counting.drafts.incidents,
                                           s=_plural(counting.drafts.incidents)))
    if counting.graded_out.incidents:
        key = "discounted" if tuple(counting.gradings) == DEFAULT_GRADINGS else "graded_out"
        left.append(words[key].format(killed=counting.graded_out.killed, n=counting.graded_out.incidents,
                                      s=_plural(counting.graded_out.incidents)))
    if left:
        parts.append(words["left"].format(items=words["list"].join(left)))
    if counting.combined:
        parts.append(words["combined"].format(n=counting.combined, s=_plural(counting.combined),
                                              parts=counting.combined_parts, ps=_plural(counting.combined_parts),
                                              extra=counting.combined_extra))
    if counting.cumulative:
        parts.append(words["cumulative"].format(n=counting.cumulative, s=_plural(counting.cumulative)))
    if counting.duplicate_pairs:
        parts.append(words["duplicates"].format(n=counting.duplicate_pairs, killed=counting.duplicate_killed,
                                                more="+" if counting.duplicates_capped else "",
                                                s=_plural(counting.duplicate_pairs)))
    if not counting.duplicates_checked:
        parts.append(words["unchecked"])
    if counting.undated_outside:
        parts.append(words["undated_outside"].format(n=counting.undated_outside, s=_plural(counting.undated_outside),
                                                     are="is" if counting.undated_outside == 1 else "are"))
    return words["sep"].join(parts)


def describe_totals_bilingual(counting: Counting) -> str:
    """Return the sentence in English, then in Arabic (export headers carry both)."""
    return f"{describe_totals(counting, 'en')} — {describe_totals(counting, 'ar')}"
