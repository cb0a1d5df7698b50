"""Bulk import of validated rows: the checks a dry run shows, and the all-or-nothing commit that repeats them.

``io.importing`` reads a file, validates each row with the domain's input models and hands the rows here as
``ImportRecord``s. ``check_import`` resolves each row's references (the plan of a commitment, the commitment of a
milestone, the session of an agreement) and decides whether the row is new, already present, or wrong; it only
reads. ``commit_import`` runs the very same checks inside one write transaction and, only if no row has a problem,
writes every new row: a file goes in whole or not at all.

Re-importing is harmless: each imported row leaves its content hash in ``import_row``, and commitments, milestones
and agreements are also matched by their natural keys (plan and number, commitment and number, session and text),
so rows already there are skipped, never duplicated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, insert, select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import AgreementStatus, MilestoneStatus
from accompaniment.domain.errors import FieldProblem, ValidationError
from accompaniment.domain.models import (
    AgreementInput,
    CommitmentInput,
    MilestoneInput,
    MilestoneUpdateInput,
    SessionInput,
    WorkshopInput,
)
from accompaniment.store import bulk
from accompaniment.store.activity import (
    _agreement_values,
    _participation_rows,
    _session_values,
    _workshop_values,
)
from accompaniment.store.database import Store, to_json
from accompaniment.store.schema import (
    action_plan,
    agreement,
    audit_entry,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    import_row,
    milestone,
    milestone_update,
    participation,
    sdg_target,
    session_organization,
    state,
    workshop,
)

Progress = Callable[[int, int], None]
_CHUNK = 500


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
    PRESENT = "present"  # imported before, or already stored under the same natural key
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


@dataclass(frozen=True)
class ImportCheck:
    """The verdict on every row: its outcome, the problems that block the import, and notices that do not."""

    outcomes: dict[int, Outcome]
    problems: list[FieldProblem] = field(default_factory=list)
    notices: list[FieldProblem] = field(default_factory=list)

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


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


class _Checker:
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

    def problem(self, record: ImportRecord, column: str, code: str, **params: Any) -> None:
        self.problems.append(FieldProblem(column, code, params, record.row))
        self.outcomes[record.row] = Outcome.INVALID

    def run(self) -> ImportCheck:
        known = set(self.connection.execute(select(state.c.code).where(state.c.code.in_(self.states))).scalars())
        imported = self._imported_hashes()
        first_seen: dict[Any, int] = {}
        for record in self.records:
            self.outcomes[record.row] = Outcome.NEW
            if record.state_code not in known:
                self.problem(record, "state_code", "unknown_state")
                continue
            if record.content_hash in first_seen:
                self.problem(record, "form", "duplicate_in_file", first=first_seen[record.content_hash])
                continue
            first_seen[record.content_hash] = record.row
            if record.content_hash in imported:
                self.outcomes[record.row] = Outcome.PRESENT
                continue
            getattr(self, f"_check_{self.kind.value}")(record, first_seen)
        return ImportCheck(self.outcomes, self.problems, self.notices)

    def _imported_hashes(self) -> set[str]:
        hashes = [r.content_hash for r in self.records]
        found: set[str] = set()
        for start in range(0, len(hashes), _CHUNK):
            found.update(self.connection.execute(
                select(import_row.c.content_hash).where(
                    import_row.c.kind == self.kind.value,
                    import_row.c.content_hash.in_(hashes[start:start + _CHUNK]))
            ).scalars())
        return found

    # ---- per kind -------------------------------------------------------------------------------------------------

    def _check_sessions(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        same_day = self._sessions().get((record.state_code, record.values.held_on, record.values.session_type.value))
        if same_day:
            self.notices.append(FieldProblem("held_on", "likely_duplicate", {"ids": ", ".join(map(str, same_day))},
                                             record.row))

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
        key = ("agreement", session_id, _norm(record.values.text))
        if key in seen:
            self.problem(record, "text", "duplicate_in_file", first=seen[key])
            return
        seen[key] = record.row
        commitment_id = None
        if record.commitment is not None:
            found = self._commitments().get(_commitment_key(record.commitment))
            if found is None:
                self.problem(record, "commitment_number", "unknown_commitment")
                return
            commitment_id = found[0]
        self.resolved[record.row] = {"session_id": session_id, "commitment_id": commitment_id}
        if (session_id, _norm(record.values.text)) in self._agreements():
            self.outcomes[record.row] = Outcome.PRESENT

    def _check_commitments(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        values: CommitmentInput = record.values
        ref = CommitmentRef(record.state_code, record.plan_number or 0, values.number,
                            None if values.number is not None else values.title)
        key = _commitment_key(ref)
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
            if _norm(existing[1]) == _norm(values.title):
                self.outcomes[record.row] = Outcome.PRESENT
            else:
                self.problem(record, column, "number_taken", value=existing[1][:80])
            return
        plan_key = (record.state_code, record.plan_number or 0)
        plan_id = self._plans().get(plan_key)
        if plan_id is None and plan_key not in self.new_plans:
            self.new_plans[plan_key] = None
            self.notices.append(FieldProblem("plan_number", "new_plan", {"number": plan_key[1]}, record.row))
        self.resolved[record.row] = {"plan_key": plan_key}

    def _check_milestones(self, record: ImportRecord, seen: dict[Any, int]) -> None:
        values: MilestoneInput = record.values
        ref = record.commitment
        assert ref is not None
        found = self._commitments().get(_commitment_key(ref))
        if found is None:
            self.problem(record, "commitment_number" if ref.number is not None else "commitment_title",
                         "unknown_commitment")
            return
        commitment_id = found[0]
        key = ("milestone", commitment_id, values.number)
        if key in seen:
            self.problem(record, "number", "duplicate_in_file", first=seen[key])
            return
        seen[key] = record.row
        progress = record.milestone_state
        if progress is not None and progress.status == MilestoneStatus.COMPLETE and not progress.has_evidence:
            self.problem(record, "evidence_url", "complete_needs_evidence")
            return
        existing = self._milestones().get((commitment_id, values.number))
        if existing is not None:
            if _norm(existing) == _norm(values.description):
                self.outcomes[record.row] = Outcome.PRESENT
            else:
                self.problem(record, "number", "number_taken", value=existing[:80])
            return
        self.resolved[record.row] = {"commitment_id": commitment_id}

    # ---- lookups, loaded once per batch -----------------------------------------------------------------------

    def _cached(self, name: str, load: Callable[[], Any]) -> Any:
        cache = self.__dict__.setdefault("_cache", {})
        if name not in cache:
            cache[name] = load()
        return cache[name]

    def _plans(self) -> dict[tuple[str, int], int]:
        def load() -> dict[tuple[str, int], int]:
            rows = self.connection.execute(
                select(action_plan.c.state_code, action_plan.c.number, action_plan.c.id)
                .where(action_plan.c.state_code.in_(self.states), action_plan.c.archived_at.is_(None)))
            return {(code, number): plan_id for code, number, plan_id in rows}

        return self._cached("plans", load)

    def _commitments(self) -> dict[tuple[Any, ...], tuple[int, str]]:
        def load() -> dict[tuple[Any, ...], tuple[int, str]]:
            states = self.states | {r.commitment.state_code for r in self.records if r.commitment}
            rows = self.connection.execute(
                select(commitment.c.id, commitment.c.number, commitment.c.title, action_plan.c.state_code,
                       action_plan.c.number.label("plan_number"))
                .join(action_plan, action_plan.c.id == commitment.c.plan_id)
                .where(action_plan.c.state_code.in_(states), commitment.c.archived_at.is_(None),
                       action_plan.c.archived_at.is_(None)))
            found: dict[tuple[Any, ...], tuple[int, str]] = {}
            for row in rows:
                ref = CommitmentRef(row.state_code, row.plan_number, row.number,
                                    None if row.number is not None else row.title)
                found.setdefault(_commitment_key(ref), (row.id, row.title))
            return found

        return self._cached("commitments", load)

    def _milestones(self) -> dict[tuple[int, int], str]:
        def load() -> dict[tuple[int, int], str]:
            ids = list({v[0] for v in self._commitments().values()})
            found: dict[tuple[int, int], str] = {}
            for start in range(0, len(ids), _CHUNK):
                rows = self.connection.execute(
                    select(milestone.c.commitment_id, milestone.c.number, milestone.c.description)
                    .where(milestone.c.commitment_id.in_(ids[start:start + _CHUNK]),
                           milestone.c.archived_at.is_(None)))
                for commitment_id, number, description in rows:
                    found.setdefault((commitment_id, number), description)
            return found

        return self._cached("milestones", load)

    def _sessions(self) -> dict[tuple[str, date, str], list[int]]:
        def load() -> dict[tuple[str, date, str], list[int]]:
            dates = sorted({d for r in self.records
                            for d in (r.session_held_on, getattr(r.values, "held_on", None)) if d is not None})
            found: dict[tuple[str, date, str], list[int]] = defaultdict(list)
            for start in range(0, len(dates), _CHUNK):
                rows = self.connection.execute(
                    select(dialogue_session.c.id, dialogue_session.c.state_code, dialogue_session.c.held_on,
                           dialogue_session.c.session_type)
                    .where(dialogue_session.c.state_code.in_(self.states),
                           dialogue_session.c.held_on.in_(dates[start:start + _CHUNK]),
                           dialogue_session.c.archived_at.is_(None))
                    .order_by(dialogue_session.c.id))
                for row in rows:
                    found[(row.state_code, row.held_on, row.session_type)].append(row.id)
            return dict(found)

        return self._cached("sessions", load)

    def _agreements(self) -> set[tuple[int, str]]:
        def load() -> set[tuple[int, str]]:
            ids = sorted({i for ids in self._sessions().values() for i in ids})
            found: set[tuple[int, str]] = set()
            for start in range(0, len(ids), _CHUNK):
                rows = self.connection.execute(
                    select(agreement.c.session_id, agreement.c.text)
                    .where(agreement.c.session_id.in_(ids[start:start + _CHUNK]), agreement.c.archived_at.is_(None)))
                found.update((session_id, _norm(text)) for session_id, text in rows)
            return found

        return self._cached("agreements", load)

    def _targets(self) -> set[str]:
        return self._cached("targets", lambda: set(self.connection.execute(select(sdg_target.c.code)).scalars()))


def _commitment_key(ref: CommitmentRef) -> tuple[Any, ...]:
    if ref.number is not None:
        return ("commitment", ref.state_code, ref.plan_number, ref.number)
    return ("commitment", ref.state_code, ref.plan_number, _norm(ref.title))


def _require_writes(actor: Actor, kind: ImportKind, records: Iterable[ImportRecord]) -> None:
    require(actor, Action.IMPORT_DATA)
    for code in sorted({r.state_code for r in records}):
        require(actor, WRITE_ACTION[kind], code)
        if kind == ImportKind.MILESTONES:
            require(actor, Action.WRITE_MILESTONE, code)


def check_import(store: Store, actor: Actor, kind: ImportKind | str, records: list[ImportRecord]) -> ImportCheck:
    """The dry run: what ``commit_import`` would do with ``records``, and every problem, without writing."""
    kind = ImportKind(kind)
    require(actor, Action.IMPORT_DATA)
    with store.read() as connection:
        return _Checker(connection, kind, records).run()


def commit_import(store: Store, actor: Actor, kind: ImportKind | str, records: list[ImportRecord],
                  progress: Progress | None = None) -> ImportResult:
    """Write every new row of ``records`` in one transaction, or nothing if any row has a problem
    (``ValidationError`` with one problem per row and column)."""
    kind = ImportKind(kind)
    _require_writes(actor, kind, records)
    say = progress or (lambda done, total: None)

    def work(connection: Connection) -> ImportResult:
        checker = _Checker(connection, kind, records)
        check = checker.run()
        if check.problems:
            raise ValidationError(check.problems)
        fresh = [r for r in records if check.outcomes[r.row] == Outcome.NEW]
        writer = _Writer(store, connection, actor, kind, checker)
        for start in range(0, len(fresh), _CHUNK):
            writer.write(fresh[start:start + _CHUNK])
            say(min(start + _CHUNK, len(fresh)), len(fresh))
        writer.finish()
        return ImportResult(created=len(fresh), skipped=check.present_rows, plans_created=writer.plans_created)

    return store.write(work)


class _Writer:
    """Builds the rows of new records with reserved ids and loads them table by table."""

    def __init__(self, store: Store, connection: Connection, actor: Actor, kind: ImportKind,
                 checker: _Checker) -> None:
        self.store, self.connection, self.actor, self.kind, self.checker = store, connection, actor, kind, checker
        self.stamp = store.stamp({"is_demo": False}, new=True)
        self.now = store.clock()
        self.plans_created = 0
        self.audit: list[dict[str, Any]] = []
        self.imported: list[dict[str, Any]] = []

    def write(self, records: list[ImportRecord]) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        tables = {t.name: t for t in (dialogue_session, workshop, participation, session_organization, agreement,
                                      commitment, commitment_ogp_value, commitment_sdg_target, milestone,
                                      milestone_update)}
        entity = {ImportKind.SESSIONS: dialogue_session, ImportKind.WORKSHOPS: workshop,
                  ImportKind.AGREEMENTS: agreement, ImportKind.COMMITMENTS: commitment,
                  ImportKind.MILESTONES: milestone}[self.kind]
        ids = bulk.reserve_ids(self.connection, entity, len(records))
        for record, new_id in zip(records, ids, strict=True):
            values = getattr(self, f"_{self.kind.value}")(record, new_id, rows)
            rows[entity.name].append({"id": new_id, **values})
            self.imported.append({"kind": self.kind.value, "content_hash": record.content_hash, "entity_id": new_id,
                                  "imported_at": self.now, "imported_by": self.actor.username})
            self.audit.append({"recorded_at": self.now, "actor": self.actor.username,
                               "actor_role": self.actor.role.value, "action": "import", "entity": entity.name,
                               "entity_id": new_id, "state_code": record.state_code, "before": None,
                               "after": to_json(record.values.model_dump(mode="json"))})
        for name in (entity.name, "participation", "session_organization", "commitment_ogp_value",
                     "commitment_sdg_target", "milestone_update"):
            if rows.get(name):
                table = tables[name]
                if "id" in table.c and "id" not in rows[name][0]:
                    for row, child_id in zip(rows[name], bulk.reserve_ids(self.connection, table, len(rows[name])),
                                             strict=True):
                        row["id"] = child_id
                bulk.insert_rows(self.connection, table, rows[name])

    def finish(self) -> None:
        bulk.insert_rows(self.connection, import_row, self.imported)
        bulk.insert_rows(self.connection, audit_entry, self.audit)

    # ---- one record's rows ------------------------------------------------------------------------------------

    def _sessions(self, record: ImportRecord, new_id: int, rows: dict[str, list]) -> dict[str, Any]:
        data: SessionInput = record.values
        rows["participation"] += _participation_rows(data.participants, session_id=new_id)
        rows["session_organization"] += [{"session_id": new_id, "position": i, "name": name}
                                         for i, name in enumerate(data.organizations)]
        return {**_session_values(data), **self.stamp}

    def _workshops(self, record: ImportRecord, new_id: int, rows: dict[str, list]) -> dict[str, Any]:
        data: WorkshopInput = record.values
        rows["participation"] += _participation_rows(data.participants, workshop_id=new_id)
        return {**_workshop_values(data), **self.stamp}

    def _agreements(self, record: ImportRecord, new_id: int, rows: dict[str, list]) -> dict[str, Any]:
        data: AgreementInput = record.values
        resolved = self.checker.resolved[record.row]
        session_id = resolved["session_id"]
        position = self._next_position(session_id)
        values = _agreement_values(data.model_copy(update={"commitment_id": resolved["commitment_id"]}), position)
        closing = record.agreement_status in (AgreementStatus.DONE, AgreementStatus.CANCELLED)
        values.update(status=record.agreement_status.value, closed_on=record.closed_on if closing else None)
        return {"session_id": session_id, **values, **self.stamp}

    def _next_position(self, session_id: int) -> int:
        positions = self.__dict__.setdefault("_positions", {})
        if session_id not in positions:
            positions[session_id] = self.connection.execute(
                select(func.count()).select_from(agreement).where(agreement.c.session_id == session_id)
            ).scalar_one()
        positions[session_id] += 1
        return positions[session_id] - 1

    def _commitments(self, record: ImportRecord, new_id: int, rows: dict[str, list]) -> dict[str, Any]:
        data: CommitmentInput = record.values
        plan_id = self._plan(self.checker.resolved[record.row]["plan_key"])
        rows["commitment_ogp_value"] += [{"commitment_id": new_id, "ogp_value": v.value} for v in data.ogp_values]
        rows["commitment_sdg_target"] += [{"commitment_id": new_id, "target_code": c} for c in data.sdg_targets]
        values = data.model_dump(exclude={"ogp_values", "sdg_targets"})
        return {**values, "plan_id": plan_id, **self.stamp}

    def _plan(self, key: tuple[str, int]) -> int:
        plan_id = self.checker._plans().get(key) or self.checker.new_plans.get(key)
        if plan_id is None:
            code, number = key
            plan_id = self.connection.execute(
                insert(action_plan).values(state_code=code, number=number, **self.stamp).returning(action_plan.c.id)
            ).scalar_one()
            self.checker.new_plans[key] = plan_id
            self.plans_created += 1
            self.audit.append({"recorded_at": self.now, "actor": self.actor.username,
                               "actor_role": self.actor.role.value, "action": "import", "entity": "action_plan",
                               "entity_id": plan_id, "state_code": code, "before": None,
                               "after": to_json({"state_code": code, "number": number})})
        return plan_id

    def _milestones(self, record: ImportRecord, new_id: int, rows: dict[str, list]) -> dict[str, Any]:
        data: MilestoneInput = record.values
        values = {**data.model_dump(), "commitment_id": self.checker.resolved[record.row]["commitment_id"],
                  "progress": 0.0, "status": MilestoneStatus.NOT_STARTED.value, "evidence_url": None,
                  "evidence_note": "", "completed_on": None}
        state_now = record.milestone_state
        if state_now is not None:
            complete = state_now.status == MilestoneStatus.COMPLETE
            values.update(progress=state_now.progress, status=state_now.status.value,
                          evidence_url=state_now.evidence_url, evidence_note=state_now.evidence_note,
                          completed_on=(record.completed_on or self.store.today()) if complete else None)
            rows["milestone_update"].append({
                "milestone_id": new_id, "recorded_at": self.now, "recorded_by": self.actor.username,
                "progress": state_now.progress, "status": state_now.status.value,
                "evidence_url": state_now.evidence_url, "evidence_note": state_now.evidence_note,
                "note": state_now.note, "is_demo": False,
            })
        return {**values, **self.stamp}
