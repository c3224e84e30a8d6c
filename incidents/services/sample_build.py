"""Build the bundled sample incidents from the hand-annotated development reports (a build step, never run by
the app): ``python -m incidents sample-build --reports ../shared/eval/dev-reports``.

Each gold record of a report (see that folder's README) becomes a record with one claim: the report's source,
URL, language and publication date, the exact quoted sentence, and the figures as annotated. Rules (a careful
researcher's, README "How totals are counted"):

* ``incident`` records become one incident. ``multi_place`` records (one toll for several villages) become one
  record per village sharing a ``toll_group`` with ``shared_toll`` set (kind ``shared_places``): the toll is not
  split, and totals count it once. ``multi_event`` records (one toll for several strikes) become a
  ``combined`` record linked (``covers``) to the strikes the same report records on their own
  (:data:`COMBINED_PARTS`); ``aggregate`` records (a campaign's toll) become ``cumulative`` records: context,
  never summed. A record another report gives for the same event is added to it as a second claim
  (:data:`SAME_EVENT`), with the reason.
* Source kinds come from the outlet list (:mod:`incidents.domain.outlets`): the publisher's web address, else the
  publisher named before any "relaying"/"quoting"; an outlet that is not on the list is "other".
* The date is the annotated date. Where the report gives only a relative date and prints no publication date,
  the date the report's wording and other evidence support (gold ``date_inferred``) is used at week or month
  precision, and the description gives the reason. Records nothing dates stay undated.
* Grading only where a cited assessment exists (the Airwars incident pages: :data:`GRADINGS`, quoted in the
  description); those records are published, every other is unassessed and "reviewed".
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

from incidents.domain import taxonomy
from incidents.domain.figures import derive_figures
from incidents.domain.locate import apply_place
from incidents.domain.outlets import outlet_for
from incidents.domain.records import Claim, Incident
from incidents.domain.region import GOVERNORATE

SAMPLE_TAG = "sample"
_NAMESPACE = "deirezzor-sample"
_EVENT_KEYWORDS = (
    ("suicide", "suicide_bomb"), ("ied", "remote_explosive"), ("bomb", "remote_explosive"),
    ("booby", "remote_explosive"), ("mine", "remote_explosive"), ("airstrike", "air_strike"),
    ("air strike", "air_strike"), ("shelling", "shelling"), ("rocket", "shelling"), ("mortar", "shelling"),
    ("artillery", "shelling"), ("clash", "armed_clash"), ("execution", "attack"), ("shooting", "attack"),
    ("attack", "attack"), ("arrest", "arrests"), ("detention", "arrests"), ("abduct", "abduction"),
)
_RELAY = re.compile(r"\s*,?\s*\b(?:relaying|carrying|citing|quoting|via)\b.*$", re.IGNORECASE)

#: multi_event record (report id, record index) → the records of the same report that are its parts.
COMBINED_PARTS = {
    ("012", 0): (1, 2),  # 70 in the Thursday and Friday mosque strikes in al-Susa: 18 and 14 recorded on their own
    ("100", 0): (1, 2, 4),  # 15 in the strikes south of Deir ez-Zor: Khsham 7, al-Khraita 1, al-Jnayneh 6
}
#: aggregate record → the records of the same report inside its toll (place and period).
CUMULATIVE_PARTS = {
    ("000", 3): (1, 2),  # "more than 100 during the past week" in Hajin, al-Shaafa, al-Bubadran and al-Susa
}
#: record → the record of another report that gives the same event (added to it as a second claim), and why.
SAME_EVENT = {
    ("038", 1): (("012", 0), "The blog's 70+ killed in al-Susa's mosque strikes of the week before 26 October 2018 "
                             "is the combined toll Al-Khaleej Al-Jadeed gives for the same two strikes."),
}
#: report id → (Airwars grading code, the assessment quoted from the page).
GRADINGS = {
    "030": ("weak", "Airwars civilian harm grading: “Single source claim, though sometimes featuring significant "
                    "information” (Airwars’ Weak)."),
    "033": ("contested", "Airwars assessment: “sources were conflicted as to who was to blame” (Airwars’ Contested: "
                         "competing claims of responsibility)."),
}
#: Notes that speak of the annotation rather than the event are left out of descriptions.
_ANNOTATION_TALK = re.compile(r"\b(?:record|recorded|records|annotat\w*|quote|excerpt|gold|report \d+|rule \d+)\b",
                              re.IGNORECASE)


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


def source_kind_of(source_name: str, url: str | None = None) -> str:
    """Return the source kind of a report's publisher from the outlet list: its web address first, else the
    outlet named before any "relaying"/"quoting" (the relayed outlet is not the publisher); "other" when the
    publisher is not on the list."""
    outlet = outlet_for(url) if url else None
    if outlet is None:
        outlet = outlet_for(_RELAY.sub("", source_name))
    return outlet.source_kind if outlet is not None else "other"


def _civilians(value: object) -> str:
    return "yes" if value is True else ("no" if value is False else "unknown")


def _dates(gold: dict) -> tuple[date | None, date | None, str, str | None]:
    """Return (start, end, precision, reason): the annotated date, or else the date the report's wording and
    other evidence support (``date_inferred``) at week or month precision, with the reason."""
    value, reason = gold.get("date"), None
    inferred = not value and bool(gold.get("date_inferred"))
    if inferred:
        value = gold["date_inferred"]
    if not value:
        return None, None, "unknown", None
    start_text, _, end_text = str(value).partition("/")
    start, end = date.fromisoformat(start_text), date.fromisoformat(end_text or start_text)
    span = (end - start).days
    if inferred:
        precision = "week" if span <= 7 else "month"
        reason = _date_reason(gold, start, precision)
    else:
        precision = "day" if span == 0 else ("week" if span <= 7 else "month")
    return start, end, precision, reason


def _date_reason(gold: dict, start: date, precision: str) -> str:
    """Why an approximate date: the report's own wording and the matching Airwars record, if any."""
    wording = re.sub(r";?\s*(?:relative to )?(?:an? )?(?:unknown )?publication date(?: unknown| not stated)?\.?", "",
                     gold.get("date_note") or "").strip()
    published = re.search(r"published (\d{4}-\d{2}-\d{2})", wording)
    if published:
        evidence = [f"its publication date ({published.group(1)}; the text gives no date)"]
    else:
        evidence = [f"its wording ({wording})"] if wording else []
    if gold.get("airwars_match"):
        evidence.append(f"Airwars {gold['airwars_match']}")
    period = "week" if precision == "week" else "month"
    because = " and ".join(evidence) or "the report's context"
    return f"Dated to the {period} of {start.isoformat()} by {because}; the report gives no day for the event."


