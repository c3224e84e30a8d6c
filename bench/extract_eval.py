"""Score the incident extractor against the annotated development reports.

    python bench/extract_eval.py [--dir /work/shared/eval/dev-reports] [--dir ...] [--verbose]

``--dir`` may be given several times (the folders are scored together). Besides the real development reports,
``tests/extract/heldout`` to ``heldout5`` hold synthetic reports written for evaluation (see their READMEs): the rules
must do well on them without being tuned to their strings.

For each report the extractor gets the text, the source name and URL, and the publication date only when the
file has one (``published``). Candidates sharing a ``group`` (one toll over several places) count as one
predicted record. A predicted record matches a gold record when one of its places is one of the gold places:
same name (after ``geodata.normalise.skeleton``) or a gazetteer point within 3 km of the gold's reference
coordinates (or their equally right alternatives). Matching is one-to-one, best pairs first (same place, then
overlapping quote, event type, figures).

Metrics (all in %, except speed):

* place recall: matched gold records / gold records that name a place (all record kinds);
* place precision: matched predicted records / predicted records;
* actor, event type: share of matched pairs whose code is one the gold's wording names ("SDF vs ISIS" accepts
  both; "contested: A / B" accepts any; Iran-backed militias count as ``government`` and Israel, tribal fighters
  and the Iraqi air force as ``other``, as the actor taxonomy files them);
* killed exact: share of matched pairs with ``killed_min`` and ``killed_max`` both equal to the gold's ("about
  N", recorded by the annotators as ``killed = N`` without bounds, counts as N–N);
* date in range: share of matched pairs whose gold ``date`` (a day, or a ``start/end`` range) falls in the
  proposed ``date_start``..``date_end``, over the pairs whose report has a printed publication date and whose gold
  has a date. A proposed range counts only when it is no wider than the gold's and at most ten days wide (a wide
  range would contain anything); no proposed date is a miss. ``date*`` also scores reports without a publication
  date (absolute dates only);
* children/women exact: share of the gold ``children`` and ``women`` numbers (killed) of matched pairs that the
  candidate gives exactly, over the gold records that give such a number;
* ms per 1,000 words: extraction time over the reports' word counts, gazetteer loaded beforehand, after one
  untimed warm-up pass; CPU time of this process, best of three runs per report (the machine is shared, and
  wall-clock time measures the other users' load). The share of the gazetteer's ``find_mentions`` is printed
  separately.

The reports whose ids are in ``ASIDE`` (or ``--aside``) are kept aside: their totals are printed apart from the
rest (``tuned``), as a check that was never used to write rules. A second line scores without the ``aggregate`` and ``multi_event`` records (a scorer may drop them: predictions
matching them are then neither right nor wrong). The last line is ``RESULT ...`` for the strict scoring.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geodata.normalise import skeleton  # noqa: E402
from incidents.extract import Candidate, extract_candidates  # noqa: E402
from incidents.extract.rules import default_gazetteer  # noqa: E402

DEFAULT_DIR = Path("/work/shared/eval/dev-reports")
OPTIONAL_KINDS = frozenset({"aggregate", "multi_event"})
#: Development reports kept aside (chosen before round two of the rules, #14): scored apart, never tuned on.
ASIDE = frozenset({"025", "036", "104", "107", "111"})
#: The widest proposed date range that still counts as a date (days), unless the gold's range is wider.
DATE_SPAN_DAYS = 10
NEAR_KM = 3.0

ACTOR_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coalition", ("coalition", "us-led", "american", "united states")),
    ("sdf", ("sdf", "syrian democratic")),
    ("isis", ("isis", "islamic state", "daesh")),
    ("pmf", ("pmf", "popular mobili")),
    ("government", ("government", "regime", "syrian army", "assad", "iran")),
    ("russia", ("russia",)),
    ("turkey", ("turk",)),
    ("unknown", ("unknown", "unidentified", "unspecified", "no claim")),
    ("other", ("israel", "tribal", "iraqi air")),
)
EVENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("suicide_bomb", ("suicide",)),
    ("remote_explosive", ("ied", "car bomb", "vbied", "explosive", "mine", "booby", "explosion")),
    ("shelling", ("shelling", "artillery", "mortar", "rocket", "missile", "shells")),
    ("air_strike", ("airstrike", "air strike", "air raid", "drone")),
    ("armed_clash", ("clash", "fighting", "battle")),
    ("attack", ("execution", "shooting", "attack", "shot")),
    ("arrests", ("arrest", "detention", "raid")),
    ("abduction", ("abduct", "kidnap")),
)


@dataclass
class Predicted:
    """Candidates of one group (or one candidate) as one predicted record."""

    candidates: list[Candidate]

    @property
    def head(self) -> Candidate:
        return self.candidates[0]


@dataclass
class Scores:
    """Counts over a set of reports."""

    gold: int = 0
    gold_placed: int = 0
    predicted: int = 0
    matched: int = 0
    actor: int = 0
    event: int = 0
    killed: int = 0
    dated: int = 0
    date_in_range: int = 0
    dated_any: int = 0
    date_any_in_range: int = 0
    counted: int = 0
    count_exact: int = 0
    ignored: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for name in ("gold", "gold_placed", "predicted", "matched", "actor", "event", "killed", "dated",
                     "date_in_range", "dated_any", "date_any_in_range", "counted", "count_exact", "ignored"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    def rates(self) -> dict[str, float]:
        pairs = self.matched or 1
        return {
            "place_recall": 100 * self.matched / (self.gold_placed or 1),
            "place_precision": 100 * self.matched / (self.predicted or 1),
            "actor": 100 * self.actor / pairs,
            "event_type": 100 * self.event / pairs,
            "killed_exact": 100 * self.killed / pairs,
            "date_in_range": 100 * self.date_in_range / (self.dated or 1),
            "date_any_in_range": 100 * self.date_any_in_range / (self.dated_any or 1),
            "children_women_exact": 100 * self.count_exact / (self.counted or 1),
        }


# -- gold wording to codes --------------------------------------------------------------------------------


def codes_named(text: str | None, table: tuple[tuple[str, tuple[str, ...]], ...]) -> set[str]:
    """Return the codes a gold free-text value names (lower-cased keyword search; "(against X)" dropped)."""
    if not text:
        return set()
    lowered = text.lower().split("(against")[0]
    for special, code in (("rocket attack", "shelling"),):
        if special in lowered:
            lowered = lowered.replace(special, "")
            found = {code}
            break
    else:
        found = set()
    return found | {code for code, words in table if any(w in lowered for w in words)}


def gold_killed(gold: dict[str, Any]) -> tuple[int | None, int | None]:
    """Return the gold (killed_min, killed_max); "about N" (killed only) reads as N–N."""
    low, high = gold.get("killed_min"), gold.get("killed_max")
    if low is None and high is None and gold.get("killed") is not None:
        return gold["killed"], gold["killed"]
    return low, high


def gold_dates(gold: dict[str, Any]) -> tuple[date, date] | None:
    """Return the gold ``date`` as (first, last) day; ``None`` when the gold has no date."""
    value = gold.get("date")
    if not value:
        return None
    first, _, last = str(value).partition("/")
    return _day(first, end=False), _day(last or first, end=True)


def _day(text: str, end: bool) -> date:
    """A gold day; a month (``2022-01``) or a year stands for its first or last day."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


