"""The SQL unit of work: one connection, one transaction, the repositories on it."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Engine,
    Select,
    Transaction,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from yiwang.cases.errors import EntityNameTaken
from yiwang.cases.events import DeadlineMissed
from yiwang.cases.models import Case
from yiwang.cases.ports import CalendarProvider, UnitOfWork
from yiwang.catalog.models import ItemSpec
from yiwang.db import tables as t
from yiwang.db.cases_repo import CaseRepository, event_row
from yiwang.db.consents_repo import SqlConsents
from yiwang.db.counters import next_counter
from yiwang.db.credit_repo import SqlCreditFiles
from yiwang.db.engine import read_connection
from yiwang.db.licences_repo import SqlLicenceLibrary, SqlSerials
from yiwang.db.read_models import OPEN_TASK
from yiwang.db.registries_repo import SqlRegistries, SqlSharingRequests
from yiwang.identity.models import EntityType
from yiwang.identity.numbers import allocate_credit_code


def name_key(name: str) -> str:
    """Normalised company name for uniqueness: full-width folded, spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


# The prefix of an output kind's numbers where its first two letters would collide with
# another kind's (numbers of one city and year would then clash). Bootstrap registers these as
# extensions; `catalog check` refuses a catalog whose output kinds would share a prefix.
OUTPUT_PREFIXES: dict[str, str] = {
    "seals": "YZ",  # 印章
    "tax_setup": "SW",  # 税务
    "tax_receipt": "WS",  # 完税
    "talent_card": "HC",  # 惠才卡
    "contract_filing": "HT",  # 合同备案
    "cosignature": "HQ",  # 会签
    "fdi_filing_record": "WB",  # 外资备案
    "fdi_approval": "WH",  # 外资核准
}


