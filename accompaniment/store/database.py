"""The one object pages, the CLI and tests hold: an engine plus the rules every write follows.

Every write runs in one transaction (``Store.write``) that is retried a bounded number of times when DuckDB reports a
write-write conflict, and records an audit entry in that same transaction. Edits use optimistic concurrency: an
``UPDATE … WHERE id = :id AND version = :v`` that touches no row means someone else saved first.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, select, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from accompaniment import settings
from accompaniment.access import Actor
from accompaniment.domain.errors import ConflictError, NotFound, StoreUnavailable, ValidationError
from accompaniment.store import data_version, migrations, reference
from accompaniment.store.engine import checkpoint, is_duckdb, make_engine
from accompaniment.store.schema import audit_entry

T = TypeVar("T")

_CONFLICT_MARKERS = (
    "Conflict on",
    "conflict",
    "could not serialize",
    "deadlock detected",
    "TransactionContext Error",
)


def utcnow() -> datetime:
    """Naive UTC timestamp: both backends store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


def _is_write_conflict(exc: BaseException) -> bool:
    if isinstance(exc, IntegrityError):
        return False
    return isinstance(exc, (OperationalError, DBAPIError)) and any(m in str(exc) for m in _CONFLICT_MARKERS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_json(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: _jsonable(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


class WriteConflict(StoreUnavailable):
    """DuckDB kept reporting a write-write conflict after every retry."""

    key = "errors.write_conflict"


class _Depth(threading.local):
    value = 0


class Store:
    """Access to one database. Build it with ``open_store``; share one per process."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self.retries = int(settings.get("write_retries"))
        # DuckDB: writes from this process take turns. A DuckDB file has one writing process, and its optimistic
        # concurrency fails the later of two transactions touching the same rows ("Conflict on update"); sixteen
        # threads editing one session from one version exhausted the retries, so losers got WriteConflict instead
        # of seeing the moved version (ConflictError). Re-entrant, for a write started inside another's work.
        self._duckdb_turns = threading.RLock() if is_duckdb(engine) else None
        self._depth = _Depth()  # this thread's writes under way (nested writes, see ``write``)
        self._has_data_version = False
        self._joined = threading.local()  # the transaction of ``write_together`` running in this thread

    @property
    def is_duckdb(self) -> bool:
        return is_duckdb(self.engine)

    def today(self) -> date:
        return self.clock().date()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def write(self, work: Callable[[Connection], T], bookkeeping: bool = False) -> T:
        """Run ``work`` in one transaction; retry on write-write conflicts, then report them. Inside
        ``write_together`` it runs in that transaction instead.

        The transaction also moves the data version (store/data_version.py) as its last statement, so every
        process's cached reads see the write at their next page run. ``bookkeeping`` writes (sign-in sessions and
        counters, which no cached read shows) leave it alone, so a click does not empty every cache. On DuckDB a
        write started inside another's work (not joined to it) leaves the bump to the outer write: both moving the
        one row would be a write-write conflict there."""
        joined = getattr(self._joined, "connection", None)
        if joined is not None:
            return work(joined)
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._duckdb_turns or nullcontext(), self.engine.begin() as connection:
                    outermost = self._depth.value == 0
                    self._depth.value += 1
                    try:
                        result = work(connection)
                    finally:
                        self._depth.value -= 1
                    if not bookkeeping and (outermost or not self.is_duckdb) and self._versioned(connection):
                        data_version.bump(connection)
                    return result
            except IntegrityError as exc:
                raise _integrity_problem(exc) from None
            except DataError:
                # A value the column type cannot hold (PostgreSQL: an id beyond INTEGER): bad input, not a crash.
                raise ValidationError.single("form", "constraint") from None
            except (OperationalError, DBAPIError) as exc:
                if _is_write_conflict(exc) and attempt < self.retries:
                    time.sleep(0.01 * attempt)
                    continue
                if _is_write_conflict(exc):
                    raise WriteConflict() from exc
                raise

    def _versioned(self, connection: Connection) -> bool:
        """Whether the database has the data version yet (a Store on a database before migration 0008 has none:
        the upgrade tests write through one). Asked until the answer is yes, then remembered."""
        if not self._has_data_version:
            self._has_data_version = data_version.present(connection)
        return self._has_data_version

    def write_together(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one transaction that every ``write`` it makes joins: a batch of edits made with the
        forms' own store functions (an import's updates) is stored whole or not at all."""

        def joined(connection: Connection) -> T:
            self._joined.connection = connection
            try:
                return work(connection)
            finally:
                self._joined.connection = None

        return self.write(joined)

    def audit(
        self,
        connection: Connection,
        actor: Actor,
        action: str,
        entity: str,
        entity_id: int | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        state_code: str | None = None,
    ) -> None:
        connection.execute(
            audit_entry.insert().values(
                recorded_at=self.clock(),
                actor=actor.username,
                actor_role=actor.role.value,
                action=action,
                entity=entity,
                entity_id=entity_id,
                state_code=state_code,
                before=to_json(before),
                after=to_json(after),
            )
        )

    def stamp(self, values: dict[str, Any], new: bool = False) -> dict[str, Any]:
        now = self.clock()
        stamped = dict(values, updated_at=now)
        if new:
            stamped["created_at"] = now
        return stamped

    def checkpoint(self) -> None:
        checkpoint(self.engine)

    def close(self) -> None:
        """Checkpoint (DuckDB) and release connections: the clean-shutdown routine."""
        try:
            self.checkpoint()
        except Exception:  # noqa: BLE001 - closing must not fail because the file is already gone
            pass
        self.engine.dispose()


def fetch_row(connection: Connection, table: Table, row_id: int) -> dict[str, Any]:
    row = connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise NotFound(entity=table.name, id=row_id)
    return dict(row)


def _differs(stored: Any, new: Any) -> bool:
    try:
        return bool(stored != new)
    except (TypeError, ValueError):  # values that do not compare plainly are written as given
        return True


def update_versioned(
    store: Store, connection: Connection, table: Table, row_id: int, version: int, values: dict[str, Any]
) -> dict[str, Any]:
    """Apply ``values`` if the row is still at ``version``; else raise ``ConflictError`` with the stored values.

    Only the columns whose value changes are written: DuckDB performs an UPDATE of an indexed column (foreign keys
    are indexed) as a delete and an insert, which its foreign-key check refuses while other rows reference this one,
    even when the value stays the same (editing a session that has agreements failed with "unknown reference").
    A real change of such a column on a referenced row still fails there (tests/store/test_activity.py, xfail).
    """
    current = fetch_row(connection, table, row_id)  # raises NotFound if it is gone
    stamped = store.stamp(
        {name: value for name, value in values.items() if _differs(current.get(name), value)}
    )
    result = connection.execute(
        update(table)
        .where(table.c.id == row_id, table.c.version == version)
        .values(**stamped, version=table.c.version + 1)
    )
    if result.rowcount != 1:
        current = fetch_row(connection, table, row_id)  # raises NotFound if it is gone
        raise ConflictError(current=current)
    return fetch_row(connection, table, row_id)


# Migration 0006's unique indexes (PostgreSQL names them in its message) and the field each one guards.
_NATURAL_KEY_FIELDS = {
    "uq_agreement_session_position": "position",
    "uq_commitment_plan_number": "number",
    "uq_milestone_commitment_number": "number",
}


def _integrity_problem(exc: IntegrityError) -> ValidationError:
    """A constraint the input models did not catch (a duplicate key, an unknown reference)."""
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = detail.lower()
    if "foreign key" in lowered:
        return ValidationError.single("form", "unknown_reference")
    for index, field_name in _NATURAL_KEY_FIELDS.items():
        if index in lowered:
            return ValidationError.single(field_name, "duplicate")
    if "unique" in lowered or "duplicate key" in lowered or "primary key" in lowered:
        return ValidationError.single("form", "duplicate")
    return ValidationError.single("form", "constraint")


def open_store(url: str | None = None, upgrade: bool = True, clock: Callable[[], datetime] = utcnow) -> Store:
    """Open (creating if needed) the database at ``url``, bring its schema up to date and load reference data."""
    url = url or settings.get("database_url")
    engine = make_engine(url)
    store = Store(engine, clock=clock)
    if upgrade:
        with migrations.one_at_a_time(engine):  # N processes starting together: one migrates, the others wait
            migrations.upgrade(engine)
            reference.load_reference_data(store)
    return store
