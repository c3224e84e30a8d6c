"""Named victims through the service (#18), on SQLite and PostgreSQL: permissions, audit, locking, privacy,
linking of mentions, search with spelling variants."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from incidents.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from incidents.domain.users import User
from incidents.domain.victims import Victim, shown_name
from incidents.services.service import update_incident
from incidents.services.victims_service import (
    add_victim,
    delete_victim,
    link_mentions,
    load_victims,
    load_victims_of,
    may_see_names,
    search_people,
    set_viewers_see_names,
    update_victim,
    withhold_name,
)
from incidents.storage import schema

EDITOR = User("editor-1", "editor")
REVIEWER = User("reviewer-1", "reviewer")
VIEWER = User("viewer-1", "viewer")
ADMIN = User("admin-1", "admin")


def make_victim(incident_uid: str, **overrides) -> Victim:
    """A valid mention; the names are written for the tests."""
    values = dict(incident_uid=incident_uid, source_name="Test source (synthetic)",
                  quote="Among the dead was the child Mohammed al-Ali, 7 (sentence written for this test).",
                  name_ar="محمد العلي", name_en="Mohammed al-Ali", age=7, sex="male", status="civilian")
    return Victim(**{**values, **overrides})


def _audit(store, entity: str) -> list[dict]:
    table = schema.audit_log
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.entity == entity).order_by(table.c.id)).mappings().all()
    return [{**r, "changes": json.loads(r["changes"])} for r in rows]


def test_add_edit_and_read_back_with_audit(seeded):
    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid), reason="from the report")
    assert stored.age_group == "child" and stored.version == 1
    got = load_victims(seeded.store, EDITOR, seeded.draft.uid).victims
    assert [(v.uid, v.name_ar, v.age) for v in got] == [(stored.uid, "محمد العلي", 7)]
    edited = update_victim(seeded.store, EDITOR, stored.uid, {"age": 8, "relation": "son of Ahmad"},
                           expected_version=1, reason="second source")
    assert edited.version == 2 and edited.age == 8
    entries = _audit(seeded.store, "victim")
    assert [e["action"] for e in entries] == ["create", "update"]
    assert entries[1]["changes"]["age"] == [7, 8] and entries[1]["user_name"] == "editor-1"


def test_stale_version_is_refused_and_nothing_written(seeded):
    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    update_victim(seeded.store, REVIEWER, stored.uid, {"age": 9}, expected_version=1)
    with pytest.raises(ConflictError, match="reviewer-1"):
        update_victim(seeded.store, EDITOR, stored.uid, {"age": 6}, expected_version=1)
    assert load_victims(seeded.store, EDITOR, seeded.draft.uid).victims[0].age == 9


@pytest.mark.parametrize("changes, field", [({"age": 200}, "age"), ({"outcome": "missing"}, "outcome"),
                                            ({"name_ar": "", "name_en": " "}, "name"), ({"quote": ""}, "quote"),
                                            ({"uid": "x"}, "uid")])
def test_bad_values_are_refused_naming_the_field(seeded, changes, field):
    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    with pytest.raises(ValidationError, match=field):
        update_victim(seeded.store, EDITOR, stored.uid, changes, expected_version=1)


def test_permissions_follow_the_incident_status(seeded):
    with pytest.raises(PermissionDenied):
        add_victim(seeded.store, VIEWER, make_victim(seeded.draft.uid))
    with pytest.raises(PermissionDenied):
        add_victim(seeded.store, EDITOR, make_victim(seeded.published.uid))  # published: reviewer and above
    assert add_victim(seeded.store, REVIEWER, make_victim(seeded.published.uid)).version == 1


def test_viewers_do_not_see_names_until_an_admin_allows_it(seeded):
    add_victim(seeded.store, REVIEWER, make_victim(seeded.published.uid))
    assert not may_see_names(seeded.store, VIEWER) and may_see_names(seeded.store, EDITOR)
    hidden = load_victims(seeded.store, VIEWER, seeded.published.uid)
    assert not hidden.names_visible
    assert hidden.victims[0].name_ar is None and hidden.victims[0].name_en is None and hidden.victims[0].quote == ""
    assert hidden.victims[0].age == 7  # the facts stay; only the identity is hidden
    assert shown_name(hidden.victims[0], names_visible=hidden.names_visible) == "name hidden"
    with pytest.raises(PermissionDenied):
        search_people(seeded.store, VIEWER, "Mohammed")
    with pytest.raises(PermissionDenied):
        set_viewers_see_names(seeded.store, EDITOR, True)
    set_viewers_see_names(seeded.store, ADMIN, True, reason="memorial project")
    shown = load_victims(seeded.store, VIEWER, seeded.published.uid)
    assert shown.names_visible and shown.victims[0].name_en == "Mohammed al-Ali"
    assert _audit(seeded.store, "settings")[-1]["changes"] == {"viewers_see_names": [False, True]}


def test_viewers_never_get_victims_of_unpublished_incidents(seeded):
    add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    with pytest.raises(NotFound):
        load_victims(seeded.store, VIEWER, seeded.draft.uid)
    assert load_victims_of(seeded.store, VIEWER, [seeded.draft.uid]).victims == []


def test_every_read_is_audited(seeded):
    add_victim(seeded.store, REVIEWER, make_victim(seeded.published.uid))
    load_victims(seeded.store, VIEWER, seeded.published.uid)
    load_victims(seeded.store, EDITOR, seeded.published.uid)
    search_people(seeded.store, EDITOR, "محمد")
    entries = _audit(seeded.store, "victims")
    assert [(e["action"], e["user_name"]) for e in entries] == [
        ("view_victims", "viewer-1"), ("view_victims", "editor-1"), ("search_victims", "editor-1")]
    assert entries[0]["changes"]["names_shown"] == [None, False]
    assert entries[1]["changes"]["names_shown"] == [None, True]


def test_withheld_name_is_removed_from_every_read_and_search(seeded):
    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    withhold_name(seeded.store, EDITOR, stored.uid, expected_version=1, reason="family's request")
    for user in (EDITOR, ADMIN):
        victim = load_victims(seeded.store, user, seeded.draft.uid).victims[0]
        assert victim.name_ar is None and shown_name(victim) == "name withheld"
        assert search_people(seeded.store, user, "Mohammed") == []
    assert load_victims(seeded.store, EDITOR, seeded.draft.uid, for_edit=True).victims[0].name_ar == "محمد العلي"
    with pytest.raises(PermissionDenied):
        load_victims(seeded.store, VIEWER, seeded.published.uid, for_edit=True)
    assert _audit(seeded.store, "victim")[-1]["action"] == "withhold_name"


def test_two_sources_naming_one_person_are_both_kept_and_linked(seeded):
    first = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    second = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid, name_ar="محمّد علي", name_en=None,
                                                          age=None, age_group="child", source_name="Other source"))
    link_mentions(seeded.store, EDITOR, second.uid, first.uid, expected_version=1)
    got = load_victims(seeded.store, EDITOR, seeded.draft.uid).victims
    assert len(got) == 2 and {v.person for v in got} == {first.uid}
    assert {v.source_name for v in got} == {"Test source (synthetic)", "Other source"}


def test_delete_is_soft_and_audited(seeded):
    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    with pytest.raises(ConflictError):
        delete_victim(seeded.store, EDITOR, stored.uid, expected_version=5)
    delete_victim(seeded.store, EDITOR, stored.uid, expected_version=1, reason="entered twice")
    assert load_victims(seeded.store, EDITOR, seeded.draft.uid).victims == []
    assert _audit(seeded.store, "victim")[-1]["action"] == "delete"


@pytest.mark.parametrize("query", ["محمد العلي", "محمّد", "مُحَمَّد علي", "Mohammed Ali", "mohammed al-ali", "ALI"])
def test_search_finds_a_person_across_spelling_variants(seeded, query):
    add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    add_victim(seeded.store, REVIEWER, make_victim(seeded.published.uid, name_ar="فاطمة الحسن",
                                                   name_en="Fatima al-Hassan", age=None, age_group="adult",
                                                   sex="female"))
    hits = search_people(seeded.store, EDITOR, query)
    assert [h.incident_uid for h in hits] == [seeded.draft.uid]


def test_search_spans_incidents_and_folds_ta_marbuta(seeded):
    add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid, name_ar="فاطمة الحسن", name_en=None, age=30,
                                                 sex="female"))
    add_victim(seeded.store, REVIEWER, make_victim(seeded.published.uid, name_ar="فاطمه حسن", name_en=None,
                                                   age=None, sex="female"))
    hits = search_people(seeded.store, EDITOR, "فاطمة الحسن")
    assert {h.incident_uid for h in hits} == {seeded.draft.uid, seeded.published.uid}


def test_a_victim_that_changes_no_figure_leaves_the_incident_version_alone(seeded):
    add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid, age=40))  # 1 named of 3 killed: nothing new
    update_incident(seeded.store, EDITOR, seeded.draft.uid, {"description": "x"}, expected_version=1)


def test_a_victim_that_changes_the_figures_is_audited_and_bumps_the_version(seeded):
    add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid), reason="from the report")  # a child, age 7
    with pytest.raises(ConflictError, match="derive: children_killed: None → 1"):
        update_incident(seeded.store, REVIEWER, seeded.draft.uid, {"description": "x"}, expected_version=1)
    incident = seeded.store.get_incident(seeded.draft.uid)
    assert (incident.version, incident.children_killed) == (2, 1)
    (entry,) = [e for e in _audit(seeded.store, "incident") if e["action"] == "derive"]
    assert entry["changes"]["children_killed"] == [None, 1] and entry["reason"] == "from the report"


def test_add_report_saves_the_kept_named_victims_with_the_new_record(seeded):
    from datetime import date

    from incidents.extract.candidate import Candidate
    from incidents.extract.named import find_named_victims
    from incidents.services import review

    text = "Hajin, 3 May. A strike killed a woman, Fatima al-Hassan, and her three children in Hajin."
    candidate = Candidate(place_text="Hajin", place=None, quote=text[14:], killed_min=4, killed_max=4,
                          source="Test source (synthetic)", date_start=date(2018, 5, 3), date_end=date(2018, 5, 3),
                          date_precision="day", victims=find_named_victims(text))
    plan = review.plan_save([candidate], {0: review.Choice("new")}, text)
    result = review.save_plan(seeded.store, EDITOR, plan)
    uid = result.created[0]
    (victim,) = load_victims(seeded.store, EDITOR, uid).victims
    assert (victim.name_en, victim.sex, victim.relation) == ("Fatima al-Hassan", "female", "and her three children")
    assert victim.source_name == "Test source (synthetic)" and "Fatima al-Hassan" in victim.quote
    incident = seeded.store.get_incident(uid)  # the report counts no women: the named woman is counted
    assert (incident.killed_min, incident.women_killed, incident.children_killed) == (4, 1, None)


def test_add_report_figures_count_the_named_when_the_report_gives_no_toll(seeded):
    from incidents.extract.candidate import Candidate
    from incidents.extract.named import find_named_victims
    from incidents.services import review

    text = "Hajin. A strike killed a woman, Fatima al-Hassan, and a 12-year-old boy, Omar Khalil (written for a test)."
    candidate = Candidate(place_text="Hajin", place=None, quote=text[7:], source="Test source (synthetic)",
                          victims=find_named_victims(text))
    assert len(candidate.victims) == 2 and candidate.killed_min is None
    result = review.save_plan(seeded.store, EDITOR, review.plan_save([candidate], {0: review.Choice("new")}, text))
    incident = seeded.store.get_incident(result.created[0])
    assert (incident.killed_min, incident.killed_best, incident.killed_max) == (2, 2, None)
    assert (incident.children_killed, incident.women_killed) == (1, 1)


def test_victims_survive_backup_and_restore(seeded, tmp_path, fresh_url):
    from incidents.services import backup
    from incidents.storage.store import Store

    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    backup.backup_database(seeded.store, ADMIN, tmp_path / "v.backup")
    url = str(seeded.store.engine.url.render_as_string(hide_password=False))
    seeded.store.engine.dispose()
    restored = Store.open(fresh_url(url), sample=False)
    try:
        backup.restore_database(restored, tmp_path / "v.backup", ADMIN)
        (back,) = load_victims(restored, EDITOR, seeded.draft.uid).victims
        assert back.to_dict() == stored.to_dict()
        add_victim(restored, EDITOR, make_victim(seeded.draft.uid, name_ar="اسم آخر"))  # sequences moved on
    finally:
        restored.engine.dispose()


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_migration_0006_creates_and_drops_the_victims_table(db_url):
    from alembic import command
    from sqlalchemy import inspect

    from incidents.storage.engine import alembic_config, create_engine_for, writing

    engine = create_engine_for(db_url)
    try:
        for step, revision, present in ((command.upgrade, "0005_import", False),
                                        (command.upgrade, "0006_victims", True),
                                        (command.downgrade, "0005_import", False)):
            cfg = alembic_config()
            with writing(engine) as conn:
                cfg.attributes["connection"] = conn
                step(cfg, revision)
            assert ("victims" in inspect(engine).get_table_names()) is present
    finally:
        engine.dispose()


def test_victims_follow_their_incident_into_a_merge(seeded):
    from incidents.services.service import merge_incidents

    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.spare.uid))
    merge_incidents(seeded.store, ADMIN, seeded.draft.uid, seeded.spare.uid, reason="same event")
    (moved,) = load_victims(seeded.store, EDITOR, seeded.draft.uid).victims
    assert moved.uid == stored.uid and moved.incident_uid == seeded.draft.uid
    assert update_victim(seeded.store, EDITOR, stored.uid, {"age": 8}, expected_version=1).age == 8
    assert [h.incident_uid for h in search_people(seeded.store, EDITOR, "Mohammed")] == [seeded.draft.uid]


def test_victims_follow_a_chain_of_merges_and_keep_counting(seeded):
    """Spare is merged into draft, then draft into published: the victims named on spare (and the figure they
    raise) follow both merges. Before the fix the second merge left spare pointing at the deleted draft: its named
    victims vanished from every list and from the published incident's figures."""
    from incidents.services.service import merge_incidents

    _named(seeded.store, EDITOR, seeded.spare.uid, 5)  # above the sources' 3: the named set the floor
    assert merge_incidents(seeded.store, REVIEWER, seeded.draft.uid, seeded.spare.uid, reason="same").killed_min == 5
    merged = merge_incidents(seeded.store, REVIEWER, seeded.published.uid, seeded.draft.uid, reason="same again")
    assert merged.killed_min == 5
    assert len(load_victims(seeded.store, EDITOR, seeded.published.uid).victims) == 5
    with seeded.store.engine.connect() as conn:
        table = schema.incidents
        pointing = dict(conn.execute(select(table.c.uid, table.c.merged_into)
                                     .where(table.c.merged_into.is_not(None))).all())
    assert pointing == {seeded.spare.uid: seeded.published.uid, seeded.draft.uid: seeded.published.uid}


