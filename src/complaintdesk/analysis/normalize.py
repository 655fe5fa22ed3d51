"""What the analysis engine accepts: the input limit and the checks for text not worth reading.

The text itself is normalised by ``complaintdesk.text`` (the one normaliser the product shares).
"""

from __future__ import annotations

import re

MAX_CHARS = 200_000
"""Documented input limit: longer input is refused with InputTooLarge (field ``text``)."""

_CJK = re.compile(r"[\u3400-\u9fff]")
# a control character other than tab, line feed and carriage return, or the replacement character
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def looks_chinese(text: str) -> bool:
    """Enough CJK ideographs to be worth reading (checks a prefix so megabytes stay cheap)."""
    sample = text[:4000]
    cjk = _CJK.subn("", sample)[1]  # the count of matches, without a list of one string per ideograph
    return cjk >= 2 and cjk >= 0.05 * len(sample.strip())


def looks_binary(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    bad = len(_CONTROL.findall(sample))
    return bad > max(2, len(sample) // 50)
