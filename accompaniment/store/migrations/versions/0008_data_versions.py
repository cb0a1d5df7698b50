"""Reserved for issue 15: a data version per aggregate, bumped in the same transaction as each write.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
