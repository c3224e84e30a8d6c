"""Airwars-style incident tables (one row per alleged civilian-harm incident): a preset of the column mapping.

The columns are read through :mod:`incidents.io.mapping` like any table (``code`` or ``incident_code``,
``date``/``incident_date``, ``date_end``/``date_range_end``, ``location``/``location_en``/``location_ar``,
``latitude``, ``longitude``, ``geolocation_accuracy``, ``belligerent`` (several suspected belligerents are kept
as a contested attribution), ``civilians_killed_min/max``, ``children_killed_min/max``, ``grading``,
``summary``, ``sources`` as ``name <url>`` items, ``url`` (the Airwars page)); what the preset adds is what
Airwars' tables leave implicit: the victims are civilians, the event is an air strike unless ``event_type`` is
given, the codes are Airwars' own (``external_source`` "airwars"), and the Airwars page is a source.
"""

from __future__ import annotations

SIGNATURE = {"belligerent"}
SIGNATURE_CODES = {"code", "incident_code"}
SOURCE = "airwars"

#: Values a row gets when its own cells leave them blank.
DEFAULTS = {"event_type": "air_strike", "civilians": "yes", "tags": "airwars", "source_kind": "ngo"}


def matches(columns: set[str]) -> bool:
    """Return whether a lower-cased header looks like an Airwars table."""
    return SIGNATURE <= columns and bool(SIGNATURE_CODES & columns)


def complete_row(row: dict) -> dict:
    """Fill what an Airwars row leaves implicit (see the module docstring)."""
    for name, value in DEFAULTS.items():
        if row.get(name) in (None, ""):
            row[name] = value
    if row.get("source_url") and row.get("source_name") in (None, ""):
        row["source_name"] = "Airwars"
    return row
