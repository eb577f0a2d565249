"""The event and access logs partitioned by month on PostgreSQL (migration 0011): rows land in
their month, DEFAULT catches the rest, upkeep is idempotent and empties DEFAULT, every
partition refuses UPDATE and DELETE, and the audit walk, the timeline and "who read my data"
read across months. On SQLite all of it is a no-op."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.exc import DBAPIError

from support import FOUNDER_ID, complete_open_tasks, submit_startup
from yiwang.bootstrap import Platform
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t
from yiwang.db.engine import read_connection
from yiwang.db.migrate import alembic_config, upgrade
from yiwang.db.partitions import Partition, detach_event_months, ensure_partitions, list_partitions
from yiwang.db.read_models import data_reads
from yiwang.db.registries_repo import AccessLog, read_access_log, read_access_log_head
from yiwang.ops import worker
from yiwang.registries.audit import verify_chain
from yiwang.registries.models import AccessRecord

pytestmark = pytest.mark.integration
# Most tests need PostgreSQL's partitions: they take only its variant of the database.
postgres_only = pytest.mark.parametrize("db_engine", ["postgresql"], indirect=True)

NOV = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)
SUBJECT = "370102198805173214"


def _event(connection: Connection, at: datetime, case_id: str = "YW-P1") -> int:
    return int(
        connection.execute(
            insert(t.case_events).returning(t.case_events.c.id),
            {"case_id": case_id, "task_id": None, "kind": "Note", "at": at, "actor": "test", "reason": "", "data": {}},
        ).scalar_one()
    )


def _read(at: datetime, case_id: str = "YW-P1") -> AccessRecord:
    return AccessRecord(
        at=at, reader="reviewer:market@3701", subject_id=SUBJECT, dataset="population",
        fields=("name",), purpose="法定代表人身份证明", case_id=case_id,
    )


def _where(connection: Connection, table: str) -> dict[int, str]:
    rows = connection.execute(text(f"SELECT id, tableoid::regclass::text AS part FROM {table}"))
    return {int(row.id): str(row.part) for row in rows}


def _counts(engine: Engine) -> dict[str, int]:
    with engine.begin() as connection:
        return {p.name: p.rows for p in list_partitions(connection)}


@postgres_only
def test_rows_land_in_their_month_and_default_catches_the_rest(platform: Platform) -> None:
    platform.keep_partitions()
    with platform.engine.begin() as connection:
        november = _event(connection, NOV)
        december = _event(connection, datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC))
        far = _event(connection, datetime(2040, 1, 1, tzinfo=UTC))
        log = AccessLog(connection)
        log.append(_read(NOV))
        log.append(_read(datetime(2027, 1, 1, tzinfo=UTC)))  # the first instant of January
        log.append(_read(datetime(2040, 1, 1, tzinfo=UTC)))
        events, reads = _where(connection, "case_events"), _where(connection, "access_log")
    assert events == {
        november: "case_events_2026_11",
        december: "case_events_2026_12",
        far: "case_events_default",
    }
    assert reads == {1: "access_log_2026_11", 2: "access_log_2027_01", 3: "access_log_default"}


@postgres_only
def test_upkeep_is_idempotent_and_prepares_the_months_ahead(platform: Platform) -> None:
    platform.keep_partitions()
    assert platform.keep_partitions() == []
    names = set(_counts(platform.engine))
    for table in ("case_events", "access_log"):
        assert {f"{table}_{m}" for m in ("2026_11", "2026_12", "2027_01", "2027_02", "default")} <= names


@postgres_only
def test_upkeep_moves_rows_out_of_default_keeping_every_row(platform: Platform) -> None:
    platform.keep_partitions()
    june, far = datetime(2027, 6, 15, tzinfo=UTC), datetime(2031, 3, 2, tzinfo=UTC)
    with platform.engine.begin() as connection:
        ids = [_event(connection, june), _event(connection, june + timedelta(days=1)), _event(connection, far)]
        log = AccessLog(connection)
        log.append(_read(NOV))
        log.append(_read(june))
        before = _where(connection, "case_events")
    assert {before[i] for i in ids} == {"case_events_default"}

    with platform.engine.begin() as connection:
        created = ensure_partitions(connection, datetime(2027, 5, 3, tzinfo=UTC), ahead=1)
    assert set(created) == {
        "case_events_2027_05", "case_events_2027_06", "case_events_2031_03",
        "access_log_2027_05", "access_log_2027_06",
    }
    with platform.engine.begin() as connection:
        after = _where(connection, "case_events")
        assert ensure_partitions(connection, datetime(2027, 5, 3, tzinfo=UTC), ahead=1) == []
    assert [after[i] for i in ids] == ["case_events_2027_06", "case_events_2027_06", "case_events_2031_03"]
    assert set(after) == set(before)  # no row lost or duplicated, ids kept
    counts = _counts(platform.engine)
    assert counts["case_events_default"] == 0 and counts["access_log_default"] == 0
    assert counts["access_log_2027_06"] == 1
    with read_connection(platform.engine) as connection:
        assert verify_chain(read_access_log(connection), read_access_log_head(connection)).ok
    # The moved rows' new partitions are append-only too.
    with pytest.raises(DBAPIError, match="append-only"), platform.engine.begin() as connection:
        connection.execute(text("DELETE FROM case_events_2027_06"))


@postgres_only
def test_every_partition_refuses_update_and_delete_directly(platform: Platform) -> None:
    platform.keep_partitions()
    partitions = _partitions(platform.engine)
    assert len(partitions) >= 10
    with platform.engine.begin() as connection:  # a row in each (a trigger fires per row)
        log = AccessLog(connection)
        for part in partitions:
            at = part.lower or datetime(2040, 1, 1, tzinfo=UTC)
            if part.table == "case_events":
                _event(connection, at)
            else:
                log.append(_read(at))
    for part in partitions:
        column = "reason" if part.table == "case_events" else "purpose"
        for statement in (f"UPDATE {part.name} SET {column} = 'edited'", f"DELETE FROM {part.name}"):
            with pytest.raises(DBAPIError, match="append-only"), platform.engine.begin() as connection:
                connection.execute(text(statement))
    assert all(part.rows == 1 for part in _partitions(platform.engine))


def _partitions(engine: Engine) -> list[Partition]:
    with engine.begin() as connection:
        return list(list_partitions(connection))


def _drop_triggers(connection: Connection) -> None:
    """What an attacker owning the schema does first (dropping the parent's trigger drops
    its clones on every partition)."""
    connection.execute(text("DROP TRIGGER access_log_append_only ON access_log"))


@postgres_only
def test_verify_finds_an_entry_deleted_from_one_month(platform: Platform) -> None:
    platform.keep_partitions()
    with platform.engine.begin() as connection:
        log = AccessLog(connection)
        for day in range(6):  # three in November, three in December
            log.append(_read(datetime(2026, 11, 28, tzinfo=UTC) + timedelta(days=day)))
    with read_connection(platform.engine) as connection:
        assert verify_chain(read_access_log(connection), read_access_log_head(connection)).ok
    with platform.engine.begin() as connection:
        _drop_triggers(connection)
        connection.execute(text("DELETE FROM access_log_2026_12 WHERE id = 5"))
    with read_connection(platform.engine) as connection:
        verdict = verify_chain(read_access_log(connection), read_access_log_head(connection))
    assert not verdict.ok and verdict.first_broken_id == 6 and "entry 5 is missing" in verdict.reason


@postgres_only
def test_verify_finds_a_truncated_month(platform: Platform) -> None:
    """TRUNCATE of one partition is not a row DELETE, so no row trigger stops it (as TRUNCATE
    of the whole table was not before): the head, which still counts the entries, shows it."""
    platform.keep_partitions()
    with platform.engine.begin() as connection:
        log = AccessLog(connection)
        for day in range(4):  # two in November, two in December
            log.append(_read(datetime(2026, 11, 29, tzinfo=UTC) + timedelta(days=day)))
    with platform.engine.begin() as connection:
        connection.execute(text("TRUNCATE access_log_2026_12"))
    with read_connection(platform.engine) as connection:
        verdict = verify_chain(read_access_log(connection), read_access_log_head(connection))
    assert not verdict.ok and verdict.first_broken_id == 3
    assert "truncated: entries 3–4 missing" in verdict.reason


@postgres_only
def test_timeline_and_who_read_my_data_read_across_months(platform: Platform, clock: SimulatedClock) -> None:
    # Submitted on the evening of 30 November (UTC), decided in December.
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    platform.keep_partitions()
    case_id = submit_startup(platform)
    complete_open_tasks(platform, clock, case_id, minutes=300)
    with platform.engine.begin() as connection:
        months = {
            str(part)
            for part in connection.execute(
                text("SELECT DISTINCT tableoid::regclass::text FROM case_events WHERE case_id = :id"),
                {"id": case_id},
            ).scalars()
        }
        assert connection.execute(text("SELECT count(*) FROM case_events_default")).scalar_one() == 0
    assert months == {"case_events_2026_11", "case_events_2026_12"}
    events = platform.cases.events(case_id)
    assert len(events) >= 6 and [e.at for e in events] == sorted(e.at for e in events)
    assert events[0].at.month == 11 and events[-1].at.month == 12
    reads = data_reads(platform.engine, FOUNDER_ID)
    assert reads and [r.entry_id for r in reads] == sorted((r.entry_id for r in reads), reverse=True)


@postgres_only
def test_migration_moves_existing_rows_into_months_and_keeps_the_sequence(db_engine: Engine) -> None:
    upgrade(db_engine, "0010")
    with db_engine.begin() as connection:
        old = [_event(connection, datetime(2025, 3, 4, tzinfo=UTC)), _event(connection, NOV)]
        log = AccessLog(connection)
        log.append(_read(datetime(2025, 3, 4, tzinfo=UTC)))
        log.append(_read(NOV))
    upgrade(db_engine)
    with db_engine.begin() as connection:
        assert connection.execute(
            text("SELECT relkind FROM pg_class WHERE oid = 'case_events'::regclass")
        ).scalar_one() == "p"
        assert _where(connection, "case_events") == {old[0]: "case_events_2025_03", old[1]: "case_events_2026_11"}
        assert _where(connection, "access_log") == {1: "access_log_2025_03", 2: "access_log_2026_11"}
        assert _event(connection, NOV) == old[1] + 1  # the id sequence continues
    with read_connection(db_engine) as connection:
        assert verify_chain(read_access_log(connection), read_access_log_head(connection)).ok
    # And back: one plain table each, every row kept.
    config = alembic_config(db_engine)
    with db_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    with db_engine.begin() as connection:
        assert connection.execute(
            text("SELECT relkind FROM pg_class WHERE oid = 'case_events'::regclass")
        ).scalar_one() == "r"
        assert connection.execute(text("SELECT count(*) FROM case_events")).scalar_one() == 3
        with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
            connection.execute(text("DELETE FROM case_events"))


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_sqlite_keeps_one_table_each_and_upkeep_is_a_no_op(db_engine: Engine) -> None:
    upgrade(db_engine)
    with db_engine.begin() as connection:
        assert ensure_partitions(connection, NOV) == []
        assert list_partitions(connection) == []
        _event(connection, NOV)
        tables = set(
            connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
        )
    assert {"case_events", "access_log"} <= tables
    assert not {name for name in tables if name.startswith("case_events_")}


def _cli(platform: Platform, *args: str) -> subprocess.CompletedProcess[str]:
    url = platform.engine.url.render_as_string(hide_password=False)
    if platform.engine.dialect.name == "postgresql":
        with platform.engine.connect() as connection:
            search_path = connection.execute(text("SHOW search_path")).scalar_one()
        url += f"?options=-csearch_path%3D{search_path}"
    env = {**os.environ, "YIWANG_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "yiwang.cli", "db", *args],
        env=env, capture_output=True, text=True, check=False, timeout=60,
    )


def test_cli_lists_the_partitions_with_their_rows(platform: Platform) -> None:
    postgres = platform.engine.dialect.name == "postgresql"
    if postgres:
        platform.keep_partitions()
        with platform.engine.begin() as connection:
            _event(connection, NOV)
    result = _cli(platform, "partitions")
    assert result.returncode == 0, result.stderr
    if postgres:
        assert "case_events_2026_11" in result.stdout and "access_log_default" in result.stdout
    else:
        assert "no partitions" in result.stdout
    nothing = _cli(platform, "detach-events", "--before", "2020-01")
    assert nothing.returncode == 0 and "nothing to detach" in nothing.stdout
    assert _cli(platform, "detach-events", "--before", "2020-13").returncode == 2


@postgres_only
def test_the_worker_keeps_the_partitions(platform: Platform, clock: SimulatedClock) -> None:
    clock.set(datetime(2027, 4, 10, tzinfo=UTC))
    stop = threading.Event()
    stop.set()  # one round
    worker.run(platform, 0.1, stop)
    names = {p.name for p in _partitions(platform.engine)}
    assert {"case_events_2027_04", "case_events_2027_07", "access_log_2027_07"} <= names


@postgres_only
def test_detaching_old_event_months_is_refused_while_a_case_spans_them(
    platform: Platform, clock: SimulatedClock
) -> None:
    clock.set(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))
    platform.keep_partitions()
    old = submit_startup(platform, key="old")
    complete_open_tasks(platform, clock, old)  # closed in March 2025
    clock.set(datetime(2025, 3, 31, 15, 0, tzinfo=UTC))
    spanning = submit_startup(platform, key="spanning", company_name="济南市历下区泉城数据科技有限公司")
    clock.set(datetime(2025, 4, 1, 2, 0, tzinfo=UTC))
    platform.keep_partitions()
    with platform.engine.begin() as connection:
        refused = detach_event_months(connection, datetime(2025, 4, 1, tzinfo=UTC))
    assert refused.partitions == [] and refused.open_cases == [spanning]
    assert "case_events_2025_03" in {p.name for p in _partitions(platform.engine)}

    complete_open_tasks(platform, clock, spanning)  # closed in April: still spans
    with platform.engine.begin() as connection:
        assert detach_event_months(connection, datetime(2025, 4, 1, tzinfo=UTC)).open_cases == [spanning]
        done = detach_event_months(connection, datetime(2025, 3, 1, tzinfo=UTC))
    assert done.partitions == []  # nothing before March: nothing to detach

    with platform.engine.begin() as connection:
        connection.execute(text("UPDATE cases SET closed_at = :at WHERE id = :id"),
                           {"at": datetime(2025, 3, 31, 16, 0, tzinfo=UTC), "id": spanning})
        done = detach_event_months(connection, datetime(2025, 4, 1, tzinfo=UTC))
        archived = connection.execute(text("SELECT count(*) FROM archived_case_events_2025_03")).scalar_one()
    assert done.partitions == ["archived_case_events_2025_03"] and archived > 0
    assert platform.cases.events(old) == []  # its history is in the archive now
    assert "case_events_2025_03" not in {p.name for p in _partitions(platform.engine)}
    assert platform.keep_partitions() == []  # upkeep does not bring the month back


@postgres_only
def test_upkeep_gives_up_behind_a_long_reader_instead_of_queueing_appends(platform: Platform) -> None:
    reader = platform.engine.connect()
    try:
        reader.execute(text("SELECT count(*) FROM case_events"))  # holds its lock until rollback
        with pytest.raises(DBAPIError, match="lock timeout"), platform.engine.begin() as connection:
            ensure_partitions(connection, datetime(2031, 1, 1, tzinfo=UTC), lock_timeout_ms=200)
    finally:
        reader.rollback()
        reader.close()
    with platform.engine.begin() as connection:
        assert "case_events_2031_01" in ensure_partitions(connection, datetime(2031, 1, 1, tzinfo=UTC))
