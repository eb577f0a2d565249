"""Who stands for an enterprise, on real databases: an account opened before standing was
checked (the attack of issue 12: an unrelated person with a company's credit code) is refused
at its next request, and the service that opens enterprise accounts refuses such a person."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from yiwang.accounts.authority import EnterpriseAuthority
from yiwang.accounts.errors import RealNameRejected
from yiwang.accounts.models import Role
from yiwang.accounts.proof_errors import AuthorisationLapsed
from yiwang.accounts.services import AccountServices
from yiwang.bootstrap import Platform
from yiwang.db import tables_web as w
from yiwang.db.accounts_repo import PeopleRegistryVerifier, SqlAccountStore
from yiwang.db.identity_repo import SqlIdentityStore
from yiwang.demo.province import seed_demo_province

pytestmark = pytest.mark.integration


def test_an_unrelated_persons_enterprise_account_is_refused(platform: Platform) -> None:
    population = seed_demo_province(platform, people=120, enterprises=20)
    enterprise = population.enterprises[0]
    stranger = next(p for p in population.people if p.id_number != enterprise.legal_representative_id)
    accounts = AccountServices(SqlAccountStore(platform.engine), platform.clock, PeopleRegistryVerifier(platform.engine))
    with pytest.raises(RealNameRejected):
        accounts.register_enterprise(enterprise.credit_code, stranger.id_number, stranger.name, stranger.phone, "long-enough-1")
    # An account such as the old sign-up let anyone open.
    with platform.engine.begin() as connection:
        connection.execute(
            insert(w.accounts),
            {
                "username": enterprise.credit_code,
                "role": Role.APPLICANT.value,
                "display_name": enterprise.name,
                "password_hash": "x",
                "subject_id": enterprise.credit_code,
                "agent_id": stranger.id_number,
                "agent_name": stranger.name,
                "phone": stranger.phone,
                "active": True,
                "created_at": platform.clock(),
            },
        )
    legacy = accounts.by_username(enterprise.credit_code)
    assert legacy is not None
    with pytest.raises(AuthorisationLapsed):
        EnterpriseAuthority(SqlIdentityStore(platform.engine), platform.clock).admit(legacy)
