"""The signed payload carries no full citizen ID number; a credit code stays whole."""

from __future__ import annotations

from licence_factories import CREDIT_CODE, ISSUED_AT, Setup, business_request

from yiwang.licences.models import TALENT_CARD
from yiwang.licences.payload import decode
from yiwang.licences.qr import verification_address
from yiwang.licences.render import holder_labels
from yiwang.licences.services import public_holder_id
from yiwang.licences.verification import verify

PERSON = "370102199003077777"


def test_a_citizens_number_is_masked_and_a_credit_code_kept() -> None:
    assert public_holder_id(PERSON) == "3701**********7777"
    assert public_holder_id(CREDIT_CODE) == CREDIT_CODE


def test_a_person_held_licence_carries_the_masked_number_and_still_verifies() -> None:
    setup = Setup()
    signed = setup.issuer.issue(business_request(kind=TALENT_CARD, holder_id=PERSON, holder_name="王芳", fields=()))
    assert PERSON not in signed.qr_text
    decoded = decode(signed.qr_text).licence
    assert decoded.holder_id == "3701**********7777" and decoded.holder_name == "王芳"
    assert PERSON.encode("gb18030") not in int(signed.qr_text[4:]).to_bytes(600, "big")
    assert verify(signed.qr_text, setup.keyring, at=ISSUED_AT).is_valid
    # The printed page still calls it an ID number.
    assert holder_labels(decoded.holder_id)[0] == ("公民身份号码", "Citizen identity number")


def test_the_qr_address_opens_the_verify_page_and_verifies_offline_alone() -> None:
    setup = Setup()
    signed = setup.issuer.issue(business_request())
    address = verification_address("http://127.0.0.1:8000", signed.qr_text)
    assert address == f"HTTP://127.0.0.1:8000/V/{signed.qr_text}"
    assert verification_address("https://yiwang.example.cn/", signed.qr_text).startswith("HTTPS://YIWANG.EXAMPLE.CN/V/YW1:")
    # Offline: the whole address, or the code after it, verifies with the published keys only.
    assert verify(address, setup.keyring, at=ISSUED_AT).is_valid
    assert verify(address.split("/V/")[1], setup.keyring, at=ISSUED_AT).is_valid


def test_an_address_the_parser_would_refuse_falls_back_to_the_bare_code() -> None:
    code = Setup().issuer.issue(business_request()).qr_text
    for base in ("", "yiwang.example.cn", "ftp://host", "https://host/sub/path"):
        assert verification_address(base, code) == code
