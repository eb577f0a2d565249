"""The shipped catalog and the catalog commands, on real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yiwang.bootstrap import SHIPPED_CATALOG
from yiwang.catalog.errors import CatalogInvalid
from yiwang.catalog.loader import load_catalog_dir
from yiwang.cli.main import _register, app

runner = CliRunner()
_register()


def test_shipped_catalog_is_valid_and_holds_the_startup_bundle() -> None:
    spec = load_catalog_dir(SHIPPED_CATALOG)
    bundle = spec.bundle("bundle.enterprise_startup")
    assert [len(stage.items) for stage in bundle.stages] == [4, 2]
    assert str(bundle.total_limit) == "1wd"
    assert [str(stage.limit) for stage in bundle.stages] == ["0.5wd", "0.5wd"]
    seals = spec.item("police.seal_carving")
    assert str(seals.promised_limit) == "2h" and seals.is_free
    assert len(spec.regions.cities) == 16


def copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, target)
    return target


def test_broken_catalog_names_file_item_and_field(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path)
    items = root / "items" / "enterprise_startup.yaml"
    text = items.read_text(encoding="utf-8")
    text = text.replace("promised_limit: 2h", "promised_limit: soon", 1).replace(
        "department: taxation", "department: taxes"
    )
    items.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogInvalid) as invalid:
        load_catalog_dir(root)
    located = {(p.file, p.entry, p.field) for p in invalid.value.problems}
    assert ("items/enterprise_startup.yaml", "police.seal_carving", "promised_limit") in located
    assert ("items/enterprise_startup.yaml", "tax.new_taxpayer_setup", "department") in located
    result = runner.invoke(app, ["catalog", "check", str(root)])
    assert result.exit_code == 1
    assert "[police.seal_carving] promised_limit" in result.output


def test_stage_limit_exceeding_total_is_refused(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path)
    bundle = root / "bundles" / "enterprise_startup.yaml"
    bundle.write_text(
        bundle.read_text(encoding="utf-8").replace("total_limit: 1wd", "total_limit: 0.5wd"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogInvalid) as invalid:
        load_catalog_dir(root)
    assert any(
        p.field == "total_limit" and p.entry == "bundle.enterprise_startup"
        for p in invalid.value.problems
    )


def test_diff_counts_removed_materials_steps_and_time(tmp_path: Path) -> None:
    old = copy_catalog(tmp_path / "old")
    items = old / "items" / "enterprise_startup.yaml"
    text = items.read_text(encoding="utf-8")
    # The "old" catalog asks for one more paper, has one more step and a longer legal limit.
    text = text.replace(
        "      - code: premises_proof\n",
        "      - code: bank_reference\n        name: {zh: 银行资信证明, en: Bank reference}\n        source: applicant\n"
        "      - code: premises_proof\n",
        1,
    )
    text = text.replace(
        "      - {code: deliver, name: {zh: 发照, en: Issue licence}}\n",
        "      - {code: deliver, name: {zh: 发照, en: Issue licence}}\n      - {code: archive, name: {zh: 归档, en: Archive}}\n",
        1,
    )
    text = text.replace("legal_limit: 3wd", "legal_limit: 20wd", 1)
    items.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["catalog", "diff", str(old), str(SHIPPED_CATALOG), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    changed = {item["code"]: item for item in report["items"]}
    licence = changed["market.enterprise_registration"]
    assert licence["materials_removed"] == ["bank_reference"]
    assert licence["steps_removed"] == ["archive"]
    assert licence["legal_limit"] == ["20wd", "3wd"]
    materials = report["totals"]["materials"]
    assert materials["delta"] == -1
    assert materials["percent"] == pytest.approx(-100 / materials["before"], abs=0.1)
    assert report["totals"]["legal_working_days"]["delta"] == pytest.approx(-17)


def test_load_publishes_a_new_current_version(tmp_path: Path) -> None:
    first = runner.invoke(app, ["catalog", "load", "--json"])
    assert first.exit_code == 0, first.output
    root = copy_catalog(tmp_path)
    items = root / "items" / "enterprise_startup.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace("promised_limit: 2h", "promised_limit: 3h"), encoding="utf-8")
    second = runner.invoke(app, ["catalog", "load", str(root), "--json"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.output)["version"] != json.loads(first.output)["version"]
