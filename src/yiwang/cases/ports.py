"""What the case services need from the outside world; `db/` provides the real ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol

from yiwang.calendar import WorkingCalendar
from yiwang.cases.engine import OutputNumbers
from yiwang.cases.events import CaseEvent
from yiwang.cases.models import Case, Output
from yiwang.catalog.models import CatalogSpec
from yiwang.credit.models import CommitmentDecision, CreditRecord
from yiwang.identity.consent import ConsentStatus, NamedPerson
from yiwang.licences.models import SignedLicence
from yiwang.licences.services import SerialAllocator


class CaseStore(Protocol):
    def get(self, case_id: str, *, with_outputs: bool = True) -> Case: ...

    def get_many(self, case_ids: Sequence[str]) -> list[Case]: ...

    def add(self, case: Case) -> None: ...

    def save(self, case: Case) -> None: ...

    def refresh_legal_due(self, cases: Sequence[Case]) -> None:
        """Store the exact legal due instant of cases read but not due (see `sweep_legal`)."""
        ...

    def find_by_idempotency_key(self, key: str) -> str | None: ...

    def digest_of(self, case_id: str) -> str: ...

    def outputs(self, case_id: str) -> list[Output]: ...

    def events(self, case_id: str) -> Sequence[CaseEvent]: ...


class RegisteredNames(Protocol):
    """Names of market entities already registered, for the uniqueness check."""

    def names_containing(self, region_code: str, fragments: Sequence[str]) -> Sequence[str]:
        """Registered names in the region whose normalised form contains any fragment."""
        ...


@dataclass(frozen=True, slots=True)
class RegistryAnswer:
    """What a registry lookup found: the reference (dataset field or licence id) and a
    summary a reviewer may see, personal data masked."""

    found: bool
    reference: str
    summary: str
    # The value a department supplied (e.g. an exporter class), for rules that test it.
    value: str = ""


class Registries(Protocol):
    """Base registries read by data sharing; every lookup is written to the access log."""

    def lookup(
        self,
        dataset: str,
        field: str,
        subject_id: str,
        *,
        reader: str,
        purpose: str,
        case_id: str | None,
        at: datetime,
    ) -> RegistryAnswer: ...

    def attach(
        self,
        *,
        case_id: str,
        item_code: str,
        material_code: str,
        source: str,
        answer: RegistryAnswer,
        at: datetime,
    ) -> None: ...

    def supply(
        self, dataset: str, field: str, subject_id: str, value: str, *, by: str, at: datetime
    ) -> None:
        """A department supplies (or replaces) one record of its dataset."""
        ...

    def log_read(
        self,
        dataset: str,
        fields: tuple[str, ...],
        subject_id: str,
        *,
        reader: str,
        purpose: str,
        case_id: str | None,
        at: datetime,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class SharingRequest:
    id: str
    registry_field: str
    subject_id: str
    purpose: str
    case_id: str
    task_id: str
    owner_department: str
    requested_by: str
    requested_at: datetime
    due_at: datetime
    status: str  # pending | granted | refused


class SharingRequests(Protocol):
    def open(self, request: SharingRequest) -> None: ...

    def get(self, request_id: str) -> SharingRequest | None: ...

    def close(
        self, request_id: str, *, granted: bool, by: str, note: str, at: datetime
    ) -> bool: ...


class LicenceLibrary(Protocol):
    """电子证照库: issued licences and their revocations."""

    def store(
        self, signed: SignedLicence, *, number: str | None, case_id: str | None, holder_id: str | None = None
    ) -> None: ...

    def revoke(self, identifier: str, *, reason: str, by: str, at: datetime) -> bool: ...

    def get(self, identifier: str) -> SignedLicence | None: ...

    def case_of(self, identifier: str) -> str | None: ...


class CreditFiles(Protocol):
    def records(self, credit_code: str) -> list[CreditRecord]: ...

    def add(self, record: CreditRecord) -> None: ...

    def add_decision(self, decision: CommitmentDecision) -> None: ...

    def decision(self, decision_id: str) -> tuple[CommitmentDecision, str | None] | None: ...

    def undrawn_decisions(self) -> Sequence[CommitmentDecision]: ...

    def mark_sampled(self, decision_ids: Sequence[str], draw_id: str) -> None: ...

    def mark_checked(self, decision_id: str, *, found_false: bool, on: date) -> bool: ...


class EntityRegister(Protocol):
    """The legal-entity registry (法人库): a concluded registration adds the new entity."""

    def register(self, case: Case, credit_code: str) -> None: ...


class Consents(Protocol):
    """Consent of the people an application names (legal representative, shareholders)."""

    def registered_name(self, id_number: str) -> str | None: ...

    def legal_rep_of(self, credit_code: str) -> str | None: ...

    def request(
        self, case_id: str, person: NamedPerson, status: ConsentStatus, *, requested_by: str, at: datetime
    ) -> None: ...

    def blocking(self, case_id: str) -> Sequence[str]: ...


class UnitOfWork(Protocol):
    """One database transaction: commit on success, roll back on any error."""

    # Read-only members: a concrete unit of work may hold more specific types.
    @property
    def cases(self) -> CaseStore: ...

    @property
    def numbers(self) -> OutputNumbers: ...

    @property
    def names(self) -> RegisteredNames: ...

    @property
    def entities(self) -> EntityRegister: ...

    @property
    def registries(self) -> Registries: ...

    @property
    def sharing(self) -> SharingRequests: ...

    @property
    def licences(self) -> LicenceLibrary: ...

    @property
    def licence_serials(self) -> SerialAllocator: ...

    @property
    def credit(self) -> CreditFiles: ...

    @property
    def consents(self) -> Consents: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def open_task_case_ids(self, *, provisional_only: bool) -> Sequence[str]: ...

    def legal_due_case_ids(self, now: datetime) -> Sequence[str]: ...

    def legal_due_unknown(self) -> None:
        """Every stored legal due instant back to a conservative value (the calendar changed)."""
        ...

    def escalate_overdue(self, now: datetime, limit: int) -> int: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, read_only: bool = False) -> UnitOfWork: ...


class CatalogProvider(Protocol):
    def current(self) -> CatalogSpec: ...

    def version(self, version: str) -> CatalogSpec: ...


class CalendarProvider(Protocol):
    def current(self) -> WorkingCalendar: ...
