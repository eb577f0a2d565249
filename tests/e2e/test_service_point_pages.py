"""The pages ask for the place of handling only where the form does not (办理地), offer
internal work only to government accounts, and show who holds each output."""

from __future__ import annotations

import re

from e2e_support import Demo, page_client
from sqlalchemy import select

from yiwang.db import tables as t


def _government(demo: Demo) -> str:
    return next(u for u, a in demo.accounts.items() if a.role.value == "applicant" and a.scope.startswith("机关"))


def test_an_item_without_a_county_field_offers_the_service_point_preselected(demo: Demo) -> None:
    client, _csrf = page_client(demo, demo.founder)
    page = client.get("/apply/medins.insurance_certificate").text
    assert 'name="service_point"' in page
    with demo.platform.engine.connect() as connection:
        county = connection.execute(select(t.people.c.region_code).where(t.people.c.id_number == demo.founder)).scalar()
    # Pre-selected: the county of the founder's household registration.
    selected = re.search(r'<option value="(\d{6})" selected>', page)
    assert selected is not None and selected.group(1) == county
    # The start-up asks for its registration county itself: no second question.
    assert 'name="service_point"' not in client.get("/apply/bundle.enterprise_startup").text


def test_the_page_files_at_the_chosen_service_point(demo: Demo) -> None:
    client, csrf = page_client(demo, demo.founder)
    response = client.post(
        "/apply/medins.insurance_certificate",
        data={"csrf_token": csrf, "service_point": "370112", "idempotency_key": "sp-1"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    case_id = response.headers["location"].rsplit("/", 1)[1]
    assert demo.platform.cases.get(case_id).region_code == "370112"
    refused = client.post(
        "/apply/medins.insurance_certificate",
        data={"csrf_token": csrf, "service_point": "110101", "idempotency_key": "sp-2"},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert "办理地：不在本省行政区划中" in refused.text


def test_internal_bundles_are_offered_to_government_accounts_only(demo: Demo) -> None:
    citizen, _ = page_client(demo, demo.founder)
    assert "部门间征求意见" not in citizen.get("/").text
    assert citizen.get("/apply/bundle.internal_consultation").status_code == 403
    anonymous, _ = page_client(demo, None)
    assert "部门间征求意见" not in anonymous.get("/").text
    government, _ = page_client(demo, _government(demo))
    assert "部门间征求意见" in government.get("/").text
    assert government.get("/apply/bundle.internal_consultation").status_code == 200
