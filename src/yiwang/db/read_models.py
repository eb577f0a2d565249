"""Read models for the pages and the API: inboxes, applicants' cases, supervision figures.

Plain SQL over the ``cases``, ``tasks`` and ``case_events`` tables, so the domain stays free
of queries and each page is one or two round trips. Traffic lights are computed from the
stored clocks with the engine's own `light` function, so pages and engine agree.
"""

from __future__ import annotations

import base64
import json
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
)

from yiwang.accounts.models import CaseScope
from yiwang.calendar import WorkingCalendar
from yiwang.cases.engine import light
from yiwang.cases.models import OPEN_TASK_STATUSES, Deadline, Light, TaskKind
from yiwang.db import tables as t
from yiwang.db import tables_web as w
from yiwang.db.clock_codec import clock_from_json
from yiwang.db.clock_codec import parse_limit as _parse_limit
from yiwang.db.engine import read_connection
from yiwang.db.types import UTCDateTime
from yiwang.errors import Refused
from yiwang.paging import Page, page_size

_Row = TypeVar("_Row")

# The one SQL spelling of the engine's open statuses: inboxes, the overdue list, the figures
# and the escalation sweep all read it, so a task red on a page is a task the sweep escalates.
OPEN_TASK: tuple[str, ...] = tuple(sorted(status.value for status in OPEN_TASK_STATUSES))

# Rows per page of the long lists (inbox, overdue list, construction board): at a province's
# volume a city holds thousands of open tasks, and building and rendering them all cost
# 250 ms to 1.4 s a page; the lists show the most urgent first, so page one is the work.
class InvalidCursor(Refused):
    def __init__(self) -> None:
        super().__init__(422, "invalid_cursor", "翻页位置无效，请从第一页重新打开", "the page position is not valid; open the first page again")


