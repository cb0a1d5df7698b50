"""A milestone's figures and the one function that moves them: ``apply_update``.

Every path that changes a milestone's progress, status or evidence (the form, an import, a period report's
approval) calls ``apply_update``, so its rules are decided once: a lower progress needs a reason, "complete" needs
evidence (a link, a note, or an evidence file's link) and means 100 %, and the completion date is kept from the
first time it was completed. The database's CHECK on ``milestone`` repeats the evidence rule as a last line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from accompaniment.domain import rules
from accompaniment.domain.enums import MilestoneStatus
from accompaniment.domain.errors import ValidationError
from accompaniment.domain.models import MilestoneUpdateInput


@dataclass(frozen=True)
class MilestoneFigures:
    """What an update may change on a milestone."""

    progress: float
    status: MilestoneStatus
    evidence_url: str | None
    evidence_note: str
    completed_on: date | None

    @classmethod
    def of_row(cls, row: dict[str, Any]) -> MilestoneFigures:
        return cls(
            float(row["progress"] or 0),
            MilestoneStatus(row["status"]),
            row["evidence_url"],
            row["evidence_note"] or "",
            row["completed_on"],
        )

    def as_values(self) -> dict[str, Any]:
        """The ``milestone`` columns these figures set."""
        return {
            "progress": self.progress,
            "status": self.status.value,
            "evidence_url": self.evidence_url,
            "evidence_note": self.evidence_note,
            "completed_on": self.completed_on,
        }


NEW_MILESTONE = MilestoneFigures(0.0, MilestoneStatus.NOT_STARTED, None, "", None)


def _whole(value: float) -> float | int:
    """50.0 reads as 50 in a message."""
    return int(value) if float(value).is_integer() else value


def apply_update(current: MilestoneFigures, update: MilestoneUpdateInput, today: date) -> MilestoneFigures:
    """The milestone's figures after ``update``, or a ValidationError naming the field at fault.

    New evidence replaces the old; an update without evidence keeps what the milestone already has."""
    if rules.lowering_needs_reason(current.progress, update.progress, update.note):
        raise ValidationError.single(
            "note",
            "reason_for_lower_progress",
            before=_whole(current.progress),
            after=_whole(update.progress),
        )
    after = replace(
        current,
        progress=float(update.progress),
        status=update.status,
        evidence_url=update.evidence_url or current.evidence_url,
        evidence_note=update.evidence_note or current.evidence_note,
    )
    if update.status != MilestoneStatus.COMPLETE:
        return replace(after, completed_on=None)
    if not (after.evidence_url or after.evidence_note):
        raise ValidationError.single("evidence_url", "complete_needs_evidence")
    return replace(after, progress=100.0, completed_on=current.completed_on or today)
