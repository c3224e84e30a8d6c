"""The column-wise parser gives exactly what the row parser gives: same incidents, same problems, same rows."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.io.fast import parse_columnwise, parse_rowwise

CELLS = {
    "date_start": st.sampled_from(["2018-11-17", "2018-02-30", "17/11/2018", "2019-03", "2099-01-01", "", "1850-01-01",
                                   "17 November 2018", " 2018-11-18 ", "yesterday"]),
    "date_end": st.sampled_from(["", "2018-11-20", "2018-11-10", "2019-01-31", "nope"]),
    "date_precision": st.sampled_from(["", "day", "month", "fortnight"]),
    "place_text": st.sampled_from(["Hajin", "هجين", "", "  ", "Al-Baghuz / الباغوز"]),
    "lat": st.sampled_from(["34.69", "", "51.5", "north", "nan", "inf", 34.7]),
    "lon": st.sampled_from(["40.83", "", "-0.12", 40.8]),
    "actor": st.sampled_from(["coalition", "التحالف الدولي", "", "martians", "Russian Military, U.S.-led Coalition",
                              "Syrian army"]),
    "event_type": st.sampled_from(["air_strike", "airstrike", "", "picnic"]),
    "killed_min": st.sampled_from(["3", "", "-1", "three", "9", "12.0", 2, 2.5, True, "99999999999999999999"]),
    "killed_max": st.sampled_from(["5", "", "2", "1e3"]),
    "killed": st.sampled_from(["", "4", "x"]),
    "children_killed": st.sampled_from(["", "1", "-2"]),
    "civilians": st.sampled_from(["", "yes", "no", "maybe", "نعم"]),
    "source_name": st.sampled_from(["Synthetic Monitor A", "", "SANA"]),
    "quote": st.sampled_from(["A synthetic sentence.", "", "جملة اصطناعية"]),
    "description": st.sampled_from(["", "Synthetic description."]),
    "tags": st.sampled_from(["", "a;b", " ; x ;"]),
    "shared_toll": st.sampled_from(["", "yes", "perhaps"]),
    "figures_rule": st.sampled_from(["", "claims", "editor"]),
    "uid": st.sampled_from(["", "u-1", "u-2"]),
    "external_id": st.sampled_from(["", "DZ-1"]),
    "sources": st.sampled_from(["", "A <https://example.org/a>; B"]),
    "source_published": st.sampled_from(["", "2018-11-18", "2099-01-01"]),
}


@st.composite
def rows(draw):
    names = draw(st.sets(st.sampled_from(sorted(CELLS)), min_size=1))
    count = draw(st.integers(1, 6))
    out = []
    for number in range(2, 2 + count):
        row = {name: draw(CELLS[name]) for name in names}
        row["__source__"] = "table"
        out.append((number, dict(row), row))
    return out


def _comparable(parsed):
    result = []
    for row in parsed:
        incident = None
        if row.incident is not None:
            incident = row.incident.to_dict()
            if incident["uid"] not in ("u-1", "u-2"):
                incident.pop("uid")
            for claim in incident["claims"]:
                claim.pop("uid")
        result.append((row.row, incident, row.problems))
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_column_wise_and_row_wise_parsing_agree(table):
    assert _comparable(parse_columnwise(table)) == _comparable(parse_rowwise(table))


def test_a_clean_table_takes_the_column_path():
    table = [(n, {}, {"date_start": "2018-11-17", "place_text": "Hajin", "killed_min": str(n), "killed_max": "99",
                      "source_name": "Synthetic Monitor A", "quote": "A synthetic sentence."}) for n in range(2, 50)]
    seen = []
    parse_columnwise(table, progress=lambda fraction, what: seen.append(what))
    assert seen[-1] == "48 rows parsed (0 one by one)"


def test_columns_of_unequal_length_are_refused_before_any_row_is_written(sqlite_store):
    """The bulk insert zips its columns lazily: a short column must stop it before the first row, not after."""
    from sqlalchemy import func, select

    from incidents.storage import schema
    from incidents.storage.engine import writing
    from incidents.storage.store import insert_columns

    def stored() -> int:
        with sqlite_store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.store_meta)).scalar()

    before = stored()
    with pytest.raises(ValueError, match="unequal length"), writing(sqlite_store.engine) as conn:
        insert_columns(conn, schema.store_meta, {"key": ["a", "b", "c"], "value": ["1", "2"]})
    assert stored() == before
