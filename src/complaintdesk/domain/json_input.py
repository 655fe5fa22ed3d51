"""Bounds on free JSON that users hand in (facts over the API, the web form's JSON box, a CLI file).

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e400`` (as infinity) without complaint, but no
JSON column stores them faithfully (orjson writes null, PostgreSQL refuses them) and an audit event
hashed with one would no longer verify once read back. Deep nesting is refused too: the JSON
serializer stops at 255 levels and Python's parser at about a thousand, both as server errors.
Every refusal names the path of the offending value (``facts.billing.monthly_fee``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from complaintdesk.domain.errors import InvalidInput

MAX_DEPTH = 20  # facts are two or three levels deep; twenty leaves room without inviting abuse
MAX_VALUES = 5_000
MAX_TEXT_CHARS = 200_000
# orjson (the JSON columns' serializer) stores integers of 64 bits at most
INT_MIN, INT_MAX = -(2**63), 2**64 - 1


def _path(parent: str, key: str | int) -> str:
    return f"{parent}[{key}]" if isinstance(key, int) else f"{parent}.{key}"


def _short(path: str) -> str:
    return path if len(path) <= 60 else path[:60] + "…"


def _check_text(text: str, path: str) -> int:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{path} 含有无法存储的字符（孤立的 UTF-16 代理）", field=path) from None
    return len(text)


def _named(label: str) -> str:
    return label + (" " if label[-1:].isascii() else "")  # "facts 过大", "其他事实过大"


def check_json(
    value: Any,
    field: str,
    *,
    label: str | None = None,
    max_depth: int = MAX_DEPTH,
    max_values: int = MAX_VALUES,
    max_text: int = MAX_TEXT_CHARS,
) -> None:
    """Refuse what cannot be stored and read back unchanged, or is too deep or too large.

    Iterative, so a value nested far beyond the limit is refused without recursing into it.
    ``label``: how the messages call the whole value (the field's name otherwise)."""
    name = _named(label or field)
    stack: list[tuple[Any, str, int]] = [(value, field, 0)]
    values = 0
    text = 0
    while stack:
        item, path, depth = stack.pop()
        values += 1
        if values > max_values:
            raise InvalidInput(f"{name}过大：超过 {max_values} 个值", field=field)
        if isinstance(item, dict):
            if depth >= max_depth:
                raise InvalidInput(f"{name}嵌套过深：最多 {max_depth} 层（在 {_short(path)}）", field=field)
            for key, inner in item.items():
                if not isinstance(key, str):
                    raise InvalidInput(f"{path} 的键必须是文本", field=path)
                text += _check_text(key, path)
                stack.append((inner, _path(path, key), depth + 1))
        elif isinstance(item, list | tuple):
            if depth >= max_depth:
                raise InvalidInput(f"{name}嵌套过深：最多 {max_depth} 层（在 {_short(path)}）", field=field)
            stack.extend((inner, _path(path, i), depth + 1) for i, inner in enumerate(item))
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise InvalidInput(f"{path} 必须是有限的数字（不接受 NaN、Infinity 或超出范围的数）", field=path)
        elif isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                raise InvalidInput(f"{path} 超出可存储的整数范围", field=path)
        elif isinstance(item, str):
            text += _check_text(item, path)
        else:
            raise InvalidInput(f"{path} 不是 JSON 值（{type(item).__name__}）", field=path)
        if text > max_text:
            raise InvalidInput(f"{name}过大：文本超过 {max_text} 个字符", field=field)


def parse_json(text: str, field: str, *, label: str | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """JSON text as a user gave it, parsed and checked by ``check_json``; syntax errors name line
    and column (``label``: how the message calls the input). A nesting deep enough to exhaust the
    parser is refused like any too-deep value."""
    name = _named(label or field)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name}不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}", field=field) from None
    except RecursionError:
        raise InvalidInput(f"{name}嵌套过深：最多 {max_depth} 层", field=field) from None
    check_json(value, field, label=label, max_depth=max_depth)
    return value
