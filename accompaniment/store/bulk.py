"""Fast loading of many rows (the demo set at benchmark scale, imports).

Ids are reserved from each table's sequence in one statement, so parent and child rows can be built in Python
with their keys before loading. On DuckDB rows go in through a registered DataFrame (one INSERT … SELECT), since
row-by-row executemany is slow there; on PostgreSQL through COPY (psycopg's ``copy.write_row``), which loads the
benchmark's scale-100 set in seconds where batched INSERTs took minutes; other backends use SQLAlchemy's batched
executemany.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Table, insert, text
from sqlalchemy.exc import DBAPIError

_CHUNK = 50_000


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """``count`` fresh ids from ``table``'s sequence (consecutive values are not guaranteed)."""
    if count <= 0:
        return []
    sequence = f"{table.name}_id_seq"
    if connection.dialect.name == "duckdb":
        statement = text(f"SELECT nextval('{sequence}') FROM range(:n)")  # noqa: S608 - name from our schema
    else:
        statement = text(f"SELECT nextval('{sequence}') FROM generate_series(1, :n)")  # noqa: S608
    return [int(v) for v in connection.execute(statement, {"n": count}).scalars()]


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` within the caller's transaction."""
    if not rows:
        return
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_rows(connection, table, rows)
        return
    if connection.dialect.name != "duckdb":
        for start in range(0, len(rows), _CHUNK):
            connection.execute(insert(table), rows[start : start + _CHUNK])
        return
    columns = list(rows[0].keys())
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for name in columns:
        column_type = table.c[name].type.python_type if hasattr(table.c[name].type, "python_type") else None
        if column_type is bool:
            frame[name] = frame[name].astype("boolean")
    raw = connection.connection.driver_connection
    view = f"bulk_{table.name}"
    raw.register(view, frame)
    quoted = ", ".join(f'"{c}"' for c in columns)
    try:
        connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) SELECT {quoted} FROM {view}')  # noqa: S608
    except Exception:
        # The failed INSERT aborted DuckDB's transaction, so unregistering now fails too ("Current transaction is
        # aborted"); that second error must not replace the constraint error Store.write turns into a
        # ValidationError. A view left registered is replaced by the next register() of the same name.
        with contextlib.suppress(Exception):
            raw.unregister(view)
        raise
    raw.unregister(view)


def _copy_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """COPY ``rows`` into ``table`` on the caller's psycopg connection (so within its transaction)."""
    import psycopg
    from psycopg import sql

    columns = list(rows[0].keys())
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    raw = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    except psycopg.Error as exc:
        # The same SQLAlchemy error an INSERT would raise (IntegrityError, DataError…), for Store.write to judge.
        text_of = statement.as_string(raw)
        raise DBAPIError.instance(text_of, None, exc, psycopg.Error, dialect=connection.dialect) from exc
