"""公民身份号码 and 统一社会信用代码: validation, construction, allocation and masking.

* 公民身份号码 (citizen identity number, GB 11643-1999): 6-digit region code (GB/T 2260),
  8-digit birth date, 3-digit serial (odd for men, even for women), ISO 7064 MOD 11-2 check
  character (``0``-``9`` or ``X``).
* 统一社会信用代码 (unified social credit code, GB 32100-2015): registration authority,
  entity type, 6-digit region code, 9-character organisation code (GB 11714, with its own
  MOD 11 check character), and a MOD 31 check character over a 31-character alphabet.

The check characters come from ``stdnum.cn.ric`` and ``stdnum.cn.uscc``. Two of stdnum's
``validate`` rules are stricter than the numbers found in practice, so we apply our own rule
there and say so:

* stdnum rejects an ID number whose region code was not yet in GB/T 2260 in the birth year;
  but the region code records where the number was *issued*, and everyone born before 1983
  (when most of today's codes start in stdnum's table) holds such a number. We accept any code
  that GB/T 2260 has ever assigned.
* stdnum requires the first two characters of a credit code to be digits; GB 32100 also
  assigns ``A``, ``N`` and ``Y`` as registration authorities. We accept the whole alphabet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Final

from stdnum.cn import ric, uscc

from yiwang.identity.errors import (
    AllocationError,
    InvalidCreditCode,
    InvalidIdNumber,
    InvalidPhoneNumber,
)
from yiwang.identity.models import Gender

__all__ = [
    "ACCEPTED_ID_DOCUMENTS",
    "CREDIT_CODE_ALPHABET",
    "REGISTRATION_AUTHORITIES",
    "allocate_credit_code",
    "credit_code_check_char",
    "id_birth_date",
    "id_check_char",
    "id_document_kind",
    "id_gender",
    "is_valid_credit_code",
    "is_valid_id_number",
    "make_id_number",
    "mask_id_number",
    "mask_phone",
    "organisation_code_check_char",
    "validate_credit_code",
    "validate_id_number",
    "validate_identity_document",
    "validate_mobile_phone",
]

#: GB 32100 characters: digits and capitals without I, O, S, V, Z.
CREDIT_CODE_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: GB 32100 table 1: registration authority -> {entity type: meaning}.
REGISTRATION_AUTHORITIES: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}

_ID_LENGTH: Final = 18
_EARLIEST_BIRTH: Final = dt.date(1900, 1, 1)
_ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_VALUES: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The national registration authority's region code (国家市场监督管理总局 and peers).
_NATIONAL_REGION: Final = "100000"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-]+")


def _clean(value: str) -> str:
    """Full-width to half-width, drop spaces and hyphens, upper case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()


# --- 公民身份号码 ----------------------------------------------------------------------------


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    if len(first17) != _ID_LENGTH - 1 or not first17.isascii() or not first17.isdigit():
        raise AllocationError(f"need 17 digits to compute an ID check character, got {first17!r}")
    return str(ric.calc_check_digit(first17 + "0"))


def validate_id_number(number: str, *, today: dt.date | None = None) -> str:
    """Return the normalised 18-character ID number or raise ``InvalidIdNumber``.

    Accepts full-width characters, spaces and a lower-case ``x``. Checks, in order: length,
    digits, check character, birth date (a real date, not before 1900, not after ``today``)
    and region code (one that GB/T 2260 has assigned).
    """
    cleaned = _clean(number)
    masked = mask_id_number(cleaned)
    if len(cleaned) != _ID_LENGTH:
        raise InvalidIdNumber(
            "length",
            f"公民身份号码应为18位，实为{len(cleaned)}位",
            f"an ID number has 18 characters, this one has {len(cleaned)}",
            value=masked,
        )
    body, check = cleaned[:-1], cleaned[-1]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise InvalidIdNumber(
            "format",
            "公民身份号码前17位应为数字，末位应为数字或X",
            "an ID number is 17 digits followed by a digit or X",
            value=masked,
        )
    expected = id_check_char(body)
    if check != expected:
        raise InvalidIdNumber(
            "check_digit",
            f"公民身份号码校验码错误：末位应为{expected}，实为{check}",
            f"wrong check character: the last character should be {expected}, not {check}",
            value=masked,
            expected=expected,
        )
    birth_text = body[6:14]
    try:
        birth = dt.date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        birth = None
    latest = today or dt.date.today()
    if birth is None or not _EARLIEST_BIRTH <= birth <= latest:
        raise InvalidIdNumber(
            "birth_date",
            f"公民身份号码中的出生日期{birth_text}无效",
            f"the birth date {birth_text} in the ID number is not a valid date",
            value=masked,
        )
    if not _region_ever_assigned(body[:6]) and _document_of(body) is None:
        raise InvalidIdNumber(
            "region",
            f"公民身份号码中的地址码{body[:6]}不是有效的行政区划代码",
            f"the region code {body[:6]} in the ID number is not a GB/T 2260 code",
            value=masked,
        )
    return cleaned


