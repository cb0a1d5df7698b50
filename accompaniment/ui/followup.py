"""Agreements follow-up, on the Bitácora: the open agreements of every state (or one), overdue first; for the one
chosen, a dated status change with a note and an optional link to one of its state's commitments, and its history.

The change is one store call in the form's submit callback; the store keeps each change as a dated entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.access import Actor
from accompaniment.domain.enums import AgreementStatus, Role
from accompaniment.domain.models import EARLIEST_DATE, LATEST_PLANNED_DATE, LONG_TEXT
from accompaniment.store import activity
from accompaniment.ui import cached, form_outcome, present, widgets
from accompaniment.ui.context import current_actor, get_store, label, t
from accompaniment.ui.logbook_forms import keep_choice, state_names

FORM = "followup_form"
FIELDS = ("status", "changed_on", "note", "commitment_id")
ENUMS = {"status": "AgreementStatus"}


def _viewer(role: str, actor_state: str | None) -> Actor:
    return Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")


@st.cache_data(ttl=cached.TTL, show_spinner=False, max_entries=256)
def open_agreements(role: str, actor_state: str | None, state_code: str | None, limit: int, offset: int):
    """Pending or in-progress agreements, overdue first (cached per viewer, cleared on every write)."""
    return activity.open_agreements(
        get_store(), _viewer(role, actor_state), state_code, limit=limit, offset=offset
    )


@st.cache_data(ttl=cached.TTL, show_spinner=False, max_entries=256)
def history(role: str, actor_state: str | None, agreement_id: int) -> pd.DataFrame:
    return activity.agreement_history(get_store(), _viewer(role, actor_state), agreement_id)


def key(agreement_id: int, name: str) -> str:
    return f"followup_{agreement_id}_{name}"


def agreements_panel() -> None:
    who = cached.viewer()
    # Labels computed now, not in a lambda: AppTest formats a chosen option outside the run, where the language
    # is unknown (the same holds for every choice below).
    places = {None: t("followup.all_states"), **state_names()}
    state = st.selectbox(
        t("followup.state"), list(places), key="followup_state", format_func=places.__getitem__
    )
    form_outcome.show(FORM, FIELDS, ENUMS)
    rows = widgets.open_ended_pages(lambda n, skip: open_agreements(*who, state, n, skip),
                                    key=f"followup_page_{state or 'all'}")  # fmt: skip
    if rows.empty:
        widgets.empty(t("followup.none"))
        return
    shown = present.with_labels(rows, status="AgreementStatus", responsible_sector="Sector")
    shown["overdue_text"] = [t("secretariat.overdue") if flag else "" for flag in shown["overdue"]]
    widgets.table(present.readable(shown, ["overdue_text", "state_name", "text", "status_label",
                                           "responsible_sector_label", "responsible_organization", "due_date",
                                           "held_on"], dates=["due_date", "held_on"]))  # fmt: skip
    by_id = {int(r["id"]): r for r in rows.to_dict("records")}
    keep_choice("followup_pick", by_id)
    names = {i: _agreement_name(row) for i, row in by_id.items()}
    chosen = st.selectbox(t("followup.pick"), list(names), key="followup_pick", format_func=names.__getitem__)
    change_form(by_id[chosen])
    _history(who, chosen)


def _agreement_name(row: dict[str, Any]) -> str:
    overdue = f"{t('secretariat.overdue')} · " if row["overdue"] else ""
    return f"{overdue}{row['state_name']} · {present.shorten(row['text'], 90)}"


def change_form(agreement: dict[str, Any]) -> None:
    """Status, date, note and commitment link for one agreement, prefilled with what is stored."""
    agreement_id = int(agreement["id"])
    commitments = _commitments(agreement["state_code"])
    defaults = {"status": agreement["status"], "changed_on": date.today(), "note": "",
                "commitment_id": _int_or_none(agreement.get("commitment_id"))}  # fmt: skip
    for name, value in defaults.items():
        st.session_state.setdefault(key(agreement_id, name), value)
    links = {None: t("followup.no_link"), **commitments}
    statuses = {s.value: label("AgreementStatus", s) for s in AgreementStatus}
    if st.session_state[key(agreement_id, "commitment_id")] not in links:
        st.session_state[key(agreement_id, "commitment_id")] = None
    with st.form(f"{FORM}_{agreement_id}", clear_on_submit=False, enter_to_submit=False):
        st.markdown(f"**{t('followup.heading')}**")
        left, right = st.columns(2)
        with left:
            st.selectbox(t("fields.status"), list(statuses), key=key(agreement_id, "status"),
                         format_func=statuses.__getitem__)  # fmt: skip
            form_outcome.problems(FORM, "status")
        with right:
            st.date_input(t("fields.changed_on"), key=key(agreement_id, "changed_on"), format="DD/MM/YYYY",
                          min_value=EARLIEST_DATE, max_value=LATEST_PLANNED_DATE)  # fmt: skip
            form_outcome.problems(FORM, "changed_on")
        st.text_area(t("fields.note"), key=key(agreement_id, "note"), max_chars=LONG_TEXT, height=80)
        form_outcome.problems(FORM, "note")
        st.selectbox(t("fields.commitment_id"), list(links), key=key(agreement_id, "commitment_id"),
                     help=t("followup.link_help"), placeholder=t("followup.no_link"),  # shown for None
                     format_func=links.__getitem__)  # fmt: skip
        form_outcome.problems(FORM, "commitment_id")
        st.form_submit_button(t("followup.save"), key=f"followup_save_{agreement_id}", type="primary",
                              on_click=_save, args=(agreement_id, int(agreement["version"])),
                              icon=":material/save:")  # fmt: skip


def _commitments(state_code: str) -> dict[int, str]:
    rows = cached.list_commitments(*cached.viewer(), (("state_code", state_code),), 500, 0)
    return {int(r.id): f"{present.commitment_code(r.plan_number, r.number)} · {present.shorten(r.title, 90)}"
            for r in rows.itertuples()}  # fmt: skip


def _int_or_none(value: Any) -> int | None:
    return None if present.missing(value) else int(value)


def _save(agreement_id: int, version: int) -> None:
    s = st.session_state
    change = {
        "status": s.get(key(agreement_id, "status")),
        "changed_on": s.get(key(agreement_id, "changed_on")),
        "note": s.get(key(agreement_id, "note")) or "",
        "commitment_id": s.get(key(agreement_id, "commitment_id")),
    }
    change = {name: value for name, value in change.items() if value is not None}
    store, actor = get_store(), current_actor()
    form_outcome.submit(
        FORM, lambda v: activity.follow_up_agreement(store, actor, agreement_id, v, change), version,
        form_outcome.Done("followup.saved", {"status": label("AgreementStatus", change.get("status"))}),
        on_success=form_outcome.forgetting([key(agreement_id, name) for name in FIELDS]),
    )  # fmt: skip


def _history(who: tuple[str, str | None], agreement_id: int) -> None:
    st.markdown(f"**{t('followup.history')}**")
    entries = history(*who, agreement_id)
    if entries.empty:
        st.caption(t("followup.no_history"))
        return
    out = present.with_labels(entries, status="AgreementStatus")
    out["changed_on"] = [present.day(v) for v in out["changed_on"]]
    columns = {"changed_on": "fields.changed_on", "status_label": "fields.status", "note": "fields.note",
               "recorded_by": "followup.recorded_by"}  # fmt: skip
    out = out.loc[:, [c for c in columns if c in out]]
    widgets.table(out.rename(columns={c: t(columns[c]) for c in out.columns}))
