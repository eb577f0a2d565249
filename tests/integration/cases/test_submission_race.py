"""Thirty simultaneous start-ups with one Idempotency-Key: one case, thirty identical answers
(on PostgreSQL the enterprise-name unique index used to fail first, 14 × 500 UniqueViolation).
With different keys and one company name: one case, the others a 4xx, never a 500."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from support import BUNDLE, FOUNDER_ID, FOUNDER_NAME, register_founder, startup_form
from yiwang.bootstrap import Platform
from yiwang.cases.commands import SubmitApplication
from yiwang.db import tables as t
from yiwang.error_kinds import KNOWN_ERRORS, describe

pytestmark = pytest.mark.integration

THREADS = 30


def _race(platform: Platform, keys: list[str | None]) -> tuple[list[str], list[BaseException]]:
    # A warm platform, as a server is after its first request: the calendar is built lazily
    # with a connection of its own, which thirty threads holding the pool would starve.
    platform.calendars.current()
    platform.catalogs.current()
    # The founder is in the population registry: smart approval registers the enterprise.
    register_founder(platform)
    barrier = threading.Barrier(len(keys))
    answers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit(key: str | None) -> None:
        command = SubmitApplication(BUNDLE, FOUNDER_ID, FOUNDER_NAME, "370102", startup_form(), idempotency_key=key)
        barrier.wait()
        try:
            case_id = platform.cases.submit(command).case_id
        except BaseException as error:  # collected and asserted on below
            with lock:
                errors.append(error)
            return
        with lock:
            answers.append(case_id)

    threads = [threading.Thread(target=submit, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors


def test_one_key_thirty_concurrent_submissions_give_one_case(platform: Platform) -> None:
    answers, errors = _race(platform, ["7:same-key"] * THREADS)
    assert errors == []
    assert len(answers) == THREADS and len(set(answers)) == 1
    with platform.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.cases)).scalar_one() == 1
        assert connection.execute(select(func.count()).select_from(t.enterprises).where(t.enterprises.c.case_id == answers[0])).scalar_one() == 1


def test_one_name_under_different_keys_gives_one_case_and_4xx_for_the_rest(platform: Platform) -> None:
    answers, errors = _race(platform, [f"7:key-{index}" for index in range(8)])
    assert len(answers) == 1
    assert len(errors) == 7
    for error in errors:
        assert isinstance(error, KNOWN_ERRORS), repr(error)
        assert describe(error)[0] in (409, 422), repr(error)
