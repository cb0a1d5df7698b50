"""The audit log is append-only on PostgreSQL (issue 17, item 6): a row trigger refuses UPDATE and DELETE of
audit_entry and a statement trigger refuses TRUNCATE, unless the transaction has set ``accompaniment.restoring``
to 'on' (a restore replaces the whole record, its log included: ``SELECT set_config('accompaniment.restoring',
'on', true)``, which lasts only until that transaction ends).

Names are unqualified: the function and triggers live in the schema the migration runs in (the tests give each
test a schema of its own through search_path). DuckDB has no triggers; there the log is guarded by the store,
which only ever inserts into it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FUNCTION = "audit_entry_append_only"
TRIGGERS = ("audit_entry_no_update_or_delete", "audit_entry_no_truncate")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF coalesce(current_setting('accompaniment.restoring', true), '') = 'on' THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$
        """
    )
    op.execute(
        f"CREATE TRIGGER {TRIGGERS[0]} BEFORE UPDATE OR DELETE ON audit_entry "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    op.execute(
        f"CREATE TRIGGER {TRIGGERS[1]} BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON audit_entry")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
