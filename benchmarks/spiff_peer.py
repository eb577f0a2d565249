"""SpiffWorkflow 3 peer for the engine benchmark: the enterprise start-up lifecycle.

The same lifecycle as the Yiwang engine benchmark (submit, six task completions, conclusion),
run as an equivalent BPMN process (``bpmn/enterprise_startup.bpmn``: a parallel gateway over four
user tasks, then one over two) on SpiffWorkflow 3.

SpiffWorkflow keeps no state of its own between requests: an application serialises the whole
workflow with ``BpmnWorkflowSerializer.serialize_json`` after every step and restores it with
``deserialize_json`` before the next one. This peer does exactly that, against SQLite with the
same durability setting as our engine (WAL, ``synchronous=NORMAL``) and one transaction per step:

* submit: ``BpmnWorkflow(spec)``, ``do_engine_steps()``, serialise, INSERT, COMMIT;
* each of the six completions: BEGIN IMMEDIATE, SELECT the JSON, deserialise, put the decision in
  the ready user task's data, ``run_task_from_id``, ``do_engine_steps()``, serialise, UPDATE,
  COMMIT;
* conclusion: the end event runs inside the last completion's ``do_engine_steps()``; the case
  must then report ``is_completed()``.

Parsing the BPMN is done once and not timed, as our catalog is parsed once. The serializer (its
converter registry) is also built once, as an application would hold it for its lifetime.

Run standalone: ``.venv/bin/python benchmarks/spiff_peer.py``.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from SpiffWorkflow import TaskState
from SpiffWorkflow import __version__ as SPIFF_VERSION
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

BPMN_PATH: Final = Path(__file__).resolve().parent / "bpmn" / "enterprise_startup.bpmn"
PROCESS_ID: Final = "enterprise_startup"

# Completion order: stage 1's four tasks, then stage 2's two (ids of the BPMN user tasks).
STAGE_ONE_TASKS: Final = (
    "business_licence",
    "social_insurance",
    "medical_insurance",
    "housing_fund",
)
STAGE_TWO_TASKS: Final = ("seals", "tax")
USER_TASKS: Final = STAGE_ONE_TASKS + STAGE_TWO_TASKS

WARMUP_CASES: Final = 20
MEASURED_CASES: Final = 200

_SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS workflows (id INTEGER PRIMARY KEY, state TEXT NOT NULL)"
)


class SpiffPeerError(RuntimeError):
    """The SpiffWorkflow run did not follow the expected lifecycle."""


def load_spec() -> Any:
    """Parse and validate the BPMN file once; returns the ``BpmnProcessSpec`` of the process."""
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(str(BPMN_PATH))
    return parser.get_spec(PROCESS_ID)


def open_database(db_path: Path) -> sqlite3.Connection:
    """Open the peer's SQLite store with the engine's durability setting.

    Autocommit mode (``isolation_level=None``) so each step states its own BEGIN / COMMIT.
    """
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(_SCHEMA)
    return connection


def submit_case(connection: sqlite3.Connection, serializer: Any, spec: Any) -> int:
    """Start a workflow, run it to its first user tasks and save it; returns the workflow row id."""
    workflow = BpmnWorkflow(spec)
    workflow.do_engine_steps()
    state = serializer.serialize_json(workflow)
    connection.execute("BEGIN IMMEDIATE")
    try:
        cursor = connection.execute("INSERT INTO workflows (state) VALUES (?)", (state,))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    row_id = cursor.lastrowid
    if row_id is None:
        raise SpiffPeerError("SQLite returned no row id for the new workflow")
    return row_id


def complete_task(
    connection: sqlite3.Connection, serializer: Any, workflow_id: int, task_name: str
) -> Any:
    """One request: load the workflow, complete a ready user task, run the engine, save.

    Returns the workflow after the step, so the caller can check the conclusion.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        row = connection.execute(
            "SELECT state FROM workflows WHERE id = ?", (workflow_id,)
        ).fetchone()
        if row is None:
            raise SpiffPeerError(f"workflow {workflow_id} is not in the database")
        workflow = serializer.deserialize_json(row[0])
        task = workflow.get_next_task(state=TaskState.READY, manual=True, spec_name=task_name)
        if task is None:
            raise SpiffPeerError(f"workflow {workflow_id}: user task {task_name!r} is not ready")
        # Keyed by task so the parallel branches' data merge at the joins without clobbering.
        task.data[task_name] = {"approver": "reviewer-01", "decision": "approved"}
        workflow.run_task_from_id(task.id)
        workflow.do_engine_steps()
        connection.execute(
            "UPDATE workflows SET state = ? WHERE id = ?",
            (serializer.serialize_json(workflow), workflow_id),
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return workflow


def run_one_lifecycle(connection: sqlite3.Connection, serializer: Any, spec: Any) -> int:
    """Submit one case, complete its six user tasks and check it concluded; returns its row id."""
    workflow_id = submit_case(connection, serializer, spec)
    workflow = None
    for task_name in USER_TASKS:
        workflow = complete_task(connection, serializer, workflow_id, task_name)
    if workflow is None or not workflow.is_completed():
        raise SpiffPeerError(f"workflow {workflow_id} did not conclude after its six tasks")
    decisions = {name: workflow.data.get(name, {}).get("decision") for name in USER_TASKS}
    if set(decisions.values()) != {"approved"}:
        raise SpiffPeerError(f"workflow {workflow_id} lost task data at the joins: {decisions}")
    return workflow_id


def run_spiff_lifecycles(
    n: int, db_path: Path, *, spec: Any = None, serializer: Any = None
) -> float:
    """Run ``n`` full lifecycles with a save and a load around every step; returns cases/s.

    ``spec`` and ``serializer`` are built here when not given; neither is timed.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    spec = spec if spec is not None else load_spec()
    serializer = serializer if serializer is not None else BpmnWorkflowSerializer()
    connection = open_database(db_path)
    try:
        started = time.perf_counter()
        for _ in range(n):
            run_one_lifecycle(connection, serializer, spec)
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    return n / elapsed


def _saved_state_bytes(db_path: Path) -> tuple[int, int]:
    """Size of one saved workflow JSON and of its embedded spec part, in bytes."""
    connection = sqlite3.connect(db_path)
    try:
        row = connection.execute("SELECT state FROM workflows ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        connection.close()
    state: str = row[0]
    spec_bytes = len(json.dumps(json.loads(state)["spec"]))
    return len(state.encode()), spec_bytes


def main() -> None:
    spec = load_spec()
    serializer = BpmnWorkflowSerializer()
    with tempfile.TemporaryDirectory(prefix="spiff-peer-") as tmp:
        db_path = Path(tmp) / "spiff.sqlite3"
        run_spiff_lifecycles(WARMUP_CASES, db_path, spec=spec, serializer=serializer)
        rate = run_spiff_lifecycles(MEASURED_CASES, db_path, spec=spec, serializer=serializer)
        state_bytes, spec_bytes = _saved_state_bytes(db_path)
    steps = 1 + len(USER_TASKS)
    print(f"SpiffWorkflow {SPIFF_VERSION}, BPMN process {PROCESS_ID!r}")
    print(f"  cases measured        {MEASURED_CASES} (after {WARMUP_CASES} warm-up)")
    print(f"  saves per case        {steps} (loads {len(USER_TASKS)}), one transaction each")
    print(f"  saved JSON per case   {state_bytes} bytes (embedded spec {spec_bytes} bytes)")
    print(f"  mean per case         {1000 / rate:.2f} ms ({1000 / rate / steps:.2f} ms per step)")
    print(f"SpiffWorkflow lifecycle (JSON save+load per step, SQLite WAL): {rate:.1f} cases/s")


if __name__ == "__main__":
    main()
