"""Signed-in sessions that survive a reload: a per-account security stamp and the table of browser sessions.

``app_user.security_stamp`` starts at 0 for every existing account; ``sign_in_session`` starts empty (nobody was
signed in by a cookie before this release). See store/sessions.py.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("security_stamp", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "sign_in_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("security_stamp", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_session")
    op.drop_column("app_user", "security_stamp")
