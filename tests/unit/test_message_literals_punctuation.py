"""Messages people read (errors, CLI output and help, API summaries, the engines' notes, reasons, panel
and QA text) use Chinese punctuation in Chinese text. The check reads every string literal of the
package. Regexes are raw strings and skipped; the engines keep their cue words in data files. The few
plain literals that must keep ASCII marks are listed in ``ALLOWED`` with the reason: text fed to an
engine as a customer's or agent's words, and shapes a file author types (YAML, JSON, a Python tuple)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "complaintdesk"

_ENGINE_INPUT = "engine input (a customer's or agent's words, as typed), not a message"
_SHAPE = "the shape of a data file entry, in the syntax its author types"
ALLOWED: dict[tuple[str, str], str] = {
    ("analysis/engine.py", "师傅说配件没到,我不是要退款,只要修好。"): _ENGINE_INPUT,  # warm-up text
    ("quality/batch.py", "客户: 你好\\n客服: 您好"): _ENGINE_INPUT,  # warm-up transcript
    ("quality/evaluate.py", "客户: X\\n客服: X"): _ENGINE_INPUT,  # transcripts built from eval pairs
    ("analysis/similarity.py", "candidates[X] 必须是 (id, text) 二元组"): "a Python tuple, for API callers",
    ("assist/evaluate.py", "应为 [[候选说法, …], …]"): _SHAPE,
    ("quality/bank.py", "必须是 家族: [正则] 的映射"): _SHAPE,
    ("quality/bank.py", "必须是 两个字: 正整数 的映射"): _SHAPE,
    ("quality/bank.py", "必须是 禁语: [改写] 的映射"): _SHAPE,
    ("quality/rubric.py", "必须是 维度: 扣分 的映射"): _SHAPE,
    ("quality/rubric.py", "必须是 话题: {words, instead} 的映射"): _SHAPE,
    ("quality/rubric.py", "必须是 规则: 建议 的映射"): _SHAPE,
    ("quality/style.py", "必须是 字符n元组: [权重, idf] 的非空映射"): _SHAPE,
    ("quality/style.py", "必须是 {similarity: 0 到 1 之间的数, style: 0 到 1 之间的数}"): _SHAPE,
}
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
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", _files(), ids=_name)
def test_messages_in_chinese_use_full_width_punctuation(path: Path) -> None:
    slips = [
        f"{line}: {mark!r}"
        for line, body in _message_literals(path)
        if (_name(path), body) not in ALLOWED
        for mark in _SLIP.findall(body)
    ]
    assert not slips, (
        f"{path.name}: half-width punctuation in Chinese messages: {slips} "
        "(a literal that must keep ASCII marks, such as text fed to an engine, goes in ALLOWED with its reason)"
    )


def test_every_allowed_literal_still_exists_and_still_needs_allowing() -> None:
    stale = [
        key
        for key in ALLOWED
        if not any(body == key[1] and _SLIP.search(body) for _, body in _message_literals(PACKAGE / key[0]))
    ]
    assert not stale, f"ALLOWED entries no longer needed: {stale}"
