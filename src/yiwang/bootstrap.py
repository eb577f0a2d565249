"""The one composition root: settings in, wired services out. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from yiwang.accounts.authority import EnterpriseAuthority
from yiwang.accounts.consents import ConsentServices
from yiwang.accounts.policy import BANK_ITEMS
from yiwang.accounts.services import AccountServices
from yiwang.accounts.signup import SignupServices
from yiwang.calendar import OfficeHours, WorkingCalendar
from yiwang.cases import checks
from yiwang.cases.events import OutputIssued, TaskCompleted, TaskOpened
from yiwang.cases.forms import register_check
from yiwang.cases.licensing import FIELD_BUILDERS
from yiwang.cases.postcheck import CreditSupervision
from yiwang.cases.reactions import (
    Reactions,
    SignLicence,
    fetch_shared_materials,
    record_commitment_decision,
    register_entity,
)
from yiwang.cases.services import CaseServices
from yiwang.catalog.errors import CatalogInvalid, CatalogProblem
from yiwang.catalog.extensions import ExtensionPoint, Extensions, check_extensions
from yiwang.catalog.loader import load_catalog_dir
from yiwang.catalog.models import CatalogSpec
from yiwang.catalog.search import SearchIndex
from yiwang.clock import utc_now
from yiwang.credit.models import CreditClass
from yiwang.db.accounts_repo import PeopleRegistryVerifier, SqlAccountStore
from yiwang.db.applicant_registry import SqlApplicantRegistry
from yiwang.db.engine import make_engine, read_connection
from yiwang.db.identity_repo import SqlIdentityStore
from yiwang.db.materials_repo import SqlMaterialRecords
from yiwang.db.migrate import upgrade
from yiwang.db.partitions import (
    Detached,
    Partition,
    detach_event_months,
    ensure_partitions,
    list_partitions,
)
from yiwang.db.providers import DbCalendarProvider, DbCatalogProvider, stored_calendar
from yiwang.db.read_models import SqlReads
from yiwang.db.registries_repo import LOCAL_DATASETS, read_access_log, read_access_log_head
from yiwang.db.uow import OUTPUT_PREFIXES, SqlUnitOfWork
from yiwang.identity.population import RealNameVerifier
from yiwang.identity.sms import LoggingSmsGateway, SmsGateway, UnconfiguredSmsGateway
from yiwang.licences.models import KNOWN_KINDS
from yiwang.licences.services import CachedSigningKeys, SigningKeys
from yiwang.licences.signing import DepartmentKeyStore
from yiwang.localtime import set_display_zone
from yiwang.materials.services import MaterialStore
from yiwang.metrics.board import CONSTRUCTION_BUNDLE
from yiwang.metrics.projects import ProjectRow, project_row
from yiwang.registries.audit import Head
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

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, read_only=read_only, calendars=self.calendars)

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

    def keep_partitions(self) -> list[str]:
        """Partition upkeep (PostgreSQL): this month's and the next months' partitions of the
        logs, and rows that fell into DEFAULT moved to their months. The partitions created."""
        with self.engine.begin() as connection:
            return ensure_partitions(connection, self.clock(), lock_timeout_ms=5000)

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


def log_partitions() -> list[Partition]:
    """The monthly partitions of the event and access logs with their row counts (empty on
    SQLite, which does not partition). Read without migrating."""
    engine = make_engine(get_settings().database_url)
    try:
        with engine.begin() as connection:
            return list_partitions(connection)
    finally:
        engine.dispose()


def detach_events_before(before: datetime) -> Detached:
    """Detach the event partitions of the months before ``before`` for archiving (PostgreSQL;
    refused while a case with events there is open or closed later)."""
    engine = make_engine(get_settings().database_url)
    try:
        with engine.begin() as connection:
            return detach_event_months(connection, before)
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


def access_log_with_head() -> tuple[list[ChainedRecord], Head | None]:
    """The whole data-access log and its head row, read in one snapshot (so an append
    running meanwhile is not mistaken for an entry the head does not count)."""
    engine = make_engine(get_settings().database_url)
    try:
        with read_connection(engine) as connection:
            if engine.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                head = read_access_log_head(connection)
                return list(read_access_log(connection)), head
    finally:
        engine.dispose()


def loaded_calendar() -> WorkingCalendar | None:
    """The calendar with the years loaded into the configured database, or None when there is
    no database yet (a calendar query must not create one)."""
    settings = get_settings()
    return stored_calendar(settings.database_url, OfficeHours.parse(settings.office_hours, settings.timezone))


def case_reactions(licence_keys: SigningKeys | None) -> Reactions:
    """What other contexts do when a case changes, in this order, in the case's transaction
    (`yiwang.cases.reactions`)."""
    reactions = Reactions()
    # 法人库: a business licence enters the new enterprise in the legal-entity registry.
    reactions.on(OutputIssued, register_entity)
    # 电子证照库: a licence output is signed with the issuing department's key.
    reactions.on(OutputIssued, SignLicence(licence_keys))
    # 数据共享: a task that opens fetches the materials registries prove.
    reactions.on(TaskOpened, fetch_shared_materials)
    # 信用: a decision resting on a signed commitment is kept for the post-check draw.
    reactions.on(TaskCompleted, record_commitment_decision)
    return reactions


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
    root = catalog_dir or settings.catalog_dir or SHIPPED_CATALOG
    # Refuse, before anything is stored, a catalog that names what no code provides.
    spec = checked_catalog(root, register_extensions())
    if spec.credit_rules is None:
        raise CatalogInvalid(
            [CatalogProblem("credit/rules.yaml", "", "", "缺少文件 / file missing")]
        )
    # The rules of the version published now, which new cases are pinned to.
    credit_rules = spec.credit_rules
    catalogs = DbCatalogProvider(engine)
    catalogs.publish(root, clock())
    calendars = DbCalendarProvider(
        engine, OfficeHours.parse(settings.office_hours, settings.timezone)
    )
    keys = DepartmentKeyStore(settings.data_dir / "keys")
    cases = CaseServices(
        uow_factory=partial(SqlUnitOfWork, engine, calendars=calendars),
        catalogs=catalogs,
        calendars=calendars,
        clock=clock,
        credit_rules=credit_rules,
        reactions=case_reactions(CachedSigningKeys(keys)),
    )
    return Platform(
        settings=settings,
        engine=engine,
        catalogs=catalogs,
        calendars=calendars,
        cases=cases,
        clock=clock,
        licence_keys=keys,
        credit=CreditSupervision(
            partial(SqlUnitOfWork, engine, calendars=calendars), credit_rules, clock
        ),
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
    # Proven identity: sign-up by one-time code over the SMS port, who may act for an
    # enterprise, and consent of the people an application names.
    signup: SignupServices
    authority: EnterpriseAuthority
    consents: ConsentServices


def default_sms_gateway(platform: Platform) -> SmsGateway:
    """The demo and development log the codes; production sends nothing until an operator's
    gateway is plugged in."""
    return UnconfiguredSmsGateway() if platform.settings.environment == "production" else LoggingSmsGateway()


def build_services(
    platform: Platform, verifier: RealNameVerifier | None = None, nudge: Callable[[], None] | None = None
) -> Services:
    """``nudge`` wakes the outbox's deliverer after a sign-up has written a message (the
    worker thread of `yiwang serve`); without it the worker's next round sends it."""
    accounts = AccountServices(
        SqlAccountStore(platform.engine), platform.clock, verifier or PeopleRegistryVerifier(platform.engine)
    )
    identity = SqlIdentityStore(platform.engine)
    return Services(
        platform=platform,
        accounts=accounts,
        signup=SignupServices(identity, platform.clock, accounts, nudge or (lambda: None)),
        authority=EnterpriseAuthority(identity, platform.clock),
        consents=ConsentServices(identity, platform.clock),
        materials=MaterialStore(
            SqlMaterialRecords(platform.engine), Path(platform.settings.data_dir) / "uploads", platform.clock
        ),
        search=SearchIndex(),
        reads=SqlReads(platform.engine),
        registry=SqlApplicantRegistry(platform.engine, platform.clock),
    )


# --- extension points: every name the catalog may use that code provides ------------------


# What the platform knows about an applicant at submission (`CaseServices._facts`), which
# declared conditions may test.
FACTS = ("applicant.kind", "applicant.talent_card", "applicant.credit_class")
# The fact that puts a case in the green channel (`engine`: priority handling).
GREEN_CHANNEL_FACT = "applicant.talent_card"
# Where a form field's pre-fill may come from (`prefill_with_sources`).
PREFILL_SOURCES = (
    "applicant.name",
    "applicant.id_number",
    "applicant.phone",
    "applicant.region_code",
    "enterprise.legal_rep_id",
    "enterprise.name",
    "enterprise.address",
    "enterprise.region_code",
)
# Registry datasets held by other systems: in a real deployment they answer through their
# owner's interface; here they answer "not connected". Registered so that a misspelt dataset
# still fails `catalog check`.
REMOTE_DATASETS = ("credit", "marriage", "death", "court", "tax_payment")


def register_extensions() -> Extensions:
    """Every extension point, registered explicitly (nothing registers itself on import).
    `catalog check` refuses a catalog naming anything not registered here."""
    extensions = Extensions()
    for name, check in checks.NAMED.items():
        register_check(name, check)
    extensions.register_all(ExtensionPoint.CHECK, dict(checks.NAMED))
    extensions.register_all(ExtensionPoint.LICENCE_KIND, dict(KNOWN_KINDS))
    extensions.register_all(ExtensionPoint.LICENCE_FIELDS, dict(FIELD_BUILDERS))
    extensions.register_all(ExtensionPoint.OUTPUT_NUMBERING, dict(OUTPUT_PREFIXES))
    extensions.register_all(ExtensionPoint.DATASET, dict(LOCAL_DATASETS))
    for dataset in REMOTE_DATASETS:
        extensions.register(ExtensionPoint.DATASET, dataset)
    for fact in FACTS:
        extensions.register(ExtensionPoint.FACT, fact)
    extensions.register(ExtensionPoint.GREEN_CHANNEL, GREEN_CHANNEL_FACT)
    for source in PREFILL_SOURCES:
        extensions.register(ExtensionPoint.PREFILL, source)
    for item in BANK_ITEMS:
        extensions.register(ExtensionPoint.BANK_ITEM, item)
    extensions.register(ExtensionPoint.BOARD, CONSTRUCTION_BUNDLE)
    for credit_class in CreditClass:
        extensions.register(ExtensionPoint.CREDIT_CLASS, credit_class.value, credit_class)
    return extensions


def checked_catalog(root: Path, extensions: Extensions) -> CatalogSpec:
    """The catalog under ``root``, parsed and checked against the registered extensions;
    `CatalogInvalid` lists every problem."""
    # Names are checked only on a catalog that parses: its parse problems come first.
    spec = load_catalog_dir(root)
    problems = check_extensions(spec, extensions)
    if problems:
        raise CatalogInvalid(problems)
    return spec
