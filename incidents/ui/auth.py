"""Sign-in: who is using the dashboard, and with which role.

* **Local mode** (``INCIDENTS_AUTH=local``, the default on SQLite): no sign-in; everyone is the local admin.
* **Shared mode**: a sign-in form for the built-in accounts (:func:`incidents.services.accounts.authenticate`: Argon2id,
  lockout), and, when ``.streamlit/secrets.toml`` has an ``[auth]`` section, a button per identity provider
  (Streamlit's ``st.login``). A provider's sign-in is mapped to an account by the provider's subject, or the
  first time by the account's e-mail address (:func:`incidents.services.accounts.find_identity`). An identity without an
  account gets no access by default; with ``oidc_unknown = "viewer"`` (``[incidents]`` section of the secrets,
  or ``INCIDENTS_OIDC_UNKNOWN=viewer``) it may read published records, as a viewer without an account.

The signed-in account is kept in ``st.session_state`` by name only and read again from the database on every
rerun, so a role change or a disabled account takes effect at once, in every process. Built-in sign-ins last as
long as the browser tab's session (a reload signs out); provider sign-ins last as long as Streamlit's cookie.

Rerun behaviour: the sign-in form reruns the script once on success (``st.rerun``); sign-out likewise.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from incidents.domain.errors import AuthError
from incidents.domain.users import LOCAL_USER, User
from incidents.services import accounts
from incidents.services.settings import Settings
from incidents.storage.store import Store
from incidents.ui.i18n import t
from incidents.ui.text import md_plain

log = logging.getLogger(__name__)
if not logging.getLogger("incidents").handlers:
    # Streamlit configures only its own loggers: send the package's (sign-ins, sign-outs) to the server log too.
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("incidents").addHandler(_handler)
    logging.getLogger("incidents").setLevel(logging.INFO)

#: session_state key holding the signed-in account's name
SESSION_USER = "auth_user"
#: session_state key holding how the user signed in: "password", "provider" or "provider-viewer"
SESSION_VIA = "auth_via"
#: session_state key holding the User of this run (read by :func:`signed_in_user`)
SESSION_CURRENT = "auth_current"
UNKNOWN_POLICIES = ("deny", "viewer")


# -- configuration (read here, at the UI edge) ------------------------------------------------------------


def _secrets_section(name: str) -> Mapping[str, Any]:
    try:
        section = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file at all, or an unreadable one: no such section
        return {}
    return section if isinstance(section, Mapping) else {}


def provider_names() -> list[str | None]:
    """Return the identity providers configured in ``[auth]``: [None] for one unnamed provider, else names."""
    section = _secrets_section("auth")
    if not section:
        return []
    named = [key for key, value in section.items() if isinstance(value, Mapping) and "client_id" in value]
    if "client_id" in section:
        return [None, *named]
    return list(named)


def unknown_identity_policy() -> str:
    """Return what an identity-provider sign-in without an account gets: "deny" (default) or "viewer"."""
    value = str(_secrets_section("incidents").get("oidc_unknown") or os.environ.get("INCIDENTS_OIDC_UNKNOWN")
                or "deny").strip().lower()
    if value not in UNKNOWN_POLICIES:
        log.error("oidc_unknown must be deny or viewer; got %r: denying", value)
        return "deny"
    return value


# -- who is signed in -------------------------------------------------------------------------------------


def current_user(store: Store, settings: Settings) -> User:
    """Return the user of this session; in shared mode, draw the sign-in and stop the script until signed in.

    Parameters
    ----------
    store
        The open store (accounts are read from it).
    settings
        The request of ``INCIDENTS_AUTH``; the database's own mode decides (:func:`incidents.services.accounts.auth_mode`):
        "local" returns :data:`~incidents.domain.users.LOCAL_USER` with no interface.
    """
    if accounts.auth_mode(store, settings.auth_requested) == "local":  # the database's mode, not the environment's
        st.session_state[SESSION_CURRENT] = LOCAL_USER
        return LOCAL_USER
    user = _session_user(store) or _provider_user(store)
    if user is not None:
        st.session_state[SESSION_CURRENT] = user
        return user
    st.session_state.pop(SESSION_CURRENT, None)
    render_sign_in(store)
    st.stop()
    raise AssertionError("unreachable: st.stop() ends the script")  # pragma: no cover


def signed_in_user() -> User | None:
    """Return the user :func:`current_user` found in this run of the script, or None."""
    user = st.session_state.get(SESSION_CURRENT)
    return user if isinstance(user, User) else None


def _session_user(store: Store) -> User | None:
    name = st.session_state.get(SESSION_USER)
    via = st.session_state.get(SESSION_VIA)
    if not name:
        return None
    if via == "provider-viewer":
        return User(name=name, role="viewer") if _provider_signed_in() else _forget()
    user = accounts.get_user(store, name)
    if user is None:  # disabled or removed since: out, now
        log.info("session of %s ended: the account is disabled or gone", name)
        return _forget()
    if via == "provider" and not _provider_signed_in():
        return _forget()
    return user


def _forget() -> User | None:
    """Drop the session's sign-in; return None (nobody is signed in)."""
    for key in (SESSION_USER, SESSION_VIA, SESSION_CURRENT):
        st.session_state.pop(key, None)
    return None


