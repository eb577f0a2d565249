"""Shared fixtures: real databases (SQLite file and PostgreSQL schema), a wired platform.

Integration tests take ``db_url``: it runs each test on SQLite and on PostgreSQL. Each
PostgreSQL test gets a schema of its own (created, migrated, dropped), so tests never see each
other's rows. Without a PostgreSQL server the PostgreSQL variants are skipped, unless
``YIWANG_REQUIRE_POSTGRES=1`` (CI), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text

from yiwang.bootstrap import Platform, bootstrap
from yiwang.clock import SimulatedClock
from yiwang.db.engine import make_engine
from yiwang.demo.province import ensure_signing_keys
from yiwang.settings import Settings, get_settings

POSTGRES_URL = os.environ.get(
    "YIWANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("YIWANG_REQUIRE_POSTGRES", "") == "1"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Property tests judge results, not speed: on a loaded 2-core CI machine a single example can take
# longer than hypothesis's default 200 ms deadline, which would fail a correct test.
hypothesis_settings.register_profile("yiwang", deadline=None)
hypothesis_settings.load_profile("yiwang")


def _postgres_available() -> str | None:
    try:
        engine = make_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means "not available"
        return str(error).splitlines()[0]
    return None


_PG_PROBLEM: str | bool | None = False  # False: not probed yet


def _require_postgres() -> None:
    global _PG_PROBLEM
    if _PG_PROBLEM is False:
        _PG_PROBLEM = _postgres_available()
    if _PG_PROBLEM:
        if REQUIRE_POSTGRES:
            pytest.fail(
                f"PostgreSQL required (YIWANG_REQUIRE_POSTGRES=1) but unavailable: {_PG_PROBLEM}"
            )
        pytest.skip(f"PostgreSQL unavailable: {_PG_PROBLEM}")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands that read the settings (the CLI) use a database and data folder of the test's
    own, never a file in the working directory."""
    monkeypatch.setenv("YIWANG_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("YIWANG_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated-on-demand engine on a database of its own."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'yiwang.db'}")
        yield engine
        engine.dispose()
        return
    _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    # synchronous_commit=off: a test's commits need not wait for the WAL flush (durability
    # across a server crash, which no test causes on these schemas); visibility and locking
    # are unchanged. Each schema's migrations (monthly partitions since 0011) are DDL-heavy,
    # and the waits for the disk were a third of the PostgreSQL tests' wall time.
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema} -csynchronous_commit=off"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def clock() -> SimulatedClock:
    """Thursday 26 November 2026, 09:30 in Shanghai: a working day."""
    return SimulatedClock(datetime(2026, 11, 26, 9, 30, tzinfo=SHANGHAI))


@pytest.fixture
def platform(db_engine: Engine, clock: SimulatedClock, tmp_path: Path) -> Iterator[Platform]:
    settings = Settings(database_url=str(db_engine.url), data_dir=tmp_path / "var")
    wired = bootstrap(settings, clock=clock, engine=db_engine)
    ensure_signing_keys(wired)
    yield wired
