"""Turning a concluded item's licence output into a signed electronic licence (R-LIC-1).

The engine records *that* an output was issued; this module builds the licence the issuing
department signs: the issuer code (city code + department abbreviation), the holder and the
printed fields of the licence kind. Every later licence kind adds a field builder here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from yiwang.cases.holders import output_holder
from yiwang.cases.models import Case, Output
from yiwang.catalog.models import CatalogSpec, ItemSpec
from yiwang.identity.models import EntityType
from yiwang.identity.scope import format_business_scope
from yiwang.licences.business import BusinessLicenceFacts, business_licence_fields
from yiwang.licences.models import BUSINESS_LICENCE, CHINA_TZ, KNOWN_KINDS, TALENT_CARD, LicenceKind
from yiwang.licences.services import LicenceRequest


def issuer_code(catalog: CatalogSpec, item: ItemSpec, region_code: str) -> tuple[str, str]:
    """(issuer code, issuer name) of the department of ``item`` serving ``region_code``."""
    kind = catalog.department_kinds[item.department_kind]
    city_code = region_code[:4] + "00"
    city = catalog.regions.find(city_code)
    return f"{city_code}{kind.abbreviation}", f"{city.name if city else ''}{kind.name.zh}"


def _business_licence_fields(
    case: Case, catalog: CatalogSpec, issued_at: datetime
) -> tuple[tuple[str, str], ...]:
    form = case.form
    entity_value = str(form.get("entity_type", ""))
    entity = EntityType.from_form(entity_value)
    scope = form.get("business_scope") or []
    codes = [str(code) for code in scope] if isinstance(scope, list | tuple) else [str(scope)]
    # The licence prints what the entity's kind registers (licences/business.py): a branch
    # its 负责人, a 个体工商户 its 经营者 and 组成形式, a partnership its 执行事务合伙人 and 出资额.
    facts = BusinessLicenceFacts(
        type_label=entity.label_zh if entity else entity_value,
        person=str(form.get("legal_rep_name", "")),
        capital_wan=str(form.get("registered_capital") or "").strip(),
        established=issued_at.astimezone(CHINA_TZ).date().isoformat(),
        address=str(form.get("address", "")),
        scope=format_business_scope(codes, catalog.business_scope),
        composition=_COMPOSITION_ZH.get(str(form.get("composition", "")), ""),
    )
    return business_licence_fields(entity_value, facts)


# 个体工商户 组成形式 (form values of catalog/bundles/enterprise_startup.yaml).
_COMPOSITION_ZH = {"individual": "个人经营", "family": "家庭经营"}


def _talent_card_fields(
    case: Case, catalog: CatalogSpec, issued_at: datetime
) -> tuple[tuple[str, str], ...]:
    form = case.form
    return (
        ("姓名", str(form.get("talent_name", case.applicant_name))),
        ("人才层次", str(form.get("talent_level", ""))),
        ("工作单位", str(form.get("employer_name", ""))),
        ("颁发日期", issued_at.astimezone(CHINA_TZ).date().isoformat()),
    )


def _form_fields(
    case: Case, catalog: CatalogSpec, issued_at: datetime
) -> tuple[tuple[str, str], ...]:
    """Any other kind prints the labelled form fields (up to eight) and the date of issue."""
    bundle = catalog.as_bundle(case.subject_code)
    printed = [
        (spec.label.zh, str(case.form[spec.name]))
        for spec in bundle.form
        if spec.name in case.form and str(case.form[spec.name]).strip()
    ][:8]
    return (*printed, ("登簿日期", issued_at.astimezone(CHINA_TZ).date().isoformat()))


FieldBuilder = Callable[[Case, CatalogSpec, datetime], tuple[tuple[str, str], ...]]
FIELD_BUILDERS: dict[str, FieldBuilder] = {
    BUSINESS_LICENCE.code: _business_licence_fields,
    TALENT_CARD.code: _talent_card_fields,
}


def licence_request(
    case: Case, output: Output, catalog: CatalogSpec, issued_at: datetime
) -> LicenceRequest:
    kind: LicenceKind = KNOWN_KINDS[output.kind]
    item = catalog.item(output.item_code)
    code, name = issuer_code(catalog, item, case.region_code)
    holder_id, holder_name = output_holder(case, output, catalog)
    return LicenceRequest(
        kind=kind,
        holder_id=holder_id,
        holder_name=holder_name,
        issuer_department_code=code,
        issuer_name=name,
        fields=FIELD_BUILDERS.get(kind.code, _form_fields)(case, catalog, issued_at),
        case_id=case.id,
    )
