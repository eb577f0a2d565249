"""Parts shared by items and bundles: declared conditions and form fields.

Changes when the form language changes (a new field type, a new condition operator).
"""

from __future__ import annotations

from typing import Any

from yiwang.catalog.models import Condition, FieldType, FormFieldSpec, Text
from yiwang.catalog.reader import MISSING, Reader

CONDITION_OPERATORS = ("in", "not_in", "equals", "present")


def conditions(reader: Reader, key: str, default: Any = MISSING) -> tuple[Condition, ...]:
    """``[{field: F, in: [...]}, {field: G, equals: v}, {field: H, present: true}]``."""
    conditions = []
    for index, raw in reader.items(key, default):
        cond = reader.sub(f"{key}[{index}]", raw)
        operator = next((op for op in CONDITION_OPERATORS if op in cond.data), "")
        if not operator:
            cond.problem("", "条件须含 in/not_in/equals/present / condition needs an operator")
            continue
        values: tuple[str, ...]
        if operator == "present":
            values = ()
        elif operator == "equals":
            values = (cond.string("equals"),)
        else:
            values = cond.strings(operator)
        conditions.append(Condition(cond.string("field"), operator, values))
    return tuple(conditions)


def form_fields(reader: Reader, key: str) -> tuple[FormFieldSpec, ...]:
    fields: list[FormFieldSpec] = []
    seen: set[str] = set()
    for index, raw in reader.items(key, []):
        sub = reader.sub(f"{key}[{index}]", raw)
        name = sub.string("name")
        if name in seen:
            sub.problem("name", f"表单字段重复声明 / form field {name} declared twice")
        seen.add(name)
        choices: list[tuple[str, Text]] = []
        for choice_index, choice_raw in sub.items("choices", []):
            choice = sub.sub(f"choices[{choice_index}]", choice_raw)
            choices.append((choice.string("value"), choice.text("label")))
        field_type = sub.enum("type", FieldType, sub.string("type"))
        help_raw = sub.raw("help", None)
        fields.append(
            FormFieldSpec(
                name=name,
                label=sub.text("label"),
                type=field_type or FieldType.TEXT,
                required=sub.boolean("required", True),
                choices=tuple(choices),
                choices_from=sub.string("choices_from", None) or None,
                prefill=sub.string("prefill", None) or None,
                help=sub.text("help") if help_raw is not None else None,
            )
        )
    return tuple(fields)
