"""Electronic licences (电子证照, R-LIC-1): identifier, signature, QR code, verification,
revocation and the holder's card wallet (电子卡包).

Modules: `models` (identifier, kind, licence, revocation), `payload` (the signed QR text),
`signing` (department keys, key store, published key ring), `verification`, `revocation`,
`services` (issuing, wallet), `qr` and `render` (pages), `errors`.
"""

from yiwang.licences.errors import (
    InvalidIdentifier,
    InvalidLicence,
    LicenceError,
    MalformedPayload,
)
from yiwang.licences.models import (
    BUSINESS_LICENCE,
    Licence,
    LicenceIdentifier,
    LicenceKind,
    Revocation,
    SignedLicence,
)
from yiwang.licences.revocation import RevocationList
from yiwang.licences.services import LicenceIssuer, LicenceRequest, build_wallet
from yiwang.licences.signing import DepartmentKey, DepartmentKeyStore, KeyRing, PublishedKey
from yiwang.licences.verification import VerificationResult, verify

__all__ = [
    "BUSINESS_LICENCE",
    "DepartmentKey",
    "DepartmentKeyStore",
    "InvalidIdentifier",
    "InvalidLicence",
    "KeyRing",
    "Licence",
    "LicenceError",
    "LicenceIdentifier",
    "LicenceIssuer",
    "LicenceKind",
    "LicenceRequest",
    "MalformedPayload",
    "PublishedKey",
    "Revocation",
    "RevocationList",
    "SignedLicence",
    "VerificationResult",
    "build_wallet",
    "verify",
]
