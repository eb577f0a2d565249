"""The signed QR payload: compact, canonical, and strict about what it accepts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from licence_factories import ISSUED_AT, Setup, business_licence, without_case

from yiwang.licences import payload
from yiwang.licences.errors import MalformedPayload, PayloadTooLarge
from yiwang.licences.models import CHINA_TZ, Licence
from yiwang.licences.qr import make_qr
from yiwang.licences.services import sign_licence

SETUP = Setup()
KEY_ID = SETUP.key.key_id_bytes

# Text a licence may hold: anything printable, line breaks allowed, no other control chars.
_char = st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n")
licence_text = st.text(_char, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
field_value = st.text(_char, max_size=30)


def test_the_same_licence_always_gives_the_same_bytes() -> None:
    licence = business_licence()
    assert payload.encode_body(licence) == payload.encode_body(business_licence())
    qr_text = sign_licence(licence, SETUP.key).qr_text
    # Ed25519 signatures are deterministic, so the whole QR text repeats too.
    assert sign_licence(business_licence(), SETUP.key).qr_text == qr_text


def test_equal_offsets_in_different_zone_objects_encode_alike() -> None:
    fixed = ISSUED_AT.replace(tzinfo=timezone(timedelta(hours=8)))
    named = ISSUED_AT.replace(tzinfo=CHINA_TZ)
    assert payload.encode_body(business_licence(issued_at=fixed)) == payload.encode_body(
        business_licence(issued_at=named)
    )


def test_case_id_is_not_part_of_the_payload() -> None:
    assert payload.encode_body(business_licence(case_id="C-1")) == payload.encode_body(
        business_licence()
    )


def test_decode_gives_back_the_licence_the_key_and_the_signed_bytes() -> None:
    licence = business_licence(case_id="C-1", valid_until=ISSUED_AT.date() + timedelta(days=3650))
    signed = sign_licence(licence, SETUP.key)
    decoded = payload.decode(signed.qr_text)
    assert decoded.licence == without_case(licence)
    assert decoded.key_id == KEY_ID
    assert decoded.key_id_hex == signed.key_id == SETUP.key.key_id
    assert len(decoded.signature) == payload.SIGNATURE_BYTES
    assert decoded.message.startswith(b"YW1:\x01" + KEY_ID)


@settings(max_examples=60)
@given(
    holder_name=licence_text,
    issuer_name=licence_text,
    fields=st.lists(st.tuples(licence_text, field_value), max_size=5, unique_by=lambda f: f[0]),
    offset_minutes=st.integers(-14 * 60, 14 * 60),
)
def test_any_licence_text_round_trips(
    holder_name: str, issuer_name: str, fields: list[tuple[str, str]], offset_minutes: int
) -> None:
    licence = business_licence(
        holder_name=holder_name,
        issuer_name=issuer_name,
        fields=tuple(fields),
        issued_at=ISSUED_AT.astimezone(timezone(timedelta(minutes=offset_minutes))),
    )
    decoded = payload.decode(sign_licence(licence, SETUP.key).qr_text)
    assert decoded.licence == licence
    assert decoded.licence.issued_at.utcoffset() == licence.issued_at.utcoffset()


def test_a_business_licence_fits_a_phone_readable_qr_code() -> None:
    qr_text = sign_licence(business_licence(), SETUP.key).qr_text
    assert qr_text.startswith("YW1:") and qr_text[4:].isdigit()
    qr = make_qr(qr_text)
    assert isinstance(qr.version, int) and qr.version <= 21
    assert qr.error in ("M", "Q", "H")


def test_a_licence_too_large_for_a_qr_code_is_refused_before_signing() -> None:
    licence = business_licence(fields=(("经营范围", "技术服务；" * 200),))
    with pytest.raises(PayloadTooLarge, match="经营范围"):
        sign_licence(licence, SETUP.key)


def _number_text(blob: bytes) -> str:
    return "YW1:" + str(int.from_bytes(blob, "big"))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "YW1:"),
        ("hello", "YW1:"),
        ("YW1:", "nothing after"),
        ("YW1:12a4", "only digits"),
        ("YW1:０１２", "only digits"),  # full-width digits are not accepted
        ("YW1:0123", "start with 0"),
        ("YW1:1_000", "only digits"),
        ("yw1:123", "YW1:"),
        ("XYW1:123", "before"),
        ("YW1:" + "9" * (payload.MAX_DIGITS + 1), "too long"),
        ("YW1:12345", "too short"),
        (_number_text(b"\x02" + bytes(100)), "format version"),
        (_number_text(b"\x01" + bytes(8) + b"\xff\xff" + bytes(64)), "GB 18030"),
        (_number_text(b"\x01" + bytes(8) + b"a\x1fb" + bytes(64)), "number of fields"),
    ],
)
def test_bad_input_raises_malformed_payload_that_says_why(text: str, says: str) -> None:
    with pytest.raises(MalformedPayload, match=says):
        payload.decode(text)


def test_a_bad_identifier_inside_the_body_is_malformed() -> None:
    body = payload.encode_body(business_licence()).replace(b"YYZZ.", b"YYZA.", 1)
    with pytest.raises(MalformedPayload, match="identifier"):
        payload.decode(_number_text(b"\x01" + KEY_ID + body + bytes(64)))


def test_a_url_in_front_of_the_payload_is_accepted() -> None:
    qr_text = sign_licence(business_licence(), SETUP.key).qr_text
    decoded = payload.decode("HTTPS://ZWFW.EXAMPLE.GOV.CN/V/" + qr_text)
    assert decoded.licence == business_licence()


def test_decoded_licences_are_real_licence_objects() -> None:
    decoded = payload.decode(sign_licence(business_licence(), SETUP.key).qr_text).licence
    assert isinstance(decoded, Licence)
    assert decoded.field("法定代表人") == "张三"
    assert replace(decoded, holder_name="x").holder_name == "x"
