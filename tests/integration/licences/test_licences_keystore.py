"""The department key store on disk: private keys 0600 outside the database."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from licence_samples import sample_licence

from yiwang.licences.errors import KeyNotFound, KeyStoreError
from yiwang.licences.models import utc_now
from yiwang.licences.payload import encode_signed
from yiwang.licences.signing import DepartmentKeyStore, KeyRing
from yiwang.licences.verification import verify


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_create_writes_a_0600_private_key_and_public_metadata(tmp_path: Path) -> None:
    store = DepartmentKeyStore(tmp_path / "keys")
    key = store.create("370100SCJ")
    pem = tmp_path / "keys" / "370100SCJ" / f"{key.key_id}.pem"
    meta = pem.with_suffix(".json")
    assert pem.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert _mode(pem) == 0o600
    assert _mode(pem.parent) == 0o700
    public = json.loads(meta.read_text("utf-8"))
    assert public["key_id"] == key.key_id and public["department_code"] == "370100SCJ"
    assert "PRIVATE" not in meta.read_text("utf-8")


def test_load_gives_back_a_key_that_signs_verifiably(tmp_path: Path) -> None:
    store = DepartmentKeyStore(tmp_path)
    created = store.create("370100SCJ")
    loaded = store.load(created.key_id)
    assert loaded.key_id == created.key_id
    assert loaded.department_code == "370100SCJ"
    licence = sample_licence()
    qr_text = encode_signed(licence, loaded.key_id_bytes, loaded.sign)
    ring = KeyRing.from_document(store.published_keys_document())
    assert verify(qr_text, ring, at=licence.issued_at).is_valid


def test_current_is_the_newest_key_and_old_keys_stay_published(tmp_path: Path) -> None:
    store = DepartmentKeyStore(tmp_path)
    old = store.create("370100SCJ", created_at=utc_now() - timedelta(days=365))
    new = store.create("370100SCJ")
    other = store.create("370200SCJ")
    assert store.current("370100SCJ").key_id == new.key_id
    listed = store.list_keys()
    assert [k.key_id for k in listed] == [old.key_id, new.key_id, other.key_id]
    document = store.published_keys_document()
    assert {entry["key_id"] for entry in document["keys"]} == {old.key_id, new.key_id, other.key_id}
    assert len(store.keyring()) == 3


def test_missing_keys_are_reported(tmp_path: Path) -> None:
    store = DepartmentKeyStore(tmp_path / "nothing-yet")
    assert store.list_keys() == []
    with pytest.raises(KeyNotFound, match="yiwang keys create 370100SCJ"):
        store.current("370100SCJ")
    with pytest.raises(KeyNotFound):
        store.load("0123456789abcdef")
    with pytest.raises(KeyNotFound, match="16 hex"):
        store.load("../../etc/passwd")


def test_a_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    store = DepartmentKeyStore(tmp_path)
    key = store.create("370100SCJ")
    pem = tmp_path / "370100SCJ" / f"{key.key_id}.pem"
    pem.chmod(0o644)
    with pytest.raises(KeyStoreError, match="chmod 600"):
        store.load(key.key_id)


def test_a_department_code_cannot_leave_the_directory(tmp_path: Path) -> None:
    store = DepartmentKeyStore(tmp_path / "keys")
    with pytest.raises(KeyStoreError, match="department code"):
        store.create("../outside")
    assert not (tmp_path / "outside").exists()


def test_a_swapped_private_key_is_detected(tmp_path: Path) -> None:
    store = DepartmentKeyStore(tmp_path)
    first = store.create("370100SCJ")
    second = store.create("370100SCJ")
    folder = tmp_path / "370100SCJ"
    (folder / f"{first.key_id}.pem").write_bytes((folder / f"{second.key_id}.pem").read_bytes())
    with pytest.raises(KeyStoreError, match="does not match"):
        store.load(first.key_id)
