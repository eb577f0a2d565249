"""Case-engine errors; the edge turns each into an HTTP status or exit code.

CaseError
 ├── CaseNotFound             (404)  no such case, or not visible to the caller
 ├── TaskNotFound             (404)
 ├── InvalidForm              (422)  every problem of the form, field by field
 ├── InvalidAction            (409)  the action does not fit the task's state
 ├── ReasonRequired           (422)  reject / return / supplement without a reason
 ├── ConcurrentUpdate         (409)  someone else changed the case first
 ├── IdempotencyKeyReused     (409)  same key, different application
 ├── DuplicateSubmission             a concurrent submission with the same key won
 └── IdentityNotConfirmed     (409)  a licence would name an unproved or unconsenting person
"""

from __future__ import annotations

from collections.abc import Sequence

from yiwang.errors import BilingualError
from yiwang.identity.errors import FieldProblem


class CaseError(BilingualError):
    code = "case_error"
    message_zh = "办件处理出错"
    message_en = "case error"


class CaseNotFound(CaseError):
    code = "case_not_found"

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"办件 {case_id} 不存在", f"case {case_id} not found")


class TaskNotFound(CaseError):
    code = "task_not_found"

    def __init__(self, task_id: str) -> None:
        self.task_id = task_id
        super().__init__(f"任务 {task_id} 不存在", f"task {task_id} not found")


class InvalidForm(CaseError):
    code = "invalid_form"

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            f"表单有 {len(self.problems)} 处问题："
            + "；".join(p.message_zh for p in self.problems),
            f"the form has {len(self.problems)} problem(s): "
            + "; ".join(f"{p.field}: {p.message_en}" for p in self.problems),
        )


class InvalidAction(CaseError):
    code = "invalid_action"

    def __init__(self, task_id: str, action: str, status: str) -> None:
        self.task_id = task_id
        super().__init__(
            f"任务 {task_id} 当前状态（{status}）不能执行“{action}”",
            f"task {task_id} in status {status} does not allow {action}",
        )


class ReasonRequired(CaseError):
    code = "reason_required"

    def __init__(self, action: str) -> None:
        super().__init__(f"“{action}”必须填写理由", f"{action} needs a reason")


class ConcurrentUpdate(CaseError):
    code = "conflict"

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            f"办件 {case_id} 已被他人更新，请刷新后重试",
            f"case {case_id} was changed by someone else; reload and retry",
        )


class IdempotencyKeyReused(CaseError):
    code = "idempotency_key_reused"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"提交标识 {key} 已用于另一份不同的申请",
            f"idempotency key {key} was already used for a different application",
        )


class DuplicateSubmission(CaseError):
    """The idempotency key was inserted concurrently; the caller returns the other case."""

    code = "duplicate_submission"


class IdentityNotConfirmed(CaseError):
    """A licence would name a person the registry does not back, or one who has not
    confirmed (consent); nothing is issued in their name (409 at the edge)."""

    code = "identity_not_confirmed"

    def __init__(self, case_id: str, fields: list[str]) -> None:
        self.case_id = case_id
        self.fields = fields
        names = "、".join(fields)
        super().__init__(
            f"申请所列人员（{names}）的身份未经人口库核验一致或本人尚未确认，不能签发证照；请退回补正或不予许可",
            f"the people named in the application ({', '.join(fields)}) are not backed by the population registry "
            "or have not confirmed; no licence can be issued. Request a supplement or reject",
        )
