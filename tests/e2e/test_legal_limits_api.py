"""Limits, their legal basis and the voucher window as an applicant meets them over HTTP."""

from __future__ import annotations

from e2e_support import Demo


def test_the_guide_states_each_limit_in_words_with_its_legal_basis(demo: Demo) -> None:
    voucher = demo.client.get("/api/v1/catalog/entries/bundle.innovation_voucher").json()
    # Not "17个工作日": a month-day limit reads as the day of the month it is.
    assert voucher["total_limit"] == "当月第17个工作日前"
    assert voucher["total_limit_en"] == "by the 17th working day of the month"
    construction = demo.client.get("/api/v1/catalog/entries/bundle.construction_project").json()
    items = {item["code"]: item for item in construction["items"]}
    permit = items["hc.construction_permit"]
    assert (permit["legal_limit"], permit["legal_limit_en"]) == ("7日（自然日）", "7 calendar days")
    assert permit["legal_limit_basis"] == "《中华人民共和国建筑法》第八条"
    eia = items["env.eia_approval"]
    assert eia["legal_limit"] == "60日（自然日）；环境影响报告表：30日（自然日）"
    assert items["dr.project_filing"]["legal_limit"] == "收到即备案"
    startup = demo.client.get("/api/v1/catalog/entries/bundle.enterprise_startup").json()
    id_fields = [f for f in startup["form"] if f["type"] == "id_number"]
    assert id_fields and all("台湾居民居住证" in f["accepted_documents"] for f in id_fields)
    page = demo.client.get("/guide/bundle.construction_project").text
    assert "7日（自然日）" in page and "《中华人民共和国建筑法》第八条" in page


def test_a_voucher_outside_working_days_1_to_7_is_refused_naming_the_next_window(
    demo: Demo,
) -> None:
    # The platform's clock stands at Thursday 26 November 2026, the 18th working day.
    response = demo.client.post(
        "/api/v1/cases",
        json={
            "subject_code": "bundle.innovation_voucher",
            "form": {
                "voucher_numbers": "CXQ-2026-000200",
                "amount": "20000",
                "service_provider": "山东省计量科学研究院",
                "region_code": "370102",
            },
        },
        headers=demo.headers(demo.enterprise),
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    # December 2026: working days 1-7 are 1-9 December.
    assert "2026-12-01 至 2026-12-09" in error["message_zh"]
    assert "2026-12-01 to 2026-12-09" in error["message_en"]
