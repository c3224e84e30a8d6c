"""A vectorised equivalent of :func:`incidents.frame.build_frame`: the change this benchmark proposes.

The product's ``build_frame`` spends its time in three Python-level loops (profile in ``bench/RESULTS.md``):
``_claim_summary`` runs four ``groupby(...).agg(lambda ...)`` calls (a Python call and an Arrow slice per
incident), ``_search_column`` joins six columns row by row (``DataFrame.agg(" ".join, axis=1)``), and every
row's joined text goes through :func:`incidents.search.search_key` once. This module computes the same frame
with

* the claim summary from claims sorted by incident: sizes and minima by ``groupby`` reductions, the
  ``|a|b|`` token columns from a per-incident bit mask (``np.bitwise_or.reduceat``), and the joined names and
  quotes by ``pyarrow.compute.binary_join`` over list arrays built from offsets (no Python per incident);
* the search key per *distinct value* of each part (place text, names, description, quotes, source names,
  variants), joined column-wise. ``search_key`` is word-wise, so the key of the joined text equals the joined
  keys of its parts (the one exception: NFKC folding of Arabic presentation forms is applied by
  ``geodata.normalise`` to a whole string at once, so one part's presentation forms would fold a
  compatibility character in another part; the bench checks equality on its data).

:func:`check_equal` asserts that both builders give the same frame; the bench runs it before using this one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from incidents import frame as product
from incidents.search import search_key

_SEARCH_PARTS = ("place_text", "place_name_ar", "place_name_en", "description", "quotes", "source_names")


def build_frame(incidents: pd.DataFrame, claims: pd.DataFrame,
                place_variants: Callable[[str], str] | None = None, **_options: object) -> pd.DataFrame:
    """Return the incident frame, as :func:`incidents.frame.build_frame` does, without per-row Python.

    Parameters
    ----------
    incidents, claims, place_variants
        As for :func:`incidents.frame.build_frame`; other keyword options of newer versions are ignored.
    """
    frame = incidents.drop(columns=[c for c in ("id", "deleted_at", "deleted_by", "merged_into")
                                    if c in incidents.columns]).copy()
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    for column in (*product.TOLLS, "lat", "lon"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame = frame.merge(claim_summary(claims), how="left", left_on="uid", right_index=True)
    frame["n_claims"] = frame["n_claims"].fillna(0).astype(int)
    for column in ("source_names", "source_kinds", "languages", "quotes"):
        frame[column] = frame[column].fillna("")
    frame["report_delay_days"] = (frame["first_published"] - frame["date_start"]).dt.days
    frame["killed_max_or_min"] = frame["killed_max"].fillna(frame["killed_min"])
    frame["killed_best_or_min"] = frame["killed_best"].fillna(frame["killed_min"])
    frame["search"] = search_column(frame, place_variants)
    frame = frame.drop(columns=["quotes"])
    for column in product.CATEGORICAL:
        frame[column] = pd.Categorical(frame[column], categories=product._categories(column))
    return frame.reset_index(drop=True)


def _joined(keys: np.ndarray, values: pd.Series, starts: np.ndarray, sep: str) -> np.ndarray:
    """Join ``values`` (sorted by group) per group with ``sep``; groups start at ``starts``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = np.append(starts, len(values)).astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(values.astype(object).tolist(), pa.string()))
    return np.asarray(pc.binary_join(lists, sep).to_pylist(), dtype=object)


def _tokens(groups: np.ndarray, values: pd.Series, size: int) -> np.ndarray:
    """The sorted distinct non-empty values of each group as ``|a|b|`` ("" when none), via a bit mask."""
    present = values.notna().to_numpy() & (values.astype(object).fillna("").to_numpy() != "")
    vocabulary = sorted({str(v) for v in values[present].unique()})
    if not vocabulary:
        return np.full(size, "", dtype=object)
    codes = pd.Categorical(values[present].astype(str), categories=vocabulary).codes.astype(np.uint64)
    masks = np.zeros(size, dtype=np.uint64)
    np.bitwise_or.at(masks, groups[present], np.left_shift(np.uint64(1), codes))
    labels = {}
    for mask in np.unique(masks):
        chosen = [vocabulary[i] for i in range(len(vocabulary)) if int(mask) >> i & 1]
        labels[int(mask)] = "|" + "|".join(chosen) + "|" if chosen else ""
    return np.asarray([labels[m] for m in masks.tolist()], dtype=object)


def claim_summary(claims: pd.DataFrame) -> pd.DataFrame:
    """Return the per-incident claim summary of :func:`incidents.frame._claim_summary`, vectorised."""
    if claims.empty:
        return product._claim_summary(claims)
    claims = claims.assign(published=pd.to_datetime(claims["published"]))
    order = np.argsort(pd.factorize(claims["incident_uid"])[0], kind="stable")
    ordered = claims.iloc[order].reset_index(drop=True)
    codes, uids = pd.factorize(ordered["incident_uid"])
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    names = ordered[["incident_uid", "source_name"]].drop_duplicates()
    name_starts = np.flatnonzero(np.r_[True, names["incident_uid"].to_numpy()[1:] != names["incident_uid"].to_numpy()[:-1]])
    summary = pd.DataFrame({
        "n_claims": np.diff(np.append(starts, len(ordered))),
        "source_names": _joined(codes, names["source_name"], name_starts, "; "),
        "source_kinds": _tokens(codes, ordered["source_kind"], len(uids)),
        "languages": _tokens(codes, ordered["language"], len(uids)),
        "first_published": ordered.groupby(codes, sort=True)["published"].min().to_numpy(),
        "quotes": _joined(codes, ordered["quote"], starts, " "),
    }, index=pd.Index(uids, name="incident_uid"))
    return summary


def _keys(values: pd.Series) -> pd.Series:
    """Search keys of a column, computed once per distinct value."""
    text = values.fillna("").astype(str)
    distinct = pd.unique(text.to_numpy(dtype=object))
    table = {v: search_key(v) for v in distinct}
    return text.map(table)


def search_column(frame: pd.DataFrame, place_variants: Callable[[str], str] | None) -> pd.Series:
    """Return the ``search`` column of :func:`incidents.frame._search_column`, keyed per distinct part."""
    if not len(frame):
        return pd.Series([], dtype=object)
    parts = [_keys(frame[name]) for name in _SEARCH_PARTS]
    if place_variants is not None:
        variants = frame["place_id"].map(lambda p: place_variants(p) if isinstance(p, str) else "")
        parts.append(_keys(variants))
    joined = pd.Series([" ".join(k for k in keys if k) for keys in zip(*[p.to_numpy(dtype=object) for p in parts],
                                                                          strict=True)], index=frame.index)
    return " " + joined + " "


def check_equal(incidents: pd.DataFrame, claims: pd.DataFrame,
                place_variants: Callable[[str], str] | None = None) -> str | None:
    """Return None if both builders give the same frame on these rows, else the first difference."""
    expected = product.build_frame(incidents, claims, place_variants)
    got = build_frame(incidents, claims, place_variants)
    try:
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_column_type=False)
    except AssertionError as error:
        return str(error).splitlines()[0] + " " + " ".join(str(error).splitlines()[1:4])
    return None
