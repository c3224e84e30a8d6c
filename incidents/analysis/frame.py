"""The incident frame: one row per incident with what filters, maps, charts and tables need.

Built from the stored incidents and claims (and the gazetteer's spelling variants for search); cached at the
UI edge keyed on the store's data version. Treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from incidents.domain import taxonomy
from incidents.domain.records import INCIDENT_FIGURES, Incident

_SEARCH_PARTS = ("place_text", "place_name_ar", "place_name_en", "description", "quotes", "source_names")
CATEGORICAL = ("actor", "event_type", "grading", "status", "civilians", "date_precision", "location_precision",
               "actor_certainty")
#: location precision → the admin column that locates such an incident
AREA_LEVELS = {"subdistrict": "admin3", "district": "admin2", "governorate": "admin1"}


def build_frame(incidents: pd.DataFrame, claims: pd.DataFrame,
                place_variants: Callable[[str], str] | None = None, *, with_search: bool = True) -> pd.DataFrame:
    """Return the incident frame.

    Parameters
    ----------
    incidents
        Rows of the ``incidents`` table (``Store.load_incident_table``).
    claims
        Rows of the ``claims`` table with ``incident_uid`` (``Store.load_claim_table``).
    place_variants
        ``place_id → text`` of the place's other spellings (from the gazetteer), added to the search text.
    with_search
        Compute the ``search`` column (:func:`search_column`; about a second per million incidents).

    Returns
    -------
    pandas.DataFrame
        Incident columns plus ``n_claims``, ``source_names``, ``source_kinds`` and ``languages`` (``|a|b|``
        token strings), ``first_published``, ``report_delay_days``, ``killed_max_or_min``,
        ``killed_best_or_min``, ``quotes`` (every claim's sentence) and ``search`` (unless ``with_search`` is
        False).
    """
    frame = incidents.drop(columns=[c for c in ("id", "deleted_at", "deleted_by", "merged_into")
                                    if c in incidents.columns]).copy()
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    for column in INCIDENT_FIGURES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("lat", "lon"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame = frame.merge(_claim_summary(claims), how="left", left_on="uid", right_index=True)
    frame["n_claims"] = frame["n_claims"].fillna(0).astype(int)
    for column in ("source_names", "source_kinds", "languages", "quotes"):
        frame[column] = frame[column].fillna("")
    frame["report_delay_days"] = (frame["first_published"] - frame["date_start"]).dt.days
    frame["killed_max_or_min"] = frame["killed_max"].fillna(frame["killed_min"])
    frame["killed_best_or_min"] = frame["killed_best"].fillna(frame["killed_min"])
    if with_search:
        frame["search"] = search_column(frame, place_variants)
    for column in CATEGORICAL:
        frame[column] = pd.Categorical(frame[column], categories=_categories(column))
    return frame.reset_index(drop=True)


def _categories(column: str) -> list[str]:
    vocabulary = {"actor": "actor", "event_type": "event_type"}.get(column, column)
    return list(taxonomy.codes(vocabulary))


def _group_starts(codes: np.ndarray) -> np.ndarray:
    """Start offsets of the runs of equal values in sorted ``codes``."""
    return np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.array([], dtype=int)


def _joined(values: pd.Series, starts: np.ndarray, sep: str) -> np.ndarray:
    """Join ``values`` per group (groups are runs starting at ``starts``) with ``sep``, without a Python loop
    per group (pyarrow list arrays)."""
    offsets = pa.array(np.append(starts, len(values)).astype(np.int64), pa.int64())
    items = pa.array(values.fillna("").astype(str).tolist(), pa.large_string())
    lists = pa.LargeListArray.from_arrays(offsets, items)
    return np.asarray(pc.binary_join(lists, pa.scalar(sep, pa.large_string())).to_pylist(), dtype=object)


def _tokens(codes: np.ndarray, values: pd.Series, size: int) -> np.ndarray:
    """Per group, the sorted distinct non-empty values as ``|a|b|`` ("" when none)."""
    result = np.full(size, "", dtype=object)
    text = values.fillna("").astype(str).to_numpy(dtype=object)
    for value in sorted(set(text) - {""}):
        present = np.zeros(size, dtype=bool)
        present[codes[text == value]] = True
        result = np.where(present, result + value + "|", result)
    return np.where(result != "", "|" + result, result)


def _claim_summary(claims: pd.DataFrame) -> pd.DataFrame:
    columns = ["n_claims", "source_names", "source_kinds", "languages", "first_published", "quotes"]
    if claims.empty:
        return pd.DataFrame(columns=columns).astype({"first_published": "datetime64[ns]"})
    claims = claims.assign(published=pd.to_datetime(claims["published"]))
    codes, uids = pd.factorize(claims["incident_uid"])
    order = np.argsort(codes, kind="stable")  # claims in stored order within each incident
    ordered, codes = claims.iloc[order].reset_index(drop=True), codes[order]
    starts = _group_starts(codes)
    names = ordered.assign(code=codes).drop_duplicates(["code", "source_name"])
    return pd.DataFrame({
        "n_claims": np.diff(np.append(starts, len(ordered))),
        "source_names": _joined(names["source_name"], _group_starts(names["code"].to_numpy()), "; "),
        "source_kinds": _tokens(codes, ordered["source_kind"], len(uids)),
        "languages": _tokens(codes, ordered["language"], len(uids)),
        "first_published": ordered.groupby(codes, sort=True)["published"].min().to_numpy(),
        "quotes": _joined(ordered["quote"], starts, " "),
    }, index=pd.Index(uids, name="incident_uid"))


def _part_keys(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a text column and the search key of each distinct value (places and sources repeat a lot)."""
    from incidents.analysis.search import search_key  # the normaliser loads only when somebody searches

    codes, uniques = pd.factorize(values.fillna("").astype(str))
    keys = np.asarray([search_key(value) for value in uniques], dtype=object)
    return codes, keys


