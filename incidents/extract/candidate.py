"""The extractor's proposal: one candidate incident per incident place, every value traceable to the text."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any

from incidents.domain.records import Claim, Incident
from incidents.extract.named import NamedVictim

#: Keys of a candidate in the ``extract`` command's JSON, in order.
CLI_KEYS: tuple[str, ...] = (
    "place_text", "place", "actor", "event_type", "date_start", "date_end", "date_precision", "killed_min",
    "killed_max", "injured_min", "injured_max", "civilians", "children_killed", "women_killed", "attribution",
    "quote", "group", "shared_toll",
)


@dataclass
class Candidate:
    """A proposed incident record, to be reviewed before it becomes data.

    Attributes
    ----------
    place_text : str or None
        The place as written in the text.
    place : dict or None
        The gazetteer's match (``geodata.PlaceMatch.to_dict()``), ``None`` when no confident match.
    actor, event_type : str
        Codes of the taxonomies (``unknown`` / ``other`` when the text does not say).
    actor_certainty : str
        ``stated``, ``suspected`` (hedged wording) or ``contested`` (sources disagree).
    date_start, date_end : date or None
        The incident's date range; ``None`` when the text gives no date or only a relative one and the
        publication date is unknown.
    date_precision : str
        ``day``, ``week``, ``month`` or ``unknown``.
    killed_min, killed_max, injured_min, injured_max : int or None
        Figures as stated (a bound the text does not give is ``None``).
    killed_or_injured_min, killed_or_injured_max : int or None
        A combined "killed and injured" total, kept apart from deaths.
    civilians : str
        ``yes``, ``no`` or ``unknown``.
    children_killed, women_killed : int or None
        Numbers among the killed, only when the text gives them.
    attribution : str or None
        Who says it inside the text, as written (``نقلت وكالة «سانا» للأنباء عن مصادر أهلية``).
    outlet, attributed_outlet : str or None
        Codes of the outlet list (``incidents/data/outlets.toml``): the publisher's outlet (from the source name
        or the URL) and the outlet the attribution names (``sana``, ``sohr``), when listed.
    source_kind : str
        Proposed from the outlet list: the publisher's kind, else the kind of who says it, else ``other``.
    quote : str
        The supporting sentence, an exact substring of the text.
    group : str or None
        Shared by candidates of one toll spread over several places.
    shared_toll : bool
        The figures belong to the whole group, not to this place alone.
    spans : dict
        Field name → list of ``(start, end)`` character offsets where the value was read (``quote``,
        ``place_text``/``place``, ``actor``, ``event_type``, ``date_start``/``date_end``, ``killed_min``/
        ``killed_max``, ``injured_min``/``injured_max``, ``killed_or_injured_min``/``_max``, ``civilians``,
        ``children_killed``, ``women_killed``, ``attribution``), for highlighting in the review UI;
        ``sentences`` lists every sentence the candidate was built from (the quote is one of them).
    victims : list of NamedVictim
        Persons the text names (#18), with age, sex and relation as read; their spans are under
        ``spans["named_victims"]``.
    notes : list of str
        Remarks for the reviewer (combined totals, mentions without numbers, conflicting attributions).
    """

    place_text: str | None
    place: dict[str, Any] | None
    actor: str = "unknown"
    event_type: str = "other"
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str = "unknown"
    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    civilians: str = "unknown"
    children_killed: int | None = None
    women_killed: int | None = None
    attribution: str | None = None
    quote: str = ""
    group: str | None = None
    shared_toll: bool = False
    actor_certainty: str = "stated"
    killed_or_injured_min: int | None = None
    killed_or_injured_max: int | None = None
    location_precision: str = "unknown"
    language: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    source_kind: str = "other"
    outlet: str | None = None
    attributed_outlet: str | None = None
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    victims: list[NamedVictim] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the candidate as the ``extract`` command prints it: exactly :data:`CLI_KEYS`, dates as ISO text."""
        data: dict[str, Any] = {}
        for key in CLI_KEYS:
            value = getattr(self, key)
            data[key] = value.isoformat() if isinstance(value, date) else value
        return data

    def to_incident(self) -> Incident:
        """Return a draft :class:`~incidents.domain.records.Incident` with one claim holding this source's figures.

        The incident is ``status="draft"``, ``grading="unassessed"``; its figures are the claim's (the
        service derives the incident figures from the claims when it is stored).
        """
        place = self.place or {}
        return Incident(
            **self._shared(Incident), place_id=place.get("id"), place_name_ar=place.get("name_ar") or None,
            place_name_en=place.get("name_en") or None, lat=place.get("lat"), lon=place.get("lon"),
            admin1=place.get("admin1"), admin2=place.get("admin2"), admin3=place.get("admin3"), status="draft",
            grading="unassessed", toll_group=self.group, description="; ".join(self.notes) or None,
            claims=[self._claim()],
        )

    def _claim(self) -> Claim:
        return Claim(
            **self._shared(Claim), source_name=self.source or self.attribution or "unnamed source",
            note="; ".join(self.notes) or None,
        )

    def _shared(self, record: type) -> dict[str, Any]:
        """Return this candidate's values of the fields ``record`` declares under the same names."""
        return {name: getattr(self, name) for name in _same_names(record)}


@cache
def _same_names(record: type) -> tuple[str, ...]:
    ours = {f.name for f in fields(Candidate)}
    return tuple(f.name for f in fields(record) if f.name in ours)
