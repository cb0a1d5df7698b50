"""The overview's reads do their work in the database (issue 18): what the page folds or counts is grouped by
the SQL, so the rows that cross the driver stay few however busy the record is. On both backends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, insert

from accompaniment.store import dashboard
from accompaniment.store.database import Store
from accompaniment.store.schema import dialogue_session, workshop
from tests.conftest import ACTORS, FIXED_NOW

STAMP = {"created_at": FIXED_NOW, "updated_at": FIXED_NOW}


def _sent(store: Store, read: Any) -> list[tuple[str, Any]]:
    """The statements ``read()`` sends, with their parameters."""
    sent: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        read()
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return sent


def test_activity_by_month_is_grouped_by_month_in_the_database(store: Store) -> None:
    """Twenty sessions and twenty workshops on twenty days of one month come back from the database as one
    row per kind, not one per day folded in Python."""
    first = FIXED_NOW.date().replace(day=1) - timedelta(days=40)
    first = first.replace(day=1)
    with store.engine.begin() as connection:
        for day in range(20):
            held = first + timedelta(days=day)
            connection.execute(insert(dialogue_session).values(state_code="20", held_on=held, session_type="plenary",
                                                               modality="in_person", participant_total=3, **STAMP))  # fmt: skip
            connection.execute(insert(workshop).values(state_code="08", held_on=held, title="Taller", modality="online",
                                                       hours=2.0, participant_total=5, **STAMP))  # fmt: skip

    def read() -> Any:
        return dashboard.activity_by_month(store, ACTORS["public"], months=3)

    found = read()
    month = found[found["month"] == first].set_index("kind")
    assert month.loc["session", "activities"] == 20 and month.loc["session", "participants"] == 60
    assert month.loc["workshop", "activities"] == 20 and month.loc["workshop", "participants"] == 100
    assert len(found) == 6 and all(isinstance(value, date) for value in found["month"])

    ((statement, parameters),) = [s for s in _sent(store, read) if "GROUP BY" in s[0].upper()]
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(statement, parameters).fetchall()
    assert len(rows) == 2
