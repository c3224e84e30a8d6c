"""Which records a combined record may cover: the links that keep every death counted once.

A combined record (one toll for several events) counts what it adds beyond the recorded incidents it covers (its
parts; README "How totals are counted"). That rule is only sound when the links form plain groups:

- a combined record covers recorded incidents, never another combined record (a combined record covering a
  combined record, or two covering each other, made the totals count some deaths twice or drop a whole group);
- an incident is a part of at most one combined record (two combined records covering the same incident would each
  subtract it: two figures for one group of events are two claims of one combined record);
- a record does not cover itself.

Cumulative records (tolls over a period) are context and never summed: their ``covers`` are not constrained.
Pure logic: the service and the importer give the records being written and the stored ones they touch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from incidents.domain.validation import Problem

COMBINED = "combined"


@dataclass(frozen=True)
class Link:
    """A record's uid, kind and the uids its ``covers`` lists."""

    uid: str
    kind: str
    covers: tuple[str, ...] = ()


def coverage_problems(incoming: Iterable[Link], stored: Mapping[str, Link]) -> dict[str, list[Problem]]:
    """Return the problems of each incoming record (by uid) once it is written beside ``stored``.

    ``stored`` holds the stored records that matter: every combined record, and each record an incoming one
    covers (an incoming record replaces the stored one of the same uid). Only incoming records get problems: a
    stored record is never blamed for what a new one does.
    """
    arriving = {link.uid: link for link in incoming}
    view = {**stored, **arriving}
    covering = _covering(view.values())
    problems: dict[str, list[Problem]] = {}
    for link in arriving.values():
        found = _problems_of(link, view, covering)
        if found:
            problems[link.uid] = found
    return problems


def _covering(links: Iterable[Link]) -> dict[str, list[str]]:
    """Each covered uid → the combined records that cover it."""
    covering: dict[str, list[str]] = {}
    for link in links:
        if link.kind == COMBINED:
            for uid in dict.fromkeys(link.covers):
                covering.setdefault(uid, []).append(link.uid)
    return covering


def _problems_of(link: Link, view: Mapping[str, Link], covering: Mapping[str, list[str]]) -> list[Problem]:
    if link.kind != COMBINED:
        return []
    problems = []
    if link.uid in link.covers:
        problems.append(Problem.said("covers", "problems.covers_itself", uid=link.uid))
    nested = [uid for uid in dict.fromkeys(link.covers) if uid != link.uid and view.get(uid, Link(uid, "")).kind
              == COMBINED]
    if nested:
        problems.append(Problem.said("covers", "problems.covers_combined", uid=link.uid, uids=", ".join(nested)))
    owners = [uid for uid in covering.get(link.uid, []) if uid != link.uid]
    if owners:
        problems.append(Problem.said("record_kind", "problems.covered_combined", uid=link.uid,
                                     owners=", ".join(owners)))
    shared = {uid: [o for o in covering.get(uid, []) if o != link.uid] for uid in dict.fromkeys(link.covers)}
    for uid, others in shared.items():
        if others:
            problems.append(Problem.said("covers", "problems.already_covered", uid=uid, owners=", ".join(others)))
    return problems
