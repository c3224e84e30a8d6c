"""Geocoder evaluation on real place spellings: held-out alternate names and dev-report places.

Two labelled sets, both made of spellings that real sources or reports use:

* **held-out**: for every place of Deir ez-Zor governorate and a seeded sample of places of its
  neighbours, one Arabic and one Latin alternate spelling (not the preferred name) is drawn at
  random; the drawn spellings are removed from the index, for every place that has them
  (``Gazetteer.without_names``), and then queried. Only spellings that are variants of a
  remaining name are drawn (phonetic keys at least 70 % similar): a wholly different name
  ("Qaraqol" for as-Salihiyah) cannot be found by any spelling rule. Nor are spellings that
  another place also bears (same normal form): for them no answer is more right than another. Sets marked ``*`` hold the
  hard variants, whose normal form differs from every remaining name of the place; in the others
  a remaining spelling differs only in what normalisation folds (diacritics, hamza, article).
* **dev-reports**: every gold ``place_ar``/``place_en`` of ``shared/eval/dev-reports`` (lists split
  into single names and paired with their ``ref_coords`` in order) and the reference's own
  ``place_ar``, scored against the reference point and its ``alt`` points. Only names and points
  are read; report texts are not used or copied. The set is skipped when the folder is absent.

A query is *within 5 km* when ``match`` is within 5 km of an accepted point, *confidently wrong*
when ``match`` is farther, *unanswered* when ``match`` is ``None``.

Run ``python bench/geocode_eval.py``; the last line reads
``RESULT geocode_within5km=… geocode_confidently_wrong=… geocode_per_s=…``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz.fuzz import ratio  # noqa: E402
from rapidfuzz.process import extract  # noqa: E402

from geodata import Gazetteer, Place, load_gazetteer  # noqa: E402
from geodata.geo import haversine_km  # noqa: E402
from geodata.normalise import name_keys, normalise  # noqa: E402

DEV_REPORTS = ROOT.parent / "shared" / "eval" / "dev-reports"
SEED = 20181212
NEIGHBOURS = ("SY08", "SY11", "SY04", "wof:85672483")
NEIGHBOUR_SAMPLE = 160
TUNING_SAMPLE = 700
WITHIN_KM = 5.0
POINT_KINDS = frozenset({"city", "town", "village", "neighbourhood", "camp", "site"})


@dataclass(frozen=True)
class Case:
    """One labelled query."""

    set: str
    query: str
    points: tuple[tuple[float, float], ...]
    place_id: str = ""


@dataclass
class Outcome:
    """A case and what the geocoder answered."""

    case: Case
    match_id: str | None
    distance_km: float | None
    precision: str | None

    @property
    def within(self) -> bool:
        return self.distance_km is not None and self.distance_km <= WITHIN_KM

    @property
    def wrong(self) -> bool:
        return self.distance_km is not None and self.distance_km > WITHIN_KM


# -------------------------------------------------------------------------------- spelling keys
#
# The bench's own keys, frozen here: the labelled set must not move when the geocoder's keys change.

_ARTICLES_LATIN = frozenset("al el il ul as ash es esh ad ed adh edh ar er az ez at et ath eth an en".split())
_ADMIN_WORDS = frozenset(
    normalise(w)
    for w in "ناحية منطقة محافظة nahiya nahiyah nahiyat nahia district subdistrict governorate province muhafazat".split()
)
_CONSONANTS_AR = str.maketrans(
    {
        "ب": "b", "ت": "t", "ث": "z", "ج": "j", "ح": "h", "خ": "K", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
        "س": "s", "ش": "S", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "k", "ف": "f", "ق": "k",
        "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "", "ي": "", "ا": "",
    }
)
_CONSONANTS_LATIN = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        ("x", "K"), ("sch|sh|ch", "S"), ("kh", "K"), ("gh|ck|q|g|c|k", "k"), ("dh|th|z", "z"), ("ph|v", "f"),
        ("p", "b"), ("(?<=.)h$", ""), ("[aeiouyw]", ""),
    )
)
_DOUBLED = re.compile(r"(.)\1+")


def _script(name: str) -> str:
    return "ar" if re.search("[\u0600-\u06ff]", normalise(name)) else "latin"


def _words(name: str) -> list[str]:
    """Normalised words without articles (Latin article words, the ال of Arabic words)."""
    words = [w for w in normalise(name).split() if w not in _ARTICLES_LATIN]
    return [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]


def spelling_key(name: str) -> str:
    """The bench's spelling key: normal form without articles and spaces ("Al-Mayadin" → "mayadin")."""
    return "".join(_words(name))


