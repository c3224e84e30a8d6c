"""The admin page's tabs: accounts, the audit log (view and export), deleted incidents (restore), the four-eyes
rule, backups.

Every action goes through the service layer, which refuses it unless the signed-in user is an admin; each form
reruns the script once when submitted, with the outcome as a notice.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, time
from pathlib import Path

import pandas as pd
import streamlit as st

from incidents.domain.errors import IncidentsError
from incidents.domain.users import ROLES, User
from incidents.services import accounts, backup, service
from incidents.storage.store import Store
from incidents.ui.history import show_value
from incidents.ui.i18n import has, t
from incidents.ui.text import md_plain, show_error

NOTICE = "admin_notice"
ENTITIES = ("", "incident", "claim", "place", "import", "user", "settings", "database")
CHANGES = ("set role", "disable", "enable", "set password", "grant unpublished", "withdraw unpublished")
#: table column → label key (the frames keep their English column names; only the headers are translated)
_COLUMN_KEYS = {"name": "adm_name", "role": "adm_role", "disabled": "adm_col_disabled",
                "can_see_unpublished": "adm_col_unpublished", "has_password": "adm_col_password",
                "email": "adm_col_email", "locked_until": "adm_col_locked", "created_at": "adm_col_created",
                "id": "col_uid", "when (UTC)": "adm_col_when", "who": "adm_col_who", "action": "adm_col_action",
                "record": "adm_col_record", "record id": "adm_record_id", "changes": "adm_col_changes",
                "reason": "adm_reason", "date": "col_date", "place": "col_place", "deleted (UTC)": "adm_col_deleted",
                "by": "adm_col_by"}


def _role(role: str, lang: str) -> str:
    """A role's name in ``lang`` (the code when the catalogue has none)."""
    return t(f"role_{role}", lang) if has(f"role_{role}") else role


def _columns(names, lang: str) -> dict:
    """Column headers in ``lang``."""
    return {str(n): st.column_config.Column(t(_COLUMN_KEYS[str(n)], lang)) for n in names if str(n) in _COLUMN_KEYS}


def _done(message: str) -> None:
    st.session_state[NOTICE] = message
    st.rerun()


def _attempt(action, message: str) -> None:
    """Run a write; show the package's error, or rerun with ``message`` as the notice."""
    try:
        action()
    except IncidentsError as error:
        show_error(error)
        return
    _done(message)


def render_accounts(store: Store, admin: User, lang: str = "en") -> None:
    """Draw the accounts table and the forms that change accounts."""
    users = pd.DataFrame(accounts.list_users(store, admin))
    if not users.empty:
        shown = users[["name", "role", "disabled", "can_see_unpublished", "has_password", "email", "locked_until",
                       "created_at"]]
        st.dataframe(shown.astype(object).where(shown.notna(), ""), hide_index=True, width="stretch",
                     key="admin_users", column_config=_columns(shown.columns, lang))
    left, right = st.columns(2)
    with left, st.form("admin_add_user", clear_on_submit=True):
        st.markdown(f"**{t('adm_add', lang)}**")
        name = st.text_input(t("adm_name", lang), key="admin_new_name")
        role = st.selectbox(t("adm_role", lang), ROLES, key="admin_new_role", format_func=lambda r: _role(r, lang))
        password = st.text_input(t("adm_password", lang, n=accounts.MIN_PASSWORD_LENGTH), type="password",
                                 key="admin_new_password")
        email = st.text_input(t("adm_email", lang), key="admin_new_email")
        unpublished = st.checkbox(t("adm_unpublished", lang), key="admin_new_unpublished")
        if st.form_submit_button(t("adm_add_button", lang)):
            _attempt(lambda: accounts.add_user(store, admin, name, role, password or None, email=email or None,
                                               can_see_unpublished=unpublished), t("adm_added", lang, name=name,
                                                                                   role=role))
    names = list(users["name"]) if not users.empty else []
    with right, st.form("admin_change_user"):
        st.markdown(f"**{t('adm_change_title', lang)}**")
        who = st.selectbox(t("adm_account", lang), names, key="admin_who", placeholder=t("adm_none", lang))
        change = st.selectbox(t("adm_change", lang), CHANGES, key="admin_change",
                              format_func=lambda c: t("adm_do_" + c.replace(" ", "_"), lang))
        new_role = st.selectbox(t("adm_new_role", lang), ROLES, key="admin_change_role",
                                format_func=lambda r: _role(r, lang))
        new_password = st.text_input(t("adm_new_password", lang), type="password", key="admin_change_pw")
        reason = st.text_input(t("adm_reason_logged", lang), key="admin_change_reason")
        if st.form_submit_button(t("adm_apply", lang)) and who:
            _attempt(lambda: _change_account(store, admin, who, change, new_role, new_password, reason),
                     t("adm_changed", lang, who=who, change=t("adm_do_" + change.replace(" ", "_"), lang)))


def _change_account(store: Store, admin: User, who: str, change: str, role: str, password: str, reason: str) -> None:
    why = reason or None
    if change == "set role":
        accounts.set_role(store, admin, who, role, reason=why)
    elif change == "disable":
        accounts.disable_user(store, admin, who, reason=why)
    elif change == "enable":
        accounts.enable_user(store, admin, who, reason=why)
    elif change == "set password":
        accounts.set_password(store, admin, who, password)
    else:
        accounts.set_can_see_unpublished(store, admin, who, change == "grant unpublished", reason=why)


