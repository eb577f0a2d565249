"""proven identity: sign-up challenges, enterprise authorisations, consent requests

Revision ID: 0006
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yiwang.db.types

revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signup_challenges",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("client_ip", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("backed", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("consumed_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signup_challenges")),
    )
    with op.batch_alter_table("signup_challenges", schema=None) as batch_op:
        batch_op.create_index("ix_signup_challenges_id_number_created_at", ["id_number", "created_at"], unique=False)
        batch_op.create_index("ix_signup_challenges_phone_created_at", ["phone", "created_at"], unique=False)
        batch_op.create_index("ix_signup_challenges_client_ip_created_at", ["client_ip", "created_at"], unique=False)

    op.create_table(
        "enterprise_authorisations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("agent_id", sa.String(length=18), nullable=False),
        sa.Column("agent_name", sa.String(length=60), nullable=False),
        sa.Column("scopes", yiwang.db.types.PortableJSON(), nullable=False),
        sa.Column("granted_by", sa.String(length=18), nullable=False),
        sa.Column("granted_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=18), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_authorisations")),
    )
    with op.batch_alter_table("enterprise_authorisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_authorisations_credit_code"), ["credit_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_enterprise_authorisations_agent_id"), ["agent_id"], unique=False)

    op.create_table(
        "identity_consents",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=18), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("stated_name", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.String(length=60), nullable=False),
        sa.Column("requested_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", yiwang.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_consents")),
    )
    with op.batch_alter_table("identity_consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_consents_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_consents_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("identity_consents")
    op.drop_table("enterprise_authorisations")
    op.drop_table("signup_challenges")
