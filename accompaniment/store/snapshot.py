"""Every table's rows out (for a backup) and back in (for a restore), on DuckDB and PostgreSQL alike.

A dump reads all tables in one transaction, so the backup is a consistent snapshot (repeatable read on
PostgreSQL); DuckDB is checkpointed first. Values travel as JSON: dates and timestamps as ISO text, decoded back by
each column's type. A restore replaces every row of every table and then moves each key sequence past the largest
restored id, so new records never collide with restored ones.

Signed-in sessions are never backed up (a backup holds no one's way in) and a restore clears them; it also moves
every account's security stamp past any stamp in use before the restore, so no session begun before it can be
taken for one of the restored accounts, even where a restored account has the id and username of the old one.

A restore is all or nothing. PostgreSQL clears and loads in one transaction (with ``accompaniment.restoring`` set
for that transaction, which the audit log's guard trigger asks for). DuckDB cannot delete a parent row and the rows
that reference it in one transaction (its foreign keys are checked eagerly), so on DuckDB the old rows are cleared
table by table, children first, and the backup is then loaded in one transaction; if that load fails, the rows
``fallback`` gives (the pre-restore backup ``io.backup`` writes first) are loaded back before the error is raised.
A row the database refuses becomes a ``ValidationError`` naming ``<table>.<column>``, never a driver exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from accompaniment.access import Action, Actor, require
from accompaniment.domain.errors import ValidationError
from accompaniment.store import bulk, data_version
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    agreement,
    app_user,
    dialogue_session,
    fellow,
    import_row,
    metadata,
    milestone,
    milestone_update,
    sign_in_session,
    workshop,
)
from accompaniment.store.schema import data_version as data_version_table

# Parents before children. The data version (store/data_version.py) is no part of the record: a backup leaves it
# out and a restore moves it on rather than back, so no process keeps serving what it cached before the restore.
TABLES: tuple[Table, ...] = tuple(t for t in metadata.sorted_tables if t.name != data_version_table.name)
# Tables only people fill; the reference data and the STLs' starting record are loaded on every first open.
USER_DATA_TABLES = (
    dialogue_session,
    workshop,
    agreement,
    milestone,
    milestone_update,
    fellow,
    app_user,
    import_row,
)
# Tables whose rows a backup leaves out: who is signed in is not part of the record.
NOT_BACKED_UP = frozenset({sign_in_session.name})
_CHUNK = 20_000


def encode(value: Any) -> Any:
    """A column value as JSON."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A JSON row back into ``table``'s Python types (only the columns the table has)."""
    decoded = {}
    for name, value in row.items():
        column = table.c[name]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        decoded[name] = value
    return decoded


def _key(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or list(table.c)


def dump(store: Store, actor: Actor, sink: Callable[[Table, Iterator[dict[str, Any]]], None]) -> None:
    """Hand each table (parents first) and an iterator over its rows, as JSON values, to ``sink``."""
    require(actor, Action.BACKUP)
    store.checkpoint()
    with store.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            for table in TABLES:
                if table.name in NOT_BACKED_UP:
                    sink(table, iter(()))
                    continue
                result = connection.execution_options(yield_per=_CHUNK).execute(
                    select(table).order_by(*_key(table))
                )
                sink(table, ({k: encode(v) for k, v in row.items()} for row in result.mappings()))


def holds_user_data(store: Store, actor: Actor) -> bool:
    """Whether anything beyond the automatic reference data and starting record is stored."""
    require(actor, Action.BACKUP)
    with store.read() as connection:
        return any(
            connection.execute(select(func.count()).select_from(select(t).limit(1).subquery())).scalar_one()
            for t in USER_DATA_TABLES
        )


def row_counts(store: Store, actor: Actor) -> dict[str, int]:
    require(actor, Action.BACKUP)
    with store.read() as connection:
        return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES}


def _advance_sequence(connection: Connection, table: Table) -> None:
    if "id" not in table.c or table.c.id.server_default is None:
        return
    sequence = f"{table.name}_id_seq"
    highest = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT setval(CAST(:seq AS regclass), :value, :called)"),
            {"seq": sequence, "value": max(highest, 1), "called": highest > 0},
        )
        return
    # DuckDB has no setval: draw values until the sequence has passed the largest id.
    following = connection.execute(text(f"SELECT nextval('{sequence}')")).scalar_one()  # noqa: S608 - our name
    if following <= highest:
        connection.execute(
            text(f"SELECT max(nextval('{sequence}')) FROM range(:n)"),  # noqa: S608
            {"n": highest - following + 1},
        )


def _refused(table: Table, exc: Exception) -> ValidationError:
    """A row of ``table`` the database (or its type) refused, as a ValidationError naming the table and column."""
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    named = [c.name for c in table.c if re.search(rf"(?<![a-z0-9]){re.escape(c.name)}(?![a-z0-9])", detail)]
    column = max(named, key=len) if named else ""
    field = f"{table.name}.{column}" if column else table.name
    return ValidationError.single(field, "restore_refused", table=table.name, column=column or "?")


def replace_all(
    store: Store,
    actor: Actor,
    rows_of: Callable[[Table], Iterable[list[dict[str, Any]]]],
    record: Callable[[Connection], None] | None = None,
    fallback: Callable[[Table], Iterable[list[dict[str, Any]]]] | None = None,
) -> dict[str, int]:
    """Replace every table's rows with ``rows_of(table)`` (chunks of JSON rows), then run ``record`` (an audit
    entry) in the same transaction as the load. Returns the rows loaded per table.

    All or nothing: a refused row raises ``ValidationError`` and leaves the old rows (on DuckDB, reloaded from
    ``fallback``, which must then give the rows held before the call)."""
    require(actor, Action.BACKUP)
    postgres = store.engine.dialect.name == "postgresql"
    with store.read() as connection:
        highest_stamp = connection.execute(
            select(func.coalesce(func.max(app_user.c.security_stamp), 0))
        ).scalar_one()

    def clear(connection: Connection, tables: Iterable[Table]) -> None:
        for table in tables:
            connection.execute(delete(table))
        data_version.bump(connection)

    if not postgres:
        for table in reversed(TABLES):
            with store.engine.begin() as connection:
                clear(connection, [table])

    def load(
        connection: Connection, source: Callable[[Table], Iterable[list[dict[str, Any]]]]
    ) -> dict[str, int]:
        if postgres:
            connection.execute(text("SELECT set_config('accompaniment.restoring', 'on', true)"))
            clear(connection, reversed(TABLES))
        counts = {}
        for table in TABLES:
            counts[table.name] = 0
            for chunk in source(table):
                try:
                    rows = [decode(table, row) for row in chunk]
                    bulk.insert_rows(connection, table, rows)
                except (DBAPIError, ValueError, TypeError, KeyError) as exc:
                    raise _refused(table, exc) from None
                counts[table.name] += len(rows)
        for table in TABLES:
            _advance_sequence(connection, table)
        connection.execute(
            update(app_user).values(security_stamp=app_user.c.security_stamp + highest_stamp + 1)
        )
        if record is not None and source is rows_of:
            record(connection)
        data_version.bump(connection)
        return counts

    try:
        with store.engine.begin() as connection:
            return load(connection, rows_of)
    except ValidationError:
        if not postgres and fallback is not None:
            with store.engine.begin() as connection:
                load(connection, fallback)
        raise
