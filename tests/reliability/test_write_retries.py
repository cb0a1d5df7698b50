"""DuckDB write-write conflicts: ``Store.write`` retries them a bounded number of times, then reports them.

DuckDB fails a transaction that updates a row another open transaction has updated ("Conflict on update"). A real
conflict is made deterministic here by holding such a transaction open; a simulated one by a work function that
raises DuckDB's error. Either way the retry count must be exactly the ``write_retries`` setting, the last failure must
surface as ``WriteConflict`` carrying the original error, and nothing of a failed attempt may remain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from accompaniment import i18n, settings
from accompaniment.domain.errors import ValidationError
from accompaniment.store.database import Store, WriteConflict
from accompaniment.store.schema import audit_entry, milestone
from tests.conftest import FIXED_NOW
from tests.reliability.conftest import seed_plan


def read_milestone(store: Store, milestone_id: int) -> dict[str, Any]:
    with store.read() as connection:
        return dict(
            connection.execute(select(milestone).where(milestone.c.id == milestone_id)).mappings().one()
        )


class RowHolder:
    """A second transaction that has updated the milestone and not committed: DuckDB makes any other transaction
    that updates the same row fail with "Conflict on update" until this one ends."""

    def __init__(self, store: Store, milestone_id: int) -> None:
        self.connection = store.engine.connect()
        self.transaction = self.connection.begin()
        self.connection.execute(
            update(milestone).where(milestone.c.id == milestone_id).values(evidence_note="held elsewhere")
        )

    def release(self) -> None:
        if self.transaction.is_active:
            self.transaction.rollback()
        self.connection.close()


def _update_work(
    milestone_id: int, attempts: list[int], before_update: Callable[[int], None] = lambda n: None
):
    def work(connection):  # noqa: ANN001, ANN202
        attempts.append(len(attempts) + 1)
        before_update(len(attempts))
        connection.execute(update(milestone).where(milestone.c.id == milestone_id).values(progress=42.0))
        connection.execute(
            audit_entry.insert().values(
                recorded_at=FIXED_NOW,
                actor="prueba",
                actor_role="specialist",
                action="update",
                entity="milestone",
            )
        )
        return "stored"

    return work


def _audit_count(store: Store) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(audit_entry)).scalar_one()


@pytest.fixture
def held_milestone(duckdb_store: Store):  # noqa: ANN201
    target = seed_one_milestone(duckdb_store)
    holder = RowHolder(duckdb_store, target)
    yield target, holder
    holder.release()


def seed_one_milestone(store: Store) -> int:
    return seed_plan(store, milestones=1).milestone_ids[0]


def test_a_persistent_duckdb_conflict_is_retried_write_retries_times_then_reported(
    duckdb_store: Store, held_milestone: tuple[int, RowHolder]
) -> None:
    target, _ = held_milestone
    audit_before = _audit_count(duckdb_store)
    attempts: list[int] = []

    with pytest.raises(WriteConflict) as raised:
        duckdb_store.write(_update_work(target, attempts))

    assert len(attempts) == duckdb_store.retries == settings.get("write_retries")
    assert isinstance(raised.value.__cause__, OperationalError), "the DuckDB error must stay attached"
    assert "Conflict on update" in str(raised.value.__cause__)
    assert raised.value.message("es") == i18n.t("errors.write_conflict", "es")
    assert _audit_count(duckdb_store) == audit_before, "a failed attempt left a row behind"
    assert read_milestone(duckdb_store, target)["progress"] == 0


def test_the_retry_bound_is_the_write_retries_setting(
    duckdb_store: Store, held_milestone: tuple[int, RowHolder], monkeypatch: pytest.MonkeyPatch
) -> None:
    target, _ = held_milestone
    monkeypatch.setenv("ACCOMPANIMENT_WRITE_RETRIES", "3")
    store = Store(duckdb_store.engine, clock=duckdb_store.clock)
    attempts: list[int] = []
    with pytest.raises(WriteConflict):
        store.write(_update_work(target, attempts))
    assert attempts == [1, 2, 3]


def test_a_duckdb_conflict_that_clears_is_retried_and_the_write_succeeds_once(
    duckdb_store: Store, held_milestone: tuple[int, RowHolder]
) -> None:
    target, holder = held_milestone
    audit_before = _audit_count(duckdb_store)
    attempts: list[int] = []

    def release_on_third(attempt: int) -> None:
        if attempt == 3:
            holder.release()

    assert duckdb_store.write(_update_work(target, attempts, release_on_third)) == "stored"
    assert attempts == [1, 2, 3]
    assert _audit_count(duckdb_store) == audit_before + 1
    assert read_milestone(duckdb_store, target)["progress"] == 42.0


def _raising(exc: BaseException, attempts: list[int], times: int | None = None):
    def work(connection):  # noqa: ANN001, ANN202
        attempts.append(len(attempts) + 1)
        if times is None or len(attempts) <= times:
            raise exc
        return "stored"

    return work


def _duckdb_conflict() -> OperationalError:
    import duckdb

    return OperationalError(
        "UPDATE milestone SET progress=?",
        (1,),
        duckdb.TransactionException("TransactionContext Error: Conflict on update!"),
    )


def test_a_work_function_that_always_conflicts_ends_in_write_conflict_after_exactly_write_retries(
    duckdb_store: Store,
) -> None:
    attempts: list[int] = []
    with pytest.raises(WriteConflict):
        duckdb_store.write(_raising(_duckdb_conflict(), attempts))
    assert len(attempts) == int(settings.get("write_retries")) == duckdb_store.retries


def test_a_work_function_that_conflicts_twice_then_succeeds_returns_its_result(duckdb_store: Store) -> None:
    attempts: list[int] = []
    assert duckdb_store.write(_raising(_duckdb_conflict(), attempts, times=2)) == "stored"
    assert attempts == [1, 2, 3]


def test_other_database_errors_are_neither_retried_nor_swallowed(duckdb_store: Store) -> None:
    attempts: list[int] = []
    failure = OperationalError("INSERT", {}, OSError("IO Error: No space left on device"))
    with pytest.raises(OperationalError):
        duckdb_store.write(_raising(failure, attempts))
    assert attempts == [1]


def test_a_rejected_input_inside_a_write_is_not_retried(duckdb_store: Store) -> None:
    attempts: list[int] = []
    with pytest.raises(ValidationError):
        duckdb_store.write(_raising(ValidationError.single("form", "constraint"), attempts))
    assert attempts == [1]
