"""The service points' desks: the government window clerk and the bank branch clerk."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from yiwang.accounts import policy
from yiwang.cases import operations as ops
from yiwang.web.page_support import _user, render

router = APIRouter()


@router.get("/clerk", response_class=HTMLResponse)
def clerk_home(request: Request) -> Response:
    services, account = _user(request, policy.Action.WINDOW_DESK)
    platform = services.platform
    rows = ops.list_cases(services, account, desk=policy.Action.WINDOW_DESK)
    catalog = platform.catalogs.current()
    bundles = [b for b in catalog.bundles.values() if policy.may_file_in_catalog(account, catalog, b.code)]
    return render(request, "clerk/home.html", cases=rows, catalog=catalog, bundles=bundles)


@router.get("/bank", response_class=HTMLResponse)
def bank_home(request: Request) -> Response:
    """A bank branch as a registration service point: the mortgage items it files and the
    cases filed at the branch (by any of its clerks)."""
    services, account = _user(request, policy.Action.BANK_DESK)
    platform = services.platform
    rows = ops.list_cases(services, account, desk=policy.Action.BANK_DESK)
    catalog = platform.catalogs.current()
    items = [catalog.items[code] for code in policy.BANK_ITEMS if code in catalog.items]
    return render(request, "clerk/bank.html", cases=rows, catalog=catalog, items=items)
