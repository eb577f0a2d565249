"""The named checks a bundle can ask for (``checks:`` in its catalog file).

Nothing registers on import: `bootstrap` registers `NAMED` explicitly, and `catalog check`
refuses a catalog naming a check that is not registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yiwang.cases.forms import CheckContext, NamedCheck
from yiwang.identity.errors import FieldProblem, UnknownRegion
from yiwang.identity.models import EntityType
from yiwang.identity.names import NameIndex, check_company_name, split_company_name
from yiwang.identity.scope import check_business_scope


def company_name(form: Mapping[str, Any], context: CheckContext) -> list[FieldProblem]:
    """企业名称自主申报: structure, prohibited words, and uniqueness in the registering region."""
    region_code = str(form.get("region_code") or context.region_code)
    try:
        region = context.catalog.regions.get(region_code)
    except UnknownRegion:
        return [
            FieldProblem(
                "region_code",
                "unknown_region",
                f"登记机关所在区县代码 {region_code} 不在本省行政区划中",
                f"region {region_code} is not a county of this province",
            )
        ]
    entity_value = str(form.get("entity_type") or "")
    entity_type = EntityType.from_form(entity_value)
    name = str(form.get("company_name") or "")
    # Only names sharing the whole name or the trade name can collide (same name, or same
    # trade name in the same industry), so the register is searched for those, not loaded.
    parts = split_company_name(name, region)
    fragments = [name] + ([parts.trade_name] if parts is not None and parts.trade_name else [])
    registered = NameIndex(context.names.names_containing(region.code, fragments), region)
    return check_company_name(
        name,
        region,
        registered,
        context.catalog.prohibited_words,
        entity_type=entity_type,
    )


def business_scope(form: Mapping[str, Any], context: CheckContext) -> list[FieldProblem]:
    selected = form.get("business_scope") or []
    codes = (
        [str(code) for code in selected] if isinstance(selected, list | tuple) else [str(selected)]
    )
    return check_business_scope(codes, context.catalog.business_scope)


def negative_list(form: Mapping[str, Any], context: CheckContext) -> list[FieldProblem]:
    """外商投资准入负面清单: a project that touches the list is not merely filed, it needs
    approval under the entry it names; a prohibited field is closed to foreign investment."""
    problems: list[FieldProblem] = []
    if str(form.get("negative_list") or "") == "listed":
        problems.append(
            FieldProblem(
                "negative_list",
                "approval_required",
                "涉及外商投资准入负面清单的项目须申请核准，不能备案",
                "a project on the negative list needs approval; it cannot be filed",
            )
        )
    code = str(form.get("negative_list_entry") or "").strip().upper()
    if code:
        entry = context.catalog.negative_list.get(code)
        if entry is None:
            problems.append(
                FieldProblem(
                    "negative_list_entry",
                    "unknown_entry",
                    f"负面清单中没有条目 {code}",
                    f"the negative list has no entry {code}",
                )
            )
        elif entry.kind == "prohibited":
            problems.append(
                FieldProblem(
                    "negative_list_entry",
                    "prohibited",
                    f"{code} 属禁止外商投资领域：{entry.measure}",
                    f"{code} is a field closed to foreign investment",
                )
            )
    return problems


# The checks this module provides, by the name the catalog uses.
NAMED: dict[str, NamedCheck] = {
    "company_name": company_name,
    "business_scope": business_scope,
    "negative_list": negative_list,
}
