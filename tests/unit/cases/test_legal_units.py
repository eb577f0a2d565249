"""Pure parts of the legal flow: the negative-list verdict by industry code, and the legal
record's stored form (a round trip loses nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from yiwang.cases.evidence import industry_on_negative_list
from yiwang.cases.legal_record import (
    Acceptance,
    Authorisation,
    ExcludedPeriod,
    Extension,
    LegalRecord,
    SignedCommitment,
    Suspension,
)
from yiwang.catalog.models import NegativeListEntry

LIST = {
    "FNL-F01": NegativeListEntry("FNL-F01", "prohibited", "禁止投资烟草制品批发、零售", section="F"),
    "FNL-I01": NegativeListEntry("FNL-I01", "restricted", "增值电信业务", section="I"),
}


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        ("C3421", "not_listed"),  # manufacturing: no entry in the section
        ("c34", "not_listed"),  # a division code, lower case
        ("F5227", "review"),  # retail: the section has an entry (tobacco)
        ("I6410", "review"),
        ("", "review"),  # free text only
        ("烟草制品零售", "review"),
        ("C", "review"),  # a section letter alone is not a code
        ("C34211", "review"),  # too long
        ("Z1234", "review"),  # no such section
    ],
)
def test_negative_list_verdict_by_industry_code(code: str, verdict: str) -> None:
    found, why = industry_on_negative_list(code, LIST)
    assert found == verdict and why


def test_legal_record_round_trip() -> None:
    at = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)
    record = LegalRecord(
        acceptances={"T1": Acceptance("T1", at, at, "deemed", "system")},
        commitments=[SignedCommitment("item", ("premises_proof",), "承诺", "承诺", at, "p")],
        extensions=[Extension("T1", 10, "局长", "理由", at, joint=True)],
        excluded_periods=[ExcludedPeriod("T1-X1", "T1", "hearing", "r", "n", at, "rv", 20, ended_at=at)],
        suspensions=[Suspension("r", at, "lead", resumed_at=at, resumed_by="lead")],
        authorisation=Authorisation("clerk", "WT-1", ("提交申请",), at),
    )
    assert LegalRecord.from_json(record.to_json()) == record
    assert LegalRecord.from_json(None) == LegalRecord()
