"""Parsing untrusted cells and the rules of the record."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.domain.validation import ParseError, check_incident, parse_civilians, parse_count, parse_date


@pytest.mark.parametrize(("value", "expected"), [
    ("2018-11-17", date(2018, 11, 17)), ("2018-11-17T00:00:00", date(2018, 11, 17)),
    ("17/11/2018", date(2018, 11, 17)), ("17 November 2018", date(2018, 11, 17)), ("17 Nov 2018", date(2018, 11, 17)),
    ("", None), (None, None), (float("nan"), None), (date(2019, 1, 2), date(2019, 1, 2)),
])
def test_dates_are_read(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("2018-02-30", "impossible date: '2018-02-30'"), ("31/02/2018", "impossible date: '31/02/2018'"),
    ("yesterday", "not a date: 'yesterday' (expected YYYY-MM-DD)"),
])
def test_bad_dates_say_why(value, message):
    with pytest.raises(ParseError) as caught:
        parse_date(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(("value", "expected"), [("12", 12), ("12.0", 12), (12.0, 12), (7, 7), (" ", None)])
def test_counts_are_read(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["1.5", "twelve", "1e3", True])
def test_non_counts_are_refused(value):
    with pytest.raises(ParseError, match="not a whole number"):
        parse_count(value)


@pytest.mark.parametrize(("value", "expected"), [("yes", "yes"), ("TRUE", "yes"), ("0", "no"), ("", "unknown"),
                                                 ("unknown", "unknown"), ("نعم", "yes")])
def test_civilians_cell(value, expected):
    assert parse_civilians(value) == expected


def test_incident_rules(incident_factory):
    bad = incident_factory(claims=[], figures_rule="editor", figures_reason=" ", date_end=date(2018, 1, 1),
                           actor="aliens", lat=40.0, lon=None)
    messages = {(p.field, p.reason) for p in check_incident(bad, today=date(2026, 1, 1))}
    assert messages == {
        ("source_name", "every incident needs at least one source (a claim)"),
        ("figures_reason", "figures set by an editor need a reason"),
        ("date_end", "date_end 2018-01-01 is before date_start 2018-11-17"),
        ("actor", "'aliens' is not a known actor; expected one of coalition, sdf, isis, pmf, government, russia, "
                  "turkey, unknown, other"),
        ("lon", "give both latitude and longitude, or neither"),
    }
    assert check_incident(incident_factory(), today=date(2026, 1, 1)) == []


# -- issue #12: identifiers and tolls ---------------------------------------------------------------------


@pytest.mark.parametrize("uid", ["a58103bd-ad50-47a1-9c1e-0123456789ab", "acled:SYR12345", "airwars:CS1234",
                                 "two-sources", "x"])
def test_plain_identifiers_are_accepted(uid, incident_factory):
    assert not [p for p in check_incident(incident_factory(uid=uid)) if p.field == "uid"]


@pytest.mark.parametrize("uid", ['=HYPERLINK("http://evil","x")', "+1", "-x", "@sum", "a b", "a\nb", "<b>x</b>",
                                 "[x](http://e)", "", "x" * 37, "\u202ex"])
def test_uids_that_are_not_plain_identifiers_are_refused(uid, incident_factory):
    problems = [p for p in check_incident(incident_factory(uid=uid)) if p.field == "uid"]
    assert problems and "not a plain identifier" in problems[0].reason


@pytest.mark.parametrize("covers", [("[]",), ("a", "=1+1"), ("x y",)])
def test_the_uids_a_toll_covers_are_checked_too(covers, incident_factory):
    # a spreadsheet's "[]" in the covers column once became a covered incident with the uid "[]"
    problems = [p for p in check_incident(incident_factory(record_kind="combined", covers=covers))
                if p.field == "covers"]
    assert len(problems) == 1 and "not a plain identifier" in problems[0].reason


def test_plain_covered_uids_are_accepted(incident_factory):
    incident = incident_factory(record_kind="combined", covers=("acled:SYR1", "b2"))
    assert not [p for p in check_incident(incident) if p.field == "covers"]


def test_claim_uids_are_checked_too(incident_factory):
    incident = incident_factory(claim=dict(uid="=1+1"))
    assert [p.field for p in check_incident(incident)] == ["claims[0].uid"]


@pytest.mark.parametrize("text", [str(2**63), str(2**63 + 1), "99999999999999999999", str(2**31)])
def test_a_number_no_column_can_hold_is_refused_when_read(text):
    with pytest.raises(ParseError, match="number too large"):
        parse_count(text)


@pytest.mark.parametrize("text", ["1000001", str(2**31 - 1)])
def test_a_huge_toll_is_refused_with_a_message(text, incident_factory):
    value = parse_count(text)
    assert value == int(text)  # read exactly (no rounding through float)
    problems = check_incident(incident_factory(killed_min=value, killed_max=value, figures_rule="editor",
                                               figures_reason="test"))
    assert [p.field for p in problems][:1] == ["killed_min"] and "is above 1,000,000" in problems[0].reason
