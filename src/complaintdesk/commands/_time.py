"""Date-time options of the CLI: ISO 8601 with a time zone, refused naming the option otherwise."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.domain.errors import InvalidInput


def parse_datetime(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{field} 不是 ISO 时间：{value!r}（例：2026-11-24T18:00:00+08:00）", field=field
        ) from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{field} 需要带时区（例：2026-11-24T18:00:00+08:00）", field=field)
    return parsed
