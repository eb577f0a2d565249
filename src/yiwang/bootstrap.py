"""The one composition root: settings in, wired services out. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from yiwang.accounts.services import AccountServices
from yiwang.calendar import OfficeHours, WorkingCalendar
from yiwang.cases import checks as _checks  # noqa: F401  registers the named form checks
from yiwang.cases.postcheck import CreditSupervision
from yiwang.cases.services import CaseServices
from yiwang.catalog.search import SearchIndex
from yiwang.clock import utc_now
from yiwang.credit.rules import load_rules_text
from yiwang.db.accounts_repo import PeopleRegistryVerifier, SqlAccountStore
from yiwang.db.applicant_registry import SqlApplicantRegistry
from yiwang.db.engine import make_engine, read_connection
from yiwang.db.materials_repo import SqlMaterialRecords
from yiwang.db.migrate import upgrade
from yiwang.db.providers import DbCalendarProvider, DbCatalogProvider, stored_calendar
from yiwang.db.read_models import SqlReads
from yiwang.db.registries_repo import read_access_log
from yiwang.db.uow import SqlUnitOfWork
from yiwang.identity.population import RealNameVerifier
from yiwang.licences.services import CachedSigningKeys
from yiwang.licences.signing import DepartmentKeyStore
from yiwang.localtime import set_display_zone
from yiwang.materials.services import MaterialStore
from yiwang.metrics.projects import ProjectRow, project_row
from yiwang.registries.models import ChainedRecord
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

    @property
    def catalog_root(self) -> Path:
        """The configured catalog folder (the shipped one when none is set): inspection plans
        and credit rules are read from it."""
        return self.settings.catalog_dir or SHIPPED_CATALOG

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, read_only=read_only)

    def load_calendar_year(self, text: str, file_name: str) -> tuple[int, int]:
        """Store an official year and recompute the open deadlines it changes."""
        year, changed = self.calendars.load_year(
            text, file_name, self.clock(), after=self.cases.recompute_deadlines
        )
        return year.year, changed

    def construction_board(self, bundle: str) -> list[ProjectRow]:
        """Every project of a bundle with its stage, days used against its budget and light
        (`yiwang projects`), oldest first."""
        with self.unit_of_work(read_only=True) as uow:
            cases = [uow.cases.get(case_id, with_outputs=False) for case_id in uow.cases.ids_of_subject(bundle)]
        calendar = self.calendars.current()
        now = self.clock()
        return [
            project_row(case, self.catalogs.version(case.catalog_version), calendar, now, self.settings.yellow_share)
            for case in cases
        ]

    def dispose(self) -> None:
        self.engine.dispose()


# --- for the CLI: the settings it needs without reading them itself --------------------------


def settings_for_file(database: Path) -> Settings:
    """Settings for a fresh SQLite file, its data kept beside it (`yiwang demo`)."""
    return Settings(database_url=f"sqlite:///{database}", data_dir=database.parent)


def is_production() -> bool:
    return get_settings().environment == "production"


def default_key_dir() -> Path:
    """Where the departments' signing keys live: ``keys/`` under the data directory."""
    return get_settings().data_dir / "keys"


def credit_rules_path() -> Path:
    """The credit rules file of the configured catalog (the shipped one when none is set)."""
    catalog_dir = get_settings().catalog_dir
    return (catalog_dir or SHIPPED_CATALOG) / "credit" / "rules.yaml"


def upgrade_database() -> None:
    """Apply every pending migration to the configured database."""
    engine = make_engine(get_settings().database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def access_log(subject_id: str | None = None) -> list[ChainedRecord]:
    """The data-access log of the configured database, in order; only one subject's reads when
    given. Read without migrating or publishing anything."""
    engine = make_engine(get_settings().database_url)
    try:
        with read_connection(engine) as connection:
            return list(read_access_log(connection, subject_id))
    finally:
        engine.dispose()


def loaded_calendar() -> WorkingCalendar | None:
    """The calendar with the years loaded into the configured database, or None when there is
    no database yet (a calendar query must not create one)."""
    settings = get_settings()
    return stored_calendar(settings.database_url, OfficeHours.parse(settings.office_hours, settings.timezone))


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    engine: Engine | None = None,
    migrate: bool = True,
    catalog_dir: Path | None = None,
) -> Platform:
    settings = settings or get_settings()
    set_display_zone(settings.timezone)
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
    # What the use cases read: the read models, and the registries through the access log.
    reads: SqlReads
    registry: SqlApplicantRegistry


def build_services(platform: Platform, verifier: RealNameVerifier | None = None) -> Services:
    return Services(
        platform=platform,
        accounts=AccountServices(
            SqlAccountStore(platform.engine), platform.clock, verifier or PeopleRegistryVerifier(platform.engine)
        ),
        materials=MaterialStore(
            SqlMaterialRecords(platform.engine), Path(platform.settings.data_dir) / "uploads", platform.clock
        ),
        search=SearchIndex(),
        reads=SqlReads(platform.engine),
        registry=SqlApplicantRegistry(platform.engine, platform.clock),
    )
