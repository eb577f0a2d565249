"""Reads that only fill in a form or check a walk-in applicant are still reads of someone's
data: the access log records them, with the reader and the purpose (R-DATA-2)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from support import BUNDLE, FOUNDER_ID, FOUNDER_NAME, startup_form, submit_startup
from yiwang.accounts.errors import RealNameRejected
from yiwang.accounts.models import Role
from yiwang.bootstrap import Platform, build_services
from yiwang.cases import operations as ops
from yiwang.cases.errors import InvalidApplication
from yiwang.db import tables as t
from yiwang.db.engine import read_connection
from yiwang.db.registries_repo import read_access_log
from yiwang.demo.province import seed_demo_province
from yiwang.error_kinds import describe
from yiwang.identity.numbers import allocate_credit_code
from yiwang.registries.audit import verify_chain
from yiwang.registries.models import ChainedRecord

pytestmark = pytest.mark.integration

PASSWORD = "correct-horse-1"


def _seed_founder(platform: Platform) -> None:
    seed_demo_province(platform, people=20, enterprises=5)
    with platform.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id_number, name, gender, birth_date, region_code, phone) "
                "VALUES (:id, :name, 'male', '1988-05-17', '370102', '13905311234')"
            ),
            {"id": FOUNDER_ID, "name": FOUNDER_NAME},
        )


def _log(platform: Platform) -> list[ChainedRecord]:
    with read_connection(platform.engine) as connection:
        return list(read_access_log(connection))


def test_prefill_logs_the_population_and_earlier_application_reads(platform: Platform) -> None:
    _seed_founder(platform)
    submit_startup(platform)
    services = build_services(platform)
    account = services.accounts.register_person(FOUNDER_ID, FOUNDER_NAME, "13905311234", PASSWORD)
    before = len(_log(platform))

    values, sources = ops.prefill_with_sources(services, account, BUNDLE)

    # The form is filled from the population registry and the earlier application ...
    assert values["legal_rep_id"] == FOUNDER_ID and sources["legal_rep_id"] == "population"
    assert sources.get("address") == "earlier"
    # ... and each of those reads is in the log, by the applicant, for pre-filling.
    new = [e.record for e in _log(platform)[before:]]
    assert {(r.dataset, r.subject_id) for r in new} == {("population", FOUNDER_ID), ("cases", FOUNDER_ID)}
    assert all(r.reader == account.actor and r.purpose == ops.PREFILL_PURPOSE for r in new)
    assert all(r.case_id is None for r in new)
    assert verify_chain(_log(platform)).ok


def test_the_profile_read_is_logged(platform: Platform) -> None:
    _seed_founder(platform)
    services = build_services(platform)
    account = services.accounts.register_person(FOUNDER_ID, FOUNDER_NAME, "13905311234", PASSWORD)
    before = len(_log(platform))

    assert ops.profile(services, account)["region_code"] == "370102"

    new = [e.record for e in _log(platform)[before:]]
    assert [(r.dataset, r.subject_id, r.reader) for r in new] == [("population", FOUNDER_ID, account.actor)]


def test_a_clerks_walk_in_lookup_of_an_enterprise_is_logged_found_or_not(platform: Platform) -> None:
    _seed_founder(platform)
    with read_connection(platform.engine) as connection:
        credit_code = connection.execute(select(t.enterprises.c.credit_code).limit(1)).scalar_one()
    services = build_services(platform)
    clerk = services.accounts.create_staff(
        "clerk.test", PASSWORD, Role.CLERK, "窗口 测试", department_code="hall@370100", region_code="370100"
    )
    before = len(_log(platform))

    ops.submit(
        services,
        clerk,
        BUNDLE,
        startup_form(),
        idempotency_key="walk-in-1",
        on_behalf_id=credit_code,
        on_behalf_name="到场企业",
    )
    # An enterprise the registry does not hold is refused, and the asking is logged as well.
    unknown = allocate_credit_code("9", "1", "370102", 987654)
    with pytest.raises(InvalidApplication) as refused:
        ops.submit(
            services, clerk, BUNDLE, startup_form(), idempotency_key="walk-in-2", on_behalf_id=unknown, on_behalf_name="无此企业"
        )
    assert describe(refused.value)[:2] == (422, "invalid_form")
    assert [p.code for p in refused.value.problems] == ["unknown_enterprise"]

    walk_in = [e.record for e in _log(platform)[before:] if e.record.purpose == ops.WALK_IN_PURPOSE]
    assert [r.subject_id for r in walk_in] == [credit_code, unknown]
    assert all(r.dataset == "legal_entities" and r.reader == clerk.actor for r in walk_in)
    assert verify_chain(_log(platform)).ok


def test_a_clerks_real_name_check_of_a_person_is_logged(platform: Platform) -> None:
    _seed_founder(platform)
    services = build_services(platform)
    clerk = services.accounts.create_staff(
        "clerk.test", PASSWORD, Role.CLERK, "窗口 测试", department_code="hall@370100", region_code="370100"
    )
    before = len(_log(platform))

    ops.submit(
        services, clerk, BUNDLE, startup_form(), idempotency_key="walk-in-p", on_behalf_id=FOUNDER_ID, on_behalf_name=FOUNDER_NAME
    )
    with pytest.raises(RealNameRejected):
        ops.submit(
            services, clerk, BUNDLE, startup_form(), idempotency_key="walk-in-q", on_behalf_id=FOUNDER_ID, on_behalf_name="张三"
        )

    walk_in = [e.record for e in _log(platform)[before:] if e.record.purpose == ops.WALK_IN_PURPOSE]
    assert [(r.dataset, r.subject_id, r.reader) for r in walk_in] == [("population", FOUNDER_ID, clerk.actor)] * 2