def _combined(codes: list[np.ndarray]) -> np.ndarray:
    """Codes of the distinct combinations of several code columns (pairwise, hash-based: no sort)."""
    combined = codes[0].astype(np.int64)
    for more in codes[1:]:
        combined, _ = pd.factorize(combined * (int(more.max()) + 1) + more)
    return np.asarray(combined, dtype=np.int64)


def search_column(frame: pd.DataFrame, place_variants: Callable[[str], str] | None = None) -> pd.Series:
    """Return the text free-text search looks in, per row of ``frame``: the skeleton of every word of the place
    names, description, quotes and source names (and the place's other spellings), padded with spaces.

    See :mod:`incidents.analysis.search`. Aligned with ``frame``'s index, and categorical: rows that share every part
    (the same place, description, quotes and sources) share one string, so the keys are computed and joined
    once per distinct value and a search looks at each distinct string once.
    """
    if not len(frame):
        return pd.Series([], dtype=object)
    parts = [_part_keys(frame[name]) for name in _SEARCH_PARTS if name in frame.columns]
    if place_variants is not None:
        from incidents.analysis.search import search_key

        ids, uniques = pd.factorize(frame["place_id"].fillna("").astype(str))
        parts.append((ids, np.asarray([search_key(place_variants(p)) if p else "" for p in uniques], dtype=object)))
    combination = _combined([codes for codes, _ in parts])
    example = np.empty(int(combination.max()) + 1, dtype=np.int64)
    example[combination] = np.arange(len(combination))  # any row of each combination: they share every part
    texts = [" " + " ".join(words) + " " for words in zip(*(keys[codes[example]] for codes, keys in parts),
                                                           strict=True)]
    distinct, strings = pd.factorize(np.asarray(texts, dtype=object))
    return pd.Series(pd.Categorical.from_codes(distinct[combination], categories=pd.Index(strings, dtype=str)),
                     index=frame.index)


def empty_frame() -> pd.DataFrame:
    """Return a frame with the right columns and no rows."""
    return build_frame(pd.DataFrame(columns=_INCIDENT_TABLE_COLUMNS), pd.DataFrame(
        columns=["incident_uid", "source_name", "source_kind", "language", "published", "quote"]))


#: Incident fields the read side never loads: deletion, import provenance, unmapped cells and the claims (a table
#: of their own).
_NOT_LOADED = frozenset({"deleted_at", "imported_from", "external_source", "external_id", "extra", "claims"})
#: Columns of an empty incident table: the record's own fields, uid first.
_INCIDENT_TABLE_COLUMNS = ["uid", *(f.name for f in fields(Incident) if f.name != "uid" and f.name not in _NOT_LOADED)]


# -- preparing the frame (once per data version) -----------------------------------------------------------


def prepare_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` sorted newest first, with where each incident is drawn and a few derived columns.

    Parameters
    ----------
    frame
        The incident frame (:func:`build_frame`); not modified.

    Returns
    -------
    pandas.DataFrame
        A new frame. ``place_key`` (categorical) is where the incident is drawn: an admin P-code for area
        incidents, the gazetteer place id, or ``pt:lat,lon``; missing for unmapped incidents.
        ``place_shape`` is "area", "point" or missing. ``killed_open`` marks incidents whose maximum is
        open (a source said "more than N"); ``toll_code`` numbers the groups of a toll shared by several
        places (-1: not shared); ``date_last`` is the end date, or the start date when there is none.
        Admin codes, the ``|a|b|`` token columns and ``search`` are categorical (filters look at each distinct
        value once).
    """
    out = frame.sort_values(["date_start", "uid"], ascending=[False, True], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    keys, shapes = _place_keys(out)
    out["place_key"] = pd.Categorical(keys)
    out["place_shape"] = pd.Categorical(shapes, categories=["point", "area"])
    out["killed_open"] = (out["killed_max"].isna() & out["killed_min"].notna()).to_numpy()
    shared = out["shared_toll"].fillna(False).astype(bool) & out["toll_group"].notna()
    out["toll_code"] = np.where(shared, pd.factorize(out["toll_group"].where(shared))[0], -1)
    out["date_last"] = out["date_end"].fillna(out["date_start"])
    for column in ("admin1", "admin2", "admin3", "source_kinds", "languages", "search"):
        if column in out.columns and not isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = pd.Categorical(out[column])
    return out


def _place_keys(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(frame)
    keys = np.full(n, None, dtype=object)
    shapes = np.full(n, None, dtype=object)
    precision = frame["location_precision"].astype(object).to_numpy()
    has_point = (frame["lat"].notna() & frame["lon"].notna()).to_numpy()
    rounded = frame["lat"].round(4).astype(str) + "," + frame["lon"].round(4).astype(str)
    point_keys = np.where(frame["place_id"].notna(), frame["place_id"].astype(object), "pt:" + rounded)
    point_rows = has_point | frame["place_id"].notna().to_numpy()
    keys[point_rows] = point_keys[point_rows]
    shapes[point_rows] = "point"
    for level, column in AREA_LEVELS.items():
        codes = frame[column].to_numpy(dtype=object)
        rows = (precision == level) & pd.notna(codes)
        keys[rows] = codes[rows]
        shapes[rows] = "area"
    return keys, shapes