def test_named_lists_longer_than_every_toll_are_flagged_for_review(seeded):
    from incidents.services.victims_service import flag_named_lists

    for n in range(3):  # the seeded incidents' single source gives 3 killed
        add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid, name_en=f"Person {n}", name_ar=None))
    assert flag_named_lists(seeded.store, EDITOR) == []
    add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid, name_en="Person 4", name_ar=None))
    (flag,) = flag_named_lists(seeded.store, EDITOR)
    assert (flag.incident_uid, flag.killed_named, flag.figure, flag.reason) == (seeded.draft.uid, 4, 3,
                                                                           "exceeds_sources")
    assert flag_named_lists(seeded.store, VIEWER) == []  # a draft: not the viewer's to see


def test_victim_history_holds_writes_and_reads_for_editors_only(seeded):
    from incidents.services.victims_service import victim_history

    stored = add_victim(seeded.store, EDITOR, make_victim(seeded.draft.uid))
    withhold_name(seeded.store, EDITOR, stored.uid, expected_version=1)
    load_victims(seeded.store, REVIEWER, seeded.draft.uid)
    entries = victim_history(seeded.store, EDITOR, seeded.draft.uid)
    assert [(e["action"], e["user_name"]) for e in entries] == [
        ("create", "editor-1"), ("withhold_name", "editor-1"), ("view_victims", "reviewer-1")]
    with pytest.raises(PermissionDenied):
        victim_history(seeded.store, VIEWER, seeded.draft.uid)


