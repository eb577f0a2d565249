"""Offline trust in the revocation list: a signed sequence and issue time, and a verifier
that refuses an emptied, replayed or back-dated list; QR text only in the platform's forms."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from licence_factories import DEPARTMENT, ISSUED_AT, Setup, business_licence

from yiwang.licences import payload
from yiwang.licences.errors import InvalidRevocationList, MalformedPayload, StaleRevocationList
from yiwang.licences.models import LicenceIdentifier
from yiwang.licences.revocation import RevocationList, SeenList, check_freshness
from yiwang.licences.services import sign_licence
from yiwang.licences.verification import verify

SETUP = Setup()
REVOKED = LicenceIdentifier("YYZZ", DEPARTMENT, 1)
T0 = ISSUED_AT + timedelta(days=5)
WEEK = timedelta(days=7)


def _document(revocations: RevocationList, at: Any = T0, **kwargs: Any) -> dict[str, Any]:
    return revocations.to_document({DEPARTMENT: SETUP.key}, published_at=at, **kwargs)


def _one() -> RevocationList:
    return RevocationList().revoke(REVOKED, reason="依法吊销", revoked_by="370100SCJ/li.si", revoked_at=T0)


def test_the_list_carries_a_signed_sequence_and_issue_time() -> None:
    read = RevocationList.from_document(_document(_one()), SETUP.keyring)
    assert read.sequence == 1 and read.issued_at == T0


def test_an_emptied_list_is_refused_with_the_keys() -> None:
    document = copy.deepcopy(_document(_one()))
    document["revocations"] = []  # a mirror drops the entry and keeps the signed header
    with pytest.raises(InvalidRevocationList, match="list signature invalid"):
        RevocationList.from_document(document, SETUP.keyring)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(sequence=d["sequence"] + 5),
        lambda d: d.update(issued_at=(T0 + timedelta(days=30)).isoformat()),
        lambda d: d.pop("list_signature"),
    ],
)
def test_a_changed_or_unsigned_header_is_refused(change: Any) -> None:
    document = copy.deepcopy(_document(_one()))
    change(document)
    with pytest.raises(InvalidRevocationList):
        RevocationList.from_document(document, SETUP.keyring)


def test_an_older_list_than_the_newest_seen_is_refused() -> None:
    newest = RevocationList.from_document(_document(_one(), T0 + timedelta(hours=1)), SETUP.keyring)
    seen = check_freshness(newest, now=T0 + timedelta(hours=2), max_age=WEEK)
    # A replay of the (genuinely signed) list from before the revocation.
    old = RevocationList.from_document(_document(RevocationList(), T0), SETUP.keyring)
    assert old.sequence == 0
    with pytest.raises(StaleRevocationList, match="older than the newest seen"):
        check_freshness(old, now=T0 + timedelta(hours=2), max_age=WEEK, newest_seen=seen)
    # The state survives a round trip through its file form.
    assert SeenList.from_document(seen.to_document()) == seen


def test_a_list_older_than_the_maximum_age_is_refused_at_the_boundary() -> None:
    listed = RevocationList.from_document(_document(_one()), SETUP.keyring)
    assert check_freshness(listed, now=T0 + WEEK, max_age=WEEK).sequence == 1
    with pytest.raises(StaleRevocationList, match="more than 168 hours ago"):
        check_freshness(listed, now=T0 + WEEK + timedelta(seconds=1), max_age=WEEK)


def test_a_list_without_header_cannot_be_checked_for_freshness() -> None:
    document = _document(_one())
    for name in ("sequence", "issued_at", "list_signature"):
        document.pop(name)
    listed = RevocationList.from_document(document)  # readable without keys …
    with pytest.raises(StaleRevocationList):  # … but not trusted as fresh
        check_freshness(listed, now=T0, max_age=WEEK)


QR = sign_licence(business_licence(), SETUP.key).qr_text


@pytest.mark.parametrize(
    "prefix",
    ["", "https://zwfw.example.gov.cn/v/", "HTTPS://ZWFW.EXAMPLE.GOV.CN/V/", "http://127.0.0.1:8000/verify?code=", "https://yw.example/verify#"],
)
def test_the_platforms_address_forms_are_accepted(prefix: str) -> None:
    assert verify(prefix + QR, SETUP.keyring).status == "valid"


@pytest.mark.parametrize(
    "prefix",
    [
        "javascript:alert(1)//",
        "javascript://zwfw.example.gov.cn/v/",
        "https://evil@zwfw.example.gov.cn/v/",
        "https://zwfw.example.gov.cn/redirect?to=",
        "data:text/html,<script>x</script>#",
        "https://zwfw.example.gov.cn/v/ /v/",
        "扫码核验/",
    ],
)
def test_any_other_prefix_is_malformed(prefix: str) -> None:
    with pytest.raises(MalformedPayload):
        payload.decode(prefix + QR)
    assert verify(prefix + QR, SETUP.keyring).status == "malformed"
