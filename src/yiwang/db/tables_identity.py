"""Tables of proven identity: sign-up challenges (one-time codes), enterprise authorisations
(授权委托) and consent requests of people named in someone else's application.

Defined on the one `metadata` of `yiwang.db.tables` so Alembic sees them; migration 0006
creates them.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from yiwang.db.tables import metadata
from yiwang.db.types import PortableJSON, UTCDateTime

signup_challenges = Table(
    "signup_challenges",
    metadata,
    # Random and unguessable; the confirmation form carries it.
    Column("id", String(40), primary_key=True),
    Column("kind", String(20), nullable=False),  # person | enterprise
    Column("id_number", String(18), nullable=False),
    Column("name", String(60), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("credit_code", String(18), nullable=True),
    Column("client_ip", String(64), nullable=False),
    # SHA-256 of the challenge id and the code; a challenge the registry did not back holds a
    # digest no code matches, so the answer to the caller is the same either way.
    Column("code_hash", String(64), nullable=False),
    Column("backed", Boolean, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("consumed_at", UTCDateTime(), nullable=True),
    Index("ix_signup_challenges_id_number_created_at", "id_number", "created_at"),
    Index("ix_signup_challenges_phone_created_at", "phone", "created_at"),
    Index("ix_signup_challenges_client_ip_created_at", "client_ip", "created_at"),
)

enterprise_authorisations = Table(
    "enterprise_authorisations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("credit_code", String(18), nullable=False, index=True),
    Column("agent_id", String(18), nullable=False, index=True),
    Column("agent_name", String(60), nullable=False),
    Column("scopes", PortableJSON(), nullable=False),
    Column("granted_by", String(18), nullable=False),
    Column("granted_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("revoked_by", String(18), nullable=True),
)

identity_consents = Table(
    "identity_consents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("person_id", String(18), nullable=False, index=True),
    Column("role", String(40), nullable=False),  # the form field naming the person
    Column("stated_name", String(60), nullable=False),
    # confirmed | pending | declined | unproved (registry does not back the stated identity)
    Column("status", String(20), nullable=False),
    Column("requested_by", String(60), nullable=False),
    Column("requested_at", UTCDateTime(), nullable=False),
    Column("answered_at", UTCDateTime(), nullable=True),
)

# Messages to send (发件箱), written in the transaction of what they tell of and delivered by
# `yiwang worker` (or the worker thread of `yiwang serve`) through the SMS port: a request
# never waits on a gateway, so how long it takes says nothing about what was sent. Migration
# 0013 creates it.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),  # sms
    Column("recipient", String(32), nullable=False),
    # The text while it waits; cleared once sent, failed or expired (a sign-up code must not
    # outlive its delivery in the database). NULL from the start for a `void` row.
    Column("body", Text, nullable=True),
    # void (nothing to send: a sign-up the registry did not back writes one all the same, so
    # both answers take one path) | pending | sending | sent | failed | expired
    Column("state", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", String(300), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    # When it may next be tried: a retry's back-off, or the end of a worker's claim.
    Column("due_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=True),
    Index("ix_outbox_state_due_at", "state", "due_at"),
)
