"""From domain objects to what the API returns and the pages show (one place for both)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from yiwang import schemas as s
from yiwang.accounts.models import Role
from yiwang.calendar import LimitWords, describe_limit, describe_limit_text
from yiwang.cases import events as ev
from yiwang.cases.engine import light
from yiwang.cases.holders import output_holder
from yiwang.cases.legal_views import legal_event_text
from yiwang.cases.models import SYSTEM_ACTOR, Case, Light, Task
from yiwang.cases.naming import Names
from yiwang.catalog.models import BundleSpec, CatalogSpec, FieldType, ItemSpec, Text
from yiwang.identity.numbers import ACCEPTED_ID_DOCUMENTS
from yiwang.materials.services import Material

if TYPE_CHECKING:  # typing only: the composition root and the read models' rows
    from yiwang.bootstrap import Platform, Services
    from yiwang.db.read_models import Figures, TaskRow

# The plans' targets beside the figures (R-SUP-2): ≥ 58% instant (plan 5), ≥ 80% online
# or on the phone (plan 5 / plan 10); working days: the item's promised limit.
TARGET_INSTANT_SHARE = 0.58
TARGET_ONLINE_SHARE = 0.80

STATUS_ZH = {
    "in_progress": "办理中",
    "waiting_applicant": "待补正",
    "concluded": "已办结",
    "rejected": "不予许可",
    "pending": "待受理",
    "in_review": "审核中",
    "approved": "已办结",
    "cancelled": "已终止",
    "waiting": "未开始",
    "open": "进行中",
    "closed": "已完成",
    "waiting_data": "等待数据共享答复",
    "revoked": "已撤销",
    "withdrawn": "已撤回",
    "terminated": "已终止办理",
    "suspended": "已中止",
}
LIGHT_ZH = {"green": "正常", "yellow": "临期", "red": "超期", "none": "—"}
MODE_ZH = {
    "window": "窗口",
    "online": "网上",
    "mobile": "掌上",
    "self_service": "自助",
    "nearby": "就近",
    "remote": "异地",
}
# Task kinds (tasks.kind) as the inboxes and the construction board name them.
TASK_KIND_ZH = {
    "review": "审核",
    "early_intervention": "提前介入（不计时）",
    "promise_check": "容缺材料核验",
    "preliminary_review": "审核转报",
}
CHANNEL_ZH = {
    "online": "网上",
    "mobile": "掌上",
    "window": "窗口",
    "bank": "银行网点",
    "api": "接口",
}
SOURCE_ZH = {
    "applicant": "申请人提供",
    "registry": "无需提供：通过数据共享获取",
    "licence": "无需提供：通过电子证照获取",
    "commitment": "告知承诺",
    "prior_output": "无需提供：由前序环节产生",
}


def _legal_limit_words(item: ItemSpec) -> LimitWords:
    """The legal limit with its variants, e.g. "60日（自然日）；环境影响报告表：30日（自然日）"."""
    base = describe_limit(item.legal_limit)
    zh, en = [base.zh], [base.en]
    for variant in item.legal_limit_variants:
        words = describe_limit(variant.limit)
        label = variant.label or Text("", "")
        zh.append(f"{label.zh}：{words.zh}" if label.zh else words.zh)
        en.append(f"{label.en}: {words.en}" if label.en else words.en)
    return LimitWords("；".join(zh), "; ".join(en))


# Task kinds whose time does not count (提前介入（不计时）, R-CAL-2): never yellow or red,
# never overdue, whatever their record says.
UNTIMED_KINDS = frozenset({"early_intervention"})


def task_light(platform: Platform, task: Task, now: datetime) -> Light:
    if not task.is_open or task.kind.value in UNTIMED_KINDS or task.deadline.due_at is None:
        return Light.NONE  # closed, untimed, or its clock stopped: no colour
    return light(task.deadline, now, platform.calendars.current(), platform.settings.yellow_share)


def case_light(platform: Platform, case: Case, now: datetime) -> Light:
    if case.is_closed or case.deadline.due_at is None:
        return Light.NONE  # closed, or its clock stopped (shown as 已暂停, never "正常 —")
    return light(case.deadline, now, platform.calendars.current(), platform.settings.yellow_share)


def row_light(row: TaskRow) -> str:
    """A listed task's light; untimed work and a stopped clock have none."""
    if row.kind in UNTIMED_KINDS or (row.due_at is None and row.status == "waiting_applicant"):
        return Light.NONE.value
    return row.light.value


