"""Where the live figures have moved past the published ones (issue 12): staff see the live milestone figures, and
the overview marks the states whose live figures are not yet approved. The public sees the approved figures
(``commitments_query.milestone_source``), so for the public nothing is ever "not yet approved".
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from accompaniment.access import Action, Actor, require
from accompaniment.store.commitments_query import live_commitment, shows_published
from accompaniment.store.database import Store
from accompaniment.store.schema import action_plan, approved_milestone, commitment, milestone


def unapproved_milestones_by_state(store: Store, viewer: Actor) -> dict[str, int]:
    """Per state, how many live milestones have live progress or status other than the approved ones (or none
    approved yet). Empty for the public, who sees only the approved figures."""
    require(viewer, Action.READ_PUBLISHED)
    if shows_published(viewer):
        return {}
    approved = approved_milestone.c
    differs = or_(
        approved.milestone_id.is_(None),
        approved.progress != milestone.c.progress,
        approved.status != milestone.c.status,
    )
    query = (
        select(action_plan.c.state_code, func.count(milestone.c.id))
        .select_from(
            milestone.join(commitment, commitment.c.id == milestone.c.commitment_id)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .outerjoin(approved_milestone, approved.milestone_id == milestone.c.id)
        )
        .where(live_commitment(), milestone.c.archived_at.is_(None), differs)
        .group_by(action_plan.c.state_code)
    )
    with store.read() as connection:
        return {code: int(count) for code, count in connection.execute(query)}
