"""The verifiable double-random draw, algorithm ``yiwang-draw-v1``.

Everything below is deterministic: the same plan file, roster files, seed and beacon give the
same selection, on any machine. :func:`reference_draw` is a plain-Python statement of the
algorithm (short enough to reimplement); :func:`draw` computes the same result with numpy for
rosters of millions of enterprises. Tests check that the two agree.

1. **Draw key.** ``K = SHA-256("yiwang-draw-v1" || 0x0A || plan_sha256 (hex, ASCII) || 0x0A ||
   seed (raw bytes) || 0x0A || beacon (UTF-8))``; ``k0..k3`` are its four 8-byte words read as
   little-endian unsigned 64-bit integers. ``plan_sha256`` is the SHA-256 of the published
   ``plan.json``; the beacon is a public random value fixed after the pre-publication (may be
   empty).
2. **Mixer.** ``mix64(z)`` is the SplitMix64 finaliser, all arithmetic modulo 2^64::

       z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27; z *= 0x94D049BB133111EB; z ^= z >> 31

3. **Enterprise key.** For the 18 ASCII bytes ``b`` of the credit code: ``w0 = LE64(b[0:8])``,
   ``w1 = LE64(b[8:16])``, ``w2 = LE16(b[16:18])``;
   ``key = mix64(mix64(mix64(w0 ^ k0) ^ w1 ^ k1) ^ w2 ^ k2)``.
4. **Eligibility** (from the published roster facts and the plan): inside the plan's scope
   (sectors, counties; empty = all) and
   * 诚信守法: only in the plan's key sectors (非请勿扰 elsewhere);
   * 轻微失信 / 一般失信: not if ``last_random_joint_year >= plan year`` (one random joint
     inspection a year, across all plans);
   * 严重失信: always.
5. **Selection.** Strata are the four credit classes. In a stratum of ``n`` eligible
   enterprises with plan rate ``r`` (an exact decimal), ``k = floor(n * r + 1/2)``; the ``k``
   eligible enterprises with the smallest ``(key, credit_code)`` are drawn, ranked 1..k.
6. **Inspectors.** For a drawn enterprise with key ``e`` and each joining department in plan
   order: the department's pool minus recused inspectors (staff numbers of the enterprise's
   last visit; declared conflicts with the enterprise; same county when the plan says so),
   ranked by ``(mix64(mix64(e ^ k3) ^ f), staff_no)`` where ``f = LE64(SHA-256(staff_no)[0:8])``;
   the first ``inspectors_per_department`` are assigned (fewer means a recorded shortage).

The mixer is not a cryptographic function: fairness rests on the seed being unknown when the
roster is frozen and committed, and unchangeable afterwards (seed commitment, public beacon).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from yiwang.credit.models import CreditClass
from yiwang.inspections.errors import DrawError
from yiwang.inspections.models import (
    DepartmentAssignment,
    DrawResult,
    InspectionPlan,
    Inspector,
    RosterEntry,
    SelectedEnterprise,
    StratumSummary,
)
from yiwang.inspections.roster import CODE_WIDTH, EnterpriseRoster, InspectorRoster

ALGORITHM = "yiwang-draw-v1"
MASK64 = (1 << 64) - 1
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_INELIGIBLE = 4
_CHUNK = 1 << 16

U8 = npt.NDArray[np.uint8]
U64 = npt.NDArray[np.uint64]
Index = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class DrawKey:
    k0: int
    k1: int
    k2: int
    k3: int


def derive_draw_key(plan_sha256: str, seed: bytes, beacon: str = "") -> DrawKey:
    if len(seed) < 16:
        raise DrawError("种子至少16字节 / the seed must be at least 16 bytes")
    material = b"\n".join(
        [ALGORITHM.encode("ascii"), plan_sha256.encode("ascii"), seed, beacon.encode("utf-8")]
    )
    digest = hashlib.sha256(material).digest()
    words = [int.from_bytes(digest[i : i + 8], "little") for i in range(0, 32, 8)]
    return DrawKey(*words)


def mix64(value: int) -> int:
    z = value & MASK64
    z ^= z >> 30
    z = (z * _M1) & MASK64
    z ^= z >> 27
    z = (z * _M2) & MASK64
    return z ^ (z >> 31)


def enterprise_key(credit_code: str, key: DrawKey) -> int:
    raw = credit_code.encode("ascii")
    if len(raw) != CODE_WIDTH:
        raise DrawError(f"信用代码应为18位: {credit_code!r} / a credit code has 18 characters")
    w0 = int.from_bytes(raw[0:8], "little")
    w1 = int.from_bytes(raw[8:16], "little")
    w2 = int.from_bytes(raw[16:18], "little")
    return mix64(mix64(mix64(w0 ^ key.k0) ^ w1 ^ key.k1) ^ w2 ^ key.k2)


def staff_fingerprint(staff_no: str) -> int:
    return int.from_bytes(hashlib.sha256(staff_no.encode("utf-8")).digest()[:8], "little")


def inspector_key(enterprise_key_value: int, staff_no: str, key: DrawKey) -> int:
    return mix64(mix64(enterprise_key_value ^ key.k3) ^ staff_fingerprint(staff_no))


def selection_size(eligible: int, rate: Decimal) -> int:
    """``floor(eligible * rate + 1/2)`` in exact arithmetic."""
    return math.floor(Fraction(eligible) * Fraction(rate) + Fraction(1, 2))


def is_eligible(entry: RosterEntry, plan: InspectionPlan) -> bool:
    """Eligibility of one enterprise for a plan (rule 4 of the module docstring)."""
    if plan.scope.sectors and entry.sector not in plan.scope.sectors:
        return False
    if plan.scope.counties and entry.county not in plan.scope.counties:
        return False
    if entry.credit_class is CreditClass.TRUSTWORTHY:
        return entry.sector in plan.key_sectors
    if entry.credit_class in (CreditClass.MINOR_DISHONESTY, CreditClass.GENERAL_DISHONESTY):
        last = entry.last_random_joint_year
        return last is None or last < plan.year
    return True


def is_recused(entry: RosterEntry, inspector: Inspector, plan: InspectionPlan) -> bool:
    if plan.recusal.exclude_last_visit and inspector.staff_no in entry.last_inspectors:
        return True
    if plan.recusal.exclude_conflicts and entry.credit_code in inspector.conflicts:
        return True
    return plan.recusal.exclude_same_county and inspector.county == entry.county


def _check_pools(plan: InspectionPlan, inspectors: Iterable[Inspector]) -> None:
    departments = set(plan.department_ids())
    present = {inspector.department_id for inspector in inspectors}
    missing = sorted(departments - present)
    if missing:
        raise DrawError(f"部门 {missing} 没有执法人员名录 / departments {missing} have no "
                        "inspector pool")


def _ranked_staff(
    candidates: Sequence[Inspector], ekey: int, key: DrawKey, wanted: int
) -> tuple[str, ...]:
    ranked = sorted(candidates, key=lambda i: (inspector_key(ekey, i.staff_no, key), i.staff_no))
    return tuple(i.staff_no for i in ranked[:wanted])


def _assign_reference(
    entry: RosterEntry, ekey: int, plan: InspectionPlan, pools: dict[str, list[Inspector]],
    key: DrawKey,
) -> tuple[DepartmentAssignment, ...]:
    result = []
    for department_id in plan.department_ids():
        candidates = [i for i in pools[department_id] if not is_recused(entry, i, plan)]
        chosen = _ranked_staff(candidates, ekey, key, plan.inspectors_per_department)
        result.append(DepartmentAssignment(department_id, chosen,
                                           len(chosen) < plan.inspectors_per_department))
    return tuple(result)


def reference_draw(
    plan: InspectionPlan,
    plan_sha256: str,
    entries: Sequence[RosterEntry],
    inspectors: Sequence[Inspector],
    seed: bytes,
    beacon: str = "",
) -> DrawResult:
    """The draw in plain Python, statement by statement as documented (small rosters)."""
    codes = [entry.credit_code for entry in entries]
    if len(set(codes)) != len(codes):
        raise DrawError("名册中信用代码重复 / duplicate credit codes in the roster")
    _check_pools(plan, inspectors)
    key = derive_draw_key(plan_sha256, seed, beacon)
    pools = {
        department_id: sorted((i for i in inspectors if i.department_id == department_id),
                              key=lambda i: i.staff_no)
        for department_id in plan.department_ids()
    }
    strata = []
    selected = []
    for credit_class in CreditClass:
        members = [entry for entry in entries if entry.credit_class is credit_class]
        eligible = [entry for entry in members if is_eligible(entry, plan)]
        rate = plan.rate(credit_class)
        count = selection_size(len(eligible), rate)
        keyed = sorted(
            ((enterprise_key(entry.credit_code, key), entry.credit_code, entry)
             for entry in eligible),
            key=lambda item: (item[0], item[1]),
        )
        for rank, (ekey, _, entry) in enumerate(keyed[:count], start=1):
            selected.append(SelectedEnterprise(
                credit_code=entry.credit_code,
                name=entry.name,
                credit_class=credit_class,
                sector=entry.sector,
                county=entry.county,
                rank=rank,
                key=ekey,
                assignments=_assign_reference(entry, ekey, plan, pools, key),
            ))
        strata.append(StratumSummary(credit_class, len(members), len(eligible), rate, count))
    return DrawResult(plan.plan_id, plan_sha256, ALGORITHM, tuple(strata), tuple(selected))


# --- vectorised implementation ---------------------------------------------------------------


class _EligibilityTables:
    """Plan facts translated to the roster's vocabularies, for chunked numpy evaluation."""

    def __init__(self, roster: EnterpriseRoster, plan: InspectionPlan) -> None:
        vocab = roster.sector_vocab
        self.key_sector_ids = [i for i, word in enumerate(vocab) if word in plan.key_sectors]
        self.scope_sector_ids = (
            None if not plan.scope.sectors
            else [i for i, word in enumerate(vocab) if word in plan.scope.sectors]
        )
        self.scope_county_ids = (
            None if not plan.scope.counties
            else [i for i, word in enumerate(roster.county_vocab) if word in plan.scope.counties]
        )
        self.year = plan.year


