"""Case-engine errors; the edge turns each into an HTTP status or exit code.

CaseError
 ├── CaseNotFound             (404)  no such case, or not visible to the caller
 ├── TaskNotFound             (404)
 ├── InvalidForm              (422)  every problem of the form, field by field
 ├── InvalidAction            (409)  the action does not fit the task's state
 ├── ReasonRequired           (422)  reject / return / supplement without a reason
 ├── ConcurrentUpdate         (409)  someone else changed the case first
 ├── IdempotencyKeyReused     (409)  same key, different application
 ├── EntityNameTaken          (409)  a concurrent submission registered the same name first
 └── DuplicateSubmission             a concurrent submission with the same key won
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


class EntityNameTaken(CaseError):
    """A concurrent submission registered an enterprise of this name in the region first."""

    code = "entity_name_taken"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"企业名称“{name}”已被同时提交的另一份申请登记，请更换名称或查看已提交的申请",
            f"the name {name!r} was just registered by another submission; choose another name or check your applications",
        )
