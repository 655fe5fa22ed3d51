"""What makes text a customer reads natural Chinese: full-width punctuation, no codes, no repeats,
SMS cut into segments a phone shows whole.

The same checks serve the draft builder (it repairs) and the evaluation (it counts what slipped through).
"""

from __future__ import annotations

import re

SMS_SEGMENT = 70  # characters a Chinese SMS segment holds

_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’]"
_HALF_TO_FULL = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "?": "\uff1f", "!": "\uff01"}
# a half-width mark touching Chinese on either side is a typing slip, not an English phrase
_HALF_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*[,:;?!]\s*|\s*[,:;?!]\s*(?={_CJK})")
_PARENS_NEAR_CJK = re.compile(rf"\(([^()]*)\)(?=\s*(?:{_CJK}|$))|(?<={_CJK})\(([^()]*)\)")
_SENTENCE = re.compile("[^\u3002\uff01\uff1f\uff1b\n]+[\u3002\uff01\uff1f\uff1b]?|\n")
# what an agent must never read out: identifiers, rule ids, seed citations, key=value dumps
CODE_PATTERNS = (
    re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    re.compile(r"\b[a-z]+\.[a-z_]+\b"),
    re.compile(r"\bseed\b|§|种子\s*0\d\d|示例", re.IGNORECASE),
    re.compile(r"\b\w+=\S+"),
)


def full_width(text: str) -> str:
    """Half-width , : ; ? ! ( ) next to Chinese become their full-width forms; English stays as it is."""

    def mark(m: re.Match[str]) -> str:
        return _HALF_TO_FULL[m.group(0).strip()]

    def parens(m: re.Match[str]) -> str:
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        return f"\uff08{inner}\uff09"

    text = _PARENS_NEAR_CJK.sub(parens, text)
    return _HALF_NEAR_CJK.sub(mark, text)


def halfwidth_marks(text: str) -> list[str]:
    """Half-width punctuation inside Chinese text (each occurrence with a little context)."""
    found = [text[max(m.start() - 3, 0): m.end() + 3] for m in _HALF_NEAR_CJK.finditer(text)]
    found += [m.group(0) for m in _PARENS_NEAR_CJK.finditer(text)]
    return found


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