# -- named victims are a floor for the incident's figures (#18) ------------------------------------------


def _named(store, user, incident_uid: str, count: int, **overrides) -> list[Victim]:
    return [add_victim(store, user, make_victim(incident_uid, name_en=f"Person {n}", name_ar=None, age=30,
                                                **overrides)) for n in range(count)]


def test_named_killed_are_a_floor_in_the_totals_and_the_export(seeded):
    import csv
    import io

    from incidents.analysis.filters import Filter
    from incidents.io.exporter import export_incidents
    from incidents.services.query import count_selection, select_incidents

    uid = seeded.published.uid  # one source: 3 killed
    assert count_selection(seeded.store, REVIEWER, Filter()).killed == 3
    _named(seeded.store, REVIEWER, uid, 5)
    assert count_selection(seeded.store, REVIEWER, Filter()).killed == 5
    assert count_selection(seeded.store, REVIEWER, Filter(figure="best")).killed == 5
    rows = list(csv.DictReader(io.StringIO(export_incidents(select_incidents(seeded.store, REVIEWER, Filter()),
                                                             "csv").decode("utf-8-sig"))))
    assert [(r["uid"], r["killed_min"], r["killed_max"]) for r in rows] == [(uid, "5", "5")]
    assert seeded.store.get_incident(uid).claims[0].killed_min == 3  # the source's own figure is kept


