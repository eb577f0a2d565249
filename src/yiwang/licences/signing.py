"""Department signing keys (Ed25519), the key store on disk, and the published key ring.

Each issuing department has one or more Ed25519 keys; the newest signs, older ones stay
published so that licences they signed keep verifying. A key is named by its key id: the
first 8 bytes of SHA-256 of the raw 32-byte public key, written as 16 hex digits.

Private keys live outside the database, in a directory (default ``<data_dir>/keys``)::

    keys/<DEPARTMENT_CODE>/<key id>.pem    PKCS#8 PEM private key, mode 0600 (dir 0700)
    keys/<DEPARTMENT_CODE>/<key id>.json   public metadata: department, key id, public key,
                                           created_at

The public half is published as one JSON document at a well-known URL
(``/.well-known/yiwang-licence-keys.json`` is suggested)::

    {"format": "yiwang-licence-keys/1", "published_at": "2024-05-01T09:00:00+08:00",
     "keys": [{"department_code": "370100SCJ", "key_id": "3f2a...", "algorithm": "Ed25519",
               "public_key": "<base64 of the 32 raw bytes>",
               "created_at": "2024-05-01T08:59:00+08:00"}]}

`KeyRing.from_document` reads it back and checks every key id against its public key, so a
document cannot map a key id onto another key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from yiwang.licences.errors import InvalidKeyDocument, KeyNotFound, KeyStoreError
from yiwang.licences.models import ISSUER_CODE_RE, utc_now
from yiwang.licences.payload import KEY_ID_BYTES

ALGORITHM = "Ed25519"
KEYS_DOCUMENT_FORMAT = "yiwang-licence-keys/1"
WELL_KNOWN_PATH = "/.well-known/yiwang-licence-keys.json"
_PUBLIC_KEY_BYTES = 32
_KEY_ID_RE = re.compile(r"[0-9a-f]{16}")


def key_id_for(public_key_raw: bytes) -> bytes:
    """The 8-byte key id of a raw Ed25519 public key."""
    return hashlib.sha256(public_key_raw).digest()[:KEY_ID_BYTES]


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _aware(value: datetime, what: str) -> datetime:
    if value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return value


@dataclass(frozen=True, slots=True)
class PublishedKey:
    """The public half of a department key, as published."""

    department_code: str
    key_id: str
    public_key: bytes
    created_at: datetime

    def __post_init__(self) -> None:
        if not ISSUER_CODE_RE.fullmatch(self.department_code):
            raise InvalidKeyDocument(
                f"部门代码 {self.department_code!r} 须为 2-18 位大写字母或数字",
                f"department code {self.department_code!r} must be 2-18 of [0-9A-Z]",
            )
        if len(self.public_key) != _PUBLIC_KEY_BYTES:
            raise InvalidKeyDocument(
                f"公钥须为 {_PUBLIC_KEY_BYTES} 字节",
                f"public key must be {_PUBLIC_KEY_BYTES} bytes",
            )
        if key_id_for(self.public_key).hex() != self.key_id:
            raise InvalidKeyDocument(
                f"密钥编号 {self.key_id!r} 与公钥不符",
                f"key id {self.key_id!r} does not match its public key",
            )
        if self.created_at.utcoffset() is None:
            raise InvalidKeyDocument("创建时间须带时区", "created_at must be timezone-aware")

    @property
    def key_id_bytes(self) -> bytes:
        return bytes.fromhex(self.key_id)

    def to_dict(self) -> dict[str, str]:
        return {
            "department_code": self.department_code,
            "key_id": self.key_id,
            "algorithm": ALGORITHM,
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any]) -> PublishedKey:
        if not isinstance(entry, Mapping):
            raise InvalidKeyDocument("密钥条目须为对象", "each key entry must be an object")
        values: dict[str, str] = {}
        for name in ("department_code", "key_id", "public_key", "created_at"):
            value = entry.get(name)
            if not isinstance(value, str):
                raise InvalidKeyDocument(f"缺少字段 {name}", f"key entry lacks the text {name!r}")
            values[name] = value
        if entry.get("algorithm", ALGORITHM) != ALGORITHM:
            raise InvalidKeyDocument(
                f"不支持的算法 {entry.get('algorithm')!r}",
                f"unsupported algorithm {entry.get('algorithm')!r}",
            )
        try:
            public_key = base64.b64decode(values["public_key"], validate=True)
            created_at = datetime.fromisoformat(values["created_at"])
        except (binascii.Error, ValueError):
            raise InvalidKeyDocument(
                f"密钥 {values['key_id']!r} 的公钥或时间格式错误",
                f"key {values['key_id']!r} has a bad public key or created_at",
            ) from None
        return cls(values["department_code"], values["key_id"], public_key, created_at)


class DepartmentKey:
    """A department's private signing key, in memory. Signs licences and revocations."""

    __slots__ = (
        "_private",
        "created_at",
        "department_code",
        "key_id",
        "key_id_bytes",
        "public_key_raw",
    )

    def __init__(
        self, department_code: str, private_key: Ed25519PrivateKey, created_at: datetime
    ) -> None:
        if not ISSUER_CODE_RE.fullmatch(department_code):
            raise KeyStoreError(
                department_code,
                "部门代码须为 2-18 位大写字母或数字",
                "department code must be 2-18 of [0-9A-Z]",
            )
        self.department_code = department_code
        self.created_at = _aware(created_at, "created_at")
        self._private = private_key
        self.public_key_raw = _raw_public(private_key.public_key())
        self.key_id_bytes = key_id_for(self.public_key_raw)
        self.key_id = self.key_id_bytes.hex()

    @classmethod
    def generate(cls, department_code: str, created_at: datetime | None = None) -> DepartmentKey:
        return cls(department_code, Ed25519PrivateKey.generate(), created_at or utc_now())

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    @property
    def published(self) -> PublishedKey:
        return PublishedKey(self.department_code, self.key_id, self.public_key_raw, self.created_at)

    def to_pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @classmethod
    def from_pem(cls, department_code: str, pem: bytes, created_at: datetime) -> DepartmentKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyStoreError(department_code, "不是 Ed25519 私钥", "not an Ed25519 private key")
        return cls(department_code, key, created_at)

    def __repr__(self) -> str:
        return f"DepartmentKey({self.department_code!r}, key_id={self.key_id!r})"


