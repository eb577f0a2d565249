"""Database engines: SQLite (WAL) by default, PostgreSQL through ``YIWANG_DATABASE_URL``.

Engines are created on demand by `bootstrap`, never at import time.
"""

from __future__ import annotations

import select
from pathlib import Path
from typing import Any

import orjson
import psycopg
from psycopg.types.json import set_json_loads
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

from yiwang.files import private_folder, touch_private


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use psycopg 3 for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(normalise_url(url)).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            # A fresh checkout has no var/ yet: SQLite creates the file, not its folder. Both
            # are created private: the database holds personal data.
            private_folder(Path(database).parent)
            touch_private(Path(database))
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    # No pre-ping: it cost every checkout a round trip (three to five per request) under load.
    # A connection whose server process ended (a restart, a failover, pg_terminate_backend) is
    # recognised at checkout without one (`_server_hung_up`) and replaced before use.
    # `pool_recycle` bounds a connection's age below idle timeouts.
    kwargs.setdefault("pool_recycle", 1800)
    # Ten kept connections per process rather than SQLAlchemy's five: past the kept ones a
    # connection is opened for one checkout and closed after it, and each such opening costs
    # PostgreSQL a new backend process and the connection its prepared statements. Under
    # the mixed load (10 clients on 2 processes) requests in the thread pool held up to
    # about ten at once and opened hundreds of connections in a minute.
    kwargs.setdefault("pool_size", 10)
    engine = create_engine(url, **kwargs)
    _configure_postgres(engine)
    return engine


def _server_hung_up(dbapi_connection: Any) -> bool:
    """Whether the server has ended this idle pooled connection, found without a round trip.

    A PostgreSQL backend that is shut down (a restart, a failover, pg_terminate_backend) sends
    its client a FATAL message and closes the socket, so the socket of a connection idle in
    the pool turns readable and stays readable after what was sent has been read (the end of
    the stream is left). Anything else an idle connection may be sent (a notice, a parameter
    change) is read into the driver's buffer, where the next statement finds it, and leaves
    the socket quiet. A server that vanished without a word (a host lost with its network) is
    not seen here: that statement fails and the edge answers 503 (`yiwang.error_kinds`)."""
    if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
        return True
    try:
        pgconn = dbapi_connection.pgconn
        if not _readable(pgconn.socket):
            return False
        pgconn.consume_input()  # raises when the server has closed the connection
        return pgconn.status != psycopg.pq.ConnStatus.OK or _readable(pgconn.socket)
    except (OSError, psycopg.Error):
        return True


def _readable(fd: int) -> bool:
    # poll, not select: select cannot watch a descriptor numbered 1024 or above.
    watch = select.poll()
    watch.register(fd, select.POLLIN)
    return bool(watch.poll(0))  # readable, hung up or in error, without waiting


def _configure_postgres(engine: Engine) -> None:
    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if _server_hung_up(dbapi_connection):
            # The pool discards this connection and checks out a fresh one (its documented
            # answer to DisconnectionError); the request never sees the dead one.
            raise DisconnectionError("the server closed this pooled connection")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Web requests are short index lookups: starting parallel workers costs them far more
        # than it saves (measured at 1,000,000 cases on 2 cores: the reviewer inbox took 176 ms
        # with two workers and 3 ms without). Whole-table reports can SET it back.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        dbapi_connection.commit()
        # Case forms, stages and clocks are JSONB: orjson decodes them about 4x faster than
        # the standard library (the construction board decodes 500 cases per call).
        set_json_loads(orjson.loads, dbapi_connection)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling issues BEGIN lazily and cannot take a write lock
        # up front; we turn it off and emit BEGIN IMMEDIATE ourselves so that two writers
        # serialise on the lock instead of failing later with "database is locked".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def read_connection(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite it does not take the write lock, so a reader
    never waits for (or blocks) a unit of work in the same process. On PostgreSQL it runs
    without a transaction block: under READ COMMITTED each statement takes its own snapshot
    either way, and BEGIN and ROLLBACK cost two round trips per read (a caller that needs one
    snapshot sets an isolation level of its own, as the audit's REPEATABLE READ does)."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection.execution_options(sqlite_begin="DEFERRED")
