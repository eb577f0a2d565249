"""Identity documents besides the 居民身份证: 港澳台居民居住证 and both formats of the
外国人永久居留身份证 (GB 11643 check character on every 18-character number)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiwang.identity.errors import InvalidIdNumber
from yiwang.identity.numbers import (
    id_birth_date,
    id_check_char,
    id_document_kind,
    id_gender,
    make_id_number,
    validate_id_number,
    validate_identity_document,
)

TODAY = dt.date(2026, 11, 29)
births = st.dates(min_value=dt.date(1920, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999)
provinces = st.sampled_from(["11", "31", "37", "44", "65"])
nationalities = st.integers(min_value=1, max_value=999).map(lambda n: f"{n:03d}")


@given(region=st.sampled_from(["810000", "820000", "830000"]), born=births, serial=serials)
def test_residence_permits_of_hong_kong_macao_and_taiwan_are_accepted(
    region: str, born: dt.date, serial: int
) -> None:
    number = make_id_number(region, born, serial)
    assert validate_id_number(number, today=TODAY) == number
    kind = "taiwan_residence_permit" if region == "830000" else "hk_macao_residence_permit"
    assert validate_identity_document(number, today=TODAY) == (kind, number)
    assert id_birth_date(number) == born
    assert id_gender(number) == id_gender(make_id_number("370102", born, serial))


@given(province=provinces, nationality=nationalities, born=births, serial=serials)
def test_the_2023_permanent_residence_number_is_accepted_with_its_check_character(
    province: str, nationality: str, born: dt.date, serial: int
) -> None:
    number = make_id_number(f"9{province}{nationality}", born, serial)
    assert validate_identity_document(number, today=TODAY) == (
        "foreign_permanent_residence",
        number,
    )
    assert id_document_kind(number) == "foreign_permanent_residence"


@given(
    province=provinces,
    nationality=nationalities,
    born=births,
    serial=serials,
    wrong=st.sampled_from("0123456789X"),
)
def test_a_wrong_check_character_is_refused_on_every_document(
    province: str, nationality: str, born: dt.date, serial: int, wrong: str
) -> None:
    for first6 in (f"9{province}{nationality}", "830000", "810000"):
        body = make_id_number(first6, born, serial)[:17]
        if wrong == id_check_char(body):
            continue
        with pytest.raises(InvalidIdNumber) as error:
            validate_identity_document(body + wrong, today=TODAY)
        assert error.value.code == "check_digit"


def test_boundaries_of_the_permanent_residence_number() -> None:
    born = dt.date(1990, 5, 6)
    # Province 99 does not exist; nationality 000 is no country; 840000 is not a permit region.
    for first6 in ("999156", "937000", "840000"):
        with pytest.raises(InvalidIdNumber):
            validate_identity_document(make_id_number(first6, born, 1), today=TODAY)
    # A citizen's number is still a 居民身份证.
    citizen = make_id_number("370102", born, 1)
    assert validate_identity_document(citizen, today=TODAY) == ("resident_id", citizen)


def test_the_old_fifteen_character_permanent_residence_number() -> None:
    assert validate_identity_document("usa370901234567", today=TODAY) == (
        "foreign_permanent_residence",
        "USA370901234567",
    )
    for bad in (
        "US1370901234567",  # a digit in the nationality letters
        "USA990901234567",  # no province 99
        "USA371302304567",  # month 13
        "USA37090123456",  # 14 characters
        "USA3709012345678",  # 16 characters
    ):
        with pytest.raises(InvalidIdNumber):
            validate_identity_document(bad, today=TODAY)


def test_a_birth_date_after_today_is_refused() -> None:
    number = make_id_number("830000", dt.date(2026, 11, 30), 1)
    with pytest.raises(InvalidIdNumber) as error:
        validate_identity_document(number, today=TODAY)
    assert error.value.code == "birth_date"
    assert validate_identity_document(number, today=dt.date(2026, 11, 30))[0] == (
        "taiwan_residence_permit"
    )
