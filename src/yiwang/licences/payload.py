"""The signed licence payload: what the QR code carries, compact and canonical.

Layout (format 1)::

    QR text  = "YW1:" + decimal(blob as one big-endian unsigned integer)
    blob     = 0x01 (format) ‖ key id (8 bytes) ‖ body ‖ Ed25519 signature (64 bytes)
    body     = GB 18030 encoding of the record fields joined by U+001F (unit separator)
    record   = identifier, kind code, kind name (zh), kind name (en), holder id, holder name,
               issuer name, issued-at (Unix seconds), UTC offset (minutes), valid-until
               (YYYYMMDD, empty for no end), then name, value, name, value, ... per field
    signed   = b"YW1:" ‖ blob without the signature

Why this shape:

* A decimal string goes into a QR code's numeric mode at 3.33 bits a digit, i.e. 8.03 bits
  per payload byte: as dense as QR byte mode and 25% denser than base64 in byte mode, so a
  business licence fits a version 19-21 symbol at error correction M. ``int()`` and
  ``str()`` do the conversion in C, which keeps verification close to raw Ed25519 speed.
* GB 18030 stores a Chinese character in 2 bytes instead of UTF-8's 3 and round-trips every
  Unicode scalar value; its multi-byte sequences never contain a byte below 0x30, so U+001F
  cannot occur inside a character (and licence text may not contain control characters).
* The leading format byte is non-zero, so the integer round-trips without losing bytes.
  Decimal strings with a leading zero are rejected: every licence has exactly one QR text.

``case_id`` is not carried (see :mod:`yiwang.licences.models`). Besides the bare code, only
the platform's own address forms are accepted in front of it, so a QR code can open the
public verification page on a phone: ``HTTPS://HOST/V/YW1:...``, ``…/verify?code=YW1:...``
and ``…/verify#YW1:...`` (http or https, a host name with an optional port, any letter
case). Anything else before the code (``javascript:…//YW1:...``, another path, user info
in the host) is refused as malformed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from yiwang.licences.errors import (
    InvalidIdentifier,
    InvalidLicence,
    MalformedPayload,
    PayloadTooLarge,
)
from yiwang.licences.models import Licence, LicenceIdentifier, LicenceKind

PREFIX = "YW1:"
_PREFIX_BYTES = PREFIX.encode("ascii")
FORMAT_VERSION = 1
KEY_ID_BYTES = 8
SIGNATURE_BYTES = 64
# About 2,900 digits: a version 30 symbol at level M. A typical business licence is ~550.
MAX_PAYLOAD_BYTES = 1200
MAX_DIGITS = len(str(256**MAX_PAYLOAD_BYTES - 1))
_OVERHEAD = 1 + KEY_ID_BYTES + SIGNATURE_BYTES
_SEP = "\x1f"
_HEADER_FIELDS = 10
# The platform's own address forms (see the module docstring).
_ADDRESS_PREFIX = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::[0-9]{1,5})?/(?:v/|verify\?code=|verify#)",
    re.IGNORECASE,
)
_TS_RE = re.compile(r"-?[0-9]{1,12}")
_OFFSET_RE = re.compile(r"-?[0-9]{1,4}")
_DATE_RE = re.compile(r"[0-9]{8}")


@lru_cache(maxsize=64)
def _zone(offset_minutes: int) -> timezone:
    return timezone(timedelta(minutes=offset_minutes))


def encode_body(licence: Licence) -> bytes:
    """The canonical bytes of the signed content of ``licence`` (without key id and format)."""
    issued_at = licence.issued_at
    offset = issued_at.utcoffset()
    assert offset is not None  # Licence guarantees an aware datetime
    valid_until = licence.valid_until
    record = [
        licence.identifier.text,
        licence.kind.code,
        licence.kind.name_zh,
        licence.kind.name_en,
        licence.holder_id,
        licence.holder_name,
        licence.issuer_name,
        str(int(issued_at.timestamp())),
        str(offset // timedelta(minutes=1)),
        ""
        if valid_until is None
        else f"{valid_until.year:04d}{valid_until.month:02d}{valid_until.day:02d}",
    ]
    for name, value in licence.fields:
        record.append(name)
        record.append(value)
    return _SEP.join(record).encode("gb18030")


def unsigned_blob(licence: Licence, key_id: bytes) -> bytes:
    """Format byte, key id and body; raises `PayloadTooLarge` if the QR would be too dense."""
    if len(key_id) != KEY_ID_BYTES:
        raise ValueError(f"key id must be {KEY_ID_BYTES} bytes, got {len(key_id)}")
    body = encode_body(licence)
    size = _OVERHEAD + len(body)
    if size > MAX_PAYLOAD_BYTES:
        raise PayloadTooLarge(size, MAX_PAYLOAD_BYTES, identifier=licence.identifier.text)
    return bytes((FORMAT_VERSION,)) + key_id + body


def signing_message(unsigned: bytes) -> bytes:
    """The exact bytes the department key signs (the prefix separates domains)."""
    return _PREFIX_BYTES + unsigned


def to_qr_text(unsigned: bytes, signature: bytes) -> str:
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError(f"signature must be {SIGNATURE_BYTES} bytes, got {len(signature)}")
    return PREFIX + str(int.from_bytes(unsigned + signature, "big"))


def encode_signed(licence: Licence, key_id: bytes, sign: Callable[[bytes], bytes]) -> str:
    """The QR text of ``licence`` signed by ``sign`` (an Ed25519 private key's ``sign``)."""
    unsigned = unsigned_blob(licence, key_id)
    return to_qr_text(unsigned, sign(signing_message(unsigned)))


@dataclass(frozen=True, slots=True)
class DecodedPayload:
    """A parsed QR text. Nothing in it is trusted until the signature is checked."""

    licence: Licence
    key_id: bytes
    message: bytes
    signature: bytes

    @property
    def key_id_hex(self) -> str:
        return self.key_id.hex()


def payload_bytes(qr_text: str) -> bytes:
    """The blob inside a QR text; raises `MalformedPayload` for anything else."""
    if not isinstance(qr_text, str):
        raise MalformedPayload("不是文本", "not a text")
    text = qr_text.strip()
    start = text.rfind(PREFIX)
    if start < 0:
        raise MalformedPayload(
            f"应以 {PREFIX} 开头（是否只复制了一部分？）",
            f"expected text starting with {PREFIX} (was only part of it copied?)",
        )
    if start > 0 and _ADDRESS_PREFIX.fullmatch(text[:start]) is None:
        raise MalformedPayload(
            f"{PREFIX} 前的内容不是本平台的核验地址",
            f"the text before {PREFIX} is not one of the platform's verification addresses",
        )
    digits = text[start + len(PREFIX) :]
    if not digits:
        raise MalformedPayload(f"{PREFIX} 之后没有内容", f"nothing after {PREFIX}")
    if len(digits) > MAX_DIGITS:
        raise MalformedPayload(
            f"过长（{len(digits)} 位，上限 {MAX_DIGITS}）",
            f"too long ({len(digits)} digits, at most {MAX_DIGITS})",
        )
    if not (digits.isascii() and digits.isdigit()):
        raise MalformedPayload(f"{PREFIX} 之后只能是数字", f"only digits may follow {PREFIX}")
    if digits[0] == "0":
        raise MalformedPayload("数字不能以 0 开头", "the digits must not start with 0")
    number = int(digits)
    blob = number.to_bytes((number.bit_length() + 7) // 8, "big")
    if len(blob) <= _OVERHEAD:
        raise MalformedPayload("过短，不完整", "too short to be a signed licence")
    if blob[0] != FORMAT_VERSION:
        raise MalformedPayload(
            f"未知的格式版本 {blob[0]}", f"unknown payload format version {blob[0]}"
        )
    return blob


def decode(qr_text: str) -> DecodedPayload:
    """Parse a QR text into licence, key id and signature; raise `MalformedPayload` if bad."""
    blob = payload_bytes(qr_text)
    split = len(blob) - SIGNATURE_BYTES
    return DecodedPayload(
        licence=decode_body(blob[1 + KEY_ID_BYTES : split]),
        key_id=blob[1 : 1 + KEY_ID_BYTES],
        message=_PREFIX_BYTES + blob[:split],
        signature=blob[split:],
    )


def decode_body(body: bytes) -> Licence:
    """The licence encoded by `encode_body`; raises `MalformedPayload` for anything else."""
    try:
        text = body.decode("gb18030")
    except UnicodeDecodeError:
        raise MalformedPayload(
            "内容不是有效的 GB 18030 文本", "content is not GB 18030 text"
        ) from None
    parts = text.split(_SEP)
    if len(parts) < _HEADER_FIELDS or (len(parts) - _HEADER_FIELDS) % 2:
        raise MalformedPayload("字段数目不对", f"wrong number of fields ({len(parts)})")
    (
        identifier_text,
        kind_code,
        kind_zh,
        kind_en,
        holder_id,
        holder_name,
        issuer_name,
        timestamp,
        offset,
        valid_until_text,
    ) = parts[:_HEADER_FIELDS]
    try:
        identifier = LicenceIdentifier.parse(identifier_text)
    except InvalidIdentifier as exc:
        raise MalformedPayload(f"证照标识无效（{exc}）", f"bad identifier ({exc})") from None
    if not _TS_RE.fullmatch(timestamp) or not _OFFSET_RE.fullmatch(offset):
        raise MalformedPayload("签发时间格式错误", "bad issue time")
    offset_minutes = int(offset)
    valid_until: date | None = None
    try:
        if not -1440 < offset_minutes < 1440:
            raise ValueError(offset)
        issued_at = datetime.fromtimestamp(int(timestamp), _zone(offset_minutes))
        if valid_until_text:
            if not _DATE_RE.fullmatch(valid_until_text):
                raise ValueError(valid_until_text)
            valid_until = date(
                int(valid_until_text[:4]), int(valid_until_text[4:6]), int(valid_until_text[6:])
            )
    except (ValueError, OverflowError, OSError):
        raise MalformedPayload("日期或时间超出范围", "date or time out of range") from None
    try:
        return Licence(
            identifier=identifier,
            kind=LicenceKind(kind_code, identifier.type_code, kind_zh, kind_en),
            holder_id=holder_id,
            holder_name=holder_name,
            issuer_department_code=identifier.issuer_code,
            issuer_name=issuer_name,
            issued_at=issued_at,
            valid_until=valid_until,
            fields=tuple(
                zip(parts[_HEADER_FIELDS::2], parts[_HEADER_FIELDS + 1 :: 2], strict=True)
            ),
        )
    except InvalidLicence as exc:
        raise MalformedPayload(
            f"内容不合规则（{exc.message_zh}）", f"content breaks a rule ({exc.message_en})"
        ) from None
