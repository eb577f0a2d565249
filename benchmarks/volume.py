"""A province's volume on PostgreSQL: N cases with the rows the engine really writes.

    python benchmarks/volume.py load --cases 1000000      # into schema ``volume`` of $YIWANG_BENCH_PG
    python benchmarks/volume.py load --cases 20000 --schema volume_smoke
    python benchmarks/volume.py load --cases 150000 --schema sweep_vol --open-share 0.07

How: the real platform first runs a handful of template cases on the target database (a
start-up taken to conclusion with its ~28 events, its licence and access-log reads; a
rejected start-up; an open start-up; one open case of each further service; construction
projects), then PostgreSQL copies them N times with ``INSERT ... SELECT`` over
``generate_series``: new ids, a county drawn with 60% in Jinan (3701), departments moved to
the county's city, every timestamp shifted to the copy's submission time. Closed copies are
spread over the two years before today, open ones over the last fifteen days (about 1% of
all, ``--open-share``), so the lists, the overdue list and the sweep see what a running
province has. A copy's ``legal_due_at`` is its submission time (conservative): the first
sweep after loading reads the open copies once and stores their exact instants.

Honest limits: event payloads (the ``data`` JSON) keep the template's times and ids; the
copies' access-log rows carry a hash of their content but do not form a verifiable chain
(``yiwang audit verify`` reports a volume database broken); enterprises and licences are
not copied. Never part of the test run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, text

from yiwang.bootstrap import Platform, bootstrap
from yiwang.cases.commands import RejectTask, SubmitApplication
from yiwang.clock import SimulatedClock
from yiwang.db import figures, partitions
from yiwang.db import tables as t
from yiwang.db.engine import make_engine
from yiwang.db.types import UTCDateTime
from yiwang.demo.accounts import seed_demo_accounts, seed_demo_projects
from yiwang.demo.province import (
    ensure_signing_keys,
    run_enterprise_startup,
    seed_demo_province,
    seed_service_cases,
    startup_form,
)
from yiwang.settings import Settings

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Share of copies that are still open (recent), and of closed ones that were rejected.
OPEN_SHARE = 0.01
CHUNK = 50_000


def pg_url() -> str:
    return os.environ.get("YIWANG_BENCH_PG", DEFAULT_URL)


def schema_engine(schema: str) -> Engine:
    return make_engine(pg_url(), connect_args={"options": f"-csearch_path={schema}"})


def reset_schema(schema: str) -> None:
    admin = make_engine(pg_url())
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()


def make_templates(platform: Platform, clock: SimulatedClock) -> tuple[list[str], list[str]]:
    """Run real cases through the engine; returns (closed, open) template case ids."""
    population = seed_demo_province(platform)
    ensure_signing_keys(platform)
    seed_demo_accounts(platform, population)
    counties = ["370102", "370103", "370202", "370602", "370702"]
    founders = [
        next(p for p in population.people if p.region_code == code and p.birth_date.year > 1970)
        for code in counties
    ]
    closed = []
    for founder in founders[:3]:
        closed.append(run_enterprise_startup(platform, clock, founder).case.id)
        clock.advance(timedelta(hours=1))
    rejected = platform.cases.submit(
        SubmitApplication(
            "bundle.enterprise_startup",
            founders[3].id_number,
            founders[3].name,
            founders[3].region_code,
            startup_form(founders[3], founders[3].region_code, "山东省石泉信息科技有限公司"),
        )
    )
    first = next(task for task in platform.cases.get(rejected.case_id).tasks if task.is_open)
    platform.cases.act(RejectTask(first.id, "reviewer", "经营范围不符 / scope not allowed"))
    closed.append(rejected.case_id)
    waiting = platform.cases.submit(
        SubmitApplication(
            "bundle.enterprise_startup",
            founders[4].id_number,
            founders[4].name,
            founders[4].region_code,
            startup_form(founders[4], founders[4].region_code, "山东省明泉信息科技有限公司"),
        )
    )
    opened = [waiting.case_id, *seed_service_cases(platform, population)]
    opened += list(seed_demo_projects(platform, population))
    return closed, [case_id for case_id in opened if case_id not in closed]


def _regions(platform: Platform) -> list[str]:
    """1,000 county codes: 60% in Jinan, the rest spread over the other cities."""
    regions = platform.catalogs.current().regions
    jinan = [c.code for c in regions.counties("370100")]
    others = [c.code for c in regions.counties() if not c.code.startswith("3701")]
    return [jinan[i % len(jinan)] for i in range(600)] + [others[i % len(others)] for i in range(400)]


def _select_list(table: Table, overrides: dict[str, str], alias: str) -> tuple[str, str]:
    columns, values = [], []
    for column in table.columns:
        if column.name in overrides:
            value = overrides[column.name]
        elif isinstance(column.type, UTCDateTime):
            value = f"{alias}.{column.name} + p.shift"
        else:
            value = f"{alias}.{column.name}"
        if value == "":  # left to the column's default (serial ids)
            continue
        columns.append(column.name)
        values.append(value)
    return ", ".join(columns), ", ".join(values)


def _copy(engine: Engine, n: int, log: bool = True) -> None:
    task_suffix = "substring({col} from '-T[0-9]+$')"
    new_department = "regexp_replace({col}, '@[0-9]{{6}}$', '@' || left(p.region, 4) || '00')"
    statements = {
        "cases": (
            t.cases,
            "c",
            {
                "id": "p.case_id",
                "tracking_number": "'YW' || p.case_id",
                "applicant_id": "p.applicant",
                "region_code": "p.region",
                "idempotency_key": "NULL",
                # Shifted by whole seconds the template's working-day deadlines would not
                # fall on the copy's working days: the copy's submission time instead (before
                # each of its legal deadlines), and the first sweep stores the exact instant.
                "legal_due_at": "CASE WHEN c.legal_due_at IS NULL THEN NULL "
                "ELSE c.submitted_at + p.shift END",
            },
            "JOIN cases c ON c.id = p.template",
        ),
        "tasks": (
            t.tasks,
            "k",
            {
                "id": "p.case_id || " + task_suffix.format(col="k.id"),
                "case_id": "p.case_id",
                "department_code": new_department.format(col="k.department_code"),
                "region_code": "CASE WHEN k.region_code IS NULL THEN NULL ELSE p.region END",
            },
            "JOIN tasks k ON k.case_id = p.template",
        ),
        "case_events": (
            t.case_events,
            "e",
            {
                "id": "",
                "case_id": "p.case_id",
                "task_id": "p.case_id || " + task_suffix.format(col="e.task_id"),
            },
            "JOIN case_events e ON e.case_id = p.template",
        ),
        "outputs": (
            t.outputs,
            "o",
            {"id": "", "case_id": "p.case_id", "number": "o.number || '-' || p.g"},
            "JOIN outputs o ON o.case_id = p.template",
        ),
        "access_log": (
            t.access_log,
            "a",
            {
                "id": "(SELECT base FROM vol_log_base) + row_number() OVER ()",
                "subject_id": "CASE WHEN a.subject_id = tc.applicant_id THEN p.applicant "
                "ELSE a.subject_id END",
                "case_id": "p.case_id",
                "previous_hash": "''",
                "hash": "encode(sha256(convert_to(p.case_id || a.id::text, 'UTF8')), 'hex')",
            },
            "JOIN access_log a ON a.case_id = p.template JOIN cases tc ON tc.id = p.template",
        ),
    }
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS vol_log_base"))
        connection.execute(
            text("CREATE UNLOGGED TABLE vol_log_base AS SELECT COALESCE(MAX(id), 0) AS base FROM access_log")
        )
    for start in range(1, n + 1, CHUNK):
        stop = min(n, start + CHUNK - 1)
        began = time.perf_counter()
        with engine.begin() as connection:
            for name, (table, alias, overrides, join) in statements.items():
                columns, values = _select_list(table, overrides, alias)
                connection.execute(
                    text(
                        f"INSERT INTO {name} ({columns}) SELECT {values} FROM vol_plan p {join} "
                        "WHERE p.g BETWEEN :start AND :stop"
                    ),
                    {"start": start, "stop": stop},
                )
            connection.execute(
                text("UPDATE vol_log_base SET base = (SELECT COALESCE(MAX(id), 0) FROM access_log)")
            )
        if log:
            print(f"  cases {stop:>9,} / {n:,}  ({time.perf_counter() - began:.1f} s)", flush=True)


def load(cases: int, schema: str, open_share: float = OPEN_SHARE) -> dict[str, float]:
    timings: dict[str, float] = {}
    reset_schema(schema)
    engine = schema_engine(schema)
    # Templates run in June; copies are shifted to their own times.
    clock = SimulatedClock(datetime(2026, 6, 1, 9, 30, tzinfo=SHANGHAI))
    began = time.perf_counter()
    platform = bootstrap(Settings(database_url=pg_url(), data_dir=f"var/{schema}"), clock=clock, engine=engine)
    closed, opened = make_templates(platform, clock)
    timings["templates_s"] = time.perf_counter() - began
    print(f"templates: {len(closed)} closed, {len(opened)} open ({timings['templates_s']:.1f} s)")
    regions = _regions(platform)
    now = datetime.now(UTC)
    n_open = max(1, int(cases * open_share))
    with engine.begin() as connection:
        connection.execute(
            text(
                """
                CREATE UNLOGGED TABLE vol_plan AS
                SELECT g,
                       'V' || lpad(g::text, 9, '0') AS case_id,
                       CASE WHEN g <= :n_open
                            THEN (CAST(:opened AS text[]))
                                 [1 + (g * 40503) % cardinality(CAST(:opened AS text[]))]
                            ELSE (CAST(:closed AS text[]))
                                 [1 + (g * 40503) % cardinality(CAST(:closed AS text[]))]
                       END AS template,
                       (CAST(:regions AS text[]))[1 + (g * 2654435761) % 1000] AS region,
                       '37' || lpad(((g * 7919) % 600000)::text, 16, '0') AS applicant,
                       CASE WHEN g <= :n_open
                            THEN CAST(:now AS timestamptz)
                                 - ((g * 7919) % (15 * 86400)) * interval '1 second'
                            ELSE CAST(:now AS timestamptz) - interval '15 days'
                                 - (g::float8 / :n * 730 * 86400) * interval '1 second'
                       END AS target
                FROM generate_series(1, CAST(:n AS bigint)) AS g
                """
            ),
            {
                "n": cases,
                "n_open": n_open,
                "opened": opened,
                "closed": closed,
                "regions": regions,
                "now": now,
            },
        )
        connection.execute(
            text(
                "ALTER TABLE vol_plan ADD COLUMN shift interval; "
                "UPDATE vol_plan p SET shift = p.target - c.submitted_at FROM cases c "
                "WHERE c.id = p.template; CREATE INDEX ON vol_plan (g)"
            )
        )
    # The copies span two years: their months' partitions first (the migration prepared only
    # the months around today), so no copy lands in DEFAULT.
    with engine.begin() as connection:
        made = partitions.ensure_partitions(connection, now, since=now - timedelta(days=750))
    print(f"partitions created for the copies: {len(made)}")
    began = time.perf_counter()
    _copy(engine, cases)
    timings["copy_s"] = time.perf_counter() - began
    began = time.perf_counter()
    with engine.begin() as connection:
        figures.rebuild(connection)
        connection.execute(text("DROP TABLE vol_plan; DROP TABLE vol_log_base"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    timings["summary_and_analyze_s"] = time.perf_counter() - began
    with engine.connect() as connection:
        for name in ("cases", "tasks", "case_events", "access_log"):
            count = connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            print(f"  {name}: {count:,} rows")
        size = connection.execute(text("SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't')")).scalar_one()
        print(f"  size on disk: {size}")
        parts = partitions.list_partitions(connection)
        for table in partitions.PARTITIONED:
            mine = [p for p in parts if p.table == table]
            default = sum(p.rows for p in mine if p.is_default)
            print(f"  {table}: {len(mine)} partitions, {default:,} rows in DEFAULT")
    platform.dispose()
    engine.dispose()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    loader = sub.add_parser("load", help="Drop the schema and load it with N cases.")
    loader.add_argument("--cases", type=int, default=1_000_000)
    loader.add_argument("--schema", default="volume")
    # A smaller volume with a province's number of open cases (the sweep's work): e.g.
    # 150,000 cases with 7% open hold as many overdue tasks as 1,000,000 with 1%.
    loader.add_argument("--open-share", type=float, default=OPEN_SHARE)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    timings = load(args.cases, args.schema, args.open_share)
    total = time.perf_counter() - began
    print(
        f"loaded {args.cases:,} cases into schema {args.schema} in {total:.0f} s "
        f"(templates {timings['templates_s']:.0f} s, copies {timings['copy_s']:.0f} s, "
        f"summary + analyze {timings['summary_and_analyze_s']:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
