"""The shape every context's errors share: a stable code and a message in both languages.

Each context keeps its own small hierarchy (CaseError, AccountError, MaterialError …) rooted
in `BilingualError`, so the edge can turn any of them into a 4xx JSON body or a one-line
message without knowing the context.
"""

from __future__ import annotations


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