class KeyRing:
    """Published public keys by key id, with the loaded key objects cached for fast checks."""

    __slots__ = ("_by_id",)

    def __init__(self, keys: Iterable[PublishedKey] = ()) -> None:
        self._by_id: dict[bytes, tuple[PublishedKey, Ed25519PublicKey]] = {}
        for key in keys:
            key_id = key.key_id_bytes
            known = self._by_id.get(key_id)
            if known is not None and known[0].department_code != key.department_code:
                raise InvalidKeyDocument(
                    f"密钥 {key.key_id} 同时属于两个部门",
                    f"key {key.key_id} is listed for two departments",
                )
            self._by_id[key_id] = (key, Ed25519PublicKey.from_public_bytes(key.public_key))

    def get(self, key_id: bytes | str) -> PublishedKey | None:
        """The published key with this id (raw bytes or hex), or None."""
        if isinstance(key_id, str):
            try:
                key_id = bytes.fromhex(key_id)
            except ValueError:
                return None
        entry = self._by_id.get(key_id)
        return None if entry is None else entry[0]

    def verify(self, key_id: bytes, signature: bytes, message: bytes) -> PublishedKey | None:
        """The key that made ``signature`` over ``message``; None if unknown or not valid.

        Use `get` first to tell an unknown key from a bad signature.
        """
        entry = self._by_id.get(key_id)
        if entry is None:
            return None
        try:
            entry[1].verify(signature, message)
        except InvalidSignature:
            return None
        return entry[0]

    def for_department(self, department_code: str) -> tuple[PublishedKey, ...]:
        return tuple(k for k, _ in self._by_id.values() if k.department_code == department_code)

    def __iter__(self) -> Iterator[PublishedKey]:
        return iter(k for k, _ in self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, key_id: object) -> bool:
        return isinstance(key_id, bytes | str) and self.get(key_id) is not None

    def to_document(self, published_at: datetime | None = None) -> dict[str, Any]:
        return published_keys_document(self, published_at)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> KeyRing:
        """Read a published-keys document; raise `InvalidKeyDocument` if it is not one."""
        if not isinstance(document, Mapping):
            raise InvalidKeyDocument("须为 JSON 对象", "must be a JSON object")
        if document.get("format") != KEYS_DOCUMENT_FORMAT:
            raise InvalidKeyDocument(
                f"格式应为 {KEYS_DOCUMENT_FORMAT}", f"format must be {KEYS_DOCUMENT_FORMAT!r}"
            )
        keys = document.get("keys")
        if not isinstance(keys, list):
            raise InvalidKeyDocument("缺少 keys 列表", "'keys' must be a list")
        return cls(PublishedKey.from_dict(entry) for entry in keys)

    @classmethod
    def from_json(cls, text: str | bytes) -> KeyRing:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise InvalidKeyDocument("不是有效的 JSON", f"not valid JSON ({exc})") from None
        return cls.from_document(document)


