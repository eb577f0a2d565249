"""Typed case events against the history rows: each kind is stored in the JSON shape rows have
always had, and a row written before the events were typed reads back as its class."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from yiwang.cases import events as ev
from yiwang.cases.events import EventKind, event_from_record

AT = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
DUE = datetime(2025, 3, 6, 2, 0, tzinfo=UTC)

# One event of each kind, built as the engine and the services build them.
SAMPLES: list[ev.CaseEvent] = [
    ev.ApplicationSubmitted(
        at=AT,
        actor="clerk-1",
        subject="bundle.test",
        channel="window",
        catalog_version="v1",
        due_at=DUE,
        provisional=False,
        on_behalf_of="110101199003070011",
    ),
    ev.StageOpened(at=AT, stage="parallel", due_at=None, provisional=True),
    ev.StageClosed(at=AT, stage="parallel", working_hours_used=2.5),
    ev.ItemsSkipped(at=AT, reason="免于办理", stage="parallel", items=("t.first",)),
    ev.JointOpinion(at=AT, stage="final", departments=("a@370100", "b@370100")),
    ev.TaskOpened(
        at=AT,
        task_id="C-T1",
        item="t.first",
        task_kind="review",
        department="medical_security@370100",
        limit="3wd",
        due_at=DUE,
        provisional=False,
    ),
    ev.TaskAccepted(at=AT, actor="reviewer-a", task_id="C-T1"),
    ev.TaskCompleted(at=AT, task_id="C-T1", working_hours_used=1.0, rule=None, overdue=False),
    ev.TaskRejected(at=AT, task_id="C-T1", reason="材料不实"),
    ev.TaskCancelled(at=AT, task_id="C-T2", reason="办件已不予许可"),
    ev.TaskReturned(at=AT, task_id="C-T1", reason="不属本人"),
    ev.TaskTransferred(at=AT, task_id="C-T1", previous=None, to="reviewer-b"),
    ev.AutomaticDecision(at=AT, task_id="C-T1", rule="R-1", rule_en="rule one"),
    ev.SupplementRequested(
        at=AT, task_id="C-T1", supplement_id="C-T1-S1", materials=(ev.MaterialRef("m", "证明"),)
    ),
    ev.SupplementAnswered(
        at=AT,
        task_id="C-T1",
        supplement_id="C-T1-S1",
        attachments=("u1",),
        task_due_at=DUE,
        case_due_at=None,
    ),
    ev.OutputIssued(at=AT, output_kind="seals", number="YZ1", name="印章", pieces=("公章",)),
    ev.DataRequested(
        at=AT,
        request_id="C-T1-DAB",
        registry_field="marriage.status",
        dataset="婚姻库",
        owner_department="civil_affairs@370100",
        due_at=DUE,
        provisional=False,
    ),
    ev.DataAnswered(at=AT, task_id="C-T1", request_id="C-T1-DAB", granted=True),
    ev.CaseConcluded(
        at=AT, working_hours_used=3.0, overdue=True, outputs=(ev.OutputRef("seals", "YZ1"),)
    ),
    ev.CaseRejected(at=AT, task_id="C-T1", reason="材料不实"),
    ev.DecisionRevoked(at=AT, actor="dept", reason="虚假承诺"),
    ev.LicenceIssued(
        at=AT,
        item="t.first",
        identifier="L-1",
        licence_kind="business_licence",
        holder="91370102MA0000000X",
        issuer="market@370100",
        key_id="k1",
    ),
    ev.LicenceRevoked(at=AT, reason="虚假承诺", identifier="L-1"),
    ev.DeadlineMissed(at=AT, task_id="C-T1", due_at=DUE),
    ev.SupervisionNote(at=AT, actor="supervisor.jinan", task_id="C-T1", reason="请尽快办理"),
    ev.DeadlineRecomputed(
        at=AT,
        task_id=None,
        scope="case",
        before=AT,
        after=DUE,
        was_provisional=True,
        provisional=False,
    ),
    # The legal flow.
    ev.ApplicationAccepted(
        at=AT,
        task_id="C-T1",
        mode="by_reviewer",
        item="t.first",
        received_at=AT,
        accepted_at=AT,
        task_due_at=DUE,
        legal_basis="第三十二条",
    ),
    ev.ApplicationNotAccepted(at=AT, task_id="C-T1", item="t.first", legal_basis="第三十二条"),
    ev.CaseWithdrawn(at=AT, reason="逾期未补正", supplement_id="C-T1-S1", deemed=True),
    ev.CaseTerminated(at=AT, actor="dept", reason="主体资格消灭"),
    ev.CaseSuspended(at=AT, actor="dept", reason="等待司法结论"),
    ev.CaseResumed(at=AT, actor="dept"),
    ev.TimeLimitExtended(
        at=AT,
        task_id="C-T1",
        working_days=10,
        approved_by="局长",
        joint=False,
        cap=10,
        due_at_before=AT,
        due_at=DUE,
        legal_basis="第四十二条",
    ),
    ev.ExcludedPeriodStarted(
        at=AT,
        task_id="C-T1",
        period_id="P1",
        period_kind="hearing",
        kind_name="听证",
        notice="听证通知",
        max_working_days=20,
        ends_by=DUE,
        legal_basis="第四十五条",
    ),
    ev.ExcludedPeriodEnded(
        at=AT, task_id="C-T1", period_id="P1", period_kind="hearing", working_days_used=1.5
    ),
    ev.CommitmentSigned(
        at=AT,
        item="t.first",
        materials=(ev.MaterialRef("p", "场所证明"),),
        text="本人承诺",
        basis="依据",
        note="仅代替上列证明",
    ),
    ev.AuthorisationRecorded(
        at=AT, actor="clerk-1", agent="clerk-1", scope=("提交申请",), on_behalf_of="X"
    ),
    ev.AutomaticDecisionWithheld(at=AT, task_id="C-T1", reasons=("consent:legal_rep_id",)),
    # Kinds with the optional fields the legal flow fills in.
    ev.SupplementRequested(
        at=AT,
        task_id="C-T1",
        supplement_id="C-T1-S1",
        materials=(),
        answer_due_at=DUE,
        answer_limit="5wd",
        if_unanswered="视为撤回申请",
        legal_basis="第三十二条",
    ),
    ev.AutomaticDecision(
        at=AT,
        task_id="C-T1",
        rule="R-2",
        rule_en="rule two",
        conditions=("applicant.credit_class in A",),
        committed_materials=(),
        evidence={"applicant.credit_class": {"value": "A", "source": "credit"}},
    ),
]


def test_every_kind_has_a_sample_here() -> None:
    assert {event.kind for event in SAMPLES} == set(EventKind)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.kind.value)
def test_an_event_reads_back_from_its_row_unchanged(event: ev.CaseEvent) -> None:
    read = event_from_record(
        event.kind.value,
        at=event.at,
        actor=event.actor,
        task_id=event.task_id,
        reason=event.reason,
        data=event.data,
    )
    assert read == event and type(read) is type(event)


# Rows as the untyped history wrote them (data JSON exactly as stored before).
OLD_ROWS: list[tuple[str, dict[str, Any], ev.CaseEvent]] = [
    (
        "TaskOpened",
        {
            "item": "t.first",
            "kind": "promise_check",
            "department": "d@370100",
            "limit": "1wd",
            "due_at": "2025-03-06T02:00:00+00:00",
            "provisional": False,
        },
        ev.TaskOpened(
            at=AT,
            item="t.first",
            task_kind="promise_check",
            department="d@370100",
            limit="1wd",
            due_at=DUE,
            provisional=False,
        ),
    ),
    (
        "TaskTransferred",
        {"from": "reviewer-a", "to": "reviewer-b"},
        ev.TaskTransferred(at=AT, previous="reviewer-a", to="reviewer-b"),
    ),
    (
        "AutomaticDecision",
        {"rule": "CREDIT-COMMITMENT", "mode": "instant_commitment", "materials": ["p"]},
        ev.AutomaticDecision(
            at=AT, rule="CREDIT-COMMITMENT", mode="instant_commitment", materials=("p",)
        ),
    ),
    (
        "SupplementRequested",
        {"supplement_id": "S1", "materials": [{"code": "m", "name": "证明"}]},
        ev.SupplementRequested(at=AT, supplement_id="S1", materials=(ev.MaterialRef("m", "证明"),)),
    ),
    (
        "DeadlineMissed",
        {"due_at": "2025-03-06T02:00:00+00:00"},
        ev.DeadlineMissed(at=AT, due_at=DUE),
    ),
]


@pytest.mark.parametrize(("kind", "data", "expected"), OLD_ROWS, ids=[r[0] for r in OLD_ROWS])
def test_a_row_written_before_typing_reads_as_its_class(
    kind: str, data: dict[str, Any], expected: ev.CaseEvent
) -> None:
    read = event_from_record(kind, at=AT, actor="system", task_id=None, reason="", data=data)
    assert read == expected
    assert read.data == data  # and is written back in the same shape


def test_optional_fields_left_out_stay_out_of_the_row() -> None:
    by_rule = ev.AutomaticDecision(at=AT, rule="R-1", rule_en="rule one")
    assert by_rule.data == {"rule": "R-1", "rule_en": "rule one"}


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="NoSuchKind"):
        event_from_record("NoSuchKind", at=AT, actor="system", task_id=None, reason="", data={})
