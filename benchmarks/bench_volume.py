"""Every list at a province's volume: p95 over HTTP against a real server on PostgreSQL, the
server's memory, and the escalation sweep over the overdue tasks.

    python benchmarks/bench_volume.py                 # 1,000,000 cases (loads once, ~20 min)
    YIWANG_BENCH_CASES=20000 python benchmarks/bench_volume.py     # a smoke run
    YIWANG_BENCH_CASES=150000 YIWANG_BENCH_OPEN_SHARE=0.07 YIWANG_BENCH_SCHEMA=sweep_vol \
        python benchmarks/bench_volume.py sweep       # the sweep alone, ~10,000 open cases

The data are loaded by `volume.py` into their own schema and kept: a later run with the same
number of cases measures again without loading. Skipped (exit 0) when PostgreSQL is not
reachable. Never part of the test run.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))

from volume import OPEN_SHARE, load, pg_url, schema_engine
from yiwang.bootstrap import bootstrap
from yiwang.demo.accounts import DEMO_PASSWORD
from yiwang.settings import Settings

SAMPLES = int(os.environ.get("YIWANG_BENCH_SAMPLES", "30"))
BUDGET_MS = 200.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def schema_url(schema: str) -> str:
    return f"{pg_url()}?options=-csearch_path%3D{schema}"


def cases_in(schema: str) -> int:
    engine = schema_engine(schema)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM cases")).scalar_one())
    except Exception:
        return 0
    finally:
        engine.dispose()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if status.exists():
            match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            total += int(match.group(1)) if match else 0
    return total / 1024


def start_server(schema: str, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "YIWANG_DATABASE_URL": schema_url(schema),
        "YIWANG_DATA_DIR": f"var/{schema}",
        "YIWANG_SWEEP_INTERVAL_SECONDS": "0",
        "YIWANG_LOG_FORMAT": "json",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "yiwang.cli", "serve", "--no-demo", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit("server not ready in 180 s")


def api_client(base: str, username: str) -> httpx.Client:
    token = httpx.post(
        f"{base}/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD}, timeout=60
    ).json()["token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120)


def page_client(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None, "no CSRF token on /login"
    answer = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code in (200, 303), answer.status_code
    return client


def measure(client: httpx.Client, path: str) -> tuple[float, float, float, int, int]:
    """(p50, p95, max) in ms, HTTP status, body size."""
    status = size = 0
    for _ in range(2):  # warm: connection, caches, the planner's statistics
        answer = client.get(path)
        status, size = answer.status_code, len(answer.content)
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        answer = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        status = answer.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, timings[-1], status, size


def sweep_bench(schema: str) -> str:
    """Time the sweep over the overdue, not yet escalated tasks (at least 10,000 if the data
    hold that many open overdue tasks; earlier runs' escalations are undone first)."""
    engine = schema_engine(schema)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE tasks SET escalated_at = NULL WHERE id IN (SELECT id FROM tasks "
                "WHERE status IN ('pending', 'in_review', 'waiting_applicant', 'waiting_data') "
                "AND due_at < now() AND escalated_at IS NOT NULL LIMIT 10000)"
            )
        )
    platform = bootstrap(Settings(database_url=schema_url(schema), data_dir=f"var/{schema}"), engine=engine, migrate=False)
    platform.calendars.current()  # built once per process, not the sweep's cost
    with engine.connect() as connection:
        read = connection.execute(
            text("SELECT count(*) FROM cases WHERE legal_due_at < now()")
        ).scalar_one()
    # The legal sweep (deemed acceptance and withdrawal, excluded periods past their cap)
    # runs first in every sweep and reads the cases whose legal_due_at has passed; timed on
    # its own too, so each part's cost shows. After a load or a migration every open case
    # is due once (a conservative value): that first pass is the one-off, reported apart.
    started = time.perf_counter()
    deemed = platform.cases.sweep_legal()
    legal_seconds = time.perf_counter() - started
    started = time.perf_counter()
    escalated = platform.cases.sweep()
    elapsed = time.perf_counter() - started
    again = platform.cases.sweep()
    platform.dispose()
    return (
        f"sweep: {escalated:,} overdue tasks escalated in {elapsed:.2f} s ({again} on a second run); "
        f"the legal sweep alone before it read {read:,} cases due in {legal_seconds:.2f} s "
        f"({deemed} cases changed)"
    )


