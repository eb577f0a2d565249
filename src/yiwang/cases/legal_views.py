"""What the applicant and the office are shown of the legal record: the timeline lines of the
legal events and the record itself (acceptance, the commitment signed, extensions, excluded
periods, suspension, authorisation, supplement answer deadlines)."""

from __future__ import annotations

from typing import Any

from yiwang.cases import events as ev
from yiwang.cases.models import Case
from yiwang.catalog.models import EXCLUDED_PERIOD_KINDS

_MODES = {
    "on_the_spot": ("当场受理", "accepted on the spot"),
    "by_reviewer": ("部门受理", "accepted by the department"),
    "with_decision": ("受理并决定", "accepted with the decision"),
    "after_supplement": ("补正后受理", "accepted after the supplement"),
    "deemed": ("依法视为受理（5个工作日内未告知补正）", "deemed accepted (no notice within 5 working days)"),
}


def legal_event_text(event: ev.CaseEvent) -> tuple[str, str] | None:
    match event:
        case ev.ApplicationAccepted():
            zh, en = _MODES.get(event.mode, ("已受理", "accepted"))
            return f"{zh}，受理日 {event.accepted_at.isoformat()[:10]}", en
        case ev.ApplicationNotAccepted():
            return f"不予受理：{event.reason}", f"not accepted: {event.reason}"
        case ev.CaseWithdrawn():
            return f"申请已撤回：{event.reason}", "application withdrawn"
        case ev.CaseTerminated():
            return f"办理终止：{event.reason}", "case terminated"
        case ev.CaseSuspended():
            return f"办理中止（时限暂停）：{event.reason}", "case suspended; the clocks stop"
        case ev.CaseResumed():
            return f"恢复办理：{event.reason}".rstrip("："), "case resumed"
        case ev.TimeLimitExtended():
            return (
                f"经{event.approved_by}批准延长{event.working_days}个工作日：{event.reason}",
                f"time limit extended by {event.working_days} working days",
            )
        case ev.ExcludedPeriodStarted():
            return (
                f"{event.kind_name}期间不计入时限（最长{event.max_working_days}个工作日）：{event.notice}",
                f"{event.period_kind}: the time does not count",
            )
        case ev.ExcludedPeriodEnded():
            return "不计时程序结束，时限恢复计算", "excluded period ended; the clock runs again"
        case ev.CommitmentSigned():
            return f"已签署告知承诺书：{event.text}", "commitment signed"
        case ev.AuthorisationRecorded():
            return (
                f"代办授权委托书 {event.reason}，委托事项：{'、'.join(event.scope)}",
                "authorisation recorded",
            )
    return None


def legal_public(case: Case) -> dict[str, Any]:
    """The legal record as JSON for the applicant's and the office's views."""
    record = case.legal.to_json()
    for period in record["excluded_periods"]:
        kind = EXCLUDED_PERIOD_KINDS.get(period["kind"])
        period["kind_name"] = kind.zh if kind else period["kind"]
    record["supplements"] = [
        {
            "id": s.id,
            "task_id": s.task_id,
            "requested_at": s.requested_at.isoformat(),
            "answer_due_at": s.answer_due_at.isoformat() if s.answer_due_at else None,
            "answered_at": s.answered_at.isoformat() if s.answered_at else None,
        }
        for s in case.supplements
    ]
    record["status"] = case.status.value
    return record
