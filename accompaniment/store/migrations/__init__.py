"""Versioned schema migrations (Alembic). The app and the CLI call ``upgrade`` on open, so an older database is
brought up to date without loss. Revisions live in ``versions/`` and are never edited once released."""

from __future__ import annotations

from pathlib import Path

import alembic.ddl.impl
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


class AlembicDuckDBImpl(alembic.ddl.impl.DefaultImpl):
    """Alembic needs to know the DuckDB dialect exists; it behaves like the default implementation."""

    __dialect__ = "duckdb"
    transactional_ddl = True


_HERE = Path(__file__).parent


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    script = ScriptDirectory(str(_HERE))
    return script.get_current_head()


def all_revisions() -> list[str]:
    """Revisions from the first to the head."""
    script = ScriptDirectory(str(_HERE))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)
