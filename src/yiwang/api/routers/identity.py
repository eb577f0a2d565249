"""Proven identity: sign-up by registry check and one-time code, enterprise authorisations
granted by the legal representative, consent of people named in an application."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from yiwang.accounts.authority import agent_username
from yiwang.accounts.identity_models import Authorisation, ConsentRequest
from yiwang.accounts.signup import SENT_EN, SENT_ZH, SignupRequest
from yiwang.api.deps import CurrentUser, PlatformDep
from yiwang.api.identity_schemas import (
    AuthorisationCreate,
    AuthorisationPublic,
    ConsentAnswer,
    ConsentPublic,
    RegisteredPublic,
    RegistrationConfirm,
    RegistrationCreate,
    RegistrationPublic,
)
from yiwang.api.routers.auth import account_public
from yiwang.cases.operations import visible_scope
from yiwang.identity.numbers import mask_id_number
from yiwang.schemas import ErrorPublic

router = APIRouter(tags=["identity"])


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def authorisation_public(grant: Authorisation, now_active: bool) -> AuthorisationPublic:
    return AuthorisationPublic(
        id=grant.id,
        credit_code=grant.credit_code,
        agent_id=mask_id_number(grant.agent_id),
        agent_name=grant.agent_name,
        scopes=sorted(grant.scopes),
        granted_at=grant.granted_at,
        expires_at=grant.expires_at,
        revoked_at=grant.revoked_at,
        active=now_active,
        agent_username=agent_username(grant.credit_code, grant.agent_id),
    )


def consent_public(request: ConsentRequest) -> ConsentPublic:
    return ConsentPublic(
        id=request.id,
        case_id=request.case_id,
        tracking_number=request.tracking_number,
        subject_code=request.subject_code,
        applicant_name=request.applicant_name,
        role=request.role,
        role_zh=request.role_zh,
        stated_name=request.stated_name,
        status=request.status.value,
        requested_at=request.requested_at,
        answered_at=request.answered_at,
    )


@router.post(
    "/registrations",
    status_code=202,
    responses={422: {"model": ErrorPublic}, 429: {"model": ErrorPublic}},
    summary="Start a sign-up: a one-time code goes to the phone on record if the details match",
)
def start_registration(body: RegistrationCreate, request: Request, services: PlatformDep) -> RegistrationPublic:
    """The answer is the same whether or not the registries know this person (no oracle);
    only malformed input (422) or too many requests (429) differ, and those depend on the
    request alone."""
    challenge = services.signup.start(
        SignupRequest(body.kind, body.id_number, body.name, body.phone, body.credit_code), client_address(request)
    )
    return RegistrationPublic(challenge_id=challenge, message_zh=SENT_ZH, message_en=SENT_EN)


@router.post(
    "/registrations/{challenge_id}/confirm",
    status_code=201,
    responses={409: {"model": ErrorPublic}, 422: {"model": ErrorPublic}},
    summary="Confirm a sign-up with the one-time code and choose a password",
)
def confirm_registration(
    challenge_id: Annotated[str, Path(max_length=60)], body: RegistrationConfirm, services: PlatformDep
) -> RegisteredPublic:
    account = services.signup.confirm(challenge_id, body.code, body.password)
    return RegisteredPublic(account=account_public(account))


@router.get(
    "/enterprise/authorisations",
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}},
    summary="The enterprise's authorisations (its legal representative only)",
)
def list_authorisations(account: CurrentUser, services: PlatformDep) -> list[AuthorisationPublic]:
    now = services.platform.clock()
    return [authorisation_public(grant, grant.active(now)) for grant in services.authority.list(account)]


@router.post(
    "/enterprise/authorisations",
    status_code=201,
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}, 422: {"model": ErrorPublic}},
    summary="Authorise an agent to act for the enterprise (scoped, expiring)",
)
def grant_authorisation(body: AuthorisationCreate, account: CurrentUser, services: PlatformDep) -> AuthorisationPublic:
    grant = services.authority.grant(account, body.agent_id, body.agent_name, body.scopes, body.days)
    return authorisation_public(grant, True)


@router.post(
    "/enterprise/authorisations/{authorisation_id}/revoke",
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}, 404: {"model": ErrorPublic}},
    summary="Revoke an authorisation; the agent loses access at their next request",
)
def revoke_authorisation(
    authorisation_id: Annotated[str, Path(max_length=60)], account: CurrentUser, services: PlatformDep
) -> AuthorisationPublic:
    grant = services.authority.revoke(account, authorisation_id)
    return authorisation_public(grant, False)


@router.get(
    "/me/consents",
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}},
    summary="Applications naming the signed-in person, waiting for or holding their answer",
)
def my_consents(account: CurrentUser, services: PlatformDep) -> list[ConsentPublic]:
    return [consent_public(request) for request in services.consents.of_person(account)]


@router.post(
    "/me/consents/{consent_id}",
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}, 404: {"model": ErrorPublic}},
    summary="Confirm or decline being named in an application",
)
def answer_consent(
    consent_id: Annotated[str, Path(max_length=60)], body: ConsentAnswer, account: CurrentUser, services: PlatformDep
) -> ConsentPublic:
    return consent_public(services.consents.answer(account, consent_id, body.decision == "confirm"))


@router.get(
    "/cases/{case_id}/consents",
    responses={401: {"model": ErrorPublic}, 404: {"model": ErrorPublic}},
    summary="Whether the people an application names are verified and have confirmed",
)
def case_consents(case_id: Annotated[str, Path(max_length=40)], account: CurrentUser, services: PlatformDep) -> list[ConsentPublic]:
    visible_scope(services, account, case_id)
    return [consent_public(request) for request in services.consents.of_case(case_id)]
