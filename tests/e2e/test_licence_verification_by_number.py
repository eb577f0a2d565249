"""Licence verification a person can use: the printed number, the QR address, the wallet."""

from __future__ import annotations

import re

from e2e_support import Demo, page_client

from yiwang.licences.payload import decode


def _wallet(demo: Demo) -> dict[str, str]:
    wallet = demo.client.get("/api/v1/me/licences", headers=demo.headers(demo.enterprise)).json()
    return dict(wallet[0])


def test_the_printed_licence_number_verifies_on_the_api(demo: Demo) -> None:
    identifier = _wallet(demo)["identifier"]
    for typed in (identifier, identifier.lower(), f" {identifier[:10]} {identifier[10:]}\n", f"1.2.156.3005.2.{identifier}"):
        result = demo.client.post("/api/v1/licences/verify", json={"qr_text": typed}).json()
        assert result["status"] == "valid", (typed, result)
        assert result["licence"]["identifier"] == identifier
    # A well-formed number this platform never issued, and a number with a wrong check character.
    parts = identifier.split(".")
    unissued = demo.client.post("/api/v1/licences/verify", json={"qr_text": f"YYZZ.{parts[1]}.99999999.01.0"}).json()
    assert unissued["status"] in ("not_found", "malformed")
    broken = identifier[:-1] + ("A" if identifier[-1] != "A" else "B")
    result = demo.client.post("/api/v1/licences/verify", json={"qr_text": broken}).json()
    assert result["status"] == "malformed" and "证照编号" in result["message_zh"]


def test_an_unissued_number_with_a_valid_check_character_is_not_found(demo: Demo) -> None:
    from yiwang.licences.models import LicenceIdentifier

    issued = LicenceIdentifier.parse(_wallet(demo)["identifier"])
    never = LicenceIdentifier(issued.type_code, issued.issuer_code, 99_999_999)
    result = demo.client.post("/api/v1/licences/verify", json={"qr_text": never.text}).json()
    assert result["status"] == "not_found" and never.text in result["message_zh"] and result["licence"] is None


def test_the_verify_page_takes_the_number_and_the_qr_address_opens_the_verdict(demo: Demo) -> None:
    card = _wallet(demo)
    client, csrf = page_client(demo, None)
    shown = client.post("/verify", data={"qr_text": card["identifier"], "csrf_token": csrf})
    assert shown.status_code == 200 and re.search(r'class="verdict-status">有效<', shown.text)
    assert "应以 YW1: 开头" not in shown.text
    # The wallet gives the address the QR code carries: the verify page with the signed code.
    address = card["verify_url"]
    assert address.startswith("HTTP://TESTSERVER/V/YW1:") and address.endswith(card["qr_text"])
    opened = client.get(address.replace("HTTP://TESTSERVER", ""))
    assert opened.status_code == 200 and re.search(r'class="verdict-status">有效<', opened.text)
    assert decode(card["qr_text"]).licence.holder_name in opened.text
    # One digit changed, never to itself (writing "000" over the last three digits left the
    # code unchanged one run in a thousand, when they already were "000").
    last = card["qr_text"][-1]
    tampered = client.get("/V/" + card["qr_text"][:-1] + str((int(last) + 1) % 10))
    assert tampered.status_code == 200 and 'class="verdict-status">有效<' not in tampered.text


def test_a_configured_public_address_goes_into_the_qr(demo: Demo) -> None:
    settings = demo.platform.settings
    original = settings.public_url
    settings.public_url = "https://yiwang.example.cn"
    try:
        card = _wallet(demo)
    finally:
        settings.public_url = original
    assert card["verify_url"] == "HTTPS://YIWANG.EXAMPLE.CN/V/" + card["qr_text"]
