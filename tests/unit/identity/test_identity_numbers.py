"""公民身份号码 and 统一社会信用代码: check characters, validation messages, allocation, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from yiwang.identity.errors import (
    AllocationError,
    InvalidCreditCode,
    InvalidIdNumber,
    InvalidPhoneNumber,
)
from yiwang.identity.models import Gender
from yiwang.identity.numbers import (
    CREDIT_CODE_ALPHABET,
    allocate_credit_code,
    credit_code_check_char,
    id_birth_date,
    id_check_char,
    id_gender,
    is_valid_credit_code,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    mask_phone,
    organisation_code_check_char,
    validate_credit_code,
    validate_id_number,
    validate_mobile_phone,
)

TODAY = dt.date(2025, 6, 1)

# --- 公民身份号码 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the classic example of GB 11643 (a woman born 1949-12-31)
        "110101199003071233",
        "360426199101010071",  # python-stdnum's own example
    ],
)
def test_known_valid_id_numbers_pass(number: str) -> None:
    assert validate_id_number(number, today=TODAY) == number
    assert ric.is_valid(number)


def test_id_number_is_normalised_from_what_people_type() -> None:
    # lower-case x, full-width digits, spaces between groups
    assert validate_id_number("110105 19491231 002x", today=TODAY) == "11010519491231002X"
    assert validate_id_number("１１０１０１１９９００３０７１２３３", today=TODAY) == (
        "110101199003071233"
    )


def test_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number("110101199003071234", today=TODAY)
    error = caught.value
    assert error.code == "check_digit"
    assert error.expected == "3"
    assert "应为3" in error.message_zh
    assert "should be 3" in error.message_en
    # Chinese first, then English, in the exception's text
    assert str(error).index("校验码") < str(error).index("check character")


def test_wrong_length_says_how_long_it_is() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number("11010119900307123", today=TODAY)
    assert caught.value.code == "length"
    assert "17" in caught.value.message_zh and "17" in caught.value.message_en


def test_letters_in_the_body_are_a_format_error() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number("1101011990A3071233", today=TODAY)
    assert caught.value.code == "format"


def test_impossible_birth_date_is_named() -> None:
    # 30 February, with a correct check character
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number("110101199002301236", today=TODAY)
    assert caught.value.code == "birth_date"
    assert "19900230" in caught.value.message_zh


def test_birth_date_after_today_is_rejected() -> None:
    number = make_id_number("110101", dt.date(2025, 6, 2), 123)
    assert is_valid_id_number(number, today=dt.date(2025, 6, 2))
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number(number, today=TODAY)
    assert caught.value.code == "birth_date"


@pytest.mark.parametrize("number", ["990101199003071237", "379999199003071239"])
def test_unknown_region_code_is_named(number: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number(number, today=TODAY)
    assert caught.value.code == "region"
    assert number[:6] in caught.value.message_zh


def test_region_code_older_than_its_gb2260_entry_is_accepted() -> None:
    # 370102 (历下区) enters stdnum's table in 1983, yet people born before then hold such
    # numbers: the code records where the number was issued. stdnum refuses it; we do not.
    number = make_id_number("370102", dt.date(1960, 1, 1), 123)
    assert not ric.is_valid(number)
    assert is_valid_id_number(number, today=TODAY)


def test_error_message_masks_the_number() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number("110101199003071234", today=TODAY)
    assert caught.value.value == "1101**********1234"
    assert "110101199003071234" not in str(caught.value)


def test_error_converts_to_a_field_problem() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        validate_id_number("123", today=TODAY)
    problem = caught.value.to_problem("legal_rep_id")
    assert (problem.field, problem.code) == ("legal_rep_id", "length")
    assert problem.message_zh == caught.value.message_zh


def test_make_id_number_encodes_sex_and_birth_date() -> None:
    man = make_id_number("370102", dt.date(1985, 7, 1), 11)
    woman = make_id_number("370102", dt.date(1985, 7, 1), 12)
    assert man[:17] == "37010219850701011"
    assert id_gender(man) is Gender.MALE
    assert id_gender(woman) is Gender.FEMALE
    assert id_birth_date(man) == dt.date(1985, 7, 1)


@pytest.mark.parametrize(
    ("region", "serial"),
    [("37010", 1), ("37010A", 1), ("370102", -1), ("370102", 1000)],
)
def test_make_id_number_refuses_bad_parts(region: str, serial: int) -> None:
    with pytest.raises(AllocationError):
        make_id_number(region, dt.date(1990, 1, 1), serial)


def test_id_check_char_needs_seventeen_digits() -> None:
    assert id_check_char("11010519491231002") == "X"
    with pytest.raises(AllocationError):
        id_check_char("1101051949123100")


# Region codes that python-stdnum knows without a start year, so its full validation applies
# to any birth date.
_TIMELESS_REGIONS = ["110101", "110102", "110105", "110106", "110107", "110108"]
_BIRTH_DATES = st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31))


@given(st.sampled_from(_TIMELESS_REGIONS), _BIRTH_DATES, st.integers(0, 999))
def test_every_made_id_number_validates_with_stdnum(
    region: str, birth: dt.date, serial: int
) -> None:
    number = make_id_number(region, birth, serial)
    assert ric.is_valid(number)
    assert validate_id_number(number, today=TODAY) == number


@given(
    st.sampled_from(["370102", "370124", "371122", *_TIMELESS_REGIONS]),
    _BIRTH_DATES,
    st.integers(0, 999),
    st.integers(0, 17),
    st.sampled_from("0123456789X"),
)
def test_any_single_character_change_of_an_id_number_is_rejected(
    region: str, birth: dt.date, serial: int, position: int, replacement: str
) -> None:
    number = make_id_number(region, birth, serial)
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    assert not is_valid_id_number(changed, today=TODAY)
    assert not ric.is_valid(changed)


# --- 统一社会信用代码 ---------------------------------------------------------------------------


def test_known_valid_credit_code_passes() -> None:
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"
    assert validate_credit_code(" 9111 0000 6000 3734 1l") == "91110000600037341L"


def test_credit_code_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_credit_code("91110000600037341M")
    assert caught.value.code == "check_digit"
    assert caught.value.expected == "L"
    assert "应为L" in caught.value.message_zh
    assert "should be L" in caught.value.message_en


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91110000600037341", "length"),
        ("9111000060003734IL", "format"),  # I is not in the GB 32100 alphabet
        ("B1370102000000010M", "authority"),  # correct check, but no authority B
        ("919900000000000106", "region"),  # correct check, but no province 99
    ],
)
def test_credit_code_problems_are_named(code: str, problem: str) -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        validate_credit_code(code)
    assert caught.value.code == problem


@pytest.mark.parametrize(
    ("first8", "check"),
    [
        ("60003734", "1"),  # the organisation code inside 91110000600037341L
        ("00000001", "9"),  # 1 x 2 = 2; 11 - 2 = 9
        ("00000006", "X"),  # 6 x 2 = 12 = 1 mod 11; 11 - 1 = 10 -> X
        ("00000000", "0"),  # 0; 11 - 0 = 11 -> 0
    ],
)
def test_organisation_code_check_character(first8: str, check: str) -> None:
    assert organisation_code_check_char(first8) == check


def test_allocated_code_is_made_of_its_parts() -> None:
    code = allocate_credit_code("9", "1", "370102", 12345)
    assert code[:8] == "91370102"
    assert code[8:16] == "00012345"
    assert code[16] == organisation_code_check_char("00012345")
    assert code[17] == credit_code_check_char(code[:17])
    assert uscc.is_valid(code)
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("authority", "entity_type", "region", "serial"),
    [
        ("B", "1", "370102", 1),  # no such authority
        ("9", "4", "370102", 1),  # 市场监管 has types 1, 2, 3 only
        ("9", "1", "3701", 1),
        ("9", "1", "370102", 10**8),
        ("9", "1", "370102", -1),
    ],
)
def test_allocation_refuses_bad_parts(
    authority: str, entity_type: str, region: str, serial: int
) -> None:
    with pytest.raises(AllocationError):
        allocate_credit_code(authority, entity_type, region, serial)


_REGIONS = st.sampled_from(["370102", "370124", "371122", "370190", "110105"])
_SERIALS = st.integers(0, 10**8 - 1)


@given(st.sampled_from(["1", "2", "3"]), _REGIONS, _SERIALS)
def test_every_allocated_credit_code_validates_with_stdnum(
    entity_type: str, region: str, serial: int
) -> None:
    code = allocate_credit_code("9", entity_type, region, serial)
    assert uscc.is_valid(code)
    assert is_valid_credit_code(code)


@given(_REGIONS, _SERIALS, st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET + "IOSVZ"))
def test_any_single_character_change_of_a_credit_code_is_rejected(
    region: str, serial: int, position: int, replacement: str
) -> None:
    code = allocate_credit_code("9", "1", region, serial)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_credit_code(changed)
    assert not uscc.is_valid(changed)


@given(_REGIONS, st.integers(0, 10**8 - 2))
def test_consecutive_serials_give_distinct_codes(region: str, serial: int) -> None:
    assert allocate_credit_code("9", "1", region, serial) != allocate_credit_code(
        "9", "1", region, serial + 1
    )


# --- phones and masking ------------------------------------------------------------------------


def test_masking_keeps_only_the_ends() -> None:
    assert mask_id_number("110101199003071233") == "1101**********1233"
    assert mask_phone("13812345678") == "138****5678"


def test_masking_never_reveals_short_input() -> None:
    assert mask_id_number("12345678") == "********"
    assert mask_phone("1381234") == "*******"
    assert mask_id_number("") == ""


@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "+86 138-1234-5678"])
def test_mobile_phone_is_normalised(typed: str) -> None:
    assert validate_mobile_phone(typed) == "13812345678"


@pytest.mark.parametrize("typed", ["12812345678", "1381234567", "0531-88888888"])
def test_bad_mobile_phone_is_rejected(typed: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as caught:
        validate_mobile_phone(typed)
    assert caught.value.code == "format"
