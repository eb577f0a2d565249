"""The electronic licence library (电子证照库) on SQL: issued licences, serials, revocations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, insert, select

from yiwang.db import tables as t
from yiwang.db.counters import next_counter
from yiwang.licences.models import LicenceIdentifier, Revocation, SignedLicence
from yiwang.licences.payload import decode
from yiwang.licences.revocation import RevocationList


class SqlSerials:
    """Licence serials from a database counter per (type code, issuer code)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def next_serial(self, type_code: str, issuer_code: str) -> int:
        return next_counter(self.connection, f"licence:{type_code}:{issuer_code}")


class SqlLicenceLibrary:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def store(
        self,
        signed: SignedLicence,
        *,
        number: str | None,
        case_id: str | None,
        holder_id: str | None = None,
    ) -> None:
        """``holder_id``: the holder's full number, which the wallet is looked up by (the
        signed payload carries a citizen's number masked); defaults to the payload's."""
        licence = signed.licence
        self.connection.execute(
            insert(t.licences),
            {
                "identifier": licence.identifier.text,
                "kind": licence.kind.code,
                "holder_id": holder_id or licence.holder_id,
                "holder_name": licence.holder_name,
                "issuer_department": licence.issuer_department_code,
                "issued_at": licence.issued_at,
                "case_id": case_id,
                "number": number,
                "qr_text": signed.qr_text,
            },
        )

    def revoke(self, identifier: str, *, reason: str, by: str, at: datetime) -> bool:
        known = self.connection.execute(
            select(t.licences.c.identifier).where(t.licences.c.identifier == identifier)
        ).first()
        already = self.connection.execute(
            select(t.licence_revocations.c.identifier).where(
                t.licence_revocations.c.identifier == identifier
            )
        ).first()
        if known is None or already is not None:
            return False
        self.connection.execute(
            insert(t.licence_revocations),
            {"identifier": identifier, "revoked_at": at, "reason": reason, "revoked_by": by},
        )
        return True

    def revocations(self) -> RevocationList:
        rows = self.connection.execute(
            select(t.licence_revocations).order_by(t.licence_revocations.c.revoked_at)
        )
        return RevocationList(
            tuple(
                Revocation(
                    LicenceIdentifier.parse(row.identifier),
                    row.revoked_at,
                    row.reason,
                    row.revoked_by,
                )
                for row in rows
            )
        )

    def of_holder(self, holder_id: str) -> Sequence[SignedLicence]:
        rows = self.connection.execute(
            select(t.licences.c.qr_text)
            .where(t.licences.c.holder_id == holder_id)
            .order_by(t.licences.c.issued_at)
        )
        return [_signed(row.qr_text) for row in rows]

    def of_case(self, case_id: str) -> Sequence[SignedLicence]:
        rows = self.connection.execute(
            select(t.licences.c.qr_text).where(t.licences.c.case_id == case_id)
        )
        return [_signed(row.qr_text) for row in rows]

    def case_of(self, identifier: str) -> str | None:
        row = self.connection.execute(
            select(t.licences.c.case_id).where(t.licences.c.identifier == identifier)
        ).first()
        return row.case_id if row is not None else None

    def get(self, identifier: str) -> SignedLicence | None:
        row = self.connection.execute(
            select(t.licences.c.qr_text).where(t.licences.c.identifier == identifier)
        ).first()
        return _signed(row.qr_text) if row is not None else None


def _signed(qr_text: str) -> SignedLicence:
    decoded = decode(qr_text)
    return SignedLicence(decoded.licence, qr_text, decoded.key_id.hex())
