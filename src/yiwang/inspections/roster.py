"""Frozen draw rosters: enterprises (columnar, for millions of rows) and inspectors.

The published roster files are canonical CSV (UTF-8, ``\\n`` line ends, the header below,
rows sorted by credit code / staff number, fields quoted only when they contain ``,`` ``"``
or a line break). The roster hash published before a draw is the SHA-256 of exactly those
bytes, so anyone can check it with ``sha256sum``.

``roster-enterprises.csv``::

    credit_code,name,credit_class,sector,county,last_random_joint_year,last_inspectors
    91370102MA3C4XXX1X,某某食品有限公司,一般失信,food,370102,2023,S0012;S0441

``last_random_joint_year`` is the year of the enterprise's last random joint inspection
(empty if none); ``last_inspectors`` the staff numbers of its last visit (for recusal).

``roster-inspectors.csv``::

    staff_no,department,county,conflicts
    S0012,samr,370102,91370102MA3C4XXX1X

Inspectors appear by staff number only; ``conflicts`` lists the credit codes with a declared
conflict of interest, ``;``-separated.
"""

from __future__ import annotations

import csv
import hashlib
import io
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from yiwang.credit.models import CreditClass
from yiwang.inspections.errors import RosterError
from yiwang.inspections.models import Inspector, RosterEntry
from yiwang.inspections.schemas import IDENTIFIER

ENTERPRISE_HEADER = (
    "credit_code",
    "name",
    "credit_class",
    "sector",
    "county",
    "last_random_joint_year",
    "last_inspectors",
)
INSPECTOR_HEADER = ("staff_no", "department", "county", "conflicts")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CODE_WIDTH = 18
_CHUNK = 1 << 16

_CLASS_BY_LABEL = {member.value: member.rank for member in CreditClass}
_LABEL_BY_RANK = tuple(CreditClass.from_rank(rank).value for rank in range(4))

U8 = npt.NDArray[np.uint8]
U16 = npt.NDArray[np.uint16]
U64 = npt.NDArray[np.uint64]


def _build_lookup() -> tuple[U8, U8]:
    value = np.full(256, 255, dtype=np.uint8)
    for index, char in enumerate(USCC_ALPHABET):
        value[ord(char)] = index
    digit = np.full(256, 255, dtype=np.uint8)
    for index in range(10):
        digit[ord("0") + index] = index
    return value, digit


_VALUE_LUT, _DIGIT_LUT = _build_lookup()
_WEIGHTS = np.array(USCC_WEIGHTS, dtype=np.uint32)


def invalid_code_positions(codes: npt.NDArray[np.bytes_]) -> npt.NDArray[np.intp]:
    """Indices of codes that are not valid 统一社会信用代码 (format and check digit)."""
    raw = codes.view(np.uint8).reshape(-1, CODE_WIDTH)
    bad: list[npt.NDArray[np.intp]] = []
    for start in range(0, raw.shape[0], _CHUNK):
        block = raw[start : start + _CHUNK]
        values = _VALUE_LUT.take(block)
        digits_ok = (_DIGIT_LUT.take(block[:, :8]) != 255).all(axis=1)
        chars_ok = (values != 255).all(axis=1)
        total = (values[:, :17].astype(np.uint32) * _WEIGHTS).sum(axis=1)
        check = (31 - total % 31) % 31
        ok = digits_ok & chars_ok & (check == values[:, 17])
        bad.append(np.flatnonzero(~ok) + start)
    return np.concatenate(bad) if bad else np.empty(0, dtype=np.intp)


