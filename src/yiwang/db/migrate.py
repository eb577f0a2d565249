"""Schema migrations (Alembic), run in process: `yiwang db upgrade`, tests, `make run`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from yiwang.db.partitions import ensure_partitions

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's config interpolates "%": a URL with escapes (``options=-csearch_path%3D...``)
    # must reach it doubled.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision``, then the partition upkeep (this month's and
    the next months' partitions of the logs; nothing on SQLite)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        ensure_partitions(connection, datetime.now(UTC))


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the difference between the tables and the database."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
