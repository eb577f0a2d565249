"""Immutable catalog specs: what the engine and the pages read, never raw YAML.

The catalog is data (R-CAT-1..3): departments, service items with the six unified fields,
and bundles (一件事) with one merged form mapped onto each item. A `CatalogSpec` is parsed
once per catalog version and shared; every object here is frozen so a running case cannot
change the rules it was started under.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from yiwang.calendar import LimitKind, TimeLimit
from yiwang.identity.names import ProhibitedWords
from yiwang.identity.regions import RegionTree
from yiwang.identity.scope import BusinessScope
from yiwang.registries.models import Dataset

if TYPE_CHECKING:
    # Documents other contexts own the types of; the catalog only carries them.
    from yiwang.credit.rules import CreditRules
    from yiwang.inspections.models import InspectionPlan
    from yiwang.metrics.catalog_report import Targets


class HandlingMode(StrEnum):
    """办理方式: where and how an applicant can handle an item."""

    WINDOW = "window"  # 窗口
    ONLINE = "online"  # 网上
    MOBILE = "mobile"  # 掌上
    SELF_SERVICE = "self_service"  # 自助
    NEARBY = "nearby"  # 就近
    REMOTE = "remote"  # 异地


class MaterialSource(StrEnum):
    """Where a material comes from (R-CAT-2)."""

    APPLICANT = "applicant"
    REGISTRY = "registry"  # shared registry: never asked of the applicant
    COMMITMENT = "commitment"  # 告知承诺 in lieu of proof
    PRIOR_OUTPUT = "prior_output"  # produced by an earlier step of the same case


class FieldType(StrEnum):
    TEXT = "text"
    ID_NUMBER = "id_number"
    CREDIT_CODE = "credit_code"
    PHONE = "phone"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    MONEY = "money"
    DATE = "date"
    REGION = "region"


@dataclass(frozen=True, slots=True)
class Text:
    """A user-facing text, Chinese first, English second."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True, slots=True)
class DepartmentKindSpec:
    """A kind of department (市场监管局, 税务局 …); each city has one of each kind."""

    code: str
    name: Text
    levels: tuple[str, ...]
    # Upper-case letters that, after the city code, identify a department as a licence
    # issuer (e.g. 370100SCJ): GB/T 36904-style identifiers allow [0-9A-Z] only.
    abbreviation: str = ""


