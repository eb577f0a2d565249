"""The declared credit rules: parsed once from data (``catalog/credit/rules.yaml``) into specs.

Nothing about thresholds, windows, kinds or severities is written in code: the code only knows
how to *evaluate* the conditions below.

Condition semantics (one condition per rule):

* ``kinds`` (list of record kinds), optional ``severities`` (compared with the *effective*
  severity, i.e. after a grace-period lightening), optional ``window_days``, ``at_least``
  (default 1). A record is inside the window when ``0 <= (as_of - occurred_on).days <=
  window_days``: with ``window_days: 365`` a record 365 days old counts and one 366 days old
  does not.
* ``active_listing: true``: count only listings (blacklist, abnormal operation) active on the
  evaluation date (listed on or before it, not lifted by then). No window.
* ``repeat_status: warning | key_attention``: the enterprise's repeat-violation status is at
  least this (see ``repeat_violations``).

The class of an enterprise is the *worst* class of all matching rules; the rule reported is
the first matching rule of that class in document order. No match gives the ``default``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from yiwang.credit.errors import CreditRulesError
from yiwang.credit.models import (
    LISTING_KINDS,
    CreditClass,
    RecordKind,
    RepeatStatus,
    Severity,
)


@dataclass(frozen=True, slots=True)
class Condition:
    kinds: frozenset[RecordKind] = frozenset()
    severities: frozenset[Severity] | None = None
    window_days: int | None = None
    at_least: int = 1
    active_listing: bool = False
    repeat_status: RepeatStatus | None = None


@dataclass(frozen=True, slots=True)
class ClassRule:
    rule_id: str
    credit_class: CreditClass
    text_zh: str
    text_en: str
    condition: Condition


@dataclass(frozen=True, slots=True)
class GracePolicy:
    """包容期: records of ``kinds`` inside the grace window count one severity level lighter.

    Minor records inside the window do not count at all; grave records are never lightened
    when ``keep_grave`` holds (the safety floor, 守住安全底线).
    """

    min_years: int
    max_years: int
    kinds: frozenset[RecordKind]
    keep_grave: bool = True


@dataclass(frozen=True, slots=True)
class NoPenaltyItem:
    code: str
    description_zh: str
    legal_basis: str


@dataclass(frozen=True, slots=True)
class NoPenaltyList:
    """首违不罚: the first minor violation of a listed code within ``lookback_days`` is waived."""

    kinds: frozenset[RecordKind]
    lookback_days: int
    items: tuple[NoPenaltyItem, ...]

    def codes(self) -> frozenset[str]:
        return frozenset(item.code for item in self.items)


@dataclass(frozen=True, slots=True)
class RepeatPolicy:
    """积累关注: ``warning_at`` counted violations in the window give a warning (提醒约谈),
    ``key_attention_at`` give a key-attention listing (重点关注名单)."""

    kinds: frozenset[RecordKind]
    severities: frozenset[Severity]
    window_days: int
    warning_at: int
    key_attention_at: int


@dataclass(frozen=True, slots=True)
class RepairRule:
    kinds: frozenset[RecordKind]
    severities: frozenset[Severity]
    min_days: int


@dataclass(frozen=True, slots=True)
class CommitmentPolicy:
    excluded_classes: frozenset[CreditClass]
    post_check_share: Fraction
    broken_commitment_severity: Severity


@dataclass(frozen=True, slots=True)
class CreditRules:
    version: str
    title_zh: str
    rules: tuple[ClassRule, ...]
    default_rule_id: str
    default_class: CreditClass
    default_text_zh: str
    grace: GracePolicy
    no_penalty: NoPenaltyList
    repeat: RepeatPolicy
    repair: tuple[RepairRule, ...]
    blacklist_min_listing_days: int
    commitments: CommitmentPolicy

    def repair_rule_for(self, kind: RecordKind, severity: Severity | None) -> RepairRule | None:
        for rule in self.repair:
            if kind in rule.kinds and severity in rule.severities:
                return rule
        return None


def _fail(where: str, message_zh: str, message_en: str) -> CreditRulesError:
    return CreditRulesError(f"信用规则 {where}: {message_zh} / credit rules {where}: {message_en}")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, "应为映射", "expected a mapping")
    return value


def _list(value: Any, where: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise _fail(where, "应为列表", "expected a list")
    return value


def _text(value: Any, where: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise _fail(where, "应为非空文本", "expected non-empty text")
    return str(value).strip()


def _int(value: Any, where: str, *, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _fail(where, f"应为不小于 {minimum} 的整数", f"expected an integer >= {minimum}")
    return value


def _kinds(value: Any, where: str) -> frozenset[RecordKind]:
    items = _list(value, where)
    if not items:
        raise _fail(where, "不能为空", "must not be empty")
    try:
        return frozenset(RecordKind.parse(str(item)) for item in items)
    except ValueError as exc:
        raise _fail(where, str(exc), "unknown record kind") from None


def _severities(value: Any, where: str) -> frozenset[Severity]:
    items = _list(value, where)
    if not items:
        raise _fail(where, "不能为空", "must not be empty")
    try:
        return frozenset(Severity.parse(str(item)) for item in items)
    except ValueError as exc:
        raise _fail(where, str(exc), "unknown severity") from None


def _credit_class(value: Any, where: str) -> CreditClass:
    try:
        return CreditClass.parse(str(value))
    except ValueError as exc:
        raise _fail(where, str(exc), "unknown credit class") from None


def _share(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail(where, "应为0到1之间的比例", "expected a share between 0 and 1")
    try:
        share = Fraction(str(value))
    except ValueError:
        raise _fail(where, "应为0到1之间的比例", "expected a share between 0 and 1") from None
    if not 0 <= share <= 1:
        raise _fail(where, "应为0到1之间的比例", "expected a share between 0 and 1")
    return share


_CONDITION_KEYS = {"kinds", "severities", "window_days", "at_least", "active_listing",
                   "repeat_status"}


def _condition(raw: Any, where: str) -> Condition:
    data = _mapping(raw, where)
    unknown = set(data) - _CONDITION_KEYS
    if unknown:
        raise _fail(where, f"未知字段 {sorted(unknown)}", f"unknown keys {sorted(unknown)}")
    if "repeat_status" in data:
        if set(data) != {"repeat_status"}:
            raise _fail(where, "repeat_status 不能与其他条件组合",
                        "repeat_status cannot be combined with other keys")
        try:
            status = RepeatStatus(str(data["repeat_status"]))
        except ValueError:
            raise _fail(where, "repeat_status 应为 warning 或 key_attention",
                        "repeat_status must be warning or key_attention") from None
        if status is RepeatStatus.NONE:
            raise _fail(where, "repeat_status 不能为 none", "repeat_status cannot be none")
        return Condition(repeat_status=status)
    kinds = _kinds(data.get("kinds"), f"{where}.kinds")
    severities = (
        _severities(data["severities"], f"{where}.severities") if "severities" in data else None
    )
    active_listing = data.get("active_listing", False)
    if not isinstance(active_listing, bool):
        raise _fail(f"{where}.active_listing", "应为 true/false", "expected true or false")
    window_days = None
    if "window_days" in data:
        window_days = _int(data["window_days"], f"{where}.window_days", minimum=1)
    if active_listing:
        if window_days is not None:
            raise _fail(where, "active_listing 不使用时间窗口",
                        "active_listing takes no window_days")
        if not kinds <= LISTING_KINDS:
            raise _fail(where, "active_listing 仅适用于名单类记录",
                        "active_listing applies to listing kinds only")
    at_least = _int(data.get("at_least", 1), f"{where}.at_least", minimum=1)
    return Condition(kinds, severities, window_days, at_least, active_listing, None)


def parse_rules(document: Mapping[str, Any]) -> CreditRules:
    """Validate a rules document (already parsed from YAML) into :class:`CreditRules`."""
    doc = _mapping(document, "(root)")
    version = _text(doc.get("version"), "version")
    title_zh = _text(doc.get("title_zh"), "title_zh", required=False)
    rules: list[ClassRule] = []
    seen: set[str] = set()
    for index, raw_rule in enumerate(_list(doc.get("rules"), "rules")):
        where = f"rules[{index}]"
        data = _mapping(raw_rule, where)
        rule_id = _text(data.get("id"), f"{where}.id")
        if rule_id in seen:
            raise _fail(where, f"规则编号 {rule_id} 重复", f"duplicate rule id {rule_id}")
        seen.add(rule_id)
        rules.append(
            ClassRule(
                rule_id=rule_id,
                credit_class=_credit_class(data.get("class"), f"{where}.class"),
                text_zh=_text(data.get("text_zh"), f"{where}.text_zh"),
                text_en=_text(data.get("text_en"), f"{where}.text_en", required=False),
                condition=_condition(data.get("condition"), f"{where}.condition"),
            )
        )
    default = _mapping(doc.get("default"), "default")
    default_id = _text(default.get("id"), "default.id")
    if default_id in seen:
        raise _fail("default", f"规则编号 {default_id} 重复", f"duplicate rule id {default_id}")
    default_class = _credit_class(default.get("class", "诚信守法"), "default.class")

    grace_doc = _mapping(doc.get("grace_period"), "grace_period")
    min_years = _int(grace_doc.get("min_years"), "grace_period.min_years", minimum=1)
    max_years = _int(grace_doc.get("max_years"), "grace_period.max_years", minimum=min_years)
    keep_grave = grace_doc.get("keep_grave", True)
    if not isinstance(keep_grave, bool):
        raise _fail("grace_period.keep_grave", "应为 true/false", "expected true or false")
    grace = GracePolicy(min_years, max_years, _kinds(grace_doc.get("kinds"),
                                                     "grace_period.kinds"), keep_grave)

    np_doc = _mapping(doc.get("no_penalty_list"), "no_penalty_list")
    items: list[NoPenaltyItem] = []
    for index, raw_item in enumerate(_list(np_doc.get("items"), "no_penalty_list.items")):
        where = f"no_penalty_list.items[{index}]"
        item = _mapping(raw_item, where)
        items.append(
            NoPenaltyItem(
                code=_text(item.get("code"), f"{where}.code"),
                description_zh=_text(item.get("description_zh"), f"{where}.description_zh"),
                legal_basis=_text(item.get("legal_basis"), f"{where}.legal_basis"),
            )
        )
    if len({item.code for item in items}) != len(items):
        raise _fail("no_penalty_list.items", "免罚清单编号重复", "duplicate item codes")
    no_penalty = NoPenaltyList(
        kinds=_kinds(np_doc.get("kinds"), "no_penalty_list.kinds"),
        lookback_days=_int(np_doc.get("lookback_days"), "no_penalty_list.lookback_days",
                           minimum=1),
        items=tuple(items),
    )

    rep_doc = _mapping(doc.get("repeat_violations"), "repeat_violations")
    warning_at = _int(rep_doc.get("warning_at"), "repeat_violations.warning_at", minimum=1)
    repeat = RepeatPolicy(
        kinds=_kinds(rep_doc.get("kinds"), "repeat_violations.kinds"),
        severities=_severities(rep_doc.get("severities"), "repeat_violations.severities"),
        window_days=_int(rep_doc.get("window_days"), "repeat_violations.window_days", minimum=1),
        warning_at=warning_at,
        key_attention_at=_int(rep_doc.get("key_attention_at"),
                              "repeat_violations.key_attention_at", minimum=warning_at + 1),
    )

    repair: list[RepairRule] = []
    for index, raw_repair in enumerate(_list(doc.get("repair"), "repair")):
        where = f"repair[{index}]"
        data = _mapping(raw_repair, where)
        repair.append(
            RepairRule(
                kinds=_kinds(data.get("kinds"), f"{where}.kinds"),
                severities=_severities(data.get("severities"), f"{where}.severities"),
                min_days=_int(data.get("min_days"), f"{where}.min_days", minimum=0),
            )
        )

    blacklist_doc = _mapping(doc.get("blacklist", {}), "blacklist")
    min_listing = _int(blacklist_doc.get("min_listing_days", 0), "blacklist.min_listing_days",
                       minimum=0)

    com_doc = _mapping(doc.get("commitments"), "commitments")
    excluded = frozenset(
        _credit_class(value, "commitments.excluded_classes")
        for value in _list(com_doc.get("excluded_classes", []), "commitments.excluded_classes")
    )
    try:
        broken_severity = Severity.parse(str(com_doc.get("broken_commitment_severity",
                                                         "general")))
    except ValueError as exc:
        raise _fail("commitments.broken_commitment_severity", str(exc), "bad severity") from None
    commitments = CommitmentPolicy(
        excluded_classes=excluded,
        post_check_share=_share(com_doc.get("post_check_share"), "commitments.post_check_share"),
        broken_commitment_severity=broken_severity,
    )
    return CreditRules(
        version=version,
        title_zh=title_zh,
        rules=tuple(rules),
        default_rule_id=default_id,
        default_class=default_class,
        default_text_zh=_text(default.get("text_zh"), "default.text_zh"),
        grace=grace,
        no_penalty=no_penalty,
        repeat=repeat,
        repair=tuple(repair),
        blacklist_min_listing_days=min_listing,
        commitments=commitments,
    )


def load_rules_text(text: str) -> CreditRules:
    """Parse YAML text into :class:`CreditRules` (the file is read by the caller)."""
    import yaml  # local import: keep module import light for callers that pass mappings

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CreditRulesError(f"信用规则不是有效的 YAML / credit rules are not valid YAML: "
                               f"{exc}") from None
    return parse_rules(_mapping(document, "(root)"))
