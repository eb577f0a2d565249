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

Entry signatures alone cannot stop a mirror from *removing* entries or replaying an old list,
so the document also carries a ``sequence`` (the number of revocations ever published; the
platform's revocations are append-only, so it only grows) and an ``issued_at`` time, signed
together with a digest of every entry by one published department key (``list_signature``,
over ``b"YWRL1:"`` + format, sequence, issued_at and the entries' SHA-256, joined by U+001F).
An offline verifier then refuses, with `check_freshness`, a list older than the newest one it
has seen (lower sequence or earlier issue time) or older than a stated maximum age.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from yiwang.licences.errors import (
    AlreadyRevoked,
    InvalidIdentifier,
    InvalidLicence,
    InvalidRevocationList,
    StaleRevocationList,
)
from yiwang.licences.models import LicenceIdentifier, Revocation, utc_now
from yiwang.licences.signing import DepartmentKey, KeyRing

REVOCATIONS_DOCUMENT_FORMAT = "yiwang-licence-revocations/1"
_SIGNING_PREFIX = b"YWR1:"
_LIST_SIGNING_PREFIX = b"YWRL1:"


def _entries_digest(entries: list[Any]) -> str:
    """SHA-256 of the entries as written, signatures left out (they sign themselves)."""
    bare = [
        {name: entry.get(name) for name in ("identifier", "revoked_at", "reason", "revoked_by")}
        if isinstance(entry, Mapping)
        else entry
        for entry in entries
    ]
    text = json.dumps(bare, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def list_signing_message(sequence: int, issued_at: str, entries_digest: str) -> bytes:
    return _LIST_SIGNING_PREFIX + "\x1f".join(
        (REVOCATIONS_DOCUMENT_FORMAT, str(sequence), issued_at, entries_digest)
    ).encode("utf-8")


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
    # From a published document: its sequence number and issue time (None for a list built
    # in memory or read from an older document without them).
    sequence: int | None = field(default=None, compare=False)
    issued_at: datetime | None = field(default=None, compare=False)
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
        sequence: int | None = None,
        list_signer: DepartmentKey | None = None,
    ) -> dict[str, Any]:
        """The JSON document; entries whose issuer has a key in ``signers`` are signed, and
        the header (sequence, issue time, entries digest) by ``list_signer`` or, by default,
        by the first of ``signers`` in department-code order."""
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
        issued_at = (published_at or utc_now()).isoformat()
        number = len(self.revocations) if sequence is None else sequence
        document: dict[str, Any] = {
            "format": REVOCATIONS_DOCUMENT_FORMAT,
            "published_at": issued_at,
            "sequence": number,
            "issued_at": issued_at,
            "revocations": entries,
        }
        if list_signer is None and signers:
            list_signer = signers[min(signers)]
        if list_signer is not None:
            message = list_signing_message(number, issued_at, _entries_digest(entries))
            document["list_signature"] = {
                "key_id": list_signer.key_id,
                "value": base64.b64encode(list_signer.sign(message)).decode("ascii"),
            }
        return document

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
        sequence, issued_at = _read_header(document, entries, keyring)
        revocations = [
            _read_entry(position, entry, keyring) for position, entry in enumerate(entries)
        ]
        try:
            return cls(tuple(revocations), sequence=sequence, issued_at=issued_at)
        except AlreadyRevoked as exc:
            raise InvalidRevocationList("同一证照出现两次", str(exc)) from None

    @classmethod
    def from_json(cls, text: str | bytes, keyring: KeyRing | None = None) -> RevocationList:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise InvalidRevocationList("不是有效的 JSON", f"not valid JSON ({exc})") from None
        return cls.from_document(document, keyring)


def _read_header(
    document: Mapping[str, Any], entries: list[Any], keyring: KeyRing | None
) -> tuple[int | None, datetime | None]:
    """(sequence, issued_at); with a key ring both are required and must be signed."""
    sequence = document.get("sequence")
    issued_text = document.get("issued_at")
    if sequence is None and issued_text is None and keyring is None:
        return None, None
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise InvalidRevocationList("缺少有效的序号 sequence", "'sequence' must be a whole number ≥ 0")
    if not isinstance(issued_text, str):
        raise InvalidRevocationList("缺少签发时间 issued_at", "'issued_at' must be a time")
    try:
        issued_at = datetime.fromisoformat(issued_text)
    except ValueError:
        raise InvalidRevocationList("签发时间格式错误", "'issued_at' is not an ISO 8601 time") from None
    if issued_at.utcoffset() is None:
        raise InvalidRevocationList("签发时间须带时区", "'issued_at' needs a time zone")
    if keyring is not None:
        signature = document.get("list_signature")
        if not isinstance(signature, Mapping):
            raise InvalidRevocationList("清单未签名", "the list (sequence and issue time) is not signed")
        key_id, value = signature.get("key_id"), signature.get("value")
        key = keyring.get(key_id) if isinstance(key_id, str) else None
        if key is None or not isinstance(value, str):
            raise InvalidRevocationList("清单签名密钥未发布", f"the list is signed by unknown key {key_id}")
        try:
            raw = base64.b64decode(value, validate=True)
        except binascii.Error:
            raise InvalidRevocationList("清单签名格式错误", "list signature: bad base64") from None
        message = list_signing_message(sequence, issued_text, _entries_digest(entries))
        if keyring.verify(key.key_id_bytes, raw, message) is None:
            raise InvalidRevocationList(
                "清单签名无效（序号、时间或条目被改动）",
                "list signature invalid (sequence, issue time or entries changed)",
            )
    return sequence, issued_at


@dataclass(frozen=True, slots=True)
class SeenList:
    """The newest list a verifier has accepted (kept between runs)."""

    sequence: int
    issued_at: datetime

    def to_document(self) -> dict[str, Any]:
        return {"sequence": self.sequence, "issued_at": self.issued_at.isoformat()}

    @classmethod
    def from_document(cls, document: object) -> SeenList:
        if not isinstance(document, Mapping):
            raise InvalidRevocationList("状态文件须为对象", "the state file must be a JSON object")
        sequence, issued = document.get("sequence"), document.get("issued_at")
        if isinstance(sequence, bool) or not isinstance(sequence, int) or not isinstance(issued, str):
            raise InvalidRevocationList("状态文件不完整", "the state file lacks sequence or issued_at")
        try:
            return cls(sequence, datetime.fromisoformat(issued))
        except ValueError:
            raise InvalidRevocationList("状态文件时间格式错误", "the state file's issued_at is not a time") from None


def check_freshness(
    revocations: RevocationList,
    *,
    now: datetime,
    max_age: timedelta | None,
    newest_seen: SeenList | None = None,
) -> SeenList:
    """Refuse a list older than the newest seen or than ``max_age``; returns what to keep as
    the newest seen. An emptied or back-dated list is how a revoked licence would pass."""
    if revocations.sequence is None or revocations.issued_at is None:
        raise StaleRevocationList("清单没有序号和签发时间", "the list has no sequence number and issue time")
    if newest_seen is not None and (
        revocations.sequence < newest_seen.sequence or revocations.issued_at < newest_seen.issued_at
    ):
        raise StaleRevocationList(
            f"序号 {revocations.sequence} 早于已见过的 {newest_seen.sequence}",
            f"sequence {revocations.sequence} ({revocations.issued_at.isoformat()}) is older than the "
            f"newest seen, {newest_seen.sequence} ({newest_seen.issued_at.isoformat()})",
        )
    if max_age is not None and now - revocations.issued_at > max_age:
        hours = int(max_age.total_seconds() // 3600)
        raise StaleRevocationList(
            f"签发于 {revocations.issued_at.isoformat()}，超过 {hours} 小时",
            f"issued at {revocations.issued_at.isoformat()}, more than {hours} hours ago",
        )
    if newest_seen is not None and newest_seen.sequence > revocations.sequence:
        return newest_seen
    return SeenList(revocations.sequence, revocations.issued_at)


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
