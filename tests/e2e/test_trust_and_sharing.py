"""Licences (verify, wallet, print, published keys and revocations), data sharing (guide,
shared materials, who read my data, conditional requests), credit and published inspections,
through the API and the pages, as each user would check them."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from e2e_support import Demo, page_client
from test_authorisation_matrix import enterprise_case

from yiwang.credit.models import CreditRecord, RecordKind, Severity
from yiwang.db.read_models import data_reads
from yiwang.identity.numbers import is_valid_id_number
from yiwang.inspections.views import published_root
from yiwang.licences.payload import decode, encode_signed
from yiwang.licences.revocation import RevocationList
from yiwang.licences.services import sign_licence
from yiwang.licences.signing import DepartmentKey, KeyRing

ID_NUMBER = re.compile(r"\b\d{17}[\dX]\b")


def _full_id_numbers(text: str) -> list[str]:
    """Citizen ID numbers shown in full (credit codes are public and may be all digits)."""
    return [m for m in ID_NUMBER.findall(text) if is_valid_id_number(m)]


def _revoke(demo: Demo, identifier: str, reason: str) -> None:
    with demo.platform.unit_of_work() as uow:
        assert uow.licences.revoke(identifier, reason=reason, by="reviewer.market.jinan", at=demo.platform.clock())
        uow.commit()


def test_licence_verification_statuses(demo: Demo) -> None:
    wallet = demo.client.get("/api/v1/me/licences", headers=demo.headers(demo.enterprise)).json()
    assert [w["identifier"] for w in wallet] == [demo.cases.licence_id]
    code = wallet[0]["qr_text"]

    valid = demo.client.post("/api/v1/licences/verify", json={"qr_text": code}).json()
    assert valid["status"] == "valid" and valid["message_zh"] == "有效"
    assert valid["licence"]["holder_id"] == demo.enterprise
    assert valid["licence"]["kind_zh"] == "营业执照"

    # Line breaks and spaces from a paste do not matter; a cut-off code is malformed.
    spaced = code[:40] + "\n " + code[40:]
    assert demo.client.post("/api/v1/licences/verify", json={"qr_text": spaced}).json()["status"] == "valid"
    assert demo.client.post("/api/v1/licences/verify", json={"qr_text": code[:60]}).json()["status"] == "malformed"
    assert demo.client.post("/api/v1/licences/verify", json={"qr_text": "hello"}).json()["status"] == "malformed"

    licence = decode(code).licence
    stranger = DepartmentKey.generate(licence.issuer_department_code)
    unknown = sign_licence(licence, stranger).qr_text
    result = demo.client.post("/api/v1/licences/verify", json={"qr_text": unknown}).json()
    assert result["status"] == "unknown_issuer" and result["licence"] is None
    forged = encode_signed(licence, decode(code).key_id, stranger.sign)
    result = demo.client.post("/api/v1/licences/verify", json={"qr_text": forged}).json()
    assert result["status"] == "signature_invalid" and result["licence"] is None

    _revoke(demo, licence.identifier.text, "虚假承诺")
    revoked = demo.client.post("/api/v1/licences/verify", json={"qr_text": code}).json()
    assert revoked["status"] == "revoked"
    assert revoked["revocation"]["reason"] == "虚假承诺"
    assert "虚假承诺" in revoked["message_zh"] and revoked["revocation"]["revoked_on"] in revoked["message_zh"]
    assert demo.client.get("/api/v1/me/licences", headers=demo.headers(demo.enterprise)).json()[0]["status"] == "revoked"


def test_published_keys_and_revocations_verify_offline(demo: Demo) -> None:
    code = demo.client.get("/api/v1/me/licences", headers=demo.headers(demo.enterprise)).json()[0]["qr_text"]
    identifier = decode(code).licence.identifier.text
    _revoke(demo, identifier, "营业执照被吊销")
    keys = demo.client.get("/.well-known/yiwang-licence-keys.json")
    assert keys.status_code == 200 and keys.headers["access-control-allow-origin"] == "*"
    revocations = demo.client.get("/.well-known/yiwang-licence-revocations.json")
    assert revocations.status_code == 200
    keyring = KeyRing.from_document(keys.json())
    # Every entry is signed by the issuing department's published key.
    listed = RevocationList.from_document(revocations.json(), keyring)
    assert identifier in listed
    from yiwang.licences.verification import verify

    now = demo.platform.clock()
    assert verify(code, keyring, listed, at=now).status == "revoked"
    assert verify(code, keyring, at=now).status == "valid"  # without the list, the signature still holds


def test_verify_page_needs_no_sign_in_and_shows_status(demo: Demo) -> None:
    code = demo.client.get("/api/v1/me/licences", headers=demo.headers(demo.enterprise)).json()[0]["qr_text"]
    client, csrf = page_client(demo, None)
    page = client.get("/verify")
    assert page.status_code == 200 and 'name="qr_text"' in page.text
    shown = client.post("/verify", data={"qr_text": code, "csrf_token": csrf})
    assert shown.status_code == 200
    assert re.search(r'class="verdict-status">有效<', shown.text)
    # The form is protected like every other form.
    assert client.post("/verify", data={"qr_text": code}).status_code == 403
    _revoke(demo, decode(code).licence.identifier.text, "虚假承诺")
    shown = client.post("/verify", data={"qr_text": code, "csrf_token": csrf})
    assert re.search(r'class="verdict-status">已撤销<', shown.text) and "虚假承诺" in shown.text
    bad = client.post("/verify", data={"qr_text": "YW1:123", "csrf_token": csrf})
    assert "无法识别的证照码" in bad.text


def test_wallet_case_page_and_printable_licence(demo: Demo) -> None:
    founder = demo.headers(demo.founder)
    form = dict(demo.platform.cases.get(demo.cases.fresh_case_id).form)
    form.update(company_name="济南市历下区卡包信息科技有限公司", entity_type="llc_natural_person_sole")
    # The founder is their own legal representative (naming another person needs their consent).
    applicant = demo.accounts[demo.founder]
    form.update(legal_rep_id=applicant.username, legal_rep_name=applicant.display_name)
    created = demo.client.post("/api/v1/cases", json={"subject_code": "bundle.enterprise_startup", "form": form}, headers=founder)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    wallet = demo.client.get("/api/v1/me/licences", headers=founder).json()
    assert [w["case_id"] for w in wallet] == [case_id]  # smart approval: licensed at once
    identifier = wallet[0]["identifier"]
    assert wallet[0]["holder_name"] == "济南市历下区卡包信息科技有限公司"

    client, _csrf = page_client(demo, demo.founder)
    wallet_page = client.get("/me/wallet")
    assert wallet_page.status_code == 200 and identifier in wallet_page.text and "<svg" in wallet_page.text
    case_page = client.get(f"/cases/{case_id}")
    assert f'href="/licences/{identifier}"' in case_page.text and "<svg" in case_page.text
    printable = client.get(f"/licences/{identifier}")
    assert printable.status_code == 200 and "营业执照" in printable.text
    csp = printable.headers["content-security-policy"]
    assert "'sha256-" in csp and "unsafe-inline" not in csp and "script-src" not in csp
    # Another applicant may not open it (the public verifies codes instead).
    other, _ = page_client(demo, demo.enterprise)
    assert other.get(f"/licences/{identifier}").status_code == 404
    assert other.get("/licences/NOPE").status_code == 404
    # Staff do not have a wallet.
    assert demo.client.get("/api/v1/me/licences", headers=demo.headers("reviewer.market.jinan")).status_code == 403


def test_guide_says_which_materials_are_not_asked_for(demo: Demo) -> None:
    client, _ = page_client(demo, None)
    page = client.get("/guide/market.enterprise_address_change").text
    shared = re.findall(r'<li class="material source-registry">(.*?)</li>', page, flags=re.S)
    assert len(shared) == 3 and all("无需提供：通过数据共享获取" in item for item in shared)
    commitment = re.findall(r'<li class="material source-applicant">(.*?)</li>', page, flags=re.S)
    assert any("新住所使用证明" in item and "可告知承诺" in item for item in commitment)
    english = client.get("/lang/en?next=/guide/market.enterprise_address_change", follow_redirects=True).text
    assert "no need to provide: obtained by data sharing" in english
    api = demo.client.get("/api/v1/catalog/entries/market.enterprise_address_change").json()
    materials = {m["code"]: m for m in api["items"][0]["materials"]}
    assert materials["business_licence"]["asked_of_applicant"] is False
    assert materials["business_licence"]["registry_field"] == "licences.business_licence"
    assert materials["change_application"]["asked_of_applicant"] is True


def test_shared_materials_are_shown_masked_and_reads_are_listed(demo: Demo) -> None:
    enterprise = demo.headers(demo.enterprise)
    case = enterprise_case(demo, enterprise)
    attachments = demo.client.get(f"/api/v1/cases/{case['id']}/attachments", headers=enterprise)
    assert attachments.status_code == 200
    by_code = {a["material_code"]: a for a in attachments.json()}
    assert by_code["business_licence"]["source"] == "licence" and by_code["business_licence"]["found"]
    assert by_code["business_licence"]["reference"] == demo.cases.licence_id
    assert by_code["legal_rep_identity"]["found"] and "*" in by_code["legal_rep_identity"]["summary"]
    # No full citizen ID number anywhere in the answer, nor on the pages.
    assert not _full_id_numbers(attachments.text)
    client, _ = page_client(demo, demo.enterprise)
    page = client.get(f"/cases/{case['id']}").text
    section = page[page.index('id="shared"') : page.index('id="timeline"')]
    assert "电子证照库" in section and demo.cases.licence_id in section and not _full_id_numbers(section)

    reads = demo.client.get("/api/v1/me/data-reads", headers=enterprise).json()
    assert reads and all(r["case_id"] == case["id"] for r in reads)
    assert {f"{r['dataset']}.{r['fields'][0]}" for r in reads} >= {"licences.business_licence", "legal_entities.registration"}
    page = client.get("/me/data-reads").text
    assert "法人单位基础信息库" in page and case["id"] in page
    # The founder's reads are about the founder only.
    founder_reads = demo.client.get("/api/v1/me/data-reads", headers=demo.headers(demo.founder)).json()
    assert founder_reads and all(r["case_id"] != case["id"] for r in founder_reads)


def test_prefill_says_where_each_value_came_from(demo: Demo) -> None:
    client, _ = page_client(demo, demo.enterprise)
    page = client.get("/apply/market.enterprise_address_change").text
    field = page[page.index('id="field-legal_rep_id"') :]
    field = field[: field.index("</div>")]
    assert "来自：法人单位基础信息库" in field
    founder, _ = page_client(demo, demo.founder)
    page = founder.get("/apply/bundle.enterprise_startup").text
    assert "来自：人口基础信息库" in page and "来自：此前的申请" in page


def test_credit_class_with_its_rule_and_records(demo: Demo) -> None:
    enterprise = demo.headers(demo.enterprise)
    credit = demo.client.get("/api/v1/me/credit", headers=enterprise).json()
    assert credit["credit_class"] == "诚信守法" and credit["records"] == []
    today = demo.platform.clock().date()
    demo.platform.credit.add_record(
        CreditRecord(
            record_id="CF-TEST-1",
            credit_code=demo.enterprise,
            kind=RecordKind.ADMINISTRATIVE_PENALTY,
            occurred_on=today - timedelta(days=30),
            source_department="market_regulation@370100",
            legal_basis="《食品安全法》第一百二十六条",
            severity=Severity.GENERAL,
            summary_zh="未按规定进行食品安全自查",
        )
    )
    credit = demo.client.get("/api/v1/me/credit", headers=enterprise).json()
    assert credit["credit_class"] != "诚信守法"
    assert [r["record_id"] for r in credit["records"] if r["contributing"]] == ["CF-TEST-1"]
    assert credit["rule_text_zh"]
    client, _ = page_client(demo, demo.enterprise)
    page = client.get("/me/credit").text
    assert credit["credit_class"] in page and "未按规定进行食品安全自查" in page
    # The reviewer of the enterprise's case sees it on the task page.
    case = enterprise_case(demo, enterprise)
    task = next(t["id"] for t in case["tasks"] if t["item_code"] == "market.enterprise_address_change")
    reviewer, _ = page_client(demo, "reviewer.market.jinan")
    assert credit["credit_class"] in reviewer.get(f"/workbench/tasks/{task}").text
    staff = demo.client.get(f"/api/v1/tasks/{task}/applicant-credit", headers=demo.headers("reviewer.market.jinan")).json()
    assert staff["credit_class"] == credit["credit_class"]
    # A person has no credit class.
    assert demo.client.get("/api/v1/me/credit", headers=demo.headers(demo.founder)).status_code == 403


def test_published_inspections_are_open_data_and_verifiable(demo: Demo) -> None:
    plans = demo.client.get("/api/v1/inspections/plans").json()
    assert {p["plan_id"] for p in plans} == {"SD-JN-2024-JOINT-01", "SD-2024-KEY-SECTORS-01"}
    plan = next(p for p in plans if p["plan_id"] == "SD-JN-2024-JOINT-01")
    assert plan["published"]
    names = {f["name"] for f in plan["files"]}
    assert {"pre-publication.json", "roster-enterprises.csv", "seed.json", "selection.json", "selection.csv"} <= names
    client, csrf = page_client(demo, None)
    for entry in plan["files"]:
        response = client.get(entry["url"])
        assert response.status_code == 200, entry
        if entry["name"].endswith(".json"):
            json.loads(response.text)
        else:
            assert response.headers["content-type"].startswith("text/csv")
    assert client.get("/open-data/inspections/SD-JN-2024-JOINT-01/..%2F..%2Fyiwang.db").status_code == 404
    assert client.get("/open-data/inspections/nope/seed.json").status_code == 404
    page = client.get("/inspections").text
    assert plan["title_zh"] in page and "/open-data/inspections/SD-JN-2024-JOINT-01/seed.json" in page
    verified = client.post("/inspections/SD-JN-2024-JOINT-01/verify", data={"csrf_token": csrf}).text
    assert "核验通过" in verified
    # Change one published byte: the public check notices.
    seed_file = published_root(demo.platform) / "SD-JN-2024-JOINT-01" / "seed.json"
    seed = json.loads(seed_file.read_text())
    seed["seed"] = "00" * (len(seed["seed"]) // 2)
    seed_file.write_text(json.dumps(seed))
    result = demo.client.get("/api/v1/inspections/plans/SD-JN-2024-JOINT-01/verification").json()
    assert result["ok"] is False and result["problems"]
    assert "核验未通过" in client.post("/inspections/SD-JN-2024-JOINT-01/verify", data={"csrf_token": csrf}).text


def test_conditional_sharing_request_waits_for_the_owner(demo: Demo) -> None:
    case = demo.platform.cases.get(demo.cases.fresh_case_id)
    task = case.tasks[0]
    reviewer, csrf = page_client(demo, "reviewer.market.jinan")
    page = reviewer.get(f"/workbench/tasks/{task.id}").text
    assert 'action="/workbench/tasks/' in page and "公共信用信息库 · 信用等级" in page
    response = reviewer.post(
        f"/workbench/tasks/{task.id}/data-request",
        data={"csrf_token": csrf, "registry_field": "credit.class", "subject_id": case.applicant_id, "purpose": "核实信用状况"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = reviewer.get(f"/workbench/tasks/{task.id}").text
    waiting = page[page.index('id="waiting-data"') :][:600]
    assert "等待数据共享答复" in waiting and "济南市发展和改革" in waiting and "答复期限" in waiting
    assert "development_reform@" not in waiting  # the owner by name, not by code
    assert case.applicant_id not in waiting  # the subject is masked
    # Someone outside the case cannot be asked about.
    refused = demo.client.post(
        f"/api/v1/tasks/{task.id}/data-requests",
        json={"registry_field": "marriage.status", "subject_id": demo.founder, "purpose": "x"},
        headers=demo.headers("reviewer.market.jinan"),
    )
    assert refused.status_code in (403, 409, 422)
    owner, owner_csrf = page_client(demo, "reviewer.ndrc.jinan")
    inbox = owner.get("/workbench").text
    found = re.search(r'action="/workbench/data-requests/([^"]+)"', inbox)
    assert found and "核实信用状况" in inbox
    request_id = found.group(1)
    # A refusal needs a reason.
    assert owner.post(f"/workbench/data-requests/{request_id}", data={"csrf_token": owner_csrf, "decision": "refuse"}).status_code == 422
    answered = owner.post(
        f"/workbench/data-requests/{request_id}",
        data={"csrf_token": owner_csrf, "decision": "grant", "note": "同意"},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    assert "核实信用状况" not in owner.get("/workbench").text
    after = demo.platform.cases.get(case.id)
    assert next(t for t in after.tasks if t.id == task.id).status.value == "in_review"
    page = reviewer.get(f"/workbench/tasks/{task.id}").text
    assert 'id="waiting-data"' not in page and "已同意" in page
    # The read is in the applicant's access log, with the reviewer who asked and the purpose.
    reads = data_reads(demo.platform.engine, case.applicant_id)
    assert any(r.dataset == "credit" and r.purpose == "核实信用状况" and r.reader == "reviewer.market.jinan" for r in reads)
    shared = demo.client.get(f"/api/v1/cases/{case.id}/attachments", headers=demo.headers("reviewer.market.jinan")).json()
    assert any(a["material_code"] == "credit.class" for a in shared)
