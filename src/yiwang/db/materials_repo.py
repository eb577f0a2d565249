"""The records of uploaded materials (the files themselves live under ``data_dir/uploads``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from yiwang.db import tables_web as w
from yiwang.db.counters import next_counter
from yiwang.db.engine import read_connection
from yiwang.materials.ports import Usage
from yiwang.materials.services import Material, material_of


class SqlMaterialRecords:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, row: Mapping[str, Any], since: datetime, check: Callable[[Usage], None]) -> None:
        case_id, uploaded_by = str(row["case_id"]), str(row["uploaded_by"])
        with self.engine.begin() as connection:
            # Queue behind any other upload to this case or by this uploader: on PostgreSQL the
            # counter rows' locks are held to the commit (taken in name order, so two uploads
            # never wait on each other crosswise); on SQLite the transaction already holds the
            # database's write lock (BEGIN IMMEDIATE). The usage read next includes every
            # upload that committed before, so the check cannot be passed twice at once.
            for name in sorted({f"upload:case:{case_id[:60]}", f"upload:by:{uploaded_by[:60]}"}):
                next_counter(connection, name)
            check(_usage(connection, case_id, uploaded_by, since))
            connection.execute(insert(w.materials), dict(row))

    def usage(self, case_id: str, uploaded_by: str, since: datetime) -> Usage:
        with read_connection(self.engine) as connection:
            return _usage(connection, case_id, uploaded_by, since)

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


def _usage(connection: Connection, case_id: str, uploaded_by: str, since: datetime) -> Usage:
    # One statement (two subqueries) rather than two: every upload asks it twice (a cheap first
    # check, then under the counter rows' lock), and under load each round trip costs more
    # than its query.
    m = w.materials
    of_case = select(func.count(), func.coalesce(func.sum(m.c.size), 0)).where(m.c.case_id == case_id).subquery()
    of_uploader = (
        select(func.coalesce(func.sum(m.c.size), 0).label("used"))
        .where(m.c.uploaded_by == uploaded_by, m.c.uploaded_at > since)
        .scalar_subquery()
    )
    row = connection.execute(select(*of_case.c, of_uploader)).one()
    return Usage(case_files=int(row[0]), case_bytes=int(row[1]), uploader_bytes=int(row[2]))
