"""What the material store needs from storage; `yiwang.db.materials_repo` implements it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from yiwang.materials.services import Material


class MaterialRecords(Protocol):
    def add(self, row: Mapping[str, Any]) -> None:
        """Store one material's record (its file is already written)."""

    def of_case(self, case_id: str) -> Sequence[Material]:
        """The case's materials, in upload order."""

    def find(self, material_id: str) -> tuple[Material, str] | None:
        """The material and its stored path relative to the upload root, or None."""

    def usage(self, case_id: str, uploaded_by: str, since: datetime) -> tuple[int, int, int]:
        """(files, bytes) stored for the case, and the bytes the uploader stored after
        ``since``: what the quotas are checked against, in one round trip."""
