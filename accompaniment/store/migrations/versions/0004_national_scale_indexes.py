"""Indexes for national-scale reads on PostgreSQL: activity by date, agreements by due date.

Found by the benchmark (benchmarks/results.md): at scale 100 the newest-activity lists, the 90-day counts, the
activity by month, the overdue-agreement count and the agreements follow-up read tens of thousands of rows to show
ten or twenty-five. With these, PostgreSQL reads the newest sessions and workshops and the earliest-due agreements
straight from an index; the live activity of each day with its participants from the index alone (a partial,
covering index); the open agreements (a fifth of them) from a partial index; and the few archived sessions, which
the overdue-agreement count excludes, without scanning the rest.

PostgreSQL only, like migration 0002's (state_code, held_on) indexes: DuckDB performs an UPDATE of an indexed
column as a delete and an insert, which its foreign-key check refuses for a row other rows reference, so
correcting a session's date or an agreement's due date would fail; and DuckDB does not use an index for ranges
or ordering anyway (its zone maps and top-N already serve those reads).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_session_held", "dialogue_session", ["held_on"]),
    ("ix_workshop_held", "workshop", ["held_on"]),
    ("ix_agreement_due", "agreement", ["due_date", "id"]),
]
# (name, table, columns, included columns, rows indexed)
PARTIAL_INDEXES = [
    ("ix_session_live_day", "dialogue_session", ["held_on"], ["participant_total"], "archived_at IS NULL"),
    ("ix_workshop_live_day", "workshop", ["held_on"], ["participant_total"], "archived_at IS NULL"),
    ("ix_session_archived", "dialogue_session", ["id"], [], "archived_at IS NOT NULL"),
    (
        "ix_agreement_open_due",
        "agreement",
        ["due_date"],
        [],
        "archived_at IS NULL AND status IN ('pending', 'in_progress')",
    ),
]


def _wanted() -> bool:
    return op.get_bind().dialect.name != "duckdb"


def upgrade() -> None:
    if _wanted():
        for name, table, columns in INDEXES:
            op.create_index(name, table, columns)
        for name, table, columns, included, where in PARTIAL_INDEXES:
            op.create_index(
                name, table, columns, postgresql_include=included, postgresql_where=sa.text(where)
            )


def downgrade() -> None:
    if _wanted():
        for name, table, *_ in reversed(PARTIAL_INDEXES):
            op.drop_index(name, table_name=table)
        for name, table, _ in reversed(INDEXES):
            op.drop_index(name, table_name=table)
