"""Case services: one function per command, each one transaction.

The services load the aggregate through the unit of work, let the engine change it, and save
it; the changed rows and the events are written in the same transaction. A lost race on the
case's version is retried from a fresh read: actions on *different* tasks of one case then
both succeed, while a second action on the *same* task finds it already handled and gets a
clear conflict (`InvalidAction`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from yiwang.calendar import TimeLimit
from yiwang.calendar.month import require_in_window
from yiwang.cases import engine, evidence, legal, legal_actions
from yiwang.cases.commands import (
    AnswerDataRequest,
    AnswerSupplement,
    EndExcludedPeriod,
    ExtendTimeLimit,
    RefuseAcceptance,
    RequestSharedData,
    ResumeCase,
    StartExcludedPeriod,
    SubmitApplication,
    SuspendCase,
    TaskCommand,
    TerminateCase,
    WithdrawApplication,
    case_id_of_task,
)
from yiwang.cases.engine import EngineContext
from yiwang.cases.errors import (
    CaseError,
    ConcurrentUpdate,
    DuplicateSubmission,
    EntityNameTaken,
    IdempotencyKeyReused,
    InvalidAction,
    InvalidForm,
    ReasonRequired,
)
from yiwang.cases.events import CaseEvent, DataRequested, LicenceRevoked, SupervisionNote
from yiwang.cases.forms import CheckContext, validate_form
from yiwang.cases.models import Case, Output
from yiwang.cases.ports import (
    CalendarProvider,
    CatalogProvider,
    SharingRequest,
    UnitOfWork,
    UnitOfWorkFactory,
)
from yiwang.cases.proofs import RegistryProofs
from yiwang.cases.reactions import Occasion, Reactions
from yiwang.catalog.errors import UnknownCatalogEntry
from yiwang.catalog.models import BundleSpec, CatalogSpec
from yiwang.credit.commitments import commitment_refusal
from yiwang.credit.rules import CreditRules
from yiwang.credit.services import classify
from yiwang.identity.errors import FieldProblem
from yiwang.identity.numbers import is_valid_credit_code, is_valid_id_number
from yiwang.registries.models import SharingLevel

log = logging.getLogger(__name__)

_RETRIES = 5
# Overdue tasks escalated per sweep transaction.
SWEEP_BATCH = 1000
LEGAL_SWEEP_READ_BATCH = 500


@dataclass(frozen=True, slots=True)
class Submitted:
    case_id: str
    created: bool  # False when the same idempotency key returned an existing case
    case: Case | None = None  # the new case as submitted (None when it already existed)


@dataclass
class CaseServices:
    uow_factory: UnitOfWorkFactory
    catalogs: CatalogProvider
    calendars: CalendarProvider
    clock: Callable[[], datetime]
    # Declared credit rules (catalog/credit/rules.yaml): who may use credit commitments.
    credit_rules: CreditRules | None = None
    # The other contexts' follow-up work on the events of a change (bootstrap registers it).
    reactions: Reactions = field(default_factory=Reactions)

    def _facts(
        self,
        uow: UnitOfWork,
        command: SubmitApplication,
        case_id: str,
        now: datetime,
        rules: CreditRules | None,
    ) -> dict[str, str]:
        """What the platform knows about the applicant that declared rules may test: the
        credit class of an enterprise, whether a person holds a talent card. Each read is
        logged like any other read of their data."""
        applicant = command.applicant_id
        if is_valid_id_number(applicant):
            found = uow.registries.lookup(
                "licences",
                "talent_card",
                applicant,
                reader="system",
                purpose="核验惠才卡以提供绿色通道 / talent-card check for the green channel",
                case_id=case_id,
                at=now,
            )
            return {
                "applicant.kind": "person",
                "applicant.talent_card": "yes" if found.found else "no",
            }
        if not is_valid_credit_code(applicant) or applicant.startswith("1"):
            # Internal government work (征求意见, 会签): the applicant is a government body
            # (registration authority 1, 机构编制), not a market entity with a credit file.
            return {"applicant.kind": "government_body"}
        facts = {"applicant.kind": "enterprise"}
        if rules is not None:
            records = uow.credit.records(applicant)
            uow.registries.log_read(
                "credit",
                ("class",),
                applicant,
                reader="system",
                purpose="按信用等级适用差异化办理 / credit class for differentiated handling",
                case_id=case_id,
                at=now,
            )
            classification = classify(records, now.date(), rules, credit_code=applicant)
            facts["applicant.credit_class"] = classification.credit_class.value
        return facts

    def _check_commitment_allowed(
        self, uow: UnitOfWork, command: SubmitApplication, now: datetime, rules: CreditRules | None
    ) -> None:
        """Enterprises in the classes the rules exclude may not replace proofs by commitments."""
        if rules is None:
            raise CaseError(
                "未配置信用规则，不能受理告知承诺",
                "no credit rules configured; commitments not accepted",
            )
        records = uow.credit.records(command.applicant_id)
        classification = classify(records, now.date(), rules, credit_code=command.applicant_id)
        refusal = commitment_refusal(records, classification.credit_class, rules, now.date())
        if refusal is not None:
            raise InvalidForm(
                [
                    FieldProblem(
                        "commitments",
                        "commitment_not_allowed"
                        if refusal.code == "excluded_class"
                        else refusal.code,
                        refusal.message_zh
                        + (
                            f"（{classification.rule_text_zh}）"
                            if refusal.code == "excluded_class"
                            else ""
                        ),
                        refusal.message_en,
                    )
                ]
            )

    def _context(
        self, uow: UnitOfWork, version: str | None = None, now: datetime | None = None
    ) -> EngineContext:
        catalog = self.catalogs.current() if version is None else self.catalogs.version(version)
        proofs = RegistryProofs(uow, catalog, now) if now is not None else None
        return EngineContext(
            catalog=catalog, calendar=self.calendars.current(), numbers=uow.numbers, proofs=proofs
        )

    # --- submission -----------------------------------------------------------------------

    def submit(self, command: SubmitApplication) -> Submitted:
        digest = _digest(command)
        catalog = self.catalogs.current()
        now = self.clock().astimezone(UTC)
        try:
            with self.uow_factory() as uow:
                if command.idempotency_key:
                    # Checked inside the write transaction only (a check before it cost every
                    # new submission a connection and a transaction of its own): a submission
                    # with this key may have committed while this one waited for the lock
                    # (SQLite) or ran alongside it (PostgreSQL). A replay is answered before
                    # the catalog checks below, as it was before them when first sent.
                    earlier = uow.cases.find_by_idempotency_key(command.idempotency_key)
                    if earlier is not None:
                        if uow.cases.digest_of(earlier) != digest:
                            raise IdempotencyKeyReused(command.idempotency_key)
                        return Submitted(earlier, created=False)
                if (
                    command.subject_code not in catalog.bundles
                    and command.subject_code not in catalog.items
                ):
                    raise UnknownCatalogEntry(command.subject_code)
                bundle = catalog.as_bundle(command.subject_code)
                # The credit rules of the version the case is pinned to (part of the catalog).
                rules = catalog.credit_rules or self.credit_rules
                if bundle.submission_window is not None:
                    # Outside its monthly window the application is refused, naming the next one.
                    require_in_window(self.calendars.current(), now, bundle.submission_window)
                problems = validate_form(
                    command.form,
                    CheckContext(
                        catalog=catalog,
                        bundle=bundle,
                        region_code=command.region_code,
                        names=uow.names,
                        today=now.date(),
                    ),
                )
                problems += _commitment_problems(command, bundle, catalog)
                if command.authorisation_ref.strip() and not any(
                    scope.strip() for scope in command.authorisation_scope
                ):
                    problems.append(
                        FieldProblem(
                            "authorisation_scope",
                            "required",
                            "请填写授权委托书载明的委托事项和权限",
                            "state the acts the authorisation covers",
                        )
                    )
                if problems:
                    raise InvalidForm(problems)
                if command.commitments:
                    self._check_commitment_allowed(uow, command, now, rules)
                # The date clerks read in a case number is the local one (a case filed at 07:00 in
                # Shanghai is filed that day, not the UTC day before).
                case_id = _new_case_id(now.astimezone(self.calendars.current().office_hours.tzinfo))
                facts = self._facts(uow, command, case_id, now, rules)
                facts.update(
                    evidence.gather(
                        uow.registries,
                        catalog,
                        bundle,
                        command.form,
                        command.applicant_id,
                        case_id=case_id,
                        at=now,
                    )
                )
                context = self._context(uow, catalog.version, now)
                assert isinstance(context.proofs, RegistryProofs)
                context.proofs.request_consents(case_id, command)
                case = engine.open_case(
                    command,
                    case_id=case_id,
                    tracking_number=case_id,
                    request_digest=digest,
                    now=now,
                    context=context,
                    facts=facts,
                )
                legal.settle_acceptances(case, now)
                legal_actions.record_authorisation(case, command, now)
                self.reactions.dispatch(Occasion(uow, case, catalog, now, context.proofs))
                uow.cases.add(case)
                uow.commit()
        except InvalidForm:
            # The name check may have seen the winner of a same-key race commit just now.
            if command.idempotency_key and (existing := self._existing(command.idempotency_key, digest)):
                return Submitted(existing, created=False)
            raise
        except (DuplicateSubmission, EntityNameTaken):
            # Two submissions raced; the other one won, on the key or on the enterprise name
            # (whose unique index is written first). Same key: same case. Otherwise a 409.
            if not command.idempotency_key:
                raise
            existing = self._existing(command.idempotency_key, digest)
            if existing is None:
                raise
            return Submitted(existing, created=False)
        log.info("case %s submitted (%s, %s)", case_id, command.subject_code, command.channel)
        return Submitted(case_id, created=True, case=case)

    def _existing(self, key: str, digest: str) -> str | None:
        with self.uow_factory() as uow:
            case_id = uow.cases.find_by_idempotency_key(key)
            if case_id is not None and uow.cases.digest_of(case_id) != digest:
                raise IdempotencyKeyReused(key)
            return case_id

    # --- actions --------------------------------------------------------------------------

    def act(self, command: TaskCommand) -> Case:
        """Apply a reviewer's action; returns the case as changed (``outputs`` holds only
        this action's outputs until the case is closed; `get` loads everything)."""
        return self._change(
            case_id_of_task(command.task_id),
            lambda case, now, ctx, _uow: legal.apply_task_command(case, command, now, ctx),
        )

    def extend_time_limit(self, command: ExtendTimeLimit) -> Case:
        return self._change(
            case_id_of_task(command.task_id),
            lambda case, now, ctx, _uow: legal_actions.extend_time_limit(case, command, now, ctx),
        )

    def start_excluded_period(self, command: StartExcludedPeriod) -> Case:
        return self._change(
            case_id_of_task(command.task_id),
            lambda case, now, ctx, _uow: legal_actions.start_excluded_period(
                case, command, now, ctx
            ),
        )

    def end_excluded_period(self, command: EndExcludedPeriod) -> Case:
        return self._change(
            case_id_of_task(command.task_id),
            lambda case, now, ctx, _uow: legal_actions.end_excluded_period(case, command, now, ctx),
        )

    def withdraw(self, command: WithdrawApplication) -> Case:
        return self._change(
            command.case_id, lambda case, now, _ctx, _uow: legal_actions.withdraw(case, command, now)
        )

    def suspend(self, command: SuspendCase) -> Case:
        return self._change(
            command.case_id,
            lambda case, now, ctx, _uow: legal_actions.suspend(case, command, now, ctx),
        )

    def resume(self, command: ResumeCase) -> Case:
        return self._change(
            command.case_id,
            lambda case, now, ctx, _uow: legal_actions.resume(case, command, now, ctx),
        )

    def terminate(self, command: TerminateCase) -> Case:
        return self._change(
            command.case_id,
            lambda case, now, _ctx, _uow: legal_actions.terminate(case, command, now),
        )

    def refuse_acceptance(self, command: RefuseAcceptance) -> Case:
        """不予受理, with the reason the applicant is given."""
        return self._change(
            case_id_of_task(command.task_id),
            lambda case, now, ctx, _uow: legal.refuse_acceptance(case, command, now, ctx),
        )

    def request_shared_data(self, command: RequestSharedData) -> tuple[Case, str]:
        """A reviewer's conditional-sharing request; the owner answers within 1 working day."""
        request_id = f"{command.task_id}-D{secrets.token_hex(3).upper()}"
        calendar = self.calendars.current()

        def change(case: Case, now: datetime, context: EngineContext, uow: UnitOfWork) -> None:
            # The datasets of the catalog version the case is pinned to, not the current one.
            dataset_code, _, field_code = command.registry_field.partition(".")
            dataset = context.catalog.datasets.get(dataset_code)
            if dataset is None or field_code not in {f.code for f in dataset.fields}:
                raise CaseError(
                    f"没有共享数据项 {command.registry_field}",
                    f"no registry field {command.registry_field}",
                )
            if dataset.sharing is SharingLevel.NOT_SHARED:
                raise CaseError(
                    f"数据集 {dataset.name_zh} 不予共享", f"dataset {dataset.code} is not shared"
                )
            engine.apply_task_command(case, command, now, context)
            owner = engine.department_code(dataset.owner_department_kind, case.region_code)
            due = calendar.deadline_for(now, TimeLimit.working_days(1))
            uow.sharing.open(
                SharingRequest(
                    id=request_id,
                    registry_field=command.registry_field,
                    subject_id=command.subject_id,
                    purpose=command.purpose.strip(),
                    case_id=case.id,
                    task_id=command.task_id,
                    owner_department=owner,
                    requested_by=command.actor,
                    requested_at=now,
                    due_at=due.at,
                    status="pending",
                )
            )
            case.record(
                DataRequested(
                    at=now,
                    actor=command.actor,
                    task_id=command.task_id,
                    reason=command.purpose.strip(),
                    request_id=request_id,
                    registry_field=command.registry_field,
                    dataset=dataset.name_zh,
                    owner_department=owner,
                    due_at=due.at,
                    provisional=due.provisional,
                )
            )

        return self._change(case_id_of_task(command.task_id), change), request_id

    def answer_data_request(self, command: AnswerDataRequest) -> Case:
        with self.uow_factory(read_only=True) as uow:
            request = uow.sharing.get(command.request_id)
        if request is None:
            raise CaseError(
                f"共享申请 {command.request_id} 不存在", f"no sharing request {command.request_id}"
            )

        def change(case: Case, now: datetime, context: EngineContext, uow: UnitOfWork) -> None:
            if not uow.sharing.close(
                request.id, granted=command.granted, by=command.actor, note=command.note, at=now
            ):
                raise CaseError(
                    f"共享申请 {request.id} 已答复",
                    f"sharing request {request.id} was already answered",
                )
            engine.answer_data_request(
                case, request.task_id, request.id, command.granted, command.actor, command.note, now
            )
            if command.granted:
                dataset_code, _, field_code = request.registry_field.partition(".")
                answer = uow.registries.lookup(
                    dataset_code,
                    field_code,
                    request.subject_id,
                    reader=request.requested_by,
                    purpose=request.purpose,
                    case_id=case.id,
                    at=now,
                )
                task = case.task(request.task_id)
                uow.registries.attach(
                    case_id=case.id,
                    item_code=task.item_code,
                    material_code=request.registry_field,
                    source="registry",
                    answer=answer,
                    at=now,
                )

        return self._change(request.case_id, change)

    def revoke_licence(self, identifier: str, *, reason: str, actor: str) -> Case | None:
        """撤销: revoke a licence in the library and record it on the case that issued it.

        A revoked licence no longer satisfies any material and verifies as revoked. Returns
        the issuing case (None for a licence issued outside a case).
        """
        if not reason.strip():
            raise CaseError("撤销证照须填写理由", "revoking a licence needs a reason")
        now = self.clock().astimezone(UTC)
        with self.uow_factory() as uow:
            signed = uow.licences.get(identifier)
            if signed is None:
                raise CaseError(
                    f"电子证照库中没有 {identifier}", f"no licence {identifier} in the library"
                )
            if not uow.licences.revoke(identifier, reason=reason.strip(), by=actor, at=now):
                raise CaseError(
                    f"证照 {identifier} 已撤销", f"licence {identifier} is already revoked"
                )
            case_id = uow.licences.case_of(identifier)
            case = None
            if case_id is not None:
                case = uow.cases.get(case_id, with_outputs=False)
                case.record(
                    LicenceRevoked(
                        at=now, actor=actor, reason=reason.strip(), identifier=identifier
                    )
                )
                uow.cases.save(case)
            uow.commit()
        return case

    def note_supervision(self, task_id: str, actor: str, note: str) -> Case:
        """督办: a supervisor's note on an open task, recorded in the case history (an event
        on the task) where the handling department reads it on its task page."""
        text = note.strip()

        def change(case: Case, now: datetime, _ctx: EngineContext, _uow: UnitOfWork) -> None:
            task = case.task(task_id)
            if not task.is_open:
                raise InvalidAction(task_id, "督办 supervision note", task.status.value)
            if not text:
                raise ReasonRequired("督办 supervision note")
            case.record(SupervisionNote(at=now, actor=actor, task_id=task_id, reason=text[:1000]))

        return self._change(case_id_of_task(task_id), change)

    def answer_supplement(self, command: AnswerSupplement) -> Case:
        return self._change(
            command.case_id,
            lambda case, now, ctx, _uow: legal.answer_supplement(case, command, now, ctx),
        )

    def _change(
        self, case_id: str, change: Callable[[Case, datetime, EngineContext, UnitOfWork], None]
    ) -> Case:
        for attempt in range(_RETRIES):
            try:
                with self.uow_factory() as uow:
                    # Outputs are only appended by actions, never read by them.
                    case = uow.cases.get(case_id, with_outputs=False)
                    now = self.clock().astimezone(UTC)
                    context = self._context(uow, case.catalog_version, now)
                    assert isinstance(context.proofs, RegistryProofs)
                    change(case, now, context, uow)
                    legal.settle_acceptances(case, now)
                    self.reactions.dispatch(Occasion(uow, case, context.catalog, now, context.proofs))
                    uow.cases.save(case)
                    if case.is_closed:
                        # The outputs of earlier actions, so a concluded case is complete.
                        case.outputs = uow.cases.outputs(case_id)
                    uow.commit()
                    return case
            except ConcurrentUpdate:
                log.info("case %s: concurrent update, retry %d", case_id, attempt + 1)
        raise ConcurrentUpdate(case_id)

    def get(self, case_id: str, *, with_outputs: bool = True) -> Case:
        with self.uow_factory(read_only=True) as uow:
            return uow.cases.get(case_id, with_outputs=with_outputs)

    def events(self, case_id: str) -> list[CaseEvent]:
        with self.uow_factory(read_only=True) as uow:
            return list(uow.cases.events(case_id))

    def outputs(self, case_id: str) -> list[Output]:
        """All the case's outputs (`act` returns only the action's own on an open case)."""
        with self.uow_factory(read_only=True) as uow:
            return list(uow.cases.outputs(case_id))

    # --- periodic work --------------------------------------------------------------------

    def sweep(self) -> int:
        """Record `DeadlineMissed` once per overdue task; safe to run from many processes.

        Tasks are claimed in batches by a conditional UPDATE (``escalated_at IS NULL``): of
        two sweeps racing for one task, exactly one changes the row and writes the event.
        The legal sweep (deemed acceptance, deemed withdrawal) runs first; its changes go
        through the case's version lock, so two sweeps cannot record them twice.
        """
        now = self.clock().astimezone(UTC)
        legal_changes = self.sweep_legal()
        if legal_changes:
            log.info("legal sweep: %d case(s) deemed accepted or withdrawn", legal_changes)
        recorded = 0
        while True:
            # Batches, one transaction each: a crash loses at most one uncommitted batch, and
            # 10,000 overdue tasks take a handful of statements instead of 10,000 transactions.
            with self.uow_factory() as uow:
                claimed = uow.escalate_overdue(now, SWEEP_BATCH)
                uow.commit()
            recorded += claimed
            if claimed < SWEEP_BATCH:
                return recorded

    def sweep_legal(self) -> int:
        """行政许可法 Art. 32 and 45 without anyone acting: applications no one answered
        within 5 working days count as accepted as of receipt; unanswered supplement notices
        past their deadline end the case as withdrawn; excluded periods past their cap end.
        Returns the number of cases changed.

        Reads only the cases whose stored ``legal_due_at`` (`legal.next_legal_due`, kept by
        every save) has passed, not every open case. A case read but not due (a
        conservative value from the migration, the volume loader or a calendar change) gets
        its exact instant stored, so it is not read again before then.
        """
        now = self.clock().astimezone(UTC)
        calendar = self.calendars.current()
        with self.uow_factory(read_only=True) as uow:
            case_ids = list(uow.legal_due_case_ids(now))
        due_ids: list[str] = []
        # Read in batches (two queries per batch); the changes go case by case, under its lock.
        for start in range(0, len(case_ids), LEGAL_SWEEP_READ_BATCH):
            not_due: list[Case] = []
            with self.uow_factory(read_only=True) as uow:
                for case in uow.cases.get_many(case_ids[start : start + LEGAL_SWEEP_READ_BATCH]):
                    if legal.sweep_due(case, now, calendar) or legal_actions.sweep_due(
                        case, now, self._context(uow, case.catalog_version)
                    ):
                        due_ids.append(case.id)
                    else:
                        not_due.append(case)
            if not_due:
                with self.uow_factory() as uow:
                    uow.cases.refresh_legal_due(not_due)
                    uow.commit()
        changed = 0
        for case_id in due_ids:

            def change(case: Case, now: datetime, ctx: EngineContext, _uow: UnitOfWork) -> None:
                legal_actions.sweep(case, now, ctx)
                legal.sweep(case, now, ctx)

            self._change(case_id, change)
            changed += 1
        return changed

    def recompute_deadlines(self) -> int:
        """After an official calendar year is loaded: refresh provisional deadlines."""
        with self.uow_factory() as uow:
            case_ids = list(uow.open_task_case_ids(provisional_only=True))
            # The legal deadlines count working days too: the next sweep reads every case
            # with one pending and stores its instant on the new calendar.
            uow.legal_due_unknown()
            uow.commit()
        changes = 0
        calendar = self.calendars.current()
        for case_id in case_ids:

            def change(case: Case, now: datetime, _ctx: EngineContext, _uow: UnitOfWork) -> None:
                nonlocal changes
                changes += engine.recompute_deadlines(case, now, calendar)

            self._change(case_id, change)
        return changes


