"""Indexes for the dashboard's per-state and per-parent lookups.

The (state_code, held_on) indexes are created on PostgreSQL only: DuckDB performs an UPDATE of an indexed column as
a delete and an insert, which its foreign-key check refuses for a session or workshop that has participants, so
correcting a session's date would fail; DuckDB's zone maps serve those range scans well without an index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SERVER_ONLY = {"ix_session_state_held", "ix_workshop_state_held"}

INDEXES = [
    ("ix_audit_recorded", "audit_entry", ["recorded_at"]),
    ("ix_session_state_held", "dialogue_session", ["state_code", "held_on"]),
    ("ix_workshop_state_held", "workshop", ["state_code", "held_on"]),
    ("ix_commitment_plan", "commitment", ["plan_id"]),
    ("ix_participation_session", "participation", ["session_id"]),
    ("ix_participation_workshop", "participation", ["workshop_id"]),
    ("ix_agreement_session", "agreement", ["session_id"]),
    ("ix_milestone_commitment", "milestone", ["commitment_id"]),
    ("ix_milestone_update_milestone", "milestone_update", ["milestone_id"]),
]


def _wanted(name: str) -> bool:
    return name not in SERVER_ONLY or op.get_bind().dialect.name != "duckdb"


def upgrade() -> None:
    for name, table, columns in INDEXES:
        if _wanted(name):
            op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        if _wanted(name):
            op.drop_index(name, table_name=table)