def overdue_first(rows: Iterable[TaskRow]) -> list[TaskRow]:
    """The supervisor's overdue list: timed work only (untimed work is never overdue)."""
    return [row for row in rows if row.kind not in UNTIMED_KINDS]


def filter_inbox(
    rows: Iterable[TaskRow], *, item: str = "", status: str = "", light: str = "", applicant: str = ""
) -> list[TaskRow]:
    """The workbench filter: by item, status, light and applicant (name or part of it)."""
    wanted = applicant.strip()
    return [
        row
        for row in rows
        if (not item or row.item_code == item)
        and (not status or row.status == status)
        and (not light or row_light(row) == light)
        and (not wanted or wanted in row.applicant_name)
    ]


@dataclass(frozen=True, slots=True)
class Pause:
    """Why a case's clock is stopped, as the applicant reads it (no "正常 —")."""

    since: datetime
    why_zh: str
    why_en: str
    by_zh: str
    by_en: str
    reply_by: datetime | None
    supplement_id: str


def pauses(case: Case, catalog: CatalogSpec) -> list[Pause]:
    """The open supplement notices that stop the clock: what is asked, by which department,
    and by when the applicant must answer (when the notice states it)."""
    names = Names(catalog)
    found = []
    for supplement in case.open_supplements():
        task = case.task(supplement.task_id)
        asked = [names.material(code) for code in supplement.material_codes]
        why_zh = "、".join(a[0] for a in asked)
        why_en = ", ".join(a[1] for a in asked)
        if supplement.note:
            why_zh = f"{why_zh}（{supplement.note}）" if why_zh else supplement.note
            why_en = f"{why_en} ({supplement.note})" if why_en else supplement.note
        by_zh, by_en = names.department(task.department_code)
        found.append(
            Pause(
                since=supplement.requested_at,
                why_zh=f"等待补正：{why_zh}",
                why_en=f"waiting for your supplement: {why_en}",
                by_zh=by_zh,
                by_en=by_en,
                reply_by=getattr(supplement, "answer_due_at", None),
                supplement_id=supplement.id,
            )
        )
    return found


def item_name(catalog: CatalogSpec, code: str) -> str:
    item = catalog.items.get(code)
    return item.name.zh if item is not None else code


def kind_zh(kind: str) -> str:
    return TASK_KIND_ZH.get(kind, kind)


def inbox_task_public(catalog: CatalogSpec, row: TaskRow) -> s.InboxTaskPublic:
    return s.InboxTaskPublic(
        id=row.id,
        case_id=row.case_id,
        item_code=row.item_code,
        item_name_zh=item_name(catalog, row.item_code),
        item_name_en=Names(catalog).item(row.item_code)[1],
        status=row.status,
        assignee=row.assignee,
        applicant_name=row.applicant_name,
        opened_at=row.opened_at,
        due_at=row.due_at,
        light=row_light(row),
        priority=row.priority,
        kind=row.kind,
        kind_zh=kind_zh(row.kind),
    )


def task_public(platform: Platform, catalog: CatalogSpec, task: Task, now: datetime) -> s.TaskPublic:
    return s.TaskPublic(
        id=task.id,
        item_code=task.item_code,
        item_name_zh=item_name(catalog, task.item_code),
        item_name_en=Names(catalog).item(task.item_code)[1],
        department_code=task.department_code,
        department_zh=Names(catalog).department(task.department_code)[0],
        department_en=Names(catalog).department(task.department_code)[1],
        status=task.status.value,
        assignee=task.assignee,
        opened_at=task.opened_at,
        closed_at=task.closed_at,
        due_at=task.deadline.due_at,
        light=task_light(platform, task, now).value,
        decided_by_rule=task.decided_by_rule,
        kind=task.kind.value,
        kind_zh=kind_zh(task.kind.value),
    )


