"""Who may see and do what: the one place where the platform decides authorisation, for the
API, the pages and the use cases alike.

A *principal* is a signed-in `Account`: a role and a scope (a department and a city or
county for staff, a bank branch for a bank clerk, a person or an enterprise for an
applicant). The decisions here are pure: they read the account and what an access check
needs to know about the object (`CaseScope`, a task's department), never the database.

Three kinds of decision:

- **Actions** (`Action`, `allows`, `require`): may this principal use this function at all
  (the reviewer's inbox, the supervisor's board, filing an application...). A refusal is
  *forbidden* (403); no principal at all is *not signed in* (401, or the sign-in page).
- **Objects** (`can_view_case`, `can_view_task`, `can_act_on_task`, ...): may this principal
  see or change this case or task. A case or task the caller may not see is reported as
  *not found* (404), never *forbidden*, so its existence is not revealed; an object the
  caller may see but not change is forbidden (403).
- **List scopes** (`case_list_scope`, `inbox_department`, `supervision_prefix`): which rows a
  list shows this principal. Every list of cases goes through `case_list_scope`, so a list
  can never show a case that `can_view_case` would hide.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from yiwang.accounts.errors import Forbidden, NotAuthenticated
from yiwang.accounts.models import FILING_CLERKS, REVIEWING_ROLES, Account, CaseScope, Role
from yiwang.catalog.models import CatalogSpec

# Items of internal government work (机关内部“一次办成”, plan 11) carry this category prefix.
INTERNAL_CATEGORY = "internal/"

# What a bank branch, as a real-estate registration point, files for a present applicant:
# mortgage registration and its discharge (the catalog's service standards: 银行网点可直接受理).
# Mortgages of buildings under construction and business needing the tax bureau stay at the hall.
BANK_ITEMS = ("realestate.mortgage_first_registration", "realestate.mortgage_discharge")

# The province whose regions the platform serves: an administrator's figures cover all of it.
PROVINCE_PREFIX = "37"


class Action(StrEnum):
    """Functions of the platform, each allowed to some roles (see `_ALLOWED`)."""

    FILE = "file"  # submit an application, for oneself or for a present applicant
    UPLOAD = "upload"  # add materials to a case one may see
    LIST_CASES = "list_cases"  # the list of cases one follows (API)
    APPLICANT_DESK = "applicant_desk"  # 我的办件 (page)
    WINDOW_DESK = "window_desk"  # the window clerk's desk (page)
    BANK_DESK = "bank_desk"  # the bank branch's desk (page)
    HOLD_WALLET = "hold_wallet"  # 电子卡包: licences held by the account's person or enterprise
    READ_OWN_DATA_LOG = "read_own_data_log"  # 谁查了我的数据
    READ_OWN_CREDIT = "read_own_credit"  # an enterprise's own credit class
    ANSWER_CONSENTS = "answer_consents"  # a person named in another's application confirms it
    REVIEW = "review"  # the department's inbox and its sharing requests
    READ_APPLICANT_CREDIT = "read_applicant_credit"  # the credit class of a task's applicant
    SUPERVISE = "supervise"  # figures, overdue list, construction board of a region
    ADMINISTER = "administer"  # accounts: list, unlock


_APPLICANTS = frozenset({Role.APPLICANT})
_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.FILE: _APPLICANTS | FILING_CLERKS,
    Action.UPLOAD: _APPLICANTS | FILING_CLERKS,
    Action.LIST_CASES: _APPLICANTS | FILING_CLERKS | {Role.SUPERVISOR, Role.ADMIN},
    Action.APPLICANT_DESK: _APPLICANTS,
    Action.WINDOW_DESK: frozenset({Role.CLERK}),
    Action.BANK_DESK: frozenset({Role.BANK_CLERK}),
    Action.HOLD_WALLET: _APPLICANTS,
    Action.READ_OWN_DATA_LOG: _APPLICANTS,
    Action.READ_OWN_CREDIT: _APPLICANTS,
    Action.ANSWER_CONSENTS: _APPLICANTS,
    Action.REVIEW: REVIEWING_ROLES,
    Action.READ_APPLICANT_CREDIT: REVIEWING_ROLES | {Role.SUPERVISOR, Role.ADMIN},
    Action.SUPERVISE: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    Action.ADMINISTER: frozenset({Role.ADMIN}),
}


# What an enterprise's user needs from the enterprise's authorisation (`accounts/authority.py`:
# everything for the legal representative, the granted scopes for an agent): ``read`` for the
# enterprise's cases, licences, credit and data-access log, ``file`` to apply and upload.
_ENTERPRISE_SCOPE: dict[Action, str] = {
    Action.FILE: "file",
    Action.UPLOAD: "file",
    Action.LIST_CASES: "read",
    Action.APPLICANT_DESK: "read",
    Action.HOLD_WALLET: "read",
    Action.READ_OWN_DATA_LOG: "read",
    Action.READ_OWN_CREDIT: "read",
}


def _in_scope(account: Account) -> bool:
    """Whether the account carries the scope its role works in: a role without its scope
    (a reviewer without a department, a bank clerk without a branch, an applicant without
    an identity) may do nothing that role would do."""
    match account.role:
        case Role.APPLICANT:
            return bool(account.subject_id)
        case Role.REVIEWER | Role.LEAD_REVIEWER:
            return bool(account.department_code)
        case Role.BANK_CLERK:
            return account.branch_code is not None
        case Role.SUPERVISOR:
            return bool(account.region_code)
    return True


def allows(account: Account | None, action: Action) -> bool:
    if account is None or not account.active or account.role not in _ALLOWED[action] or not _in_scope(account):
        return False
    if action is Action.ANSWER_CONSENTS and account.is_enterprise:
        return False  # a person answers for themself, never through an enterprise account
    needed = _ENTERPRISE_SCOPE.get(action)
    return needed is None or account.role is not Role.APPLICANT or account.may(needed)


def require(account: Account | None, action: Action) -> Account:
    """The account, if it may take the action; else *not signed in* or *forbidden*."""
    if account is None:
        raise NotAuthenticated()
    if not allows(account, action):
        raise Forbidden()
    return account


# --- objects -------------------------------------------------------------------------------


def can_view_case(account: Account, scope: CaseScope) -> bool:
    if not account.active or not _in_scope(account):
        return False
    match account.role:
        case Role.ADMIN:
            return True
        case Role.APPLICANT:
            return scope.applicant_id == account.subject_id and account.may("read")
        case Role.CLERK:
            return scope.filed_by == account.actor
        case Role.BANK_CLERK:
            # Every case filed at the branch, by any of its clerks.
            return scope.filed_at == account.branch_code
        case Role.REVIEWER | Role.LEAD_REVIEWER:
            return account.department_code in scope.departments
        case Role.SUPERVISOR:
            return account.in_region(scope.region_code)
    return False


def can_view_task(account: Account, department_code: str, region_code: str) -> bool:
    """Reviewers see their own department's tasks only; supervisors those of their region;
    administrators all."""
    if not account.active or not _in_scope(account):
        return False
    if account.role in REVIEWING_ROLES:
        return account.department_code == department_code
    if account.role is Role.SUPERVISOR:
        return account.in_region(region_code)
    return account.role is Role.ADMIN


def can_act_on_task(account: Account, department_code: str, assignee: str | None) -> bool:
    if not account.active or account.role not in REVIEWING_ROLES or account.department_code != department_code:
        return False
    # A reviewer works on unassigned tasks and their own; a lead reviewer on any of the
    # department's (to return or transfer a colleague's task).
    return account.role is Role.LEAD_REVIEWER or assignee in (None, account.actor)


def can_manage_authorisations(account: Account, legal_rep_id: str | None) -> bool:
    """Granting and revoking an enterprise's authorisations (企业授权委托): its legal
    representative as the legal-entity registry records them today (``legal_rep_id``)."""
    return (
        account.active
        and account.is_enterprise
        and account.subject_id is not None
        and legal_rep_id is not None
        and account.agent_id == legal_rep_id
    )


def can_halt_case(account: Account, departments: Collection[str]) -> bool:
    """中止, 恢复, 终止 of a case: a lead reviewer of a department with a task in it."""
    return (
        account.active
        and account.role is Role.LEAD_REVIEWER
        and bool(account.department_code)
        and account.department_code in departments
    )


def can_withdraw(account: Account, applicant_id: str, filed_by: str) -> bool:
    """撤回 of an application: the applicant, or the clerk who filed it for them (帮办代办);
    not another clerk of the same branch, who may follow the case but did not file it."""
    if not allows(account, Action.FILE):
        return False
    if account.role is Role.APPLICANT:
        return account.subject_id == applicant_id
    return bool(filed_by) and filed_by == account.actor


def can_upload(account: Account, scope: CaseScope) -> bool:
    return allows(account, Action.UPLOAD) and can_view_case(account, scope)


def can_answer_data_request(account: Account, owner_department: str) -> bool:
    """Only reviewers of the department that owns the dataset answer a sharing request."""
    return allows(account, Action.REVIEW) and account.department_code == owner_department


def can_open_licence(account: Account, holder_id: str, case: CaseScope | None) -> bool:
    """The full licence (printable page): its holder, whoever may see the case it was issued
    on, and administrators. Anyone may check a licence's code on the public verify page."""
    if allows(account, Action.HOLD_WALLET) and account.subject_id == holder_id:
        return True
    if case is not None and can_view_case(account, case):
        return True
    return account.active and account.role is Role.ADMIN


