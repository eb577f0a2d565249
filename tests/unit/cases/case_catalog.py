"""The small catalog the case unit tests run on: a two-stage bundle, two parallel items in
the first stage and one in the second, each with two materials the applicant provides."""

from __future__ import annotations

from minimal_catalog import BASE

BUNDLE = "bundle.test"
APPLICANT = "110101199003070011"  # a person: the talent-card check reads the registry

FILES = {
    **BASE,
    "items/test.yaml": """
items:
"""
    + "".join(
        f"""
  - code: {code}
    name: {{zh: 事项{code}, en: Item {code}}}
    department: {department}
    legal_basis: [依据]
    handling_modes: [online]
    materials:
      - {{code: {code}.form, name: {{zh: 申请表, en: Application form}}, source: applicant}}
      - {{code: {code}.proof, name: {{zh: 证明, en: Proof}}, source: applicant}}
    procedure:
      - {{code: do, name: {{zh: 办理, en: Do}}}}
    legal_limit: 10wd
    promised_limit: 3wd
    fees: []
    service_standard: {{zh: 标准, en: Standard}}
"""
        for code, department in (
            ("t.first", "medical_security"),
            ("t.second", "taxation"),
            ("t.last", "taxation"),
        )
    ),
    "bundles/test.yaml": """
bundle:
  code: bundle.test
  name: {zh: 测试一件事, en: Test bundle}
  handling_modes: [online]
  total_limit: 6wd
  form:
    - name: note
      label: {zh: 说明, en: Note}
      type: text
  stages:
    - code: parallel
      name: {zh: 并联审批, en: Parallel review}
      lead_department: medical_security
      limit: 3wd
      items: [t.first, t.second]
    - code: final
      name: {zh: 最后审批, en: Final review}
      lead_department: taxation
      limit: 3wd
      items: [t.last]
""",
}
