"""账号与安全: the signed-in account's own API tokens (listed, created with the secret shown
once, revoked), its password, and "sign out everywhere", for every role. The same use cases
as the API (`/api/v1/tokens`, `/api/v1/me/password`, `/api/v1/logout-everywhere`) and the CLI:
`AccountSecurity` and `AccountService.issue_token`; this module only reads forms and renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yiwang.accounts.errors import InvalidCredentials
from yiwang.accounts.models import Account
from yiwang.accounts.security import TokenNotFound
from yiwang.accounts.services import MIN_PASSWORD
from yiwang.bootstrap import Services
from yiwang.cases.operations import reject_nul
from yiwang.error_kinds import KNOWN_ERRORS, describe
from yiwang.identity.errors import FieldProblem
from yiwang.web.page_support import _flashed, _form, _text, _user, render
from yiwang.web.session import clear_session, rotate_csrf, set_session

router = APIRouter()

PAGE = "/me/account"
LABEL_LENGTH = 100  # as the API's TokenCreate.label
PASSWORD_LENGTH = 200  # as the API's PasswordChange


def _problems(problems: Sequence[FieldProblem]) -> dict[str, list[FieldProblem]]:
    """Problems by field, so each is shown beside its input."""
    by_field: dict[str, list[FieldProblem]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem)
    return by_field


def _page(request: Request, services: Services, account: Account, status: int = 200, **context: Any) -> Response:
    now = services.platform.clock()
    tokens = [(token, token.active(now)) for token in services.accounts.security.tokens(account.id)]
    # Newest first: the token just made, or the one to revoke, is at the top.
    tokens.reverse()
    context.setdefault("problems", {})
    context.setdefault("error", None)
    return render(
        request, "shared/account.html", status=status, tokens=tokens, min_password=MIN_PASSWORD, **context
    )


@router.get(PAGE, response_class=HTMLResponse)
def account_page(request: Request) -> Response:
    services, account = _user(request)
    return _page(request, services, account)


@router.post(f"{PAGE}/tokens")
async def create_token(request: Request) -> Response:
    """A new API token; its secret is on this response only (the server keeps its digest)."""
    services, account = _user(request)
    form = await _form(request)
    label = _text(form, "label", LABEL_LENGTH).strip()
    try:
        reject_nul([label])
        if not label:
            problem = FieldProblem("label", "required", "请填写令牌用途，例如“手机应用”", "say what the token is for, e.g. \"phone app\"")
            return _page(request, services, account, 422, error=None, problems=_problems([problem]), label=label)
        secret, expires_at = services.accounts.issue_token(account, label)
    except KNOWN_ERRORS as error:
        status, _code, zh, en, problems = describe(error)
        return _page(request, services, account, status, error=(zh, en), problems=_problems(problems), label=label)
    return _page(request, services, account, 201, new_token=(secret, label, expires_at))


@router.post(PAGE + "/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: str) -> Response:
    services, account = _user(request)
    await _form(request)
    try:
        services.accounts.security.revoke_token(account.id, token_id[:64])
    except TokenNotFound:
        # Another account's token reads like one that never existed.
        return _page(request, services, account, 404, error=("没有这个令牌", "no such token"))
    return _flashed(PAGE, "token_revoked", "")


@router.post(f"{PAGE}/password")
async def change_password(request: Request) -> Response:
    """Every token and every session of the account ends (the use case does it in one
    transaction); this browser, whose user just gave the password, gets a new session."""
    services, account = _user(request)
    form = await _form(request)
    current = _text(form, "current_password", PASSWORD_LENGTH)
    new = _text(form, "new_password", PASSWORD_LENGTH)
    again = _text(form, "new_password_again", PASSWORD_LENGTH)
    try:
        reject_nul([current, new, again])
        if new != again:
            problem = FieldProblem("new_password_again", "mismatch", "两次输入的新密码不一致", "the two new passwords differ")
            return _page(request, services, account, 422, problems=_problems([problem]))
        services.accounts.security.change_password(account, current, new)
    except InvalidCredentials:
        problem = FieldProblem("current_password", "wrong", "当前密码不正确", "the current password is wrong")
        return _page(request, services, account, 422, problems=_problems([problem]))
    except KNOWN_ERRORS as error:
        status, _code, zh, en, problems = describe(error)
        by_field = _problems(problems)
        # Said beside the field when it names one of ours, else above the forms.
        beside = bool(by_field) and set(by_field) <= {"current_password", "new_password", "new_password_again"}
        return _page(request, services, account, status, error=None if beside else (zh, en), problems=by_field)
    response = _flashed(PAGE, "password", "")
    set_session(response, services, services.accounts.start_session(account))
    rotate_csrf(request, response, services)
    return response


@router.post(f"{PAGE}/logout-everywhere")
async def logout_everywhere(request: Request) -> Response:
    """Revoke every token and end every session, this browser's included."""
    services, account = _user(request)
    await _form(request)
    services.accounts.security.sign_out_everywhere(account.id)
    # Home, as after signing out here (the flash says what happened).
    response = _flashed("/", "everywhere", "")
    clear_session(response)
    return response
