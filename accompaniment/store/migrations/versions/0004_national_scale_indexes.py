"""Indexes for national-scale reads on PostgreSQL: activity by date, agreements by due date.

Found by the benchmark (benchmarks/results.md): at scale 100 the newest-activity lists, the 90-day counts and the
agreements follow-up read tens of thousands of rows to show ten or twenty-five. With these, PostgreSQL reads the
newest sessions and workshops and the earliest-due agreements straight from an index.

PostgreSQL only, like migration 0002's (state_code, held_on) indexes: DuckDB performs an UPDATE of an indexed
column as a delete and an insert, which its foreign-key check refuses for a row other rows reference, so
correcting a session's date or an agreement's due date would fail; and DuckDB does not use an index for ranges
or ordering anyway (its zone maps and top-N already serve those reads).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

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


def _wanted() -> bool:
    return op.get_bind().dialect.name != "duckdb"


def upgrade() -> None:
    if _wanted():
        for name, table, columns in INDEXES:
            op.create_index(name, table, columns)


def downgrade() -> None:
    if _wanted():
        for name, table, _ in reversed(INDEXES):
            op.drop_index(name, table_name=table)
