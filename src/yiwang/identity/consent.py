"""People named in someone else's application (申请所列人员) and their consent.

A start-up form names a legal representative (法定代表人); a form may name shareholders
(股东). Before anything is issued in such a person's name, the platform checks the stated
identity against the population registry and, when the person is not the one filing, asks
them to confirm (a consent request they see when signed in). The fields are found by name:
``legal_rep_id`` and ``shareholder_id`` / ``shareholder_<n>_id``, each with its ``…_name``.

A branch (分公司) is established by the company it belongs to: a form that names a parent
company (``parent_credit_code``) is another's application in that company's name, so the
parent's registered legal representative must confirm it too (`PARENT_FIELD`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

_FIELD = re.compile(r"^(legal_rep|shareholder(?:_\d{1,2})?)_id$")

PARENT_FIELD = "parent_credit_code"

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "legal_rep": ("法定代表人", "legal representative"),
    "shareholder": ("股东", "shareholder"),
    "parent_company": ("隶属企业法定代表人", "legal representative of the parent company"),
}


def role_of(field: str) -> str:
    """The role a consent row's form field names (a key of `ROLE_LABELS`)."""
    if field == PARENT_FIELD:
        return "parent_company"
    return "legal_rep" if field.startswith("legal_rep") else "shareholder"


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
        return role_of(self.field)

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


def parent_company(form: Mapping[str, Any]) -> str | None:
    """The credit code of the company a branch's form says it belongs to (None: not a branch)."""
    value = form.get(PARENT_FIELD)
    if form.get("entity_type") != "branch" or not isinstance(value, str) or not value.strip():
        return None
    return unicodedata.normalize("NFKC", value).strip().upper()
