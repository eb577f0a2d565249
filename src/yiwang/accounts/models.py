"""Accounts and roles (账号与角色): who may do what, and where.

Staff are scoped to a department (``<kind>@<city code>``) and a region; applicants act as one
identity: a person (公民身份号码) or an enterprise (统一社会信用代码) through its authorised
agent (经办人). A bank clerk (银行网点帮办) works at a bank branch that serves as a real-estate
registration point: the branch is the clerk's department (``bank.<bank>.<branch>@<county>``)
and the region the city the branch serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    APPLICANT = "applicant"
    CLERK = "clerk"  # 窗口帮办代办
    BANK_CLERK = "bank_clerk"  # 银行网点（不动产登记服务点）帮办
    REVIEWER = "reviewer"
    LEAD_REVIEWER = "lead_reviewer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label_zh(self) -> str:
        return ROLE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return ROLE_LABELS[self][1]

    @property
    def is_staff(self) -> bool:
        return self is not Role.APPLICANT


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.APPLICANT: ("申请人", "Applicant"),
    Role.CLERK: ("窗口帮办", "Window clerk"),
    Role.BANK_CLERK: ("银行网点帮办", "Bank branch clerk"),
    Role.REVIEWER: ("审核人员", "Reviewer"),
    Role.LEAD_REVIEWER: ("审核负责人", "Lead reviewer"),
    Role.SUPERVISOR: ("督查人员", "Supervisor"),
    Role.ADMIN: ("系统管理员", "Administrator"),
}

REVIEWING_ROLES = frozenset({Role.REVIEWER, Role.LEAD_REVIEWER})
# Staff who file on behalf of an applicant who is present (帮办代办).
FILING_CLERKS = frozenset({Role.CLERK, Role.BANK_CLERK})
BANK_BRANCH_PREFIX = "bank."


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    role: Role
    display_name: str
    department_code: str | None = None
    region_code: str | None = None
    subject_id: str | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    phone: str | None = None
    active: bool = True
    # What an enterprise account's user may do in the enterprise's name: everything for its
    # legal representative, the granted scopes for an authorised agent (accounts.authority).
    enterprise_scopes: frozenset[str] = frozenset({"read", "file"})

    @property
    def actor(self) -> str:
        """What the case history records as the actor of this account's actions."""
        if self.role is Role.APPLICANT:
            return self.agent_id or self.subject_id or self.username
        return self.username

    @property
    def branch_code(self) -> str | None:
        """The bank branch a bank clerk works at (their department code), else None."""
        if self.role is Role.BANK_CLERK and self.department_code:
            return self.department_code
        return None

    def may(self, scope: str) -> bool:
        return scope in self.enterprise_scopes

    @property
    def is_enterprise(self) -> bool:
        return self.role is Role.APPLICANT and self.agent_id is not None

    def in_region(self, region_code: str) -> bool:
        """Staff regions are cities (``370100``) or counties; a city covers its counties."""
        if self.role is Role.ADMIN:
            return True
        scope = self.region_code or ""
        if not scope:
            return False
        if scope.endswith("0000"):
            return region_code[:2] == scope[:2]
        if scope.endswith("00"):
            return region_code[:4] == scope[:4]
        return region_code == scope


@dataclass(frozen=True, slots=True)
class CaseScope:
    """What an access check needs to know about a case, without loading it."""

    case_id: str
    applicant_id: str
    filed_by: str
    region_code: str
    departments: frozenset[str]
    # The department (or bank branch) of the staff account that filed the case, if any.
    filed_at: str = ""
    # Read in the same statement for an upload's checks (which materials the case takes,
    # whether it is closed), so that an upload does not load the whole case for them.
    subject_code: str = ""
    catalog_version: str = ""
    status: str = ""


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """An API token as its owner sees it later: named by the first 16 hex digits of its
    SHA-256 (the stored digest), which identifies it without being usable."""

    id: str
    label: str
    created_at: datetime
    expires_at: datetime
    revoked: bool

    def active(self, now: datetime) -> bool:
        return not self.revoked and self.expires_at > now
