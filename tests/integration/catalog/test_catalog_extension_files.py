"""The reproduced crashes of issue 9, on real catalog folders: `yiwang catalog check` now
fails naming file, entry and field, and the platform refuses to start on such a catalog
before storing anything (where it used to crash later, at task completion or submission).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from yiwang.bootstrap import SHIPPED_CATALOG, bootstrap
from yiwang.catalog.errors import CatalogInvalid
from yiwang.cli.main import _register, app
from yiwang.db import tables as t
from yiwang.settings import Settings

runner = CliRunner()
_register()

UNKNOWN_DATASET = """
  - code: hukou
    name: {zh: 户籍, en: Household register}
    owner: public_security
    sharing: conditional
    fields:
      - {code: household, name: {zh: 户, en: Household}}
"""

# (file, old text, new text, what `catalog check` prints)
BREAKS = {
    # Was: KeyError in licence_request when the talent-card task completed.
    "unknown licence kind": (
        "items/talent.yaml",
        "kind: talent_card",
        "kind: talent_badge",
        "items/talent.yaml [talent.huicai_card] output.kind",
    ),
    # Was: LookupError from validate_form at submission.
    "unknown check": (
        "bundles/enterprise_startup.yaml",
        "checks: [company_name, business_scope]",
        "checks: [company_name, business_scope, capital_check]",
        "bundles/enterprise_startup.yaml [bundle.enterprise_startup] checks",
    ),
    # Was: bootstrap() refused the rules file after `catalog check` had passed.
    "unknown credit class": (
        "credit/rules.yaml",
        "class: 严重失信",
        "class: 极严重失信",
        "credit/rules.yaml [rules[0]] rules[0].class",
    ),
    "unknown registry dataset": (
        "registries.yaml",
        "      - {code: deed_tax, name: {zh: 契税完税凭证, en: Deed tax receipt}}\n",
        "      - {code: deed_tax, name: {zh: 契税完税凭证, en: Deed tax receipt}}\n"
        + UNKNOWN_DATASET,
        "registries.yaml [hukou] code",
    ),
}


def broken_catalog(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(SHIPPED_CATALOG, root)
    file, old, new, _ = BREAKS[name]
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("name", list(BREAKS))
def test_catalog_check_fails_naming_file_entry_and_field(tmp_path: Path, name: str) -> None:
    root = broken_catalog(tmp_path, name)
    result = runner.invoke(app, ["catalog", "check", str(root)])
    assert result.exit_code == 1
    assert BREAKS[name][3] in result.output
    assert "Traceback" not in result.output


def test_catalog_load_refuses_an_unregistered_name(tmp_path: Path) -> None:
    root = broken_catalog(tmp_path, "unknown check")
    result = runner.invoke(app, ["catalog", "load", str(root)])
    assert result.exit_code == 1
    assert "capital_check" in result.output


@pytest.mark.parametrize("name", ["unknown licence kind", "unknown credit class"])
def test_platform_refuses_to_start_before_storing_the_catalog(
    tmp_path: Path, db_engine: Engine, name: str
) -> None:
    root = broken_catalog(tmp_path, name)
    settings = Settings(database_url=str(db_engine.url), data_dir=tmp_path / "var")
    with pytest.raises(CatalogInvalid) as invalid:
        bootstrap(settings, engine=db_engine, catalog_dir=root)
    assert BREAKS[name][3] in str(invalid.value)
    with db_engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(t.catalog_versions)).scalar()
    assert stored == 0


def test_shipped_catalog_check_passes_and_lists_items_that_need_a_bundle() -> None:
    result = runner.invoke(app, ["catalog", "check", "--json"])
    assert result.exit_code == 0, result.output
    assert '"ok": true' in result.output
    assert "sci.voucher_province_payment" in result.output
