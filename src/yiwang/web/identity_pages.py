"""Pages of proven identity: sign-up in two steps (details, then the one-time code), the
legal representative's authorisations, and the consent requests a named person answers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yiwang.accounts import policy
from yiwang.accounts.authority import SCOPES, agent_username
from yiwang.accounts.signup import SENT_EN, SENT_ZH, SignupRequest
from yiwang.cases.operations import reject_nul
from yiwang.error_kinds import KNOWN_ERRORS, describe
from yiwang.identity.numbers import mask_id_number
from yiwang.web.page_support import _form, _redirect, _text, _user, home_of, render
from yiwang.web.session import get_services, set_session

router = APIRouter()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request) -> Response:
    return render(request, "portal/register.html", error=None, values={})


@router.post("/register")
async def register(request: Request) -> Response:
    services = get_services(request)
    form = await _form(request)
    values = {k: _text(form, k, 60) for k in ("kind", "id_number", "name", "phone", "credit_code")}
    try:
        reject_nul(values)
        challenge = services.signup.start(
            SignupRequest(values["kind"], values["id_number"], values["name"], values["phone"], values["credit_code"]),
            client_address(request),
        )
    except KNOWN_ERRORS as error:
        status, _code, zh, en, problems = describe(error)
        return render(request, "portal/register.html", status=status, error=(zh, en), problems=problems, values=values)
    return render(request, "portal/register_confirm.html", status=202, challenge=challenge, sent=(SENT_ZH, SENT_EN), error=None)


@router.post("/register/confirm")
async def register_confirm(request: Request) -> Response:
    services = get_services(request)
    form = await _form(request)
    challenge = _text(form, "challenge", 60)
    try:
        reject_nul([challenge, _text(form, "code", 12)])
        account = services.signup.confirm(challenge, _text(form, "code", 12), _text(form, "password", 200))
    except KNOWN_ERRORS as error:
        status, _code, zh, en, problems = describe(error)
        return render(
            request, "portal/register_confirm.html", status=status, challenge=challenge, sent=None, error=(zh, en), problems=problems
        )
    response = _redirect(home_of(account))
    set_session(response, services, services.accounts.start_session(account))
    return response


@router.get("/me/authorisations", response_class=HTMLResponse)
def authorisations_page(request: Request) -> Response:
    services, account = _user(request)
    grants = services.authority.list(account)
    now = services.platform.clock()
    rows = [(grant, grant.active(now), mask_id_number(grant.agent_id), agent_username(grant.credit_code, grant.agent_id)) for grant in grants]
    return render(request, "portal/authorisations.html", rows=rows, scopes=SCOPES, error=None)


@router.post("/me/authorisations")
async def grant(request: Request) -> Response:
    services, account = _user(request)
    form = await _form(request)
    scopes = [value for value in form.getlist("scopes") if isinstance(value, str)]
    days_text = _text(form, "days", 5)
    try:
        reject_nul([_text(form, "agent_id", 30), _text(form, "agent_name", 60), *scopes])
        services.authority.grant(
            account,
            _text(form, "agent_id", 30),
            _text(form, "agent_name", 60),
            scopes,
            int(days_text) if days_text.isdigit() else 0,
        )
    except KNOWN_ERRORS as error:
        status, _code, zh, en, problems = describe(error)
        now = services.platform.clock()
        grants = services.authority.list(account)
        rows = [(g, g.active(now), mask_id_number(g.agent_id), agent_username(g.credit_code, g.agent_id)) for g in grants]
        return render(request, "portal/authorisations.html", status=status, rows=rows, scopes=SCOPES, error=(zh, en), problems=problems)
    return _redirect("/me/authorisations")


@router.post("/me/authorisations/{authorisation_id}/revoke")
async def revoke(request: Request, authorisation_id: str) -> Response:
    services, account = _user(request)
    await _form(request)
    services.authority.revoke(account, authorisation_id[:60])
    return _redirect("/me/authorisations")


@router.get("/me/consents", response_class=HTMLResponse)
def consents_page(request: Request) -> Response:
    services, account = _user(request, policy.Action.ANSWER_CONSENTS)
    return render(request, "portal/consents.html", requests=services.consents.of_person(account))


@router.post("/me/consents/{consent_id}")
async def answer_consent(request: Request, consent_id: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    services.consents.answer(account, consent_id[:60], _text(form, "decision", 10) == "confirm")
    return _redirect("/me/consents")
