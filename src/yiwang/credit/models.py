"""Value objects of the credit context (plan 9: 信用分级分类, 信用承诺, 黑名单, 信用修复).

Everything here is immutable. A credit record is a fact reported by a department; the class
of an enterprise is always *derived* from its records by :func:`yiwang.credit.services.classify`
under the declared rules, never stored as an independent truth.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class CreditClass(enum.Enum):
    """The four credit classes of market entities (R-CRED-1), best first.

    The value is the Chinese name used in data files; ``rank`` orders them (0 = best).
    """

    TRUSTWORTHY = "诚信守法"
    MINOR_DISHONESTY = "轻微失信"
    GENERAL_DISHONESTY = "一般失信"
    SERIOUS_DISHONESTY = "严重失信"

    @property
    def rank(self) -> int:
        return _CLASS_RANK[self]

    @property
    def english(self) -> str:
        return _CLASS_ENGLISH[self]

    @classmethod
    def from_rank(cls, rank: int) -> CreditClass:
        return _CLASSES_BY_RANK[rank]

    @classmethod
    def parse(cls, text: str) -> CreditClass:
        """Accept the Chinese name, the member name or the English label."""
        cleaned = text.strip()
        for member in cls:
            if cleaned in (member.value, member.name, member.name.lower(), member.english):
                return member
        raise ValueError(f"未知的信用等级 / unknown credit class: {text!r}")

    def is_worse_than(self, other: CreditClass) -> bool:
        return self.rank > other.rank


_CLASSES_BY_RANK = (
    CreditClass.TRUSTWORTHY,
    CreditClass.MINOR_DISHONESTY,
    CreditClass.GENERAL_DISHONESTY,
    CreditClass.SERIOUS_DISHONESTY,
)
_CLASS_RANK = {member: rank for rank, member in enumerate(_CLASSES_BY_RANK)}
_CLASS_ENGLISH = {
    CreditClass.TRUSTWORTHY: "trustworthy",
    CreditClass.MINOR_DISHONESTY: "minor dishonesty",
    CreditClass.GENERAL_DISHONESTY: "general dishonesty",
    CreditClass.SERIOUS_DISHONESTY: "serious dishonesty",
}


class RecordKind(enum.Enum):
    """Kinds of credit records; the value is the identifier used in YAML and CSV."""

    ADMINISTRATIVE_PENALTY = "administrative_penalty"  # 行政处罚
    BROKEN_COMMITMENT = "broken_commitment"  # 违反信用承诺
    VERIFIED_COMPLAINT = "verified_complaint"  # 经核实的投诉举报
    ABNORMAL_OPERATION = "abnormal_operation"  # 列入经营异常名录
    COURT_JUDGMENT = "court_judgment"  # 司法判决
    COMMENDATION = "commendation"  # 表彰奖励
    BLACKLIST_LISTING = "blacklist_listing"  # 列入失信黑名单
    INSPECTION_VIOLATION = "inspection_violation"  # 双随机抽查发现违法

    @property
    def label_zh(self) -> str:
        return _KIND_ZH[self]

    @classmethod
    def parse(cls, text: str) -> RecordKind:
        cleaned = text.strip()
        for member in cls:
            if cleaned in (member.value, member.name, member.label_zh):
                return member
        raise ValueError(f"未知的信用记录类型 / unknown credit record kind: {text!r}")


_KIND_ZH = {
    RecordKind.ADMINISTRATIVE_PENALTY: "行政处罚",
    RecordKind.BROKEN_COMMITMENT: "违反信用承诺",
    RecordKind.VERIFIED_COMPLAINT: "经核实的投诉举报",
    RecordKind.ABNORMAL_OPERATION: "列入经营异常名录",
    RecordKind.COURT_JUDGMENT: "司法判决",
    RecordKind.COMMENDATION: "表彰奖励",
    RecordKind.BLACKLIST_LISTING: "列入失信黑名单",
    RecordKind.INSPECTION_VIOLATION: "抽查发现违法行为",
}

#: Kinds that are listings: active from ``occurred_on`` until ``lifted_on``.
LISTING_KINDS = frozenset({RecordKind.BLACKLIST_LISTING, RecordKind.ABNORMAL_OPERATION})


class Severity(enum.Enum):
    """Severity of a record: 轻微 < 一般 < 严重."""

    MINOR = "minor"
    GENERAL = "general"
    GRAVE = "grave"

    @property
    def level(self) -> int:
        return _SEVERITY_LEVEL[self]

    @property
    def label_zh(self) -> str:
        return {"minor": "轻微", "general": "一般", "grave": "严重"}[self.value]

    def lighter(self) -> Severity | None:
        """One level lighter; ``None`` below minor (the record no longer counts)."""
        if self is Severity.GRAVE:
            return Severity.GENERAL
        if self is Severity.GENERAL:
            return Severity.MINOR
        return None

    @classmethod
    def parse(cls, text: str) -> Severity:
        cleaned = text.strip()
        for member in cls:
            if cleaned in (member.value, member.name, member.label_zh):
                return member
        raise ValueError(f"未知的严重程度 / unknown severity: {text!r}")


_SEVERITY_LEVEL = {Severity.MINOR: 1, Severity.GENERAL: 2, Severity.GRAVE: 3}


@dataclass(frozen=True, slots=True)
class CreditRecord:
    """One fact in an enterprise's credit file, as reported by a department.

    ``occurred_on`` is the date of the decision (penalty decision, judgment, listing …).
    Listings (blacklist, abnormal operation) stay active until ``lifted_on``. A record whose
    ``repaired_on`` is set stopped counting that day through credit repair (信用修复).
    ``violation_code`` names the violation for the first-minor-violation no-penalty list.
    """

    record_id: str
    credit_code: str
    kind: RecordKind
    occurred_on: date
    source_department: str
    legal_basis: str
    severity: Severity | None = None
    summary_zh: str = ""
    violation_code: str | None = None
    reference: str = ""
    lifted_on: date | None = None
    lift_reason_zh: str = ""
    repaired_on: date | None = None
    repair_commitment_ref: str = ""

    def __post_init__(self) -> None:
        if not self.record_id.strip():
            raise ValueError("信用记录编号不能为空 / record_id must not be empty")
        if self.kind is not RecordKind.COMMENDATION and self.severity is None:
            raise ValueError(
                f"信用记录 {self.record_id} 缺少严重程度 / record {self.record_id}: "
                f"severity is required for kind {self.kind.value}"
            )
        if self.lifted_on is not None:
            if self.kind not in LISTING_KINDS:
                raise ValueError(
                    f"信用记录 {self.record_id} 不是名单类记录,不能移出 / record "
                    f"{self.record_id}: only listings can be lifted"
                )
            if self.lifted_on < self.occurred_on:
                raise ValueError(
                    f"信用记录 {self.record_id} 移出日期早于列入日期 / record "
                    f"{self.record_id}: lifted_on before occurred_on"
                )
        if self.repaired_on is not None and self.repaired_on < self.occurred_on:
            raise ValueError(
                f"信用记录 {self.record_id} 修复日期早于发生日期 / record "
                f"{self.record_id}: repaired_on before occurred_on"
            )

    def is_listing_active(self, as_of: date) -> bool:
        """For listings: listed on or before ``as_of`` and not lifted by then."""
        return self.occurred_on <= as_of and (self.lifted_on is None or self.lifted_on > as_of)


@dataclass(frozen=True, slots=True)
class NewBusinessModel:
    """An enterprise flagged as a new business model (新技术、新产业、新业态、新模式).

    Its grace period (包容期) runs from ``since`` for ``years`` years (1-3, bounded by the
    rules).
    """

    since: date
    years: int

    def grace_end(self) -> date:
        """First day after the grace period (29 February maps to 28 February)."""
        try:
            return self.since.replace(year=self.since.year + self.years)
        except ValueError:
            return self.since.replace(year=self.since.year + self.years, day=28)

    def covers(self, day: date) -> bool:
        return self.since <= day < self.grace_end()


@dataclass(frozen=True, slots=True)
class EnterpriseFlags:
    """Facts about an enterprise that change how its records count."""

    new_business_model: NewBusinessModel | None = None


class DisregardReason(enum.Enum):
    """Why a record did not count for the classification (shown to the enterprise)."""

    FUTURE = "future"  # dated after the evaluation date
    REPAIRED = "repaired"  # 已信用修复
    FIRST_MINOR_WAIVED = "first_minor_waived"  # 首违不罚
    GRACE_PERIOD = "grace_period"  # 包容期内轻微违法不计入
    INFORMATIONAL = "informational"  # commendations and other records no rule counts

    @property
    def label_zh(self) -> str:
        return {
            "future": "记录日期晚于评价日期",
            "repaired": "已完成信用修复",
            "first_minor_waived": "首次轻微违法,列入免罚清单,不计入",
            "grace_period": "新业态包容期内轻微违法,不计入",
            "informational": "仅作展示,不参与分类",
        }[self.value]


@dataclass(frozen=True, slots=True)
class DisregardedRecord:
    record_id: str
    reason: DisregardReason


@dataclass(frozen=True, slots=True)
class LightenedRecord:
    """A record that counts one severity level lighter during a grace period."""

    record_id: str
    severity: Severity
    counted_as: Severity


class RepeatStatus(enum.Enum):
    """Accumulation of repeated minor/general violations (积累关注机制)."""

    NONE = "none"
    WARNING = "warning"  # 提醒约谈
    KEY_ATTENTION = "key_attention"  # 重点关注名单

    @property
    def label_zh(self) -> str:
        return {"none": "无", "warning": "提醒约谈", "key_attention": "重点关注名单"}[self.value]


@dataclass(frozen=True, slots=True)
class RepeatAssessment:
    status: RepeatStatus
    count: int
    record_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Classification:
    """The class of an enterprise on a date, with the rule and records that produced it."""

    credit_code: str
    as_of: date
    credit_class: CreditClass
    rule_id: str
    rule_text_zh: str
    rules_version: str
    contributing_records: tuple[str, ...]
    disregarded: tuple[DisregardedRecord, ...] = ()
    lightened: tuple[LightenedRecord, ...] = ()
    repeat: RepeatAssessment = field(
        default_factory=lambda: RepeatAssessment(RepeatStatus.NONE, 0, ())
    )


@dataclass(frozen=True, slots=True)
class CreditClassChanged:
    """Event: re-evaluation after a record arrived moved the enterprise to another class."""

    credit_code: str
    as_of: date
    previous: CreditClass | None
    current: CreditClass
    rule_id: str
    trigger_record_id: str | None


@dataclass(frozen=True, slots=True)
class CreditRecordAdded:
    """Event: a record was added to an enterprise's credit file."""

    record: CreditRecord


