"""The SQL twins of the date-and-status rules in ``domain.rules``, one function per rule and named after it.

Pages read thousands of milestones and agreements, so these rules run in the database, not in Python. Each
expression here mirrors one domain function exactly (tests/store/test_rule_sql.py evaluates both over every status
and due date on DuckDB and PostgreSQL); every query that asks "is it open?" or "is it overdue?" uses these, so the
rule changes in one place. Archived rows are the callers' concern: they filter them out before applying a rule.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, FromClause, and_

from accompaniment.domain.enums import AgreementStatus, MilestoneStatus
from accompaniment.store.schema import agreement, milestone

OPEN_AGREEMENT_STATUSES = (AgreementStatus.PENDING.value, AgreementStatus.IN_PROGRESS.value)
CLOSED_MILESTONE_STATUSES = (MilestoneStatus.COMPLETE.value, MilestoneStatus.CANCELLED.value)


def milestone_open(source: FromClause = milestone) -> ColumnElement[bool]:
    """Neither complete nor cancelled: the milestone still has work due."""
    return source.c.status.not_in(CLOSED_MILESTONE_STATUSES)


def milestone_overdue(today: date, source: FromClause = milestone) -> ColumnElement[bool]:
    """``domain.rules.milestone_overdue``: due strictly before today and still open. Due today is not overdue."""
    return and_(source.c.due_date < today, milestone_open(source))


def agreement_open(source: FromClause = agreement) -> ColumnElement[bool]:
    """Pending or in progress: neither done nor cancelled."""
    return source.c.status.in_(OPEN_AGREEMENT_STATUSES)


def agreement_overdue(today: date, source: FromClause = agreement) -> ColumnElement[bool]:
    """``domain.rules.agreement_overdue``: due strictly before today and still open."""
    return and_(source.c.due_date < today, agreement_open(source))
