"""One engine per process, opened with the right options for each backend.

DuckDB locks its file to one process; opening it from a second process fails with an IO error that reads like a
crash. We turn that, and a damaged write-ahead log, into a ``StoreUnavailable`` with advice a person can act on.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import QueuePool

from accompaniment.domain.errors import StoreUnavailable


def is_duckdb(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "duckdb"


def duckdb_path(url: str) -> Path | None:
    """The file behind a DuckDB URL, or None for memory databases and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "duckdb" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


_LOCK_PATTERN = re.compile(r"(Could not set lock|Conflicting lock|lock on file)", re.IGNORECASE)
_WAL_PATTERN = re.compile(r"(WAL|write-ahead log|replay)", re.IGNORECASE)


def explain_open_failure(exc: BaseException, url: str) -> StoreUnavailable:
    """Translate a raw open failure into a message that says what to do."""
    detail = str(exc)
    path = duckdb_path(url)
    if path is not None and _LOCK_PATTERN.search(detail):
        return StoreUnavailable("errors.store_locked", path=str(path))
    if path is not None and _WAL_PATTERN.search(detail):
        return StoreUnavailable("errors.store_wal_damaged", path=str(path))
    return StoreUnavailable("errors.store_unavailable", detail=detail.splitlines()[0][:200] if detail else "")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` that has been opened once, so lock and damage errors surface here, not mid-page."""
    if is_duckdb(url):
        path = duckdb_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, poolclass=QueuePool, pool_size=8, max_overflow=16)
        # duckdb-engine opts out of SQLAlchemy's compiled-statement cache (never validated, not a known problem):
        # its compiler is PostgreSQL's plus type names, which renders no value into the SQL text, so caching is
        # safe, and without it every dashboard read spent about as long compiling its SQL as DuckDB spent running
        # it (benchmarks/results.md, ratio b). The whole store suite runs with it on.
        engine.dialect._supports_statement_cache = True
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=16)
        if engine.dialect.name == "postgresql":

            @event.listens_for(engine, "connect")
            def _utc(dbapi_connection, _record) -> None:  # noqa: ANN001
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SET TIME ZONE 'UTC'")
                dbapi_connection.commit()

    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError, OSError) as exc:
        engine.dispose()
        raise explain_open_failure(exc, url) from None
    except Exception as exc:  # duckdb raises its own IOException types through the driver
        engine.dispose()
        if type(exc).__module__.startswith("duckdb") or "IO Error" in str(exc):
            raise explain_open_failure(exc, url) from None
        raise
    return engine


def checkpoint(engine: Engine) -> None:
    """Fold DuckDB's write-ahead log into the file (before a backup, and on clean shutdown)."""
    if is_duckdb(engine):
        with engine.begin() as connection:
            connection.execute(text("CHECKPOINT"))