def case_public(platform: Platform, case: Case, *, with_form: bool = False) -> s.CasePublic:
    now = platform.clock()
    catalog = platform.catalogs.version(case.catalog_version)
    values: dict[str, Any] = dict(
        id=case.id,
        tracking_number=case.tracking_number,
        subject_code=case.subject_code,
        applicant_name=case.applicant_name,
        status=case.status.value,
        channel=case.channel,
        region_code=case.region_code,
        submitted_at=case.submitted_at,
        closed_at=case.closed_at,
        due_at=case.deadline.due_at,
        light=case_light(platform, case, now).value,
        priority=case.priority,
        stages=[
            s.StagePublic(
                index=st.index,
                code=st.code,
                name_zh=st.name_zh,
                name_en=Names(catalog).stage(st.code, case.subject_code)[1],
                status=st.status.value,
                due_at=st.deadline.due_at,
            )
            for st in case.stages
        ],
        tasks=[task_public(platform, catalog, task, now) for task in case.tasks],
        supplements=[
            s.SupplementPublic(
                id=sp.id,
                task_id=sp.task_id,
                material_codes=list(sp.material_codes),
                material_names_zh=[Names(catalog).material(code)[0] for code in sp.material_codes],
                material_names_en=[Names(catalog).material(code)[1] for code in sp.material_codes],
                note=sp.note,
                requested_at=sp.requested_at,
                answered_at=sp.answered_at,
                answer=sp.answer,
            )
            for sp in case.supplements
        ],
        outputs=[
            s.OutputPublic(
                kind=o.kind,
                number=o.number,
                name_zh=o.name_zh,
                name_en=o.name_en,
                issued_at=o.issued_at,
                pieces=list(o.pieces),
                holder_name=output_holder(case, o, catalog)[1],
            )
            for o in case.outputs
        ],
    )
    if with_form:
        return s.CaseDetailPublic(form=case.form, **values)
    return s.CasePublic(**values)


