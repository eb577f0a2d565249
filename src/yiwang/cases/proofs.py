"""Registry proof before any instant decision or licence (实名核验与本人确认).

`RegistryProofs` is the engine's `ProofCheck` for one unit of work. It fetches the
registry-proved materials of a task once (each read logged), and data sharing then attaches
the same answers, so nothing is read twice. An automatic decision waits for a person when a
required registry material is missing (no subject in the form, or the registry does not have
it), when the registry's name for a person differs from the name the form states, or when a
person named in the form has not confirmed.

`request_consents` records, at submission, one consent row per person the form names
(`identity.consent`); `confirm_before_issue` refuses to sign a licence while any of them is
unproved, pending or declined.
"""

from __future__ import annotations

from datetime import datetime

from yiwang.cases.commands import SubmitApplication
from yiwang.cases.errors import IdentityNotConfirmed
from yiwang.cases.models import Case, Task
from yiwang.cases.ports import RegistryAnswer, UnitOfWork
from yiwang.catalog.models import CatalogSpec, ItemSpec, MaterialSource, MaterialSpec
from yiwang.identity.consent import (
    PARENT_FIELD,
    ConsentStatus,
    NamedPerson,
    initial_status,
    named_persons,
    parent_company,
)
from yiwang.registries.models import SharingLevel


def subject_of(material: MaterialSpec, case: Case) -> str:
    if material.subject.startswith("form:"):
        return str(case.form.get(material.subject[len("form:") :]) or "").strip().upper()
    return case.applicant_id


# Registry records that an output of the same case creates: a task that opens after that
# output exists reads it from the case instead of waiting for the registry to be updated.
PROVIDED_BY_OUTPUT = {"tax_payment.deed_tax": "tax_receipt"}


class RegistryProofs:
    def __init__(self, uow: UnitOfWork, catalog: CatalogSpec, now: datetime) -> None:
        self.uow = uow
        self.catalog = catalog
        self.now = now
        self._answers: dict[tuple[str, str, str, str], RegistryAnswer] = {}

    def answer(self, case: Case, task: Task, item: ItemSpec, material: MaterialSpec) -> RegistryAnswer | None:
        """The registry's answer for an unconditionally shared material (None: conditional,
        a reviewer requests it with a purpose the owner weighs)."""
        assert material.registry_field is not None
        issued_here = next(
            (o for o in case.outputs if o.kind == PROVIDED_BY_OUTPUT.get(material.registry_field)),
            None,
        )
        if issued_here is not None:
            # Paid within this very case (先税后证): the receipt it issued is the record.
            return RegistryAnswer(
                True, issued_here.number, f"{issued_here.name_zh} {issued_here.number}"
            )
        dataset_code, _, field = material.registry_field.partition(".")
        subject = subject_of(material, case)
        if self.catalog.datasets[dataset_code].sharing is not SharingLevel.UNCONDITIONAL:
            return None
        if not subject:
            return RegistryAnswer(False, material.registry_field, "表单未填写 / not stated in the form")
        key = (case.id, item.code, material.code, subject)
        if key not in self._answers:
            self._answers[key] = self.uow.registries.lookup(
                dataset_code,
                field,
                subject,
                reader=f"system:{task.department_code}",
                purpose=f"办理“{item.name.zh}”所需材料“{material.name.zh}”",
                case_id=case.id,
                at=self.now,
            )
        return self._answers[key]

    def withheld(self, case: Case, task: Task, item: ItemSpec) -> tuple[str, ...]:
        reasons = [f"consent:{field}" for field in self.uow.consents.blocking(case.id)]
        for material in item.materials:
            if material.source is not MaterialSource.REGISTRY or material.registry_field is None:
                continue
            if not material.required:
                continue
            answer = self.answer(case, task, item, material)
            if answer is None:
                continue
            if not answer.found:
                reasons.append(f"missing:{material.code}")
                continue
            if material.registry_field.startswith("population.") and not self._name_matches(case, material):
                reasons.append(f"mismatch:{material.code}")
        return tuple(reasons)

    def _name_matches(self, case: Case, material: MaterialSpec) -> bool:
        """A person the form names by ID and name must carry that name in the registry."""
        if not material.subject.startswith("form:") or not material.subject.endswith("_id"):
            return True
        name_field = material.subject[len("form:") : -len("_id")] + "_name"
        stated = case.form.get(name_field)
        if not isinstance(stated, str):
            return True
        return self.uow.consents.registered_name(subject_of(material, case)) == stated.strip()

    def request_consents(self, case_id: str, command: SubmitApplication) -> None:
        filers = {p for p in (command.applicant_id, command.filed_by) if p}
        # An enterprise naming the legal representative the registry records for it names a
        # registry fact, not someone else's identity.
        registered_rep = self.uow.consents.legal_rep_of(command.applicant_id)
        if registered_rep is not None:
            filers.add(registered_rep)
        for person in named_persons(command.form):
            registered = self.uow.consents.registered_name(person.person_id)
            status = initial_status(person, registered, frozenset(filers))
            self.uow.consents.request(
                case_id, person, status, requested_by=command.filed_by or command.applicant_id, at=self.now
            )
        parent = parent_company(command.form)
        if parent is not None and parent != command.applicant_id:
            # A branch in another company's name: that company's legal representative in the
            # registry confirms (none on record: unproved, so no licence either way).
            parent_rep = self.uow.consents.legal_rep_of(parent)
            if parent_rep is None:
                named, status = NamedPerson(PARENT_FIELD, parent, None), ConsentStatus.UNPROVED
            else:
                named = NamedPerson(PARENT_FIELD, parent_rep, None)
                status = ConsentStatus.CONFIRMED if parent_rep in filers else ConsentStatus.PENDING
            self.uow.consents.request(
                case_id, named, status, requested_by=command.filed_by or command.applicant_id, at=self.now
            )


def confirm_before_issue(uow: UnitOfWork, case: Case) -> None:
    blocking = uow.consents.blocking(case.id)
    if blocking:
        raise IdentityNotConfirmed(case.id, list(blocking))
