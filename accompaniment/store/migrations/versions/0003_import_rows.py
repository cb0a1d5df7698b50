"""Imported rows: one content hash per imported file row, so re-importing the same file adds nothing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("import_row_id_seq")))
    op.create_table('import_row',
    sa.Column('id', sa.Integer(), server_default=sa.text("nextval('import_row_id_seq')"), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'content_hash', name='uq_import_row_kind_hash')
    )


def downgrade() -> None:
    op.drop_table('import_row')
    op.execute(sa.schema.DropSequence(sa.Sequence("import_row_id_seq")))
