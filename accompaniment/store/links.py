"""The records a link may name (issue 13), found by their readable identifiers: a programme state by its codes, a
commitment by ``OAX-1-3`` (state short name, plan number, commitment number: the natural keys of migration 0006).

Published records only, for any role: what a link opens beyond that is decided by the read functions the page
then calls, which check the actor themselves. Archived records (the commitment or its plan) are not found.
"""

from __future__ import annotations

from sqlalchemy import select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.errors import NotFound
from accompaniment.domain.links import CommitmentRef, commitment_ref
from accompaniment.store.database import Store
from accompaniment.store.schema import action_plan, commitment, milestone, secretariat, state


def state_keys(store: Store, actor: Actor) -> list[tuple[str, str, str]]:
    """(INEGI code, ISO 3166-2 code, short name) of each state with a live secretariat, by code."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(state.c.code, state.c.iso_code, state.c.short_name)
        .join(secretariat, secretariat.c.state_code == state.c.code)
        .where(secretariat.c.archived_at.is_(None))
        .order_by(state.c.code)
    )
    with store.read() as connection:
        return [tuple(row) for row in connection.execute(query)]


def _live_commitments():  # noqa: ANN202 - a select
    return (
        select(
            commitment.c.id,
            state.c.short_name,
            action_plan.c.number.label("plan_number"),
            commitment.c.number,
        )
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .join(state, state.c.code == action_plan.c.state_code)
        .where(commitment.c.archived_at.is_(None), action_plan.c.archived_at.is_(None))
        .where(commitment.c.number.is_not(None))
    )


def commitment_id(store: Store, actor: Actor, ref: CommitmentRef) -> int:
    """The id of the live commitment ``ref`` names; NotFound when none does."""
    require(actor, Action.READ_PUBLISHED)
    query = _live_commitments().where(
        state.c.short_name == ref.state, action_plan.c.number == ref.plan, commitment.c.number == ref.number
    )
    with store.read() as connection:
        found = connection.execute(query).first()
    if found is None:
        raise NotFound(entity="commitment", id=str(ref))
    return int(found.id)


def commitment_ref_of(store: Store, actor: Actor, commitment_id: int) -> str | None:
    """The readable identifier of a live commitment; None for one without a number, or not found."""
    require(actor, Action.READ_PUBLISHED)
    with store.read() as connection:
        found = connection.execute(_live_commitments().where(commitment.c.id == int(commitment_id))).first()
    return None if found is None else commitment_ref(found.short_name, found.plan_number, found.number)


def commitment_refs(store: Store, actor: Actor) -> dict[int, str]:
    """Commitment id → readable identifier, for every live numbered commitment."""
    require(actor, Action.READ_PUBLISHED)
    with store.read() as connection:
        rows = connection.execute(_live_commitments().order_by(commitment.c.id)).all()
    return {int(r.id): commitment_ref(r.short_name, r.plan_number, r.number) for r in rows}


def milestone_id(store: Store, actor: Actor, ref: CommitmentRef, number: int) -> tuple[int, int]:
    """(commitment id, milestone id) of milestone ``number`` of the live commitment ``ref``; NotFound otherwise."""
    found_commitment = commitment_id(store, actor, ref)
    query = select(milestone.c.id).where(
        milestone.c.commitment_id == found_commitment,
        milestone.c.number == int(number),
        milestone.c.archived_at.is_(None),
    )
    with store.read() as connection:
        found = connection.execute(query).first()
    if found is None:
        raise NotFound(entity="milestone", id=f"{ref}-{int(number)}")
    return found_commitment, int(found.id)
