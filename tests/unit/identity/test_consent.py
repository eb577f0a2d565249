"""People named in a form and where their consent starts (pure)."""

from __future__ import annotations

import datetime as dt

from yiwang.identity.consent import ConsentStatus, NamedPerson, initial_status, named_persons
from yiwang.identity.numbers import make_id_number

REP = make_id_number("370102", dt.date(1980, 1, 1), 11)
HOLDER = make_id_number("370103", dt.date(1975, 5, 5), 22)
FILER = make_id_number("370104", dt.date(1990, 9, 9), 33)


def test_named_persons_are_the_legal_rep_and_shareholders_with_their_stated_names() -> None:
    form = {
        "legal_rep_id": REP.lower(),
        "legal_rep_name": " 王五 ",
        "shareholder_2_id": HOLDER,
        "shareholder_2_name": "赵六",
        "finance_contact_id": FILER,  # not issued in their name: no consent asked
        "seller_id": FILER,
        "shareholder_3_id": "",  # left empty: nobody named
    }
    assert named_persons(form) == [
        NamedPerson("legal_rep_id", REP.upper(), "王五"),
        NamedPerson("shareholder_2_id", HOLDER, "赵六"),
    ]
    assert [p.label[0] for p in named_persons(form)] == ["法定代表人", "股东"]


def test_initial_status_at_each_boundary() -> None:
    person = NamedPerson("legal_rep_id", REP, "王五")
    # Not in the registry, or another name on record: unproved, whoever files.
    assert initial_status(person, None, frozenset({REP})) is ConsentStatus.UNPROVED
    assert initial_status(person, "王伍", frozenset({REP})) is ConsentStatus.UNPROVED
    # The registry backs them: confirmed when they file themselves, else their answer is awaited.
    assert initial_status(person, "王五", frozenset({REP})) is ConsentStatus.CONFIRMED
    assert initial_status(person, "王五", frozenset({FILER})) is ConsentStatus.PENDING
    assert initial_status(person, "王五", frozenset()) is ConsentStatus.PENDING
    # A form that states no name: only the ID is checked.
    unnamed = NamedPerson("legal_rep_id", REP, None)
    assert named_persons({"legal_rep_id": REP}) == [unnamed]
    assert initial_status(unnamed, "王五", frozenset({REP})) is ConsentStatus.CONFIRMED
    assert initial_status(unnamed, None, frozenset({REP})) is ConsentStatus.UNPROVED
