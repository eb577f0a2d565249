"""Uploads (sniffed extension, quotas, private files, streaming limits through the real app)
and text that is not Unicode (a lone surrogate), through the API and the pages."""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import insert

from support import BUNDLE, FOUNDER_ID, FOUNDER_NAME, startup_form, submit_startup
from yiwang.accounts import services as account_services
from yiwang.accounts.models import Role
from yiwang.bootstrap import Platform
from yiwang.db import tables_web as w
from yiwang.db.materials_repo import SqlMaterialRecords
from yiwang.materials.errors import QuotaExceeded
from yiwang.materials.services import MaterialStore, Quota
from yiwang.server import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "founder-password"
POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"


@dataclass
class Founder:
    platform: Platform
    app: FastAPI
    client: TestClient
    token: str
    case_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def founder(platform: Platform) -> Iterator[Founder]:
    case_id = submit_startup(platform)
    with platform.engine.begin() as connection:
        connection.execute(
            insert(w.accounts),
            {
                "username": FOUNDER_ID, "role": Role.APPLICANT.value, "display_name": FOUNDER_NAME,
                "password_hash": account_services.hash_password(PASSWORD), "subject_id": FOUNDER_ID,
                "phone": "13905311234", "active": True, "created_at": platform.clock(),
            },
        )
    app = create_app(platform)
    client = TestClient(app, raise_server_exceptions=False)
    token = client.post("/api/v1/tokens", json={"username": FOUNDER_ID, "password": PASSWORD}).json()["token"]
    yield Founder(platform, app, client, token, case_id)


def _upload(founder: Founder, name: str, data: bytes) -> Any:
    return founder.client.post(
        f"/api/v1/cases/{founder.case_id}/materials",
        data={"material_code": "other"},
        files={"file": (name, data, "text/html")},
        headers=founder.headers,
    )


def test_a_polyglot_html_accepted_as_pdf_is_stored_and_served_as_pdf(founder: Founder) -> None:
    uploaded = _upload(founder, "poly.html", POLYGLOT)
    assert uploaded.status_code == 201, uploaded.text
    material = uploaded.json()
    assert material["content_type"] == "application/pdf"
    assert material["original_name"] == "poly.pdf"
    stored = list((Path(founder.platform.settings.data_dir) / "uploads").rglob("*.pdf"))
    assert len(stored) == 1 and not list((Path(founder.platform.settings.data_dir) / "uploads").rglob("*.html"))
    download = founder.client.get(f"/api/v1/materials/{material['id']}", headers=founder.headers)
    assert download.status_code == 200 and download.content == POLYGLOT
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert re.search(r'filename="?poly\.pdf"?', download.headers["content-disposition"])
    assert ".html" not in download.headers["content-disposition"]


def test_uploads_and_the_database_are_private_whatever_the_umask(founder: Founder) -> None:
    previous = os.umask(0o022)
    try:
        assert _upload(founder, "scan.pdf", POLYGLOT).status_code == 201
    finally:
        os.umask(previous)
    uploads = Path(founder.platform.settings.data_dir) / "uploads"
    folders = [uploads, *[p for p in uploads.rglob("*") if p.is_dir()]]
    files = [p for p in uploads.rglob("*") if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in folders)
    if founder.platform.engine.dialect.name == "sqlite":
        database = Path(str(founder.platform.engine.url.database))
        assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_a_case_and_an_account_have_upload_quotas(founder: Founder) -> None:
    platform = founder.platform
    small = MaterialStore(SqlMaterialRecords(platform.engine), Path(platform.settings.data_dir) / "q", platform.clock, Quota(case_bytes=3000, case_files=3, account_bytes=5000))
    chunk = b"%PDF-" + b"x" * 995
    for _ in range(3):
        small.save(case_id=founder.case_id, material_code="other", original_name="a.pdf", data=chunk, uploaded_by="applicant:1")
    with pytest.raises(QuotaExceeded, match="this case"):
        small.save(case_id=founder.case_id, material_code="other", original_name="a.pdf", data=chunk, uploaded_by="applicant:1")
    small.save(case_id="YW-OTHER-1", material_code="other", original_name="a.pdf", data=chunk, uploaded_by="applicant:1")
    with pytest.raises(QuotaExceeded, match="your account today"):
        small.save(case_id="YW-OTHER-2", material_code="other", original_name="a.pdf", data=chunk * 2, uploaded_by="applicant:1")
    # A day later the account may upload again.
    platform.clock.advance(days=1, seconds=1)  # type: ignore[attr-defined]
    small.save(case_id="YW-OTHER-2", material_code="other", original_name="a.pdf", data=chunk, uploaded_by="applicant:1")