def can_file(account: Account) -> bool:
    return allows(account, Action.FILE)


def can_file_subject(account: Account, subject_code: str) -> bool:
    """A bank clerk files only the mortgage items banks handle; others anything they may file."""
    if not can_file(account):
        return False
    if account.role is Role.BANK_CLERK:
        return subject_code in BANK_ITEMS
    return True


def can_file_in_region(account: Account, region_code: str) -> bool:
    """A bank branch files for property in the area it serves; the hall and applicants file
    anywhere in the province (全域通办)."""
    if not can_file(account):
        return False
    if account.role is Role.BANK_CLERK:
        return account.in_region(region_code)
    return True


def is_government(account: Account | None) -> bool:
    """A government body's account: its unified social credit code is issued by the staffing
    authority (登记管理部门代码 1, 机构编制), as for every 机关."""
    return account is not None and account.role is Role.APPLICANT and (account.subject_id or "").startswith("1")


def is_internal(catalog: CatalogSpec, subject_code: str) -> bool:
    """An internal bundle or item (部门间征求意见, 联合发文会签): every item is internal work."""
    if subject_code not in catalog.bundles and subject_code not in catalog.items:
        return False
    codes = catalog.as_bundle(subject_code).item_codes()
    return bool(codes) and all(catalog.item(code).category.startswith(INTERNAL_CATEGORY) for code in codes)


