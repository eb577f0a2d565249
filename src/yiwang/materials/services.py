"""Uploaded materials (申请材料): size and type limits, content sniffed from the bytes (never
the file name), stored under ``data_dir/uploads`` (outside any web root) and served only after
the caller's access to the case has been checked by the edge.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from yiwang.files import private_folder, write_private
from yiwang.materials.errors import (
    EmptyFile,
    FileTooLarge,
    MaterialNotFound,
    QuotaExceeded,
    UnsupportedFileType,
)
from yiwang.materials.ports import MaterialRecords, Usage

MAX_BYTES = 5 * 1024 * 1024
# Quotas (an assumption sized on the catalog: the largest bundle lists 14 materials, and a
# supplement notice may ask for a few more): a case holds at most 100 MB and 60 files, and one
# account uploads at most 300 MB a day, so no anonymous or single user can fill the disk.
CASE_QUOTA_BYTES = 100 * 1024 * 1024
CASE_QUOTA_FILES = 60
ACCOUNT_QUOTA_BYTES = 300 * 1024 * 1024
ACCOUNT_QUOTA_WINDOW = timedelta(days=1)

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

    @property
    def download_name(self) -> str:
        """The name offered for download, with the extension of the stored type (also for
        files stored before names were corrected at upload)."""
        extension = next((ext for _magic, kind, ext in _SIGNATURES if kind == self.content_type), "bin")
        return _safe_name(self.original_name, extension)


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


def _safe_name(name: str, extension: str) -> str:
    """The name shown and offered for download: printable, no path characters, and ending
    in the extension of the sniffed type (a ``poly.html`` that is a PDF becomes
    ``poly.pdf``), so a browser or desktop never opens it as something else."""
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '/\\:*?"<>|').strip()
    stem = cleaned.rsplit(".", 1)[0].strip() if "." in cleaned else cleaned
    return f"{(stem or 'file')[-100:]}.{extension}"


@dataclass(frozen=True, slots=True)
class Quota:
    case_bytes: int = CASE_QUOTA_BYTES
    case_files: int = CASE_QUOTA_FILES
    account_bytes: int = ACCOUNT_QUOTA_BYTES
    account_window: timedelta = ACCOUNT_QUOTA_WINDOW


def check_quota(quota: Quota, usage: Usage, size: int) -> None:
    """Refuse an upload of ``size`` bytes that would take the case or the uploader over their
    quota (`QuotaExceeded`)."""
    if usage.case_bytes + size > quota.case_bytes or usage.case_files + 1 > quota.case_files:
        raise QuotaExceeded("本办件", "this case", quota.case_bytes)
    if usage.uploader_bytes + size > quota.account_bytes:
        raise QuotaExceeded("您的账号今日", "your account today", quota.account_bytes)


class MaterialStore:
    def __init__(
        self, records: MaterialRecords, root: Path, clock: Callable[[], datetime], quota: Quota | None = None
    ) -> None:
        self.records = records
        self.root = root
        self.clock = clock
        self.quota = quota or Quota()

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
        now = self.clock()
        since = now - self.quota.account_window
        # An early look, so an upload refused outright never touches the disk; the decision
        # is taken again inside the insert's transaction, where concurrent uploads queue.
        check_quota(self.quota, self.records.usage(case_id, uploaded_by, since), len(data))
        material_id = secrets.token_hex(12)
        relative = f"{case_id[:40]}/{material_id}.{extension}"
        path = self.root / relative
        private_folder(path.parent)
        temporary = path.with_suffix(".part")
        row = {
            "id": material_id,
            "case_id": case_id,
            "material_code": material_code[:80],
            "supplement_id": supplement_id,
            "original_name": _safe_name(original_name, extension),
            "content_type": content_type,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "stored_path": relative,
            "uploaded_by": uploaded_by,
            "uploaded_at": now,
        }
        # The file is in place before its record commits, so a committed record always has its
        # file; when the database refuses (quota passed by a concurrent upload, any error) the
        # file goes, so a refusal leaves nothing on disk.
        try:
            write_private(temporary, data)
            temporary.replace(path)  # atomic: a reader never sees half a file
            self.records.add(row, since, lambda usage: check_quota(self.quota, usage, len(data)))
        except BaseException:
            temporary.unlink(missing_ok=True)
            path.unlink(missing_ok=True)
            raise
        return material_of(SimpleNamespace(**row))

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
