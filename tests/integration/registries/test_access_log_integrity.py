"""The access log cannot be rewritten through the database, and `yiwang audit verify`
reports a truncated log (the last entry, the last 14, or every entry deleted)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from yiwang.bootstrap import Platform
from yiwang.db.engine import read_connection
from yiwang.db.registries_repo import AccessLog, read_access_log, read_access_log_head
from yiwang.db.uow import SqlUnitOfWork
from yiwang.registries.audit import ChainVerdict, verify_chain
from yiwang.registries.models import AccessRecord

pytestmark = pytest.mark.integration

ENTRIES = 20


def _append(platform: Platform, count: int = ENTRIES) -> None:
    start = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)
    with platform.engine.begin() as connection:
        log = AccessLog(connection)
        for index in range(count):
            log.append(
                AccessRecord(
                    at=start + timedelta(minutes=index), reader="reviewer:market@3701", subject_id="370102198805173214",
                    dataset="population", fields=("name",), purpose="法定代表人身份证明", case_id=f"YW{index:04d}",
                )
            )


def _verdict(engine: Engine) -> ChainVerdict:
    with read_connection(engine) as connection:
        head = read_access_log_head(connection)
        return verify_chain(read_access_log(connection), head)


def _drop_triggers(connection: Connection) -> None:
    """What an attacker owning the schema would do first."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP TRIGGER access_log_append_only ON access_log"))
    else:
        connection.execute(text("DROP TRIGGER access_log_no_update"))
        connection.execute(text("DROP TRIGGER access_log_no_delete"))


REWRITES = [
    "DELETE FROM access_log WHERE id = 20",
    "DELETE FROM access_log",
    "UPDATE access_log SET purpose = '无' WHERE id = 2",
    "DELETE FROM access_log_head",
    "UPDATE access_log_head SET last_id = last_id - 1, last_hash = 'x'",
]


def test_the_database_refuses_to_rewrite_the_log_or_move_its_head_back(platform: Platform) -> None:
    _append(platform)
    before = _verdict(platform.engine)
    for statement in REWRITES:
        with pytest.raises(DBAPIError, match=r"append-only|only moves forward"), platform.engine.begin() as connection:
            connection.execute(text(statement))
    assert _verdict(platform.engine) == before and before.ok and before.entries == ENTRIES


def _cli_verify(engine: Engine) -> subprocess.CompletedProcess[str]:
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            search_path = connection.execute(text("SHOW search_path")).scalar_one()
        url += f"?options=-csearch_path%3D{search_path}"
    env = {**os.environ, "YIWANG_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "yiwang.cli", "audit", "verify"], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("deleted", [1, 14, ENTRIES])
def test_truncation_is_reported_by_verify_and_the_cli(platform: Platform, deleted: int) -> None:
    _append(platform)
    with platform.engine.begin() as connection:
        _drop_triggers(connection)
        connection.execute(text("DELETE FROM access_log WHERE id > :keep"), {"keep": ENTRIES - deleted})
    verdict = _verdict(platform.engine)
    assert not verdict.ok
    assert verdict.entries == ENTRIES - deleted
    assert "truncated" in verdict.reason and f"{deleted} deleted" in verdict.reason
    assert ("every entry" in verdict.reason) is (deleted == ENTRIES)
    result = _cli_verify(platform.engine)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "truncated" in result.stderr and "Traceback" not in result.stderr


def test_an_intact_log_verifies_with_its_head(platform: Platform) -> None:
    _append(platform)
    verdict = _verdict(platform.engine)
    assert verdict.ok and verdict.entries == ENTRIES
    result = _cli_verify(platform.engine)
    assert result.returncode == 0, result.stderr
    assert f"{ENTRIES} entries" in result.stdout


def test_reads_logged_in_a_unit_of_work_join_the_chain_at_commit_in_order(platform: Platform) -> None:
    _append(platform, 3)
    at = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    with SqlUnitOfWork(platform.engine) as uow:
        for index in range(4):
            uow.registries.log_read(
                "population", ("name",), f"37010219880517321{index}", reader="reviewer:market@3701",
                purpose="法定代表人身份证明", case_id="YW-DEFERRED", at=at + timedelta(seconds=index),
            )
        uow.commit()
    with SqlUnitOfWork(platform.engine) as uow:  # rolled back: nothing of it in the log
        uow.registries.log_read(
            "population", ("name",), "370102198805173214", reader="reviewer:market@3701",
            purpose="法定代表人身份证明", case_id="YW-ROLLED-BACK", at=at,
        )
    verdict = _verdict(platform.engine)
    assert verdict.ok and verdict.entries == 7
    with read_connection(platform.engine) as connection:
        entries = list(read_access_log(connection))
    assert [e.record.subject_id[-1] for e in entries[3:]] == ["0", "1", "2", "3"]
    assert all(e.record.case_id != "YW-ROLLED-BACK" for e in entries)
