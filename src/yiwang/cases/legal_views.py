"""What the applicant and the office are shown of the legal record: the timeline lines of the
legal events and the record itself (acceptance, the commitment signed, extensions, excluded
periods, suspension, authorisation, supplement answer deadlines)."""

from __future__ import annotations

from typing import Any

from yiwang.cases.models import Case, Event, EventKind
from yiwang.catalog.models import EXCLUDED_PERIOD_KINDS

_MODES = {
    "on_the_spot": ("当场受理", "accepted on the spot"),
    "by_reviewer": ("部门受理", "accepted by the department"),
    "with_decision": ("受理并决定", "accepted with the decision"),
    "after_supplement": ("补正后受理", "accepted after the supplement"),
    "deemed": ("依法视为受理（5个工作日内未告知补正）", "deemed accepted (no notice within 5 working days)"),
}


def legal_event_text(event: Event) -> tuple[str, str] | None:
    data = event.data
    match event.kind:
        case EventKind.APPLICATION_ACCEPTED:
            zh, en = _MODES.get(str(data.get("mode")), ("已受理", "accepted"))
            return f"{zh}，受理日 {str(data.get('accepted_at', ''))[:10]}", en
        case EventKind.APPLICATION_NOT_ACCEPTED:
            return f"不予受理：{event.reason}", f"not accepted: {event.reason}"
        case EventKind.CASE_WITHDRAWN:
            return f"申请已撤回：{event.reason}", "application withdrawn"
        case EventKind.CASE_TERMINATED:
            return f"办理终止：{event.reason}", "case terminated"
        case EventKind.CASE_SUSPENDED:
            return f"办理中止（时限暂停）：{event.reason}", "case suspended; the clocks stop"
        case EventKind.CASE_RESUMED:
            return f"恢复办理：{event.reason}".rstrip("："), "case resumed"
        case EventKind.TIME_LIMIT_EXTENDED:
            return (
                f"经{data.get('approved_by', '')}批准延长{data.get('working_days', '')}个工作日：{event.reason}",
                f"time limit extended by {data.get('working_days', '')} working days",
            )
        case EventKind.EXCLUDED_PERIOD_STARTED:
            return (
                f"{data.get('kind_name', '')}期间不计入时限（最长{data.get('max_working_days', '')}个工作日）：{data.get('notice', '')}",
                f"{data.get('kind', '')}: the time does not count",
            )
        case EventKind.EXCLUDED_PERIOD_ENDED:
            return "不计时程序结束，时限恢复计算", "excluded period ended; the clock runs again"
        case EventKind.COMMITMENT_SIGNED:
            return f"已签署告知承诺书：{data.get('text', '')}", "commitment signed"
        case EventKind.AUTHORISATION_RECORDED:
            return (
                f"代办授权委托书 {event.reason}，委托事项：{'、'.join(data.get('scope', []))}",
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