def encode_cursor(*values: object) -> str:
    """The sort key of a page's last row, as an opaque URL-safe token."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(token: str, shape: str) -> list[Any]:
    """Values of a cursor whose shape is one letter per value: b(ool), t(ime or null),
    s(tring). Anything else a client sends is refused with a 422, never a 500."""
    try:
        if len(token) > 400:
            raise ValueError("too long")
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(values, list) or len(values) != len(shape):
            raise ValueError("shape")
        result: list[Any] = []
        for kind, value in zip(shape, values, strict=True):
            if kind == "b" and isinstance(value, bool):
                result.append(value)
            elif kind == "t" and value is None:
                result.append(None)
            elif kind == "t" and isinstance(value, str):
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is None:
                    raise ValueError("naive time")
                result.append(moment)
            elif kind == "s" and isinstance(value, str) and 0 < len(value) <= 80:
                result.append(value)
            else:
                raise ValueError(kind)
        return result
    except (ValueError, UnicodeError, TypeError) as error:
        raise InvalidCursor() from error


def _paged(rows: Iterable[_Row], limit: int, key: Any) -> Page[_Row]:
    """Rows fetched with limit + 1: the extra one only says that a next page exists."""
    page: Page[_Row] = Page(rows)
    if len(page) > limit:
        del page[limit:]
        page.after = encode_cursor(*key(page[-1]))
    return page


def _after_due(due: Any, ident: Any, due_at: datetime | None, last_id: str) -> ColumnElement[bool]:
    """Rows after (due_at, id) in the order "due time, no due time last, then id"."""
    if due_at is None:
        return and_(due.is_(None), ident > last_id)
    return or_(due.is_(None), due > due_at, and_(due == due_at, ident > last_id))


@dataclass(frozen=True, slots=True)
class CaseSummary:
    id: str
    subject_code: str
    applicant_id: str
    applicant_name: str
    filed_by: str
    region_code: str
    channel: str
    status: str
    submitted_at: datetime
    closed_at: datetime | None
    due_at: datetime | None
    light: Light
    # Green channel (绿色通道, e.g. talent-card holders).
    priority: bool = False


@dataclass(frozen=True, slots=True)
class TaskRow:
    id: str
    case_id: str
    item_code: str
    department_code: str
    status: str
    assignee: str | None
    opened_at: datetime | None
    due_at: datetime | None
    applicant_name: str
    subject_code: str
    region_code: str
    light: Light
    # Green channel: the case's tasks come first in every inbox.
    priority: bool = False
    kind: str = "review"


def _light(
    clock_json: dict[str, object],
    due_at: datetime | None,
    now: datetime,
    calendar: WorkingCalendar,
    share: float,
) -> Light:
    deadline = Deadline(clock=clock_from_json(dict(clock_json)), due_at=due_at)
    return light(deadline, now, calendar, share)


def case_scope(engine: Engine, case_id: str) -> CaseScope | None:
    # One statement (a row per task) instead of three: every case and task request asks it.
    c = t.cases.c
    filed_at = (
        select(w.accounts.c.department_code)
        .where(w.accounts.c.username == c.filed_by)
        .scalar_subquery()
        .label("filed_at")
    )
    with read_connection(engine) as connection:
        rows = connection.execute(
            select(
                c.id,
                c.applicant_id,
                c.filed_by,
                c.region_code,
                t.tasks.c.department_code,
                filed_at,
                c.subject_code,
                c.catalog_version,
                c.status,
            )
            .select_from(t.cases.outerjoin(t.tasks, t.tasks.c.case_id == c.id))
            .where(c.id == case_id)
        ).all()
    if not rows:
        return None
    row = rows[0]
    return CaseScope(
        row.id,
        row.applicant_id,
        row.filed_by,
        row.region_code,
        frozenset(r.department_code for r in rows if r.department_code is not None),
        (row.filed_at if row.filed_by else None) or "",
        row.subject_code,
        row.catalog_version,
        row.status,
    )


def _filed_at_branch(branch: str) -> Any:
    """Cases filed by any account of a bank branch (the branch is their department)."""
    return t.cases.c.filed_by.in_(
        select(w.accounts.c.username).where(w.accounts.c.department_code == branch)
    )


def case_summaries(
    engine: Engine,
    now: datetime,
    calendar: WorkingCalendar,
    yellow_share: float,
    *,
    applicant_id: str | None = None,
    filed_by: str | None = None,
    region_prefix: str | None = None,
    branch: str | None = None,
    subject_code: str | None = None,
    limit: int = 200,
    after: str | None = None,
) -> Page[CaseSummary]:
    """Cases newest first (one page of `limit`, after the position `after`)."""
    c = t.cases.c
    # Only what a list shows: the form, stages and supplements (large JSON) stay unread.
    query = (
        select(
            c.id, c.subject_code, c.applicant_id, c.applicant_name, c.filed_by, c.region_code,
            c.channel, c.status, c.submitted_at, c.closed_at, c.due_at, c.clock, c.priority,
        )
        .order_by(c.submitted_at.desc(), c.id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        submitted, last_id = decode_cursor(after, "ts")
        if submitted is None:
            raise InvalidCursor()
        query = query.where(
            or_(c.submitted_at < submitted, and_(c.submitted_at == submitted, c.id < last_id))
        )
    if branch is not None:
        query = query.where(_filed_at_branch(branch), t.cases.c.channel == "bank")
    if subject_code is not None:
        query = query.where(t.cases.c.subject_code == subject_code)
    if applicant_id is not None:
        query = query.where(t.cases.c.applicant_id == applicant_id)
    if filed_by is not None:
        query = query.where(t.cases.c.filed_by == filed_by)
    if region_prefix is not None:
        query = query.where(t.cases.c.region_code.startswith(region_prefix, autoescape=True))
    with read_connection(engine) as connection:
        rows = connection.execute(query).all()
    page = _paged(rows, limit, lambda r: (r.submitted_at, r.id))
    result: Page[CaseSummary] = Page(
        CaseSummary(
            id=r.id,
            subject_code=r.subject_code,
            applicant_id=r.applicant_id,
            applicant_name=r.applicant_name,
            filed_by=r.filed_by,
            region_code=r.region_code,
            channel=r.channel,
            status=r.status,
            submitted_at=r.submitted_at,
            closed_at=r.closed_at,
            due_at=r.due_at,
            light=Light.NONE
            if r.closed_at
            else _light(r.clock, r.due_at, now, calendar, yellow_share),
            priority=bool(r.priority),
        )
        for r in page
    )
    result.after = page.after
    return result


def _task_rows(
    rows: Sequence[Any], now: datetime, calendar: WorkingCalendar, share: float
) -> list[TaskRow]:
    result = []
    for row in rows:
        result.append(
            TaskRow(
                id=row.id,
                case_id=row.case_id,
                item_code=row.item_code,
                department_code=row.department_code,
                status=row.status,
                assignee=row.assignee,
                opened_at=row.opened_at,
                due_at=row.due_at,
                applicant_name=row.applicant_name,
                subject_code=row.subject_code,
                region_code=row.region_code,
                light=_light(row.clock, row.due_at, now, calendar, share),
                priority=bool(row.priority),
                kind=row.kind or "review",
            )
        )
    return result


def _task_query() -> Select[Any]:
    return select(
        t.tasks.c.id,
        t.tasks.c.case_id,
        t.tasks.c.item_code,
        t.tasks.c.department_code,
        t.tasks.c.status,
        t.tasks.c.assignee,
        t.tasks.c.opened_at,
        t.tasks.c.due_at,
        t.tasks.c.clock,
        t.tasks.c.kind,
        t.cases.c.applicant_name,
        t.cases.c.subject_code,
        t.cases.c.region_code,
        t.cases.c.priority,
    ).join(t.cases, t.cases.c.id == t.tasks.c.case_id)


def inbox(
    engine: Engine,
    department_code: str,
    now: datetime,
    calendar: WorkingCalendar,
    share: float,
    *,
    after: str | None = None,
    limit: int | None = None,
    item_code: str | None = None,
    status: str | None = None,
    applicant: str | None = None,
) -> Page[TaskRow]:
    """Open tasks of one department: the green channel first (R-SVC-TAL), then soonest
    deadline first (paused ones, waiting for the applicant, last); one page of them, after
    the position `after`, optionally narrowed to an item, a status or an applicant's name."""
    size = page_size(limit)
    k = t.tasks.c
    query = (
        _task_query()
        .where(k.department_code == department_code, k.status.in_(OPEN_TASK))
        .order_by(t.cases.c.priority.desc(), k.due_at.is_(None), k.due_at, k.id)
        .limit(size + 1)
    )
    if item_code:
        query = query.where(k.item_code == item_code)
    if status:
        query = query.where(k.status == status)
    if applicant:
        query = query.where(t.cases.c.applicant_name.contains(applicant, autoescape=True))
    if after is not None:
        priority, due_at, last_id = decode_cursor(after, "bts")
        later = _after_due(k.due_at, k.id, due_at, last_id)
        # Green-channel rows come first: after a green-channel row, any ordinary row follows.
        query = query.where(
            or_(t.cases.c.priority == false(), and_(t.cases.c.priority == true(), later))
            if priority
            else and_(t.cases.c.priority == false(), later)
        )
    with read_connection(engine) as connection:
        rows = connection.execute(query).all()
    page = _paged(rows, size, lambda r: (bool(r.priority), r.due_at, r.id))
    result: Page[TaskRow] = Page(_task_rows(page, now, calendar, share))
    result.after = page.after
    return result


