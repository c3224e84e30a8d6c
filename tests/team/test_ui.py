"""AppTest: sign-in with built-in accounts, the account box, a viewer seeing no write controls, an editor's edit
in the history view, and the admin page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.domain.messages import has, text
from incidents.domain.users import ROLES, User
from incidents.services import accounts, service
from incidents.storage.store import Store
from incidents.ui.auth import role_help
from incidents.ui.text import md_plain

APPS = Path(__file__).parent / "apps"
REPO = Path(__file__).resolve().parents[2]
ARABIC_REFUSAL = text("refusals.sign_in", "ar")
PASSWORDS = {"boss": "boss password 1", "ed": "editor password", "vi": "viewer password"}
WRITE_WORDS = ("save", "add", "apply", "restore", "delete", "publish", "review", "merge", "edit", "backup")


@pytest.fixture
def team(sqlite_url, monkeypatch, incident_factory):
    """A shared installation on SQLite with an admin, an editor and a viewer, and one draft incident."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("INCIDENTS_AUTH", "shared")
    store = Store.open(sqlite_url, sample=False)
    boss = accounts.add_user(store, None, "boss", "admin", PASSWORDS["boss"])
    accounts.add_user(store, boss, "ed", "editor", PASSWORDS["ed"])
    accounts.add_user(store, boss, "vi", "viewer", PASSWORDS["vi"])
    (incident,) = service.create_incidents(store, User("ed", "editor"), [incident_factory()])
    monkeypatch.setenv("TEST_INCIDENT_UID", incident.uid)
    store.incident = incident
    yield store
    store.engine.dispose()


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    return at.button(key="auth_submit").click().run()


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button] + [w.label for w in at.text_input] + [w.label for w in at.selectbox]


def test_sign_in_with_a_built_in_account(team):
    at = AppTest.from_file(str(APPS / "signin_app.py"), default_timeout=30).run()
    assert [t.value for t in at.title] == ["Sign in · تسجيل الدخول"]  # nothing else is drawn before sign-in
    assert not any("Protected" in t.value for t in at.title)
    sign_in(at, "boss", "wrong password")
    # escaped Markdown, in both languages: no interface language is chosen before sign-in
    assert [e.value for e in at.error] == [f"{md_plain(accounts.SIGN_IN_REFUSED)}\n\n{md_plain(ARABIC_REFUSAL)}"]
    sign_in(at, "boss", PASSWORDS["boss"])
    assert not at.exception
    assert [t.value for t in at.title] == ["Protected content"]
    assert "Signed in as **boss** · admin" in [m.value for m in at.sidebar.markdown]
    at.sidebar.button(key="auth_sign_out").click().run()
    assert [t.value for t in at.title] == ["Sign in · تسجيل الدخول"]


def test_the_account_box_names_the_role_and_its_rights_in_arabic(team):
    at = AppTest.from_file(str(APPS / "signin_app.py"), default_timeout=30)
    at.query_params["lang"] = "ar"
    sign_in(at.run(), "vi", PASSWORDS["vi"])
    assert not at.exception
    assert "مسجَّل الدخول باسم **vi** · مُطّلع" in [m.value for m in at.sidebar.markdown]
    assert [c.value for c in at.sidebar.caption] == ["قراءة السجلات المنشورة وتصديرها"]


def test_role_help_says_when_a_viewer_sees_unpublished_records():
    assert role_help(User("vi", "viewer"), "en") == "read and export published records"
    assert role_help(User("vi", "viewer", can_see_unpublished=True), "en").endswith(" · sees unpublished records")
    assert role_help(User("ed", "editor", can_see_unpublished=True), "ar") == (
        "إنشاء المسودات وتعديلها، وإضافة الروايات والأماكن")


def test_every_role_has_a_name_and_its_rights_in_both_languages():
    for role in ROLES:
        assert has(f"roles.{role}") and has(f"roles.{role}_help")


def test_locked_account_cannot_sign_in_through_the_form(team):
    at = AppTest.from_file(str(APPS / "signin_app.py"), default_timeout=30).run()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        sign_in(at, "ed", "not the password")
    sign_in(at, "ed", PASSWORDS["ed"])
    assert "locked" in at.error[0].value and [t.value for t in at.title] == ["Sign in · تسجيل الدخول"]


def test_a_disabled_account_is_signed_out_at_its_next_rerun(team):
    at = sign_in(AppTest.from_file(str(APPS / "signin_app.py"), default_timeout=30).run(), "ed", PASSWORDS["ed"])
    assert [t.value for t in at.title] == ["Protected content"]
    accounts.disable_user(team, User("boss", "admin"), "ed")
    at.run()
    assert [t.value for t in at.title] == ["Sign in · تسجيل الدخول"]


def test_local_mode_needs_no_sign_in(team, monkeypatch):
    accounts.set_auth_mode(team, User("boss", "admin"), "local")  # the mode belongs to the database
    monkeypatch.delenv("INCIDENTS_AUTH")
    at = AppTest.from_file(str(APPS / "signin_app.py"), default_timeout=30).run()
    assert [t.value for t in at.title] == ["Protected content"] and not at.text_input
    assert any("Local single-user mode" in c.value for c in at.sidebar.caption)


def test_asking_for_local_mode_does_not_skip_the_sign_in_of_a_shared_database(team, monkeypatch):
    """Issue #12 (4): the mode belongs to the database; INCIDENTS_AUTH=local cannot open a shared one."""
    monkeypatch.setenv("INCIDENTS_AUTH", "local")
    at = AppTest.from_file(str(APPS / "signin_app.py"), default_timeout=30).run()
    assert [t.value for t in at.title] == ["Sign in · تسجيل الدخول"]