#: The identity documents an ``id_number`` field accepts, as the forms and the API name them.
ACCEPTED_ID_DOCUMENTS: Final = (
    ("居民身份证", "Resident identity card"),
    ("港澳居民居住证", "Residence permit for Hong Kong and Macao residents"),
    ("台湾居民居住证", "Residence permit for Taiwan residents"),
    ("外国人永久居留身份证", "Foreign permanent resident ID card"),
)

# Residence permits for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证办理办法,
# 国办发〔2018〕81号) carry an 18-character number under GB 11643 whose address code is
# 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan).
_PERMIT_REGIONS: Final = {
    "810000": "hk_macao_residence_permit",
    "820000": "hk_macao_residence_permit",
    "830000": "taiwan_residence_permit",
}
# Province-level codes of GB/T 2260 (the first two digits of an address code): where a 2023
# 外国人永久居留身份证 was applied for.
_PROVINCES: Final = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
    ]
)


def _document_of(body: str) -> str | None:
    """Which non-citizen document an 18-character number's first 17 digits belong to.

    * 港澳台居民居住证: address code 810000, 820000 or 830000;
    * 外国人永久居留身份证 (2023 format, 国家移民管理局): ``9`` (the foreigner's mark; a
      citizen's number starts with a province, 1-8), the 2-digit province where it was
      applied for, a 3-digit nationality code (ISO 3166-1 numeric, never 000), then birth
      date, serial and check character as in GB 11643.
    """
    if body[:6] in _PERMIT_REGIONS:
        return _PERMIT_REGIONS[body[:6]]
    if body[0] == "9" and body[1:3] in _PROVINCES and body[3:6] != "000":
        return "foreign_permanent_residence"
    return None


def id_document_kind(number: str) -> str:
    """The document a valid 18-character number belongs to: ``resident_id`` (居民身份证),
    ``hk_macao_residence_permit``, ``taiwan_residence_permit`` or
    ``foreign_permanent_residence``."""
    cleaned = _clean(number)
    return _document_of(cleaned[:17]) or "resident_id"


# The 2004-2017 外国人永久居留身份证 number: 3 letters (the nationality, ISO 3166-1 alpha-3),
# then 12 digits: 2 for where it was applied for, the birth date as YYMMDD, and 4 more
# (serial and a final digit). Its final digit's algorithm is not published with the format,
# so it is not checked (an assumption recorded in docs/legal.md).
_OLD_PR = re.compile(r"[A-Z]{3}(\d{2})(\d{6})(\d{4})")


