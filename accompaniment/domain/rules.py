"""Derived figures of DESIGN §3, implemented once and used by the store's queries' tests, the demo and the views.

The store aggregates in SQL for speed; its SQL must agree with these functions, and the store tests check that it does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from accompaniment.domain.enums import AgreementStatus, CompletionLevel, MilestoneStatus


@dataclass(frozen=True)
class MilestoneFacts:
    """What the rules need to know about a milestone."""

    progress: float
    weight: float = 1.0
    status: MilestoneStatus = MilestoneStatus.NOT_STARTED
    due_date: date | None = None
    has_evidence: bool = False
    archived: bool = False


def lowering_needs_reason(progress_before: float | None, progress_after: float, note: str) -> bool:
    """A milestone's progress may go down (a claim withdrawn, evidence rejected), but never silently: the update
    that lowers it must say why, so the timeline explains the drop to whoever reads it later."""
    return progress_after < float(progress_before or 0) and not note.strip()


def _counted(milestones: Iterable[MilestoneFacts]) -> list[MilestoneFacts]:
    """Archived and cancelled milestones drop out of a commitment's progress."""
    return [m for m in milestones if not m.archived and m.status != MilestoneStatus.CANCELLED]


def commitment_progress(milestones: Iterable[MilestoneFacts]) -> float:
    """Weight-averaged milestone progress, 0–100. No milestones, or all weights zero, means 0."""
    counted = _counted(milestones)
    total_weight = sum(m.weight for m in counted if m.weight > 0)
    if total_weight <= 0:
        return 0.0
    return sum(m.progress * m.weight for m in counted if m.weight > 0) / total_weight


def completion_level(progress: float) -> CompletionLevel:
    """OGP scale: not started (0), limited (above 0 and under 50), substantial (50 to under 100), complete (100)."""
    if progress <= 0:
        return CompletionLevel.NOT_STARTED
    if progress < 50:
        return CompletionLevel.LIMITED
    if progress < 100:
        return CompletionLevel.SUBSTANTIAL
    return CompletionLevel.COMPLETE


def lacks_evidence(milestones: Iterable[MilestoneFacts]) -> bool:
    """ "No evidence available": progress is claimed, yet no milestone carries evidence."""
    counted = _counted(milestones)
    claimed = any(m.progress > 0 for m in counted)
    return claimed and not any(m.has_evidence for m in counted)


def milestone_overdue(
    due_date: date | None, status: MilestoneStatus, today: date, archived: bool = False
) -> bool:
    """Due date passed (strictly before today) and neither complete nor cancelled. Due today is not overdue."""
    if archived or due_date is None:
        return False
    return due_date < today and status not in (MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED)


def agreement_overdue(
    due_date: date | None, status: AgreementStatus, today: date, archived: bool = False
) -> bool:
    if archived or due_date is None:
        return False
    return due_date < today and status not in (AgreementStatus.DONE, AgreementStatus.CANCELLED)


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (negative if reversed)."""
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if later.day < earlier.day:
        months -= 1
    return months


@dataclass(frozen=True)
class StallReason:
    no_session_days: int | None
    phase_unchanged_months: int | None

    @property
    def stalled(self) -> bool:
        return self.no_session_days is not None or self.phase_unchanged_months is not None


def stall_reason(
    last_session: date | None,
    last_phase_change: date | None,
    today: date,
    session_days: int = 60,
    phase_months: int = 12,
) -> StallReason:
    """Why an STL is stalled, if it is: no dialogue session for ``session_days`` days (or never), or no phase change
    for ``phase_months`` months. An STL at the last phase (evaluation) still counts: it should start a new plan."""
    no_session = None
    if last_session is None:
        no_session = -1
    elif (today - last_session).days >= session_days:
        no_session = (today - last_session).days
    unchanged = None
    if last_phase_change is not None and months_between(last_phase_change, today) >= phase_months:
        unchanged = months_between(last_phase_change, today)
    return StallReason(no_session, unchanged)


def is_stalled(
    last_session: date | None,
    last_phase_change: date | None,
    today: date,
    session_days: int = 60,
    phase_months: int = 12,
) -> bool:
    return stall_reason(last_session, last_phase_change, today, session_days, phase_months).stalled


def plan_progress(commitment_progresses: Iterable[float]) -> float:
    """Mean of the commitments' progress; a plan with no commitments is at 0."""
    values = list(commitment_progresses)
    return sum(values) / len(values) if values else 0.0