def _outside(values: npt.NDArray[np.uint16], ids: list[int]) -> npt.NDArray[np.bool_]:
    """``values not in ids``: comparisons for a few ids (faster than a gather), else isin."""
    if len(ids) > 8:
        return ~np.isin(values, np.array(ids, dtype=np.uint16))
    result = np.ones(values.shape, dtype=np.bool_)
    for identifier in ids:
        result &= values != identifier
    return result


def _eligibility_block(
    roster: EnterpriseRoster, tables: _EligibilityTables, start: int, stop: int
) -> U8:
    """Stratum (0-3) of eligible rows; ineligible rows get 4 + their class (4-7)."""
    classes = roster.classes[start:stop]
    sectors = roster.sector_ids[start:stop]
    ineligible = classes == 0
    for identifier in tables.key_sector_ids[:8]:
        ineligible &= sectors != identifier
    if len(tables.key_sector_ids) > 8:
        ineligible &= _outside(sectors, tables.key_sector_ids)
    limited = (classes - np.uint8(1)) <= 1  # ranks 1 and 2, by unsigned wrap-around
    limited &= roster.last_year[start:stop] >= tables.year
    ineligible |= limited
    if tables.scope_sector_ids is not None:
        ineligible |= _outside(sectors, tables.scope_sector_ids)
    if tables.scope_county_ids is not None:
        ineligible |= _outside(roster.county_ids[start:stop], tables.scope_county_ids)
    codes: U8 = np.left_shift(ineligible.view(np.uint8), 2)
    codes |= classes
    return codes


