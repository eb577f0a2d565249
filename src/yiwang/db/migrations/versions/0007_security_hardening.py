"""security hardening: per-client sign-in throttling, append-only access log

Revision ID: 0007
Revises: 0009 (chained after main's 0009 at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client", sa.String(length=45), nullable=True))
        batch_op.create_index("ix_login_attempts_client_at", ["client", "at"], unique=False)
    _append_only_log()


def _append_only_log() -> None:
    """The data-access log is history: the database refuses UPDATE and DELETE on it, and the
    head row may only move forward (never deleted, its last_id never lowered), so truncating
    the log needs a schema owner to drop triggers first, and `yiwang audit verify` still sees
    a head that points past the last entry."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION yiwang_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
            "FOR EACH ROW EXECUTE FUNCTION yiwang_append_only()"
        )
        op.execute(
            "CREATE TRIGGER access_log_head_no_delete BEFORE DELETE ON access_log_head "
            "FOR EACH ROW EXECUTE FUNCTION yiwang_append_only()"
        )
        op.execute(
            "CREATE OR REPLACE FUNCTION yiwang_head_forward() RETURNS trigger AS $$ "
            "BEGIN IF NEW.last_id < OLD.last_id THEN "
            "RAISE EXCEPTION 'access_log_head only moves forward'; END IF; RETURN NEW; END; $$ "
            "LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER access_log_head_forward BEFORE UPDATE ON access_log_head "
            "FOR EACH ROW EXECUTE FUNCTION yiwang_head_forward()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER access_log_no_{action.lower()} BEFORE {action} ON access_log "
                "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"
            )
        op.execute(
            "CREATE TRIGGER access_log_head_no_delete BEFORE DELETE ON access_log_head "
            "BEGIN SELECT RAISE(ABORT, 'access_log_head is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER access_log_head_forward BEFORE UPDATE ON access_log_head "
            "WHEN NEW.last_id < OLD.last_id "
            "BEGIN SELECT RAISE(ABORT, 'access_log_head only moves forward'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS access_log_append_only ON access_log")
        op.execute("DROP TRIGGER IF EXISTS access_log_head_no_delete ON access_log_head")
        op.execute("DROP TRIGGER IF EXISTS access_log_head_forward ON access_log_head")
        op.execute("DROP FUNCTION IF EXISTS yiwang_head_forward()")
    else:
        for name in ("access_log_no_update", "access_log_no_delete", "access_log_head_no_delete", "access_log_head_forward"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_client_at")
        batch_op.drop_column("client")
