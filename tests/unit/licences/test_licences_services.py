"""Issuing, re-issuing, the card wallet (电子卡包) and use as proof."""

from __future__ import annotations

from datetime import timedelta

import pytest
from licence_factories import (
    CREDIT_CODE,
    DEPARTMENT,
    ISSUED_AT,
    OTHER_DEPARTMENT,
    Setup,
    business_request,
    valid_until,
)

from yiwang.licences.errors import InvalidLicence, KeyNotFound
from yiwang.licences.models import BUSINESS_LICENCE, LicenceIdentifier
from yiwang.licences.revocation import RevocationList
from yiwang.licences.services import (
    InMemoryKeys,
    InMemorySerialAllocator,
    LicenceIssuer,
    allocate_identifier,
    build_wallet,
    is_usable_as_proof,
    licence_status,
    sign_licence,
    supersede,
)
from yiwang.licences.verification import verify


def test_issue_allocates_serials_per_issuer_and_signs_with_the_issuers_key() -> None:
    setup = Setup()
    first = setup.issuer.issue(business_request())
    second = setup.issuer.issue(business_request())
    elsewhere = setup.issuer.issue(
        business_request(
            issuer_department_code=OTHER_DEPARTMENT, issuer_name="青岛市市场监督管理局"
        )
    )
    assert [s.licence.identifier.serial for s in (first, second, elsewhere)] == [1, 2, 1]
    assert first.licence.identifier == LicenceIdentifier("YYZZ", DEPARTMENT, 1)
    assert elsewhere.licence.identifier.issuer_code == OTHER_DEPARTMENT
    assert (first.key_id, elsewhere.key_id) == (setup.key.key_id, setup.other_key.key_id)
    assert first.licence.case_id == "370100-20261126-0001"
    assert first.licence.issued_at == ISSUED_AT
    for signed in (first, second, elsewhere):
        assert verify(signed.qr_text, setup.keyring, at=ISSUED_AT).is_valid


def test_issue_keeps_whole_seconds() -> None:
    setup = Setup()
    signed = setup.issuer.issue(business_request(), issued_at=ISSUED_AT.replace(microsecond=987))
    assert signed.licence.issued_at == ISSUED_AT


def test_issue_without_a_key_for_the_department_says_so() -> None:
    issuer = LicenceIssuer(InMemoryKeys(), InMemorySerialAllocator())
    with pytest.raises(KeyNotFound, match=DEPARTMENT):
        issuer.issue(business_request())


def test_issue_refuses_a_naive_time() -> None:
    with pytest.raises(InvalidLicence, match="timezone"):
        Setup().issuer.issue(business_request(), issued_at=ISSUED_AT.replace(tzinfo=None))


def test_a_key_cannot_sign_for_another_department() -> None:
    setup = Setup()
    licence = setup.issuer.issue(business_request()).licence
    with pytest.raises(InvalidLicence, match=OTHER_DEPARTMENT):
        sign_licence(licence, setup.other_key)


def test_allocate_identifier_uses_the_kinds_type_code() -> None:
    identifier = allocate_identifier(BUSINESS_LICENCE, DEPARTMENT, 7)
    assert identifier.text.startswith("YYZZ.370100SCJ.00000007.01.")


def test_reissue_makes_the_next_version_and_supersede_revokes_the_old_one() -> None:
    setup = Setup()
    first = setup.issuer.issue(business_request())
    later = ISSUED_AT + timedelta(days=40)
    second = setup.issuer.reissue(
        first.licence, fields=(("法定代表人", "李四"),), issued_at=later, case_id="C-2"
    )
    assert second.licence.identifier == first.licence.identifier.next_version()
    assert second.licence.field("法定代表人") == "李四"
    assert second.licence.holder_name == first.licence.holder_name
    revocations = supersede(RevocationList(), first.licence, second.licence, revoked_by="system")
    old = verify(first.qr_text, setup.keyring, revocations, at=later + timedelta(hours=1))
    assert old.status == "revoked"
    assert second.licence.identifier.text in old.message_zh
    assert verify(second.qr_text, setup.keyring, revocations, at=later).is_valid


def test_a_revoked_or_expired_licence_no_longer_serves_as_proof() -> None:
    setup = Setup()
    licence = setup.issuer.issue(business_request(valid_until=valid_until(10))).licence
    revocations = RevocationList()
    assert is_usable_as_proof(licence, revocations, ISSUED_AT + timedelta(days=1))
    assert licence_status(licence, revocations, ISSUED_AT + timedelta(days=11)) == "expired"
    assert not is_usable_as_proof(licence, revocations, ISSUED_AT + timedelta(days=11))
    revoked = revocations.revoke(
        licence.identifier, reason="吊销", revoked_by="x", revoked_at=ISSUED_AT + timedelta(days=2)
    )
    assert licence_status(licence, revoked, ISSUED_AT + timedelta(days=3)) == "revoked"
    assert not is_usable_as_proof(licence, revoked, ISSUED_AT + timedelta(days=3))


def test_the_wallet_holds_only_the_holders_licences_newest_first_with_status() -> None:
    setup = Setup()
    day = timedelta(days=1)
    main = setup.issuer.issue(business_request(), issued_at=ISSUED_AT)
    changed = setup.issuer.reissue(
        main.licence, holder_name="济南泉城科技有限公司", issued_at=ISSUED_AT + 3 * day
    )
    revoked = setup.issuer.issue(business_request(), issued_at=ISSUED_AT + day)
    expired = setup.issuer.issue(
        business_request(valid_until=valid_until(3)), issued_at=ISSUED_AT + 2 * day
    )
    someone_else = setup.issuer.issue(business_request(holder_id="11010519491231002X"))
    revocations = RevocationList().revoke(
        revoked.licence.identifier, reason="吊销", revoked_by="x", revoked_at=ISSUED_AT + 2 * day
    )
    wallet = build_wallet(
        CREDIT_CODE,
        [main, changed, revoked, expired, someone_else],
        revocations,
        ISSUED_AT + 5 * day,
    )
    assert wallet.holder_id == CREDIT_CODE
    assert [(e.licence.identifier, e.status) for e in wallet.entries] == [
        (changed.licence.identifier, "valid"),
        (expired.licence.identifier, "expired"),
        (revoked.licence.identifier, "revoked"),
        (main.licence.identifier, "superseded"),
    ]
    assert wallet.entries[2].revocation is not None
    assert [e.signed for e in wallet.usable] == [changed]
    assert all(e.signed.qr_text.startswith("YW1:") for e in wallet.entries)