def eligibility_codes(roster: EnterpriseRoster, plan: InspectionPlan) -> U8:
    """Per enterprise: its stratum (credit class rank 0-3) if eligible, else 4."""
    tables = _EligibilityTables(roster, plan)
    out = np.empty(len(roster), dtype=np.uint8)
    for start in range(0, len(roster), _CHUNK):
        stop = min(len(roster), start + _CHUNK)
        np.minimum(_eligibility_block(roster, tables, start, stop), _INELIGIBLE,
                   out=out[start:stop])
    return out


def _mix_inplace(values: U64, scratch: U64) -> None:
    np.right_shift(values, np.uint64(30), out=scratch)
    values ^= scratch
    values *= np.uint64(_M1)
    np.right_shift(values, np.uint64(27), out=scratch)
    values ^= scratch
    values *= np.uint64(_M2)
    np.right_shift(values, np.uint64(31), out=scratch)
    values ^= scratch


class _CodeWords:
    """Strided little-endian views of the code bytes: w0, w1 (uint64) and w2 (uint16)."""

    w0: U64
    w1: U64
    w2: npt.NDArray[np.uint16]

    def __init__(self, codes: npt.NDArray[np.bytes_]) -> None:
        size = codes.shape[0]
        if size == 0:
            self.w0 = np.empty(0, dtype=np.uint64)
            self.w1 = np.empty(0, dtype=np.uint64)
            self.w2 = np.empty(0, dtype=np.uint16)
            return
        raw = codes.view(np.uint8)
        self.w0 = np.ndarray((size,), dtype="<u8", buffer=raw, offset=0, strides=(18,))
        self.w1 = np.ndarray((size,), dtype="<u8", buffer=raw, offset=8, strides=(18,))
        self.w2 = np.ndarray(
            (size,), dtype="<u2", buffer=raw, offset=16, strides=(18,)
        )


