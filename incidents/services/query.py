"""Selecting incidents for a user and a filter: what exports and the incident table start from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from incidents.analysis.filters import Filter
from incidents.analysis.frame import build_frame
from incidents.domain.records import Incident
from incidents.domain.users import User, require
from incidents.storage.store import Store


def visible_filter(user: User, chosen: Filter) -> Filter:
    """Return ``chosen`` narrowed to what ``user`` may see (viewers: published records only)."""
    if user.sees_unpublished:
        return chosen
    return replace(chosen, statuses=("published",))


def place_variants(gazetteer) -> Callable[[str], str]:
    """Return ``place_id → every spelling of the place`` from the gazetteer (for free-text search)."""

    def variants(place_id: str) -> str:
        place = gazetteer.get(place_id)
        if place is None:
            return ""
        return " ".join(n for n in (place.name_ar, place.name_en, *place.alt_names) if n)

    return variants


def load_frame(store: Store, gazetteer=None) -> pd.DataFrame:
    """Return the incident frame of the whole store (see :func:`incidents.analysis.frame.build_frame`)."""
    variants = place_variants(gazetteer) if gazetteer is not None else None
    return build_frame(store.load_incident_table(), store.load_claim_table(), variants)


def count_selection(store: Store, user: User, chosen: Filter, gazetteer=None, duplicate_limit: int = 200):
    """Return what ``chosen`` counts for ``user`` (:class:`incidents.analysis.counting.Counting`: the sentence an export's
    header carries), undecided possible duplicates included."""
    from incidents.analysis.counting import DUPLICATE_CHECK_MAX, count_totals
    from incidents.analysis.frame import prepare_frame
    from incidents.services import dedupe

    frame = prepare_frame(load_frame(store, gazetteer))
    if len(frame) > DUPLICATE_CHECK_MAX:  # too large to search on every export: the header says so
        return count_totals(frame, visible_filter(user, chosen), duplicates=None)
    pairs = dedupe.find_possible_duplicates(frame, dedupe.load_decided_pairs(store), limit=duplicate_limit)
    return count_totals(frame, visible_filter(user, chosen), duplicates=[p.pair for p in pairs],
                        duplicates_capped=len(pairs) >= duplicate_limit)


def select_incidents(store: Store, user: User, chosen: Filter, gazetteer=None) -> list[Incident]:
    """Return the incidents (with claims) that ``user`` may see and that pass ``chosen``."""
    require(user, "export")
    effective = visible_filter(user, chosen)
    if effective == Filter(gradings=(), include_drafts=True):
        return store.list_incidents()
    frame = load_frame(store, gazetteer)
    uids = frame.loc[effective.mask(frame), "uid"].tolist()
    return store.list_incidents(uids)