@dataclass(frozen=True, slots=True)
class InboxSummary:
    """A department's open tasks at a glance: how many, and the items and statuses the
    workbench filter offers (from all of them, not from the page shown)."""

    total: int
    items: tuple[str, ...]
    statuses: tuple[str, ...]


def inbox_summary(engine: Engine, department_code: str) -> InboxSummary:
    k = t.tasks.c
    with read_connection(engine) as connection:
        rows = connection.execute(
            select(k.item_code, k.status, func.count().label("n"))
            .where(k.department_code == department_code, k.status.in_(OPEN_TASK))
            .group_by(k.item_code, k.status)
        ).all()
    return InboxSummary(
        total=sum(int(r.n) for r in rows),
        items=tuple(sorted({r.item_code for r in rows})),
        statuses=tuple(sorted({r.status for r in rows})),
    )


def overdue_tasks(
    engine: Engine,
    region_prefix: str,
    now: datetime,
    calendar: WorkingCalendar,
    share: float,
    *,
    after: str | None = None,
    limit: int | None = None,
) -> Page[TaskRow]:
    """One page of the region's overdue open tasks, most overdue first, after `after`."""
    size = page_size(limit)
    # The page's ids first, from the tasks' own copy of the county (ix_tasks_open_region),
    # then their cases: joining every overdue task of a city before sorting took 100+ ms at
    # 1,000,000 cases.
    k = t.tasks.c
    chosen = select(k.id).where(*_overdue(region_prefix, now))
    if after is not None:
        due_at, last_id = decode_cursor(after, "ts")
        if due_at is None:
            raise InvalidCursor()
        chosen = chosen.where(_after_due(k.due_at, k.id, due_at, last_id))
    most_overdue = chosen.order_by(k.due_at, k.id).limit(size + 1).subquery()
    query = (
        _task_query()
        .join(most_overdue, most_overdue.c.id == k.id)
        .order_by(k.due_at, k.id)
    )
    with read_connection(engine) as connection:
        rows = connection.execute(query).all()
    page = _paged(rows, size, lambda r: (r.due_at, r.id))
    result: Page[TaskRow] = Page(_task_rows(page, now, calendar, share))
    result.after = page.after
    return result


