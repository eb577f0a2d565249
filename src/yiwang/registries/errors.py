"""Registry errors.

RegistryError
 ├── UnknownDataset      no such dataset or field in the catalog
 ├── NotShared           the dataset is not shared (不予共享)
 ├── ConditionalSharing  the dataset needs an answered sharing request first
 ├── DataRequestNotFound   (404)
 ├── DataRequestAnswered   (409)  answered twice
 ├── InvalidDataRequest    (422)  what the reviewer asked for, field by field
 ├── RefusalWithoutReason  (422)
 └── NoDataSubject         (403)  an account with no data of its own to read about
"""

from __future__ import annotations

from collections.abc import Sequence

from yiwang.identity.errors import FieldProblem


class RegistryError(Exception):
    code = "registry_error"

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


class UnknownDataset(RegistryError):
    code = "unknown_dataset"


class NotShared(RegistryError):
    code = "not_shared"


class ConditionalSharing(RegistryError):
    code = "sharing_request_required"


# --- data sharing requests and reads (the use cases in registries/sharing.py) ----------------


class DataRequestNotFound(RegistryError):
    code = "data_request_not_found"

    def __init__(self, request_id: str) -> None:
        super().__init__(f"共享申请 {request_id[:60]} 不存在", f"no sharing request {request_id[:60]}")


class DataRequestAnswered(RegistryError):
    code = "already_answered"

    def __init__(self) -> None:
        super().__init__("该共享申请已答复", "the request was already answered")


class InvalidDataRequest(RegistryError):
    code = "invalid_data_request"

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("共享申请有误", "the sharing request is not valid")


class RefusalWithoutReason(RegistryError):
    code = "reason_required"

    def __init__(self) -> None:
        self.problems = (FieldProblem("note", "required", "请填写拒绝理由", "give the reason for the refusal"),)
        super().__init__("拒绝共享须说明理由", "a refusal needs a reason")


class NoDataSubject(RegistryError):
    code = "no_subject"

    def __init__(self) -> None:
        super().__init__(
            "只有个人或企业账号可以查看自己的数据被查阅记录", "only a person's or an enterprise's account has reads of its data"
        )
