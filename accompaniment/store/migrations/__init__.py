"""Versioned schema migrations (Alembic). The app and the CLI call ``upgrade`` on open, so an older database is
brought up to date without loss. Revisions live in ``versions/`` and are never edited once released.

Alembic is imported only when there is migrating to do: opening a database already at the head revision reads the
``alembic_version`` table and compares it with the head named by the revision files, which keeps Alembic and Mako
out of the app's cold start (benchmarks/results.md, ratio f).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from accompaniment.store import data_version, locks

if TYPE_CHECKING:
    from alembic.config import Config

_HERE = Path(__file__).parent
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


@cache
def _register_duckdb() -> None:
    """Alembic needs to know the DuckDB dialect exists; it behaves like the default implementation."""
    import alembic.ddl.impl

    class AlembicDuckDBImpl(alembic.ddl.impl.DefaultImpl):
        __dialect__ = "duckdb"
        transactional_ddl = True


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    _register_duckdb()
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    _register_duckdb()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(_HERE))
    return script.get_current_head()


def all_revisions() -> list[str]:
    """Revisions from the first to the head."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(_HERE))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


@cache
def _head_in_files() -> str | None:
    """The one revision no other revision file names as its ``down_revision``; None unless that is clear-cut."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_HERE / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, parent = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or parent is None:
            return None  # a file this reader does not understand: let Alembic decide
        revisions.add(revision.group(1))
        if parent.group(1):
            parents.add(parent.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except Exception:  # noqa: BLE001 - no such table yet (a new database): Alembic creates it
        return None
    return rows[0] if len(rows) == 1 else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``. Migrating moves the data version on (store/data_version.py): every
    process then reads afresh what it had cached from the old schema."""
    if revision == "head" and _head_in_files() is not None and _stored_revision(engine) == _head_in_files():
        return  # already there: nothing for Alembic to do
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
    with engine.begin() as connection:
        data_version.bump_if_present(connection)


@contextmanager
def one_at_a_time(engine: Engine) -> Iterator[None]:
    """Let one process at a time migrate and load reference data: N app processes started together on a fresh
    PostgreSQL database would otherwise all run the migrations (the losers failing on tables that now exist)."""
    with locks.one_process(engine, "migrations"):
        yield
