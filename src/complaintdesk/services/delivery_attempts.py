"""What one delivery attempt of an outbox row (a mail, an SMS) writes back: sent, retried later or failed.

The mail and SMS outboxes share the rule: 1, 2, 4 … minutes between attempts, capped at 2 h, so a
server or provider that is down for a while is not hammered; a refusal that no retry can change, or
the last allowed attempt, fails the row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

MAX_ATTEMPTS = 6
BASE_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=2)
LEASE = timedelta(minutes=5)  # a claimed row is invisible to other senders this long


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the ``attempts``-th attempt, capped at 2 h."""
    delay: timedelta = BASE_BACKOFF * (2 ** max(0, attempts - 1))
    return min(delay, MAX_BACKOFF)


def outcome_values(
    attempts_before: int, *, ok: bool, retry: bool, error: str | None, now: datetime, **sent: Any
) -> dict[str, Any]:
    """The columns to update after one more attempt; ``sent`` adds columns written only on success."""
    attempt = attempts_before + 1
    values: dict[str, Any] = {"attempts": attempt}
    if ok:
        values.update(status="sent", sent_at=now, last_error=None, **sent)
    elif not retry or attempt >= MAX_ATTEMPTS:
        values.update(status="failed", last_error=error)
    else:
        values.update(next_attempt_at=now + backoff(attempt), last_error=error)
    return values
