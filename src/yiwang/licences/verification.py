"""Verifying a licence code (亮证核验): anyone, online or offline, from published keys.

The checks run in this order, and the first that fails decides the status:

1. ``malformed``          the text is not a Yiwang licence code at all
2. ``unknown_issuer``     the signing key id is not among the published keys
3. ``signature_invalid``  the signature does not verify, or the key belongs to a department
                          other than the issuer named in the licence identifier
4. ``revoked``            the revocation list holds this licence version
5. ``expired``            the valid-until day has passed (China time)
6. ``valid``

Only for ``valid``, ``revoked`` and ``expired`` does the result carry the licence: content
under an unknown key or a broken signature is not shown as if it were a licence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from yiwang.licences.errors import MalformedPayload
from yiwang.licences.models import Licence, Revocation, utc_now
from yiwang.licences.payload import decode
from yiwang.licences.revocation import RevocationList
from yiwang.licences.signing import KeyRing

VerificationStatus = Literal[
    "valid", "revoked", "expired", "signature_invalid", "unknown_issuer", "malformed", "not_found"
]
"""``not_found`` answers a printed licence number the platform never issued (only the online
check by number can say so; the offline check needs the signed code)."""


@dataclass(frozen=True, slots=True)
class VerificationResult:
    status: VerificationStatus
    licence: Licence | None
    revocation: Revocation | None
    message_zh: str
    message_en: str
    key_id: str | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def message(self) -> str:
        """Chinese first, then English, as shown on the public page."""
        return f"{self.message_zh} {self.message_en}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the public API and ``yiwang licence verify --json``."""
        return {
            "status": self.status,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "key_id": self.key_id,
            "licence": None if self.licence is None else licence_to_dict(self.licence),
            "revocation": None
            if self.revocation is None
            else {
                "revoked_at": self.revocation.revoked_at.isoformat(),
                "revoked_on": self.revocation.revoked_on.isoformat(),
                "reason": self.revocation.reason,
                "revoked_by": self.revocation.revoked_by,
            },
        }


def licence_to_dict(licence: Licence) -> dict[str, Any]:
    """The public content of a licence as JSON-ready values (``case_id`` left out)."""
    return {
        "identifier": licence.identifier.text,
        "identifier_oid": licence.identifier.oid(),
        "kind": {
            "code": licence.kind.code,
            "type_code": licence.kind.type_code,
            "name_zh": licence.kind.name_zh,
            "name_en": licence.kind.name_en,
        },
        "holder_id": licence.holder_id,
        "holder_name": licence.holder_name,
        "issuer_department_code": licence.issuer_department_code,
        "issuer_name": licence.issuer_name,
        "issued_at": licence.issued_at.isoformat(),
        "valid_until": None if licence.valid_until is None else licence.valid_until.isoformat(),
        "fields": [{"name": name, "value": value} for name, value in licence.fields],
    }


def verify(
    qr_text: str,
    keyring: KeyRing,
    revocations: RevocationList | None = None,
    *,
    at: datetime | None = None,
) -> VerificationResult:
    """Verify a scanned or pasted licence code. ``at`` defaults to now (for expiry/revocation)."""
    try:
        decoded = decode(qr_text)
    except MalformedPayload as exc:
        return VerificationResult(
            "malformed",
            None,
            None,
            f"无法识别的证照码：{exc.detail_zh}",
            f"malformed licence code: {exc.detail_en}",
        )
    licence = decoded.licence
    key_id = decoded.key_id_hex
    key = keyring.get(decoded.key_id)
    if key is None:
        return VerificationResult(
            "unknown_issuer",
            None,
            None,
            f"签发机关未知（密钥 {key_id} 未发布）",
            f"unknown issuer (key {key_id} is not published)",
            key_id,
        )
    if keyring.verify(decoded.key_id, decoded.signature, decoded.message) is None:
        return VerificationResult(
            "signature_invalid", None, None, "签名无效", "signature invalid", key_id
        )
    if key.department_code != licence.issuer_department_code:
        return VerificationResult(
            "signature_invalid",
            None,
            None,
            f"签名无效（签名密钥属于 {key.department_code}，不是签发机关 "
            f"{licence.issuer_department_code}）",
            f"signature invalid (the key belongs to {key.department_code}, not to the issuer "
            f"{licence.issuer_department_code})",
            key_id,
        )
    when = at or utc_now()
    revocation = None if revocations is None else revocations.get(licence.identifier)
    if revocation is not None and revocation.revoked_at <= when:
        day = revocation.revoked_on.isoformat()
        return VerificationResult(
            "revoked",
            licence,
            revocation,
            f"已于 {day} 因 {revocation.reason} 撤销",
            f"revoked on {day} because {revocation.reason}",
            key_id,
        )
    if licence.is_expired(when):
        assert licence.valid_until is not None
        day = licence.valid_until.isoformat()
        return VerificationResult(
            "expired", licence, None, f"已于 {day} 到期", f"expired after {day}", key_id
        )
    return VerificationResult("valid", licence, None, "有效", "valid", key_id)
