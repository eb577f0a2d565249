"""API schemas: ``XPublic`` for what the API returns, ``XCreate`` for what it accepts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from yiwang.localtime import local_iso

# Every instant the API returns is local time with its offset (stored in UTC).
LocalDateTime = Annotated[datetime, PlainSerializer(local_iso, return_type=str, when_used="json")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorProblem(BaseModel):
    field: str
    code: str
    message_zh: str
    message_en: str


class ErrorDetail(BaseModel):
    code: str
    message_zh: str
    message_en: str
    problems: list[ErrorProblem] = []


class ErrorPublic(BaseModel):
    error: ErrorDetail


class TokenCreate(Strict):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)
    label: str = Field(default="api", max_length=100)


class AccountPublic(BaseModel):
    username: str
    role: str
    role_zh: str
    display_name: str
    department_code: str | None
    region_code: str | None
    subject_id: str | None


class TokenPublic(BaseModel):
    token: str
    expires_at: LocalDateTime
    account: AccountPublic


class SearchHitPublic(BaseModel):
    code: str
    kind: Literal["bundle", "item"]
    name_zh: str
    name_en: str
    matched: str


class MaterialSpecPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    source: str
    required: bool
    commitment_allowed: bool
    registry_field: str | None = None
    asked_of_applicant: bool = True
    source_zh: str = ""


class FeePublic(BaseModel):
    name_zh: str
    name_en: str = ""
    amount_yuan: str


class ItemGuidePublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    department_kind: str
    department_zh: str
    legal_basis: list[str]
    handling_modes: list[str]
    materials: list[MaterialSpecPublic]
    # Limits in words (zh, then en), from yiwang.calendar.describe_limit.
    legal_limit: str
    legal_limit_en: str = ""
    # The statute that sets the legal limit (e.g. 《中华人民共和国建筑法》第八条).
    legal_limit_basis: str = ""
    promised_limit: str
    promised_limit_en: str = ""
    fees: list[FeePublic]
    service_standard_zh: str
    service_standard_en: str = ""
    department_en: str = ""


class FormFieldPublic(BaseModel):
    name: str
    label_zh: str
    label_en: str
    type: str
    required: bool
    choices: list[str]
    prefill: str | None
    # For identity-number fields: the documents whose number is accepted (zh names).
    accepted_documents: list[str] = []


class GuidePublic(BaseModel):
    code: str
    kind: Literal["bundle", "item"]
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str = ""
    total_limit: str
    total_limit_en: str = ""
    handling_modes: list[str]
    items: list[ItemGuidePublic]
    form: list[FormFieldPublic]


class CaseCreate(Strict):
    subject_code: str = Field(min_length=1, max_length=120)
    form: dict[str, Any]
    channel: Literal["online", "mobile", "api"] = "api"
    # For a window clerk filing on someone's behalf (帮办代办):
    applicant_id: str = Field(default="", max_length=18)
    applicant_name: str = Field(default="", max_length=200)
    # 办理地: the county whose departments handle an item whose form does not ask for one;
    # by default the applicant's registry record (or the clerk's own region) decides.
    region_code: str = Field(default="", max_length=6)


class TaskPublic(BaseModel):
    id: str
    item_code: str
    item_name_zh: str
    item_name_en: str = ""
    department_code: str
    department_zh: str = Field(default="", description="The handling department by name")
    department_en: str = ""
    status: str
    assignee: str | None
    opened_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    due_at: LocalDateTime | None
    light: str
    decided_by_rule: str | None
    kind: str = "review"
    kind_zh: str = "审核"


class StagePublic(BaseModel):
    index: int
    code: str
    name_zh: str
    name_en: str = ""
    status: str
    due_at: LocalDateTime | None


class SupplementPublic(BaseModel):
    id: str
    task_id: str
    material_codes: list[str]
    material_names_zh: list[str] = Field(default_factory=list)
    material_names_en: list[str] = Field(default_factory=list)
    note: str
    requested_at: LocalDateTime
    answered_at: LocalDateTime | None
    answer: str


class OutputPublic(BaseModel):
    kind: str
    number: str
    name_zh: str
    name_en: str
    issued_at: LocalDateTime
    pieces: list[str]
    # Whom it belongs to (the buyer, the mortgagee, the new enterprise …), by the catalog.
    holder_name: str = ""


class CasePublic(BaseModel):
    id: str
    tracking_number: str
    subject_code: str
    applicant_name: str
    status: str
    channel: str
    region_code: str
    submitted_at: LocalDateTime
    closed_at: LocalDateTime | None
    due_at: LocalDateTime | None
    light: str
    # Green channel (绿色通道): the case's tasks come first in every inbox.
    priority: bool = False
    stages: list[StagePublic]
    tasks: list[TaskPublic]
    supplements: list[SupplementPublic]
    outputs: list[OutputPublic]


class CaseDetailPublic(CasePublic):
    form: dict[str, Any]


class CaseSummaryPublic(BaseModel):
    id: str
    subject_code: str
    applicant_name: str
    status: str
    channel: str
    submitted_at: LocalDateTime
    due_at: LocalDateTime | None
    light: str
    priority: bool = False


class EventPublic(BaseModel):
    kind: str
    at: LocalDateTime
    actor: str
    actor_zh: str = Field(description="Who acted: the department and role, 申请人 or 系统自动")
    actor_en: str
    task_id: str | None
    reason: str
    text_zh: str
    text_en: str
    data: dict[str, Any]


class MaterialPublic(BaseModel):
    id: str
    case_id: str
    material_code: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: LocalDateTime
    url: str


class SupplementAnswerCreate(Strict):
    answer: str = Field(default="", max_length=1000)
    attachments: list[str] = Field(default_factory=list, max_length=20)


class TaskActionCreate(Strict):
    action: Literal["accept", "approve", "reject", "supplement", "return", "transfer"]
    reason: str = Field(default="", max_length=1000)
    comment: str = Field(default="", max_length=500)
    material_codes: list[str] = Field(default_factory=list, max_length=50)
    note: str = Field(default="", max_length=1000)
    to_reviewer: str = Field(default="", max_length=60)


class InboxTaskPublic(BaseModel):
    id: str
    case_id: str
    item_code: str
    item_name_zh: str
    item_name_en: str = ""
    status: str
    assignee: str | None
    applicant_name: str
    opened_at: LocalDateTime | None
    due_at: LocalDateTime | None
    light: str
    # Green channel first, then soonest deadline.
    priority: bool = False
    kind: str = "review"
    kind_zh: str = "审核"


class TaskDetailPublic(BaseModel):
    task: TaskPublic
    case: CaseDetailPublic
    materials: list[MaterialPublic]
    item_materials: list[MaterialSpecPublic]


class FiguresPublic(BaseModel):
    department_code: str
    department_zh: str = ""
    department_en: str = ""
    item_code: str
    item_name_zh: str
    item_name_en: str = ""
    open: int
    due_soon: int
    overdue: int
    completed: int
    average_working_days: float | None
    instant_share: float | None
    online_share: float | None
    target_working_days: float | None
    target_instant_share: float
    target_online_share: float


class SupervisionPublic(BaseModel):
    region_prefix: str
    figures: list[FiguresPublic]


class ProjectTaskPublic(BaseModel):
    id: str
    item_code: str
    item_name_zh: str
    item_name_en: str
    department_code: str
    kind: str
    kind_zh: str  # 提前介入（不计时） for early intervention, outside the project's clock
    status: str
    due_at: LocalDateTime | None
    light: str


class ProjectPublic(BaseModel):
    """A construction project on the supervisor's board (R-SVC-CON)."""

    case_id: str
    project: str
    applicant_name: str
    region_code: str
    flow_type: str
    flow_type_en: str
    stage: str
    stage_en: str
    days_used: float
    budget_days: float
    share_used: float
    light: str
    status: str
    priority: bool
    open_tasks: list[ProjectTaskPublic]


