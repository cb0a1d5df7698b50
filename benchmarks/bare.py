"""The floor of ratios b and c: the overview's own SQL on the database's bare Python connection.

Ratio b asks what the store's layer (SQLAlchemy Core, the typed DataFrames, the stall rule in Python) costs on top
of the SQL it sends. So the other side of the ratio is not SQL written by hand but the very statements the store
sent, captured from one call of ``dashboard.national_overview`` with SQLAlchemy's ``before_cursor_execute`` event
(text and bound parameters, as the driver received them), then run again on the driver's own connection: DuckDB's
Python API (``duckdb.DuckDBPyConnection.execute(...).fetchall()``) or psycopg's (``Connection.execute(...)
.fetchall()``), with no SQLAlchemy, no DataFrame and no Python rule. Anything the store does besides asking the
database shows in the ratio.

Ratio c's naive pandas side reads whole tables the fastest way each driver offers: DuckDB's own DataFrame read
(``.df()``, columnar, no Python row objects) and, on PostgreSQL, psycopg's ``fetchall`` into ``pd.DataFrame``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import event

from accompaniment.access import Actor
from accompaniment.store import dashboard
from accompaniment.store.database import Store

Statement = tuple[str, Any]


def captured_statements(
    store: Store, actor: Actor, today: date, list_limit: int, months: int
) -> list[Statement]:
    """The statements (driver text and parameters) one ``national_overview`` call sends, in order."""
    sent: list[Statement] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, PLR0913
        sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        dashboard.national_overview(store, actor, today=today, list_limit=list_limit, months=months)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return sent


def _driver(connection: Any) -> Any:
    """The driver's own connection under SQLAlchemy's pool (duckdb-engine wraps DuckDB's in a ConnectionWrapper)."""
    driver = connection.driver_connection
    return getattr(driver, "_ConnectionWrapper__c", driver)


@contextmanager
def bare_connection(store: Store) -> Iterator[Any]:
    """The driver's connection of one pooled connection of ``store`` (a DuckDB file has one opener per process,
    so the floor borrows the store's; it is returned to the pool afterwards)."""
    pooled = store.engine.raw_connection()
    try:
        yield _driver(pooled)
    finally:
        pooled.close()  # the pool's reset on return ends the driver's transaction, as for any checkout


def run_statements(driver: Any, statements: list[Statement]) -> list[list[tuple]]:
    """Every statement on the bare connection, each fetched whole as tuples."""
    return [driver.execute(sql, parameters).fetchall() for sql, parameters in statements]


def table_reader(driver: Any) -> Callable[[str], pd.DataFrame]:
    """``read(table_name)``: the whole table as a DataFrame, by the driver's fastest path."""
    if hasattr(driver, "df") or type(driver).__module__.startswith("duckdb"):
        return lambda name: driver.execute(f'SELECT * FROM "{name}"').df()  # noqa: S608 - table names from schema

    def read(name: str) -> pd.DataFrame:
        cursor = driver.execute(f'SELECT * FROM "{name}"')  # noqa: S608 - table names from the schema
        return pd.DataFrame(cursor.fetchall(), columns=[column.name for column in cursor.description])

    return read
