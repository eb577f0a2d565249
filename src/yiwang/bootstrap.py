"""The one composition root: settings in, wired services out. Nothing runs at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from yiwang.accounts.policy import BANK_ITEMS
from yiwang.calendar import OfficeHours
from yiwang.cases import checks
from yiwang.cases.forms import register_check
from yiwang.cases.licensing import FIELD_BUILDERS
from yiwang.cases.services import CaseServices
from yiwang.catalog.errors import CatalogInvalid, CatalogProblem
from yiwang.catalog.extensions import ExtensionPoint, Extensions, check_extensions
from yiwang.catalog.loader import load_catalog_dir
from yiwang.catalog.models import CatalogSpec
from yiwang.clock import utc_now
from yiwang.credit.models import CreditClass
from yiwang.credit.supervision import CreditSupervision
from yiwang.db.engine import make_engine
from yiwang.db.migrate import upgrade
from yiwang.db.providers import DbCalendarProvider, DbCatalogProvider
from yiwang.db.registries_repo import LOCAL_DATASETS
from yiwang.db.uow import OUTPUT_PREFIXES, SqlUnitOfWork
from yiwang.licences.models import KNOWN_KINDS
from yiwang.licences.services import CachedSigningKeys
from yiwang.licences.signing import DepartmentKeyStore
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
    root = catalog_dir or settings.catalog_dir or SHIPPED_CATALOG
    # Refuse, before anything is stored, a catalog that names what no code provides.
    spec = checked_catalog(root, register_extensions())
    if spec.credit_rules is None:
        raise CatalogInvalid(
            [CatalogProblem("credit/rules.yaml", "", "", "缺少文件 / file missing")]
        )
    credit_rules = spec.credit_rules
    catalogs = DbCatalogProvider(engine)
    catalogs.publish(root, clock())
    calendars = DbCalendarProvider(
        engine, OfficeHours.parse(settings.office_hours, settings.timezone)
    )
    keys = DepartmentKeyStore(settings.data_dir / "keys")
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
# The bundle the supervisor's construction board follows.
CONSTRUCTION_BOARD = "bundle.construction_project"


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
    extensions.register(ExtensionPoint.BOARD, CONSTRUCTION_BOARD)
    for credit_class in CreditClass:
        extensions.register(ExtensionPoint.CREDIT_CLASS, credit_class.value, credit_class)
    return extensions


def checked_catalog(root: Path, extensions: Extensions) -> CatalogSpec:
    """The catalog under ``root``, parsed and checked against the registered extensions;
    `CatalogInvalid` lists every problem."""
    try:
        spec = load_catalog_dir(root)
    except CatalogInvalid as invalid:
        # Names are checked only on a catalog that parses; say the parse problems first.
        raise invalid from None
    problems = check_extensions(spec, extensions)
    if problems:
        raise CatalogInvalid(problems)
    return spec
