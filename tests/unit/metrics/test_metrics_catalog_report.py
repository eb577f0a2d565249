"""The catalog report on hand-made catalogs: each share at its boundary, limits, tiers,
bundles, materials, the targets file's validation and the SVG chart. No I/O: catalogs are
parsed from inline texts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minimal_catalog import BASE
from yiwang.calendar import OfficeHours, TimeLimit
from yiwang.catalog.loader import parse_catalog
from yiwang.catalog.models import (
    CatalogSpec,
    HandlingMode,
    ItemSpec,
    MaterialSource,
    MaterialSpec,
    StepSpec,
    Text,
)
from yiwang.metrics.catalog_report import (
    UNCATEGORISED,
    Check,
    DomainReport,
    ReportError,
    catalog_report,
    category_rows,
    figures_of,
    parse_targets,
    report_json,
    svg_chart,
)

OFFICE = OfficeHours.default()



def item_yaml(
    code: str,
    *,
    promised: str = "instant",
    legal: str = "10wd",
    modes: str = "[online]",
    sources: tuple[str, ...] = ("applicant",),
    category: str = "",
    department: str = "medical_security",
    variants: str = "",
) -> str:
    materials = "\n".join(
        f"      - {{code: m{index}, name: {{zh: 材料{index}, en: Material {index}}}, source: {source}"
        + (", registry_field: population.identity" if source == "registry" else "")
        + (", from_item: x.anchor" if source == "prior_output" else "")
        + "}"
        for index, source in enumerate(sources)
    )
    return f"""
  - code: {code}
    name: {{zh: 事项{code}, en: Item {code}}}
    department: {department}
    category: "{category}"
    legal_basis: [依据]
    handling_modes: {modes}
    materials:
{materials}
    procedure:
      - {{code: do, name: {{zh: 办理, en: Do}}}}
    legal_limit: {legal}
    promised_limit: {promised}
    fees: []
    service_standard: {{zh: 标准, en: Standard}}
{variants}"""


def catalog(*items: str, bundles: dict[str, str] | None = None) -> CatalogSpec:
    files = dict(BASE)
    files["items/anchor.yaml"] = "items:" + item_yaml("x.anchor")
    files["items/test.yaml"] = "items:" + "".join(items)
    for name, text in (bundles or {}).items():
        files[f"bundles/{name}.yaml"] = text
    return parse_catalog(files)


def targets(**domain: Any) -> Any:
    body: dict[str, Any] = {"select": {"files": ["items/test.yaml"]}}
    body.update(domain)
    return parse_targets({"domains": {"d": body}})


def only_domain(spec: CatalogSpec, **domain: Any) -> DomainReport:
    return catalog_report(spec, targets(**domain)).domains[0]


def check(report: DomainReport, code: str) -> Check:
    return next(c for c in report.checks if c.code == code)


# --------------------------------------------------------------------------- shares


@pytest.mark.parametrize(("instant", "passed"), [(29, True), (28, False)])
def test_instant_share_passes_at_58_percent_and_fails_one_item_below(
    instant: int, passed: bool
) -> None:
    items = [item_yaml(f"t.i{n}", promised="instant" if n < instant else "5wd") for n in range(50)]
    report = only_domain(catalog(*items), shares={"instant": 0.58})
    result = check(report, "instant_share")
    assert result.passed is passed
    assert result.value == ("58.0%" if passed else "56.0%")
    assert result.detail == f"{instant}/50"
    assert report.passed is passed


@pytest.mark.parametrize(("window_only", "passed"), [(1, True), (2, False)])
def test_online_or_mobile_share_boundary_at_80_percent(window_only: int, passed: bool) -> None:
    items = [
        item_yaml(f"t.o{n}", modes="[window]" if n < window_only else "[window, mobile]")
        for n in range(5)
    ]
    report = only_domain(catalog(*items), shares={"online_or_mobile": "0.80"})
    assert check(report, "online_share").passed is passed
    # Mobile alone counts as much as online; window, nearby and self-service do not.
    assert report.total.online_or_mobile == 5 - window_only


@pytest.mark.parametrize(("not_asked", "passed"), [(3, True), (2, False)])
def test_materials_not_asked_boundary_at_30_percent(not_asked: int, passed: bool) -> None:
    # Ten materials in two items; registry, commitment and earlier outputs are not asked.
    kinds = ("registry", "commitment", "prior_output")
    sources = [kinds[n % 3] if n < not_asked else "applicant" for n in range(10)]
    spec = catalog(
        item_yaml("t.a", sources=tuple(sources[:5])), item_yaml("t.b", sources=tuple(sources[5:]))
    )
    report = only_domain(spec, shares={"materials_not_asked": 0.3})
    result = check(report, "materials_not_asked")
    assert result.passed is passed and result.detail == f"{not_asked}/10"
    assert report.total.materials_asked == 10 - not_asked
    assert report.total.materials_asked_per_item == Fraction(10 - not_asked, 2)


@pytest.mark.parametrize(("promised", "passed"), [("4wd", True), ("5wd", False)])
def test_compression_is_checked_item_by_item(promised: str, passed: bool) -> None:
    spec = catalog(
        item_yaml("t.cut", promised=promised, legal="10wd"),
        item_yaml("t.deep", promised="1wd", legal="10wd"),
        item_yaml("t.now", promised="instant", legal="instant"),  # instant: not counted
    )
    report = only_domain(spec, compression=0.6)
    result = check(report, "compression")
    assert result.passed is passed
    assert result.value == ("min 60.0%" if passed else "min 50.0%")
    assert ("t.cut" in result.detail) is not passed


def test_nothing_to_measure_is_neither_pass_nor_fail() -> None:
    spec = catalog(item_yaml("t.now", promised="instant", legal="instant"))
    report = only_domain(spec, compression=0.6)
    assert check(report, "compression").passed is None
    assert report.passed  # an unmeasurable target does not fail the domain
    empty = catalog_report(
        spec,
        parse_targets(
            {"domains": {"e": {"select": {"files": ["none.yaml"]}, "shares": {"instant": 0.5}}}}
        ),
    )
    assert empty.domains[0].checks[0].passed is None and empty.domains[0].total.items == 0


@given(
    total=st.integers(min_value=1, max_value=200),
    data=st.data(),
)
def test_share_verdict_is_exact(total: int, data: st.DataObject) -> None:
    instant = data.draw(st.integers(min_value=0, max_value=total))
    items = [_direct_item(f"p.{n}", instant=n < instant) for n in range(total)]
    figures = figures_of(items, OFFICE)
    assert figures.instant_share == Fraction(instant, total)
    # "at least 58%" in integers: 100·instant ≥ 58·total.
    assert (figures.instant_share >= Fraction(58, 100)) is (100 * instant >= 58 * total)


def _direct_item(code: str, *, instant: bool) -> ItemSpec:
    return ItemSpec(
        code=code,
        name=Text(code, code),
        aliases=(),
        department_kind="medical_security",
        legal_basis=(),
        handling_modes=(HandlingMode.WINDOW,),
        materials=(MaterialSpec("m", Text("材料", "Material"), MaterialSource.APPLICANT),),
        procedure=(StepSpec("do", Text("办理", "Do")),),
        legal_limit=TimeLimit.working_days(10),
        promised_limit=TimeLimit.instant() if instant else TimeLimit.working_days(2),
        fees=(),
        service_standard=Text("", ""),
    )


# --------------------------------------------------------------------------- rows


def test_rows_total_groups_and_categories_add_up() -> None:
    spec = catalog(
        item_yaml("t.e1", category="employee/参保登记"),
        item_yaml("t.r1", category="resident/缴费", promised="2wd"),
        item_yaml(
            "t.e2", category="employee/报销", promised="10wd", legal="30wd", modes="[window]"
        ),
        item_yaml("t.e3", category="employee/参保登记"),
        item_yaml("t.u"),
    )
    report = only_domain(spec, expect={"items": 5, "categories": 3})
    keys = [(row.level, row.key) for row in report.rows]
    assert keys == [
        (0, ""),
        (1, "employee"),
        (2, "employee/参保登记"),
        (2, "employee/报销"),
        (1, "resident"),
        (2, "resident/缴费"),
        (2, UNCATEGORISED),
    ]
    by_key = {row.key: row.figures for row in report.rows}
    assert by_key["employee"].items == 3 and by_key["employee/参保登记"].instant == 2
    assert by_key[""] == by_key["employee"] + by_key["resident"] + by_key[UNCATEGORISED]
    assert by_key["employee/报销"].mean_promised_days == 10
    assert by_key["employee/报销"].mean_legal_days == 30
    assert check(report, "items").passed and check(report, "categories").passed
    assert category_rows([], OFFICE)[0].figures.items == 0


def test_half_day_and_hour_limits_count_in_working_days() -> None:
    spec = catalog(
        item_yaml("t.half", promised="0.5wd", legal="1wd"),
        item_yaml("t.hours", promised="2h", legal="7h"),
    )
    total = only_domain(spec).total
    # 0.5 + 2/7 working days promised, 1 + 1 legal (office day of 7 hours).
    assert total.promised_days == Fraction(1, 2) + Fraction(2, 7)
    assert total.legal_days == 2


# --------------------------------------------------------------------------- named targets


def test_limit_targets_check_promised_legal_and_variants() -> None:
    variant = "    limit_variants:\n      - when: [{field: cls, equals: one}]\n        limit: 2wd\n"
    spec = catalog(
        item_yaml(
            "t.refund", promised="10wd", legal="20wd", department="taxation", variants=variant
        ),
        item_yaml("t.transfer", promised="15wd", legal="30wd"),
    )
    report = only_domain(
        spec,
        limits=[
            {"item": "t.refund", "promised_max": "10wd", "legal": "20wd"},
            {"item": "t.refund", "promised_max": "2wd", "form": {"cls": "one"}},
            {"item": "t.refund", "promised_max": "1wd", "form": {"cls": "one"}},
            {"item": "t.transfer", "promised_max": "15wd", "legal": "45wd"},
            {"item": "t.gone", "promised_max": "1wd"},
        ],
    )
    verdicts = [c.passed for c in report.checks]
    assert verdicts == [True, True, False, False, False]
    assert "45wd" in report.checks[3].detail  # right promise, wrong legal limit
    assert report.checks[4].value == "缺失 missing"
    assert report.checks[1].value == "2wd"


def test_tiers_require_every_item_placed() -> None:
    spec = catalog(
        item_yaml("t.seize"),
        item_yaml("t.mortgage", promised="1wd", legal="30wd"),
        item_yaml("t.transfer", promised="5wd", legal="30wd"),
        item_yaml("t.slow", promised="6wd", legal="30wd"),
        item_yaml("t.inherit", promised="30wd", legal="30wd"),
    )
    tiers = [
        {"limit": "instant", "items": ["t.seize"]},
        {"limit": "1wd", "items": ["t.mortgage"]},
        {"limit": "5wd", "items": ["t.transfer", "t.slow"]},
    ]
    report = only_domain(spec, tiers=tiers, outside_tiers=["t.inherit"])
    assert [(c.code, c.passed) for c in report.checks] == [
        ("tier:instant", True),
        ("tier:1wd", True),
        ("tier:5wd", False),
        ("tiers:complete", True),
    ]
    assert check(report, "tier:5wd").detail == "t.slow 6wd"
    unplaced = only_domain(spec, tiers=tiers)
    assert check(unplaced, "tiers:complete").passed is False
    assert check(unplaced, "tiers:complete").detail == "t.inherit"


def test_materials_and_bundle_targets() -> None:
    bundle = """