@dataclass(frozen=True, slots=True)
class MaterialSpec:
    code: str
    name: Text
    source: MaterialSource
    required: bool = True
    # For registry materials: "dataset.field" that proves it (R-DATA-1).
    registry_field: str | None = None
    # Whether a credit commitment (告知承诺) may replace this material (R-CRED-2).
    commitment_allowed: bool = False
    # For prior-output materials: the item whose output provides it.
    from_item: str | None = None
    copies: int = 1
    # Whose record proves it: "applicant" or "form:<field>" (e.g. the legal representative).
    subject: str = "applicant"
    # 容缺受理: the applicant may promise this material and supply it before this stage
    # (a stage code of the bundle); a task of that stage checks the promise.
    promise_until: str | None = None

    @property
    def dataset(self) -> str | None:
        return self.registry_field.split(".", 1)[0] if self.registry_field else None

    @property
    def asked_of_applicant(self) -> bool:
        return self.source is MaterialSource.APPLICANT


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One step of the procedure (办理流程), e.g. 受理, 审核, 决定, 送达."""

    code: str
    name: Text


@dataclass(frozen=True, slots=True)
class FeeSpec:
    name: Text
    amount_yuan: str  # decimal string; "0" means free
    basis: str = ""


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """What a concluded item hands out: a licence, seals, invoices …"""

    kind: str
    name: Text
    # "licence" outputs go through the electronic-licence library (R-LIC-1).
    is_licence: bool = False
    # How many pieces the output has (four seals).
    pieces: tuple[Text, ...] = ()
    # Who holds it, by role: "applicant", "enterprise" (the enterprise the case registers, or
    # the enterprise that applied), or a party named on the form (the buyer, the mortgagee,
    # the talent) through the form fields holding their identifier and name.
    holder_role: str = "applicant"
    holder_id_field: str | None = None
    holder_name_field: str | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """A declared test on the merged form, e.g. ``entity_type in [...]``."""

    form_field: str
    operator: str  # "in", "not_in", "equals", "present"
    values: tuple[str, ...] = ()

    def holds(self, form: Mapping[str, object]) -> bool:
        value = form.get(self.form_field)
        if self.operator == "present":
            return value not in (None, "", [], ())
        text = "" if value is None else str(value)
        if self.operator == "in":
            return text in self.values
        if self.operator == "not_in":
            return text not in self.values
        if self.operator == "equals":
            return text == self.values[0]
        raise ValueError(f"unknown operator {self.operator!r}")


@dataclass(frozen=True, slots=True)
class AutoDecisionRule:
    """智能审批: the system decides when every condition holds and the checks pass (R-WF-3)."""

    rule_id: str
    description: Text
    conditions: tuple[Condition, ...]

    def applies(self, form: Mapping[str, object]) -> bool:
        return all(condition.holds(form) for condition in self.conditions)


@dataclass(frozen=True, slots=True)
class LimitVariant:
    """A different promised limit when the form says so (e.g. 2 working days instead of 10
    for first-class exporters)."""

    when: tuple[Condition, ...]
    limit: TimeLimit
    # What the case is, for the guide (e.g. 环境影响报告表 / EIA report form).
    label: Text | None = None

    def applies(self, form: Mapping[str, object]) -> bool:
        return all(condition.holds(form) for condition in self.when)


@dataclass(frozen=True, slots=True)
class FormFieldSpec:
    """A field of a merged form, declared once (一表填报)."""

    name: str
    label: Text
    type: FieldType
    required: bool = True
    choices: tuple[tuple[str, Text], ...] = ()
    # Name of a reference list the choices come from (e.g. "business_scope").
    choices_from: str | None = None
    # Where a pre-fill can come from, e.g. "applicant.name" (R-DATA-3).
    prefill: str | None = None
    help: Text | None = None


# 行政许可法 Art. 32 leaves the applicant's time to answer a supplement notice to the office;
# this default (an assumption to confirm with each department, docs/legal.md) applies where an
# item's catalog entry does not state `supplement_answer_limit`.
DEFAULT_SUPPLEMENT_ANSWER_LIMIT = TimeLimit.working_days(20)


# 行政许可法 Art. 42: 20 working days, extendable by 10 with the head's approval; joint or
# unified handling 45, extendable by 15. An item may lower its cap in the catalog.
DEFAULT_EXTENSION_CAP = 10
JOINT_EXTENSION_CAP = 15

# Art. 45 periods (听证, 检验检测, 鉴定, 专家评审) do not count; the Act sets no length, so each
# kind is capped by catalog data. These defaults are assumptions to confirm (docs/legal.md).
EXCLUDED_PERIOD_KINDS: Mapping[str, Text] = MappingProxyType(
    {
        "hearing": Text("听证", "hearing"),
        "testing": Text("检验、检测、检疫", "testing"),
        "appraisal": Text("鉴定", "appraisal"),
        "expert_review": Text("专家评审", "expert review"),
    }
)
DEFAULT_EXCLUDED_PERIOD_CAPS: Mapping[str, int] = MappingProxyType(
    {"hearing": 20, "testing": 30, "appraisal": 30, "expert_review": 20}
)


@dataclass(frozen=True, slots=True)
class CommitmentSpec:
    """告知承诺 of an item as published under 国办发〔2020〕42号: the standard 承诺书 text the
    applicant signs. The proofs it may replace are the item's materials marked
    ``commitment_allowed`` (the published list); nothing else is replaced."""

    text: Text
    # The legal basis of the item's commitment scheme, printed with the 承诺书.
    basis: str = ""


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """A service item (政务服务事项) with the six unified fields (R-CAT-1)."""

    code: str
    name: Text
    aliases: tuple[str, ...]
    department_kind: str
    legal_basis: tuple[str, ...]
    handling_modes: tuple[HandlingMode, ...]
    materials: tuple[MaterialSpec, ...]
    procedure: tuple[StepSpec, ...]
    legal_limit: TimeLimit
    promised_limit: TimeLimit
    fees: tuple[FeeSpec, ...]
    service_standard: Text
    output: OutputSpec | None = None
    auto_rules: tuple[AutoDecisionRule, ...] = ()
    # An item applied for alone has its own small form; inside a bundle the merged form is used.
    form: tuple[FormFieldSpec, ...] = ()
    # Regulatory category for reports (e.g. medical-insurance domain/category).
    category: str = ""
    limit_variants: tuple[LimitVariant, ...] = ()
    # Named checks the item's own form must pass (as for bundles).
    checks: tuple[str, ...] = ()
    source_file: str = ""
    # 告知承诺: the standard 承诺书 (None: the item accepts no commitment).
    commitment: CommitmentSpec | None = None
    # The applicant's time to answer a supplement notice (None: the stated default).
    supplement_answer_limit: TimeLimit | None = None
    # Art. 42: the most working days an extension may add (None: the Act's 10, or 15 joint).
    extension_cap: int | None = None
    # Art. 45: the most working days each kind of excluded period may last (catalog data).
    excluded_period_caps: Mapping[str, int] = field(
        default_factory=lambda: DEFAULT_EXCLUDED_PERIOD_CAPS
    )

    @property
    def answer_limit(self) -> TimeLimit:
        return self.supplement_answer_limit or DEFAULT_SUPPLEMENT_ANSWER_LIMIT

    @property
    def replaceable_by_commitment(self) -> frozenset[str]:
        """The published list of proofs a commitment may replace for this item."""
        return frozenset(m.code for m in self.materials if m.commitment_allowed)
    # The article that sets the legal limit (e.g. 《中华人民共和国建筑法》第八条); required
    # by the catalog check for calendar-day, same-day and on-receipt legal limits.
    legal_limit_basis: str = ""
    # A different legal limit when the form says so (环评法 Art. 22: 60 days for a report,
    # 30 for a report form).
    legal_limit_variants: tuple[LimitVariant, ...] = ()

    def limit_for(self, form: Mapping[str, object]) -> TimeLimit:
        """The promised limit that applies to this application."""
        for variant in self.limit_variants:
            if variant.applies(form):
                return variant.limit
        return self.promised_limit

    def legal_limit_for(self, form: Mapping[str, object]) -> TimeLimit:
        """The statutory limit that applies to this application."""
        for variant in self.legal_limit_variants:
            if variant.applies(form):
                return variant.limit
        return self.legal_limit

    @property
    def is_instant(self) -> bool:
        return self.promised_limit.kind is LimitKind.INSTANT

    @property
    def is_free(self) -> bool:
        return all(fee.amount_yuan in ("0", "0.00") for fee in self.fees)


@dataclass(frozen=True, slots=True)
class StageItemSpec:
    """An item inside a stage, with how the merged form maps onto the item's own fields."""

    item_code: str
    # item field name -> merged-form field name
    field_map: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # The stage may promise a shorter limit than the item alone (e.g. seals within 2 hours).
    limit: TimeLimit | None = None
    # Included only when every condition holds (e.g. skipped on 标准地 whose published
    # conditions the project committed to; approval instead of filing on the negative list).
    when: tuple[Condition, ...] = ()
    # Items of the same stage whose decision this one needs first (社保 needs the business
    # licence; 转移登记 needs the tax paid): its task opens, and its clock starts, only then.
    needs: tuple[str, ...] = ()

    def applies(self, form: Mapping[str, object]) -> bool:
        return all(condition.holds(form) for condition in self.when)


