"""Two decisions about an STL's record that are not daily logging: moving the STL to another phase (specialist,
working group, admins; on Secretariado, beside the phase timeline) and assessing a commitment in the terms of OGP's
Independent Reporting Mechanism (working group, admins; under a commitment's detail on Compromisos).

Each form is shown only to those the store lets write it, and each save is one store call in the submit callback.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from accompaniment.access import Action, allowed
from accompaniment.domain.enums import Ambition, EarlyResults, Phase
from accompaniment.domain.errors import AccompanimentError
from accompaniment.domain.models import EARLIEST_DATE, LATEST_PLANNED_DATE, LONG_TEXT
from accompaniment.store import commitments, secretariats
from accompaniment.ui import cached, form_outcome, widgets
from accompaniment.ui.context import current_actor, get_store, label, t

PHASE_FIELDS = ("phase", "changed_on", "note")
ASSESSMENT_FIELDS = ("verifiable", "ambition", "early_results")
ASSESSMENT_ENUMS = {"ambition": "Ambition", "early_results": "EarlyResults"}
# The "Sin valorar" option of each assessment box. Not None: a select box whose value is None shows no option at
# all, only its placeholder (Streamlit's "Choose an option" unless told otherwise); the store still gets None.
UNASSESSED = ""


# ---- phase changes -------------------------------------------------------------------------------------------------


def phase_key(state_code: str, name: str) -> str:
    return f"phase_{state_code}_{name}"


def phase_change_form(state_code: str) -> None:
    """Move the STL of ``state_code`` to a phase on a date, with a note (shown to those who may)."""
    if not allowed(current_actor(), Action.CHANGE_PHASE, state_code):
        return
    try:
        stl = cached.secretariat(*cached.viewer(), state_code)
    except AccompanimentError:
        return  # the page above already says why
    outcome = f"phase_change_{state_code}"
    st.markdown(f"##### {t('phase_form.heading')}")
    form_outcome.show(outcome, PHASE_FIELDS, {"phase": "Phase"})
    for name, value in {"phase": int(stl.phase), "changed_on": date.today(), "note": ""}.items():
        st.session_state.setdefault(phase_key(state_code, name), value)
    with st.form(f"phase_form_{state_code}", clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        with left:
            phases = {
                int(p): label("Phase", p) for p in Phase
            }  # labelled now: AppTest formats outside the run
            st.selectbox(
                t("phase_form.phase"),
                list(phases),
                key=phase_key(state_code, "phase"),
                format_func=phases.__getitem__,
                placeholder=widgets.choose_text(),
            )
            form_outcome.problems(outcome, "phase")
        with right:
            st.date_input(
                t("fields.changed_on"),
                key=phase_key(state_code, "changed_on"),
                format="DD/MM/YYYY",
                min_value=EARLIEST_DATE,
                max_value=LATEST_PLANNED_DATE,
            )
            form_outcome.problems(outcome, "changed_on")
        st.text_area(t("fields.note"), key=phase_key(state_code, "note"), max_chars=LONG_TEXT, height=80)
        form_outcome.problems(outcome, "note")
        st.form_submit_button(
            t("phase_form.save"),
            key=f"phase_save_{state_code}",
            type="primary",
            on_click=_change_phase,
            args=(state_code, stl.version, outcome),
            icon=":material/save:",
        )


def _change_phase(state_code: str, version: int, outcome: str) -> None:
    s = st.session_state
    data = {name: s.get(phase_key(state_code, name)) for name in PHASE_FIELDS}
    data = {name: value for name, value in data.items() if value is not None}
    store, actor = get_store(), current_actor()
    form_outcome.submit(
        outcome,
        lambda v: secretariats.change_phase(store, actor, state_code, v, data),
        version,
        form_outcome.Done("phase_form.saved", {"phase": label("Phase", data.get("phase"))}),
        on_success=form_outcome.forgetting([phase_key(state_code, name) for name in PHASE_FIELDS]),
    )


# ---- IRM-style assessment ------------------------------------------------------------------------------------------


def assessment_key(commitment_id: int, name: str) -> str:
    return f"assessment_{commitment_id}_{name}"


def assessment_form(item: dict[str, Any]) -> None:
    """Verifiable, ambition and "did it open government?" for one commitment (working group and admins)."""
    if not allowed(current_actor(), Action.ASSESS_COMMITMENT, item["state_code"]):
        return
    commitment_id = int(item["id"])
    outcome = f"assessment_{commitment_id}"
    st.markdown(f"##### {t('assessment.heading')}")
    st.caption(t("assessment.intro"))
    form_outcome.show(outcome, ASSESSMENT_FIELDS, ASSESSMENT_ENUMS)
    for name in ASSESSMENT_FIELDS:
        value = item.get(name)
        st.session_state.setdefault(
            assessment_key(commitment_id, name), UNASSESSED if value is None else value
        )
    unassessed = t("assessment.unassessed")
    # Labels computed now: AppTest formats options outside the script run, where the language is unknown.
    verifiable = {UNASSESSED: unassessed, True: t("common.yes"), False: t("common.no")}
    ambitions = {UNASSESSED: unassessed} | {a.value: label("Ambition", a) for a in Ambition}
    results = {UNASSESSED: unassessed} | {e.value: label("EarlyResults", e) for e in EarlyResults}
    with st.form(f"assessment_form_{commitment_id}", clear_on_submit=False, enter_to_submit=False):
        first, second, third = st.columns(3)
        with first:
            st.selectbox(
                t("fields.verifiable"),
                list(verifiable),
                key=assessment_key(commitment_id, "verifiable"),
                format_func=verifiable.__getitem__,
                placeholder=unassessed,
            )
            form_outcome.problems(outcome, "verifiable")
        with second:
            st.selectbox(
                t("fields.ambition"),
                list(ambitions),
                key=assessment_key(commitment_id, "ambition"),
                format_func=ambitions.__getitem__,
                placeholder=unassessed,
            )
            form_outcome.problems(outcome, "ambition")
        with third:
            st.selectbox(
                t("fields.early_results"),
                list(results),
                key=assessment_key(commitment_id, "early_results"),
                help=t("assessment.early_results_help"),
                format_func=results.__getitem__,
                placeholder=unassessed,
            )
            form_outcome.problems(outcome, "early_results")
        st.form_submit_button(
            t("assessment.save"),
            key=f"assessment_save_{commitment_id}",
            type="primary",
            on_click=_assess,
            args=(commitment_id, int(item["version"]), outcome),
            icon=":material/save:",
        )


def _assess(commitment_id: int, version: int, outcome: str) -> None:
    s = st.session_state
    data = {name: s.get(assessment_key(commitment_id, name)) for name in ASSESSMENT_FIELDS}
    data = {name: None if value == UNASSESSED else value for name, value in data.items()}
    store, actor = get_store(), current_actor()
    form_outcome.submit(
        outcome,
        lambda v: commitments.assess_commitment(store, actor, commitment_id, v, data),
        version,
        form_outcome.Done("assessment.saved", {}),
        on_success=form_outcome.forgetting(
            [assessment_key(commitment_id, name) for name in ASSESSMENT_FIELDS]
        ),
    )
