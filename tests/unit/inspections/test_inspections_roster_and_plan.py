"""Rosters (canonical CSV, hashing, validation) and plans (validation, canonical JSON)."""

from __future__ import annotations

import hashlib
import io
import json
import random

import pytest
from inspection_factories import PLAN_DOC, credit_code, plan, plan_doc, population

from yiwang.credit.models import CreditClass
from yiwang.inspections.errors import PlanError, RosterError
from yiwang.inspections.models import Inspector, RosterEntry
from yiwang.inspections.roster import (
    EnterpriseRoster,
    InspectorRoster,
    read_enterprise_roster,
    read_inspector_roster,
    write_enterprise_roster,
    write_inspector_roster,
)
from yiwang.inspections.schemas import parse_plan, plan_json_bytes, plan_to_dict

HEADER = "credit_code,name,credit_class,sector,county,last_random_joint_year,last_inspectors\n"


def entry(code: str, **fields: object) -> RosterEntry:
    base: dict[str, object] = {"credit_class": CreditClass.TRUSTWORTHY, "sector": "food",
                               "county": "370102"}
    base.update(fields)
    return RosterEntry(code, **base)  # type: ignore[arg-type]


def serialise(roster: EnterpriseRoster) -> tuple[bytes, str]:
    out = io.BytesIO()
    sha = write_enterprise_roster(roster, out)
    return out.getvalue(), sha


def test_canonical_roster_is_sorted_and_hashed_over_its_exact_bytes() -> None:
    rnd = random.Random(1)
    a, b = sorted(credit_code(rnd) for _ in range(2))
    roster = EnterpriseRoster.from_entries([
        entry(b, credit_class=CreditClass.GENERAL_DISHONESTY, name="乙公司", sector="drugs",
              last_random_joint_year=2023, last_inspectors=("S2", "S1")),
        entry(a, name='甲,"有限"公司'),
    ])
    data, sha = serialise(roster)
    assert sha == hashlib.sha256(data).hexdigest()
    assert data.decode("utf-8") == (
        HEADER
        + f'{a},"甲,""有限""公司",诚信守法,food,370102,,\n'
        + f"{b},乙公司,一般失信,drugs,370102,2023,S1;S2\n"
    )


def test_roster_round_trips_names_with_commas_and_line_breaks() -> None:
    rnd = random.Random(2)
    entries = population(120, rnd)
    entries[3] = entry(entries[3].credit_code, name="名称,含逗号\n和换行",
                       last_inspectors=("SAMR001",))
    roster = EnterpriseRoster.from_entries(entries)
    data, sha = serialise(roster)
    records = list(roster.entries())
    rnd.shuffle(records)
    reread, reread_sha = read_enterprise_roster(io.BytesIO(data))
    assert reread_sha == sha
    assert list(reread.entries()) == list(roster.entries())
    assert list(EnterpriseRoster.from_entries(records).entries()) == list(roster.entries())


def test_reading_unsorted_rows_gives_the_sorted_roster() -> None:
    rnd = random.Random(3)
    entries = population(50, rnd)
    canonical = EnterpriseRoster.from_entries(entries)
    rows = [f"{e.credit_code},{e.name},{e.credit_class.value},{e.sector},{e.county},"
            f"{e.last_random_joint_year or ''},\n" for e in entries]
    rnd.shuffle(rows)
    roster, _ = read_enterprise_roster(io.BytesIO((HEADER + "".join(rows)).encode("utf-8")))
    assert list(roster.entries()) == list(canonical.entries())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("91370102MA3C4Q8X1B,x,诚信守法,food,370102,,\n", "credit code"),  # bad check digit
        ("913701,x,诚信守法,food,370102,,\n", "line 2"),
        ("{code},x,很好,food,370102,,\n", "credit class"),
        ("{code},x,诚信守法,食品,370102,,\n", "sector"),
        ("{code},x,诚信守法,food,370102,24,\n", "year"),
        ("{code},x,诚信守法,food\n", "fields"),
        ("{code},x,诚信守法,food,370102,,\n{code},y,诚信守法,food,370102,,\n", "duplicated"),
    ],
)
def test_malformed_rosters_are_refused_with_the_reason(body: str, message: str) -> None:
    code = credit_code(random.Random(4))
    data = (HEADER + body.format(code=code)).encode("utf-8")
    with pytest.raises(RosterError, match=message):
        read_enterprise_roster(io.BytesIO(data))


