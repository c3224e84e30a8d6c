"""Count the named victims the extractor proposes on the development reports (#18).

    .venv/bin/python -m bench.named_eval [--dir ../shared/eval/dev-reports] [--show]

The gold records of the development set have no names, so the persons each report names were counted by hand
(``HAND_COUNTED``: report id → how many persons the text names); the script compares the proposals with those
counts, report by report, and counts proposals on the reports that name nobody (false proposals). Names are
printed only with ``--show`` (they are real victims' names: never paste them into the repository).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from incidents.extract import extract_candidates

#: report id → persons the text names (counted by hand on 2026-12-07; see bench/RESULTS.md)
HAND_COUNTED = {"004": 2, "022": 1, "033": 2}


def main() -> None:
    """Print per report: persons named by hand, proposed, with an age, with a relation; then the totals."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parents[2] / "shared/eval/dev-reports"))
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    totals = {"hand": 0, "proposed": 0, "false": 0, "reports": 0}
    for path in sorted(Path(args.dir).glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        published = date.fromisoformat(report["published"]) if report.get("published") else None
        candidates = extract_candidates(report["text"], published=published, source=report["source_name"],
                                        url=report.get("url"))
        proposed = [(c.place_text, v) for c in candidates for v in c.victims]
        hand = HAND_COUNTED.get(report["id"], 0)
        totals["reports"] += 1
        totals["hand"] += hand
        totals["proposed"] += len(proposed)
        totals["false"] += max(0, len(proposed) - hand)
        if hand or proposed:
            ages = sum(v.age is not None for _, v in proposed)
            relations = sum(v.relation is not None for _, v in proposed)
            print(f"{report['id']}: named {hand}, proposed {len(proposed)} (age {ages}, relation {relations})")
            if args.show:
                for place, victim in proposed:
                    print(f"    {victim.name} → {place}: {victim.to_dict()}")
    print(f"RESULT named_victims reports={totals['reports']} named={totals['hand']} proposed={totals['proposed']} "
          f"over={totals['false']}")


if __name__ == "__main__":
    main()
