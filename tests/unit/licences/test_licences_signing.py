"""Department keys and the published key ring (in memory; the key store is integration)."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest
from licence_factories import DEPARTMENT, ISSUED_AT, OTHER_DEPARTMENT, Setup

from yiwang.licences.errors import InvalidKeyDocument, KeyStoreError
from yiwang.licences.signing import (
    KEYS_DOCUMENT_FORMAT,
    DepartmentKey,
    KeyRing,
    PublishedKey,
    key_id_for,
    published_keys_document,
)

SETUP = Setup()


def _document() -> dict[str, Any]:
    return published_keys_document([SETUP.key.published, SETUP.other_key.published], ISSUED_AT)


def test_key_id_is_the_first_eight_bytes_of_sha256_of_the_public_key() -> None:
    import hashlib

    key = SETUP.key
    assert key.key_id_bytes == hashlib.sha256(key.public_key_raw).digest()[:8]
    assert key.key_id == key.key_id_bytes.hex() and len(key.key_id) == 16
    assert key_id_for(key.public_key_raw) == key.key_id_bytes


def test_published_document_round_trips_through_json() -> None:
    document = json.loads(json.dumps(_document()))
    assert document["format"] == KEYS_DOCUMENT_FORMAT
    assert [entry["department_code"] for entry in document["keys"]] == [
        DEPARTMENT,
        OTHER_DEPARTMENT,
    ]
    assert all(entry["algorithm"] == "Ed25519" for entry in document["keys"])
    ring = KeyRing.from_document(document)
    assert len(ring) == 2
    assert ring.get(SETUP.key.key_id) == SETUP.key.published
    assert SETUP.key.key_id in ring and SETUP.key.key_id_bytes in ring
    assert "zz" not in ring
    assert ring.for_department(OTHER_DEPARTMENT) == (SETUP.other_key.published,)


def test_the_ring_checks_signatures_with_the_right_key() -> None:
    ring = KeyRing.from_document(_document())
    signature = SETUP.key.sign(b"message")
    assert ring.verify(SETUP.key.key_id_bytes, signature, b"message") == SETUP.key.published
    assert ring.verify(SETUP.key.key_id_bytes, signature, b"massage") is None
    assert ring.verify(SETUP.other_key.key_id_bytes, signature, b"message") is None
    assert ring.verify(b"\x00" * 8, signature, b"message") is None


def test_a_document_cannot_map_a_key_id_onto_another_public_key() -> None:
    document = _document()
    document["keys"][0]["public_key"] = document["keys"][1]["public_key"]
    with pytest.raises(InvalidKeyDocument, match="does not match"):
        KeyRing.from_document(document)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d.update(format="other/1"), "format"),
        (lambda d: d.update(keys={}), "list"),
        (lambda d: d["keys"][0].update(algorithm="RSA"), "algorithm"),
        (lambda d: d["keys"][0].update(public_key="***"), "bad public key"),
        (lambda d: d["keys"][0].pop("created_at"), "created_at"),
        (lambda d: d["keys"][0].update(created_at="2026-11-26T09:00:00"), "timezone"),
        (lambda d: d["keys"][0].update(department_code="a/b"), "department code"),
        (
            lambda d: d["keys"][0].update(public_key=base64.b64encode(b"x" * 31).decode()),
            "32 bytes",
        ),
    ],
)
def test_broken_documents_are_refused_with_a_reason(change: Any, says: str) -> None:
    document = copy.deepcopy(_document())
    change(document)
    with pytest.raises(InvalidKeyDocument, match=says):
        KeyRing.from_document(document)


def test_the_same_key_listed_for_two_departments_is_refused() -> None:
    published = SETUP.key.published
    twin = PublishedKey(OTHER_DEPARTMENT, published.key_id, published.public_key, ISSUED_AT)
    with pytest.raises(InvalidKeyDocument, match="two departments"):
        KeyRing([published, twin])


def test_from_json_reports_bad_json() -> None:
    with pytest.raises(InvalidKeyDocument, match="JSON"):
        KeyRing.from_json("{not json")


def test_private_key_pem_round_trips_in_memory() -> None:
    pem = SETUP.key.to_pem()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    again = DepartmentKey.from_pem(DEPARTMENT, pem, SETUP.key.created_at)
    assert again.key_id == SETUP.key.key_id
    assert again.sign(b"m") == SETUP.key.sign(b"m")


def test_department_codes_are_checked() -> None:
    with pytest.raises(KeyStoreError):
        DepartmentKey.generate("../../etc")