def render_audit_log(store: Store, admin: User, lang: str = "en") -> None:
    """Draw the audit log with filters, and its export."""
    cols = st.columns(4)
    entity = cols[0].selectbox(t("adm_kind", lang), ENTITIES, format_func=lambda e: e or t("choose", lang),
                               key="audit_entity")
    user_name = cols[1].text_input(t("adm_user", lang), key="audit_user").strip()
    uid = cols[2].text_input(t("adm_record_id", lang), key="audit_uid").strip()
    since = cols[3].date_input(t("adm_since", lang), value=None, key="audit_since")
    query = service.AuditQuery(entity=entity or None, user_name=user_name or None, entity_uid=uid or None,
                               since=datetime.combine(since, time()) if since else None)
    entries = service.load_audit_log(store, admin, service.AuditQuery(**{**query.__dict__, "limit": 1000}))
    st.caption(t("adm_log_note", lang, n=len(entries)))
    table = pd.DataFrame([{
        "id": e["id"], "when (UTC)": str(e["at"]), "who": e["user_name"], "action": e["action"],
        "record": e["entity"], "record id": e["entity_uid"],
        "changes": "; ".join(_change_text(k, old, new) for k, (old, new) in e["changes"].items()),
        "reason": e["reason"] or "",
    } for e in entries])
    st.dataframe(table, hide_index=True, width="stretch", key="audit_table",
                 column_config=_columns(table.columns, lang))
    left, right = st.columns(2)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    # Deferred: the whole log is formatted only when the button is clicked (on its own thread).
    left.download_button(t("adm_export_csv", lang), lambda: service.export_audit_log(store, admin, "csv", query),
                         file_name=f"audit-log-{stamp}.csv", mime="text/csv", key="audit_csv")
    right.download_button(t("adm_export_jsonl", lang), lambda: service.export_audit_log(store, admin, "jsonl", query),
                          file_name=f"audit-log-{stamp}.jsonl", mime="application/jsonl", key="audit_jsonl")


def _change_text(field: str, old: object, new: object) -> str:
    if old is None:
        return f"{field} = {show_value(new)}"
    return f"{field}: {show_value(old)} → {show_value(new)}"


def render_deleted(store: Store, admin: User, lang: str = "en") -> None:
    """Draw the soft-deleted incidents with a restore form."""
    deleted = service.list_deleted(store, admin)
    if not deleted:
        st.caption(t("adm_no_deleted", lang))
        return
    st.dataframe(pd.DataFrame([{
        "id": i.uid, "date": str(i.date_start or ""), "place": i.place_name_en or i.place_text or "",
        "deleted (UTC)": str(i.deleted_at), "by": i.updated_by,
    } for i in deleted]), hide_index=True, width="stretch", key="deleted_table",
        column_config=_columns(("id", "date", "place", "deleted (UTC)", "by"), lang))
    with st.form("admin_restore"):
        uid = st.selectbox(t("detail", lang), [i.uid for i in deleted], key="restore_uid")
        reason = st.text_input(t("adm_reason", lang), key="restore_reason")
        if st.form_submit_button(t("adm_restore", lang)):
            _attempt(lambda: service.restore_incident(store, admin, uid, reason=reason or None),
                     t("adm_restored", lang, uid=uid))


def render_policy(store: Store, admin: User, env_four_eyes: bool, lang: str = "en") -> None:
    """Draw the four-eyes setting stored in the database."""
    stored = service.load_policy(store).four_eyes
    st.markdown(t("adm_four_eyes_rule", lang))
    st.caption(t("adm_four_eyes_state", lang, env=t("adm_on" if env_four_eyes else "adm_off", lang),
                 db=t("adm_on" if stored else "adm_off", lang)))
    with st.form("admin_policy"):
        wanted = st.toggle(t("adm_require", lang), value=stored, key="policy_four_eyes")
        reason = st.text_input(t("adm_reason", lang), key="policy_reason")
        if st.form_submit_button(t("adm_save", lang)):
            _attempt(lambda: service.set_four_eyes(store, admin, wanted, reason=reason or None), t("adm_saved", lang))


def render_backup(store: Store, admin: User, lang: str = "en") -> None:
    """Offer a backup of the whole database for download."""
    st.caption(t("adm_backup_note", lang))
    if st.button(t("adm_backup_prepare", lang), key="backup_prepare"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "incidents.services.backup"
            try:
                info = backup.backup_database(store, admin, path)
            except IncidentsError as error:
                show_error(error)
                return
            st.session_state["backup_bytes"] = path.read_bytes()
            st.session_state["backup_info"] = info.summary()
    if "backup_bytes" in st.session_state:
        st.caption(st.session_state["backup_info"])
        st.download_button(t("adm_backup_download", lang), st.session_state["backup_bytes"],
                           file_name=f"incidents-{datetime.now():%Y%m%d-%H%M}.backup",
                           mime="application/gzip", key="backup_download")


def render_admin(store: Store, user: User, env_four_eyes: bool, lang: str = "en") -> None:
    """Draw the admin's tabs, or a note for anyone else."""
    if not user.can("manage_users"):
        st.info(t("adm_only", lang))
        return
    if NOTICE in st.session_state:
        st.success(md_plain(st.session_state.pop(NOTICE)))
    tabs = st.tabs([t(k, lang) for k in ("adm_tab_accounts", "adm_tab_log", "adm_tab_deleted", "adm_tab_four_eyes",
                                         "adm_tab_backup")])
    with tabs[0]:
        render_accounts(store, user, lang)
    with tabs[1]:
        render_audit_log(store, user, lang)
    with tabs[2]:
        render_deleted(store, user, lang)
    with tabs[3]:
        render_policy(store, user, env_four_eyes, lang)
        from incidents.ui.victims_view import render_names_setting  # victims' names for viewers (#18)

        render_names_setting(store, user, lang)
    with tabs[4]:
        render_backup(store, user, lang)
