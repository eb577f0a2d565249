"""Maps the case aggregate onto rows (Core, not ORM: the aggregate stays plain Python).

A case is two reads (its row and its tasks) and, on save, one conditional UPDATE of the case
row (``version`` check: the optimistic lock that serialises actions on one case), one
UPDATE per changed task, and bulk INSERTs of new tasks, events and outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from yiwang.cases.errors import CaseNotFound, ConcurrentUpdate, DuplicateSubmission
from yiwang.cases.events import CaseEvent, event_from_record
from yiwang.cases.legal import next_legal_due
from yiwang.cases.legal_record import LegalRecord
from yiwang.cases.models import (
    OPEN_TASK_STATUSES,
    Case,
    CaseStatus,
    Deadline,
    Output,
    Stage,
    StageStatus,
    Supplement,
    Task,
    TaskKind,
    TaskStatus,
)
from yiwang.cases.ports import CalendarProvider
from yiwang.db import tables as t
from yiwang.db.clock_codec import clock_from_json, clock_to_json
from yiwang.db.figures import ONLINE_CHANNELS, ClosedTask, add_closed, hours_by_task


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _stage_json(stage: Stage) -> dict[str, Any]:
    return {
        "index": stage.index,
        "code": stage.code,
        "name_zh": stage.name_zh,
        "name_en": stage.name_en,
        "lead": stage.lead_department_code,
        "status": stage.status.value,
        "opened_at": _iso(stage.opened_at),
        "closed_at": _iso(stage.closed_at),
        "due_at": _iso(stage.deadline.due_at),
        "provisional": stage.deadline.provisional,
        "clock": clock_to_json(stage.deadline.clock),
    }


def _stage_from(data: dict[str, Any]) -> Stage:
    return Stage(
        index=data["index"],
        code=data["code"],
        name_zh=data["name_zh"],
        name_en=data["name_en"],
        lead_department_code=data["lead"],
        status=StageStatus(data["status"]),
        deadline=Deadline(
            clock=clock_from_json(data["clock"]),
            due_at=_dt(data["due_at"]),
            provisional=data["provisional"],
        ),
        opened_at=_dt(data["opened_at"]),
        closed_at=_dt(data["closed_at"]),
    )


def _supplement_json(s: Supplement) -> dict[str, Any]:
    return {
        "id": s.id,
        "task_id": s.task_id,
        "materials": list(s.material_codes),
        "note": s.note,
        "requested_at": _iso(s.requested_at),
        "requested_by": s.requested_by,
        "answered_at": _iso(s.answered_at),
        "answer": s.answer,
        "answer_due_at": _iso(s.answer_due_at),
    }


def _supplement_from(data: dict[str, Any]) -> Supplement:
    requested_at = _dt(data["requested_at"])
    assert requested_at is not None
    return Supplement(
        id=data["id"],
        task_id=data["task_id"],
        material_codes=tuple(data["materials"]),
        note=data["note"],
        requested_at=requested_at,
        requested_by=data["requested_by"],
        answered_at=_dt(data["answered_at"]),
        answer=data["answer"],
        answer_due_at=_dt(data.get("answer_due_at")),
    )


def _case_values(case: Case, legal_due_at: datetime | None) -> dict[str, Any]:
    return {
        "status": case.status.value,
        "closed_at": case.closed_at,
        "due_at": case.deadline.due_at,
        "due_provisional": case.deadline.provisional,
        "clock": clock_to_json(case.deadline.clock),
        "stages": [_stage_json(stage) for stage in case.stages],
        "supplements": [_supplement_json(s) for s in case.supplements],
        "legal": case.legal.to_json(),
        "legal_due_at": legal_due_at,
        "version": case.version + 1,
    }


def _task_values(task: Task) -> dict[str, Any]:
    return {
        "status": task.status.value,
        "assignee": task.assignee,
        "closed_at": task.closed_at,
        "due_at": task.deadline.due_at,
        "due_provisional": task.deadline.provisional,
        "clock": clock_to_json(task.deadline.clock),
        "decided_by_rule": task.decided_by_rule,
        "version": task.version + 1,
        # Copies for the supervisor's figures (see tables.tasks).
        "time_limit": str(task.deadline.clock.limit),
        "paused": task.deadline.clock.paused_at is not None,
    }


def _new_task_values(task: Task, case: Case) -> dict[str, Any]:
    values = _task_values(task)
    values.update(
        region_code=case.region_code,
        online=case.channel in ONLINE_CHANNELS,
        id=task.id,
        case_id=task.case_id,
        stage_index=task.stage_index,
        item_code=task.item_code,
        department_code=task.department_code,
        opened_at=task.opened_at,
        kind=task.kind.value,
    )
    return values


def _task_from(row: Row[Any]) -> Task:
    return Task(
        id=row.id,
        case_id=row.case_id,
        stage_index=row.stage_index,
        item_code=row.item_code,
        department_code=row.department_code,
        status=TaskStatus(row.status),
        deadline=Deadline(
            clock=clock_from_json(row.clock), due_at=row.due_at, provisional=row.due_provisional
        ),
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        assignee=row.assignee,
        decided_by_rule=row.decided_by_rule,
        kind=TaskKind(row.kind),
        version=row.version,
        is_new=False,
        dirty=False,
    )


def _output_from(row: Row[Any]) -> Output:
    return Output(
        kind=row.kind,
        number=row.number,
        name_zh=row.name_zh,
        name_en=row.name_en,
        item_code=row.item_code,
        issued_at=row.issued_at,
        pieces=tuple(row.pieces),
    )


class _Statements:
    """Statements built once per process: building and cache-keying a statement on every
    call costs more than running it on SQLite."""

    def __init__(self) -> None:
        c, k = t.cases.c, t.tasks.c
        self.case_by_id = select(t.cases).where(c.id == bindparam("case_id"))
        self.tasks_of_case = select(t.tasks).where(k.case_id == bindparam("case_id"))
        self.outputs_of_case = (
            select(t.outputs)
            .where(t.outputs.c.case_id == bindparam("case_id"))
            .order_by(t.outputs.c.id)
        )
        self.events_of_case = (
            select(t.case_events)
            .where(t.case_events.c.case_id == bindparam("case_id"))
            .order_by(t.case_events.c.id)
        )
        self.update_case = (
            update(t.cases)
            .where(c.id == bindparam("b_id"), c.version == bindparam("b_version"))
            .values({name: bindparam(name) for name in _CASE_MUTABLE})
        )
        self.update_task = (
            update(t.tasks)
            .where(k.id == bindparam("b_id"), k.version == bindparam("b_version"))
            .values({name: bindparam(name) for name in _TASK_MUTABLE})
        )
        # Not a change of the case: no new version, and nothing if it changed since read.
        self.update_legal_due = (
            update(t.cases)
            .where(c.id == bindparam("b_id"), c.version == bindparam("b_version"))
            .values(legal_due_at=bindparam("legal_due_at"))
        )
        self.insert_case = insert(t.cases)
        self.insert_tasks = insert(t.tasks)
        self.insert_events = insert(t.case_events)
        self.insert_outputs = insert(t.outputs)
        self.case_by_key = select(c.id).where(c.idempotency_key == bindparam("key"))
        self.digest = select(c.request_digest).where(c.id == bindparam("case_id"))


_CASE_MUTABLE = (
    "status",
    "closed_at",
    "due_at",
    "due_provisional",
    "clock",
    "stages",
    "supplements",
    "legal",
    "legal_due_at",
    "version",
)
_TASK_MUTABLE = (
    "status",
    "assignee",
    "closed_at",
    "due_at",
    "due_provisional",
    "clock",
    "decided_by_rule",
    "version",
    "time_limit",
    "paused",
)


@cache
def _statements() -> _Statements:
    return _Statements()


def event_row(case_id: str, event: CaseEvent) -> dict[str, Any]:
    """A typed event as its history row (its own fields in the ``data`` JSON column)."""
    return {
        "case_id": case_id,
        "task_id": event.task_id,
        "kind": event.kind.value,
        "at": event.at,
        "actor": event.actor,
        "reason": event.reason,
        "data": event.data,
    }


class CaseRepository:
    """Loads and saves case aggregates on one open connection (inside its transaction).

    Each save also stores when the legal sweep next has something to do for the case
    (``legal_due_at``), computed on the working calendar of ``calendars``.
    """

    def __init__(self, connection: Connection, calendars: CalendarProvider | None = None) -> None:
        self.connection = connection
        self.calendars = calendars
        self.sql = _statements()
        # Each loaded task's status as read: the version check on save guarantees it is still
        # the stored one, so a task's closing is seen without reading it again.
        self._loaded_status: dict[str, str] = {}

    def _legal_due_at(self, case: Case) -> datetime | None:
        if case.is_closed:
            return None
        if self.calendars is None:
            # No calendar at hand: the submission time, before every legal deadline of the
            # case; the sweep reads the case and stores the exact instant.
            return case.submitted_at
        return next_legal_due(case, self.calendars.current())

    def refresh_legal_due(self, cases: Sequence[Case]) -> None:
        """Store the exact ``legal_due_at`` of cases read as due but not due (a conservative
        value, or one from an earlier calendar); a case saved since it was read is left
        alone (its save stored the value)."""
        if not cases:
            return
        self.connection.execute(
            self.sql.update_legal_due,
            [
                {"b_id": case.id, "b_version": case.version, "legal_due_at": self._legal_due_at(case)}
                for case in cases
            ],
        )

    def find_by_idempotency_key(self, key: str) -> str | None:
        row = self.connection.execute(self.sql.case_by_key, {"key": key}).first()
        return row.id if row is not None else None

    def digest_of(self, case_id: str) -> str:
        return str(self.connection.execute(self.sql.digest, {"case_id": case_id}).scalar_one())

    def get(self, case_id: str, *, with_outputs: bool = True) -> Case:
        row = self.connection.execute(self.sql.case_by_id, {"case_id": case_id}).first()
        if row is None:
            raise CaseNotFound(case_id)
        task_rows = self.connection.execute(self.sql.tasks_of_case, {"case_id": case_id}).all()
        outputs: list[Output] = []
        if with_outputs:
            outputs = [
                _output_from(o)
                for o in self.connection.execute(self.sql.outputs_of_case, {"case_id": case_id})
            ]
        return self._case_from(row, task_rows, outputs)

    def get_many(self, case_ids: Sequence[str]) -> list[Case]:
        """Several cases (without outputs) in two queries, in the order asked; for lists
        such as the construction board, which would otherwise load each case on its own."""
        if not case_ids:
            return []
        ids = list(dict.fromkeys(case_ids))
        rows = {
            r.id: r for r in self.connection.execute(select(t.cases).where(t.cases.c.id.in_(ids)))
        }
        tasks: dict[str, list[Row[Any]]] = {case_id: [] for case_id in ids}
        for task_row in self.connection.execute(select(t.tasks).where(t.tasks.c.case_id.in_(ids))):
            tasks[task_row.case_id].append(task_row)
        return [self._case_from(rows[i], tasks[i], []) for i in ids if i in rows]

    def _case_from(
        self, row: Row[Any], task_rows: Sequence[Row[Any]], outputs: list[Output]
    ) -> Case:
        tasks = sorted(
            (_task_from(r) for r in task_rows), key=lambda task: int(task.id.rpartition("-T")[2])
        )
        self._loaded_status.update((r.id, r.status) for r in task_rows)
        return Case(
            id=row.id,
            tracking_number=row.tracking_number,
            subject_code=row.subject_code,
            catalog_version=row.catalog_version,
            applicant_id=row.applicant_id,
            applicant_name=row.applicant_name,
            filed_by=row.filed_by,
            region_code=row.region_code,
            channel=row.channel,
            form=dict(row.form),
            status=CaseStatus(row.status),
            submitted_at=row.submitted_at,
            deadline=Deadline(
                clock=clock_from_json(row.clock), due_at=row.due_at, provisional=row.due_provisional
            ),
            stages=[_stage_from(s) for s in row.stages],
            tasks=tasks,
            supplements=[_supplement_from(s) for s in row.supplements],
            outputs=outputs,
            closed_at=row.closed_at,
            idempotency_key=row.idempotency_key,
            request_digest=row.request_digest,
            promises=tuple(row.promises or ()),
            commitments=tuple(row.commitments or ()),
            priority=bool(row.priority),
            facts=dict(row.facts or {}),
            legal=LegalRecord.from_json(row.legal),
            version=row.version,
            is_new=False,
        )

    def add(self, case: Case) -> None:
        values = _case_values(case, self._legal_due_at(case))
        values.update(
            id=case.id,
            tracking_number=case.tracking_number,
            subject_code=case.subject_code,
            catalog_version=case.catalog_version,
            applicant_id=case.applicant_id,
            applicant_name=case.applicant_name,
            filed_by=case.filed_by,
            region_code=case.region_code,
            channel=case.channel,
            form=case.form,
            submitted_at=case.submitted_at,
            idempotency_key=case.idempotency_key,
            request_digest=case.request_digest,
            promises=list(case.promises),
            commitments=list(case.commitments),
            priority=case.priority,
            facts=case.facts,
        )
        if case.idempotency_key is None:
            self.connection.execute(self.sql.insert_case, values)
        else:
            try:
                self.connection.execute(self.sql.insert_case, values)
            except IntegrityError as error:
                # The whole transaction is abandoned by the caller, so no savepoint is needed.
                if "idempotency_key" in str(error.orig).lower():
                    raise DuplicateSubmission() from error
                raise
        self._write_children(case)
        case.version = values["version"]
        case.is_new = False

    def save(self, case: Case) -> None:
        """Write the changes of an action; raises `ConcurrentUpdate` if someone was faster."""
        values = _case_values(case, self._legal_due_at(case))
        values.update(b_id=case.id, b_version=case.version)
        result = self.connection.execute(self.sql.update_case, values)
        if result.rowcount != 1:
            raise ConcurrentUpdate(case.id)
        self._write_children(case)
        case.version = values["version"]

    def _closing(self, case: Case) -> list[ClosedTask]:
        """Tasks this save closes (new tasks decided at once included), for the figures."""
        changed = [
            task
            for task in case.tasks
            if task.status not in OPEN_TASK_STATUSES and (task.is_new or task.dirty)
        ]
        unknown = [
            task.id for task in changed if not task.is_new and task.id not in self._loaded_status
        ]
        if unknown:  # a case not loaded through this repository: read the stored statuses
            stored = select(t.tasks.c.id, t.tasks.c.status).where(t.tasks.c.id.in_(unknown))
            self._loaded_status.update((r.id, r.status) for r in self.connection.execute(stored))
        open_values = {status.value for status in OPEN_TASK_STATUSES}
        closing = [
            task
            for task in changed
            if task.is_new or self._loaded_status.get(task.id) in open_values
        ]
        if not closing:
            return []
        hours = hours_by_task((e.task_id, e.kind.value, e.data) for e in case.new_events)
        return [
            ClosedTask(
                region_code=case.region_code,
                department_code=task.department_code,
                item_code=task.item_code,
                status=task.status.value,
                channel=case.channel,
                decided_by_rule=task.decided_by_rule,
                hours_used=hours.get(task.id, 0.0),
            )
            for task in closing
        ]

    def _write_children(self, case: Case) -> None:
        closing = self._closing(case)
        new_tasks = [task for task in case.tasks if task.is_new]
        if new_tasks:
            self.connection.execute(
                self.sql.insert_tasks, [_new_task_values(task, case) for task in new_tasks]
            )
        for task in case.tasks:
            if task.is_new:
                task.is_new = False
                task.dirty = False
                task.version += 1
                continue
            if not task.dirty:
                continue
            values = _task_values(task)
            values.update(b_id=task.id, b_version=task.version)
            result = self.connection.execute(self.sql.update_task, values)
            if result.rowcount != 1:
                raise ConcurrentUpdate(case.id)
            task.version += 1
            task.dirty = False
        for task in case.tasks:
            self._loaded_status[task.id] = task.status.value
        if closing:
            add_closed(self.connection, closing)
        if case.new_events:
            self.connection.execute(
                self.sql.insert_events,
                [event_row(case.id, event) for event in case.new_events],
            )
            case.new_events.clear()
        if case.new_outputs:
            self.connection.execute(
                self.sql.insert_outputs,
                [
                    {
                        "case_id": case.id,
                        "kind": output.kind,
                        "number": output.number,
                        "name_zh": output.name_zh,
                        "name_en": output.name_en,
                        "item_code": output.item_code,
                        "issued_at": output.issued_at,
                        "pieces": list(output.pieces),
                    }
                    for output in case.new_outputs
                ],
            )
            case.new_outputs.clear()

    def ids_of_subject(self, subject_code: str) -> list[str]:
        """The cases of one item or bundle, oldest submission first."""
        query = select(t.cases.c.id).where(t.cases.c.subject_code == subject_code).order_by(t.cases.c.submitted_at)
        return [row[0] for row in self.connection.execute(query)]

    def outputs(self, case_id: str) -> list[Output]:
        return [
            _output_from(o)
            for o in self.connection.execute(self.sql.outputs_of_case, {"case_id": case_id})
        ]

    def events(self, case_id: str) -> Sequence[CaseEvent]:
        rows = self.connection.execute(self.sql.events_of_case, {"case_id": case_id}).all()
        return [
            event_from_record(
                r.kind, at=r.at, actor=r.actor, task_id=r.task_id, reason=r.reason, data=dict(r.data)
            )
            for r in rows
        ]
