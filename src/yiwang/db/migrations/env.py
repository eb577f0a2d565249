"""Alembic environment: runs on the connection `yiwang.db.migrate` hands over."""

from __future__ import annotations

from alembic import context

from yiwang.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare `alembic` command line
    raise RuntimeError("run migrations through `yiwang db upgrade` (yiwang.db.migrate)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
