"""Named counters (serial numbers) incremented atomically inside a transaction."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from yiwang.db import tables as t


def next_counter(connection: Connection, name: str) -> int:
    """Increment a named counter and return its new value (the first call returns 1).

    One upsert statement, so two transactions creating the same counter at once do not
    collide on its primary key.
    """
    return int(connection.execute(_upsert(connection.dialect.name), {"counter": name}).scalar_one())


@cache
def _upsert(dialect: str) -> Any:
    # Built once per dialect: constructing the upsert costs more than running it.
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(t.counters)
        .values(name=bindparam("counter"), value=1)
        .on_conflict_do_update(index_elements=["name"], set_={"value": t.counters.c.value + 1})
        .returning(t.counters.c.value)
    )
