"""What a signed-in account does, shared by the API and the pages: each operation checks
the account's right first (404 for what it may not see, 403 for what it may not do), then
calls the case services."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yiwang.accounts import policy
from yiwang.accounts.errors import Forbidden, RealNameRejected
from yiwang.accounts.models import Account, CaseScope, Role
from yiwang.cases.commands import (
    AcceptTask,
    AnswerSupplement,
    CompleteTask,
    RejectTask,
    RequestSupplement,
    ReturnTask,
    SubmitApplication,
    TaskCommand,
    TransferTask,
    case_id_of_task,
)
from yiwang.cases.completeness import missing_for_approval
from yiwang.cases.errors import (
    CaseClosed,
    CaseNotFound,
    InvalidApplication,
    InvalidCharacters,
    MaterialsMissing,
    TaskNotFound,
    UnknownAction,
    UnknownAttachment,
    UnknownMaterial,
    UnknownReviewer,
)
from yiwang.cases.events import CaseEvent
from yiwang.cases.models import CLOSED_CASE_STATUSES, Case, CaseStatus, Task
from yiwang.cases.services import Submitted
from yiwang.identity.errors import FieldProblem, InvalidIdentifier
from yiwang.identity.numbers import validate_credit_code, validate_id_number
from yiwang.materials.services import Material

if TYPE_CHECKING:  # the composition root builds what the use cases run on; typing only
    from yiwang.bootstrap import Services
    from yiwang.db.read_models import CaseSummary
    from yiwang.paging import Page


def reject_nul(value: Any, where: str = "form") -> None:
    """NUL characters cannot be stored (PostgreSQL text) and are never meaningful input."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidCharacters(where)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            reject_nul(str(key), where)
            reject_nul(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for item in value:
            reject_nul(item, where)


def visible_scope(services: Services, account: Account, case_id: str) -> CaseScope:
    scope = services.reads.case_scope(case_id[:40]) if "\x00" not in case_id else None
    if scope is None or not policy.can_view_case(account, scope):
        raise CaseNotFound(case_id[:40])
    return scope


def list_cases(
    services: Services,
    account: Account,
    *,
    desk: policy.Action = policy.Action.LIST_CASES,
    limit: int = 200,
    after: str | None = None,
) -> Page[CaseSummary]:
    """The cases the account follows, newest first: the rows of its list scope only (one
    definition, `policy.case_list_scope`, for the API's list and every desk page). ``desk``
    is the function the list belongs to (a page of one role, or the API's list); one page of
    ``limit`` rows after the position ``after``."""
    policy.require(account, desk)
    scope = policy.case_list_scope(account)
    platform = services.platform
    return services.reads.case_summaries(
        platform.clock(),
        platform.calendars.current(),
        platform.settings.yellow_share,
        applicant_id=scope.applicant_id,
        filed_by=scope.filed_by,
        region_prefix=scope.region_prefix,
        branch=scope.branch,
        limit=limit,
        after=after,
    )


def view_case(services: Services, account: Account, case_id: str) -> Case:
    visible_scope(services, account, case_id)
    return services.platform.cases.get(case_id)


def case_events(services: Services, account: Account, case_id: str) -> list[CaseEvent]:
    visible_scope(services, account, case_id)
    return services.platform.cases.events(case_id)


def view_task(services: Services, account: Account, task_id: str, *, with_outputs: bool = True) -> tuple[Case, Task]:
    case_id = case_id_of_task(task_id)
    if not case_id or "\x00" in task_id:
        raise TaskNotFound(task_id[:48])
    scope = services.reads.case_scope(case_id[:40])
    if scope is None:
        raise TaskNotFound(task_id[:48])
    case = services.platform.cases.get(case_id, with_outputs=with_outputs)
    task = next((task for task in case.tasks if task.id == task_id), None)
    if task is None or not policy.can_view_task(account, task.department_code, case.region_code):
        raise TaskNotFound(task_id[:48])
    return case, task


@dataclass(frozen=True)
class ActionRequest:
    action: str
    reason: str = ""
    comment: str = ""
    material_codes: tuple[str, ...] = ()
    note: str = ""
    to_reviewer: str = ""


def act(services: Services, account: Account, task_id: str, request: ActionRequest) -> Case:
    # Without the outputs: the checks below do not read them, and the action reloads the case.
    case, task = view_task(services, account, task_id, with_outputs=False)
    if not policy.can_act_on_task(account, task.department_code, task.assignee):
        raise Forbidden()
    reject_nul([request.reason, request.comment, request.note, request.to_reviewer, *request.material_codes], "action")
    actor = account.actor
    command: TaskCommand
    match request.action:
        case "accept":
            command = AcceptTask(task_id, actor)
        case "approve":
            _require_materials(services, case, task)
            command = CompleteTask(task_id, actor, comment=request.comment[:500])
        case "reject":
            command = RejectTask(task_id, actor, reason=request.reason[:1000])
        case "supplement":
            command = RequestSupplement(
                task_id, actor, material_codes=tuple(request.material_codes), note=request.note[:1000]
            )
        case "return":
            command = ReturnTask(task_id, actor, reason=request.reason[:1000])
        case "transfer":
            target = request.to_reviewer.strip()
            colleagues = {a.actor for a in services.accounts.reviewers_of(task.department_code)}
            if target not in colleagues:
                raise UnknownReviewer()
            command = TransferTask(task_id, actor, to_reviewer=target, reason=request.reason[:1000])
        case _:
            raise UnknownAction(request.action)
    return services.platform.cases.act(command)


def note_supervision(services: Services, account: Account, task_id: str, note: str) -> Case:
    """督办: a supervisor (of the task's region) leaves a note the handling department sees."""
    _case, task = view_task(services, account, task_id)
    if not policy.can_supervise(account):
        raise Forbidden()
    reject_nul([note], "note")
    return services.platform.cases.note_supervision(task.id, account.actor, note[:1000])


def _require_materials(services: Services, case: Case, task: Task) -> None:
    """A reviewer's approval needs the item's materials in hand (see cases.completeness)."""
    item = services.platform.catalogs.version(case.catalog_version).item(task.item_code)
    supplied = {m.material_code for m in services.materials.of_case(case.id)}
    missing = missing_for_approval(item, supplied=supplied, committed={*case.commitments, *case.promises})
    if missing:
        raise MaterialsMissing(*((m.name.zh, m.name.en) for m in missing))


def profile(services: Services, account: Account) -> dict[str, str]:
    """Pre-fill values (一处填报、全网通用, R-DATA-3) for ``applicant.*`` form fields."""
    person_id = account.agent_id or account.subject_id or ""
    values = {"name": account.agent_name or account.display_name, "id_number": person_id, "phone": account.phone or ""}
    person = services.registry.person(person_id, reader=account.actor, purpose=PREFILL_PURPOSE) if person_id else None
    if person is not None:
        values.update(name=person.name, phone=account.phone or person.phone, region_code=person.region_code)
    return values


def prefill(services: Services, account: Account, subject_code: str) -> dict[str, Any]:
    return prefill_with_sources(services, account, subject_code)[0]


PREFILL_PURPOSE = "预填申请表 / pre-filling the applicant's form"
WALK_IN_PURPOSE = "核验到场申请人 / checking the applicant present at the window"

# Where a pre-filled value came from (R-DATA-3), shown beside the field.
PREFILL_SOURCES = {
    "profile": ("来自：账号资料", "from: your account"),
    "population": ("来自：人口基础信息库", "from: the population registry"),
    "legal_entities": ("来自：法人单位基础信息库", "from: the legal-entity registry"),
    "earlier": ("来自：此前的申请", "from: an earlier application"),
}
# Never carried over from an earlier application: they identify that application.
_NOT_CARRIED = frozenset({"company_name", "business_scope", "name_check"})


def prefill_with_sources(
    services: Services, account: Account, subject_code: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Pre-fill values (一处填报、全网通用) and, for each, its source: ``profile``,
    ``population``, ``legal_entities`` or ``earlier`` (the applicant's latest application)."""
    if account.role is not Role.APPLICANT:
        return {}, {}
    from yiwang.catalog.models import FieldType

    bundle = services.platform.catalogs.current().as_bundle(subject_code)
    person_id = account.agent_id or account.subject_id or ""
    registry, reader, subject_id = services.registry, account.actor, account.subject_id or ""
    person = registry.person(person_id, reader=reader, purpose=PREFILL_PURPOSE) if person_id else None
    enterprise = (
        registry.enterprise(subject_id, reader=reader, purpose=PREFILL_PURPOSE) if _is_credit_code(subject_id) else None
    )
    earlier = registry.earlier_forms(subject_id, reader=reader, purpose=PREFILL_PURPOSE) if subject_id else []
    applicant: dict[str, tuple[str, str]] = {
        "name": (account.agent_name or account.display_name, "profile"),
        "id_number": (person_id, "profile"),
        "phone": (account.phone or "", "profile"),
    }
    if person is not None:
        applicant.update(
            name=(person.name, "population"),
            id_number=(person.id_number, "population"),
            phone=(account.phone, "profile") if account.phone else (person.phone, "population"),
            region_code=(person.region_code, "population"),
        )
    entity: dict[str, tuple[str, str]] = {}
    if enterprise is not None:
        entity = {
            "legal_rep_id": (enterprise.legal_rep_id, "legal_entities"),
            "name": (enterprise.name, "legal_entities"),
            "address": (enterprise.address, "legal_entities"),
            "region_code": (enterprise.region_code, "legal_entities"),
        }
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for spec in bundle.form:
        found: tuple[str, str] | None = None
        if spec.prefill and spec.prefill.startswith("applicant."):
            found = applicant.get(spec.prefill.removeprefix("applicant."))
        elif spec.prefill and spec.prefill.startswith("enterprise."):
            found = entity.get(spec.prefill.removeprefix("enterprise."))
        carried = spec.type in (FieldType.TEXT, FieldType.ID_NUMBER, FieldType.PHONE)
        if found is None and carried and spec.name not in _NOT_CARRIED:
            for form in earlier:
                previous = form.get(spec.name)
                if isinstance(previous, str) and previous:
                    found = (previous, "earlier")
                    break
        if found is not None and found[0]:
            values[spec.name], sources[spec.name] = found
    return values, sources


def _region_of(form: Mapping[str, Any], services: Services) -> str:
    region = str(form.get("region_code") or "")
    if region not in services.platform.catalogs.current().regions:
        raise InvalidApplication(
            "请选择本省的登记区县",
            "choose a county of this province",
            [FieldProblem("region_code", "unknown_region", "登记机关所在区县：不在本省行政区划中", "region_code: not a county of this province")],
        )
    return region


# Why the handling region is read from the applicant's record (logged like every read).
REGION_PURPOSE = "确定办理地（登记信息所在区县） / where the application is handled"


def registry_region(services: Services, subject_id: str, reader: str) -> str:
    """The county on the applicant's registry record: the enterprise's registered address or
    the person's household registration; "" when neither registry knows the applicant."""
    if not subject_id:
        return ""
    if _is_credit_code(subject_id):
        enterprise = services.registry.enterprise(subject_id, reader=reader, purpose=REGION_PURPOSE)
        return enterprise.region_code if enterprise is not None else ""
    person = services.registry.person(subject_id, reader=reader, purpose=REGION_PURPOSE)
    return person.region_code if person is not None else ""


def handling_region(
    services: Services,
    account: Account,
    subject_code: str,
    form: Mapping[str, Any],
    service_point: str = "",
    on_behalf_id: str = "",
) -> tuple[str, dict[str, Any]]:
    """Where the application is handled, and the form to validate.

    A form that declares ``region_code`` (the start-up's registration county, a project's
    county) says it itself. Otherwise the chosen service point (办理地) decides, then the
    applicant's registry record, then the account's own region (a window or bank branch);
    a ``region_code`` sent in such a form is taken as the chosen service point, not as a
    field of the form."""
    catalog = services.platform.catalogs.current()
    if subject_code not in catalog.bundles and subject_code not in catalog.items:
        from yiwang.catalog.errors import UnknownCatalogEntry

        raise UnknownCatalogEntry(subject_code[:120])
    if any(spec.name == "region_code" for spec in catalog.as_bundle(subject_code).form):
        return _region_of(form, services), dict(form)
    rest = dict(form)
    chosen = service_point or str(rest.pop("region_code", "") or "")
    if chosen:
        if chosen not in catalog.regions:
            raise InvalidApplication(
                "请选择本省的办理地",
                "choose a place of this province",
                [FieldProblem("region_code", "unknown_region", "办理地：不在本省行政区划中", "where it is handled: not in the province")],
            )
        return chosen, rest
    applicant = (account.subject_id or "", account.agent_id or "") if account.role is Role.APPLICANT else (
        unicodedata.normalize("NFKC", on_behalf_id).strip().upper(),
    )
    for candidate in (*(registry_region(services, subject, account.actor) for subject in applicant), account.region_code or ""):
        if candidate in catalog.regions:
            return candidate, rest
    raise InvalidApplication(
        "请选择办理地（区县）",
        "choose where the application is handled (a county)",
        [FieldProblem("region_code", "required", "办理地：必填", "where it is handled: required")],
    )


def submit(
    services: Services,
    account: Account,
    subject_code: str,
    form: Mapping[str, Any],
    *,
    idempotency_key: str | None,
    channel: str = "online",
    on_behalf_id: str = "",
    on_behalf_name: str = "",
    service_point: str = "",
) -> Submitted:
    if not policy.can_file(account):
        raise Forbidden()
    if not policy.can_file_subject(account, subject_code):
        raise Forbidden(
            "银行网点只受理抵押权首次登记和抵押权注销登记",
            "a bank branch files only mortgage registrations and discharges",
        )
    if not policy.may_file_in_catalog(account, services.platform.catalogs.current(), subject_code):
        raise Forbidden("机关内部事项只能由机关账号申请", "internal government work is filed by government accounts only")
    reject_nul(dict(form))
    reject_nul([subject_code, idempotency_key or "", on_behalf_id, on_behalf_name], "request")
    region, form = handling_region(services, account, subject_code, form, service_point, on_behalf_id)
    if account.role is Role.APPLICANT:
        applicant_id = account.subject_id or ""
        applicant_name = account.display_name
        # The enterprise's agent (经办人) files; the case records who acted for it.
        filed_by = account.agent_id or ""
        channel = channel if channel in ("online", "mobile", "api") else "online"
    else:
        if not policy.can_file_in_region(account, region):
            raise InvalidApplication(
                "不动产不在本网点服务的区域内",
                "the property is outside the area this branch serves",
                [FieldProblem("region_code", "outside_branch_region", "请到不动产所在地办理", "file where the property is")],
            )
        applicant_id, applicant_name = _walk_in(services, account.actor, on_behalf_id, on_behalf_name)
        filed_by = account.actor
        # 帮办代办 at a window of the hall, or at a bank branch serving as a registration point.
        channel = "bank" if account.role is Role.BANK_CLERK else "window"
    return services.platform.cases.submit(
        SubmitApplication(
            subject_code=subject_code,
            applicant_id=applicant_id,
            applicant_name=applicant_name,
            region_code=region,
            form=dict(form),
            channel=channel,
            filed_by=filed_by,
            idempotency_key=idempotency_key,
        )
    )


def _walk_in(services: Services, reader: str, identifier: str, name: str) -> tuple[str, str]:
    """帮办代办: the clerk files for the person or enterprise present; a person is checked
    by real name, an enterprise must be in the legal-entity registry."""
    identifier = unicodedata.normalize("NFKC", identifier).strip().upper()
    name = name.strip()
    problems: list[FieldProblem] = []
    if not name:
        problems.append(FieldProblem("applicant_name", "required", "申请人姓名或名称：必填", "applicant name: required"))
    try:
        if _is_credit_code(identifier):
            identifier = validate_credit_code(identifier)
            registered = services.registry.enterprise(identifier, reader=reader, purpose=WALK_IN_PURPOSE)
            if registered is None:
                problems.append(FieldProblem("applicant_id", "unknown_enterprise", "法人库中没有该企业", "no such enterprise in the registry"))
            elif not problems:
                name = registered.name
        else:
            identifier = validate_id_number(identifier, today=services.platform.clock().date())
            if not problems:
                # The real-name check reads the population registry (or the identity
                # provider in its place): logged before asking, like every registry read.
                services.registry.record_read(identifier, "population", ("name",), reader=reader, purpose=WALK_IN_PURPOSE)
                if not services.accounts.verifier.verify(identifier, name):
                    raise RealNameRejected()
    except InvalidIdentifier as error:
        problems.append(error.to_problem("applicant_id"))
    if problems:
        raise InvalidApplication("申请人信息有误", "the applicant's details are not valid", problems)
    return identifier, name


def _is_credit_code(identifier: str) -> bool:
    try:
        validate_credit_code(identifier)
    except InvalidIdentifier:
        return False
    return True


def upload(
    services: Services,
    account: Account,
    case_id: str,
    material_code: str,
    file_name: str,
    data: bytes,
    supplement_id: str | None = None,
) -> Material:
    scope = visible_scope(services, account, case_id)
    if not policy.can_upload(account, scope):
        raise Forbidden()
    reject_nul([material_code, file_name, supplement_id or ""], "material")
    # The subject, catalog version and status came with the scope, in its one statement:
    # loading the whole case (three statements) for them was most of an upload's database work.
    catalog = services.platform.catalogs.version(scope.catalog_version)
    known = {m.code for code in catalog.as_bundle(scope.subject_code).item_codes() for m in catalog.item(code).materials}
    if material_code not in known and material_code != "other":
        raise UnknownMaterial(material_code)
    if CaseStatus(scope.status) in CLOSED_CASE_STATUSES:
        raise CaseClosed()
    return services.materials.save(
        case_id=case_id,
        material_code=material_code,
        original_name=file_name,
        data=data,
        uploaded_by=account.actor,
        supplement_id=supplement_id,
    )


def materials_of(services: Services, account: Account, case_id: str) -> Sequence[Material]:
    visible_scope(services, account, case_id)
    return services.materials.of_case(case_id)


def material_file(services: Services, account: Account, material_id: str) -> tuple[Material, Any]:
    from yiwang.materials.errors import MaterialNotFound

    if "\x00" in material_id or len(material_id) > 40:
        raise MaterialNotFound()
    material, path = services.materials.get(material_id)
    scope = services.reads.case_scope(material.case_id)
    if scope is None or not policy.can_view_case(account, scope):
        raise MaterialNotFound()
    return material, path


def answer_supplement(
    services: Services, account: Account, case_id: str, supplement_id: str, answer: str, attachments: Sequence[str]
) -> Case:
    scope = visible_scope(services, account, case_id)
    if not policy.can_upload(account, scope):
        raise Forbidden()
    reject_nul([answer, supplement_id, *attachments], "answer")
    own = {m.id: m.material_code for m in services.materials.of_case(case_id)}
    unknown = [a for a in attachments if a not in own]
    if unknown:
        raise UnknownAttachment()
    supplied = tuple(dict.fromkeys(own[a] for a in attachments))
    return services.platform.cases.answer_supplement(
        AnswerSupplement(
            case_id, supplement_id, account.actor, answer=answer[:1000], attachments=tuple(attachments), supplied=supplied
        )
    )