@dataclass(frozen=True, slots=True)
class StageSpec:
    code: str
    name: Text
    lead_department_kind: str
    limit: TimeLimit
    items: tuple[StageItemSpec, ...]
    # 联合验收: the departments inspect in one visit and the stage closes with one combined
    # opinion.
    joint: bool = False


@dataclass(frozen=True, slots=True)
class FlowVariant:
    """A flow type with its own working-day budget (e.g. government-investment: 70 days)."""

    value: str
    label: Text
    total_limit: TimeLimit
    stage_limits: Mapping[str, TimeLimit] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class FlowVariants:
    form_field: str
    options: tuple[FlowVariant, ...]

    def choose(self, form: Mapping[str, object]) -> FlowVariant | None:
        value = str(form.get(self.form_field) or "")
        return next((option for option in self.options if option.value == value), None)


@dataclass(frozen=True, slots=True)
class BundleSpec:
    """一件事: several items, one merged form, one tracking number (R-CAT-3)."""

    code: str
    name: Text
    aliases: tuple[str, ...]
    form: tuple[FormFieldSpec, ...]
    stages: tuple[StageSpec, ...]
    total_limit: TimeLimit
    # Named checks the form must pass (e.g. "company_name", "business_scope").
    checks: tuple[str, ...] = ()
    handling_modes: tuple[HandlingMode, ...] = ()
    description: Text | None = None
    variants: FlowVariants | None = None
    # 提前介入: tasks that start with the case, run beside the main flow and do not count
    # against its clock; the case concludes only when they are done too.
    early_intervention: tuple[StageItemSpec, ...] = ()
    # Set when an item applied for alone is wrapped as a one-stage bundle: its limit
    # variants then set the stage's and the case's limits too.
    single_item: ItemSpec | None = None
    source_file: str = ""
    # Applications are accepted only on these working days of a month (创新券: 1-7), e.g.
    # (1, 7); None for any day.
    submission_window: tuple[int, int] | None = None

    def total_limit_for(self, form: Mapping[str, object]) -> TimeLimit:
        if self.single_item is not None:
            return self.single_item.limit_for(form)
        variant = self.variants.choose(form) if self.variants else None
        return variant.total_limit if variant else self.total_limit

    def stage_limit_for(self, stage: StageSpec, form: Mapping[str, object]) -> TimeLimit:
        if self.single_item is not None:
            return self.single_item.limit_for(form)
        variant = self.variants.choose(form) if self.variants else None
        if variant is not None and stage.code in variant.stage_limits:
            return variant.stage_limits[stage.code]
        return stage.limit

    def field(self, name: str) -> FormFieldSpec:
        for form_field in self.form:
            if form_field.name == name:
                return form_field
        raise KeyError(name)

    def item_codes(self) -> tuple[str, ...]:
        codes = [si.item_code for stage in self.stages for si in stage.items]
        return tuple(codes + [si.item_code for si in self.early_intervention])


