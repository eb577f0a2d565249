"""The legal actions in the pages, without JavaScript: the reviewer's forms and the
applicant's legal record with the withdrawal form."""

from __future__ import annotations

from e2e_support import Demo, page_client


def test_reviewer_refuses_acceptance_from_the_task_page(demo: Demo) -> None:
    case = demo.platform.cases.get(demo.cases.fresh_case_id)
    task = next(t for t in case.tasks if t.department_code.startswith("market_regulation") and t.is_open)
    client, csrf = page_client(demo, "reviewer.market.jinan")
    page = client.get(f"/workbench/tasks/{task.id}").text
    assert "依法办理" in page and 'value="refuse_acceptance"' in page and 'value="extend"' in page
    blank = client.post(
        f"/workbench/tasks/{task.id}/legal",
        data={"csrf_token": csrf, "action": "refuse_acceptance", "reason": " "},
        follow_redirects=False,
    )
    assert blank.status_code == 422 and "理由" in blank.text
    done = client.post(
        f"/workbench/tasks/{task.id}/legal",
        data={"csrf_token": csrf, "action": "refuse_acceptance", "reason": "不属于本机关职权范围"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert demo.platform.cases.get(case.id).status.value == "rejected"


def test_applicant_sees_the_answer_deadline_and_withdraws(demo: Demo) -> None:
    case_id = demo.cases.supplement_case_id
    client, csrf = page_client(demo, demo.founder)
    page = client.get(f"/cases/{case_id}").text
    assert "补正答复期限" in page and "视为撤回" in page and 'value="withdraw"' in page
    forged = client.post(f"/cases/{case_id}/legal", data={"csrf_token": "x", "action": "withdraw", "reason": "r"})
    assert forged.status_code in (400, 403)
    done = client.post(
        f"/cases/{case_id}/legal",
        data={"csrf_token": csrf, "action": "withdraw", "reason": "不再开办"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert demo.platform.cases.get(case_id).status.value == "withdrawn"
    assert "申请已撤回" in client.get(f"/cases/{case_id}").text
