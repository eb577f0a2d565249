"""The revocation list (撤销清单): which licence versions are void, since when and why.

Published as JSON next to the public keys so that offline verifiers can fetch both::

    {"format": "yiwang-licence-revocations/1", "published_at": "...",
     "revocations": [{"identifier": "YYZZ.370100SCJ.00000042.01.U",
                      "revoked_at": "2024-06-01T10:00:00+08:00", "reason": "依法吊销",
                      "revoked_by": "370100SCJ/zhang.san",
                      "signature": {"key_id": "3f2a...", "value": "<base64>"}}]}

Each entry may be signed by a key of the department that issued the licence; the signed
bytes are ``b"YWR1:"`` followed by identifier, revoked_at, reason and revoked_by exactly as
written in the document, joined by U+001F and encoded in UTF-8. A mirror can then relay the
list without being able to add or change an entry. `RevocationList.from_document` with a
key ring accepts only entries whose signature checks out.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from yiwang.licences.errors import (
    AlreadyRevoked,
    InvalidIdentifier,
    InvalidLicence,
    InvalidRevocationList,
)
from yiwang.licences.models import LicenceIdentifier, Revocation, utc_now
from yiwang.licences.signing import DepartmentKey, KeyRing

REVOCATIONS_DOCUMENT_FORMAT = "yiwang-licence-revocations/1"
_SIGNING_PREFIX = b"YWR1:"


def revocation_signing_message(
    identifier: str, revoked_at: str, reason: str, revoked_by: str
) -> bytes:
    return _SIGNING_PREFIX + "\x1f".join((identifier, revoked_at, reason, revoked_by)).encode(
        "utf-8"
    )


@dataclass(frozen=True)
class RevocationList:
    """An immutable set of revocations, at most one per licence version."""

    revocations: tuple[Revocation, ...] = ()
    _index: dict[str, Revocation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Revocation] = {}
        for revocation in self.revocations:
            key = revocation.identifier.text
            if key in index:
                raise AlreadyRevoked(key, index[key].revoked_on.isoformat())
            index[key] = revocation
        object.__setattr__(self, "_index", index)

    def get(self, identifier: LicenceIdentifier | str) -> Revocation | None:
        key = identifier.text if isinstance(identifier, LicenceIdentifier) else identifier
        return self._index.get(key)

    def is_revoked(self, identifier: LicenceIdentifier | str, at: datetime | None = None) -> bool:
        """True if revoked (by ``at``, when given: a revocation dated later does not count)."""
        revocation = self.get(identifier)
        if revocation is None:
            return False
        return at is None or revocation.revoked_at <= at

    def revoke(
        self,
        identifier: LicenceIdentifier,
        *,
        reason: str,
        revoked_by: str,
        revoked_at: datetime | None = None,
    ) -> RevocationList:
        """A new list with ``identifier`` revoked; `AlreadyRevoked` if it already is."""
        return self.with_revocation(
            Revocation(identifier, revoked_at or utc_now(), reason, revoked_by)
        )

    def with_revocation(self, revocation: Revocation) -> RevocationList:
        return RevocationList((*self.revocations, revocation))

    def __len__(self) -> int:
        return len(self.revocations)

    def __iter__(self) -> Iterator[Revocation]:
        return iter(self.revocations)

    def __contains__(self, identifier: object) -> bool:
        if isinstance(identifier, LicenceIdentifier | str):
            return self.get(identifier) is not None
        return False

    def to_document(
        self,
        signers: Mapping[str, DepartmentKey] | None = None,
        *,
        published_at: datetime | None = None,
    ) -> dict[str, Any]:
        """The JSON document; entries whose issuer has a key in ``signers`` are signed."""
        entries = []
        for revocation in sorted(self.revocations, key=lambda r: (r.revoked_at, r.identifier.text)):
            entry: dict[str, Any] = {
                "identifier": revocation.identifier.text,
                "revoked_at": revocation.revoked_at.isoformat(),
                "reason": revocation.reason,
                "revoked_by": revocation.revoked_by,
            }
            signer = (signers or {}).get(revocation.identifier.issuer_code)
            if signer is not None:
                message = revocation_signing_message(
                    entry["identifier"], entry["revoked_at"], entry["reason"], entry["revoked_by"]
                )
                entry["signature"] = {
                    "key_id": signer.key_id,
                    "value": base64.b64encode(signer.sign(message)).decode("ascii"),
                }
            entries.append(entry)
        return {
            "format": REVOCATIONS_DOCUMENT_FORMAT,
            "published_at": (published_at or utc_now()).isoformat(),
            "revocations": entries,
        }

    def to_json(
        self,
        signers: Mapping[str, DepartmentKey] | None = None,
        *,
        published_at: datetime | None = None,
    ) -> str:
        document = self.to_document(signers, published_at=published_at)
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_document(
        cls, document: Mapping[str, Any], keyring: KeyRing | None = None
    ) -> RevocationList:
        """Read a revocation-list document.

        With a ``keyring``, every entry must be signed by a published key of the department
        that issued the licence; without one, signatures are not checked.
        """
        if not isinstance(document, Mapping):
            raise InvalidRevocationList("须为 JSON 对象", "must be a JSON object")
        if document.get("format") != REVOCATIONS_DOCUMENT_FORMAT:
            raise InvalidRevocationList(
                f"格式应为 {REVOCATIONS_DOCUMENT_FORMAT}",
                f"format must be {REVOCATIONS_DOCUMENT_FORMAT!r}",
            )
        entries = document.get("revocations")
        if not isinstance(entries, list):
            raise InvalidRevocationList("缺少 revocations 列表", "'revocations' must be a list")
        revocations = [
            _read_entry(position, entry, keyring) for position, entry in enumerate(entries)
        ]
        try:
            return cls(tuple(revocations))
        except AlreadyRevoked as exc:
            raise InvalidRevocationList("同一证照出现两次", str(exc)) from None

    @classmethod
    def from_json(cls, text: str | bytes, keyring: KeyRing | None = None) -> RevocationList:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise InvalidRevocationList("不是有效的 JSON", f"not valid JSON ({exc})") from None
        return cls.from_document(document, keyring)


def _read_entry(position: int, entry: object, keyring: KeyRing | None) -> Revocation:
    where = f"#{position + 1}"
    if not isinstance(entry, Mapping):
        raise InvalidRevocationList(
            f"第 {position + 1} 条须为对象", f"entry {where} must be an object"
        )
    texts: dict[str, str] = {}
    for name in ("identifier", "revoked_at", "reason", "revoked_by"):
        value = entry.get(name)
        if not isinstance(value, str):
            raise InvalidRevocationList(
                f"第 {position + 1} 条缺少 {name}", f"entry {where} lacks the text {name!r}"
            )
        texts[name] = value
    try:
        revocation = Revocation(
            LicenceIdentifier.parse(texts["identifier"]),
            datetime.fromisoformat(texts["revoked_at"]),
            texts["reason"],
            texts["revoked_by"],
        )
    except (InvalidIdentifier, InvalidLicence, ValueError) as exc:
        raise InvalidRevocationList(
            f"第 {position + 1} 条内容无效", f"entry {where}: {exc}"
        ) from None
    if keyring is not None:
        _check_signature(where, entry.get("signature"), texts, revocation, keyring)
    return revocation


def _check_signature(
    where: str, signature: object, texts: dict[str, str], revocation: Revocation, keyring: KeyRing
) -> None:
    ident = revocation.identifier.text
    if not isinstance(signature, Mapping):
        raise InvalidRevocationList(
            f"{ident} 的撤销未签名", f"entry {where} ({ident}) is not signed"
        )
    key_id, value = signature.get("key_id"), signature.get("value")
    if not isinstance(key_id, str) or not isinstance(value, str):
        raise InvalidRevocationList(
            f"{ident} 的签名不完整", f"entry {where} has an incomplete signature"
        )
    key = keyring.get(key_id)
    if key is None:
        raise InvalidRevocationList(
            f"{ident} 的签名密钥 {key_id} 未发布",
            f"entry {where} is signed by unknown key {key_id}",
        )
    if key.department_code != revocation.identifier.issuer_code:
        raise InvalidRevocationList(
            f"{ident} 的撤销不是由签发部门签名",
            f"entry {where} is signed by {key.department_code}, not by the issuer "
            f"{revocation.identifier.issuer_code}",
        )
    try:
        raw_signature = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise InvalidRevocationList(
            f"{ident} 的签名格式错误", f"entry {where}: bad base64"
        ) from None
    message = revocation_signing_message(
        texts["identifier"], texts["revoked_at"], texts["reason"], texts["revoked_by"]
    )
    if keyring.verify(key.key_id_bytes, raw_signature, message) is None:
        raise InvalidRevocationList(f"{ident} 的撤销签名无效", f"entry {where}: signature invalid")
