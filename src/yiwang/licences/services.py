"""Issuing licences, re-issuing after a change, the card wallet, and "may it serve as proof".

Pure: keys, serial numbers and the clock come in through small protocols, so the case
engine can wire the key store and a database sequence, and tests can pass in-memory ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal, Protocol

from stdnum.cn import uscc

from yiwang.identity.numbers import mask_id_number
from yiwang.licences.errors import InvalidLicence, KeyNotFound
from yiwang.licences.models import (
    Licence,
    LicenceIdentifier,
    LicenceKind,
    Revocation,
    SignedLicence,
    utc_now,
)
from yiwang.licences.payload import encode_signed
from yiwang.licences.revocation import RevocationList
from yiwang.licences.signing import DepartmentKey

LicenceStatus = Literal["valid", "revoked", "expired", "superseded"]


class SerialAllocator(Protocol):
    """Hands out serial numbers, unique per (licence type code, issuer code)."""

    def next_serial(self, type_code: str, issuer_code: str) -> int: ...


class SigningKeys(Protocol):
    """The current signing key of a department (`DepartmentKeyStore` is one)."""

    def current(self, department_code: str) -> DepartmentKey: ...


class InMemorySerialAllocator:
    """Serials counted in memory from 1; for tests, benchmarks and demo data."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, str], int] = {}

    def next_serial(self, type_code: str, issuer_code: str) -> int:
        serial = self._last.get((type_code, issuer_code), 0) + 1
        self._last[(type_code, issuer_code)] = serial
        return serial


class InMemoryKeys:
    """Department keys held in memory; for tests and benchmarks."""

    def __init__(self, keys: Iterable[DepartmentKey] = ()) -> None:
        self._keys = {key.department_code: key for key in keys}

    def add(self, key: DepartmentKey) -> None:
        self._keys[key.department_code] = key

    def current(self, department_code: str) -> DepartmentKey:
        try:
            return self._keys[department_code]
        except KeyError:
            raise KeyNotFound(f"department {department_code}") from None


class CachedSigningKeys:
    """Remembers each department's current key after the first look-up, so a busy issuer
    does not read the key directory for every licence. A key created later takes over after
    `forget` (or a restart)."""

    def __init__(self, keys: SigningKeys) -> None:
        self._keys = keys
        self._current: dict[str, DepartmentKey] = {}

    def current(self, department_code: str) -> DepartmentKey:
        key = self._current.get(department_code)
        if key is None:
            key = self._keys.current(department_code)
            self._current[department_code] = key
        return key

    def forget(self) -> None:
        self._current.clear()


def allocate_identifier(
    kind: LicenceKind, issuer_code: str, serial: int, version: int = 1
) -> LicenceIdentifier:
    """The identifier of licence number ``serial`` of ``kind`` issued by ``issuer_code``."""
    return LicenceIdentifier(kind.type_code, issuer_code, serial, version)


@dataclass(frozen=True, slots=True)
class LicenceRequest:
    """What a concluded case asks the issuer to issue (everything but identifier and time)."""

    kind: LicenceKind
    holder_id: str
    holder_name: str
    issuer_department_code: str
    issuer_name: str
    fields: tuple[tuple[str, str], ...] = ()
    valid_until: date | None = None
    case_id: str | None = None


def public_holder_id(holder_id: str) -> str:
    """The holder's number as the signed payload carries it.

    Anyone the holder shows the licence to reads the QR code, so a citizen's ID number is
    masked to its first 4 and last 4 characters (个人信息保护法 Art. 6, the minimum
    necessary): with the name beside it, it still tells a verifier that the person in front
    of them is the holder. A unified social credit code is public (the enterprise register
    publishes it) and stays whole. The full number stays in the platform's own records.
    """
    return holder_id if uscc.is_valid(holder_id) else mask_id_number(holder_id)


