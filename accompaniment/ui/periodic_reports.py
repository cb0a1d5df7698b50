"""Informes del periodo, the secretariat's side (issue 12): the current period's report of one state, drafted
milestone by milestone (progress, status, evidence as a link, a note or an uploaded file), with its public narrative
and private notes; saved and resumed at will, then submitted, which freezes it until the working group returns it.

Every button runs one store call in its callback (``form_outcome.submit``), so a rerun cannot cut a write in half,
and a stale version comes back as a conflict with the stored values and a button to apply the person's input over
them. The store checks who may draft which state's report; the forms' absence is only a courtesy.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from accompaniment.access import Actor
from accompaniment.domain.enums import MilestoneStatus, Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.domain.reporting import ReportStatus
from accompaniment.store import evidence_files, reporting
from accompaniment.store.reporting import ReportItem, ReportView
from accompaniment.ui import cached, form_outcome, present, widgets
from accompaniment.ui.context import current_actor, get_store, label, show_error, t

EDITABLE = (ReportStatus.DRAFT.value, ReportStatus.RETURNED.value)
ITEM_FORM = "report_item"
TEXT_FORM = "report_text"
SUBMIT_FORM = "report_submit"
ITEM_FIELDS = ("progress", "status", "evidence_url", "evidence_note", "evidence_file_id")
TEXT_FIELDS = ("narrative", "internal_notes")
STATE_KEY = "report_state"
PICK_KEY = "report_milestone_pick"


def status_label(status: str) -> str:
    """A report's (or a state's period) status in the reader's language."""
    return t(f"reporting.status.{status}")


def may_draft(actor: Actor) -> bool:
    return actor.role in (Role.SECRETARIAT, Role.SPECIALIST, Role.ADMIN)


def may_review(actor: Actor) -> bool:
    return actor.role in (Role.WORKING_GROUP, Role.ADMIN)


def item_key(name: str) -> str:
    return f"report_item_{name}"


def drafting_state(actor: Actor) -> str | None:
    """The state whose report is drafted: a secretariat's own; the specialist (or an admin) picks one."""
    if actor.role == Role.SECRETARIAT:
        return actor.state_code
    states = cached.programme_states(*cached.viewer())
    return widgets.state_picker(states, key=STATE_KEY, label=t("reporting.draft.state"))


def period_heading(period: dict[str, Any]) -> None:
    st.markdown(
        t(
            "reporting.period.heading",
            name=widgets.escape_markdown(period["name"]),
            start=present.day(period["starts_on"]),
            end=present.day(period["ends_on"]),
            due=present.day(period["due_on"]),
        )
    )


def draft_panel(actor: Actor, state_code: str | None) -> None:
    """The current period's report of ``state_code``: its status, the reviewers' comments after a return, the
    milestones it reports, and (while it is a draft or returned) the forms to change and submit it."""
    st.subheader(t("reporting.draft.title"))
    if state_code is None:
        widgets.empty(t("reporting.draft.no_state"))
        return
    store = get_store()
    period = reporting.current_period(store, actor, present.today())
    if period is None:
        widgets.empty(t("reporting.period.none"))
        return
    period_heading(period)
    covered = period.get("states") or period.get("state_codes")
    if covered is not None and state_code not in _codes(covered):
        widgets.empty(t("reporting.draft.not_covered"))
        return
    try:
        report = reporting.get_report(store, actor, int(period["id"]), state_code)
    except AccompanimentError as exc:
        show_error(exc)
        return
    st.markdown(
        t("reporting.draft.status", status=status_label(report.status if report.id else "not_started"))
    )
    if report.status == ReportStatus.RETURNED.value:
        st.warning(
            t("reporting.draft.returned", comment=widgets.escape_markdown(report.review_comment or "—")),
            icon=":material/undo:",
        )
        for item in report.items:  # the comments on each milestone, where the person reads the return
            if item.review_comment:
                st.markdown(
                    t(
                        "reporting.draft.item_comment",
                        milestone=widgets.escape_markdown(item.milestone_label),
                        comment=widgets.escape_markdown(item.review_comment),
                    )
                )
    items_table(report)
    form_outcome.show(SUBMIT_FORM)  # here: once submitted, the forms below are gone
    if report.id is not None and report.status not in EDITABLE:
        st.info(t(f"reporting.draft.frozen_{report.status}"), icon=":material/lock:")
        return
    item_form(report)
    text_form(report)
    submit_button(report)


