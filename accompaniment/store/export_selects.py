"""The queries behind the open-data exports of reference data, secretariats, commitments, the training programme
and accounts (``export_queries`` holds the registry; ``export_activity`` the activity records).

Each query selects live rows only, and private columns through ``guarded``: as they are for an actor who may read
them in every state, masked to its own state for a secretariat, or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Float, Select, and_, case, cast, select, type_coerce

from accompaniment.access import Action, Actor, allowed
from accompaniment.store.commitments_query import (
    _codes_by_commitment,
    commitment_progress_query,
    completion_level_sql,
    live_commitment,
    milestone_source,
    shows_published,
)
from accompaniment.store.reporting_status import approval_dates_query
from accompaniment.store.schema import (
    action_plan,
    app_user,
    approved_milestone,
    audit_entry,
    call_state,
    commitment,
    fellow,
    fellows_call,
    member,
    milestone,
    milestone_update,
    ogp_value,
    phase_event,
    sdg_goal,
    sdg_target,
    secretariat,
    state,
    stl_event,
)


def guarded(
    actor: Actor,
    action: Action,
    column: ColumnElement[Any],
    state_column: ColumnElement[Any] | None,
    label: str,
) -> list[ColumnElement[Any]]:
    """``column`` if the actor may read it in every state; masked to its own state for a secretariat; else none."""
    if allowed(actor, action, None):
        return [column.label(label)]
    if state_column is not None and actor.state_code and allowed(actor, action, actor.state_code):
        return [case((state_column == actor.state_code, column), else_=None).label(label)]
    return []


def live(*tables: Any) -> ColumnElement[bool]:
    return and_(*(t.c.archived_at.is_(None) for t in tables))


def live_commitment_join() -> tuple[Any, Any, ColumnElement[Any]]:
    """An aliased commitment and plan to outer-join (see ``_join_live_commitment``), and the link column that reads
    as empty when the linked commitment or its plan is archived."""
    linked = commitment.alias("linked")
    linked_plan = action_plan.alias("linked_plan")
    link = case((linked_plan.c.id.is_not(None), linked.c.id), else_=None).label("commitment_id")
    return linked, linked_plan, link


def join_live_commitment(
    query: Select, reference: ColumnElement[Any], linked: Any, linked_plan: Any
) -> Select:
    return query.outerjoin(linked, and_(linked.c.id == reference, linked.c.archived_at.is_(None))).outerjoin(
        linked_plan, and_(linked_plan.c.id == linked.c.plan_id, linked_plan.c.archived_at.is_(None))
    )


# ---- reference data and the secretariats ------------------------------------------------------------------------


def state_query(actor: Actor, today: date) -> Select:
    """The states, with the date their published (approved) milestone figures are as of (issue 12)."""
    approved = approval_dates_query().subquery("approved")
    return (
        select(
            state.c.code, state.c.iso_code, state.c.name, state.c.short_name, state.c.programme, state.c.call_year,
            approved.c.approved_on.label("figures_approved_on"),
        )
        .outerjoin(approved, approved.c.state_code == state.c.code)
        .order_by(state.c.code)
    )  # fmt: skip


def sdg_goal_query(actor: Actor, today: date) -> Select:
    return select(sdg_goal.c.number, sdg_goal.c.name_es, sdg_goal.c.name_en, sdg_goal.c.colour).order_by(
        sdg_goal.c.number
    )


def sdg_target_query(actor: Actor, today: date) -> Select:
    return select(sdg_target.c.code, sdg_target.c.goal, sdg_target.c.name_es, sdg_target.c.name_en).order_by(
        sdg_target.c.position
    )


def ogp_value_query(actor: Actor, today: date) -> Select:
    return select(ogp_value.c.code, ogp_value.c.name_es, ogp_value.c.name_en).order_by(ogp_value.c.code)


def secretariat_query(actor: Actor, today: date) -> Select:
    s = secretariat.c
    return (
        select(
            s.id,
            s.state_code,
            s.declaration_date,
            s.installation_date,
            s.phase,
            s.phase_since,
            s.status_note,
            s.source,
            s.is_demo,
        )
        .where(live(secretariat))
        .order_by(s.id)
    )


def phase_event_query(actor: Actor, today: date) -> Select:
    p = phase_event.c
    private = guarded(actor, Action.READ_PRIVATE_NOTES, p.recorded_by, p.state_code, "recorded_by")
    return (
        select(p.id, p.state_code, p.phase, p.changed_on, p.note, *private, p.source, p.is_demo)
        .where(live(phase_event))
        .order_by(p.id)
    )


def stl_event_query(actor: Actor, today: date) -> Select:
    e = stl_event.c
    return (
        select(
            e.id, e.state_code, e.happened_on, e.date_precision, e.kind, e.description, e.source, e.is_demo
        )
        .where(live(stl_event))
        .order_by(e.id)
    )


def member_query(actor: Actor, today: date) -> Select:
    m = member.c
    personal = [
        col
        for name in ("person_name", "person_email", "person_phone")
        for col in guarded(actor, Action.READ_PERSONAL_DATA, m[name], m.state_code, name)
    ]
    return (
        select(
            m.id,
            m.state_code,
            m.organization,
            m.sector,
            m.seat,
            m.active_from,
            m.active_to,
            *personal,
            m.source,
            m.is_demo,
        )
        .where(live(member))
        .order_by(m.id)
    )


# ---- commitments ---------------------------------------------------------------------------------------------------


def action_plan_query(actor: Actor, today: date) -> Select:
    p = action_plan.c
    return (
        select(
            p.id,
            p.state_code,
            p.number,
            p.period_start,
            p.period_end,
            p.published_on,
            p.link,
            p.source,
            p.is_demo,
        )
        .where(live(action_plan))
        .order_by(p.id)
    )


def commitment_query(actor: Actor, today: date) -> Select:
    """Commitments with their progress; for the public, from the approved milestone figures (issue 12)."""
    c = commitment.c
    progress = commitment_progress_query(today, public=shows_published(actor)).subquery("progress")
    return (
        select(
            c.id,
            c.plan_id,
            action_plan.c.state_code,
            action_plan.c.number.label("plan_number"),
            c.number,
            c.title,
            c.public_problem,
            c.objective,
            c.lead_institution,
            c.co_responsible,
            c.start_date,
            c.end_date,
            c.proactive,
            c.verifiable,
            c.ambition,
            c.early_results,
            type_coerce(progress.c.progress, Float).label("progress"),
            completion_level_sql(progress.c.progress).label("completion_level"),
            c.source,
            c.is_demo,
        )
        .join(action_plan, action_plan.c.id == c.plan_id)
        .join(progress, progress.c.commitment_id == c.id)
        .where(live_commitment())
        .order_by(c.id)
    )


def add_commitment_codes(connection: Connection, rows: list[dict[str, Any]]) -> None:
    targets, values = _codes_by_commitment(connection, [row["id"] for row in rows])
    for row in rows:
        row["ogp_values"] = values.get(row["id"], "").replace(", ", "; ")
        row["sdg_targets"] = targets.get(row["id"], "").replace(", ", "; ")


def commitment_link_query(table: Any, column: str) -> Callable[[Actor, date], Select]:
    def query(actor: Actor, today: date) -> Select:
        return (
            select(table.c.commitment_id, table.c[column])
            .join(commitment, commitment.c.id == table.c.commitment_id)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .where(live_commitment())
            .order_by(table.c.commitment_id, table.c[column])
        )

    return query


def milestone_query(actor: Actor, today: date) -> Select:
    """Milestones; the public gets each one's APPROVED progress, status and completion date (issue 12), as the
    public pages show them (``commitments_query.milestone_source``)."""
    source = milestone_source(actor)
    m = source.c
    note = guarded(
        actor, Action.READ_MILESTONE_DETAIL, m.evidence_note, action_plan.c.state_code, "evidence_note"
    )
    return (
        select(
            m.id,
            m.commitment_id,
            action_plan.c.state_code,
            action_plan.c.number.label("plan_number"),
            commitment.c.number.label("commitment_number"),
            commitment.c.title.label("commitment_title"),
            m.number,
            m.description,
            m.responsible,
            m.due_date,
            m.weight,
            m.progress,
            m.status,
            m.completed_on,
            m.evidence_url,
            *note,
            m.is_demo,
            m.version,  # an import of an edited file checks it (issue 20)
        )
        .join(commitment, commitment.c.id == m.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(live_commitment(), m.archived_at.is_(None))
        .order_by(m.id)
    )


def milestone_update_query(actor: Actor, today: date) -> Select:
    """The milestones' timelines; the public gets only the updates recorded by the day their milestone's figures
    were last approved (issue 12: no unapproved figure through the history either)."""
    u = milestone_update.c
    code = action_plan.c.state_code
    detail = [
        col
        for name in ("recorded_by", "evidence_note", "note")
        for col in guarded(actor, Action.READ_MILESTONE_DETAIL, u[name], code, name)
    ]
    query = (
        select(u.id, u.milestone_id, u.recorded_at, u.progress, u.status, u.evidence_url, *detail, u.is_demo)
        .join(milestone, milestone.c.id == u.milestone_id)
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(live_commitment(), live(milestone))
        .order_by(u.id)
    )
    if shows_published(actor):
        approved_on = (
            select(approved_milestone.c.approved_on)
            .where(approved_milestone.c.milestone_id == u.milestone_id)
            .scalar_subquery()
        )
        query = query.where(cast(u.recorded_at, approved_milestone.c.approved_on.type) <= approved_on)
    return query


# ---- training programme ------------------------------------------------------------------------------------------


def fellows_call_query(actor: Actor, today: date) -> Select:
    c = fellows_call.c
    return (
        select(
            c.id,
            c.year,
            c.opens_on,
            c.closes_on,
            c.applicants,
            c.applicants_at_least,
            c.fellows,
            c.fellows_women,
            c.source,
        )
        .where(live(fellows_call))
        .order_by(c.id)
    )


def call_state_query(actor: Actor, today: date) -> Select:
    c = call_state.c
    return (
        select(
            c.id, c.call_id, c.state_code, c.applicants, c.complete_applications, c.fellows, c.fellows_women
        )
        .join(fellows_call, fellows_call.c.id == c.call_id)
        .where(live(call_state, fellows_call))
        .order_by(c.id)
    )


def fellow_query(actor: Actor, today: date) -> Select:
    f = fellow.c
    linked, linked_plan, link = live_commitment_join()
    query = (
        select(f.id, f.call_id, f.state_code, f.gender, f.project_title, f.submitted_to_stl, link, f.is_demo)
        .join(fellows_call, fellows_call.c.id == f.call_id)
        .where(live(fellow, fellows_call))
        .order_by(f.id)
    )
    return join_live_commitment(query, f.commitment_id, linked, linked_plan)


# ---- accounts and accountability ---------------------------------------------------------------------------------


def app_user_query(actor: Actor, today: date) -> Select:
    u = app_user.c
    return select(
        u.id,
        u.username,
        u.display_name,
        u.role,
        u.state_code,
        u.email,
        u.active,
        u.must_change_password,
        u.last_sign_in,
        u.created_at,
        u.archived_at,
    ).order_by(u.id)


def audit_entry_query(actor: Actor, today: date) -> Select:
    return select(audit_entry).order_by(audit_entry.c.id)