class LicenceIssuer:
    """Allocates the identifier, stamps the time and signs with the department's current key.

    The current key of each department is cached after first use; call `forget_keys` after
    creating a new key so that it takes over.
    """

    def __init__(
        self,
        keys: SigningKeys,
        serials: SerialAllocator,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._keys = keys
        self._serials = serials
        self._clock = clock
        self._signers: dict[str, DepartmentKey] = {}

    def issue(self, request: LicenceRequest, *, issued_at: datetime | None = None) -> SignedLicence:
        signer = self._signer(request.issuer_department_code)
        serial = self._serials.next_serial(request.kind.type_code, request.issuer_department_code)
        licence = Licence(
            identifier=allocate_identifier(request.kind, request.issuer_department_code, serial),
            kind=request.kind,
            holder_id=public_holder_id(request.holder_id),
            holder_name=request.holder_name,
            issuer_department_code=request.issuer_department_code,
            issuer_name=request.issuer_name,
            issued_at=(issued_at or self._clock()).replace(microsecond=0),
            valid_until=request.valid_until,
            fields=request.fields,
            case_id=request.case_id,
        )
        return sign_licence(licence, signer)

    def reissue(
        self,
        previous: Licence,
        *,
        holder_name: str | None = None,
        fields: tuple[tuple[str, str], ...] | None = None,
        valid_until: date | Literal["unchanged"] | None = "unchanged",
        case_id: str | None = None,
        issued_at: datetime | None = None,
    ) -> SignedLicence:
        """The next version of ``previous`` after a change (变更换发).

        The previous version stays valid until revoked: pass both to `supersede`.
        """
        licence = replace(
            previous,
            identifier=previous.identifier.next_version(),
            holder_name=previous.holder_name if holder_name is None else holder_name,
            fields=previous.fields if fields is None else fields,
            valid_until=previous.valid_until if valid_until == "unchanged" else valid_until,
            case_id=case_id,
            issued_at=(issued_at or self._clock()).replace(microsecond=0),
        )
        return sign_licence(licence, self._signer(previous.issuer_department_code))

    def forget_keys(self) -> None:
        self._signers.clear()

    def _signer(self, department_code: str) -> DepartmentKey:
        signer = self._signers.get(department_code)
        if signer is None:
            signer = self._signers[department_code] = self._keys.current(department_code)
        return signer


def sign_licence(licence: Licence, key: DepartmentKey) -> SignedLicence:
    """Sign ``licence`` with ``key`` (which must belong to the issuing department)."""
    if key.department_code != licence.issuer_department_code:
        raise InvalidLicence(
            f"密钥属于 {key.department_code}，不能签发 {licence.issuer_department_code} 的证照",
            f"a key of {key.department_code} cannot sign for {licence.issuer_department_code}",
            identifier=licence.identifier.text,
        )
    qr_text = encode_signed(licence, key.key_id_bytes, key.sign)
    return SignedLicence(licence, qr_text, key.key_id)


SUPERSEDED_REASON = "变更换发，以新版本为准"


def supersede(
    revocations: RevocationList,
    previous: Licence,
    new: Licence,
    *,
    revoked_by: str,
    at: datetime | None = None,
) -> RevocationList:
    """Revoke ``previous`` because version ``new`` replaces it."""
    return revocations.revoke(
        previous.identifier,
        reason=f"{SUPERSEDED_REASON}（{new.identifier.text}）",
        revoked_by=revoked_by,
        revoked_at=at or new.issued_at,
    )


def licence_status(
    licence: Licence, revocations: RevocationList, at: datetime | None = None
) -> LicenceStatus:
    when = at or utc_now()
    if revocations.is_revoked(licence.identifier, when):
        return "revoked"
    if licence.is_expired(when):
        return "expired"
    return "valid"


def is_usable_as_proof(
    licence: Licence, revocations: RevocationList, at: datetime | None = None
) -> bool:
    """May this licence stand in for a paper material? Not when revoked or expired."""
    return licence_status(licence, revocations, at) == "valid"


@dataclass(frozen=True, slots=True)
class WalletEntry:
    signed: SignedLicence
    status: LicenceStatus
    revocation: Revocation | None = None

    @property
    def licence(self) -> Licence:
        return self.signed.licence


@dataclass(frozen=True, slots=True)
class CardWallet:
    """电子卡包: every licence a holder has, newest first, each with its status and QR text."""

    holder_id: str
    entries: tuple[WalletEntry, ...]

    @property
    def usable(self) -> tuple[WalletEntry, ...]:
        """The licences the holder can show (亮证) and use as proof now."""
        return tuple(entry for entry in self.entries if entry.status == "valid")


def build_wallet(
    holder_id: str,
    licences: Iterable[SignedLicence],
    revocations: RevocationList,
    at: datetime | None = None,
) -> CardWallet:
    """The holder's wallet. A version replaced by a later one in the wallet is ``superseded``
    even before its revocation is recorded."""
    when = at or utc_now()
    own = [signed for signed in licences if signed.licence.holder_id == holder_id]
    latest: dict[tuple[str, str, int], int] = {}
    for signed in own:
        ident = signed.licence.identifier
        key = (ident.type_code, ident.issuer_code, ident.serial)
        latest[key] = max(latest.get(key, 0), ident.version)
    entries = []
    for signed in sorted(
        own, key=lambda s: (s.licence.issued_at, s.licence.identifier.text), reverse=True
    ):
        ident = signed.licence.identifier
        revocation = revocations.get(ident)
        status: LicenceStatus
        if revocation is not None and revocation.revoked_at <= when:
            status = "revoked"
        elif ident.version < latest[(ident.type_code, ident.issuer_code, ident.serial)]:
            status = "superseded"
        elif signed.licence.is_expired(when):
            status = "expired"
        else:
            status = "valid"
        entries.append(WalletEntry(signed, status, revocation if status == "revoked" else None))
    return CardWallet(holder_id, tuple(entries))