# --- electronic licences (R-LIC-1) -----------------------------------------------------------


class LicenceVerifyCreate(Strict):
    qr_text: str = Field(
        min_length=1,
        max_length=8000,
        description="The licence number printed on the licence (YYZZ.370100SCJ.00000042.01.U), or the code "
        "(YW1:...) or address (HTTP://HOST/V/YW1:...) its QR code carries",
    )


class LicenceFieldPublic(BaseModel):
    name: str
    value: str


class LicencePublic(BaseModel):
    identifier: str
    kind_code: str
    kind_zh: str
    kind_en: str
    holder_id: str
    holder_name: str
    issuer_department_code: str
    issuer_name: str
    issued_at: LocalDateTime
    valid_until: date | None
    fields: list[LicenceFieldPublic]


class RevocationPublic(BaseModel):
    revoked_at: LocalDateTime
    revoked_on: date
    reason: str
    revoked_by: str


class LicenceVerificationPublic(BaseModel):
    status: Literal["valid", "revoked", "expired", "signature_invalid", "unknown_issuer", "malformed", "not_found"]
    message_zh: str
    message_en: str
    key_id: str | None
    licence: LicencePublic | None
    revocation: RevocationPublic | None


class WalletLicencePublic(BaseModel):
    identifier: str
    kind: str
    holder_id: str
    holder_name: str
    issued_at: LocalDateTime
    case_id: str | None
    status: Literal["valid", "revoked"]
    revoked_at: LocalDateTime | None
    revocation_reason: str | None
    qr_text: str
    verify_url: str = Field(description="The address the licence's QR code carries (the verify page with the signed code)")
    print_url: str