def validate_identity_document(number: str, *, today: dt.date | None = None) -> tuple[str, str]:
    """(document kind, normalised number) of any identity document number accepted for these
    services: 居民身份证, 港澳台居民居住证 and both formats of 外国人永久居留身份证.

    Raises ``InvalidIdNumber`` naming the problem. 18-character numbers go through
    :func:`validate_id_number` (GB 11643 check character); the old 15-character permanent
    residence number is checked for its shape and birth date.
    """
    cleaned = _clean(number)
    if len(cleaned) == 15 and cleaned[:3].isalpha():
        match = _OLD_PR.fullmatch(cleaned)
        if match is None or match[1] not in _PROVINCES:
            raise InvalidIdNumber(
                "format",
                "外国人永久居留身份证（旧版）号码应为3位字母国籍代码加12位数字，第4-5位为省级代码",
                "an old-format permanent residence number is 3 letters and 12 digits, "
                "digits 4-5 a province code",
                value=mask_id_number(cleaned),
            )
        if not _old_birth_date_valid(match[2], today or dt.date.today()):
            raise InvalidIdNumber(
                "birth_date",
                f"外国人永久居留身份证号码中的出生日期{match[2]}无效",
                f"the birth date {match[2]} in the permanent residence number is not valid",
                value=mask_id_number(cleaned),
            )
        return "foreign_permanent_residence", cleaned
    valid = validate_id_number(cleaned, today=today)
    return id_document_kind(valid), valid


def _old_birth_date_valid(yymmdd: str, today: dt.date) -> bool:
    """A YYMMDD date: the most recent century that puts it on or before ``today``."""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    for century in (2000, 1900):
        try:
            born = dt.date(century + yy, mm, dd)
        except ValueError:
            return False
        if born <= today:
            return True
    return False


def is_valid_id_number(number: str, *, today: dt.date | None = None) -> bool:
    try:
        validate_id_number(number, today=today)
    except InvalidIdNumber:
        return False
    return True


def make_id_number(region_code: str, birth_date: dt.date, serial: int) -> str:
    """Build an ID number from its parts, computing the check character.

    ``serial`` is the 3-digit sequence (0-999): odd for men, even for women.
    """
    if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
        raise AllocationError(f"region code must be 6 digits, got {region_code!r}")
    if not 0 <= serial <= 999:
        raise AllocationError(f"serial must be 0-999, got {serial}")
    if not 1000 <= birth_date.year <= 9999:
        raise AllocationError(f"birth year must have 4 digits, got {birth_date.year}")
    body = f"{region_code}{birth_date:%Y%m%d}{serial:03d}"
    return body + id_check_char(body)


def id_birth_date(number: str) -> dt.date:
    """Birth date of a valid ID number (validates first)."""
    valid = validate_id_number(number)
    return dt.date(int(valid[6:10]), int(valid[10:12]), int(valid[12:14]))


def id_gender(number: str) -> Gender:
    """Sex recorded in a valid ID number (validates first)."""
    valid = validate_id_number(number)
    return Gender.MALE if int(valid[16]) % 2 else Gender.FEMALE


def _region_ever_assigned(code: str) -> bool:
    from stdnum import numdb  # loads its table on first use, not at import

    found: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(code):
        found.update(props)
    return "province" in found and "county" in found


def _province_known(region_code: str) -> bool:
    from stdnum import numdb

    return any("province" in props for _part, props in numdb.get("cn/loc").info(region_code))


# --- 统一社会信用代码 -------------------------------------------------------------------------


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(char not in CREDIT_CODE_ALPHABET for char in first17):
        raise AllocationError(f"need 17 characters of the credit-code alphabet, got {first17!r}")
    return str(uscc.calc_check_digit(first17))