def enterprise_keys(codes: npt.NDArray[np.bytes_], index: Index, key: DrawKey) -> U64:
    """Keys of ``codes[index]`` (vectorised :func:`enterprise_key`)."""
    if codes.shape[0] == 0 or index.size == 0:
        return np.empty(0, dtype=np.uint64)
    words = _CodeWords(codes)
    values = words.w0[index].astype(np.uint64)
    scratch = np.empty_like(values)
    values ^= np.uint64(key.k0)
    _mix_inplace(values, scratch)
    values ^= words.w1[index]
    values ^= np.uint64(key.k1)
    _mix_inplace(values, scratch)
    values ^= words.w2[index].astype(np.uint64)
    values ^= np.uint64(key.k2)
    _mix_inplace(values, scratch)
    return values


@dataclass(frozen=True, slots=True)
class StratumDraw:
    """Drawn rows of one stratum: roster indices and keys, in rank order."""

    credit_class: CreditClass
    roster_count: int
    eligible_count: int
    rate: Decimal
    indices: Index
    keys: U64


def _threshold(count: int, eligible: int) -> int:
    """A key bound that ``count`` of ``eligible`` uniform keys stay under with high margin."""
    if count == 0:
        return 0
    share = (count + 8.0 * math.sqrt(count) + 32.0) / eligible
    if share >= 1.0:
        return MASK64
    return int(share * 2.0**64)