bundle:
  code: bundle.pair
  name: {zh: 两事项, en: Pair}
  total_limit: 3wd
  form: []
  stages:
    - code: one
      name: {zh: 并行, en: Parallel}
      lead_department: medical_security
      limit: 3wd
      items: [t.a, t.b]
"""
    spec = catalog(
        item_yaml("t.a", promised="1wd", sources=("applicant",) * 7),
        item_yaml("t.b", promised="1wd", sources=("applicant",) * 8),
        bundles={"pair": bundle},
    )
    report = only_domain(
        spec,
        materials_max=[
            {"item": "t.a", "total_max": 7, "before": 13},
            {"item": "t.b", "total_max": 7},
        ],
        bundles=[
            {"bundle": "bundle.pair", "total_max": "3wd", "stages": 1, "parallel_min": 2},
            {"bundle": "bundle.pair", "total_max": "1wd", "parallel_min": 3},
        ],
    )
    assert [c.passed for c in report.checks] == [True, False, True, False]
    assert report.checks[0].value == "7 (asked 7)" and report.checks[0].target == "≤ 7 (was 13)"
    assert "total 3wd" in report.checks[3].detail and "parallel 2" in report.checks[3].detail


# --------------------------------------------------------------------------- targets file


def test_targets_file_problems_are_listed_together() -> None:
    with pytest.raises(ReportError) as refused:
        parse_targets(
            {
                "domains": {
                    "a": {
                        "shares": {"instant": 1.5, "speed": 0.2},
                        "limits": [{"item": "x", "promised_max": "soon"}],
                    },
                    "b": {"select": {"files": "items/x.yaml"}, "compression": "much"},
                }
            }
        )
    text = " | ".join(refused.value.problems)
    for where in (
        "domains.a.select",
        "domains.a.shares.instant",
        "domains.a.shares.speed",
        "domains.a.limits[0].promised_max",
        "domains.b.select.files",
        "domains.b.compression",
    ):
        assert where in text, where
    with pytest.raises(ReportError):
        parse_targets({"domains": {}})
    with pytest.raises(ReportError):
        parse_targets(["not", "a", "mapping"])


def test_unknown_domain_names_the_known_ones() -> None:
    spec = catalog(item_yaml("t.a"))
    with pytest.raises(ReportError) as refused:
        catalog_report(spec, targets(), domain="nope")
    assert "d" in refused.value.message_en and "nope" in refused.value.message_zh


def test_json_is_serialisable_and_carries_marks() -> None:
    spec = catalog(
        item_yaml("t.a", category="g/c"), item_yaml("t.b", promised="5wd", category="g/c")
    )
    report = catalog_report(spec, targets(shares={"instant": 0.58}))
    data = json.loads(json.dumps(report_json(report), ensure_ascii=False))
    total = data["domains"][0]["rows"][0]
    assert total["instant_share"] == 0.5 and total["marks"]["instant_share"] is False
    assert data["passed"] is False and data["domains"][0]["checks"][0]["passed"] is False


# --------------------------------------------------------------------------- SVG


def test_svg_is_well_formed_with_one_group_per_row_and_escaped_text() -> None:
    spec = catalog(
        item_yaml("t.a", category="g/<b>&c"),
        item_yaml("t.b", promised="5wd", modes="[window]", category="g/<b>&c"),
    )
    domain = {
        "name": {"zh": "领域<测试>", "en": "A & B"},
        "shares": {"instant": 0.5, "online_or_mobile": 0.8},
    }
    svg = svg_chart(catalog_report(spec, targets(**domain)))
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    rows = root.findall("s:g", ns)
    assert [row.get("data-key") for row in rows] == ["", "g", "g/<b>&c"]
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "领域<测试> / A & B" in texts
    # Bars are as long as their share of the plot: 50% instant, 50% online.
    bars = rows[0].findall("s:rect", ns)
    assert len(bars) == 2 and bars[0].get("width") == bars[1].get("width")
    plot = float(root.get("width", "0")) - 230 - 70
    assert float(bars[0].get("width", "0")) == pytest.approx(plot / 2)
    # Each row carries the two target marks.
    assert len(rows[0].findall("s:line", ns)) == 2
