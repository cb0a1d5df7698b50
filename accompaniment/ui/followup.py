"""Agreements follow-up, on the Bitácora: the open agreements of every state (or one), overdue first; for the one
chosen, a dated status change with a note and an optional link to one of its state's commitments, a correction of
its terms as logged (text, responsible sector and organisation, due date), and its history.

Each form is one store call in its submit callback; the store keeps each status change as a dated entry and each
correction in the audit log. The correction form is shown only to those who may write activity in the agreement's
state; the store checks the same rule, so the form's absence is a courtesy, not the protection.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.enums import AgreementStatus, Role, Sector
from accompaniment.domain.models import EARLIEST_DATE, LATEST_PLANNED_DATE
from accompaniment.store import agreements
from accompaniment.ui import cached, form_outcome, present, widgets
from accompaniment.ui.context import current_actor, get_store, label, t
from accompaniment.ui.logbook_forms import state_names

FORM = "followup_form"
FIELDS = ("status", "changed_on", "note", "commitment_id")
ENUMS = {"status": "AgreementStatus"}
CORRECTION_FIELDS = ("text", "responsible_sector", "responsible_organization", "due_date")
CORRECTION_ENUMS = {"responsible_sector": "Sector"}


def _viewer(role: str, actor_state: str | None) -> Actor:
    return Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")


@cached.read_cache(max_entries=256)
def open_agreements(role: str, actor_state: str | None, state_code: str | None, limit: int, offset: int):
    """Pending or in-progress agreements, overdue first (cached per viewer, cleared on every write)."""
    return agreements.open_agreements(
        get_store(), _viewer(role, actor_state), state_code, limit=limit, offset=offset
    )


@cached.read_cache(max_entries=256)
def history(role: str, actor_state: str | None, agreement_id: int) -> pd.DataFrame:
    return agreements.agreement_history(get_store(), _viewer(role, actor_state), agreement_id)


def key(agreement_id: int, name: str) -> str:
    return f"followup_{agreement_id}_{name}"


def correction_key(agreement_id: int, name: str) -> str:
    return f"correct_agreement_{agreement_id}_{name}"


def correction_outcome(agreement_id: int) -> str:
    """The form_outcome key of one agreement's correction: its message shows by that agreement's form only."""
    return f"correct_agreement_{agreement_id}"


def agreements_panel() -> None:
    who = cached.viewer()
    # Labels computed now, not in a lambda: AppTest formats a chosen option outside the run, where the language
    # is unknown (the same holds for every choice below).
    places = {None: t("followup.all_states"), **state_names()}
    state = st.selectbox(
        t("followup.state"), list(places), key="followup_state", format_func=places.__getitem__
    )
    form_outcome.show(FORM, FIELDS, ENUMS)
    rows = widgets.open_ended_pages(
        lambda n, skip: open_agreements(*who, state, n, skip), key=f"followup_page_{state or 'all'}"
    )
    if rows.empty:
        widgets.empty(t("followup.none"))
        return
    shown = present.with_labels(rows, status="AgreementStatus", responsible_sector="Sector")
    shown["overdue_text"] = [t("secretariat.overdue") if flag else "" for flag in shown["overdue"]]
    widgets.table(
        present.readable(
            shown,
            [
                "overdue_text",
                "state_name",
                "text",
                "status_label",
                "responsible_sector_label",
                "responsible_organization",
                "due_date",
                "held_on",
            ],
            dates=["due_date", "held_on"],
        )
    )
    by_id = {int(r["id"]): r for r in rows.to_dict("records")}
    widgets.keep_choice("followup_pick", by_id)
    names = {i: _agreement_name(row) for i, row in by_id.items()}
    chosen = st.selectbox(t("followup.pick"), list(names), key="followup_pick", format_func=names.__getitem__)
    change_form(by_id[chosen])
    if allowed(current_actor(), Action.WRITE_ACTIVITY, by_id[chosen]["state_code"]):
        correction_form(by_id[chosen])
    _history(who, chosen)


def _agreement_name(row: dict[str, Any]) -> str:
    overdue = f"{t('secretariat.overdue')} · " if row["overdue"] else ""
    return f"{overdue}{row['state_name']} · {present.shorten(row['text'], 90)}"


def change_form(agreement: dict[str, Any]) -> None:
    """Status, date, note and commitment link for one agreement, prefilled with what is stored."""
    agreement_id = int(agreement["id"])
    commitments = _commitments(agreement["state_code"])
    defaults = {
        "status": agreement["status"],
        "changed_on": date.today(),
        "note": "",
        "commitment_id": _int_or_none(agreement.get("commitment_id")),
    }
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
            st.selectbox(
                t("fields.status"),
                list(statuses),
                key=key(agreement_id, "status"),
                format_func=statuses.__getitem__,
            )
            form_outcome.problems(FORM, "status")
        with right:
            st.date_input(
                t("fields.changed_on"),
                key=key(agreement_id, "changed_on"),
                format="DD/MM/YYYY",
                min_value=EARLIEST_DATE,
                max_value=LATEST_PLANNED_DATE,
            )
            form_outcome.problems(FORM, "changed_on")
        st.text_area(t("fields.note"), key=key(agreement_id, "note"), height=80)
        form_outcome.problems(FORM, "note")
        st.selectbox(
            t("fields.commitment_id"),
            list(links),
            key=key(agreement_id, "commitment_id"),
            help=t("followup.link_help"),
            placeholder=t("followup.no_link"),  # shown for None
            format_func=links.__getitem__,
        )
        form_outcome.problems(FORM, "commitment_id")
        st.form_submit_button(
            t("followup.save"),
            key=f"followup_save_{agreement_id}",
            type="primary",
            on_click=_save,
            args=(agreement_id, int(agreement["version"])),
            icon=":material/save:",
        )


def correction_form(agreement: dict[str, Any]) -> None:
    """The agreement's text, responsible sector and organisation and due date, prefilled with what is stored."""
    agreement_id = int(agreement["id"])
    outcome = correction_outcome(agreement_id)
    due = agreement.get("due_date")
    stored = {
        "text": agreement["text"],
        "responsible_sector": _or_none(agreement.get("responsible_sector")),
        "responsible_organization": _or_none(agreement.get("responsible_organization")) or "",
        "due_date": None if present.missing(due) else pd.Timestamp(due).date(),
    }
    for name, value in stored.items():
        st.session_state.setdefault(correction_key(agreement_id, name), value)
    sectors = {None: t("followup.correct.no_sector"), **{s.value: label("Sector", s) for s in Sector}}
    form_outcome.show(outcome, CORRECTION_FIELDS, CORRECTION_ENUMS)
    with st.form(f"correct_agreement_form_{agreement_id}", clear_on_submit=False, enter_to_submit=False):
        st.markdown(f"**{t('followup.correct.heading')}**")
        st.caption(t("followup.correct.help"))
        st.text_area(t("fields.text"), key=correction_key(agreement_id, "text"), height=80)
        form_outcome.problems(outcome, "text")
        first, second, third = st.columns(3)
        with first:
            st.selectbox(
                t("fields.responsible_sector"),
                list(sectors),
                format_func=sectors.__getitem__,
                key=correction_key(agreement_id, "responsible_sector"),
                placeholder=t("followup.correct.no_sector"),
            )
            form_outcome.problems(outcome, "responsible_sector")
        with second:
            st.text_input(
                t("fields.responsible_organization"),
                key=correction_key(agreement_id, "responsible_organization"),
            )
            form_outcome.problems(outcome, "responsible_organization")
        with third:
            st.date_input(
                t("fields.due_date"),
                value=None,
                key=correction_key(agreement_id, "due_date"),
                format="DD/MM/YYYY",
                min_value=EARLIEST_DATE,
                max_value=LATEST_PLANNED_DATE,
            )
            form_outcome.problems(outcome, "due_date")
        st.form_submit_button(
            t("followup.correct.save"),
            key=f"correct_agreement_save_{agreement_id}",
            on_click=_save_correction,
            args=(agreement_id, int(agreement["version"])),
            icon=":material/edit:",
        )


