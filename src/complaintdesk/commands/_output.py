"""Shared CLI output helpers."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

console = Console()


def print_json(data: Any) -> None:
    """Machine-readable output: UTF-8 JSON with Chinese kept readable."""
    console.file.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
