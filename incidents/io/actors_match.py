"""Map actor names used by other datasets (ACLED, UCDP GED, Airwars) to our actor codes."""

from __future__ import annotations

from incidents.domain import taxonomy

#: Lower-case fragments of other datasets' actor names, checked in order; first hit wins.
_FRAGMENTS = (
    ("coalition", "coalition"), ("united states", "coalition"), ("cjtf", "coalition"), ("inherent resolve", "coalition"),
    ("syrian democratic forces", "sdf"), ("sdf", "sdf"), ("ypg", "sdf"), ("asayish", "sdf"), ("pkk", "sdf"),
    ("islamic state", "isis"), ("isis", "isis"), ("isil", "isis"), ("daesh", "isis"),
    ("popular mobili", "pmf"), ("pmf", "pmf"), ("pmu", "pmf"), ("hashd", "pmf"),
    ("russia", "russia"), ("turkey", "turkey"), ("turkish", "turkey"),
    ("government of syria", "government"), ("military forces of syria", "government"), ("syrian regime", "government"),
    ("ndf", "government"), ("national defen", "government"), ("police forces of syria", "government"),
    ("hezbollah", "government"), ("iran", "government"), ("syria", "government"),
    ("unidentified", "unknown"), ("unknown", "unknown"),
)


def match_external_actor(name: str | None) -> str:
    """Return our actor code for an actor name from another dataset ("unknown" when blank, "other" if no match)."""
    if name is None or not str(name).strip():
        return "unknown"
    exact = taxonomy.resolve("actor", str(name))
    if exact:
        return exact
    for term in taxonomy.actors().values():
        if str(term.get("acled_actor", "")).casefold() == str(name).strip().casefold():
            return term.code
    lowered = f" {str(name).casefold()} "
    for fragment, code in _FRAGMENTS:
        if fragment in lowered:
            return code
    return "other"