def _save_correction(agreement_id: int, version: int) -> None:
    s = st.session_state
    data = {name: s.get(correction_key(agreement_id, name)) for name in CORRECTION_FIELDS}
    data["text"] = data["text"] or ""
    store, actor = get_store(), current_actor()
    form_outcome.submit(
        correction_outcome(agreement_id),
        lambda v: agreements.correct_agreement(store, actor, agreement_id, v, data),
        version,
        form_outcome.Done("followup.correct.saved"),
        on_success=form_outcome.forgetting(
            [correction_key(agreement_id, name) for name in CORRECTION_FIELDS]
        ),
    )


def _commitments(state_code: str) -> dict[int, str]:
    rows = cached.list_commitments(*cached.viewer(), (("state_code", state_code),), 500, 0)
    return {
        int(r.id): f"{present.commitment_code(r.plan_number, r.number)} · {present.shorten(r.title, 90)}"
        for r in rows.itertuples()
    }


def _int_or_none(value: Any) -> int | None:
    return None if present.missing(value) else int(value)


def _or_none(value: Any) -> Any:
    return None if present.missing(value) else value


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
        FORM,
        lambda v: agreements.follow_up_agreement(store, actor, agreement_id, v, change),
        version,
        form_outcome.Done("followup.saved", {"status": label("AgreementStatus", change.get("status"))}),
        on_success=form_outcome.forgetting([key(agreement_id, name) for name in FIELDS]),
    )


def _history(who: tuple[str, str | None], agreement_id: int) -> None:
    st.markdown(f"**{t('followup.history')}**")
    entries = history(*who, agreement_id)
    if entries.empty:
        st.caption(t("followup.no_history"))
        return
    out = present.with_labels(entries, status="AgreementStatus")
    out["changed_on"] = [present.day(v) for v in out["changed_on"]]
    columns = {
        "changed_on": "fields.changed_on",
        "status_label": "fields.status",
        "note": "fields.note",
        "recorded_by": "followup.recorded_by",
    }
    out = out.loc[:, [c for c in columns if c in out]]
    widgets.table(out.rename(columns={c: t(columns[c]) for c in out.columns}))
