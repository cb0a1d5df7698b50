"""Action plans, commitments (with OGP values, SDG targets and an IRM-style assessment) and milestones.

Milestone progress is the secretariat's daily work: each change is kept as a dated entry of the milestone's
timeline, and a milestone is marked complete only with evidence (the database enforces it as well).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, Table, delete, insert, select

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.errors import NotFound, ValidationError
from accompaniment.domain.milestone import MilestoneFigures, apply_update
from accompaniment.domain.models import (
    ActionPlanInput,
    AssessmentInput,
    CommitmentInput,
    MilestoneInput,
    MilestoneUpdateInput,
    validate,
)
from accompaniment.store.activity import ensure_known_state
from accompaniment.store.commitments_query import milestone_source
from accompaniment.store.database import Store, fetch_row, update_versioned
from accompaniment.store.schema import (
    action_plan,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    milestone,
    milestone_update,
    sdg_target,
    state,
)


def plan_state(connection: Connection, plan_id: int) -> str:
    code = connection.execute(select(action_plan.c.state_code).where(action_plan.c.id == plan_id)).scalar()
    if code is None:
        raise ValidationError.single("plan_id", "unknown_reference")
    return code


def commitment_state(connection: Connection, commitment_id: int) -> str:
    code = connection.execute(
        select(action_plan.c.state_code)
        .join(commitment, commitment.c.plan_id == action_plan.c.id)
        .where(commitment.c.id == commitment_id)
    ).scalar()
    if code is None:
        raise NotFound(entity="commitment", id=commitment_id)
    return code


def milestone_state(connection: Connection, milestone_id: int) -> str:
    code = connection.execute(
        select(action_plan.c.state_code)
        .join(commitment, commitment.c.plan_id == action_plan.c.id)
        .join(milestone, milestone.c.commitment_id == commitment.c.id)
        .where(milestone.c.id == milestone_id)
    ).scalar()
    if code is None:
        raise NotFound(entity="milestone", id=milestone_id)
    return code


# ---- plans and commitments -----------------------------------------------------------------------------------------


def create_plan(
    store: Store, actor: Actor, data: ActionPlanInput | dict[str, Any], *, is_demo: bool = False
) -> int:
    data = validate(ActionPlanInput, data)
    require(actor, Action.WRITE_STRUCTURE, data.state_code)

    def work(connection: Connection) -> int:
        ensure_known_state(connection, data.state_code)
        values = store.stamp({**data.model_dump(), "is_demo": is_demo}, new=True)
        plan_id = connection.execute(
            insert(action_plan).values(**values).returning(action_plan.c.id)
        ).scalar_one()
        store.audit(
            connection, actor, "create", "action_plan", plan_id, after=values, state_code=data.state_code
        )
        return plan_id

    return store.write(work)


def _check_targets(connection: Connection, codes: list[str]) -> None:
    if not codes:
        return
    known = set(connection.execute(select(sdg_target.c.code).where(sdg_target.c.code.in_(codes))).scalars())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError.single("sdg_targets", "unknown_target", value=unknown[0])


def _ensure_number_free(
    connection: Connection,
    table: Table,
    parent: str,
    parent_id: int,
    number: int | None,
    own_id: int | None = None,
) -> None:
    """Refuse a number its parent already uses (a commitment's in its plan, a milestone's in its commitment): the
    importer matches rows by these numbers. PostgreSQL also has unique indexes (migration 0006); on DuckDB this
    check in the write is the guard, and a process's DuckDB writes take turns (Store.write)."""
    if number is None:
        return
    query = select(table.c.id).where(table.c[parent] == parent_id, table.c.number == number)
    if own_id is not None:
        query = query.where(table.c.id != own_id)
    if connection.execute(query.limit(1)).first() is not None:
        raise ValidationError.single("number", "duplicate")


def _commitment_values(data: CommitmentInput) -> dict[str, Any]:
    values = data.model_dump(exclude={"ogp_values", "sdg_targets"})
    return values


def _write_links(connection: Connection, commitment_id: int, data: CommitmentInput) -> None:
    connection.execute(
        delete(commitment_ogp_value).where(commitment_ogp_value.c.commitment_id == commitment_id)
    )
    connection.execute(
        delete(commitment_sdg_target).where(commitment_sdg_target.c.commitment_id == commitment_id)
    )
    if data.ogp_values:
        connection.execute(
            insert(commitment_ogp_value),
            [{"commitment_id": commitment_id, "ogp_value": v.value} for v in data.ogp_values],
        )
    if data.sdg_targets:
        connection.execute(
            insert(commitment_sdg_target),
            [{"commitment_id": commitment_id, "target_code": code} for code in data.sdg_targets],
        )


