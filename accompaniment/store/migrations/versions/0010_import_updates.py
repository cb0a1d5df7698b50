"""Reserved for issue 20: what spreadsheet round trips need in the schema, if anything.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
