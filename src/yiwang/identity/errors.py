"""Errors and problem reports of the identity context.

Hierarchy::

    IdentityError                      root of everything raised here
    ├── InvalidIdentifier              user input that is not a valid identifier (also ValueError)
    │   ├── InvalidIdNumber            公民身份号码 (GB 11643)
    │   ├── InvalidCreditCode          统一社会信用代码 (GB 32100)
    │   └── InvalidPhoneNumber         mobile phone number
    ├── AllocationError                a code cannot be allocated from these inputs (ValueError)
    ├── UnknownRegion                  a region code that the region tree does not hold (KeyError)
    └── IdentityDataError              a shipped data file (regions, scope, words) is malformed

Validators that check a whole form do not raise: they return every problem at once as
``FieldProblem`` values, so an applicant sees all of them in one notice (一次性告知).
User-facing text is Chinese first, then English.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AllocationError",
    "FieldProblem",
    "IdentityDataError",
    "IdentityError",
    "InvalidCreditCode",
    "InvalidIdNumber",
    "InvalidIdentifier",
    "InvalidPhoneNumber",
    "Problem",
    "UnknownRegion",
]


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one field of a form, in the shape every validator returns.

    ``code`` is a stable machine-readable key (e.g. ``"prohibited_word"``) that tests, the API
    and translations rely on; the messages are for people.
    """

    field: str
    code: str
    message_zh: str
    message_en: str

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


#: The name the brief uses for the problems of one field; the same type as ``FieldProblem``.
Problem = FieldProblem


class IdentityError(Exception):
    """Root of the identity context's exceptions."""


class InvalidIdentifier(IdentityError, ValueError):
    """An identifier typed by a user is not valid; carries a stable ``code`` and both messages."""

    def __init__(
        self,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        value: str = "",
        expected: str | None = None,
    ) -> None:
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        #: the offending input, already masked where it is personal data
        self.value = value
        #: the correct check character, when the problem is a wrong check character
        self.expected = expected
        super().__init__(f"{message_zh} / {message_en}")

    def to_problem(self, field: str) -> FieldProblem:
        """This error as a ``FieldProblem`` of ``field`` (for form validators)."""
        return FieldProblem(field, self.code, self.message_zh, self.message_en)


class InvalidIdNumber(InvalidIdentifier):
    """Not a valid 公民身份号码 (citizen identity number, GB 11643)."""


class InvalidCreditCode(InvalidIdentifier):
    """Not a valid 统一社会信用代码 (unified social credit code, GB 32100)."""


class InvalidPhoneNumber(InvalidIdentifier):
    """Not a valid mainland mobile phone number."""


class AllocationError(IdentityError, ValueError):
    """An identifier cannot be built from the given parts (a programming or data error)."""


class UnknownRegion(IdentityError, KeyError):
    """A region code that the region tree does not hold."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:
        return f"未知的行政区划代码 {self.code!r} / unknown region code {self.code!r}"


class IdentityDataError(IdentityError):
    """A data file (regions, business scope, prohibited words) is malformed.

    Lists every problem found, each naming the entry, so the file can be fixed in one pass.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            f"{source}: 数据文件有 {len(self.problems)} 处错误 / "
            f"{len(self.problems)} problem(s) in data file:\n{lines}"
        )
