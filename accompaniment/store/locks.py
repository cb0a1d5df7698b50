"""Work that one process at a time may do on a database shared by several (PostgreSQL advisory locks).

A session-level advisory lock, named by a word and the schema the connection works in (so databases in different
schemas of one server, as in the tests, do not wait for each other); released when the block ends, or by the
server when the process dies. DuckDB needs none: its file is locked to one process, so the block always runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

_LOCK = "SELECT pg_advisory_lock(hashtext(:name), hashtext(current_schema()))"
_TRY = "SELECT pg_try_advisory_lock(hashtext(:name), hashtext(current_schema()))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtext(:name), hashtext(current_schema()))"


@contextmanager
def one_process(engine: Engine, name: str, wait: bool = True) -> Iterator[bool]:
    """Hold the lock ``name`` for the block; yields whether this process holds it. With ``wait`` it waits for
    another holder to finish (and yields True); without, it yields False at once when another process holds it."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        got = connection.execute(text(_LOCK if wait else _TRY), {"name": name}).scalar()
        held = True if wait else bool(got)  # pg_advisory_lock returns nothing once it has the lock
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(text(_UNLOCK), {"name": name})
                connection.commit()
