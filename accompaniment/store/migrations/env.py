"""Alembic environment: runs migrations on the engine handed over by ``accompaniment.store.migrations``."""

from alembic import context

from accompaniment.store.schema import metadata

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    context.run_migrations()
