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

    def usage(self, case_id: str, uploaded_by: str, since: datetime) -> tuple[int, int, int]:
        # One statement (two subqueries) rather than two: every upload asks it, and under
        # load each statement's round trip and connection checkout cost more than its query.
        m = w.materials
        of_case = select(func.count(), func.coalesce(func.sum(m.c.size), 0)).where(m.c.case_id == case_id).subquery()
        of_uploader = (
            select(func.coalesce(func.sum(m.c.size), 0).label("used"))
            .where(m.c.uploaded_by == uploaded_by, m.c.uploaded_at > since)
            .scalar_subquery()
        )
        with read_connection(self.engine) as connection:
            row = connection.execute(select(*of_case.c, of_uploader)).one()
        return int(row[0]), int(row[1]), int(row[2])