def main(argv: list[str] | None = None) -> int:
    only_sweep = (sys.argv[1:] if argv is None else argv) == ["sweep"]
    cases = int(os.environ.get("YIWANG_BENCH_CASES", "1000000"))
    open_share = float(os.environ.get("YIWANG_BENCH_OPEN_SHARE", str(OPEN_SHARE)))
    schema = os.environ.get("YIWANG_BENCH_SCHEMA", "volume" if cases >= 1_000_000 else f"volume_{cases}")
    try:
        probe = schema_engine("public")
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as error:
        print(f"bench_volume skipped: PostgreSQL unavailable ({str(error).splitlines()[0]})")
        return 0
    have = cases_in(schema)
    if have < cases:
        print(f"loading {cases:,} cases into schema {schema} (found {have:,})", flush=True)
        load(cases, schema, open_share)
    else:
        print(f"schema {schema}: {have:,} cases already loaded", flush=True)
    if only_sweep:
        print(sweep_bench(schema))
        return 0
    process, base = start_server(schema)
    load_before = os.getloadavg()[0]
    rows = []
    try:
        supervisor_api = api_client(base, "supervisor.jinan")
        admin_api = api_client(base, "admin")
        reviewer_api = api_client(base, "reviewer.market.jinan")
        engine = schema_engine(schema)
        with engine.connect() as connection:
            applicant = connection.execute(
                text("SELECT username FROM accounts WHERE role = 'applicant' ORDER BY username LIMIT 1")
            ).scalar_one()
            # A case of that applicant for its timeline: events looked up by case_id in every
            # monthly partition of case_events.
            applicant_case = connection.execute(
                text(
                    "SELECT c.id FROM cases c JOIN accounts a ON a.subject_id = c.applicant_id "
                    "WHERE a.username = :username ORDER BY c.submitted_at LIMIT 1"
                ),
                {"username": applicant},
            ).scalar_one()
        engine.dispose()
        applicant_api = api_client(base, applicant)
        supervisor_pages = page_client(base, "supervisor.jinan")
        reviewer_pages = page_client(base, "reviewer.market.jinan")
        applicant_pages = page_client(base, applicant)
        lists = [
            ("supervisor (济南)", supervisor_api, "/api/v1/supervision/figures"),
            ("supervisor (济南)", supervisor_pages, "/supervision"),
            ("supervisor (济南)", supervisor_api, "/api/v1/supervision/overdue"),
            ("supervisor (济南)", supervisor_api, "/api/v1/cases"),
            ("supervisor (济南)", supervisor_api, "/api/v1/supervision/projects"),
            ("supervisor (济南)", supervisor_pages, "/supervision/projects"),
            ("admin (province)", admin_api, "/api/v1/supervision/figures"),
            ("admin (province)", admin_api, "/api/v1/cases"),
            ("reviewer (济南 market)", reviewer_api, "/api/v1/tasks"),
            ("reviewer (济南 market)", reviewer_pages, "/workbench"),
            ("reviewer (济南 market)", reviewer_api, "/api/v1/data-requests"),
            ("applicant", applicant_api, "/api/v1/cases"),
            ("applicant", applicant_pages, "/me/cases"),
            ("applicant", applicant_api, "/api/v1/me/data-reads"),
            ("applicant", applicant_api, f"/api/v1/cases/{applicant_case}/timeline"),
        ]
        peak = rss_mb(process.pid)
        for who, client, path in lists:
            p50, p95, worst, status, size = measure(client, path)
            peak = max(peak, rss_mb(process.pid))
            rows.append((who, path, p50, p95, worst, status, size))
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"\n{have if have >= cases else cases:,} cases, {SAMPLES} sequential requests per list, server RSS peak {peak:.0f} MB")
    print(f"machine load average {load_before:.1f} before the lists, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs, shared)\n")
    print("| who | list | p50 ms | p95 ms | max ms | status | bytes |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for who, path, p50, p95, worst, status, size in rows:
        mark = "" if p95 < BUDGET_MS and status == 200 else " **over**" if status == 200 else " **error**"
        print(f"| {who} | `{path}` | {p50:.1f} | {p95:.1f}{mark} | {worst:.1f} | {status} | {size:,} |")
    print()
    print(sweep_bench(schema))
    return 0


if __name__ == "__main__":
    sys.exit(main())
