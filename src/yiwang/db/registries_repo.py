"""Registries on SQL: lookups that write the tamper-evident access log in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from yiwang.cases.ports import RegistryAnswer, SharingRequest
from yiwang.db import tables as t
from yiwang.identity.numbers import mask_id_number
from yiwang.registries.audit import GENESIS, Head, entry_hash
from yiwang.registries.models import AccessRecord, ChainedRecord


def _mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if name else ""


DatasetReader = Callable[[Connection, str, str], RegistryAnswer]


def _population(connection: Connection, field: str, subject_id: str) -> RegistryAnswer:
    reference = f"population.{field}"
    person = connection.execute(
        select(t.people).where(t.people.c.id_number == subject_id)
    ).first()
    if person is None:
        return RegistryAnswer(False, reference, f"人口库无此人 {mask_id_number(subject_id)}")
    return RegistryAnswer(
        True, reference, f"{_mask_name(person.name)} {mask_id_number(person.id_number)}"
    )


def _legal_entities(connection: Connection, field: str, subject_id: str) -> RegistryAnswer:
    reference = f"legal_entities.{field}"
    entity = connection.execute(
        select(t.enterprises).where(t.enterprises.c.credit_code == subject_id)
    ).first()
    if entity is None:
        return RegistryAnswer(False, reference, f"法人库无此主体 {subject_id}")
    return RegistryAnswer(True, reference, f"{entity.name} {entity.credit_code}")


def _licences(connection: Connection, field: str, subject_id: str) -> RegistryAnswer:
    """The licence library answers by kind: ``licences.<licence kind>``."""
    revoked = select(t.licence_revocations.c.identifier)
    licence = connection.execute(
        select(t.licences)
        .where(
            t.licences.c.holder_id == subject_id,
            t.licences.c.kind == field,
            t.licences.c.identifier.not_in(revoked),
        )
        .order_by(t.licences.c.issued_at.desc())
    ).first()
    if licence is None:
        return RegistryAnswer(
            False, f"licences.{field}", "电子证照库无有效证照 / no valid licence in the library"
        )
    return RegistryAnswer(
        True, licence.identifier, f"{licence.holder_name} 电子证照 {licence.identifier}"
    )


def _supplied(dataset: str) -> DatasetReader:
    """A dataset a department supplies as records (`registry_records`): its value is what
    the fast tracks' rules test (e.g. an exporter class)."""

    def read(connection: Connection, field: str, subject_id: str) -> RegistryAnswer:
        reference = f"{dataset}.{field}"
        row = connection.execute(
            select(t.registry_records).where(
                t.registry_records.c.dataset == dataset,
                t.registry_records.c.field == field,
                t.registry_records.c.subject_id == subject_id,
            )
        ).first()
        if row is None:
            return RegistryAnswer(False, reference, f"{reference} 无此主体的记录 / no record")
        return RegistryAnswer(
            True,
            reference,
            f"{row.value}（{row.supplied_by} 提供，{row.recorded_at:%Y-%m-%d}）",
            value=row.value,
        )

    return read


# Datasets this database holds, by the code registries.yaml gives them. Bootstrap registers
# them as extensions, so `catalog check` knows which names have a reader.
LOCAL_DATASETS: dict[str, DatasetReader] = {
    "population": _population,
    "legal_entities": _legal_entities,
    "licences": _licences,
    # Supplied by departments: recognised talent (provincial HR), exporter classes (tax).
    "talent_registry": _supplied("talent_registry"),
    "exporter_class": _supplied("exporter_class"),
}


class AccessLog:
    """Appends to the hash chain. The head row is locked (FOR UPDATE on PostgreSQL; SQLite
    writers already hold the database lock), so concurrent appends form one chain.

    ``deferred`` (a unit of work's log): records are kept until `flush`, which the unit of
    work calls just before it commits, and written together: one head lock, one insert, one
    head move. Appending at once held the head row locked, so every other transaction that
    logs a read waited, from the first read to the commit (most of a submission), and cost
    three statements per read; a transaction that rolls back loses its records either way.
    """

    def __init__(self, connection: Connection, *, deferred: bool = False) -> None:
        self.connection = connection
        self.deferred = deferred
        self.pending: list[AccessRecord] = []

    def append(self, record: AccessRecord) -> None:
        self.pending.append(record)
        if not self.deferred:
            self.flush()

    def flush(self) -> list[ChainedRecord]:
        """Write the pending records to the chain, in the order they were appended."""
        if not self.pending:
            return []
        sql = _log_statements()
        head = self.connection.execute(sql.head).first()
        if head is None:
            self.connection.execute(
                insert(t.access_log_head), {"id": 1, "last_id": 0, "last_hash": GENESIS}
            )
            last_id, last_hash = 0, GENESIS
        else:
            last_id, last_hash = int(head.last_id), str(head.last_hash)
        entries = []
        for record in self.pending:
            entry = ChainedRecord(last_id + 1, record, last_hash, entry_hash(last_hash, record))
            entries.append(entry)
            last_id, last_hash = entry.id, entry.hash
        self.connection.execute(
            sql.insert,
            [
                {
                    "id": entry.id,
                    "at": entry.record.at,
                    "reader": entry.record.reader,
                    "subject_id": entry.record.subject_id,
                    "dataset": entry.record.dataset,
                    "fields": list(entry.record.fields),
                    "purpose": entry.record.purpose,
                    "case_id": entry.record.case_id,
                    "previous_hash": entry.previous_hash,
                    "hash": entry.hash,
                }
                for entry in entries
            ],
        )
        self.connection.execute(sql.move_head, {"last_id": last_id, "last_hash": last_hash})
        self.pending = []
        return entries


