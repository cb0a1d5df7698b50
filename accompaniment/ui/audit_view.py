"""The audit log on the Administración page: filters (who, entity, date range), one page of entries, a CSV download.

Only the page on screen is read; the CSV of everything the filters match is built when the button is pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.store import audit
from accompaniment.ui import context, present
from accompaniment.ui.context import label, t
from accompaniment.ui.widgets import choose_text, missing_text, paginate

PAGE_SIZE = 50
CSV_LIMIT = 100_000


def audit_log_view(actor: Actor) -> None:
    st.subheader(t("admin.audit.heading"))
    filters = _filters(actor)
    store = context.get_store()
    total = audit.count_audit_entries(store, actor, **filters)
    if total == 0:
        st.info(t("admin.audit.empty"))
        return
    limit, offset = paginate(total, key="admin_audit_page", page_size=PAGE_SIZE)
    entries = audit.audit_log(store, actor, limit=limit, offset=offset, **filters)
    st.dataframe(
        _readable(entries),
        hide_index=True,
        width="stretch",
        column_config=_column_titles(),
        placeholder=missing_text(),
    )
    st.download_button(
        t("admin.audit.download"),
        data=_csv(actor, filters),
        file_name=t("admin.audit.file_name"),
        mime="text/csv",
        key="admin_audit_csv",
        icon=":material/download:",
        on_click="ignore",
    )


def _filters(actor: Actor) -> dict[str, Any]:
    store = context.get_store()
    who, entity, since, until = st.columns(4)
    # Labelled now, not in a lambda: AppTest formats a chosen option outside the run, where the language is unknown.
    people = {None: t("admin.audit.anyone")} | {name: name for name in audit.audit_actors(store, actor)}
    tables = {None: t("admin.audit.any_entity")} | {
        name: _entity_label(name) for name in audit.audit_entities(store, actor)
    }
    username = who.selectbox(
        t("admin.audit.who"),
        list(people),
        key="admin_audit_who",
        format_func=people.__getitem__,
        placeholder=choose_text(),
    )
    entity_name = entity.selectbox(
        t("admin.audit.entity"),
        list(tables),
        key="admin_audit_entity",
        format_func=tables.__getitem__,
        placeholder=choose_text(),
    )
    date_from: date | None = since.date_input(
        t("admin.audit.date_from"), value=None, key="admin_audit_from", format="DD/MM/YYYY"
    )
    date_to: date | None = until.date_input(
        t("admin.audit.date_to"), value=None, key="admin_audit_to", format="DD/MM/YYYY"
    )
    return {"username": username, "entity": entity_name, "date_from": date_from, "date_to": date_to}


def _entity_label(name: str) -> str:
    """Known tables have a readable name; any other shows as stored."""
    key = f"admin.audit.entities.{name}"
    return t(key) if i18n.has(key, context.current_lang()) else name


def _readable(entries: pd.DataFrame) -> pd.DataFrame:
    """Entries as the admin reads them: labels for roles and tables, and the catalogue's dash (never "None") where
    an entry has no row id, no state or no before/after."""
    return entries.assign(
        actor_role=entries["actor_role"].map(lambda role: label("Role", role)),
        entity=entries["entity"].map(_entity_label),
        entity_id=[present.identifier(v) for v in entries["entity_id"]],
        state_code=[present.text(v) for v in entries["state_code"]],
        before=[present.text(v) for v in entries["before"]],
        after=[present.text(v) for v in entries["after"]],
    ).drop(columns=["id"])


def _column_titles() -> dict[str, Any]:
    titles = {name: t(f"admin.audit.columns.{name}") for name in audit.AUDIT_COLUMNS if name != "id"}
    titles["recorded_at"] = st.column_config.DatetimeColumn(
        titles["recorded_at"], format="YYYY-MM-DD HH:mm:ss"
    )
    return titles


def _csv(actor: Actor, filters: dict[str, Any]) -> Callable[[], bytes]:
    """Every entry the filters match, raw (JSON before/after as stored), made only when the button is pressed."""

    def build() -> bytes:
        entries = audit.audit_log(context.get_store(), actor, limit=CSV_LIMIT, **filters)
        return entries.to_csv(index=False).encode("utf-8-sig")

    return build