def test_an_editors_edit_appears_in_the_history_view(team):
    at = sign_in(AppTest.from_file(str(APPS / "history_app.py"), default_timeout=30).run(), "ed", PASSWORDS["ed"])
    editor = accounts.get_user(team, "ed")
    service.update_incident(team, editor, team.incident.uid, {"target": "market"}, expected_version=1,
                            reason="second paragraph of the report")
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    newest = table.iloc[0]
    assert (newest["who"], newest["action"], newest["field"], newest["old value"], newest["new value"],
            newest["reason"]) == ("ed", "edited", "target", "", "market", "second paragraph of the report")
    assert "created" in set(table["action"])
    assert any("2 change(s)" in m.value for m in at.markdown)


def test_a_viewer_sees_no_history_and_no_write_controls(team):
    at = sign_in(AppTest.from_file(str(APPS / "history_app.py"), default_timeout=30).run(), "vi", PASSWORDS["vi"])
    assert not at.exception and not at.dataframe
    assert any("shown to editors" in c.value for c in at.caption)
    assert labels(at) == ["Sign out · تسجيل الخروج"]


def _admin_page(name: str) -> AppTest:
    """Sign in on the overview, then open the admin page (pages are reached from the entry script)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    sign_in(at, name, PASSWORDS[name])
    return at.switch_page("pages/7_Admin.py").run()


def test_a_viewer_on_the_admin_page_sees_no_write_controls(team):
    at = _admin_page("vi")
    assert not at.exception
    assert any("for admins" in i.value for i in at.info)
    assert not [x for x in labels(at) if any(w in x.lower() for w in WRITE_WORDS)]
    assert not at.dataframe  # no accounts, no audit log


def test_the_admin_adds_an_account_and_sees_it_in_the_audit_log(team):
    at = _admin_page("boss")
    assert not at.exception
    at.text_input(key="admin_new_name").input("rev")
    at.selectbox(key="admin_new_role").select("reviewer")
    at.text_input(key="admin_new_password").input("reviewer password")
    at.button(key="FormSubmitter:admin_add_user-Add account").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [md_plain("Added rev (reviewer).")]
    assert accounts.get_user(team, "rev") == User("rev", "reviewer")
    audit = at.dataframe[1].value  # accounts, then the audit log
    assert (audit.iloc[0]["who"], audit.iloc[0]["action"], audit.iloc[0]["record id"]) == ("boss", "create", "rev")


def test_the_admin_cannot_demote_the_last_admin_from_the_page(team):
    at = _admin_page("boss")
    at.selectbox(key="admin_who").select("boss")
    at.selectbox(key="admin_change").select("set role")
    at.selectbox(key="admin_change_role").select("viewer")
    at.button(key="FormSubmitter:admin_change_user-Apply").click().run()
    assert "last enabled admin" in at.error[0].value
    assert accounts.get_user(team, "boss").role == "admin"


PROVIDER = {"auth": {"redirect_uri": "https://casualties.example.org/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "test-client", "client_secret": "test-secret",
                     "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}}


def _provider_app(user: dict, secrets: dict = PROVIDER) -> AppTest:
    at = AppTest.from_file(str(APPS / "signin_app.py"), default_timeout=30)
    at.secrets = secrets
    at.user = user
    return at.run()


@pytest.mark.parametrize("authlib", [True, False])
def test_the_sign_in_page_offers_the_identity_provider_when_configured(team, monkeypatch, authlib):
    from incidents.ui import auth

    monkeypatch.setattr(auth, "_authlib_installed", lambda: authlib)
    at = _provider_app({"is_logged_in": False})
    offered = (f"Sign in with your organisation's account · {text('auth_with_organisation', 'ar')}"
               in [b.label for b in at.button])
    assert offered == authlib
    if not authlib:  # st.login would fail: say so instead of offering a broken button
        assert "not available on this server" in at.warning[0].value
    assert at.text_input(key="auth_name")  # built-in accounts stay available beside it


def test_a_provider_sign_in_is_mapped_to_the_account_by_email_then_subject(team):
    accounts.add_user(team, User("boss", "admin"), "amal", "reviewer", None, email="amal@example.org")
    at = _provider_app({"is_logged_in": True, "email": "Amal@example.org", "email_verified": True,
                        "sub": "idp-123", "iss": "https://idp.example.org"})
    assert not at.exception and [t.value for t in at.title] == ["Protected content"]
    assert "Signed in as **amal** · reviewer" in [m.value for m in at.sidebar.markdown]
    linked = accounts.find_identity(team, subject="idp-123", email=None, issuer="https://idp.example.org")
    assert linked == User("amal", "reviewer")


@pytest.mark.parametrize("policy, expected", [("deny", None), ("viewer", "viewer")])
def test_an_identity_without_an_account(team, monkeypatch, policy, expected):
    monkeypatch.setenv("INCIDENTS_OIDC_UNKNOWN", policy)
    at = _provider_app({"is_logged_in": True, "email": "stranger@example.org", "email_verified": True,
                        "sub": "idp-999", "iss": "https://idp.example.org"})
    if expected is None:
        assert "has no account for you" in at.error[0].value
        assert not any("Protected" in t.value for t in at.title)
    else:
        assert [t.value for t in at.title] == ["Protected content"]
        assert any("role=viewer" in m.value for m in at.markdown)


def test_an_unverified_email_is_not_trusted(team):
    accounts.add_user(team, User("boss", "admin"), "amal", "admin", None, email="amal@example.org")
    at = _provider_app({"is_logged_in": True, "email": "amal@example.org", "email_verified": False,
                        "sub": "attacker", "iss": "https://idp.example.org"})
    assert not any("Protected" in t.value for t in at.title)
