"""The tamper-evident access log: each entry carries the hash of the one before it.

``hash = SHA-256(previous hash || canonical JSON of the record)``. Editing any stored field,
deleting an entry or inserting one breaks the chain at that entry; `verify_chain` names the
first entry whose stored hash or link does not match. (An attacker who can rewrite the whole
tail of the log and recompute every hash is out of reach of any self-contained chain; the
latest hash is therefore also printed by `yiwang audit verify` for publishing elsewhere.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from yiwang.registries.models import AccessRecord, ChainedRecord

GENESIS = "0" * 64


def canonical(record: AccessRecord) -> bytes:
    return json.dumps(
        {
            "at": record.at.isoformat(),
            "reader": record.reader,
            "subject": record.subject_id,
            "dataset": record.dataset,
            "fields": list(record.fields),
            "purpose": record.purpose,
            "case": record.case_id,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def entry_hash(previous_hash: str, record: AccessRecord) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical(record)).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str = ""
    head_hash: str = GENESIS


def verify_chain(entries: Iterable[ChainedRecord]) -> ChainVerdict:
    """Walk the log in id order; the first entry that does not fit is reported."""
    previous = GENESIS
    count = 0
    last_id: int | None = None
    for entry in entries:
        count += 1
        if last_id is not None and entry.id != last_id + 1:
            return ChainVerdict(
                False, count, entry.id, f"entry {last_id + 1} is missing (deleted)", previous
            )
        if entry.previous_hash != previous:
            return ChainVerdict(
                False, count, entry.id, "link to the previous entry does not match", previous
            )
        if entry_hash(previous, entry.record) != entry.hash:
            return ChainVerdict(
                False, count, entry.id, "content does not match its hash (edited)", previous
            )
        previous = entry.hash
        last_id = entry.id
    return ChainVerdict(True, count, head_hash=previous)
