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

from incidents import accounts, backup, service
from incidents.errors import IncidentsError
from incidents.store import Store
from incidents.ui.history import show_value
from incidents.users import ROLES, User

NOTICE = "admin_notice"
ENTITIES = ("", "incident", "claim", "place", "user", "settings", "database")


def _done(message: str) -> None:
    st.session_state[NOTICE] = message
    st.rerun()


def _attempt(action, message: str) -> None:
    """Run a write; show the package's error, or rerun with ``message`` as the notice."""
    try:
        action()
    except IncidentsError as error:
        st.error(str(error))
        return
    _done(message)


def render_accounts(store: Store, admin: User) -> None:
    """Draw the accounts table and the forms that change accounts."""
    users = pd.DataFrame(accounts.list_users(store, admin))
    if not users.empty:
        shown = users[["name", "role", "disabled", "can_see_unpublished", "has_password", "email", "locked_until",
                       "created_at"]]
        st.dataframe(shown, hide_index=True, width="stretch", key="admin_users")
    left, right = st.columns(2)
    with left, st.form("admin_add_user", clear_on_submit=True):
        st.markdown("**Add an account**")
        name = st.text_input("Name", key="admin_new_name")
        role = st.selectbox("Role", ROLES, key="admin_new_role")
        password = st.text_input(f"Password (at least {accounts.MIN_PASSWORD_LENGTH} characters; empty: sign-in "
                                 "through the identity provider only)", type="password", key="admin_new_password")
        email = st.text_input("E-mail (matches identity-provider sign-ins)", key="admin_new_email")
        unpublished = st.checkbox("Viewer who also sees unpublished records", key="admin_new_unpublished")
        if st.form_submit_button("Add account"):
            _attempt(lambda: accounts.add_user(store, admin, name, role, password or None, email=email or None,
                                               can_see_unpublished=unpublished), f"Added {name} ({role}).")
    names = list(users["name"]) if not users.empty else []
    with right, st.form("admin_change_user"):
        st.markdown("**Change an account**")
        who = st.selectbox("Account", names, key="admin_who")
        change = st.selectbox("Change", ("set role", "disable", "enable", "set password",
                                         "grant unpublished", "withdraw unpublished"), key="admin_change")
        new_role = st.selectbox("New role (for set role)", ROLES, key="admin_change_role")
        new_password = st.text_input("New password (for set password)", type="password", key="admin_change_pw")
        reason = st.text_input("Reason (kept in the audit log)", key="admin_change_reason")
        if st.form_submit_button("Apply") and who:
            _attempt(lambda: _change_account(store, admin, who, change, new_role, new_password, reason),
                     f"{who}: {change} done.")


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


def render_audit_log(store: Store, admin: User) -> None:
    """Draw the audit log with filters, and its export."""
    cols = st.columns(4)
    entity = cols[0].selectbox("Record kind", ENTITIES, format_func=lambda e: e or "all", key="audit_entity")
    user_name = cols[1].text_input("User", key="audit_user").strip()
    uid = cols[2].text_input("Record id", key="audit_uid").strip()
    since = cols[3].date_input("Since", value=None, key="audit_since")
    query = service.AuditQuery(entity=entity or None, user_name=user_name or None, entity_uid=uid or None,
                               since=datetime.combine(since, time()) if since else None)
    entries = service.load_audit_log(store, admin, service.AuditQuery(**{**query.__dict__, "limit": 1000}))
    st.caption(f"{len(entries)} most recent entr{'y' if len(entries) == 1 else 'ies'} (at most 1000 shown; the "
               "export has them all). The log is append-only: the database refuses to change or delete entries.")
    table = pd.DataFrame([{
        "id": e["id"], "when (UTC)": str(e["at"]), "who": e["user_name"], "action": e["action"],
        "record": e["entity"], "record id": e["entity_uid"],
        "changes": "; ".join(_change_text(k, old, new) for k, (old, new) in e["changes"].items()),
        "reason": e["reason"] or "",
    } for e in entries])
    st.dataframe(table, hide_index=True, width="stretch", key="audit_table")
    left, right = st.columns(2)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    # Deferred: the whole log is formatted only when the button is clicked (on its own thread).
    left.download_button("Export (CSV)", lambda: service.export_audit_log(store, admin, "csv", query),
                         file_name=f"audit-log-{stamp}.csv", mime="text/csv", key="audit_csv")
    right.download_button("Export (JSON lines)", lambda: service.export_audit_log(store, admin, "jsonl", query),
                          file_name=f"audit-log-{stamp}.jsonl", mime="application/jsonl", key="audit_jsonl")


