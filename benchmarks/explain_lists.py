"""EXPLAIN ANALYZE of the exact statements behind each list, at volume (for docs/performance.md).

    python benchmarks/explain_lists.py [schema]      # default: volume

Runs each read model once with a listener that records the SQL and parameters it sends,
then asks PostgreSQL for the plan of each recorded statement, executed with those parameters.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).parent))

from volume import schema_engine
from yiwang.bootstrap import bootstrap
from yiwang.db import read_models as rm
from yiwang.settings import Settings


def main() -> int:
    schema = sys.argv[1] if len(sys.argv) > 1 else "volume"
    engine = schema_engine(schema)
    platform = bootstrap(Settings(database_url=str(engine.url)), engine=engine, migrate=False)
    now = datetime.now(UTC)
    calendar = platform.calendars.current()
    with engine.connect() as connection:
        applicant = connection.execute(
            text("SELECT applicant_id FROM cases ORDER BY submitted_at DESC LIMIT 1")
        ).scalar_one()
        board_ids = connection.execute(
            text(
                "SELECT id FROM cases WHERE subject_code = 'bundle.construction_project' "
                "AND region_code LIKE '3701%' ORDER BY submitted_at DESC, id DESC LIMIT 50"
            )
        ).scalars().all()
        # The oldest closed copy (two years back): its events sit in one or two monthly
        # partitions, and the lookup by case_id probes them all.
        old_case = connection.execute(
            text("SELECT id FROM cases WHERE id LIKE 'V%' AND closed_at IS NOT NULL ORDER BY id DESC LIMIT 1")
        ).scalar_one()
        reader_subject = connection.execute(
            text("SELECT subject_id FROM access_log ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    # As in a running server: the figures remember the open tasks' time limits after a call.
    rm.supervision_figures(engine, "3701", now, calendar, 0.25)
    second_overdue_page = rm.overdue_tasks(engine, "3701", now, calendar, 0.25).after
    lists: list[tuple[str, Callable[[], Any]]] = [
        ("supervisor figures (济南)", lambda: rm.supervision_figures(engine, "3701", now, calendar, 0.25)),
        ("overdue list (济南), first page", lambda: rm.overdue_tasks(engine, "3701", now, calendar, 0.25)),
        ("overdue list (济南), second page", lambda: rm.overdue_tasks(engine, "3701", now, calendar, 0.25, after=second_overdue_page)),
        ("supervisor case list (济南)", lambda: rm.case_summaries(engine, now, calendar, 0.25, region_prefix="3701", limit=50)),
        ("supervisor case list (one county, 370181)", lambda: rm.case_summaries(engine, now, calendar, 0.25, region_prefix="370181", limit=50)),
        ("construction board list (济南)", lambda: rm.case_summaries(engine, now, calendar, 0.25, region_prefix="3701", subject_code="bundle.construction_project", limit=50)),
        ("reviewer inbox (market_regulation@370100)", lambda: rm.inbox(engine, "market_regulation@370100", now, calendar, 0.25)),
        ("applicant's cases", lambda: rm.case_summaries(engine, now, calendar, 0.25, applicant_id=applicant, limit=50)),
        ("who read my data (access log by subject, every month)", lambda: rm.data_reads(engine, reader_subject)),
    ]
    recorded: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        recorded.append((statement, parameters))

    with platform.unit_of_work(read_only=True) as uow:
        lists.append(("construction board: the projects' cases and tasks", lambda: uow.cases.get_many(board_ids)))
        lists.append(("case timeline (events by case_id, every month)", lambda: list(uow.cases.events(old_case))))
        for title, run in lists:
            recorded.clear()

            event.listen(engine, "before_cursor_execute", record)
            try:
                run()
            finally:
                event.remove(engine, "before_cursor_execute", record)
            print(f"\n### {title}\n")
            for statement, parameters in recorded:
                if not statement.lstrip().upper().startswith("SELECT") or "alembic" in statement:
                    continue
                raw = engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                finally:
                    raw.close()
                print("```\n" + plan + "\n```")
    platform.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
