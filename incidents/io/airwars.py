"""Airwars-style incident tables (one row per alleged civilian-harm incident), read.

Columns read (README, "Airwars-style tables"): ``code``, ``date``, ``date_end``, ``location``, ``latitude``,
``longitude``, ``belligerent``, ``civilians_killed_min``, ``civilians_killed_max``,
``civilians_injured_min``, ``civilians_injured_max``, ``children_killed``, ``women_killed``, ``grading``,
``summary``, ``sources`` (names or links separated by ";" or new lines), ``url`` (the Airwars page).
Airwars tracks alleged civilian harm from strikes: victims are civilians and, unless ``event_type`` is given,
the event type is an air strike.
"""

from __future__ import annotations

from incidents import taxonomy
from incidents.io.actors_match import match_external_actor
from incidents.validation import is_blank

SIGNATURE = {"code", "belligerent"}
COLUMNS = ("code", "date", "date_end", "location", "latitude", "longitude", "belligerent", "civilians_killed_min",
           "civilians_killed_max", "civilians_injured_min", "civilians_injured_max", "children_killed",
           "women_killed", "grading", "summary", "sources", "url")


def from_row(row: dict) -> dict:
    """Return our flat row for one Airwars-style row."""
    text = {k.strip().lower(): (None if is_blank(v) else str(v).strip()) for k, v in row.items()}
    grading = taxonomy.resolve("grading", text.get("grading") or "") or ("unassessed" if not text.get("grading")
                                                                         else text.get("grading"))
    sources = [s.strip() for s in (text.get("sources") or "").replace("\n", ";").split(";") if s.strip()]
    code = text.get("code")
    return {
        "uid": f"airwars:{code}" if code else None,
        "date_start": text.get("date"), "date_end": text.get("date_end"),
        "date_precision": "day" if text.get("date") else "unknown",
        "event_type": text.get("event_type") or "air_strike",
        "actor": match_external_actor(text.get("belligerent")),
        "place_text": text.get("location"),
        "lat": text.get("latitude"), "lon": text.get("longitude"),
        "location_precision": "village" if text.get("latitude") else "unknown",
        "killed_min": text.get("civilians_killed_min"), "killed_max": text.get("civilians_killed_max"),
        "injured_min": text.get("civilians_injured_min"), "injured_max": text.get("civilians_injured_max"),
        "children_killed": text.get("children_killed"), "women_killed": text.get("women_killed"),
        "civilians": "yes",
        "grading": grading,
        "description": text.get("summary"),
        "tags": "airwars",
        "source_name": f"Airwars {code}" + (f" (citing {'; '.join(sources[:5])})" if sources else "") if code
        else "Airwars",
        "source_kind": "ngo",
        "source_url": text.get("url"),
        "quote": text.get("summary") or f"Airwars incident {code}",
    }