class EnterpriseRoster:
    """The enterprises of a frozen roster, column by column, sorted by credit code.

    Columns: ``codes`` (``S18``), ``classes`` (credit class rank 0-3, ``uint8``),
    ``sector_ids`` / ``county_ids`` (``uint16`` indices into ``sector_vocab`` /
    ``county_vocab``), ``last_year`` (``uint16``, 0 = never randomly inspected).
    Arrays are read-only.
    """

    __slots__ = (
        "_last_inspectors",
        "_name_offsets",
        "_names_blob",
        "classes",
        "codes",
        "county_ids",
        "county_vocab",
        "last_year",
        "sector_ids",
        "sector_vocab",
    )

    def __init__(
        self,
        *,
        codes: npt.NDArray[np.bytes_],
        classes: U8,
        sector_ids: U16,
        sector_vocab: Sequence[str],
        county_ids: U16,
        county_vocab: Sequence[str],
        last_year: U16,
        names_blob: bytes = b"",
        name_offsets: U64 | None = None,
        last_inspectors: Mapping[int, tuple[str, ...]] | None = None,
        validate: bool = True,
    ) -> None:
        size = codes.shape[0]
        for label, column in (("classes", classes), ("sector_ids", sector_ids),
                              ("county_ids", county_ids), ("last_year", last_year)):
            if column.shape != (size,):
                raise RosterError(f"名册列 {label} 长度不一致 / roster column {label} has "
                                  f"shape {column.shape}, expected ({size},)")
        if codes.dtype != np.dtype("S18"):
            raise RosterError("信用代码列应为 S18 / the code column must have dtype S18")
        if name_offsets is not None and name_offsets.shape != (size + 1,):
            raise RosterError("名称偏移长度不一致 / name offsets have the wrong length")
        self.codes = np.ascontiguousarray(codes)
        self.classes = np.ascontiguousarray(classes, dtype=np.uint8)
        self.sector_ids = np.ascontiguousarray(sector_ids, dtype=np.uint16)
        self.county_ids = np.ascontiguousarray(county_ids, dtype=np.uint16)
        self.last_year = np.ascontiguousarray(last_year, dtype=np.uint16)
        self.sector_vocab = tuple(sector_vocab)
        self.county_vocab = tuple(county_vocab)
        self._names_blob = names_blob
        self._name_offsets = name_offsets
        self._last_inspectors = dict(last_inspectors or {})
        if validate:
            self._validate()
        self.codes.setflags(write=False)
        for column in (self.classes, self.sector_ids, self.county_ids, self.last_year):
            column.setflags(write=False)

    def _validate(self) -> None:
        size = len(self)
        if size and int(self.classes.max()) > 3:
            raise RosterError("信用等级编码超出范围 / credit class rank out of range")
        if size and int(self.sector_ids.max()) >= len(self.sector_vocab):
            raise RosterError("行业编号超出词表 / sector id outside the vocabulary")
        if size and int(self.county_ids.max()) >= len(self.county_vocab):
            raise RosterError("区县编号超出词表 / county id outside the vocabulary")
        for word in (*self.sector_vocab, *self.county_vocab):
            if not IDENTIFIER.match(word):
                raise RosterError(f"行业或区县标识 {word!r} 无效 / invalid sector or county "
                                  f"identifier {word!r}")
        bad = invalid_code_positions(self.codes)
        if bad.size:
            code = self.codes[int(bad[0])].decode("ascii", "replace")
            raise RosterError(f"统一社会信用代码无效: {code} / invalid credit code: {code}")
        if size > 1:
            ordered = self.codes[1:] > self.codes[:-1]
            if not bool(ordered.all()):
                first = int(np.flatnonzero(~ordered)[0])
                code = self.codes[first + 1].decode("ascii")
                raise RosterError(
                    f"名册未按信用代码升序排列或有重复: {code} / roster not sorted by credit "
                    f"code or duplicated: {code}"
                )
        for index, staff in self._last_inspectors.items():
            if not 0 <= index < size:
                raise RosterError("上次检查人员索引越界 / last-inspector index out of range")
            for staff_no in staff:
                if not IDENTIFIER.match(staff_no):
                    raise RosterError(f"执法人员编号 {staff_no!r} 无效 / invalid staff number")

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    @property
    def has_names(self) -> bool:
        return self._name_offsets is not None

    def name(self, index: int) -> str:
        if self._name_offsets is None:
            return ""
        start = int(self._name_offsets[index])
        end = int(self._name_offsets[index + 1])
        return self._names_blob[start:end].decode("utf-8")

    def code(self, index: int) -> str:
        return bytes(self.codes[index]).decode("ascii")

    def last_inspectors(self, index: int) -> tuple[str, ...]:
        return self._last_inspectors.get(index, ())

    def last_inspectors_map(self) -> Mapping[int, tuple[str, ...]]:
        return dict(self._last_inspectors)

    def entry(self, index: int) -> RosterEntry:
        year = int(self.last_year[index])
        return RosterEntry(
            credit_code=self.code(index),
            credit_class=CreditClass.from_rank(int(self.classes[index])),
            sector=self.sector_vocab[int(self.sector_ids[index])],
            county=self.county_vocab[int(self.county_ids[index])],
            name=self.name(index),
            last_random_joint_year=year or None,
            last_inspectors=self.last_inspectors(index),
        )

    def entries(self) -> Iterator[RosterEntry]:
        for index in range(len(self)):
            yield self.entry(index)

    def class_counts(self) -> tuple[int, int, int, int]:
        counts = [int(np.count_nonzero(self.classes == rank)) for rank in range(4)]
        return counts[0], counts[1], counts[2], counts[3]

    def index_of(self, credit_code: str) -> int | None:
        key = np.array(credit_code.encode("ascii"), dtype="S18")
        position = int(np.searchsorted(self.codes, key))
        if position < len(self) and self.codes[position] == key:
            return position
        return None

    @classmethod
    def from_entries(cls, entries: Iterable[RosterEntry]) -> EnterpriseRoster:
        """Build a roster from entries in any order (sorted and validated here)."""
        rows = sorted(entries, key=lambda entry: entry.credit_code)
        sector_vocab = sorted({entry.sector for entry in rows})
        county_vocab = sorted({entry.county for entry in rows})
        sector_index = {word: index for index, word in enumerate(sector_vocab)}
        county_index = {word: index for index, word in enumerate(county_vocab)}
        for entry in rows:
            if len(entry.credit_code) != CODE_WIDTH or not entry.credit_code.isascii():
                raise RosterError(f"统一社会信用代码无效: {entry.credit_code!r} / invalid "
                                  f"credit code {entry.credit_code!r}")
        codes = np.array([entry.credit_code.encode("ascii") for entry in rows], dtype="S18")
        if not rows:
            codes = np.empty(0, dtype="S18")
        names = [entry.name.encode("utf-8") for entry in rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.uint64)
        if names:
            offsets[1:] = np.cumsum([len(name) for name in names], dtype=np.uint64)
        return cls(
            codes=codes,
            classes=np.array([entry.credit_class.rank for entry in rows], dtype=np.uint8),
            sector_ids=np.array([sector_index[e.sector] for e in rows], dtype=np.uint16),
            sector_vocab=sector_vocab,
            county_ids=np.array([county_index[e.county] for e in rows], dtype=np.uint16),
            county_vocab=county_vocab,
            last_year=np.array([e.last_random_joint_year or 0 for e in rows], dtype=np.uint16),
            names_blob=b"".join(names),
            name_offsets=offsets if any(names) else None,
            last_inspectors={i: tuple(sorted(e.last_inspectors))
                             for i, e in enumerate(rows) if e.last_inspectors},
        )


