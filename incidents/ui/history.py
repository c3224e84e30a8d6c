"""The history of one incident (who changed what, when, from what to what, and why), and conflict messages.

``render_history(store, uid, user)`` is called by the incident detail view. It shows nothing but a note to
users who may not see the trail (viewers not granted unpublished records: the trail names the researchers).
It draws one table row per changed field, newest change first, and a CSV download of the trail. No reruns of
its own.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from incidents.domain.errors import ConflictError, NotFound
from incidents.domain.users import User
from incidents.services import service
from incidents.storage.store import Store
from incidents.ui.auth import signed_in_user
from incidents.ui.i18n import has, t
from incidents.ui.text import show_error, show_warning

#: the table's columns (catalogue keys ``h_col_*``; in English they are the column names tests read)
_COLUMN_KEYS = ("when", "who", "action", "record", "field", "old", "new", "reason")
HISTORY_COLUMNS = [t(f"h_col_{k}") for k in _COLUMN_KEYS]


def action_label(action: str, lang: str = "en") -> str:
    """Return the words for an audit action (catalogue ``h_act_*``; an unknown action as it is stored)."""
    return t(f"h_act_{action}", lang) if has(f"h_act_{action}") else action


def field_label(entry: dict, name: str, lang: str = "en") -> str:
    """Return the words for a field of an import's audit entries (catalogue ``h_field_*``: the file's entry and
    each incident's pointer to it); any other field as it is stored."""
    if entry["action"] == "import" and (entry["entity"] == "import" or "batch" in entry["changes"]) \
            and has(f"h_field_{name}"):
        return t(f"h_field_{name}", lang)
    return name


def record_label(entry: dict, incident_uid: str, lang: str = "en") -> str:
    """Return what an entry is about: the incident itself, an imported file, or another record by its id."""
    if entry["entity_uid"] == incident_uid:
        return t("h_incident", lang)
    if entry["entity"] == "import":
        return f"{t('h_import_file', lang)} {entry['entity_uid'][:8]}"
    return f"{entry['entity']} {entry['entity_uid'][:8]}"


def show_value(value: object) -> str:
    """Return an audited value as short display text (lists joined, None as an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def history_table(entries: list[dict], incident_uid: str, lang: str = "en") -> pd.DataFrame:
    """Return audit ``entries`` as a table with one row per changed field, newest entry first (column names and
    actions in ``lang``; values as recorded).

    The ``version`` pseudo-field is folded into its entry; entries that changed no field get one row. An imported
    incident's first entry points to the file's entry (``batch``) and names its row; both read in ``lang``.
    """
    rows = []
    for entry in reversed(entries):
        base = [str(entry["at"]), entry["user_name"], action_label(entry["action"], lang),
                record_label(entry, incident_uid, lang)]
        fields = {k: v for k, v in entry["changes"].items() if k != "version"}
        if not fields:
            rows.append([*base, "", "", "", entry["reason"] or ""])
        for number, (name, (old, new)) in enumerate(sorted(fields.items())):
            rows.append([*base, field_label(entry, name, lang), show_value(old), show_value(new),
                         (entry["reason"] or "") if number == 0 else ""])
    return pd.DataFrame(rows, columns=[t(f"h_col_{k}", lang) for k in _COLUMN_KEYS])


def render_history(store: Store, uid: str, user: User | None = None, *, key: str = "history",
                   lang: str = "en") -> None:
    """Draw the history of incident ``uid`` for ``user`` (default: the user signed in to this session).

    Parameters
    ----------
    store
        The store.
    uid
        The incident.
    user
        The reader; pass ``page.user``. Viewers not granted unpublished records get a note instead.
    key
        Prefix of the widget keys (to draw two histories on one page).
    lang
        The interface language.
    """
    user = user or signed_in_user()
    if user is None or not user.sees_unpublished:
        st.caption(t("h_hidden", lang))
        return
    try:
        entries = service.history(store, uid, user)
    except NotFound:
        show_warning(t("h_missing", lang, uid=uid))
        return
    table = history_table(entries, uid, lang)
    changes = len({(e["id"]) for e in entries})
    st.markdown(f'**{t("h_title", lang)}** · {t("h_changes", lang, n=changes)}')
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_table")
    st.download_button(t("h_download", lang), lambda: service.format_audit_entries(entries, "csv"),
                       file_name=f"history-{uid}.csv", mime="text/csv", key=f"{key}_download")


def render_conflict(error: ConflictError, mine: dict | None = None, lang: str = "en") -> None:
    """Explain a refused edit: who changed the record meanwhile, what it is now, and what was not saved.

    Parameters
    ----------
    error
        The :class:`ConflictError` the service raised (its message names the other change).
    mine
        The changes the user tried to save (field → value), shown beside the record's current values so that
        they can be applied again by hand.
    lang
        The interface language.
    """
    show_error(error)
    if mine:
        rows = [[name, show_value(error.current.get(name)), show_value(value)] for name, value in mine.items()]
        st.dataframe(pd.DataFrame(rows, columns=[t("h_col_field", lang), t("h_now", lang),
                                                t("h_yours", lang)]),
                     hide_index=True, width="stretch")
