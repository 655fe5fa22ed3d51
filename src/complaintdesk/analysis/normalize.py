"""Traditional → simplified normalisation that remembers where every character came from.

Matching runs on the simplified text; evidence must point into the ORIGINAL text. OpenCC ``t2s`` is
nearly always one character for one character, but its phrase tables may change the length of a
phrase, so we convert clause by clause and fall back to character-by-character conversion for a
clause whose length changed: every output character then maps to exactly one input character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

MAX_CHARS = 200_000
"""Documented input limit: longer input is refused with InputTooLarge (field ``text``)."""

_CLAUSE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*|[。！？!?；;\n]+")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Full-width ASCII folded to half-width so cue lists and number patterns need one spelling; 1:1 chars.
_FOLD = str.maketrans({**_FULLWIDTH, 0x300C: 0x201C, 0x300D: 0x201D})


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


@dataclass(frozen=True, slots=True)
class Normalised:
    original: str
    text: str
    origin: tuple[int, ...]  # origin[i] = index in ``original`` of normalised character i
    traditional: bool

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open range of the normalised text back to the original text."""
        if end <= start:
            return (self.origin[start] if start < len(self.origin) else len(self.original),) * 2
        return self.origin[start], self.origin[end - 1] + 1


def normalise(original: str) -> Normalised:
    converter = _t2s()
    simplified = converter.convert(original)
    if len(simplified) == len(original):
        text = simplified.translate(_FOLD)
        return Normalised(original, text, tuple(range(len(original))), simplified != original)
    pieces: list[str] = []
    origin: list[int] = []
    for match in _CLAUSE.finditer(original):
        clause, base = match.group(), match.start()
        converted = converter.convert(clause)
        if len(converted) == len(clause):
            pieces.append(converted)
            origin.extend(range(base, base + len(clause)))
            continue
        for offset, char in enumerate(clause):
            out = converter.convert(char)
            pieces.append(out)
            origin.extend([base + offset] * len(out))
    text = "".join(pieces).translate(_FOLD)
    return Normalised(original, text, tuple(origin), True)


_CJK = re.compile(r"[\u3400-\u9fff]")


def looks_chinese(text: str) -> bool:
    """Enough CJK ideographs to be worth reading (checks a prefix so megabytes stay cheap)."""
    sample = text[:4000]
    cjk = len(_CJK.findall(sample))
    return cjk >= 2 and cjk >= 0.05 * len(sample.strip())


def looks_binary(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd")
    return bad > max(2, len(sample) // 50)