def _claim(report: dict, gold: dict, uid: str) -> Claim:
    second = gold.get("second_quote")
    published = date.fromisoformat(report["published"]) if report.get("published") else None
    return Claim(
        uid=uid, source_name=report["source_name"], source_kind=source_kind_of(report["source_name"], report.get("url")),
        url=report.get("url"), language=report.get("language"), published=published, quote=gold["quote"],
        attribution=gold.get("source_attribution"), killed_min=gold.get("killed_min"),
        killed_max=gold.get("killed_max"), injured_min=gold.get("injured_min", gold.get("injured")),
        injured_max=gold.get("injured_max", gold.get("injured")), civilians=_civilians(gold.get("civilians")),
        children_killed=gold.get("children"), women_killed=gold.get("women"),
        note=f"Also in the report: «{second}»" if second else None,
    )


def incidents_of_report(report: dict, gazetteer) -> list[Incident]:
    """Return the sample records of one annotated report (see the module docstring for the rules)."""
    result = []
    for index, gold in enumerate(report["gold"]):
        result.extend(_incidents_of_record(report, index, gold, gazetteer))
    return result


_KINDS = {"incident": "incident", "multi_place": "shared_places", "multi_event": "combined", "aggregate": "cumulative"}


def record_uid(report_id: str, index: int, gold: dict) -> str:
    """Return the stable uid of a single-place record (the first place of a shared toll)."""
    place = gold.get("place_ar") or ""
    name = [n.strip() for n in place.split("،")][0] if gold["record_kind"] == "multi_place" else place
    return stable_uid(report_id, str(index), name)


