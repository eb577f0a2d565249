"""What the material store needs from storage; `yiwang.db.materials_repo` implements it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from yiwang.materials.services import Material


@dataclass(frozen=True, slots=True)
class Usage:
    """What a case and an uploader have stored, as the quota counts it."""

    case_files: int
    case_bytes: int
    uploader_bytes: int  # since the start of the uploader's quota window


class MaterialRecords(Protocol):
    def add(self, row: Mapping[str, Any], since: datetime, check: Callable[[Usage], None]) -> None:
        """Store one material's record (its file is already written) if ``check`` accepts the
        usage of its case and of its uploader (bytes after ``since``) as it stands just before
        the insert. Check and insert are one transaction, serialised against every other
        upload to the same case or by the same uploader, so concurrent uploads cannot all
        pass on the same usage. ``check`` refuses by raising; nothing is stored then."""

    def usage(self, case_id: str, uploaded_by: str, since: datetime) -> Usage:
        """The usage as last committed (an early, unserialised look: `add` decides)."""

    def of_case(self, case_id: str) -> Sequence[Material]:
        """The case's materials, in upload order."""

    def find(self, material_id: str) -> tuple[Material, str] | None:
        """The material and its stored path relative to the upload root, or None."""
