"""Property tests over simulated years of draws (R-INSP-1).

Every year three plans are drawn one after the other; after each draw the roster facts are
updated (drawn enterprises were randomly inspected that year) and between years a share of
enterprises changes class. Whatever the seeds, rates and population:

* no 轻微失信 / 一般失信 enterprise is drawn a second time in a year, across all plans;
* no 诚信守法 enterprise outside the key sectors is ever drawn;
* realised rates per class stay within statistical bounds of the plan's rates;
* inside a stratum every enterprise is equally likely: the number drawn from any fixed subset
  follows the hypergeometric law (checked at 5 sigma).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import random
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inspection_factories import KEY_SECTORS, plan, plan_sha, pools, population

from yiwang.credit.models import CreditClass
from yiwang.inspections.draw import draw
from yiwang.inspections.models import RosterEntry
from yiwang.inspections.roster import EnterpriseRoster, InspectorRoster
from yiwang.inspections.services import mark_inspected

LIMITED = (CreditClass.MINOR_DISHONESTY, CreditClass.GENERAL_DISHONESTY)
RATE_CHOICES = ("0", "0.02", "0.1", "0.25", "0.4")


def _plans_for(year: int, rates: dict[str, str]) -> list[dict[str, object]]:
    base = {"year": year, "sampling_rates": rates}
    return [
        {**base, "id": f"P{year}-1", "period": {"start": f"{year}-03-01", "end": f"{year}-04-30"}},
        {**base, "id": f"P{year}-2", "period": {"start": f"{year}-06-01", "end": f"{year}-07-31"},
         "scope": {"sectors": ["food", "drugs", "retail", "vaccines"], "counties": []}},
        {**base, "id": f"P{year}-3", "period": {"start": f"{year}-10-01", "end": f"{year}-11-30"}},
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    world=st.integers(min_value=0, max_value=2**32),
    seed=st.binary(min_size=16, max_size=32),
    low_rates=st.tuples(*(st.sampled_from(RATE_CHOICES) for _ in range(3))),
    serious_rate=st.sampled_from(["0.5", "0.8", "1"]),
)
def test_simulated_years_never_break_the_rules(
    world: int, seed: bytes, low_rates: tuple[str, str, str], serious_rate: str
) -> None:
    rnd = random.Random(world)
    entries = population(300, rnd, inspected_share=0.0, year=2020)
    inspectors = InspectorRoster(pools(rnd))
    rates = dict(zip(("诚信守法", "轻微失信", "一般失信"), low_rates, strict=True))
    rates["严重失信"] = serious_rate
    drawn_in_year: dict[tuple[str, int], int] = defaultdict(int)
    totals: dict[CreditClass, list[int]] = defaultdict(lambda: [0, 0, 0])  # k, n, draws
    classes = list(CreditClass)
    for year in range(2020, 2028):
        for plan_doc in _plans_for(year, rates):
            value = plan(**plan_doc)
            roster = EnterpriseRoster.from_entries(entries)
            by_code = {entry.credit_code: entry for entry in entries}
            year_seed = hashlib.sha256(seed + value.plan_id.encode()).digest()
            result = draw(value, plan_sha(value), roster, inspectors, year_seed)
            for chosen in result.selected:
                entry = by_code[chosen.credit_code]
                assert chosen.credit_class is entry.credit_class
                if entry.credit_class is CreditClass.TRUSTWORTHY:
                    assert entry.sector in KEY_SECTORS
                if entry.credit_class in LIMITED:
                    assert drawn_in_year[(entry.credit_code, year)] == 0, (
                        f"{entry.credit_code} drawn twice in {year}")
                drawn_in_year[(entry.credit_code, year)] += 1
            for stratum in result.strata:
                exact = stratum.eligible_count * stratum.rate
                assert abs(stratum.selected_count - exact) <= Decimal("0.5")
                bucket = totals[stratum.credit_class]
                bucket[0] += stratum.selected_count
                bucket[1] += stratum.eligible_count
                bucket[2] += 1
            entries = list(mark_inspected(entries, result, year))
        # between years a fifth of the enterprises move to another class
        entries = [
            dataclasses.replace(entry, credit_class=rnd.choice(classes))
            if rnd.random() < 0.2 else entry
            for entry in entries
        ]
    for credit_class, (selected, eligible, draws) in totals.items():
        rate = float(plan(sampling_rates=rates).rate(credit_class))
        sigma = math.sqrt(max(eligible * rate * (1 - rate), 1.0))
        assert abs(selected - rate * eligible) <= 5 * sigma + draws / 2


def test_every_enterprise_of_a_stratum_is_equally_likely() -> None:
    """Over 300 seeds, the count drawn from fixed subsets is hypergeometric (5 sigma)."""
    rnd = random.Random(31)
    entries = population(1200, rnd, inspected_share=0.0)
    value = plan()
    roster = EnterpriseRoster.from_entries(entries)
    inspectors = InspectorRoster(pools(rnd))
    eligible: dict[CreditClass, list[RosterEntry]] = defaultdict(list)
    for entry in entries:
        if entry.credit_class is not CreditClass.TRUSTWORTHY or entry.sector in KEY_SECTORS:
            eligible[entry.credit_class].append(entry)
    subsets = {
        "first half by code": lambda e, members: e.credit_code < members[len(members) // 2]
        .credit_code,
        "even character 12": lambda e, members: "02468ACEGJLNQTWY".find(e.credit_code[12]) >= 0,
        "county 370102": lambda e, members: e.county == "370102",
    }
    counts: dict[tuple[CreditClass, str], int] = defaultdict(int)
    rounds = 300
    for round_number in range(rounds):
        seed = hashlib.sha256(f"uniformity {round_number}".encode()).digest()
        result = draw(value, plan_sha(value), roster, inspectors, seed)
        chosen = {c.credit_code for c in result.selected}
        for credit_class, members in eligible.items():
            for name, predicate in subsets.items():
                counts[(credit_class, name)] += sum(
                    1 for e in members if e.credit_code in chosen and predicate(e, members))
    for credit_class, members in eligible.items():
        population_size = len(members)
        drawn = math.floor(population_size * float(value.rate(credit_class)) + 0.5)
        for name, predicate in subsets.items():
            marked = sum(1 for e in members if predicate(e, members))
            expected = rounds * drawn * marked / population_size
            variance = rounds * drawn * (marked / population_size) * (
                1 - marked / population_size) * (population_size - drawn) / max(
                population_size - 1, 1)
            assert abs(counts[(credit_class, name)] - expected) <= 5 * math.sqrt(
                max(variance, 1.0)), (credit_class, name, counts[(credit_class, name)], expected)
