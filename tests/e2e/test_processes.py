"""Several processes, one PostgreSQL: two servers (one of them with two worker processes) and
two `yiwang worker` processes run at once as real subprocesses on loopback ports. Submissions
sent to both servers, each twice under one Idempotency-Key, give one case each; overdue tasks
are escalated exactly once although both workers sweep all the time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from yiwang.bootstrap import bootstrap
from yiwang.db.engine import make_engine
from yiwang.demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from yiwang.demo.province import ensure_signing_keys, seed_demo_province, startup_form
from yiwang.identity.models import Person
from yiwang.settings import Settings

pytestmark = pytest.mark.integration

POSTGRES = os.environ.get("YIWANG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TRADE_NAMES = ("泉源", "明湖", "千佛", "趵突", "黑虎", "珍珠", "五龙", "大明", "华山", "鹊山", "舜耕", "历山")
CASES = len(TRADE_NAMES)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise AssertionError(f"{base}: server exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} not ready in {seconds} s")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, str, Person]]:
    """A PostgreSQL schema with the demo province and accounts; (url, founder's username,
    founder)."""
    try:
        probe = make_engine(POSTGRES)
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as error:  # any failure to connect means "not available"
        if os.environ.get("YIWANG_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but unavailable: {error}")
        pytest.skip(f"several processes need PostgreSQL: {str(error).splitlines()[0]}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    platform = bootstrap(Settings(database_url=url, data_dir=tmp_path / "var"))
    try:
        population = seed_demo_province(platform, people=300, enterprises=50)
        ensure_signing_keys(platform)
        founder = seed_demo_accounts(platform, population)[0]
        person = population.person(founder.username)
        assert person is not None
        platform.dispose()
        yield url, founder.username, person
    finally:
        platform.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_two_servers_and_two_workers_do_nothing_twice_and_lose_nothing(
    database: tuple[str, str, Person], tmp_path: Path
) -> None:
    url, founder, person = database
    env = {
        **os.environ,
        "YIWANG_DATABASE_URL": url,
        "YIWANG_DATA_DIR": str(tmp_path / "var"),
        "YIWANG_SWEEP_INTERVAL_SECONDS": "0",  # the servers leave the sweep to the workers
        "YIWANG_LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "yiwang.cli"]
    ports = [free_port(), free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    logs = [open(tmp_path / f"process-{n}.log", "wb") for n in range(4)]  # noqa: SIM115
    try:
        for n, (port, workers) in enumerate(zip(ports, (2, 1), strict=True)):
            processes.append(
                subprocess.Popen(
                    [*command, "serve", "--no-demo", "--port", str(port), "--workers", str(workers)],
                    env=env,
                    stdout=logs[n],
                    stderr=subprocess.STDOUT,
                )
            )
        for n in (2, 3):
            processes.append(
                subprocess.Popen(
                    [*command, "worker", "--interval", "0.2"], env=env, stdout=logs[n], stderr=subprocess.STDOUT
                )
            )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for n, (base, process) in enumerate(zip(bases, processes, strict=False)):
            wait_ready(base, process, tmp_path / f"process-{n}.log")

        token = httpx.post(
            f"{bases[0]}/api/v1/tokens", json={"username": founder, "password": DEMO_PASSWORD}, timeout=30
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        county = person.region_code

        def form(number: int) -> dict[str, object]:
            # Joint-stock: no smart approval, so the tasks stay open for reviewers.
            chosen = startup_form(person, county, f"山东省{TRADE_NAMES[number]}信息科技股份有限公司")
            chosen["entity_type"] = "joint_stock"
            return chosen

        def submit(attempt: tuple[int, int]) -> tuple[int, int, str]:
            number, server = attempt
            answer = httpx.post(
                f"{bases[server]}/api/v1/cases",
                json={"subject_code": "bundle.enterprise_startup", "form": form(number)},
                headers={**headers, "Idempotency-Key": f"claim-{number}"},
                timeout=60,
            )
            assert answer.status_code in (200, 201), answer.text
            return number, answer.status_code, answer.json()["id"]

        # Every submission to one server, all at once; then each again, under its key, to the
        # other server. (Two first attempts racing with one key are issue 12 item 4's case.)
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(submit, [(n, n % 2) for n in range(CASES)]))
            answers += list(pool.map(submit, [(n, 1 - n % 2) for n in range(CASES)]))
        by_key: dict[int, set[str]] = {}
        for number, _, case_id in answers:
            by_key.setdefault(number, set()).add(case_id)
        assert all(len(ids) == 1 for ids in by_key.values()), by_key
        assert sorted(status for _, status, _ in answers).count(201) == CASES
        case_ids = [next(iter(ids)) for ids in by_key.values()]

        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                stored = connection.execute(
                    text("SELECT count(*) FROM cases WHERE id = ANY(:ids)"), {"ids": case_ids}
                ).scalar_one()
                assert stored == CASES
                # Time passes: every open task of these cases is now past its deadline.
                overdue = connection.execute(
                    text(
                        "UPDATE tasks SET due_at = now() - interval '1 hour' "
                        "WHERE case_id = ANY(:ids) AND status IN ('pending', 'in_review') RETURNING id"
                    ),
                    {"ids": case_ids},
                ).scalars().all()
            assert len(overdue) >= CASES
            deadline = time.monotonic() + 60
            escalated = 0
            while time.monotonic() < deadline and escalated < len(overdue):
                time.sleep(0.3)
                with engine.connect() as connection:
                    escalated = connection.execute(
                        text("SELECT count(*) FROM tasks WHERE id = ANY(:ids) AND escalated_at IS NOT NULL"),
                        {"ids": overdue},
                    ).scalar_one()
            assert escalated == len(overdue)
            time.sleep(1)  # a few more rounds of both workers: nothing new may appear
            with engine.connect() as connection:
                events = connection.execute(
                    text(
                        "SELECT task_id, count(*) FROM case_events "
                        "WHERE kind = 'DeadlineMissed' AND case_id = ANY(:ids) GROUP BY task_id"
                    ),
                    {"ids": case_ids},
                ).all()
        finally:
            engine.dispose()
        assert {row[0]: row[1] for row in events} == {task_id: 1 for task_id in overdue}

        # Both servers answered and both are still healthy; metrics are served by each.
        for base in bases:
            assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
            assert "yiwang_http_requests_total" in httpx.get(f"{base}/metrics", timeout=5).text
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
    # The logs are JSON lines carrying request ids.
    served = (tmp_path / "process-1.log").read_text(encoding="utf-8", errors="replace")
    assert '"request_id": "' in served and '"logger": "yiwang.access"' in served
