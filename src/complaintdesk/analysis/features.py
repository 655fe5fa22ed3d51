"""The text the learned layer reads: one spelling per character, whatever the script it was typed in.

The cue scan reads ``complaintdesk.text.normalise``'s form: OpenCC ``tw2sp``, which also swaps Taiwan
words for mainland ones (影片 → 视频, 網路 → 网络). That suits cue lists, but it makes a traditional text
and its simplified twin differ by whole words where the simplified text already used the Taiwan word, and
a linear model over n-grams reads those words differently. The model therefore reads the ORIGINAL text
folded character by character: each character to its simplified form (OpenCC ``t2s`` of that character
alone), the few characters a round trip through traditional script does not bring back (答复 → 答覆,
家具 → 傢俱) to one of the pair, full-width ASCII to half-width, lower case. A traditional text and its
simplified twin give the same features by construction, not by a test that happens to pass.
"""

from __future__ import annotations

from functools import lru_cache

# Simplified characters whose traditional form is itself a simplified character (答复 → 答覆, 家具 → 傢俱,
# 凭借 → 憑藉, 项链 → 項鍊, 计划 → 計劃, 走着瞧 → 走著瞧): both spellings read as one.
_MERGED = {"覆": "复", "俱": "具", "藉": "借", "炼": "链", "划": "画", "著": "着"}
# Hong Kong variants OpenCC's t2s leaves as written (衞生局, 綫).
_HK = {"衞": "卫", "綫": "线", "啓": "启", "衹": "只", "鷄": "鸡", "麪": "面", "衆": "众", "峯": "峰"}
# The BMP ideographs and the supplementary planes (Cantonese 𨋢 reads 䢂, as OpenCC has it).
_CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    import opencc

    chars = [chr(c) for low, high in _CJK_BLOCKS for c in range(low, high + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table: dict[int, str] = {}
    if len(converted) == len(chars):
        table = {ord(a): b for a, b in zip(chars, converted, strict=True) if len(b) == 1 and b != a}
    else:  # a line that merged: fall back to one call per character (never seen; kept correct regardless)
        converter = opencc.OpenCC("t2s")
        table = {ord(a): b for a in chars if len(b := converter.convert(a)) == 1 and b != a}
    for source, target in {**_HK, **_MERGED}.items():
        table[ord(source)] = target
    for traditional, simplified in list(table.items()):  # 著 → 着 also when 著 was a target
        table[traditional] = _MERGED.get(simplified, simplified)
    table.update({c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
    table[0x3000] = " "
    return table


@lru_cache(maxsize=1)
def _dense() -> str:
    """``_table()`` as one string (``text.dense_table``): the same translation, several times cheaper."""
    from complaintdesk.text import dense_table

    return dense_table(_table())


def feature_text(original: str) -> str:
    """``original`` folded for the learned layer (same length): simplified character by character, the
    round-trip pairs merged, half-width, lower case."""
    folded = original.translate(_dense())
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded
