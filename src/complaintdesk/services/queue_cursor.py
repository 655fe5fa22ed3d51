"""The queue's keyset cursor: where the last page ended (the last row's id and, in due order, its due
time), as an opaque token the next request sends back."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime

from complaintdesk.domain.errors import InvalidInput


@dataclass(frozen=True)
class Cursor:
    """Where the last page ended: the last row's id and, in due order, its due time."""

    last_id: int
    due: datetime | None = None


def encode_cursor(last_id: int, due: datetime | None = None) -> str:
    raw = f"c:{last_id}" if due is None else f"d:{last_id}:{int(due.timestamp() * 1_000_000)}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, order: str = "newest") -> Cursor | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        parts = raw.split(":")
        if order == "due" and parts[0] == "d" and len(parts) == 3:
            micros = int(parts[2])
            return Cursor(int(parts[1]), datetime.fromtimestamp(micros / 1_000_000, UTC))
        if order != "due" and parts[0] == "c" and len(parts) == 2:
            return Cursor(int(parts[1]))
        raise ValueError(raw)
    except (ValueError, UnicodeDecodeError, OverflowError, OSError):
        raise InvalidInput("分页游标无效，请使用上一页返回的 next_cursor", field="cursor") from None
