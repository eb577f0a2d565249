"""The administrator's pages: the account list and unlocking an account."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yiwang.accounts import policy
from yiwang.web.page_support import _form, _redirect, _text, _user, render

router = APIRouter()


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request) -> Response:
    services, _admin = _user(request, policy.Action.ADMINISTER)
    return render(request, "admin/accounts.html", accounts=services.accounts.list())


@router.post("/admin/unlock")
async def unlock(request: Request) -> Response:
    services, _admin = _user(request, policy.Action.ADMINISTER)
    form = await _form(request)
    services.accounts.unlock(_text(form, "username", 60))
    return _redirect("/admin")
