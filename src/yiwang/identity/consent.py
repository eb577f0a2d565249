"""People named in someone else's application (申请所列人员) and their consent.

A start-up form names a legal representative (法定代表人); a form may name shareholders
(股东). Before anything is issued in such a person's name, the platform checks the stated
identity against the population registry and, when the person is not the one filing, asks
them to confirm (a consent request they see when signed in). The fields are found by name:
``legal_rep_id`` and ``shareholder_id`` / ``shareholder_<n>_id``, each with its ``…_name``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

_FIELD = re.compile(r"^(legal_rep|shareholder(?:_\d{1,2})?)_id$")

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "legal_rep": ("法定代表人", "legal representative"),
    "shareholder": ("股东", "shareholder"),
}


class ConsentStatus(StrEnum):
    CONFIRMED = "confirmed"  # the registry backs the identity and the person agreed (or filed)
    PENDING = "pending"  # waiting for the person to answer
    DECLINED = "declined"
    UNPROVED = "unproved"  # not in the population registry, or another name on record


@dataclass(frozen=True, slots=True)
class NamedPerson:
    field: str  # the form field holding the ID number
    person_id: str
    # None when the form asks for no name beside the ID number (an enterprise change names
    # its legal representative by ID only); then only the ID is checked.
    stated_name: str | None

    @property
    def role(self) -> str:
        return "legal_rep" if self.field.startswith("legal_rep") else "shareholder"

    @property
    def label(self) -> tuple[str, str]:
        return ROLE_LABELS[self.role]


def named_persons(form: Mapping[str, Any]) -> list[NamedPerson]:
    found = []
    for field, value in form.items():
        match = _FIELD.match(field)
        if match is None or not isinstance(value, str) or not value.strip():
            continue
        name = form.get(f"{match.group(1)}_name")
        stated = unicodedata.normalize("NFKC", name).strip() if isinstance(name, str) else None
        found.append(NamedPerson(field, unicodedata.normalize("NFKC", value).strip().upper(), stated))
    return sorted(found, key=lambda person: person.field)


def initial_status(person: NamedPerson, registered_name: str | None, filers: frozenset[str]) -> ConsentStatus:
    """Where a named person's consent starts: unproved unless the registry has this ID (under
    the stated name, when the form states one); confirmed for the person filing (or the
    applicant enterprise's registered legal representative); otherwise pending their answer."""
    if registered_name is None:
        return ConsentStatus.UNPROVED
    if person.stated_name is not None and registered_name != person.stated_name:
        return ConsentStatus.UNPROVED
    if person.person_id in filers:
        return ConsentStatus.CONFIRMED
    return ConsentStatus.PENDING