def test_the_quota_error_is_a_bilingual_413(founder: Founder) -> None:
    founder.app.state.services.materials.quota = Quota(case_files=1)
    assert _upload(founder, "a.pdf", POLYGLOT).status_code == 201
    refused = _upload(founder, "b.pdf", POLYGLOT)
    assert refused.status_code == 413
    error = refused.json()["error"]
    assert error["code"] == "upload_quota_exceeded" and "上限" in error["message_zh"] and "quota" in error["message_en"]


def _asgi_post(app: FastAPI, path: str, headers: dict[str, str], chunks: Iterator[bytes]) -> tuple[int, bytes, int]:
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        piece = next(chunks, None)
        if piece is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(piece)
        return {"type": "http.request", "body": piece, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "app": app,
        "headers": [(k.encode(), v.encode()) for k, v in {"host": "testserver", "transfer-encoding": "chunked", **headers}.items()],
        "client": ("127.0.0.1", 1), "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"), pulled


def _endless(first: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    yield first
    for _ in range(200 * 16):  # 200 MB
        yield b"1" * size


def test_a_200_mb_chunked_json_body_is_refused_without_being_read(founder: Founder) -> None:
    status, body, pulled = _asgi_post(
        founder.app, "/api/v1/cases",
        {"content-type": "application/json", "authorization": f"Bearer {founder.token}"},
        _endless(b'{"subject_code": "bundle.enterprise_startup", "form": {"address": "'),
    )
    assert status == 413 and json.loads(body)["error"]["code"] == "request_too_large"
    assert pulled < 2 * 1024 * 1024


def test_a_chunked_upload_over_5_mb_never_reaches_the_temporary_folder(founder: Founder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    head = (
        b'--b\r\nContent-Disposition: form-data; name="material_code"\r\n\r\nother\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-'
    )
    status, body, pulled = _asgi_post(
        founder.app, f"/api/v1/cases/{founder.case_id}/materials",
        {"content-type": "multipart/form-data; boundary=b", "authorization": f"Bearer {founder.token}"},
        _endless(head),
    )
    assert status == 413 and "请求过大" in json.loads(body)["error"]["message_zh"]
    assert pulled < 6 * 1024 * 1024
    assert sum(p.stat().st_size for p in spool.rglob("*") if p.is_file()) < 6 * 1024 * 1024


def test_a_lone_surrogate_in_json_is_a_422(founder: Founder) -> None:
    form = startup_form(legal_rep_name="JN\ud800")
    payload = json.dumps({"subject_code": BUNDLE, "form": form})  # ensure_ascii: "\\ud800"
    response = founder.client.post(
        "/api/v1/cases", content=payload,
        headers={**founder.headers, "content-type": "application/json", "Idempotency-Key": "surrogate-1"},
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message_zh"] and error["message_en"]


def test_surrogate_bytes_in_a_page_form_are_a_4xx_not_a_500(founder: Founder) -> None:
    # The encoded surrogate (ED A0 80) is not UTF-8: the form parser replaces it, and the
    # page answers with the form's problems.
    browser = TestClient(founder.app, raise_server_exceptions=False)
    page = browser.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    browser.post("/login", data={"username": FOUNDER_ID, "password": PASSWORD, "csrf_token": csrf.group(1)})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"/apply/{BUNDLE}").text)
    assert csrf is not None
    form = {k: v for k, v in startup_form().items() if isinstance(v, str)}
    body = "&".join(f"{k}={v}" for k, v in {**form, "legal_rep_name": "JN%ED%A0%80", "csrf_token": csrf.group(1), "idempotency_key": "s-2"}.items())
    response = browser.post(f"/apply/{BUNDLE}", content=body.encode(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 500, response.status_code