# --- credit commitments (告知承诺) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommitmentOption:
    """What a catalog item allows: which materials a credit commitment may replace."""

    item_id: str
    replaceable_materials: frozenset[str]
    commitment_text_zh: str = ""


@dataclass(frozen=True, slots=True)
class CommitmentSubmission:
    """An application submitted with a signed credit commitment instead of some materials."""

    case_id: str
    item_id: str
    credit_code: str
    missing_materials: frozenset[str]
    commitment_text_zh: str
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class CommitmentDecision:
    """An instant decision (秒批) made on the strength of a credit commitment."""

    decision_id: str
    case_id: str
    item_id: str
    credit_code: str
    decided_at: datetime
    replaced_materials: frozenset[str]
    commitment_text_zh: str
    licence_id: str | None = None
    mode: str = "instant_commitment"  # 秒批 (告知承诺)


@dataclass(frozen=True, slots=True)
class PostCheckPassed:
    decision_id: str
    checked_on: date


@dataclass(frozen=True, slots=True)
class DecisionRevoked:
    decision_id: str
    case_id: str
    revoked_on: date
    reason_zh: str


@dataclass(frozen=True, slots=True)
class LicenceRevocationRequested:
    licence_id: str
    decision_id: str
    requested_on: date
    reason_zh: str


PostCheckEvent = PostCheckPassed | DecisionRevoked | LicenceRevocationRequested | CreditRecordAdded


@dataclass(frozen=True, slots=True)
class PostCheckOutcome:
    decision_id: str
    found_false: bool
    events: tuple[PostCheckEvent, ...]
    broken_commitment: CreditRecord | None


@dataclass(frozen=True, slots=True)
class RepairCommitment:
    """A published credit-repair commitment (信用修复承诺), in the prescribed format."""

    published_on: date
    text_zh: str
    publication_ref: str
