"""Data sharing at the edge (R-DATA-1..3): materials obtained by sharing, conditional-sharing
requests and their answers, and "who read my data" from the access log.

Personal identifiers are masked wherever the reader does not need them in full: a reviewer
asking for a dataset sees the subject masked, the owner answering sees it masked (the
platform does the lookup), the person reading their own log needs no identifier at all.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from yiwang import schemas as s
from yiwang.accounts import policy
from yiwang.accounts.errors import Forbidden
from yiwang.accounts.models import Account
from yiwang.cases.commands import AnswerDataRequest, RequestSharedData
from yiwang.cases.models import Case
from yiwang.cases.operations import reject_nul, view_task
from yiwang.catalog.models import CatalogSpec
from yiwang.identity.errors import FieldProblem
from yiwang.identity.numbers import is_valid_credit_code, is_valid_id_number, mask_id_number
from yiwang.registries.errors import (
    DataRequestAnswered,
    DataRequestNotFound,
    InvalidDataRequest,
    NoDataSubject,
    RefusalWithoutReason,
)
from yiwang.registries.models import SharingLevel

if TYPE_CHECKING:  # typing only: the composition root and the read models' rows
    from yiwang.bootstrap import Services
    from yiwang.db.read_models import AttachmentRow, DataRead, DataRequestRow

log = logging.getLogger(__name__)


def mask_subject(subject_id: str) -> str:
    """A citizen's ID number masked (``3701**********1234``); a credit code is public.
    Anything that is not a credit code is treated as personal."""
    return subject_id if is_valid_credit_code(subject_id) else mask_id_number(subject_id)


def material_names(catalog: CatalogSpec, case: Case) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for code in catalog.as_bundle(case.subject_code).item_codes():
        for material in catalog.item(code).materials:
            names.setdefault(material.code, (material.name.zh, material.name.en))
    for dataset in catalog.datasets.values():
        for field in dataset.fields:
            names.setdefault(f"{dataset.code}.{field.code}", (f"{dataset.name_zh}·{field.name_zh}", f"{dataset.name_en}: {field.name_en}"))
    return names


def attachments(services: Services, case: Case) -> list[AttachmentRow]:
    return services.reads.case_attachments(case.id)


def attachment_public(row: AttachmentRow, names: dict[str, tuple[str, str]]) -> s.AttachmentPublic:
    return s.AttachmentPublic(
        item_code=row.item_code,
        material_code=row.material_code,
        material_name_zh=names.get(row.material_code, (row.material_code, ""))[0],
        source=row.source,
        reference=row.reference,
        obtained_at=row.obtained_at,
        found=row.found,
        summary=row.summary,
    )


# --- who read my data ------------------------------------------------------------------


def reads_of(services: Services, account: Account) -> list[DataRead]:
    """The access-log entries about the signed-in person or enterprise."""
    if not policy.allows(account, policy.Action.READ_OWN_DATA_LOG) or account.subject_id is None:
        raise NoDataSubject()
    return services.reads.data_reads(account.subject_id)


def read_public(read: DataRead) -> s.DataReadPublic:
    return s.DataReadPublic(
        entry_id=read.entry_id,
        at=read.at,
        reader=read.reader,
        dataset=read.dataset,
        fields=list(read.fields),
        purpose=read.purpose,
        case_id=read.case_id,
    )


# --- conditional sharing requests ------------------------------------------------------


def conditional_fields(catalog: CatalogSpec) -> list[tuple[str, str, str, str]]:
    """(registry field, dataset name, field name, owner kind) of every conditionally shared field."""
    return [
        (f"{d.code}.{f.code}", d.name_zh, f.name_zh, d.owner_department_kind)
        for d in catalog.datasets.values()
        if d.sharing is SharingLevel.CONDITIONAL
        for f in d.fields
    ]


def subjects_of(case: Case) -> list[str]:
    """Whose data a reviewer may ask for under this case: the applicant and the people and
    enterprises named in the form (never anyone else)."""
    found = [case.applicant_id]
    for value in case.form.values():
        if isinstance(value, str) and value not in found and (is_valid_id_number(value) or is_valid_credit_code(value)):
            found.append(value)
    return found


def request_data(services: Services, account: Account, task_id: str, body: s.DataRequestCreate) -> tuple[Case, str]:
    case, task = view_task(services, account, task_id)
    if not policy.can_act_on_task(account, task.department_code, task.assignee) or not task.is_open:
        raise Forbidden()
    reject_nul([body.registry_field, body.subject_id, body.purpose], "data_request")
    catalog = services.platform.catalogs.version(case.catalog_version)
    problems = []
    if body.registry_field not in {code for code, *_ in conditional_fields(catalog)}:
        problems.append(FieldProblem("registry_field", "not_conditional", "请选择有条件共享的数据项", "choose a conditionally shared dataset field"))
    subject = body.subject_id.strip().upper()
    if subject not in subjects_of(case):
        problems.append(FieldProblem("subject_id", "unknown_subject", "只能申请本办件申请人或表单所列人员、企业的数据", "only the applicant's or the form's people and enterprises"))
    if not body.purpose.strip():
        problems.append(FieldProblem("purpose", "required", "请说明用途", "state the purpose"))
    if problems:
        raise InvalidDataRequest(problems)
    changed, request_id = services.platform.cases.request_shared_data(
        RequestSharedData(task_id, account.actor, body.registry_field, subject, body.purpose.strip()[:300])
    )
    log.info("data request %s on %s for %s (%s)", request_id, task_id, mask_subject(subject), body.registry_field)
    return changed, request_id


def inbox_requests(services: Services, account: Account) -> list[DataRequestRow]:
    return services.reads.pending_data_requests(policy.inbox_department(account))


def answer_request(services: Services, account: Account, request_id: str, granted: bool, note: str) -> Case:
    if "\x00" in request_id or len(request_id) > 60:
        raise _request_not_found(request_id)
    row = services.reads.data_request(request_id)
    if row is None or not policy.can_answer_data_request(account, row.owner_department):
        raise _request_not_found(request_id)
    reject_nul(note, "note")
    if not granted and not note.strip():
        raise RefusalWithoutReason()
    if row.status != "pending":
        raise DataRequestAnswered()
    case = services.platform.cases.answer_data_request(AnswerDataRequest(request_id, account.actor, granted, note.strip()[:1000]))
    log.info("data request %s %s by %s", request_id, "granted" if granted else "refused", account.actor)
    return case


def _request_not_found(request_id: str) -> DataRequestNotFound:
    return DataRequestNotFound(request_id)


def request_public(row: DataRequestRow) -> s.DataRequestPublic:
    return s.DataRequestPublic(
        id=row.id,
        registry_field=row.registry_field,
        subject_id=mask_subject(row.subject_id),
        purpose=row.purpose,
        case_id=row.case_id,
        task_id=row.task_id,
        owner_department=row.owner_department,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        due_at=row.due_at,
        status=row.status,
        answered_at=row.answered_at,
        answer_note=row.answer_note,
        priority=row.priority,
    )
