"""Build the bundled sample incidents from the hand-annotated development reports (a build step, never run by
the app): ``python -m incidents sample-build --reports ../shared/eval/dev-reports``.

Each gold record of a report (see that folder's README) becomes an incident with one claim: the report's
source, URL, language and publication date, the exact quoted sentence, and the figures as annotated. Rules:

* ``incident`` and ``multi_event`` records become one incident; ``multi_place`` records (one toll for several
  villages) become one incident per village sharing a ``toll_group`` with ``shared_toll`` set — the toll is
  not split, and totals count it once; ``aggregate`` records (campaign totals) are left out, because they
  would count the same deaths again beside the single incidents.
* The date is the annotated date; where the report gives only a relative date and no publication date, the
  annotator's inferred date is used and the description says so, with the annotator's evidence.
* Places are geocoded with the bundled gazetteer. When the gazetteer has no match within 5 km of the
  annotation's reference point (Airwars' generic village coordinates), that reference point is used and the
  description says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from incidents import taxonomy
from incidents.locate import apply_place
from incidents.records import Claim, Incident

SAMPLE_TAG = "sample"
_DEIR_EZ_ZOR = "SY09"
_NAMESPACE = "deirezzor-sample"
_EVENT_KEYWORDS = (
    ("suicide", "suicide_bomb"), ("ied", "remote_explosive"), ("bomb", "remote_explosive"),
    ("booby", "remote_explosive"), ("mine", "remote_explosive"), ("airstrike", "air_strike"),
    ("air strike", "air_strike"), ("shelling", "shelling"), ("rocket", "shelling"), ("mortar", "shelling"),
    ("artillery", "shelling"), ("clash", "armed_clash"), ("execution", "attack"), ("shooting", "attack"),
    ("attack", "attack"), ("arrest", "arrests"), ("detention", "arrests"), ("abduct", "abduction"),
)
_STATE = ("sana", "state media", "baath", "الإخبارية")
_OPPOSITION = ("step", "rozana", "eldorar", "syria tv", "radio alkul", "orient", "smart")
_NGO = ("airwars", "sohr", "observatory", "snhr")


def stable_uid(*parts: str) -> str:
    """Return a UUID derived from ``parts``, so that rebuilding the sample gives the same ids."""
    import uuid

    return str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, _NAMESPACE), "|".join(parts)))


def event_type_of(text: str) -> str:
    """Return our event type for an annotator's free-text event description."""
    lowered = text.lower()
    for keyword, code in _EVENT_KEYWORDS:
        if re.search(rf"\b{re.escape(keyword)}", lowered):
            return code
    return "other"


def actor_of(text: str) -> tuple[str, str]:
    """Return (actor code, certainty) for an annotator's actor text, e.g. "SDF (suspected; …)"."""
    lowered = text.lower()
    certainty = "contested" if "contested" in lowered else (
        "suspected" if re.search(r"suspected|likely|possibl", lowered) else "stated")
    body = re.sub(r"^contested:\s*", "", text)
    for piece in re.split(r"\s*(?:\+|/| vs | against |\()\s*", body):
        code = taxonomy.resolve("actor", piece.strip(" )")) or _actor_keyword(piece)
        if code:
            return code, certainty
    return "unknown", certainty


def _actor_keyword(piece: str) -> str | None:
    lowered = piece.lower()
    for word, code in (("coalition", "coalition"), ("sdf", "sdf"), ("isis", "isis"), ("pmf", "pmf"),
                       ("government", "government"), ("russia", "russia"), ("turk", "turkey"),
                       ("unknown", "unknown"), ("unspecified", "unknown")):
        if word in lowered:
            return code
    return None


def source_kind_of(source_name: str) -> str:
    """Return the source kind for a report's outlet name."""
    lowered = source_name.lower()
    for words, kind in ((_NGO, "ngo"), (_STATE, "state_media"), (_OPPOSITION, "opposition_media")):
        if any(w in lowered for w in words):
            return kind
    return "other"


def _civilians(value: object) -> str:
    return "yes" if value is True else ("no" if value is False else "unknown")


def _dates(gold: dict) -> tuple[date | None, date | None, str, str | None]:
    """Return (start, end, precision, note) from the annotated or, failing that, the inferred date."""
    value, note = gold.get("date"), None
    if not value and gold.get("date_inferred"):
        value = gold["date_inferred"]
        note = (f"Date not stated in the report; inferred by the annotator ({gold.get('date_note') or ''}"
                f"{'; matches Airwars ' + gold['airwars_match'] if gold.get('airwars_match') else ''}).")
    if not value:
        return None, None, "unknown", None
    start_text, _, end_text = str(value).partition("/")
    start, end = date.fromisoformat(start_text), date.fromisoformat(end_text or start_text)
    span = (end - start).days
    precision = "day" if span == 0 else ("week" if span <= 7 else "month")
    return start, end, precision, note


