"""The revocation list the platform publishes is accepted offline with its published keys,
carries its sequence and issue time, and an emptied copy of it is refused."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from yiwang.bootstrap import Platform, build_services
from yiwang.licences.errors import InvalidRevocationList
from yiwang.licences.revocation import RevocationList, check_freshness
from yiwang.licences.signing import KeyRing
from yiwang.licences.views import revocations_document

pytestmark = pytest.mark.integration


def test_the_published_list_verifies_offline_and_an_emptied_copy_does_not(platform: Platform) -> None:
    document = revocations_document(build_services(platform))
    keyring = KeyRing.from_document(platform.licence_keys.published_keys_document(published_at=platform.clock()))
    listed = RevocationList.from_document(document, keyring)
    assert listed.sequence == len(listed) and listed.issued_at == platform.clock()
    assert check_freshness(listed, now=platform.clock() + timedelta(hours=1), max_age=timedelta(days=7)).sequence == listed.sequence
    forged = copy.deepcopy(document)
    forged["sequence"] = listed.sequence + 1  # a mirror claiming a newer list
    with pytest.raises(InvalidRevocationList, match="list signature invalid"):
        RevocationList.from_document(forged, keyring)
