"""Who may take each step of the reporting cycle, and the record every step leaves (issue 12).

Shared by store/reporting.py (periods and drafts) and store/reporting_review.py (submit, return, approve): a
report's transitions are rows of ``report_transition`` (who, when, from, to, comment) and audit entries, written in
the step's own transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert

from accompaniment.access import Action, Actor, allowed
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import PermissionDenied, TransitionRefused
from accompaniment.domain.reporting import ReportMove, ReportStatus, may_move
from accompaniment.store.database import Store
from accompaniment.store.schema import report_transition

REVIEWERS = frozenset({Role.WORKING_GROUP, Role.ADMIN})


def require_reviewer(actor: Actor) -> None:
    """Opening periods, returning and approving reports: the working group and admins only."""
    if actor.must_change_password:
        raise PermissionDenied("errors.must_change_password", action="review_report")
    if actor.role not in REVIEWERS:
        raise PermissionDenied(action="review_report")


def require_reporter(actor: Actor, state_code: str) -> None:
    """Drafting and submitting: the state's own secretariat, the specialist on its behalf, or an admin."""
    if actor.must_change_password:
        raise PermissionDenied("errors.must_change_password", action="write_report")
    if not allowed(actor, Action.WRITE_MILESTONE, state_code):
        raise PermissionDenied(action="write_report")


def ensure_move(status: str, move: ReportMove) -> None:
    if not may_move(status, move):
        raise TransitionRefused(status=str(status), move=move.value)


def record_transition(
    store: Store,
    connection: Connection,
    actor: Actor,
    report_id: int,
    state_code: str,
    from_status: ReportStatus | str | None,
    to_status: ReportStatus | str,
    comment: str,
) -> None:
    """One row of the report's history and one audit entry, in the caller's transaction."""
    before = None if from_status is None else ReportStatus(from_status).value
    after = ReportStatus(to_status).value
    connection.execute(
        insert(report_transition).values(
            report_id=report_id,
            from_status=before,
            to_status=after,
            actor=actor.username,
            at=store.clock(),
            comment=comment,
        )
    )
    store.audit(
        connection,
        actor,
        "transition",
        "state_report",
        report_id,
        before={"status": before},
        after={"status": after, "comment": comment},
        state_code=state_code,
    )