def consonant_key(name: str) -> str:
    """The bench's cross-script consonant key ("الشحيل", "Shuhayl" → "Shl")."""
    out = []
    for word in _words(name):
        if _script(word) == "ar":
            word = (word[:-1] if len(word) > 1 and word.endswith("ه") else word).translate(_CONSONANTS_AR)
        else:
            for pattern, repl in _CONSONANTS_LATIN:
                word = pattern.sub(repl, word)
        out.append(word)
    return _DOUBLED.sub(r"\1", "".join(out))


# -------------------------------------------------------------------------------- held-out set


def _holdable(name: str, remaining: list[str]) -> bool:
    """A spelling can be held out if it is a variant of a name the place keeps.

    Variant: its consonant key is at least 70 % similar to one of the remaining names' (any script).
    Names holding an admin word ("ناحية خشام", "Nahiyat ...") name the admin unit, not the town,
    even when a source lists them under the town, so they are not held out.
    """
    key = consonant_key(name)
    if len(key) < 2 or _ADMIN_WORDS.intersection(normalise(name).split()):
        return False
    return any(ratio(key, consonant_key(other)) >= 70 for other in remaining)


def _draw(place: Place, rng: random.Random) -> list[str]:
    """Up to one Arabic and one Latin alternate spelling (not a preferred name) of a place.

    Each must stay a variant of the names left once both are removed: an Arabic spelling and its
    own transliteration, drawn together, would leave nothing to find them by.
    """
    names = list(dict.fromkeys(place.names))
    preferred = {place.name_ar, place.name_en}
    drawn: list[str] = []
    for script in ("ar", "latin"):
        pool = [n for n in names if n not in preferred and _script(n) == script]
        pool = [
            n for n in pool
            if all(_holdable(h, [o for o in names if o not in drawn and o not in (n, h)]) for h in (*drawn, n))
        ]
        if pool:
            drawn.append(rng.choice(sorted(pool)))
    return drawn


@dataclass
class _NameTable:
    """Every name of every point place, by spelling key (per script) and consonant key."""

    gazetteer: Gazetteer
    spelling: dict[str, tuple[list[str], list[str], list[str]]]
    consonant: tuple[list[str], list[str], list[str]]

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> _NameTable:
        frame = gazetteer.places_frame()
        frame = frame[frame["kind"].isin(POINT_KINDS)]
        spelling: dict[str, tuple[list[str], list[str], list[str]]] = {"ar": ([], [], []), "latin": ([], [], [])}
        consonant: tuple[list[str], list[str], list[str]] = ([], [], [])
        for pid, name_ar, name_en, alts in zip(frame["id"], frame["name_ar"], frame["name_en"], frame["alt_names"], strict=True):
            for name in dict.fromkeys([name_ar, name_en, *alts.split("|")]):
                if not name:
                    continue
                keys, names, ids = spelling[_script(name)]
                keys.append(spelling_key(name))
                names.append(name)
                ids.append(pid)
                consonant[0].append(consonant_key(name))
                consonant[1].append(name)
                consonant[2].append(pid)
        return cls(gazetteer, spelling, consonant)

    def claimed_elsewhere(self, place: Place, name: str, removed: set[str]) -> bool:
        """True when a place farther than 5 km has a name as close to ``name`` as the place's own.

        Closeness compares spelling keys within the spelling's script (``rapidfuzz.fuzz.ratio``);
        when the place keeps no name in that script, consonant keys across scripts. Such a
        spelling ("Raml" for Rumayl, near Ar-Raml; "Kechma" for one of two villages both called
        Kashmah) is no more this place's name than the other's.
        """
        script = _script(name)
        remaining = [n for n in place.names if n not in removed]
        own = [n for n in remaining if _script(n) == script]
        if own:
            probe, table = spelling_key(name), self.spelling[script]
            best = max(ratio(probe, spelling_key(n)) for n in own)
        else:
            probe, table = consonant_key(name), self.consonant
            best = max(ratio(probe, consonant_key(n)) for n in remaining)
        keys, names, ids = table
        for _, _, at in extract(probe, keys, scorer=ratio, score_cutoff=best, limit=None):
            other = self.gazetteer.get(ids[at])
            if other is None or other.id == place.id or names[at] in removed:
                continue
            if haversine_km(place.lat, place.lon, other.lat, other.lon) > WITHIN_KM:
                return True
        return False


def _spacing_key(name: str) -> str:
    return normalise(name).replace(" ", "")


def _is_hard(place: Place, name: str, removed: set[str]) -> bool:
    """Hard: no remaining name of the place has the same normal form, spaces aside ("البو بدران" is
    "البوبدران" written in two words; "ميادين" lacks the article of "الميادين" and is hard)."""
    return _spacing_key(name) not in {_spacing_key(n) for n in place.names if n not in removed}


