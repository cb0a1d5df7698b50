"""Informes del periodo, the working group's side (issue 12): open a reporting period, see the reports waiting
for review, and review one: its milestones with their evidence (files are checked against their hash before they
are offered for download), a comment field per milestone, and the two outcomes, return with comments or approve.

Approving is what publishes: the store applies the report's figures to the milestones and copies them to the
published figures in one transaction. Each button is one store call in its callback (``form_outcome.submit``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.domain.errors import AccompanimentError
from accompaniment.store import evidence_files, report_lookup, reporting
from accompaniment.store.evidence_files import EvidenceFileInfo
from accompaniment.store.reporting import ReportItem, ReportView
from accompaniment.ui import cached, form_outcome, present, widgets
from accompaniment.ui.context import current_actor, get_store, label, show_error, t
from accompaniment.ui.periodic_reports import evidence_text, status_label

PERIOD_FORM = "report_period"
REVIEW_FORM = "report_review"
PERIOD_FIELDS = ("name", "starts_on", "ends_on", "due_on", "state_codes")
PICK_KEY = "review_pick"


def open_period_form() -> None:
    """A new period for every programme state, or for the ones chosen."""
    with st.expander(t("reporting.open.title"), icon=":material/event:"):
        form_outcome.show(PERIOD_FORM, PERIOD_FIELDS)
        states = cached.programme_states(*cached.viewer())
        names = dict(zip(states["state_code"], states["state_name"], strict=True))
        start = present.today().replace(day=1)
        with st.form("report_period_form", clear_on_submit=False, enter_to_submit=False):
            st.text_input(
                t("reporting.open.name"), key="period_name", placeholder=t("reporting.open.name_hint")
            )
            form_outcome.problems(PERIOD_FORM, "name")
            left, middle, right = st.columns(3)
            left.date_input(
                t("reporting.open.starts_on"), value=start, key="period_starts_on", format="DD/MM/YYYY"
            )
            middle.date_input(t("reporting.open.ends_on"), value=start + timedelta(days=89), key="period_ends_on",
                              format="DD/MM/YYYY")  # fmt: skip
            right.date_input(t("reporting.open.due_on"), value=start + timedelta(days=104), key="period_due_on",
                             format="DD/MM/YYYY")  # fmt: skip
            for name in ("starts_on", "ends_on", "due_on"):
                form_outcome.problems(PERIOD_FORM, name)
            st.multiselect(t("reporting.open.states"), list(names), key="period_states",
                           format_func=names.__getitem__, help=t("reporting.open.states_help"),
                           placeholder=t("reporting.open.all_states"))  # fmt: skip
            form_outcome.problems(PERIOD_FORM, "state_codes")
            st.form_submit_button(t("reporting.open.save"), key="period_save", type="primary",
                                  icon=":material/add:", on_click=_open_period)  # fmt: skip


def _open_period() -> None:
    s = st.session_state
    data = {
        "name": (s.get("period_name") or "").strip(),
        "starts_on": s.get("period_starts_on"),
        "ends_on": s.get("period_ends_on"),
        "due_on": s.get("period_due_on"),
        "state_codes": list(s.get("period_states") or []) or None,
    }
    store, actor = get_store(), current_actor()
    form_outcome.submit(PERIOD_FORM, lambda _v: reporting.open_period(store, actor, data), None,
                        form_outcome.Done("reporting.open.done", {"name": data["name"]}),
                        on_success=form_outcome.forgetting(["period_name", "period_states"]))  # fmt: skip


def waiting_list() -> pd.DataFrame:
    """The submitted reports, oldest first, as a table; returns them for the picker below."""
    st.subheader(t("reporting.waiting.title"))
    waiting = reporting.reports_waiting_for_review(get_store(), current_actor())
    if waiting.empty:
        widgets.empty(t("reporting.waiting.none"))
        return waiting
    shown = pd.DataFrame(
        {
            t("col.state_name"): waiting["state_name"],
            t("reporting.waiting.period"): waiting["period_name"],
            t("reporting.waiting.submitted_at"): [present.moment(v) for v in waiting["submitted_at"]],
        }
    )
    widgets.table(shown)
    return waiting


def review_panel(waiting: pd.DataFrame) -> None:
    """One submitted report, chosen from the waiting list: its figures and evidence, comments, the outcome."""
    form_outcome.show(REVIEW_FORM, ("review_comment",))  # before the list may have emptied: the last outcome
    if waiting.empty:
        return
    names = {
        int(row.report_id): f"{row.state_name} · {row.period_name}" for row in waiting.itertuples(index=False)
    }
    widgets.keep_choice(PICK_KEY, names)
    chosen = st.selectbox(t("reporting.review.pick"), list(names), key=PICK_KEY, format_func=names.__getitem__,
                          placeholder=widgets.choose_text())  # fmt: skip
    store, actor = get_store(), current_actor()
    try:
        period_id, state_code = report_lookup.report_location(store, actor, chosen)
        report = reporting.get_report(store, actor, period_id, state_code)
    except AccompanimentError as exc:
        show_error(exc)
        return
    st.markdown(t("reporting.draft.status", status=status_label(report.status)))
    if report.narrative:
        st.markdown(f"**{t('reporting.text.narrative')}**")
        st.text(report.narrative)
    if report.internal_notes:
        st.markdown(f"**{t('reporting.text.internal_notes')}**")
        st.text(report.internal_notes)
    reported = [item for item in report.items if item.in_report]
    if not reported:
        st.caption(t("reporting.items.none"))
    for item in reported:
        _review_item(report, item)
    st.text_area(t("reporting.review.general"), key=f"review_general_{report.id}")
    form_outcome.problems(REVIEW_FORM, "review_comment")
    left, right = st.columns(2)
    left.button(t("reporting.review.return"), key="review_return", icon=":material/undo:",
                on_click=_return, args=(report,), help=t("reporting.review.return_help"))  # fmt: skip
    right.button(t("reporting.review.approve"), key="review_approve", type="primary", icon=":material/verified:",
                 on_click=_approve, args=(report,), help=t("reporting.review.approve_help"))  # fmt: skip


def _review_item(report: ReportView, item: ReportItem) -> None:
    with st.container(border=True):
        st.markdown(f"**{widgets.escape_markdown(item.commitment_label)}** · "
                    f"{widgets.escape_markdown(item.milestone_label)}")  # fmt: skip
        st.markdown(
            t(
                "reporting.review.figures",
                current=present.percent(item.current_progress),
                current_status=label("MilestoneStatus", item.current_status),
                reported=present.percent(item.progress),
                status=label("MilestoneStatus", item.status),
            )
        )
        evidence = evidence_text(item)
        if evidence:
            st.caption(t("reporting.review.evidence", evidence=widgets.escape_markdown(evidence)))
        if item.evidence_file is not None:
            download(item.evidence_file)
        st.text_input(t("reporting.review.comment"), key=f"review_comment_{report.id}_{item.milestone_id}")


def download(info: EvidenceFileInfo) -> None:
    """A file's bytes are read, and checked against their SHA-256, only when asked for; a file that fails the
    check is reported and never offered."""
    ready = f"evidence_ready_{info.id}"
    if ready not in st.session_state:
        st.button(t("reporting.file.prepare", name=info.file_name), key=f"evidence_prepare_{info.id}",
                  icon=":material/download:", on_click=_prepare, args=(info.id,))  # fmt: skip
        return
    outcome = st.session_state[ready]
    if isinstance(outcome, AccompanimentError):
        show_error(outcome)
        return
    st.download_button(t("reporting.file.download", name=info.file_name), data=outcome, file_name=info.file_name,
                       mime=info.media_type, key=f"evidence_download_{info.id}", icon=":material/download:",
                       on_click="ignore")  # fmt: skip


def _prepare(file_id: int) -> None:
    try:
        _info, chunks = evidence_files.open_evidence_file(get_store(), current_actor(), file_id)
        st.session_state[f"evidence_ready_{file_id}"] = b"".join(chunks)
    except AccompanimentError as exc:
        st.session_state[f"evidence_ready_{file_id}"] = exc


def _comments(report: ReportView) -> dict[int, str]:
    s = st.session_state
    found = {item.milestone_id: (s.get(f"review_comment_{report.id}_{item.milestone_id}") or "").strip()
             for item in report.items if item.in_report}  # fmt: skip
    return {k: v for k, v in found.items() if v}


def _return(report: ReportView) -> None:
    store, actor = get_store(), current_actor()
    comments = _comments(report)
    general = st.session_state.get(f"review_general_{report.id}") or ""
    form_outcome.submit(
        REVIEW_FORM,
        lambda version: reporting.return_report(store, actor, int(report.id), comments, general, version),
        report.version,
        form_outcome.Done("reporting.review.returned"),
    )


def _approve(report: ReportView) -> None:
    store, actor = get_store(), current_actor()
    form_outcome.submit(
        REVIEW_FORM,
        lambda version: reporting.approve_report(store, actor, int(report.id), version),
        report.version,
        form_outcome.Done("reporting.review.approved"),
    )


def periods_table() -> None:
    """The periods opened so far, newest first."""
    periods = reporting.list_periods(get_store(), current_actor())
    if periods.empty:
        return
    with st.expander(t("reporting.periods.title")):
        rows: list[dict[str, Any]] = [
            {
                t("reporting.open.name"): row.name,
                t("reporting.open.starts_on"): present.day(row.starts_on),
                t("reporting.open.ends_on"): present.day(row.ends_on),
                t("reporting.open.due_on"): present.day(row.due_on),
                t("reporting.periods.states"): len(row.states),
            }
            for row in periods.itertuples(index=False)
        ]
        widgets.table(pd.DataFrame(rows))