class InspectorRoster:
    """The inspector pools of a draw, sorted by staff number."""

    __slots__ = ("inspectors",)

    def __init__(self, inspectors: Iterable[Inspector]) -> None:
        ordered = tuple(sorted(inspectors, key=lambda inspector: inspector.staff_no))
        numbers = [inspector.staff_no for inspector in ordered]
        if len(set(numbers)) != len(numbers):
            raise RosterError("执法人员编号重复 / duplicate staff numbers")
        for inspector in ordered:
            for word in (inspector.staff_no, inspector.department_id, inspector.county):
                if not IDENTIFIER.match(word):
                    raise RosterError(f"执法人员名录字段 {word!r} 无效 / invalid inspector field "
                                      f"{word!r} ({inspector.staff_no})")
        self.inspectors = ordered

    def pool(self, department_id: str) -> tuple[Inspector, ...]:
        return tuple(i for i in self.inspectors if i.department_id == department_id)

    def __len__(self) -> int:
        return len(self.inspectors)


# --- canonical CSV ---------------------------------------------------------------------------


def _quote(field: str) -> str:
    if any(char in field for char in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def write_enterprise_roster(roster: EnterpriseRoster, stream: BinaryIO) -> str:
    """Write the canonical roster CSV to ``stream``; return its SHA-256 (hex)."""
    digest = hashlib.sha256()
    header = (",".join(ENTERPRISE_HEADER) + "\n").encode("utf-8")
    digest.update(header)
    stream.write(header)
    sectors = roster.sector_vocab
    counties = roster.county_vocab
    years = ["" if year == 0 else str(year) for year in range(65536)]
    last = roster.last_inspectors_map()
    for start in range(0, len(roster), _CHUNK):
        stop = min(len(roster), start + _CHUNK)
        codes = roster.codes[start:stop].tolist()
        classes = roster.classes[start:stop].tolist()
        sector_ids = roster.sector_ids[start:stop].tolist()
        county_ids = roster.county_ids[start:stop].tolist()
        last_years = roster.last_year[start:stop].tolist()
        lines = []
        for offset, code in enumerate(codes):
            index = start + offset
            name = _quote(roster.name(index)) if roster.has_names else ""
            lines.append(
                f"{code.decode('ascii')},{name},{_LABEL_BY_RANK[classes[offset]]},"
                f"{sectors[sector_ids[offset]]},{counties[county_ids[offset]]},"
                f"{years[last_years[offset]]},{';'.join(last.get(index, ()))}\n"
            )
        block = "".join(lines).encode("utf-8")
        digest.update(block)
        stream.write(block)
    return digest.hexdigest()


def write_inspector_roster(roster: InspectorRoster, stream: BinaryIO) -> str:
    """Write the canonical inspector CSV to ``stream``; return its SHA-256 (hex)."""
    lines = [",".join(INSPECTOR_HEADER) + "\n"]
    for inspector in roster.inspectors:
        conflicts = ";".join(sorted(inspector.conflicts))
        lines.append(f"{inspector.staff_no},{inspector.department_id},{inspector.county},"
                     f"{conflicts}\n")
    data = "".join(lines).encode("utf-8")
    stream.write(data)
    return hashlib.sha256(data).hexdigest()


class _HashingReader(io.RawIOBase):
    """Pass bytes through while hashing them, so a file is read once for hash and parse."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.digest.update(data)
        return size


def _guarded(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from rows
    except UnicodeDecodeError:
        raise RosterError("名册文件不是 UTF-8 编码 / the roster is not UTF-8") from None
    except csv.Error as exc:
        raise RosterError(f"名册 CSV 格式错误 / malformed roster CSV: {exc}") from None


@contextmanager
def _csv_rows(hashing: _HashingReader) -> Iterator[Iterator[list[str]]]:
    """CSV rows of a hashed stream; the caller's stream stays open afterwards."""
    text = io.TextIOWrapper(io.BufferedReader(hashing, buffer_size=1 << 20), encoding="utf-8",
                            newline="")
    try:
        yield _guarded(csv.reader(text, strict=True))
    finally:
        text.detach()


def _identifier(word: str, line: int, column: str) -> str:
    if not IDENTIFIER.match(word):
        raise RosterError(f"名册第 {line} 行 {column} 无效: {word!r} / roster line {line}: "
                          f"invalid {column} {word!r}")
    return word


def read_enterprise_roster(stream: BinaryIO) -> tuple[EnterpriseRoster, str]:
    """Parse a roster CSV (any row order) and hash its bytes; returns (roster, sha256)."""
    hashing = _HashingReader(stream)
    with _csv_rows(hashing) as rows:
        columns = _read_enterprise_rows(rows)
    return _enterprise_roster(columns), hashing.digest.hexdigest()


@dataclass(slots=True)
class _RawColumns:
    """Columns accumulated while parsing, in compact buffers (not Python objects per row)."""

    codes: bytearray
    classes: bytearray
    sector_ids: array[int]
    county_ids: array[int]
    last_year: array[int]
    names: bytearray
    name_ends: array[int]
    last: dict[int, tuple[str, ...]]
    sector_index: dict[str, int]
    county_index: dict[str, int]


def _read_enterprise_rows(rows: Iterator[list[str]]) -> _RawColumns:
    header = next(rows, None)
    if header is None or tuple(header) != ENTERPRISE_HEADER:
        raise RosterError(f"名册表头应为 {','.join(ENTERPRISE_HEADER)} / the roster header must "
                          f"be {','.join(ENTERPRISE_HEADER)}")
    codes = bytearray()
    classes = bytearray()
    sector_ids = array("H")
    county_ids = array("H")
    last_year = array("H")
    names = bytearray()
    name_ends = array("Q")
    last: dict[int, tuple[str, ...]] = {}
    sector_index: dict[str, int] = {}
    county_index: dict[str, int] = {}
    for index, row in enumerate(rows):
        line = index + 2
        if len(row) != len(ENTERPRISE_HEADER):
            raise RosterError(f"名册第 {line} 行应有 {len(ENTERPRISE_HEADER)} 列 / roster line "
                              f"{line}: expected {len(ENTERPRISE_HEADER)} fields")
        code, name, label, sector, county, year, inspectors = row
        if len(code) != CODE_WIDTH or not code.isascii():
            raise RosterError(f"名册第 {line} 行信用代码无效: {code!r} / roster line {line}: "
                              f"invalid credit code {code!r}")
        codes += code.encode("ascii")
        rank = _CLASS_BY_LABEL.get(label)
        if rank is None:
            raise RosterError(f"名册第 {line} 行信用等级无效: {label!r} / roster line {line}: "
                              f"unknown credit class {label!r}")
        classes.append(rank)
        sector_id = sector_index.get(sector)
        if sector_id is None:
            sector_id = sector_index[_identifier(sector, line, "sector")] = len(sector_index)
        sector_ids.append(sector_id)
        county_id = county_index.get(county)
        if county_id is None:
            county_id = county_index[_identifier(county, line, "county")] = len(county_index)
        county_ids.append(county_id)
        if year:
            if not (year.isdigit() and len(year) == 4 and 1900 <= int(year) <= 2200):
                raise RosterError(f"名册第 {line} 行年度无效: {year!r} / roster line {line}: "
                                  f"invalid year {year!r}")
            last_year.append(int(year))
        else:
            last_year.append(0)
        if name:
            if not name_ends:  # first name: the rows before it had none
                name_ends.extend(0 for _ in range(index))
            names += name.encode("utf-8")
        if names:
            name_ends.append(len(names))
        if inspectors:
            last[index] = tuple(_identifier(staff, line, "last_inspectors")
                                for staff in inspectors.split(";"))
    if len(sector_index) > 65535 or len(county_index) > 65535:
        raise RosterError("行业或区县种类过多 / too many distinct sectors or counties")
    return _RawColumns(codes, classes, sector_ids, county_ids, last_year, names, name_ends, last,
                       sector_index, county_index)


def _enterprise_roster(raw: _RawColumns) -> EnterpriseRoster:
    codes, classes, names, last = raw.codes, raw.classes, raw.names, raw.last
    sector_index, county_index = raw.sector_index, raw.county_index
    size = len(classes)
    # zero-copy views of the accumulated buffers: a 14-million-row roster must not be copied
    code_array = np.frombuffer(codes, dtype="S18") if size else np.empty(0, "S18")
    sector_vocab = sorted(sector_index)
    county_vocab = sorted(county_index)
    sector_map = np.array([sector_index[w] for w in sector_vocab], dtype=np.uint16)
    county_map = np.array([county_index[w] for w in county_vocab], dtype=np.uint16)
    # ids were assigned in order of first appearance; renumber to the sorted vocabulary
    sector_rank = np.empty(len(sector_vocab), dtype=np.uint16)
    sector_rank[sector_map] = np.arange(len(sector_vocab), dtype=np.uint16)
    county_rank = np.empty(len(county_vocab), dtype=np.uint16)
    county_rank[county_map] = np.arange(len(county_vocab), dtype=np.uint16)
    sector_column = sector_rank[np.frombuffer(raw.sector_ids, dtype=np.uint16)]
    county_column = county_rank[np.frombuffer(raw.county_ids, dtype=np.uint16)]
    class_column = np.frombuffer(classes, dtype=np.uint8)
    year_column = np.frombuffer(raw.last_year, dtype=np.uint16)
    offsets: U64 | None = None
    if len(names):
        offsets = np.zeros(size + 1, dtype=np.uint64)
        offsets[1:] = np.frombuffer(raw.name_ends, dtype=np.uint64)
    order: npt.NDArray[np.intp] | None = None
    if size > 1 and not bool((code_array[1:] > code_array[:-1]).all()):
        order = np.argsort(code_array, kind="stable")
    if order is not None:
        code_array = code_array[order]
        class_column = class_column[order]
        sector_column = sector_column[order]
        county_column = county_column[order]
        year_column = year_column[order]
        position = np.empty(size, dtype=np.intp)
        position[order] = np.arange(size)
        last = {int(position[index]): staff for index, staff in last.items()}
        if offsets is not None:
            starts = offsets[:-1][order]
            stops = offsets[1:][order]
            pieces = [bytes(names[int(a):int(b)]) for a, b in zip(starts, stops, strict=True)]
            names = bytearray(b"".join(pieces))
            offsets = np.zeros(size + 1, dtype=np.uint64)
            offsets[1:] = np.cumsum([len(piece) for piece in pieces], dtype=np.uint64)
    return EnterpriseRoster(
        codes=code_array,
        classes=class_column,
        sector_ids=sector_column,
        sector_vocab=sector_vocab,
        county_ids=county_column,
        county_vocab=county_vocab,
        last_year=year_column,
        names_blob=bytes(names),
        name_offsets=offsets,
        last_inspectors=last,
    )


def read_inspector_roster(stream: BinaryIO) -> tuple[InspectorRoster, str]:
    """Parse an inspector CSV and hash its bytes; returns (roster, sha256)."""
    hashing = _HashingReader(stream)
    with _csv_rows(hashing) as rows:
        inspectors = _read_inspector_rows(rows)
    return InspectorRoster(inspectors), hashing.digest.hexdigest()


def _read_inspector_rows(rows: Iterator[list[str]]) -> list[Inspector]:
    header = next(rows, None)
    if header is None or tuple(header) != INSPECTOR_HEADER:
        raise RosterError(f"执法人员名录表头应为 {','.join(INSPECTOR_HEADER)} / the inspector "
                          f"header must be {','.join(INSPECTOR_HEADER)}")
    inspectors = []
    for index, row in enumerate(rows):
        line = index + 2
        if len(row) != len(INSPECTOR_HEADER):
            raise RosterError(f"执法人员名录第 {line} 行应有 4 列 / inspector line {line}: "
                              "expected 4 fields")
        staff_no, department, county, conflicts = row
        codes = frozenset(code for code in conflicts.split(";") if code)
        for code in codes:
            if len(code) != CODE_WIDTH or not code.isascii():
                raise RosterError(f"执法人员名录第 {line} 行回避代码无效 / inspector line "
                                  f"{line}: invalid conflict code {code!r}")
        inspectors.append(Inspector(
            staff_no=_identifier(staff_no, line, "staff_no"),
            department_id=_identifier(department, line, "department"),
            county=_identifier(county, line, "county"),
            conflicts=codes,
        ))
    return inspectors
