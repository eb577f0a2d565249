"""Each role's journey in a real Chromium: the enterprise start-up across roles, a supplement
request answered by the applicant, a supervisor seeing a red (overdue) task — on a desktop
and a phone-sized screen. Screenshots of each role's main page go to docs/screenshots."""

from __future__ import annotations

import re

import pytest
from browser_support import PHONE, Site, screenshot, sign_in
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _apply(page: Page, site: Site, company: str, entity_type: str) -> str:
    page.goto(f"{site.url}/search?q=开公司")
    page.click("a[href='/guide/bundle.enterprise_startup']")
    expect(page.locator("h1")).to_contain_text("企业开办一件事")
    page.click("a[href='/apply/bundle.enterprise_startup']")
    # Pre-filled from the applicant's profile (一处填报、全网通用).
    expect(page.locator("input[name=legal_rep_id]")).to_have_value(site.founder)
    page.fill("input[name=company_name]", company)
    page.select_option("select[name=entity_type]", entity_type)
    page.select_option("select[name=region_code]", "370102")
    page.fill("input[name=address]", "泉城路188号8层801室")
    page.fill("input[name=registered_capital]", "100")
    page.check("input[name=business_scope][value=I001]")
    page.select_option("select[name=delivery]", "mail")
    page.click("form.apply button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/YW\w+$"))
    return page.url.rsplit("/", 1)[1]


def _approve(browser: Browser, site: Site, reviewer: str, case_id: str) -> None:
    page = sign_in(browser, site, reviewer)
    link = page.locator(f"a[href^='/workbench/tasks/{case_id}-T']").first
    link.click()
    page.click("button.ok")
    page.wait_for_url(re.compile(r"/workbench$"))
    page.context.close()


def test_enterprise_startup_across_roles(browser: Browser, site: Site) -> None:
    applicant = sign_in(browser, site, site.founder)
    case_id = _apply(applicant, site, "济南市历下区泉润信息科技有限公司", "llc_natural_person_sole")
    # Smart approval: the business licence is issued at once.
    expect(applicant.locator("#results")).to_contain_text("营业执照")
    for reviewer in ("reviewer.hrss.jinan", "reviewer.medins.jinan", "reviewer.hfund.jinan"):
        _approve(browser, site, reviewer, case_id)
    reviewer = sign_in(browser, site, "reviewer.police.jinan")
    expect(reviewer.locator(f"a[href^='/workbench/tasks/{case_id}-T']")).to_have_count(1)
    screenshot(reviewer, "reviewer")
    reviewer.context.close()
    for reviewer_name in ("reviewer.police.jinan", "reviewer.tax.jinan"):
        _approve(browser, site, reviewer_name, case_id)
    applicant.reload()
    expect(applicant.locator(".status")).to_have_text("已办结")
    expect(applicant.locator("#results")).to_contain_text("印章")
    expect(applicant.locator("#results")).to_contain_text("发票及税控设备")
    screenshot(applicant, "applicant_case")
    applicant.goto(f"{site.url}/me/cases")
    screenshot(applicant, "applicant")
    applicant.context.close()


