"""The interface's labels in English and Arabic, for the UI (report text is never translated, only escaped).

The text itself lives in one catalogue, ``incidents/data/messages.toml``, read by :mod:`incidents.domain.messages`
(a lower layer, so that the read side's filter, totals, map and chart words come from the same file). This module
is the UI's door to it: :func:`t` looks up ``"key"`` (the [labels] table) or ``"table.key"`` (``"review.merge"``).
"""

from __future__ import annotations

from incidents.domain.messages import catalogue, has, table
from incidents.domain.messages import text as t

LANGUAGES = {"en": "English", "ar": "العربية"}

#: every table of the catalogue: table name → key → (English, Arabic) (a test checks each key has both languages)
CATALOGUE = catalogue()

#: claim field → (English, Arabic) label, in the order the claims table shows them
CLAIM_FIELDS = table("claim_fields")


__all__ = ["CATALOGUE", "CLAIM_FIELDS", "LANGUAGES", "has", "t"]
