"""The append-only, hash-chained audit trail (seed 003: recordings and records can be edited).

Each event stores the SHA-256 of the previous event; its own hash covers its sequence number,
the previous hash and its content in canonical JSON. Editing, deleting or reordering any stored
event breaks the chain at that event, and ``verify_chain`` names it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    complaint_number: str | None
    kind: str
    actor: str
    at: datetime
    payload: dict[str, Any]
    prev_hash: str
    hash: str


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _utc_iso(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def hash_head(
    complaint_number: str | None, kind: str, actor: str, at: datetime, payload: dict[str, Any]
) -> str:
    """The part of an event's hashed body that does not depend on its place in the chain.

    The body is canonical JSON with sorted keys, and "prev" and "seq" sort after every other key,
    so the body is this head followed by ``chain_link(prev_hash, seq)``. The head can be built
    before the chain is locked; only the link is computed under the lock (in the database, on
    PostgreSQL).
    """
    content = canonical_json(
        {"complaint": complaint_number, "kind": kind, "actor": actor, "at": _utc_iso(at), "payload": payload}
    )
    return content[:-1] + ","


def chain_link(prev_hash: str, seq: int) -> str:
    return '"prev":' + json.dumps(prev_hash, ensure_ascii=False) + f',"seq":{seq}}}'


def compute_hash(
    seq: int,
    prev_hash: str,
    complaint_number: str | None,
    kind: str,
    actor: str,
    at: datetime,
    payload: dict[str, Any],
) -> str:
    """SHA-256 of the canonical JSON of {seq, prev, complaint, kind, actor, at, payload}."""
    body = hash_head(complaint_number, kind, actor, at, payload) + chain_link(prev_hash, seq)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def storable(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it reads back from storage (JSON round trip): what is hashed is what is stored."""
    stored: dict[str, Any] = json.loads(canonical_json(payload))
    return stored


def seal(
    seq: int,
    prev_hash: str,
    complaint_number: str | None,
    kind: str,
    actor: str,
    at: datetime,
    payload: dict[str, Any],
) -> AuditRecord:
    stored_payload = storable(payload)
    digest = compute_hash(seq, prev_hash, complaint_number, kind, actor, at, stored_payload)
    return AuditRecord(seq, complaint_number, kind, actor, at, stored_payload, prev_hash, digest)


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "broken_seq": self.broken_seq, "reason": self.reason}


def verify_chain(records: Iterable[AuditRecord]) -> ChainVerdict:
    """Walk the chain in sequence order; the first event whose links or content do not match is named."""
    expected_prev = GENESIS_HASH
    expected_seq: int | None = None
    checked = 0
    for record in records:
        if expected_seq is not None and record.seq != expected_seq:
            return ChainVerdict(False, checked, record.seq, f"序号不连续:缺少事件 #{expected_seq}(被删除?)")
        if record.prev_hash != expected_prev:
            return ChainVerdict(
                False, checked, record.seq, f"事件 #{record.seq} 的前一哈希与链不符(前面的事件被改动或删除)"
            )
        recomputed = compute_hash(
            record.seq,
            record.prev_hash,
            record.complaint_number,
            record.kind,
            record.actor,
            record.at,
            record.payload,
        )
        if recomputed != record.hash:
            return ChainVerdict(
                False, checked, record.seq, f"事件 #{record.seq} 的内容与其哈希不符(内容被改动)"
            )
        expected_prev = record.hash
        expected_seq = record.seq + 1
        checked += 1
    return ChainVerdict(True, checked)
