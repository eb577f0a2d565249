"""The records of uploaded materials (the files themselves live under ``data_dir/uploads``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select

from yiwang.db import tables_web as w
from yiwang.db.engine import read_connection
from yiwang.materials.services import Material, material_of


class SqlMaterialRecords:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, row: Mapping[str, Any]) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(w.materials), dict(row))

    def of_case(self, case_id: str) -> Sequence[Material]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(w.materials)
                .where(w.materials.c.case_id == case_id)
                .order_by(w.materials.c.uploaded_at, w.materials.c.id)
            ).all()
        return [material_of(row) for row in rows]

    def find(self, material_id: str) -> tuple[Material, str] | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(select(w.materials).where(w.materials.c.id == material_id)).first()
        return None if row is None else (material_of(row), str(row.stored_path))

    def case_usage(self, case_id: str) -> tuple[int, int]:
        m = w.materials
        with read_connection(self.engine) as connection:
            files, used = connection.execute(
                select(func.count(), func.coalesce(func.sum(m.c.size), 0)).where(m.c.case_id == case_id)
            ).one()
        return int(files), int(used)

    def uploader_bytes_since(self, uploaded_by: str, since: datetime) -> int:
        m = w.materials
        with read_connection(self.engine) as connection:
            used = connection.execute(
                select(func.coalesce(func.sum(m.c.size), 0)).where(m.c.uploaded_by == uploaded_by, m.c.uploaded_at > since)
            ).scalar_one()
        return int(used)
