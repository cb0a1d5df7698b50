"""Small reads the period-report screens need beside store/reporting.py (issue 12): where a report sits (its period
and state), so a reviewer who picks a report from the waiting list can open it with ``reporting.get_report``, which
checks who may read it.
"""

from __future__ import annotations

from sqlalchemy import select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.errors import NotFound
from accompaniment.store.database import Store
from accompaniment.store.schema import state_report


def report_location(store: Store, viewer: Actor, report_id: int) -> tuple[int, str]:
    """(period_id, state_code) of the report ``report_id``; ``NotFound`` when there is none. Only keys: what the
    report says is read through ``reporting.get_report``, with its own permission check."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        row = connection.execute(
            select(state_report.c.period_id, state_report.c.state_code).where(
                state_report.c.id == int(report_id)
            )
        ).first()
    if row is None:
        raise NotFound(entity="state_report", id=report_id)
    return int(row.period_id), str(row.state_code)
