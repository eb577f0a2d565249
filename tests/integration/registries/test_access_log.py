"""The access log: every registry read is logged; the hash chain exposes edits and deletions."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import Connection, text

from support import FOUNDER_ID, submit_startup
from yiwang.bootstrap import Platform
from yiwang.db.engine import read_connection
from yiwang.db.registries_repo import read_access_log
from yiwang.demo.province import seed_demo_province
from yiwang.registries.audit import verify_chain

pytestmark = pytest.mark.integration


def _seed_founder(platform: Platform) -> None:
    seed_demo_province(platform, people=50, enterprises=10)
    with platform.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id_number, name, gender, birth_date, region_code, phone) "
                "VALUES (:id, '李明', 'male', '1988-05-17', '370102', '13905311234')"
            ),
            {"id": FOUNDER_ID},
        )


def drop_log_triggers(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP TRIGGER access_log_append_only ON access_log"))
    else:
        connection.execute(text("DROP TRIGGER access_log_no_update"))
        connection.execute(text("DROP TRIGGER access_log_no_delete"))


def _verdict(platform: Platform):  # type: ignore[no-untyped-def]
    with read_connection(platform.engine) as connection:
        return verify_chain(list(read_access_log(connection)))


def test_registry_reads_are_logged_and_the_chain_verifies(platform: Platform) -> None:
    _seed_founder(platform)
    case_id = submit_startup(platform)
    with read_connection(platform.engine) as connection:
        entries = list(read_access_log(connection, FOUNDER_ID))
        attachments = connection.execute(
            text("SELECT material_code, source, found, summary FROM case_attachments WHERE case_id = :id"),
            {"id": case_id},
        ).all()
    assert entries and all(e.record.case_id == case_id for e in entries)
    identity_reads = [e for e in entries if e.record.dataset == "population"]
    assert identity_reads and all("法定代表人身份证明" in e.record.purpose for e in identity_reads)
    # The green-channel check of the applicant's talent card is a read of their data too.
    assert [e.record.fields for e in entries if e.record.dataset == "licences"] == [("talent_card",)]
    identity = next(a for a in attachments if a.material_code == "legal_rep_identity")
    assert identity.found and identity.source == "registry"
    # Personal data is masked in what reviewers see.
    assert FOUNDER_ID not in identity.summary and FOUNDER_ID[:4] in identity.summary
    assert _verdict(platform).ok


@pytest.mark.parametrize("tamper", ["edit", "delete"])
def test_tampering_is_detected_and_named(platform: Platform, tamper: str) -> None:
    _seed_founder(platform)
    for index in range(3):
        submit_startup(platform, key=f"k{index}", company_name=f"济南市历下区明湖{'甲乙丙'[index]}数据科技有限公司")
    assert _verdict(platform).entries >= 3
    with platform.engine.begin() as connection:
        # The log is append-only by trigger; only a schema owner who drops the triggers first
        # can tamper with it, and the chain must still expose that.
        drop_log_triggers(connection)
        if tamper == "edit":
            connection.execute(text("UPDATE access_log SET purpose = '无' WHERE id = 2"))
        else:
            connection.execute(text("DELETE FROM access_log WHERE id = 2"))
    verdict = _verdict(platform)
    assert not verdict.ok
    assert verdict.first_broken_id == (2 if tamper == "edit" else 3)
    if platform.engine.dialect.name != "sqlite":
        return  # the PostgreSQL test schema lives in connection options, not in a URL
    # The command line says the same, with exit status 1.
    env = {**os.environ, "YIWANG_DATABASE_URL": str(platform.engine.url.render_as_string(hide_password=False))}
    result = subprocess.run(
        [sys.executable, "-m", "yiwang.cli", "audit", "verify"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    assert f"entry {verdict.first_broken_id}" in result.stderr
