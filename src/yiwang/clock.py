"""Clocks: the real one, and a simulated one for the demo and tests (time moves when told)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SimulatedClock:
    """A clock that stands still until advanced; callable like `utc_now`."""

    now: datetime

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("SimulatedClock needs an aware datetime")

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.now = self.now + (delta or timedelta(**kwargs))
        return self.now

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("SimulatedClock needs an aware datetime")
        self.now = at
