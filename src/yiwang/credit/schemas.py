"""Translation between plain data (YAML/JSON mappings) and credit value objects.

The enterprise file read by ``yiwang credit classify``::

    credit_code: 91370102MA3C4XXX1X
    as_of: 2024-06-30              # optional; the command line may give it instead
    new_business_model: {since: 2023-03-01, years: 2}   # optional
    records:
      - id: R-2024-001
        kind: administrative_penalty   # or the Chinese label, e.g. 行政处罚
        occurred_on: 2024-01-05
        department: 济南市市场监督管理局
        severity: minor                # minor | general | grave (轻微 | 一般 | 严重)
        legal_basis: 《食品安全法》第一百二十六条
        summary_zh: …                  # optional
        violation_code: NP-SAMR-003    # optional, for the no-penalty list
        lifted_on: 2024-05-01          # optional, listings only
        repaired_on: 2024-06-01        # optional
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from stdnum.cn import uscc

from yiwang.credit.errors import CreditRecordError
from yiwang.credit.models import (
    Classification,
    CreditRecord,
    EnterpriseFlags,
    NewBusinessModel,
    RecordKind,
    Severity,
)


@dataclass(frozen=True, slots=True)
class EnterpriseCreditFile:
    credit_code: str
    as_of: date | None
    flags: EnterpriseFlags
    records: tuple[CreditRecord, ...]


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CreditRecordError(f"{where}: 日期格式应为 YYYY-MM-DD / expected a date YYYY-MM-DD, "
                            f"got {value!r}")


def _optional_date(value: Any, where: str) -> date | None:
    return None if value is None else _date(value, where)


def _str(value: Any, where: str, *, required: bool = True) -> str:
    if value is None:
        if required:
            raise CreditRecordError(f"{where}: 缺少必填项 / missing required field")
        return ""
    return str(value).strip()


def validate_credit_code(code: str, where: str = "credit_code") -> str:
    """Return the normalised 统一社会信用代码 or raise :class:`CreditRecordError`."""
    cleaned = code.strip().upper()
    if not uscc.is_valid(cleaned):
        raise CreditRecordError(
            f"{where}: 统一社会信用代码无效 / invalid unified social credit code {code!r}"
        )
    return cleaned


def record_from_mapping(data: Mapping[str, Any], credit_code: str, where: str) -> CreditRecord:
    try:
        kind = RecordKind.parse(_str(data.get("kind"), f"{where}.kind"))
        severity_text = data.get("severity")
        severity = None if severity_text is None else Severity.parse(str(severity_text))
        return CreditRecord(
            record_id=_str(data.get("id"), f"{where}.id"),
            credit_code=credit_code,
            kind=kind,
            occurred_on=_date(data.get("occurred_on"), f"{where}.occurred_on"),
            source_department=_str(data.get("department"), f"{where}.department"),
            legal_basis=_str(data.get("legal_basis"), f"{where}.legal_basis",
                             required=kind is not RecordKind.COMMENDATION),
            severity=severity,
            summary_zh=_str(data.get("summary_zh"), f"{where}.summary_zh", required=False),
            violation_code=(None if data.get("violation_code") is None
                            else _str(data.get("violation_code"), f"{where}.violation_code")),
            reference=_str(data.get("reference"), f"{where}.reference", required=False),
            lifted_on=_optional_date(data.get("lifted_on"), f"{where}.lifted_on"),
            lift_reason_zh=_str(data.get("lift_reason_zh"), f"{where}.lift_reason_zh",
                                required=False),
            repaired_on=_optional_date(data.get("repaired_on"), f"{where}.repaired_on"),
            repair_commitment_ref=_str(data.get("repair_commitment_ref"),
                                       f"{where}.repair_commitment_ref", required=False),
        )
    except ValueError as exc:
        raise CreditRecordError(f"{where}: {exc}") from None


def enterprise_file_from_mapping(data: Any) -> EnterpriseCreditFile:
    if not isinstance(data, Mapping):
        raise CreditRecordError("企业信用文件应为映射 / the enterprise file must be a mapping")
    code = validate_credit_code(_str(data.get("credit_code"), "credit_code"))
    model_doc = data.get("new_business_model")
    model = None
    if model_doc is not None:
        if not isinstance(model_doc, Mapping):
            raise CreditRecordError("new_business_model: 应为映射 / expected a mapping")
        years = model_doc.get("years")
        if not isinstance(years, int) or isinstance(years, bool):
            raise CreditRecordError("new_business_model.years: 应为整数 / expected an integer")
        model = NewBusinessModel(_date(model_doc.get("since"), "new_business_model.since"), years)
    raw_records = data.get("records") or []
    if not isinstance(raw_records, list):
        raise CreditRecordError("records: 应为列表 / expected a list")
    records = []
    for index, raw in enumerate(raw_records):
        if not isinstance(raw, Mapping):
            raise CreditRecordError(f"records[{index}]: 应为映射 / expected a mapping")
        records.append(record_from_mapping(raw, code, f"records[{index}]"))
    ids = [record.record_id for record in records]
    if len(set(ids)) != len(ids):
        raise CreditRecordError("records: 记录编号重复 / duplicate record ids")
    as_of = _optional_date(data.get("as_of"), "as_of")
    return EnterpriseCreditFile(code, as_of, EnterpriseFlags(model), tuple(records))


def classification_to_dict(classification: Classification) -> dict[str, Any]:
    """The classification as shown to the enterprise and to staff (JSON-ready)."""
    return {
        "credit_code": classification.credit_code,
        "as_of": classification.as_of.isoformat(),
        "credit_class": classification.credit_class.value,
        "credit_class_en": classification.credit_class.english,
        "rule_id": classification.rule_id,
        "rule_text_zh": classification.rule_text_zh,
        "rules_version": classification.rules_version,
        "contributing_records": list(classification.contributing_records),
        "disregarded": [
            {"record_id": d.record_id, "reason": d.reason.value, "reason_zh": d.reason.label_zh}
            for d in classification.disregarded
        ],
        "lightened": [
            {"record_id": item.record_id, "severity": item.severity.value,
             "counted_as": item.counted_as.value}
            for item in classification.lightened
        ],
        "repeat_status": classification.repeat.status.value,
        "repeat_status_zh": classification.repeat.status.label_zh,
        "repeat_count": classification.repeat.count,
        "repeat_records": list(classification.repeat.record_ids),
    }