def organisation_code_check_char(first8: str) -> str:
    """The GB 11714 check character for the first 8 characters of an organisation code.

    C9 = 11 - (sum of value x weight mod 11), weights 3 7 9 10 5 8 4 2, digits and capital
    letters valued 0-35; 10 is written ``X`` and 11 ``0``.
    """
    if len(first8) != 8 or any(char not in _ORG_CODE_VALUES for char in first8):
        raise AllocationError(f"need 8 digits or capital letters, got {first8!r}")
    total = sum(
        _ORG_CODE_VALUES.index(char) * weight
        for char, weight in zip(first8, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_credit_code(code: str) -> str:
    """Return the normalised credit code or raise ``InvalidCreditCode``.

    Checks length, alphabet, registration authority (GB 32100 table 1),
    the region part (6 digits of a known province, or the national ``100000``) and the
    check character.
    """
    cleaned = _clean(code)
    if len(cleaned) != 18:
        raise InvalidCreditCode(
            "length",
            f"统一社会信用代码应为18位，实为{len(cleaned)}位",
            f"a credit code has 18 characters, this one has {len(cleaned)}",
            value=cleaned,
        )
    bad = sorted({char for char in cleaned if char not in CREDIT_CODE_ALPHABET})
    if bad:
        shown = "、".join(bad)
        raise InvalidCreditCode(
            "format",
            f"统一社会信用代码含有不允许的字符：{shown}（不使用I、O、S、V、Z）",
            f"a credit code uses digits and capitals except I, O, S, V, Z; found {', '.join(bad)}",
            value=cleaned,
        )
    authority, region = cleaned[0], cleaned[2:8]
    # Only the authority is checked: the entity types of each authority have grown since
    # GB 32100-2015, and refusing a real code is worse than accepting an unlisted type.
    if authority not in REGISTRATION_AUTHORITIES:
        raise InvalidCreditCode(
            "authority",
            f"统一社会信用代码的登记管理部门码“{authority}”不存在",
            f"no registration authority {authority!r} in GB 32100",
            value=cleaned,
        )
    if not region.isdigit() or not (region == _NATIONAL_REGION or _province_known(region)):
        raise InvalidCreditCode(
            "region",
            f"统一社会信用代码中的登记管理机关行政区划码{region}无效",
            f"the region code {region} in the credit code is not a valid region code",
            value=cleaned,
        )
    expected = credit_code_check_char(cleaned[:-1])
    if cleaned[-1] != expected:
        raise InvalidCreditCode(
            "check_digit",
            f"统一社会信用代码校验码错误：末位应为{expected}，实为{cleaned[-1]}",
            f"wrong check character: the last character should be {expected}, not {cleaned[-1]}",
            value=cleaned,
            expected=expected,
        )
    return cleaned


def is_valid_credit_code(code: str) -> bool:
    try:
        validate_credit_code(code)
    except InvalidCreditCode:
        return False
    return True


def allocate_credit_code(
    registration_authority: str,
    entity_type: str,
    region_code: str,
    organisation_serial: int,
) -> str:
    """Build the credit code for the ``organisation_serial``-th entity of a registration office.

    The organisation-code part is the serial written as 8 decimal digits followed by its
    GB 11714 check character; the last character is the GB 32100 check. Distinct serials of
    one authority, type and region give distinct codes.
    """
    known = REGISTRATION_AUTHORITIES.get(registration_authority)
    if known is None:
        raise AllocationError(f"unknown registration authority {registration_authority!r}")
    if entity_type not in known[1]:
        raise AllocationError(
            f"entity type {entity_type!r} is not defined for registration authority "
            f"{registration_authority!r} ({known[0]})"
        )
    if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
        raise AllocationError(f"region code must be 6 digits, got {region_code!r}")
    if not 0 <= organisation_serial < 10**8:
        raise AllocationError(f"organisation serial must be 0..99999999, got {organisation_serial}")
    organisation = f"{organisation_serial:08d}"
    organisation += organisation_code_check_char(organisation)
    first17 = f"{registration_authority}{entity_type}{region_code}{organisation}"
    return first17 + credit_code_check_char(first17)


# --- phones and masking ------------------------------------------------------------------------


def validate_mobile_phone(phone: str) -> str:
    """Return an 11-digit mainland mobile number (``+86``/``86`` prefix dropped) or raise."""
    cleaned = _clean(phone).removeprefix("+86")
    if len(cleaned) == 13 and cleaned.startswith("86"):
        cleaned = cleaned[2:]
    if not _MOBILE.fullmatch(cleaned):
        raise InvalidPhoneNumber(
            "format",
            "手机号码应为以1开头、第二位为3至9的11位数字",
            "a mobile number is 11 digits starting with 1 and then 3-9",
            value=mask_phone(cleaned),
        )
    return cleaned


def mask_id_number(number: str) -> str:
    """Keep the first 4 and last 4 characters: ``1101**********1233``.

    Never raises: anything of 8 characters or fewer is masked completely.
    """
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits: ``138****5678``. Short input is masked completely."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
