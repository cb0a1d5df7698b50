"""Drafting a state's period report (issue 12): the first save creates it, later saves name the version they
started from (optimistic concurrency: a stale version is a ``ConflictError`` and nothing changes), and a submitted
or approved report is frozen. Re-exported by store/reporting.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from accompaniment.access import Actor
from accompaniment.domain.enums import MilestoneStatus
from accompaniment.domain.errors import (
    ConflictError,
    NotFound,
    ValidationError,
)
from accompaniment.domain.models import validate
from accompaniment.domain.reporting import DraftInput, ReportMove, ReportStatus
from accompaniment.store.database import Store, fetch_row
from accompaniment.store.reporting_periods import (
    ensure_covered,
    live_period,
    report_row,
    state_milestones,
)
from accompaniment.store.reporting_rules import (
    ensure_move,
    record_transition,
    require_reporter,
)
from accompaniment.store.schema import (
    evidence_file,
    report_item,
    state_report,
)

# ---- drafting --------------------------------------------------------------------------------------------------


def _check_items(connection: Connection, state_code: str, data: DraftInput) -> None:
    """Every line's milestone is a live milestone of the state; a file is one of the state's files; a complete
    milestone has evidence (a link, a note, a file, or what the milestone already carries)."""
    own = {m["id"]: m for m in state_milestones(connection, state_code)}
    for index, item in enumerate(data.items):
        if item.milestone_id not in own:
            raise ValidationError.single(f"items.{index}.milestone_id", "milestone_not_in_state")
        if item.evidence_file_id is not None:
            file_state = connection.execute(
                select(evidence_file.c.state_code).where(evidence_file.c.id == item.evidence_file_id)
            ).scalar()
            if file_state != state_code:
                raise ValidationError.single(f"items.{index}.evidence_file_id", "unknown_reference")
        current = own[item.milestone_id]
        has_evidence = (
            item.evidence_url
            or item.evidence_note
            or item.evidence_file_id
            or current["evidence_url"]
            or current["evidence_note"]
        )
        if item.status == MilestoneStatus.COMPLETE and not has_evidence:
            raise ValidationError.single(f"items.{index}.evidence_url", "complete_needs_evidence")


def _write_items(connection: Connection, report_id: int, data: DraftInput) -> None:
    """Replace the report's lines, keeping each milestone's review comment until the next review replaces it."""
    comments = dict(
        connection.execute(
            select(report_item.c.milestone_id, report_item.c.review_comment).where(
                report_item.c.report_id == report_id
            )
        ).all()
    )
    connection.execute(delete(report_item).where(report_item.c.report_id == report_id))
    if data.items:
        connection.execute(
            insert(report_item),
            [
                {
                    "report_id": report_id,
                    "milestone_id": item.milestone_id,
                    "progress": item.progress,
                    "status": item.status.value,
                    "evidence_url": item.evidence_url,
                    "evidence_note": item.evidence_note,
                    "evidence_file_id": item.evidence_file_id,
                    "review_comment": comments.get(item.milestone_id, ""),
                }
                for item in data.items
            ],
        )


def _draft_json(data: DraftInput) -> dict[str, Any]:
    return {
        "narrative": data.narrative,
        "internal_notes": data.internal_notes,
        "items": [item.model_dump(mode="json") for item in data.items],
    }


def save_draft(
    store: Store,
    actor: Actor,
    period_id: int,
    state_code: str,
    data: DraftInput | dict[str, Any],
    expected_version: int | None,
) -> int:
    """Save the state's draft for the period and return its new version. The first save creates the report
    (``expected_version`` None); later saves must name the version they started from, else ``ConflictError``
    (with the stored values) and nothing changes. A submitted or approved report is frozen (``TransitionRefused``).
    """
    require_reporter(actor, state_code)
    data = validate(DraftInput, data)

    def work(connection: Connection) -> int:
        live_period(connection, period_id)
        ensure_covered(connection, period_id, state_code)
        _check_items(connection, state_code, data)
        report = report_row(connection, period_id, state_code)
        now = store.clock()
        if report is None:
            if expected_version is not None:
                raise NotFound(entity="state_report", id=period_id)
            report_id = connection.execute(
                insert(state_report)
                .values(
                    period_id=period_id,
                    state_code=state_code,
                    status=ReportStatus.DRAFT.value,
                    narrative=data.narrative,
                    internal_notes=data.internal_notes,
                    version=1,
                    created_by=actor.username,
                    created_at=now,
                    updated_by=actor.username,
                    updated_at=now,
                )
                .returning(state_report.c.id)
            ).scalar_one()
            _write_items(connection, report_id, data)
            record_transition(store, connection, actor, report_id, state_code, None, ReportStatus.DRAFT, "")
            store.audit(
                connection,
                actor,
                "create",
                "state_report",
                report_id,
                after=_draft_json(data),
                state_code=state_code,
            )
            return 1
        if expected_version is None or report["version"] != expected_version:
            raise ConflictError(current=report)
        ensure_move(report["status"], ReportMove.SAVE)
        updated = connection.execute(
            update(state_report)
            .where(state_report.c.id == report["id"], state_report.c.version == expected_version)
            .values(
                narrative=data.narrative,
                internal_notes=data.internal_notes,
                updated_by=actor.username,
                updated_at=now,
                version=state_report.c.version + 1,
            )
        )
        if updated.rowcount != 1:
            raise ConflictError(current=fetch_row(connection, state_report, report["id"]))
        _write_items(connection, report["id"], data)
        store.audit(
            connection,
            actor,
            "update",
            "state_report",
            report["id"],
            before=report,
            after=_draft_json(data),
            state_code=state_code,
        )
        return expected_version + 1

    return store.write(work)
