"""Engine benchmark: the enterprise start-up lifecycle, Yiwang vs SpiffWorkflow (same run).

Each Yiwang case: submit (one transaction), six task completions (one transaction each; the
last concludes the case), on a SQLite file in WAL mode: the `make run` configuration. The
peer runs an equivalent BPMN (parallel gateways, six user tasks) and saves and loads the
workflow as JSON in SQLite at every step, the way SpiffWorkflow keeps state between requests.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))

from spiff_peer import load_spec, run_spiff_lifecycles
from yiwang.bootstrap import bootstrap
from yiwang.cases.commands import CompleteTask, SubmitApplication
from yiwang.clock import SimulatedClock
from yiwang.demo.province import ensure_signing_keys
from yiwang.identity.numbers import make_id_number
from yiwang.settings import Settings

FOUNDER = make_id_number("370102", datetime(1990, 1, 1).date(), 7)


def _form(index: int) -> dict[str, object]:
    return {
        "company_name": f"济南市历下区测{_chinese(index)}科技股份有限公司",
        # A joint-stock company is not decided by rule, so all six tasks are completed by reviewers,
        # like the six user tasks of the peer.
        "entity_type": "joint_stock",
        "region_code": "370102",
        "address": "泉城路1号",
        "registered_capital": "10",
        "business_scope": ["I001"],
        "legal_rep_name": "王五",
        "legal_rep_id": FOUNDER,
        "legal_rep_phone": "13800000000",
        "delivery": "pickup",
    }


_DIGITS = "零一二三四五六七八九"


def _chinese(number: int) -> str:
    return "".join(_DIGITS[int(d)] for d in str(number))


def run_yiwang_lifecycles(n: int, directory: Path) -> float:
    clock = SimulatedClock(datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    settings = Settings(database_url=f"sqlite:///{directory / 'bench.db'}", data_dir=directory / "var")
    platform = bootstrap(settings, clock=clock)
    # A concluded start-up issues a signed business licence: the issuing departments need keys.
    ensure_signing_keys(platform)
    try:
        started = time.perf_counter()
        for index in range(n):
            submitted = platform.cases.submit(
                SubmitApplication(
                    "bundle.enterprise_startup", FOUNDER, "王五", "370102", _form(index)
                )
            )
            case = submitted.case
            assert case is not None
            while not case.is_closed:
                for task in [task for task in case.tasks if task.is_open]:
                    case = platform.cases.act(CompleteTask(task.id, "reviewer"))
            assert case.status.value == "concluded", case.status
        return n / (time.perf_counter() - started)
    finally:
        platform.dispose()


def main(cases: int = 300) -> list[str]:
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "warm").mkdir()
        run_yiwang_lifecycles(30, directory / "warm")
        yiwang_rate = run_yiwang_lifecycles(cases, directory)
        spec = load_spec()
        run_spiff_lifecycles(20, directory / "spiff-warm.db", spec=spec)
        spiff_rate = run_spiff_lifecycles(cases, directory / "spiff.db", spec=spec)
    table = Table(title="Enterprise start-up lifecycle (submit + 6 completions, SQLite WAL)")
    table.add_column("engine")
    table.add_column("cases/s", justify="right")
    table.add_column("ms/case", justify="right")
    table.add_row("Yiwang", f"{yiwang_rate:.0f}", f"{1000 / yiwang_rate:.2f}")
    table.add_row(
        "SpiffWorkflow 3 (JSON save+load per step)", f"{spiff_rate:.0f}", f"{1000 / spiff_rate:.2f}"
    )
    console.print(table)
    line = f"engine lifecycle: yiwang {yiwang_rate:.0f}/s, SpiffWorkflow {spiff_rate:.0f}/s, ratio {yiwang_rate / spiff_rate:.1f}"
    print(line)
    return [line]


if __name__ == "__main__":
    main()