def select_enterprises(
    roster: EnterpriseRoster, plan: InspectionPlan, key: DrawKey
) -> tuple[StratumDraw, ...]:
    """Steps 3-5 for a whole roster, vectorised and chunked.

    Pass 1 computes eligibility and the stratum sizes; pass 2 computes keys of eligible rows
    only and keeps those under a per-stratum bound chosen so that, with overwhelming
    probability, at least ``k`` rows pass; the ``k`` smallest ``(key, index)`` among them are the
    answer. If fewer pass, the stratum is redone without the bound, so the result is exact
    whatever the keys are. (Index order is credit-code order: the roster is sorted.)
    """
    size = len(roster)
    tables = _EligibilityTables(roster, plan)
    eligible_rows: list[Index] = []
    eligible_strata: list[U8] = []
    eligible_counts = np.zeros(5, dtype=np.int64)
    for start in range(0, size, _CHUNK):
        stop = min(size, start + _CHUNK)
        block = _eligibility_block(roster, tables, start, stop)
        local = np.flatnonzero(block < _INELIGIBLE)
        strata_of = block.take(local)
        for rank in range(4):
            eligible_counts[rank] += int(np.count_nonzero(strata_of == rank))
        eligible_rows.append(local + start)
        eligible_strata.append(strata_of)
    classes = list(CreditClass)
    targets = [selection_size(int(eligible_counts[rank]), plan.rate(classes[rank]))
               for rank in range(4)]
    bounds = np.array(
        [_threshold(targets[rank], int(eligible_counts[rank])) for rank in range(4)] + [0],
        dtype=np.uint64,
    )
    k0, k1, k2 = np.uint64(key.k0), np.uint64(key.k1), np.uint64(key.k2)
    found_index: list[Index] = []
    found_key: list[U64] = []
    found_strata: list[U8] = []
    for rows, strata_of in zip(eligible_rows, eligible_strata, strict=True):
        if rows.size == 0:
            continue
        # one gather of the 18-byte codes, then word views on the compact copy
        words = _CodeWords(roster.codes.take(rows))
        values = words.w0.astype(np.uint64)
        scratch = np.empty_like(values)
        values ^= k0
        _mix_inplace(values, scratch)
        values ^= words.w1
        values ^= k1
        _mix_inplace(values, scratch)
        values ^= words.w2.astype(np.uint64)
        values ^= k2
        _mix_inplace(values, scratch)
        keep = values <= bounds.take(strata_of)
        found_index.append(rows[keep])
        found_key.append(values[keep])
        found_strata.append(strata_of[keep])
    candidates = np.concatenate(found_index) if found_index else np.empty(0, dtype=np.intp)
    candidate_keys = np.concatenate(found_key) if found_key else np.empty(0, dtype=np.uint64)
    candidate_strata = np.concatenate(found_strata) if found_strata else np.empty(0, np.uint8)
    roster_counts = roster.class_counts()
    result = []
    for rank, credit_class in enumerate(classes):
        target = targets[rank]
        mine = candidate_strata == rank
        rows = candidates[mine]
        values = candidate_keys[mine]
        if rows.size < target:  # the bound was too tight: redo this stratum without it
            rows = np.concatenate(
                [r[s == rank] for r, s in zip(eligible_rows, eligible_strata, strict=True)]
            ) if eligible_rows else np.empty(0, dtype=np.intp)
            values = enterprise_keys(roster.codes, rows, key)
        order = np.lexsort((rows, values))[:target]
        result.append(StratumDraw(credit_class, roster_counts[rank],
                                  int(eligible_counts[rank]), plan.rate(credit_class),
                                  rows[order], values[order]))
    return tuple(result)


