"""The incident frame: one row per incident with what filters, maps, charts and tables need.

Built from the stored incidents and claims (and the gazetteer's spelling variants for search); cached at the
UI edge keyed on the store's data version. Treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from incidents import taxonomy
from incidents.search import search_key

TOLLS = ("killed_min", "killed_max", "killed_best", "injured_min", "injured_max", "children_killed",
         "women_killed")
CATEGORICAL = ("actor", "event_type", "grading", "status", "civilians", "date_precision", "location_precision",
               "actor_certainty")


def build_frame(incidents: pd.DataFrame, claims: pd.DataFrame,
                place_variants: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Return the incident frame.

    Parameters
    ----------
    incidents
        Rows of the ``incidents`` table (``Store.load_incident_table``).
    claims
        Rows of the ``claims`` table with ``incident_uid`` (``Store.load_claim_table``).
    place_variants
        ``place_id → text`` of the place's other spellings (from the gazetteer), added to the search text.

    Returns
    -------
    pandas.DataFrame
        Incident columns plus ``n_claims``, ``source_names``, ``source_kinds`` and ``languages`` (``|a|b|``
        token strings), ``first_published``, ``report_delay_days``, ``killed_max_or_min``,
        ``killed_best_or_min`` and ``search``.
    """
    frame = incidents.drop(columns=[c for c in ("id", "deleted_at", "deleted_by", "merged_into")
                                    if c in incidents.columns]).copy()
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column])
    for column in TOLLS:
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
    frame["search"] = _search_column(frame, place_variants)
    frame = frame.drop(columns=["quotes"])
    for column in CATEGORICAL:
        frame[column] = pd.Categorical(frame[column], categories=_categories(column))
    return frame.reset_index(drop=True)


def _categories(column: str) -> list[str]:
    vocabulary = {"actor": "actor", "event_type": "event_type"}.get(column, column)
    return list(taxonomy.codes(vocabulary))


def _tokens(values: pd.Series) -> str:
    present = sorted({str(v) for v in values if isinstance(v, str) and v})
    return "|" + "|".join(present) + "|" if present else ""


def _claim_summary(claims: pd.DataFrame) -> pd.DataFrame:
    columns = ["n_claims", "source_names", "source_kinds", "languages", "first_published", "quotes"]
    if claims.empty:
        return pd.DataFrame(columns=columns).astype({"first_published": "datetime64[ns]"})
    claims = claims.assign(published=pd.to_datetime(claims["published"]))
    grouped = claims.groupby("incident_uid", sort=False)
    summary = pd.DataFrame({
        "n_claims": grouped.size(),
        "source_names": grouped["source_name"].agg(lambda s: "; ".join(dict.fromkeys(s))),
        "source_kinds": grouped["source_kind"].agg(_tokens),
        "languages": grouped["language"].agg(_tokens),
        "first_published": grouped["published"].min(),
        "quotes": grouped["quote"].agg(" ".join),
    })
    return summary


def _search_column(frame: pd.DataFrame, place_variants: Callable[[str], str] | None) -> pd.Series:
    parts = frame[["place_text", "place_name_ar", "place_name_en", "description", "quotes", "source_names"]]
    text = parts.fillna("").astype(str).agg(" ".join, axis=1)
    keys = text.map(search_key)
    if place_variants is not None:
        variants = {p: search_key(place_variants(p)) for p in frame["place_id"].dropna().unique()}
        keys = keys + " " + frame["place_id"].map(lambda p: variants.get(p, "")).astype(str)
    return " " + keys + " " if len(keys) else pd.Series([], dtype=object)


def empty_frame() -> pd.DataFrame:
    """Return a frame with the right columns and no rows."""
    return build_frame(pd.DataFrame(columns=_INCIDENT_TABLE_COLUMNS), pd.DataFrame(
        columns=["incident_uid", "source_name", "source_kind", "language", "published", "quote"]))


_INCIDENT_TABLE_COLUMNS = [
    "uid", "date_start", "date_end", "date_precision", "place_id", "place_text", "place_name_ar", "place_name_en",
    "lat", "lon", "location_precision", "admin1", "admin2", "admin3", "event_type", "actor", "actor_certainty",
    "target", "killed_min", "killed_max", "killed_best", "injured_min", "injured_max", "civilians",
    "children_killed", "women_killed", "figures_rule", "figures_reason", "grading", "status", "description",
    "tags", "toll_group", "shared_toll", "version", "created_at", "updated_at", "created_by", "updated_by",
]