def _overdue(region_prefix: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    """The region's overdue open tasks, as the list and its count both read them."""
    k = t.tasks.c
    return (
        k.status.in_(OPEN_TASK),
        k.due_at < now,
        k.region_code.startswith(region_prefix, autoescape=True),
        # Untimed work (提前介入（不计时）) is never overdue, as in the figures; filtered here so
        # that a page still holds `limit` rows.
        k.kind != TaskKind.EARLY_INTERVENTION.value,
    )


def overdue_count(engine: Engine, region_prefix: str, now: datetime) -> int:
    """How many tasks the whole overdue list holds (all its pages): one COUNT over the
    open tasks' partial index (ix_tasks_open_region), never the rows themselves."""
    query = select(func.count()).select_from(t.tasks).where(*_overdue(region_prefix, now))
    with read_connection(engine) as connection:
        return int(connection.execute(query).scalar_one())


@dataclass
class Figures:
    """R-SUP-2 figures for one (department, item)."""

    department_code: str
    item_code: str
    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    completed: int = 0
    instant: int = 0
    online: int = 0
    total: int = 0
    # Working hours used by the completed tasks, summed.
    hours_used: float = 0.0

    def average_working_days(self, day_hours: float) -> float | None:
        if not self.completed:
            return None
        return round(self.hours_used / self.completed / day_hours, 3)

    @property
    def instant_share(self) -> float | None:
        return round(self.instant / self.completed, 3) if self.completed else None

    @property
    def online_share(self) -> float | None:
        return round(self.online / self.total, 3) if self.total else None


def _yellow_from(
    limit_text: str, now: datetime, calendar: WorkingCalendar, share: float
) -> datetime | None:
    """For a running task with this limit: it is yellow now iff due before the returned
    instant (None: this limit never shows yellow)."""
    nominal = _parse_limit(limit_text).working_seconds_nominal(calendar.office_hours)
    if nominal <= 0:
        return None
    # Remaining working seconds are whole numbers: remaining < share x nominal exactly when
    # remaining < ceil(share x nominal).
    return calendar.add_working_seconds(now, math.ceil(share * nominal)).at


def supervision_figures(
    engine: Engine, region_prefix: str, now: datetime, calendar: WorkingCalendar, share: float
) -> list[Figures]:
    """Closed tasks from the ``task_figures`` summary; open tasks live, with their lights."""
    summary = t.task_figures.c
    closed_query = (
        select(
            summary.department_code,
            summary.item_code,
            func.sum(summary.closed).label("closed"),
            func.sum(summary.online).label("online"),
            func.sum(summary.completed).label("completed"),
            func.sum(summary.instant).label("instant"),
            func.sum(summary.hours_used).label("hours_used"),
        )
        .where(summary.region_code.startswith(region_prefix, autoescape=True))
        .group_by(summary.department_code, summary.item_code)
    )
    # Open tasks through their copies of the case's county and channel and of their clock's
    # limit and pause (one covering partial index, ix_tasks_open_region; no case or clock read).
    k = t.tasks.c
    open_in_region = and_(
        k.status.in_(OPEN_TASK), k.region_code.startswith(region_prefix, autoescape=True)
    )
    with read_connection(engine) as connection:
        closed = connection.execute(closed_query).all()
        running_counts = _open_counts(connection, open_in_region, now, calendar, share)
        paused_rows = (
            # Paused clocks (waiting for the applicant) are few: their light needs the clock.
            connection.execute(
                select(k.department_code, k.item_code, k.due_at, k.clock).where(
                    open_in_region, k.paused.is_(True)
                )
            ).all()
            if any(live.paused for live in running_counts)
            else []
        )
    return _figures(closed, running_counts, paused_rows, now, calendar, share)


# The time limits open tasks have been seen with (a handful: one per item and variant). The
# figures count lights against one threshold per limit; a limit not yet seen is counted apart
# and makes the figures read the limits again, so the count stays exact while a call usually
# needs one scan of the open tasks instead of two.
_SEEN_LIMITS: set[str] = set()
_SEEN_LIMITS_LOCK = threading.Lock()


def _open_counts(
    connection: Connection, open_in_region: ColumnElement[bool], now: datetime, calendar: WorkingCalendar, share: float
) -> Sequence[Any]:
    k = t.tasks.c
    for _attempt in range(2):
        with _SEEN_LIMITS_LOCK:
            limits = sorted(_SEEN_LIMITS)
        # A running task is yellow when its due time comes before the instant at which
        # `share` of its limit would be left (working time is monotonic in the due time), so
        # the lights of thousands of open tasks are counted in SQL against one threshold per
        # limit instead of one calendar computation per task.
        thresholds = [
            (text, at)
            for text in limits
            if text is not None and (at := _yellow_from(text, now, calendar, share)) is not None
        ]
        # Untimed work (提前介入（不计时）) is never due soon or overdue (issue 10, item 8).
        timed = or_(k.kind.is_(None), k.kind != "early_intervention")
        running = and_(k.paused.is_not(True), k.due_at.is_not(None), timed)
        counts = [
            func.count().label("open"),
            func.sum(case((k.online.is_(True), 1), else_=0)).label("online"),
            func.sum(case((and_(running, k.due_at < now), 1), else_=0)).label("red"),
        ]
        if thresholds:
            # Typed as the column, so SQLite compares stored UTC text with UTC text.
            yellow_before = case(
                *((k.time_limit == text, literal(at, UTCDateTime())) for text, at in thresholds),
                else_=None,
            )
            yellow = and_(running, k.due_at >= now, k.due_at < yellow_before)
            counts.append(func.sum(case((yellow, 1), else_=0)).label("yellow"))
        counts.append(func.sum(case((k.paused.is_(True), 1), else_=0)).label("paused"))
        known = k.time_limit.in_(limits) if limits else false()
        counts.append(func.sum(case((and_(k.time_limit.is_not(None), ~known), 1), else_=0)).label("unseen"))
        running_counts = connection.execute(
            select(k.department_code, k.item_code, *counts)
            .where(open_in_region)
            .group_by(k.department_code, k.item_code)
        ).all()
        if not any(live.unseen for live in running_counts):
            break
        found = connection.execute(select(k.time_limit).where(open_in_region).distinct()).scalars()
        with _SEEN_LIMITS_LOCK:
            _SEEN_LIMITS.update(text for text in found if text is not None)
    return running_counts


def _figures(
    closed: Sequence[Any],
    running_counts: Sequence[Any],
    paused_rows: Sequence[Any],
    now: datetime,
    calendar: WorkingCalendar,
    share: float,
) -> list[Figures]:
    figures: dict[tuple[str, str], Figures] = {}
    for row in closed:
        figures[(row.department_code, row.item_code)] = Figures(
            row.department_code,
            row.item_code,
            completed=int(row.completed),
            instant=int(row.instant),
            online=int(row.online),
            total=int(row.closed),
            hours_used=float(row.hours_used),
        )
    for live in running_counts:
        key = (live.department_code, live.item_code)
        entry = figures.get(key) or Figures(live.department_code, live.item_code)
        figures[key] = entry
        entry.total += int(live.open)
        entry.open += int(live.open)
        entry.online += int(live.online or 0)
        entry.overdue += int(live.red or 0)
        entry.due_soon += int(getattr(live, "yellow", 0) or 0)
    for held in paused_rows:
        colour = _light(held.clock, held.due_at, now, calendar, share)
        entry = figures[(held.department_code, held.item_code)]
        if colour is Light.RED:
            entry.overdue += 1
        elif colour is Light.YELLOW:
            entry.due_soon += 1
    return sorted(figures.values(), key=lambda f: (f.department_code, f.item_code))


# --- data sharing, licences, access log (R-DATA, R-LIC) ------------------------------------


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """A material obtained by data sharing (or from the licence library) for a case."""

    item_code: str
    material_code: str
    source: str  # registry | licence
    reference: str
    obtained_at: datetime
    found: bool
    summary: str


def case_attachments(engine: Engine, case_id: str) -> list[AttachmentRow]:
    query = (
        select(t.case_attachments)
        .where(t.case_attachments.c.case_id == case_id)
        .order_by(t.case_attachments.c.obtained_at, t.case_attachments.c.id)
    )
    with read_connection(engine) as connection:
        rows = connection.execute(query).all()
    return [
        AttachmentRow(
            r.item_code, r.material_code, r.source, r.reference, r.obtained_at, bool(r.found), r.summary
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class LicenceRow:
    identifier: str
    kind: str
    holder_id: str
    holder_name: str
    issued_at: datetime
    case_id: str | None
    number: str | None
    qr_text: str
    revoked_at: datetime | None
    revocation_reason: str | None


def _licence_query() -> Select[Any]:
    return select(
        t.licences.c.identifier,
        t.licences.c.kind,
        t.licences.c.holder_id,
        t.licences.c.holder_name,
        t.licences.c.issued_at,
        t.licences.c.case_id,
        t.licences.c.number,
        t.licences.c.qr_text,
        t.licence_revocations.c.revoked_at,
        t.licence_revocations.c.reason,
    ).join(
        t.licence_revocations,
        t.licence_revocations.c.identifier == t.licences.c.identifier,
        isouter=True,
    )


def _licence_rows(rows: Sequence[Any]) -> list[LicenceRow]:
    return [
        LicenceRow(
            r.identifier, r.kind, r.holder_id, r.holder_name, r.issued_at, r.case_id, r.number,
            r.qr_text, r.revoked_at, r.reason,
        )
        for r in rows
    ]


def wallet_licences(engine: Engine, subject_id: str) -> list[LicenceRow]:
    """The card wallet (电子卡包): licences held by the subject, and those issued on the
    subject's own applications (a founder holds the new company's licence from the case)."""
    own_cases = select(t.cases.c.id).where(t.cases.c.applicant_id == subject_id)
    query = (
        _licence_query()
        .where((t.licences.c.holder_id == subject_id) | t.licences.c.case_id.in_(own_cases))
        .order_by(t.licences.c.issued_at.desc(), t.licences.c.identifier)
        .limit(200)
    )
    with read_connection(engine) as connection:
        return _licence_rows(connection.execute(query).all())


def case_licences(engine: Engine, case_id: str) -> list[LicenceRow]:
    query = _licence_query().where(t.licences.c.case_id == case_id).order_by(t.licences.c.issued_at)
    with read_connection(engine) as connection:
        return _licence_rows(connection.execute(query).all())


def licence_row(engine: Engine, identifier: str) -> LicenceRow | None:
    with read_connection(engine) as connection:
        rows = connection.execute(_licence_query().where(t.licences.c.identifier == identifier)).all()
    found = _licence_rows(rows)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class DataRead:
    """One read of a subject's data from the access log (谁查看了我的数据)."""

    entry_id: int
    at: datetime
    reader: str
    dataset: str
    fields: tuple[str, ...]
    purpose: str
    case_id: str | None


def data_reads(engine: Engine, subject_id: str, limit: int = 500) -> list[DataRead]:
    """The reads of ``subject_id``'s data, newest first."""
    from yiwang.db.registries_repo import read_access_log

    with read_connection(engine) as connection:
        entries = list(read_access_log(connection, subject_id))
    reads = [
        DataRead(e.id, e.record.at, e.record.reader, e.record.dataset, e.record.fields, e.record.purpose, e.record.case_id)
        for e in entries
    ]
    return list(reversed(reads))[:limit]


@dataclass(frozen=True, slots=True)
class DataRequestRow:
    """A conditional-sharing request (有条件共享申请)."""

    id: str
    registry_field: str
    subject_id: str
    purpose: str
    case_id: str
    task_id: str
    owner_department: str
    requested_by: str
    requested_at: datetime
    due_at: datetime
    status: str
    answered_at: datetime | None
    answered_by: str | None
    answer_note: str
    # The case is in the green channel (绿色通道).
    priority: bool = False


def _request_rows(rows: Sequence[Any]) -> list[DataRequestRow]:
    return [
        DataRequestRow(
            r.id, r.dataset, r.subject_id, r.purpose, r.case_id, r.task_id, r.owner_department,
            r.requested_by, r.requested_at, r.due_at, r.status, r.answered_at, r.answered_by,
            r.answer_note or "",
            bool(getattr(r, "priority", False)),
        )
        for r in rows
    ]


def pending_data_requests(engine: Engine, owner_department: str) -> list[DataRequestRow]:
    """Requests waiting for the owning department's answer: the green channel first, then
    soonest due first."""
    query = (
        select(t.sharing_requests, t.cases.c.priority)
        .join(t.cases, t.cases.c.id == t.sharing_requests.c.case_id, isouter=True)
        .where(t.sharing_requests.c.owner_department == owner_department, t.sharing_requests.c.status == "pending")
        .order_by(t.cases.c.priority.desc().nulls_last(), t.sharing_requests.c.due_at, t.sharing_requests.c.id)
        .limit(500)
    )
    with read_connection(engine) as connection:
        return _request_rows(connection.execute(query).all())


def data_requests_of_case(engine: Engine, case_id: str) -> list[DataRequestRow]:
    query = (
        select(t.sharing_requests)
        .where(t.sharing_requests.c.case_id == case_id)
        .order_by(t.sharing_requests.c.requested_at, t.sharing_requests.c.id)
    )
    with read_connection(engine) as connection:
        return _request_rows(connection.execute(query).all())


def data_request(engine: Engine, request_id: str) -> DataRequestRow | None:
    with read_connection(engine) as connection:
        rows = connection.execute(select(t.sharing_requests).where(t.sharing_requests.c.id == request_id)).all()
    found = _request_rows(rows)
    return found[0] if found else None


class SqlReads:
    """The read models above bound to one engine, so that the use cases read what they need
    without an engine or SQL of their own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def case_scope(self, case_id: str) -> CaseScope | None:
        return case_scope(self.engine, case_id)

    def case_summaries(
        self,
        now: datetime,
        calendar: WorkingCalendar,
        yellow_share: float,
        *,
        applicant_id: str | None = None,
        filed_by: str | None = None,
        region_prefix: str | None = None,
        branch: str | None = None,
        subject_code: str | None = None,
        limit: int = 200,
        after: str | None = None,
    ) -> Page[CaseSummary]:
        return case_summaries(
            self.engine,
            now,
            calendar,
            yellow_share,
            applicant_id=applicant_id,
            filed_by=filed_by,
            region_prefix=region_prefix,
            branch=branch,
            subject_code=subject_code,
            limit=limit,
            after=after,
        )

    def case_attachments(self, case_id: str) -> list[AttachmentRow]:
        return case_attachments(self.engine, case_id)

    def data_reads(self, subject_id: str) -> list[DataRead]:
        return data_reads(self.engine, subject_id)

    def pending_data_requests(self, owner_department: str) -> list[DataRequestRow]:
        return pending_data_requests(self.engine, owner_department)

    def data_request(self, request_id: str) -> DataRequestRow | None:
        return data_request(self.engine, request_id)

    def wallet_licences(self, subject_id: str) -> list[LicenceRow]:
        return wallet_licences(self.engine, subject_id)

    def licence_row(self, identifier: str) -> LicenceRow | None:
        return licence_row(self.engine, identifier)