def test_a_wrong_header_is_refused() -> None:
    with pytest.raises(RosterError, match="header"):
        read_enterprise_roster(io.BytesIO(b"code,class\n"))


def test_inspector_roster_round_trip_and_validation() -> None:
    rnd = random.Random(5)
    conflict = credit_code(rnd)
    roster = InspectorRoster([Inspector("TAX002", "tax", "370103"),
                              Inspector("SAMR001", "samr", "370102", frozenset({conflict}))])
    out = io.BytesIO()
    sha = write_inspector_roster(roster, out)
    assert out.getvalue().decode() == (
        f"staff_no,department,county,conflicts\nSAMR001,samr,370102,{conflict}\n"
        "TAX002,tax,370103,\n")
    reread, reread_sha = read_inspector_roster(io.BytesIO(out.getvalue()))
    assert (reread.inspectors, reread_sha) == (roster.inspectors, sha)
    with pytest.raises(RosterError, match="duplicate"):
        InspectorRoster([Inspector("A1", "tax", "1"), Inspector("A1", "samr", "1")])


# --- plans -----------------------------------------------------------------------------------


def test_plan_round_trips_through_its_canonical_json() -> None:
    value = plan()
    assert parse_plan(plan_to_dict(value)) == value
    data = plan_json_bytes(value)
    assert parse_plan(json.loads(data)) == value
    assert data == plan_json_bytes(parse_plan(json.loads(data)))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sampling_rates": {**PLAN_DOC["sampling_rates"], "严重失信": "0.2"}}, "higher"),
        ({"sampling_rates": {"诚信守法": "0.1"}}, "missing"),
        ({"sampling_rates": {**PLAN_DOC["sampling_rates"], "轻微失信": "1.5"}}, "within"),
        ({"inspectors_per_department": 1, "departments": [{"id": "samr", "name_zh": "市监"}],
          "items": [PLAN_DOC["items"][0]]}, "two inspectors"),
        ({"items": [PLAN_DOC["items"][0]]}, "no inspection items"),
        ({"items": [{**PLAN_DOC["items"][0], "department": "police"}]}, "does not join"),
        ({"period": {"start": "2024-12-01", "end": "2025-01-31"}}, "plan year"),
        ({"scope": {"counties": ["济南"]}}, "identifier"),
    ],
)
def test_invalid_plans_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(PlanError, match=message):
        parse_plan(plan_doc(**overrides))


def test_key_sectors_default_to_the_four_of_plan_9() -> None:
    doc = plan_doc()
    del doc["key_sectors"]
    assert parse_plan(doc).key_sectors == frozenset(
        {"vaccines", "drugs", "special_equipment", "hazardous_chemicals"})


def test_names_first_appearing_mid_roster_round_trip() -> None:
    rnd = random.Random(6)
    codes = sorted(credit_code(rnd) for _ in range(4))
    roster = EnterpriseRoster.from_entries(
        [entry(codes[0]), entry(codes[1]), entry(codes[2], name="丙公司"), entry(codes[3])])
    data, _ = serialise(roster)
    reread, _ = read_enterprise_roster(io.BytesIO(data))
    assert [reread.name(i) for i in range(4)] == ["", "", "丙公司", ""]
    nameless = EnterpriseRoster.from_entries([entry(code) for code in codes])
    reread, _ = read_enterprise_roster(io.BytesIO(serialise(nameless)[0]))
    assert not reread.has_names