def sample_place_ids(gazetteer: Gazetteer, which: str = "eval", seed: int = SEED) -> list[str]:
    """Places whose spellings are held out.

    ``eval``: every Deir ez-Zor place and a seeded sample of its neighbours' places (the scored set);
    ``tuning``: a seeded sample of other places of Syria and Iraq, disjoint from ``eval``, to develop
    and calibrate on without looking at the scored set.
    """
    frame = gazetteer.places_frame()
    points = frame[frame["kind"].isin(POINT_KINDS)]
    local = sorted(points.loc[points["admin1"] == "SY09", "id"])
    near = sorted(points.loc[points["admin1"].isin(NEIGHBOURS), "id"])
    rng = random.Random(seed)
    chosen = local + sorted(rng.sample(near, min(NEIGHBOUR_SAMPLE, len(near))))
    if which == "eval":
        return chosen
    rest = sorted(set(points["id"]) - set(chosen))
    return sorted(random.Random(seed + 1).sample(rest, min(TUNING_SAMPLE, len(rest))))


def held_out_cases(gazetteer: Gazetteer, seed: int = SEED, which: str = "eval") -> list[Case]:
    """Deterministic held-out cases (see the module docstring).

    Sets are ``held-out-ar``/``held-out-latin`` (a remaining name has the same normal form, spaces
    aside: a test of normalisation) and ``held-out-ar*``/``held-out-latin*`` (hard variants).
    Spellings that another place bears as closely are left out (``_NameTable.claimed_elsewhere``).
    """
    rng = random.Random(seed)
    drawn: list[tuple[Place, str]] = []
    for place_id in sample_place_ids(gazetteer, which, seed):
        place = gazetteer.get(place_id)
        if place is not None:
            drawn += [(place, name) for name in _draw(place, rng)]
    table = _NameTable.build(gazetteer)
    kept = drawn
    for _ in range(3):  # a spelling let go returns to the index and may claim another: settle
        removed = {name for _, name in kept}
        now = [(p, n) for p, n in drawn if not table.claimed_elsewhere(p, n, removed)]
        if now == kept:
            break
        kept = now
    removed = {name for _, name in kept}
    cases = []
    for place, name in kept:
        label = "held-out-" + _script(name) + ("*" if _is_hard(place, name, removed) else "")
        cases.append(Case(label, name, ((place.lat, place.lon),), place.id))
    return cases


# -------------------------------------------------------------------------------- dev reports


def _ref_points(ref: dict[str, Any]) -> tuple[tuple[float, float], ...]:
    points = [(float(ref["lat"]), float(ref["lon"]))]
    points += [(float(a["lat"]), float(a["lon"])) for a in ref.get("alt", [])]
    return tuple(points)


def _split_names(text: str | None, arabic: bool) -> list[str]:
    if not text:
        return []
    separators = ["،", ","] if arabic else [",", " and "]
    parts = [text]
    for separator in separators:
        parts = [p for part in parts for p in part.split(separator)]
    return [p.strip() for p in parts if p.strip()]


def _gold_cases(record: dict[str, Any]) -> list[Case]:
    refs = record.get("ref_coords") or []
    if not refs:
        return []
    cases = []
    all_points = tuple(p for ref in refs for p in _ref_points(ref))
    for text, arabic in ((record.get("place_ar"), True), (record.get("place_en"), False)):
        names = _split_names(text, arabic)
        if len(names) == len(refs):
            cases += [Case("dev-reports", n, _ref_points(r)) for n, r in zip(names, refs, strict=True)]
        elif text:
            cases.append(Case("dev-reports", text, all_points))
    cases += [Case("dev-reports", ref["place_ar"], _ref_points(ref)) for ref in refs if ref.get("place_ar")]
    return cases


