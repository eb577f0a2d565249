"""The long lists come in pages (the reviewer's inbox, the supervisor's overdue list and the
construction board): following the "next" links gives every row once, in the order of the
whole list; a forged or stale position is refused with a 422, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from e2e_support import Demo, page_client

from yiwang.accounts.models import Role
from yiwang.bootstrap import build_services
from yiwang.cases.commands import SubmitApplication
from yiwang.clock import SimulatedClock
from yiwang.demo.accounts import DEMO_PASSWORD


def _follow(demo: Demo, username: str, path: str, limit: int) -> tuple[list[str], int]:
    """Every row's id over all pages of `limit` rows, and the number of pages."""
    headers = demo.headers(username)
    ids: list[str] = []
    url: str | None = f"{path}?limit={limit}"
    pages = 0
    while url is not None:
        answer = demo.client.get(url, headers=headers)
        assert answer.status_code == 200, answer.text
        rows = answer.json()
        assert len(rows) <= limit
        ids += [row.get("id") or row["case_id"] for row in rows]
        pages += 1
        link = re.fullmatch(r'<([^>]+)>; rel="next"', answer.headers.get("link", ""))
        url = link.group(1) if link else None
        assert pages < 100, "the pages never end"
    return ids, pages


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("reviewer.market.jinan", "/api/v1/tasks"),
        ("supervisor.jinan", "/api/v1/supervision/overdue"),
        ("supervisor.jinan", "/api/v1/supervision/projects"),
        ("supervisor.jinan", "/api/v1/cases"),
    ],
)
def test_pages_give_every_row_once_in_the_whole_lists_order(demo: Demo, username: str, path: str) -> None:
    whole = demo.client.get(f"{path}?limit=200", headers=demo.headers(username))
    assert whole.status_code == 200 and "link" not in whole.headers
    everything = [row.get("id") or row["case_id"] for row in whole.json()]
    assert len(everything) >= 2, "the demo must hold enough rows to page"
    paged, pages = _follow(demo, username, path, 1)
    assert pages == len(everything)
    if path.endswith("/projects"):
        # Projects come newest first; on each page the most urgent first.
        assert sorted(paged) == sorted(everything)
    else:
        assert paged == everything
    # Without `limit`, pages of 50: the demo's lists fit on the first.
    first = demo.client.get(path, headers=demo.headers(username))
    assert len(first.json()) == min(50, len(everything))


@pytest.mark.parametrize(
    "query",
    ["after=bm9wZQ", "after=%%%", "after=" + "A" * 500, "after=WyJ4IiwieSJd", "limit=0", "limit=201", "limit=abc"],
)
def test_a_forged_position_or_size_is_refused_in_both_languages(demo: Demo, query: str) -> None:
    for username, path in (
        ("reviewer.market.jinan", "/api/v1/tasks"),
        ("supervisor.jinan", "/api/v1/supervision/overdue"),
        ("supervisor.jinan", "/api/v1/supervision/projects"),
        ("supervisor.jinan", "/api/v1/cases"),
    ):
        answer = demo.client.get(f"{path}?{query}", headers=demo.headers(username))
        assert answer.status_code == 422, (path, query, answer.text)
        if query.startswith("after=") and len(query) < 100:
            assert "翻页位置无效" in answer.text and "page position" in answer.text


def test_pages_link_to_the_next_page_and_refuse_a_forged_one(demo: Demo) -> None:
    supervisor, _csrf = page_client(demo, "supervisor.jinan")
    for path in ("/supervision", "/supervision/projects"):
        page = supervisor.get(path)
        assert page.status_code == 200
        assert 'rel="next"' not in page.text  # the demo's lists fit on one page of 50
        forged = supervisor.get(f"{path}?after=WyJ4IiwieSJd")
        assert forged.status_code == 422 and "翻页位置无效" in forged.text and "Traceback" not in forged.text
    reviewer, _csrf = page_client(demo, "reviewer.market.jinan")
    assert reviewer.get("/workbench?after=nope").status_code == 422
    assert reviewer.get("/workbench?limit=0").status_code == 422
    assert reviewer.get("/workbench?limit=-1").status_code == 422


def test_the_pages_next_link_leads_on_to_the_rest_of_the_list(demo: Demo) -> None:
    overdue = demo.client.get("/api/v1/supervision/overdue", headers=demo.headers("supervisor.jinan")).json()
    inbox = demo.client.get("/api/v1/tasks", headers=demo.headers("reviewer.market.jinan")).json()
    supervisor, _csrf = page_client(demo, "supervisor.jinan")
    reviewer, _csrf = page_client(demo, "reviewer.market.jinan")
    for client, path, rows in ((supervisor, "/supervision", overdue), (reviewer, "/workbench", inbox)):
        first = client.get(f"{path}?limit=1")
        assert first.status_code == 200
        link = re.search(r'<a href="([^"]+)" rel="next">下一页</a>', first.text)
        assert link is not None, path
        assert rows[0]["id"] in first.text and rows[1]["id"] not in first.text
        second = client.get(link.group(1).replace("&amp;", "&"))
        assert second.status_code == 200
        assert rows[1]["id"] in second.text and rows[0]["id"] not in second.text


def test_the_overdue_heading_and_header_count_the_whole_list_not_the_page(demo: Demo, clock: SimulatedClock) -> None:
    """More than a page of overdue tasks: the heading says how many there are in all (one
    COUNT), the page shows 50, and the API says the same total in `X-Total-Count`."""
    fresh = demo.platform.cases.get(demo.cases.fresh_case_id)
    trades = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    for n in range(60):
        form = {**fresh.form, "company_name": f"济南市历下区{trades[n % 22]}{trades[n // 22]}逾科技股份有限公司"}
        demo.platform.cases.submit(SubmitApplication("bundle.enterprise_startup", fresh.applicant_id, fresh.applicant_name, "370102", form))
    clock.advance(timedelta(days=120))
    headers = demo.headers("supervisor.jinan")
    every: list[str] = []
    url: str | None = "/api/v1/supervision/overdue?limit=200"
    while url is not None:
        answer = demo.client.get(url, headers=headers)
        every += [row["id"] for row in answer.json()]
        link = re.fullmatch(r'<([^>]+)>; rel="next"', answer.headers.get("link", ""))
        url = link.group(1) if link else None
        assert answer.headers["x-total-count"] == str(len(every) if url is None else answer.headers["x-total-count"])
    assert len(every) > 50, "the test needs more than one page of overdue tasks"
    first = demo.client.get("/api/v1/supervision/overdue", headers=headers)
    assert len(first.json()) == 50 and first.headers["x-total-count"] == str(len(every))
    supervisor, _csrf = page_client(demo, "supervisor.jinan")
    page = supervisor.get("/supervision")
    heading = re.search(r'<h2 id="overdue">.*?</h2>', page.text, re.S)
    assert heading is not None
    assert f'<span class="overdue-total">{len(every)}</span>' in heading.group(0) and "本页 50" in heading.group(0)
    assert page.text.count('class="row-red"') == 50
    # Another city's supervisor counts only that city's: none of these.
    build_services(demo.platform).accounts.create_staff(
        "supervisor.qingdao", DEMO_PASSWORD, Role.SUPERVISOR, "青岛市督查", region_code="370200"
    )
    elsewhere = demo.client.get("/api/v1/supervision/overdue", headers=demo.headers("supervisor.qingdao"))
    assert elsewhere.status_code == 200
    assert elsewhere.headers["x-total-count"] == "0" and elsewhere.json() == []
