"""The queries behind the open-data exports of workshops, dialogue sessions, participation, attending
organisations and agreements. Sessions and workshops carry their participants as one count column per sector and
gender, so an exported file is also an import file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, case, func, or_, select, type_coerce

from accompaniment.access import Action, Actor
from accompaniment.domain.enums import Gender, Sector
from accompaniment.store.export_selects import guarded, join_live_commitment, live, live_commitment_join
from accompaniment.store.schema import (
    agreement,
    agreement_update,
    dialogue_session,
    participation,
    session_organization,
    workshop,
)

PARTICIPANT_COLUMNS = tuple(f"participants_{s.value}_{g.value}" for s in Sector for g in Gender)


def _participant_grid(key: ColumnElement[Any]) -> Any:
    """Per activity, one count column per sector and gender (conditional sums of the participation rows)."""
    columns = [
        func.sum(
            case(
                (
                    and_(participation.c.sector == s.value, participation.c.gender == g.value),
                    participation.c.count,
                ),
                else_=0,
            )
        ).label(f"participants_{s.value}_{g.value}")
        for s in Sector
        for g in Gender
    ]
    return select(key.label("activity_id"), *columns).where(key.is_not(None)).group_by(key).subquery("grid")


def _grid_columns(grid: Any) -> list[ColumnElement[Any]]:
    return [type_coerce(func.coalesce(grid.c[name], 0), Integer).label(name) for name in PARTICIPANT_COLUMNS]


def workshop_query(actor: Actor, today: date) -> Select:
    w = workshop.c
    grid = _participant_grid(participation.c.workshop_id)
    notes = guarded(actor, Action.READ_PRIVATE_NOTES, w.notes, w.state_code, "notes")
    return (
        select(
            w.id,
            w.state_code,
            w.held_on,
            w.title,
            w.topic,
            w.modality,
            w.hours,
            w.satisfaction,
            w.public_summary,
            *notes,
            w.evidence_url,
            w.participant_total,
            *_grid_columns(grid),
            w.is_demo,
            w.version,  # with the id, the record key of an import that updates it (issue 20)
        )
        .outerjoin(grid, grid.c.activity_id == w.id)
        .where(live(workshop))
        .order_by(w.id)
    )


def dialogue_session_query(actor: Actor, today: date) -> Select:
    s = dialogue_session.c
    grid = _participant_grid(participation.c.session_id)
    summary = guarded(actor, Action.READ_PRIVATE_NOTES, s.summary, s.state_code, "summary")
    return (
        select(
            s.id,
            s.state_code,
            s.held_on,
            s.session_type,
            s.modality,
            s.phase,
            s.topics,
            s.consensus,
            s.public_summary,
            *summary,
            s.evidence_url,
            s.participant_total,
            *_grid_columns(grid),
            s.is_demo,
            s.version,  # with the id, the record key of an import that updates it (issue 20)
        )
        .outerjoin(grid, grid.c.activity_id == s.id)
        .where(live(dialogue_session))
        .order_by(s.id)
    )


def participation_query(actor: Actor, today: date) -> Select:
    p = participation.c
    live_session = and_(dialogue_session.c.id == p.session_id, live(dialogue_session))
    live_workshop = and_(workshop.c.id == p.workshop_id, live(workshop))
    return (
        select(p.id, p.session_id, p.workshop_id, p.sector, p.gender, p.count)
        .outerjoin(dialogue_session, live_session)
        .outerjoin(workshop, live_workshop)
        .where(or_(dialogue_session.c.id.is_not(None), workshop.c.id.is_not(None)))
        .order_by(p.id)
    )


def session_organization_query(actor: Actor, today: date) -> Select:
    o = session_organization.c
    return (
        select(o.id, o.session_id, o.position, o.name)
        .join(dialogue_session, dialogue_session.c.id == o.session_id)
        .where(live(dialogue_session))
        .order_by(o.id)
    )


def agreement_query(actor: Actor, today: date) -> Select:
    a = agreement.c
    linked, linked_plan, link = live_commitment_join()
    query = (
        select(
            a.id,
            a.session_id,
            dialogue_session.c.state_code,
            dialogue_session.c.held_on.label("session_held_on"),
            dialogue_session.c.session_type,
            a.position,
            a.text,
            a.responsible_sector,
            a.responsible_organization,
            a.due_date,
            a.status,
            a.closed_on,
            link,
            linked_plan.c.number.label("commitment_plan_number"),
            case((linked_plan.c.id.is_not(None), linked.c.number), else_=None).label("commitment_number"),
            a.is_demo,
            a.version,  # with the id, the record key of an import that updates it (issue 20)
        )
        .join(dialogue_session, dialogue_session.c.id == a.session_id)
        .where(live(agreement, dialogue_session))
        .order_by(a.id)
    )
    return join_live_commitment(query, a.commitment_id, linked, linked_plan)


def agreement_update_query(actor: Actor, today: date) -> Select:
    u = agreement_update.c
    code = dialogue_session.c.state_code
    private = [
        col
        for name in ("note", "recorded_by")
        for col in guarded(actor, Action.READ_PRIVATE_NOTES, u[name], code, name)
    ]
    return (
        select(u.id, u.agreement_id, u.changed_on, u.status, *private, u.is_demo)
        .join(agreement, agreement.c.id == u.agreement_id)
        .join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
        .where(live(agreement, dialogue_session))
        .order_by(u.id)
    )
