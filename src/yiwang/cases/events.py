"""What happened to a case: one frozen dataclass per kind of event (the case's history).

Every event carries the envelope the history table stores in columns (when, who, which task,
the reason given) and its own typed fields. `CaseEvent.data` is the stored JSON form of those
fields, the shape history rows have always had, and `event_from_record` reads a row back into
its class, so rows written before the events were typed read as they are (no migration).

Events are recorded through `Case.record` and read by matching on their class (the style of
`credit.models`' events). A field's JSON key is its name unless its metadata names another
(``from`` is a Python keyword); an optional field marked ``omit_none`` is left out of the JSON
when empty, as the untyped rows left it out.
"""

from __future__ import annotations

import dataclasses
import types
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any, ClassVar, Union, get_args, get_origin, get_type_hints


class EventKind(StrEnum):
    APPLICATION_SUBMITTED = "ApplicationSubmitted"
    STAGE_OPENED = "StageOpened"
    STAGE_CLOSED = "StageClosed"
    TASK_OPENED = "TaskOpened"
    TASK_ACCEPTED = "TaskAccepted"
    TASK_COMPLETED = "TaskCompleted"
    TASK_REJECTED = "TaskRejected"
    TASK_CANCELLED = "TaskCancelled"
    TASK_RETURNED = "TaskReturned"
    TASK_TRANSFERRED = "TaskTransferred"
    AUTOMATIC_DECISION = "AutomaticDecision"
    AUTOMATIC_DECISION_WITHHELD = "AutomaticDecisionWithheld"
    SUPPLEMENT_REQUESTED = "SupplementRequested"
    SUPPLEMENT_ANSWERED = "SupplementAnswered"
    OUTPUT_ISSUED = "OutputIssued"
    CASE_CONCLUDED = "CaseConcluded"
    CASE_REJECTED = "CaseRejected"
    DEADLINE_MISSED = "DeadlineMissed"
    DEADLINE_RECOMPUTED = "DeadlineRecomputed"
    ITEMS_SKIPPED = "ItemsSkipped"
    DECISION_REVOKED = "DecisionRevoked"
    JOINT_OPINION = "JointOpinion"
    LICENCE_ISSUED = "LicenceIssued"
    LICENCE_REVOKED = "LicenceRevoked"
    DATA_REQUESTED = "DataRequested"
    DATA_ANSWERED = "DataAnswered"
    # 督办: a supervisor's note on an open task, shown to the handling department.
    SUPERVISION_NOTE = "SupervisionNote"
    # The legal flow (行政许可法): acceptance, its refusal, the clock's extensions and stops.
    APPLICATION_ACCEPTED = "ApplicationAccepted"
    APPLICATION_NOT_ACCEPTED = "ApplicationNotAccepted"
    CASE_WITHDRAWN = "CaseWithdrawn"
    CASE_TERMINATED = "CaseTerminated"
    CASE_SUSPENDED = "CaseSuspended"
    CASE_RESUMED = "CaseResumed"
    TIME_LIMIT_EXTENDED = "TimeLimitExtended"
    EXCLUDED_PERIOD_STARTED = "ExcludedPeriodStarted"
    EXCLUDED_PERIOD_ENDED = "ExcludedPeriodEnded"
    COMMITMENT_SIGNED = "CommitmentSigned"
    AUTHORISATION_RECORDED = "AuthorisationRecorded"


SYSTEM_ACTOR = "system"


def _key(name: str) -> dict[str, str]:
    return {"key": name}


_OMIT_NONE = {"omit_none": True}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseEvent:
    """The envelope every event has; subclasses add their own fields."""

    kind: ClassVar[EventKind]
    at: datetime
    actor: str = SYSTEM_ACTOR
    task_id: str | None = None
    reason: str = ""

    @property
    def data(self) -> dict[str, Any]:
        """The event's own fields in their stored JSON form."""
        data: dict[str, Any] = {}
        for spec in _payload_fields(type(self)):
            value = getattr(self, spec.name)
            if value is None and spec.metadata.get("omit_none"):
                continue
            data[spec.metadata.get("key", spec.name)] = _encode(value)
        return data


# --- parts of events ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class MaterialRef:
    code: str
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class OutputRef:
    kind: str
    number: str