def published_keys_document(
    keys: Iterable[PublishedKey], published_at: datetime | None = None
) -> dict[str, Any]:
    """The well-known document listing ``keys``, sorted by department and creation time."""
    ordered = sorted(keys, key=lambda k: (k.department_code, k.created_at, k.key_id))
    return {
        "format": KEYS_DOCUMENT_FORMAT,
        "published_at": (published_at or utc_now()).isoformat(),
        "keys": [k.to_dict() for k in ordered],
    }


class DepartmentKeyStore:
    """Private keys of departments in a directory on disk (never in the database)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _department_dir(self, department_code: str) -> Path:
        # The pattern also keeps the code from walking out of the directory ("../x").
        if not ISSUER_CODE_RE.fullmatch(department_code):
            raise KeyStoreError(
                str(self.directory),
                f"部门代码 {department_code!r} 须为 2-18 位大写字母或数字",
                f"department code {department_code!r} must be 2-18 of [0-9A-Z]",
            )
        return self.directory / department_code

    def create(self, department_code: str, *, created_at: datetime | None = None) -> DepartmentKey:
        """Generate a new key for the department; it becomes the department's current key."""
        department_dir = self._department_dir(department_code)
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            department_dir.mkdir(mode=0o700, exist_ok=True)
            os.chmod(department_dir, 0o700)
        except OSError as exc:
            raise KeyStoreError(
                str(department_dir), "无法创建目录", f"cannot create ({exc})"
            ) from exc
        key = DepartmentKey.generate(department_code, created_at)
        meta = json.dumps(key.published.to_dict(), ensure_ascii=False, indent=2) + "\n"
        _write_new(department_dir / f"{key.key_id}.pem", key.to_pem(), 0o600)
        _write_new(department_dir / f"{key.key_id}.json", meta.encode("utf-8"), 0o644)
        return key

    def list_keys(self) -> list[PublishedKey]:
        """Every key in the store (public halves), by department then creation time."""
        if not self.directory.is_dir():
            return []
        keys = []
        for meta_path in sorted(self.directory.glob("*/*.json")):
            keys.append(self._read_meta(meta_path))
        keys.sort(key=lambda k: (k.department_code, k.created_at, k.key_id))
        return keys

    def _read_meta(self, meta_path: Path) -> PublishedKey:
        try:
            key = PublishedKey.from_dict(json.loads(meta_path.read_text("utf-8")))
        except (OSError, ValueError) as exc:
            raise KeyStoreError(str(meta_path), "无法读取密钥信息", f"cannot read ({exc})") from exc
        if meta_path.stem != key.key_id or meta_path.parent.name != key.department_code:
            raise KeyStoreError(
                str(meta_path), "文件名与内容不符", "file name does not match its content"
            )
        return key

    def load(self, key_id: str) -> DepartmentKey:
        """The private key with this id (16 hex digits); `KeyNotFound` if the store lacks it."""
        if not _KEY_ID_RE.fullmatch(key_id):
            raise KeyNotFound(f"key id {key_id!r} (expected 16 hex digits)")
        for meta_path in self.directory.glob(f"*/{key_id}.json"):
            published = self._read_meta(meta_path)
            pem_path = meta_path.with_suffix(".pem")
            try:
                mode = pem_path.stat().st_mode
                if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
                    raise KeyStoreError(
                        str(pem_path),
                        f"私钥文件权限过宽（{stat.filemode(mode)}），应为 0600",
                        f"private key is readable by others ({stat.filemode(mode)}); chmod 600",
                    )
                key = DepartmentKey.from_pem(
                    published.department_code, pem_path.read_bytes(), published.created_at
                )
            except OSError as exc:
                raise KeyStoreError(str(pem_path), "无法读取私钥", f"cannot read ({exc})") from exc
            except ValueError as exc:
                raise KeyStoreError(
                    str(pem_path), "私钥格式错误", f"bad private key ({exc})"
                ) from exc
            if key.key_id != published.key_id:
                raise KeyStoreError(
                    str(pem_path), "私钥与公钥信息不符", "private key does not match its metadata"
                )
            return key
        raise KeyNotFound(f"key id {key_id}")

    def current(self, department_code: str) -> DepartmentKey:
        """The department's newest key, which signs what it issues now."""
        keys = [k for k in self.list_keys() if k.department_code == department_code]
        if not keys:
            raise KeyNotFound(
                f"department {department_code} (yiwang keys create {department_code})"
            )
        return self.load(keys[-1].key_id)

    def keyring(self) -> KeyRing:
        return KeyRing(self.list_keys())

    def published_keys_document(self, published_at: datetime | None = None) -> dict[str, Any]:
        return published_keys_document(self.list_keys(), published_at)


def _write_new(path: Path, content: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:
        raise KeyStoreError(str(path), "无法写入", f"cannot write ({exc})") from exc
    with os.fdopen(fd, "wb") as file:
        os.fchmod(file.fileno(), mode)  # the umask must not loosen or tighten it
        file.write(content)