class _LogStatements:
    def __init__(self) -> None:
        head = t.access_log_head
        self.head = select(head.c.last_id, head.c.last_hash).where(head.c.id == 1).with_for_update()
        self.insert = insert(t.access_log)
        self.move_head = update(head).where(head.c.id == 1).values(
            last_id=bindparam("last_id"), last_hash=bindparam("last_hash")
        )


@cache
def _log_statements() -> _LogStatements:
    return _LogStatements()


def read_access_log_head(connection: Connection) -> Head | None:
    """The head row (last id and hash), or None if it is missing."""
    head = t.access_log_head
    row = connection.execute(select(head.c.last_id, head.c.last_hash).where(head.c.id == 1)).first()
    return None if row is None else Head(int(row.last_id), str(row.last_hash))


def read_access_log(
    connection: Connection, subject_id: str | None = None
) -> Iterator[ChainedRecord]:
    query = select(t.access_log).order_by(t.access_log.c.id)
    if subject_id is not None:
        query = query.where(t.access_log.c.subject_id == subject_id)
    for row in connection.execute(query):
        yield ChainedRecord(
            id=int(row.id),
            record=AccessRecord(
                at=row.at,
                reader=row.reader,
                subject_id=row.subject_id,
                dataset=row.dataset,
                fields=tuple(row.fields),
                purpose=row.purpose,
                case_id=row.case_id,
            ),
            previous_hash=row.previous_hash,
            hash=row.hash,
        )


class SqlRegistries:
    """Base registries held in this database: population, legal entities, licences."""

    def __init__(self, connection: Connection, *, deferred_log: bool = False) -> None:
        self.connection = connection
        self.log = AccessLog(connection, deferred=deferred_log)

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
        answer = self._find(dataset, field, subject_id)
        # Every read is logged, found or not: asking is already an access to someone's data.
        self.log.append(AccessRecord(at, reader, subject_id, dataset, (field,), purpose, case_id))
        return answer

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
        """Log a read made outside `lookup` (e.g. the credit file used for a decision)."""
        self.log.append(AccessRecord(at, reader, subject_id, dataset, fields, purpose, case_id))

    def _find(self, dataset: str, field: str, subject_id: str) -> RegistryAnswer:
        reader = LOCAL_DATASETS.get(dataset)
        if reader is not None:
            return reader(self.connection, field, subject_id)
        # Datasets held by other systems (marriage, court judgments ...) answer through their
        # owner's interface in a real deployment; records loaded here answer in its place.
        record = self.connection.execute(
            select(t.external_records.c.reference, t.external_records.c.summary).where(
                t.external_records.c.dataset == dataset,
                t.external_records.c.field == field,
                t.external_records.c.subject_id == subject_id,
            )
        ).first()
        if record is not None:
            return RegistryAnswer(True, record.reference, record.summary)
        known = self.connection.execute(
            select(t.external_records.c.subject_id).where(t.external_records.c.dataset == dataset).limit(1)
        ).first()
        if known is not None:
            return RegistryAnswer(False, f"{dataset}.{field}", f"{dataset} 无此记录 / no record in {dataset}")
        return RegistryAnswer(
            False,
            f"{dataset}.{field}",
            f"本地未接入数据集 {dataset} / dataset {dataset} not connected here",
        )

    def supply(
        self, dataset: str, field: str, subject_id: str, value: str, *, by: str, at: datetime
    ) -> None:
        key = {"dataset": dataset, "field": field, "subject_id": subject_id}
        self.connection.execute(
            delete(t.registry_records).where(
                *(getattr(t.registry_records.c, name) == v for name, v in key.items())
            )
        )
        self.connection.execute(
            insert(t.registry_records), {**key, "value": value, "supplied_by": by, "recorded_at": at}
        )

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
        self.connection.execute(
            insert(t.case_attachments),
            {
                "case_id": case_id,
                "item_code": item_code,
                "material_code": material_code,
                "source": source,
                "reference": answer.reference,
                "obtained_at": at,
                "found": answer.found,
                "summary": answer.summary[:300],
            },
        )


class SqlSharingRequests:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def open(self, request: SharingRequest) -> None:
        self.connection.execute(
            insert(t.sharing_requests),
            {
                "id": request.id,
                "dataset": request.registry_field,
                "subject_id": request.subject_id,
                "purpose": request.purpose,
                "case_id": request.case_id,
                "task_id": request.task_id,
                "owner_department": request.owner_department,
                "requested_by": request.requested_by,
                "requested_at": request.requested_at,
                "due_at": request.due_at,
                "status": request.status,
                "answer_note": "",
            },
        )

    def get(self, request_id: str) -> SharingRequest | None:
        row = self.connection.execute(
            select(t.sharing_requests).where(t.sharing_requests.c.id == request_id)
        ).first()
        if row is None:
            return None
        return SharingRequest(
            id=row.id,
            registry_field=row.dataset,
            subject_id=row.subject_id,
            purpose=row.purpose,
            case_id=row.case_id,
            task_id=row.task_id,
            owner_department=row.owner_department,
            requested_by=row.requested_by,
            requested_at=row.requested_at,
            due_at=row.due_at,
            status=row.status,
        )

    def close(self, request_id: str, *, granted: bool, by: str, note: str, at: datetime) -> bool:
        result = self.connection.execute(
            update(t.sharing_requests)
            .where(t.sharing_requests.c.id == request_id, t.sharing_requests.c.status == "pending")
            .values(
                status="granted" if granted else "refused",
                answered_at=at,
                answered_by=by,
                answer_note=note,
            )
        )
        return result.rowcount == 1
