"""Electronic licences (电子证照, R-LIC-1): kinds, identifiers, licences and revocations.

Licence identifier (证照标识)
-----------------------------
GB/T 36904 builds a licence identifier from a root OID (``1.2.156.3005.2``), a licence-type
code, the issuing authority's code, a serial number, a version and an ISO 7064 MOD 37,36
check character. The national form spells the type and issuer as 18-character credit codes
and is 60+ characters long; Yiwang keeps the same six parts in a compact textual form::

    <type>.<issuer>.<serial>.<version>.<check>        e.g.  YYZZ.370100SCJ.00000042.01.U

    type     licence-type code, 2-8 of [0-9A-Z]            (YYZZ = 营业执照, business licence)
    issuer   issuing department code, 2-18 of [0-9A-Z]     (a short code or its credit code)
    serial   decimal serial per (type, issuer), zero-padded to 8 digits, at most 12 digits
    version  2 digits, 01-99: a licence re-issued after a change gets the next version
    check    one ISO 7064 MOD 37,36 character computed over the root OID's digits followed
             by type, issuer, serial and version (separators left out)

The root OID is implied; :meth:`LicenceIdentifier.oid` gives the long form
``1.2.156.3005.2.<compact>``, and :meth:`LicenceIdentifier.parse` accepts both. Parsing is
strict (upper case, canonical zero padding): every text names exactly one identifier, and a
single changed character is always rejected (MOD 37,36 catches every single substitution).

``case_id`` is provenance inside the platform: it is stored with the licence but is not part
of the signed QR payload (the public has no use for it and it would only grow the QR code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from stdnum.iso7064 import mod_37_36

from yiwang.licences.business import BUSINESS_FIELD_LABELS_EN
from yiwang.licences.errors import InvalidIdentifier, InvalidLicence

ROOT_OID = "1.2.156.3005.2"
_ROOT_DIGITS = ROOT_OID.replace(".", "")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

TYPE_CODE_RE = re.compile(r"[0-9A-Z]{2,8}")
ISSUER_CODE_RE = re.compile(r"[0-9A-Z]{2,18}")
_COMPACT_RE = re.compile(
    r"(?P<type>[0-9A-Z]{2,8})\.(?P<issuer>[0-9A-Z]{2,18})\.(?P<serial>[0-9]{8,12})"
    r"\.(?P<version>[0-9]{2})\.(?P<check>[0-9A-Z])"
)
SERIAL_WIDTH = 8
MAX_SERIAL = 10**12 - 1
MAX_VERSION = 99

# China keeps one offset all year; dates on a licence (expiry, revocation day) are read in it.
CHINA_TZ = timezone(timedelta(hours=8), "CST")

# Control characters would break the payload's field separator and have no place on a
# licence; a line break is allowed (long business scopes are written in paragraphs).
_FORBIDDEN_TEXT = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# `*` marks the hidden digits of a masked citizen ID number (see `public_holder_id`).
_HOLDER_ID_RE = re.compile(r"[0-9A-Za-z()*\-]{1,40}")


def _check_char(type_code: str, issuer_code: str, serial_text: str, version_text: str) -> str:
    body = f"{_ROOT_DIGITS}{type_code}{issuer_code}{serial_text}{version_text}"
    return str(mod_37_36.calc_check_digit(body, _ALPHABET))


def _check_text(value: object, what_zh: str, what_en: str, *, allow_empty: bool = True) -> None:
    if not isinstance(value, str):
        raise InvalidLicence(f"{what_zh}须为文本", f"{what_en} must be a text")
    if not allow_empty and not value.strip():
        raise InvalidLicence(f"{what_zh}不能为空", f"{what_en} must not be empty")
    bad = _FORBIDDEN_TEXT.search(value)
    if bad is not None:
        raise InvalidLicence(
            f"{what_zh}含有控制字符 U+{ord(bad.group()):04X}",
            f"{what_en} contains the control character U+{ord(bad.group()):04X}",
        )


def _check_instant(value: object, what_zh: str, what_en: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidLicence(f"{what_zh}须为时间", f"{what_en} must be a datetime")
    offset = value.utcoffset()
    if offset is None:
        raise InvalidLicence(f"{what_zh}须带时区", f"{what_en} must be timezone-aware")
    if offset % timedelta(minutes=1):
        raise InvalidLicence(f"{what_zh}时区须为整分钟", f"{what_en} offset must be whole minutes")
    return value


@dataclass(frozen=True)
class LicenceIdentifier:
    """证照标识: the identifier of one version of one licence. Build, ``parse`` or ``str()``."""

    type_code: str
    issuer_code: str
    serial: int
    version: int = 1
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        given = f"{self.type_code}.{self.issuer_code}.{self.serial}.{self.version}"
        if not isinstance(self.type_code, str) or not TYPE_CODE_RE.fullmatch(self.type_code):
            raise InvalidIdentifier(
                given, "证照类型代码须为 2-8 位大写字母或数字", "type code must be 2-8 of [0-9A-Z]"
            )
        if not isinstance(self.issuer_code, str) or not ISSUER_CODE_RE.fullmatch(self.issuer_code):
            raise InvalidIdentifier(
                given,
                "颁发机构代码须为 2-18 位大写字母或数字",
                "issuer code must be 2-18 of [0-9A-Z]",
            )
        if isinstance(self.serial, bool) or not isinstance(self.serial, int):
            raise InvalidIdentifier(given, "流水号须为整数", "serial must be an integer")
        if not 0 <= self.serial <= MAX_SERIAL:
            raise InvalidIdentifier(
                given, f"流水号须在 0 到 {MAX_SERIAL} 之间", f"serial must be 0..{MAX_SERIAL}"
            )
        if isinstance(self.version, bool) or not isinstance(self.version, int):
            raise InvalidIdentifier(given, "版本号须为整数", "version must be an integer")
        if not 1 <= self.version <= MAX_VERSION:
            raise InvalidIdentifier(
                given, f"版本号须在 1 到 {MAX_VERSION} 之间", f"version must be 1..{MAX_VERSION}"
            )
        serial_text = f"{self.serial:0{SERIAL_WIDTH}d}"
        version_text = f"{self.version:02d}"
        check = _check_char(self.type_code, self.issuer_code, serial_text, version_text)
        text = f"{self.type_code}.{self.issuer_code}.{serial_text}.{version_text}.{check}"
        object.__setattr__(self, "text", text)

    @classmethod
    def parse(cls, text: str) -> LicenceIdentifier:
        """Read the compact form or the long OID form; raise `InvalidIdentifier` otherwise."""
        if not isinstance(text, str):
            raise InvalidIdentifier(repr(text), "不是文本", "not a text")
        compact = text[len(ROOT_OID) + 1 :] if text.startswith(ROOT_OID + ".") else text
        match = _COMPACT_RE.fullmatch(compact)
        if match is None:
            raise InvalidIdentifier(
                text,
                "格式应为 类型.机构.流水号.版本.校验位（如 YYZZ.370100SCJ.00000042.01.U）",
                "expected TYPE.ISSUER.SERIAL.VERSION.CHECK (e.g. YYZZ.370100SCJ.00000042.01.U)",
            )
        serial_text = match["serial"]
        if len(serial_text) > SERIAL_WIDTH and serial_text[0] == "0":
            raise InvalidIdentifier(
                text, "流水号多余的前导零", "serial has extra leading zeros (not canonical)"
            )
        if match["version"] == "00":
            raise InvalidIdentifier(text, "版本号从 01 开始", "version starts at 01")
        expected = _check_char(match["type"], match["issuer"], serial_text, match["version"])
        if match["check"] != expected:
            raise InvalidIdentifier(text, "校验位错误", "check character does not match")
        identifier = object.__new__(cls)
        # Every part was checked above; skip __post_init__ so the check char is computed once.
        for name, value in (
            ("type_code", match["type"]),
            ("issuer_code", match["issuer"]),
            ("serial", int(serial_text)),
            ("version", int(match["version"])),
            ("text", compact),
        ):
            object.__setattr__(identifier, name, value)
        return identifier

    @classmethod
    def is_valid(cls, text: str) -> bool:
        try:
            cls.parse(text)
        except InvalidIdentifier:
            return False
        return True

    @property
    def check_char(self) -> str:
        return self.text[-1]

    def oid(self) -> str:
        """The long form with the GB/T 36904 root OID in front."""
        return f"{ROOT_OID}.{self.text}"

    def next_version(self) -> LicenceIdentifier:
        """The identifier of the licence re-issued after a change (变更换发)."""
        return LicenceIdentifier(self.type_code, self.issuer_code, self.serial, self.version + 1)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class LicenceKind:
    """证照类型. ``code`` matches the catalog's output kind; ``type_code`` goes into identifiers."""

    code: str
    type_code: str
    name_zh: str
    name_en: str

    def __post_init__(self) -> None:
        if not TYPE_CODE_RE.fullmatch(self.type_code):
            raise InvalidLicence(
                f"证照类型代码 {self.type_code!r} 须为 2-8 位大写字母或数字",
                f"licence type code {self.type_code!r} must be 2-8 of [0-9A-Z]",
            )
        for text in (self.code, self.name_zh, self.name_en):
            _check_text(text, "证照类型", "licence kind", allow_empty=False)


