"""Forms for the legal actions on the reviewer's task page and the case page (no JavaScript):
each posts here and returns to the page it came from; refusals render as the error page."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from yiwang.cases import legal_operations as legal_ops
from yiwang.errors import Refused
from yiwang.web.page_support import _form, _redirect, _text, _user

router = APIRouter()


def _unknown(action: str) -> Refused:
    return Refused(422, "unknown_action", f"未知操作 {action[:20]}", f"unknown action {action[:20]}")


@router.post("/workbench/tasks/{task_id}/legal")
async def task_legal_action(request: Request, task_id: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    action = _text(form, "action", 30)
    match action:
        case "refuse_acceptance":
            legal_ops.refuse_acceptance(services, account, task_id, _text(form, "reason"))
        case "extend":
            days = _text(form, "working_days", 3)
            if not days.isdigit():
                raise Refused(422, "invalid_form", "延长天数须为整数", "working days must be a whole number")
            legal_ops.extend(
                services,
                account,
                task_id,
                approved_by=_text(form, "approved_by", 100),
                reason=_text(form, "reason"),
                working_days=int(days),
                joint=_text(form, "joint", 5) == "yes",
            )
        case "excluded_start":
            legal_ops.start_excluded_period(
                services,
                account,
                task_id,
                kind=_text(form, "kind", 30),
                reason=_text(form, "reason"),
                notice=_text(form, "notice", 2000),
            )
        case "excluded_end":
            legal_ops.end_excluded_period(services, account, task_id)
        case _:
            raise _unknown(action)
    return _redirect(f"/workbench/tasks/{task_id}")


@router.post("/cases/{case_id}/legal")
async def case_legal_action(request: Request, case_id: str) -> Response:
    services, account = _user(request)
    form = await _form(request)
    action = _text(form, "action", 30)
    reason = _text(form, "reason")
    match action:
        case "withdraw":
            legal_ops.withdraw(services, account, case_id, reason)
        case "suspend":
            legal_ops.suspend(services, account, case_id, reason)
        case "resume":
            legal_ops.resume(services, account, case_id, reason)
        case "terminate":
            legal_ops.terminate(services, account, case_id, reason)
        case _:
            raise _unknown(action)
    return _redirect(f"/cases/{case_id}")
