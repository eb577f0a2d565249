"""The catalog carries each statutory limit with its basis, and refuses a promise that could
end after the law's limit, a statutory limit without its article, or a bad monthly window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yiwang.bootstrap import SHIPPED_CATALOG
from yiwang.catalog.errors import CatalogInvalid
from yiwang.catalog.loader import load_catalog_dir


def test_shipped_statutory_limits_and_their_basis() -> None:
    spec = load_catalog_dir(SHIPPED_CATALOG)
    expected = {
        "hc.construction_permit": ("7d", "《中华人民共和国建筑法》第八条"),
        "hrss.employer_social_insurance_registration": ("15d", "《中华人民共和国社会保险法》第五十七条"),
        "medins.employer_registration": ("15d", "《中华人民共和国社会保险法》第五十七条"),
        "env.eia_approval": ("60d", "《中华人民共和国环境影响评价法》第二十二条"),
        "tax.new_taxpayer_setup": ("same_day", "《中华人民共和国税收征收管理法》第十五条"),
        "dr.project_filing": ("on_receipt", "《企业投资项目核准和备案管理条例》第十三条"),
    }
    for code, (limit, basis) in expected.items():
        item = spec.item(code)
        assert (str(item.legal_limit), item.legal_limit_basis) == (limit, basis), code
    eia = spec.item("env.eia_approval")
    assert str(eia.legal_limit_for({"eia_document": "report_form"})) == "30d"
    assert str(eia.legal_limit_for({"eia_document": "report"})) == "60d"
    # Promises shorter than the law stay the promise.
    assert str(spec.item("hrss.employer_social_insurance_registration").promised_limit) == "0.5wd"
    assert str(spec.item("tax.new_taxpayer_setup").promised_limit) == "2h"
    assert spec.bundle("bundle.innovation_voucher").submission_window == (1, 7)


def _broken(tmp_path: Path, file: str, old: str, new: str) -> set[tuple[str, str]]:
    root = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as invalid:
        load_catalog_dir(root)
    return {(p.entry, p.field) for p in invalid.value.problems}


def test_a_working_day_promise_longer_than_seven_calendar_days_is_refused(tmp_path: Path) -> None:
    problems = _broken(
        tmp_path,
        "items/construction.yaml",
        "    legal_limit_basis: 《中华人民共和国建筑法》第八条\n    promised_limit: 7d",
        "    legal_limit_basis: 《中华人民共和国建筑法》第八条\n    promised_limit: 7wd",
    )
    assert ("hc.construction_permit", "promised_limit") in problems


def test_a_calendar_day_legal_limit_needs_its_article(tmp_path: Path) -> None:
    problems = _broken(
        tmp_path,
        "items/construction.yaml",
        "    legal_limit_basis: 《中华人民共和国建筑法》第八条\n",
        "",
    )
    assert ("hc.construction_permit", "legal_limit_basis") in problems


def test_a_promise_cannot_outlast_an_on_receipt_filing(tmp_path: Path) -> None:
    problems = _broken(
        tmp_path,
        "items/construction.yaml",
        "    promised_limit: on_receipt",
        "    promised_limit: 3wd",
    )
    assert ("dr.project_filing", "promised_limit") in problems


@pytest.mark.parametrize("window", ["[0, 7]", "[8, 7]", "[1, 24]", "[1]", "[true, 7]", "monthly"])
def test_a_bad_submission_window_is_refused(tmp_path: Path, window: str) -> None:
    problems = _broken(
        tmp_path,
        "bundles/innovation_voucher.yaml",
        "submission_window: [1, 7]",
        f"submission_window: {window}",
    )
    assert ("bundle.innovation_voucher", "submission_window") in problems