def may_file_in_catalog(account: Account | None, catalog: CatalogSpec, subject_code: str) -> bool:
    """Internal work is offered to and filed by government accounts only; the rest by anyone
    who may file it."""
    return not is_internal(catalog, subject_code) or is_government(account)


def can_list_cases(account: Account) -> bool:
    return allows(account, Action.LIST_CASES)


def can_supervise(account: Account) -> bool:
    return allows(account, Action.SUPERVISE)


# --- list scopes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseListScope:
    """The filter of a case list: the rows whose every set field matches (`None` = any).
    The keyword names are those of the case-summary read (`case_summaries`)."""

    applicant_id: str | None = None
    filed_by: str | None = None
    branch: str | None = None
    region_prefix: str | None = None

    def filters(self) -> dict[str, str | None]:
        return {
            "applicant_id": self.applicant_id,
            "filed_by": self.filed_by,
            "branch": self.branch,
            "region_prefix": self.region_prefix,
        }


def case_list_scope(account: Account) -> CaseListScope:
    """The cases a principal's lists show: the same cases `can_view_case` lets it open
    (reviewers work from the task inbox instead, see `inbox_department`)."""
    require(account, Action.LIST_CASES)
    match account.role:
        case Role.APPLICANT:
            return CaseListScope(applicant_id=account.subject_id)
        case Role.CLERK:
            return CaseListScope(filed_by=account.actor)
        case Role.BANK_CLERK:
            return CaseListScope(branch=account.branch_code)
        case Role.SUPERVISOR:
            return CaseListScope(region_prefix=supervision_prefix(account))
    return CaseListScope()  # the administrator: every case


def inbox_department(account: Account) -> str:
    """The department whose tasks and sharing requests the principal's inbox shows."""
    require(account, Action.REVIEW)
    assert account.department_code is not None  # `_in_scope` checked it
    return account.department_code


def supervision_prefix(account: Account) -> str:
    """The region prefix a supervisor's figures cover (the whole province for an admin)."""
    require(account, Action.SUPERVISE)
    if account.role is Role.ADMIN or not account.region_code:
        return PROVINCE_PREFIX
    code = account.region_code
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
