"""Once only (R-DATA-1..3, R-CAT-2): a later item of the start-up's enterprise asks for none of
what the registries and the licence library hold; the licence it relies on is signed and
verifiable, and once revoked it no longer proves anything."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from support import FOUNDER_ID, complete_open_tasks, submit_startup
from yiwang.bootstrap import Platform
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.errors import CaseError
from yiwang.cases.models import EventKind
from yiwang.clock import SimulatedClock
from yiwang.db.engine import read_connection
from yiwang.licences.verification import verify

pytestmark = pytest.mark.integration

ADDRESS_CHANGE = "market.enterprise_address_change"


def _add_founder(platform: Platform) -> None:
    with platform.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id_number, name, gender, birth_date, region_code, phone) "
                "VALUES (:id, '李明', 'male', '1988-05-17', '370102', '13905311234')"
            ),
            {"id": FOUNDER_ID},
        )


def _attachments(platform: Platform, case_id: str) -> dict[str, Any]:
    with read_connection(platform.engine) as connection:
        rows = connection.execute(
            text("SELECT material_code, source, reference, found, summary FROM case_attachments WHERE case_id = :id"),
            {"id": case_id},
        ).all()
    return {row.material_code: row for row in rows}


def _start_company(platform: Platform, clock: SimulatedClock) -> tuple[str, str]:
    _add_founder(platform)
    case_id = submit_startup(platform)
    complete_open_tasks(platform, clock, case_id)
    case = platform.cases.get(case_id)
    credit_code = next(o.number for o in case.outputs if o.kind == "business_licence")
    return case_id, credit_code


def _change_address(platform: Platform, credit_code: str, key: str) -> str:
    return platform.cases.submit(
        SubmitApplication(
            ADDRESS_CHANGE,
            credit_code,
            "济南市历下区明湖数据科技有限公司",
            "370102",
            {"new_address": "经十路9999号", "region_code": "370102", "legal_rep_id": FOUNDER_ID},
            channel="online",
            idempotency_key=key,
        )
    ).case_id


def test_startup_licence_is_signed_and_verifiable(platform: Platform, clock: SimulatedClock) -> None:
    case_id, credit_code = _start_company(platform, clock)
    with platform.unit_of_work(read_only=True) as uow:
        licences = list(uow.licences.of_case(case_id))
        revocations = uow.licences.revocations()
    assert len(licences) == 1
    signed = licences[0]
    assert signed.licence.holder_id == credit_code
    assert signed.licence.field("法定代表人") == "李明"
    result = verify(signed.qr_text, platform.licence_keys.keyring(), revocations)
    assert result.status == "valid", result.message
    issued = [e for e in platform.cases.events(case_id) if e.kind is EventKind.LICENCE_ISSUED]
    assert issued[0].data["identifier"] == signed.licence.identifier.text


def test_later_item_asks_nothing_the_government_holds(platform: Platform, clock: SimulatedClock) -> None:
    _, credit_code = _start_company(platform, clock)
    clock.advance(minutes=30)
    change_id = _change_address(platform, credit_code, "addr-1")
    catalog = platform.catalogs.current()
    item = catalog.item(ADDRESS_CHANGE)
    asked = {m.code for m in item.materials if m.asked_of_applicant}
    shared = {m.code for m in item.materials if not m.asked_of_applicant}
    assert asked == {"change_application", "new_premises_proof"}
    attachments = _attachments(platform, change_id)
    # Every material a registry proves is attached, found, with its source.
    assert set(attachments) == shared
    assert all(row.found for row in attachments.values())
    assert attachments["business_licence"].source == "licence"
    assert attachments["business_licence"].reference.startswith("YYZZ.370100SCJ.")
    assert attachments["legal_rep_identity"].source == "registry"
    assert attachments["legal_rep_identity"].reference == "population.identity"
    assert attachments["registration_record"].reference == "legal_entities.registration"
    # Each read is in the access log, under this case, with its purpose.
    with read_connection(platform.engine) as connection:
        reads = connection.execute(
            text("SELECT dataset, purpose FROM access_log WHERE case_id = :id"), {"id": change_id}
        ).all()
    # The three materials, plus the credit class read for differentiated handling.
    assert {r.dataset for r in reads} == {"licences", "population", "legal_entities", "credit"}


def test_revoked_licence_no_longer_satisfies_materials(platform: Platform, clock: SimulatedClock) -> None:
    case_id, credit_code = _start_company(platform, clock)
    with platform.unit_of_work(read_only=True) as uow:
        identifier = uow.licences.of_case(case_id)[0].licence.identifier.text
    revoked_case = platform.cases.revoke_licence(identifier, reason="虚假承诺", actor="market_regulation@370100")
    assert revoked_case is not None and revoked_case.id == case_id
    revocation = [e for e in platform.cases.events(case_id) if e.kind is EventKind.LICENCE_REVOKED]
    assert revocation[0].data["identifier"] == identifier and revocation[0].reason == "虚假承诺"
    with pytest.raises(CaseError):
        platform.cases.revoke_licence(identifier, reason="again", actor="market_regulation@370100")
    with platform.unit_of_work(read_only=True) as uow:
        signed = uow.licences.of_case(case_id)[0]
        result = verify(signed.qr_text, platform.licence_keys.keyring(), uow.licences.revocations(), at=clock())
    assert result.status == "revoked" and "虚假承诺" in result.message_zh
    change_id = _change_address(platform, credit_code, "addr-2")
    licence_row = _attachments(platform, change_id)["business_licence"]
    assert not licence_row.found
