"""The one composition root: settings in, wired services out. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from yiwang.accounts.services import AccountServices
from yiwang.calendar import OfficeHours
from yiwang.cases import checks as _checks  # noqa: F401  registers the named form checks
from yiwang.cases.postcheck import CreditSupervision
from yiwang.cases.services import CaseServices
from yiwang.catalog.search import SearchIndex
from yiwang.clock import utc_now
from yiwang.credit.rules import load_rules_text
from yiwang.db.engine import make_engine
from yiwang.db.migrate import upgrade
from yiwang.db.providers import DbCalendarProvider, DbCatalogProvider
from yiwang.db.uow import SqlUnitOfWork
from yiwang.identity.population import RealNameVerifier
from yiwang.licences.services import CachedSigningKeys
from yiwang.licences.signing import DepartmentKeyStore
from yiwang.materials.services import MaterialStore
from yiwang.settings import Settings, get_settings

# The shipped catalog: ``catalog/`` at the project root (src/yiwang/bootstrap.py -> ../../).
SHIPPED_CATALOG = Path(__file__).resolve().parents[2] / "catalog"


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    catalogs: DbCatalogProvider
    calendars: DbCalendarProvider
    cases: CaseServices
    clock: Callable[[], datetime]
    licence_keys: DepartmentKeyStore
    credit: CreditSupervision

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, read_only=read_only)

    def load_calendar_year(self, text: str, file_name: str) -> tuple[int, int]:
        """Store an official year and recompute the open deadlines it changes."""
        year, changed = self.calendars.load_year(
            text, file_name, self.clock(), after=self.cases.recompute_deadlines
        )
        return year.year, changed

    def dispose(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    engine: Engine | None = None,
    migrate: bool = True,
    catalog_dir: Path | None = None,
) -> Platform:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    catalogs = DbCatalogProvider(engine)
    catalogs.publish(catalog_dir or settings.catalog_dir or SHIPPED_CATALOG, clock())
    calendars = DbCalendarProvider(
        engine, OfficeHours.parse(settings.office_hours, settings.timezone)
    )
    keys = DepartmentKeyStore(settings.data_dir / "keys")
    root = catalog_dir or settings.catalog_dir or SHIPPED_CATALOG
    credit_rules = load_rules_text((root / "credit" / "rules.yaml").read_text(encoding="utf-8"))
    cases = CaseServices(
        uow_factory=partial(SqlUnitOfWork, engine),
        catalogs=catalogs,
        calendars=calendars,
        clock=clock,
        licence_keys=CachedSigningKeys(keys),
        credit_rules=credit_rules,
    )
    return Platform(
        settings=settings,
        engine=engine,
        catalogs=catalogs,
        calendars=calendars,
        cases=cases,
        clock=clock,
        licence_keys=keys,
        credit=CreditSupervision(partial(SqlUnitOfWork, engine), credit_rules, clock),
    )


@dataclass
class Services:
    """Everything a request handler needs: the platform and the account, upload and search
    services over it, built once per application."""

    platform: Platform
    accounts: AccountServices
    materials: MaterialStore
    search: SearchIndex


def build_services(platform: Platform, verifier: RealNameVerifier | None = None) -> Services:
    return Services(
        platform=platform,
        accounts=AccountServices(platform.engine, platform.clock, verifier),
        materials=MaterialStore(platform.engine, Path(platform.settings.data_dir) / "uploads", platform.clock),
        search=SearchIndex(),
    )
