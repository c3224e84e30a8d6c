"""Bringing your own table (#13): column mapping, faithful fields, idempotent re-import, on SQLite and PostgreSQL.

Every table here is SYNTHETIC, written for these tests (names such as "Synthetic Monitor A", example.org URLs).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from incidents.domain.errors import FileFormatError
from incidents.domain.users import LOCAL_USER
from incidents.io.mapping import MappingError, load_mapping, parse_map_options, propose_field, propose_mapping
from incidents.services.importer import Area, ImportOptions, import_incidents, read_incidents
from incidents.services.service import load_incident
from incidents.storage.store import Store

AIRWARS = Path(__file__).parent / "data" / "airwars_style_synthetic.csv"


class FakeGazetteer:
    """Knows two places by name; anything else is unplaced."""

    PLACES = {"Al-Mayadin": ("t:mayadin", 35.02, 40.45), "Hajin": ("t:hajin", 34.69, 40.83),
              "هجين": ("t:hajin", 34.69, 40.83),
              "الباغوز": ("t:baghuz", 34.46, 40.94)}

    def geocode(self, text, context=None):
        from types import SimpleNamespace

        hit = self.PLACES.get(text)
        if hit is None:
            return SimpleNamespace(match=None)
        pid, lat, lon = hit
        return SimpleNamespace(match=SimpleNamespace(id=pid, name_ar=None, name_en=text, lat=lat, lon=lon,
                                                     admin1="SY09", admin2="SY0903", admin3=None,
                                                     precision="village"))

    def get(self, place_id):
        return None

    def nearby(self, lat, lon, km=10, limit=10):
        return []


@pytest.fixture
def store(db_url):
    opened = Store.open(db_url, sample=False)
    yield opened
    opened.engine.dispose()


# -- proposing a mapping -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "expected"), [
    ("incident_code", "external_id"), ("Incident Date", "date_start"), ("date_range_end", "date_end"),
    ("location_en", "place_name_en"), ("location_ar", "place_name_ar"), ("geolocation_accuracy", "location_accuracy"),
    ("Belligerent", "actor"), ("civilians_killed_min", "killed_min"), ("Civilians killed (max)", "killed_max"),
    ("children_killed_min", "children_killed_min"), ("Children killed max", "children_killed_max"),
    ("sources", "sources"), ("تاريخ الحادثة", "date_start"), ("عدد القتلى", "killed"), ("القرية", "place_text"),
    ("الجهة المسؤولة", "actor"), ("القتلى الأدنى", "killed_min"), ("Latitude", "lat"), ("LONG", "lon"),
    ("#geo+lat", "lat"), ("#affected+max+killed", "killed_max"), ("Colour of the folder", None),
])
def test_a_mapping_is_proposed_from_english_arabic_range_and_hxl_headers(header, expected):
    assert propose_field(header) == expected


def test_an_hxl_row_under_the_header_decides_the_field():
    mapping = propose_mapping(["Lieu", "Morts"], ["#loc+name", "#affected+killed"])
    assert mapping.columns == (("Lieu", "place_text"), ("Morts", "killed"))


def test_an_unknown_column_is_an_error_unless_mapped_kept_or_ignored():
    data = (b"date_start,place_text,killed,source_name,quote,Colour of the folder\n"
            b"2018-11-17,Hajin,3,Synthetic Monitor A,Synthetic sentence.,blue\n")
    with pytest.raises(MappingError, match=r"no field for column\(s\) 'Colour of the folder'.*nothing is dropped"):
        read_incidents(data, "t.csv")
    kept = read_incidents(data, "t.csv", options=ImportOptions(keep_unmapped=True)).valid[0]
    assert kept.extra == {"Colour of the folder": "blue"}
    ignored = read_incidents(data, "t.csv", options=ImportOptions(changes=(("Colour of the folder", "ignore"),)))
    assert ignored.valid[0].extra == {}


def test_map_options_and_unknown_fields_are_checked():
    assert parse_map_options(["Date of strike=date_start", "Notes=extra", "Junk="]) == {
        "Date of strike": "date_start", "Notes": "extra", "Junk": None}
    with pytest.raises(MappingError, match="expected COLUMN=FIELD"):
        parse_map_options(["nonsense"])
    with pytest.raises(MappingError, match="'deaths_total' is not a field"):
        propose_mapping(["a"]).with_changes({"a": "deaths_total"})
    with pytest.raises(MappingError, match="the table has no column 'Other'"):
        load_mapping('{"columns": {"Other": "date_start"}}', ["a"])


# -- a table with unusual English and Arabic headers, through a saved mapping file -------------------------

UNUSUAL = (
    "رقم الحالة,When it happened (dd/mm/yyyy),Village / القرية,Who did it,Dead (low),Dead (high),"
    "أطفال بين القتلى,Reported by,What they wrote,Researcher's note\n"
    "DZ-77,17/11/2018,هجين,التحالف الدولي,3,5,1,Synthetic Monitor A,قُتل ثلاثة مدنيين (جملة اصطناعية),checked twice\n"
    "DZ-78,01/12/2018,الباغوز,Russian Military,2,2,,Synthetic Network B,Two killed (synthetic sentence).,\n"
)


def test_a_table_with_unusual_headers_imports_through_a_saved_mapping(store):
    data = UNUSUAL.encode("utf-8")
    header = UNUSUAL.splitlines()[0].split(",")
    with pytest.raises(MappingError):
        read_incidents(data, "own.csv")  # several headers are not recognised: nothing guessed silently
    mapping_file = json.dumps({"columns": {
        "رقم الحالة": "external_id", "When it happened (dd/mm/yyyy)": "date_start", "Village / القرية": "place_text",
        "Who did it": "actor", "Dead (low)": "killed_min", "Dead (high)": "killed_max",
        "أطفال بين القتلى": "children_killed", "Reported by": "source_name", "What they wrote": "quote",
        "Researcher's note": "extra"}, "source": "our-team"}, ensure_ascii=False)
    assert load_mapping(mapping_file, header).unmapped == []
    options = ImportOptions(mapping_text=mapping_file)
    result = import_incidents(store, LOCAL_USER, data, "own.csv", options=options, gazetteer=FakeGazetteer())
    assert result.summary().startswith("2 new, 0 updated, 0 unchanged, 0 rejected of 2 row(s)")
    first = load_incident(store, LOCAL_USER, result.new[0])
    assert (first.external_source, first.external_id) == ("our-team", "DZ-77")
    assert first.date_start == date(2018, 11, 17) and first.place_text == "هجين" and first.place_id == "t:hajin"
    assert (first.actor, first.killed_min, first.killed_max, first.children_killed) == ("coalition", 3, 5, 1)
    assert first.extra == {"Researcher's note": "checked twice"}
    assert first.claims[0].quote == "قُتل ثلاثة مدنيين (جملة اصطناعية)"
    again = import_incidents(store, LOCAL_USER, data, "own.csv", options=options, gazetteer=FakeGazetteer())
    assert again.summary().startswith("0 new, 0 updated, 2 unchanged")


# -- an Airwars-style table --------------------------------------------------------------------------------


def test_an_airwars_style_table_keeps_dates_places_codes_contested_actors_and_every_source(store):
    result = import_incidents(store, LOCAL_USER, AIRWARS.read_bytes(), AIRWARS.name, gazetteer=FakeGazetteer())
    assert result.format == "airwars"
    assert result.summary() == ("3 new, 0 updated, 0 unchanged, 0 rejected of 3 row(s) (airwars); "
                                "1 place name(s) could not be located")
    assert result.unresolved == [(3, "Xyzzy Farms / مزارع زيزي")]
    by_code = {i.external_id: i for i in store.list_incidents()}
    assert set(by_code) == {"SYNTH-DZ-001", "SYNTH-DZ-002", "SYNTH-DZ-003"}
    first, second, third = by_code["SYNTH-DZ-001"], by_code["SYNTH-DZ-002"], by_code["SYNTH-DZ-003"]
    assert first.external_source == "airwars"
    assert (first.date_start, first.date_end, first.date_precision) == (date(2017, 6, 3), date(2017, 6, 4), "week")
    assert (third.date_start, third.date_end, third.date_precision) == (date(2017, 10, 1), date(2017, 10, 31),
                                                                         "month")
    assert first.place_text == "Al-Mayadin / الميادين" and first.place_id == "t:mayadin"
    assert second.place_text == "Xyzzy Farms / مزارع زيزي" and second.lat is None
    assert second.location_precision == "unknown"  # "Exact location" of no stated point means nothing
    assert second.extra["location_accuracy"] == "Exact location (other)"
    assert (first.actor_certainty, first.extra["actors"]) == ("contested", ["russia", "coalition"])
    assert (second.actor, second.actor_certainty) == ("coalition", "stated")
    assert (first.killed_min, first.killed_max, first.children_killed) == (4, 9, 1)
    assert (first.extra["children_killed_min"], first.extra["children_killed_max"]) == (1, 3)
    assert [(c.source_name, c.url) for c in third.claims] == [
        ("Synthetic Network B", "https://example.net/b/3"), ("Synthetic Paper C", "https://example.com/c/3"),
        ("Synthetic Monitor A", "https://example.org/a/3")]
    assert all("SYNTH-DZ-003" in c.quote and "None" not in c.quote for c in third.claims)
    assert (first.civilians, first.event_type) == ("yes", "air_strike")


def test_the_same_file_twice_gives_no_new_rows_and_a_changed_row_updates_its_incident(store):
    data = AIRWARS.read_bytes()
    import_incidents(store, LOCAL_USER, data, AIRWARS.name, gazetteer=FakeGazetteer())
    again = import_incidents(store, LOCAL_USER, data, AIRWARS.name, gazetteer=FakeGazetteer())
    assert again.summary().startswith("0 new, 0 updated, 3 unchanged, 0 rejected of 3 row(s)")
    assert store.count_incidents() == 3
    changed = data.decode().replace("SYNTH-DZ-002,2017-09-12,,Xyzzy Farms,مزارع زيزي,Exact location (other),"
                                    "U.S.-led Coalition,2,2",
                                    "SYNTH-DZ-002,2017-09-12,,Xyzzy Farms,مزارع زيزي,Exact location (other),"
                                    "U.S.-led Coalition,2,6").encode()
    third = import_incidents(store, LOCAL_USER, changed, AIRWARS.name, gazetteer=FakeGazetteer())
    assert third.summary().startswith("0 new, 1 updated, 2 unchanged")
    updated = next(i for i in store.list_incidents() if i.external_id == "SYNTH-DZ-002")
    assert updated.version == 2 and updated.killed_max == 6
    assert len(updated.claims) == 2  # the earlier claim is kept beside the new one: nothing is dropped


def test_a_row_matching_a_deleted_incident_is_skipped_and_named_not_updated_behind_the_admin(store):
    from incidents.services.service import delete_incident, restore_incident

    data = AIRWARS.read_bytes()
    import_incidents(store, LOCAL_USER, data, AIRWARS.name, gazetteer=FakeGazetteer())
    hidden = next(i for i in store.list_incidents() if i.external_id == "SYNTH-DZ-002")
    delete_incident(store, LOCAL_USER, hidden.uid, reason="synthetic test: out of scope")
    changed = data.decode().replace("U.S.-led Coalition,2,2", "U.S.-led Coalition,2,6").encode()
    assert changed != data
    result = import_incidents(store, LOCAL_USER, changed, AIRWARS.name, gazetteer=FakeGazetteer())
    assert result.summary().startswith("0 new, 0 updated, 2 unchanged, 0 rejected of 3 row(s)")
    assert "1 row(s) skipped: they match deleted incidents" in result.summary()
    assert [uid for _, uid in result.deleted] == [hidden.uid] and result.deleted[0][0] == 3
    still = store.get_incident(hidden.uid, include_deleted=True)
    assert still.deleted_at is not None and still.version == hidden.version + 1  # only the deletion changed it
    assert still.killed_max == 2 and store.count_incidents() == 2  # no update, no second copy
    restore_incident(store, LOCAL_USER, hidden.uid)
    after = import_incidents(store, LOCAL_USER, changed, AIRWARS.name, gazetteer=FakeGazetteer())
    assert after.summary().startswith("0 new, 1 updated, 2 unchanged") and not after.deleted
    assert store.get_incident(hidden.uid).killed_max == 6


def test_reimporting_an_export_of_this_project_is_a_no_op(store):
    from incidents.io.exporter import export_incidents

    import_incidents(store, LOCAL_USER, AIRWARS.read_bytes(), AIRWARS.name, gazetteer=FakeGazetteer())
    for fmt in ("csv", "geojson", "xlsx"):
        exported = export_incidents(store.list_incidents(), fmt)
        result = import_incidents(store, LOCAL_USER, exported, f"export.{fmt}", gazetteer=FakeGazetteer())
        assert result.summary().startswith("0 new, 0 updated, 3 unchanged"), (fmt, result.summary())
    assert all(i.version == 1 for i in store.list_incidents())


# -- ACLED: the area the user chose ------------------------------------------------------------------------

ACLED = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,country,admin1,location,latitude,"
    "longitude,geo_precision,source,notes,fatalities\n"
    "SYR1,2019-03-01,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),Syria,"
    "Deir-ez-Zor,Hajin,34.69,40.83,1,Synthetic Monitor A,Synthetic note one.,3\n"
    "SYR2,2019-03-02,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),Syria,"
    "Aleppo,Al Bab,36.37,37.51,1,Synthetic Monitor A,Synthetic note two.,1\n"
)


def test_acled_rows_outside_the_chosen_area_are_reported_and_skipped_unless_asked_for(store):
    area = Area(country="Syria", governorate="Deir ez-Zor")
    result = import_incidents(store, LOCAL_USER, ACLED.encode(), "acled.csv", options=ImportOptions(area=area))
    assert result.outside == [(3, "Syria, Aleppo")]
    assert "1 new" in result.summary() and "1 row(s) outside the chosen area skipped" in result.summary()
    assert [i.external_id for i in store.list_incidents()] == ["SYR1"]
    kept = import_incidents(store, LOCAL_USER, ACLED.encode(), "acled.csv",
                            options=ImportOptions(area=area, include_outside=True))
    assert kept.summary().startswith("1 new, 0 updated, 1 unchanged")


def test_a_mapping_that_sends_two_columns_to_one_field_is_refused():
    data = b"date_start,when,place_text,source_name,quote\n2018-11-17,2018-11-17,Hajin,S,q\n"
    with pytest.raises(FileFormatError, match="'date_start', 'when' all map to date_start"):
        read_incidents(data, "t.csv", options=ImportOptions(changes=(("when", "date_start"),)))


def test_a_large_clean_table_is_stored_exactly_through_the_bulk_path(store):
    header = "id,date,place,lat,lon,actor,killed_min,killed_max,source,quote\n"
    rows = "".join(f"R-{n},2018-11-{n % 28 + 1:02d},Hajin,34.69,40.83,coalition,{n % 5},{n % 5 + 2},"
                   f"Synthetic Monitor A,Synthetic sentence {n}.\n" for n in range(120))
    data = (header + rows).encode()
    parsed = read_incidents(data, "many.csv")
    result = import_incidents(store, LOCAL_USER, data, "many.csv")
    assert result.summary().startswith("120 new")
    stored = {i.external_id: i for i in store.list_incidents()}
    for incident in parsed.valid:
        again = stored[incident.external_id]
        assert (again.date_start, again.lat, again.killed_min, again.killed_max, again.claims[0].quote) == (
            incident.date_start, incident.lat, incident.killed_min, incident.killed_max, incident.claims[0].quote)
        assert again.created_at is not None and again.claims[0].created_at == again.created_at
