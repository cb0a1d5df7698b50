"""Notifications (issue 14): each account's notification preferences and the record of the digests sent.

``notification_preference`` starts empty (an account without a row gets the weekly digest in Spanish when it has
an e-mail); ``reminder_sent`` starts empty (nothing was sent before this release). See store/reminders.py.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("weekly_digest", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("language", sa.String(length=2), server_default="es", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("language IN ('es', 'en')", name="ck_notification_language"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.execute(sa.schema.CreateSequence(sa.Sequence("reminder_sent_id_seq")))
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), server_default=sa.text("nextval('reminder_sent_id_seq')"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("digest_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "digest_on", name="uq_reminder_sent_user_day"),
    )


def downgrade() -> None:
    op.drop_table("reminder_sent")
    op.execute(sa.schema.DropSequence(sa.Sequence("reminder_sent_id_seq")))
    op.drop_table("notification_preference")
