"""The enterprise start-up through the API: submit (idempotent), reviewers act, supplement
answered, licence visible; uploads sniffed by content; errors in both languages."""

from __future__ import annotations

from typing import Any

from e2e_support import Demo

from yiwang.demo.province import pick_founder, startup_form
from yiwang.identity.population import generate_population

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%demo\n"


def _founder_form(demo: Demo, name: str, entity_type: str) -> dict[str, Any]:
    applicant = demo.accounts[demo.founder]
    population = generate_population(demo.platform.catalogs.current().regions, people=600, enterprises=200, seed=20201106)
    founder = pick_founder(population)
    assert founder.id_number == applicant.username
    form = startup_form(founder, "370102", name)
    form["entity_type"] = entity_type
    return form


def test_submit_is_idempotent_and_reviewers_conclude_the_case(demo: Demo) -> None:
    applicant = demo.founder
    headers = {**demo.headers(applicant), "Idempotency-Key": "journey-1"}
    body = {"subject_code": "bundle.enterprise_startup", "form": _founder_form(demo, "济南市历下区鸿远信息科技有限公司", "llc_natural_person_sole")}
    first = demo.client.post("/api/v1/cases", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = demo.client.post("/api/v1/cases", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    case = first.json()
    # Smart approval issued the business licence at once (R-WF-3).
    assert any(o["kind"] == "business_licence" for o in case["outputs"])
    reviewers = {
        "hrss.employer_social_insurance_registration": "reviewer.hrss.jinan",
        "medins.employer_registration": "reviewer.medins.jinan",
        "hfund.employer_account_opening": "reviewer.hfund.jinan",
        "police.seal_carving": "reviewer.police.jinan",
        "tax.new_taxpayer_setup": "reviewer.tax.jinan",
    }
    tokens = {name: demo.headers(name) for name in set(reviewers.values())}
    for _ in range(2):  # two stages
        current = demo.client.get(f"/api/v1/cases/{case['id']}", headers=demo.headers(applicant)).json()
        for task in current["tasks"]:
            if task["status"] in ("pending", "in_review"):
                inbox = demo.client.get("/api/v1/tasks", headers=tokens[reviewers[task["item_code"]]]).json()
                assert task["id"] in [t["id"] for t in inbox]
                done = demo.client.post(
                    f"/api/v1/tasks/{task['id']}/actions", json={"action": "approve", "comment": "同意"}, headers=tokens[reviewers[task["item_code"]]]
                )
                assert done.status_code == 200, done.text
    final = demo.client.get(f"/api/v1/cases/{case['id']}", headers=demo.headers(applicant)).json()
    assert final["status"] == "concluded"
    assert {o["kind"] for o in final["outputs"]} >= {"business_licence", "seals", "tax_setup"}
    timeline = demo.client.get(f"/api/v1/cases/{case['id']}/timeline", headers=demo.headers(applicant)).json()
    assert timeline[0]["kind"] == "ApplicationSubmitted" and timeline[-1]["kind"] == "CaseConcluded"


def test_invalid_form_lists_every_problem_in_both_languages(demo: Demo) -> None:
    applicant = demo.founder
    form = _founder_form(demo, "济南市历下区鸿远信息科技有限公司", "llc_natural_person_sole")
    form["legal_rep_phone"] = "12345"
    form["company_name"] = "好公司"
    response = demo.client.post(
        "/api/v1/cases", json={"subject_code": "bundle.enterprise_startup", "form": form}, headers=demo.headers(applicant)
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_form"
    fields = {p["field"] for p in error["problems"]}
    assert {"legal_rep_phone", "company_name"} <= fields
    assert all(p["message_zh"] and p["message_en"] for p in error["problems"])


def test_supplement_answered_with_an_upload_restarts_the_clock(demo: Demo) -> None:
    applicant = demo.founder
    headers = demo.headers(applicant)
    case_id = demo.cases.supplement_case_id
    case = demo.client.get(f"/api/v1/cases/{case_id}", headers=headers).json()
    assert case["status"] == "waiting_applicant"
    supplement = next(s for s in case["supplements"] if s["answered_at"] is None)
    bad = demo.client.post(
        f"/api/v1/cases/{case_id}/materials",
        data={"material_code": "premises_proof"},
        files={"file": ("lease.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        headers=headers,
    )
    assert bad.status_code == 415 and bad.json()["error"]["code"] == "unsupported_file_type"
    uploaded = demo.client.post(
        f"/api/v1/cases/{case_id}/materials",
        data={"material_code": "premises_proof", "supplement_id": supplement["id"]},
        files={"file": ("lease.png", PNG, "application/octet-stream")},
        headers=headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    material = uploaded.json()
    assert material["content_type"] == "image/png"
    answered = demo.client.post(
        f"/api/v1/cases/{case_id}/supplements/{supplement['id']}/answer",
        json={"answer": "已上传盖章租赁合同", "attachments": [material["id"]]},
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "in_progress"
    task = next(t for t in answered.json()["tasks"] if t["id"] == supplement["task_id"])
    assert task["status"] == "in_review" and task["due_at"] is not None
    download = demo.client.get(material["url"], headers=demo.headers("reviewer.market.jinan"))
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["x-content-type-options"] == "nosniff"


def test_repeated_failures_slow_the_guesser_down(demo: Demo) -> None:
    for _ in range(5):
        wrong = demo.client.post("/api/v1/tokens", json={"username": "clerk.jinan", "password": "wrong-password"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_credentials"
    throttled = demo.client.post("/api/v1/tokens", json={"username": "clerk.jinan", "password": "yiwang-demo"})
    assert throttled.status_code == 429
    assert "秒后再试" in throttled.json()["error"]["message_zh"]
    assert int(throttled.headers["retry-after"]) >= 1


def test_pages_refuse_a_form_without_csrf_token(demo: Demo) -> None:
    response = demo.client.post("/login", data={"username": "admin", "password": "yiwang-demo"})
    assert response.status_code == 403
    assert "刷新" in response.text


def test_catalog_search_matches_aliases_and_pinyin_initials(demo: Demo) -> None:
    for query in ("开公司", "营业执照", "kgs", "yyzz"):
        hits = demo.client.get("/api/v1/catalog/search", params={"q": query}).json()
        assert hits and hits[0]["code"] == "bundle.enterprise_startup", query
    guide = demo.client.get("/api/v1/catalog/entries/bundle.enterprise_startup").json()
    assert guide["total_limit"] == "1个工作日"
    assert any(m["code"] == "premises_proof" for item in guide["items"] for m in item["materials"])


def test_answers_to_writes_are_what_a_read_returns_next(demo: Demo) -> None:
    # Submissions and task actions answer from the case they wrote, without reading it back:
    # the answer must be exactly what the next read of the case or task gives.
    applicant = demo.founder
    headers = {**demo.headers(applicant), "Idempotency-Key": "answers-1"}
    body = {"subject_code": "bundle.enterprise_startup", "form": _founder_form(demo, "济南市历下区恒远信息科技有限公司", "llc_natural_person_sole")}
    submitted = demo.client.post("/api/v1/cases", json=body, headers=headers)
    assert submitted.status_code == 201, submitted.text
    case = submitted.json()
    assert case == demo.client.get(f"/api/v1/cases/{case['id']}", headers=demo.headers(applicant)).json()
    reviewers = {"hrss.employer_social_insurance_registration": "reviewer.hrss.jinan", "police.seal_carving": "reviewer.police.jinan"}
    task = next(t for t in case["tasks"] if t["status"] == "pending" and t["item_code"] in reviewers)
    reviewer = demo.headers(reviewers[task["item_code"]])
    for action in ("accept", "approve"):
        done = demo.client.post(f"/api/v1/tasks/{task['id']}/actions", json={"action": action, "comment": "同意"}, headers=reviewer)
        assert done.status_code == 200, done.text
        assert done.json() == demo.client.get(f"/api/v1/tasks/{task['id']}", headers=reviewer).json()
