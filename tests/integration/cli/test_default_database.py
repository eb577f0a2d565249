"""One database by default for `make run` and every CLI command (issue 10, item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yiwang.settings import Settings


def test_the_default_database_is_the_file_make_run_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YIWANG_DATABASE_URL", raising=False)
    monkeypatch.delenv("YIWANG_DATA_DIR", raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///var/yiwang.db"
    # The database lies in the data folder beside the uploads and keys, not in the working folder.
    assert Path(settings.database_url.removeprefix("sqlite:///")).parent == settings.data_dir
    makefile = Path(__file__).resolve().parents[3] / "Makefile"
    run_recipe = makefile.read_text(encoding="utf-8").split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "YIWANG_DATABASE_URL" not in run_recipe
