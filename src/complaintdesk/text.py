"""The one text normaliser: traditional script to simplified, full-width ASCII to half-width, lower case.

Every reader of customer or agent text (the analysis engine, repeat detection, the QA inspector, the
full-text index) matches on a normalised form and quotes the ORIGINAL text as evidence. So every form
here keeps one character for one character: an offset in the normalised text is the same offset in the
original. OpenCC ``t2s`` nearly always converts character for character, but its phrase tables may
change a phrase's length; such a clause is converted character by character instead, and a character
whose own conversion is not one character stays as written.

Two forms, each for a reason:

- ``normalise``: script and width (``ＩＰＨＯＮＥ１３`` reads ``IPHONE13``, 「」 reads “”), case kept: the
  analysis engine's cue lists are case-sensitive data (``VIP``, ``TikTok``).
- ``fold``: script, width and lower case: the key search and repeat detection compare texts by.
  ``fold(text, width=False)`` keeps full-width characters as typed, for the QA rubric, whose patterns
  are written with full-width punctuation (``？``, ``！``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

_CLAUSE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*|[。！？!?；;\n]+")
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
# Full-width ASCII folded to half-width so cue lists and number patterns need one spelling. Not NFKC:
# it would read ①3天 as 13天 and spell ㎏ in two characters, moving every later offset.
_WIDTH_MAP = str.maketrans({**_FULL_WIDTH, 0x300C: 0x201C, 0x300D: 0x201D})


def dense_table(mapping: Mapping[int, str | int]) -> str:
    """A one-character-for-one-character ``str.translate`` table as one string: ``table[code]`` is what the
    character ``code`` reads as (itself where ``mapping`` has nothing; a code past the end stays as it is,
    as ``translate`` keeps a character whose lookup fails). The same result as the dict, without the
    KeyError a dict raises, and ``translate`` clears, for every character it does not map (most of a
    Chinese text; about four times cheaper per character)."""
    chars = [chr(code) for code in range(max(mapping) + 1)]
    for code, to in mapping.items():
        chars[code] = to if isinstance(to, str) else chr(to)
        if len(chars[code]) != 1:
            raise ValueError(f"dense_table maps one character to one: {code:#x} → {to!r}")
    return "".join(chars)


_WIDTH = dense_table(_WIDTH_MAP)
# Runs of the characters the width table changes: everywhere else ``translate`` is the identity. Translating
# only these runs gives the same text for a third of the instructions or less (``translate`` pays its
# generic per-character lookup on every character of a Chinese text, a regex scan a few instructions).
_WIDE_RUN = re.compile("[" + "".join(re.escape(chr(code)) for code, ch in enumerate(_WIDTH) if ch != chr(code)) + "]+")


def _translate_run(match: re.Match[str]) -> str:
    return match.group().translate(_WIDTH)


def fold_width(text: str) -> str:
    """``text.translate(_WIDTH)``: full-width ASCII and 「」 as ``normalise`` and ``fold`` read them."""
    return _WIDE_RUN.sub(_translate_run, text)


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    # Imported on first use: loading OpenCC's tables costs a process that never reads text nothing.
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


def simplified(text: str) -> str:
    """``text`` in simplified script, the same length as ``text``."""
    # QA reads the same short lines again and again; a long complaint is read once and not kept.
    return _simplified_line(text) if len(text) <= _LINE else _simplify(text)


_LINE = 512


@lru_cache(maxsize=65536)
def _simplified_line(text: str) -> str:
    return _simplify(text)


@lru_cache(maxsize=1)
def _tw2sp() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("tw2sp")
    return converter


# Hong Kong variants OpenCC's t2s and tw2sp leave as written (衞生局, 綫).
_HK_VARIANTS = str.maketrans({"衞": "卫", "綫": "线", "啓": "启", "衹": "只", "鷄": "鸡", "麪": "面", "衆": "众", "峯": "峰"})
_HAS_HK_VARIANT = re.compile("[衞綫啓衹鷄麪衆峯]")  # translate(_HK_VARIANTS) changes a text iff it holds one


def _simplify(text: str, converter: _Converter | None = None) -> str:
    converter = converter or _t2s()
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    pieces: list[str] = []
    for match in _CLAUSE.finditer(text):
        clause = match.group()
        whole = converter.convert(clause)
        if len(whole) == len(clause):
            pieces.append(whole)
            continue
        pieces.extend(c if len(c := converter.convert(ch)) == 1 else ch for ch in clause)
    return "".join(pieces)


@dataclass(frozen=True, slots=True)
class Normalised:
    """A text and its normalised form; ``text[i]`` is the reading of ``original[i]``."""

    original: str
    text: str
    traditional: bool  # did the original contain traditional script?


def normalise(original: str) -> Normalised:
    """Simplified script and half-width ASCII, case kept; the same length as ``original``.

    Read with OpenCC ``tw2sp`` rather than ``t2s``: Taiwan usage reads as mainland usage (網路 → 网络,
    訊號 → 信号, 影片 → 视频) and 著 as 着 where it is the particle (走著瞧 → 走着瞧, 顯著 stays), so a cue
    list written once in simplified script matches Taiwan and Hong Kong text too. ``fold`` keeps ``t2s``:
    the search index stores its form."""
    script = simplified(original)
    if script != original or _HAS_HK_VARIANT.search(original):
        script = _reading(original)
    return Normalised(original, fold_width(script), script != original)


def _reading(text: str) -> str:
    return (_reading_line(text) if len(text) <= _LINE else _simplify(text, _tw2sp())).translate(_HK_VARIANTS)


@lru_cache(maxsize=4096)
def _reading_line(text: str) -> str:
    return _simplify(text, _tw2sp())


def fold(text: str, *, width: bool = True) -> str:
    """Simplified, half-width (unless ``width`` is False), lower case; the same length as ``text``."""
    folded = fold_width(simplified(text)) if width else simplified(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    # A handful of letters (İ) lower-case to two characters: keep those as written.
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in folded)