def _codes(covered: Any) -> list[str]:
    if isinstance(covered, str):
        return [code.strip() for code in covered.replace(";", ",").split(",") if code.strip()]
    return [str(code) for code in covered]


def items_table(report: ReportView) -> None:
    """The milestones the report carries, with the figures now published beside the reported ones."""
    reported = [item for item in report.items if item.in_report]
    st.markdown(f"**{t('reporting.items.title')}**")
    if not reported:
        st.caption(t("reporting.items.none"))
        return
    rows = [
        {
            t("reporting.items.commitment"): item.commitment_label,
            t("reporting.items.milestone"): item.milestone_label,
            t("reporting.items.current"): present.percent(item.current_progress),
            t("reporting.items.reported"): present.percent(item.progress),
            t("fields.status"): label("MilestoneStatus", item.status),
            t("reporting.items.evidence"): evidence_text(item),
            t("reporting.items.comment"): item.review_comment or "",
        }
        for item in reported
    ]
    widgets.table(pd.DataFrame(rows))


def evidence_text(item: ReportItem) -> str:
    parts = []
    if item.evidence_file is not None:
        parts.append(item.evidence_file.file_name)
    if item.evidence_url and (
        item.evidence_file is None or item.evidence_url != item.evidence_file.download_path
    ):
        parts.append(item.evidence_url)
    if item.evidence_note:
        parts.append(present.shorten(item.evidence_note, 80))
    return " · ".join(parts)


def _milestone_name(item: ReportItem) -> str:
    mark = "✎ " if item.in_report else ""
    return f"{mark}{present.shorten(item.commitment_label, 40)} · {present.shorten(item.milestone_label, 70)}"