BUSINESS_LICENCE = LicenceKind("business_licence", "YYZZ", "营业执照", "Business licence")
"""营业执照: holder_id is the 统一社会信用代码, holder_name the 名称."""

BUSINESS_LICENCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("类型", "Type"),
    ("法定代表人", "Legal representative"),
    ("注册资本", "Registered capital"),
    ("成立日期", "Date of establishment"),
    ("营业期限", "Term of operation"),
    ("住所", "Domicile"),
    ("经营范围", "Business scope"),
)
"""The fields of a business licence, in print order, with their English labels."""

TALENT_CARD = LicenceKind("talent_card", "HCK", "山东惠才卡", "Shandong talent card")
REAL_ESTATE_CERTIFICATE = LicenceKind(
    "real_estate_certificate", "BDCQZ", "不动产权证书", "Real estate title certificate"
)

KNOWN_KINDS: dict[str, LicenceKind] = {
    BUSINESS_LICENCE.code: BUSINESS_LICENCE,
    TALENT_CARD.code: TALENT_CARD,
    REAL_ESTATE_CERTIFICATE.code: REAL_ESTATE_CERTIFICATE,
}

FIELD_LABELS_EN: dict[str, str] = dict(BUSINESS_LICENCE_FIELDS) | BUSINESS_FIELD_LABELS_EN
"""English labels of known field names, for the bilingual page and the CLI."""


