"""Reporting cycle with evidence files (issue 12): periods, the states each covers, one report per state and period
with its milestone lines and transitions, evidence files' metadata, and the published (approved) figures.

Every table starts empty except ``approved_milestone``: the starting record (each milestone's live figures at
upgrade time) counts as approved as of the upgrade day, so the public keeps seeing what it saw before.
See store/reporting.py and store/evidence_files.py.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_KEYED = ("reporting_period", "evidence_file", "state_report", "report_item", "report_transition")


def _id(table: str) -> sa.Column:
    return sa.Column("id", sa.Integer(), server_default=sa.text(f"nextval('{table}_id_seq')"), nullable=False)


def _editable() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    for table in _KEYED:
        op.execute(sa.schema.CreateSequence(sa.Sequence(f"{table}_id_seq")))
    op.create_table(
        "reporting_period",
        _id("reporting_period"),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=40), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        *_editable(),
        sa.CheckConstraint("starts_on <= ends_on AND ends_on <= due_on", name="ck_reporting_period_dates"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "reporting_period_state",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["reporting_period.id"]),
        sa.ForeignKeyConstraint(["state_code"], ["state.code"]),
        sa.PrimaryKeyConstraint("period_id", "state_code"),
    )
    op.create_table(
        "evidence_file",
        _id("evidence_file"),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("state_code", sa.String(length=2), nullable=False),
        sa.Column("is_public", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("uploaded_by", sa.String(length=40), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size_bytes > 0", name="ck_evidence_file_size"),
        sa.ForeignKeyConstraint(["state_code"], ["state.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "state_report",
        _id("state_report"),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="draft", nullable=False),
        sa.Column("narrative", sa.Text(), server_default="", nullable=False),
        sa.Column("internal_notes", sa.Text(), server_default="", nullable=False),
        sa.Column("review_comment", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=40), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'returned', 'approved')", name="ck_state_report_status"
        ),
        sa.ForeignKeyConstraint(["period_id"], ["reporting_period.id"]),
        sa.ForeignKeyConstraint(["state_code"], ["state.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "state_code", name="uq_state_report_period_state"),
    )
    op.create_table(
        "report_item",
        _id("report_item"),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Double(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("evidence_url", sa.String(length=2000), nullable=True),
        sa.Column("evidence_note", sa.Text(), server_default="", nullable=False),
        sa.Column("evidence_file_id", sa.Integer(), nullable=True),
        sa.Column("review_comment", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="ck_report_item_progress"),
        sa.ForeignKeyConstraint(["report_id"], ["state_report.id"]),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"]),
        sa.ForeignKeyConstraint(["evidence_file_id"], ["evidence_file.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "report_transition",
        _id("report_transition"),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=True),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False, quote=True),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["state_report.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "approved_milestone",
        sa.Column("milestone_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("progress", sa.Double(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"]),
        sa.PrimaryKeyConstraint("milestone_id"),
    )
    op.execute(
        "INSERT INTO approved_milestone (milestone_id, progress, status, approved_on, report_id) "
        "SELECT id, progress, status, CURRENT_DATE, NULL FROM milestone WHERE archived_at IS NULL"
    )


def downgrade() -> None:
    for table in (
        "approved_milestone",
        "report_transition",
        "report_item",
        "state_report",
        "evidence_file",
        "reporting_period_state",
        "reporting_period",
    ):
        op.drop_table(table)
    for table in reversed(_KEYED):
        op.execute(sa.schema.DropSequence(sa.Sequence(f"{table}_id_seq")))
