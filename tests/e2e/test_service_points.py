"""Service points and boards: the green channel first in every inbox (R-SVC-TAL), the
supervisor's construction board (R-SVC-CON), bank branches filing mortgage business for a
present applicant (R-SVC-RE) — through the API and the pages, as each user would check them."""

from __future__ import annotations

from e2e_support import Demo, page_client
from test_authorisation_matrix import mortgage_discharge

from yiwang.accounts.models import Role
from yiwang.bootstrap import build_services
from yiwang.cases.commands import SubmitApplication
from yiwang.demo.accounts import DEMO_PASSWORD

BANK = "bank.icbc.lixia"


def _talent_holder_case(demo: Demo) -> str:
    """A person of the demo population recognised by the provincial department gets a talent
    card (direct track, issued at once),
    then applies for a joint-stock start-up: its review task is in the green channel."""
    fresh = demo.platform.cases.get(demo.cases.fresh_case_id)
    person_id, name = fresh.applicant_id, fresh.applicant_name
    # The direct track rests on the provincial department's record, not on the tick box.
    with demo.platform.unit_of_work() as uow:
        uow.registries.supply(
            "talent_registry", "direct_issue", person_id, "yes", by="山东省人力资源和社会保障厅", at=demo.platform.clock()
        )
        uow.commit()
    card = demo.platform.cases.submit(
        SubmitApplication(
            "talent.huicai_card",
            person_id,
            name,
            "370102",
            {
                "talent_name": name,
                "talent_id": person_id,
                # An employer the legal-entity registry holds: the card is decided by rule only
                # on registry proof (a made-up credit code sends it to a reviewer).
                "employer_name": demo.accounts[demo.enterprise].display_name,
                "employer_credit_code": demo.enterprise,
                "issue_track": "direct",
                "talent_level": "泰山学者",
            },
        )
    )
    assert demo.platform.cases.get(card.case_id).status.value == "concluded"
    form = dict(fresh.form)
    form["company_name"] = "济南市历下区惠才数智科技股份有限公司"
    # Filed now: its deadline is later than every demo task already in the inbox.
    later = demo.platform.cases.submit(SubmitApplication("bundle.enterprise_startup", person_id, name, "370102", form))
    assert demo.platform.cases.get(later.case_id).priority
    return later.case_id


def test_green_channel_task_comes_first_even_with_a_later_deadline(demo: Demo) -> None:
    case_id = _talent_holder_case(demo)
    inbox = demo.client.get("/api/v1/tasks", headers=demo.headers("reviewer.market.jinan")).json()
    first = inbox[0]
    assert first["case_id"] == case_id and first["priority"] is True
    others = [t for t in inbox if not t["priority"]]
    assert others and all(not t["priority"] for t in inbox[1:])
    # Every other task is due sooner (the overdue demo task among them), yet comes after.
    dated = [t["due_at"] for t in others if t["due_at"]]
    assert dated and max(dated) < first["due_at"]
    assert any(t["light"] == "red" for t in others)
    case = demo.client.get(f"/api/v1/cases/{case_id}", headers=demo.headers("reviewer.market.jinan")).json()
    assert case["priority"] is True
    # The workbench page: the badge on the first row; the case and task pages show it too.
    reviewer, _csrf = page_client(demo, "reviewer.market.jinan")
    page = reviewer.get("/workbench").text
    rows = page.split("<tbody>", 1)[1].split("</tr>")
    assert case_id in rows[0] and "绿色通道" in rows[0]
    assert "绿色通道" not in rows[1]
    assert "绿色通道" in reviewer.get(f"/workbench/tasks/{first['id']}").text
    assert "绿色通道" in reviewer.get(f"/cases/{case_id}").text
    reviewer.cookies.set("yw_lang", "en")
    assert "green channel" in reviewer.get("/workbench").text


def test_supervisor_board_shows_each_projects_days_against_its_budget(demo: Demo) -> None:
    board = demo.client.get("/api/v1/supervision/projects", headers=demo.headers("supervisor.jinan"))
    assert board.status_code == 200, board.text
    projects = {p["case_id"]: p for p in board.json()}
    assert set(demo.cases.project_ids) <= set(projects)
    overdue = projects[demo.cases.overdue_project_id]
    assert overdue["light"] == "red" and overdue["days_used"] > overdue["budget_days"] == 20
    assert overdue["flow_type"] == "简易低风险"
    standard = next(p for p in projects.values() if p["flow_type"] == "社会投资工业类（标准地）")
    assert standard["budget_days"] == 35 and standard["stage"] == "工程建设许可"
    industrial = next(p for p in projects.values() if p["flow_type"] == "社会投资工业类")
    assert industrial["budget_days"] == 45 and industrial["light"] == "green"
    # The most urgent first; early intervention is listed, outside the clock.
    assert board.json()[0]["light"] == "red"
    early = [t for t in overdue["open_tasks"] if t["kind"] == "early_intervention"]
    assert early and early[0]["kind_zh"] == "提前介入（不计时）"
    # The page: a row per project with the days written in, and the SVG chart.
    supervisor, _csrf = page_client(demo, "supervisor.jinan")
    page = supervisor.get("/supervision/projects")
    assert page.status_code == 200
    row = page.text.split(f'id="project-{overdue["case_id"]}"', 1)[1].split("</tr>", 1)[0]
    assert "超期" in row and f'{overdue["days_used"]:g}' in row and "提前介入（不计时）" in row
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text and "已用工作日" in page.text
    # Not for reviewers; the API refuses them too.
    reviewer, _csrf = page_client(demo, "reviewer.ndrc.jinan")
    assert reviewer.get("/supervision/projects").status_code == 403