def dev_report_cases(folder: Path = DEV_REPORTS) -> list[Case]:
    """Unique (query, points) cases from the dev reports' gold records; empty if the folder is absent."""
    if not folder.is_dir():
        return []
    seen: dict[tuple[str, tuple[tuple[float, float], ...]], Case] = {}
    for path in sorted(folder.glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        for record in report.get("gold", []):
            for case in _gold_cases(record):
                seen.setdefault((normalise(case.query), case.points), case)
    return list(seen.values())


# -------------------------------------------------------------------------------- scoring


def _geocode_all(gazetteer: Gazetteer, cases: list[Case]) -> tuple[list[Any], float, float]:
    name_keys.cache_clear()
    normalise.cache_clear()
    gazetteer.clear_cache()
    wall, cpu = time.perf_counter(), time.process_time()
    results = [gazetteer.geocode(case.query) for case in cases]
    return results, time.process_time() - cpu, time.perf_counter() - wall


def evaluate(gazetteer: Gazetteer, cases: list[Case], repeats: int = 3) -> tuple[list[Outcome], float, float]:
    """Geocode every case; return outcomes and names per second of CPU time and of wall time.

    Each repetition starts with cold normalisation caches and the fastest is kept. Throughput
    counts the process's CPU time (``time.process_time``): on a machine other jobs share, wall
    time measures them as much as the geocoder. The one-off lazy fuzzy index is built before
    timing, as a running service would have it.
    """
    gazetteer.geocode("warm-up query for the lazy fuzzy index")
    timings = []
    walls = []
    results: list[Any] = []
    for _ in range(max(1, repeats)):
        results, elapsed, wall = _geocode_all(gazetteer, cases)
        timings.append(elapsed)
        walls.append(wall)
    outcomes = []
    for case, result in zip(cases, results, strict=True):
        match = result.match
        distance = None
        if match is not None:
            distance = min(haversine_km(match.lat, match.lon, lat, lon) for lat, lon in case.points)
        outcomes.append(Outcome(case, match.id if match else None, distance, match.precision if match else None))
    best, best_wall = min(timings), min(walls)
    return outcomes, len(cases) / max(best, 1e-9), len(cases) / max(best_wall, 1e-9)


def _rates(outcomes: list[Outcome]) -> tuple[float, float, float]:
    n = max(1, len(outcomes))
    within = sum(o.within for o in outcomes) / n
    wrong = sum(o.wrong for o in outcomes) / n
    return within, wrong, 1.0 - within - wrong


def _table(outcomes: list[Outcome]) -> str:
    sets = sorted({o.case.set for o in outcomes})
    lines = [f"{'set':<16}{'n':>6}{'within 5 km':>14}{'conf. wrong':>14}{'unanswered':>13}"]
    for name in [*sets, "all"]:
        part = [o for o in outcomes if name in ("all", o.case.set)]
        within, wrong, none = _rates(part)
        lines.append(f"{name:<16}{len(part):>6}{within:>13.1%}{wrong:>14.1%}{none:>13.1%}")
    return "\n".join(lines)


def _failures(outcomes: list[Outcome], limit: int) -> str:
    bad = [o for o in outcomes if not o.within]
    bad.sort(key=lambda o: (not o.wrong, o.case.set, o.case.query))
    lines = []
    for o in bad[:limit]:
        what = f"WRONG {o.match_id} at {o.distance_km:.1f} km" if o.wrong else "unanswered"
        lines.append(f"  [{o.case.set}] {o.case.query!r}: {what} (expected {o.case.place_id or o.case.points[0]})")
    return "\n".join(lines)


def run(show_failures: int = 0, out: Any = sys.stdout) -> dict[str, float]:
    """Run the evaluation, print the table, return the headline figures.

    Returns
    -------
    dict
        ``geocode_within5km``, ``geocode_confidently_wrong`` (fractions), ``geocode_per_s``,
        ``geocode_load_s`` and ``geocode_cases``.
    """
    start = time.perf_counter()
    gazetteer = load_gazetteer()
    load_s = time.perf_counter() - start
    held = held_out_cases(gazetteer)
    dev = dev_report_cases()
    holdout = gazetteer.without_names(c.query for c in held)
    held_outcomes, held_rate, held_wall = evaluate(holdout, held)
    dev_outcomes, dev_rate, dev_wall = evaluate(gazetteer, dev) if dev else ([], 1.0, 1.0)
    outcomes = held_outcomes + dev_outcomes
    within, wrong, _ = _rates(outcomes)
    per_s = len(outcomes) / (len(held) / held_rate + len(dev) / dev_rate) if outcomes else 0.0
    wall_s = len(outcomes) / (len(held) / held_wall + len(dev) / dev_wall) if outcomes else 0.0
    print(_table(outcomes), file=out)
    if not dev:
        print(f"(dev-report set skipped: {DEV_REPORTS} not found)", file=out)
    if show_failures:
        print(_failures(outcomes, show_failures), file=out)
    print(
        f"gazetteer load {load_s:.2f} s; {len(outcomes)} names geocoded at {per_s:,.0f} names/s of CPU time "
        f"({wall_s:,.0f}/s wall clock; cold caches, best of 3); held-out {held_rate:,.0f}/s, "
        f"dev-report names {dev_rate:,.0f}/s",
        file=out,
    )
    figures = {
        "geocode_within5km": round(within, 4),
        "geocode_confidently_wrong": round(wrong, 4),
        "geocode_per_s": round(per_s),
        "geocode_per_s_wall": round(wall_s),
        "geocode_load_s": round(load_s, 3),
        "geocode_cases": len(outcomes),
    }
    print(
        "RESULT "
        f"geocode_within5km={figures['geocode_within5km']:.3f} "
        f"geocode_confidently_wrong={figures['geocode_confidently_wrong']:.3f} "
        f"geocode_per_s={figures['geocode_per_s']}",
        file=out,
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``python bench/geocode_eval.py [--failures N]``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", type=int, default=0, metavar="N", help="list the first N misses")
    args = parser.parse_args(argv)
    run(show_failures=args.failures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
