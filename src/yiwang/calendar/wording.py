"""How a time limit reads to people: the one definition, Chinese and English, every kind.

Every page, API answer and CLI line that shows a limit calls :func:`describe_limit` (or
:func:`describe_limit_text` for the stored canonical text), so ``12mwd`` reads "当月第12个
工作日前 / by the 12th working day of the month" everywhere and never "12个工作日".
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from yiwang.calendar.errors import InvalidTimeLimit
from yiwang.calendar.models import LimitKind, TimeLimit


class LimitWords(NamedTuple):
    """A limit in words: Chinese first, English second."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def _number(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd, 23rd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural(amount: Decimal, unit: str) -> str:
    return f"{_number(amount)} {unit}" + ("" if amount == 1 else "s")


def describe_limit(limit: TimeLimit) -> LimitWords:
    """The limit as a person reads it, e.g. ``0.5wd`` -> "0.5个工作日 / 0.5 working days"."""
    amount = limit.amount
    if limit.kind is LimitKind.INSTANT:
        return LimitWords("即办", "on the spot")
    if limit.kind is LimitKind.SAME_DAY:
        return LimitWords("当日办结", "the same working day")
    if limit.kind is LimitKind.ON_RECEIPT:
        return LimitWords("收到即备案", "on receipt")
    if limit.kind is LimitKind.WORKING_DAYS:
        return LimitWords(f"{_number(amount)}个工作日", _plural(amount, "working day"))
    if limit.kind is LimitKind.WORKING_HOURS:
        return LimitWords(f"{_number(amount)}个工作小时", _plural(amount, "working hour"))
    if limit.kind is LimitKind.MONTH_WORKING_DAY:
        n = int(amount)
        return LimitWords(f"当月第{n}个工作日前", f"by the {_ordinal(n)} working day of the month")
    if limit.kind is LimitKind.CALENDAR_DAYS:
        return LimitWords(f"{_number(amount)}日（自然日）", _plural(amount, "calendar day"))
    raise InvalidTimeLimit(  # pragma: no cover - every kind is handled above
        f"未知时限类型 {limit.kind}", f"unknown kind of limit {limit.kind}"
    )


def describe_limit_text(text: str) -> LimitWords:
    """:func:`describe_limit` of a stored canonical limit (``"12mwd"``); text that is not a
    limit is shown as it is rather than failing a page."""
    try:
        return describe_limit(TimeLimit.parse(text))
    except InvalidTimeLimit:
        return LimitWords(text, text)


__all__ = ["LimitWords", "describe_limit", "describe_limit_text"]
