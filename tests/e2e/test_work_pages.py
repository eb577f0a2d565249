"""The reviewer's, the applicant's and the supervisor's pages (issue 10, items 6-8)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from e2e_support import Demo, page_client

from yiwang.cases.models import EventKind

LOCAL = ZoneInfo("Asia/Shanghai")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
REVIEWER = "reviewer.market.jinan"
SUPERVISOR = "supervisor.jinan"


def _market_task_missing_materials(demo: Demo) -> tuple[str, str, list[str]]:
    """An open market task whose item asks the applicant for materials none of which is in."""
    tasks = demo.client.get("/api/v1/tasks", headers=demo.headers(REVIEWER)).json()
    for row in tasks:
        detail = demo.client.get(f"/api/v1/tasks/{row['id']}", headers=demo.headers(REVIEWER)).json()
        asked = [m["code"] for m in detail["item_materials"] if m["source"] == "applicant" and m["required"]]
        supplied = {m["material_code"] for m in detail["materials"]}
        if asked and not supplied & set(asked) and detail["task"]["status"] in ("pending", "in_review"):
            return row["id"], row["case_id"], asked
    raise AssertionError("no open market task without materials in the demo")


def test_approval_is_refused_beside_the_button_until_the_materials_are_in(demo: Demo) -> None:
    task_id, case_id, asked = _market_task_missing_materials(demo)
    client, csrf = page_client(demo, REVIEWER)
    assert "材料不齐，暂不能通过" in client.get(f"/workbench/tasks/{task_id}").text
    refused = client.post(f"/workbench/tasks/{task_id}", data={"csrf_token": csrf, "action": "approve", "comment": "同意"})
    # The task page again, the reason beside the approve button: not a bare error page.
    assert refused.status_code == 409
    assert 'id="form-approve"' in refused.text and "材料不齐，不能办结" in refused.text
    api = demo.client.post(f"/api/v1/tasks/{task_id}/actions", json={"action": "approve"}, headers=demo.headers(REVIEWER))
    assert api.status_code == 409 and api.json()["error"]["code"] == "materials_missing"

    # The applicant's files arrive (stored through the platform's material store).
    services = demo.client.app.state.services
    for code in asked:
        services.materials.save(case_id=case_id, material_code=code, original_name=f"{code}.png", data=PNG, uploaded_by="test")
    approved = client.post(
        f"/workbench/tasks/{task_id}", data={"csrf_token": csrf, "action": "approve", "comment": "同意"}, follow_redirects=False
    )
    assert approved.status_code == 303 and approved.headers["location"] == "/workbench"
    inbox = client.get("/workbench")
    assert 'class="flash"' in inbox.text and "已通过" in inbox.text and task_id in inbox.text
    # The confirmation shows once.
    assert 'class="flash"' not in client.get("/workbench").text


def test_a_supplement_without_a_reason_is_answered_beside_the_field(demo: Demo) -> None:
    task_id, _case_id, _asked = _market_task_missing_materials(demo)
    client, csrf = page_client(demo, REVIEWER)
    response = client.post(f"/workbench/tasks/{task_id}", data={"csrf_token": csrf, "action": "supplement", "note": ""})
    assert response.status_code == 422
    assert 'id="note-error"' in response.text and "必须填写理由" in response.text
    assert "<h1>" in response.text and "审批操作" in response.text  # the task page, with its forms


def test_accepting_stays_on_the_task_with_a_confirmation(demo: Demo) -> None:
    tasks = demo.client.get("/api/v1/tasks", headers=demo.headers(REVIEWER)).json()
    pending = next(t for t in tasks if t["status"] == "pending")
    client, csrf = page_client(demo, REVIEWER)
    accepted = client.post(f"/workbench/tasks/{pending['id']}", data={"csrf_token": csrf, "action": "accept"}, follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/workbench/tasks/{pending['id']}"
    page = client.get(accepted.headers["location"]).text
    assert "已受理，请审核后作出决定" in page


def test_the_workbench_filters_by_item_status_light_and_applicant(demo: Demo) -> None:
    tasks = demo.client.get("/api/v1/tasks", headers=demo.headers(REVIEWER)).json()
    assert len(tasks) >= 2
    client, _csrf = page_client(demo, REVIEWER)

    def shown(query: str) -> set[str]:
        page = client.get(f"/workbench?{query}").text
        return set(re.findall(r'href="/workbench/tasks/([^"]+)"', page))

    everything = shown("")
    assert everything == {t["id"] for t in tasks}
    one = tasks[0]
    name = one["applicant_name"]
    assert shown(f"applicant={name}") == {t["id"] for t in tasks if name in t["applicant_name"]}
    assert shown(f"status={one['status']}") == {t["id"] for t in tasks if t["status"] == one["status"]}
    assert shown(f"item={one['item_code']}") == {t["id"] for t in tasks if t["item_code"] == one["item_code"]}
    assert shown("light=red") == {t["id"] for t in tasks if t["light"] == "red"}
    assert not any(t["light"] == "red" and t["kind"] == "early_intervention" for t in tasks)
    assert shown("applicant=没有这个人") == set()
    assert "没有符合条件的任务" in client.get("/workbench?applicant=没有这个人").text


def test_a_stopped_clock_reads_paused_with_why_by_whom(demo: Demo) -> None:
    case = demo.platform.cases.get(demo.cases.supplement_case_id)
    client, _csrf = page_client(demo, demo.founder)
    page = client.get(f"/cases/{case.id}").text
    assert 'id="paused"' in page and "已暂停" in page and "办理时限已暂停" in page
    assert "济南市市场监督管理局" in page  # the department that asked, by name
    notice = case.open_supplements()[0]
    assert notice.answer_due_at is not None  # every notice states its answer deadline
    paused = page[page.index('id="paused"') :].split("</section>")[0]
    assert "请在此前答复" in paused and notice.answer_due_at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M") in paused
    listing = client.get("/me/cases").text
    row = listing[listing.index(case.id) :].split("</tr>")[0]
    assert "已暂停" in row and "正常" not in row


def test_an_answer_without_every_requested_material_keeps_the_clock_stopped(demo: Demo) -> None:
    case = demo.platform.cases.get(demo.cases.supplement_case_id)
    supplement = case.open_supplements()[0]
    answered = demo.client.post(
        f"/api/v1/cases/{case.id}/supplements/{supplement.id}/answer",
        json={"answer": "只写了说明"},
        headers=demo.headers(demo.founder),
    )
    assert answered.status_code == 422 and answered.json()["error"]["code"] == "supplement_incomplete"
    assert demo.platform.cases.get(case.id).status.value == "waiting_applicant"


def test_overdue_work_comes_first_and_a_note_reaches_the_department(demo: Demo) -> None:
    client, csrf = page_client(demo, SUPERVISOR)
    board = client.get("/supervision").text
    assert board.index('id="overdue"') < board.index('class="list figures"')
    overdue = board[board.index('id="overdue"') : board.index("</table>", board.index('id="overdue"'))]
    assert "提前介入" not in overdue  # untimed work is never overdue
    assert "market_regulation@" not in board and "区域" not in board
    task_id = re.findall(r'action="/supervision/tasks/([^"]+)/note"', overdue)[0]
    noted = client.post(f"/supervision/tasks/{task_id}/note", data={"csrf_token": csrf, "note": "请今日办结并回复"}, follow_redirects=False)
    assert noted.status_code == 303
    assert "督办意见已送达办理部门" in client.get(noted.headers["location"]).text
    events = demo.platform.cases.events(task_id.rpartition("-T")[0])
    note = next(e for e in events if e.kind is EventKind.SUPERVISION_NOTE)
    assert note.task_id == task_id and note.reason == "请今日办结并回复"
    # The handling department reads it on its task page, with who sent it.
    task = demo.platform.cases.get(task_id.rpartition("-T")[0]).task(task_id)
    reviewer = next(u for u, a in demo.accounts.items() if a.role.value == "reviewer" and a.scope == task.department_code)
    reviewer_client, _ = page_client(demo, reviewer)
    task_page = reviewer_client.get(f"/workbench/tasks/{task_id}").text
    assert 'id="supervision-note"' in task_page and "请今日办结并回复" in task_page and "督查" in task_page
    # An empty note is refused; a reviewer may not send one.
    assert client.post(f"/supervision/tasks/{task_id}/note", data={"csrf_token": csrf, "note": " "}).status_code == 422
    reviewer_csrf = re.search(r'name="csrf_token" value="([^"]+)"', task_page)
    assert reviewer_csrf is not None
    refused = reviewer_client.post(f"/supervision/tasks/{task_id}/note", data={"csrf_token": reviewer_csrf.group(1), "note": "x"})
    assert refused.status_code in (403, 404)


def test_the_timeline_names_the_department_and_role_that_acted(demo: Demo) -> None:
    case_id = demo.cases.supplement_case_id
    events = demo.client.get(f"/api/v1/cases/{case_id}/timeline", headers=demo.headers(demo.founder)).json()
    asked = next(e for e in events if e["kind"] == "SupplementRequested")
    assert "市场监督管理局" in asked["actor_zh"] and "Market Regulation" in asked["actor_en"]
    assert all(e["actor_zh"] and e["text_en"] for e in events)
    assert not any(re.search(r"[\u4e00-\u9fff]", e["text_en"].split(":")[0]) for e in events)
