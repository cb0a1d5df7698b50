"""Writing the new rows of a checked import: ids reserved in bulk, rows built per table and loaded in one go,
each row's content hash kept in ``import_row`` and each new record audited."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, insert, select

from accompaniment.access import Actor
from accompaniment.domain.enums import AgreementStatus, MilestoneStatus
from accompaniment.domain.models import (
    AgreementInput,
    CommitmentInput,
    MilestoneInput,
    SessionInput,
    WorkshopInput,
)
from accompaniment.store import bulk
from accompaniment.store.activity import (
    _participation_rows,
    _session_values,
    _workshop_values,
    agreement_values,
)
from accompaniment.store.database import Store, to_json
from accompaniment.store.import_checks import ImportChecker
from accompaniment.store.import_records import ImportKind, ImportRecord
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
    session_organization,
    workshop,
)


class ImportWriter:
    """Builds the rows of new records with reserved ids and loads them table by table."""

    def __init__(
        self, store: Store, connection: Connection, actor: Actor, kind: ImportKind, checker: ImportChecker
    ) -> None:
        self.store, self.connection, self.actor, self.kind, self.checker = (
            store,
            connection,
            actor,
            kind,
            checker,
        )
        self.stamp = store.stamp({"is_demo": False}, new=True)
        self.now = store.clock()
        self.plans_created = 0
        self.audit: list[dict[str, Any]] = []
        self.imported: list[dict[str, Any]] = []

    def write(self, records: list[ImportRecord]) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        tables = {
            t.name: t
            for t in (
                dialogue_session,
                workshop,
                participation,
                session_organization,
                agreement,
                commitment,
                commitment_ogp_value,
                commitment_sdg_target,
                milestone,
                milestone_update,
            )
        }
        entity = {
            ImportKind.SESSIONS: dialogue_session,
            ImportKind.WORKSHOPS: workshop,
            ImportKind.AGREEMENTS: agreement,
            ImportKind.COMMITMENTS: commitment,
            ImportKind.MILESTONES: milestone,
        }[self.kind]
        ids = bulk.reserve_ids(self.connection, entity, len(records))
        for record, new_id in zip(records, ids, strict=True):
            values = getattr(self, f"_{self.kind.value}")(record, new_id, rows)
            rows[entity.name].append({"id": new_id, **values})
            self.imported.append(
                {
                    "kind": self.kind.value,
                    "content_hash": record.content_hash,
                    "entity_id": new_id,
                    "imported_at": self.now,
                    "imported_by": self.actor.username,
                }
            )
            self.audit.append(
                {
                    "recorded_at": self.now,
                    "actor": self.actor.username,
                    "actor_role": self.actor.role.value,
                    "action": "import",
                    "entity": entity.name,
                    "entity_id": new_id,
                    "state_code": record.state_code,
                    "before": None,
                    "after": to_json(record.values.model_dump(mode="json")),
                }
            )
        for name in (
            entity.name,
            "participation",
            "session_organization",
            "commitment_ogp_value",
            "commitment_sdg_target",
            "milestone_update",
        ):
            if rows.get(name):
                table = tables[name]
                if "id" in table.c and "id" not in rows[name][0]:
                    for row, child_id in zip(
                        rows[name], bulk.reserve_ids(self.connection, table, len(rows[name])), strict=True
                    ):
                        row["id"] = child_id
                bulk.insert_rows(self.connection, table, rows[name])

    def finish(self) -> None:
        bulk.insert_rows(self.connection, import_row, self.imported)
        bulk.insert_rows(self.connection, audit_entry, self.audit)

    # ---- one record's rows ------------------------------------------------------------------------------------

    def _sessions(self, record: ImportRecord, new_id: int, rows: dict[str, list]) -> dict[str, Any]:
        data: SessionInput = record.values
        rows["participation"] += _participation_rows(data.participants, session_id=new_id)
        rows["session_organization"] += [
            {"session_id": new_id, "position": i, "name": name} for i, name in enumerate(data.organizations)
        ]
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
        values = agreement_values(
            data.model_copy(update={"commitment_id": resolved["commitment_id"]}), position
        )
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
        rows["commitment_ogp_value"] += [
            {"commitment_id": new_id, "ogp_value": v.value} for v in data.ogp_values
        ]
        rows["commitment_sdg_target"] += [
            {"commitment_id": new_id, "target_code": c} for c in data.sdg_targets
        ]
        values = data.model_dump(exclude={"ogp_values", "sdg_targets"})
        return {**values, "plan_id": plan_id, **self.stamp}

    def _plan(self, key: tuple[str, int]) -> int:
        plan_id = self.checker.plans().get(key) or self.checker.new_plans.get(key)
        if plan_id is None:
            code, number = key
            plan_id = self.connection.execute(
                insert(action_plan)
                .values(state_code=code, number=number, **self.stamp)
                .returning(action_plan.c.id)
            ).scalar_one()
            self.checker.new_plans[key] = plan_id
            self.plans_created += 1
            self.audit.append(
                {
                    "recorded_at": self.now,
                    "actor": self.actor.username,
                    "actor_role": self.actor.role.value,
                    "action": "import",
                    "entity": "action_plan",
                    "entity_id": plan_id,
                    "state_code": code,
                    "before": None,
                    "after": to_json({"state_code": code, "number": number}),
                }
            )
        return plan_id

    def _milestones(self, record: ImportRecord, new_id: int, rows: dict[str, list]) -> dict[str, Any]:
        data: MilestoneInput = record.values
        values = {
            **data.model_dump(),
            "commitment_id": self.checker.resolved[record.row]["commitment_id"],
            "progress": 0.0,
            "status": MilestoneStatus.NOT_STARTED.value,
            "evidence_url": None,
            "evidence_note": "",
            "completed_on": None,
        }
        state_now = record.milestone_state
        if state_now is not None:
            complete = state_now.status == MilestoneStatus.COMPLETE
            values.update(
                progress=state_now.progress,
                status=state_now.status.value,
                evidence_url=state_now.evidence_url,
                evidence_note=state_now.evidence_note,
                completed_on=(record.completed_on or self.store.today()) if complete else None,
            )
            rows["milestone_update"].append(
                {
                    "milestone_id": new_id,
                    "recorded_at": self.now,
                    "recorded_by": self.actor.username,
                    "progress": state_now.progress,
                    "status": state_now.status.value,
                    "evidence_url": state_now.evidence_url,
                    "evidence_note": state_now.evidence_note,
                    "note": state_now.note,
                    "is_demo": False,
                }
            )
        return {**values, **self.stamp}
