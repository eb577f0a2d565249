"""API schemas of proven identity: sign-up, enterprise authorisations, consent requests."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from yiwang.schemas import AccountPublic, Strict


class RegistrationCreate(Strict):
    kind: Literal["person", "enterprise"] = "person"
    id_number: str = Field(min_length=1, max_length=30)
    name: str = Field(min_length=1, max_length=60)
    phone: str = Field(min_length=1, max_length=30)
    credit_code: str = Field(default="", max_length=30)


class RegistrationPublic(BaseModel):
    """The same answer whatever the registries hold."""

    challenge_id: str
    message_zh: str
    message_en: str


class RegistrationConfirm(Strict):
    code: str = Field(min_length=1, max_length=12)
    password: str = Field(min_length=1, max_length=200)


class RegisteredPublic(BaseModel):
    account: AccountPublic


class AuthorisationCreate(Strict):
    agent_id: str = Field(min_length=1, max_length=30)
    agent_name: str = Field(min_length=1, max_length=60)
    scopes: list[Literal["read", "file"]] = Field(min_length=1, max_length=2)
    days: int = Field(ge=1, le=366)


class AuthorisationPublic(BaseModel):
    id: str
    credit_code: str
    agent_id: str  # masked
    agent_name: str
    scopes: list[str]
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    active: bool
    agent_username: str


class ConsentPublic(BaseModel):
    id: str
    case_id: str
    tracking_number: str
    subject_code: str
    applicant_name: str
    role: str
    role_zh: str
    stated_name: str
    status: str
    requested_at: datetime
    answered_at: datetime | None


class ConsentAnswer(Strict):
    decision: Literal["confirm", "decline"]
