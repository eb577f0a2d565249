"""Fast tracks from evidence, not declarations.

Declared rules decide at once only on facts the platform established itself: a record a
department supplied (the provincial talent office's recognised talent, the tax bureau's
exporter classes), the legal-entity registry, or the published negative list. Each fact is
read through the logged access path (`Registries.lookup`), and its source is kept beside it
(``"<fact>@source"``) so an automatic decision records the read that justified it.

A fact is read only when a rule or limit variant of the applied-for items tests it: no
personal data is read for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from yiwang.cases.ports import Registries
from yiwang.catalog.models import BundleSpec, CatalogSpec, NegativeListEntry
from yiwang.identity.numbers import is_valid_credit_code, is_valid_id_number

TALENT_DIRECT = "talent.direct_issue"
PARENT_REGISTERED = "branch.parent_registered"
NEGATIVE_LIST = "negative_list.by_industry"
EXPORTER_CLASS = "exporter.class"
EVIDENCE_FACTS = (TALENT_DIRECT, PARENT_REGISTERED, NEGATIVE_LIST, EXPORTER_CLASS)

# 国家税务总局公告2016年第46号: an enterprise with newly begun export business is 三类 until
# the tax bureau classifies it. Assumption (docs/legal.md): an exporter the dataset does not
# list is treated as such.
FIRST_TIME_EXPORTER_CLASS = "三类"

# GB/T 4754-2017: section letter, then 2 (division) to 4 (class) digits.
_INDUSTRY_CODE = re.compile(r"^[A-T]\d{2,4}$")


def source_key(fact: str) -> str:
    return f"{fact}@source"


def tested_facts(bundle: BundleSpec, catalog: CatalogSpec) -> frozenset[str]:
    """The fact names the bundle's items' rules and limit variants test."""
    names: set[str] = set()
    for code in bundle.item_codes():
        item = catalog.item(code)
        for rule in item.auto_rules:
            names.update(c.form_field for c in rule.conditions)
        for variant in item.limit_variants:
            names.update(c.form_field for c in variant.when)
    return frozenset(names) & frozenset(EVIDENCE_FACTS)


def industry_on_negative_list(
    code: str, negative_list: Mapping[str, NegativeListEntry]
) -> tuple[str, str]:
    """(verdict, why): ``not_listed`` only for a well-formed industry code whose section has
    no entry on the list; an entry in the section, or no usable code, goes to review."""
    code = code.strip().upper()
    if not _INDUSTRY_CODE.match(code):
        return "review", "未提供规范的行业代码，转人工审核 / no valid industry code: reviewed by staff"
    entries = sorted(e.code for e in negative_list.values() if e.section == code[0])
    if entries:
        return (
            "review",
            f"行业门类 {code[0]} 有负面清单条目（{'、'.join(entries)}），转人工审核 / section "
            f"{code[0]} has negative-list entries: reviewed by staff",
        )
    return (
        "not_listed",
        f"行业代码 {code} 所属门类 {code[0]} 不在外商投资准入负面清单中 / section {code[0]} has "
        "no negative-list entry",
    )


def gather(
    registries: Registries,
    catalog: CatalogSpec,
    bundle: BundleSpec,
    form: Mapping[str, Any],
    applicant_id: str,
    *,
    case_id: str,
    at: datetime,
) -> dict[str, str]:
    """The evidence facts the bundle's rules test, each with its source."""
    needed = tested_facts(bundle, catalog)
    facts: dict[str, str] = {}

    def read(dataset: str, field: str, subject: str, purpose: str) -> tuple[bool, str, str]:
        answer = registries.lookup(
            dataset, field, subject, reader="system", purpose=purpose, case_id=case_id, at=at
        )
        return answer.found, answer.value, f"{answer.reference}: {answer.summary}"

    if TALENT_DIRECT in needed:
        subject = str(form.get("talent_id") or applicant_id)
        found, value, source = (
            read(
                "talent_registry",
                "direct_issue",
                subject,
                "核验直接颁发类人才认定 / check the recognition for a direct-issue talent card",
            )
            if is_valid_id_number(subject)
            else (False, "", "无有效身份号码 / no valid ID number")
        )
        facts[TALENT_DIRECT] = "yes" if found and value == "yes" else "no"
        facts[source_key(TALENT_DIRECT)] = source
    if PARENT_REGISTERED in needed and str(form.get("entity_type") or "") == "branch":
        parent = str(form.get("parent_credit_code") or "").strip().upper()
        if is_valid_credit_code(parent):
            found, _, source = read(
                "legal_entities",
                "registration",
                parent,
                "核验分公司隶属企业登记 / check the parent company of a branch",
            )
        else:
            found, source = False, "未提供隶属企业统一社会信用代码 / no parent credit code"
        facts[PARENT_REGISTERED] = "yes" if found else "no"
        facts[source_key(PARENT_REGISTERED)] = source
    if NEGATIVE_LIST in needed:
        verdict, why = industry_on_negative_list(
            str(form.get("industry_code") or ""), catalog.negative_list
        )
        facts[NEGATIVE_LIST] = verdict
        facts[source_key(NEGATIVE_LIST)] = f"catalog/reference/negative_list.yaml: {why}"
    if EXPORTER_CLASS in needed:
        found, value, source = read(
            "exporter_class",
            "class",
            applicant_id,
            "出口退（免）税企业分类 / exporter class for the refund time limit",
        )
        if found and value:
            facts[EXPORTER_CLASS] = value
            facts[source_key(EXPORTER_CLASS)] = source
        else:
            facts[EXPORTER_CLASS] = FIRST_TIME_EXPORTER_CLASS
            facts[source_key(EXPORTER_CLASS)] = (
                f"{source}；未经评定的新发生出口业务企业为三类（国家税务总局公告2016年第46号） / "
                "not classified: a first-time exporter is class 3"
            )
    return facts
