"""outbox: messages (sign-up codes by SMS) written with the sign-up challenge and delivered by
the worker, so a request never calls a gateway

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yiwang.db.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", yiwang.db.types.UTCDateTime(), nullable=False),
        sa.Column("due_at", yiwang.db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", yiwang.db.types.UTCDateTime(), nullable=False),
        sa.Column("sent_at", yiwang.db.types.UTCDateTime(), nullable=True),
    )
    op.create_index("ix_outbox_state_due_at", "outbox", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_state_due_at", table_name="outbox")
    op.drop_table("outbox")
