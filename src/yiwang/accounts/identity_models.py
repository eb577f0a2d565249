"""Values of proven identity: a sign-up challenge, an enterprise authorisation, a consent
request. Plain data; `yiwang.db.identity_repo` maps rows onto them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yiwang.identity.consent import ConsentStatus


@dataclass(frozen=True, slots=True)
class Challenge:
    id: str
    kind: str  # person | enterprise
    id_number: str
    name: str
    phone: str
    credit_code: str
    code_hash: str
    backed: bool


@dataclass(frozen=True, slots=True)
class Authorisation:
    id: str
    credit_code: str
    agent_id: str
    agent_name: str
    scopes: frozenset[str]
    granted_by: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    id: str
    case_id: str
    tracking_number: str
    subject_code: str
    applicant_name: str
    role: str
    role_zh: str
    role_en: str
    stated_name: str
    status: ConsentStatus
    requested_at: datetime
    answered_at: datetime | None