def item_form(report: ReportView) -> None:
    """One milestone's figures and evidence, saved into the draft (the other lines are kept as they are)."""
    st.markdown(f"**{t('reporting.item.title')}**")
    items = {item.milestone_id: item for item in report.items}
    if not items:
        st.caption(t("reporting.items.no_milestones"))
        return
    names = {mid: _milestone_name(item) for mid, item in items.items()}
    widgets.keep_choice(PICK_KEY, names)
    chosen = st.selectbox(t("reporting.item.pick"), list(names), key=PICK_KEY, format_func=names.__getitem__,
                          placeholder=widgets.choose_text())  # fmt: skip
    item = items[chosen]
    if item.review_comment:
        st.warning(t("reporting.item.comment", comment=widgets.escape_markdown(item.review_comment)))
    form_outcome.show(ITEM_FORM, ITEM_FIELDS, {"status": "MilestoneStatus"})
    statuses = {s.value: label("MilestoneStatus", s) for s in MilestoneStatus}
    defaults = {
        "progress": float(item.progress if item.progress is not None else item.current_progress),
        "status": item.status or item.current_status,
        "evidence_url": "" if item.evidence_file is not None else (item.evidence_url or ""),
        "evidence_note": item.evidence_note or "",
    }
    if st.session_state.get(item_key("for")) != chosen:  # another milestone: start from its own figures
        for name, value in defaults.items():
            st.session_state[item_key(name)] = value
        st.session_state[item_key("for")] = chosen
    with st.form("report_item_form", clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        with left:
            st.number_input(t("fields.progress"), step=5.0, format="%.0f", key=item_key("progress"))
            form_outcome.problems(ITEM_FORM, "progress")
        with right:
            st.selectbox(t("fields.status"), list(statuses), key=item_key("status"),
                         format_func=statuses.__getitem__, placeholder=widgets.choose_text())  # fmt: skip
            form_outcome.problems(ITEM_FORM, "status")
        st.caption(t("reporting.item.complete_rule"))
        st.text_input(t("fields.evidence_url"), key=item_key("evidence_url"))
        form_outcome.problems(ITEM_FORM, "evidence_url")
        st.text_area(t("fields.evidence_note"), key=item_key("evidence_note"), height=80)
        if item.evidence_file is not None:
            st.caption(
                t("reporting.item.current_file", name=widgets.escape_markdown(item.evidence_file.file_name))
            )
        st.file_uploader(t("reporting.item.file"), key=item_key("file"), help=t("reporting.item.file_help"))
        form_outcome.problems(ITEM_FORM, "evidence_file_id")
        st.checkbox(t("reporting.item.public"), key=item_key("public"), help=t("reporting.item.public_help"))
        st.form_submit_button(t("reporting.item.save"), key="report_item_save", type="primary",
                              icon=":material/save:", on_click=_save_item, args=(report, chosen))  # fmt: skip


def _line(item: ReportItem) -> dict[str, Any]:
    """A reported milestone as the store takes it back, unchanged."""
    return {
        "milestone_id": item.milestone_id,
        "progress": item.progress,
        "status": item.status,
        "evidence_url": item.evidence_url,
        "evidence_note": item.evidence_note,
        "evidence_file_id": item.evidence_file.id if item.evidence_file is not None else None,
    }


def _draft(report: ReportView, **changes: Any) -> dict[str, Any]:
    data = {
        "narrative": report.narrative,
        "internal_notes": report.internal_notes or "",
        "items": [_line(item) for item in report.items if item.in_report],
    }
    return data | changes


def _save_item(report: ReportView, milestone_id: int) -> None:
    s = st.session_state
    store, actor = get_store(), current_actor()
    item = next(i for i in report.items if i.milestone_id == milestone_id)
    upload = s.get(item_key("file"))
    line = {
        "milestone_id": milestone_id,
        "progress": s.get(item_key("progress")),
        "status": s.get(item_key("status")),
        "evidence_url": (s.get(item_key("evidence_url")) or "").strip() or None,
        "evidence_note": s.get(item_key("evidence_note")) or "",
        "evidence_file_id": item.evidence_file.id if item.evidence_file is not None else None,
    }

    def write(version: int | None) -> int:
        if upload is not None:
            upload.seek(0)
            info = evidence_files.store_evidence_file(
                store,
                actor,
                report.state_code,
                upload.name,
                upload,
                is_public=bool(s.get(item_key("public"))),
            )
            line["evidence_file_id"] = info.id  # the file is the evidence: the store links it on approval
        others = [_line(i) for i in report.items if i.in_report and i.milestone_id != milestone_id]
        data = _draft(report, items=[*others, line])
        return reporting.save_draft(store, actor, report.period_id, report.state_code, data, version)

    form_outcome.submit(ITEM_FORM, write, report.version if report.id else None,
                        form_outcome.Done("reporting.item.saved"),
                        on_success=form_outcome.forgetting([item_key("for"), item_key("file")]))  # fmt: skip


def text_form(report: ReportView) -> None:
    """The report's narrative (published with the approved figures) and internal notes (never published)."""
    st.markdown(f"**{t('reporting.text.title')}**")
    form_outcome.show(TEXT_FORM, TEXT_FIELDS)
    if st.session_state.get(item_key("text_for")) != (report.id, report.version):
        st.session_state["report_narrative"] = report.narrative
        st.session_state["report_internal_notes"] = report.internal_notes or ""
        st.session_state[item_key("text_for")] = (report.id, report.version)
    with st.form("report_text_form", clear_on_submit=False, enter_to_submit=False):
        st.text_area(
            t("reporting.text.narrative"), key="report_narrative", help=t("reporting.text.narrative_help")
        )
        form_outcome.problems(TEXT_FORM, "narrative")
        st.text_area(t("reporting.text.internal_notes"), key="report_internal_notes",
                     help=t("reporting.text.internal_notes_help"))  # fmt: skip
        form_outcome.problems(TEXT_FORM, "internal_notes")
        st.form_submit_button(t("reporting.text.save"), key="report_text_save", icon=":material/save:",
                              on_click=_save_text, args=(report,))  # fmt: skip


def _save_text(report: ReportView) -> None:
    s = st.session_state
    store, actor = get_store(), current_actor()
    data = _draft(report, narrative=s.get("report_narrative") or "",
                  internal_notes=s.get("report_internal_notes") or "")  # fmt: skip
    form_outcome.submit(
        TEXT_FORM,
        lambda version: reporting.save_draft(
            store, actor, report.period_id, report.state_code, data, version
        ),
        report.version if report.id else None,
        form_outcome.Done("reporting.text.saved"),
    )


def submit_button(report: ReportView) -> None:
    """Submitting freezes the report; it is offered once the draft exists."""
    if report.id is None:
        st.caption(t("reporting.submit.first_save"))
        return
    st.button(t("reporting.submit.button"), key="report_submit", type="primary", icon=":material/send:",
              help=t("reporting.submit.help"), on_click=_submit, args=(report,))  # fmt: skip


def _submit(report: ReportView) -> None:
    store, actor = get_store(), current_actor()
    form_outcome.submit(
        SUBMIT_FORM,
        lambda version: reporting.submit_report(store, actor, int(report.id), version),
        report.version,
        form_outcome.Done("reporting.submit.done"),
    )
