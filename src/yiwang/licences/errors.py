"""Licence errors. Messages are Chinese first, then English, and name what was wrong.

LicenceError
 ├── InvalidIdentifier      a licence identifier that breaks the format or its check char
 ├── InvalidLicence         licence content that breaks a rule (text, dates, kind, issuer)
 │    └── PayloadTooLarge   a licence too large to fit a phone-readable QR code
 ├── MalformedPayload       QR text that is not a Yiwang licence code (bad input)
 ├── SigningKeyError        department signing keys and their published document
 │    ├── KeyStoreError     the department key directory cannot be used
 │    ├── KeyNotFound       no key for that department or key id
 │    └── InvalidKeyDocument  a published-keys document that cannot be trusted or read
 └── RevocationError
      ├── AlreadyRevoked    revoking a licence twice
      ├── InvalidRevocationList  a revocation-list document that cannot be read or trusted
      └── StaleRevocationList    older than the newest seen or than the stated maximum age
"""

from __future__ import annotations


class LicenceError(Exception):
    """Base of every error of the licences context."""


class InvalidIdentifier(LicenceError, ValueError):
    def __init__(self, text: str, reason_zh: str, reason_en: str) -> None:
        self.text = text
        super().__init__(
            f"证照标识 {text!r} 无效：{reason_zh} / invalid licence identifier: {reason_en}"
        )


class InvalidLicence(LicenceError, ValueError):
    def __init__(self, message_zh: str, message_en: str, *, identifier: str = "") -> None:
        self.identifier = identifier
        self.message_zh = message_zh
        self.message_en = message_en
        where = f"[{identifier}] " if identifier else ""
        super().__init__(f"{where}证照内容无效：{message_zh} / invalid licence: {message_en}")


class PayloadTooLarge(InvalidLicence):
    def __init__(self, size: int, limit: int, *, identifier: str = "") -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"签名数据 {size} 字节，超过二维码上限 {limit} 字节（请缩短经营范围等长字段）",
            f"signed payload is {size} bytes, over the QR limit of {limit} bytes "
            "(shorten long fields such as the business scope)",
            identifier=identifier,
        )


class MalformedPayload(LicenceError, ValueError):
    """The text is not a Yiwang licence code; ``detail_zh`` / ``detail_en`` say why."""

    def __init__(self, detail_zh: str, detail_en: str) -> None:
        self.detail_zh = detail_zh
        self.detail_en = detail_en
        super().__init__(f"无法识别的证照码：{detail_zh} / malformed licence code: {detail_en}")


class SigningKeyError(LicenceError):
    """Base of department-key errors."""


class KeyStoreError(SigningKeyError):
    def __init__(self, path: str, message_zh: str, message_en: str) -> None:
        self.path = path
        super().__init__(f"密钥目录 {path}：{message_zh} / key directory {path}: {message_en}")


class KeyNotFound(SigningKeyError, LookupError):
    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"找不到密钥 {what} / no key found for {what}")


class InvalidKeyDocument(SigningKeyError, ValueError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(
            f"公钥发布文件无效：{message_zh} / invalid published-keys document: {message_en}"
        )


class RevocationError(LicenceError):
    """Base of revocation errors."""


class AlreadyRevoked(RevocationError):
    def __init__(self, identifier: str, revoked_on: str) -> None:
        self.identifier = identifier
        super().__init__(
            f"证照 {identifier} 已于 {revoked_on} 撤销 / licence {identifier} was already revoked "
            f"on {revoked_on}"
        )


class InvalidRevocationList(RevocationError, ValueError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(f"撤销清单无效：{message_zh} / invalid revocation list: {message_en}")


class StaleRevocationList(RevocationError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"撤销清单已过时：{message_zh} / stale revocation list: {message_en}")
