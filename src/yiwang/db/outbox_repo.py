"""The outbox (`yiwang.db.tables_identity.outbox`): claim, mark sent, mark failed.

Claims are safe with several workers: rows are read ``FOR UPDATE SKIP LOCKED`` on PostgreSQL
(a second worker passes over rows the first is claiming instead of waiting) and taken by a
conditional UPDATE on the state read, so a row goes to one worker only; on SQLite the
write transaction is already exclusive. A claim lasts `lease`: a worker that dies after its
claim leaves the row to be tried again once the lease is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, select, update

from yiwang.db import tables_identity as ti


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    recipient: str
    body: str
    attempts: int  # including this one


def claim(engine: Engine, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    table = ti.outbox
    waiting = or_(table.c.state == "pending", table.c.state == "sending")
    with engine.begin() as connection:
        # A code nobody can use any more is not worth a message.
        connection.execute(
            update(table)
            .where(waiting, table.c.expires_at <= now)
            .values(state="expired", body=None)
        )
        rows = connection.execute(
            select(table.c.id, table.c.recipient, table.c.body, table.c.state, table.c.attempts)
            .where(waiting, table.c.due_at <= now)
            .order_by(table.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for row in rows:
            taken = connection.execute(
                update(table)
                .where(and_(table.c.id == row.id, table.c.state == row.state, table.c.due_at <= now))
                .values(state="sending", attempts=table.c.attempts + 1, due_at=now + lease)
            ).rowcount
            if taken == 1 and row.body is not None:
                claimed.append(Claimed(int(row.id), str(row.recipient), str(row.body), int(row.attempts) + 1))
    return claimed


def mark_sent(engine: Engine, message_id: int, now: datetime) -> None:
    table = ti.outbox
    with engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.id == message_id, table.c.state == "sending")
            .values(state="sent", body=None, sent_at=now, last_error=None)
        )


def mark_failed(engine: Engine, message_id: int, error: str, retry_at: datetime | None) -> None:
    """Records a failed attempt: tried again at ``retry_at``, or given up (None)."""
    table = ti.outbox
    values: dict[str, object] = {"last_error": error[:300]}
    if retry_at is None:
        values |= {"state": "failed", "body": None}
    else:
        values |= {"state": "pending", "due_at": retry_at}
    with engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == message_id, table.c.state == "sending").values(**values))
