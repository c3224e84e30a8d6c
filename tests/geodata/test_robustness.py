"""No text makes the geocoder raise: arbitrary Unicode, digits, punctuation, very long strings."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geodata import Gazetteer, GeocodeResult

_PIECES = st.sampled_from(
    [
        "Badia", "24", "٢٤", "۲۴", "حي", "في", "بين", "و", "and", "between", "km", "east of", ":", "،", ",", "(", ")",
        "/", "-", " ", "دير الزور", "Deir ez-Zor", "neighbourhood", "desert of", "town", "home of", "street", "ال",
        "Abu Kamal", "البوكمال", "1", "1.5", "كم", "شرق", "?", "\u200f", "ـ", "ً",
    ]
)
#: Text built from the words compound strings are made of, so that the parser's branches are reached.
_PLACE_LIKE = st.lists(_PIECES, max_size=12).map(" ".join)
_ANY_TEXT = st.text(max_size=60)
_DIGITS_AND_SIGNS = st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹.,:;-/()[]،؛ ", max_size=20)

_FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(result: GeocodeResult, text: str) -> None:
    assert result.query == text
    assert result.match is None or result.match in result.candidates or result.candidates == []
    for candidate in result.candidates:
        assert 0.0 <= candidate.score <= 1.0


@_FAST
@given(text=st.one_of(_ANY_TEXT, _PLACE_LIKE, _DIGITS_AND_SIGNS))
@example(text="Badia 24")
@example(text="٢٤")
@example(text="24, 25")
@example(text="between  and ")
@example(text="1 km east of")
@example(text=":")
@example(text="حي")
@example(text="home of x in " * 400)  # once recursed without end
@example(text="between " * 300)
def test_geocode_never_raises(gaz: Gazetteer, text: str) -> None:
    _check(gaz.geocode(text), text)


@_FAST
@given(text=_PLACE_LIKE, context=st.one_of(st.none(), _ANY_TEXT, _PLACE_LIKE))
def test_geocode_with_any_context_never_raises(gaz: Gazetteer, text: str, context: str | None) -> None:
    _check(gaz.geocode(text, context=context), text)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(piece=st.one_of(_PLACE_LIKE, st.text(min_size=1, max_size=8)), repeat=st.integers(200, 2000))
def test_very_long_strings_never_raise(gaz: Gazetteer, piece: str, repeat: int) -> None:
    text = (piece + " ") * repeat
    _check(gaz.geocode(text), text)


@_FAST
@given(text=st.one_of(_ANY_TEXT, _PLACE_LIKE))
def test_search_and_mentions_never_raise(gaz: Gazetteer, text: str) -> None:
    gaz.search(text)
    for mention in gaz.find_mentions(text):
        assert text[mention.start : mention.end] == mention.surface