def _provider_signed_in() -> bool:
    try:
        return bool(provider_names()) and bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - authlib missing or auth not configured
        return False


def _provider_user(store: Store) -> User | None:
    if not _provider_signed_in():
        return None
    info = st.user.to_dict()
    claim = lambda key: str(info[key]) if isinstance(info.get(key), str) else None  # noqa: E731
    email = claim("email") if info.get("email_verified") is not False else None
    user = accounts.find_identity(store, subject=claim("sub"), email=email, issuer=claim("iss"))
    if user is not None:
        st.session_state[SESSION_USER], st.session_state[SESSION_VIA] = user.name, "provider"
        return user
    label = str(info.get("email") or info.get("sub") or "unknown")
    if unknown_identity_policy() == "viewer":
        st.session_state[SESSION_USER], st.session_state[SESSION_VIA] = label, "provider-viewer"
        return User(name=label, role="viewer")
    log.warning("identity-provider sign-in without an account: %s", label)
    _show_error_in_both(AuthError.said("refusals.unknown_identity", label=label))
    if st.button(_both("auth_sign_out"), key="auth_unknown_sign_out"):
        st.logout()
    st.stop()
    return None  # pragma: no cover


# -- drawing ----------------------------------------------------------------------------------------------


def _authlib_installed() -> bool:
    try:
        import authlib  # noqa: F401 - st.login needs it
    except ImportError:
        return False
    return True


def _both(key: str) -> str:
    """Return label ``key`` in both languages, "English · العربية" (before sign-in the language is not chosen yet)."""
    return f"{t(key, 'en')} · {t(key, 'ar')}"


def _both_with(key: str, **values: object) -> str:
    """Return label ``key`` with ``values`` in both languages (see :func:`_both`)."""
    return f"{t(key, 'en', **values)} · {t(key, 'ar', **values)}"


def _show_error_in_both(error: AuthError) -> None:
    """Show a sign-in failure in English and in Arabic, escaped: before sign-in no language is chosen yet."""
    st.error(f"{md_plain(error.localised('en'))}\n\n{md_plain(error.localised('ar'))}")


def render_sign_in(store: Store) -> None:
    """Draw the sign-in: the built-in account form, and a button per configured identity provider."""
    st.title(_both("auth_sign_in"))
    st.caption(_both("auth_caption"))
    providers = provider_names()
    if providers and not _authlib_installed():
        log.error("[auth] is configured in secrets.toml but the Authlib package is missing: pip install Authlib")
        st.warning(_both("auth_provider_missing"))
        providers = []
    for provider in providers:
        label = _both_with("auth_with_provider", provider=provider) if provider else _both("auth_with_organisation")
        if st.button(label, key=f"auth_login_{provider or 'default'}", type="primary"):
            st.login(provider) if provider else st.login()
    with st.form("auth_sign_in"):
        name = st.text_input(_both("auth_user_name"), key="auth_name")
        password = st.text_input(_both("auth_password"), type="password", key="auth_password")
        submitted = st.form_submit_button(_both("auth_sign_in"), key="auth_submit")
    if submitted:
        _sign_in(store, name.strip(), password)


def _sign_in(store: Store, name: str, password: str) -> None:
    try:
        user = accounts.authenticate(store, name, password)
    except AuthError as error:
        log.info("failed sign-in for %r", name)
        _show_error_in_both(error)
        return
    st.session_state[SESSION_USER], st.session_state[SESSION_VIA] = user.name, "password"
    st.session_state.pop("auth_password", None)
    log.info("%s signed in (%s)", user.name, user.role)
    st.rerun()


def role_help(user: User, lang: str = "en") -> str:
    """Return what ``user``'s role may do, in ``lang`` (and that a viewer sees unpublished records, if so)."""
    help_text = t(f"roles.{user.role}_help", lang)
    if user.role == "viewer" and user.can_see_unpublished:
        help_text += " · " + t("auth_sees_unpublished", lang)
    return help_text


def render_account_box(user: User, lang: str = "en") -> None:
    """Draw who is signed in, with which role, and a sign-out button, in the sidebar."""
    box = st.sidebar.container(border=True)
    if user is LOCAL_USER or st.session_state.get(SESSION_USER) is None:
        box.caption(t("local_mode", lang))
        return
    box.markdown(t("auth_signed_in", lang, name=md_plain(user.name), role=t(f"roles.{user.role}", lang)))
    box.caption(role_help(user, lang))
    if box.button(_both("auth_sign_out"), key="auth_sign_out"):
        sign_out()


def sign_out() -> None:
    """End the session's sign-in (and the provider's cookie, if signed in through one)."""
    via = st.session_state.get(SESSION_VIA)
    log.info("%s signed out", st.session_state.get(SESSION_USER))
    _forget()
    if via in ("provider", "provider-viewer"):
        st.logout()
    st.rerun()

