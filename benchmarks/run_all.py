"""`make bench`: every benchmark, detailed tables first, then one line per comparison.

Each ``bench_*.py`` module has ``main()``; the ones that compare with a peer return their
``NAME: yiwang X/s, PEER Y/s, ratio R`` lines, repeated here at the end so the comparisons
can be read (and copied into docs/benchmarks.md) in one place.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

MODULES = ["bench_calendar", "bench_engine", "bench_licences", "bench_inspections"]


def main() -> None:
    summary: list[str] = []
    only = set(sys.argv[1:])
    for name in MODULES:
        if only and name not in only:
            continue
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(name)
        lines = module.main()
        summary.extend(line for line in (lines or []) if isinstance(line, str))
        print(f"({name}: {time.perf_counter() - started:.1f} s)", flush=True)
    print("\n=== comparisons ===")
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
