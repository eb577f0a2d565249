"""The follow-up work of other contexts when a case changes, run as reactions to its events.

A change to a case records events (`yiwang.cases.events`). Before the case is saved, the
services hand the new events to one `Reactions` dispatcher, which runs each registered
reaction on the events of its type, in the same transaction: a stage that opens fetches the
materials registries prove, a business licence enters the enterprise in the legal-entity
registry, a licence output is signed into the licence library, a decision that rests on a
signed credit commitment is kept for the post-check draw. Bootstrap registers them (`bootstrap.case_reactions`);
a failing reaction rolls the whole change back, so a licence exists exactly when its decision
does.

Reactions run in the order they were registered, each over every new event of its type, so a
later reaction sees the events an earlier one recorded (the commitment decision names the
licence signed just before it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from yiwang.cases.errors import CaseError
from yiwang.cases.events import (
    CaseEvent,
    LicenceIssued,
    OutputIssued,
    TaskCompleted,
    TaskOpened,
)
from yiwang.cases.licensing import licence_request
from yiwang.cases.models import Case
from yiwang.cases.ports import RegistryAnswer, UnitOfWork
from yiwang.cases.proofs import RegistryProofs, confirm_before_issue
from yiwang.catalog.models import CatalogSpec, MaterialSource
from yiwang.credit.models import CommitmentDecision
from yiwang.licences.errors import KeyNotFound
from yiwang.licences.services import LicenceIssuer, SigningKeys

E = TypeVar("E", bound=CaseEvent)


@dataclass(frozen=True, slots=True)
class Occasion:
    """What a reaction works with: the changed case in its transaction."""

    uow: UnitOfWork
    case: Case
    catalog: CatalogSpec  # the version the case is pinned to
    now: datetime
    # The registry answers the engine already read for its proof check (read once).
    proofs: RegistryProofs | None = None


Reaction = Callable[[Occasion, E], None]


@dataclass
class Reactions:
    """Registered reactions, dispatched from one place (`CaseServices`)."""

    _registered: list[tuple[type[CaseEvent], Callable[[Occasion, Any], None]]] = field(
        default_factory=list
    )

    def on(self, event_type: type[E], reaction: Reaction[E]) -> None:
        self._registered.append((event_type, reaction))

    def dispatch(self, occasion: Occasion) -> None:
        for event_type, reaction in self._registered:
            # A copy: a reaction may record events (a signed licence) while we iterate.
            for event in list(occasion.case.new_events):
                if isinstance(event, event_type):
                    reaction(occasion, event)


# --- the reactions --------------------------------------------------------------------------


def register_entity(occasion: Occasion, event: OutputIssued) -> None:
    """A business licence makes the enterprise exist in the legal-entity registry, in the
    same transaction: its name is taken from that instant and later items find it by data
    sharing."""
    if event.output_kind == "business_licence":
        occasion.uow.entities.register(occasion.case, event.number)


@dataclass(frozen=True, slots=True)
class SignLicence:
    """Sign a licence output with the issuing department's key (`yiwang keys create`)."""

    keys: SigningKeys | None

    def __call__(self, occasion: Occasion, event: OutputIssued) -> None:
        case, catalog, uow = occasion.case, occasion.catalog, occasion.uow
        output = next(o for o in case.new_outputs if o.number == event.number)
        item = catalog.item(output.item_code)
        if item.output is None or not item.output.is_licence:
            return
        # Nothing is signed in the name of a person the registry does not back or who has
        # not confirmed: the approving action fails and nothing is written.
        confirm_before_issue(uow, case)
        if self.keys is None:
            raise CaseError(
                "未配置签名密钥，无法签发电子证照",
                "no signing keys configured; cannot issue licences",
            )
        issued_at = occasion.now.replace(microsecond=0)
        request = licence_request(case, output, catalog, issued_at)
        issuer = LicenceIssuer(self.keys, uow.licence_serials)
        try:
            signed = issuer.issue(request, issued_at=issued_at)
        except KeyNotFound as error:
            raise CaseError(
                f"签发部门 {request.issuer_department_code} 没有签名密钥，请先运行 yiwang keys create {request.issuer_department_code}",
                f"issuing department {request.issuer_department_code} has no signing key; run `yiwang keys create {request.issuer_department_code}`",
            ) from error
        uow.licences.store(signed, number=output.number, case_id=case.id, holder_id=request.holder_id)
        case.record(
            LicenceIssued(
                at=occasion.now,
                item=output.item_code,
                identifier=signed.licence.identifier.text,
                licence_kind=output.kind,
                holder=signed.licence.holder_id,
                issuer=request.issuer_department_code,
                key_id=signed.key_id,
            )
        )


def fetch_shared_materials(occasion: Occasion, event: TaskOpened) -> None:
    """数据共享: the materials a registry proves are fetched when their task opens, with
    their source and time, and never asked of the applicant (an answer the engine's proof
    check already read is reused, not read twice). Conditionally shared datasets wait for a
    reviewer's request (they need a purpose the owner can weigh)."""
    case, uow = occasion.case, occasion.uow
    proofs = occasion.proofs or RegistryProofs(uow, occasion.catalog, occasion.now)
    assert event.task_id is not None
    task = case.task(event.task_id)
    item = occasion.catalog.item(task.item_code)
    for material in item.materials:
        if material.source is not MaterialSource.REGISTRY or material.registry_field is None:
            continue
        answer = proofs.answer(case, task, item, material)
        if answer is None:
            answer = RegistryAnswer(
                False,
                material.registry_field,
                "有条件共享，待审核人员申请 / conditional sharing: requested by the reviewer",
            )
        uow.registries.attach(
            case_id=case.id,
            item_code=item.code,
            material_code=material.code,
            source="licence" if material.registry_field.startswith("licences.") else "registry",
            answer=answer,
            at=occasion.now,
        )


def record_commitment_decision(occasion: Occasion, event: TaskCompleted) -> None:
    """Each decision that rests on a signed commitment (by rule or by a reviewer) is kept for
    the post-check draw (事后核查), with the text the applicant signed."""
    case = occasion.case
    if not case.commitments or event.task_id is None:
        return
    task = case.task(event.task_id)
    signed = next((c for c in case.legal.commitments if c.item_code == task.item_code), None)
    if signed is None:
        return
    item = occasion.catalog.item(task.item_code)
    licence = next(
        (
            e.identifier
            for e in case.new_events
            if isinstance(e, LicenceIssued) and e.item == item.code
        ),
        None,
    )
    # A registration creates the enterprise: the commitment is then on its credit file.
    holder = next(
        (
            o.number
            for o in case.new_outputs
            if o.item_code == item.code and o.kind == "business_licence"
        ),
        case.applicant_id,
    )
    occasion.uow.credit.add_decision(
        CommitmentDecision(
            decision_id=f"{task.id}-C",
            case_id=case.id,
            item_id=item.code,
            credit_code=holder,
            decided_at=occasion.now,
            replaced_materials=frozenset(item.replaceable_by_commitment & set(case.commitments)),
            commitment_text_zh=signed.text_zh,
            licence_id=licence,
            mode="instant_commitment" if task.decided_by_rule else "reviewed_commitment",
        )
    )
