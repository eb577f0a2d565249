"""Credit supervision on the platform: credit files, post-checks of instant decisions.

The credit rules and the post-check algorithm are the pure functions of `yiwang.credit`;
this service applies their outcome in one transaction: the case's decision is revoked, the
licence it produced is revoked in the licence library, and the broken commitment is added
to the enterprise's credit file, which lowers its class as the rules say.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction

from yiwang.cases import engine
from yiwang.cases.errors import CaseError
from yiwang.cases.events import LicenceRevoked
from yiwang.cases.ports import UnitOfWorkFactory
from yiwang.credit.commitments import apply_post_check, post_check_sample
from yiwang.credit.models import (
    Classification,
    CreditRecord,
    CreditRecordAdded,
    DecisionRevoked,
    LicenceRevocationRequested,
)
from yiwang.credit.rules import CreditRules
from yiwang.credit.services import classify
from yiwang.licences.models import CHINA_TZ


@dataclass(frozen=True, slots=True)
class PostCheckResult:
    decision_id: str
    found_false: bool
    licence_revoked: str | None
    record: CreditRecord | None
    classification: Classification


@dataclass
class CreditSupervision:
    uow_factory: UnitOfWorkFactory
    rules: CreditRules
    clock: Callable[[], datetime]

    def classification(self, credit_code: str) -> Classification:
        with self.uow_factory(read_only=True) as uow:
            records = uow.credit.records(credit_code)
        return classify(records, self._today(), self.rules, credit_code=credit_code)

    def add_record(self, record: CreditRecord) -> Classification:
        """A department reports a fact; the class is re-evaluated at once."""
        with self.uow_factory() as uow:
            uow.credit.add(record)
            records = uow.credit.records(record.credit_code)
            uow.commit()
        return classify(records, self._today(), self.rules, credit_code=record.credit_code)

    def draw_post_checks(self, seed: bytes, share: Fraction | None = None) -> tuple[str, list[str]]:
        """Draw ``share`` (default: the rules' share) of the undrawn instant decisions.

        The ranking is SHA-256(seed | decision id), so the draw can be re-run by anyone who
        has the seed and the list of decisions. Returns (draw id, decision ids drawn).
        """
        draw_id = "PC-" + hashlib.sha256(seed).hexdigest()[:12]
        with self.uow_factory() as uow:
            decisions = list(uow.credit.undrawn_decisions())
            chosen = post_check_sample(
                decisions,
                share if share is not None else self.rules.commitments.post_check_share,
                seed,
            )
            ids = [decision.decision_id for decision in chosen]
            uow.credit.mark_sampled(ids, draw_id)
            uow.commit()
        return draw_id, ids

    def record_post_check(
        self,
        decision_id: str,
        *,
        found_false: bool,
        department: str,
        finding: str = "",
        legal_basis: str = "",
    ) -> PostCheckResult:
        now = self.clock().astimezone(UTC)
        with self.uow_factory() as uow:
            found = uow.credit.decision(decision_id)
            if found is None:
                raise CaseError(f"没有秒批决定 {decision_id}", f"no instant decision {decision_id}")
            decision, state = found
            if state != "sampled":
                raise CaseError(
                    f"决定 {decision_id} 未被抽中或已核查（{state or '未抽取'}）",
                    f"decision {decision_id} was not drawn or is already checked ({state or 'not drawn'})",
                )
            outcome = apply_post_check(
                decision,
                found_false=found_false,
                checked_on=self._today(),
                department=department,
                rules=self.rules,
                finding_zh=finding,
                legal_basis=legal_basis,
            )
            revoked_licence = None
            for event in outcome.events:
                if isinstance(event, DecisionRevoked):
                    case = uow.cases.get(event.case_id, with_outputs=False)
                    engine.revoke_decision(case, department, f"事后核查：{event.reason_zh}", now)
                    uow.cases.save(case)
                elif isinstance(event, LicenceRevocationRequested):
                    if uow.licences.revoke(
                        event.licence_id, reason=event.reason_zh, by=department, at=now
                    ):
                        revoked_licence = event.licence_id
                        case = uow.cases.get(decision.case_id, with_outputs=False)
                        case.record(
                            LicenceRevoked(
                                at=now, reason=event.reason_zh, identifier=event.licence_id
                            )
                        )
                        uow.cases.save(case)
                elif isinstance(event, CreditRecordAdded):
                    uow.credit.add(event.record)
            uow.credit.mark_checked(decision_id, found_false=found_false, on=self._today())
            records = uow.credit.records(decision.credit_code)
            uow.commit()
        return PostCheckResult(
            decision_id,
            found_false,
            revoked_licence,
            outcome.broken_commitment,
            classify(records, self._today(), self.rules, credit_code=decision.credit_code),
        )

    def _today(self) -> date:
        # Credit dates are Chinese calendar dates.
        return self.clock().astimezone(CHINA_TZ).date()
