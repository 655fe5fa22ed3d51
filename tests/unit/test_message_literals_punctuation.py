"""Messages people read (errors, CLI output and help, API summaries) use Chinese punctuation in Chinese
text. The check reads every string literal of the packages that speak to agents and supervisors; the
engines' packages are left out because their literals are cue patterns matched against customer text."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "complaintdesk"
SPEAKING = ("domain", "services", "api", "commands", "web", "channels", "storage", "knowledge", "http")
_PREFIX = re.compile(r"^([rRbBuUfF]*)('''|\"\"\"|'|\")")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_HAN = "\u4e00-\u9fff"
# a mark touching Chinese, or parentheses right after Chinese or around Chinese
_SLIP = re.compile(
    rf"[{_HAN}]\s*[,:;?!]|[,:;?!]\s*[{_HAN}]|[{_HAN}]\s*\([^()]*\)|\([^()]*[{_HAN}][^()]*\)"
)


def _message_literals(path: Path) -> list[tuple[int, str]]:
    found = []
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type != tokenize.STRING:
            continue
        match = _PREFIX.match(token.string)
        assert match is not None
        prefix, quote = match.groups()
        if len(quote) == 3 or {"r", "b"} & set(prefix.lower()):
            continue  # docstrings, regexes and bytes are not messages
        body = token.string[len(prefix) + len(quote) : -len(quote)]
        if "://" in body:
            continue  # URL shapes keep their ASCII colons
        if "f" in prefix.lower():
            body = _PLACEHOLDER.sub("X", body)
        found.append((token.start[0], body))
    return found


def _files() -> list[Path]:
    files = [PACKAGE / "cli.py"]
    for package in SPEAKING:
        files += sorted((PACKAGE / package).rglob("*.py"))
    return files


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_messages_in_chinese_use_full_width_punctuation(path: Path) -> None:
    slips = [f"{line}: {mark!r}" for line, body in _message_literals(path) for mark in _SLIP.findall(body)]
    assert not slips, f"{path.name}: half-width punctuation in Chinese messages: {slips}"
