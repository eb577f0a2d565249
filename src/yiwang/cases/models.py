"""The case aggregate: a case (办件), its stages and their parallel tasks.

Plain Python, no persistence. Every state change appends a typed event (`yiwang.cases.events`)
to ``case.new_events`` through `Case.record`; the unit of work writes the changed rows and the events in
one transaction. History is never rewritten: the events are what the applicant's timeline,
the supervisor's board and process-mining exports read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from yiwang.calendar import TaskClock
from yiwang.cases.events import SYSTEM_ACTOR as SYSTEM_ACTOR  # re-exported: callers import here
from yiwang.cases.events import CaseEvent
from yiwang.cases.events import EventKind as EventKind
from yiwang.cases.legal_record import LegalRecord


class CaseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    WAITING_APPLICANT = "waiting_applicant"  # a supplement notice is open; the clock stops
    CONCLUDED = "concluded"
    REJECTED = "rejected"
    REVOKED = "revoked"  # concluded, then revoked (e.g. a false credit commitment)
    WITHDRAWN = "withdrawn"  # 撤回: by the applicant, or deemed (a supplement notice unanswered)
    TERMINATED = "terminated"  # 终止: ended by the office, with its reason
    SUSPENDED = "suspended"  # 中止: halted by the office with a reason; the clocks stop


class StageStatus(StrEnum):
    WAITING = "waiting"
    OPEN = "open"
    CLOSED = "closed"


class TaskStatus(StrEnum):
    PENDING = "pending"  # in the department's queue, not yet accepted
    IN_REVIEW = "in_review"
    WAITING_APPLICANT = "waiting_applicant"
    WAITING_DATA = "waiting_data"  # a conditional-sharing request is with the owning department
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # the case ended elsewhere (a rejection in a parallel task)


class TaskKind(StrEnum):
    REVIEW = "review"  # a department decides its item
    EARLY_INTERVENTION = "early_intervention"  # 提前介入, outside the main clock
    PROMISE_CHECK = "promise_check"  # 容缺受理: checks a material promised at acceptance
    PRELIMINARY_REVIEW = "preliminary_review"  # 审核转报: a lower level reviews, then forwards


# Early-intervention tasks belong to no stage.
EARLY_INTERVENTION_STAGE = -1

OPEN_TASK_STATUSES = frozenset(
    {
        TaskStatus.PENDING,
        TaskStatus.IN_REVIEW,
        TaskStatus.WAITING_APPLICANT,
        TaskStatus.WAITING_DATA,
    }
)
CLOSED_CASE_STATUSES = frozenset(
    {
        CaseStatus.CONCLUDED,
        CaseStatus.REJECTED,
        CaseStatus.REVOKED,
        CaseStatus.WITHDRAWN,
        CaseStatus.TERMINATED,
    }
)


class Light(StrEnum):
    """亮灯: the colour of a task or case against its deadline (R-SUP-1)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"  # closed work has no light


@dataclass(frozen=True, slots=True)
class Output:
    """What a case hands out: a business licence, seals, invoices …"""

    kind: str
    number: str
    name_zh: str
    name_en: str
    item_code: str
    issued_at: datetime
    pieces: tuple[str, ...] = ()


@dataclass(slots=True)
class Supplement:
    """一次性告知: one complete list of what is missing, answered once by the applicant."""

    id: str
    task_id: str
    material_codes: tuple[str, ...]
    note: str
    requested_at: datetime
    requested_by: str
    answered_at: datetime | None = None
    answer: str = ""
    # The applicant's answer deadline (the item's catalog limit); unanswered by then, the
    # application counts as withdrawn.
    answer_due_at: datetime | None = None


@dataclass(slots=True)
class Deadline:
    """A clock with its current deadline; the deadline is stored as an absolute instant."""

    clock: TaskClock
    due_at: datetime | None = None
    provisional: bool = False


@dataclass(slots=True)
class Task:
    id: str
    case_id: str
    stage_index: int
    item_code: str
    department_code: str
    status: TaskStatus
    deadline: Deadline
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    assignee: str | None = None
    decided_by_rule: str | None = None
    kind: TaskKind = TaskKind.REVIEW
    version: int = 0
    is_new: bool = True
    dirty: bool = True

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES


@dataclass(slots=True)
class Stage:
    index: int
    code: str
    name_zh: str
    name_en: str
    lead_department_code: str
    status: StageStatus
    deadline: Deadline
    opened_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(slots=True)
class Case:
    id: str
    tracking_number: str
    subject_code: str  # bundle or item code
    catalog_version: str
    applicant_id: str  # 公民身份号码 or 统一社会信用代码
    applicant_name: str
    filed_by: str  # the applicant, or the clerk who filed on their behalf (帮办代办)
    region_code: str
    channel: str
    form: dict[str, Any]
    status: CaseStatus
    submitted_at: datetime
    deadline: Deadline
    stages: list[Stage]
    tasks: list[Task]
    supplements: list[Supplement] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    closed_at: datetime | None = None
    idempotency_key: str | None = None
    request_digest: str = ""
    # Materials promised at acceptance (容缺受理), checked before the stage their spec names.
    promises: tuple[str, ...] = ()
    # Materials replaced by a credit commitment (告知承诺); items whose committed materials
    # the catalog allows are decided at once (秒批).
    commitments: tuple[str, ...] = ()
    # Green channel (e.g. talent-card holders): shown first in every inbox.
    priority: bool = False
    # Facts the platform established at submission from registries (not typed by the
    # applicant), e.g. "applicant.credit_class"; declared conditions may test them.
    facts: dict[str, str] = field(default_factory=dict)
    # The legal record (受理 per item, commitments signed, extensions, excluded periods,
    # suspension, authorisation): see yiwang.cases.legal.
    legal: LegalRecord = field(default_factory=lambda: LegalRecord())
    version: int = 0
    is_new: bool = True
    new_events: list[CaseEvent] = field(default_factory=list)
    new_outputs: list[Output] = field(default_factory=list)

    @property
    def inputs(self) -> dict[str, Any]:
        """What declared conditions and limit variants read: the form plus the facts."""
        return {**self.form, **self.facts}

    def record(self, event: CaseEvent) -> None:
        self.new_events.append(event)

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        from yiwang.cases.errors import TaskNotFound

        raise TaskNotFound(task_id)

    def tasks_of_stage(self, index: int) -> list[Task]:
        return [task for task in self.tasks if task.stage_index == index]

    @property
    def current_stage(self) -> Stage | None:
        for stage in self.stages:
            if stage.status is StageStatus.OPEN:
                return stage
        return None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_CASE_STATUSES

    def open_supplements(self) -> list[Supplement]:
        return [s for s in self.supplements if s.answered_at is None]
