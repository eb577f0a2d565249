"""CPU time of a running server (its process tree), of the PostgreSQL backends connected to
it (found by their client ports) and of this process, read from /proc: what the benchmarks
report besides wall time, since the 2-core machine they run on is shared and its wall
throughput swings with whatever else runs. PostgreSQL's own background processes (WAL
writer, checkpointer) are not counted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime


def process_tree(root: int) -> list[int]:
    pids, queue = [], [root]
    while queue:
        pid = queue.pop()
        pids.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            queue += [int(child) for child in task.read_text().split()]
    return pids


def local_ports(pids: list[int]) -> set[int]:
    """The local TCP ports of the processes' sockets (their connections to PostgreSQL)."""
    inodes = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            if parts[9] in inodes and parts[2].endswith(":1538"):  # remote port 5432
                ports.add(int(parts[1].rsplit(":", 1)[1], 16))
    return ports


class Meter:
    """CPU of the server tree and its PostgreSQL backends, and of this (client) process.

    `sample` is called at the start, every second or so during the run, and at the end: a
    process seen in any sample counts with the CPU it had at its last one (since its first,
    or all of it if it started after the first sample), so a server worker that uvicorn
    replaces, or a pooled connection that closes, loses at most the last second."""

    def __init__(self, server_pid: int, database_url: str) -> None:
        self.server_pid = server_pid
        self.monitor = psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True)
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.samples = 0
        self.server_pids: set[int] = set()

    def snapshot(self) -> dict[str, dict[int, float]]:
        servers = process_tree(self.server_pid)
        ports = sorted(local_ports(servers))
        backends = [
            row[0]
            for row in self.monitor.execute(
                "SELECT pid FROM pg_stat_activity WHERE client_port = ANY(%s)", (ports,)
            ).fetchall()
        ]
        return {
            "server": {pid: cpu_ms(pid) for pid in servers},
            "postgres": {pid: cpu_ms(pid) for pid in backends},
            "client": {0: time.process_time() * 1000},
        }

    def sample(self) -> None:
        for part, values in self.snapshot().items():
            for pid, ms in values.items():
                key = (part, pid)
                if key not in self.first:
                    self.first[key] = ms if self.samples == 0 else 0.0
                self.last[key] = ms
                if part == "server":
                    self.server_pids.add(pid)
        self.samples += 1

    def spent(self) -> dict[str, float]:
        totals = {"server": 0.0, "postgres": 0.0, "client": 0.0}
        for key, ms in self.last.items():
            totals[key[0]] += ms - self.first[key]
        return totals

    @staticmethod
    def difference(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
        """CPU between two snapshots of processes that live through both (short phases)."""
        return {
            part: sum(ms - before[part].get(pid, 0.0) for pid, ms in after[part].items())
            for part in after
        }