def event_text(event: ev.CaseEvent, catalog: CatalogSpec) -> tuple[str, str]:
    """A line of the applicant's timeline, Chinese and English (names, never codes)."""
    names = Names(catalog)
    match event:
        case ev.ApplicationSubmitted():
            return "申请已提交", "application submitted"
        case ev.StageOpened():
            stage_zh, stage_en = names.stage(event.stage)
            return f"环节开始：{stage_zh}", f"stage opened: {stage_en}"
        case ev.StageClosed():
            stage_zh, stage_en = names.stage(event.stage)
            return f"环节完成：{stage_zh}", f"stage closed: {stage_en}"
        case ev.TaskOpened():
            item_zh, item_en = names.item(event.item)
            limit = describe_limit_text(event.limit) if event.limit else None
            return (
                f"{item_zh}：已推送至部门" + (f"，时限 {limit.zh}" if limit else ""),
                f"{item_en}: sent to the department" + (f", time limit {limit.en}" if limit else ""),
            )
        case ev.TaskAccepted():
            return "部门已受理", "accepted by the department"
        case ev.TaskCompleted():
            return "部门已办结", "completed by the department"
        case ev.TaskRejected():
            return f"不予许可：{event.reason}", f"rejected: {event.reason}"
        case ev.TaskCancelled():
            return "任务已终止", "task cancelled"
        case ev.TaskReturned():
            return f"退回部门队列：{event.reason}", f"returned to the queue: {event.reason}"
        case ev.TaskTransferred():
            return "已转办", "transferred"
        case ev.AutomaticDecision():
            return (
                f"智能审批通过：{event.reason}".rstrip("："),
                f"approved automatically: {event.rule_en or 'declared rule'}",
            )
        case ev.AutomaticDecisionWithheld():
            return "身份或登记信息待核验，转人工审核", "identity or registry proof pending: sent to review"
        case ev.SupplementRequested():
            asked = [names.material(m.code) for m in event.materials]
            return (
                f"一次性告知补正：{'、'.join(a[0] for a in asked)} {event.reason}".strip(),
                f"supplement requested: {', '.join(a[1] for a in asked)} {event.reason}".strip(),
            )
        case ev.SupervisionNote():
            return f"督办：{event.reason}", f"supervisor's note (督办): {event.reason}"
        case ev.SupplementAnswered():
            return "已提交补正材料，时限恢复计算", "supplement answered; the clock runs again"
        case ev.OutputIssued():
            return f"已出证：{event.name} {event.number}", f"issued: {event.number}"
        case ev.CaseConcluded():
            return "办件已办结", "case concluded"
        case ev.CaseRejected():
            return f"办件不予许可：{event.reason}", f"case rejected: {event.reason}"
        case ev.DeadlineMissed():
            return "超期未办结，已提请督查", "overdue; escalated to the supervisor"
        case ev.DeadlineRecomputed():
            return "节假日安排更新，期限已重算", "deadline recomputed"
        case ev.LicenceIssued():
            return f"电子证照已签发：{event.identifier}", f"electronic licence issued: {event.identifier}"
        case ev.LicenceRevoked():
            return f"电子证照已撤销：{event.identifier} {event.reason}".strip(), f"electronic licence revoked: {event.identifier}"
        case ev.DecisionRevoked():
            return f"决定已撤销：{event.reason}", f"decision revoked: {event.reason}"
        case ev.DataRequested():
            field_zh, field_en = names.material(event.registry_field)
            return (
                f"已申请共享数据 {field_zh}，等待数据共享答复",
                f"shared data requested ({field_en}); waiting for the owner's answer",
            )
        case ev.DataAnswered():
            return (
                f"数据共享申请{'已同意' if event.granted else '被拒绝'} {event.reason}".strip(),
                f"sharing request {'granted' if event.granted else 'refused'}",
            )
        case ev.ItemsSkipped():
            return "部分事项无需办理，已跳过", "items not needed were skipped"
        case ev.JointOpinion():
            return "联合验收意见已出具", "joint opinion issued"
    legal = legal_event_text(event)
    if legal is not None:
        return legal
    return event.kind.value, event.kind.value


def event_public(
    event: ev.CaseEvent, catalog: CatalogSpec, actor: tuple[str, str] | None = None
) -> s.EventPublic:
    zh, en = event_text(event, catalog)
    by = actor or Names(catalog).actor(event.actor)
    return s.EventPublic(
        kind=event.kind.value,
        at=event.at,
        actor=event.actor,
        actor_zh=by[0],
        actor_en=by[1],
        task_id=event.task_id,
        reason=event.reason,
        text_zh=zh,
        text_en=en,
        data=event.data,
    )


