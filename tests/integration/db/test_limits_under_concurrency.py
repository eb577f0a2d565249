"""Limits that must hold under a burst (issue 12): upload quotas and the sign-up throttle are
checked in the same serialised transaction as the write they allow, so requests that arrive
together cannot all pass the same count. Real threads against both databases (SQLite through
its busy timeout, PostgreSQL through row locks)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from yiwang.accounts.proof_errors import SignupThrottled
from yiwang.accounts.signup import PER_ADDRESS, PER_IDENTITY, SignupRequest
from yiwang.bootstrap import Platform, build_services
from yiwang.db import tables_identity as ti
from yiwang.db import tables_web as w
from yiwang.db.materials_repo import SqlMaterialRecords
from yiwang.identity.numbers import make_id_number
from yiwang.materials.errors import QuotaExceeded
from yiwang.materials.services import MaterialStore, Quota

CHUNK = b"%PDF-" + b"x" * 995  # 1,000 bytes


def _together(count: int, attempt: Callable[[int], str]) -> list[str]:
    """Run ``attempt(i)`` for i in range(count) on as many threads, released at once."""
    gate = threading.Barrier(count)

    def run(i: int) -> str:
        gate.wait()
        return attempt(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def _burst_of_uploads(platform: Platform, root: Path, quota: Quota, case_of: Callable[[int], str], by: Callable[[int], str]) -> list[str]:
    store = MaterialStore(SqlMaterialRecords(platform.engine), root, platform.clock, quota)

    def upload(i: int) -> str:
        try:
            store.save(case_id=case_of(i), material_code="other", original_name=f"{i}.pdf", data=CHUNK, uploaded_by=by(i))
        except QuotaExceeded:
            return "refused"
        return "stored"

    return _together(10, upload)


def _stored(platform: Platform) -> tuple[int, int, set[str]]:
    with platform.engine.connect() as connection:
        count, total = connection.execute(select(func.count(), func.coalesce(func.sum(w.materials.c.size), 0))).one()
        paths = {str(p) for p in connection.execute(select(w.materials.c.stored_path)).scalars()}
    return int(count), int(total), paths


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_concurrent_uploads_to_one_case_never_pass_its_quota(platform: Platform, tmp_path: Path) -> None:
    root = tmp_path / "uploads"
    # Room for 4 files of 1,000 bytes; 10 arrive at once from 10 uploaders.
    quota = Quota(case_bytes=4_000, case_files=60, account_bytes=10**9)
    results = _burst_of_uploads(platform, root, quota, lambda i: "YW-RACE-1", lambda i: f"applicant:{i}")
    assert results.count("stored") == 4, results
    count, total, paths = _stored(platform)
    assert (count, total) == (4, 4_000)
    # Every refused upload's file is gone; every stored record has its file.
    assert _files(root) == paths


def test_concurrent_uploads_by_one_account_never_pass_its_daily_quota(platform: Platform, tmp_path: Path) -> None:
    root = tmp_path / "uploads"
    quota = Quota(case_bytes=10**9, case_files=60, account_bytes=3_000)
    results = _burst_of_uploads(platform, root, quota, lambda i: f"YW-RACE-{i}", lambda i: "applicant:1")
    assert results.count("stored") == 3, results
    count, total, paths = _stored(platform)
    assert (count, total) == (3, 3_000)
    assert _files(root) == paths


def test_concurrent_uploads_never_pass_the_file_count(platform: Platform, tmp_path: Path) -> None:
    root = tmp_path / "uploads"
    quota = Quota(case_bytes=10**9, case_files=2, account_bytes=10**9)
    results = _burst_of_uploads(platform, root, quota, lambda i: "YW-RACE-1", lambda i: f"applicant:{i % 3}")
    assert results.count("stored") == 2, results
    assert _files(root) == _stored(platform)[2]


def _burst_of_sign_ups(platform: Platform, count: int, request: Callable[[int], SignupRequest], address: Callable[[int], str]) -> list[str]:
    signup = build_services(platform).signup

    def start(i: int) -> str:
        try:
            signup.start(request(i), address(i))
        except SignupThrottled:
            return "throttled"
        return "opened"

    return _together(count, start)


def _challenges(platform: Platform) -> int:
    with platform.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(ti.signup_challenges)).scalar_one())


def _id(serial: int) -> str:
    return make_id_number("370102", dt.date(1980, 1, 1), serial)


def test_a_burst_of_sign_ups_for_one_identity_passes_exactly_the_limit(platform: Platform) -> None:
    person = SignupRequest("person", _id(101), "张三", "13800000000")
    # Different addresses, so only the per-ID (and per-phone) limit can stop them.
    results = _burst_of_sign_ups(platform, 12, lambda i: person, lambda i: f"10.0.0.{i}")
    assert results.count("opened") == PER_IDENTITY, results
    assert _challenges(platform) == PER_IDENTITY


def test_a_burst_of_sign_ups_from_one_address_passes_exactly_the_limit(platform: Platform) -> None:
    def someone(i: int) -> SignupRequest:
        return SignupRequest("person", _id(200 + i), "李四", f"1390000{i:04d}")

    results = _burst_of_sign_ups(platform, PER_ADDRESS + 6, someone, lambda i: "203.0.113.7")
    assert results.count("opened") == PER_ADDRESS, results
    assert _challenges(platform) == PER_ADDRESS
