"""Validation of a merged form (一表填报): every problem at once, field by field.

Type checks come from the form's declaration in the catalog; the bundle's named checks
(company name, business scope …) are functions registered in `NAMED_CHECKS` by bootstrap. A bad form is
refused with the full list, so the applicant fixes everything in one go (一次性告知).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from yiwang.cases.ports import RegisteredNames
from yiwang.catalog.models import BundleSpec, CatalogSpec, FieldType, FormFieldSpec
from yiwang.identity.errors import FieldProblem, InvalidIdentifier
from yiwang.identity.numbers import validate_credit_code, validate_id_number, validate_mobile_phone


@dataclass(frozen=True, slots=True)
class CheckContext:
    catalog: CatalogSpec
    bundle: BundleSpec
    region_code: str
    names: RegisteredNames
    today: date


NamedCheck = Callable[[Mapping[str, Any], CheckContext], list[FieldProblem]]
NAMED_CHECKS: dict[str, NamedCheck] = {}


def register_check(name: str, function: NamedCheck) -> None:
    """Called from bootstrap only; `catalog check` knows the same names."""
    NAMED_CHECKS[name] = function


def _problem(field: str, code: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(field, code, zh, en)


def _is_empty(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, list | tuple) and not value)
    )


def _choices(spec: FormFieldSpec, catalog: CatalogSpec) -> set[str]:
    if spec.choices_from:
        return set(catalog.choice_codes(spec.choices_from))
    return {value for value, _ in spec.choices}


_REGION = re.compile(r"^\d{6}$")


def _check_type(spec: FormFieldSpec, value: Any, context: CheckContext) -> FieldProblem | None:
    label = spec.label
    try:
        match spec.type:
            case FieldType.ID_NUMBER:
                validate_id_number(str(value), today=context.today)
            case FieldType.CREDIT_CODE:
                validate_credit_code(str(value))
            case FieldType.PHONE:
                validate_mobile_phone(str(value))
            case FieldType.CHOICE:
                if str(value) not in _choices(spec, context.catalog):
                    return _problem(
                        spec.name,
                        "invalid_choice",
                        f"{label.zh}：请从列表中选择",
                        f"{label.en}: choose from the list",
                    )
            case FieldType.MULTI_CHOICE:
                values = value if isinstance(value, list | tuple) else [value]
                unknown = [str(v) for v in values if str(v) not in _choices(spec, context.catalog)]
                if unknown:
                    return _problem(
                        spec.name,
                        "invalid_choice",
                        f"{label.zh}：不在规范列表中：{'、'.join(unknown)}",
                        f"{label.en}: not in the standard list: {', '.join(unknown)}",
                    )
            case FieldType.MONEY:
                amount = Decimal(str(value))
                if not amount.is_finite() or amount < 0:
                    return _problem(
                        spec.name,
                        "invalid_amount",
                        f"{label.zh}：金额须为非负数",
                        f"{label.en}: must be a non-negative amount",
                    )
            case FieldType.DATE:
                date.fromisoformat(str(value))
            case FieldType.REGION:
                if not _REGION.match(str(value)):
                    return _problem(
                        spec.name,
                        "invalid_region",
                        f"{label.zh}：须为6位行政区划代码",
                        f"{label.en}: must be a 6-digit region code",
                    )
            case FieldType.TEXT:
                if len(str(value)) > 500:
                    return _problem(
                        spec.name,
                        "too_long",
                        f"{label.zh}：不超过500字",
                        f"{label.en}: at most 500 characters",
                    )
    except InvalidIdentifier as error:
        return _problem(
            spec.name,
            error.code,
            f"{label.zh}：{error.message_zh}",
            f"{label.en}: {error.message_en}",
        )
    except (InvalidOperation, ValueError):
        return _problem(
            spec.name, "invalid_format", f"{label.zh}：格式不正确", f"{label.en}: invalid format"
        )
    return None


def validate_form(form: Mapping[str, Any], context: CheckContext) -> list[FieldProblem]:
    """All problems of the form: unknown fields, missing required ones, types, named checks."""
    problems: list[FieldProblem] = []
    declared = {spec.name for spec in context.bundle.form}
    for name in form:
        if name not in declared:
            problems.append(
                _problem(
                    name, "unknown_field", f"表单没有字段 {name}", f"the form has no field {name}"
                )
            )
    type_ok: set[str] = set()
    for spec in context.bundle.form:
        value = form.get(spec.name)
        if _is_empty(value):
            if spec.required:
                problems.append(
                    _problem(
                        spec.name,
                        "required",
                        f"{spec.label.zh}：必填",
                        f"{spec.label.en}: required",
                    )
                )
            continue
        problem = _check_type(spec, value, context)
        if problem is None:
            type_ok.add(spec.name)
        else:
            problems.append(problem)
    for check_name in context.bundle.checks:
        check = NAMED_CHECKS.get(check_name)
        if check is None:
            raise LookupError(f"bundle {context.bundle.code} names unknown check {check_name}")
        problems.extend(check(form, context))
    return problems