def test_mentions_of_one_person_count_once_in_the_figures(seeded):
    uid = seeded.draft.uid
    first, *_ = _named(seeded.store, EDITOR, uid, 4)
    again = add_victim(seeded.store, EDITOR, make_victim(uid, name_en="Person 0", name_ar=None, age=30,
                                                         source_name="Second source (synthetic)"))
    assert seeded.store.get_incident(uid).killed_min == 5  # not yet known to be the same person
    link_mentions(seeded.store, EDITOR, again.uid, first.uid, expected_version=1)
    assert seeded.store.get_incident(uid).killed_min == 4
    delete_victim(seeded.store, EDITOR, first.uid, expected_version=1)  # the person is still named once
    assert seeded.store.get_incident(uid).killed_min == 4
    delete_victim(seeded.store, EDITOR, again.uid, expected_version=2)
    assert seeded.store.get_incident(uid).killed_min == 3  # back to the source's toll


def test_injured_named_raise_the_injured_figures(seeded):
    _named(seeded.store, EDITOR, seeded.draft.uid, 2, outcome="injured")
    incident = seeded.store.get_incident(seeded.draft.uid)
    assert (incident.killed_min, incident.injured_min, incident.injured_max) == (3, 2, None)


def test_children_and_women_derive_from_names_only_where_no_source_counts(seeded):
    from incidents.domain.records import Claim
    from incidents.services.service import add_claim

    uid = seeded.draft.uid
    add_victim(seeded.store, EDITOR, make_victim(uid))  # a boy of 7
    add_victim(seeded.store, EDITOR, make_victim(uid, name_en="Fatima al-Hassan", name_ar=None, age=30,
                                                 sex="female"))
    incident = seeded.store.get_incident(uid)
    assert (incident.children_killed, incident.women_killed) == (1, 1)
    add_claim(seeded.store, EDITOR, uid, Claim(source_name="Second source (synthetic)", quote="Written for the test.",
                                               killed_min=3, killed_max=3, children_killed=2))
    incident = seeded.store.get_incident(uid)
    assert (incident.children_killed, incident.women_killed) == (2, 1)  # a source counts children; none women


