"""A mixed load on two server processes and one PostgreSQL, loopback only, bounded in time.

    python benchmarks/bench_load.py                       # 10 clients, 30 s
    YIWANG_LOAD_CLIENTS=20 YIWANG_LOAD_SECONDS=60 python benchmarks/bench_load.py
    YIWANG_LOAD_HTTP=httpx python benchmarks/bench_load.py  # the clients on httpx, as before

Each client loops over a mix: 60% portal reads (the guide of the start-up bundle, the
catalog search, the applicant's case list, one case), 20% submissions (a joint-stock
start-up, so people review it, with an Idempotency-Key) and 20% reviewer actions (accept
then approve the first task of the market regulator's inbox). A 409 when two reviewers take
the same task is counted apart, not as an error. The database is a fresh schema seeded with
the demo province. Skipped (exit 0) when PostgreSQL is not reachable. Never part of the
test run.

The clients run in this process on the same two cores as the server and PostgreSQL, so
their CPU is part of the measurement: they use `lean_http` (one keep-alive connection
each, every response read in full) and uvloop when it is installed, which cost about a
fifth of httpx's CPU per request; `YIWANG_LOAD_HTTP=httpx` runs them on httpx instead.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))

from bench_volume import schema_url, start_server
from cpu_meter import Meter
from lean_http import LeanClient
from volume import pg_url, reset_schema, schema_engine
from yiwang.bootstrap import bootstrap
from yiwang.db.engine import make_engine
from yiwang.demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from yiwang.demo.province import ensure_signing_keys, seed_demo_province, startup_form
from yiwang.settings import Settings

CLIENTS = int(os.environ.get("YIWANG_LOAD_CLIENTS", "10"))
SECONDS = float(os.environ.get("YIWANG_LOAD_SECONDS", "30"))
WORKERS = int(os.environ.get("YIWANG_LOAD_WORKERS", "2"))
HTTPX = os.environ.get("YIWANG_LOAD_HTTP", "lean") == "httpx"
SCHEMA = "load"
# A start-up's materials that approval requires and no registry supplies.
MATERIALS = ("registration_application", "articles_of_association", "premises_proof")
PDF = b"%PDF-1.4\n%load benchmark\n%%EOF\n"
_TRADE = "泉源明湖千佛趵突黑虎珍珠五龙大明华山鹊山舜耕历山章丘平阴商河济阳长清天桥槐荫历城"


def trade_names() -> list[str]:
    pairs = {_TRADE[i : i + 2] for i in range(0, len(_TRADE), 2)}
    chars = sorted(set(_TRADE))
    names = [a + b + c for a, b, c in itertools.product(chars, repeat=3) if a != b and b != c]
    random.Random(7).shuffle(names)
    return [name for name in names if name not in pairs]


def prepare(schema: str = SCHEMA) -> tuple[str, object]:
    """A fresh schema with the demo province; (founder's username, founder)."""
    reset_schema(schema)
    engine = make_engine(pg_url(), connect_args={"options": f"-csearch_path={schema}"})
    platform = bootstrap(Settings(database_url=schema_url(schema), data_dir=f"var/{schema}"), engine=engine)
    population = seed_demo_province(platform)
    ensure_signing_keys(platform)
    founder = seed_demo_accounts(platform, population)[0]
    person = population.person(founder.username)
    platform.dispose()
    return founder.username, person


class Recorder:
    def __init__(self) -> None:
        self.timings: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.conflicts = 0

    def add(self, kind: str, elapsed_ms: float, status: int) -> None:
        if status == 409:
            self.conflicts += 1
        elif status >= 400:
            self.errors[f"{kind} {status}"] = self.errors.get(f"{kind} {status}", 0) + 1
        self.timings.setdefault(kind, []).append(elapsed_ms)


async def timed(
    client: httpx.AsyncClient | LeanClient, recorder: Recorder, kind: str, method: str, url: str, **kwargs: object
) -> Any:
    started = time.perf_counter()
    answer = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    recorder.add(kind, (time.perf_counter() - started) * 1000, answer.status_code)
    return answer


async def run_load(bases: list[str], founder: str, person: object, meter: Meter) -> tuple[Recorder, float, dict[str, float]]:
    async with httpx.AsyncClient(timeout=60) as login:
        tokens = {}
        for username in (founder, "reviewer.market.jinan"):
            answer = await login.post(f"{bases[0]}/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD})
            tokens[username] = answer.json()["token"]
    recorder = Recorder()
    names = iter(trade_names())
    own_cases: list[str] = []
    stop_at = time.monotonic() + SECONDS
    county = person.region_code  # type: ignore[attr-defined]

    async def client_loop(number: int) -> None:
        base = bases[number % len(bases)]
        rng = random.Random(number)
        applicant = {"Authorization": f"Bearer {tokens[founder]}"}
        reviewer = {"Authorization": f"Bearer {tokens['reviewer.market.jinan']}"}
        client = httpx.AsyncClient(base_url=base, timeout=60) if HTTPX else LeanClient(base, timeout=60)
        async with client:
            while time.monotonic() < stop_at:
                pick = rng.random()
                if pick < 0.15:
                    await timed(client, recorder, "read: guide page", "GET", "/guide/bundle.enterprise_startup")
                elif pick < 0.30:
                    await timed(client, recorder, "read: catalog search", "GET", "/api/v1/catalog/search", params={"q": "开办企业"})
                elif pick < 0.45:
                    await timed(client, recorder, "read: my cases", "GET", "/api/v1/cases", headers=applicant)
                elif pick < 0.60:
                    if own_cases:
                        case_id = rng.choice(own_cases)
                        await timed(client, recorder, "read: one case", "GET", f"/api/v1/cases/{case_id}", headers=applicant)
                elif pick < 0.80:
                    form = startup_form(person, county, f"山东省{next(names)}信息科技股份有限公司")  # type: ignore[arg-type]
                    form["entity_type"] = "joint_stock"
                    answer = await timed(
                        client,
                        recorder,
                        "write: submit start-up",
                        "POST",
                        "/api/v1/cases",
                        json={"subject_code": "bundle.enterprise_startup", "form": form},
                        headers={**applicant, "Idempotency-Key": uuid.uuid4().hex},
                    )
                    if answer.status_code == 201:
                        case_id = answer.json()["id"]
                        own_cases.append(case_id)
                        # The materials approval requires (not shared from a registry).
                        for code in MATERIALS:
                            await timed(
                                client,
                                recorder,
                                "write: upload material",
                                "POST",
                                f"/api/v1/cases/{case_id}/materials",
                                data={"material_code": code},
                                files={"file": (f"{code}.pdf", PDF, "application/pdf")},
                                headers=applicant,
                            )
                else:
                    inbox = await timed(client, recorder, "read: reviewer inbox", "GET", "/api/v1/tasks", headers=reviewer)
                    # Tasks not yet taken: an accepted one is another reviewer's work in hand.
                    tasks = [t for t in inbox.json() if t["status"] == "pending"] if inbox.status_code == 200 else []
                    if tasks:
                        task = tasks[rng.randrange(min(len(tasks), 20))]
                        for action in ("accept", "approve"):
                            answer = await timed(
                                client,
                                recorder,
                                f"write: reviewer {action}",
                                "POST",
                                f"/api/v1/tasks/{task['id']}/actions",
                                json={"action": action, "comment": "材料齐全"},
                                headers=reviewer,
                            )
                            if answer.status_code != 200:
                                break

    async def sample_cpu() -> None:
        while time.monotonic() < stop_at:
            await asyncio.sleep(1)
            meter.sample()

    meter.sample()
    started = time.perf_counter()
    await asyncio.gather(sample_cpu(), *(client_loop(n) for n in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    meter.sample()
    return recorder, elapsed, meter.spent()


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop when installed (as the server's is): less of the shared CPU for the clients."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop  # type: ignore[no-any-return]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> int:
    try:
        probe = schema_engine("public")
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as error:
        print(f"bench_load skipped: PostgreSQL unavailable ({str(error).splitlines()[0]})")
        return 0
    founder, person = prepare()
    process, base = start_server(SCHEMA, workers=WORKERS)
    try:
        meter = Meter(process.pid, pg_url())
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            recorder, elapsed, spent = runner.run(run_load([base], founder, person, meter))
    finally:
        process.terminate()
        process.wait(timeout=30)
    every = [ms for values in recorder.timings.values() for ms in values]
    load = os.getloadavg()
    print(
        f"\n{CLIENTS} clients ({'httpx' if HTTPX else 'lean_http'}), {elapsed:.0f} s, {WORKERS} server processes, PostgreSQL; "
        f"machine load average {load[0]:.1f} ({os.cpu_count()} CPUs, shared)\n"
    )
    print("| request | count | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for kind in sorted(recorder.timings):
        values = recorder.timings[kind]
        print(
            f"| {kind} | {len(values)} | {statistics.median(values):.1f} | "
            f"{percentile(values, 0.99):.1f} | {max(values):.1f} |"
        )
    print(
        f"| **all** | {len(every)} | {statistics.median(every):.1f} | "
        f"{percentile(every, 0.99):.1f} | {max(every):.1f} |"
    )
    print(f"\nthroughput {len(every) / elapsed:.0f} req/s; 409 conflicts {recorder.conflicts}; errors {recorder.errors or 'none'}")
    # CPU per request does not depend on what else the shared machine runs; wall throughput does.
    cpu = {part: ms / len(every) for part, ms in spent.items()}
    if len(meter.server_pids) > WORKERS + 2:  # the parent, its resource tracker, the workers
        print(f"server processes seen: {len(meter.server_pids)} (uvicorn replaced a worker during the run)")
    total = sum(cpu.values())
    print(
        f"CPU per request: server {cpu['server']:.1f} ms, PostgreSQL backends {cpu['postgres']:.1f} ms, "
        f"clients {cpu['client']:.1f} ms; {total:.1f} ms in all, so 2 cores wholly for this mix would serve "
        f"about {2000 / total:.0f} req/s"
    )
    print(f"mixed load: yiwang {len(every) / elapsed:.0f}/s, goal 200/s, ratio {len(every) / elapsed / 200:.2f}")
    return 1 if recorder.errors else 0


if __name__ == "__main__":
    sys.exit(main())
