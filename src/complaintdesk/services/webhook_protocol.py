"""The webhook wire protocol: which events exist, which audit records raise them, how a body is
signed (HMAC-SHA256) and when a failed delivery is retried. Pure functions, no storage."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

EVENTS = (
    "complaint.opened",
    "complaint.stage_changed",
    "complaint.escalated",
    "complaint.closed",
    "complaint.reopened",
    "sla.warning",
    "sla.breach",
)
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=2)
SIGNATURE_HEADER = "X-Complaintdesk-Signature"


def events_for(kind: str, payload: dict[str, Any]) -> list[str]:
    """The webhook events an audit record stands for."""
    if kind == "opened":
        return ["complaint.opened"]
    if kind == "stage_changed":
        found = ["complaint.stage_changed"]
        return found + (["complaint.closed"] if payload.get("to") == "closed" else [])
    if kind == "escalated":
        return ["complaint.escalated"]
    if kind == "reopened":
        return ["complaint.reopened"]
    if kind == "sla_warning":
        return ["sla.warning"]
    if kind == "sla_breach":
        return ["sla.breach"]
    return []


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at 2 h: a receiver that is down for a while is not hammered."""
    delay: timedelta = BASE_BACKOFF * (2 ** max(0, attempts - 1))
    return min(delay, MAX_BACKOFF)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, timestamp + "." + body): receivers recompute and compare."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")
