"""Dependencies: the wired services and the signed-in account, as ``Annotated`` aliases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from yiwang.accounts.authority import EnterpriseAuthority
from yiwang.accounts.consents import ConsentServices
from yiwang.accounts.errors import NotAuthenticated
from yiwang.accounts.models import Account
from yiwang.accounts.services import AccountServices
from yiwang.accounts.signup import SignupServices
from yiwang.api.search import SearchIndex
from yiwang.bootstrap import Platform
from yiwang.identity.sms import LoggingSmsGateway, SmsGateway
from yiwang.materials.services import MaterialStore


@dataclass
class Services:
    """Everything a request handler needs, built once by `create_app`."""

    platform: Platform
    accounts: AccountServices
    materials: MaterialStore
    search: SearchIndex
    # Proven identity: the SMS port, sign-up by one-time code, who may act for an
    # enterprise, and consent of the people an application names.
    sms: SmsGateway = field(default_factory=LoggingSmsGateway)
    signup: SignupServices = field(init=False)
    authority: EnterpriseAuthority = field(init=False)
    consents: ConsentServices = field(init=False)

    def __post_init__(self) -> None:
        engine, clock = self.platform.engine, self.platform.clock
        self.signup = SignupServices(engine, clock, self.accounts, self.sms)
        self.authority = EnterpriseAuthority(engine, clock)
        self.consents = ConsentServices(engine, clock)


def get_services(request: Request) -> Services:
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


PlatformDep = Annotated[Services, Depends(get_services)]


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
