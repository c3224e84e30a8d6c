"""ACLED export tables, read and written.

Import reads ACLED's standard export columns; export writes the same shape so records flow back into tools
built for ACLED. Stated rules (README, "ACLED and UCDP"):

* ``fatalities`` = the incident's minimum killed (ACLED records the most conservative figure), left blank when
  unknown (never 0: ACLED's 0 means "nobody was killed");
* ``geo_precision`` 1 for exact/village/neighbourhood, 2 for sub-district/district, 3 for governorate/unknown;
* ``time_precision`` 1 for a day, 2 for a week, 3 for a month, year or unknown;
* ``civilian_targeting`` "Civilian targeting" when the victims are civilians.
"""

from __future__ import annotations

from incidents.domain import taxonomy
from incidents.domain.records import Incident
from incidents.domain.validation import is_blank
from incidents.io.actors_match import match_external_actor

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
SIGNATURE = {"event_id_cnty", "event_date", "fatalities"}

_GEO_PRECISION = {"exact": 1, "village": 1, "neighbourhood": 1, "subdistrict": 2, "district": 2,
                  "governorate": 3, "unknown": 3}
_GEO_PRECISION_IN = {"1": "village", "2": "district", "3": "governorate"}
_TIME_PRECISION = {"day": 1, "week": 2}
_TIME_PRECISION_IN = {"1": "day", "2": "week", "3": "month"}
_DISORDER = {"Battles": "Political violence", "Violence against civilians": "Political violence",
             "Explosions/Remote violence": "Political violence", "Riots": "Political violence",
             "Strategic developments": "Strategic developments"}


def event_type_from_acled(event_type: str | None, sub_event_type: str | None) -> str:
    """Return our event type for ACLED's event/sub-event type pair ("other" when none fits)."""
    for code, term in taxonomy.event_types().items():
        if term.get("acled_sub_event_type") == (sub_event_type or "").strip() and code != "other":
            return code
    if (event_type or "").strip() == "Battles":
        return "armed_clash"
    return "other"


def from_row(row: dict) -> dict:
    """Return our flat row for one ACLED row (headers as in ACLED's export)."""
    text = {k: (None if is_blank(v) else str(v).strip()) for k, v in row.items()}
    fatalities = text.get("fatalities")
    notes = text.get("notes")
    source = text.get("source") or "ACLED"
    targeted = (text.get("civilian_targeting") or "").lower().startswith("civilian")
    return {
        "external_source": "acled", "external_id": text.get("event_id_cnty"),
        "date_start": text.get("event_date"),
        "date_precision": _TIME_PRECISION_IN.get(text.get("time_precision") or "1", "day"),
        "event_type": event_type_from_acled(text.get("event_type"), text.get("sub_event_type")),
        "actor": match_external_actor(text.get("actor1")),
        "target": " / ".join(t for t in (text.get("actor2"), text.get("assoc_actor_2")) if t) or None,
        "place_text": text.get("location"),
        "lat": text.get("latitude"),
        "lon": text.get("longitude"),
        "location_precision": _GEO_PRECISION_IN.get(text.get("geo_precision") or "", "unknown"),
        "killed_min": fatalities,
        "killed_max": fatalities,
        "civilians": "yes" if targeted else "unknown",
        "description": notes,
        "tags": "acled",
        "source_name": f"ACLED: {source}",
        "source_kind": "other",
        "quote": notes or f"ACLED event {text.get('event_id_cnty') or '(no event_id_cnty)'}",
        "__area__": (text.get("country"), text.get("admin1")),
    }


def to_row(incident: Incident, admin_name) -> dict:
    """Return the ACLED-shaped row of ``incident``; ``admin_name(pcode)`` gives (ar, en) admin names."""
    event = taxonomy.event_types()[incident.event_type]
    actor = taxonomy.actors()[incident.actor]
    acled_type = str(event.get("acled_event_type"))
    sources = "; ".join(dict.fromkeys(c.source_name for c in incident.claims))
    return {
        "event_id_cnty": incident.uid,
        "event_date": incident.date_start.isoformat() if incident.date_start else None,
        "year": incident.date_start.year if incident.date_start else None,
        "time_precision": _TIME_PRECISION.get(incident.date_precision, 3),
        "disorder_type": _DISORDER.get(acled_type, "Political violence"),
        "event_type": acled_type,
        "sub_event_type": event.get("acled_sub_event_type"),
        "actor1": actor.get("acled_actor"),
        "inter1": actor.get("acled_inter"),
        "actor2": incident.target or ("Civilians (Syria)" if incident.civilians == "yes" else None),
        "inter2": 7 if incident.civilians == "yes" else None,
        "civilian_targeting": "Civilian targeting" if incident.civilians == "yes" else None,
        "iso": 760, "region": "Middle East", "country": "Syria",
        "admin1": admin_name(incident.admin1)[1] if incident.admin1 else None,
        "admin2": admin_name(incident.admin2)[1] if incident.admin2 else None,
        "admin3": admin_name(incident.admin3)[1] if incident.admin3 else None,
        "location": incident.place_name_en or incident.place_text,
        "latitude": incident.lat, "longitude": incident.lon,
        "geo_precision": _GEO_PRECISION[incident.location_precision],
        "source": sources, "source_scale": "Subnational",
        "notes": incident.description or (incident.claims[0].quote if incident.claims else None),
        "fatalities": incident.killed_min,
        "tags": ";".join(incident.tags) or None,
        "timestamp": int(incident.updated_at.timestamp()) if incident.updated_at else None,
    }
