"""The data version: one counter that every write moves in its own transaction, read once per page run.

Cached reads (``accompaniment/ui/cached.py``) are keyed by it. A write committed by any process, through any path
(page, CLI, import, restore, migration), moves it; the next page run of every process reads the new value, misses
its cache and reads the new figures. Exact, not eventual: the counter commits with the data it announces, and a
page reads the counter before the data, so an entry cached under a value never predates that value's writes.

Cheap: one ``UPDATE … SET version = version + 1`` per write, the last statement before the commit (``Store.write``),
so on PostgreSQL concurrent writers hold the row's lock only for their commit (benchmarks/results.md, "Several
processes under load", measures it); one primary-key ``SELECT`` per page run.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, inspect, select, update

from accompaniment.store.schema import data_version

ROW = "data"


def bump(connection: Connection) -> None:
    """Move the version on, inside the caller's transaction."""
    moved = connection.execute(
        update(data_version).where(data_version.c.name == ROW).values(version=data_version.c.version + 1)
    )
    if moved.rowcount == 0:  # migration 0008 seeds the row: this is for one removed by hand
        connection.execute(insert(data_version).values(name=ROW, version=1))


def present(connection: Connection) -> bool:
    """Whether the database has the table (it predates migration 0008 otherwise)."""
    return inspect(connection).has_table(data_version.name)


def bump_if_present(connection: Connection) -> None:
    """``bump`` on a database that may predate migration 0008 (an upgrade to an older revision)."""
    if present(connection):
        bump(connection)


def read(connection: Connection) -> int:
    value = connection.execute(select(data_version.c.version).where(data_version.c.name == ROW)).scalar()
    return int(value or 0)


def current(store) -> int:  # noqa: ANN001 - a Store; not imported, store.database imports this module
    """The version now: what a page run keys its cached reads by."""
    with store.read() as connection:
        return read(connection)
