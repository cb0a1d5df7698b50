"""The Bitácora's list of recent entries: the latest sessions or workshops, a page at a time, each to open in the
entry form (``logbook_forms.open_entry``) or to archive (a soft delete an admin can undo) once the person ticked
"Sí, archivar"."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.store.archive import archive
from accompaniment.ui import cached, form_outcome, present, widgets
from accompaniment.ui.context import current_actor, get_store, label, t
from accompaniment.ui.logbook_forms import (
    EDITING,
    SESSION,
    WORKSHOP,
    key,
    open_entry,
    reset_form,
)

RECENT = "logbook_recent"
RECENT_COLUMNS = {
    SESSION: {
        "held_on": "fields.held_on",
        "state_name": "fields.state_code",
        "session_type": "fields.session_type",
        "modality": "fields.modality",
        "participant_total": "fields.participants",
        "agreements": "fields.agreements",
    },
    WORKSHOP: {
        "held_on": "fields.held_on",
        "state_name": "fields.state_code",
        "title": "fields.title",
        "modality": "fields.modality",
        "hours": "fields.hours",
        "participant_total": "fields.participants",
    },
}


def recent_entries() -> None:
    """The latest sessions or workshops, a page at a time, each to open in the form or to archive."""
    who = cached.viewer()
    st.session_state.setdefault(key("recent_kind"), SESSION)
    # Labels computed now, not in a lambda: AppTest formats a chosen option outside the run, where the language
    # is unknown.
    kinds = {k: t(f"logbook.recent.{k}") for k in (SESSION, WORKSHOP)}
    kind = st.segmented_control(
        t("logbook.recent.kind"),
        list(kinds),
        key=key("recent_kind"),
        required=True,
        format_func=kinds.__getitem__,
    )
    form_outcome.show(RECENT)
    read = cached.sessions if kind == SESSION else cached.workshops
    rows = widgets.open_ended_pages(lambda n, skip: read(*who, None, n, skip), key=key(f"recent_page_{kind}"))
    if rows.empty:
        widgets.empty(t("logbook.recent.none"))
        return
    st.dataframe(_recent_table(kind, rows), hide_index=True, width="stretch")
    by_id = {int(r["id"]): r for r in rows.to_dict("records")}
    widgets.keep_choice(key(f"recent_pick_{kind}"), by_id)
    names = {i: _entry_name(kind, row) for i, row in by_id.items()}
    chosen = st.selectbox(
        t("logbook.recent.pick"), list(names), key=key(f"recent_pick_{kind}"), format_func=names.__getitem__
    )
    entry = by_id[chosen]
    # Archiving takes a tick first (kept per entry, so choosing another one starts unticked): one stray click on
    # "Archivar" must not take an entry off every page.
    confirm = key(f"archive_confirm_{kind}_{chosen}")
    left, right = st.columns(2)
    left.button(
        t("logbook.recent.open"),
        key="logbook_open",
        on_click=open_entry,
        args=(kind, chosen),
        icon=":material/edit:",
        width="stretch",
    )
    sure = right.checkbox(
        t("logbook.recent.archive_confirm"), key=confirm, help=t("logbook.recent.archive_confirm_help")
    )
    right.button(
        t("logbook.recent.archive"),
        key="logbook_archive",
        on_click=_archive,
        args=(kind, chosen, int(entry["version"]), names[chosen], confirm),
        icon=":material/archive:",
        width="stretch",
        help=t("logbook.recent.archive_help"),
        disabled=not sure,
    )


def _entry_name(kind: str, row: dict[str, Any]) -> str:
    what = label("SessionType", row["session_type"]) if kind == SESSION else row["title"]
    return f"{present.day(row['held_on'])} · {row['state_name']} · {what}"


def _recent_table(kind: str, rows: pd.DataFrame) -> pd.DataFrame:
    columns = RECENT_COLUMNS[kind]
    out = rows.loc[:, list(columns)].copy()
    out["held_on"] = [present.day(v) for v in out["held_on"]]
    out["modality"] = [label("Modality", v) for v in out["modality"]]
    if kind == SESSION:
        out["session_type"] = [label("SessionType", v) for v in out["session_type"]]
    return out.rename(columns={name: t(title) for name, title in columns.items()})


def _archive(kind: str, entry_id: int, version: int, name: str, confirm: str) -> None:
    if not st.session_state.pop(confirm, False):
        return  # not confirmed: nothing is archived (the button is disabled until the box is ticked)
    entity = "dialogue_session" if kind == SESSION else "workshop"
    editing = st.session_state.get(EDITING)
    closes = editing is not None and editing["kind"] == kind and editing["id"] == entry_id
    form_outcome.submit(
        RECENT,
        lambda v: archive(get_store(), current_actor(), entity, entry_id, v),
        version,
        form_outcome.Done("logbook.recent.archived", {"entry": name}),
        on_success=reset_form if closes else None,
    )
