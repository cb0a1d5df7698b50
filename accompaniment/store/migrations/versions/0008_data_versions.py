"""The data version (issue 15): table ``data_version`` with its one row ('data', 0). Every write moves it in its
own transaction (store/data_version.py) and the cached reads of every app process are keyed by it, so a write in
one process shows in every other at its next rerun.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.bulk_insert(table, [{"name": "data", "version": 0}])


def downgrade() -> None:
    op.drop_table("data_version")
