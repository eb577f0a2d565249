"""The legal actions over HTTP: each refusal is a 4xx with a message in both languages; the
applicant sees the legal record (acceptance, extensions, periods that do not count)."""

from __future__ import annotations

from e2e_support import Demo

OTHER_CASE_HIDDEN = 404


def _market_task(demo: Demo, case_id: str) -> str:
    case = demo.platform.cases.get(case_id)
    return next(t.id for t in case.tasks if t.department_code.startswith("market_regulation") and t.is_open)


def _bilingual_4xx(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == code and error["message_zh"] and error["message_en"]


def test_refusal_at_acceptance_needs_a_reason_and_is_shown(demo: Demo) -> None:
    reviewer = demo.headers("reviewer.market.jinan")
    task_id = _market_task(demo, demo.cases.fresh_case_id)
    url = f"/api/v1/tasks/{task_id}/refuse-acceptance"
    _bilingual_4xx(demo.client.post(url, json={"reason": " "}, headers=reviewer), 422, "reason_required")
    # Another department's reviewer may not see the task at all.
    hidden = demo.client.post(url, json={"reason": "x"}, headers=demo.headers("reviewer.tax.jinan"))
    assert hidden.status_code == 404
    refused = demo.client.post(url, json={"reason": "不属于本机关职权范围"}, headers=reviewer)
    assert refused.status_code == 200, refused.text
    assert refused.json()["status"] == "rejected"
    timeline = demo.client.get(f"/api/v1/cases/{demo.cases.fresh_case_id}/timeline", headers=reviewer).json()
    assert any(e["kind"] == "ApplicationNotAccepted" and "不属于本机关" in e["text_zh"] for e in timeline)


def test_extension_over_the_cap_and_without_approver_are_refused(demo: Demo) -> None:
    reviewer = demo.headers("reviewer.market.jinan")
    task_id = _market_task(demo, demo.cases.overdue_case_id)
    url = f"/api/v1/tasks/{task_id}/extension"
    body = {"approved_by": "局长 王五", "reason": "需实地核查住所", "working_days": 11}
    _bilingual_4xx(demo.client.post(url, json=body, headers=reviewer), 422, "legal_action_refused")
    _bilingual_4xx(
        demo.client.post(url, json={**body, "working_days": 10, "approved_by": ""}, headers=reviewer),
        422,
        "legal_action_refused",
    )
    ok = demo.client.post(url, json={**body, "working_days": 10}, headers=reviewer)
    assert ok.status_code == 200, ok.text
    assert ok.json()["extensions"][0]["approved_by"] == "局长 王五"


def test_applicant_withdraws_own_case_only_and_sees_the_record(demo: Demo) -> None:
    case_id = demo.cases.supplement_case_id
    founder = demo.headers(demo.founder)
    record = demo.client.get(f"/api/v1/cases/{case_id}/legal", headers=founder)
    assert record.status_code == 200, record.text
    assert record.json()["supplements"][0]["answer_due_at"]
    stranger = demo.client.post(
        f"/api/v1/cases/{case_id}/withdrawal", json={"reason": "x"}, headers=demo.headers(demo.enterprise)
    )
    assert stranger.status_code in (403, OTHER_CASE_HIDDEN)
    reviewer = demo.client.post(
        f"/api/v1/cases/{case_id}/withdrawal", json={"reason": "x"}, headers=demo.headers("reviewer.market.jinan")
    )
    assert reviewer.status_code == 403
    withdrawn = demo.client.post(f"/api/v1/cases/{case_id}/withdrawal", json={"reason": "不再开办"}, headers=founder)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    again = demo.client.post(f"/api/v1/cases/{case_id}/withdrawal", json={"reason": "不再开办"}, headers=founder)
    assert again.status_code == 409


def test_only_a_lead_reviewer_suspends_and_resumes(demo: Demo) -> None:
    case_id = demo.cases.overdue_case_id
    url = f"/api/v1/cases/{case_id}/suspension"
    assert demo.client.post(url, json={"reason": "x"}, headers=demo.headers("reviewer.market.jinan")).status_code == 403
    lead = demo.headers("lead.market.jinan")
    suspended = demo.client.post(url, json={"reason": "等待司法机关认定"}, headers=lead)
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    resumed = demo.client.post(f"/api/v1/cases/{case_id}/resumption", json={"reason": "已认定"}, headers=lead)
    assert resumed.status_code == 200 and resumed.json()["status"] != "suspended"
