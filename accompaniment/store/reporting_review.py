"""Submitting and reviewing a state's period report (issue 12): submit, return with comments, approve.

Approval is where reported figures become published ones: in one transaction each line is applied to its milestone
through the milestone update path of store/commitments.py (its rules, its timeline entry and its audit), and the
resulting figures are copied to ``approved_milestone``. Any refusal leaves the report, the milestones and the
published figures as they were.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, select, update

from accompaniment import i18n
from accompaniment.access import SYSTEM, Actor
from accompaniment.domain.errors import ConflictError, ValidationError
from accompaniment.domain.models import _FORBIDDEN_CHARS, LONG_TEXT
from accompaniment.domain.reporting import ReportMove, ReportStatus
from accompaniment.store import commitments
from accompaniment.store.database import Store, fetch_row
from accompaniment.store.evidence_files import evidence_link
from accompaniment.store.reporting_rules import (
    ensure_move,
    record_transition,
    require_reporter,
    require_reviewer,
)
from accompaniment.store.schema import (
    approved_milestone,
    evidence_file,
    milestone,
    report_item,
    reporting_period,
    state,
    state_report,
)


def _move(
    store: Store,
    connection: Connection,
    actor: Actor,
    report: dict[str, Any],
    expected_version: int,
    move: ReportMove,
    values: dict[str, Any],
    comment: str = "",
) -> int:
    """Check the version and the move, write ``values`` with the new status, record the transition."""
    if report["version"] != expected_version:
        raise ConflictError(current=report)
    ensure_move(report["status"], move)
    target = {
        ReportMove.SUBMIT: ReportStatus.SUBMITTED,
        ReportMove.RETURN: ReportStatus.RETURNED,
        ReportMove.APPROVE: ReportStatus.APPROVED,
    }[move]
    result = connection.execute(
        update(state_report)
        .where(state_report.c.id == report["id"], state_report.c.version == expected_version)
        .values(
            **values,
            status=target.value,
            updated_by=actor.username,
            updated_at=store.clock(),
            version=state_report.c.version + 1,
        )
    )
    if result.rowcount != 1:
        raise ConflictError(current=fetch_row(connection, state_report, report["id"]))
    record_transition(
        store, connection, actor, report["id"], report["state_code"], report["status"], target, comment
    )
    return expected_version + 1


def submit_report(store: Store, actor: Actor, report_id: int, expected_version: int) -> int:
    """Freeze the draft (or the corrected returned report) for review; returns the new version."""

    def work(connection: Connection) -> int:
        report = fetch_row(connection, state_report, report_id)
        require_reporter(actor, report["state_code"])
        return _move(
            store,
            connection,
            actor,
            report,
            expected_version,
            ReportMove.SUBMIT,
            {"submitted_at": store.clock()},
        )

    return store.write(work)


def _clean_comment(field: str, text: str) -> str:
    text = (text or "").strip()
    if len(text) > LONG_TEXT:
        raise ValidationError.single(field, "too_long", max=LONG_TEXT)
    if _FORBIDDEN_CHARS.search(text):
        raise ValidationError.single(field, "bad_characters")
    return text


def return_report(
    store: Store,
    actor: Actor,
    report_id: int,
    comments: dict[int, str],
    general_comment: str,
    expected_version: int,
) -> int:
    """Send a submitted report back with comments: per milestone (``comments``, keyed by milestone id, for
    milestones the report carries) and a general one; at least one is needed. Returns the new version."""
    require_reviewer(actor)
    general = _clean_comment("review_comment", general_comment)
    per_item = {int(k): _clean_comment("review_comment", v) for k, v in (comments or {}).items()}
    per_item = {k: v for k, v in per_item.items() if v}
    if not general and not per_item:
        raise ValidationError.single("review_comment", "required")

    def work(connection: Connection) -> int:
        report = fetch_row(connection, state_report, report_id)
        carried = set(
            connection.execute(
                select(report_item.c.milestone_id).where(report_item.c.report_id == report_id)
            ).scalars()
        )
        stray = [m for m in per_item if m not in carried]
        if stray:
            raise ValidationError.single("review_comment", "milestone_not_in_report", value=stray[0])
        version = _move(
            store,
            connection,
            actor,
            report,
            expected_version,
            ReportMove.RETURN,
            {"review_comment": general},
            general,
        )
        connection.execute(
            update(report_item).where(report_item.c.report_id == report_id).values(review_comment="")
        )
        for milestone_id, text in per_item.items():
            connection.execute(
                update(report_item)
                .where(report_item.c.report_id == report_id, report_item.c.milestone_id == milestone_id)
                .values(review_comment=text)
            )
        return version

    return store.write(work)


def _apply_line(store: Store, connection: Connection, line: dict[str, Any], note: str) -> dict[str, Any]:
    """One report line onto its milestone through the milestone update path; a file counts as its evidence link."""
    evidence_url = line["evidence_url"]
    if not evidence_url and line["evidence_file_id"] is not None:
        sha256 = connection.execute(
            select(evidence_file.c.sha256).where(evidence_file.c.id == line["evidence_file_id"])
        ).scalar_one()
        evidence_url = evidence_link(sha256)
    current = fetch_row(connection, milestone, line["milestone_id"])
    return commitments.update_milestone(
        store,
        SYSTEM,
        line["milestone_id"],
        current["version"],
        {
            "progress": line["progress"],
            "status": line["status"],
            "evidence_url": evidence_url,
            "evidence_note": line["evidence_note"],
            "note": note,
        },
    )


def approve_report(store: Store, actor: Actor, report_id: int, expected_version: int) -> int:
    """Approve a submitted report: its lines become the milestones' figures and the published figures, in one
    transaction. The milestone updates are recorded as made by the system on the approver's decision (the approver
    may not edit milestones directly); the transition and its audit entry name the approver."""
    require_reviewer(actor)

    def work(connection: Connection) -> int:
        report = fetch_row(connection, state_report, report_id)
        if report["version"] != expected_version:
            raise ConflictError(current=report)
        ensure_move(report["status"], ReportMove.APPROVE)
        period_name = connection.execute(
            select(reporting_period.c.name).where(reporting_period.c.id == report["period_id"])
        ).scalar_one()
        note = i18n.t("reporting_store.approved_note", "es", period=period_name, approver=actor.username)
        lines = [
            dict(row)
            for row in connection.execute(
                select(report_item).where(report_item.c.report_id == report_id).order_by(report_item.c.id)
            ).mappings()
        ]
        today = store.today()
        for line in lines:
            after = _apply_line(store, connection, line, note)
            published = {
                "progress": after["progress"],
                "status": after["status"],
                "approved_on": today,
                "report_id": report_id,
            }
            changed = connection.execute(
                update(approved_milestone)
                .where(approved_milestone.c.milestone_id == line["milestone_id"])
                .values(**published)
            )
            if changed.rowcount != 1:
                connection.execute(
                    approved_milestone.insert().values(milestone_id=line["milestone_id"], **published)
                )
        return _move(
            store,
            connection,
            actor,
            report,
            expected_version,
            ReportMove.APPROVE,
            {"approved_at": store.clock(), "approved_by": actor.username},
        )

    return store.write_together(work)


_WAITING_COLUMNS = ["report_id", "period_name", "state_code", "state_name", "submitted_at"]


def reports_waiting_for_review(store: Store, viewer: Actor) -> pd.DataFrame:
    """Submitted reports, oldest submission first: the working group's review queue."""
    require_reviewer(viewer)
    query = (
        select(
            state_report.c.id.label("report_id"),
            reporting_period.c.name.label("period_name"),
            state_report.c.state_code,
            state.c.name.label("state_name"),
            state_report.c.submitted_at,
        )
        .join(reporting_period, reporting_period.c.id == state_report.c.period_id)
        .join(state, state.c.code == state_report.c.state_code)
        .where(
            state_report.c.status == ReportStatus.SUBMITTED.value, reporting_period.c.archived_at.is_(None)
        )
        .order_by(state_report.c.submitted_at, state_report.c.id)
    )
    with store.read() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all(), columns=_WAITING_COLUMNS)
