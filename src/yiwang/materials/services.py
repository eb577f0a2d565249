"""Uploaded materials (申请材料): size and type limits, content sniffed from the bytes (never
the file name), stored under ``data_dir/uploads`` (outside any web root) and served only after
the caller's access to the case has been checked by the edge.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from yiwang.materials.errors import EmptyFile, FileTooLarge, MaterialNotFound, UnsupportedFileType
from yiwang.materials.ports import MaterialRecords

MAX_BYTES = 5 * 1024 * 1024

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def sniff(data: bytes) -> tuple[str, str]:
    """(content type, extension) from the first bytes; `UnsupportedFileType` otherwise."""
    for magic, content_type, extension in _SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    raise UnsupportedFileType()


@dataclass(frozen=True, slots=True)
class Material:
    id: str
    case_id: str
    material_code: str
    supplement_id: str | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def material_of(row: Any) -> Material:
    """A material from anything with its attributes (a database row, a dict turned object)."""
    return Material(
        id=row.id,
        case_id=row.case_id,
        material_code=row.material_code,
        supplement_id=row.supplement_id,
        original_name=row.original_name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )


def _safe_name(name: str) -> str:
    # Only for display and the download's file name; the stored path never uses it.
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '/\\:*?"<>|').strip()
    return (cleaned or "file")[-120:]


class MaterialStore:
    def __init__(self, records: MaterialRecords, root: Path, clock: Callable[[], datetime]) -> None:
        self.records = records
        self.root = root
        self.clock = clock

    def save(
        self,
        *,
        case_id: str,
        material_code: str,
        original_name: str,
        data: bytes,
        uploaded_by: str,
        supplement_id: str | None = None,
    ) -> Material:
        if len(data) > MAX_BYTES:
            raise FileTooLarge(MAX_BYTES)
        if not data:
            raise EmptyFile()
        content_type, extension = sniff(data)
        material_id = secrets.token_hex(12)
        relative = f"{case_id[:40]}/{material_id}.{extension}"
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)  # atomic: a reader never sees half a file
        row = {
            "id": material_id,
            "case_id": case_id,
            "material_code": material_code[:80],
            "supplement_id": supplement_id,
            "original_name": _safe_name(original_name),
            "content_type": content_type,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "stored_path": relative,
            "uploaded_by": uploaded_by,
            "uploaded_at": self.clock(),
        }
        try:
            self.records.add(row)
        except Exception:
            path.unlink(missing_ok=True)
            raise
        return material_of(type("Row", (), row))

    def of_case(self, case_id: str) -> Sequence[Material]:
        return self.records.of_case(case_id)

    def get(self, material_id: str) -> tuple[Material, Path]:
        found = self.records.find(material_id)
        if found is None:
            raise MaterialNotFound()
        material, stored_path = found
        path = (self.root / stored_path).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.is_file():
            raise MaterialNotFound()
        return material, path
