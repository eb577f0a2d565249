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
 ├── DuplicateSubmission             a concurrent submission with the same key won
 ├── IdentityNotConfirmed     (409)  a licence would name an unproved or unconsenting person
 ├── InvalidCharacters        (422)  a NUL character in what was sent
 ├── InvalidApplication       (422)  an InvalidForm with a message of its own
 ├── UnknownAction            (422)
 ├── UnknownReviewer          (422)  a transfer to someone outside the department
 ├── UnknownMaterial          (422)  an upload for a material the case does not have
 ├── UnknownAttachment        (422)  an answer citing another case's upload
 ├── CaseClosed               (409)  an upload to a concluded case
 ├── MaterialsMissing         (409)  approval while a required material is not in hand
 └── SupplementIncomplete     (422)  a supplement answer without every requested material
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
        # Actions are named "中文 english" (e.g. "退回 return"): each language its own half.
        zh, _, en = action.partition(" ")
        super().__init__(f"“{zh}”必须填写理由", f"{en or action} needs a reason")


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


class EntityNameTaken(CaseError):
    """A concurrent submission registered an enterprise of this name in the region first."""

    code = "entity_name_taken"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"企业名称“{name}”已被同时提交的另一份申请登记，请更换名称或查看已提交的申请",
            f"the name {name!r} was just registered by another submission; choose another name or check your applications",
        )


# --- refused before the engine: what an account sent does not fit the case ---------------


class InvalidCharacters(CaseError):
    """NUL characters cannot be stored (PostgreSQL text) and are never meaningful input."""

    code = "invalid_characters"

    def __init__(self, where: str) -> None:
        super().__init__(f"{where}：含有非法字符", f"{where}: contains a NUL character")


class InvalidApplication(InvalidForm):
    """The application cannot be filed as sent (region, applicant present …), with a message
    of its own rather than the form's problem count."""

    def __init__(self, message_zh: str, message_en: str, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        BilingualError.__init__(self, message_zh, message_en)


class UnknownAction(CaseError):
    code = "unknown_action"

    def __init__(self, action: str) -> None:
        super().__init__(f"未知操作 {action[:20]}", f"unknown action {action[:20]}")


class UnknownReviewer(CaseError):
    code = "unknown_reviewer"

    def __init__(self) -> None:
        self.problems = (
            FieldProblem("to_reviewer", "unknown_reviewer", "请选择本部门审核人员", "choose a reviewer of this department"),
        )
        super().__init__(
            "只能转办给本部门的审核人员", "a task can be transferred only to a reviewer of the same department"
        )


class UnknownMaterial(CaseError):
    code = "unknown_material"

    def __init__(self, material_code: str) -> None:
        self.problems = (
            FieldProblem("material_code", "unknown_material", "请从材料清单中选择", "choose from the list of materials"),
        )
        super().__init__(
            f"本事项没有材料“{material_code[:40]}”", f"this application has no material {material_code[:40]}"
        )


class UnknownAttachment(CaseError):
    code = "unknown_attachment"

    def __init__(self) -> None:
        super().__init__("附件不属于本办件", "an attachment does not belong to this case")


class CaseClosed(CaseError):
    code = "case_closed"

    def __init__(self) -> None:
        super().__init__("办件已办结，不能再上传材料", "the case is closed; no more uploads")


class MaterialsMissing(CaseError):
    code = "materials_missing"

    def __init__(self, *names: tuple[str, str]) -> None:
        """``names``: (zh, en) of each missing material."""
        self.names_zh = tuple(zh for zh, _ in names)
        super().__init__(
            "材料不齐，不能办结：" + "、".join(self.names_zh) + " 既未提交、未承诺，也未通过共享获取（可要求补正）",
            "cannot approve: required material(s) neither supplied, committed nor shared: "
            + ", ".join(en for _, en in names)
            + " (request a supplement instead)",
        )


class SupplementIncomplete(CaseError):
    code = "supplement_incomplete"

    def __init__(self, *names: tuple[str, str]) -> None:
        """``names``: (zh, en) of each requested material the answer does not carry."""
        self.names_zh = tuple(zh for zh, _ in names)
        super().__init__(
            "补正须提交告知的全部材料，尚缺：" + "、".join(self.names_zh) + "（时限仍暂停）",
            "the answer must carry every material the notice asked for; missing: "
            + ", ".join(en for _, en in names)
            + " (the clock stays stopped)",
        )
