"""The embedded default works on a fresh checkout: the database folder is created."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from yiwang.db.engine import make_engine


def test_sqlite_file_in_a_missing_folder_is_created_in_wal_mode(tmp_path: Path) -> None:
    target = tmp_path / "var" / "nested" / "yiwang.db"
    engine = make_engine(f"sqlite:///{target}")
    with engine.connect() as connection:
        mode = connection.execute(text("PRAGMA journal_mode")).scalar()
    engine.dispose()
    assert target.exists() and mode == "wal"