def test_supplement_request_answered_by_the_applicant(browser: Browser, site: Site, tmp_path: object) -> None:
    applicant = sign_in(browser, site, site.founder)
    case_id = _apply(applicant, site, "济南市历下区泉达科技股份有限公司", "joint_stock")
    reviewer = sign_in(browser, site, "reviewer.market.jinan")
    reviewer.goto(f"{site.url}/workbench/tasks/{case_id}-T1")
    reviewer.check("input[name=material_codes][value=premises_proof]")
    reviewer.fill("textarea[name=note]", "请上传加盖公章的租赁合同")
    reviewer.click("form:has(input[value=supplement]) button[type=submit]")
    reviewer.wait_for_url(re.compile(r"/workbench$"))
    applicant.reload()
    notice = applicant.locator("#supplement")
    expect(notice).to_contain_text("请上传加盖公章的租赁合同")
    applicant.set_input_files("input[name=file_premises_proof]", files=[{"name": "租赁合同.png", "mimeType": "image/png", "buffer": PNG}])
    applicant.fill("textarea[name=answer]", "已上传盖章合同")
    applicant.click("#supplement button[type=submit]")
    applicant.wait_for_url(re.compile(rf"/cases/{case_id}$"))
    expect(applicant.locator("#supplement")).to_have_count(0)
    expect(applicant.locator(".status")).to_have_text("办理中")
    expect(applicant.locator("#materials")).to_contain_text("租赁合同.png")
    reviewer.goto(f"{site.url}/workbench/tasks/{case_id}-T1")
    expect(reviewer.locator("body")).to_contain_text("已答复")
    applicant.context.close()
    reviewer.context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_supervisor_sees_the_overdue_task_in_red(browser: Browser, site: Site, viewport: str) -> None:
    page = sign_in(browser, site, "supervisor.jinan", PHONE if viewport == "phone" else {"width": 1280, "height": 900})
    assert page.url.endswith("/supervision")
    overdue_rows = page.locator(f"tr.row-red:has(a[href='/cases/{site.cases.overdue_case_id}'])")
    expect(overdue_rows.first).to_be_visible()
    expect(overdue_rows.first.locator(".light-red")).to_have_text("超期")
    expect(page.locator("svg.chart").first).to_be_visible()
    if viewport == "phone":
        # Nothing wider than the screen: the tables turn into cards.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, width
    screenshot(page, "supervisor" if viewport == "desktop" else "supervisor_phone")
    page.context.close()


def test_clerk_files_on_behalf_of_a_walk_in_applicant(browser: Browser, site: Site) -> None:
    fresh = site.platform.cases.get(site.cases.fresh_case_id)
    page = sign_in(browser, site, "clerk.jinan")
    page.click("a[href='/apply/bundle.enterprise_startup']")
    page.fill("input[name=applicant_id]", fresh.applicant_id)
    page.fill("input[name=applicant_name]", fresh.applicant_name)
    for name, value in fresh.form.items():
        if name == "business_scope":
            for code in value:
                page.check(f"input[name=business_scope][value={code}]")
        elif page.locator(f"select[name={name}]").count():
            page.select_option(f"select[name={name}]", str(value))
        else:
            page.fill(f"input[name={name}]", str(value).replace("历山", "明湖"))
    page.click("form.apply button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/YW\w+$"))
    expect(page.locator("body")).to_contain_text(fresh.applicant_name)
    page.goto(f"{site.url}/clerk")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    screenshot(page, "clerk")
    page.context.close()


def test_admin_and_english_switch_on_a_phone(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, "admin", PHONE)
    expect(page.locator("h1")).to_have_text("账号管理")
    screenshot(page, "admin")
    page.click("a[href^='/lang/en']")
    expect(page.locator("h1")).to_have_text("Accounts")
    page.click("a[href^='/lang/zh']")
    page.context.close()


def test_applicant_on_a_phone_sees_a_bad_form_field_by_field(browser: Browser, site: Site) -> None:
    page = sign_in(browser, site, site.founder, PHONE)
    page.goto(f"{site.url}/apply/bundle.enterprise_startup")
    page.fill("input[name=company_name]", "好公司")
    page.select_option("select[name=entity_type]", "llc_natural_person_sole")
    page.select_option("select[name=region_code]", "370102")
    page.fill("input[name=address]", "泉城路1号")
    page.fill("input[name=registered_capital]", "100")
    page.check("input[name=business_scope][value=I001]")
    page.select_option("select[name=delivery]", "pickup")
    page.click("form.apply button[type=submit]")
    expect(page.locator("#field-company_name .problem").first).to_be_visible()
    # What was typed is kept.
    expect(page.locator("input[name=address]")).to_have_value("泉城路1号")
    page.goto(f"{site.url}/me/cases")
    screenshot(page, "applicant_phone")
    page.context.close()