# --- submission and stages ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationSubmitted(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.APPLICATION_SUBMITTED
    subject: str
    channel: str
    catalog_version: str
    due_at: datetime | None
    provisional: bool
    on_behalf_of: str | None = None  # the applicant, when a clerk filed for them


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class StageOpened(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.STAGE_OPENED
    stage: str
    due_at: datetime | None
    provisional: bool


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class StageClosed(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.STAGE_CLOSED
    stage: str
    working_hours_used: float


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ItemsSkipped(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.ITEMS_SKIPPED
    stage: str
    items: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class JointOpinion(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.JOINT_OPINION
    stage: str
    departments: tuple[str, ...]


# --- tasks --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TaskOpened(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TASK_OPENED
    item: str
    task_kind: str = dataclasses.field(metadata=_key("kind"))
    department: str
    limit: str
    due_at: datetime | None
    provisional: bool


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TaskAccepted(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TASK_ACCEPTED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TaskCompleted(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TASK_COMPLETED
    working_hours_used: float
    rule: str | None
    overdue: bool


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TaskRejected(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TASK_REJECTED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TaskCancelled(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TASK_CANCELLED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TaskReturned(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TASK_RETURNED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TaskTransferred(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TASK_TRANSFERRED
    previous: str | None = dataclasses.field(metadata=_key("from"))
    to: str | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AutomaticDecision(CaseEvent):
    """Decided at once by a declared rule: its conditions, the proofs a signed commitment
    replaced and the registry reads that justified it. Rows written before commitments
    needed a rule hold ``mode`` and ``materials`` instead (a decision on the commitment)."""

    kind: ClassVar[EventKind] = EventKind.AUTOMATIC_DECISION
    rule: str
    rule_en: str | None = dataclasses.field(default=None, metadata=_OMIT_NONE)
    conditions: tuple[str, ...] | None = dataclasses.field(default=None, metadata=_OMIT_NONE)
    committed_materials: tuple[str, ...] | None = dataclasses.field(
        default=None, metadata=_OMIT_NONE
    )
    # field -> {"value", "source"} of each fact a condition read
    evidence: dict[str, dict[str, str]] | None = dataclasses.field(
        default=None, metadata=_OMIT_NONE
    )
    mode: str | None = dataclasses.field(default=None, metadata=_OMIT_NONE)
    materials: tuple[str, ...] | None = dataclasses.field(default=None, metadata=_OMIT_NONE)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AutomaticDecisionWithheld(CaseEvent):
    """A rule would decide, but an identity or a proof is not backed by the registries (or a
    named person has not confirmed): a person reviews the task instead."""

    kind: ClassVar[EventKind] = EventKind.AUTOMATIC_DECISION_WITHHELD
    reasons: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SupplementRequested(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.SUPPLEMENT_REQUESTED
    supplement_id: str
    materials: tuple[MaterialRef, ...]
    # What the notice tells the applicant under the legal flow: the answer deadline and what
    # happens after it (absent from notices recorded before).
    answer_due_at: datetime | None = dataclasses.field(default=None, metadata=_OMIT_NONE)
    answer_limit: str | None = dataclasses.field(default=None, metadata=_OMIT_NONE)
    if_unanswered: str | None = dataclasses.field(default=None, metadata=_OMIT_NONE)
    legal_basis: str | None = dataclasses.field(default=None, metadata=_OMIT_NONE)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SupplementAnswered(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.SUPPLEMENT_ANSWERED
    supplement_id: str
    attachments: tuple[str, ...]
    task_due_at: datetime | None
    case_due_at: datetime | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class OutputIssued(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.OUTPUT_ISSUED
    output_kind: str = dataclasses.field(metadata=_key("kind"))
    number: str
    name: str
    pieces: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DataRequested(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.DATA_REQUESTED
    request_id: str
    registry_field: str
    dataset: str
    owner_department: str
    due_at: datetime
    provisional: bool


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DataAnswered(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.DATA_ANSWERED
    request_id: str
    granted: bool


# --- the end of a case --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseConcluded(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.CASE_CONCLUDED
    working_hours_used: float
    overdue: bool
    outputs: tuple[OutputRef, ...]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseRejected(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.CASE_REJECTED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DecisionRevoked(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.DECISION_REVOKED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LicenceIssued(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.LICENCE_ISSUED
    item: str
    identifier: str
    licence_kind: str = dataclasses.field(metadata=_key("kind"))
    holder: str
    issuer: str
    key_id: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LicenceRevoked(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.LICENCE_REVOKED
    identifier: str


# --- clocks -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SupervisionNote(CaseEvent):
    """督办: the note is the event's reason; the task is the one supervised."""

    kind: ClassVar[EventKind] = EventKind.SUPERVISION_NOTE


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineMissed(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.DEADLINE_MISSED
    due_at: datetime


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineRecomputed(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.DEADLINE_RECOMPUTED
    scope: str  # "case", "stage:<code>" or "task"
    before: datetime | None
    after: datetime | None
    was_provisional: bool
    provisional: bool


# --- the legal flow (行政许可法): acceptance, the clock's extensions and stops, the end ----


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationAccepted(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.APPLICATION_ACCEPTED
    mode: str  # an `AcceptanceMode` value
    item: str
    received_at: datetime
    accepted_at: datetime
    task_due_at: datetime | None
    legal_basis: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationNotAccepted(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.APPLICATION_NOT_ACCEPTED
    item: str
    legal_basis: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseWithdrawn(CaseEvent):
    """By the applicant (``deemed`` False), or deemed when a supplement notice went
    unanswered past its deadline (``deemed`` True, with the notice)."""

    kind: ClassVar[EventKind] = EventKind.CASE_WITHDRAWN
    supplement_id: str | None = dataclasses.field(default=None, metadata=_OMIT_NONE)
    deemed: bool | None = dataclasses.field(default=None, metadata=_OMIT_NONE)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseTerminated(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.CASE_TERMINATED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseSuspended(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.CASE_SUSPENDED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CaseResumed(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.CASE_RESUMED


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TimeLimitExtended(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.TIME_LIMIT_EXTENDED
    working_days: int
    approved_by: str
    joint: bool
    cap: int
    due_at_before: datetime | None
    due_at: datetime | None
    legal_basis: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ExcludedPeriodStarted(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.EXCLUDED_PERIOD_STARTED
    period_id: str
    period_kind: str = dataclasses.field(metadata=_key("kind"))
    kind_name: str
    notice: str
    max_working_days: int
    ends_by: datetime
    legal_basis: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ExcludedPeriodEnded(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.EXCLUDED_PERIOD_ENDED
    period_id: str
    period_kind: str = dataclasses.field(metadata=_key("kind"))
    working_days_used: float


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CommitmentSigned(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.COMMITMENT_SIGNED
    item: str
    materials: tuple[MaterialRef, ...]
    text: str
    basis: str
    note: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class AuthorisationRecorded(CaseEvent):
    kind: ClassVar[EventKind] = EventKind.AUTHORISATION_RECORDED
    agent: str
    scope: tuple[str, ...]
    on_behalf_of: str


# --- stored form --------------------------------------------------------------------------


EVENT_TYPES: tuple[type[CaseEvent], ...] = (
    SupervisionNote,
    ApplicationSubmitted,
    StageOpened,
    StageClosed,
    ItemsSkipped,
    JointOpinion,
    TaskOpened,
    TaskAccepted,
    TaskCompleted,
    TaskRejected,
    TaskCancelled,
    TaskReturned,
    TaskTransferred,
    AutomaticDecision,
    AutomaticDecisionWithheld,
    SupplementRequested,
    SupplementAnswered,
    OutputIssued,
    DataRequested,
    DataAnswered,
    CaseConcluded,
    CaseRejected,
    DecisionRevoked,
    LicenceIssued,
    LicenceRevoked,
    DeadlineMissed,
    DeadlineRecomputed,
    ApplicationAccepted,
    ApplicationNotAccepted,
    CaseWithdrawn,
    CaseTerminated,
    CaseSuspended,
    CaseResumed,
    TimeLimitExtended,
    ExcludedPeriodStarted,
    ExcludedPeriodEnded,
    CommitmentSigned,
    AuthorisationRecorded,
)


def _by_kind() -> dict[EventKind, type[CaseEvent]]:
    by_kind = {cls.kind: cls for cls in EVENT_TYPES}
    if len(by_kind) != len(EVENT_TYPES) or set(by_kind) != set(EventKind):
        # A new kind needs its class here; checked at import, so no row can go unread.
        raise TypeError("each event kind needs exactly one class in EVENT_TYPES")
    return by_kind


_BY_KIND = _by_kind()


_ENVELOPE = frozenset({"at", "actor", "task_id", "reason"})


_FIELDS: dict[type, tuple[dataclasses.Field[Any], ...]] = {}
_HINTS: dict[type, dict[str, Any]] = {}


def _payload_fields(cls: type[CaseEvent]) -> tuple[dataclasses.Field[Any], ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f for f in dataclasses.fields(cls) if f.name not in _ENVELOPE)
    return _FIELDS[cls]


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [arg for arg in get_args(hint) if arg is not type(None)]
        return _decode(inner[0], value)
    if origin is tuple:
        return tuple(_decode(get_args(hint)[0], v) for v in value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        parts = _hints(hint)
        return hint(**{name: _decode(parts[name], value.get(name)) for name in parts})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    return value


def event_from_record(
    kind: str,
    *,
    at: datetime,
    actor: str,
    task_id: str | None,
    reason: str,
    data: dict[str, Any],
) -> CaseEvent:
    """A stored history row as its typed event. A key an older row lacks takes the field's
    default, or None."""
    cls = _BY_KIND[EventKind(kind)]
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for spec in _payload_fields(cls):
        key = spec.metadata.get("key", spec.name)
        if key in data:
            values[spec.name] = _decode(hints[spec.name], data[key])
        elif spec.default is dataclasses.MISSING:
            values[spec.name] = None
    return cls(at=at, actor=actor, task_id=task_id, reason=reason, **values)
