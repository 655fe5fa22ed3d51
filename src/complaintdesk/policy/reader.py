"""Reads one JSON-shaped mapping of facts, naming every field by its path in errors.

A reader remembers which keys it was asked for; ``finish()`` refuses whatever key nobody asked for,
naming it: a misspelt field (``produkt``) silently ignored would become a wrong verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from complaintdesk.domain.errors import InvalidInput


class Reader:
    def __init__(self, data: Mapping[str, Any], path: str = "") -> None:
        if not isinstance(data, Mapping):
            raise InvalidInput(f"{path or 'facts'} 必须是一个对象（JSON object）", field=path or "facts")
        self.data = data
        self.path = path
        self.asked: list[str] = []

    def name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str) -> Any:
        if key not in self.asked:
            self.asked.append(key)
        return self.data.get(key)

    def raw(self, key: str) -> Any:
        return self._get(key)

    def finish(self) -> None:
        for key in self.data:
            if key not in self.asked:
                known = "、".join(self.asked)
                raise InvalidInput(f"{self.name(str(key))} 不是已知的事实字段（此处可用：{known}）",
                                   field=self.name(str(key)))

    def get_date(self, key: str) -> date | None:
        value = self._get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            raise InvalidInput(f"{self.name(key)} 不是有效日期（应为 YYYY-MM-DD）：{value!r}", field=self.name(key)) from None

    def get_datetime(self, key: str) -> datetime | None:
        value = self._get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        try:
            return datetime.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(f"{self.name(key)} 不是有效时间（应为 ISO 8601）：{value!r}", field=self.name(key)) from None

    def boolean(self, key: str) -> bool | None:
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        raise InvalidInput(f"{self.name(key)} 必须是 true 或 false：{value!r}", field=self.name(key))

    def number(self, key: str, *, signed: bool = False) -> float | None:
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(f"{self.name(key)} 必须是数字：{value!r}", field=self.name(key))
        if not math.isfinite(value):
            raise InvalidInput(f"{self.name(key)} 必须是有限的数字：{value!r}", field=self.name(key))
        if value < 0 and not signed:
            raise InvalidInput(f"{self.name(key)} 不能为负数：{value!r}", field=self.name(key))
        return float(value)

    def integer(self, key: str) -> int | None:
        value = self.number(key)
        if value is None:
            return None
        if value != int(value):
            raise InvalidInput(f"{self.name(key)} 必须是整数：{value!r}", field=self.name(key))
        return int(value)

    def text(self, key: str) -> str | None:
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidInput(f"{self.name(key)} 必须是文本：{value!r}", field=self.name(key))
        return value.strip() or None

    def choice(self, key: str, allowed: Sequence[str]) -> str | None:
        value = self.text(key)
        if value is None or value == "null":
            return None
        if value not in allowed:
            raise InvalidInput(
                f"{self.name(key)} 的值 {value!r} 无效，可选：{', '.join(allowed)}", field=self.name(key)
            )
        return value

    def choices(self, key: str, allowed: Sequence[str]) -> tuple[str, ...]:
        value = self._get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or item not in allowed:
                raise InvalidInput(f"{self.name(key)}[{i}] 的值 {item!r} 无效，可选：{', '.join(allowed)}",
                                   field=f"{self.name(key)}[{i}]")
            if item not in out:
                out.append(item)
        return tuple(out)

    def child(self, key: str) -> Reader | None:
        value = self._get(key)
        if value is None:
            return None
        return Reader(value, self.name(key))
