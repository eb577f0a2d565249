"""Commands: what a user or the system asks the engine to do (imperative names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SubmitApplication:
    subject_code: str  # a bundle (一件事) or a single item
    applicant_id: str
    applicant_name: str
    region_code: str
    form: dict[str, Any]
    channel: str = "online"  # online | mobile | window | bank | api
    filed_by: str = ""  # the clerk who filed on the applicant's behalf, if any
    idempotency_key: str | None = None
    # 容缺受理: materials the applicant promises to supply later (codes of the items' materials).
    promised_materials: tuple[str, ...] = ()
    # 告知承诺: materials replaced by a signed credit commitment, and its text.
    commitments: tuple[str, ...] = ()
    commitment_text: str = ""
    # 代办: the applicant's 授权委托书 (its reference) and the acts it authorises.
    authorisation_ref: str = ""
    authorisation_scope: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AcceptTask:
    task_id: str
    actor: str


@dataclass(frozen=True, slots=True)
class CompleteTask:
    """Approve: the task's department decides in the applicant's favour."""

    task_id: str
    actor: str
    comment: str = ""


@dataclass(frozen=True, slots=True)
class RejectTask:
    task_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class RequestSupplement:
    """一次性告知: everything missing, at once; the clocks stop until the applicant answers."""

    task_id: str
    actor: str
    material_codes: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class RefuseAcceptance:
    """不予受理: the application is not accepted (e.g. not this office's competence)."""

    task_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class AnswerSupplement:
    case_id: str
    supplement_id: str
    actor: str
    answer: str = ""
    attachments: tuple[str, ...] = field(default_factory=tuple)
    # The material codes the answer carries (of its attachments, or handed in at the window
    # and recorded by the clerk): every material the notice asked for must be among them.
    supplied: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ReturnTask:
    """退回: back to the department's queue, unassigned, with a reason."""

    task_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class TransferTask:
    """转办: to another reviewer of the same department."""

    task_id: str
    actor: str
    to_reviewer: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class RequestSharedData:
    """有条件共享: a reviewer asks the owning department for a dataset field of a subject,
    naming the purpose; the task waits (visibly) until the owner answers."""

    task_id: str
    actor: str
    registry_field: str  # "dataset.field", e.g. "marriage.status"
    subject_id: str
    purpose: str


@dataclass(frozen=True, slots=True)
class AnswerDataRequest:
    request_id: str
    actor: str
    granted: bool
    note: str = ""


TaskCommand = (
    AcceptTask
    | CompleteTask
    | RejectTask
    | RequestSupplement
    | ReturnTask
    | TransferTask
    | RequestSharedData
)


def case_id_of_task(task_id: str) -> str:
    """Task ids are ``<case id>-T<n>``, so a task command finds its case without a lookup."""
    case_id, _, _ = task_id.rpartition("-T")
    return case_id


@dataclass(frozen=True, slots=True)
class RevokeDecision:
    """撤销: a decision found to rest on a false commitment is revoked (and its licence)."""

    case_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class ExtendTimeLimit:
    """延期 (行政许可法 Art. 42): more working days for one item, approved by the head."""

    task_id: str
    actor: str
    approved_by: str  # the head of the office (负责人) who approved
    reason: str
    working_days: int
    joint: bool = False  # joint or unified handling (联合办理、集中办理): 45 + 15


@dataclass(frozen=True, slots=True)
class StartExcludedPeriod:
    """Art. 45: a hearing, testing, appraisal or expert review; its time does not count."""

    task_id: str
    actor: str
    kind: str  # hearing | testing | appraisal | expert_review
    reason: str
    notice: str  # the written notice to the applicant (书面告知)


@dataclass(frozen=True, slots=True)
class EndExcludedPeriod:
    task_id: str
    actor: str


@dataclass(frozen=True, slots=True)
class WithdrawApplication:
    """撤回: the applicant withdraws before the decision."""

    case_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class SuspendCase:
    """中止: the office halts the case for a stated reason; the clocks stop."""

    case_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class ResumeCase:
    case_id: str
    actor: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TerminateCase:
    """终止: the office ends the case without a decision, for a stated reason."""

    case_id: str
    actor: str
    reason: str