@dataclass(frozen=True)
class Licence:
    """电子证照: the content that is signed. Frozen; build a new one to change anything."""

    identifier: LicenceIdentifier
    kind: LicenceKind
    holder_id: str
    holder_name: str
    issuer_department_code: str
    issuer_name: str
    issued_at: datetime
    valid_until: date | None = None
    fields: tuple[tuple[str, str], ...] = ()
    case_id: str | None = None

    def __post_init__(self) -> None:
        ident = self.identifier.text if isinstance(self.identifier, LicenceIdentifier) else ""
        try:
            self._validate()
        except InvalidLicence as exc:
            if ident and not exc.identifier:
                raise InvalidLicence(exc.message_zh, exc.message_en, identifier=ident) from None
            raise

    def _validate(self) -> None:
        if not isinstance(self.identifier, LicenceIdentifier):
            raise InvalidLicence("证照标识类型错误", "identifier must be a LicenceIdentifier")
        if not isinstance(self.kind, LicenceKind):
            raise InvalidLicence("证照类型错误", "kind must be a LicenceKind")
        if self.identifier.type_code != self.kind.type_code:
            raise InvalidLicence(
                f"标识中的类型代码 {self.identifier.type_code} 与证照类型 "
                f"{self.kind.type_code} 不符",
                f"identifier type code {self.identifier.type_code} does not match the kind's "
                f"{self.kind.type_code}",
            )
        if self.identifier.issuer_code != self.issuer_department_code:
            raise InvalidLicence(
                f"标识中的机构代码 {self.identifier.issuer_code} 与签发部门 "
                f"{self.issuer_department_code!r} 不符",
                f"identifier issuer code {self.identifier.issuer_code} does not match the issuing "
                f"department {self.issuer_department_code!r}",
            )
        if not isinstance(self.holder_id, str) or not _HOLDER_ID_RE.fullmatch(self.holder_id):
            raise InvalidLicence(
                "持证主体证件号码须为 1-40 位字母、数字",
                "holder id must be 1-40 letters or digits",
            )
        _check_text(self.holder_name, "持证主体名称", "holder name", allow_empty=False)
        _check_text(self.issuer_name, "签发机关名称", "issuer name", allow_empty=False)
        issued_at = _check_instant(self.issued_at, "签发时间", "issued_at")
        if issued_at.microsecond:
            raise InvalidLicence("签发时间精确到秒", "issued_at must be whole seconds")
        if self.valid_until is not None:
            if not isinstance(self.valid_until, date) or isinstance(self.valid_until, datetime):
                raise InvalidLicence("有效期至须为日期", "valid_until must be a date")
            if self.valid_until < issued_at.astimezone(CHINA_TZ).date():
                raise InvalidLicence("有效期早于签发日期", "valid_until is before the issue date")
        if not isinstance(self.fields, tuple):
            raise InvalidLicence("证照字段须为元组", "fields must be a tuple of (name, value)")
        texts: list[str] = []
        for pair in self.fields:
            if not (
                isinstance(pair, tuple)
                and len(pair) == 2
                and isinstance(pair[0], str)
                and isinstance(pair[1], str)
            ):
                raise InvalidLicence(
                    "证照字段须为（名称，值）文本", "each field must be (name, value) texts"
                )
            if not pair[0].strip():
                raise InvalidLicence("字段名不能为空", "field name must not be empty")
            texts += pair
        # One search over all field text keeps decoding fast; the loop only names the culprit.
        if _FORBIDDEN_TEXT.search("".join(texts)):
            for name, value in self.fields:
                _check_text(name, "字段名", "field name")
                _check_text(value, f"字段“{name}”", f"field {name!r}")
        names = texts[::2]
        if len(set(names)) != len(names):
            duplicate = next(name for name in names if names.count(name) > 1)
            raise InvalidLicence(f"字段“{duplicate}”重复", f"field {duplicate!r} appears twice")
        if self.case_id is not None:
            _check_text(self.case_id, "办件编号", "case id", allow_empty=False)

    def field(self, name: str) -> str | None:
        """The value of the licence-specific field ``name`` (e.g. ``"法定代表人"``), or None."""
        for field_name, value in self.fields:
            if field_name == name:
                return value
        return None

    def is_expired(self, at: datetime) -> bool:
        """True once the Chinese calendar day of ``at`` is after ``valid_until``."""
        if self.valid_until is None:
            return False
        return at.astimezone(CHINA_TZ).date() > self.valid_until


@dataclass(frozen=True, slots=True)
class Revocation:
    """撤销: the licence version ``identifier`` is void from ``revoked_at`` on, for ``reason``."""

    identifier: LicenceIdentifier
    revoked_at: datetime
    reason: str
    revoked_by: str

    def __post_init__(self) -> None:
        if not isinstance(self.identifier, LicenceIdentifier):
            raise InvalidLicence("撤销的证照标识类型错误", "identifier must be a LicenceIdentifier")
        _check_instant(self.revoked_at, "撤销时间", "revoked_at")
        _check_text(self.reason, "撤销原因", "revocation reason", allow_empty=False)
        _check_text(self.revoked_by, "撤销人", "revoked_by", allow_empty=False)

    @property
    def revoked_on(self) -> date:
        """The day of revocation in China time, as shown to the public."""
        return self.revoked_at.astimezone(CHINA_TZ).date()


@dataclass(frozen=True, slots=True)
class SignedLicence:
    """A licence with its QR text (the signed payload) and the signing key's id (hex)."""

    licence: Licence
    qr_text: str
    key_id: str


def utc_now() -> datetime:
    """The current instant, whole seconds (licence times are kept to the second)."""
    return datetime.now(UTC).replace(microsecond=0)
