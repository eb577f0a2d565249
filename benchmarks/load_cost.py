"""What one request of each kind in the mixed load costs the machine: CPU milliseconds of the
server processes, of their PostgreSQL backends and of the client, and database statements.

    python benchmarks/load_cost.py               # CPU per request, real server, 2 processes
    python benchmarks/load_cost.py statements    # statements per request, in process
    python benchmarks/load_cost.py profile KIND  # cProfile of one kind, in process (top 40)

Wall throughput on this shared 2-core machine swings with the other work on it; CPU time
per request does not, so this is what a change to the request path is judged by. The server
and PostgreSQL CPU are read from /proc (utime + stime of the uvicorn processes and of the
backends connected to them, found by their client ports). Loopback only, bounded in count.
Never part of the test run.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent))

from bench_load import HTTPX, MATERIALS, PDF, event_loop_factory, prepare, trade_names
from bench_volume import schema_url, start_server
from cpu_meter import Meter
from lean_http import LeanPool
from volume import pg_url
from yiwang.demo.accounts import DEMO_PASSWORD
from yiwang.demo.province import startup_form

SCHEMA = "load_cost"
CASES = int(os.environ.get("YIWANG_COST_CASES", "60"))
READS = int(os.environ.get("YIWANG_COST_READS", "150"))
CONCURRENCY = int(os.environ.get("YIWANG_COST_CONCURRENCY", "4"))
REVIEWER = "reviewer.market.jinan"
async def spread(count: int, one: Callable[[int], Awaitable[None]]) -> None:
    """Run `one(i)` for i in range(count), CONCURRENCY at a time."""
    numbers = iter(range(count))

    async def worker() -> None:
        for number in numbers:
            await one(number)

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


async def measure(base: str, server_pid: int, founder: str, person: Any) -> None:
    meter = Meter(server_pid, pg_url())
    client: Any = httpx.AsyncClient(base_url=base, timeout=60) if HTTPX else LeanPool(base, CONCURRENCY)
    async with client:
        tokens = {}
        for username in (founder, REVIEWER):
            answer = await client.post("/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD})
            tokens[username] = answer.json()["token"]
        applicant = {"Authorization": f"Bearer {tokens[founder]}"}
        reviewer = {"Authorization": f"Bearer {tokens[REVIEWER]}"}
        names = iter(trade_names())
        cases: list[str] = []
        tasks: list[str] = []
        rows = []

        async def phase(kind: str, count: int, one: Callable[[int], Awaitable[httpx.Response]]) -> None:
            statuses: dict[int, int] = {}

            async def counted(number: int) -> None:
                answer = await one(number)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

            await spread(CONCURRENCY, counted)  # warm the pool and the code path on 0..3
            statuses.clear()
            before = meter.snapshot()
            await spread(count, lambda number: counted(number + CONCURRENCY))
            spent = Meter.difference(before, meter.snapshot())
            rows.append((kind, count, spent, statuses))

        def submit(number: int) -> Awaitable[httpx.Response]:
            form = startup_form(person, person.region_code, f"山东省{next(names)}信息科技股份有限公司")
            form["entity_type"] = "joint_stock"

            async def send() -> httpx.Response:
                answer = await client.post(
                    "/api/v1/cases",
                    json={"subject_code": "bundle.enterprise_startup", "form": form},
                    headers={**applicant, "Idempotency-Key": os.urandom(8).hex()},
                )
                if answer.status_code == 201:
                    cases.append(answer.json()["id"])
                return answer

            return send()

        await phase("write: submit start-up", CASES, submit)
        uploads = [(case_id, code) for case_id in cases for code in MATERIALS]

        def upload(number: int) -> Awaitable[httpx.Response]:
            case_id, code = uploads[number]
            return client.post(
                f"/api/v1/cases/{case_id}/materials",
                data={"material_code": code},
                files={"file": (f"{code}.pdf", PDF, "application/pdf")},
                headers=applicant,
            )

        await phase("write: upload material", len(uploads) - CONCURRENCY, upload)
        await phase("read: guide page", READS, lambda n: client.get("/guide/bundle.enterprise_startup"))
        await phase(
            "read: catalog search", READS, lambda n: client.get("/api/v1/catalog/search", params={"q": "开办企业"})
        )
        await phase("read: my cases", READS, lambda n: client.get("/api/v1/cases", headers=applicant))
        await phase(
            "read: one case", READS, lambda n: client.get(f"/api/v1/cases/{cases[n % len(cases)]}", headers=applicant)
        )
        await phase("read: reviewer inbox", READS, lambda n: client.get("/api/v1/tasks", headers=reviewer))
        inbox = (await client.get("/api/v1/tasks", params={"limit": 200}, headers=reviewer)).json()
        own = set(cases[: len(uploads) // len(MATERIALS)])  # cases with all their materials
        tasks = [t["id"] for t in inbox if t["status"] == "pending" and t["case_id"] in own]
        count = len(tasks) - CONCURRENCY

        def act(action: str) -> Callable[[int], Awaitable[httpx.Response]]:
            def one(number: int) -> Awaitable[httpx.Response]:
                return client.post(
                    f"/api/v1/tasks/{tasks[number]}/actions",
                    json={"action": action, "comment": "材料齐全"},
                    headers=reviewer,
                )

            return one

        await phase("write: reviewer accept", count, act("accept"))
        await phase("write: reviewer approve", count, act("approve"))
    print(f"\nCPU ms per request ({CONCURRENCY} clients at a time; load average {os.getloadavg()[0]:.1f})\n")
    print(f"| request | count | server | postgres | client ({'httpx' if HTTPX else 'lean_http'}) | server + postgres | statuses |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for kind, count, spent, statuses in rows:
        print(
            f"| {kind} | {count} | {spent['server'] / count:.1f} | {spent['postgres'] / count:.1f} | "
            f"{spent['client'] / count:.1f} | {(spent['server'] + spent['postgres']) / count:.1f} | {statuses} |"
        )


def cpu_main() -> None:
    founder, person = prepare(SCHEMA)
    process, base = start_server(SCHEMA, workers=int(os.environ.get("YIWANG_LOAD_WORKERS", "2")))
    try:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            runner.run(measure(base, process.pid, founder, person))
    finally:
        process.terminate()
        process.wait(timeout=30)


class Inline:
    """A synchronous face on an httpx client that calls the ASGI app in this thread."""

    def __init__(self, app: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(url, **kwargs))

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.post(url, **kwargs))


def in_process(kind_to_profile: str | None) -> None:
    """Each kind run sequentially through the app in this process, counting the statements
    and transactions each request sends. The endpoints run inline on the event loop's thread
    instead of the thread pool, so that cProfile sees them."""
    import anyio.to_thread

    async def inline(function: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return function(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    from yiwang.bootstrap import bootstrap
    from yiwang.server import create_app
    from yiwang.settings import Settings

    founder, person = prepare(SCHEMA)
    platform = bootstrap(Settings(database_url=schema_url(SCHEMA), data_dir=f"var/{SCHEMA}"), migrate=False)
    counts = {"statements": 0, "transactions": 0, "checkouts": 0}
    seen: list[str] = []

    @event.listens_for(platform.engine, "before_cursor_execute")
    def _statement(*args: Any) -> None:
        counts["statements"] += 1
        seen.append(" ".join(str(args[2]).split())[:110])

    @event.listens_for(platform.engine, "begin")
    def _begin(*args: Any) -> None:
        counts["transactions"] += 1

    @event.listens_for(platform.engine.pool, "checkout")
    def _checkout(*args: Any) -> None:
        counts["checkouts"] += 1

    client = Inline(create_app(platform))
    token = {
        name: client.post("/api/v1/tokens", json={"username": name, "password": DEMO_PASSWORD}).json()["token"]
        for name in (founder, REVIEWER)
    }
    applicant = {"Authorization": f"Bearer {token[founder]}"}
    reviewer = {"Authorization": f"Bearer {token[REVIEWER]}"}
    names = iter(trade_names())
    cases: list[str] = []
    tasks: list[str] = []
    rounds = 20

    def submit() -> httpx.Response:
        form = startup_form(person, person.region_code, f"山东省{next(names)}信息科技股份有限公司")  # type: ignore[attr-defined]
        form["entity_type"] = "joint_stock"
        answer = client.post(
            "/api/v1/cases",
            json={"subject_code": "bundle.enterprise_startup", "form": form},
            headers={**applicant, "Idempotency-Key": os.urandom(8).hex()},
        )
        cases.append(answer.json()["id"])
        return answer

    uploads: list[tuple[str, str]] = []

    def upload() -> httpx.Response:
        if not uploads:
            uploads.extend((case_id, code) for case_id in cases for code in MATERIALS)
        case_id, code = uploads.pop(0)
        return client.post(
            f"/api/v1/cases/{case_id}/materials",
            data={"material_code": code},
            files={"file": (f"{code}.pdf", PDF, "application/pdf")},
            headers=applicant,
        )

    def act(action: str) -> Callable[[], httpx.Response]:
        queue: list[str] = []

        def one() -> httpx.Response:
            if not queue:
                queue.extend(tasks)
            return client.post(
                f"/api/v1/tasks/{queue.pop(0)}/actions", json={"action": action, "comment": "材料齐全"}, headers=reviewer
            )

        return one

    def inbox() -> httpx.Response:
        answer = client.get("/api/v1/tasks", headers=reviewer)
        if not tasks:
            uploaded = {case_id for case_id, _ in uploads} if uploads else set(cases)
            tasks.extend(t["id"] for t in answer.json() if t["status"] == "pending" and t["case_id"] in uploaded)
        return answer

    kinds: list[tuple[str, Callable[[], httpx.Response]]] = [
        ("write: submit start-up", submit),
        ("write: upload material", upload),
        ("read: guide page", lambda: client.get("/guide/bundle.enterprise_startup")),
        ("read: catalog search", lambda: client.get("/api/v1/catalog/search", params={"q": "开办企业"})),
        ("read: my cases", lambda: client.get("/api/v1/cases", headers=applicant)),
        ("read: one case", lambda: client.get(f"/api/v1/cases/{cases[0]}", headers=applicant)),
        ("read: reviewer inbox", inbox),
        ("write: reviewer accept", act("accept")),
        ("write: reviewer approve", act("approve")),
    ]
    print("\n| request | statements | transactions | connections | CPU ms of the app (in process) |")
    print("|---|---:|---:|---:|---:|")
    for kind, one in kinds:
        if kind == "write: upload material":
            rounds_here = len(MATERIALS) * len(cases) - 1  # every case gets its materials
        elif kind.startswith("write: reviewer"):
            rounds_here = len(tasks) - 1
        else:
            rounds_here = rounds
        one()  # warm
        for key in counts:
            counts[key] = 0
        seen.clear()
        profiler = cProfile.Profile(time.process_time) if kind_to_profile and kind_to_profile in kind else None
        started = time.process_time()
        if profiler:
            profiler.enable()
        for _ in range(rounds_here):
            answer = one()
            assert answer.status_code < 400, (kind, answer.status_code, answer.text[:300])
        if profiler:
            profiler.disable()
        elapsed = (time.process_time() - started) * 1000 / rounds_here
        print(
            f"| {kind} | {counts['statements'] / rounds_here:.1f} | {counts['transactions'] / rounds_here:.1f} | "
            f"{counts['checkouts'] / rounds_here:.1f} | {elapsed:.1f} |"
        )
        if os.environ.get("YIWANG_COST_SQL"):
            for line in seen[: len(seen) // rounds_here]:
                print(f"    {line}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            if os.environ.get("YIWANG_COST_CALLERS"):
                pstats.Stats(profiler).print_callers(os.environ["YIWANG_COST_CALLERS"])
    platform.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["statements"]:
        in_process(None)
    elif sys.argv[1:2] == ["profile"]:
        in_process(sys.argv[2])
    else:
        cpu_main()
