"""Benchmark: the verifiable double-random draw over a province-sized roster (R-INSP-1/3).

A roster of 14 million enterprises (the order of a large province's market entities) in four
credit-class strata is built in memory. Then, in the same run and on the same roster:

* ``yiwang``: :func:`yiwang.inspections.draw.select_enterprises` — eligibility rules, keyed
  ranking of every eligible enterprise (algorithm ``yiwang-draw-v1``) and exact-k selection;
* ``numpy stratified``: the same eligibility, then ``Generator.choice(idx, k, replace=False)``
  per stratum (not verifiable: nobody can re-run it from published data);
* ``numpy weighted``: ``Generator.choice(n, K, replace=False, p=rate of the class)``.

Reported separately: inspector assignment for the drawn enterprises, canonical roster
serialisation + SHA-256 (the pre-published roster hash), and a full verification from the
published file (parse + hash + re-draw). Peak memory is measured in a fresh subprocess per
stage (``ru_maxrss``) and with ``tracemalloc`` around the draw itself.

Run: ``python benchmarks/bench_inspections.py [--size N] [--quick]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from yiwang.credit.models import CreditClass
from yiwang.inspections.draw import (
    assign_inspectors,
    derive_draw_key,
    eligibility_codes,
    select_enterprises,
    selection_size,
)
from yiwang.inspections.models import InspectionPlan, Inspector
from yiwang.inspections.roster import (
    USCC_ALPHABET,
    USCC_WEIGHTS,
    EnterpriseRoster,
    InspectorRoster,
    read_enterprise_roster,
    write_enterprise_roster,
)
from yiwang.inspections.schemas import parse_plan, plan_json_bytes

DEFAULT_SIZE = 14_000_000
CLASS_SHARES = (0.85, 0.08, 0.05, 0.02)  # 诚信守法, 轻微失信, 一般失信, 严重失信
SECTORS = tuple(
    ["vaccines", "drugs", "special_equipment", "hazardous_chemicals"]
    + [f"sector{i:02d}" for i in range(16)]
)
SECTOR_SHARES = np.array([0.002, 0.01, 0.012, 0.006] + [0.97 / 16] * 16)
COUNTY_COUNT = 136  # county-level divisions of Shandong
SEED = bytes.fromhex("5eed" * 16)
PLAN_DOC: dict[str, Any] = {
    "id": "BENCH-2024-01",
    "title_zh": "基准测试:全省部门联合双随机抽查",
    "year": 2024,
    "period": {"start": "2024-04-01", "end": "2024-09-30"},
    "departments": [{"id": "samr", "name_zh": "市场监督管理局"},
                    {"id": "tax", "name_zh": "税务局"},
                    {"id": "hrss", "name_zh": "人力资源和社会保障局"}],
    "items": [{"id": "SAMR-01", "department": "samr", "name_zh": "年报公示", "legal_basis": "-"},
              {"id": "TAX-01", "department": "tax", "name_zh": "发票", "legal_basis": "-"},
              {"id": "HRSS-01", "department": "hrss", "name_zh": "社保", "legal_basis": "-"}],
    "scope": {"sectors": [], "counties": []},
    "sampling_rates": {"诚信守法": "0.03", "轻微失信": "0.05", "一般失信": "0.10",
                       "严重失信": "0.30"},
    "inspectors_per_department": 2,
    "recusal": {"last_visit": True, "conflicts": True, "same_county": True},
}


def make_roster(size: int, seed: int = 2024) -> EnterpriseRoster:
    """A synthetic roster with valid, unique, sorted credit codes (built in chunks)."""
    rng = np.random.default_rng(seed)
    alphabet = np.frombuffer(USCC_ALPHABET.encode("ascii"), dtype=np.uint8)
    weights = np.array(USCC_WEIGHTS, dtype=np.uint32)
    codes = np.empty(size, dtype="S18")
    raw = codes.view(np.uint8).reshape(size, 18)
    chunk = 1 << 20
    for start in range(0, size, chunk):
        stop = min(size, start + chunk)
        values = np.empty((stop - start, 17), dtype=np.uint8)
        values[:, :2] = (9, 1)
        values[:, 2:4] = (3, 7)
        values[:, 4:8] = rng.integers(0, 10, (stop - start, 4), dtype=np.uint8)
        values[:, 8:] = rng.integers(0, 31, (stop - start, 9), dtype=np.uint8)
        check = (31 - (values.astype(np.uint32) * weights).sum(axis=1) % 31) % 31
        raw[start:stop, :17] = alphabet[values]
        raw[start:stop, 17] = alphabet[check]
    codes.sort()
    unique = np.ones(size, dtype=bool)
    unique[1:] = codes[1:] != codes[:-1]
    if not unique.all():
        codes = codes[unique]
        size = codes.shape[0]
    del unique
    classes = np.empty(size, dtype=np.uint8)
    sectors = np.empty(size, dtype=np.uint8)
    counties = np.empty(size, dtype=np.uint16)
    last_year = np.empty(size, dtype=np.uint16)
    class_cdf = np.cumsum(CLASS_SHARES)
    sector_cdf = np.cumsum(SECTOR_SHARES / SECTOR_SHARES.sum())
    for start in range(0, size, chunk):
        stop = min(size, start + chunk)
        m = stop - start
        classes[start:stop] = np.minimum(np.searchsorted(class_cdf, rng.random(m)), 3)
        sectors[start:stop] = np.minimum(np.searchsorted(sector_cdf, rng.random(m)),
                                         len(SECTORS) - 1)
        counties[start:stop] = rng.integers(0, COUNTY_COUNT, size=m, dtype=np.uint16)
        draw = rng.random(m)
        last_year[start:stop] = np.where(draw < 0.1, 2024, np.where(draw < 0.4, 2023, 0))
    sector_vocab = sorted(SECTORS)
    remap = np.array([sector_vocab.index(word) for word in SECTORS], dtype=np.uint16)
    return EnterpriseRoster(
        codes=codes,
        classes=classes,
        sector_ids=remap[sectors],
        sector_vocab=sector_vocab,
        county_ids=counties,
        county_vocab=[f"37{i:04d}" for i in range(COUNTY_COUNT)],
        last_year=last_year,
    )


def make_inspectors(per_department: int = 400) -> InspectorRoster:
    rng = np.random.default_rng(7)
    return InspectorRoster(
        Inspector(f"{department.upper()}{index:05d}", department,
                  f"37{int(rng.integers(0, COUNTY_COUNT)):04d}")
        for department in ("samr", "tax", "hrss")
        for index in range(per_department)
    )


def numpy_stratified(roster: EnterpriseRoster, plan: InspectionPlan,
                     rng: np.random.Generator) -> int:
    strata = eligibility_codes(roster, plan)
    drawn = 0
    for rank, credit_class in enumerate(CreditClass):
        index = np.flatnonzero(strata == rank)
        count = selection_size(index.size, plan.rate(credit_class))
        drawn += rng.choice(index, size=count, replace=False).size
    return drawn


def numpy_weighted(roster: EnterpriseRoster, plan: InspectionPlan,
                   rng: np.random.Generator) -> int:
    strata = eligibility_codes(roster, plan)
    rates = np.array([float(plan.rate(c)) for c in CreditClass] + [0.0])
    weights = rates[strata]
    total = round(float(weights.sum()))
    weights /= weights.sum()
    return int(rng.choice(len(roster), size=total, replace=False, p=weights).size)


def timed(function: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times = []
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return times, value


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- stages, each in a fresh process so peak memory is its own --------------------------------


def stage_draw(size: int, repeat: int) -> dict[str, Any]:
    started = time.perf_counter()
    roster = make_roster(size)
    build = time.perf_counter() - started
    rss_roster = peak_rss_mib()
    plan = parse_plan(PLAN_DOC)
    plan_sha = hashlib.sha256(plan_json_bytes(plan)).hexdigest()
    key = derive_draw_key(plan_sha, SEED, "beacon")
    rng = np.random.default_rng(1)
    # interleaved, so that drift on a shared machine hits both sides alike
    draw_times: list[float] = []
    strat_times: list[float] = []
    strata: Any = None
    for _ in range(repeat):
        times, strata = timed(lambda: select_enterprises(roster, plan, key), 1)
        draw_times += times
        strat_times += timed(lambda: numpy_stratified(roster, plan, rng), 1)[0]
    weighted_times, _ = timed(lambda: numpy_weighted(roster, plan, rng), max(1, repeat // 2))
    tracemalloc.start()
    select_enterprises(roster, plan, key)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = np.concatenate([s.indices for s in strata])
    keys = np.concatenate([s.keys for s in strata])
    inspectors = make_inspectors()
    assign_times, _ = timed(
        lambda: assign_inspectors(roster, rows, keys, plan, inspectors, key), 1)
    return {
        "size": len(roster),
        "build_s": build,
        "rss_roster_mib": rss_roster,
        "draw_s": draw_times,
        "numpy_stratified_s": strat_times,
        "numpy_weighted_s": weighted_times,
        "draw_traced_peak_mib": traced_peak / 2**20,
        "assign_s": assign_times[0],
        "assign_inspectors": len(inspectors),
        "strata": [
            {"class": s.credit_class.value, "roster": s.roster_count,
             "eligible": s.eligible_count, "rate": str(s.rate), "selected": int(s.indices.size)}
            for s in strata
        ],
        "peak_rss_mib": peak_rss_mib(),
    }


def stage_publish(size: int, directory: str) -> dict[str, Any]:
    """Freeze: write the canonical roster CSV and its hash; remember the selection."""
    roster = make_roster(size)
    plan = parse_plan(PLAN_DOC)
    plan_sha = hashlib.sha256(plan_json_bytes(plan)).hexdigest()
    key = derive_draw_key(plan_sha, SEED, "beacon")
    expected = [s.indices.tolist() for s in select_enterprises(roster, plan, key)]
    path = Path(directory) / "roster-enterprises.csv"
    start = time.perf_counter()
    with path.open("wb") as stream:
        written_sha = write_enterprise_roster(roster, stream)
    write_s = time.perf_counter() - start
    (Path(directory) / "expected.json").write_text(
        json.dumps({"sha256": written_sha, "selection": expected}), encoding="utf-8")
    start = time.perf_counter()
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 22):
            digest.update(block)
    return {
        "file_mib": path.stat().st_size / 2**20,
        "write_and_hash_s": write_s,
        "sha256_only_s": time.perf_counter() - start,
        "sha_consistent": digest.hexdigest() == written_sha,
        "peak_rss_mib": peak_rss_mib(),
    }


def stage_verify(directory: str) -> dict[str, Any]:
    """Verify from the published file alone: parse + hash, then re-draw and compare."""
    plan = parse_plan(PLAN_DOC)
    plan_sha = hashlib.sha256(plan_json_bytes(plan)).hexdigest()
    key = derive_draw_key(plan_sha, SEED, "beacon")
    start = time.perf_counter()
    with (Path(directory) / "roster-enterprises.csv").open("rb") as stream:
        reread, read_sha = read_enterprise_roster(stream)
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    again = [s.indices.tolist() for s in select_enterprises(reread, plan, key)]
    redraw_s = time.perf_counter() - start
    expected = json.loads((Path(directory) / "expected.json").read_text(encoding="utf-8"))
    return {
        "parse_and_hash_s": parse_s,
        "redraw_s": redraw_s,
        "hash_matches": read_sha == expected["sha256"],
        "selection_reproduced": again == expected["selection"],
        "peak_rss_mib": peak_rss_mib(),
    }


def run_stage(stage: str, size: int, repeat: int, directory: str = "") -> dict[str, Any]:
    command = [sys.executable, __file__, "--stage", stage, "--size", str(size),
               "--repeat", str(repeat), "--directory", directory]
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"})
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="skip the file round trip")
    parser.add_argument("--stage", choices=["draw", "publish", "verify"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--directory", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "draw":
        print(json.dumps(stage_draw(args.size, args.repeat)))
        return
    if args.stage == "publish":
        print(json.dumps(stage_publish(args.size, args.directory)))
        return
    if args.stage == "verify":
        print(json.dumps(stage_verify(args.directory)))
        return

    draw = run_stage("draw", args.size, args.repeat)
    size = draw["size"]
    label = f"{size / 1e6:.0f}M" if size >= 1_000_000 else str(size)
    best = min(draw["draw_s"])
    best_strat = min(draw["numpy_stratified_s"])
    best_weighted = min(draw["numpy_weighted_s"])
    print(f"Verifiable inspection draw, roster of {size:,} enterprises, 4 strata")
    print(f"  roster built in {draw['build_s']:.1f} s; RSS with roster {draw['rss_roster_mib']:.0f}"
          " MiB")
    print(f"  {'stratum':<10}{'roster':>12}{'eligible':>12}{'rate':>8}{'drawn':>10}")
    for s in draw["strata"]:
        print(f"  {s['class']:<8}{s['roster']:>12,}{s['eligible']:>12,}{s['rate']:>8}"
              f"{s['selected']:>10,}")
    print(f"  {'method':<34}{'best s':>8}{'median s':>10}{'enterprises/s':>16}")
    for name, times in (("yiwang verifiable draw", draw["draw_s"]),
                        ("numpy stratified choice", draw["numpy_stratified_s"]),
                        ("numpy weighted choice (p=rate)", draw["numpy_weighted_s"])):
        print(f"  {name:<34}{min(times):>8.3f}{statistics.median(times):>10.3f}"
              f"{size / min(times):>16,.0f}")
    print(f"  draw allocations (tracemalloc peak): {draw['draw_traced_peak_mib']:.0f} MiB; "
          f"peak RSS of the stage (roster + draws + peers): {draw['peak_rss_mib']:.0f} MiB")
    drawn = sum(s["selected"] for s in draw["strata"])
    print(f"  inspector assignment ({draw['assign_inspectors']} inspectors, 3 departments, "
          f"county recusal) for {drawn:,} drawn: {draw['assign_s']:.2f} s")
    if not args.quick:
        with tempfile.TemporaryDirectory() as directory:
            published = run_stage("publish", args.size, 1, directory)
            verified = run_stage("verify", args.size, 1, directory)
        print(f"Publication and verification from files ({published['file_mib']:.0f} MiB "
              "roster CSV)")
        print(f"  publish: write canonical CSV + SHA-256 {published['write_and_hash_s']:.1f} s "
              f"(SHA-256 of the file alone {published['sha256_only_s']:.2f} s); peak RSS "
              f"{published['peak_rss_mib']:.0f} MiB")
        print(f"  verify: parse + hash {verified['parse_and_hash_s']:.1f} s, re-draw "
              f"{verified['redraw_s']:.2f} s; hash matches: {verified['hash_matches']}; "
              f"selection reproduced: {verified['selection_reproduced']}; peak RSS "
              f"{verified['peak_rss_mib']:.0f} MiB")
    print(f"inspection draw {label}: yiwang {size / best:,.0f}/s, numpy stratified "
          f"{size / best_strat:,.0f}/s, ratio {best_strat / best:.2f} (time {best / best_strat:.2f}x)")
    print(f"inspection draw {label} (weighted peer): yiwang {size / best:,.0f}/s, numpy weighted "
          f"{size / best_weighted:,.0f}/s, ratio {best_weighted / best:.2f}")


if __name__ == "__main__":
    main()
