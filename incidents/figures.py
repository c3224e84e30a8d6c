"""Derive an incident's figures from its claims.

The stated rule (README, "How figures are derived"): for each toll, the incident's minimum is the lowest
minimum any source gave and its maximum the highest maximum; a maximum stays open (None) when any source
gave a minimum without a maximum ("more than 100"), because then no source bounds it. Children and women
killed take the highest count a source stated (each is a count of named victims, a floor). The best
estimate is the middle source's minimum (the lower median), so it is always a figure a source gave.
Conflicting figures are never overwritten: they stay on the claims, side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from incidents.records import Claim

RULE_DESCRIPTION = (
    "lowest minimum and highest maximum over all claims (open maximum if any claim is open); "
    "children/women: highest stated count; best estimate: the middle claim's minimum"
)


@dataclass(frozen=True)
class Figures:
    """An incident's tolls as derived from its claims."""

    killed_min: int | None = None
    killed_max: int | None = None
    killed_best: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    children_killed: int | None = None
    women_killed: int | None = None
    civilians: str = "unknown"

    def as_dict(self) -> dict:
        """Return the figures as a dict keyed like the incident's fields."""
        return dict(self.__dict__)


def _range(pairs: Sequence[tuple[int | None, int | None]]) -> tuple[int | None, int | None]:
    stated = [(lo, hi) for lo, hi in pairs if lo is not None or hi is not None]
    if not stated:
        return None, None
    mins = [lo for lo, _ in stated if lo is not None]
    low = min(mins) if mins else 0
    if any(hi is None for _, hi in stated):
        return low, None
    return low, max(hi for _, hi in stated if hi is not None)


def _highest(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _lower_median(values: Iterable[int | None]) -> int | None:
    known = sorted(v for v in values if v is not None)
    return known[(len(known) - 1) // 2] if known else None


def _civilians(values: Iterable[str]) -> str:
    seen = {v for v in values if v and v != "unknown"}
    return seen.pop() if len(seen) == 1 else "unknown"


def _one_source(claim: Claim) -> Figures:
    """The rule applied to a single claim (most incidents; an import's hot path): its own figures."""
    def bounds(low: int | None, high: int | None) -> tuple[int | None, int | None]:
        if low is None and high is None:
            return None, None
        return (0 if low is None else low), high

    killed_min, killed_max = bounds(claim.killed_min, claim.killed_max)
    injured_min, injured_max = bounds(claim.injured_min, claim.injured_max)
    return Figures(killed_min=killed_min, killed_max=killed_max, killed_best=claim.killed_min,
                   injured_min=injured_min, injured_max=injured_max, children_killed=claim.children_killed,
                   women_killed=claim.women_killed,
                   civilians=claim.civilians if claim.civilians in ("yes", "no") else "unknown")


def derive_figures(claims: Sequence[Claim]) -> Figures:
    """Return the incident figures implied by ``claims`` under the stated rule.

    Parameters
    ----------
    claims
        The incident's claims, each with that source's own figures.

    Returns
    -------
    Figures
        Derived tolls; ``civilians`` is "yes"/"no" only when every source that said anything agrees.
    """
    if len(claims) == 1:
        return _one_source(claims[0])
    killed_min, killed_max = _range([(c.killed_min, c.killed_max) for c in claims])
    injured_min, injured_max = _range([(c.injured_min, c.injured_max) for c in claims])
    return Figures(
        killed_min=killed_min,
        killed_max=killed_max,
        killed_best=_lower_median(c.killed_min for c in claims),
        injured_min=injured_min,
        injured_max=injured_max,
        children_killed=_highest(c.children_killed for c in claims),
        women_killed=_highest(c.women_killed for c in claims),
        civilians=_civilians(c.civilians for c in claims),
    )


def disagreements(claims: Sequence[Claim]) -> dict[str, list[tuple[str, object]]]:
    """Return, per field, the differing values the claims give, as (source name, value) pairs.

    Only fields on which at least two claims state different non-empty values are listed; the detail view
    highlights them.
    """
    checked = ("killed_min", "killed_max", "injured_min", "injured_max", "children_killed", "women_killed",
               "civilians", "actor", "event_type", "date_start")
    result: dict[str, list[tuple[str, object]]] = {}
    for name in checked:
        values = [(c.source_name, getattr(c, name)) for c in claims]
        stated = [(s, v) for s, v in values if v not in (None, "", "unknown")]
        if len({v for _, v in stated}) > 1:
            result[name] = stated
    return result
