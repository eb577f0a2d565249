"""API tokens for other channels (mobile app, mini-programs, bank branches)."""

from __future__ import annotations

from fastapi import APIRouter

from yiwang.accounts.models import Account
from yiwang.api.deps import CurrentUser, PlatformDep
from yiwang.schemas import AccountPublic, ErrorPublic, TokenCreate, TokenPublic

router = APIRouter(tags=["accounts"])


def account_public(account: Account) -> AccountPublic:
    return AccountPublic(
        username=account.username,
        role=account.role.value,
        role_zh=account.role.label_zh,
        display_name=account.display_name,
        department_code=account.department_code,
        region_code=account.region_code,
        subject_id=account.subject_id,
    )


@router.post(
    "/tokens",
    status_code=201,
    responses={401: {"model": ErrorPublic}, 429: {"model": ErrorPublic}},
    summary="Sign in and get an API token",
)
def create_token(body: TokenCreate, services: PlatformDep) -> TokenPublic:
    account = services.accounts.authenticate(body.username, body.password)
    token, expires_at = services.accounts.issue_token(account, body.label)
    return TokenPublic(token=token, expires_at=expires_at, account=account_public(account))


@router.get("/me", responses={401: {"model": ErrorPublic}}, summary="The signed-in account")
def me(account: CurrentUser) -> AccountPublic:
    return account_public(account)
