"""AppTest: Add report proposes the persons a report names, highlighted; the documenter drops one and the other is
saved with the new record (#18). Text written for the test."""

from __future__ import annotations

import re

from incidents.domain.users import User
from incidents.services.victims_service import load_victims

from . import test_pages
from .test_pages import ADD, new_incidents, open_page, propose, texts

shared = test_pages.shared  # the installation fixture of the Add report tests

NAMED = ("Seven civilians were killed in a coalition air strike on Hajin on Friday, among them a woman, "
         "Fatima al-Hassan, and a 12-year-old boy, Omar Khalil.")


def test_named_victims_are_proposed_highlighted_and_saved_as_kept(shared):
    at = propose(open_page("ed", ADD), NAMED)
    page = texts(at)
    assert '<mark class="rv-m rv-named rv-q" title="named person">Fatima al&#45;Hassan</mark>' in page
    assert re.search(r"rv-named[^>]*>Omar Khalil</mark>", page)
    keep = at.multiselect(key="rv.1.en.0.named")
    assert keep.value == [0, 1]
    keep.set_value([1]).run()  # the documenter drops the first
    at.radio(key="rv.1.en.0.action").set_value("new").run()
    at.button(key="rv.1.save").click().run()
    assert not at.exception and not at.error
    (incident,) = new_incidents(shared)
    (victim,) = load_victims(shared, User("ed", "editor"), incident.uid).victims
    assert (victim.name_en, victim.age, victim.age_group, victim.sex) == ("Omar Khalil", 12, "child", "male")
    assert victim.source_name == "Test agency" and victim.quote == NAMED
