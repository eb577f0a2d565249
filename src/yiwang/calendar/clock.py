"""A task clock that stops and resumes (R-CAL-2), as a pure value object.

Design. The limit's rule (e.g. "close of the 5th working day after acceptance") is applied
once, from ``started_at``, to get the clock's *budget*: the working seconds between
``started_at`` and that deadline. Time is then consumed only while the clock runs; pauses
(补正 - the applicant correcting materials, early-intervention work) do not count. While
running::

    due = add_working_seconds(anchor_at, budget - used_seconds)

where ``anchor_at`` is when the current run began and ``used_seconds`` the working seconds of
the runs before it. Without pauses this is exactly ``deadline_for(started_at, limit)``.

The budget is NOT stored: it is recomputed from ``started_at`` and the limit with the calendar
passed in, so when an administrator loads the next official year and a task's deadline had
been provisional, ``clock.due(new_calendar)`` is simply right. ``used_seconds`` is measured
over past runs; :meth:`TaskClock.replay` rebuilds it from the pause/resume history when even
those runs fell on provisional days.

When the budget is already spent at a pause (paused after the deadline), ``due`` on resume lies
before the resume instant, ``working_seconds_between(due, now)`` being the working time the
task is overdue.

What the case engine stores per task: ``limit`` (``str(limit)``), ``started_at``,
``anchor_at``, ``paused_at``, ``used_seconds`` - plus ``due_at`` from :meth:`TaskClock.due`
for range scans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from yiwang.calendar.errors import ClockStateError, InvalidArgument
from yiwang.calendar.models import InstantAnswer, TimeLimit
from yiwang.calendar.services import WorkingCalendar


def _aware(at: dt.datetime | None, what: str) -> None:
    if at is not None and (at.tzinfo is None or at.utcoffset() is None):
        raise InvalidArgument(
            f"{what} 须带时区：{at.isoformat()}", f"{what} must be timezone-aware: {at.isoformat()}"
        )


@dataclass(frozen=True)
class TaskClock:
    """A stoppable clock. Exactly one of ``anchor_at`` (running) and ``paused_at`` is set."""

    limit: TimeLimit
    started_at: dt.datetime
    anchor_at: dt.datetime | None
    paused_at: dt.datetime | None = None
    used_seconds: int = 0

    def __post_init__(self) -> None:
        for name in ("started_at", "anchor_at", "paused_at"):
            _aware(getattr(self, name), name)
        if (self.anchor_at is None) == (self.paused_at is None):
            raise ClockStateError(
                "计时器须要么在运行（anchor_at）要么已暂停（paused_at）",
                "a clock is either running (anchor_at) or paused (paused_at), exactly one",
            )
        if self.used_seconds < 0:
            raise ClockStateError(
                f"已用工作时间不能为负：{self.used_seconds}",
                f"used working seconds must not be negative: {self.used_seconds}",
            )

    # ------------------------------------------------------------------ transitions

    @classmethod
    def start(cls, at: dt.datetime, limit: TimeLimit) -> TaskClock:
        return cls(limit=limit, started_at=at, anchor_at=at)

    @classmethod
    def replay(
        cls,
        started_at: dt.datetime,
        limit: TimeLimit,
        pauses: Iterable[tuple[dt.datetime, dt.datetime | None]],
        calendar: WorkingCalendar,
    ) -> TaskClock:
        """Rebuild a clock from its history: ``pauses`` are (paused at, resumed at or None)
        in order; only the last may be unresumed."""
        clock = cls.start(started_at, limit)
        for paused_at, resumed_at in pauses:
            clock = clock.pause(paused_at, calendar)
            if resumed_at is not None:
                clock = clock.resume(resumed_at, calendar)
        return clock

    @property
    def is_running(self) -> bool:
        return self.anchor_at is not None

    def pause(self, at: dt.datetime, calendar: WorkingCalendar) -> TaskClock:
        anchor = self.anchor_at
        if anchor is None:
            raise ClockStateError(
                f"计时器已于 {self.paused_at} 暂停",
                f"the clock is already paused since {self.paused_at}",
            )
        _aware(at, "暂停时刻 pause instant")
        if at < anchor:
            raise ClockStateError(
                f"暂停时刻 {at.isoformat()} 早于计时开始 {anchor.isoformat()}",
                f"pause at {at.isoformat()} is before the clock ran from {anchor.isoformat()}",
            )
        used = self.used_seconds + calendar.working_seconds_between(anchor, at)
        return replace(self, anchor_at=None, paused_at=at, used_seconds=used)

    def resume(self, at: dt.datetime, calendar: WorkingCalendar) -> TaskClock:
        paused = self.paused_at
        if paused is None:
            raise ClockStateError(
                "计时器正在运行，无需恢复", "the clock is running; nothing to resume"
            )
        _aware(at, "恢复时刻 resume instant")
        if at < paused:
            raise ClockStateError(
                f"恢复时刻 {at.isoformat()} 早于暂停时刻 {paused.isoformat()}",
                f"resume at {at.isoformat()} is before the pause at {paused.isoformat()}",
            )
        calendar.working_seconds_between(at, at)  # the instant must lie inside the calendar
        return replace(self, anchor_at=at, paused_at=None)

    # ------------------------------------------------------------------ questions

    def budget_seconds(self, calendar: WorkingCalendar) -> int:
        """Working seconds the limit grants from ``started_at`` under ``calendar``."""
        deadline = calendar.deadline_for(self.started_at, self.limit)
        return calendar.working_seconds_between(self.started_at, deadline.at)

    def due(self, calendar: WorkingCalendar) -> InstantAnswer | None:
        """When the limit runs out if the clock keeps running; None while paused."""
        anchor = self.anchor_at
        if anchor is None:
            return None
        deadline = calendar.deadline_for(self.started_at, self.limit)
        if self.used_seconds == 0 and anchor == self.started_at:
            return deadline
        budget = calendar.working_seconds_between(self.started_at, deadline.at)
        answer = calendar.add_working_seconds(anchor, budget - self.used_seconds)
        return InstantAnswer(answer.at, answer.provisional or deadline.provisional)

    def used_working_seconds(self, now: dt.datetime, calendar: WorkingCalendar) -> int:
        """Working seconds consumed up to ``now``, pauses excluded (a ``now`` before the
        current run began adds nothing)."""
        anchor = self.anchor_at
        if anchor is None:
            return self.used_seconds
        return self.used_seconds + max(0, calendar.working_seconds_between(anchor, now))

    def remaining_working_seconds(self, now: dt.datetime, calendar: WorkingCalendar) -> int:
        """Budget minus used working time at ``now``; negative once overdue."""
        return self.budget_seconds(calendar) - self.used_working_seconds(now, calendar)
