"""Value objects of the identity context: people, enterprises and their kinds.

A person is identified by a 公民身份号码 (citizen identity number), an enterprise by a
统一社会信用代码 (unified social credit code): one identity each across every department
(一号通行, R-ID-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from yiwang.identity.errors import FieldProblem, Problem

__all__ = [
    "KEY_SECTORS",
    "Enterprise",
    "EntityType",
    "FieldProblem",
    "Gender",
    "Person",
    "Problem",
]


class Gender(StrEnum):
    """Sex as recorded in the 17th digit of the ID number (odd: male, even: female)."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label_zh(self) -> str:
        return "男" if self is Gender.MALE else "女"

    @property
    def label_en(self) -> str:
        return "Male" if self is Gender.MALE else "Female"


class EntityType(StrEnum):
    """Kinds of market entity registered by the enterprise start-up service (plan 2).

    The values are the form values of ``catalog/bundles/enterprise_startup.yaml``.
    """

    LLC_NATURAL_PERSON_SOLE = "llc_natural_person_sole"
    LLC_NATURAL_PERSON = "llc_natural_person"
    INDIVIDUAL_BUSINESS = "individual_business"
    SOLE_PROPRIETORSHIP = "sole_proprietorship"
    BRANCH = "branch"
    PARTNERSHIP = "partnership"
    JOINT_STOCK = "joint_stock"

    @classmethod
    def from_form(cls, value: object) -> EntityType | None:
        """The entity type a form value names, or None for anything else."""
        try:
            return cls(str(value))
        except ValueError:
            return None

    @property
    def label_zh(self) -> str:
        return _ENTITY_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _ENTITY_LABELS[self][1]

    @property
    def smart_approval(self) -> bool:
        """Whether plan 2 lets the system approve this kind automatically (智能审批, R-WF-3).

        Plan 2 names natural-person-invested limited companies, individual businesses, sole
        proprietorships and branches set up by enterprise legal persons.
        """
        return self in _SMART_APPROVAL

    @property
    def credit_code_entity_type(self) -> str:
        """The 2nd character of the credit code under registration authority 9 (市场监管).

        GB 32100: ``1`` enterprise (branches included), ``2`` individual business.
        """
        return "2" if self is EntityType.INDIVIDUAL_BUSINESS else "1"

    @property
    def is_company(self) -> bool:
        """A 公司 under the Company Law (may use 公司 in its name)."""
        return self in _COMPANIES


_ENTITY_LABELS: dict[EntityType, tuple[str, str]] = {
    EntityType.LLC_NATURAL_PERSON_SOLE: (
        "有限责任公司（自然人独资）",
        "LLC (sole natural-person shareholder)",
    ),
    EntityType.LLC_NATURAL_PERSON: (
        "有限责任公司（自然人投资或控股）",
        "LLC (natural-person invested or controlled)",
    ),
    EntityType.INDIVIDUAL_BUSINESS: ("个体工商户", "Individual business"),
    EntityType.SOLE_PROPRIETORSHIP: ("个人独资企业", "Sole proprietorship"),
    EntityType.BRANCH: ("分公司", "Branch"),
    EntityType.PARTNERSHIP: ("合伙企业", "Partnership"),
    EntityType.JOINT_STOCK: ("股份有限公司", "Joint-stock company"),
}

_SMART_APPROVAL = frozenset(
    {
        EntityType.LLC_NATURAL_PERSON_SOLE,
        EntityType.LLC_NATURAL_PERSON,
        EntityType.INDIVIDUAL_BUSINESS,
        EntityType.SOLE_PROPRIETORSHIP,
        EntityType.BRANCH,
    }
)

_COMPANIES = frozenset(
    {
        EntityType.LLC_NATURAL_PERSON_SOLE,
        EntityType.LLC_NATURAL_PERSON,
        EntityType.JOINT_STOCK,
        EntityType.BRANCH,
    }
)

#: Sectors where even 诚信守法 entities are inspected (R-INSP-1): vaccines, drugs, special
#: equipment, hazardous chemicals.
KEY_SECTORS: frozenset[str] = frozenset({"疫苗", "药品", "特种设备", "危险化学品"})


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person as the population registry (人口库) knows them."""

    id_number: str
    name: str
    gender: Gender
    birth_date: dt.date
    #: 6-digit GB/T 2260 code of the county in the ID number (place of first registration)
    region_code: str
    phone: str


@dataclass(frozen=True, slots=True)
class Enterprise:
    """A market entity as the legal-entity registry (法人库) knows it."""

    credit_code: str
    name: str
    entity_type: EntityType
    #: county or function zone whose authority registered the entity
    region_code: str
    #: 法定代表人 (for a branch: its 负责人, the person in charge)
    legal_representative_id: str
    registered_on: dt.date
    #: industry in plain words; one of ``KEY_SECTORS`` for key-sector supervision
    sector: str
    address: str

    @property
    def in_key_sector(self) -> bool:
        return self.sector in KEY_SECTORS
