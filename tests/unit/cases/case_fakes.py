"""An in-memory unit of work for the case services' unit tests (no I/O).

It keeps what the SQL repositories keep, in dictionaries, and applies the one rule the
services rely on: saving a case whose version is no longer the stored one raises
`ConcurrentUpdate` (the optimistic lock of `db/cases_repo.py`). A case is stored as a deep
copy, so a loaded case is as independent of the store as a case read from a database.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType

from yiwang.cases.errors import CaseNotFound, ConcurrentUpdate, DuplicateSubmission
from yiwang.cases.events import CaseEvent
from yiwang.cases.models import Case, Output
from yiwang.cases.ports import RegistryAnswer, SharingRequest
from yiwang.catalog.models import ItemSpec
from yiwang.credit.models import CommitmentDecision, CreditRecord
from yiwang.licences.models import SignedLicence


@dataclass
class Stored:
    """What the fake database holds; shared by every unit of work of one test."""

    cases: dict[str, Case] = field(default_factory=dict)
    events: dict[str, list[CaseEvent]] = field(default_factory=dict)
    outputs: dict[str, list[Output]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    registry_reads: list[tuple[str, str, str]] = field(default_factory=list)
    commits: int = 0
    # Runs once, right after the next case is read: lets a test interleave another action
    # between a read and its save, as a second process would.
    after_next_read: Callable[[], None] | None = None


def _stored_copy(case: Case) -> Case:
    kept = copy.deepcopy(case)
    kept.new_events = []
    kept.new_outputs = []
    kept.is_new = False
    for task in kept.tasks:
        task.is_new = False
        task.dirty = False
    return kept


class FakeCaseStore:
    def __init__(self, stored: Stored, pending: list[Callable[[], None]]) -> None:
        self.stored = stored
        self.pending = pending
        # Outputs written by this unit of work, visible to its own later reads.
        self.staged_outputs: dict[str, list[Output]] = {}

    def get(self, case_id: str, *, with_outputs: bool = True) -> Case:
        if case_id not in self.stored.cases:
            raise CaseNotFound(case_id)
        case = copy.deepcopy(self.stored.cases[case_id])
        if with_outputs:
            case.outputs = list(self.stored.outputs.get(case_id, []))
        hook, self.stored.after_next_read = self.stored.after_next_read, None
        if hook is not None:
            hook()
        return case

    def add(self, case: Case) -> None:
        if case.idempotency_key is not None and case.idempotency_key in self.stored.keys:
            raise DuplicateSubmission()
        self._write(case)

    def save(self, case: Case) -> None:
        if self.stored.cases[case.id].version != case.version:
            raise ConcurrentUpdate(case.id)
        self._write(case)

    def _write(self, case: Case) -> None:
        # Written only at commit, like a transaction: a failed action leaves nothing behind.
        case.version += 1
        snapshot = _stored_copy(case)
        events, outputs = list(case.new_events), list(case.new_outputs)
        self.staged_outputs.setdefault(case.id, []).extend(outputs)

        def apply() -> None:
            self.stored.cases[case.id] = snapshot
            self.stored.events.setdefault(case.id, []).extend(events)
            self.stored.outputs.setdefault(case.id, []).extend(outputs)
            if case.idempotency_key is not None:
                self.stored.keys[case.idempotency_key] = case.id

        self.pending.append(apply)
        case.new_events.clear()
        case.new_outputs.clear()
        case.is_new = False

    def refresh_legal_due(self, cases: Sequence[Case]) -> None:
        pass  # nothing stored: legal_due_case_ids answers every open case

    def find_by_idempotency_key(self, key: str) -> str | None:
        return self.stored.keys.get(key)

    def digest_of(self, case_id: str) -> str:
        return self.stored.cases[case_id].request_digest

    def outputs(self, case_id: str) -> list[Output]:
        return [*self.stored.outputs.get(case_id, []), *self.staged_outputs.get(case_id, [])]

    def events(self, case_id: str) -> Sequence[CaseEvent]:
        return list(self.stored.events.get(case_id, []))


class FakeNumbers:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def allocate(self, kind: str, case: Case, item: ItemSpec, at: datetime) -> str:
        serial = self.stored.counters.get(kind, 0) + 1
        self.stored.counters[kind] = serial
        return f"{kind.upper()}-{serial:04d}"


class NoNames:
    def names_containing(self, region_code: str, fragments: Sequence[str]) -> Sequence[str]:
        return []


class NoEntities:
    def register(self, case: Case, credit_code: str) -> None:
        raise AssertionError("the test catalog issues no business licence")


class EmptyRegistries:
    """Registries that know nobody; every read is remembered, as the access log would."""

    def __init__(self, stored: Stored) -> None:
        self.stored = stored

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
    ) -> RegistryAnswer:
        self.stored.registry_reads.append((dataset, field, subject_id))
        return RegistryAnswer(False, f"{dataset}.{field}", "")

    def attach(
        self,
        *,
        case_id: str,
        item_code: str,
        material_code: str,
        source: str,
        answer: RegistryAnswer,
        at: datetime,
    ) -> None:
        raise AssertionError("the test catalog has no registry material")

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
    ) -> None:
        self.stored.registry_reads.append((dataset, ",".join(fields), subject_id))


class Unused:
    """The licence library, serials, sharing requests and credit files: the test catalog
    never reaches them, so any call is a test failure."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"unexpected call to {name}")


class NoSharing(Unused):
    def open(self, request: SharingRequest) -> None:
        raise AssertionError("unexpected sharing request")


class NoLicences(Unused):
    def store(self, signed: SignedLicence, *, number: str | None, case_id: str | None) -> None:
        raise AssertionError("unexpected licence")


class NoCredit(Unused):
    def records(self, credit_code: str) -> list[CreditRecord]:
        return []

    def add_decision(self, decision: CommitmentDecision) -> None:
        raise AssertionError("unexpected commitment decision")

    def mark_checked(self, decision_id: str, *, found_false: bool, on: date) -> bool:
        raise AssertionError("unexpected post-check")


class NobodyNamed:
    """Consents: the test catalog's forms name no legal representative or shareholder."""

    def registered_name(self, id_number: str) -> str | None:
        return None

    def legal_rep_of(self, credit_code: str) -> str | None:
        return None

    def request(self, case_id: str, person: object, status: object, **_: object) -> None:
        raise AssertionError("the test catalog's forms name nobody")

    def blocking(self, case_id: str) -> Sequence[str]:
        return ()


class FakeUnitOfWork:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored
        self.pending: list[Callable[[], None]] = []
        self.cases = FakeCaseStore(stored, self.pending)
        self.numbers = FakeNumbers(stored)
        self.names = NoNames()
        self.entities = NoEntities()
        self.registries = EmptyRegistries(stored)
        self.sharing = NoSharing()
        self.licences = NoLicences()
        self.licence_serials = Unused()
        self.credit = NoCredit()
        self.consents = NobodyNamed()

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pending.clear()  # uncommitted writes are rolled back

    def commit(self) -> None:
        for apply in self.pending:
            apply()
        self.pending.clear()
        self.stored.commits += 1

    def open_task_case_ids(self, *, provisional_only: bool) -> Sequence[str]:
        return [case.id for case in self.stored.cases.values() if not case.is_closed]

    def legal_due_case_ids(self, now: datetime) -> Sequence[str]:
        # Every case not closed: a superset of the due ones, which the sweep may read.
        return [case.id for case in self.stored.cases.values() if not case.is_closed]

    def legal_due_unknown(self) -> None:
        pass

    def escalate_overdue(self, now: datetime, limit: int) -> int:
        return 0
