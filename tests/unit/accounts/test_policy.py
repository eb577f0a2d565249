"""The authorisation policy on its own (no database, no HTTP): each principal, each action,
each object and each list scope, at the edges of the scopes (city against county, another
department of the same kind, a role without the scope it works in)."""

from __future__ import annotations

import pytest

from yiwang.accounts import policy
from yiwang.accounts.errors import Forbidden, NotAuthenticated
from yiwang.accounts.models import Account, CaseScope, Role
from yiwang.accounts.policy import Action, CaseListScope

JINAN, LIXIA, QINGDAO = "370100", "370102", "370200"
MARKET_JN = "market_regulation@370100"
BRANCH = "bank.icbc.lixia@370102"


def staff(role: Role, department: str | None = None, region: str | None = JINAN, username: str = "") -> Account:
    return Account(1, username or f"{role.value}.x", role, "x", department_code=department, region_code=region)


PERSON = Account(2, "370102199001011234", Role.APPLICANT, "张三", subject_id="370102199001011234")
ENTERPRISE = Account(
    3, "91370100MA3C000000", Role.APPLICANT, "某公司", subject_id="91370100MA3C000000", agent_id="370102199001015678"
)
CLERK = staff(Role.CLERK, f"administrative_approval@{JINAN}", username="clerk.jinan")
BANK = staff(Role.BANK_CLERK, BRANCH, username="bank.icbc.lixia")
REVIEWER = staff(Role.REVIEWER, MARKET_JN, username="reviewer.market.jinan")
REVIEWER_QD = staff(Role.REVIEWER, f"market_regulation@{QINGDAO}", QINGDAO, username="reviewer.market.qingdao")
HRSS = staff(Role.REVIEWER, f"human_resources@{JINAN}", username="reviewer.hrss.jinan")
LEAD = staff(Role.LEAD_REVIEWER, MARKET_JN, username="lead.market.jinan")
SUPERVISOR = staff(Role.SUPERVISOR, username="supervisor.jinan")
COUNTY_SUPERVISOR = staff(Role.SUPERVISOR, region=LIXIA, username="supervisor.lixia")
ADMIN = staff(Role.ADMIN, region=None, username="admin")
EVERYONE = (PERSON, ENTERPRISE, CLERK, BANK, REVIEWER, REVIEWER_QD, HRSS, LEAD, SUPERVISOR, COUNTY_SUPERVISOR, ADMIN)


def case(
    applicant: str = PERSON.subject_id or "",
    filed_by: str = "",
    region: str = LIXIA,
    departments: tuple[str, ...] = (MARKET_JN,),
    filed_at: str = "",
) -> CaseScope:
    return CaseScope("YW1", applicant, filed_by, region, frozenset(departments), filed_at)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (Action.FILE, {PERSON, ENTERPRISE, CLERK, BANK}),
        (Action.UPLOAD, {PERSON, ENTERPRISE, CLERK, BANK}),
        (Action.LIST_CASES, {PERSON, ENTERPRISE, CLERK, BANK, SUPERVISOR, COUNTY_SUPERVISOR, ADMIN}),
        (Action.APPLICANT_DESK, {PERSON, ENTERPRISE}),
        (Action.WINDOW_DESK, {CLERK}),
        (Action.BANK_DESK, {BANK}),
        (Action.HOLD_WALLET, {PERSON, ENTERPRISE}),
        (Action.READ_OWN_DATA_LOG, {PERSON, ENTERPRISE}),
        (Action.READ_OWN_CREDIT, {PERSON, ENTERPRISE}),
        (Action.REVIEW, {REVIEWER, REVIEWER_QD, HRSS, LEAD}),
        (Action.READ_APPLICANT_CREDIT, {REVIEWER, REVIEWER_QD, HRSS, LEAD, SUPERVISOR, COUNTY_SUPERVISOR, ADMIN}),
        (Action.SUPERVISE, {SUPERVISOR, COUNTY_SUPERVISOR, ADMIN}),
        (Action.ADMINISTER, {ADMIN}),
    ],
)
def test_each_action_for_each_principal(action: Action, allowed: set[Account]) -> None:
    for account in EVERYONE:
        assert policy.allows(account, action) == (account in allowed), (action, account.username)
        if account in allowed:
            assert policy.require(account, action) is account
        else:
            with pytest.raises(Forbidden):
                policy.require(account, action)