def test_bank_branch_files_mortgage_business_only_and_sees_its_branch_only(demo: Demo) -> None:
    bank = demo.headers(BANK)
    body = mortgage_discharge(demo)
    filed = demo.client.post("/api/v1/cases", json=body, headers=bank)
    assert filed.status_code == 201, filed.text
    case = filed.json()
    assert case["channel"] == "bank" and case["applicant_name"] == body["applicant_name"]
    assert demo.platform.cases.get(case["id"]).filed_by == BANK
    # Only the mortgage items banks handle.
    startup = dict(demo.platform.cases.get(demo.cases.fresh_case_id).form)
    refused = demo.client.post(
        "/api/v1/cases",
        json={"subject_code": "bundle.enterprise_startup", "form": startup, "applicant_id": body["applicant_id"], "applicant_name": body["applicant_name"]},
        headers=bank,
    )
    assert refused.status_code == 403 and "抵押" in refused.json()["error"]["message_zh"]
    # The branch's cases: its own filing, nobody else's.
    listed = demo.client.get("/api/v1/cases", headers=bank).json()
    assert [c["id"] for c in listed] == [case["id"]] and listed[0]["channel"] == "bank"
    assert demo.client.get(f"/api/v1/cases/{demo.cases.overdue_case_id}", headers=bank).status_code == 404
    # A colleague at the same branch sees it; a clerk of another branch or the window does not.
    accounts = build_services(demo.platform).accounts
    accounts.create_staff("bank.icbc.lixia.2", DEMO_PASSWORD, Role.BANK_CLERK, "历下支行 李帮办", department_code="bank.icbc.lixia@370102", region_code="370100")
    accounts.create_staff("bank.ccb.shizhong", DEMO_PASSWORD, Role.BANK_CLERK, "建行市中支行 赵帮办", department_code="bank.ccb.shizhong@370103", region_code="370100")
    assert demo.client.get(f"/api/v1/cases/{case['id']}", headers=demo.headers("bank.icbc.lixia.2")).status_code == 200
    for outsider in ("bank.ccb.shizhong", "clerk.jinan"):
        assert demo.client.get(f"/api/v1/cases/{case['id']}", headers=demo.headers(outsider)).status_code == 404
        assert case["id"] not in [c["id"] for c in demo.client.get("/api/v1/cases", headers=demo.headers(outsider)).json()]
    # Outside the city the branch serves: refused field by field.
    away_body = mortgage_discharge(demo)
    away_body["form"]["region_code"] = "370202"  # 青岛市市南区
    away = demo.client.post("/api/v1/cases", json=away_body, headers=bank)
    assert away.status_code == 422 and away.json()["error"]["problems"][0]["field"] == "region_code"


def test_bank_clerk_pages(demo: Demo) -> None:
    client, csrf = page_client(demo, BANK)
    home = client.get("/")
    assert home.status_code == 200 and 'href="/bank"' in home.text
    page = client.get("/bank").text
    assert "/apply/realestate.mortgage_discharge" in page and "/apply/realestate.mortgage_first_registration" in page
    assert "/apply/bundle.enterprise_startup" not in page
    assert client.get("/apply/bundle.enterprise_startup").status_code == 403
    form_page = client.get("/apply/realestate.mortgage_discharge").text
    assert 'name="applicant_id"' in form_page  # filed for the applicant who is present
    body = mortgage_discharge(demo)
    response = client.post(
        "/apply/realestate.mortgage_discharge",
        data={"csrf_token": csrf, "idempotency_key": "bank-page-1", "applicant_id": body["applicant_id"], "applicant_name": body["applicant_name"], **body["form"]},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    case_id = response.headers["location"].rsplit("/", 1)[1]
    shown = client.get(f"/cases/{case_id}").text
    assert "银行网点" in shown
    assert case_id in client.get("/bank").text