def test_an_editors_hand_set_figures_are_kept_and_flagged_below_the_named(seeded):
    from incidents.domain.victims import summarise_named
    from incidents.services.victims_service import flag_named_lists

    uid = seeded.draft.uid
    update_incident(seeded.store, EDITOR, uid, {"killed_min": 2, "killed_max": 2}, expected_version=1,
                    reason="the second strike's toll only")
    _named(seeded.store, EDITOR, uid, 4)
    incident = seeded.store.get_incident(uid)
    assert (incident.figures_rule, incident.killed_min, incident.version) == ("editor", 2, 2)
    victims = load_victims(seeded.store, EDITOR, uid).victims
    assert summarise_named(incident, victims).below_named
    assert [(f.incident_uid, f.reason, f.killed_named, f.figure) for f in flag_named_lists(seeded.store, EDITOR)
            if f.reason == "editor_below_named"] == [(uid, "editor_below_named", 4, 2)]
    incident = update_incident(seeded.store, EDITOR, uid, {"figures_rule": "claims"}, expected_version=2)
    assert (incident.killed_min, incident.killed_max) == (4, 4)  # back to the rule: the named are a floor
    assert not summarise_named(incident, victims).below_named


def test_a_merge_counts_the_named_of_both_incidents(seeded):
    from incidents.services.service import merge_incidents

    _named(seeded.store, EDITOR, seeded.draft.uid, 2)
    add_victim(seeded.store, EDITOR, make_victim(seeded.spare.uid, name_en="Someone else", name_ar=None, age=30))
    _named(seeded.store, EDITOR, seeded.spare.uid, 3)  # three of them are the draft's two, unlinked, and one more
    merged = merge_incidents(seeded.store, REVIEWER, seeded.draft.uid, seeded.spare.uid, reason="same strike")
    assert merged.killed_min == 6  # 2 + 4 persons until mentions are linked; above both sources' 3
