"""The reporting cycle's rules (issue 12): the states of a state's report, which moves are allowed from each, and
what a report's status means for the overview of the current period.

A report is written as a draft (saved and resumed at will), submitted (frozen), then either returned with comments
(editable again, to be corrected and resubmitted) or approved (final; its figures become the published ones).
Pure rules: the store (store/reporting.py) checks them inside its transactions.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from accompaniment.domain.enums import MilestoneStatus
from accompaniment.domain.models import MAX_ID, InputModel, LongText, PlannedDate, StateCode, Url

PERIOD_NAME_MAX = 120
MAX_REPORT_ITEMS = 500


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class PeriodStatus(StrEnum):
    """A state's standing in a period, as the overview shows it."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    LATE = "late"


class ReportMove(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"


# Where each move may start: a draft or a returned report is still the secretariat's to edit and submit; only a
# submitted report is reviewed. An approved report is final.
ALLOWED_FROM: dict[ReportMove, frozenset[ReportStatus]] = {
    ReportMove.SAVE: frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}),
    ReportMove.SUBMIT: frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}),
    ReportMove.RETURN: frozenset({ReportStatus.SUBMITTED}),
    ReportMove.APPROVE: frozenset({ReportStatus.SUBMITTED}),
}

MOVE_TARGET: dict[ReportMove, ReportStatus | None] = {
    ReportMove.SAVE: None,  # stays as it is
    ReportMove.SUBMIT: ReportStatus.SUBMITTED,
    ReportMove.RETURN: ReportStatus.RETURNED,
    ReportMove.APPROVE: ReportStatus.APPROVED,
}


def may_move(status: ReportStatus | str, move: ReportMove) -> bool:
    return ReportStatus(status) in ALLOWED_FROM[move]


def period_status(report_status: ReportStatus | str | None, due_on: date, today: date) -> PeriodStatus:
    """Past the due date, a report that is not yet submitted (or was returned and not resubmitted) is late."""
    status = ReportStatus(report_status) if report_status is not None else None
    if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        return PeriodStatus(status.value)
    if today > due_on:
        return PeriodStatus.LATE
    if status is None:
        return PeriodStatus.NOT_STARTED
    return PeriodStatus(status.value)


class PeriodInput(InputModel):
    """A reporting period: ``state_codes`` None means every programme state."""

    name: str = Field(min_length=1, max_length=PERIOD_NAME_MAX)
    starts_on: PlannedDate
    ends_on: PlannedDate
    due_on: PlannedDate
    state_codes: list[StateCode] | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _dates_in_order(self) -> PeriodInput:
        if self.ends_on < self.starts_on:
            raise PydanticCustomError("end_before_start", "end before start")
        if self.due_on < self.ends_on:
            raise PydanticCustomError("due_before_end", "due before end")
        return self


class ReportItemInput(InputModel):
    """One milestone's figures in a report: what the secretariat says changed in the period."""

    milestone_id: int = Field(ge=1, le=MAX_ID)
    progress: float = Field(ge=0, le=100)
    status: MilestoneStatus
    evidence_url: Url = None
    evidence_note: LongText = ""
    evidence_file_id: int | None = Field(default=None, ge=1, le=MAX_ID)

    @model_validator(mode="before")
    @classmethod
    def _complete_means_full(cls, data: Any) -> Any:
        if isinstance(data, dict) and str(data.get("status", "")).strip() == MilestoneStatus.COMPLETE:
            return {**data, "progress": 100.0}
        return data


class DraftInput(InputModel):
    narrative: LongText = ""  # public
    internal_notes: LongText = ""  # private
    items: list[ReportItemInput] = Field(default_factory=list, max_length=MAX_REPORT_ITEMS)

    @model_validator(mode="after")
    def _one_line_per_milestone(self) -> DraftInput:
        seen: set[int] = set()
        for item in self.items:
            if item.milestone_id in seen:
                raise PydanticCustomError("duplicate", "milestone twice")
            seen.add(item.milestone_id)
        return self
