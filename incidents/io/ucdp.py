"""UCDP Georeferenced Event Dataset (GED) tables, read and written.

Stated rules (README, "ACLED and UCDP"):

* ``low`` = minimum killed, ``high`` = maximum killed (the minimum when the maximum is open),
  ``best`` = the incident's best estimate (else the minimum);
* ``deaths_civilians`` = ``best`` when the victims are civilians, else ``deaths_unknown`` = ``best``;
* an unknown toll leaves every deaths column blank (never 0: UCDP's 0 means "nobody was killed");
* ``where_prec`` 1 exact/village/neighbourhood, 2 sub-district, 3 district, 4 governorate, 6 unknown;
* ``date_prec`` 1 a day, 3 a week, 4 a month, 5 a year or unknown;
* ``type_of_violence`` from the event type: clashes 1 (state-based), attacks on civilians 3 (one-sided).
"""

from __future__ import annotations

from incidents.domain import taxonomy
from incidents.domain.records import Incident
from incidents.domain.validation import is_blank
from incidents.io.actors_match import match_external_actor

COLUMNS = (
    "id", "year", "type_of_violence", "conflict_name", "side_a", "side_b", "number_of_sources",
    "source_article", "source_date", "source_headline", "where_prec", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "country", "country_id", "region", "event_clarity", "date_prec", "date_start",
    "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
)
SIGNATURE = {"type_of_violence", "best", "where_prec"}

_WHERE_PREC = {"exact": 1, "village": 1, "neighbourhood": 1, "subdistrict": 2, "district": 3, "governorate": 4,
               "unknown": 6}
_WHERE_PREC_IN = {"1": "village", "2": "subdistrict", "3": "district", "4": "governorate", "5": "unknown",
                  "6": "unknown", "7": "unknown"}
_DATE_PREC = {"day": 1, "week": 3, "month": 4, "year": 5, "unknown": 5}
_DATE_PREC_IN = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
_VIOLENCE_IN = {"1": "armed_clash", "2": "armed_clash", "3": "attack"}


def from_row(row: dict) -> dict:
    """Return our flat row for one UCDP GED row."""
    text = {k: (None if is_blank(v) else str(v).strip()) for k, v in row.items()}
    civilians = text.get("deaths_civilians")
    best = text.get("best")
    all_civilian = civilians is not None and best is not None and civilians == best and best != "0"
    headline = text.get("source_headline")
    return {
        "external_source": "ucdp", "external_id": text.get("id"),
        "date_start": (text.get("date_start") or "")[:10] or None,
        "date_end": (text.get("date_end") or "")[:10] or None,
        "date_precision": _DATE_PREC_IN.get(text.get("date_prec") or "", "unknown"),
        "event_type": _VIOLENCE_IN.get(text.get("type_of_violence") or "", "other"),
        "actor": match_external_actor(text.get("side_a")),
        "target": text.get("side_b"),
        "place_text": text.get("where_description") or text.get("adm_2"),
        "lat": text.get("latitude"), "lon": text.get("longitude"),
        "location_precision": _WHERE_PREC_IN.get(text.get("where_prec") or "", "unknown"),
        "killed_min": text.get("low"), "killed_max": text.get("high"), "killed_best": best,
        "civilians": "yes" if all_civilian else "unknown",
        "description": headline,
        "tags": "ucdp",
        "source_name": f"UCDP GED: {text.get('source_article') or 'source not named'}",
        "source_kind": "other",
        "source_published": (text.get("source_date") or "")[:10] or None,
        "quote": headline or text.get("source_article") or f"UCDP GED event {text.get('id') or '(no id)'}",
        "__area__": (text.get("country"), text.get("adm_1")),
    }


def to_row(incident: Incident, admin_name) -> dict:
    """Return the UCDP-GED-shaped row of ``incident``."""
    low = incident.killed_min
    high = incident.killed_max if incident.killed_max is not None else low
    best = incident.killed_best if incident.killed_best is not None else low
    violence = int(str(taxonomy.event_types()[incident.event_type].get("ucdp_type_of_violence", 3)))
    first = incident.claims[0] if incident.claims else None
    return {
        "id": incident.uid, "year": incident.date_start.year if incident.date_start else None,
        "type_of_violence": violence, "conflict_name": "Syria",
        "side_a": taxonomy.actors()[incident.actor].name_en, "side_b": incident.target or (
            "Civilians" if incident.civilians == "yes" else None),
        "number_of_sources": len(incident.claims),
        "source_article": "; ".join(dict.fromkeys(c.source_name for c in incident.claims)),
        "source_date": first.published.isoformat() if first and first.published else None,
        "source_headline": incident.description,
        "where_prec": _WHERE_PREC[incident.location_precision],
        "where_description": incident.place_name_en or incident.place_text,
        "adm_1": admin_name(incident.admin1)[1] if incident.admin1 else None,
        "adm_2": admin_name(incident.admin2)[1] if incident.admin2 else None,
        "latitude": incident.lat, "longitude": incident.lon,
        "country": "Syria", "country_id": 652, "region": "Middle East", "event_clarity": 1,
        "date_prec": _DATE_PREC[incident.date_precision],
        "date_start": incident.date_start.isoformat() if incident.date_start else None,
        "date_end": (incident.date_end or incident.date_start).isoformat() if incident.date_start else None,
        **_deaths(best, incident.civilians == "yes"),
        "best": best, "high": high, "low": low,
    }


def _deaths(best: int | None, civilians: bool) -> dict:
    """Return the deaths columns: ``best`` split by who died, every column blank when the toll is unknown."""
    if best is None:
        return dict.fromkeys(("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"))
    return {"deaths_a": 0, "deaths_b": 0, "deaths_civilians": best if civilians else 0,
            "deaths_unknown": 0 if civilians else best}