# --- data sharing (R-DATA-1..3) --------------------------------------------------------------


class AttachmentPublic(BaseModel):
    item_code: str
    material_code: str
    material_name_zh: str
    source: str
    reference: str
    obtained_at: LocalDateTime
    found: bool
    summary: str


class DataReadPublic(BaseModel):
    entry_id: int
    at: LocalDateTime
    reader: str
    dataset: str
    fields: list[str]
    purpose: str
    case_id: str | None


class DataRequestCreate(Strict):
    registry_field: str = Field(min_length=3, max_length=60, description="dataset.field, e.g. marriage.status")
    subject_id: str = Field(min_length=1, max_length=18)
    purpose: str = Field(min_length=1, max_length=300)


class DataRequestAnswerCreate(Strict):
    granted: bool
    note: str = Field(default="", max_length=1000)


class DataRequestPublic(BaseModel):
    id: str
    registry_field: str
    subject_id: str  # masked for a person
    purpose: str
    case_id: str
    task_id: str
    owner_department: str
    requested_by: str
    requested_at: LocalDateTime
    due_at: LocalDateTime
    status: str
    answered_at: LocalDateTime | None
    answer_note: str
    priority: bool = False


# --- credit and inspections (R-CRED, R-INSP) -------------------------------------------------


class CreditRecordPublic(BaseModel):
    record_id: str
    kind: str
    kind_zh: str
    severity: str | None
    occurred_on: date
    source_department: str
    legal_basis: str
    summary_zh: str
    contributing: bool


class CreditPublic(BaseModel):
    credit_code: str
    as_of: date
    credit_class: str
    credit_class_en: str
    rule_id: str
    rule_text_zh: str
    rules_version: str
    records: list[CreditRecordPublic]


class PublishedFilePublic(BaseModel):
    name: str
    url: str
    media_type: str


class InspectionPlanPublic(BaseModel):
    plan_id: str
    title_zh: str
    year: int
    period_start: date
    period_end: date
    departments: list[str]
    published: bool
    selected_count: int | None
    files: list[PublishedFilePublic]


class DrawVerificationPublic(BaseModel):
    plan_id: str
    ok: bool
    selected_count: int
    problems: list[str]
