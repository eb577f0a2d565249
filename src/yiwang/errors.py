"""The shape every context's errors share: a stable code and a message in both languages.

Each context keeps its own small hierarchy (CaseError, AccountError, MaterialError …) rooted
in `BilingualError`, so the edge can turn any of them into a 4xx JSON body or a one-line
message without knowing the context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # identity.errors builds on this module
    from yiwang.identity.errors import FieldProblem


class BilingualError(Exception):
    code = "error"
    message_zh = "出错了"
    message_en = "error"

    def __init__(self, message_zh: str | None = None, message_en: str | None = None) -> None:
        if message_zh is not None:
            self.message_zh = message_zh
        if message_en is not None:
            self.message_en = message_en
        super().__init__(f"{self.message_zh} / {self.message_en}")


class Refused(BilingualError):
    """A request a use case refuses for a reason no context error names (a NUL character in a
    field, an unknown action, a closed case …): it carries the status the edge answers with,
    so the use case stays free of any web framework."""

    def __init__(
        self, status: int, code: str, message_zh: str, message_en: str, problems: Sequence[FieldProblem] = ()
    ) -> None:
        self.status = status
        self.code = code
        self.problems = tuple(problems)
        super().__init__(message_zh, message_en)
