"""Clocks as JSON, for the ``clock`` columns of cases and tasks (and stages inside cases)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from yiwang.calendar import TaskClock, TimeLimit


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def clock_to_json(clock: TaskClock) -> dict[str, Any]:
    return {
        "limit": str(clock.limit),
        "started_at": clock.started_at.isoformat(),
        "anchor_at": _iso(clock.anchor_at),
        "paused_at": _iso(clock.paused_at),
        "used": clock.used_seconds,
    }


@lru_cache(maxsize=256)
def _limit(text: str) -> TimeLimit:
    # A handful of distinct limits exist; parsing each once keeps case loading cheap.
    return TimeLimit.parse(text)


def parse_limit(text: str) -> TimeLimit:
    return _limit(text)


def clock_from_json(data: dict[str, Any]) -> TaskClock:
    return TaskClock(
        limit=_limit(data["limit"]),
        started_at=datetime.fromisoformat(data["started_at"]),
        anchor_at=_dt(data["anchor_at"]),
        paused_at=_dt(data["paused_at"]),
        used_seconds=int(data["used"]),
    )
