"""API tokens for other channels (mobile app, mini-programs, bank branches)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from yiwang.accounts.models import Account
from yiwang.api.deps import CurrentUser, PlatformDep
from yiwang.schemas import AccountPublic, ErrorPublic, Strict, TokenCreate, TokenPublic

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
def create_token(body: TokenCreate, services: PlatformDep, request: Request) -> TokenPublic:
    client = request.client.host if request.client is not None else ""
    account = services.accounts.authenticate(body.username, body.password, client=client)
    token, expires_at = services.accounts.issue_token(account, body.label)
    return TokenPublic(token=token, expires_at=expires_at, account=account_public(account))


@router.get("/me", responses={401: {"model": ErrorPublic}}, summary="The signed-in account")
def me(account: CurrentUser) -> AccountPublic:
    return account_public(account)


class TokenInfoPublic(BaseModel):
    id: str
    label: str
    created_at: datetime
    expires_at: datetime
    active: bool


class PasswordChange(Strict):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


_SIGNED_IN: dict[int | str, dict[str, Any]] = {401: {"model": ErrorPublic}, 422: {"model": ErrorPublic}}


@router.get("/tokens", responses=_SIGNED_IN, summary="The signed-in account's API tokens (never the secrets)")
def list_tokens(account: CurrentUser, services: PlatformDep) -> list[TokenInfoPublic]:
    now = services.platform.clock()
    return [
        TokenInfoPublic(id=t.id, label=t.label, created_at=t.created_at, expires_at=t.expires_at, active=t.active(now))
        for t in services.accounts.security.tokens(account.id)
    ]


@router.delete("/tokens/{token_id}", status_code=204, responses=_SIGNED_IN, summary="Revoke one of your API tokens")
def revoke_token(
    token_id: Annotated[str, Path(max_length=64)], account: CurrentUser, services: PlatformDep
) -> Response:
    services.accounts.security.revoke_token(account.id, token_id)
    return Response(status_code=204)


@router.post("/logout-everywhere", status_code=204, responses=_SIGNED_IN, summary="Revoke every token and session")
def logout_everywhere(account: CurrentUser, services: PlatformDep) -> Response:
    services.accounts.security.sign_out_everywhere(account.id)
    return Response(status_code=204)


@router.post("/me/password", status_code=204, responses=_SIGNED_IN, summary="Change the password (revokes every token and session)")
def change_password(body: PasswordChange, account: CurrentUser, services: PlatformDep) -> Response:
    services.accounts.security.change_password(account, body.current_password, body.new_password)
    return Response(status_code=204)
