"""Electronic licences: public verification (亮证核验) and the holder's card wallet."""

from __future__ import annotations

from fastapi import APIRouter, Request

from yiwang.api.deps import CurrentUser, PlatformDep
from yiwang.licences import views as licensing
from yiwang.schemas import (
    ErrorPublic,
    LicenceVerificationPublic,
    LicenceVerifyCreate,
    WalletLicencePublic,
)

router = APIRouter(tags=["licences"])


@router.post(
    "/licences/verify",
    responses={422: {"model": ErrorPublic}},
    summary="Verify a licence by its printed number or its QR code: valid, revoked, expired, signature invalid, "
    "unknown issuer, malformed, not found",
)
def verify(body: LicenceVerifyCreate, services: PlatformDep) -> LicenceVerificationPublic:
    """No sign-in needed. The answer is a status, never an error: a bad code is `malformed`."""
    return licensing.verification_public(licensing.verify_text(services, body.qr_text))


@router.get(
    "/me/licences",
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}},
    summary="The card wallet (电子卡包): licences held by the account or issued on its applications",
)
def wallet(account: CurrentUser, services: PlatformDep, request: Request) -> list[WalletLicencePublic]:
    base = licensing.public_base(services, str(request.base_url))
    return [licensing.wallet_public(row, base) for row in licensing.wallet(services, account)]
