"""A small catalog (parsed once per session), a working calendar and the case services on
an in-memory unit of work: the engine's transitions without a database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from case_catalog import APPLICANT, BUNDLE, FILES
from case_fakes import FakeUnitOfWork, Stored

from yiwang.calendar import WorkingCalendar
from yiwang.calendar.official import package_official_years
from yiwang.cases.commands import SubmitApplication
from yiwang.cases.services import CaseServices
from yiwang.catalog.loader import parse_catalog
from yiwang.catalog.models import CatalogSpec
from yiwang.clock import SimulatedClock


@pytest.fixture(scope="session")
def test_catalog() -> CatalogSpec:
    return parse_catalog(FILES)


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    return WorkingCalendar(package_official_years())


class _Catalogs:
    def __init__(self, spec: CatalogSpec) -> None:
        self.spec = spec

    def current(self) -> CatalogSpec:
        return self.spec

    def version(self, version: str) -> CatalogSpec:
        assert version == self.spec.version
        return self.spec


class _Calendars:
    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar

    def current(self) -> WorkingCalendar:
        return self.calendar


@pytest.fixture
def clock() -> SimulatedClock:
    # Monday 2025-03-03 10:00 in Beijing: a plain working morning.
    return SimulatedClock(datetime(2025, 3, 3, 2, 0, tzinfo=UTC))


@pytest.fixture
def stored() -> Stored:
    return Stored()


@pytest.fixture
def services(
    test_catalog: CatalogSpec, calendar: WorkingCalendar, clock: SimulatedClock, stored: Stored
) -> CaseServices:
    def unit_of_work(*, read_only: bool = False) -> FakeUnitOfWork:
        return FakeUnitOfWork(stored)

    return CaseServices(
        uow_factory=unit_of_work,
        catalogs=_Catalogs(test_catalog),
        calendars=_Calendars(calendar),
        clock=clock,
    )


@pytest.fixture
def submit(services: CaseServices) -> Callable[..., str]:
    def submit(key: str | None = None, note: str = "请审批") -> str:
        return services.submit(
            SubmitApplication(
                subject_code=BUNDLE,
                applicant_id=APPLICANT,
                applicant_name="张三",
                region_code="370102",
                form={"note": note},
                idempotency_key=key,
            )
        ).case_id

    return submit
