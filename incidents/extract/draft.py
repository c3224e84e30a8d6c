"""Drafts: what one sentence says about one place (or one group of places sharing a toll), before the drafts of a
whole report are merged into candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from incidents.extract.places import PlaceMention


@dataclass
class Toll:
    """A figure as stated: bounds and the kind of wording (see :class:`incidents.extract.numbers.Quantity`)."""

    low: int | None
    high: int | None
    kind: str

    @property
    def counted(self) -> bool:
        """Whether the text gives any number (not just "a number of" / "others")."""
        return self.low is not None or self.high is not None

    @property
    def vague(self) -> bool:
        """Whether the number is only an order of magnitude (dozens) or not given."""
        return self.kind in ("vague", "unknown") or not self.counted


@dataclass
class Draft:
    """One sentence's account of an incident at one place or one group of places.

    ``event_weak`` marks an event type read from context (a weak word or the actor), which yields to any
    explicit one when drafts are merged; ``order`` is the draft's position in the text.
    """

    places: list[PlaceMention]
    coarse: bool
    quote: tuple[int, int]
    order: int
    killed: Toll | None = None
    injured: Toll | None = None
    combined: Toll | None = None
    civilians: str | None = None
    children: int | None = None
    women: int | None = None
    children_mentioned: bool = False
    women_mentioned: bool = False
    event: str | None = None
    event_weak: bool = True
    event_types: set[str] = field(default_factory=set)
    actor: str | None = None
    actor_alternatives: set[str] = field(default_factory=set)
    certainty: str = "stated"
    date_start: object = None
    date_end: object = None
    date_precision: str = "unknown"
    date_seen: bool = False
    after_told: int | None = None  # dated "the same day", "the next day": days after the incident told before
    day_of_told_month: int | None = None  # "يوم 26 من الشهر ذاته": a day of the month told before
    day_month: tuple[int, int] | None = None  # "في 18 أيلول" without a year the report gives: (day, month)
    attribution: str | None = None
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    evidence: float = 0.0  # how much of the record the quoted sentence itself supports
    definite: bool = False  # the sentence refers back to an event (الغارة، التفجير، the strike)
    claimed: bool = False  # the sentence says someone claimed the attack
    cumulative: bool = False  # the sentence counts over a period (منذ, since, so far): not one incident's toll
    tally: bool = False  # a cumulative count over a long period (since the start of the year): no incident at all
    another: bool = False  # the sentence tells of another event of the same kind (غارة أخرى، a second strike)
    recalled: bool = False  # dated last month or last year: an earlier incident the report looks back to
    several_actors: bool = False  # the sentence names more than one perpetrator
    separate: bool = False  # the sentence opens with "in a separate incident": nothing is carried over to it
    breakdown_only: bool = False
    unknown_place: bool = False  # a sentence without a known site that still names a place (في قرية X)
    both: bool = False  # the sentence names two events told before together (الغارتان, both strikes)  # who was among the dead (Among the dead were seven children), no toll of its own
    funeral: bool = False  # the sentence tells of a funeral: its date is the burial's, not the death's
    goes_on: bool = False  # the sentence opens with "also" (كما، وكما): it goes on with the account before it

    @property
    def key(self) -> frozenset[str]:
        """The places' identity: one key per place (several for a shared toll)."""
        return frozenset(m.key for m in self.places)

    @property
    def has_figures(self) -> bool:
        """Whether the draft reports any casualty (with or without a number)."""
        return any(t is not None for t in (self.killed, self.injured, self.combined))

    def add_span(self, name: str, span: tuple[int, int]) -> None:
        """Record where a value was read."""
        spans = self.spans.setdefault(name, [])
        if span not in spans:
            spans.append(span)
