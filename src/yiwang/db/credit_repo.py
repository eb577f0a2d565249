"""Credit files and commitment decisions on SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from yiwang.credit.models import CommitmentDecision, CreditRecord, RecordKind, Severity
from yiwang.db import tables as t


def _record_from(row: Any) -> CreditRecord:
    return CreditRecord(
        record_id=row.record_id,
        credit_code=row.credit_code,
        kind=RecordKind(row.kind),
        occurred_on=row.occurred_on,
        source_department=row.source_department,
        legal_basis=row.legal_basis,
        severity=Severity(row.severity) if row.severity else None,
        summary_zh=row.summary_zh,
        violation_code=row.violation_code,
        reference=row.reference,
        lifted_on=row.lifted_on,
        lift_reason_zh=row.lift_reason_zh,
        repaired_on=row.repaired_on,
        repair_commitment_ref=row.repair_commitment_ref,
    )


def _record_values(record: CreditRecord) -> dict[str, Any]:
    return {
        "record_id": record.record_id,
        "credit_code": record.credit_code,
        "kind": record.kind.value,
        "severity": record.severity.value if record.severity else None,
        "occurred_on": record.occurred_on,
        "source_department": record.source_department,
        "legal_basis": record.legal_basis,
        "summary_zh": record.summary_zh,
        "violation_code": record.violation_code,
        "reference": record.reference,
        "lifted_on": record.lifted_on,
        "lift_reason_zh": record.lift_reason_zh,
        "repaired_on": record.repaired_on,
        "repair_commitment_ref": record.repair_commitment_ref,
    }


def _decision_from(row: Any) -> CommitmentDecision:
    return CommitmentDecision(
        decision_id=row.decision_id,
        case_id=row.case_id,
        item_id=row.item_code,
        credit_code=row.credit_code,
        decided_at=row.decided_at,
        replaced_materials=frozenset(row.replaced_materials),
        commitment_text_zh=row.commitment_text,
        licence_id=row.licence_id,
    )


class SqlCreditFiles:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def records(self, credit_code: str) -> list[CreditRecord]:
        rows = self.connection.execute(
            select(t.credit_records)
            .where(t.credit_records.c.credit_code == credit_code)
            .order_by(t.credit_records.c.occurred_on, t.credit_records.c.record_id)
        )
        return [_record_from(row) for row in rows]

    def add(self, record: CreditRecord) -> None:
        self.connection.execute(insert(t.credit_records), _record_values(record))

    def replace(self, record: CreditRecord) -> None:
        """Listings are lifted and records repaired: the changed record replaces the old."""
        values = _record_values(record)
        self.connection.execute(
            update(t.credit_records)
            .where(t.credit_records.c.record_id == record.record_id)
            .values(values)
        )

    def add_decision(self, decision: CommitmentDecision) -> None:
        self.connection.execute(
            insert(t.commitment_decisions),
            {
                "decision_id": decision.decision_id,
                "case_id": decision.case_id,
                "item_code": decision.item_id,
                "credit_code": decision.credit_code,
                "decided_at": decision.decided_at,
                "replaced_materials": sorted(decision.replaced_materials),
                "commitment_text": decision.commitment_text_zh,
                "licence_id": decision.licence_id,
            },
        )

    def decision(self, decision_id: str) -> tuple[CommitmentDecision, str | None] | None:
        row = self.connection.execute(
            select(t.commitment_decisions).where(
                t.commitment_decisions.c.decision_id == decision_id
            )
        ).first()
        return (_decision_from(row), row.post_check) if row is not None else None

    def undrawn_decisions(self) -> Sequence[CommitmentDecision]:
        rows = self.connection.execute(
            select(t.commitment_decisions)
            .where(t.commitment_decisions.c.post_check.is_(None))
            .order_by(t.commitment_decisions.c.decision_id)
        )
        return [_decision_from(row) for row in rows]

    def mark_sampled(self, decision_ids: Sequence[str], draw_id: str) -> None:
        if decision_ids:
            self.connection.execute(
                update(t.commitment_decisions)
                .where(t.commitment_decisions.c.decision_id.in_(list(decision_ids)))
                .values(post_check="sampled", post_check_draw=draw_id)
            )

    def mark_checked(self, decision_id: str, *, found_false: bool, on: date) -> bool:
        result = self.connection.execute(
            update(t.commitment_decisions)
            .where(
                t.commitment_decisions.c.decision_id == decision_id,
                t.commitment_decisions.c.post_check.in_(["sampled"]),
            )
            .values(post_check="false" if found_false else "passed", checked_on=on)
        )
        return result.rowcount == 1
