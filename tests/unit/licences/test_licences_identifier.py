"""证照标识: compact GB/T 36904-style identifiers with an ISO 7064 MOD 37,36 check char."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.iso7064 import mod_37_36

from yiwang.licences.errors import InvalidIdentifier
from yiwang.licences.models import MAX_SERIAL, ROOT_OID, LicenceIdentifier

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

identifiers = st.builds(
    LicenceIdentifier,
    type_code=st.text(ALNUM, min_size=2, max_size=8),
    issuer_code=st.text(ALNUM, min_size=2, max_size=18),
    serial=st.integers(0, MAX_SERIAL),
    version=st.integers(1, 99),
)


def test_compact_form_has_five_parts_with_padding() -> None:
    identifier = LicenceIdentifier("YYZZ", "370100SCJ", 42)
    type_code, issuer, serial, version, check = identifier.text.split(".")
    assert (type_code, issuer, serial, version) == ("YYZZ", "370100SCJ", "00000042", "01")
    assert len(check) == 1
    assert str(identifier) == identifier.text


def test_check_char_is_iso_7064_mod_37_36_over_root_and_parts() -> None:
    identifier = LicenceIdentifier("YYZZ", "370100SCJ", 42, 3)
    checked = "1215630052" + "YYZZ" + "370100SCJ" + "00000042" + "03" + identifier.check_char
    assert mod_37_36.is_valid(checked)


def test_oid_form_prefixes_the_root_and_parses_back() -> None:
    identifier = LicenceIdentifier("YYZZ", "370100SCJ", 42)
    assert identifier.oid() == f"{ROOT_OID}.{identifier.text}"
    assert LicenceIdentifier.parse(identifier.oid()) == identifier


@given(identifiers)
def test_parse_round_trips(identifier: LicenceIdentifier) -> None:
    parsed = LicenceIdentifier.parse(identifier.text)
    assert parsed == identifier
    assert parsed.text == identifier.text


@given(identifiers, st.data())
def test_any_single_character_change_is_rejected(
    identifier: LicenceIdentifier, data: st.DataObject
) -> None:
    text = identifier.text
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.sampled_from(ALNUM + ".-x ").filter(lambda c: c != text[position]))
    changed = text[:position] + replacement + text[position + 1 :]
    with pytest.raises(InvalidIdentifier):
        LicenceIdentifier.parse(changed)
    assert not LicenceIdentifier.is_valid(changed)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yyzz.370100SCJ.00000042.01.X",  # lower case
        "YYZZ.370100SCJ.42.01.X",  # serial not padded
        "YYZZ.370100SCJ.000000042.01.X",  # serial over-padded
        "YYZZ.370100SCJ.00000042.1.X",  # version not two digits
        "YYZZ.370100SCJ.00000042.01",  # no check char
        "Y.370100SCJ.00000042.01.X",  # type code too short
        "YYZZ 370100SCJ 00000042 01 X",
    ],
)
def test_malformed_texts_are_rejected(text: str) -> None:
    assert not LicenceIdentifier.is_valid(text)


def test_version_00_is_rejected_even_with_a_matching_check_char() -> None:
    check = mod_37_36.calc_check_digit("1215630052YYZZ370100SCJ0000004200")
    with pytest.raises(InvalidIdentifier, match="version"):
        LicenceIdentifier.parse(f"YYZZ.370100SCJ.00000042.00.{check}")


@pytest.mark.parametrize(
    ("type_code", "issuer_code", "serial", "version"),
    [
        ("yyzz", "370100SCJ", 1, 1),
        ("YYZZ", "370100-SCJ", 1, 1),
        ("YYZZ", "../etc", 1, 1),
        ("YYZZ", "370100SCJ", -1, 1),
        ("YYZZ", "370100SCJ", MAX_SERIAL + 1, 1),
        ("YYZZ", "370100SCJ", 1, 0),
        ("YYZZ", "370100SCJ", 1, 100),
    ],
)
def test_out_of_range_parts_cannot_be_built(
    type_code: str, issuer_code: str, serial: int, version: int
) -> None:
    with pytest.raises(InvalidIdentifier):
        LicenceIdentifier(type_code, issuer_code, serial, version)


def test_next_version_keeps_the_serial() -> None:
    first = LicenceIdentifier("YYZZ", "370100SCJ", 42)
    second = first.next_version()
    assert (second.serial, second.version) == (42, 2)
    assert second.text.startswith("YYZZ.370100SCJ.00000042.02.")
    assert second != first


def test_large_serials_use_more_digits() -> None:
    identifier = LicenceIdentifier("YYZZ", "370100SCJ", 123_456_789_012)
    assert identifier.text.split(".")[2] == "123456789012"
    assert LicenceIdentifier.parse(identifier.text) == identifier


def test_the_documented_example_is_a_valid_identifier() -> None:
    assert LicenceIdentifier.parse("YYZZ.370100SCJ.00000042.01.U") == LicenceIdentifier(
        "YYZZ", "370100SCJ", 42
    )
