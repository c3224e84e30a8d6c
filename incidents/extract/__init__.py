"""Candidate incidents from report text (issue #4): rules over the gazetteer and the taxonomies.

>>> from incidents.extract import extract_candidates
>>> candidates = extract_candidates(text, published=date(2018, 11, 24), source="SANA")  # doctest: +SKIP
>>> candidates[0].to_dict()["place_text"]  # doctest: +SKIP

Each :class:`Candidate` is one incident place as the text reports it: the place as written and its gazetteer
match, actor and event type (taxonomy codes, hedges kept as ``actor_certainty``), dates resolved against the
publication date, killed and injured figures as minimum–maximum (combined "killed and injured" totals kept
apart), civilians, children and women, who says it and the sentence it comes from. ``Candidate.spans`` tells
where each value was read. A toll spread over several named places is not split: its candidates share a
``group`` id and ``shared_toll``.
"""

from __future__ import annotations

from datetime import date

from incidents.extract.candidate import CLI_KEYS, Candidate
from incidents.extract.places import Gazetteer
from incidents.extract.rules import ExtractionError, Extractor, Report, RuleBasedExtractor

__all__ = [
    "CLI_KEYS",
    "Candidate",
    "ExtractionError",
    "Extractor",
    "Report",
    "RuleBasedExtractor",
    "extract_candidates",
]


def extract_candidates(text: str, published: date | None = None, source: str | None = None, url: str | None = None,
                       gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Propose one candidate incident per incident place of a report.

    Parameters
    ----------
    text : str
        The report, Arabic or English (plain text; strip HTML first, see :func:`incidents.extract.text.html_to_text`).
    published : date, optional
        Publication date. Relative dates (أمس، yesterday, on Friday) are resolved against it; without it they
        stay ``None`` with ``date_precision`` ``"unknown"``.
    source, url : str, optional
        The publisher's name and the report's address, kept on each candidate's claim; the name also guides
        the guess of the source kind.
    gazetteer : optional
        Object with ``find_mentions(text)`` (``geodata.Gazetteer``); the bundled gazetteer by default.

    Returns
    -------
    list of Candidate
        In text order. Empty when the text reports no violence at a place in Deir ez-Zor governorate.
    """
    return RuleBasedExtractor(gazetteer).extract(Report(text, published, source, url))
