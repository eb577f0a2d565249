"""The tamper-evident access log: each entry carries the hash of the one before it.

``hash = SHA-256(previous hash || canonical JSON of the record)``. Editing any stored field,
deleting an entry or inserting one breaks the chain at that entry; `verify_chain` names the
first entry whose stored hash or link does not match.

Deleting the *last* entries leaves a shorter chain that is still consistent, so the chain is
also checked against the head row (the last id and hash every writer moves forward, under
a trigger that refuses to move it back or delete it): fewer entries than the head counts, or
a last hash that differs from the head's, is reported as truncation. (An attacker who can
rewrite the whole log, head included, and recompute every hash is out of reach of any
self-contained chain; the head hash is therefore printed by `yiwang audit verify` for
publishing elsewhere.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class Head:
    last_id: int
    last_hash: str


def verify_chain(entries: Iterable[ChainedRecord], head: Head | Literal[False] | None = False) -> ChainVerdict:
    """Walk the log in id order; the first entry that does not fit is reported.

    With ``head`` (the stored head row, or None when that row is missing), the end of the
    chain must also be where the head says; ``False`` skips that check (reading a subset).
    """
    verdict = _walk(entries)
    if not verdict.ok or head is False:
        return verdict
    last_id = verdict.entries  # ids are 1, 2, 3 … (checked by the walk)
    if head is None:
        if last_id == 0:
            return verdict
        return ChainVerdict(False, last_id, None, "the head row is missing (deleted)", verdict.head_hash)
    if head.last_id > last_id:
        missing = head.last_id - last_id
        which = "every entry" if last_id == 0 else f"entries {last_id + 1}–{head.last_id}"
        return ChainVerdict(
            False,
            last_id,
            last_id + 1,
            f"truncated: {which} missing ({missing} deleted; the head counts {head.last_id})",
            verdict.head_hash,
        )
    if head.last_id < last_id:
        return ChainVerdict(
            False, last_id, head.last_id + 1, f"entries after {head.last_id} are not counted by the head", verdict.head_hash
        )
    if head.last_hash != verdict.head_hash:
        return ChainVerdict(False, last_id, last_id, "the last entry's hash differs from the head's", verdict.head_hash)
    return verdict


def _walk(entries: Iterable[ChainedRecord]) -> ChainVerdict:
    previous = GENESIS
    count = 0
    last_id: int | None = None
    for entry in entries:
        count += 1
        if last_id is None and entry.id != 1:
            return ChainVerdict(False, count, entry.id, f"entries 1–{entry.id - 1} are missing (deleted)", previous)
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
