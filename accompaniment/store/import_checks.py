"""Resolving a batch of import rows against the database: the checks behind both the dry run and the commit.

Each row's references (the plan of a commitment, the commitment of a milestone, the session of an agreement) are
looked up with a handful of set-based reads per batch, and each row is found new, already present (its content hash
was imported before, or its natural key is taken by the same record), or wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from accompaniment.domain.errors import FieldProblem, ValidationError
from accompaniment.domain.milestone import NEW_MILESTONE, apply_update
from accompaniment.domain.models import CommitmentInput, MilestoneInput
from accompaniment.store.import_records import (
    CHUNK,
    CommitmentRef,
    ImportCheck,
    ImportKind,
    ImportRecord,
    Outcome,
    commitment_key,
    norm,
)
from accompaniment.store.import_updates import UpdateChecker
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    dialogue_session,
    import_row,
    milestone,
    sdg_target,
    state,
)


class ImportChecker:
    """Resolves a batch of records against the database with a handful of set-based reads."""

    def __init__(self, connection: Connection, kind: ImportKind, records: list[ImportRecord]) -> None:
        self.connection = connection
        self.kind = kind
        self.records = records
        self.states = {r.state_code for r in records}
        self.problems: list[FieldProblem] = []
        self.notices: list[FieldProblem] = []
        self.outcomes: dict[int, Outcome] = {}
        self.resolved: dict[int, dict[str, Any]] = {}
        self.new_plans: dict[tuple[str, int], int | None] = {}
        self.imported: set[str] = set()
        self.updater = UpdateChecker(connection, kind, self.problem)

    def problem(self, record: ImportRecord, column: str, code: str, **params: Any) -> None:
        self.problems.append(FieldProblem(column, code, params, record.row))
        self.outcomes[record.row] = Outcome.INVALID

    def run(self) -> ImportCheck:
        known = set(
            self.connection.execute(select(state.c.code).where(state.c.code.in_(self.states))).scalars()
        )
        self.imported = self._imported_hashes()
        first_seen: dict[Any, int] = {}
        keys_seen: dict[int, int] = {}
        for record in self.records:
            self.outcomes[record.row] = Outcome.NEW
            if record.state_code not in known:
                self.problem(record, "state_code", "unknown_state")
                continue
            if record.record_id is not None:
                if record.record_id in keys_seen:
                    self.problem(record, "id", "duplicate_in_file", first=keys_seen[record.record_id])
                    continue
                keys_seen[record.record_id] = record.row
            seen_key = (record.content_hash, record.record_id)
            if seen_key in first_seen:
                self.problem(record, "form", "duplicate_in_file", first=first_seen[seen_key])
                continue
            first_seen[seen_key] = record.row
            if self._update(record):
                continue
            if record.content_hash in self.imported and self.kind != ImportKind.MILESTONES:
                self.outcomes[record.row] = Outcome.PRESENT
                continue
            getattr(self, f"_check_{self.kind.value}")(record, first_seen)
        return ImportCheck(self.outcomes, self.problems, self.notices, self.updater.updates)

    def _update(self, record: ImportRecord) -> bool:
        """Whether the row's key named a stored session, workshop or agreement (its outcome is then decided)."""
        if record.record_id is None:
            return False
        if self.kind in (ImportKind.SESSIONS, ImportKind.WORKSHOPS):
            outcome = self.updater.activity(record)
        elif self.kind == ImportKind.AGREEMENTS:
            outcome = self.updater.agreement(record, None)
        else:
            return False
        if outcome is None:
            return False
        self.outcomes[record.row] = outcome
        return True

    def _imported_hashes(self) -> set[str]:
        hashes = [r.content_hash for r in self.records]
        found: set[str] = set()
        for start in range(0, len(hashes), CHUNK):
            found.update(
                self.connection.execute(
                    select(import_row.c.content_hash).where(
                        import_row.c.kind == self.kind.value,
                        import_row.c.content_hash.in_(hashes[start : start + CHUNK]),
                    )
                ).scalars()
            )
        return found

    # ---- per kind -------------------------------------------------------------------------------------------------

    def _check_sessions(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        same_day = self._sessions().get(
            (record.state_code, record.values.held_on, record.values.session_type.value)
        )
        if same_day:
            self.notices.append(
                FieldProblem(
                    "held_on", "likely_duplicate", {"ids": ", ".join(map(str, same_day))}, record.row
                )
            )

    def _check_workshops(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        return None

    def _check_agreements(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        ids = self._sessions().get((record.state_code, record.session_held_on, record.session_type), [])
        if not ids:
            self.problem(record, "session_held_on", "unknown_session")
            return
        if len(ids) > 1:
            self.problem(record, "session_held_on", "ambiguous_session", ids=", ".join(map(str, ids)))
            return
        session_id = ids[0]
        key = ("agreement", session_id, norm(record.values.text))
        if key in seen:
            self.problem(record, "text", "duplicate_in_file", first=seen[key])
            return
        seen[key] = record.row
        commitment_id = None
        if record.commitment is not None:
            found = self._commitments().get(commitment_key(record.commitment))
            if found is None:
                self.problem(record, "commitment_number", "unknown_commitment")
                return
            commitment_id = found[0]
        self.resolved[record.row] = {"session_id": session_id, "commitment_id": commitment_id}
        if (session_id, norm(record.values.text)) in self._agreements():
            self.outcomes[record.row] = Outcome.PRESENT

    def _check_commitments(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        values: CommitmentInput = record.values
        ref = CommitmentRef(
            record.state_code,
            record.plan_number or 0,
            values.number,
            None if values.number is not None else values.title,
        )
        key = commitment_key(ref)
        column = "number" if values.number is not None else "title"
        if key in seen:
            self.problem(record, column, "duplicate_in_file", first=seen[key])
            return
        seen[key] = record.row
        unknown = [code for code in values.sdg_targets if code not in self._targets()]
        if unknown:
            self.problem(record, "sdg_targets", "unknown_target", value=unknown[0])
            return
        existing = self._commitments().get(key)
        if existing is not None:
            if norm(existing[1]) == norm(values.title):
                self.outcomes[record.row] = Outcome.PRESENT
            else:
                self.problem(record, column, "number_taken", value=existing[1][:80])
            return
        plan_key = (record.state_code, record.plan_number or 0)
        plan_id = self.plans().get(plan_key)
        if plan_id is None and plan_key not in self.new_plans:
            self.new_plans[plan_key] = None
            self.notices.append(FieldProblem("plan_number", "new_plan", {"number": plan_key[1]}, record.row))
        self.resolved[record.row] = {"plan_key": plan_key}

    def _check_milestones(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        values: MilestoneInput = record.values
        ref = record.commitment
        assert ref is not None
        found = self._commitments().get(commitment_key(ref))
        if found is None:
            self.problem(
                record,
                "commitment_number" if ref.number is not None else "commitment_title",
                "unknown_commitment",
            )
            return
        commitment_id = found[0]
        key = ("milestone", commitment_id, values.number)
        if key in seen:
            self.problem(record, "number", "duplicate_in_file", first=seen[key])
            return
        seen[key] = record.row
        existing = self._milestones().get((commitment_id, values.number))
        if existing is not None:
            if norm(existing["description"]) == norm(values.description):
                self.outcomes[record.row] = self.updater.milestone(record, existing)
            else:
                self.problem(record, "number", "number_taken", value=existing["description"][:80])
            return
        if record.content_hash in self.imported:
            self.outcomes[record.row] = Outcome.PRESENT
            return
        if record.milestone_state is not None:
            try:  # a new milestone starts at zero: the same rules as any update
                apply_update(NEW_MILESTONE, record.milestone_state, date.today())  # only the verdict is used
            except ValidationError as refused:
                for problem in refused.problems:
                    self.problem(record, problem.field, problem.code, **problem.params)
                return
        self.resolved[record.row] = {"commitment_id": commitment_id}

    # ---- lookups, loaded once per batch -----------------------------------------------------------------------

    def _cached(self, name: str, load: Callable[[], Any]) -> Any:
        cache = self.__dict__.setdefault("_cache", {})
        if name not in cache:
            cache[name] = load()
        return cache[name]

    def plans(self) -> dict[tuple[str, int], int]:
        def load() -> dict[tuple[str, int], int]:
            rows = self.connection.execute(
                select(action_plan.c.state_code, action_plan.c.number, action_plan.c.id).where(
                    action_plan.c.state_code.in_(self.states), action_plan.c.archived_at.is_(None)
                )
            )
            return {(code, number): plan_id for code, number, plan_id in rows}

        return self._cached("plans", load)

    def _commitments(self) -> dict[tuple[Any, ...], tuple[int, str]]:
        def load() -> dict[tuple[Any, ...], tuple[int, str]]:
            states = self.states | {r.commitment.state_code for r in self.records if r.commitment}
            rows = self.connection.execute(
                select(
                    commitment.c.id,
                    commitment.c.number,
                    commitment.c.title,
                    action_plan.c.state_code,
                    action_plan.c.number.label("plan_number"),
                )
                .join(action_plan, action_plan.c.id == commitment.c.plan_id)
                .where(
                    action_plan.c.state_code.in_(states),
                    commitment.c.archived_at.is_(None),
                    action_plan.c.archived_at.is_(None),
                )
            )
            found: dict[tuple[Any, ...], tuple[int, str]] = {}
            for row in rows:
                ref = CommitmentRef(
                    row.state_code, row.plan_number, row.number, None if row.number is not None else row.title
                )
                found.setdefault(commitment_key(ref), (row.id, row.title))
            return found

        return self._cached("commitments", load)

    def _milestones(self) -> dict[tuple[int, int], dict[str, Any]]:
        def load() -> dict[tuple[int, int], dict[str, Any]]:
            ids = list({v[0] for v in self._commitments().values()})
            found: dict[tuple[int, int], dict[str, Any]] = {}
            for start in range(0, len(ids), CHUNK):
                rows = self.connection.execute(
                    select(milestone)
                    .where(
                        milestone.c.commitment_id.in_(ids[start : start + CHUNK]),
                        milestone.c.archived_at.is_(None),
                    )
                    .order_by(milestone.c.id)
                ).mappings()
                for row in rows:
                    found.setdefault((row["commitment_id"], row["number"]), dict(row))
            return found

        return self._cached("milestones", load)

    def _sessions(self) -> dict[tuple[str, date, str], list[int]]:
        def load() -> dict[tuple[str, date, str], list[int]]:
            dates = sorted(
                {
                    d
                    for r in self.records
                    for d in (r.session_held_on, getattr(r.values, "held_on", None))
                    if d is not None
                }
            )
            found: dict[tuple[str, date, str], list[int]] = defaultdict(list)
            for start in range(0, len(dates), CHUNK):
                rows = self.connection.execute(
                    select(
                        dialogue_session.c.id,
                        dialogue_session.c.state_code,
                        dialogue_session.c.held_on,
                        dialogue_session.c.session_type,
                    )
                    .where(
                        dialogue_session.c.state_code.in_(self.states),
                        dialogue_session.c.held_on.in_(dates[start : start + CHUNK]),
                        dialogue_session.c.archived_at.is_(None),
                    )
                    .order_by(dialogue_session.c.id)
                )
                for row in rows:
                    found[(row.state_code, row.held_on, row.session_type)].append(row.id)
            return dict(found)

        return self._cached("sessions", load)

    def _agreements(self) -> set[tuple[int, str]]:
        def load() -> set[tuple[int, str]]:
            ids = sorted({i for ids in self._sessions().values() for i in ids})
            found: set[tuple[int, str]] = set()
            for start in range(0, len(ids), CHUNK):
                rows = self.connection.execute(
                    select(agreement.c.session_id, agreement.c.text).where(
                        agreement.c.session_id.in_(ids[start : start + CHUNK]),
                        agreement.c.archived_at.is_(None),
                    )
                )
                found.update((session_id, norm(text)) for session_id, text in rows)
            return found

        return self._cached("agreements", load)

    def _targets(self) -> set[str]:
        return self._cached(
            "targets", lambda: set(self.connection.execute(select(sdg_target.c.code)).scalars())
        )