def date_in_range(candidate: Candidate, gold: tuple[date, date]) -> bool:
    """Tell whether the candidate's proposed dates hold the gold date (see the module docstring)."""
    start = candidate.date_start
    if start is None:
        return False
    end = candidate.date_end or start
    allowed = max((gold[1] - gold[0]).days, DATE_SPAN_DAYS)
    return (end - start).days <= allowed and start <= gold[1] and gold[0] <= end


def count_hits(candidate: Candidate, gold: dict[str, Any]) -> tuple[int, int]:
    """Return (numbers the gold gives, of which the candidate gives exactly) for children and women killed."""
    given = exact = 0
    for gold_key, mine in (("children", candidate.children_killed), ("women", candidate.women_killed)):
        if isinstance(gold.get(gold_key), int):
            given += 1
            exact += mine == gold[gold_key]
    return given, exact


# -- matching ---------------------------------------------------------------------------------------------


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def _gold_points(gold: dict[str, Any]) -> list[tuple[float, float]]:
    points = []
    for ref in gold.get("ref_coords") or []:
        points.append((ref["lat"], ref["lon"]))
        points.extend((alt["lat"], alt["lon"]) for alt in ref.get("alt", []))
    return points


def _gold_names(gold: dict[str, Any]) -> set[str]:
    names = set()
    for part in (gold.get("place_ar") or "").replace(",", "،").split("،"):
        if part.strip():
            names.add(skeleton(part.strip()))
    for ref in gold.get("ref_coords") or []:
        names.add(skeleton(ref["place_ar"]))
        names.update(skeleton(alt["place_ar"]) for alt in ref.get("alt", []))
    return names - {""}


