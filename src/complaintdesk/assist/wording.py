"""What makes text a customer reads natural Chinese: full-width punctuation, no codes, no repeats,
SMS cut into segments a phone shows whole.

The same checks serve the draft builder (it repairs) and the evaluation (it counts what slipped through).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from complaintdesk.punctuation import full_width as full_width
from complaintdesk.punctuation import halfwidth_marks as halfwidth_marks

SMS_SEGMENT = 70  # characters a Chinese SMS segment holds

_SENTENCE = re.compile("[^\u3002\uff01\uff1f\uff1b\n]+[\u3002\uff01\uff1f\uff1b]?|\n")
# what an agent must never read out: identifiers, rule ids, seed citations, key=value dumps
CODE_PATTERNS = (
    re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    re.compile(r"\b[a-z]+\.[a-z_]+\b"),
    re.compile(r"\bseed\b|§|种子\s*0\d\d|示例", re.IGNORECASE),
    re.compile(r"\b\w+=\S+"),
)


def codes(text: str) -> list[str]:
    return [m.group(0) for pattern in CODE_PATTERNS for m in pattern.finditer(text)]


def sentences(text: str) -> list[str]:
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(text)) if s]


def _bigrams(text: str) -> set[str]:
    core = re.sub(r"[^\w]", "", text)
    return {core[i: i + 2] for i in range(len(core) - 1)}


def similar(a: str, b: str, threshold: float = 0.6) -> bool:
    """Two sentences saying nearly the same thing (bigram overlap relative to the shorter one)."""
    x, y = _bigrams(a), _bigrams(b)
    if min(len(x), len(y)) < 6:  # short sentences ("好吗?") repeat only when identical
        return a == b
    return len(x & y) / min(len(x), len(y)) >= threshold


def without_repeats(parts: list[str]) -> list[str]:
    """Drop a sentence that repeats an earlier one, so the draft sounds like one person speaking."""
    kept: list[str] = []
    for part in parts:
        if not part:
            continue
        if any(similar(part, earlier) for earlier in kept):
            continue
        kept.append(part)
    return kept


def repeats(text: str) -> list[str]:
    seen: list[str] = []
    out: list[str] = []
    for s in sentences(text):
        if len(s) > 6 and any(similar(s, t, 0.8) for t in seen):
            out.append(s)
        seen.append(s)
    return out


def sms_segments(text: str, limit: int = SMS_SEGMENT) -> list[str]:
    """Cut at sentence ends (then at commas) so that no segment is longer than ``limit``."""
    pieces: list[str] = []
    for s in sentences(text.replace("\n", "")):
        while len(s) > limit:
            cut = max(s.rfind("\uff0c", 0, limit), s.rfind("\uff1b", 0, limit))
            cut = cut + 1 if cut > 0 else limit
            pieces.append(s[:cut])
            s = s[cut:]
        if s:
            pieces.append(s)
    segments: list[str] = []
    for piece in pieces:
        if segments and len(segments[-1]) + len(piece) <= limit:
            segments[-1] += piece
        else:
            segments.append(piece)
    return segments


def in_customer_words(draft: str, text: str, mirror: Mapping[str, Sequence[str]]) -> str:
    """The draft with its word for a thing said in the customer's own word (退费 where the draft says
    退款), when the customer uses one of them and never the draft's."""
    for ours, theirs in mirror.items():
        if ours in text:
            continue
        word = next((w for w in theirs if w in text), None)
        if word is not None:
            draft = draft.replace(ours, word)
    return draft