def assign_inspectors(
    roster: EnterpriseRoster,
    rows: Index,
    ekeys: U64,
    plan: InspectionPlan,
    inspectors: InspectorRoster,
    key: DrawKey,
) -> list[list[DepartmentAssignment]]:
    """Step 6 for all drawn rows; exact (ties and shortages fall back to the reference)."""
    assignments: list[list[DepartmentAssignment]] = [[] for _ in range(rows.size)]
    if rows.size == 0:
        return assignments
    wanted = plan.inspectors_per_department
    base = ekeys ^ np.uint64(key.k3)
    scratch = np.empty_like(base)
    _mix_inplace(base, scratch)
    county_words = {word: index for index, word in enumerate(roster.county_vocab)}
    row_counties = roster.county_ids.take(rows).astype(np.int64)
    position_of_row = {int(row): offset for offset, row in enumerate(rows.tolist())}
    # sparse recusals, as (position in `rows`, staff number), found without a per-row loop
    sparse: list[tuple[int, str]] = []
    if plan.recusal.exclude_last_visit:
        for row, numbers in roster.last_inspectors_map().items():
            where = position_of_row.get(row)
            if where is not None:
                sparse.extend((where, number) for number in numbers)
    if plan.recusal.exclude_conflicts:
        for inspector in inspectors.inspectors:
            for code in inspector.conflicts:
                found = roster.index_of(code)
                where = None if found is None else position_of_row.get(found)
                if where is not None:
                    sparse.append((where, inspector.staff_no))
    for department_id in plan.department_ids():
        pool = inspectors.pool(department_id)
        staff = [inspector.staff_no for inspector in pool]
        position = {number: index for index, number in enumerate(staff)}
        fingerprints = np.array([staff_fingerprint(number) for number in staff], dtype=np.uint64)
        pool_counties = np.array([county_words.get(i.county, -1) for i in pool], dtype=np.int64)
        pairs = [(where, position[number]) for where, number in sparse if number in position]
        pair_rows = np.array([where for where, _ in pairs], dtype=np.intp)
        pair_columns = np.array([column for _, column in pairs], dtype=np.intp)
        step = max(1, (1 << 21) // max(1, len(pool)))
        for start in range(0, rows.size, step):
            stop = min(rows.size, start + step)
            matrix = base[start:stop, None] ^ fingerprints[None, :]
            _mix_inplace(matrix, np.empty_like(matrix))
            recused = np.zeros(matrix.shape, dtype=np.bool_)
            if plan.recusal.exclude_same_county:
                recused |= row_counties[start:stop, None] == pool_counties[None, :]
            if pair_rows.size:
                inside = (pair_rows >= start) & (pair_rows < stop)
                recused[pair_rows[inside] - start, pair_columns[inside]] = True
            available = (~recused).sum(axis=1)
            ordered = np.where(recused, np.uint64(MASK64), matrix)
            take = min(wanted, len(pool))
            if take == 0:
                for offset in range(stop - start):
                    assignments[start + offset].append(
                        DepartmentAssignment(department_id, (), True))
                continue
            if take < len(pool):
                part = np.argpartition(ordered, take - 1, axis=1)[:, :take]
            else:
                part = np.broadcast_to(np.arange(len(pool)), ordered.shape).copy()
            picked = np.take_along_axis(ordered, part, axis=1)
            within = np.lexsort((part, picked), axis=1)
            part = np.take_along_axis(part, within, axis=1)
            picked = np.take_along_axis(picked, within, axis=1)
            bound = picked[:, -1]
            # exact unless the boundary key is shared (tie) or reaches the recusal marker
            ties = (ordered <= bound[:, None]).sum(axis=1) > take
            unsure = (ties | (bound == np.uint64(MASK64)) | (available < take)).tolist()
            for offset, columns in enumerate(part.tolist()):
                row_index = start + offset
                if unsure[offset]:
                    entry = roster.entry(int(rows[row_index]))
                    candidates = [i for i in pool if not is_recused(entry, i, plan)]
                    chosen = _ranked_staff(candidates, int(ekeys[row_index]), key, wanted)
                    assignments[row_index].append(
                        DepartmentAssignment(department_id, chosen, len(chosen) < wanted))
                else:
                    assignments[row_index].append(DepartmentAssignment(
                        department_id, tuple([staff[column] for column in columns]),
                        len(columns) < wanted))
    return assignments


def draw(
    plan: InspectionPlan,
    plan_sha256: str,
    roster: EnterpriseRoster,
    inspectors: InspectorRoster,
    seed: bytes,
    beacon: str = "",
) -> DrawResult:
    """The draw over a columnar roster; equal to :func:`reference_draw` on the same input."""
    _check_pools(plan, inspectors.inspectors)
    key = derive_draw_key(plan_sha256, seed, beacon)
    strata_draws = select_enterprises(roster, plan, key)
    rows = np.concatenate([s.indices for s in strata_draws]) if strata_draws else np.empty(0)
    keys = np.concatenate([s.keys for s in strata_draws]) if strata_draws else np.empty(0)
    assignments = assign_inspectors(roster, rows.astype(np.intp), keys.astype(np.uint64), plan,
                                     inspectors, key)
    selected = []
    position = 0
    for stratum in strata_draws:
        for rank, (row, value) in enumerate(
            zip(stratum.indices.tolist(), stratum.keys.tolist(), strict=True), start=1
        ):
            entry = roster.entry(int(row))
            selected.append(SelectedEnterprise(
                credit_code=entry.credit_code,
                name=entry.name,
                credit_class=stratum.credit_class,
                sector=entry.sector,
                county=entry.county,
                rank=rank,
                key=int(value),
                assignments=tuple(assignments[position]),
            ))
            position += 1
    summaries = tuple(
        StratumSummary(s.credit_class, s.roster_count, s.eligible_count, s.rate, s.indices.size)
        for s in strata_draws
    )
    return DrawResult(plan.plan_id, plan_sha256, ALGORITHM, summaries, tuple(selected))
