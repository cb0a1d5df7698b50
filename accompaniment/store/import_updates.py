"""Import rows that carry the key of a stored record: updates, worked out here and applied through the forms' own
store functions (issue 20).

``ImportChecker`` hands each row whose key finds a record (a milestone by state, plan, commitment and milestone
number; a session, workshop or agreement by the id its export carries) to ``UpdateChecker``, which compares the
file's values with the stored ones, field by field. No difference: the row is "sin cambios". Differences: an
``Update`` with each change (before → after), unless the record's version moved on since the file was exported,
which is a conflict, or the change breaks a rule the form would refuse (completion without evidence, a lower
progress without a reason), which is a problem of that row. ``apply_updates`` then calls ``update_milestone``,
``edit_session``, ``edit_workshop``, ``correct_agreement`` and ``follow_up_agreement`` inside the import's one
transaction (``Store.write_together``): version check, evidence rule, audit with before and after, and the
milestone's update entry come from the very code the forms use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select

from accompaniment.access import Actor
from accompaniment.domain import rules
from accompaniment.domain.enums import AgreementStatus, MilestoneStatus
from accompaniment.domain.errors import ConflictError, FieldProblem, NotFound, ValidationError
from accompaniment.domain.models import (
    MilestoneUpdateInput,
    SessionInput,
    WorkshopInput,
    validate,
)
from accompaniment.store.database import Store
from accompaniment.store.import_records import Change, ImportKind, ImportRecord, Outcome, Update
from accompaniment.store.schema import (
    agreement,
    dialogue_session,
    participation,
    session_organization,
    workshop,
)

Problem = Callable[..., None]

SESSION_FIELDS = (
    "held_on",
    "session_type",
    "modality",
    "phase",
    "topics",
    "organizations",
    "consensus",
    "public_summary",
    "summary",
    "evidence_url",
    "participants",
)
WORKSHOP_FIELDS = (
    "held_on",
    "title",
    "topic",
    "modality",
    "hours",
    "satisfaction",
    "public_summary",
    "notes",
    "evidence_url",
    "participants",
)
AGREEMENT_FIELDS = ("text", "responsible_sector", "responsible_organization", "due_date")


def _plain(value: Any) -> Any:
    """A value as it compares and shows: enums as their codes, whole floats as they are."""
    return getattr(value, "value", value)


def _same(before: Any, after: Any) -> bool:
    before, after = _plain(before), _plain(after)
    if isinstance(before, (int, float)) and isinstance(after, (int, float)):
        return float(before) == float(after)
    if before in (None, "") and after in (None, ""):
        return True
    if isinstance(before, dict) and isinstance(after, dict):
        return _grid(before) == _grid(after)
    return before == after


def _grid(grid: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {
        (str(sector), str(gender)): int(count)
        for sector, counts in grid.items()
        for gender, count in (counts or {}).items()
        if count
    }


class UpdateChecker:
    """Compares rows with the stored records their keys name; read-only."""

    def __init__(self, connection: Connection, kind: ImportKind, problem: Problem) -> None:
        self.connection = connection
        self.kind = kind
        self.problem = problem  # ImportChecker.problem(record, column, code, **params)
        self.updates: dict[int, Update] = {}

    def _finish(
        self,
        record: ImportRecord,
        entity: str,
        stored: dict[str, Any],
        changes: list[Change],
        payload: Any,
        extra: Any = None,
    ) -> Outcome:
        if not changes:
            return Outcome.PRESENT
        if record.version is not None and record.version != stored["version"]:
            shown = ", ".join(f"{c.column}: {_plain(stored.get(c.column, c.before))}" for c in changes)
            self.problem(
                record,
                "version",
                "changed_since_export",
                exported=record.version,
                now=stored["version"],
                values=shown,
            )
            return Outcome.INVALID
        version = record.version if record.version is not None else stored["version"]
        self.updates[record.row] = Update(entity, stored["id"], version, tuple(changes), payload, extra)
        return Outcome.UPDATE

    # ---- milestones: progress, status and evidence, as the progress form changes them ------------------------

    def milestone(self, record: ImportRecord, stored: dict[str, Any]) -> Outcome:
        data = record.milestone_state
        if data is None:
            if not record.columns & {"progress", "status"}:
                return Outcome.PRESENT
            data = MilestoneUpdateInput(progress=0, status=MilestoneStatus.NOT_STARTED)
        changes = [
            Change(name, stored[name], _plain(getattr(data, name)))
            for name in ("progress", "status")
            if not _same(stored[name], getattr(data, name))
        ]
        changes += [
            Change(name, stored[name], getattr(data, name))
            for name in ("evidence_url", "evidence_note")
            if getattr(data, name) and not _same(stored[name], getattr(data, name))
        ]
        if changes:
            if data.status == MilestoneStatus.COMPLETE and not (
                data.has_evidence or stored["evidence_url"] or stored["evidence_note"]
            ):
                self.problem(record, "evidence_url", "complete_needs_evidence")
                return Outcome.INVALID
            if rules.lowering_needs_reason(stored["progress"], data.progress, data.note):
                self.problem(
                    record,
                    "note",
                    "reason_for_lower_progress",
                    before=_number(stored["progress"]),
                    after=_number(data.progress),
                )
                return Outcome.INVALID
        return self._finish(record, "milestone", stored, changes, data)

    # ---- sessions and workshops: the columns the file has replace the stored ones, as the edit form does ----

    def activity(self, record: ImportRecord) -> Outcome | None:
        """The update a session or workshop row makes, or None when its id names no stored record (a new row)."""
        table, fields, model = (
            (dialogue_session, SESSION_FIELDS, SessionInput)
            if self.kind == ImportKind.SESSIONS
            else (workshop, WORKSHOP_FIELDS, WorkshopInput)
        )
        stored = self._row(table, record.record_id)
        if stored is None:
            return None
        if stored["state_code"] != record.state_code:
            self.problem(record, "id", "key_other_state", id=record.record_id)
            return Outcome.INVALID
        current = self._activity_input(table, stored, fields)
        present = {f for f in fields if f in record.columns}
        if any(c.startswith("participants_") for c in record.columns):
            present.add("participants")
        filed = record.values.model_dump()
        merged = {**current, **{f: filed[f] for f in present}, "state_code": stored["state_code"]}
        try:
            data = validate(model, merged)
        except ValidationError as exc:
            for problem in exc.problems:
                self.problem(record, problem.field.split(".")[0], problem.code, **problem.params)
            return Outcome.INVALID
        after = data.model_dump()
        changes = [Change(f, current[f], after[f]) for f in fields if not _same(current[f], after[f])]
        return self._finish(record, table.name, stored, changes, data)

    def _activity_input(self, table: Any, stored: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
        column = "session_id" if table is dialogue_session else "workshop_id"
        grid: dict[str, dict[str, int]] = {}
        for sector, gender, count in self.connection.execute(
            select(participation.c.sector, participation.c.gender, participation.c.count).where(
                participation.c[column] == stored["id"]
            )
        ):
            grid.setdefault(sector, {})[gender] = count
        current = {f: stored.get(f) for f in fields if f not in ("participants", "organizations")}
        current["participants"] = grid
        if table is dialogue_session:
            current["organizations"] = list(
                self.connection.execute(
                    select(session_organization.c.name)
                    .where(session_organization.c.session_id == stored["id"])
                    .order_by(session_organization.c.position)
                ).scalars()
            )
        if current.get("topics") is None and "topics" in current:
            current["topics"] = ""
        return current

    # ---- agreements: a correction of what was agreed, then a follow-up of its status -------------------------

    def agreement(self, record: ImportRecord, session_id: int | None) -> Outcome | None:
        stored = self._row(agreement, record.record_id)
        if stored is None or stored["archived_at"] is not None:
            return None
        state_code = self.connection.execute(
            select(dialogue_session.c.state_code).where(dialogue_session.c.id == stored["session_id"])
        ).scalar_one()
        if state_code != record.state_code or (session_id is not None and session_id != stored["session_id"]):
            self.problem(record, "id", "key_other_state", id=record.record_id)
            return Outcome.INVALID
        filed = record.values
        correction = {
            name: _plain(getattr(filed, name)) if name in record.columns else _plain(stored[name])
            for name in AGREEMENT_FIELDS
        }
        changes = [
            Change(name, stored[name], correction[name])
            for name in AGREEMENT_FIELDS
            if not _same(stored[name], correction[name])
        ]
        follow_up = None
        if "status" in record.columns and record.agreement_status.value != stored["status"]:
            changes.append(Change("status", stored["status"], record.agreement_status.value))
            closing = record.agreement_status in (AgreementStatus.DONE, AgreementStatus.CANCELLED)
            follow_up = {
                "status": record.agreement_status.value,
                "changed_on": (record.closed_on if closing and record.closed_on else None),
            }
        return self._finish(record, "agreement", stored, changes, correction if changes else None, follow_up)

    def _row(self, table: Any, row_id: int | None) -> dict[str, Any] | None:
        if row_id is None:
            return None
        found = self.connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
        if found is None or found.get("archived_at") is not None:
            return None
        return dict(found)


def _number(value: Any) -> float | int:
    number = float(value or 0)
    return int(number) if number.is_integer() else number


def apply_updates(store: Store, actor: Actor, updates: dict[int, Update]) -> None:
    """Apply each update with the form's store function; must run inside ``Store.write_together``. A refusal
    (someone saved the record meanwhile, a rule) raises ``ValidationError`` naming the row, and so undoes all."""
    from accompaniment.store import activity, agreements, commitments

    for row, update in sorted(updates.items()):
        try:
            if update.entity == "milestone":
                commitments.update_milestone(store, actor, update.record_id, update.version, update.payload)
            elif update.entity == "dialogue_session":
                activity.edit_session(store, actor, update.record_id, update.version, update.payload)
            elif update.entity == "workshop":
                activity.edit_workshop(store, actor, update.record_id, update.version, update.payload)
            else:
                version = update.version
                if any(c.column in AGREEMENT_FIELDS for c in update.changes):
                    version = agreements.correct_agreement(
                        store, actor, update.record_id, version, update.payload
                    )
                if update.extra is not None:
                    change = dict(update.extra)
                    if change["changed_on"] is None:
                        change["changed_on"] = store.today()
                    agreements.follow_up_agreement(store, actor, update.record_id, version, change)
        except ConflictError as exc:
            raise ValidationError(
                [
                    FieldProblem(
                        "version",
                        "changed_since_export",
                        {"exported": update.version, "now": exc.current.get("version"), "values": ""},
                        row,
                    )
                ]
            ) from None
        except NotFound:
            raise ValidationError(
                [FieldProblem("id", "unknown_key", {"id": update.record_id}, row)]
            ) from None
        except ValidationError as exc:
            raise ValidationError(
                [FieldProblem(p.field, p.code, dict(p.params), row) for p in exc.problems]
            ) from None
