"""Working-day arithmetic: Yiwang's table lookups against the loop a user would write.

The peer is the plain loop over ``chinese_calendar.is_workday``::

    while n:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d):
            n -= 1

Start dates are random (fixed seed) in 2010-2025, so the loop never leaves the package's data.
Run: ``.venv/bin/python benchmarks/bench_calendar.py``. Target: ``add 100`` at least 1000x.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import chinese_calendar
from rich.console import Console
from rich.table import Table

from yiwang.calendar import TimeLimit, WorkingCalendar, load_default_calendar
from yiwang.calendar.official import package_official_years
from yiwang.calendar.statutory import provisional_days_off

SEED = 20260101
COUNTS = (1, 20, 100)
MIN_SECONDS = 0.5


def peer_add(start: dt.date, n: int) -> dt.date:
    day = start
    one = dt.timedelta(days=1)
    while n:
        day += one
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def random_dates(count: int, rng: random.Random) -> list[dt.date]:
    first, last = dt.date(2010, 1, 1).toordinal(), dt.date(2025, 12, 31).toordinal()
    return [dt.date.fromordinal(rng.randint(first, last)) for _ in range(count)]


def rate(call: Callable[[dt.date], object], starts: Sequence[dt.date]) -> float:
    """Calls per second, repeating the whole sample until MIN_SECONDS have passed."""
    calls, elapsed = 0, 0.0
    while elapsed < MIN_SECONDS:
        began = time.perf_counter()
        for start in starts:
            call(start)
        elapsed += time.perf_counter() - began
        calls += len(starts)
    return calls / elapsed


def build_ms(repeats: int = 20) -> float:
    """A cold build: official tables plus the lunar computations of 34 provisional years."""
    years = package_official_years()
    began = time.perf_counter()
    for _ in range(repeats):
        provisional_days_off.cache_clear()
        WorkingCalendar(years)
    return (time.perf_counter() - began) / repeats * 1000


def main() -> list[str]:
    rng = random.Random(SEED)
    calendar = load_default_calendar()
    ours_sample = random_dates(20_000, rng)
    peer_sample = random_dates(300, rng)

    for start in peer_sample:  # both must agree before either is timed
        for n in COUNTS:
            assert calendar.add_working_days(start, n).date == peer_add(start, n), (start, n)

    console = Console()
    table = Table(title="calendar: add N working days (random starts 2010-2025)")
    for column in ("operation", "yiwang calls/s", "chinese_calendar loop calls/s", "ratio"):
        table.add_column(column, justify="right" if column != "operation" else "left")
    lines: list[str] = []
    for n in COUNTS:
        ours = rate(lambda d, n=n: calendar.add_working_days(d, n), ours_sample)  # type: ignore[misc]
        peer = rate(lambda d, n=n: peer_add(d, n), peer_sample)  # type: ignore[misc]
        table.add_row(f"add {n}", f"{ours:,.0f}", f"{peer:,.0f}", f"{ours / peer:,.1f}x")
        lines.append(
            f"calendar add {n}: yiwang {ours:.0f}/s, chinese_calendar loop {peer:.0f}/s, "
            f"ratio {ours / peer:.1f}"
        )

    extra = Table(title="calendar: other operations (no peer)")
    extra.add_column("operation")
    extra.add_column("calls/s", justify="right")
    tz = ZoneInfo("Asia/Shanghai")
    instants = [dt.datetime(d.year, d.month, d.day, 10, 30, tzinfo=tz) for d in ours_sample[:5000]]
    five_days = TimeLimit.parse("5wd")
    half_day = TimeLimit.parse("0.5wd")
    pairs = list(zip(ours_sample, reversed(ours_sample), strict=True))
    measures: list[tuple[str, Callable[[], float]]] = [
        ("day_info", lambda: rate(calendar.day_info, ours_sample)),
        (
            "working_days_between",
            lambda: rate(
                lambda d: calendar.working_days_between(*pairs[d.toordinal() % 997]), ours_sample
            ),
        ),
        (
            "deadline_for 5wd",
            lambda: _rate_instants(lambda t: calendar.deadline_for(t, five_days), instants),
        ),
        (
            "deadline_for 0.5wd",
            lambda: _rate_instants(lambda t: calendar.deadline_for(t, half_day), instants),
        ),
    ]
    for name, measure in measures:
        extra.add_row(name, f"{measure():,.0f}")
    extra.add_row("build calendar 2004-2060 (ms)", f"{build_ms():.1f}")

    console.print(table)
    console.print(extra)
    for line in lines:
        print(line)
    return lines


def _rate_instants(call: Callable[[dt.datetime], object], instants: Sequence[dt.datetime]) -> float:
    calls, elapsed = 0, 0.0
    while elapsed < MIN_SECONDS:
        began = time.perf_counter()
        for instant in instants:
            call(instant)
        elapsed += time.perf_counter() - began
        calls += len(instants)
    return calls / elapsed


if __name__ == "__main__":
    main()
