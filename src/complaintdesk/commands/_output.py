"""Shared CLI output helpers."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

console = Console()


def print_json(data: Any) -> None:
    """Machine-readable output: UTF-8 JSON with Chinese kept readable."""
    console.file.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def read_jsonl(path: Any, field: str) -> list[dict[str, Any]]:
    """Every JSON object of a JSON Lines file (blank lines skipped); a missing file, a bad line or a line
    that is not an object is refused naming the file and the line."""
    from pathlib import Path

    from complaintdesk.domain.errors import InvalidInput

    source = Path(path)
    if not source.is_file():
        raise InvalidInput(f"文件不存在：{source}", field=field)
    records = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{source} 第 {number} 行不是合法 JSON: {exc.msg}", field=f"line {number}") from None
        if not isinstance(record, dict):
            raise InvalidInput(f"{source} 第 {number} 行应为 JSON 对象", field=f"line {number}")
        records.append(record)
    return records


def label(prefix: str, code: str | None) -> str:
    """A vocabulary code in the user's language (the web's catalogue: label.billing → 计费/扣费), or the
    code itself when the catalogue has none. COMPLAINTDESK_LANGUAGE=en prints English."""
    if not code:
        return ""
    from complaintdesk.settings import get_settings
    from complaintdesk.web.i18n import translate

    key = f"{prefix}.{code}"
    shown = translate(key, get_settings().language)
    return code if shown == key else shown


def narrow() -> bool:
    """An 80-column terminal (or a pipe, which Rich treats as 80): tables drop their low-value columns."""
    return console.width < 110