def test_every_action_has_a_rule() -> None:
    for action in Action:
        assert policy.allows(ADMIN, action) in (True, False)


def test_no_principal_is_not_signed_in() -> None:
    for action in Action:
        assert not policy.allows(None, action)
        with pytest.raises(NotAuthenticated):
            policy.require(None, action)


@pytest.mark.parametrize(
    "account",
    [
        staff(Role.REVIEWER, None),  # a reviewer without a department
        staff(Role.LEAD_REVIEWER, None),
        staff(Role.BANK_CLERK, None),  # a bank clerk without a branch
        staff(Role.SUPERVISOR, region=None),  # a supervisor without a region sees no province
        Account(9, "nobody", Role.APPLICANT, "x"),  # an applicant without an identity
        Account(9, "gone", Role.ADMIN, "x", active=False),  # a deactivated account
    ],
)
def test_a_principal_without_its_scope_may_do_nothing(account: Account) -> None:
    assert not any(policy.allows(account, action) for action in Action)
    assert not policy.can_view_case(account, case(applicant="", departments=("",), filed_at="", region="370102"))
    assert not policy.can_view_task(account, MARKET_JN, LIXIA)
    with pytest.raises(Forbidden):
        policy.case_list_scope(account)


def test_cases_applicants_see_their_own_only() -> None:
    assert policy.can_view_case(PERSON, case())
    assert not policy.can_view_case(ENTERPRISE, case())
    assert policy.can_view_case(ENTERPRISE, case(applicant=ENTERPRISE.subject_id or ""))


def test_cases_clerks_see_what_they_filed_and_the_branch_what_it_filed() -> None:
    assert policy.can_view_case(CLERK, case(filed_by="clerk.jinan"))
    assert not policy.can_view_case(CLERK, case(filed_by="clerk.other"))
    assert not policy.can_view_case(CLERK, case())  # filed online by the applicant
    assert policy.can_view_case(BANK, case(filed_by="bank.icbc.other", filed_at=BRANCH))
    assert not policy.can_view_case(BANK, case(filed_at="bank.icbc.shizhong@370103"))


def test_cases_reviewers_see_those_their_department_works_on() -> None:
    assert policy.can_view_case(REVIEWER, case())
    assert policy.can_view_case(LEAD, case())
    assert not policy.can_view_case(HRSS, case())  # another department
    assert not policy.can_view_case(REVIEWER_QD, case())  # the same kind in another city


def test_cases_supervisors_see_their_region_a_city_covering_its_counties() -> None:
    assert policy.can_view_case(SUPERVISOR, case(region=LIXIA))
    assert policy.can_view_case(SUPERVISOR, case(region=JINAN))
    assert not policy.can_view_case(SUPERVISOR, case(region="370202"))
    assert policy.can_view_case(COUNTY_SUPERVISOR, case(region=LIXIA))
    assert not policy.can_view_case(COUNTY_SUPERVISOR, case(region="370103"))  # the next county
    assert policy.can_view_case(ADMIN, case(region="370202"))


def test_tasks_seen_by_their_department_the_region_and_the_administrator() -> None:
    assert policy.can_view_task(REVIEWER, MARKET_JN, LIXIA)
    assert not policy.can_view_task(HRSS, MARKET_JN, LIXIA)
    assert not policy.can_view_task(REVIEWER_QD, MARKET_JN, LIXIA)
    assert policy.can_view_task(SUPERVISOR, MARKET_JN, LIXIA)
    assert not policy.can_view_task(SUPERVISOR, f"market_regulation@{QINGDAO}", "370202")
    assert policy.can_view_task(ADMIN, MARKET_JN, LIXIA)
    for account in (PERSON, ENTERPRISE, CLERK, BANK):
        assert not policy.can_view_task(account, MARKET_JN, LIXIA)


