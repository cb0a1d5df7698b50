"""The reporting cycle (issue 12): periods, each state's report for a period, and the reads around them.

The working group opens a period for some or all programme states; a state's secretariat (its own state only), or
the specialist on its behalf, drafts the period's report, saves and resumes it, and submits it, which freezes it.
This module reads a report (``get_report``) and re-exports the rest, so callers import one module: periods in
store/reporting_periods.py, drafting in reporting_drafts.py, the review (submit, return, approve) in
reporting_review.py, published figures and the overview in reporting_status.py, who may act in reporting_rules.py. Every write is one transaction with an audit entry; drafts use optimistic concurrency (the
report's ``version``), so two people editing one draft never lose each other's work silently.
Rules of the cycle (which move is allowed from which status) are in domain/reporting.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import PermissionDenied, TransitionRefused
from accompaniment.domain.reporting import ReportStatus
from accompaniment.store.database import Store
from accompaniment.store.evidence_files import EvidenceFileInfo, file_info
from accompaniment.store.reporting_drafts import save_draft
from accompaniment.store.reporting_periods import (
    current_period,
    list_periods,
    live_period,
    open_period,
    report_row,
    state_milestones,
)
from accompaniment.store.reporting_review import (
    approve_report,
    reports_waiting_for_review,
    return_report,
    submit_report,
)
from accompaniment.store.reporting_status import approval_dates, period_status_by_state, publish_baseline
from accompaniment.store.schema import report_item, report_transition

__all__ = [
    "ReportItem",
    "ReportTransition",
    "ReportView",
    "TransitionRefused",
    "approval_dates",
    "approve_report",
    "current_period",
    "get_report",
    "list_periods",
    "open_period",
    "period_status_by_state",
    "publish_baseline",
    "reports_waiting_for_review",
    "return_report",
    "save_draft",
    "submit_report",
]


@dataclass(frozen=True)
class ReportItem:
    """One milestone of the state as a report shows it: its live figures (``current_*``) and, when the report
    carries a line for it (``in_report``), the reported ones. ``evidence_note`` and ``review_comment`` are empty
    for viewers who may not read them."""

    milestone_id: int
    commitment_label: str
    milestone_label: str
    current_progress: float
    current_status: str
    progress: float | None
    status: str | None
    evidence_url: str | None
    evidence_note: str
    evidence_file: EvidenceFileInfo | None
    review_comment: str
    in_report: bool = False


@dataclass(frozen=True)
class ReportTransition:
    from_status: str | None
    to_status: str
    actor: str
    at: datetime
    comment: str


@dataclass(frozen=True)
class ReportView:
    """A state's report for a period. ``id`` is None (status ``draft``, version 0) while nobody has saved one;
    ``internal_notes`` is None for viewers who may not read them."""

    id: int | None
    period_id: int
    state_code: str
    status: str
    version: int
    narrative: str
    internal_notes: str | None
    review_comment: str
    items: tuple[ReportItem, ...]
    transitions: tuple[ReportTransition, ...]
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by: str | None = None


# ---- reading a report ------------------------------------------------------------------------------------------


def _label(number: int | None, text: str) -> str:
    return f"{number}. {text}" if number is not None else text


def may_read_report(viewer: Actor, state_code: str, status: str | None) -> bool:
    """Staff read every report; a secretariat its own state's; everyone else an approved report's public part."""
    if allowed(viewer, Action.READ_MILESTONE_DETAIL, state_code):
        return True
    if viewer.role == Role.SECRETARIAT or viewer.must_change_password:
        return False
    return status == ReportStatus.APPROVED


def _view(connection: Connection, viewer: Actor, period_id: int, state_code: str) -> ReportView:
    report = report_row(connection, period_id, state_code)
    status = report["status"] if report else ReportStatus.DRAFT.value
    if not may_read_report(viewer, state_code, report["status"] if report else None):
        raise PermissionDenied(action="read_report")
    detail = allowed(viewer, Action.READ_MILESTONE_DETAIL, state_code)
    lines: dict[int, dict[str, Any]] = {}
    transitions: tuple[ReportTransition, ...] = ()
    if report is not None:
        lines = {
            row["milestone_id"]: dict(row)
            for row in connection.execute(
                select(report_item).where(report_item.c.report_id == report["id"])
            ).mappings()
        }
        if detail:
            transitions = tuple(
                ReportTransition(r.from_status, r.to_status, r.actor, r.at, r.comment)
                for r in connection.execute(
                    select(report_transition)
                    .where(report_transition.c.report_id == report["id"])
                    .order_by(report_transition.c.at, report_transition.c.id)
                )
            )
    items = []
    for m in state_milestones(connection, state_code):
        line = lines.get(m["id"])
        info = file_info(connection, line["evidence_file_id"]) if line and line["evidence_file_id"] else None
        if info is not None and not (detail or info.is_public):
            info = None
        items.append(
            ReportItem(
                milestone_id=m["id"],
                commitment_label=_label(m["commitment_number"], m["title"]),
                milestone_label=_label(m["number"], m["description"]),
                current_progress=float(m["progress"]),
                current_status=m["status"],
                progress=float(line["progress"]) if line else None,
                status=line["status"] if line else None,
                evidence_url=line["evidence_url"] if line else None,
                evidence_note=(line["evidence_note"] if line and detail else ""),
                evidence_file=info,
                review_comment=(line["review_comment"] if line and detail else ""),
                in_report=line is not None,
            )
        )
    return ReportView(
        id=report["id"] if report else None,
        period_id=period_id,
        state_code=state_code,
        status=status,
        version=report["version"] if report else 0,
        narrative=report["narrative"] if report else "",
        internal_notes=(report["internal_notes"] if report else "") if detail else None,
        review_comment=(report["review_comment"] if report and detail else ""),
        items=tuple(items),
        transitions=transitions,
        submitted_at=report["submitted_at"] if report else None,
        approved_at=report["approved_at"] if report else None,
        approved_by=(report["approved_by"] if report and detail else None),
    )


def get_report(store: Store, viewer: Actor, period_id: int, state_code: str) -> ReportView:
    """The state's report for the period with every live milestone of the state (see ``ReportItem``)."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        live_period(connection, period_id)
        return _view(connection, viewer, period_id, state_code)
