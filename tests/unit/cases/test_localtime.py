"""User-facing times are local (the settings' zone) with their offset."""

from __future__ import annotations

from datetime import UTC, datetime

from yiwang.localtime import local_iso


def test_a_utc_instant_reads_as_shanghai_time_with_its_offset() -> None:
    # 16:12 UTC on 29 November is already 30 November in Shanghai.
    assert local_iso(datetime(2026, 11, 29, 16, 12, tzinfo=UTC)) == "2026-11-30T00:12:00+08:00"
    assert local_iso(datetime(2026, 11, 29, 16, 12, tzinfo=UTC), "minutes") == "2026-11-30T00:12+08:00"


def test_a_naive_stored_value_is_taken_as_utc() -> None:
    assert local_iso(datetime(2026, 11, 29, 16, 12)) == "2026-11-30T00:12:00+08:00"
