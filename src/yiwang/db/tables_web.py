"""Tables of the web platform: accounts, sessions, API tokens, login attempts, materials.

Defined on the one `metadata` of `yiwang.db.tables` so Alembic sees them; migration 0002
creates them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table

from yiwang.db.tables import metadata
from yiwang.db.types import UTCDateTime

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Staff: a chosen login name; applicants: their 公民身份号码 or 统一社会信用代码.
    Column("username", String(60), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    # Staff scope: department code (<kind>@<city>) and region (city or county code).
    Column("department_code", String(80), nullable=True),
    Column("region_code", String(6), nullable=True),
    # Applicants: the identity they act as (ID number or credit code) and, for an
    # enterprise, the authorised agent's ID number and name (经办人).
    Column("subject_id", String(18), nullable=True, index=True),
    Column("agent_id", String(18), nullable=True),
    Column("agent_name", String(60), nullable=True),
    Column("phone", String(20), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    # SHA-256 of the session secret: a leaked database does not yield usable cookies.
    Column("id_hash", String(64), primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("label", String(100), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("username", String(60), nullable=False),
    # The client address the attempt came from (per-address throttling; migration 0007).
    Column("client", String(45), nullable=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_username_at", "username", "at"),
    Index("ix_login_attempts_client_at", "client", "at"),
)

materials = Table(
    "materials",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("material_code", String(80), nullable=False),
    Column("supplement_id", String(60), nullable=True),
    Column("original_name", String(200), nullable=False),
    Column("content_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    # Relative to settings.data_dir/uploads; never a path under the web root.
    Column("stored_path", String(200), nullable=False),
    Column("uploaded_by", String(60), nullable=False),
    Column("uploaded_at", UTCDateTime(), nullable=False),
)
