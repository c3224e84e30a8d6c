"""Derive an incident's figures from its claims.

The stated rule (README, "How figures are derived"): for each toll, the incident's minimum is the lowest
minimum any source gave and its maximum the highest maximum; a maximum stays open (None) when any source
gave a minimum without a maximum ("more than 100"), because then no source bounds it. Children and women
killed take the highest count a source stated (each is a count of named victims, a floor). The best
estimate is the middle source's minimum (the lower median), so it is always a figure a source gave.
Conflicting figures are never overwritten: they stay on the claims, side by side.

Named victims (#18) are a floor: an incident's killed minimum, best estimate and (closed) maximum are at least
the number of distinct persons named as killed, its injured figures at least those named as injured only; and
children and women killed are counted from the named victims where no source gives a count
(:func:`floor_named`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from incidents.domain.records import CLAIM_FIGURES, INCIDENT_FIGURES, Claim

#: The incident fields the figures rule sets (what :func:`derive_figures` returns; an edit of any of them is
#: an edit of the figures).
DERIVED_FIELDS = (*INCIDENT_FIGURES, "civilians")

RULE_DESCRIPTION = (
    "lowest minimum and highest maximum over all claims (open maximum if any claim is open); "
    "children/women: highest stated count; best estimate: the middle claim's minimum; "
    "named victims are a floor for killed and injured, and give children/women where no source counts them"
)


@dataclass(frozen=True)
class NamedCounts:
    """Distinct persons an incident's named victims hold (each person once, however many sources name them)."""

    killed: int = 0
    injured: int = 0  # named as injured and never as killed
    children_killed: int = 0
    women_killed: int = 0


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


def derive_figures(claims: Sequence[Claim], named: NamedCounts | None = None) -> Figures:
    """Return the incident figures implied by ``claims`` (and its named victims) under the stated rule.

    Parameters
    ----------
    claims
        The incident's claims, each with that source's own figures.
    named
        What the incident's named victims count (None or empty: nobody named).

    Returns
    -------
    Figures
        Derived tolls; ``civilians`` is "yes"/"no" only when every source that said anything agrees.
    """
    figures = _one_source(claims[0]) if len(claims) == 1 else _from_claims(claims)
    return figures if named is None else floor_named(figures, named)


def _at_least(value: int | None, floor: int) -> int | None:
    """``value`` raised to ``floor`` when there is one (an unknown value becomes the floor)."""
    return value if floor <= 0 else max(value or 0, floor)


def _closed_at_least(high: int | None, floor: int) -> int | None:
    """A maximum raised to ``floor``; an open maximum (None) stays open."""
    return None if high is None else max(high, floor)


def floor_named(figures: Figures, named: NamedCounts) -> Figures:
    """Return ``figures`` with the named victims as a floor (README, "How figures are derived").

    The killed minimum, best estimate and a closed maximum are raised to the persons named as killed (an open
    maximum stays open; a raised maximum means the list is longer than every toll, which is flagged for review);
    the injured figures likewise to the persons named as injured; children and women killed are the named
    counts where no source gives one (a source's count is kept as stated).
    """
    return replace(
        figures, killed_min=_at_least(figures.killed_min, named.killed),
        killed_max=_closed_at_least(figures.killed_max, named.killed),
        killed_best=_at_least(figures.killed_best, named.killed),
        injured_min=_at_least(figures.injured_min, named.injured),
        injured_max=_closed_at_least(figures.injured_max, named.injured),
        children_killed=_count_or_named(figures.children_killed, named.children_killed),
        women_killed=_count_or_named(figures.women_killed, named.women_killed),
    )


def _count_or_named(stated: int | None, named: int) -> int | None:
    return stated if stated is not None or named == 0 else named


def _from_claims(claims: Sequence[Claim]) -> Figures:
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
    checked = (*CLAIM_FIGURES, "civilians", "actor", "event_type", "date_start")
    result: dict[str, list[tuple[str, object]]] = {}
    for name in checked:
        values = [(c.source_name, getattr(c, name)) for c in claims]
        stated = [(s, v) for s, v in values if v not in (None, "", "unknown")]
        if len({v for _, v in stated}) > 1:
            result[name] = stated
    return result