def _change_text(field: str, old: object, new: object) -> str:
    if old is None:
        return f"{field} = {show_value(new)}"
    return f"{field}: {show_value(old)} → {show_value(new)}"


def render_deleted(store: Store, admin: User) -> None:
    """Draw the soft-deleted incidents with a restore form."""
    deleted = service.list_deleted(store, admin)
    if not deleted:
        st.caption("No deleted incidents.")
        return
    st.dataframe(pd.DataFrame([{
        "id": i.uid, "date": str(i.date_start or ""), "place": i.place_name_en or i.place_text or "",
        "deleted (UTC)": str(i.deleted_at), "by": i.updated_by,
    } for i in deleted]), hide_index=True, width="stretch", key="deleted_table")
    with st.form("admin_restore"):
        uid = st.selectbox("Incident", [i.uid for i in deleted], key="restore_uid")
        reason = st.text_input("Reason", key="restore_reason")
        if st.form_submit_button("Restore"):
            _attempt(lambda: service.restore_incident(store, admin, uid, reason=reason or None), f"Restored {uid}.")


def render_policy(store: Store, admin: User, env_four_eyes: bool) -> None:
    """Draw the four-eyes setting stored in the database."""
    stored = service.load_policy(store).four_eyes
    st.markdown("**Four eyes**: a reviewer may not review or publish an incident they entered.")
    st.caption(f"Configuration (INCIDENTS_FOUR_EYES): {'on' if env_four_eyes else 'off'}. In the database: "
               f"{'on' if stored else 'off'}. The rule applies when either is on, in every process and command.")
    with st.form("admin_policy"):
        wanted = st.toggle("Require four eyes in this database", value=stored, key="policy_four_eyes")
        reason = st.text_input("Reason", key="policy_reason")
        if st.form_submit_button("Save"):
            _attempt(lambda: service.set_four_eyes(store, admin, wanted, reason=reason or None), "Saved.")


def render_backup(store: Store, admin: User) -> None:
    """Offer a backup of the whole database for download."""
    st.caption("A backup holds everything, password hashes included: keep it as safe as the database. Restore "
               "it into an empty database with `python -m incidents restore FILE`.")
    if st.button("Prepare a backup", key="backup_prepare"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "incidents.backup"
            try:
                info = backup.backup_database(store, admin, path)
            except IncidentsError as error:
                st.error(str(error))
                return
            st.session_state["backup_bytes"] = path.read_bytes()
            st.session_state["backup_info"] = info.summary()
    if "backup_bytes" in st.session_state:
        st.caption(st.session_state["backup_info"])
        st.download_button("Download the backup", st.session_state["backup_bytes"],
                           file_name=f"incidents-{datetime.now():%Y%m%d-%H%M}.backup",
                           mime="application/gzip", key="backup_download")


def render_admin(store: Store, user: User, env_four_eyes: bool) -> None:
    """Draw the admin's tabs, or a note for anyone else."""
    if not user.can("manage_users"):
        st.info("This page is for admins: accounts, the audit log, deleted records and backups.")
        return
    if NOTICE in st.session_state:
        st.success(st.session_state.pop(NOTICE))
    tabs = st.tabs(["Accounts", "Audit log", "Deleted incidents", "Four eyes", "Backup"])
    with tabs[0]:
        render_accounts(store, user)
    with tabs[1]:
        render_audit_log(store, user)
    with tabs[2]:
        render_deleted(store, user)
    with tabs[3]:
        render_policy(store, user, env_four_eyes)
        from incidents.ui.victims_view import render_names_setting  # victims' names for viewers (#18)

        render_names_setting(store, user)
    with tabs[4]:
        render_backup(store, user)
