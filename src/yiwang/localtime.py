"""The zone every user-facing time is shown in: the settings' timezone (Asia/Shanghai by
default), set once by bootstrap. Instants are stored in UTC; a person reads local time with
its offset (``2026-11-30T09:30:00+08:00``), in the API, the CLI and the case numbers alike."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"
# One process serves one province: bootstrap sets the zone from the settings before any
# request or command runs, and nothing changes it afterwards.
_zone = ZoneInfo(DEFAULT_ZONE)


def set_display_zone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def display_zone() -> ZoneInfo:
    return _zone


def local(at: datetime) -> datetime:
    """``at`` in the display zone; a naive value is taken as UTC (as the database stores it)."""
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(_zone)


def local_iso(at: datetime, timespec: str = "seconds") -> str:
    return local(at).isoformat(timespec=timespec)
