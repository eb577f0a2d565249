"""Catalog versions and calendar years, kept in the database so every process agrees."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, insert, select, update

from yiwang.calendar import (
    OfficeHours,
    OfficialYear,
    WorkingCalendar,
    load_default_calendar,
    parse_year_file,
)
from yiwang.catalog.loader import catalog_version, parse_catalog, read_catalog_files
from yiwang.catalog.models import CatalogSpec
from yiwang.db import tables as t
from yiwang.db.engine import read_connection


class DbCatalogProvider:
    """Each distinct set of catalog files is one version; cases are pinned to theirs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._specs: dict[str, CatalogSpec] = {}
        self._current: str | None = None
        self._lock = threading.Lock()

    def publish(self, root: Path, now: datetime) -> CatalogSpec:
        """Load the catalog under ``root``; a new version if the files changed."""
        files = read_catalog_files(root)
        spec = parse_catalog(files)  # refuses a broken catalog before anything is stored
        with self.engine.begin() as connection:
            known = connection.execute(
                select(t.catalog_versions.c.version).where(
                    t.catalog_versions.c.version == spec.version
                )
            ).first()
            if known is None:
                connection.execute(
                    insert(t.catalog_versions),
                    {
                        "version": spec.version,
                        "loaded_at": now,
                        "files": files,
                        "is_current": False,
                    },
                )
            connection.execute(update(t.catalog_versions).values(is_current=False))
            connection.execute(
                update(t.catalog_versions)
                .where(t.catalog_versions.c.version == spec.version)
                .values(is_current=True)
            )
        with self._lock:
            self._specs[spec.version] = spec
            self._current = spec.version
        return spec

    def current(self) -> CatalogSpec:
        if self._current is None:
            with read_connection(self.engine) as connection:
                version = connection.execute(
                    select(t.catalog_versions.c.version).where(
                        t.catalog_versions.c.is_current.is_(True)
                    )
                ).scalar()
            if version is None:
                raise LookupError("no catalog has been loaded; run `yiwang catalog load`")
            self._current = str(version)
        return self.version(self._current)

    def version(self, version: str) -> CatalogSpec:
        spec = self._specs.get(version)
        if spec is not None:
            return spec
        with read_connection(self.engine) as connection:
            files = connection.execute(
                select(t.catalog_versions.c.files).where(t.catalog_versions.c.version == version)
            ).scalar()
        if files is None:
            raise LookupError(f"unknown catalog version {version}")
        # A stored version loads as it was published, even if newer checks would refuse it.
        spec = parse_catalog(dict(files), stored=True)
        if spec.version != version or catalog_version(dict(files)) != version:
            raise LookupError(f"catalog version {version} does not match its stored files")
        with self._lock:
            self._specs[version] = spec
        return spec


class DbCalendarProvider:
    """The official calendar shipped with chinesecalendar plus the years an administrator
    loaded (stored with their source text, so every process builds the same calendar)."""

    def __init__(self, engine: Engine, office_hours: OfficeHours) -> None:
        self.engine = engine
        self.office_hours = office_hours
        self._calendar: WorkingCalendar | None = None
        self._lock = threading.Lock()

    def current(self) -> WorkingCalendar:
        calendar = self._calendar
        if calendar is None:
            with self._lock:
                # Another thread may have built it while this one waited for the lock.
                calendar = self._calendar
                if calendar is None:
                    calendar = self._build()
                    self._calendar = calendar
        return calendar

    def _build(self) -> WorkingCalendar:
        calendar = load_default_calendar(self.office_hours)
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(t.calendar_years).order_by(t.calendar_years.c.year)
            ).all()
        for row in rows:
            calendar = calendar.with_official_year(parse_year_file(row.source, row.file_name))
        return calendar

    def load_year(
        self, text: str, file_name: str, now: datetime, after: Callable[[], int] | None = None
    ) -> tuple[OfficialYear, int]:
        """Validate and store an official year; then recompute open deadlines via ``after``."""
        year = parse_year_file(text, file_name)
        current = self.current()
        current.with_official_year(year)  # refuses a year the calendar cannot take
        with self.engine.begin() as connection:
            connection.execute(
                t.calendar_years.delete().where(t.calendar_years.c.year == year.year)
            )
            connection.execute(
                insert(t.calendar_years),
                {"year": year.year, "loaded_at": now, "file_name": file_name, "source": text},
            )
        with self._lock:
            self._calendar = None
        changed = after() if after is not None else 0
        return year, changed

    def invalidate(self) -> None:
        with self._lock:
            self._calendar = None


def stored_calendar(database_url: str, office: OfficeHours) -> WorkingCalendar | None:
    """The calendar with the years stored in the configured database, or None when there is
    no database yet (a calendar query must not create one)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from yiwang.db.engine import make_engine, normalise_url

    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).exists()):
        return None
    engine = make_engine(database_url)
    try:
        if not inspect(engine).has_table("calendar_years"):
            return None
        return DbCalendarProvider(engine, office).current()
    except Exception as error:  # an unreachable database: answer from the shipped calendar
        logging.getLogger(__name__).warning(
            "cannot read loaded calendar years (%s); answering from the shipped calendar", error
        )
        return None
    finally:
        engine.dispose()
