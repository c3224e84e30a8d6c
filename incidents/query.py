"""Selecting incidents for a user and a filter: what exports and the incident table start from."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from incidents.filters import Filter
from incidents.frame import build_frame
from incidents.records import Incident
from incidents.store import Store
from incidents.users import User, require


def visible_filter(user: User, chosen: Filter) -> Filter:
    """Return ``chosen`` narrowed to what ``user`` may see (viewers: published records only)."""
    if user.sees_unpublished:
        return chosen
    return replace(chosen, statuses=("published",))


def load_frame(store: Store, gazetteer=None) -> pd.DataFrame:
    """Return the incident frame of the whole store (see :func:`incidents.frame.build_frame`)."""
    variants = gazetteer.place_variants if gazetteer is not None and hasattr(gazetteer, "place_variants") else None
    return build_frame(store.load_incident_table(), store.load_claim_table(), variants)


def select_incidents(store: Store, user: User, chosen: Filter, gazetteer=None) -> list[Incident]:
    """Return the incidents (with claims) that ``user`` may see and that pass ``chosen``."""
    require(user, "export")
    effective = visible_filter(user, chosen)
    if effective == Filter(gradings=()):
        return store.list_incidents()
    frame = load_frame(store, gazetteer)
    uids = frame.loc[effective.mask(frame), "uid"].tolist()
    return store.list_incidents(uids)
