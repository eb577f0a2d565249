"""Consent requests of people named in an application, in the case's transaction."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, insert, select

from yiwang.db import tables as t
from yiwang.db import tables_identity as ti
from yiwang.identity.consent import ConsentStatus, NamedPerson


class SqlConsents:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def registered_name(self, id_number: str) -> str | None:
        """The population registry's name for an ID number (the caller logs the read)."""
        value = self.connection.execute(select(t.people.c.name).where(t.people.c.id_number == id_number)).scalar()
        return str(value) if value is not None else None

    def legal_rep_of(self, credit_code: str) -> str | None:
        value = self.connection.execute(
            select(t.enterprises.c.legal_rep_id).where(t.enterprises.c.credit_code == credit_code)
        ).scalar()
        return str(value) if value is not None else None

    def request(
        self, case_id: str, person: NamedPerson, status: ConsentStatus, *, requested_by: str, at: datetime
    ) -> None:
        self.connection.execute(
            insert(ti.identity_consents),
            {
                "id": "cs_" + secrets.token_urlsafe(18),
                "case_id": case_id,
                "person_id": person.person_id[:18],
                "role": person.field[:40],
                "stated_name": (person.stated_name or "")[:60],
                "status": status.value,
                "requested_by": requested_by[:60],
                "requested_at": at,
                "answered_at": at if status is ConsentStatus.CONFIRMED else None,
            },
        )

    def blocking(self, case_id: str) -> Sequence[str]:
        """The form fields of the named people who are not (yet) confirmed."""
        table = ti.identity_consents
        rows = self.connection.execute(
            select(table.c.role).where(table.c.case_id == case_id, table.c.status != ConsentStatus.CONFIRMED.value)
        ).scalars()
        return sorted(set(rows))
