"""The smallest catalog folder the parser accepts: two department kinds, one dataset, one city
and county, one business-scope entry and one prohibited word. Unit tests add their items and
bundles to it."""

from __future__ import annotations

BASE: dict[str, str] = {
    "departments.yaml": """
department_kinds:
  - {code: medical_security, abbreviation: YBJ, name: {zh: 医疗保障局, en: Medical Security Bureau}}
  - {code: taxation, abbreviation: SWJ, name: {zh: 税务局, en: Taxation Bureau}}
""",
    "registries.yaml": """
datasets:
  - code: population
    name: {zh: 人口库, en: Population}
    owner: medical_security
    sharing: unconditional
    fields:
      - {code: identity, name: {zh: 身份, en: Identity}, personal: true}
""",
    "regions.yaml": """
province: {code: "370000", name: 山东省}
cities:
  - code: "370100"
    name: 济南市
    counties:
      - {code: "370102", name: 历下区}
""",
    "reference/business_scope.yaml": "items:\n  - {code: I001, name: 软件开发, kind: general, section: I}\n",
    "reference/prohibited_name_words.yaml": "prohibited:\n  - category: state\n    reason: {zh: 国家机关, en: state organ}\n    words: [国务院]\n",
}
