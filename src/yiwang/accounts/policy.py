"""Who may see and do what (the authorisation rules shared by the API and the pages).

A case the caller may not see is reported as *not found* (404), never *forbidden*, so its
existence is not revealed; an action the caller may see but not take is forbidden (403).
"""

from __future__ import annotations

from yiwang.accounts.models import FILING_CLERKS, REVIEWING_ROLES, Account, CaseScope, Role
from yiwang.catalog.models import CatalogSpec

# Items of internal government work (机关内部“一次办成”, plan 11) carry this category prefix.
INTERNAL_CATEGORY = "internal/"

# What a bank branch, as a real-estate registration point, files for a present applicant:
# mortgage registration and its discharge (the catalog's service standards: 银行网点可直接受理).
# Mortgages of buildings under construction and business needing the tax bureau stay at the hall.
BANK_ITEMS = ("realestate.mortgage_first_registration", "realestate.mortgage_discharge")


def can_view_case(account: Account, scope: CaseScope) -> bool:
    match account.role:
        case Role.ADMIN:
            return True
        case Role.APPLICANT:
            return account.subject_id is not None and scope.applicant_id == account.subject_id
        case Role.CLERK:
            return scope.filed_by == account.actor
        case Role.BANK_CLERK:
            # Every case filed at the branch, by any of its clerks.
            return account.branch_code is not None and scope.filed_at == account.branch_code
        case Role.REVIEWER | Role.LEAD_REVIEWER:
            return account.department_code is not None and account.department_code in scope.departments
        case Role.SUPERVISOR:
            return account.in_region(scope.region_code)
    return False


def can_view_task(account: Account, department_code: str) -> bool:
    """Reviewers see their own department's tasks only; supervisors and admins read all."""
    if account.role in REVIEWING_ROLES:
        return account.department_code == department_code
    return account.role in (Role.ADMIN, Role.SUPERVISOR)


def can_act_on_task(account: Account, department_code: str, assignee: str | None) -> bool:
    if account.role not in REVIEWING_ROLES or account.department_code != department_code:
        return False
    # A reviewer works on unassigned tasks and their own; a lead reviewer on any of the
    # department's (to return or transfer a colleague's task).
    return account.role is Role.LEAD_REVIEWER or assignee in (None, account.actor)


def can_upload(account: Account, scope: CaseScope) -> bool:
    return can_file(account) and can_view_case(account, scope)


def can_file(account: Account) -> bool:
    # An enterprise agent files only under an authorisation that grants filing.
    return (account.role is Role.APPLICANT and account.may("file")) or account.role in FILING_CLERKS


def can_file_subject(account: Account, subject_code: str) -> bool:
    """A bank clerk files only the mortgage items banks handle; others anything they may file."""
    if account.role is Role.BANK_CLERK:
        return subject_code in BANK_ITEMS
    return can_file(account)


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
    return account.role in (Role.APPLICANT, Role.CLERK, Role.BANK_CLERK, Role.SUPERVISOR, Role.ADMIN)


def can_supervise(account: Account) -> bool:
    return account.role in (Role.SUPERVISOR, Role.ADMIN)


def supervision_prefix(account: Account) -> str:
    """The region prefix a supervisor's figures cover (the whole province for an admin)."""
    if account.role is Role.ADMIN or not account.region_code:
        return "37"
    code = account.region_code
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