def _claim(report: dict, gold: dict, uid: str) -> Claim:
    second = gold.get("second_quote")
    published = date.fromisoformat(report["published"]) if report.get("published") else None
    return Claim(
        uid=uid, source_name=report["source_name"], source_kind=source_kind_of(report["source_name"]),
        url=report.get("url"), language=report.get("language"), published=published, quote=gold["quote"],
        attribution=gold.get("source_attribution"), killed_min=gold.get("killed_min"),
        killed_max=gold.get("killed_max"), injured_min=gold.get("injured_min", gold.get("injured")),
        injured_max=gold.get("injured_max", gold.get("injured")), civilians=_civilians(gold.get("civilians")),
        children_killed=gold.get("children"), women_killed=gold.get("women"),
        note=f"Also in the report: «{second}»" if second else None,
    )


def incidents_of_report(report: dict, gazetteer) -> list[Incident]:
    """Return the sample incidents of one annotated report (see the module docstring for the rules)."""
    result = []
    for index, gold in enumerate(report["gold"]):
        if gold["record_kind"] == "aggregate":
            continue
        result.extend(_incidents_of_record(report, index, gold, gazetteer))
    return result


def _incidents_of_record(report: dict, index: int, gold: dict, gazetteer) -> list[Incident]:
    place = gold.get("place_ar") or ""
    names = [n.strip() for n in place.split("،")] if gold["record_kind"] == "multi_place" else [place]
    group = stable_uid(report["id"], str(index), "group") if len(names) > 1 else None
    start, end, precision, date_note = _dates(gold)
    actor, certainty = actor_of(gold["actor"])
    base = Incident(
        date_start=start, date_end=end, date_precision=precision, event_type=event_type_of(gold["event_type"]),
        actor=actor, actor_certainty=certainty, civilians=_civilians(gold.get("civilians")),
        grading="unassessed", status="published", tags=(SAMPLE_TAG,), toll_group=group, shared_toll=bool(group),
    )
    made = []
    for position, name in enumerate(names):
        uid = stable_uid(report["id"], str(index), name)
        incident = replace(base, uid=uid, place_text=name, claims=[_claim(report, gold, stable_uid(uid, "claim"))])
        incident, place_note = _locate(incident, name, gold, position, gazetteer)
        notes = [gold.get("notes"), date_note, place_note]
        description = " — ".join(p for p in (gold.get("place_en"), gold["event_type"]) if p)
        incident.description = " ".join([description + "."] + [n for n in notes if n])
        made.append(incident)
    return made


def _locate(incident: Incident, name: str, gold: dict, position: int, gazetteer) -> tuple[Incident, str | None]:
    if not name:  # the report names no place: every annotated incident is in Deir ez-Zor governorate
        return replace(incident, place_text=None, admin1=_DEIR_EZ_ZOR, location_precision="governorate"), (
            "The report names no place; located only to Deir ez-Zor governorate.")
    refs = gold.get("ref_coords") or []
    ref = refs[position] if position < len(refs) else (refs[0] if len(refs) == 1 and position == 0 else None)
    match = gazetteer.geocode(name, context="دير الزور").match
    if match is not None and (ref is None or _near_any(match, ref)):
        return apply_place(incident, match), None
    if ref is None:
        return incident, "Place not found in the gazetteer; left unplaced."
    located = replace(incident, lat=ref["lat"], lon=ref["lon"], location_precision="village",
                      place_name_ar=ref.get("place_ar") or name)
    near = gazetteer.nearby(ref["lat"], ref["lon"], km=15, limit=1)
    if near:
        place = near[0][0]
        located = replace(located, admin1=place.admin1, admin2=place.admin2, admin3=place.admin3)
    return located, "Coordinates: Airwars' generic point for the village (not in the bundled gazetteer)."


def _near_any(match, ref: dict) -> bool:
    from incidents.locate import _km

    points = [ref, *(ref.get("alt") or [])]
    return any(_km(match.lat, match.lon, p["lat"], p["lon"]) <= 5.0 for p in points)


def build_sample(reports_dir: Path, gazetteer) -> list[Incident]:
    """Return the sample incidents of every annotated report in ``reports_dir``, in file order."""
    incidents = []
    for path in sorted(reports_dir.glob("*.json")):
        incidents.extend(incidents_of_report(json.loads(path.read_text(encoding="utf-8")), gazetteer))
    return incidents