class SqlOutputNumbers:
    """Numbers on outputs. A business licence's number is a new 统一社会信用代码."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def allocate(self, kind: str, case: Case, item: ItemSpec, at: datetime) -> str:
        if kind == "business_licence":
            entity = EntityType(
                str(case.form.get("entity_type", EntityType.LLC_NATURAL_PERSON.value))
            )
            type_code = entity.credit_code_entity_type
            serial = next_counter(self.connection, f"uscc:9{type_code}:{case.region_code}")
            # Serial space above the demo population's, so generated and allocated never meet.
            return allocate_credit_code("9", type_code, case.region_code, 50_000_000 + serial)
        serial = next_counter(self.connection, f"output:{kind}:{case.region_code[:4]}")
        prefix = OUTPUT_PREFIXES.get(kind, kind[:2].upper())
        return f"{prefix}{case.region_code}{at:%Y}{serial:07d}"


class SqlRegisteredNames:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def names_containing(self, region_code: str, fragments: Sequence[str]) -> Sequence[str]:
        keys = [name_key(fragment) for fragment in fragments if fragment]
        if not keys:
            return []
        query = select(t.enterprises.c.name).where(
            t.enterprises.c.region_code == region_code,
            or_(*(t.enterprises.c.name_key.contains(key, autoescape=True) for key in keys)),
        )
        return [row[0] for row in self.connection.execute(query)]


class SqlEntityRegister:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def register(self, case: Case, credit_code: str) -> None:
        form = case.form
        scope = form.get("business_scope") or []
        try:
            self._insert(case, credit_code, form, scope)
        except IntegrityError as error:
            # Another submission registered the same name in the same region first (on
            # PostgreSQL the unique index makes the loser wait, then fail). The caller's
            # transaction is abandoned; the service answers idempotently or with a 409.
            if "uq_enterprises_region_name" in str(error.orig) or "name_key" in str(error.orig):
                raise EntityNameTaken(str(form.get("company_name", ""))[:60]) from error
            raise

    def _insert(self, case: Case, credit_code: str, form: Any, scope: Any) -> None:
        self.connection.execute(
            insert(t.enterprises),
            {
                "credit_code": credit_code,
                "name": str(form.get("company_name", "")),
                "name_key": name_key(str(form.get("company_name", ""))),
                "entity_type": str(form.get("entity_type", "")),
                "region_code": str(form.get("region_code") or case.region_code),
                "legal_rep_id": str(form.get("legal_rep_id", case.applicant_id)),
                "registered_on": case.submitted_at.date(),
                "sector": ",".join(str(code) for code in scope)[:60] or "general",
                "address": str(form.get("address", "")),
                "case_id": case.id,
            },
        )


class SqlUnitOfWork:
    def __init__(
        self,
        engine: Engine,
        *,
        read_only: bool = False,
        calendars: CalendarProvider | None = None,
    ) -> None:
        self.engine = engine
        self.read_only = read_only
        # For the cases' legal due instants (without one the repository stores a conservative
        # value the sweep corrects).
        self.calendars = calendars
        self.connection: Connection
        self.transaction: Transaction

    def __enter__(self) -> SqlUnitOfWork:
        # Reads do not take SQLite's write lock; writes take it up front (BEGIN IMMEDIATE).
        self.connection = read_connection(self.engine) if self.read_only else self.engine.connect()
        self.transaction = self.connection.begin()
        self.cases = CaseRepository(self.connection, self.calendars)
        self.numbers = SqlOutputNumbers(self.connection)
        self.names = SqlRegisteredNames(self.connection)
        self.entities = SqlEntityRegister(self.connection)
        # A writing unit of work logs its registry reads at commit (see AccessLog); a read-only
        # one (autocommit, never committed) logs each read at once, as before.
        self.registries = SqlRegistries(self.connection, deferred_log=not self.read_only)
        self.sharing = SqlSharingRequests(self.connection)
        self.licences = SqlLicenceLibrary(self.connection)
        self.licence_serials = SqlSerials(self.connection)
        self.credit = SqlCreditFiles(self.connection)
        self.consents = SqlConsents(self.connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self.connection.close()

    def commit(self) -> None:
        self.registries.log.flush()
        self.transaction.commit()

    def open_task_case_ids(self, *, provisional_only: bool) -> Sequence[str]:
        query: Select[tuple[str]] | CompoundSelect[tuple[str]]
        open_tasks = select(t.tasks.c.case_id).where(t.tasks.c.status.in_(OPEN_TASK)).distinct()
        query = open_tasks
        if provisional_only:
            query = (
                select(t.cases.c.id)
                .where(
                    t.cases.c.status.in_(["in_progress", "waiting_applicant"]),
                    t.cases.c.due_provisional.is_(True),
                )
                .union(open_tasks.where(t.tasks.c.due_provisional.is_(True)))
            )
        return [str(row[0]) for row in self.connection.execute(query)]

    def legal_due_case_ids(self, now: datetime) -> Sequence[str]:
        """The cases the legal sweep may have to change: ``legal_due_at`` before ``now``
        (the partial index holds only cases not closed with a legal deadline pending)."""
        query = (
            select(t.cases.c.id)
            .where(t.cases.c.legal_due_at.is_not(None), t.cases.c.legal_due_at < now)
            .order_by(t.cases.c.legal_due_at)
        )
        return [str(row[0]) for row in self.connection.execute(query)]

    def legal_due_unknown(self) -> None:
        # The submission time comes before every legal deadline of a case.
        self.connection.execute(
            update(t.cases)
            .where(t.cases.c.legal_due_at.is_not(None))
            .values(legal_due_at=t.cases.c.submitted_at)
        )

    def escalate_overdue(self, now: datetime, limit: int) -> int:
        """Claim up to ``limit`` overdue, unescalated open tasks and record `DeadlineMissed`
        for each, in this transaction; returns how many were claimed.

        One conditional UPDATE ... RETURNING claims the batch (``escalated_at IS NULL``), so
        of two sweeps racing for a task exactly one changes the row and writes the event. On
        PostgreSQL the candidates are picked ``FOR UPDATE SKIP LOCKED``: a second sweeper takes
        the next batch instead of waiting for this one to commit.
        """
        candidates = (
            select(t.tasks.c.id)
            .where(
                t.tasks.c.status.in_(OPEN_TASK),
                t.tasks.c.due_at < now,
                t.tasks.c.escalated_at.is_(None),
                # Untimed work (提前介入（不计时）) is never overdue, so never escalated.
                or_(t.tasks.c.kind.is_(None), t.tasks.c.kind != "early_intervention"),
            )
            .order_by(t.tasks.c.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = self.connection.execute(
            update(t.tasks)
            .where(
                t.tasks.c.id.in_(candidates.scalar_subquery()),
                t.tasks.c.escalated_at.is_(None),
                t.tasks.c.status.in_(OPEN_TASK),
            )
            .values(escalated_at=now)
            .returning(t.tasks.c.id, t.tasks.c.case_id, t.tasks.c.due_at)
        ).all()
        if claimed:
            # The events alone, without loading the cases: the claim above already serialises
            # the sweeps, and a case's version must not change under a reviewer's action.
            self.connection.execute(
                insert(t.case_events),
                [
                    event_row(
                        row.case_id,
                        DeadlineMissed(
                            at=now,
                            task_id=row.id,
                            reason="超期未办结，已提请督查 / overdue, escalated to the supervisor",
                            due_at=row.due_at,
                        ),
                    )
                    for row in sorted(claimed, key=lambda row: (row.due_at, row.id))
                ],
            )
        return len(claimed)


def _conforms(engine: Engine) -> UnitOfWork:
    # Checked by mypy only: the SQL unit of work provides everything the services need.
    return SqlUnitOfWork(engine)
