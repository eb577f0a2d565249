"""`catalog check` refuses a catalog that names what no code registers.

The first three tests are the crashes reproduced in issue 9, now refused before a catalog can
be published: an output of an unknown licence kind (was a KeyError when its task completed),
a bundle naming an unknown check (a LookupError at submission), an unknown credit class
(bootstrap refused to start).
"""

from __future__ import annotations

from typing import Any

import pytest
from catalog_factories import Breaker, find

from yiwang.bootstrap import register_extensions
from yiwang.catalog.extensions import (
    ExtensionConflict,
    ExtensionPoint,
    Extensions,
    check_extensions,
)
from yiwang.catalog.models import CatalogSpec

TALENT = "items/talent.yaml"
ES_BUNDLE = "bundles/enterprise_startup.yaml"
CROSS_BORDER = "items/cross_border.yaml"
ENTERPRISE_CHANGES = "items/enterprise_changes.yaml"


def located(problems: list[Any]) -> set[tuple[str, str, str]]:
    return {(p.file, p.entry, p.field) for p in problems}


def test_shipped_catalog_uses_only_registered_names(
    shipped: CatalogSpec, extensions: Extensions
) -> None:
    assert check_extensions(shipped, extensions) == []


def test_output_of_an_unknown_licence_kind_fails_the_check(breaker: Breaker) -> None:
    problems = breaker.unregistered(
        {TALENT: lambda d: find(d, "talent.huicai_card")["output"].__setitem__("kind", "talent_badge")}
    )
    assert located(problems) == {(TALENT, "talent.huicai_card", "output.kind")}
    assert "no code registers the licence kind 'talent_badge'" in problems[0].message
    assert "talent_card" in problems[0].message  # what is registered, to pick from


def test_output_that_is_not_a_licence_needs_no_licence_kind(breaker: Breaker) -> None:
    def certificate(document: dict[str, Any]) -> None:
        output = find(document, "talent.huicai_card")["output"]
        output.update(kind="talent_letter", licence=False)

    assert breaker.unregistered({TALENT: certificate}) == []


def test_bundle_naming_an_unknown_check_fails_the_check(breaker: Breaker) -> None:
    problems = breaker.unregistered(
        {ES_BUNDLE: lambda d: d["bundle"]["checks"].append("company_nmae")}
    )
    assert located(problems) == {(ES_BUNDLE, "bundle.enterprise_startup", "checks")}
    assert "check 'company_nmae'" in problems[0].message


def test_item_naming_an_unknown_check_fails_the_check(breaker: Breaker) -> None:
    problems = breaker.unregistered(
        {TALENT: lambda d: find(d, "talent.huicai_card").__setitem__("checks", ["talent_level"])}
    )
    assert located(problems) == {(TALENT, "talent.huicai_card", "checks")}


def test_unknown_credit_class_in_the_rules_fails_the_check(breaker: Breaker) -> None:
    problems = breaker.problems(
        {"credit/rules.yaml": lambda d: d["default"].__setitem__("class", "守信激励")}
    )
    assert located(problems) == {("credit/rules.yaml", "", "default.class")}
    assert "unknown credit class" in problems[0].message


def test_unknown_credit_class_in_a_condition_fails_the_check(breaker: Breaker) -> None:
    def condition(document: dict[str, Any]) -> None:
        rule = find(document, "market.enterprise_address_change")["auto_rules"][0]
        rule["when"][1]["equals"] = "诚信"

    problems = breaker.unregistered({ENTERPRISE_CHANGES: condition})
    assert located(problems) == {
        (ENTERPRISE_CHANGES, "market.enterprise_address_change", "auto_rules[0].when[1]")
    }
    assert "credit class '诚信'" in problems[0].message


def test_unknown_registry_dataset_fails_the_check(breaker: Breaker) -> None:
    def dataset(document: dict[str, Any]) -> None:
        document["datasets"].append(
            {
                "code": "hukou",
                "name": {"zh": "户籍", "en": "Household register"},
                "owner": "public_security",
                "sharing": "conditional",
                "fields": [{"code": "household", "name": {"zh": "户", "en": "Household"}}],
            }
        )

    def material(document: dict[str, Any]) -> None:
        item = find(document, "talent.huicai_card")
        find(item, "identity", "materials")["registry_field"] = "hukou.household"

    problems = breaker.unregistered({"registries.yaml": dataset, TALENT: material})
    assert located(problems) == {
        ("registries.yaml", "hukou", "code"),
        (TALENT, "talent.huicai_card", "materials.identity.registry_field"),
    }
    assert all("registry dataset 'hukou'" in p.message for p in problems)