def _covers(report: dict, index: int) -> tuple[str, ...]:
    parts = COMBINED_PARTS.get((report["id"], index)) or CUMULATIVE_PARTS.get((report["id"], index)) or ()
    return tuple(record_uid(report["id"], part, report["gold"][part]) for part in parts)


def _incidents_of_record(report: dict, index: int, gold: dict, gazetteer) -> list[Incident]:
    place = gold.get("place_ar") or ""
    names = [n.strip() for n in place.split("،")] if gold["record_kind"] == "multi_place" else [place]
    group = stable_uid(report["id"], str(index), "group") if len(names) > 1 else None
    start, end, precision, date_reason = _dates(gold)
    actor, certainty = actor_of(gold["actor"])
    grading, assessment = GRADINGS.get(report["id"], ("unassessed", None))
    base = Incident(
        date_start=start, date_end=end, date_precision=precision, event_type=event_type_of(gold["event_type"]),
        actor=actor, actor_certainty=certainty, civilians=_civilians(gold.get("civilians")), grading=grading,
        status="published" if grading != "unassessed" else "reviewed", tags=(SAMPLE_TAG,), toll_group=group,
        shared_toll=bool(group), record_kind=_KINDS.get(gold["record_kind"], "incident"),
        covers=_covers(report, index),
    )
    made = []
    for position, name in enumerate(names):
        uid = stable_uid(report["id"], str(index), name)
        claims = [_claim(report, gold, stable_uid(uid, "claim"))]
        incident = replace(base, uid=uid, place_text=name, claims=claims, **derive_figures(claims).as_dict())
        incident, place_note = _locate(incident, name, gold, position, gazetteer)
        incident.description = describe(gold, date_reason, place_note, assessment)
        made.append(incident)
    return made


def describe(gold: dict, *notes: str | None) -> str:
    """Return a researcher's summary of a record: what happened where, what the report adds, and why a date,
    place or grading is what it is (the annotation's own remarks left out)."""
    head = " — ".join(p for p in (gold.get("place_en"), gold["event_type"]) if p)
    clauses = [c for c in re.split(r"(?<=[.;])\s+", gold.get("notes") or "") if c and not _ANNOTATION_TALK.search(c)]
    for i, clause in enumerate(clauses):  # a clause left before a dropped one ends its sentence
        if clause.endswith(";") and (i + 1 == len(clauses) or clauses[i + 1][:1].isupper()):
            clauses[i] = clause[:-1] + "."
    said = " ".join(clauses).strip()
    return " ".join(p for p in (head + ".", said, *notes) if p)


def _locate(incident: Incident, name: str, gold: dict, position: int, gazetteer) -> tuple[Incident, str | None]:
    if not name:  # the report names no place: every annotated incident is in Deir ez-Zor governorate
        return replace(incident, place_text=None, admin1=GOVERNORATE, location_precision="governorate"), (
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
    from geodata.geo import haversine_km

    points = [ref, *(ref.get("alt") or [])]
    return any(haversine_km(match.lat, match.lon, p["lat"], p["lon"]) <= 5.0 for p in points)


def build_sample(reports_dir: Path, gazetteer) -> list[Incident]:
    """Return the sample records of every annotated report in ``reports_dir``, in file order; a record another
    report gives for the same event (:data:`SAME_EVENT`) becomes a second claim of that event's record."""
    reports = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(reports_dir.glob("*.json"))]
    incidents = [incident for report in reports for incident in incidents_of_report(report, gazetteer)]
    by_uid = {incident.uid: incident for incident in incidents}
    golds = {(r["id"], i): g for r in reports for i, g in enumerate(r["gold"])}
    for (report_id, index), ((target_id, target_index), reason) in SAME_EVENT.items():
        if (report_id, index) not in golds or (target_id, target_index) not in golds:
            continue
        extra = by_uid.pop(record_uid(report_id, index, golds[(report_id, index)]))
        target = by_uid[record_uid(target_id, target_index, golds[(target_id, target_index)])]
        target.claims = [*target.claims, *extra.claims]
        target.__dict__.update(derive_figures(target.claims).as_dict())
        target.description = f"{target.description} {reason}"
    return list(by_uid.values())