def create_commitment(
    store: Store, actor: Actor, data: CommitmentInput | dict[str, Any], *, is_demo: bool = False
) -> int:
    data = validate(CommitmentInput, data)

    def work(connection: Connection) -> int:
        state_code = plan_state(connection, data.plan_id)
        require(actor, Action.WRITE_STRUCTURE, state_code)
        _check_targets(connection, data.sdg_targets)
        _ensure_number_free(connection, commitment, "plan_id", data.plan_id, data.number)
        values = store.stamp({**_commitment_values(data), "is_demo": is_demo}, new=True)
        commitment_id = connection.execute(
            insert(commitment).values(**values).returning(commitment.c.id)
        ).scalar_one()
        _write_links(connection, commitment_id, data)
        store.audit(
            connection,
            actor,
            "create",
            "commitment",
            commitment_id,
            after=data.model_dump(mode="json"),
            state_code=state_code,
        )
        return commitment_id

    return store.write(work)


def edit_commitment(
    store: Store, actor: Actor, commitment_id: int, version: int, data: CommitmentInput | dict[str, Any]
) -> dict[str, Any]:
    data = validate(CommitmentInput, data)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, commitment, commitment_id)
        old_state = plan_state(connection, before["plan_id"])
        new_state = plan_state(connection, data.plan_id)
        require(actor, Action.WRITE_STRUCTURE, old_state)
        require(actor, Action.WRITE_STRUCTURE, new_state)
        _check_targets(connection, data.sdg_targets)
        _ensure_number_free(
            connection, commitment, "plan_id", data.plan_id, data.number, own_id=commitment_id
        )
        after = update_versioned(
            store, connection, commitment, commitment_id, version, _commitment_values(data)
        )
        _write_links(connection, commitment_id, data)
        store.audit(
            connection,
            actor,
            "update",
            "commitment",
            commitment_id,
            before=before,
            after={
                **after,
                "ogp_values": [v.value for v in data.ogp_values],
                "sdg_targets": data.sdg_targets,
            },
            state_code=new_state,
        )
        return after

    return store.write(work)


def assess_commitment(
    store: Store, actor: Actor, commitment_id: int, version: int, data: AssessmentInput | dict[str, Any]
) -> dict[str, Any]:
    """Record the working group's IRM-style assessment: verifiable, ambition, did it open government."""
    data = validate(AssessmentInput, data)
    require(actor, Action.ASSESS_COMMITMENT)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, commitment, commitment_id)
        state_code = plan_state(connection, before["plan_id"])
        values = {
            "verifiable": data.verifiable,
            "ambition": data.ambition.value if data.ambition else None,
            "early_results": data.early_results.value if data.early_results else None,
        }
        after = update_versioned(store, connection, commitment, commitment_id, version, values)
        store.audit(
            connection,
            actor,
            "assess",
            "commitment",
            commitment_id,
            before=before,
            after=after,
            state_code=state_code,
        )
        return after

    return store.write(work)


