"""The incident record and the claims it rests on.

An :class:`Incident` is one event at one place; each :class:`Claim` is what one source said about it, with
the exact sentence quoted and that source's own figures. The incident's figures are derived from its claims
(see :mod:`incidents.domain.figures`) unless an editor sets them with a reason.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime

#: The casualty figures, named once for every module that lists them: the numbers among the killed a source
#: may give, what one claim states, and the incident's (which adds a best estimate), in the order forms show them.
GROUP_FIGURES = ("children_killed", "women_killed")
CLAIM_FIGURES = ("killed_min", "killed_max", "injured_min", "injured_max", *GROUP_FIGURES)
INCIDENT_FIGURES = ("killed_min", "killed_max", "killed_best", "injured_min", "injured_max", *GROUP_FIGURES)


def copy_with(record, **changes):
    """Return a shallow copy of a record with ``changes`` set (``dataclasses.replace`` without re-running
    ``__init__``: many times faster on the import path; the caller passes only known fields)."""
    copied = object.__new__(type(record))  # what copy.copy does for a plain dataclass, without its dispatch
    copied.__dict__.update(record.__dict__, **changes)
    return copied


def new_uid() -> str:
    """Return a new random record id (UUID4 text): stable across export and import."""
    return str(uuid.uuid4())


def new_uids(count: int) -> list[str]:
    """Return ``count`` new record ids as :func:`new_uid` makes them (random UUID4 text), from one read of the
    system's random source (an import makes thousands; ``uuid.uuid4`` reads it once per id)."""
    data = bytearray(os.urandom(16 * count))
    data[6::16] = bytes((b & 0x0F) | 0x40 for b in data[6::16])  # version 4
    data[8::16] = bytes((b & 0x3F) | 0x80 for b in data[8::16])  # RFC 4122 variant
    text = data.hex()
    return [f"{text[i:i + 8]}-{text[i + 8:i + 12]}-{text[i + 12:i + 16]}-{text[i + 16:i + 20]}-{text[i + 20:i + 32]}"
            for i in range(0, 32 * count, 32)]


@dataclass
class Claim:
    """What one source said about an incident."""

    source_name: str
    quote: str
    source_kind: str = "other"
    url: str | None = None
    language: str | None = None
    published: date | None = None
    attribution: str | None = None  # who said it inside the text: "SANA citing local sources"
    actor: str | None = None  # this source's attribution, when it differs from others'
    actor_certainty: str | None = None
    event_type: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    civilians: str = "unknown"
    children_killed: int | None = None
    women_killed: int | None = None
    note: str | None = None
    uid: str = field(default_factory=new_uid)
    incident_uid: str | None = None
    created_at: datetime | None = None
    created_by: str | None = None

    def to_dict(self) -> dict:
        """Return the claim as a plain dict (dates left as date objects)."""
        return asdict(self)


@dataclass
class Incident:
    """One violent event at one place, with figures derived from its claims."""

    date_start: date | None = None
    date_end: date | None = None
    date_precision: str = "unknown"
    place_id: str | None = None
    place_text: str | None = None
    place_name_ar: str | None = None
    place_name_en: str | None = None
    lat: float | None = None
    lon: float | None = None
    location_precision: str = "unknown"
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    event_type: str = "other"
    actor: str = "unknown"
    actor_certainty: str = "stated"
    target: str | None = None
    killed_min: int | None = None
    killed_max: int | None = None
    killed_best: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    civilians: str = "unknown"
    children_killed: int | None = None
    women_killed: int | None = None
    figures_rule: str = "claims"  # "claims": derived by the stated rule; "editor": set by hand with a reason
    figures_reason: str | None = None
    grading: str = "unassessed"
    status: str = "draft"
    description: str | None = None
    tags: tuple[str, ...] = ()
    toll_group: str | None = None  # candidates sharing one toll over several places share this id
    shared_toll: bool = False
    record_kind: str = "incident"  # vocabulary ``record_kind``: incident, shared_places, combined, cumulative
    covers: tuple[str, ...] = ()  # a combined or cumulative record: the uids of the recorded incidents it covers
    uid: str = field(default_factory=new_uid)
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None
    deleted_at: datetime | None = None
    #: JSON text: the stamps and authors an imported file claimed (kept apart; never used by the review rules)
    imported_from: str | None = None
    external_source: str | None = None  # where an imported row came from: "acled", "ucdp", "airwars", a name
    external_id: str | None = None  # that source's own code for the row; a re-import updates this incident
    extra: dict = field(default_factory=dict)  # cells of imported columns that have no field, kept as they came
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self, with_claims: bool = True) -> dict:
        """Return the incident as a plain dict; claims as a list of dicts unless ``with_claims`` is False."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "claims"}
        data["tags"] = list(self.tags)
        data["covers"] = list(self.covers)
        data["extra"] = dict(self.extra)
        if with_claims:
            data["claims"] = [c.to_dict() for c in self.claims]
        return data

    def evolve(self, **changes: object) -> Incident:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


INCIDENT_FIELDS = tuple(f.name for f in fields(Incident) if f.name != "claims")
CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