def _commitment_problems(
    command: SubmitApplication, bundle: BundleSpec, catalog: CatalogSpec
) -> list[FieldProblem]:
    allowed = {
        m.code
        for code in bundle.item_codes()
        for m in catalog.item(code).materials
        if m.commitment_allowed
    }
    problems = [
        FieldProblem(
            "commitments",
            "not_replaceable",
            f"材料“{code}”不能以告知承诺代替",
            f"material {code} cannot be replaced by a commitment",
        )
        for code in command.commitments
        if code not in allowed
    ]
    if command.commitments and not command.commitment_text.strip():
        problems.append(
            FieldProblem(
                "commitment_text",
                "required",
                "请签署告知承诺书",
                "the signed commitment text is required",
            )
        )
    elif command.commitments:
        # The applicant signs the item's published standard 承诺书, word for word: a text of
        # their own could promise less than the proof it replaces.
        for code in bundle.item_codes():
            item = catalog.item(code)
            if not item.replaceable_by_commitment & set(command.commitments):
                continue
            assert item.commitment is not None  # the catalog check guarantees it
            if command.commitment_text.strip() != item.commitment.text.zh:
                problems.append(
                    FieldProblem(
                        "commitment_text",
                        "not_standard_text",
                        f"请签署“{item.name.zh}”的标准告知承诺书：{item.commitment.text.zh}",
                        f"sign the standard commitment text of {item.code}: "
                        f"{item.commitment.text.en}",
                    )
                )
    return problems


def _digest(command: SubmitApplication) -> str:
    payload = {
        "subject": command.subject_code,
        "applicant": command.applicant_id,
        "region": command.region_code,
        "form": command.form,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    try:
        encoded = text.encode()
    except UnicodeEncodeError:
        # A lone surrogate ("JN\ud800") decodes from JSON escapes but is no character at all.
        raise InvalidForm(
            [
                FieldProblem(
                    "form",
                    "invalid_text",
                    "填写的内容含有无效字符，请检查后重新输入",
                    "the form contains text that is not valid Unicode (a lone surrogate)",
                )
            ]
        ) from None
    return hashlib.sha256(encoded).hexdigest()


def _new_case_id(now: datetime) -> str:
    # Readable and unguessable: the date for clerks, 40 random bits so ids cannot be walked.
    return f"YW{now:%Y%m%d}{secrets.token_hex(5).upper()}"


__all__ = ["CaseError", "CaseServices", "DuplicateSubmission", "Submitted"]