def get_commitment(store: Store, actor: Actor, commitment_id: int) -> dict[str, Any]:
    """A commitment with its state, plan, ``ogp_values``, ``sdg_targets`` and ``milestones`` (list of dicts)."""
    require(actor, Action.READ_PUBLISHED)
    with store.read() as connection:
        row = (
            connection.execute(
                select(
                    commitment,
                    action_plan.c.state_code,
                    action_plan.c.number.label("plan_number"),
                    state.c.name.label("state_name"),
                )
                .join(action_plan, action_plan.c.id == commitment.c.plan_id)
                .join(state, state.c.code == action_plan.c.state_code)
                .where(commitment.c.id == commitment_id, commitment.c.archived_at.is_(None))
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound(entity="commitment", id=commitment_id)
        result = dict(row)
        result["ogp_values"] = list(
            connection.execute(
                select(commitment_ogp_value.c.ogp_value)
                .where(commitment_ogp_value.c.commitment_id == commitment_id)
                .order_by(commitment_ogp_value.c.ogp_value)
            ).scalars()
        )
        result["sdg_targets"] = list(
            connection.execute(
                select(commitment_sdg_target.c.target_code)
                .join(sdg_target, sdg_target.c.code == commitment_sdg_target.c.target_code)
                .where(commitment_sdg_target.c.commitment_id == commitment_id)
                .order_by(sdg_target.c.position)
            ).scalars()
        )
        shown = milestone_source(actor)  # the public sees the approved figures (issue 12)
        milestones = [
            dict(m)
            for m in connection.execute(
                select(shown)
                .where(shown.c.commitment_id == commitment_id, shown.c.archived_at.is_(None))
                .order_by(shown.c.number, shown.c.id)
            ).mappings()
        ]
        if not allowed(actor, Action.READ_MILESTONE_DETAIL, result["state_code"]):
            for m in milestones:
                m.pop("evidence_note", None)
        result["milestones"] = milestones
        return result


# ---- milestones ----------------------------------------------------------------------------------------------------


def create_milestone(
    store: Store, actor: Actor, data: MilestoneInput | dict[str, Any], *, is_demo: bool = False
) -> int:
    data = validate(MilestoneInput, data)

    def work(connection: Connection) -> int:
        try:
            state_code = commitment_state(connection, data.commitment_id)
        except NotFound:
            raise ValidationError.single("commitment_id", "unknown_commitment") from None
        require(actor, Action.WRITE_STRUCTURE, state_code)
        _ensure_number_free(connection, milestone, "commitment_id", data.commitment_id, data.number)
        values = store.stamp({**data.model_dump(), "is_demo": is_demo}, new=True)
        milestone_id = connection.execute(
            insert(milestone).values(**values).returning(milestone.c.id)
        ).scalar_one()
        store.audit(
            connection, actor, "create", "milestone", milestone_id, after=values, state_code=state_code
        )
        return milestone_id

    return store.write(work)


def update_milestone(
    store: Store,
    actor: Actor,
    milestone_id: int,
    version: int,
    data: MilestoneUpdateInput | dict[str, Any],
    *,
    is_demo: bool = False,
) -> dict[str, Any]:
    """Set progress, status and evidence with a note; the change becomes an entry of the milestone's timeline.

    The rules of the change (evidence, a reason for a lower progress) are ``domain.milestone.apply_update``'s.
    """
    data = validate(MilestoneUpdateInput, data)

    def work(connection: Connection) -> dict[str, Any]:
        state_code = milestone_state(connection, milestone_id)
        require(actor, Action.WRITE_MILESTONE, state_code)
        before = fetch_row(connection, milestone, milestone_id)
        figures = apply_update(MilestoneFigures.of_row(before), data, store.today())
        values = figures.as_values()
        after = update_versioned(store, connection, milestone, milestone_id, version, values)
        connection.execute(
            insert(milestone_update).values(
                milestone_id=milestone_id,
                recorded_at=store.clock(),
                recorded_by=actor.username,
                progress=data.progress,
                status=data.status.value,
                evidence_url=data.evidence_url,
                evidence_note=data.evidence_note,
                note=data.note,
                is_demo=is_demo,
            )
        )
        store.audit(
            connection,
            actor,
            "update",
            "milestone",
            milestone_id,
            before=before,
            after=after,
            state_code=state_code,
        )
        return after

    return store.write(work)


def milestone_timeline(store: Store, actor: Actor, milestone_id: int) -> pd.DataFrame:
    """The milestone's updates, oldest first. Columns: recorded_at, progress, status, evidence_url, and for those
    allowed to see the detail (the state's secretariat and staff): recorded_by, evidence_note, note."""
    require(actor, Action.READ_PUBLISHED)
    columns = ["recorded_at", "progress", "status", "evidence_url", "recorded_by", "evidence_note", "note"]
    with store.read() as connection:
        state_code = milestone_state(connection, milestone_id)
        query = (
            select(*(milestone_update.c[name] for name in columns))
            .where(milestone_update.c.milestone_id == milestone_id)
            .order_by(milestone_update.c.recorded_at, milestone_update.c.id)
        )
        frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=columns)
    if not allowed(actor, Action.READ_MILESTONE_DETAIL, state_code):
        frame = frame.drop(columns=["recorded_by", "evidence_note", "note"])
    return frame


def commitment_timeline(store: Store, actor: Actor, commitment_id: int) -> pd.DataFrame:
    """Every milestone update of a commitment, oldest first; same columns as ``milestone_timeline`` plus
    milestone_id and milestone_number."""
    require(actor, Action.READ_PUBLISHED)
    columns = ["recorded_at", "progress", "status", "evidence_url", "recorded_by", "evidence_note", "note"]
    with store.read() as connection:
        state_code = commitment_state(connection, commitment_id)
        query = (
            select(
                milestone.c.id.label("milestone_id"),
                milestone.c.number.label("milestone_number"),
                *(milestone_update.c[name] for name in columns),
            )
            .join(milestone, milestone.c.id == milestone_update.c.milestone_id)
            .where(milestone.c.commitment_id == commitment_id, milestone.c.archived_at.is_(None))
            .order_by(milestone_update.c.recorded_at, milestone_update.c.id)
        )
        frame = pd.DataFrame(
            connection.execute(query).mappings().all(), columns=["milestone_id", "milestone_number", *columns]
        )
    if not allowed(actor, Action.READ_MILESTONE_DETAIL, state_code):
        frame = frame.drop(columns=["recorded_by", "evidence_note", "note"])
    return frame