def test_tasks_acted_on_by_the_department_a_reviewer_only_on_free_or_own_tasks() -> None:
    assert policy.can_act_on_task(REVIEWER, MARKET_JN, None)
    assert policy.can_act_on_task(REVIEWER, MARKET_JN, "reviewer.market.jinan")
    assert not policy.can_act_on_task(REVIEWER, MARKET_JN, "reviewer.market.other")
    assert policy.can_act_on_task(LEAD, MARKET_JN, "reviewer.market.other")  # to return or transfer it
    assert not policy.can_act_on_task(HRSS, MARKET_JN, None)
    assert not policy.can_act_on_task(SUPERVISOR, MARKET_JN, None)
    assert not policy.can_act_on_task(ADMIN, MARKET_JN, None)


def test_uploads_need_the_case_and_the_role() -> None:
    assert policy.can_upload(PERSON, case())
    assert not policy.can_upload(ENTERPRISE, case())  # another applicant's case
    assert not policy.can_upload(REVIEWER, case())  # sees it, adds nothing
    assert not policy.can_upload(ADMIN, case())


def test_filing_a_bank_branch_files_mortgage_business_only() -> None:
    for code in policy.BANK_ITEMS:
        assert policy.can_file_subject(BANK, code)
    assert not policy.can_file_subject(BANK, "bundle.enterprise_startup")
    assert not policy.can_file_subject(BANK, "realestate.transfer_registration")
    assert policy.can_file_subject(CLERK, "bundle.enterprise_startup")
    assert not policy.can_file_subject(REVIEWER, policy.BANK_ITEMS[0])


def test_filing_a_bank_branch_files_in_the_area_it_serves_only() -> None:
    assert policy.can_file_in_region(BANK, LIXIA)
    assert policy.can_file_in_region(BANK, "370112")  # another county of the city it serves
    assert not policy.can_file_in_region(BANK, "370202")
    assert policy.can_file_in_region(CLERK, "370202")  # 全域通办 at the hall
    assert policy.can_file_in_region(PERSON, "370202")
    assert not policy.can_file_in_region(REVIEWER, LIXIA)


def test_sharing_requests_answered_by_the_owning_department_only() -> None:
    assert policy.can_answer_data_request(REVIEWER, MARKET_JN)
    assert not policy.can_answer_data_request(REVIEWER_QD, MARKET_JN)
    assert not policy.can_answer_data_request(HRSS, MARKET_JN)
    assert not policy.can_answer_data_request(ADMIN, MARKET_JN)


def test_licences_opened_by_holder_case_viewers_and_administrator() -> None:
    holder = ENTERPRISE.subject_id or ""
    issued_on = case(applicant=holder)
    assert policy.can_open_licence(ENTERPRISE, holder, None)
    assert policy.can_open_licence(REVIEWER, holder, issued_on)
    assert not policy.can_open_licence(REVIEWER_QD, holder, issued_on)
    assert not policy.can_open_licence(PERSON, holder, issued_on)
    assert not policy.can_open_licence(REVIEWER, holder, None)
    assert policy.can_open_licence(ADMIN, holder, None)


def test_list_scopes_one_per_role() -> None:
    assert policy.case_list_scope(PERSON) == CaseListScope(applicant_id=PERSON.subject_id)
    assert policy.case_list_scope(ENTERPRISE) == CaseListScope(applicant_id=ENTERPRISE.subject_id)
    assert policy.case_list_scope(CLERK) == CaseListScope(filed_by="clerk.jinan")
    assert policy.case_list_scope(BANK) == CaseListScope(branch=BRANCH)
    assert policy.case_list_scope(SUPERVISOR) == CaseListScope(region_prefix="3701")
    assert policy.case_list_scope(COUNTY_SUPERVISOR) == CaseListScope(region_prefix=LIXIA)
    assert policy.case_list_scope(ADMIN) == CaseListScope()
    for account in (REVIEWER, LEAD, HRSS):  # reviewers work from the inbox
        with pytest.raises(Forbidden):
            policy.case_list_scope(account)


def test_list_scopes_match_the_object_check() -> None:
    """A case a list scope selects is a case the principal may open, for each filter."""
    scopes = {
        "applicant_id": case(applicant=PERSON.subject_id or ""),
        "filed_by": case(applicant="someone", filed_by="clerk.jinan"),
        "branch": case(applicant="someone", filed_at=BRANCH),
        "region_prefix": case(applicant="someone", region="370112"),
    }
    for account in (PERSON, CLERK, BANK, SUPERVISOR):
        filters = {k: v for k, v in policy.case_list_scope(account).filters().items() if v is not None}
        assert len(filters) == 1
        (name,) = filters
        assert policy.can_view_case(account, scopes[name]), account.username


