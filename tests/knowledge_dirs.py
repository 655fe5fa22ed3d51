"""Serving a centre's knowledge directory for the length of a test, then the packaged defaults again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from complaintdesk.yamldata import knowledge_dir, use_knowledge_dir


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def serving(directory: Path | None) -> Iterator[Path | None]:
    before = knowledge_dir()
    use_knowledge_dir(directory)
    try:
        yield directory
    finally:
        use_knowledge_dir(before)
