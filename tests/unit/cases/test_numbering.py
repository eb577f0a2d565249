"""Output numbers: one distinct registered prefix per kind, so numbers of different kinds
never collide even when their serials meet."""

from __future__ import annotations

import re

from yiwang.cases.numbering import (
    OUTPUT_NUMBER_PREFIXES,
    UNREGISTERED_MARK,
    number_prefix,
    output_number,
)


def test_registered_prefixes_are_distinct_letters_and_leave_x_free() -> None:
    prefixes = list(OUTPUT_NUMBER_PREFIXES.values())
    assert len(set(prefixes)) == len(prefixes)
    assert all(re.fullmatch(r"[A-Z]{2,4}", prefix) for prefix in prefixes)
    assert not any(prefix.startswith(UNREGISTERED_MARK) for prefix in prefixes)


def test_talent_card_and_tax_receipt_of_one_county_and_year_differ() -> None:
    # The reported collision: both kinds began "TA" and both reached serial 1 in 370114, 2026.
    card = output_number("talent_card", "370114", 2026, 1)
    receipt = output_number("tax_receipt", "370114", 2026, 1)
    assert card != receipt
    assert card == "HC37011420260000001"


def test_no_prefix_is_the_start_of_another_kinds_number() -> None:
    # The county code begins with digits, so a number is read back to exactly one prefix.
    numbers = {kind: output_number(kind, "370102", 2026, 7) for kind in OUTPUT_NUMBER_PREFIXES}
    for kind, number in numbers.items():
        assert re.match(r"[A-Z]+", number).group(0) == OUTPUT_NUMBER_PREFIXES[kind]  # type: ignore[union-attr]


def test_an_unregistered_kind_gets_its_own_marked_prefix() -> None:
    assert number_prefix("fishing_permit") == "XFISHING_PERMIT"
    assert number_prefix("fishing_permit") not in OUTPUT_NUMBER_PREFIXES.values()
    assert number_prefix("seals") == "YZ"