def test_licence_library_field_must_be_a_licence_kind(breaker: Breaker) -> None:
    def dataset(document: dict[str, Any]) -> None:
        licences = find(document, "licences", "datasets")
        licences["fields"].append({"code": "talent_badge", "name": {"zh": "徽章", "en": "Badge"}})

    def material(document: dict[str, Any]) -> None:
        item = find(document, "talent.huicai_card")
        find(item, "identity", "materials")["registry_field"] = "licences.talent_badge"

    problems = breaker.unregistered({"registries.yaml": dataset, TALENT: material})
    assert located(problems) == {
        (TALENT, "talent.huicai_card", "materials.identity.registry_field")
    }
    assert "licence kind 'talent_badge'" in problems[0].message


def test_condition_on_an_unknown_fact_fails_the_check(breaker: Breaker) -> None:
    def condition(document: dict[str, Any]) -> None:
        variant = find(document, "trade.export_tax_refund")["limit_variants"][0]
        variant["when"][0] = {"field": "applicant.age", "in": ["60"]}

    problems = breaker.unregistered({CROSS_BORDER: condition})
    assert located(problems) == {
        (CROSS_BORDER, "trade.export_tax_refund", "limit_variants[0].when[0].field")
    }


def test_condition_on_a_form_field_is_not_a_fact(breaker: Breaker) -> None:
    def condition(document: dict[str, Any]) -> None:
        variant = find(document, "trade.export_tax_refund")["limit_variants"][0]
        variant["when"][0] = {"field": "age", "in": ["60"]}

    assert breaker.unregistered({CROSS_BORDER: condition}) == []


def test_unknown_prefill_source_fails_the_check(breaker: Breaker) -> None:
    def prefill(document: dict[str, Any]) -> None:
        find(document["bundle"], "legal_rep_phone", "form")["prefill"] = "applicant.mobile"

    problems = breaker.unregistered({ES_BUNDLE: prefill})
    assert located(problems) == {
        (ES_BUNDLE, "bundle.enterprise_startup", "form.legal_rep_phone.prefill")
    }


def test_two_output_kinds_numbered_with_one_prefix_fail_the_check(breaker: Breaker) -> None:
    # "real_estate_extract" would number as RE…, like "real_estate_certificate".
    problems = breaker.unregistered(
        {TALENT: lambda d: find(d, "talent.huicai_card")["output"].update(
            kind="real_estate_extract", licence=False
        )}
    )
    assert located(problems) == {(TALENT, "talent.huicai_card", "output.kind")}
    assert "prefix RE" in problems[0].message


def test_shipped_output_kinds_number_with_distinct_prefixes(
    shipped: CatalogSpec, extensions: Extensions
) -> None:
    from yiwang.catalog.extensions import output_prefix

    kinds = {item.output.kind for item in shipped.items.values() if item.output}
    prefixes = {output_prefix(extensions, kind) for kind in kinds}
    assert len(prefixes) == len(kinds)


@pytest.mark.parametrize("point", [ExtensionPoint.BANK_ITEM, ExtensionPoint.BOARD])
def test_catalog_must_hold_the_entries_code_relies_on(
    shipped: CatalogSpec, point: ExtensionPoint
) -> None:
    extensions = register_extensions()
    extensions.register(point, "realestate.nothing")
    problems = check_extensions(shipped, extensions)
    assert located(problems) == {("", "realestate.nothing", "")}
    assert point.value in problems[0].message


def test_green_channel_fact_must_be_a_registered_fact(shipped: CatalogSpec) -> None:
    extensions = register_extensions()
    extensions.register(ExtensionPoint.GREEN_CHANNEL, "applicant.veteran")
    problems = check_extensions(shipped, extensions)
    assert located(problems) == {("", "", "green channel")}


def test_a_name_registered_twice_with_different_code_is_a_wiring_error() -> None:
    extensions = Extensions()
    extensions.register(ExtensionPoint.CHECK, "company_name", print)
    extensions.register(ExtensionPoint.CHECK, "company_name", print)  # same code: harmless
    with pytest.raises(ExtensionConflict, match="check 'company_name' is registered twice"):
        extensions.register(ExtensionPoint.CHECK, "company_name", repr)


def test_every_extension_point_has_registrations(extensions: Extensions) -> None:
    empty = [point for point in ExtensionPoint if not extensions.names(point)]
    assert empty == []


def test_stage_condition_on_an_unknown_fact_fails_the_check(breaker: Breaker) -> None:
    def condition(document: dict[str, Any]) -> None:
        stage = find(document["bundle"], "land_planning", "stages")
        stage_item = next(i for i in stage["items"] if isinstance(i, dict) and "when" in i)
        stage_item["when"].append({"field": "applicant.project_size", "equals": "large"})

    problems = breaker.unregistered({"bundles/construction_project.yaml": condition})
    assert len(problems) == 1
    assert problems[0].entry == "bundle.construction_project"
    assert problems[0].field.startswith("stages.land_planning.items.")
    assert problems[0].field.endswith(".when[1].field")
    assert "fact 'applicant.project_size'" in problems[0].message