class Level(StrEnum):
    """Which level of government handles an item in a region (实施层级)."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    ZONE = "zone"  # function zone, e.g. a free-trade-zone area: 区内事区内办


@dataclass(frozen=True, slots=True)
class ImplementationEntry:
    """How one item is handled in one region (实施清单), and since when, on what basis."""

    item_code: str
    level: Level  # who decides
    window: Level  # where it is accepted (窗口前移: a city item accepted at a county window)
    review: Level | None  # 审核转报: this level reviews, ``level`` approves
    since: str  # ISO date of the change
    legal_basis: str


@dataclass(frozen=True, slots=True)
class ImplementationList:
    region_code: str
    entries: Mapping[str, ImplementationEntry]
    source_file: str = ""


@dataclass(frozen=True, slots=True)
class NegativeListEntry:
    """An entry of the foreign-investment negative list (外商投资准入负面清单)."""

    code: str
    kind: str  # "restricted" (approval needed) | "prohibited" (closed to foreign investment)
    measure: str
    # GB/T 4754-2017 section (门类) letter of the industry the entry concerns.
    section: str = ""


@dataclass(frozen=True, slots=True)
class CatalogSpec:
    """One loaded catalog version."""

    version: str  # content digest: the same files give the same version
    department_kinds: Mapping[str, DepartmentKindSpec]
    items: Mapping[str, ItemSpec]
    bundles: Mapping[str, BundleSpec]
    regions: RegionTree
    business_scope: BusinessScope
    prohibited_words: ProhibitedWords
    datasets: Mapping[str, Dataset] = field(default_factory=lambda: MappingProxyType({}))
    # Implementation lists by region code (a county's list overrides its city's).
    implementation: Mapping[str, ImplementationList] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # 一链办理: groups of items that can only be delegated together.
    linked_items: tuple[frozenset[str], ...] = ()
    negative_list: Mapping[str, NegativeListEntry] = field(default_factory=lambda: MappingProxyType({}))
    # Part of the pinned version too: a case is classified, and a draw made, under the rules
    # and plans of the catalog it was started on (credit/, inspections/, plans/).
    credit_rules: CreditRules | None = None
    inspection_plans: Mapping[str, InspectionPlan] = field(
        default_factory=lambda: MappingProxyType({})
    )
    targets: Targets | None = None

    def implementation_for(self, item_code: str, region_code: str) -> ImplementationEntry | None:
        """The entry of the most local list that names the item (county, then city, then province)."""
        city = region_code[:4] + "00"
        province = region_code[:2] + "0000"
        for code in dict.fromkeys((region_code, city, province)):
            implementation = self.implementation.get(code)
            if implementation is not None and item_code in implementation.entries:
                return implementation.entries[item_code]
        return None

    def choice_codes(self, list_name: str) -> frozenset[str]:
        """Codes of a reference list that form fields draw their choices from."""
        if list_name == "business_scope":
            return frozenset(item.code for item in self.business_scope)
        if list_name == "regions":
            return frozenset(region.code for region in self.regions)
        raise KeyError(list_name)

    def item(self, code: str) -> ItemSpec:
        return self.items[code]

    def bundle(self, code: str) -> BundleSpec:
        return self.bundles[code]

    def as_bundle(self, code: str) -> BundleSpec:
        """A bundle, or a single item wrapped as a one-stage bundle (items are applied alike)."""
        if code in self.bundles:
            return self.bundles[code]
        item = self.items[code]
        stage = StageSpec(
            code="main",
            name=item.name,
            lead_department_kind=item.department_kind,
            limit=item.promised_limit,
            items=(StageItemSpec(item_code=item.code),),
        )
        return BundleSpec(
            code=item.code,
            name=item.name,
            aliases=item.aliases,
            form=item.form,
            stages=(stage,),
            total_limit=item.promised_limit,
            checks=item.checks,
            handling_modes=item.handling_modes,
            single_item=item,
            source_file=item.source_file,
        )