def place_matches(candidate: Candidate, gold: dict[str, Any]) -> bool:
    """Tell whether a candidate's place is one of the gold record's places."""
    names = _gold_names(gold)
    if candidate.place_text and skeleton(candidate.place_text) in names:
        return True
    place = candidate.place
    if not place:
        return False
    if skeleton(place.get("name_ar") or "") in names:
        return True
    return any(_km(place["lat"], place["lon"], lat, lon) <= NEAR_KM for lat, lon in _gold_points(gold))


def _quote_span(text: str, quote: str | None) -> tuple[int, int] | None:
    if not quote:
        return None
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 else None


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def pair_score(text: str, predicted: Predicted, gold: dict[str, Any]) -> float | None:
    """Return how well a predicted record fits a gold record (``None`` when their places differ)."""
    if not any(place_matches(c, gold) for c in predicted.candidates):
        return None
    head = predicted.head
    span = head.spans.get("quote", [None])[0]
    score = 10.0
    score += 3 * any(_overlaps(span, _quote_span(text, gold.get(k))) for k in ("quote", "second_quote"))
    score += 2 * (head.event_type in codes_named(gold.get("event_type"), EVENT_WORDS))
    score += 2 * ((head.killed_min, head.killed_max) == gold_killed(gold))
    score += 1 * (head.actor in codes_named(gold.get("actor"), ACTOR_WORDS))
    return score


