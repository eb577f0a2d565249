"""Tables. SQLAlchemy Core: the domain objects stay plain; repositories map rows to them.

The schema is owned by Alembic migrations (``db/migrations``); this metadata is what the
migrations were generated from and what the repositories query.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import (
    false as sa_false,
)

from yiwang.db.types import PortableJSON, UTCDateTime

# The open task statuses as SQL, for partial indexes (cases.models.OPEN_TASK_STATUSES; a
# test holds the two together).
OPEN_TASKS_SQL = "status IN ('in_review', 'pending', 'waiting_applicant', 'waiting_data')"

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

catalog_versions = Table(
    "catalog_versions",
    metadata,
    Column("version", String(32), primary_key=True),
    Column("loaded_at", UTCDateTime(), nullable=False),
    # The catalog files themselves, so a case pinned to an old version keeps its rules even
    # after the files on disk change.
    Column("files", PortableJSON(), nullable=False),
    Column("is_current", Boolean, nullable=False, default=False),
)

calendar_years = Table(
    "calendar_years",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("loaded_at", UTCDateTime(), nullable=False),
    Column("file_name", String(200), nullable=False),
    Column("source", Text, nullable=False),
)

departments = Table(
    "departments",
    metadata,
    Column("code", String(80), primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("region_code", String(6), nullable=False),
    Column("name_zh", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
)

people = Table(
    "people",
    metadata,
    Column("id_number", String(18), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("region_code", String(6), nullable=False, index=True),
    Column("phone", String(20), nullable=False),
)

enterprises = Table(
    "enterprises",
    metadata,
    Column("credit_code", String(18), primary_key=True),
    Column("name", String(200), nullable=False),
    # Names are unique per region after normalisation (企业名称自主申报); the check reads this.
    Column("name_key", String(200), nullable=False),
    Column("entity_type", String(40), nullable=False),
    Column("region_code", String(6), nullable=False),
    Column("legal_rep_id", String(18), nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("sector", String(60), nullable=False),
    Column("address", String(300), nullable=False),
    Column("case_id", String(40), nullable=True),
    UniqueConstraint("region_code", "name_key", name="uq_enterprises_region_name"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tracking_number", String(40), nullable=False, unique=True),
    Column("subject_code", String(120), nullable=False),
    Column("catalog_version", String(32), nullable=False),
    # A person's ID number, an enterprise's credit code, or (internal work) a department code.
    Column("applicant_id", String(60), nullable=False, index=True),
    Column("applicant_name", String(200), nullable=False),
    Column("filed_by", String(60), nullable=False),
    Column("region_code", String(6), nullable=False, index=True),
    Column("channel", String(20), nullable=False),
    Column("form", PortableJSON(), nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime(), nullable=True),
    Column("due_at", UTCDateTime(), nullable=True, index=True),
    Column("due_provisional", Boolean, nullable=False, default=False),
    Column("clock", PortableJSON(), nullable=False),
    Column("stages", PortableJSON(), nullable=False),
    Column("supplements", PortableJSON(), nullable=False),
    Column("idempotency_key", String(120), nullable=True, unique=True),
    Column("request_digest", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("escalated_at", UTCDateTime(), nullable=True),
    Column("promises", PortableJSON(), nullable=True),
    Column("commitments", PortableJSON(), nullable=True),
    Column("priority", Boolean, nullable=False, server_default=sa_false()),
    Column("facts", PortableJSON(), nullable=True),
    # The legal record (受理 per item, extensions, excluded periods, 中止/撤回/终止, 授权委托):
    # one document, rewritten with the case row under its version lock.
    Column("legal", PortableJSON(), nullable=True),
    # The instant after which the legal sweep has something to do for the case
    # (cases.legal.next_legal_due), kept by the case repository on every save; never later
    # than that instant (the migration and the volume loader store the submission time, the
    # sweep then stores the exact one). NULL: nothing until someone acts.
    Column("legal_due_at", UTCDateTime(), nullable=True),
    # Lists newest first: the supervisor's (all, or a region's) and the construction board's.
    Index("ix_cases_submitted_at", "submitted_at"),
    Index("ix_cases_subject_submitted", "subject_code", "submitted_at"),
    # A region prefix (``LIKE '3701%'``) can use this index whatever the database's collation.
    Index(
        "ix_cases_region_prefix",
        "region_code",
        "submitted_at",
        postgresql_ops={"region_code": "varchar_pattern_ops"},
    ),
    # The legal sweep reads only the cases due (a few of the open ones, none of the closed).
    Index(
        "ix_cases_legal_due",
        "legal_due_at",
        postgresql_where=text("legal_due_at IS NOT NULL"),
        sqlite_where=text("legal_due_at IS NOT NULL"),
    ),
)

# Datasets a department supplies as records (the provincial talent office's recognised
# high-level talent, the tax bureau's exporter classes): one value per subject and field.
registry_records = Table(
    "registry_records",
    metadata,
    Column("dataset", String(60), primary_key=True),
    Column("field", String(60), primary_key=True),
    Column("subject_id", String(18), primary_key=True),
    Column("value", String(200), nullable=False),
    Column("supplied_by", String(200), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(48), primary_key=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("stage_index", Integer, nullable=False),
    Column("item_code", String(120), nullable=False),
    Column("department_code", String(80), nullable=False),
    Column("status", String(30), nullable=False),
    Column("assignee", String(60), nullable=True),
    Column("opened_at", UTCDateTime(), nullable=True),
    Column("closed_at", UTCDateTime(), nullable=True),
    Column("due_at", UTCDateTime(), nullable=True),
    Column("due_provisional", Boolean, nullable=False, default=False),
    Column("clock", PortableJSON(), nullable=False),
    Column("decided_by_rule", String(60), nullable=True),
    Column("kind", String(30), nullable=False, server_default="review"),
    Column("version", Integer, nullable=False),
    # Set once by the escalation sweep; a conditional UPDATE makes the sweep idempotent.
    Column("escalated_at", UTCDateTime(), nullable=True),
    # Copies, so the supervisor's figures count open tasks from one index without reading
    # cases or clocks: the case's county and whether it came online (both fixed at
    # submission), the limit (fixed) and whether the clock is paused (kept by each save).
    # Set for tasks written since migration 0009 and for the tasks open at that migration;
    # only open tasks are read through them.
    Column("region_code", String(6), nullable=True),
    Column("online", Boolean, nullable=True),
    Column("time_limit", String(40), nullable=True),
    Column("paused", Boolean, nullable=True),
    Index("ix_tasks_department_inbox", "department_code", "status", "due_at"),
    Index("ix_tasks_status_due", "status", "due_at"),
    Index(
        "ix_tasks_open_region",
        "region_code",
        postgresql_ops={"region_code": "varchar_pattern_ops"},
        postgresql_include=["department_code", "item_code", "due_at", "online", "time_limit", "paused"],
        postgresql_where=text(OPEN_TASKS_SQL),
        sqlite_where=text(OPEN_TASKS_SQL),
    ),
)

# R-SUP-2 figures of closed tasks per county, department and item, kept up to date by the case
# repository in the transaction that closes a task (closed tasks never reopen), so the
# supervisor's figures read a few hundred rows instead of millions of tasks. Open tasks are
# counted live: their lights change with the clock.
task_figures = Table(
    "task_figures",
    metadata,
    Column("region_code", String(6), primary_key=True),
    Column("department_code", String(80), primary_key=True),
    Column("item_code", String(120), primary_key=True),
    # Closed and not cancelled (approved or rejected).
    Column("closed", BigInteger, nullable=False),
    Column("online", BigInteger, nullable=False),
    Column("completed", BigInteger, nullable=False),
    Column("instant", BigInteger, nullable=False),
    Column("hours_used", Float, nullable=False),
)

# On PostgreSQL this table and ``access_log`` are partitioned by month of ``at`` (migration
# 0011, db/partitions.py) and their primary key there is ``(id, at)``; SQLite keeps ``id``.
# Queries never rely on the difference: ids stay unique, written only by the sequence / the
# access log's head row.
case_events = Table(
    "case_events",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("case_id", String(40), nullable=False, index=True),
    Column("task_id", String(48), nullable=True),
    Column("kind", String(40), nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(60), nullable=False),
    Column("reason", Text, nullable=False),
    Column("data", PortableJSON(), nullable=False),
)

outputs = Table(
    "outputs",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("case_id", String(40), nullable=False, index=True),
    Column("kind", String(60), nullable=False),
    Column("number", String(80), nullable=False, unique=True),
    Column("name_zh", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("item_code", String(120), nullable=False),
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("pieces", PortableJSON(), nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
# --- registries, access log, licences (issue 4) -------------------------------------------

access_log = Table(
    "access_log",
    metadata,
    # Consecutive ids assigned by the writer (not autoincrement): a deleted entry is a gap.
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    ),
    Column("at", UTCDateTime(), nullable=False),
    Column("reader", String(80), nullable=False),
    Column("subject_id", String(18), nullable=False, index=True),
    Column("dataset", String(60), nullable=False),
    Column("fields", PortableJSON(), nullable=False),
    Column("purpose", String(300), nullable=False),
    Column("case_id", String(40), nullable=True),
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row: the last entry of the access log, locked by each writer so appends form one chain.
access_log_head = Table(
    "access_log_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_id", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

sharing_requests = Table(
    "sharing_requests",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("dataset", String(60), nullable=False),
    Column("subject_id", String(18), nullable=False),
    Column("purpose", String(300), nullable=False),
    Column("case_id", String(40), nullable=False, index=True),
    Column("task_id", String(48), nullable=False),
    Column("owner_department", String(80), nullable=False, index=True),
    Column("requested_by", String(80), nullable=False),
    Column("requested_at", UTCDateTime(), nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("status", String(20), nullable=False),
    Column("answered_at", UTCDateTime(), nullable=True),
    Column("answered_by", String(80), nullable=True),
    Column("answer_note", Text, nullable=False, default=""),
)

case_attachments = Table(
    "case_attachments",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("case_id", String(40), nullable=False, index=True),
    Column("item_code", String(120), nullable=False),
    Column("material_code", String(80), nullable=False),
    # registry | licence | upload | commitment
    Column("source", String(20), nullable=False),
    # e.g. "population.identity", or a licence identifier
    Column("reference", String(200), nullable=False),
    Column("obtained_at", UTCDateTime(), nullable=False),
    Column("found", Boolean, nullable=False),
    # What a reviewer sees, personal data masked.
    Column("summary", String(300), nullable=False),
)

# Records of datasets held by other systems (婚姻登记、死亡医学证明、司法判决): in a
# deployment they are answered through their owner's interface; a demo or a pilot loads them.
external_records = Table(
    "external_records",
    metadata,
    Column("dataset", String(40), primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("subject_id", String(18), primary_key=True),
    Column("reference", String(200), nullable=False),
    # What a reviewer sees, personal data masked.
    Column("summary", String(300), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

licences = Table(
    "licences",
    metadata,
    Column("identifier", String(120), primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("holder_id", String(18), nullable=False, index=True),
    Column("holder_name", String(200), nullable=False),
    Column("issuer_department", String(80), nullable=False),
    Column("issued_at", UTCDateTime(), nullable=False),
    Column("case_id", String(40), nullable=True, index=True),
    Column("number", String(80), nullable=True),
    Column("qr_text", Text, nullable=False),
)

licence_revocations = Table(
    "licence_revocations",
    metadata,
    Column("identifier", String(120), primary_key=True),
    Column("revoked_at", UTCDateTime(), nullable=False),
    Column("reason", Text, nullable=False),
    Column("revoked_by", String(80), nullable=False),
)

# --- credit (issue 5) --------------------------------------------------------------------

credit_records = Table(
    "credit_records",
    metadata,
    Column("record_id", String(60), primary_key=True),
    Column("credit_code", String(18), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("severity", String(20), nullable=True),
    Column("occurred_on", Date, nullable=False),
    Column("source_department", String(80), nullable=False),
    Column("legal_basis", String(300), nullable=False),
    Column("summary_zh", Text, nullable=False),
    Column("violation_code", String(60), nullable=True),
    Column("reference", String(200), nullable=False),
    Column("lifted_on", Date, nullable=True),
    Column("lift_reason_zh", Text, nullable=False, server_default=""),
    Column("repaired_on", Date, nullable=True),
    Column("repair_commitment_ref", String(200), nullable=False, server_default=""),
)

commitment_decisions = Table(
    "commitment_decisions",
    metadata,
    Column("decision_id", String(60), primary_key=True),
    Column("case_id", String(40), nullable=False, index=True),
    Column("item_code", String(120), nullable=False),
    Column("credit_code", String(18), nullable=False, index=True),
    Column("decided_at", UTCDateTime(), nullable=False),
    Column("replaced_materials", PortableJSON(), nullable=False),
    Column("commitment_text", Text, nullable=False),
    Column("licence_id", String(120), nullable=True),
    # null (not drawn) | sampled | passed | false
    Column("post_check", String(20), nullable=True),
    Column("post_check_draw", String(80), nullable=True),
    Column("checked_on", Date, nullable=True),
)

import yiwang.db.tables_identity  # noqa: E402
import yiwang.db.tables_web  # noqa: F401, E402