def test_inbox_and_supervision_scopes() -> None:
    assert policy.inbox_department(REVIEWER) == MARKET_JN
    assert policy.inbox_department(REVIEWER_QD) == f"market_regulation@{QINGDAO}"
    with pytest.raises(Forbidden):
        policy.inbox_department(SUPERVISOR)
    assert policy.supervision_prefix(SUPERVISOR) == "3701"
    assert policy.supervision_prefix(COUNTY_SUPERVISOR) == LIXIA
    assert policy.supervision_prefix(staff(Role.SUPERVISOR, region="370000")) == "37"
    assert policy.supervision_prefix(ADMIN) == policy.PROVINCE_PREFIX
    with pytest.raises(Forbidden):
        policy.supervision_prefix(REVIEWER)


def test_halting_a_case_is_for_a_lead_reviewer_of_a_department_in_it() -> None:
    assert policy.can_halt_case(LEAD, {MARKET_JN, f"human_resources@{JINAN}"})
    assert not policy.can_halt_case(LEAD, {f"human_resources@{JINAN}"})
    assert not policy.can_halt_case(REVIEWER, {MARKET_JN})  # a reviewer, not the lead
    assert not policy.can_halt_case(staff(Role.LEAD_REVIEWER, None), {""})
    for account in (PERSON, CLERK, SUPERVISOR, ADMIN):
        assert not policy.can_halt_case(account, {MARKET_JN})


def test_withdrawing_is_for_the_applicant_or_the_clerk_who_filed() -> None:
    person = PERSON.subject_id or ""
    assert policy.can_withdraw(PERSON, person, "")
    assert not policy.can_withdraw(ENTERPRISE, person, "")
    assert policy.can_withdraw(CLERK, person, "clerk.jinan")
    assert not policy.can_withdraw(CLERK, person, "clerk.other")
    assert not policy.can_withdraw(CLERK, person, "")  # filed online by the applicant
    assert not policy.can_withdraw(staff(Role.BANK_CLERK, BRANCH, username="bank.icbc.lixia.2"), person, "bank.icbc.lixia")
    for account in (REVIEWER, LEAD, SUPERVISOR, ADMIN):
        assert not policy.can_withdraw(account, person, account.username)


def test_an_enterprise_agent_acts_within_the_scopes_granted() -> None:
    reader = Account(
        4, "91370100ma3c000000-370102199001019999", Role.APPLICANT, "某公司", subject_id=ENTERPRISE.subject_id,
        agent_id="370102199001019999", enterprise_scopes=frozenset({"read"}),
    )
    filer = Account(
        5, "91370100ma3c000000-370102199001018888", Role.APPLICANT, "某公司", subject_id=ENTERPRISE.subject_id,
        agent_id="370102199001018888", enterprise_scopes=frozenset({"file"}),
    )
    own = case(applicant=ENTERPRISE.subject_id or "")
    assert policy.can_view_case(reader, own) and policy.allows(reader, Action.LIST_CASES)
    assert not policy.allows(reader, Action.FILE) and not policy.can_upload(reader, own)
    assert policy.allows(filer, Action.FILE)
    assert not policy.can_view_case(filer, own) and not policy.allows(filer, Action.HOLD_WALLET)
    assert not policy.allows(ENTERPRISE, Action.ANSWER_CONSENTS)  # a person answers for themself
    assert policy.allows(PERSON, Action.ANSWER_CONSENTS)


def test_authorisations_are_managed_by_the_registered_legal_representative_only() -> None:
    legal_rep = ENTERPRISE.agent_id
    assert policy.can_manage_authorisations(ENTERPRISE, legal_rep)
    assert not policy.can_manage_authorisations(ENTERPRISE, "370102199001010000")  # replaced in the registry
    assert not policy.can_manage_authorisations(ENTERPRISE, None)
    assert not policy.can_manage_authorisations(PERSON, PERSON.subject_id)
    assert not policy.can_manage_authorisations(ADMIN, legal_rep)
