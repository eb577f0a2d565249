"""亮证核验: valid, revoked, expired, signature invalid, unknown issuer, malformed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from licence_factories import (
    ISSUED_AT,
    OTHER_DEPARTMENT,
    Setup,
    business_licence,
    business_request,
    valid_until,
    without_case,
)

from yiwang.licences import payload
from yiwang.licences.models import LicenceIdentifier
from yiwang.licences.revocation import RevocationList
from yiwang.licences.signing import DepartmentKey, KeyRing
from yiwang.licences.verification import verify

SETUP = Setup()
SIGNED = SETUP.issuer.issue(business_request())
NOW = ISSUED_AT + timedelta(days=1)


def test_an_issued_licence_verifies_as_valid_with_its_content() -> None:
    result = verify(SIGNED.qr_text, SETUP.keyring, RevocationList(), at=NOW)
    assert result.status == "valid" and result.is_valid
    assert (result.message_zh, result.message_en) == ("有效", "valid")
    assert result.licence == without_case(SIGNED.licence)
    assert result.key_id == SETUP.key.key_id
    assert result.revocation is None


@settings(max_examples=300)
@given(st.data())
def test_changing_any_single_character_of_the_code_fails_verification(data: st.DataObject) -> None:
    text = SIGNED.qr_text
    position = data.draw(st.integers(0, len(text) - 1), label="position")
    replacement = data.draw(
        st.sampled_from("0123456789YW1:/ aZ。").filter(lambda c: c != text[position]),
        label="replacement",
    )
    tampered = text[:position] + replacement + text[position + 1 :]
    result = verify(tampered, SETUP.keyring, at=NOW)
    assert result.status != "valid"
    assert result.status in {"malformed", "signature_invalid", "unknown_issuer"}


@settings(max_examples=300)
@given(st.data())
def test_changing_any_byte_of_the_signed_payload_fails_verification(data: st.DataObject) -> None:
    blob = bytearray(payload.payload_bytes(SIGNED.qr_text))
    position = data.draw(st.integers(0, len(blob) - 1), label="position")
    blob[position] ^= data.draw(st.integers(1, 255), label="xor")
    tampered = "YW1:" + str(int.from_bytes(blob, "big"))
    result = verify(tampered, SETUP.keyring, at=NOW)
    assert result.status != "valid"
    if result.status in ("signature_invalid", "unknown_issuer", "malformed"):
        assert result.licence is None


def test_a_changed_field_value_with_the_old_signature_is_signature_invalid() -> None:
    decoded = payload.decode(SIGNED.qr_text)
    forged = business_licence(
        identifier=SIGNED.licence.identifier, fields=(("注册资本", "壹亿元整"),)
    )
    unsigned = payload.unsigned_blob(forged, decoded.key_id)
    result = verify(payload.to_qr_text(unsigned, decoded.signature), SETUP.keyring, at=NOW)
    assert result.status == "signature_invalid"
    assert result.message == "签名无效 signature invalid"
    assert result.licence is None


def test_a_revoked_licence_shows_revoked_with_date_and_reason() -> None:
    revoked_at = ISSUED_AT + timedelta(days=10, hours=2)
    revocations = RevocationList().revoke(
        SIGNED.licence.identifier,
        reason="提交虚假材料取得登记",
        revoked_by="370100SCJ/li.si",
        revoked_at=revoked_at,
    )
    result = verify(SIGNED.qr_text, SETUP.keyring, revocations, at=revoked_at + timedelta(days=1))
    assert result.status == "revoked"
    assert result.message_zh == f"已于 {revoked_at.date().isoformat()} 因 提交虚假材料取得登记 撤销"
    assert result.message_en == (
        f"revoked on {revoked_at.date().isoformat()} because 提交虚假材料取得登记"
    )
    assert result.revocation is not None and result.revocation.reason == "提交虚假材料取得登记"
    assert result.licence == without_case(SIGNED.licence)
    # Before the revocation took effect the licence was valid.
    assert verify(SIGNED.qr_text, SETUP.keyring, revocations, at=revoked_at - timedelta(1)).is_valid


def test_revocation_day_is_the_china_calendar_day() -> None:
    revoked_at = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 27 November, 07:30 in Jinan
    revocations = RevocationList().revoke(
        SIGNED.licence.identifier, reason="注销", revoked_by="x", revoked_at=revoked_at
    )
    result = verify(SIGNED.qr_text, SETUP.keyring, revocations, at=NOW + timedelta(days=2))
    assert result.message_en == "revoked on 2026-11-27 because 注销"


def test_revoking_another_version_does_not_touch_this_one() -> None:
    other_version = SIGNED.licence.identifier.next_version()
    revocations = RevocationList().revoke(other_version, reason="x", revoked_by="y")
    assert verify(SIGNED.qr_text, SETUP.keyring, revocations, at=NOW).is_valid


def test_a_licence_signed_by_an_unpublished_key_is_unknown_issuer() -> None:
    stranger = DepartmentKey.generate(SETUP.key.department_code)
    qr_text = payload.encode_signed(business_licence(), stranger.key_id_bytes, stranger.sign)
    result = verify(qr_text, SETUP.keyring, at=NOW)
    assert result.status == "unknown_issuer"
    assert result.message_zh.startswith("签发机关未知")
    assert result.message_en.startswith("unknown issuer")
    assert stranger.key_id in result.message_en
    assert result.licence is None


def test_a_valid_signature_by_another_departments_key_is_not_accepted() -> None:
    # The 青岛 key signs a licence that names the 济南 department as its issuer.
    other = SETUP.other_key
    assert other.department_code == OTHER_DEPARTMENT
    qr_text = payload.encode_signed(business_licence(), other.key_id_bytes, other.sign)
    result = verify(qr_text, SETUP.keyring, at=NOW)
    assert result.status == "signature_invalid"
    assert OTHER_DEPARTMENT in result.message_en
    assert result.licence is None


def test_an_empty_keyring_knows_no_issuer() -> None:
    assert verify(SIGNED.qr_text, KeyRing(), at=NOW).status == "unknown_issuer"


def test_an_expired_licence_shows_expired() -> None:
    signed = SETUP.issuer.issue(business_request(valid_until=valid_until(30)))
    assert verify(signed.qr_text, SETUP.keyring, at=ISSUED_AT + timedelta(days=30)).is_valid
    result = verify(signed.qr_text, SETUP.keyring, at=ISSUED_AT + timedelta(days=31))
    assert result.status == "expired"
    assert (
        result.message == f"已于 {valid_until(30).isoformat()} 到期 expired after {valid_until(30)}"
    )


def test_garbage_is_malformed_with_a_reason() -> None:
    result = verify("https://example.com/not-a-licence", SETUP.keyring, at=NOW)
    assert result.status == "malformed"
    assert result.message_zh.startswith("无法识别的证照码")
    assert result.message_en.startswith("malformed licence code")
    assert result.licence is None and result.key_id is None


def test_result_dict_is_json_ready_and_has_the_public_content() -> None:
    revocations = RevocationList().revoke(
        SIGNED.licence.identifier, reason="吊销", revoked_by="x", revoked_at=NOW
    )
    document = verify(SIGNED.qr_text, SETUP.keyring, revocations, at=NOW).to_dict()
    parsed = json.loads(json.dumps(document, ensure_ascii=False))
    assert parsed["status"] == "revoked"
    assert parsed["revocation"]["reason"] == "吊销"
    assert parsed["licence"]["identifier"] == SIGNED.licence.identifier.text
    assert LicenceIdentifier.parse(parsed["licence"]["identifier_oid"]) == SIGNED.licence.identifier
    assert {"name": "法定代表人", "value": "张三"} in parsed["licence"]["fields"]
    assert "case_id" not in parsed["licence"]
