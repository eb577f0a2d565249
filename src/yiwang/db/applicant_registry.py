"""`yiwang.registries.ports.ApplicantRegistry` on SQL: each read and its access-log entry are
one transaction, so no read goes unrecorded."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from yiwang.db import tables as t
from yiwang.db.registries_repo import AccessLog
from yiwang.registries.models import AccessRecord
from yiwang.registries.ports import EnterpriseRecord, PersonRecord

# The dataset name under which reads of earlier applications are logged.
CASES_DATASET = "cases"


class SqlApplicantRegistry:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def _log(
        self, connection: Connection, reader: str, subject_id: str, dataset: str, fields: tuple[str, ...], purpose: str
    ) -> None:
        # In UTC, as every entry: the hash covers the instant as written, and it is read back in UTC.
        at = self.clock().astimezone(UTC)
        AccessLog(connection).append(AccessRecord(at, reader, subject_id, dataset, fields, purpose, None))

    def person(self, id_number: str, *, reader: str, purpose: str) -> PersonRecord | None:
        with self.engine.begin() as connection:
            row = connection.execute(select(t.people).where(t.people.c.id_number == id_number)).first()
            self._log(connection, reader, id_number, "population", ("name", "phone", "region_code"), purpose)
        if row is None:
            return None
        return PersonRecord(row.id_number, row.name, row.phone or "", row.region_code)

    def enterprise(self, credit_code: str, *, reader: str, purpose: str) -> EnterpriseRecord | None:
        with self.engine.begin() as connection:
            row = connection.execute(select(t.enterprises).where(t.enterprises.c.credit_code == credit_code)).first()
            self._log(
                connection, reader, credit_code, "legal_entities", ("name", "legal_rep_id", "address", "region_code"), purpose
            )
        if row is None:
            return None
        return EnterpriseRecord(row.credit_code, row.name, row.legal_rep_id, row.address, row.region_code)

    def record_read(self, subject_id: str, dataset: str, fields: tuple[str, ...], *, reader: str, purpose: str) -> None:
        with self.engine.begin() as connection:
            self._log(connection, reader, subject_id, dataset, fields, purpose)

    def earlier_forms(
        self, applicant_id: str, *, reader: str, purpose: str, limit: int = 5
    ) -> Sequence[Mapping[str, Any]]:
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(t.cases.c.form)
                .where(t.cases.c.applicant_id == applicant_id)
                .order_by(t.cases.c.submitted_at.desc())
                .limit(limit)
            ).all()
            self._log(connection, reader, applicant_id, CASES_DATASET, ("form",), purpose)
        return [dict(row.form or {}) for row in rows]
