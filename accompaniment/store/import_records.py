"""The shapes an import goes through: what kind of rows, each validated row, and the verdict on them.

``io.importing`` builds ``ImportRecord``s from a file; ``store.imports`` checks and writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from accompaniment.access import Action
from accompaniment.domain.enums import AgreementStatus
from accompaniment.domain.errors import FieldProblem
from accompaniment.domain.models import MilestoneUpdateInput

Progress = Callable[[int, int], None]
CHUNK = 500


class ImportKind(StrEnum):
    SESSIONS = "sessions"
    WORKSHOPS = "workshops"
    AGREEMENTS = "agreements"
    COMMITMENTS = "commitments"
    MILESTONES = "milestones"


WRITE_ACTION = {
    ImportKind.SESSIONS: Action.WRITE_ACTIVITY,
    ImportKind.WORKSHOPS: Action.WRITE_ACTIVITY,
    ImportKind.AGREEMENTS: Action.WRITE_ACTIVITY,
    ImportKind.COMMITMENTS: Action.WRITE_STRUCTURE,
    ImportKind.MILESTONES: Action.WRITE_STRUCTURE,
}


class Outcome(StrEnum):
    NEW = "new"
    PRESENT = "present"  # imported before, or already stored under the same key with the same values
    UPDATE = "update"  # the key of a stored record, with values that differ: an update of that record
    INVALID = "invalid"


@dataclass(frozen=True)
class CommitmentRef:
    """A commitment as a file names it: state, plan number, and its number (or, for a proactive one, its title)."""

    state_code: str
    plan_number: int
    number: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class ImportRecord:
    """One validated file row. ``values`` is the domain input; for commitments and milestones its ``plan_id`` or
    ``commitment_id`` is a placeholder, replaced by the reference resolved here (``plan`` or ``commitment``)."""

    row: int
    content_hash: str
    values: Any
    state_code: str
    plan_number: int | None = None  # commitments: the plan (state, number)
    commitment: CommitmentRef | None = None  # milestones: their commitment; agreements: an optional link
    session_held_on: date | None = None  # agreements: their session (state, date, type)
    session_type: str | None = None
    milestone_state: MilestoneUpdateInput | None = None  # milestones: progress, status and evidence
    completed_on: date | None = None
    agreement_status: AgreementStatus = AgreementStatus.PENDING
    closed_on: date | None = None
    record_id: int | None = (
        None  # sessions, workshops, agreements: the record key (its id) the export carries
    )
    version: int | None = None  # the record's version when it was exported (an update checks it)
    columns: frozenset[str] = frozenset()  # the columns the file has: an update leaves the others as stored


@dataclass(frozen=True)
class Change:
    """One field an update changes: its column (as the import names it), the stored value and the file's."""

    column: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Update:
    """What an import row with the key of a stored record does to it, through the form's own store function."""

    entity: str
    record_id: int
    version: int
    changes: tuple[Change, ...]
    payload: Any  # the input of the store function (``update_milestone``, ``edit_session``…)
    extra: Any = None  # agreements: the follow-up (status change) after the correction


@dataclass(frozen=True)
class ImportCheck:
    """The verdict on every row: its outcome, the problems that block the import, and notices that do not."""

    outcomes: dict[int, Outcome]
    problems: list[FieldProblem] = field(default_factory=list)
    notices: list[FieldProblem] = field(default_factory=list)
    updates: dict[int, Update] = field(default_factory=dict)  # row -> the update it makes

    @property
    def updated_rows(self) -> int:
        return sum(1 for o in self.outcomes.values() if o == Outcome.UPDATE)

    @property
    def new_rows(self) -> int:
        return sum(1 for o in self.outcomes.values() if o == Outcome.NEW)

    @property
    def present_rows(self) -> int:
        return sum(1 for o in self.outcomes.values() if o == Outcome.PRESENT)


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int
    plans_created: int = 0
    updated: int = 0


def norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def commitment_key(ref: CommitmentRef) -> tuple[Any, ...]:
    if ref.number is not None:
        return ("commitment", ref.state_code, ref.plan_number, ref.number)
    return ("commitment", ref.state_code, ref.plan_number, norm(ref.title))
