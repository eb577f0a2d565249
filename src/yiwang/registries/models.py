"""Base registries (基础库) and their sharing levels (R-DATA-1), and the access log's entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SharingLevel(StrEnum):
    UNCONDITIONAL = "unconditional"  # 无条件共享: any department may read for a case
    CONDITIONAL = "conditional"  # 有条件共享: a request with purpose, answered by the owner
    NOT_SHARED = "not_shared"  # 不予共享


@dataclass(frozen=True, slots=True)
class DatasetField:
    code: str
    name_zh: str
    name_en: str
    personal: bool = False  # personal data: masked where the reader does not need it in full


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset of a base registry, held by its owning department kind."""

    code: str  # e.g. "population", "legal_entities", "licences", "credit", "marriage"
    name_zh: str
    name_en: str
    owner_department_kind: str
    sharing: SharingLevel
    fields: tuple[DatasetField, ...]

    def field(self, code: str) -> DatasetField:
        for field in self.fields:
            if field.code == code:
                return field
        raise KeyError(f"{self.code}.{code}")


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """One read of a person's or enterprise's data: who, whose, what, why, under which case."""

    at: datetime
    reader: str
    subject_id: str
    dataset: str
    fields: tuple[str, ...]
    purpose: str
    case_id: str | None


@dataclass(frozen=True, slots=True)
class ChainedRecord:
    """An access record as stored: with its position and the hash chain."""

    id: int
    record: AccessRecord
    previous_hash: str
    hash: str
