"""The legal record of a case: what the Administrative Licensing Law asks to be kept beside the
workflow state (行政许可法 Art. 32, 42, 45; 国办发〔2020〕42号).

* `Acceptance`: when and how each item application was accepted (受理). The statutory clock
  of the item starts here, not at submission.
* `SignedCommitment`: the 承诺书 the applicant signed, word for word, and the proofs it replaced.
* `Extension`: a time-limit extension with the approving official and the reason (Art. 42).
* `ExcludedPeriod`: a period that does not count (Art. 45: 听证, 检验检测, 鉴定, 专家评审), with
  the written notice the applicant was given.
* `Suspension`: 中止 by the office, with its reason.
* `Authorisation`: the 授权委托书 behind a clerk's filing (帮办代办) and its scope.

Plain data with a JSON form; the rules that change it live in `yiwang.cases.legal`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


class AcceptanceMode:
    """How an application came to be accepted (the values are stored)."""

    ON_THE_SPOT = "on_the_spot"  # 当场受理 (an automatic decision at submission)
    BY_REVIEWER = "by_reviewer"  # 受理 by the department within 5 working days of receipt
    WITH_DECISION = "with_decision"  # decided at once from the queue: accepted and decided
    AFTER_SUPPLEMENT = "after_supplement"  # the one supplement notice was answered
    DEEMED = "deemed"  # Art. 32: no notice within 5 working days, accepted as of receipt


@dataclass(slots=True)
class Acceptance:
    task_id: str
    received_at: datetime
    accepted_at: datetime
    mode: str
    by: str


@dataclass(slots=True)
class SignedCommitment:
    item_code: str
    materials: tuple[str, ...]
    text_zh: str  # the text the applicant signed
    standard_text_zh: str  # the item's published 承诺书 it was based on
    signed_at: datetime
    signed_by: str


@dataclass(slots=True)
class Extension:
    task_id: str
    working_days: int
    approved_by: str
    reason: str
    at: datetime
    joint: bool = False


@dataclass(slots=True)
class ExcludedPeriod:
    id: str
    task_id: str
    kind: str  # hearing | testing | appraisal | expert_review
    reason: str
    notice: str  # the written notice (告知书) given to the applicant
    started_at: datetime
    started_by: str
    max_working_days: int
    ended_at: datetime | None = None


@dataclass(slots=True)
class Suspension:
    reason: str
    at: datetime
    by: str
    resumed_at: datetime | None = None
    resumed_by: str = ""


@dataclass(slots=True)
class Authorisation:
    """授权委托书: the applicant authorised the agent for the listed acts."""

    agent: str
    document_ref: str
    scope: tuple[str, ...]
    recorded_at: datetime


@dataclass(slots=True)
class LegalRecord:
    acceptances: dict[str, Acceptance] = field(default_factory=dict)
    commitments: list[SignedCommitment] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    excluded_periods: list[ExcludedPeriod] = field(default_factory=list)
    suspensions: list[Suspension] = field(default_factory=list)
    authorisation: Authorisation | None = None

    def open_excluded_period(self, task_id: str | None = None) -> ExcludedPeriod | None:
        for period in self.excluded_periods:
            if period.ended_at is None and (task_id is None or period.task_id == task_id):
                return period
        return None

    @property
    def open_suspension(self) -> Suspension | None:
        for suspension in self.suspensions:
            if suspension.resumed_at is None:
                return suspension
        return None

    def to_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return {
            "acceptances": {k: plain(asdict(v)) for k, v in self.acceptances.items()},
            "commitments": [plain(asdict(c)) for c in self.commitments],
            "extensions": [plain(asdict(e)) for e in self.extensions],
            "excluded_periods": [plain(asdict(p)) for p in self.excluded_periods],
            "suspensions": [plain(asdict(s)) for s in self.suspensions],
            "authorisation": plain(asdict(self.authorisation)) if self.authorisation else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> LegalRecord:
        if not data:
            return cls()

        def at(value: str | None) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        def must(value: str) -> datetime:
            return datetime.fromisoformat(value)

        authorisation = data.get("authorisation")
        return cls(
            acceptances={
                k: Acceptance(
                    task_id=v["task_id"],
                    received_at=must(v["received_at"]),
                    accepted_at=must(v["accepted_at"]),
                    mode=v["mode"],
                    by=v["by"],
                )
                for k, v in (data.get("acceptances") or {}).items()
            },
            commitments=[
                SignedCommitment(
                    item_code=c["item_code"],
                    materials=tuple(c["materials"]),
                    text_zh=c["text_zh"],
                    standard_text_zh=c["standard_text_zh"],
                    signed_at=must(c["signed_at"]),
                    signed_by=c["signed_by"],
                )
                for c in data.get("commitments") or []
            ],
            extensions=[
                Extension(
                    task_id=e["task_id"],
                    working_days=int(e["working_days"]),
                    approved_by=e["approved_by"],
                    reason=e["reason"],
                    at=must(e["at"]),
                    joint=bool(e.get("joint", False)),
                )
                for e in data.get("extensions") or []
            ],
            excluded_periods=[
                ExcludedPeriod(
                    id=p["id"],
                    task_id=p["task_id"],
                    kind=p["kind"],
                    reason=p["reason"],
                    notice=p["notice"],
                    started_at=must(p["started_at"]),
                    started_by=p["started_by"],
                    max_working_days=int(p["max_working_days"]),
                    ended_at=at(p.get("ended_at")),
                )
                for p in data.get("excluded_periods") or []
            ],
            suspensions=[
                Suspension(
                    reason=s["reason"],
                    at=must(s["at"]),
                    by=s["by"],
                    resumed_at=at(s.get("resumed_at")),
                    resumed_by=s.get("resumed_by", ""),
                )
                for s in data.get("suspensions") or []
            ],
            authorisation=Authorisation(
                agent=authorisation["agent"],
                document_ref=authorisation["document_ref"],
                scope=tuple(authorisation["scope"]),
                recorded_at=must(authorisation["recorded_at"]),
            )
            if authorisation
            else None,
        )
