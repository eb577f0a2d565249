"""Every way the catalog loader refuses a catalog, each named by file, entry and field.

Each case breaks one thing in a copy of the shipped catalog and asserts the one problem a
catalog author would be shown; the shipped catalog itself is checked clean in
`test_catalog_shipped.py`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from catalog_factories import Breaker, Mutation, find

from yiwang.catalog.errors import CatalogInvalid
from yiwang.catalog.loader import parse_catalog

ES_ITEMS = "items/enterprise_startup.yaml"
ES_BUNDLE = "bundles/enterprise_startup.yaml"
CP_BUNDLE = "bundles/construction_project.yaml"
TALENT = "items/talent.yaml"
REGISTRATION = "market.enterprise_registration"


def item(code: str, change: Callable[[dict[str, Any]], Any]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        change(find(document, code))

    return mutate


def bundle(change: Callable[[dict[str, Any]], Any]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        change(document["bundle"])

    return mutate


def stage(code: str, change: Callable[[dict[str, Any]], Any]) -> Mutation:
    return bundle(lambda b: change(find(b, code, "stages")))


def setting(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda entry: entry.__setitem__(key, value)


def removing(key: str) -> Callable[[dict[str, Any]], None]:
    def remove(entry: dict[str, Any]) -> None:
        del entry[key]

    return remove


def material(item_code: str, material_code: str, key: str, value: Any) -> Mutation:
    return item(
        item_code, lambda entry: find(entry, material_code, "materials").__setitem__(key, value)
    )


def entry_of(file: str, index: int, key: str, value: Any, list_key: str = "entries") -> Mutation:
    return lambda document: document[list_key][index].__setitem__(key, value)


def whole(value: Any) -> Mutation:
    def replace(document: dict[str, Any]) -> None:
        document.clear()
        document.update(value)

    return replace


def appending(list_key: str, value: Any) -> Mutation:
    return lambda document: document[list_key].append(value)


TEXT_ZH_EN = {"zh": "中文", "en": "English"}
NEW_ITEM = {
    "code": "test.new_item",
    "name": TEXT_ZH_EN,
    "department": "market_regulation",
    "legal_basis": ["依据"],
    "handling_modes": ["online"],
    "materials": [],
    "procedure": [{"code": "do", "name": TEXT_ZH_EN}],
    "legal_limit": "1wd",
    "promised_limit": "1wd",
    "fees": [],
    "service_standard": TEXT_ZH_EN,
}

# (id, {file: mutation}, (file, entry, field), fragment of the message)
CASES: list[tuple[str, Mapping[str, Mutation | None], tuple[str, str, str], str]] = [
    # --- the reader's conventions ---------------------------------------------------------
    (
        "entry not a mapping",
        {TALENT: lambda d: d["items"].__setitem__(0, "talent.huicai_card")},
        (TALENT, "", "items[0]"),
        "expected a mapping",
    ),
    (
        "required field missing",
        {ES_ITEMS: item(REGISTRATION, removing("department"))},
        (ES_ITEMS, REGISTRATION, "department"),
        "required field missing",
    ),
    (
        "list where a text belongs",
        {ES_ITEMS: item(REGISTRATION, setting("department", ["market", "regulation"]))},
        (ES_ITEMS, REGISTRATION, "department"),
        "quote a value that contains a comma",
    ),
    (
        "mapping where a text belongs",
        {ES_ITEMS: item(REGISTRATION, setting("department", {"a": 1}))},
        (ES_ITEMS, REGISTRATION, "department"),
        "expected text, got dict",
    ),
    (
        "empty text",
        {ES_ITEMS: item(REGISTRATION, setting("department", "  "))},
        (ES_ITEMS, REGISTRATION, "department"),
        "must not be empty",
    ),
    (
        "not a boolean",
        {ES_ITEMS: material(REGISTRATION, "articles_of_association", "required", "yes")},
        (ES_ITEMS, REGISTRATION, "materials[1].required"),
        "expected true or false",
    ),
    (
        "copies below one",
        {ES_ITEMS: material(REGISTRATION, "articles_of_association", "copies", 0)},
        (ES_ITEMS, REGISTRATION, "materials[1].copies"),
        "expected an integer >= 1",
    ),
    (
        "text without English",
        {ES_ITEMS: item(REGISTRATION, setting("name", "设立登记"))},
        (ES_ITEMS, REGISTRATION, "name"),
        "needs both zh and en",
    ),
    (
        "text split at a comma",
        {
            ES_ITEMS: item(
                REGISTRATION,
                setting("name", {"zh": "设立登记", "en": "Registration (company", "etc.)": None}),
            )
        },
        (ES_ITEMS, REGISTRATION, "name"),
        "split at a comma (extra keys etc.)",
    ),
    (
        "unbalanced bracket",
        {ES_ITEMS: item(REGISTRATION, setting("name", {"zh": "设立登记", "en": "Price (10"}))},
        (ES_ITEMS, REGISTRATION, "name.en"),
        "unbalanced bracket",
    ),
    (
        "form label without English",
        {ES_BUNDLE: bundle(lambda b: b["form"][0]["label"].pop("en"))},
        (ES_BUNDLE, "bundle.enterprise_startup", "form[0].label.en"),
        "required field missing",
    ),
    (
        "form label with empty Chinese",
        {ES_BUNDLE: bundle(lambda b: b["form"][0]["label"].__setitem__("zh", ""))},
        (ES_BUNDLE, "bundle.enterprise_startup", "form[0].label.zh"),
        "must not be empty",
    ),
    (
        "bad time limit",
        {ES_ITEMS: item(REGISTRATION, setting("promised_limit", "soon"))},
        (ES_ITEMS, REGISTRATION, "promised_limit"),
        "bad time limit",
    ),
    (
        "text list expected",
        {ES_ITEMS: item(REGISTRATION, setting("aliases", "开公司"))},
        (ES_ITEMS, REGISTRATION, "aliases"),
        "expected a list of texts",
    ),
    (
        "list expected",
        {ES_ITEMS: item(REGISTRATION, setting("materials", "articles"))},
        (ES_ITEMS, REGISTRATION, "materials"),
        "expected a list",
    ),
    (
        "field map not a mapping",
        {ES_BUNDLE: stage("registration", lambda s: s["items"][0].__setitem__("field_map", [1]))},
        (ES_BUNDLE, "bundle.enterprise_startup", "stages[0].items[0].field_map"),
        "expected a mapping",
    ),
    (
        "invalid enumeration value",
        {ES_ITEMS: item(REGISTRATION, setting("handling_modes", ["fax"]))},
        (ES_ITEMS, REGISTRATION, "handling_modes"),
        "invalid value",
    ),
    # --- conditions and forms ------------------------------------------------------------
    (
        "condition without operator",
        {
            ES_ITEMS: item(
                REGISTRATION,
                setting(
                    "auto_rules",
                    [{"id": "r1", "description": TEXT_ZH_EN, "when": [{"field": "entity_type"}]}],
                ),
            )
        },
        (ES_ITEMS, REGISTRATION, "auto_rules[0].when[0]"),
        "condition needs an operator",
    ),
    (
        "form field declared twice",
        {ES_BUNDLE: bundle(lambda b: b["form"].insert(1, dict(b["form"][0])))},
        (ES_BUNDLE, "bundle.enterprise_startup", "form[1].name"),
        "declared twice",
    ),
    # --- items ---------------------------------------------------------------------------
    (
        "duplicate material",
        {ES_ITEMS: item(REGISTRATION, lambda i: i["materials"].append(dict(i["materials"][0])))},
        (ES_ITEMS, REGISTRATION, "materials[4].code"),
        "duplicate material",
    ),
    (
        "registry material without its field",
        {ES_ITEMS: item(REGISTRATION, lambda i: i["materials"][2].pop("registry_field"))},
        (ES_ITEMS, REGISTRATION, "materials[2].registry_field"),
        "registry material needs registry_field",
    ),
    (
        "prior output without its item",
        {ES_ITEMS: material("police.seal_carving", "business_licence", "from_item", "")},
        (ES_ITEMS, "police.seal_carving", "materials[0].from_item"),
        "prior-output material needs from_item",
    ),
    (
        "empty procedure",
        {ES_ITEMS: item(REGISTRATION, setting("procedure", []))},
        (ES_ITEMS, REGISTRATION, "procedure"),
        "at least one step",
    ),
    (
        "negative fee",
        {
            ES_ITEMS: item(
                REGISTRATION, setting("fees", [{"name": TEXT_ZH_EN, "amount_yuan": "-1"}])
            )
        },
        (ES_ITEMS, REGISTRATION, "fees[0].amount_yuan"),
        "fee must not be negative",
    ),
    (
        "fee not a number",
        {
            ES_ITEMS: item(
                REGISTRATION, setting("fees", [{"name": TEXT_ZH_EN, "amount_yuan": "free"}])
            )
        },
        (ES_ITEMS, REGISTRATION, "fees[0].amount_yuan"),
        "bad amount",
    ),
    (
        "no handling mode",
        {ES_ITEMS: item(REGISTRATION, setting("handling_modes", []))},
        (ES_ITEMS, REGISTRATION, "handling_modes"),
        "at least one handling mode",
    ),
    (
        "promised longer than legal",
        {ES_ITEMS: item(REGISTRATION, setting("promised_limit", "60wd"))},
        (ES_ITEMS, REGISTRATION, "promised_limit"),
        "promised limit exceeds legal limit",
    ),
    (
        "statutory limit without its basis",
        {ES_ITEMS: item(REGISTRATION, setting("legal_limit", "5d"))},
        (ES_ITEMS, REGISTRATION, "legal_limit_basis"),
        "needs its legal basis",
    ),
    # --- bundles -------------------------------------------------------------------------
    (
        "variant limit for no stage",
        {CP_BUNDLE: bundle(lambda b: b["variants"]["options"][0]["stage_limits"].__setitem__("x", "1wd"))},
        (CP_BUNDLE, "bundle.construction_project", "variants.options[0].stage_limits.x"),
        "no stage x",
    ),
    (
        "stage without items",
        {ES_BUNDLE: stage("seals_and_tax", setting("items", []))},
        (ES_BUNDLE, "bundle.enterprise_startup", "stages[1].items"),
        "a stage needs at least one item",
    ),
    (
        "bundle without stages",
        {ES_BUNDLE: bundle(setting("stages", []))},
        (ES_BUNDLE, "bundle.enterprise_startup", "stages"),
        "a bundle needs at least one stage",
    ),
    (
        "submission window out of the month",
        {ES_BUNDLE: bundle(setting("submission_window", [5, 30]))},
        (ES_BUNDLE, "bundle.enterprise_startup", "submission_window"),
        "1 <= first <= last <= 23",
    ),
    # --- files ---------------------------------------------------------------------------
    (
        "item code twice",
        {TALENT: lambda d: d["items"][1].__setitem__("code", "talent.huicai_card")},
        (TALENT, "talent.huicai_card", "code"),
        "duplicate item code",
    ),
    (
        "item code missing",
        {TALENT: lambda d: d["items"][0].__delitem__("code")},
        (TALENT, "", "code"),
        "item code missing",
    ),
    (
        "bundle code missing",
        {ES_BUNDLE: bundle(removing("code"))},
        (ES_BUNDLE, "", "code"),
        "bundle code missing",
    ),
    (
        "bundle code twice",
        {
            "bundles/copy.yaml": lambda d: d.update(
                {"bundle": {"code": "bundle.enterprise_startup"}}
            )
        },
        ("bundles/enterprise_startup.yaml", "bundle.enterprise_startup", "code"),
        "duplicate bundle code",
    ),
    (
        "implementation list twice for one region",
        {"implementation/copy.yaml": lambda d: d.update({"region": "370112", "entries": []})},
        ("implementation/copy.yaml", "", "region"),
        "listed twice",
    ),
    (
        "no department kinds",
        {"departments.yaml": setting("department_kinds", [])},
        ("departments.yaml", "", ""),
        "no department kinds",
    ),
    (
        "required file missing",
        {"reference/prohibited_name_words.yaml": None},
        ("reference/prohibited_name_words.yaml", "", ""),
        "file missing",
    ),
    (
        "identity data refused",
        {"regions.yaml": lambda d: d["cities"][0]["counties"][0].__setitem__("code", "379999")},
        ("regions.yaml", "379999", "cities[0].counties[0]"),
        "a county code starts with its city's 3701",
    ),
    (
        "identity data not a mapping",
        {"reference/business_scope.yaml": whole({"entries": []})},
        ("reference/business_scope.yaml", "", ""),
        "needs an items list",
    ),
    (
        "inspection plan not a mapping",
        {"inspections/jinan-2024-joint-01.yaml": lambda d: ["not", "a", "plan"]},
        ("inspections/jinan-2024-joint-01.yaml", "", ""),
        "an inspection plan must be a mapping",
    ),
    (
        "identity data without its list",
        {"regions.yaml": whole({"province": {"code": "370000", "name": "山东省"}})},
        ("regions.yaml", "", "cities"),
        "must be a non-empty list",
    ),
    (
        "file nothing reads",
        {"notes/readme.yaml": lambda d: d.update({"note": "x"})},
        ("notes/readme.yaml", "", ""),
        "no part of the catalog reads this file",
    ),
    # --- organisation --------------------------------------------------------------------
    (
        "department kind twice",
        {"departments.yaml": lambda d: d["department_kinds"].append(dict(d["department_kinds"][0]))},
        ("departments.yaml", "administrative_approval", "department_kinds[19].code"),
        "duplicate department kind",
    ),
    (
        "bad abbreviation",
        {"departments.yaml": lambda d: d["department_kinds"][0].__setitem__("abbreviation", "sc")},
        ("departments.yaml", "administrative_approval", "department_kinds[0].abbreviation"),
        "2-6 upper-case letters",
    ),
    (
        "bad since date",
        {"implementation/370112.yaml": entry_of("", 0, "since", "2020-13-01")},
        ("implementation/370112.yaml", "market.enterprise_address_change", "entries[0].since"),
        "bad date",
    ),
    (
        "item listed twice in one list",
        {"implementation/370112.yaml": lambda d: d["entries"].append(dict(d["entries"][0]))},
        ("implementation/370112.yaml", "market.enterprise_address_change", "entries[2].item"),
        "item listed twice",
    ),
    (
        "linked group names an unknown item",
        {"implementation/links.yaml": lambda d: d["links"][0]["items"].append("hc.nothing")},
        ("implementation/links.yaml", "hc.nothing", ""),
        "unknown item",
    ),
    (
        "list for an unknown region",
        {"implementation/370112.yaml": setting("region", "379999")},
        ("implementation/370112.yaml", "", "region"),
        "unknown region",
    ),
    (
        "list names an unknown item",
        {"implementation/370112.yaml": entry_of("", 1, "item", "hrss.nothing")},
        ("implementation/370112.yaml", "hrss.nothing", "item"),
        "unknown item",
    ),
    (
        "zone level outside a zone",
        {"implementation/370112.yaml": entry_of("", 1, "level", "zone")},
        (
            "implementation/370112.yaml",
            "hrss.employer_social_insurance_registration",
            "level",
        ),
        "only a function zone's list may use zone",
    ),
    (
        "review not below approval",
        {"implementation/370112.yaml": entry_of("", 0, "review", "city")},
        ("implementation/370112.yaml", "market.enterprise_address_change", "review"),
        "the reviewing level must be below the approving level",
    ),
    (
        "window moved up",
        {"implementation/370112.yaml": entry_of("", 1, "window", "city")},
        (
            "implementation/370112.yaml",
            "hrss.employer_social_insurance_registration",
            "window",
        ),
        "the window can only move down",
    ),
    (
        "linked items split",
        {"implementation/370190.yaml": lambda d: d["entries"].__delitem__(-1)},
        (
            "implementation/370190.yaml",
            "hc.construction_permit,hc.contract_filing,hc.quality_safety_registration",
            "entries",
        ),
        "linked items must be delegated together",
    ),
    (
        "negative list kind",
        {"reference/negative_list.yaml": entry_of("", 0, "kind", "forbidden")},
        ("reference/negative_list.yaml", "FNL-A01", "entries[0].kind"),
        "must be restricted or prohibited",
    ),
    (
        "negative list entry twice",
        {"reference/negative_list.yaml": lambda d: d["entries"].append(dict(d["entries"][0]))},
        ("reference/negative_list.yaml", "FNL-A01", "entries[15].code"),
        "duplicate entry",
    ),
    (
        "dataset sharing level",
        {"registries.yaml": entry_of("", 0, "sharing", "public", "datasets")},
        ("registries.yaml", "population", "datasets[0].sharing"),
        "invalid value",
    ),
    (
        "dataset owner unknown",
        {"registries.yaml": entry_of("", 0, "owner", "nobody", "datasets")},
        ("registries.yaml", "population", "owner"),
        "unknown department kind nobody",
    ),
    # --- references across files ---------------------------------------------------------
    (
        "unknown department of an item",
        {ES_ITEMS: item(REGISTRATION, setting("department", "taxes"))},
        (ES_ITEMS, REGISTRATION, "department"),
        "unknown department kind taxes",
    ),
    (
        "prior output from an unknown item",
        {ES_ITEMS: material("police.seal_carving", "business_licence", "from_item", "x.y")},
        (ES_ITEMS, "police.seal_carving", "materials.business_licence.from_item"),
        "unknown item x.y",
    ),
    (
        "choices from an unknown list",
        {
            ES_BUNDLE: bundle(
                lambda b: find(b, "business_scope", "form").__setitem__("choices_from", "scopes")
            )
        },
        (ES_BUNDLE, "bundle.enterprise_startup", "form.business_scope.choices_from"),
        "unknown reference list scopes",
    ),
    (
        "stage led by an unknown department",
        {ES_BUNDLE: stage("registration", setting("lead_department", "market"))},
        (ES_BUNDLE, "bundle.enterprise_startup", "stages.registration.lead_department"),
        "unknown department kind market",
    ),
    (
        "stage names an unknown item",
        {ES_BUNDLE: stage("seals_and_tax", lambda s: s["items"].append("police.nothing"))},
        (ES_BUNDLE, "bundle.enterprise_startup", "stages.seals_and_tax.items"),
        "unknown item police.nothing",
    ),
    (
        "item twice in a bundle",
        {ES_BUNDLE: stage("seals_and_tax", lambda s: s["items"].append("police.seal_carving"))},
        (ES_BUNDLE, "bundle.enterprise_startup", "stages.seals_and_tax.items"),
        "appears twice",
    ),
    (
        "item limit beyond its stage",
        {ES_BUNDLE: stage("seals_and_tax", lambda s: s["items"][0].__setitem__("limit", "1wd"))},
        (ES_BUNDLE, "bundle.enterprise_startup", "stages.seals_and_tax.items.police.seal_carving"),
        "item limit exceeds the stage limit",
    ),
    (
        "field map to no form field",
        {
            ES_BUNDLE: stage(
                "seals_and_tax",
                lambda s: s["items"][0]["field_map"].__setitem__("enterprise_name", "nothing"),
            )
        },
        (
            ES_BUNDLE,
            "bundle.enterprise_startup",
            "stages.seals_and_tax.items.police.seal_carving.field_map.enterprise_name",
        ),
        "merged form has no field nothing",
    ),
    (
        "early intervention for an unknown item",
        {CP_BUNDLE: bundle(lambda b: b["early_intervention"].append("hc.nothing"))},
        (CP_BUNDLE, "bundle.construction_project", "early_intervention"),
        "unknown item hc.nothing",
    ),
    (
        "promise until a stage the bundle lacks",
        {
            "items/construction.yaml": lambda d: next(
                m
                for i in d["items"]
                for m in i.get("materials", [])
                if m.get("promise_until")
            ).__setitem__("promise_until", "never")
        },
        (
            "items/construction.yaml",
            "nr.land_use_planning_permit",
            "materials.land_survey_report.promise_until",
        ),
        "bundle has no stage never",
    ),
    (
        "variants keyed by no form field",
        {CP_BUNDLE: bundle(lambda b: b["variants"].__setitem__("field", "kind"))},
        (CP_BUNDLE, "bundle.construction_project", "variants.field"),
        "merged form has no field kind",
    ),
    (
        "variant stages beyond the variant total",
        {CP_BUNDLE: bundle(lambda b: b["variants"]["options"][0].__setitem__("total_limit", "5wd"))},
        (CP_BUNDLE, "bundle.construction_project", "variants.social_industrial"),
        "stage budgets exceed the flow's total",
    ),
    (
        "stages beyond the total",
        {ES_BUNDLE: bundle(setting("total_limit", "0.5wd"))},
        (ES_BUNDLE, "bundle.enterprise_startup", "total_limit"),
        "stage limits exceed the total limit",
    ),
    (
        "unknown registry field",
        {ES_ITEMS: material(REGISTRATION, "legal_rep_identity", "registry_field", "population.x")},
        (ES_ITEMS, REGISTRATION, "materials.legal_rep_identity.registry_field"),
        "unknown registry field population.x",
    ),
    (
        "subject not on any form",
        {ES_ITEMS: material(REGISTRATION, "legal_rep_identity", "subject", "form:nobody_id")},
        (ES_ITEMS, REGISTRATION, "materials.legal_rep_identity.subject"),
        "subject must be applicant or form:<field>",
    ),
    (
        "shared material about someone the bundle's form does not name",
        {
            ES_BUNDLE: bundle(
                lambda b: b.__setitem__("form", [f for f in b["form"] if f["name"] != "legal_rep_id"])
            ),
            # the item's own form names the person, so only the bundle lacks a way in
            ES_ITEMS: item(
                REGISTRATION,
                setting("form", [{"name": "legal_rep_id", "label": TEXT_ZH_EN, "type": "id_number"}]),
            ),
        },
        (ES_BUNDLE, "bundle.enterprise_startup", f"stages.registration.items.{REGISTRATION}"),
        "required material legal_rep_identity has no way in",
    ),
    (
        "prior output from a later stage",
        {
            ES_BUNDLE: bundle(
                lambda b: b.__setitem__("stages", [b["stages"][1], b["stages"][0]])
            )
        },
        (ES_BUNDLE, "bundle.enterprise_startup", "stages.seals_and_tax.items.police.seal_carving"),
        "required material business_licence has no way in",
    ),
    # --- documents carried for other contexts --------------------------------------------
    (
        "credit rules naming an unknown credit class",
        {"credit/rules.yaml": lambda d: d["rules"][0].__setitem__("class", "超级失信")},
        ("credit/rules.yaml", "rules[0]", "rules[0].class"),
        "unknown credit class",
    ),
    (
        "credit rules not a mapping",
        {"credit/rules.yaml": lambda d: d.clear()},
        ("credit/rules.yaml", "", "version"),
        "expected non-empty text",
    ),
    (
        "inspection plan with an unknown credit class",
        {
            "inspections/jinan-2024-joint-01.yaml": lambda d: d["sampling_rates"].__setitem__(
                "超级失信", "0.5"
            )
        },
        ("inspections/jinan-2024-joint-01.yaml", "SD-JN-2024-JOINT-01", "sampling_rates"),
        "unknown credit class",
    ),
    (
        "targets with a bad share",
        {"plans/targets.yaml": lambda d: d["domains"]["medical"].__setitem__("compression", 2)},
        ("plans/targets.yaml", "medical", "domains.medical.compression"),
        "",
    ),
]

@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [pytest.param(changes, where, message, id=name) for name, changes, where, message in CASES],
)
def test_catalog_refused_naming_file_entry_and_field(
    breaker: Breaker,
    changes: Mapping[str, Mutation | None],
    where: tuple[str, str, str],
    message: str,
) -> None:
    problems = breaker.problems(changes)
    file, entry, field = where
    matching = [
        p
        for p in problems
        if (p.file, p.entry, p.field) == (file, entry, field) and message in p.message
    ]
    assert matching, "\n".join(str(p) for p in problems)


def test_yaml_syntax_error_names_the_file_and_line(shipped_files: Mapping[str, str]) -> None:
    files = dict(shipped_files)
    files[TALENT] = "items:\n  - code: [unclosed\n"
    with pytest.raises(CatalogInvalid) as invalid:
        parse_catalog(files)
    assert [str(p) for p in invalid.value.problems] == [
        f"{TALENT}: YAML 语法错误 / YAML syntax error line 3"
    ]


def test_every_problem_is_listed_at_once(breaker: Breaker) -> None:
    problems = breaker.problems(
        {
            ES_ITEMS: item(REGISTRATION, setting("promised_limit", "soon")),
            TALENT: item("talent.huicai_card", setting("department", "talents")),
        }
    )
    located = {(p.file, p.entry, p.field) for p in problems}
    assert (ES_ITEMS, REGISTRATION, "promised_limit") in located
    assert (TALENT, "talent.huicai_card", "department") in located


def test_two_plans_with_one_id_are_refused(breaker: Breaker) -> None:
    jinan = breaker.documents["inspections/jinan-2024-joint-01.yaml"]
    problems = breaker.problems({"inspections/copy.yaml": lambda d: d.update(copy.deepcopy(jinan))})
    assert [(p.file, p.entry, p.field) for p in problems] == [
        ("inspections/jinan-2024-joint-01.yaml", "SD-JN-2024-JOINT-01", "id")
    ]