def match(text: str, predicted: list[Predicted], golds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Return one-to-one (predicted index, gold index) pairs, best scores first."""
    scored = []
    for pi, p in enumerate(predicted):
        for gi, g in enumerate(golds):
            score = pair_score(text, p, g)
            if score is not None:
                scored.append((score, pi, gi))
    pairs: list[tuple[int, int]] = []
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, pi, gi in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if pi not in used_p and gi not in used_g:
            pairs.append((pi, gi))
            used_p.add(pi)
            used_g.add(gi)
    return pairs


def group_candidates(candidates: list[Candidate]) -> list[Predicted]:
    """Collapse candidates sharing a group into one predicted record."""
    records: list[Predicted] = []
    by_group: dict[str, Predicted] = {}
    for candidate in candidates:
        if candidate.group is None:
            records.append(Predicted([candidate]))
        elif candidate.group in by_group:
            by_group[candidate.group].candidates.append(candidate)
        else:
            by_group[candidate.group] = Predicted([candidate])
            records.append(by_group[candidate.group])
    return records


def score_report(report: dict[str, Any], candidates: list[Candidate], drop: frozenset[str]) -> Scores:
    """Score one report's candidates; gold records of kinds in ``drop`` are optional."""
    text = report["text"]
    golds = report["gold"]
    predicted = group_candidates(candidates)
    pairs = match(text, predicted, golds)
    scores = Scores()
    dropped_gold = {i for i, g in enumerate(golds) if g.get("record_kind") in drop}
    ignored_pred = {pi for pi, gi in pairs if gi in dropped_gold}
    scores.gold = len(golds) - len(dropped_gold)
    scores.gold_placed = sum(1 for i, g in enumerate(golds) if i not in dropped_gold and _placed(g))
    scores.predicted = len(predicted) - len(ignored_pred)
    scores.ignored = len(ignored_pred)
    for pi, gi in pairs:
        if gi in dropped_gold:
            continue
        gold, head = golds[gi], predicted[pi].head
        scores.matched += 1
        scores.actor += head.actor in codes_named(gold.get("actor"), ACTOR_WORDS)
        scores.event += head.event_type in codes_named(gold.get("event_type"), EVENT_WORDS)
        scores.killed += (head.killed_min, head.killed_max) == gold_killed(gold)
        _score_details(scores, report, head, gold)
    matched_gold = {gi for _, gi in pairs}
    scores.misses += [f"{report['id']}: missed {g.get('place_ar')} ({g.get('record_kind')})"
                     for i, g in enumerate(golds) if i not in matched_gold and i not in dropped_gold and _placed(g)]
    matched_pred = {pi for pi, _ in pairs}
    scores.misses += [f"{report['id']}: extra {p.head.place_text} ({p.head.event_type}, killed "
                      f"{p.head.killed_min}-{p.head.killed_max})" for i, p in enumerate(predicted) if i not in matched_pred]
    return scores


def _score_details(scores: Scores, report: dict[str, Any], head: Candidate, gold: dict[str, Any]) -> None:
    """Add the date and children/women figures of one matched pair (and note wrong actors, events, tolls)."""
    place = gold.get("place_ar")
    if head.actor not in codes_named(gold.get("actor"), ACTOR_WORDS):
        scores.misses.append(f"{report['id']}: actor of {place}: {head.actor} for {gold.get('actor')}")
    if head.event_type not in codes_named(gold.get("event_type"), EVENT_WORDS):
        scores.misses.append(f"{report['id']}: event of {place}: {head.event_type} for {gold.get('event_type')}")
    if (head.killed_min, head.killed_max) != gold_killed(gold):
        scores.misses.append(f"{report['id']}: killed at {place}: {head.killed_min}-{head.killed_max} for "
                             f"{gold_killed(gold)}")
    dates = gold_dates(gold)
    if dates is not None:
        hit = date_in_range(head, dates)
        scores.dated_any += 1
        scores.date_any_in_range += hit
        if report.get("published"):
            scores.dated += 1
            scores.date_in_range += hit
        if not hit:
            scores.misses.append(f"{report['id']}: date of {gold.get('place_ar')}: {head.date_start}..{head.date_end}"
                                 f" for {gold.get('date')}")
    given, exact = count_hits(head, gold)
    scores.counted += given
    scores.count_exact += exact
    if exact < given:
        scores.misses.append(f"{report['id']}: children/women of {gold.get('place_ar')}: {head.children_killed}/"
                             f"{head.women_killed} for {gold.get('children')}/{gold.get('women')}")


def _placed(gold: dict[str, Any]) -> bool:
    return bool(gold.get("place_ar") or gold.get("ref_coords"))


# -- running ----------------------------------------------------------------------------------------------


def load_report(path: Path) -> dict[str, Any]:
    """Read one report file."""
    report = json.loads(path.read_text(encoding="utf-8"))
    report.setdefault("id", path.stem)
    return report


def extract_report(report: dict[str, Any]) -> list[Candidate]:
    """Extract one report as the eval allows: text, source, URL, and the publication date only if printed."""
    published = date.fromisoformat(report["published"]) if report.get("published") else None
    return extract_candidates(report["text"], published=published, source=report.get("source_name"),
                              url=report.get("url"))


def best_time(function: Any, *args: Any, runs: int = 3) -> float:
    """Return the best CPU time (this process) of ``runs`` calls."""
    best = math.inf
    for _ in range(runs):
        started = time.process_time()
        function(*args)
        best = min(best, time.process_time() - started)
    return best


_HEADER = (f"{'report':<9} {'gold':>4} {'pred':>4} {'match':>5} {'recall':>6} {'prec':>6} {'actor':>6} {'event':>6} "
           f"{'killed':>6} {'date':>9} {'date*':>9} {'ch/wo':>9} {'ms':>8}")


def _share(hits: int, total: int) -> str:
    return f"{100 * hits / total:.0f}%/{total}" if total else "-"


def _row(name: str, s: Scores, ms: float | str = "") -> str:
    r = s.rates()
    return (f"{name:<9} {s.gold:>4} {s.predicted:>4} {s.matched:>5} {r['place_recall']:>6.1f} "
            f"{r['place_precision']:>6.1f} {r['actor']:>6.1f} {r['event_type']:>6.1f} {r['killed_exact']:>6.1f} "
            f"{_share(s.date_in_range, s.dated):>9} {_share(s.date_any_in_range, s.dated_any):>9} "
            f"{_share(s.count_exact, s.counted):>9} {ms!s:>8}")


def _result(label: str, s: Scores, ms_per_1000: float | None = None) -> str:
    r = s.rates()
    speed = f" extract_ms_per_1000_words={ms_per_1000:.1f}" if ms_per_1000 is not None else ""
    return (f"{label} extract_place_recall={r['place_recall']:.1f} extract_place_precision={r['place_precision']:.1f} "
            f"extract_actor={r['actor']:.1f} extract_event_type={r['event_type']:.1f} "
            f"extract_killed_exact={r['killed_exact']:.1f} extract_date_in_range={_rate(r['date_in_range'], s.dated)} "
            f"extract_children_women_exact={_rate(r['children_women_exact'], s.counted)}{speed}")


def _rate(rate: float, cases: int) -> str:
    """A rate of the RESULT line, "na" when the set holds no case of it (not a 0 % it never earned)."""
    return f"{rate:.1f}" if cases else "na"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; print per-report rows, totals (tuned part, kept-aside part, all) and the RESULT line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, action="append", help="folder of report JSON files (repeatable; "
                        f"default {DEFAULT_DIR})")
    parser.add_argument("--aside", default=",".join(sorted(ASIDE)),
                        help="comma-separated report ids kept aside and scored apart (default: %(default)s)")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra records, wrong dates and counts "
                        "of the tuned part")
    parser.add_argument("--verbose-aside", action="store_true", help="the same for the part kept aside (read it only "
                        "to report on it, not to write rules)")
    args = parser.parse_args(argv)
    aside = frozenset(i.strip() for i in args.aside.split(",") if i.strip())
    gazetteer = default_gazetteer()  # load once, outside the timing
    folders = args.dir or [DEFAULT_DIR]
    paths = [path for folder in folders for path in sorted(folder.glob("*.json"))]
    if not paths:
        print(f"no report files (*.json) in {', '.join(map(str, folders))}", file=sys.stderr)
        return 2
    reports = [load_report(p) for p in paths]
    for report in reports:  # warm-up: caches of the gazetteer and of the rules
        extract_report(report)
    totals = {"tuned": Scores(), "aside": Scores(), "all": Scores()}
    lenient = Scores()
    seconds = finding = words = 0.0
    print(_HEADER)
    for report in reports:
        candidates = extract_report(report)
        elapsed = best_time(extract_report, report)
        seconds += elapsed
        finding += best_time(gazetteer.find_mentions, report["text"])
        words += len(report["text"].split())
        one = score_report(report, candidates, frozenset())
        part = "aside" if str(report["id"]) in aside else "tuned"
        totals[part].add(one)
        totals["all"].add(one)
        lenient.add(score_report(report, candidates, OPTIONAL_KINDS))
        print(_row(str(report["id"]) + ("*" if part == "aside" else ""), one, f"{elapsed * 1000:.1f}"))
    ms_per_1000 = seconds * 1000 / (words / 1000) if words else 0.0
    print(_row("TUNED", totals["tuned"]))
    print(_row("ASIDE*", totals["aside"]) + "   (kept aside, never tuned on)")
    print(_row("TOTAL", totals["all"], f"{ms_per_1000:.1f}/kw"))
    print(f"{'':<9} of which the gazetteer's find_mentions: {finding * 1000 / (words / 1000):.1f} ms per 1,000 words "
          f"({int(words)} words)")
    print(_row("-agg/mev", lenient) + "   (aggregate and multi_event records optional)")
    print("date: in the proposed range, reports with a printed publication date; date*: every dated gold record; "
          "ch/wo: children and women killed exact where the gold gives a number (share/number of cases)")
    for part, wanted in (("tuned", args.verbose), ("aside", args.verbose_aside)):
        if wanted:
            print(f"-- {part}:\n" + "\n".join(totals[part].misses))
    if totals["aside"].gold:
        print(_result("ASIDE", totals["aside"]))
    print(_result("RESULT", totals["all"], ms_per_1000))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
