"""撤销清单: one revocation per licence version, JSON document, per-entry signatures."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from licence_factories import DEPARTMENT, ISSUED_AT, OTHER_DEPARTMENT, Setup

from yiwang.licences.errors import AlreadyRevoked, InvalidLicence, InvalidRevocationList
from yiwang.licences.models import LicenceIdentifier, Revocation
from yiwang.licences.revocation import RevocationList

SETUP = Setup()
FIRST = LicenceIdentifier("YYZZ", DEPARTMENT, 1)
SECOND = LicenceIdentifier("YYZZ", OTHER_DEPARTMENT, 2)
AT = ISSUED_AT + timedelta(days=5)


def _list() -> RevocationList:
    return (
        RevocationList()
        .revoke(FIRST, reason="依法吊销营业执照", revoked_by="370100SCJ/li.si", revoked_at=AT)
        .revoke(SECOND, reason="申请注销", revoked_by="370200SCJ/wang.wu", revoked_at=AT)
    )


def _signers() -> dict[str, Any]:
    return {DEPARTMENT: SETUP.key, OTHER_DEPARTMENT: SETUP.other_key}


def test_revoke_returns_a_new_list_and_looks_up_by_identifier_or_text() -> None:
    empty = RevocationList()
    revoked = empty.revoke(FIRST, reason="吊销", revoked_by="x", revoked_at=AT)
    assert len(empty) == 0 and len(revoked) == 1
    assert revoked.is_revoked(FIRST) and revoked.is_revoked(FIRST.text)
    assert FIRST in revoked and FIRST.text in revoked and 42 not in revoked
    assert not revoked.is_revoked(FIRST.next_version())
    assert not revoked.is_revoked(FIRST, at=AT - timedelta(seconds=1))
    assert revoked.is_revoked(FIRST, at=AT)


def test_a_licence_cannot_be_revoked_twice() -> None:
    revoked = RevocationList().revoke(FIRST, reason="吊销", revoked_by="x", revoked_at=AT)
    with pytest.raises(AlreadyRevoked, match=FIRST.text):
        revoked.revoke(FIRST, reason="again", revoked_by="x")


def test_a_revocation_needs_a_reason_and_an_aware_time() -> None:
    with pytest.raises(InvalidLicence, match="reason"):
        Revocation(FIRST, AT, "  ", "x")
    with pytest.raises(InvalidLicence, match="timezone"):
        Revocation(FIRST, AT.replace(tzinfo=None), "吊销", "x")


def test_unsigned_document_round_trips_without_a_keyring() -> None:
    revocations = _list()
    again = RevocationList.from_json(revocations.to_json(published_at=AT))
    assert set(again) == set(revocations) and len(again) == 2
    assert again.get(FIRST) == revocations.get(FIRST)


def test_signed_document_is_accepted_with_the_published_keys() -> None:
    document = _list().to_document(_signers(), published_at=AT)
    assert all("signature" in entry for entry in document["revocations"])
    again = RevocationList.from_document(document, SETUP.keyring)
    assert again.get(SECOND) == _list().get(SECOND)


def _entry_for(document: dict[str, Any], identifier: LicenceIdentifier) -> dict[str, Any]:
    entries: list[dict[str, Any]] = document["revocations"]
    return next(entry for entry in entries if entry["identifier"] == identifier.text)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda e: e.update(reason="改过的原因"), "signature invalid"),
        (lambda e: e.update(revoked_at=(AT + timedelta(days=1)).isoformat()), "signature invalid"),
        (lambda e: e.pop("signature"), "not signed"),
        (lambda e: e["signature"].update(key_id="00" * 8), "unknown key"),
        (lambda e: e["signature"].update(value="!!"), "base64"),
    ],
)
def test_a_changed_or_unsigned_entry_is_refused_with_a_keyring(change: Any, says: str) -> None:
    document = copy.deepcopy(_list().to_document(_signers(), published_at=AT))
    change(_entry_for(document, FIRST))
    with pytest.raises(InvalidRevocationList, match=says):
        RevocationList.from_document(document, SETUP.keyring)


def test_an_entry_signed_by_another_department_is_refused() -> None:
    # The 青岛 key signs the revocation of a 济南 licence.
    document = _list().to_document({DEPARTMENT: SETUP.other_key}, published_at=AT)
    with pytest.raises(InvalidRevocationList, match="not by the issuer"):
        RevocationList.from_document(document, SETUP.keyring)


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ([], "object"),
        ({"format": "x"}, "format"),
        ({"format": "yiwang-licence-revocations/1"}, "list"),
        ({"format": "yiwang-licence-revocations/1", "revocations": [1]}, "object"),
        (
            {"format": "yiwang-licence-revocations/1", "revocations": [{"identifier": "x"}]},
            "revoked_at",
        ),
        (
            {
                "format": "yiwang-licence-revocations/1",
                "revocations": [
                    {
                        "identifier": "bad",
                        "revoked_at": AT.isoformat(),
                        "reason": "r",
                        "revoked_by": "b",
                    }
                ],
            },
            "invalid licence identifier",
        ),
    ],
)
def test_broken_documents_are_refused(document: Any, says: str) -> None:
    with pytest.raises(InvalidRevocationList, match=says):
        RevocationList.from_document(document)


def test_duplicate_entries_in_a_document_are_refused() -> None:
    document = _list().to_document(published_at=AT)
    document["revocations"].append(document["revocations"][0])
    with pytest.raises(InvalidRevocationList, match="already revoked"):
        RevocationList.from_document(document)
