"""Natural keys are unique: an agreement's position in its session, a commitment's number in its plan, a
milestone's number in its commitment (issue 17, item 5). The importer matches rows by these numbers.

Existing duplicates are repaired first, on both backends: of the rows sharing a key the earliest (lowest id) keeps
it, the later ones get the group's highest value + 1, + 2… in id order. Commitments without a number (proactive
ones) are left alone.

The unique indexes (and one on agreement.commitment_id, for a commitment's linked agreements) are PostgreSQL only,
like migrations 0002 and 0004: DuckDB performs an UPDATE touching an indexed row as a delete and an insert, which
its foreign-key check refuses for a row other rows reference (a commitment its milestones reference, an agreement
its follow-ups reference), so every edit of those rows would fail. On DuckDB the store keeps the keys unique:
its writes in one process take turns (Store.write), a DuckDB file has one writing process, and the writes compute
or check the numbers inside their transaction.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (index name, table, parent column, numbering column)
NATURAL_KEYS = [
    ("uq_agreement_session_position", "agreement", "session_id", "position"),
    ("uq_commitment_plan_number", "commitment", "plan_id", "number"),
    ("uq_milestone_commitment_number", "milestone", "commitment_id", "number"),
]
INDEXES = [("ix_agreement_commitment", "agreement", ["commitment_id"])]


def _repair(table: str, parent: str, column: str) -> None:
    # Names come from NATURAL_KEYS above, never from input.
    op.execute(
        sa.text(
            f"""
            UPDATE {table} SET {column} = later.renumbered
            FROM (
                SELECT ranked.id,
                       tops.top + row_number() OVER (PARTITION BY ranked.{parent} ORDER BY ranked.id) AS renumbered
                FROM (
                    SELECT id, {parent},
                           row_number() OVER (PARTITION BY {parent}, {column} ORDER BY id) AS place
                    FROM {table}
                    WHERE {column} IS NOT NULL
                ) AS ranked
                JOIN (SELECT {parent}, max({column}) AS top FROM {table} GROUP BY {parent}) AS tops
                  ON tops.{parent} = ranked.{parent}
                WHERE ranked.place > 1
            ) AS later
            WHERE {table}.id = later.id
            """  # noqa: S608
        )
    )


def upgrade() -> None:
    for _, table, parent, column in NATURAL_KEYS:
        _repair(table, parent, column)
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, parent, column in NATURAL_KEYS:
        op.create_index(name, table, [parent, column], unique=True)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    for name, table, _, _ in NATURAL_KEYS:
        op.drop_index(name, table_name=table)
