"""Publication before/after and verification of a draw, in memory (R-INSP-3)."""

from __future__ import annotations

import dataclasses
import io
import json
import random
from typing import Any

import pytest
from inspection_factories import SEED, plan, pools, population

from yiwang.credit.models import CreditClass
from yiwang.inspections.draw import draw
from yiwang.inspections.models import RosterEntry
from yiwang.inspections.roster import (
    EnterpriseRoster,
    InspectorRoster,
    read_enterprise_roster,
    write_enterprise_roster,
    write_inspector_roster,
)
from yiwang.inspections.schemas import plan_json_bytes
from yiwang.inspections.services import (
    PreDrawPublication,
    pre_publication_from_dict,
    pre_publication_to_dict,
    publish_before,
    seed_commitment,
    selection_csv,
    selection_to_dict,
    verify_draw,
)

BEACON = "3051.28"


@dataclasses.dataclass
class Published:
    pre: PreDrawPublication
    plan_bytes: bytes
    enterprises_csv: bytes
    inspectors_csv: bytes
    selection: dict[str, Any]


def publish(entries: list[RosterEntry] | None = None) -> Published:
    rnd = random.Random(21)
    value = plan()
    entries = entries if entries is not None else population(400, rnd)
    roster = EnterpriseRoster.from_entries(entries)
    inspectors = InspectorRoster(pools(rnd))
    enterprises_out, inspectors_out = io.BytesIO(), io.BytesIO()
    e_sha = write_enterprise_roster(roster, enterprises_out)
    i_sha = write_inspector_roster(inspectors, inspectors_out)
    plan_bytes = plan_json_bytes(value)
    pre = publish_before(value, plan_bytes, e_sha, i_sha, SEED)
    result = draw(value, pre.plan_sha256, roster, inspectors, SEED, BEACON)
    selection = json.loads(json.dumps(selection_to_dict(result)))
    return Published(pre, plan_bytes, enterprises_out.getvalue(), inspectors_out.getvalue(),
                     selection)


def verify(p: Published, *, seed: bytes = SEED, beacon: str = BEACON,
           enterprises_csv: bytes | None = None, plan_bytes: bytes | None = None,
           selection: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    from yiwang.inspections.roster import read_inspector_roster

    roster, e_sha = read_enterprise_roster(io.BytesIO(enterprises_csv or p.enterprises_csv))
    inspectors, i_sha = read_inspector_roster(io.BytesIO(p.inspectors_csv))
    result = verify_draw(pre=p.pre, plan_bytes=plan_bytes or p.plan_bytes, enterprises=roster,
                         enterprises_sha256=e_sha, inspectors=inspectors, inspectors_sha256=i_sha,
                         seed=seed, beacon=beacon, published_selection=selection or p.selection)
    return [(problem.code, problem.message) for problem in result.problems]


def test_pre_publication_reveals_only_a_commitment_to_the_seed() -> None:
    p = publish()
    document = pre_publication_to_dict(p.pre)
    assert SEED.hex() not in json.dumps(document)
    assert document["seed_commitment"] == seed_commitment(SEED)
    assert pre_publication_from_dict(document) == p.pre


def test_the_published_draw_verifies() -> None:
    assert verify(publish()) == []


def test_one_changed_enterprise_in_the_roster_fails_naming_the_roster_hash() -> None:
    p = publish()
    text = p.enterprises_csv.decode("utf-8")
    lines = text.split("\n")
    fields = lines[5].split(",")
    fields[2] = "严重失信" if fields[2] != "严重失信" else "诚信守法"
    lines[5] = ",".join(fields)
    problems = verify(p, enterprises_csv="\n".join(lines).encode("utf-8"))
    assert "roster_hash" in [code for code, _ in problems]
    message = dict(problems)["roster_hash"]
    assert "enterprise roster hash" in message and "企业名册" in message


def test_a_different_seed_fails_on_the_commitment_and_the_selection() -> None:
    problems = dict(verify(publish(), seed=bytes(reversed(SEED))))
    assert "seed_commitment" in problems
    assert "selection" in problems


def test_a_different_beacon_changes_the_selection() -> None:
    assert [code for code, _ in verify(publish(), beacon="3051.29")] == ["selection"]


def test_a_tampered_selection_is_named() -> None:
    p = publish()
    tampered = json.loads(json.dumps(p.selection))
    removed = tampered["selected"].pop(0)
    problems = dict(verify(p, selection=tampered))
    assert removed["credit_code"] in problems["selection"]
    assert "drawn but not published" in problems["selection"]


def test_swapped_inspectors_are_named() -> None:
    p = publish()
    tampered = json.loads(json.dumps(p.selection))
    first = tampered["selected"][0]
    first["inspectors"]["samr"] = list(reversed(first["inspectors"]["samr"]))
    problems = dict(verify(p, selection=tampered))
    assert first["credit_code"] in problems["selection"]


def test_a_changed_plan_fails_on_the_plan_hash() -> None:
    p = publish()
    document = json.loads(p.plan_bytes)
    document["sampling_rates"]["严重失信"] = "0.9"
    changed = json.dumps(document, ensure_ascii=False).encode("utf-8")
    problems = dict(verify(p, plan_bytes=changed))
    assert "plan_hash" in problems and "selection" in problems


def test_selection_open_data_csv_lists_every_drawn_enterprise() -> None:
    rnd = random.Random(22)
    value = plan()
    entries = population(200, rnd)
    result = draw(value, "ab" * 32, EnterpriseRoster.from_entries(entries),
                  InspectorRoster(pools(rnd)), SEED)
    lines = selection_csv(result).splitlines()
    assert lines[0].startswith("plan_id,credit_code,name,credit_class")
    assert len(lines) == 1 + len(result.selected)
    assert {line.split(",")[1] for line in lines[1:]} == {e.credit_code for e in result.selected}


@pytest.mark.parametrize("credit_class", list(CreditClass))
def test_selection_json_names_each_stratum(credit_class: CreditClass) -> None:
    strata = publish().selection["strata"]
    assert credit_class.value in [s["credit_class"] for s in strata]
