"""`make bench`: every benchmark, detailed tables first, then one line per comparison.

Each ``bench_*.py`` runs in its own process (so one's memory does not weigh on the next);
its output is shown as it comes, and its ``NAME: yiwang X/s, PEER Y/s, ratio R`` lines are
repeated at the end so the comparisons can be read in one place.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
MODULES = ["bench_calendar", "bench_engine", "bench_licences", "bench_inspections", "bench_volume", "bench_load"]
COMPARISON = re.compile(r"^[^:]+: yiwang [\d,.]+/s, .+ [\d,.]+/s, ratio [\d.]+")


def main() -> int:
    only = set(sys.argv[1:])
    summary: list[str] = []
    failed = []
    for name in MODULES:
        if only and name not in only:
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(HERE / f"{name}.py")], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            if COMPARISON.match(line.strip()):
                summary.append(line.strip())
        if process.wait() != 0:
            failed.append(name)
        print(f"({name}: {time.perf_counter() - started:.1f} s)", flush=True)
    print("\n=== comparisons ===")
    for line in summary:
        print(line)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
