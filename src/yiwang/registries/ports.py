"""What the use cases read about an applicant from the base registries. Every read goes
through the access log (R-DATA-2), also when it only fills in a form or checks a walk-in
applicant: asking is already an access to someone's data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id_number: str
    name: str
    phone: str
    region_code: str


@dataclass(frozen=True, slots=True)
class EnterpriseRecord:
    credit_code: str
    name: str
    legal_rep_id: str
    address: str
    region_code: str


class ApplicantRegistry(Protocol):
    def person(self, id_number: str, *, reader: str, purpose: str) -> PersonRecord | None:
        """The population registry's entry, the read logged (found or not)."""

    def enterprise(self, credit_code: str, *, reader: str, purpose: str) -> EnterpriseRecord | None:
        """The legal-entity registry's entry, the read logged (found or not)."""

    def record_read(self, subject_id: str, dataset: str, fields: tuple[str, ...], *, reader: str, purpose: str) -> None:
        """Log a read made elsewhere (a real-name check by the identity provider)."""

    def earlier_forms(
        self, applicant_id: str, *, reader: str, purpose: str, limit: int = 5
    ) -> Sequence[Mapping[str, Any]]:
        """The forms of the applicant's latest applications, newest first, the read logged."""