def actor_names(services: Services, catalog: CatalogSpec, actors: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Who each actor is, by department and role (staff), or 申请人 / 系统自动."""
    names = Names(catalog)
    found: dict[str, tuple[str, str]] = {}
    for actor in set(actors):
        account = services.accounts.by_username(actor) if actor and actor != SYSTEM_ACTOR else None
        if account is None or account.role is Role.APPLICANT:
            found[actor] = names.actor(actor)
        else:
            found[actor] = names.actor(actor, (account.role.label_zh, account.role.label_en), account.department_code)
    return found


def material_spec_public(item: ItemSpec) -> list[s.MaterialSpecPublic]:
    return [
        s.MaterialSpecPublic(
            code=m.code,
            name_zh=m.name.zh,
            name_en=m.name.en,
            source=m.source.value,
            required=m.required,
            commitment_allowed=m.commitment_allowed,
            registry_field=m.registry_field,
            asked_of_applicant=m.asked_of_applicant,
            source_zh=SOURCE_ZH.get(m.source.value, m.source.value),
        )
        for m in item.materials
    ]


def material_public(material: Material) -> s.MaterialPublic:
    return s.MaterialPublic(
        id=material.id,
        case_id=material.case_id,
        material_code=material.material_code,
        original_name=material.original_name,
        content_type=material.content_type,
        size=material.size,
        sha256=material.sha256,
        uploaded_at=material.uploaded_at,
        url=f"/api/v1/materials/{material.id}",
    )


def guide_public(catalog: CatalogSpec, code: str) -> s.GuidePublic:
    bundle: BundleSpec = catalog.as_bundle(code)
    items = []
    for item_code in bundle.item_codes():
        item = catalog.item(item_code)
        department = catalog.department_kinds.get(item.department_kind)
        items.append(
            s.ItemGuidePublic(
                code=item.code,
                name_zh=item.name.zh,
                name_en=item.name.en,
                department_kind=item.department_kind,
                department_zh=department.name.zh if department else item.department_kind,
                legal_basis=list(item.legal_basis),
                handling_modes=[m.value for m in item.handling_modes],
                materials=material_spec_public(item),
                legal_limit=_legal_limit_words(item).zh,
                legal_limit_en=_legal_limit_words(item).en,
                legal_limit_basis=item.legal_limit_basis,
                promised_limit=describe_limit(item.promised_limit).zh,
                promised_limit_en=describe_limit(item.promised_limit).en,
                fees=[s.FeePublic(name_zh=f.name.zh, name_en=f.name.en, amount_yuan=f.amount_yuan) for f in item.fees],
                service_standard_zh=item.service_standard.zh,
                service_standard_en=item.service_standard.en,
                department_en=department.name.en if department else item.department_kind,
            )
        )
    return s.GuidePublic(
        code=bundle.code,
        kind="bundle" if code in catalog.bundles else "item",
        name_zh=bundle.name.zh,
        name_en=bundle.name.en,
        description_zh=bundle.description.zh if bundle.description else "",
        description_en=bundle.description.en if bundle.description else "",
        total_limit=describe_limit(bundle.total_limit).zh,
        total_limit_en=describe_limit(bundle.total_limit).en,
        handling_modes=[m.value for m in bundle.handling_modes],
        items=items,
        form=[
            s.FormFieldPublic(
                name=f.name,
                label_zh=f.label.zh,
                label_en=f.label.en,
                type=f.type.value,
                required=f.required,
                choices=[value for value, _ in f.choices],
                prefill=f.prefill,
                accepted_documents=[zh for zh, _ in ACCEPTED_ID_DOCUMENTS] if f.type is FieldType.ID_NUMBER else [],
            )
            for f in bundle.form
        ],
    )


def figures_public(platform: Platform, figures: Figures) -> s.FiguresPublic:
    catalog = platform.catalogs.current()
    office = platform.calendars.current().office_hours
    day_hours = office.day_seconds / 3600
    item = catalog.items.get(figures.item_code)
    return s.FiguresPublic(
        department_code=figures.department_code,
        department_zh=Names(catalog).department(figures.department_code)[0],
        department_en=Names(catalog).department(figures.department_code)[1],
        item_code=figures.item_code,
        item_name_zh=item.name.zh if item else figures.item_code,
        item_name_en=item.name.en if item else figures.item_code,
        open=figures.open,
        due_soon=figures.due_soon,
        overdue=figures.overdue,
        completed=figures.completed,
        average_working_days=figures.average_working_days(day_hours),
        instant_share=figures.instant_share,
        online_share=figures.online_share,
        target_working_days=round(float(item.promised_limit.nominal_working_days(office)), 3) if item else None,
        target_instant_share=TARGET_INSTANT_SHARE,
        target_online_share=TARGET_ONLINE_SHARE,
    )
