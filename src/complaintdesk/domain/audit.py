"""The append-only, hash-chained audit trail (seed 003: recordings and records can be edited).

Each event stores the SHA-256 of the previous event; its own hash covers its sequence number,
the previous hash and its content in canonical JSON. Editing, deleting or reordering any stored
event breaks the chain at that event, and ``verify_chain`` names every such event. What the chain
alone cannot show (a deleted tail, a chain rewritten with fresh hashes) the signed checkpoints show:
``verify_chain`` compares the chain with them (``storage/audit_checkpoints.py``, docs/audit.md).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.json_input import check_json

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


# allow_nan=False: a NaN would be hashed as "NaN" but stored as null, and never verify again. One encoder
# made once: ``json.dumps`` with these arguments makes this same encoder on every call and then calls its
# ``encode`` (about a third of sealing an event went to making encoders, three an event).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str, allow_nan=False)
_TEXT = json.JSONEncoder(ensure_ascii=False)  # json.dumps(value, ensure_ascii=False)'s encoder


def canonical_json(data: Any) -> str:
    return _CANONICAL.encode(data)


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
    return '"prev":' + _TEXT.encode(prev_hash) + f',"seq":{seq}}}'


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


# An event's payload is the system's own record (an intake's analysis, a whole message), so its
# bounds are wider than a user's facts; they only keep it within what the JSON columns store.
PAYLOAD_MAX_DEPTH = 100
PAYLOAD_MAX_VALUES = 10_000_000
PAYLOAD_MAX_TEXT = 1_000_000_000


# Nineteen digits or more in the canonical text: perhaps an integer beyond 64 bits (or only a long
# number in a text), worth the slow walk that tells which
_LONG_DIGITS = re.compile(r"\d{19,}")


def storable(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it reads back from storage (JSON round trip): what is hashed is what is stored.

    A value that would not read back as it was hashed (NaN, infinity, an integer beyond 64 bits, a
    lone surrogate) is refused (``InvalidInput`` naming its path) rather than sealed. The strict
    serialisation finds those cheaply; only a suspect payload is walked to name the value."""
    text: str | None
    try:
        text = canonical_json(payload)
        text.encode("utf-8")
    except ValueError:  # NaN or infinity (allow_nan=False), or a lone surrogate (UnicodeEncodeError)
        text = None
    if text is None or _LONG_DIGITS.search(text):
        loose = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
        check_json(
            loose, "payload", max_depth=PAYLOAD_MAX_DEPTH, max_values=PAYLOAD_MAX_VALUES, max_text=PAYLOAD_MAX_TEXT
        )
        if text is None:  # not reached: check_json names every value the strict form refuses
            raise InvalidInput("payload 含有无法存储的值", field="payload")
    stored: dict[str, Any] = json.loads(text)
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


MAX_REPORTED_BREAKS = 200  # a wholesale rewrite breaks at every event; the count says how many


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "reason": self.reason}


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement, kept outside the database, that the chain held event ``seq`` with ``hash``."""

    seq: int
    hash: str
    at: str


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    breaks: tuple[ChainBreak, ...] = ()
    break_count: int = 0
    anchor: Checkpoint | None = None  # the newest checkpoint compared against, if any
    head: tuple[int, str] | None = None  # the last event walked: (seq, hash)

    @property
    def broken_seq(self) -> int | None:
        return self.breaks[0].seq if self.breaks else None

    @property
    def reason(self) -> str | None:
        return self.breaks[0].reason if self.breaks else None

    def to_dict(self) -> dict[str, Any]:
        anchor = self.anchor
        return {
            "ok": self.ok,
            "checked": self.checked,
            "broken_seq": self.broken_seq,
            "reason": self.reason,
            "break_count": self.break_count,
            "breaks": [b.to_dict() for b in self.breaks],
            "anchor": {"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at} if anchor else None,
        }


class _Breaks:
    def __init__(self) -> None:
        self.items: list[ChainBreak] = []
        self.count = 0

    def add(self, seq: int, reason: str) -> None:
        self.count += 1
        if len(self.items) < MAX_REPORTED_BREAKS:
            self.items.append(ChainBreak(seq, reason))


def verify_chain(
    records: Iterable[AuditRecord],
    checkpoints: Iterable[Checkpoint] = (),
    *,
    start_seq: int = 1,
    start_prev: str | None = GENESIS_HASH,
) -> ChainVerdict:
    """Walk the chain in sequence order and name every event whose links or content do not match,
    and every signed checkpoint the chain no longer agrees with (a rewritten chain, a deleted tail).

    After a break the walk goes on from the stored event, so a break early in the chain (an old
    fault, or a decoy) does not hide a later one."""
    by_seq: dict[int, Checkpoint] = {}
    for checkpoint in checkpoints:
        by_seq[checkpoint.seq] = checkpoint
    breaks = _Breaks()
    expected_prev = start_prev
    expected_seq = start_seq
    checked = 0
    head: tuple[int, str] | None = None
    for record in records:
        if record.seq != expected_seq:
            gap = f"#{expected_seq}" if record.seq == expected_seq + 1 else f"#{expected_seq}–#{record.seq - 1}"
            breaks.add(record.seq, f"序号不连续：缺少事件 {gap}（被删除？）")
        elif expected_prev is not None and record.prev_hash != expected_prev:
            breaks.add(record.seq, f"事件 #{record.seq} 的前一哈希与链不符（前面的事件被改动或删除）")
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
            breaks.add(record.seq, f"事件 #{record.seq} 的内容与其哈希不符（内容被改动）")
        anchored = by_seq.get(record.seq)
        if anchored is not None and anchored.hash != record.hash:
            breaks.add(
                record.seq,
                f"事件 #{record.seq} 的哈希与 {anchored.at} 签名的检查点不符（链在检查点之后被改写）",
            )
        expected_prev = record.hash
        expected_seq = record.seq + 1
        head = (record.seq, record.hash)
        checked += 1
    anchor = max(by_seq.values(), key=lambda c: c.seq) if by_seq else None
    if anchor is not None and anchor.seq >= expected_seq:
        last = expected_seq - 1
        breaks.add(
            anchor.seq,
            f"链只到事件 #{last}，而 {anchor.at} 签名的检查点记录了事件 #{anchor.seq}"
            f"（末尾的事件 #{last + 1}–#{anchor.seq} 或更多被删除）",
        )
    return ChainVerdict(not breaks.count, checked, tuple(breaks.items), breaks.count, anchor, head)
