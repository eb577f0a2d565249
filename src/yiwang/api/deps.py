"""Dependencies: the wired services and the signed-in account, as ``Annotated`` aliases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from yiwang.accounts import policy
from yiwang.accounts.errors import NotAuthenticated
from yiwang.accounts.models import Account
from yiwang.bootstrap import Services


def get_services(request: Request) -> Services:
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


async def _app_services(request: Request) -> Services:
    # A coroutine so that FastAPI calls it on the event loop: it runs a plain function
    # dependency in the thread pool, a hand-over to a worker thread and back (with the GIL
    # changing hands twice) per request, for what is one attribute read.
    return get_services(request)


PlatformDep = Annotated[Services, Depends(_app_services)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()[:200]


def api_user(request: Request, services: PlatformDep) -> Account:
    token = bearer_token(request)
    account = services.accounts.resolve_token(token) if token else None
    if account is None:
        raise NotAuthenticated()
    # An enterprise account acts only while its user stands for the enterprise.
    return services.authority.admit(account)


CurrentUser = Annotated[Account, Depends(api_user)]


def allowed(action: policy.Action) -> Callable[[Account], Awaitable[Account]]:
    """A dependency: the signed-in account, if the policy lets it take ``action`` (else 403).
    Use as ``account: Annotated[Account, Depends(allowed(Action.X))]``."""

    async def dependency(account: CurrentUser) -> Account:
        # A pure check, so a coroutine: no thread-pool hop (see `_app_services`).
        return policy.require(account, action)

    return dependency


Reviewer = Annotated[Account, Depends(allowed(policy.Action.REVIEW))]
Supervisor = Annotated[Account, Depends(allowed(policy.Action.SUPERVISE))]
CreditReader = Annotated[Account, Depends(allowed(policy.Action.READ_APPLICANT_CREDIT))]


# Paged lists (the inbox, the overdue list, the construction board): `after` is the opaque
# position a previous page gave in its `Link: <…>; rel="next"` header.
After = Annotated[str | None, Query(max_length=400, description="position of the next page (from the Link header)")]
Limit = Annotated[int | None, Query(ge=1, le=200, description="rows per page (50 when not given)")]


def link_next(request: Request, response: Response, after: str | None) -> None:
    """Point to the next page, RFC 8288 style, when there is one."""
    if after is not None:
        url = request.url.include_query_params(after=after)
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
