"""Each SQL twin in store/rule_sql.py answers exactly as its domain rule, for every status and due date, on both
backends (the database evaluates the expression over a VALUES list; no table is written)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

from sqlalchemy import Date, String, column, select, values

from accompaniment.domain import rules
from accompaniment.domain.enums import AgreementStatus, MilestoneStatus
from accompaniment.store import rule_sql

TODAY = date(2026, 11, 26)
DUE_DATES = [None, TODAY - timedelta(days=400), TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)]


def _evaluate(store, statuses, expression_of):  # noqa: ANN001, ANN202
    cases = list(product(range(len(DUE_DATES)), statuses))
    rows = values(
        column("case_id", String), column("due_date", Date), column("status", String), name="cases"
    ).data([(f"{due}:{status.value}", DUE_DATES[due], status.value) for due, status in cases])
    query = select(rows.c.case_id, expression_of(rows)).select_from(rows)
    with store.read() as connection:
        return {case_id: bool(answer) for case_id, answer in connection.execute(query)}


def test_the_sql_milestone_overdue_answers_as_the_domain_rule(store) -> None:  # noqa: ANN001
    answers = _evaluate(store, list(MilestoneStatus), lambda rows: rule_sql.milestone_overdue(TODAY, rows))
    expected = {
        f"{due}:{status.value}": rules.milestone_overdue(DUE_DATES[due], status, TODAY)
        for due, status in product(range(len(DUE_DATES)), MilestoneStatus)
    }
    assert answers == expected
    assert any(expected.values()) and not all(expected.values())


def test_the_sql_agreement_overdue_answers_as_the_domain_rule(store) -> None:  # noqa: ANN001
    answers = _evaluate(store, list(AgreementStatus), lambda rows: rule_sql.agreement_overdue(TODAY, rows))
    expected = {
        f"{due}:{status.value}": rules.agreement_overdue(DUE_DATES[due], status, TODAY)
        for due, status in product(range(len(DUE_DATES)), AgreementStatus)
    }
    assert answers == expected
    assert any(expected.values()) and not all(expected.values())
